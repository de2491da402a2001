"""The Hyperscan prefilter of big inputs (errdiag/matching/prefilter.py): its patterns are supersets of
what the exact tier's regex check accepts, the output is the same with and without it, a late real error
is found however noisy the log, a bad cache file means a rebuild, and without the wheel nothing changes."""

from __future__ import annotations

import json

import pytest

from errdiag import diagnose, load_knowledge
from errdiag.matching import exact, prefilter
from errdiag.normalize import normalize_block, normalize_line


@pytest.fixture
def hs():
    """The wheel (the tests that need it are skipped where it is not installed: .ci/run runs them both ways)."""
    return pytest.importorskip("hyperscan")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(env={}, config_dir=None, project=False, entry_points=False)


@pytest.fixture
def small_thresholds(monkeypatch, tmp_path, kb):
    """The prefilter from the first block on, for signatures tried a few times; its own cache folder."""
    monkeypatch.setattr(exact, "PREFILTER_AFTER", 0)
    monkeypatch.setattr(exact, "COMPILE_AFTER", 0)
    monkeypatch.setattr(exact, "NOISY_TRIES", 3)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(kb, "cache_dir", cache)
    return cache


def _db(patterns: list[str]):
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_UTF8
    db.compile(expressions=[prefilter.hs_pattern(p).encode() for p in patterns], ids=list(range(len(patterns))),
               elements=len(patterns), flags=flags)
    return db


def _hits(db, text: str) -> set[int]:
    got: set[int] = set()
    db.scan(normalize_block(text).encode(), match_event_handler=lambda i, *_: got.add(i))
    return got


@pytest.mark.parametrize(("pattern", "raw"), [
    (r"^FAIL\s+(?P<pkg>[\w./~-]+)\s+[\d.]+s$", "FAIL\tgithub.com/acme/pkg   0.12s"),  # tab and a run of blanks
    (r"^error: could not find module (?P<m>\S+)$", "2024-05-01T10:00:00Z ##[error]error: could not find module x"),
    (r"Cannot find module '(?P<m>[^']+)'", "Error: Cannot find\n  module 'left-pad'"),  # wrapped over two lines
    (r"foo.bar", "FOO  BAR"),  # `.` stands for a blank that was a run of them
    (r"conflicting types for ['‘](?P<s>[^'’]+)['’]", "x.c:3:5: error: conflicting types for ‘Ünï’"),
    (r"^\s*No such file or directory\.?$", "    No such file or directory."),
    (r"status(?: code)?:? 403\]? Forbidden", "HTTP status code:   403 Forbidden"),
    (r".{0,400}Check the render method of `(?P<c>[^`]{1,80})`", "x y z. Check the render method of `App`."),
    # case folds RE2 makes and Python's lower() does not: `ſ` is an `s`, `ς` a `σ`, `µ` (micro) a `μ`
    (r"No such file or directory", "No ſuch file or directory"),
    (r"missing (?P<w>\w+) in [a-z]+", "miſſing ſection in caſe"),
    (r"conflicting types for σ", "conflicting types for ς"),
    (r"ΜΕΓΑΛΟ μ", "μεγαλο µ"),
])
def test_the_pattern_is_a_superset_of_what_the_regex_check_accepts(hs, pattern, raw):
    from errdiag import regexes

    lines = raw.split("\n")
    joined = " ".join(normalize_line(x) for x in lines)
    assert regexes.compile_signature(pattern).search(joined)  # the exact check accepts it
    big = "line of filler text\n" * 60_000 + raw + "\n"  # over normalize_block's full-collapse size
    for text in (raw + "\n", big):
        assert _hits(_db([pattern]), text) == {0}


def test_every_bundled_regex_can_be_written_for_hyperscan(kb):
    broken = []
    for e in kb.entries:
        for s in e.signatures:
            if s.kind == "regex":
                try:
                    prefilter.hs_pattern(s.pattern)
                except prefilter.Unsupported as exc:
                    broken.append((e.id, s.pattern, str(exc)))
    assert broken == []


def test_the_bundled_examples_pass_a_sample_of_their_own_prefilters(hs, kb):
    """Wherever a regex of a sample of bundled entries accepts one of their `examples.match` texts the way
    the exact tier checks it (a line, the message after its level, or the lines joined), its pattern hits."""
    from errdiag import regexes
    from errdiag.normalize import after_level

    sigs = [s for e in kb.entries for s in e.signatures if s.kind == "regex"][::10]
    owner = {id(s): e for e in kb.entries for s in e.signatures}
    db = _db([s.pattern for s in sigs])
    missed, checked = [], 0
    for i, s in enumerate(sigs):
        rx = regexes.compile_signature(s.pattern)
        for text in owner[id(s)].examples_match:
            lines = [normalize_line(x) for x in text.split("\n")]
            views = lines + [after_level(x) or "" for x in lines] + [" ".join(lines)]
            if any(rx.search(v) for v in views):
                checked += 1
                if i not in _hits(db, text):
                    missed.append(s.pattern)
    assert checked > 100
    assert missed == []


def _noisy_log(real_at_end: str) -> str:
    noise = "".join(f"2024-01-01 10:{i // 60 % 60:02d}:{i % 60:02d} worker FAIL: retrying job {i}\n"
                    for i in range(600))
    return noise + real_at_end


def _json(result) -> list:
    return [(d.entry.id, d.line, round(d.confidence, 6)) for d in result.diagnoses]


def test_a_late_real_error_is_found_however_noisy_its_anchor(hs, kb, small_thresholds, monkeypatch):
    """MAX_REGEX_TRIES used to run out on a big log before its real `FAIL pkg 0.1s` line was reached."""
    monkeypatch.setattr(exact, "MAX_REGEX_TRIES", 50)
    text = _noisy_log("FAIL\tgithub.com/acme/widgets\t0.412s\n")
    with_prefilter = {d.entry.id: d.line for d in diagnose(text, kb).diagnoses}
    assert with_prefilter.get("go.test_failed") == 601
    monkeypatch.setattr(prefilter, "DISABLED", True)  # the anchor path: the budget runs out first
    assert "go.test_failed" not in {d.entry.id for d in diagnose(text, kb).diagnoses}


def test_the_same_answers_with_and_without_it(hs, kb, small_thresholds, monkeypatch):
    text = _noisy_log("npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\n"
                      "ModuleNotFoundError: No module named 'requests'\n")
    on = diagnose(text, kb)
    assert list(small_thresholds.glob("hs-*.db"))  # it ran, and cached its database
    monkeypatch.setattr(prefilter, "DISABLED", True)
    off = diagnose(text, kb)
    assert _json(on) == _json(off)
    assert [(k.line, k.text) for k in on.key_lines] == [(k.line, k.text) for k in off.key_lines]


def test_a_bad_cache_file_means_a_rebuild(hs, kb, small_thresholds):
    text = _noisy_log("FAIL\tgithub.com/acme/widgets\t0.412s\n")
    first = _json(diagnose(text, kb))
    (path,) = small_thresholds.glob("hs-*.db")
    for junk in (b"errdiag-hs\n" + json.dumps({"sigs": [[0, 99]], "refused": []}).encode() + b"\n"
                 + path.read_bytes()[-5000:],):  # (a signature it does not have, a truncated database)
        path.write_bytes(junk)
        assert _json(diagnose(text, kb)) == first
        assert path.read_bytes().startswith(b"errdiag-hs\n") and len(path.read_bytes()) > 1000  # rewritten


def test_without_the_wheel_the_anchor_path_runs(kb, small_thresholds, monkeypatch):
    """Forced here; .ci/run also runs this file with the wheel uninstalled."""
    monkeypatch.setattr(prefilter, "DISABLED", True)
    assert not prefilter.available()
    text = _noisy_log("npm ERR! code ERESOLVE\n")
    assert "npm.eresolve" in {d.entry.id for d in diagnose(text, kb).diagnoses}
    assert not list(small_thresholds.glob("hs-*.db"))


def _exact_hits(kb, text: str, entry_id: str, sig_no: int) -> tuple[int, int] | None:
    """(first line, count) of one signature of a bundled entry in `text`, scanned as one block."""
    tier = exact.ExactTier(kb.index)
    tier.cache_dir = kb.cache_dir
    tier.feed(text, normalize_block(text), 1)
    hits = tier.hits.get(kb.index.by_id[entry_id])
    stat = hits.sigs.get(sig_no) if hits else None
    return (stat.first, stat.count) if stat else None


_CMAKE_NOISE = "".join(f"cache file {i} does not exist, creating it\n" for i in range(8))  # its regex's anchor


@pytest.mark.parametrize("message", [
    # a match that ends three lines below where it begins; the anchor (`does not exist`) is on the third
    "CMake Error:\nFile /src/config.h.in\ndoes not\nexist.\n",
    # a control character inside the message (normalize_line drops it, the block keeps it)
    "CMake\x07 Error: File /src/config.h.in does not exist.\n",
])
def test_the_same_line_as_the_anchor_path_for_awkward_messages(hs, kb, small_thresholds, monkeypatch, message):
    text = _CMAKE_NOISE + "ok\n" * 3 + message + "ok\n" * 3 + _CMAKE_NOISE
    with_prefilter = _exact_hits(kb, text, "cmake.configure_file_input_missing", 0)
    assert list(small_thresholds.glob("hs-*.db"))  # the signature was noisy: the prefilter looked for it
    monkeypatch.setattr(prefilter, "DISABLED", True)
    assert with_prefilter == _exact_hits(kb, text, "cmake.configure_file_input_missing", 0) == (12, 1)


def test_without_a_cache_folder_the_database_is_compiled_once_per_process(hs, kb, small_thresholds, monkeypatch):
    """A library caller whose knowledge base has no cache folder: the database is kept in memory."""
    monkeypatch.setattr(kb, "cache_dir", None)
    monkeypatch.setattr(prefilter, "_MEMO", {})
    compiled = []
    real = prefilter._compile_for
    monkeypatch.setattr(prefilter, "_compile_for", lambda *a: compiled.append(1) or real(*a))
    text = _noisy_log("FAIL\tgithub.com/acme/widgets\t0.412s\n")
    first = _json(diagnose(text, kb))
    assert _json(diagnose(text, kb)) == first
    assert compiled == [1]
    assert not list(small_thresholds.glob("hs-*.db"))  # (nothing written anywhere)


def test_a_signature_noisy_only_further_on_joins_the_prefilter(hs, kb, small_thresholds, monkeypatch):
    """The signatures are chosen on the first part of a log; one that turns noisy further on (another step,
    another service) joins at the next check, and finds the same as the anchor path."""
    blocks = [_noisy_log(""), _CMAKE_NOISE * 4, "ok\n" * 3 + "CMake Error: File /src/config.h.in does not exist.\n"]
    key = (kb.index.by_id["cmake.configure_file_input_missing"], 0)

    def scan() -> exact.ExactTier:
        tier = exact.ExactTier(kb.index)
        tier.cache_dir = kb.cache_dir
        line = 1
        for block in blocks:
            tier.feed(block, normalize_block(block), line)
            line += block.count("\n")
        return tier

    tier = scan()
    assert key in tier._prefilter.moved  # (the first block chose the `FAIL` signatures only)
    found = tier.hits[key[0]].sigs[0]
    monkeypatch.setattr(prefilter, "DISABLED", True)
    anchors = scan().hits[key[0]].sigs[0]
    assert (found.first, found.count) == (anchors.first, anchors.count) == (600 + 32 + 4, 1)
