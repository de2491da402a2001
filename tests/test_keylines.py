"""Key lines: where a log says it failed (errdiag/matching/keylines.py), and known errors anywhere in a log."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from errdiag import diagnose, load_knowledge
from errdiag.inputs import text_source
from errdiag.matching.keylines import Baseline, KeyLineFinder, shape

from .conftest import SHARED


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def keys(text: str, kb, baseline: str | None = None) -> list[int]:
    passing = [text_source(baseline, "pass.log")] if baseline is not None else ()
    return [k.line for k in diagnose(text, kb, baseline=passing).key_lines]


def test_shapes():
    assert shape("src/app.c:12:5: error: unknown type name 'foo'").kind == "compiler error"
    assert shape("E       assert 6 == 7").kind == "assertion"
    assert shape("Caused by: java.io.IOException: disk").kind == "root cause"
    assert shape("make: *** [Makefile:3: app] Error 1").wrapper
    assert shape("npm ERR! code ELIFECYCLE").wrapper
    assert shape("Finished: SUCCESS").success and shape("===== 3 passed in 0.2s =====").success
    for harmless in ("Downloading error_prone_annotations-2.3.jar", "gcc -Werror -c x.c", "Tests run: 5, Failures: 0, "
                     "Errors: 0, Skipped: 0", "[INFO] BUILD SUCCESS", "$ make test", "0 errors, 0 warnings"):
        assert shape(harmless).score < 0.3, harmless


def test_cause_above_wrapper_leads(kb):
    log = "cc -c main.c\nmain.c:5:20: error: 'totl' undeclared\nmake: *** [Makefile:5: main.o] Error 1\n"
    assert keys(log, kb)[0] == 2


def test_passing_log_is_quiet(kb):
    log = "collected 3 items\nWARNING: retrying after connection error\ntest_a.py ...\n===== 3 passed in 0.21s =====\n"
    assert keys(log, kb) == []


def test_error_in_a_step_that_succeeded_is_a_note(kb):
    steps = ["##[group]Run actions/checkout@v4", "fatal: not a git repository (or any of the parent directories): .git",
             "##[group]Run make", "gcc -c main.c", "main.c:5:20: error: 'totl' undeclared",
             "make: *** [main.o] Error 1",
             "##[error]Process completed with exit code 2.", "Post job cleanup."]
    log = "".join(f"2026-03-14T09:30:{i:02d}.1000000Z {s}\n" for i, s in enumerate(steps))
    result = diagnose(log, kb)
    assert result.key_lines[0].line == 5
    git = [d for d in result.diagnoses if d.id == "git.not_a_repository"]
    assert git and not git[0].fatal


def test_gha_log_without_failure_is_quiet(kb):
    steps = ["##[group]Run actions/checkout@v4", "fatal: not a git repository (or any of the parent directories): .git",
             "##[group]Run make", "gcc -c main.c", "Post job cleanup.", "Cleaning up orphan processes"]
    assert keys("".join(s + "\n" for s in steps), kb) == []


def test_baseline_lowers_lines_of_the_passing_run(kb):
    noise = "ERROR: cache server unreachable, building without cache\n"
    fail = noise + "step 2\nERROR: tests/test_x.py::test_y assertion failed\n"
    assert keys(fail, kb)[0] == 1  # without a baseline the first error leads (same shape, same step)
    assert keys(fail, kb, baseline=noise.replace("unreachable", "unreachable") + "all good\n")[0] == 3


def test_bare_carriage_return_ends_a_line(kb):
    log = "progress 10%\rprogress 100%\rdone\nfatal: unable to access 'https://x/': 503\n"
    assert keys(log, kb)[0] == 4


def test_merge_of_two_halves_equals_one_pass():
    lines = [f"INFO step {i}" for i in range(500)]
    lines[120] = "ERROR: first thing failed"
    lines[430] = "java.lang.IllegalStateException: boom"
    text = "\n".join(lines) + "\n"
    one = KeyLineFinder("x")
    one.feed(text)
    first, second = "\n".join(lines[:250]) + "\n", "\n".join(lines[250:]) + "\n"
    a, b = KeyLineFinder("x"), KeyLineFinder("x")
    a.feed(first)
    b.feed(second, start_line=251)
    a.merge(b.state())
    assert [(k.line, k.score) for k in a.finish()] == [(k.line, k.score) for k in one.finish()]


def test_baseline_filter_is_bounded():
    b = Baseline()
    for i in range(2000):
        b.add(f"ERROR: thing {i} failed at /tmp/x{i}")
    assert b.seen("ERROR: thing 77 failed at /tmp/other") and len(b.bits) == (1 << 24) // 8


def test_bgl_neighbours_do_not_hide_a_known_error(kb):
    """Issue 10 item 5: two unrelated `RAS APP FATAL ciod: ... Permission denied` records above a pasted
    pip build failure vetoed it (exclude phrases were looked for 30 lines around, in any log stream)."""
    cases = yaml.safe_load((SHARED / "eval" / "dev.yaml").read_text())
    text = next(c for c in cases if c["id"] == "pip.wheel_build_failed")["cases"][0]["text"].rstrip("\n")
    lines = (SHARED / "data" / "loghub" / "BGL_2k.log").read_text().split("\n")
    for start in (1529, 1531):
        doc = "\n".join(lines[start - 1:1545] + [text] + lines[1545:1600]) + "\n"
        assert diagnose(doc, kb).best.id == "pip.wheel_build_failed", start


def test_known_errors_planted_anywhere_in_loghub_are_found_on_their_lines(kb):
    """A property, on a seeded sample (bench runs it wider): every dev case planted at a random place in a
    Loghub log is reported on its own line."""
    rng = random.Random(10)
    cases = yaml.safe_load((SHARED / "eval" / "dev.yaml").read_text())
    alone = {}
    for c in rng.sample(cases, 24):
        text = c["cases"][0]["text"].rstrip("\n")
        best = diagnose(text, kb).best
        if best is not None and best.id == c["id"]:
            alone[c["id"]] = (text, best.line)
    missed = []
    for log in sorted((SHARED / "data" / "loghub").glob("*.log")):
        lines = log.read_text(errors="replace").split("\n")
        for cid in rng.sample(sorted(alone), 3):
            text, line = alone[cid]
            at = rng.randrange(len(lines))
            before, after = lines[max(0, at - 30):at], lines[at:at + 30]
            found = diagnose("\n".join(before + [text] + after) + "\n", kb)
            if not any(d.id == cid and d.line == len(before) + line for d in found.diagnoses):
                missed.append((log.name, cid, at))
    assert not missed


# --- kinds of CI text found on the held-out logs (bench/logs_holdout) --------------------------------------

def test_gitlab_stream_prefix_and_buildkite_timestamps_are_stripped(kb):
    from errdiag.matching.keylines import display_text
    from errdiag.normalize import normalize_block, normalize_line

    assert normalize_line("2024-01-01T00:00:00.000000Z 00E PHP Parse error: x") == "PHP Parse error: x"
    assert normalize_line("2024-01-01T00:00:00.000000Z 00O+continued") == "continued"
    shown = display_text("2024-01-01T00:00:00.000000Z 00O main.go:6:14: undefined: Sum")
    assert shown == "main.go:6:14: undefined: Sum"
    assert normalize_block("2024-01-01T00:00:00.000000Z 00O a\n2024-01-01T00:00:01.000000Z 00E b\n") == "a\nb\n"
    assert display_text("\x1b_bk;t=1762178530014\x07./x.go:6:9: bad") == "./x.go:6:9: bad"
    assert normalize_line("2024-01-01T00:00:00Z 00Error handler") == "00Error handler"  # not a stream: kept
    lines = ["\x1b[32;1m$ go build ./...\x1b[0;m", "# example.com/calc/main", "main/main.go:6:14: undefined: Sum",
             "\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m"]
    log = "".join(f"2024-01-01T00:00:0{i}.000000Z 00{'E' if i == 2 else 'O'} {x}\n" for i, x in enumerate(lines))
    assert keys(log, kb)[0] == 3
    bk = "".join(f"\x1b_bk;t={1000 + i}\x07{x}\n" for i, x in enumerate(
        ["--- go", "$ go vet ./...", "./report.go:6:9: fmt.Sprintf format %s has arg n of wrong type int",
         "\U0001f6a8 Error: The command exited with status 1", "user command error: exit status 1"]))
    assert keys(bk, kb)[0] == 3


def test_summary_and_marker_shapes():
    assert shape("##[error]Bash exited with code '1'.").wrapper  # Azure Pipelines' wording
    assert shape("\u274c  /src/App.swift:97:2: unknown attribute 'dynamicMemberLookup'").score >= 0.9
    assert shape("1/1 Test #1: unit .............***Failed    0.00 sec").kind == "failing test"
    assert shape("app.rb:2:13: C: [Correctable] Style/SymbolProc: Pass &:price").kind == "lint finding"
    assert shape("1 file inspected, 3 offenses detected").wrapper
    assert shape("** TEST BUILD FAILED **").wrapper and shape("The following build commands failed:").wrapper
    assert shape("thread 'tests::big' (2638) panicked at src/lib.rs:16:9:").kind == "crash"  # rustc >= 1.88 thread ids
    for harmless in ("100% tests passed, 0 tests failed out of 1", "No syntax errors detected in src/add.php",
                     "0 tests failed"):
        assert shape(harmless).score < 0.3, harmless


def test_warning_block_lines_are_warnings(kb):
    log = ("Compiling Main\nWarnings:\n  The following package version could not be parsed:\n    * newtype\n"
           "OK (2.4s)\n\n8 out of 890 tests failed (174.90s)\n\nTest suite failure for package app-0.13.2\n"
           "    tests:  exited with: ExitFailure 1\n")
    assert keys(log, kb)[0] == 7  # the test summary, not the warning above it


def test_the_first_summary_leads_when_no_cause_is_visible(kb):
    log = ("running 12 tests\n8 out of 12 tests failed (1.2s)\nsome output\n"
           "The command \"ci/build.sh\" exited with 1.\n\nDone. Your build exited with 1.\n")
    assert keys(log, kb)[0] == 2


def test_two_known_errors_the_surer_one_leads(kb):
    # holdout git.unrelated_histories#0: a `git push --set-upstream` line above the real error used to win a
    # near-tie because the second recognised line counted as a cascade of the first
    log = "git push --set-upstream base1 master\ngit pull base1 master\n refusing to merge unrelated histories\n"
    result = diagnose(log, kb)
    assert result.key_lines[0].line == 3
    assert result.best.id == "git.unrelated_histories"


def test_checkout_housekeeping_is_not_dubious_ownership(kb):
    log = ("Adding repository directory to the temporary git global config as a safe directory\n"
           "[command]/usr/bin/git config --global --add safe.directory /home/runner/work/app/app\n")
    assert not [d for d in diagnose(log, kb).diagnoses if d.id == "git.dubious_ownership"]


def test_runner_prefixes_do_not_hide_a_line_shape():
    from errdiag.matching.keylines import display_text

    shown = {
        'Step #3 - "unit": fatal: unable to access the remote': "fatal: unable to access the remote",
        "Step #1: lib/db.c:7:3: error: expected ';'": "lib/db.c:7:3: error: expected ';'",
        "[lint : eslint] src/ui.js:4:1: error x": "src/ui.js:4:1: error x",
        "[unit] not ok 3 - parses dates": "not ok 3 - parses dates",
        "[pod/api-7f9/server] panic: nil map": "panic: nil map",
        "release-x8kq2-compile-1180342211: make: *** [all] Error 2": "make: *** [all] Error 2",
        "error\t11-Feb-2027 08:15:40\tsrc/Db.hs:9:1: error:": "src/Db.hs:9:1: error:",
        "[Container] 2027/02/11 08:15:40.123456 Running command make": "Running command make",
    }
    for raw, want in shown.items():
        assert display_text(raw) == want, raw
    for kept in ("[ERROR] Failed to execute goal", "[warn] src/a.js", "[command]/usr/bin/git version",
                 "[Pipeline] stage", "[OK] parses dates", "[FAILED] parses dates", "[emerg] bind() failed"):
        assert display_text(kept) == kept


def test_new_kinds_of_failure_lines():
    assert shape("WARNING: DATA RACE").kind == "data race" and shape("WARNING: DATA RACE").score >= 0.9
    assert shape("would reformat /w/app/models.py").kind == "file the format check rejects"
    assert shape("Diff in /w/crate/src/io.rs at line 12:").kind == "file the format check rejects"
    assert shape("Diff in /w/crate/src/io.rs:12:").kind == "file the format check rejects"
    assert shape("3 files would be reformatted, 9 files would be left unchanged.").wrapper
    assert shape("[warn] Code style issues found in 2 files. Run Prettier with --write to fix.").wrapper
    assert shape("** (ArgumentError) argument error").kind == "exception"
    assert shape("There were 2 failures:").wrapper and shape("3 failing").wrapper
    assert shape("4 tests, 1 failure").wrapper
    assert shape("/w/t_parse.nim(14, 9): Check failed: parse(\"\") == 0").kind == "assertion"
    assert shape("io.nim(3, 8) Error: undeclared identifier: 'opn'").kind == "compiler error"
    assert shape("Failed asserting that false is true.").kind == "assertion"
    for harmless in ('time="2027-02-11T08:15:40Z" level=info msg="sub-process exited" argo=true error="<nil>"',
                     '{"level":"debug","msg":"retry after error"}', "0 files would be reformatted"):
        assert shape(harmless).score < 0.3, harmless


def test_unittest_header_ranks_below_the_exception_it_reports(kb):
    log = ("test_load (test_cfg.LoadTest) ... ERROR\n\n" + "=" * 70 + "\nERROR: test_load (test_cfg.LoadTest)\n"
           + "-" * 70 + "\nTraceback (most recent call last):\n  File \"/w/test_cfg.py\", line 9, in test_load\n"
           "    cfg = load('missing.ini')\nKeyError: 'section'\n\n" + "-" * 70 + "\nRan 3 tests in 0.004s\n\n"
           "FAILED (errors=1)\n")
    assert keys(log, kb)[0] == 9


def test_a_format_check_lists_bare_file_names(kb):
    # terraform fmt -check and gofmt -l print only the files that are not formatted, and fail
    tf = ("+ terraform fmt -check -recursive\nmodules/net/vpc.tf\nenv/prod.tf\n"
          "Build step 'Execute shell' marked build as failure\n")
    assert keys(tf, kb)[:2] == [2, 3]
    go = "$ gofmt -s -l .\ninternal/db/pool.go\nERROR: Job failed: exit code 1\n"
    assert keys(go, kb)[0] == 2
    # the same command in a passing run prints nothing: nothing to find
    assert keys("+ terraform fmt -check -recursive\n+ terraform validate\nSuccess! The configuration is valid.\n",
                kb) == []


def test_bamboo_tasks_are_steps(kb):
    rows = [("simple", "Starting task 'Checkout' of type 'vcs'"), ("error", "warning: redirecting to https://x"),
            ("simple", "Finished task 'Checkout' with result: Success"),
            ("simple", "Starting task 'Build' of type 'script'"),
            ("build", "src/io.c:3:1: error: unknown type name 'sizet'"),
            ("simple", "Failing task since return code of [/bin/sh build.sh] was 2 while expected 0"),
            ("simple", "Finished task 'Build' with result: Failed")]
    log = "".join(f"{k}\t11-Feb-2027 08:15:4{i}\t{t}\n" for i, (k, t) in enumerate(rows))
    assert keys(log, kb)[0] == 5


def test_entries_see_through_runner_prefixes(kb):
    body = ["--- FAIL: TestParseDates (0.00s)", "    dates_test.go:41: unexpected EOF", "FAIL",
            "FAIL\texample.com/cal/dates\t0.011s"]
    for prefix in ('Step #2 - "unit": ', "[verify : go-test] ", "ci-q7z-unit-3312870412: ",
                   "build\t11-Feb-2027 08:15:40\t", "[pod/api-7f9/unit] "):
        best = diagnose("".join(prefix + x + "\n" for x in body), kb).best
        assert best is not None and best.id == "go.test_failed", prefix
        assert best.captures.get("test") == "TestParseDates", prefix
    # a tool's own tag stays: entries match on it
    from errdiag.normalize import normalize_line

    assert normalize_line("[nodemon] app crashed - waiting for file changes before starting...").startswith("[nodemon]")


def test_keywords_of_a_small_text_are_found_as_the_automaton_finds_them():
    """A paste skips building the automaton: the one-by-one search must give the same matches."""
    from errdiag.matching import keylines as kl
    from errdiag.normalize import normalize_block

    rnd = random.Random(7)
    logs = sorted((Path(__file__).parent.parent / "bench" / "logs").glob("*.log"))
    assert logs
    for path in logs:
        data = path.read_text(encoding="utf-8", errors="replace")
        for _ in range(5):
            at = rnd.randrange(max(1, len(data) - 2500))
            t = normalize_block(data[at:at + rnd.randrange(20, 2500)]).encode("utf-8")[:kl.SMALL_TEXT]
            assert kl._find(t) == kl._ac().find_matches_as_indexes(t), path.name


# --- round 5: kinds the tune5 logs (bench/logs/tune5) showed -------------------------------------------

def test_a_panic_leads_the_progress_line_of_its_test(kb):
    log = ("running 3 tests\ntest tests::adds_one ... ok\ntest tests::adds_big ... FAILED\n"
           "test tests::adds_two ... ok\n\nfailures:\n\n---- tests::adds_big stdout ----\n"
           "thread 'tests::adds_big' (4242) panicked at src/lib.rs:40:9:\nassertion `left == right` failed\n"
           "  left: 14\n right: 13\n\nfailures:\n    tests::adds_big\n\n"
           "test result: FAILED. 2 passed; 1 failed; 0 ignored\n\nerror: test failed, to rerun pass `--lib`\n")
    assert keys(log, kb)[0] == 9


def test_jenkins_post_actions_and_skipped_stages_are_not_the_failing_stage(kb):
    lines = ["[Pipeline] stage", "[Pipeline] { (Build)", "+ make", "main.c:5:20: error: 'totl' undeclared",
             "make: *** [main.o] Error 1", "[Pipeline] }", "[Pipeline] // stage",
             "[Pipeline] stage", "[Pipeline] { (Deploy)", "Stage \"Deploy\" skipped due to earlier failure(s)",
             "[Pipeline] }", "[Pipeline] // stage",
             "[Pipeline] stage", "[Pipeline] { (Declarative: Post Actions)", "[Pipeline] archiveArtifacts",
             "Archiving artifacts", "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] End of Pipeline",
             "ERROR: script returned exit code 2", "Finished: FAILURE"]
    assert keys("\n".join(lines) + "\n", kb)[0] == 4


def test_a_verdict_after_the_post_part_does_not_stretch_the_failing_section(kb):
    lines = ["section_start:1:build[collapsed=true]", "$ make", "main.c:5:20: error: 'totl' undeclared",
             "make: *** [main.o] Error 1", "section_end:2:build", "section_start:3:after_script",
             "$ cat timings.txt", "cat: timings.txt: No such file or directory", "section_end:4:after_script",
             "ERROR: Job failed: exit code 1"]
    finder = KeyLineFinder()
    finder.feed("\n".join(lines) + "\n")
    v = finder.verdict()
    assert v.failing == (1, 5)
    assert keys("\n".join(lines) + "\n", kb)[0] == 3


def test_an_earlier_traced_command_of_the_failing_step_holds_notes(kb):
    lines = ["##[section]Starting: Build", "+ python3 -c 'import ujson'", "Traceback (most recent call last):",
             "ModuleNotFoundError: No module named 'ujson'", "+ cmake -S . -B build",
             "CMake Error at CMakeLists.txt:3 (add_subdirectory):", "  add_subdirectory given source \"fmt\" which is "
             "not a directory.", "-- Configuring incomplete, errors occurred!", "##[error]Bash exited with code '1'.",
             "##[section]Finishing: Build"]
    assert keys("\n".join(lines) + "\n", kb)[0] == 6


def test_round5_line_shapes():
    assert shape("npm error code EUSAGE").score >= 0.8
    assert shape("npm error A complete log of this run can be found in: /root/.npm/_logs/x.log").score == 0
    assert shape('#8 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1').wrapper
    assert shape("CMake Error at CMakeLists.txt:3 (find_package):").score >= 0.9
    assert shape("-- Configuring incomplete, errors occurred!").wrapper
    assert shape("Failure -> spec/calc_spec.lua @ 7").kind == "failing test"  # busted
    assert shape("1 success / 1 failure / 0 errors / 0 pending : 0.01 seconds").wrapper
    assert shape("calc: add_large_test...*failed*").kind == "failing test"  # EUnit
    assert shape("\u2718 [fail]: adds large numbers").kind == "failing test"  # AVA
    assert shape("failed").wrapper and shape("succeeded").success  # Concourse's final status
    assert shape("calc_test.go:22: Add(6, 6) = 13, want 12").kind == "assertion"
    # a test file's header and pytest's short summary rank below the lines that say why
    assert shape("FAIL ./calc.test.js").score < shape("\u25cf add \u203a adds large numbers").score
    assert shape("FAILED test_x.py::test_y - assert 14 == 13").score < shape("E       assert 14 == 13").score
    assert shape("Stage \"Deploy\" skipped due to earlier failure(s)").step == "skipped"
    assert shape("#!/bin/bash -eo pipefail").step == "step"


def test_an_entry_about_a_verdict_line_leaves_it_a_wrapper(kb):
    log = ("+ erl -noshell -eval 'eunit:test(calc)'\n  calc: add_small_test...ok\n  calc: add_large_test...*failed*\n"
           "**error:{assertEqual,[{module,calc},{expected,13},{value,14}]}\n  Failed: 1.  Skipped: 0.  Passed: 1.\n"
           "failed\n")
    assert keys(log, kb)[0] == 3


def test_dash_command_not_found_is_a_cause():
    assert shape("/tmp/ws@tmp/durable-1/script.sh.copy: 1: docker: not found").kind == "command not found"


def test_a_skipped_stage_ends_the_failing_stage(kb):
    lines = ["[Pipeline] stage", "[Pipeline] { (Build)", "+ docker build .", "script.sh: 1: docker: not found",
             "[Pipeline] }", "[Pipeline] stage", "[Pipeline] { (Push)",
             "Stage \"Push\" skipped due to earlier failure(s)",
             "[Pipeline] }", "[Pipeline] End of Pipeline", "ERROR: script returned exit code 127",
             "Could not update commit status. Message: {\"message\":\"Resource not accessible\",\"status\":\"403\"}",
             "Finished: FAILURE"]
    finder = KeyLineFinder()
    finder.feed("\n".join(lines) + "\n")
    assert finder.verdict().failing[1] == 5  # ends above the skipped stage
    assert keys("\n".join(lines) + "\n", kb)[0] == 4


def test_teamcity_build_log_prefixes_and_service_messages(kb):
    from errdiag.matching.keylines import display_text

    assert display_text("[14:02:14] :\t   [Step 1/1] E       assert 14 == 13") == "E       assert 14 == 13"
    assert shape(display_text("[14:02:16]E:\t [Step 1/1] Step pytest (Command Line) failed")).wrapper
    assert shape("FAILED   [100%]##teamcity[testFailed timestamp='x' name='t.test_large']").kind == "failing test"


def test_a_summary_that_repeats_the_assertion_ranks_below_it():
    from errdiag.matching.keylines import Candidate, Verdict, rank

    # the summary was recognised by an entry (lifted above its shape); the assertion it repeats still leads
    e = Candidate(3, "E       assert 14 == 13", shape("E       assert 14 == 13"), 1)
    summary_text = "FAILED test_calc.py::test_large - assert 14 == 13"
    summary = Candidate(7, summary_text, shape(summary_text), 2)
    summary.shape = replace(summary.shape, score=summary.shape.score * 1.1)
    assert rank([e, summary], Verdict(lines=8), None)[0].line == 3


def test_a_one_word_status_line_is_not_similar_to_every_phrase_holding_the_word(kb):
    """Concourse ends a run with a bare `failed`: partial_ratio scores a short line 100 against any long
    phrase that holds it, so the fuzzy tier compared it with everything that fails (bitsandbytes, aws ...)."""
    for text in ("failed", "  failed\n", "error", "build\nfailed"):
        assert [d.id for d in diagnose(text, kb).diagnoses] == [], text
    # a line cut at the screen edge is still compared: it is most of the phrase
    cut = "ModuleNotFoundError: No module named 'cv2' (cut at the edge of the scr"
    assert diagnose(cut, kb).diagnoses


def test_a_test_verdict_with_its_reason_in_parentheses_is_a_failing_test(kb):
    # zig test: the failing test's verdict line, then its trace; the count summary below points back to it
    log = ("+ zig test calc.zig\n1/2 calc.test.adds...OK\n2/2 calc.test.big...expected 13, found 14\n"
           "FAIL (TestExpectedEqual)\n/src/calc.zig:12:5: 0x1250062 in test.big (calc.zig)\n"
           "1 passed; 0 skipped; 1 failed.\nerror: the following test command failed with exit code 1:\n")
    assert shape("FAIL (TestExpectedEqual)").kind == "failing test"
    assert keys(log, kb)[0] == 4


def test_a_progress_marker_ranks_below_the_error_that_says_why(kb):
    # Playwright: `✘ title` while running; the numbered failure block below it says why
    log = ("Running 2 tests using 1 worker\n\n  \u2713  1 tests/c.spec.js:4:1 \u203a adds small (32ms)\n"
           "  \u2718  2 tests/c.spec.js:8:1 \u203a adds large (86ms)\n\n"
           "  1) tests/c.spec.js:8:1 \u203a adds large \u2500\u2500\u2500\u2500\u2500\u2500\n\n"
           "    Error: expect(received).toBe(expected) // Object.is equality\n\n    Expected: 13\n"
           "    Received: 14\n\n  1 failed\nError: Process completed with exit code 1.\n")
    assert keys(log, kb)[0] == 8
    # jest: the `● suite › title` block header of the test a `✕ title` progress line named
    log = ("FAIL src/calc.test.js\n  calc\n    \u2713 adds small (2 ms)\n    \u2715 adds large numbers (3 ms)\n\n"
           "  \u25cf calc \u203a adds large numbers\n\n    expect(received).toBe(expected)\n\n"
           "Tests:       1 failed, 1 passed, 2 total\n")
    assert keys(log, kb)[0] == 6


def test_buildkite_group_headers_are_steps(kb):
    # an optional probe's harmless errors in an earlier group; the failure is in the last one
    head = ("~~~ Running commands\n--- :python: probe\n$ python3 -c 'import ujson' || true\n"
            "ModuleNotFoundError: No module named 'ujson'\nfatal: not a git repository (or any of the parent "
            "directories): .git\n--- :pnpm: test\n$ pnpm test\n")
    assert keys(head + "  \u2714 adds\n  3 tests passed\n", kb) == []
    failing = keys(head + "  \u2718 [fail]: adds large numbers\n  1 test failed\n"
                   "\U0001f6a8 Error: The command exited with status 1\n", kb)
    assert failing[0] == 8
    # a diff's file headers and go test's verdicts are not group headers
    for line in ("--- a/main.tf", "+++ b/main.tf", "--- old/main.tf", "--- FAIL: TestX (0.00s)",
                 "--- Logging error ---"):
        assert shape(line).step is None, line


def test_a_rejected_command_line_flag_is_a_cause(kb):
    # a usage error carries no error word; the CI's exit line below it points back to it
    log = ("All tests successful.\nResult: PASS\n+./validator --trace2_event_file=/tmp/x --progress=10\n"
           "flag provided but not defined: -trace2_event_file\nUsage of ./validator:\n  -progress int\n"
           "The command \"ci/run.sh\" exited with 2.\n")
    assert keys(log, kb)[0] == 4


def test_circleci_upload_steps_run_after_the_failure(kb):
    log = ("go test -v ./...\n#!/bin/bash -eo pipefail\ngo test -v ./...\n--- PASS: TestA (0.00s)\nPASS\n"
           "ok  \texample.com/calc\t(cached)\n\nUploading test results\n"
           "Error: Unable to find test results at /home/circleci/project/test-results\n")
    assert keys(log, kb) == []


def test_a_linters_count_summary_points_back_to_findings_without_an_error_word(kb):
    # ansible-lint: `rule[id]: message`, then the finding's bare location; the summary counts them
    log = ("+ ansible-lint playbook.yml\nWARNING  Listing 2 violation(s) that are fatal\n"
           "name[play]: All plays should be named.\nplaybook.yml:1:3\n\n"
           "no-changed-when: Commands should not change things if nothing needs doing.\n"
           "playbook.yml:3 Task/Handler: shell echo hello\n\n"
           "Failed: 2 failure(s), 0 warning(s) in 1 files processed of 1 encountered.\n")
    found = keys(log, kb)
    assert found[0] == 4 and 7 in found[:3]
    # a location line above a passing summary is nothing
    assert keys("+ lint\nplaybook.yml:1:3\nPassed: 0 failure(s), 0 warning(s)\n", kb) == []


def test_buildkite_hooks_after_the_command_are_post_run(kb):
    log = ("~~~ Running commands\n--- :java: test\n$ ./gradlew test\nException in thread \"main\" "
           "java.lang.IllegalStateException: boom\nCaused by: java.io.IOException: disk full\n"
           "\U0001f6a8 Error: The command exited with status 1\nuser command error: exit status 1\n"
           "~~~ Running plugin junit-annotate post-command hook\n$ /etc/buildkite-agent/plugins/hook\n"
           "buildkite-agent annotate --style error --context junit\n")
    assert keys(log, kb)[0] == 5


def test_go_test_passing_lines_do_not_crowd_out_the_failure(kb):
    # thousands of `--- PASS` lines after the failing assertion: the assertion stays a key line
    passing = "".join(f"--- PASS: TestAdd{i} (0.00s)\n" for i in range(3000))
    log = ("=== RUN   TestAdd\n    add_test.go:12: Add(2, 2) = 5, want 4\n--- FAIL: TestAdd2718 (0.00s)\n"
           + passing + "FAIL\nFAIL\texample.com/calc\t0.412s\n")
    assert 2 in keys(log, kb)[:3]


def test_a_check_runners_failed_hook_and_its_bare_findings(kb):
    # pre-commit: a dotted status line per hook; a failing hook's findings may carry no error word
    log = ("#!/bin/bash -eo pipefail\npre-commit run --all-files\n"
           "check toml...............................................................Passed\n"
           "forbid debugger imports..................................................Failed\n"
           "- hook id: no-pdb\n- exit code: 1\n\nsrc/app/views.py:41:    import pdb; pdb.set_trace()\n\n"
           "isort....................................................................Passed\n\n"
           "Exited with code exit status 1\n")
    assert keys(log, kb)[:2] == [4, 8]
    assert shape("trailing whitespace.......................................................Passed").score == 0


def test_log_symbol_crosses_are_findings_and_their_count_a_summary(kb):
    log = ("[lint] + commitlint --from HEAD~1\n[lint] \u29d7   input: update stuff\n"
           "[lint] \u2716   subject may not be empty [subject-empty]\n"
           "[lint] \u2716   type may not be empty [type-empty]\n[lint] \n"
           "[lint] \u2716   found 2 problems, 0 warnings\n")
    assert keys(log, kb)[:2] == [3, 4]
    assert shape("\u2716   found 2 problems, 0 warnings").wrapper


def test_expected_failures_are_no_failures():
    assert shape("XFAIL Closures and refs [Zend/tests/x.phpt]  XFAIL REASON: the fatal error is expected").score == 0
    assert shape("tests/test_io.py::test_unicode_path XFAIL (needs a fix upstream)").score == 0
    assert shape("===== 1 failed, 3 xfailed in 0.52s =====").wrapper  # a real failure is still counted
    assert shape("FAIL Closures bind to scope [Zend/tests/closure_bind.phpt]").kind == "failing test"


def test_minitest_assertion_is_the_reason_not_the_exit_wrapper(kb):
    log = ("$ bundle exec rake test\nRun options: --seed 4242\n\nFailure:\n"
           "TestParser#test_empty_port [/home/ci/build/test/test_parser.rb:31]\n"
           "Minitest::Assertion: Expected nil to be truthy.\n\n12 runs, 30 assertions, 1 failures, 0 errors, 0 skips\n"
           "rake aborted!\nCommand failed with status (1)\n"
           "The command \"bundle exec rake test\" exited with 1.\n")
    assert keys(log, kb)[0] == 6


def test_lines_after_the_jobs_final_status_are_the_runners_own(kb):
    # Travis: `Done. Your build exited with 1.` is the job's last word; its shell hooks may print after it
    log = ("$ ./ci.sh\nfetching toolchain 1.2\nAn error happened while unpacking the toolchain.\n"
           "The command \"./ci.sh\" exited with 1.\n\nDone. Your build exited with 1.\n"
           "/home/travis/.travis/job_stages: line 99: shell_session_update: command not found\n")
    assert keys(log, kb)[0] == 3
    result = diagnose(log, kb, baseline=())
    assert all(not d.fatal for d in result.diagnoses if d.line == 7)


def test_a_success_line_behind_a_step_prefix_is_seen(kb):
    # a passing `go test -v` whose test logs an "error:" message: the `ok` line says it passed
    log = ("[test] + go test -v ./...\n[test] === RUN   TestMsg\n"
           "[test]     msg_test.go:9: formatted \"error: quota\" as expected\n[test] --- PASS: TestMsg (0.00s)\n"
           "[test] PASS\n[test] ok  \texample.com/msg\t0.012s\n")
    assert keys(log, kb) == []


def test_an_answer_about_post_run_cleanup_ranks_below_the_failure(kb):
    # GitLab's after_script runs after the failing script; its harmless `ls` error is no answer to the failure
    log = ("section_start:1700000000:step_script\r\x1b[0KExecuting \"step_script\" stage\n$ ./run-tests.sh\n"
           "Ran 12 tests: 11 passed, 1 failed\nsection_end:1700000001:step_script\r\x1b[0K\n"
           "section_start:1700000001:after_script\r\x1b[0KRunning after_script\n$ ls reports/\n"
           "ls: cannot access 'reports/': No such file or directory\nsection_end:1700000002:after_script\r\x1b[0K\n"
           "ERROR: Job failed: exit code 1\n")
    result = diagnose(log, kb, baseline=())
    post = [d for d in result.diagnoses if d.id == "linux.no_such_file_or_directory"]
    assert post and not post[0].fatal
    assert result.diagnoses[0].id == "ci.process_exit_code" and result.diagnoses[0].fatal


def test_an_expected_failure_quoting_a_known_error_is_no_key_line(kb):
    # a test title in an XFAIL line may quote an error a knowledge entry knows; it was expected to fail
    log = ("$ make test\nPASS Connect twice [ext/db/tests/connect.phpt]\n"
           "Bug #1 (Lost connection to MySQL server during query on reconnect) [ext/db/tests/bug1.phpt]  XFAIL REASON: "
           "flaky upstream\nFAIL Connection attributes are listed [ext/db/tests/attrs.phpt]\n"
           "make: *** [Makefile:12: test] Error 1\n")
    assert keys(log, kb)[0] == 4 and 3 not in keys(log, kb)


def test_an_address_or_port_before_failed_is_no_count_of_failed_tests():
    # "N failed" is a test runner's summary (a wrapper: the cause is above it); the end of an address is not a count
    for line in ("Error: connect to 127.0.0.1:6379 failed", "dial tcp 10.0.0.5:443 failed"):
        assert not shape(line).wrapper, line
    for summary in ("Tests: 3 failed, 10 passed", "2 failed, 5 passed in 1.2s", "4 failing"):
        assert shape(summary).wrapper, summary
