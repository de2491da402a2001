"""The engine's stages: normalize, candidates + scoring, ranking, diagnoses."""

from __future__ import annotations

import io

import pytest

from errdiag.engine import confidence, diagnose
from errdiag.errors import InputError
from errdiag.inputs import InputSource, read_blocks, text_source
from errdiag.models import fill_placeholders
from errdiag.normalize import clean_line, mask, normalize_block, normalize_line
from errdiag.regexes import derive_anchors

# --- normalize ---------------------------------------------------------------------------------

def test_normalize_block_keeps_newlines_and_strips_noise():
    block = "\x1b[31mError\x1b[0m:  No\tmodule\r\nnamed 'X'\r\n   next\n"
    out = normalize_block(block)
    assert out == "error: no module\nnamed 'x'\nnext\n"
    assert out.count("\n") == block.count("\n")


def test_normalize_line_strips_log_prefixes():
    assert normalize_line("2024-01-02T10:11:12.1234567Z ##[error]Process completed") == "Process completed"
    assert normalize_line("[2024-01-02 10:11:12,123] boom  now") == "boom now"
    assert normalize_line("Jan  3 10:11:12 host sshd[42]: fatal: x") == "fatal: x"


def test_clean_line_keeps_last_carriage_return_redraw():
    assert clean_line("progress 10%\rprogress 100%\rdone\x07") == "done"


def test_mask_volatile_tokens():
    line = 'File "/usr/lib/x.py", line 12 id 123e4567-e89b-12d3-a456-426614174000 at 0xdeadbeef https://x.io/a'
    assert mask(line) == "File <q>, line <n> id <uuid> at <hex> <url>"
    assert mask("open /srv/app/data.db failed") == mask("open /home/bob/x.db failed")


def test_regex_anchor_derivation():
    assert derive_anchors(r"No module named '(?P<m>\w+)") == ["no module named '"]
    assert derive_anchors(r"(?:credit_balance_exhausted|project_spend_limit_exceeded)") == [
        "credit_balance_exhausted", "project_spend_limit_exceeded"]
    assert derive_anchors(r"\d+ \d+") == []


# --- input -------------------------------------------------------------------------------------

def _blocks(data: bytes, size: int = 64) -> list[str]:
    return list(read_blocks(InputSource("t", lambda: io.BytesIO(data), len(data)), block_bytes=size))


def test_blocks_end_on_newlines_and_keep_everything():
    data = b"".join(b"line %d\n" % i for i in range(100))
    blocks = _blocks(data)
    assert "".join(blocks) == data.decode() and all(b.endswith("\n") for b in blocks)


def test_invalid_utf8_and_nul_are_tolerated():
    assert _blocks(b"bad \xff\xfe byte\x00 here\n") == ["bad \ufffd\ufffd byte here\n"]


def test_binary_input_refused():
    with pytest.raises(InputError, match="binary"):
        _blocks(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4)


def test_long_line_is_split_into_bounded_pieces(monkeypatch):
    import errdiag.inputs as inputs

    monkeypatch.setattr(inputs, "MAX_LINE_CHARS", 1000)
    data = ("word " * 2000).encode()
    blocks = _blocks(data, size=512)
    assert "".join(blocks) == data.decode() and max(map(len, blocks)) < 5000


# --- matching and ranking ----------------------------------------------------------------------

def test_line_numbers_count_from_one(demo_kb):
    r = diagnose("a\nb\nc\ndemo disk is full\n", demo_kb)
    assert (r.best.id, r.best.line) == ("demo.disk_full", 4)


def test_literal_may_span_a_wrapped_line(demo_kb):
    assert diagnose("xx demo disk is\n   full", demo_kb).best.id == "demo.disk_full"


def test_case_and_blank_runs_do_not_matter(demo_kb):
    assert diagnose("DEMO   Disk\tIS full", demo_kb).best.id == "demo.disk_full"


def test_code_signature_needs_whole_token(demo_kb):
    assert diagnose("code=demo_quota", demo_kb).best.id == "demo.vendor_quota"
    assert not diagnose("code=demo_quotas_ok", demo_kb).diagnoses


def test_regex_captures_and_derived_placeholders(demo_kb):
    d = diagnose("writer: demo device sdc9 has no space", demo_kb).best
    assert d.captures == {"device": "sdc9"}
    assert d.fill("clean {{device}} {{other}}") == "clean sdc9 <other>"


def test_refining_entry_beats_parent_only_with_its_signature(demo_kb):
    assert diagnose("[demo-platform] run failed: demo quota exhausted", demo_kb).best.id == "demo.platform_quota"
    assert diagnose("error: demo quota exhausted", demo_kb).best.id == "demo.vendor_quota"


def test_generic_wrapper_never_wins_over_a_cause(demo_kb):
    text = "step 1\ndemo disk is full\nstep 2\ndemo job failed with exit code 1\n"
    ids = [d.id for d in diagnose(text, demo_kb).diagnoses]
    assert ids == ["demo.disk_full", "demo.generic_failure"]
    assert diagnose("demo job failed with exit code 2", demo_kb).best.id == "demo.generic_failure"


def test_exclude_near_the_hit_vetoes(demo_kb):
    assert not diagnose("demo quota exhausted via other-vendor.example", demo_kb).diagnoses
    far = "demo quota exhausted\n" + "noise\n" * 50 + "other-vendor.example\n"
    assert diagnose(far, demo_kb).best.id == "demo.vendor_quota"  # another part of a log: not about this hit


def test_context_counts_only_near_the_hit(demo_kb):
    near = diagnose("demo quota exhausted\nat demo-vendor.example", demo_kb).best
    far = diagnose("demo quota exhausted\n" + "noise\n" * 50 + "demo-vendor.example\n", demo_kb).best
    assert near.confidence > far.confidence


def test_context_raises_confidence(demo_kb):
    plain = diagnose("demo quota exhausted", demo_kb).best.confidence
    ctx = diagnose("demo quota exhausted at demo-vendor.example", demo_kb).best.confidence
    assert ctx > plain


def test_repeats_are_one_diagnosis_with_count_and_span(demo_kb):
    text = "".join("ok\n" if i % 7 else "demo disk is full\n" for i in range(1, 3501))
    r = diagnose(text, demo_kb)
    assert len(r.diagnoses) == 1
    d = r.best
    assert (d.count, d.line, d.last_line) == (500, 7, 3500)


def test_excerpt_has_context_and_stops_at_blank_lines(demo_kb):
    text = "unrelated\n\nbefore 2\nbefore 1\ndemo disk is full\nafter 1\n\nlater\n"
    d = diagnose(text, demo_kb).best
    assert d.excerpt.splitlines() == ["before 2", "before 1", "demo disk is full", "after 1"]
    assert d.excerpt_start == 3


def test_benign_text_gets_no_diagnosis(demo_kb):
    r = diagnose("==== 42 passed in 1.2s ====\nBuild succeeded.\n", demo_kb)
    assert r.diagnoses == () and r.best is None


def test_empty_input_is_an_error(demo_kb):
    with pytest.raises(InputError):
        diagnose("  \n\n", demo_kb)


def test_confidence_is_monotonic_and_bounded():
    values = [confidence(x) for x in (0.01, 0.1, 0.5, 1, 2, 5)]
    assert values == sorted(values) and all(0 < v < 1 for v in values)


def test_multiple_sources_keep_their_own_line_numbers(demo_kb):
    srcs = [text_source("x\ndemo disk is full\n", "a.log"), text_source("demo job failed with exit code 3", "b.log")]
    r = diagnose(sources=srcs, kb=demo_kb)
    got = {(d.id, d.source, d.line) for d in r.diagnoses}
    assert got == {("demo.disk_full", "a.log", 2), ("demo.generic_failure", "b.log", 1)}


def test_fill_placeholders():
    assert fill_placeholders("pip install {{ package }}", {"package": "pillow"}) == "pip install pillow"
    assert fill_placeholders("x {{a}}", {}) == "x <a>"


def test_location_named_by_the_error(demo_kb):
    text = 'Traceback:\n  File "src/app.py", line 12, in main\ndemo disk is full\n'
    assert diagnose(text, demo_kb).best.location == ("src/app.py", 12)


def test_public_api_names_are_the_functions():
    import errdiag.engine  # noqa: F401  # the module is `engine`: `errdiag.diagnose` is only the function
    from errdiag import diagnose as fn
    from errdiag import load_knowledge

    assert callable(fn) and callable(load_knowledge)


def test_big_file_scanned_in_halves_gives_the_same_answer(demo_kb, tmp_path, monkeypatch):
    import sys

    from errdiag.inputs import file_source

    engine = sys.modules["errdiag.matching.scan"]
    log = tmp_path / "big.log"
    lines = [f"worker {i} ok\n" for i in range(40_000)]
    lines[100] = "demo disk is full\n"
    lines[30_000] = "demo device sdz has no space\n"
    lines[39_999] = "demo job failed with exit code 3\n"
    log.write_text("".join(lines))
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 10**12)
    one = diagnose(sources=[file_source(str(log))], kb=demo_kb)
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 1)
    two = diagnose(sources=[file_source(str(log))], kb=demo_kb)
    key = [(d.id, d.line, d.last_line, d.count, d.captures, d.excerpt) for d in one.diagnoses]
    assert key == [(d.id, d.line, d.last_line, d.count, d.captures, d.excerpt) for d in two.diagnoses]
    assert one.lines == two.lines == 40_000
    assert [d.id for d in two.diagnoses] == ["demo.disk_full", "demo.generic_failure"]
    assert (two.best.line, two.best.last_line) == (101, 30_001)


def test_halves_number_lines_as_one_pass_with_crlf_and_bare_cr(demo_kb, tmp_path, monkeypatch):
    """The child counts the first part's line breaks itself (LF, CRLF, a bare CR, a CRLF cut by its read
    chunks): the second half's answers carry the line numbers one pass gives."""
    import sys

    from errdiag.inputs import count_lines, file_source

    engine = sys.modules["errdiag.matching.scan"]
    ends = ["\n", "\r\n", "\r"]
    lines = [f"worker {i} ok{ends[i % 3]}" for i in range(30_000)]
    lines[29_000] = "demo device sdz has no space\r\n"
    data = "".join(lines).encode()
    log = tmp_path / "big.log"
    log.write_bytes(data)
    for end in (0, 1, 7, len(data) // 2, len(data)):
        head = data[:end].decode()
        want = head.count("\n") + head.count("\r") - head.count("\r\n")
        for chunk in (1, 2, 3, 1 << 20) if end < 100 else (4093, 1 << 20):  # a CRLF cut between reads
            assert count_lines(str(log), end, chunk) == want, (end, chunk)
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 10**12)
    one = diagnose(sources=[file_source(str(log))], kb=demo_kb)
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 1)
    two = diagnose(sources=[file_source(str(log))], kb=demo_kb)
    assert [(d.id, d.line) for d in one.diagnoses] == [(d.id, d.line) for d in two.diagnoses]
    assert ("demo.disk_full", 29_001) in [(d.id, d.line) for d in two.diagnoses]
    assert one.lines == two.lines


def test_a_paste_finds_every_anchor_the_automaton_finds():
    """Short inputs look for each anchor with bytes.find instead of building the automaton: same hits."""
    import random

    from errdiag.kb import load_knowledge
    from errdiag.regexes import find_each as _find_each

    index = load_knowledge().index
    texts = [t for e in index.entries for t in e.examples_match + e.examples_no_match]
    rng = random.Random(5)
    keys = [k.decode() for k in index.keys]
    texts += [" ".join(rng.choice(keys) for _ in range(6)) + " errorerror failfail" for _ in range(50)]
    for text in texts:
        flat = normalize_block(text).encode().replace(b"\n", b" ")
        want = index.automaton.find_matches_as_indexes(flat, overlapping=True)
        assert _find_each(index.keys, flat) == want  # in the same order too


def test_a_paste_and_a_longer_input_get_the_same_answer():
    from errdiag.kb import load_knowledge

    kb = load_knowledge()
    text = "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\n"
    small = [d.id for d in diagnose(text, kb).diagnoses]
    big = [d.id for d in diagnose(text + "ok\n" * 2000, kb).diagnoses]  # past SMALL_TEXT: the automaton
    assert small and small == big


def test_near_tie_the_error_first_in_the_input_wins():
    """Confidences a hair apart (< NEAR_TIE) are a tie: the earlier line leads, whatever IDF shifts did."""
    from dataclasses import replace

    from errdiag.engine import NEAR_TIE, rank

    found = diagnose("fatal: not a git repository (or any of the parent directories): .git\n"
                     "bash: line 1: kubectl: command not found\n").diagnoses
    first, later = sorted([d for d in found if not d.generic][:2], key=lambda d: d.line)
    assert first.line < later.line
    a, b = replace(first, confidence=0.800), replace(later, confidence=0.800 + NEAR_TIE * 0.6)
    assert [d.id for d in rank([b, a], {})[0]] == [a.id, b.id]
    # a real difference still decides
    c = replace(later, confidence=0.800 + NEAR_TIE * 2)
    assert [d.id for d in rank([a, c], {})[0]] == [c.id, a.id]


def test_near_tie_keeps_a_refining_entry_ahead_of_its_parent():
    # the unit's failure is logged first, the decoded exit status below it: both about one failure, and the
    # refining entry (put a small margin above its parent by design) still leads within a near-tie
    from dataclasses import replace

    from errdiag.engine import NEAR_TIE, rank

    log = ("Mar 02 10:00:01 web1 systemd[1]: api.service: Failed with result 'exit-code'.\n"
           "Mar 02 10:00:05 web1 systemd[1]: api.service: Main process exited, code=exited, status=203/EXEC\n")
    got = {d.id: d for d in diagnose(log).diagnoses}
    parent, child = got["systemd.unit_failed"], got["systemd.exec_status"]
    assert child.entry.refines == parent.id and parent.line < child.line
    a, b = replace(parent, confidence=0.800), replace(child, confidence=0.800 + NEAR_TIE * 0.4)
    assert [d.id for d in rank([a, b], {})[0]] == [b.id, a.id]


# --- notices: a warning the tool went on after ------------------------------------------------------------------

_BREW_WENT_ON = ("me@mac:~$ brew install automake libtool cmake\n"
                 "Warning: automake-1.16.5 already installed\n"
                 "Warning: libtool-2.4.7 already installed\n"
                 "Warning: cmake-3.27.1 already installed\n"
                 "me@mac:~$ pip install --user nupic\n"
                 "Collecting nupic\n"
                 "  Downloading nupic-1.0.5.tar.gz (10.9 MB)\n"
                 "Building wheels for collected packages: nupic\n"
                 "  Building wheel for nupic (setup.py) ... done\n"
                 "Installing collected packages: nupic\n"
                 "Successfully installed nupic-1.0.5\n")


def test_a_notice_in_a_log_that_went_on_is_not_answered():
    """An entry tagged `notice` (brew's "already installed") read only from warning lines of a log that shows no
    failure is no answer: the tool went on after it."""
    assert diagnose(_BREW_WENT_ON).diagnoses == ()


def test_a_notice_pasted_alone_or_beside_a_failure_is_answered():
    alone = "$ brew install jq\nWarning: jq 1.7.1 is already installed and up-to-date.\n"
    assert diagnose(alone).best.id == "brew.already_installed"
    failed = _BREW_WENT_ON.replace("Successfully installed nupic-1.0.5\n",
                                   "Error: Command 'brew link automake' returned non-zero exit status 1.\n")
    assert "brew.already_installed" in [d.id for d in diagnose(failed).diagnoses]


def test_a_warning_that_is_a_failure_keeps_its_answer_in_a_log():
    # Fabric says a task does not exist at warning level and stops: its entry has no `notice` tag
    text = ("$ fab deloyp\n\nWarning: Command(s) not found:\n    deloyp\n\nAvailable commands:\n\n"
            + "".join(f"    task_{i}\n" for i in range(12)))
    assert diagnose(text).best.id == "fab.command_not_found"


def test_a_refining_answer_leads_its_parent_only_when_it_is_sure():
    """CMake's `-- Building for: NMake Makefiles` is a hint of cmake.nmake_not_found (it refines
    cmake.compiler_not_found) but not proof: evidence below REFINE_EVIDENCE does not take the parent's place at the
    key line."""
    from errdiag.engine import REFINE_EVIDENCE, strongest

    log = ("cmake -S . -B build -A x64\n"
           "-- Building for: NMake Makefiles\n"
           "CMake Error: CMAKE_C_COMPILER not set, after EnableLanguage\n"
           "CMake Error: CMAKE_CXX_COMPILER not set, after EnableLanguage\n"
           "-- Configuring incomplete, errors occurred!\n")
    got = {d.id: d for d in diagnose(log).diagnoses}
    hint = got["cmake.nmake_not_found"]
    assert hint.entry.refines == "cmake.compiler_not_found" and strongest(hint) < REFINE_EVIDENCE
    assert diagnose(log).best.id == "cmake.compiler_not_found"
    sure = log.replace("-- Building for: NMake Makefiles\n",
                       "-- Building for: NMake Makefiles\nCMake Error at CMakeLists.txt:3 (project):\n  Running\n\n"
                       "   'nmake' '-?'\n\n  failed with:\n\n   The system cannot find the file specified\n\n")
    assert diagnose(sure).best.id == "cmake.nmake_not_found"
