"""Cost limits for knowledge packs (issue 14, Medium 7): matching work per input bounded across all of a
pack's signatures, pack size and entry limits with an error naming the pack, symlinks that leave the
pack refused (no hang, no escape)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from errdiag import limits, regexes
from errdiag.discover import Root
from errdiag.engine import diagnose
from errdiag.errors import KnowledgeError
from errdiag.kb import load_knowledge
from errdiag.loader import load_entries
from errdiag.matching import exact, index

from .conftest import FIXTURE_KB

ENTRY = """\
id: {id}
title: Slow {id}
tool: Evil
category: build
signatures:
{sigs}
summary: s
"""


def _slow_pack(folder: Path, entries: int, sigs: int) -> Path:
    """Entries whose regexes all sit on "error" and need RE2 to say no (no other literal to pre-check)."""
    for e in range(entries):
        lines = "\n".join(f'  - regex: "error[^x]*[a-c][^y]*[0-9]{{3,{4 + e * sigs + i}}}[q-z]"'
                          for i in range(sigs))
        p = folder / "evil" / f"slow{e}.yaml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ENTRY.format(id=f"evil.slow{e}", sigs=lines))
    return folder


class _Counting:
    """A compiled regex that counts its searches."""

    calls = 0

    def __init__(self, rx):
        self.rx = rx

    def search(self, text):
        _Counting.calls += 1
        return self.rx.search(text)


def test_regex_work_of_a_pack_is_bounded_across_all_its_signatures(tmp_path, monkeypatch):
    """300 regexes on a word every line holds: the pack's RE2 calls stop at its budget, whatever the
    number of signatures (the per-signature cap alone allowed 300 x 1,000 here), and the bundled entry
    at the end of the log is still found."""
    pack = _slow_pack(tmp_path / "pack", entries=3, sigs=100)
    monkeypatch.setattr(index, "PACK_BUDGET", 300_000, raising=False)
    real = regexes.compile_signature
    monkeypatch.setattr(exact.regexes, "compile_signature", lambda p: _Counting(real(p)))
    _Counting.calls = 0
    kb = load_knowledge([pack], env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=tmp_path, config_dir=None,
                        project=False, entry_points=False)
    log = "worker error while handling request abc 12 retrying\n" * 1_000 + "demo disk is full\n"
    result = diagnose(log, kb)
    # anchor hits first (300 x 1,000 units), then tries at REGEX_COST each until the budget is spent
    assert _Counting.calls <= 300_000 // 8 + 100, _Counting.calls
    assert result.best is not None and result.best.id == "demo.disk_full"


def test_a_pack_out_of_budget_does_not_starve_the_bundled_entries(tmp_path, monkeypatch):
    pack = _slow_pack(tmp_path / "pack", entries=2, sigs=50)
    monkeypatch.setattr(index, "PACK_BUDGET", 400_000, raising=False)  # 2,000 x 100 hits fit, not the tries
    kb = load_knowledge([pack], env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=tmp_path, config_dir=None,
                        project=False, entry_points=False)
    log = "error abc 123q\n" + "worker error while handling request abc 12\n" * 2_000 + \
        "10:00:00 writer: demo device sda1 has no space left\n"  # a bundled *regex* signature, last line
    result = diagnose(log, kb)
    ids = [d.id for d in result.diagnoses]
    assert "demo.disk_full" in ids  # the bundled group has its own budget
    assert "evil.slow0" in ids  # the pack's own hit before its budget ran out still counts
    assert result.notes == ("<text>: the --kb knowledge used up its matching budget on this input; its entries "
                            "were not looked for in the rest of it",)
    assert not diagnose("demo disk is full\n", kb).notes


def test_the_cli_warns_when_a_pack_runs_out_of_budget(tmp_path, monkeypatch, demo_cli):
    pack = _slow_pack(tmp_path / "pack", entries=1, sigs=50)
    monkeypatch.setattr(index, "PACK_BUDGET", 20_000, raising=False)
    log = tmp_path / "big.log"
    log.write_text("worker error while handling request abc 12\n" * 2_000 + "demo disk is full\n")
    r = demo_cli(["match", "--kb", str(pack), "--format", "json", "-f", str(log)])
    assert r.code == 0 and '"id": "demo.disk_full"' in r.stdout
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("errdiag: warning:")]
    assert len(warnings) == 1 and "--kb knowledge used up its matching budget" in warnings[0]


def test_budgets_group_entries_by_origin(tmp_path):
    pack = _slow_pack(tmp_path / "pack", entries=1, sigs=2)
    kb = load_knowledge([pack], env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=tmp_path, config_dir=None,
                        project=False, entry_points=False)
    plan = kb.index.budgets
    assert plan.names == ["bundled", "cli"] and plan.limit[1] == index.PACK_BUDGET
    bundled_only = load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=tmp_path, config_dir=None,
                                  project=False, entry_points=False)
    assert bundled_only.index.budgets.hit_cost is None  # no counting on the hot path without a pack


# --- load-time limits: one line that names the pack -------------------------------------------------

def _entry(folder: Path, n: int, sigs: int = 1) -> None:
    lines = "\n".join(f'  - literal: "pack error number {n} variant {i}"' for i in range(sigs))
    p = folder / "t" / f"e{n}.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(ENTRY.format(id=f"t.e{n}", sigs=lines))


def test_too_many_entry_files_names_the_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PACK_FILES", 3)
    for n in range(4):
        _entry(tmp_path / "pack", n)
    with pytest.raises(KnowledgeError) as exc:
        load_entries([Root(tmp_path / "pack", "project")])
    msg = str(exc.value)
    assert msg.startswith(str(tmp_path / "pack")) and "knowledge pack (project)" in msg and "4 entry files" in msg
    assert "\n" not in msg


def test_too_many_bytes_names_the_pack_and_run_still_runs(tmp_path, monkeypatch, demo_cli):
    from errdiag.discover import walk

    fixture = sum(f[1] for f in walk(FIXTURE_KB))
    monkeypatch.setattr(limits, "MAX_PACK_BYTES", fixture + 10)
    for n in range(3):
        _entry(tmp_path / "pack", n)
    (tmp_path / "pack" / "t" / "e0.yaml").write_text(
        (tmp_path / "pack" / "t" / "e0.yaml").read_text() + "#" * fixture + "\n")
    r = demo_cli(["match", "--kb", str(tmp_path / "pack"), "demo disk is full"])
    assert r.code == 3 and r.stderr.count("\n") == 1 and "knowledge pack (cli) holds" in r.stderr
    r = demo_cli(["run", "--kb", str(tmp_path / "pack"), "--", "sh", "-c", "echo ran; exit 4"])
    assert r.code == 4 and "ran" in r.stdout and "knowledge pack (cli)" in r.stderr


def test_signatures_per_entry_and_per_pack(tmp_path, monkeypatch):
    _entry(tmp_path / "a", 0, sigs=limits.MAX_SIGNATURES + 1)
    with pytest.raises(KnowledgeError, match=r"signatures: \d+ signatures; the limit is"):
        load_entries([Root(tmp_path / "a", "cli")])
    monkeypatch.setattr(limits, "MAX_PACK_SIGNATURES", 10)  # the demo knowledge has 8
    for n in range(3):
        _entry(tmp_path / "b", n, sigs=4)
    entries, report = load_entries([Root(FIXTURE_KB, "bundled"), Root(tmp_path / "b", "user")], collect=True)
    assert not any(e.origin == "user" for e in entries)  # refused whole, not half loaded
    assert any(e.origin == "bundled" for e in entries)
    assert len(report.errors) == 1 and "more than 10 signatures" in str(report.errors[0])


def test_regex_size_limits(tmp_path, monkeypatch):
    with pytest.raises(regexes.RegexProblem, match="RE2 instructions"):
        regexes.check("error [a-z]{1,1000} [0-9]{1,1000} [a-f]{1,1000} [q-z]{1,1000} [g-p]{1,1000} x")
    p = tmp_path / "p" / "t" / "big.yaml"
    p.parent.mkdir(parents=True)
    p.write_text(ENTRY.format(id="t.big", sigs='  - regex: "error [a-z]{2,8} (?P<n>[0-9]+) done"'))
    monkeypatch.setattr(limits, "MAX_PACK_PROGRAM", 10)
    with pytest.raises(KnowledgeError, match=r"knowledge pack \(cli\): its regexes together exceed"):
        load_entries([Root(tmp_path / "p", "cli")])
    long = ENTRY.format(id="t.big", sigs=f'  - literal: "{"x" * (limits.MAX_PATTERN_CHARS + 1)}"')
    p.write_text(long)
    with pytest.raises(KnowledgeError, match="characters long; the limit is"):
        load_entries([Root(tmp_path / "p", "cli")])


def test_the_bundled_knowledge_is_within_every_limit():
    from errdiag.discover import bundled_root, walk

    files = walk(bundled_root())
    assert len(files) * 2 < limits.MAX_PACK_FILES and sum(f[1] for f in files) * 2 < limits.MAX_PACK_BYTES
    entries, _ = load_entries([Root(bundled_root(), "bundled")])
    total = limits.Totals(Root(bundled_root(), "bundled"))
    for e in entries:
        total.add(e)  # raises past a limit
    assert total.program * 2 < limits.MAX_PACK_PROGRAM  # (bundled, round 6: ~250,000 after 819 entries)


# --- symlinks inside a knowledge folder -------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_link_to_the_root_of_the_filesystem_is_refused_without_walking_it(tmp_path, demo_cli):
    pack = tmp_path / "pack"
    _entry(pack, 0)
    os.symlink("/", pack / "t" / "everything")
    with pytest.raises(KnowledgeError, match="links outside the knowledge folder"):
        load_entries([Root(pack, "cli")])
    r = demo_cli(["match", "--kb", str(pack), "demo disk is full"])
    assert r.code == 3 and r.stderr.count("\n") == 1 and "everything: links outside" in r.stderr
    r = demo_cli(["run", "--kb", str(pack), "--", "sh", "-c", "exit 0"])
    assert r.code == 0 and "links outside" in r.stderr  # skipped with a warning; the command ran


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_file_link_out_of_the_pack_is_not_read(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: [ this is private\n")
    pack = tmp_path / "pack"
    _entry(pack, 0)
    os.symlink(secret, pack / "t" / "x.yaml")
    with pytest.raises(KnowledgeError) as exc:
        load_entries([Root(pack, "cli")])
    assert "links outside" in str(exc.value) and "private" not in str(exc.value)


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loops_inside_a_pack_end(tmp_path):
    pack = tmp_path / "pack"
    _entry(pack, 0)
    os.symlink(pack, pack / "t" / "up")  # back to the pack itself: entered once
    os.symlink(pack / "t" / "self", pack / "t" / "self")  # a link to itself (ELOOP)
    (pack / "t" / "a").mkdir()
    os.symlink(pack / "t" / "b", pack / "t" / "a" / "to_b")
    os.symlink(pack / "t" / "a", pack / "t" / "b")  # a -> b -> a
    entries, _ = load_entries([Root(pack, "cli")])
    assert [e.id for e in entries] == ["t.e0"]
