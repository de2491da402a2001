"""Attacks on the knowledge cache (issue 14, High 1 and item 8): it must never run code, hang, be trusted
from a folder others control, serve a stale pack, or leave temporary files behind."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import threading
from pathlib import Path

import pytest

from errdiag.engine import diagnose
from errdiag.kb import load_knowledge

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
TITLE = b"Demo: the disk is full"
TAMPERED = b"Demo: TAMPERED!!! full"  # same length: keeps any length-prefixed format well formed
assert len(TITLE) == len(TAMPERED)


def load(cache: Path, kb: Path = FIXTURE_KB):
    return load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(kb)}, cwd=cache.parent, config_dir=None,
                          cache_dir=cache, entry_points=False)


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith("kb-") and not p.name.endswith(".tmp"))


@pytest.fixture
def warm(tmp_path) -> Path:
    """A cache folder holding one good cache file of the fixture knowledge base."""
    cache = tmp_path / "cache"
    load(cache)
    assert len(cache_files(cache)) == 1
    return cache


def title_of(kb) -> str:
    return kb.get("demo.disk_full").title


def works(kb) -> None:
    assert diagnose("demo disk is full", kb).best.id == "demo.disk_full"


class _Boom:
    """Unpickling this creates a file: the proof that loading the cache ran code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_poisoned_cache_does_not_run_code(warm, tmp_path):
    marker = tmp_path / "pwned"
    for f in cache_files(warm):
        f.write_bytes(pickle.dumps(_Boom(marker)))
    kb = load(warm)
    assert not marker.exists(), "loading the cache ran code"
    works(kb)


@pytest.mark.parametrize("payload", [
    pickle.dumps(("a", "b", "c")),  # a well-formed pickle of the wrong shape
    b"errdiag-kb-marshal\n" + __import__("marshal").dumps(("a", "b", "c", "d", "e")),
    b"errdiag-kb-marshal\n" + b"\xff" * 64,
    b"",
    os.urandom(4096),
], ids=["pickle-shape", "marshal-shape", "marshal-garbage", "empty", "random"])
def test_bad_cache_is_ignored_and_rebuilt(warm, payload):
    for f in cache_files(warm):
        f.write_bytes(payload)
    kb = load(warm)
    works(kb)
    assert title_of(kb) == TITLE.decode()


def test_truncated_cache_is_ignored(warm):
    for f in cache_files(warm):
        data = f.read_bytes()
        f.write_bytes(data[: len(data) // 2])
    works(load(warm))


def test_fifo_at_the_cache_name_does_not_hang(warm):
    (f,) = cache_files(warm)
    f.unlink()
    os.mkfifo(f)
    done = threading.Event()
    got = {}

    def go():
        got["kb"] = load(warm)
        done.set()

    t = threading.Thread(target=go, daemon=True)
    t.start()
    finished = done.wait(timeout=10)
    if not finished:  # unblock the reader so the thread can end
        fd = os.open(f, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    assert finished, "a FIFO at the cache name hung the loader"
    works(got["kb"])


def _tamper(f: Path) -> None:
    data = f.read_bytes()
    assert TITLE in data
    f.write_bytes(data.replace(TITLE, TAMPERED))


def test_tampering_is_visible_when_the_folder_is_ours(warm):
    """The control for the two tests below: a tampered cache in a private folder is (by design) read."""
    for f in cache_files(warm):
        _tamper(f)
    assert title_of(load(warm)) == TAMPERED.decode()


def test_cache_folder_writable_by_others_is_not_trusted(warm):
    for f in cache_files(warm):
        _tamper(f)
    os.chmod(warm, 0o777)
    kb = load(warm)
    assert title_of(kb) == TITLE.decode(), "read a cache from a folder anyone can write"
    for f in cache_files(warm):
        f.unlink()
    load(warm)
    assert cache_files(warm) == [], "wrote a cache into a folder anyone can write"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_cache_folder_owned_by_another_user_is_not_trusted(warm):
    for f in cache_files(warm):
        _tamper(f)
        os.chown(f, 4242, 4242)
    os.chown(warm, 4242, 4242)
    assert title_of(load(warm)) == TITLE.decode()


def test_symlinked_cache_file_is_not_followed(warm, tmp_path):
    (f,) = cache_files(warm)
    elsewhere = tmp_path / "elsewhere"
    shutil.copy(f, elsewhere)
    _tamper(elsewhere)
    f.unlink()
    f.symlink_to(elsewhere)
    assert title_of(load(warm)) == TITLE.decode()


def test_pack_edited_with_size_and_mtime_kept_is_not_served_stale(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    cache = tmp_path / "cache"
    entry = kb_dir / "demo" / "disk_full.yaml"
    assert title_of(load(cache, kb_dir)) == TITLE.decode()
    st = entry.stat()
    entry.write_bytes(entry.read_bytes().replace(TITLE, TAMPERED))
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert entry.stat().st_size == st.st_size and entry.stat().st_mtime_ns == st.st_mtime_ns
    assert title_of(load(cache, kb_dir)) == TAMPERED.decode(), "served the old content from the cache"


def test_full_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    import tempfile

    real = tempfile.mkstemp

    def full_disk(*a, **kw):
        fd, name = real(*a, **kw)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name  # every write fails with ENOSPC

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    cache = tmp_path / "cache"
    works(load(cache))
    assert list(cache.iterdir()) == [], "a failed write left a file behind"


def test_old_temporary_files_are_swept(warm):
    old = warm / "kb-leftover.tmp"
    old.write_bytes(b"partial")
    os.utime(old, (1, 1))
    for f in cache_files(warm):
        f.unlink()
    load(warm)
    assert not old.exists()


def test_new_cache_folder_is_private(tmp_path):
    cache = tmp_path / "fresh" / "cache"
    load(cache)
    assert stat.S_IMODE(cache.stat().st_mode) & 0o077 == 0
    assert cache_files(cache)


def test_cache_round_trip_keeps_every_bundled_entry(tmp_path):
    cache = tmp_path / "cache"
    first = load_knowledge(cwd=tmp_path, config_dir=None, cache_dir=cache, entry_points=False)
    second = load_knowledge(cwd=tmp_path, config_dir=None, cache_dir=cache, entry_points=False)
    assert second.index is not first.index  # the second came from the cache
    assert second.entries == first.entries
    assert {k: v for k, v in second.index.__dict__.items() if not k.startswith("_") and k != "entries"} == \
        {k: v for k, v in first.index.__dict__.items() if not k.startswith("_") and k != "entries"}


def test_prose_is_decoded_only_when_read(warm):
    """A start-up decodes what matching needs; an entry's prose waits in one blob until it is shown."""
    kb = load(warm)
    fresh = load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=warm.parent, config_dir=None,
                           entry_points=False)
    e = kb.get("demo.disk_full")
    assert "_cold" in e.__dict__ and "meaning" not in e.__dict__
    assert e.meaning == fresh.get("demo.disk_full").meaning and e.meaning
    assert "_cold" not in e.__dict__ and e.quick_fixes == fresh.get("demo.disk_full").quick_fixes
    other = kb.entries[-1]
    assert pickle.loads(pickle.dumps(other)) == fresh.get(other.id)  # sent to a worker: prose included
    works(kb)


def test_damaged_prose_is_read_again_from_the_entry_file(warm):
    kb = load(warm)
    e = kb.get("demo.disk_full")
    blob, thaw = e.__dict__["_cold"]
    e.__dict__["_cold"] = (blob[: len(blob) // 2], thaw)  # cut short: marshal cannot read it
    fresh = load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=warm.parent, config_dir=None,
                           entry_points=False).get("demo.disk_full")
    assert e.summary == fresh.summary and e.steps == fresh.steps
