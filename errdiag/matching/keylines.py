"""Key lines: where a log says it failed, found generically (any project, any CI system, any language).

Rides the same streaming read as matching: `KeyLineFinder.feed` sees every block once (with the
normalized text the scanner already made), and keeps a bounded set of candidate lines; `finish` ranks
them. Three kinds of evidence:

- shape: how error-looking a line is (a compiler diagnostic, an exception, a failed test, `fatal:`, a
  level marker ...); wrappers (`exit code 1`, `make: *** ... Error 2`, `BUILD FAILURE`) point back to a
  cause above them and only count when no cause is visible;
- structure: CI steps and sections (GitHub Actions groups, GitLab sections, Travis folds, Jenkins stages,
  Azure sections, `+ cmd` traces). The failure is in the step that failed, usually the last that ran;
  steps that went on to succeed hold notes, not failures; success markers make a log quiet;
- a passing run of the same job (`--baseline`): lines also seen there are lowered, new lines lifted.

Memory is bounded whatever the input: a heap of the strongest candidates, a window of the latest,
and a capped list of step starts.
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

from ..models import KeyLine
from ..normalize import clean_line, mask, normalize_block
from ..regexes import LazyPattern, find_each
from .tier import Found, Tier

MAX_KEY_LINES = 10  # reported per result
MIN_KEY_SCORE = 0.3  # below this a line is not a key line (a quiet log has none)
KEEP_BEST = 256  # candidates kept by shape score
KEEP_LATEST = 256  # candidates kept because they are the latest
LAZY_LINES_CHARS = 1 << 20  # blocks this big are not split into lines; the lines needed are found by counting
DETAIL_PER_BLOCK = 200  # lines looked at closely per block (the strongest markers first, then the latest)
MAX_STEPS = 4096  # step starts remembered (the last ones)
CONTEXT = (3, 3)  # lines shown around a key line
MAX_TEXT = 4096  # characters kept per line (cut to the display width only after secrets are redacted)
SHAPE_CHARS = 1000  # characters of a line its shape is judged on
CASCADE_LINES = 40  # errors of one kind this close together are one cascade (the first is the cause)
CAUSE_WINDOW = 400  # a wrapper points back this far (in lines) when there is no step structure
BASELINE_BITS = 1 << 24  # the passing run's lines, as a Bloom filter (2 MiB whatever its size)
BASELINE_SEEN = 0.3  # factor for a line that also occurs in the passing run
EARLIER_STEP = 0.3  # factor for a line in a CI step that went on to succeed
EARLIER_COMMAND = 0.6  # ... in the output of an earlier `+ cmd` of a shell trace
AFTER_FAILURE = 0.55  # ... in post-failure cleanup (post steps, notifications, archiving)
WRAPPER_WITH_CAUSE = 0.25  # a wrapper when a cause is visible above it
PROGRESS_BEFORE_CAUSE = 0.8  # a test runner's `... FAILED` progress line when the test's panic follows
WRAPPER_AFTER_WEAK = 0.85  # ... when only a line with an error word is, a few lines above in the same step
WEAK_CAUSE_LINES = 12
WRAPPER_AFTER_WRAPPER = 0.85  # ... when no cause is, but an earlier summary is (the CI's exit line after a tool's)
RECENCY = 0.25  # a line this far (RECENCY_LINES or more) above where the run says it failed keeps 75%
RECENCY_LINES = 800
KNOWN_SHAPE = 0.85  # a line a specific knowledge entry recognised is at least this error-looking (x confidence)
KNOWN_LIFT = 1.1  # ... and ranks a little above an unknown line of the same shape

# Words that make a line worth a closer look, on the normalized (lowercase) text. Structure markers
# ride along: they are rare, and each tells where a step starts or how the run ended.
_KEYWORDS = (
    "error", "fail", "fatal", "exception", "panic", "traceback", "abort", "assert", "caused by", "npm err!",
    "denied", "refused", "cannot", "can't", "could not", "couldn't", "unable to", "not found", "no such",
    "undefined", "unresolved", "timed out", "timeout", "killed", "segmentation fault", "no space left",
    "out of memory", "does not exist", "not ok", "exit code", "exit status", "exited with", "non-zero",
    "##[group]", "##[error]", "##[section]", "section_start:", "travis_fold:start", "[pipeline] stage",
    "[pipeline] { (", "finished: ", "success", "succeeded", "post job cleanup", "cleaning up orphan",
    "\n+ ", "passed", "\nok", "\u2715", "\u25cf", "\u2717", "--- fail", "\ne ", "\nfailed ",
    "marked build as", "job failed", "\u274c", "\u2716", "\u2718", "offense", ": c: ", ": w: ", ": e: ", ": f: ",
    "] + ", ": + ", "starting task '", "finished task '", "starting step #", "reformat", "diff in ",
    "style issues", "fmt ", "gofmt", "_test.go:", "prettier", "--check-formatted", "data race", "not formatted",
    "\n--- ", "\n~~~ ", "\n+++ ",  # Buildkite's group headers at a line's start (a step starts)
    "flag provided but not defined", "unknown flag", "unknown option", "unrecognized option", "illegal option",
    "uploading test results", "uploading artifacts",
    "invalid option",  # a command line rejected: usage errors often carry no error word
    "] ok",  # a success line behind a step prefix (Woodpecker's `[test] ok  pkg 0.03s`)
)
# The keyword indexes whose lines are looked at first in a noisy block (structure and strong shapes).
_PRIORITY = frozenset(i for i, k in enumerate(_KEYWORDS) if k in (
    "fatal", "exception", "panic", "traceback", "caused by", "npm err!", "##[group]", "##[error]", "##[section]",
    "section_start:", "travis_fold:start", "[pipeline] stage", "[pipeline] { (", "finished: ",
    "post job cleanup", "cleaning up orphan", "exit code", "exited with", "marked build as", "job failed",
    "success", "--- fail", "\ne ", "\nfailed ", "\u2715", "\u25cf", "starting task '", "starting step #",
    "data race", "\n~~~ ", "\n+++ "))
_DASHES = _KEYWORDS.index("\n--- ")  # a priority line only when go test's `--- FAIL` follows (not `--- PASS`)

_automaton = None


SMALL_TEXT = 2048  # bytes up to which keywords are found one by one: building the automaton costs more


def _find(t: bytes) -> list[tuple[int, int, int]]:
    """The automaton's leftmost-first, non-overlapping matches (keyword index, start, end) of the keywords."""
    if len(t) > SMALL_TEXT:
        return _ac().find_matches_as_indexes(t)
    found = []
    end = 0
    for ki, pos, stop in sorted(find_each(_KEYWORD_BYTES, t), key=itemgetter(1, 0)):
        if pos >= end:  # at each place the earliest listed keyword wins; matches do not overlap
            end = stop
            found.append((ki, pos, stop))
    return found


_KEYWORD_BYTES = tuple(k.encode("utf-8") for k in _KEYWORDS)


def _ac():
    global _automaton
    if _automaton is None:
        import ahocorasick_rs

        _automaton = ahocorasick_rs.BytesAhoCorasick(
            list(_KEYWORD_BYTES), matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
    return _automaton


# --- line shapes -------------------------------------------------------------------------------------

_GHA_COLUMNS = re.compile(r"^[^\t]{1,120}\t[^\t]{1,200}\t(?=\d{4}-\d\d-\d\dT)")  # `gh run view --log`
# what a CI runner or logger puts before a line: ISO, bracketed and clock timestamps, buildkit step timers
# (GitHub's ##[group] and ##[error] markers are kept: they say where steps start and what failed)
_TIME_PREFIX = re.compile(r"(?:\ufeff|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s*"
                          r"(?:\d\d[OE](?:\+|\s|$))?"  # GitLab's stream: `00O `, `00E `, `00O+` (a split line goes on)
                          r"|\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)?\s+"  # AWS CodeBuild's `[Container]` lines
                          r"|\[\d{4}-\d{2}-\d{2}[T ][^\]]{0,40}\]\s*|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\s+|#\d+ \d+\.\d+ "
                          r"|\[\d\d:\d\d:\d\d\][ a-zA-Z]?:\s+)+")  # TeamCity's `[14:02:15]E:<TAB>` (a status letter)
# what a CI system puts before every line of a step's output: the step's or container's name (Cloud Build
# `Step #2 - "test": `, Tekton `[task : step] `, Woodpecker/kubectl `[step] `, `argo logs` `<pod>: `, CodeBuild
# `[Container] `) or a record type and date (Bamboo `build<TAB>03-Nov-2026 14:02:07<TAB>`). A bracketed word
# that is a level or a verdict (`[ERROR]`, `[warn]`, `[OK]`, `[FAILED]`, `[command]`, `[Pipeline]`) is kept.
_RUNNER_PREFIX = re.compile(
    r"Step #\d+(?: - \"[^\"]{0,120}\")?: |\[Step \d+/\d+\] "  # (TeamCity's step of a build log)
    r"|(?:build|error|simple|command)\t\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d\t"
    r"|\[(?!(?i:command|error|errors|err|warn|warning|info|debug|trace|notice|ok|fail|failed|failure|pass|passed"
    r"|skip|skipped|fatal|critical|crit|alert|emerg|severe|success|suite|pipeline|help|note|hint)\])"
    r"[A-Za-z][\w./-]{0,100}(?: : [\w./-]{1,100})?\] "
    r"|[a-z0-9][a-z0-9.-]{2,120}-\d{5,12}: ")
_MAVEN_LEVEL = re.compile(r"^\[(ERROR|WARNING|WARN|INFO|DEBUG|error|warn|info)\]\s?")


def display_text(raw: str) -> str:
    """A log line as shown: no ANSI, no CI timestamp or job/step columns, at most MAX_TEXT characters."""
    text = clean_line(raw)
    if "\t" in text[:400]:
        m = _GHA_COLUMNS.match(text)
        if m:
            text = text[m.end():]
    text = text.strip()
    if text[:1].isdigit() or text[:1] in "[#\ufeff":
        m = _TIME_PREFIX.match(text)
        if m:
            text = text[m.end():]
    m = _RUNNER_PREFIX.match(text)
    if m:
        text = text[m.end():].strip()
        if text[:1].isdigit() or text[:1] in "[#":
            m = _TIME_PREFIX.match(text)
            if m:
                text = text[m.end():]
    return text[:MAX_TEXT]


@dataclass(frozen=True)
class Shape:
    score: float  # 0..1: how much this line looks like the reason a run failed
    kind: str  # what it is, in a few words
    wrapper: bool = False  # a summary/exit line that points back to a cause above it
    success: bool = False  # a line saying the run (or a step) succeeded
    failure: bool = False  # a line saying the run (or a step) failed
    step: str | None = None  # "step" (a CI step starts), "command" (a traced shell command), "post" (cleanup
    # after the job's steps), "failed" (a CI step or job says it failed)
    frame: bool = False  # a stack frame or traceback header: part of a cascade, never the key line
    final: bool = False  # the job's last word (`ERROR: Job failed`): what a runner prints after it is its own


NOTHING = Shape(0.0, "")

_R = LazyPattern  # compiled on first use: a paste needs few of these (start-up time)
# structure and run verdicts (checked first, in order), as one anchored alternation: group i is _STRUCTURE[i]
_STRUCTURE: tuple[tuple[str, Shape], ...] = (
    (r"##\[error\]\s*(?:Process completed with exit code [1-9]|.*exit code [1-9]|.*exited with code '?[1-9])",
     Shape(0.45, "the step's exit status", wrapper=True, failure=True, step="failed")),
    (r"##\[error\]", Shape(0.8, "error annotation", failure=True, step="failed")),
    (r"##\[group\]Run ", Shape(0.0, "", step="step")),
    (r"##\[section\]Starting: (?:Finalize Job|Post-job|Post |Clean ?up)", Shape(0.0, "", step="post")),
    (r"##\[section\]Starting: ", Shape(0.0, "", step="step")),
    (r"##\[section\]Finishing: ", NOTHING),
    (r"(?:\x1b\[0K)?section_start:\d+:(?:after_script|cleanup|upload_artifacts|archive_cache)",
     Shape(0.0, "", step="post")),
    (r"(?:\x1b\[0K)?section_start:\d+:", Shape(0.0, "", step="step")),
    (r"travis_fold:start:(?:after_|cache\.2)", Shape(0.0, "", step="post")),
    (r"travis_fold:start:", Shape(0.0, "", step="step")),
    (r"\[Pipeline\] \{ \(Declarative: Post Actions\)", Shape(0.0, "", step="post")),
    (r"\[Pipeline\] (?:stage|\{ \()", Shape(0.0, "", step="step")),
    (r"Post job cleanup\.|Cleaning up orphan processes", Shape(0.0, "", step="post")),
    (r"Finished: (?:SUCCESS|UNSTABLE)\b", Shape(0.0, "", success=True)),
    (r"Finished: (?:FAILURE|ABORTED)\b",
     Shape(0.35, "the job's final status", wrapper=True, failure=True, step="failed", final=True)),
    (r"Job succeeded|Done\. Your build exited with 0", Shape(0.0, "", success=True)),
    (r"ERROR: Job failed\b|Done\. Your build exited with [1-9]",
     Shape(0.4, "the job's final status", wrapper=True, failure=True, step="failed", final=True)),
    (r"Job failed\b", Shape(0.4, "the job's final status", wrapper=True, failure=True, step="failed")),
    (r"The command \".*\" (?:exited|failed) with 0\b", Shape(0.0, "", success=True)),
    (r"The command \".*\" (?:exited|failed) with [1-9]",
     Shape(0.45, "the command's exit status", wrapper=True, failure=True, step="failed")),
    (r"Build step '.*' marked build as failure",
     Shape(0.35, "the build step's status", wrapper=True, failure=True, step="failed")),
    (r"(?:\[INFO\] )?BUILD SUCCESS(?:FUL)?\b", Shape(0.0, "", success=True)),
    (r"Starting Step #\d+|Starting task '", Shape(0.0, "", step="step")),  # Cloud Build, Bamboo
    (r"ERROR: build step \d+ .* failed|Failing task since return code of .* was [1-9]\d* while expected 0",
     Shape(0.45, "the step's exit status", wrapper=True, failure=True, step="failed")),
    (r"Finished task '.*' with result: Success", Shape(0.0, "", success=True)),
    (r"Step .{1,200} \(.{1,80}\) failed\s*$",  # TeamCity: a build step's status
     Shape(0.35, "the build step's status", wrapper=True, failure=True, step="failed")),
    (r"Finished task '.*' with result: Fail", Shape(0.35, "the task's result", wrapper=True, failure=True)),
    (r"\+ \S", Shape(0.0, "", step="command")),
    # a stage the CI did not run because an earlier one failed (Jenkins declarative, Azure, GitLab needs)
    (r"Stage \".*\" skipped due to earlier failure|Skipping step because a previous step failed",
     Shape(0.0, "", step="skipped")),
    (r"#!/bin/(?:ba)?sh -eo pipefail$", Shape(0.0, "", step="step")),  # CircleCI: each run step's shell
    # Buildkite's hooks that run after the command (a plugin's post-command hook, pre-exit, artifacts)
    (r"(?:---|~~~|\+\+\+) Running (?:(?:plugin|global|local|agent) .{0,120})?(?:post-command|pre-exit|pre-artifact"
     r"|post-artifact) hook", Shape(0.0, "", step="post")),
    # Buildkite's group headers (`--- :npm: Test`, `+++ Run`, `~~~ Running commands`) start a step; not a
    # diff's file header, go test's `--- FAIL:` or a `--- Logging error ---` banner
    (r"(?:---|~~~|\+\+\+) (?!\S*[/.]\S*\s*$|FAIL:|PASS:|SKIP:|BENCH:)(?!.* ---\s*$)[^\t]{1,200}$",
     Shape(0.0, "", step="step")),
    # CircleCI's always-run steps after the job's own (they run after a failure too)
    (r"Uploading (?:test results|artifacts)\s*$", Shape(0.0, "", step="post")),
)
_STRUCTURE_RX = _R("|".join(f"(?P<s{i}>{rx})" for i, (rx, _) in enumerate(_STRUCTURE)))
_STRUCTURE_SHAPES = {f"s{i}": sh for i, (_, sh) in enumerate(_STRUCTURE)}

# Everything below runs on the lowercased line (case-sensitive patterns: Python's re is several times
# slower with IGNORECASE), anchored with match() where it can: shape() runs on every candidate line.

# wrappers and summaries: they say *that* it failed; the cause is above them
_WRAP_START = _R(
    r"make(?:\[\d+\])?: \*\*\* .*error \d+|finished: failure|error: command failed|error: could not compile"
    r"|error: test failed|error: \d+ errors? generated|failed \(|test result: failed|fail\s+\S+\s+[\d.]+s"
    r"|tests?:\s+\d+ failed|test suites:\s+\d+ failed|\s*failed tests:"
    r"|\*\* (?:test )?(?:build|test|archive) failed \*\*"
    r"|the following (?:tests|build commands) failed|errors while running ctest|testing failed:"
    r"|error: failed to |error: process completed|error: script .* failed|error: job failed"
    r"|(?:\[error\] )?(?:compilation error\s*:?\s*$|tests run:.*failures: [1-9]|there (?:were|are) test failures"
    r"|build failure|failed to execute goal .*(?:compilation failure|there are test failures|there were test failures))"
    r"|npm (?:err!|error) (?:code elifecycle|errno|failed at the)|failure: build failed|build failed\b"
    r"|there (?:was|were) \d+ (?:failures?|errors?)\b|failures!|errors!"  # PHPUnit
    r"|[\u23af\u2500-]+ failed tests? \d+|error: execution of an external program failed"  # vitest, nim -r
    r"|== compilation error in file |[1-9]\d* files? would be reformatted|oh no!"
    r"|(?:\[warn\] )?code style issues found"  # black, ruff format, prettier summaries
    r"|-- configuring incomplete, errors occurred|\d+ success(?:es)? / [1-9]\d* failures?\b"  # cmake, busted
)
# (a literal the line must hold, the pattern then tried): a substring test is 50x cheaper than a search
_WRAP_ANY = tuple((gate, _R(rx)) for gate, rx in (
    ("exit", r"exit(?:ed)? (?:with )?(?:code|status) '?[1-9]|exited with '?[1-9]|process completed with exit code"
             r"|exited with non-zero status|did not complete successfully: exit code: [1-9]"),
    ("non-zero", r"returned non-zero exit status"),
    ("lifecycle", r"\belifecycle\b"),
    ("failing tests", r"there were failing tests"),
    # a count, never the end of an address, a port or a version (`connect to 127.0.0.1:6379 failed`)
    (" failed", r"(?<![.:/-])\b[1-9]\d* (?:tests? )?failed\b"),
    ("failures: ", r"failures: [1-9]"),
    ("failing", r"(?<![.:/-])\b[1-9]\d* failing\b"),  # mocha
    (" failure", r"\b\d+ tests?, [1-9]\d* failures?\b"),  # ExUnit
    ("errors have been logged", r"errors have been logged"),  # mix: `cannot compile module ... (errors have ...)`
    ("errors: ", r"errors: [1-9]"),
    ("execution failed for task", r"execution failed for task"),
    ("compilation failed; see", r"compilation failed; see"),
    ("offense", r"\b[1-9]\d* offenses? detected"),
    ("problem", r"\b[1-9]\d* problems? \(|found [1-9]\d* problems?\b"),  # eslint; commitlint's `found 2 problems`
    ("(s)", r"\b[1-9]\d* (?:failure|error|violation|problem)\(s\)"),  # ansible-lint's `9 failure(s)`
))
# lines that are never the reason: help text, boilerplate, progress, echoes of commands
_BOILERPLATE = _R(
    r"(?:\[(?:error|info)\] )?(?:to see the full stack trace|re-run (?:maven|the build|with)|for more information"
    r"|\[help \d+\]|after correcting the problems|mvn <(?:goals|args)> -rf|-> \[help|\* try:|> run with --"
    r"|\* get more help|get more help at|run with --(?:stacktrace|info|debug|scan)|see the report at"
    r"|a complete log of this run|npm (?:err!|error) (?:a complete log|this is probably)"
    r"|downloading|downloaded|progress"
    r"|\s*$|-+\s*$|=+\s*$|note: |hint: |help: |see also|see https?://|more details|for details"
    r"|the above exception was the direct cause|during handling of the above exception)"
)
_COMMAND_ECHO = _R(r"(?:\[command\]|\$ |shell: |##\[command\]|run |\+\+? |executing |running )")
_ZERO = _R(r"\b(?:0|no) (?:[a-z]+ )?(?:errors?|failures?|failed|failing)\b|\b(?:errors?|failures?|failed):? 0\b")
_NONZERO = _R(r"(?<![.:/-])\b[1-9]\d* (?:errors?|failures?|failed)\b")
_WARNING = _R(r"\[?warn(?:ing)?\b|w: ")
# a real error word: not part of an identifier, a flag or a path (-Werror, error_prone, onError, stderr)
_REAL_WORD = _R(r"(?<![\w./\\-])(?:errors?|exceptions?|fatal|fail(?:ed|ure|ures|s|ing)?|abort(?:ed|ing)?)"
                r"(?![\w/\\-]|\.\w)")

_SHAPES: tuple[tuple[re.Pattern[str], float, str, bool], ...] = (  # (pattern, score, kind, on the original case)
    (_R(r"\u274c\s*\S|\u2716\s+\S+\.\w{1,6}:\d+"), 0.9, "error marker", False),
    # the cross of Node CLIs' log symbols (commitlint, listr, lint-staged): one problem per line
    (_R(r"\s*\u2716\s+\S"), 0.8, "error marker", False),
    # a check runner's dotted status line (pre-commit: `no print calls.......Failed`): its findings follow
    (_R(r".{1,200}?\.{4,}\s?failed\s*$"), 0.88, "failing check", False),
    (_R(r"\d+/\d+ test +#\d+: .*\*\*\*(?:failed|exception|timeout)"), 0.9, "failing test", False),
    (_R(r"\S+\.\w{1,6}:\d+:\d+: [cwef]: "), 0.7, "lint finding", False),
    # compilers and type checkers: file:line[:col]: error, file(l,c): error CODE, error[E0308]:, [ERROR] F.java:[l,c]
    (_R(r"(?:\[error\] )?\S+?\.\w{1,6}:\[?\d+(?:[,:]\d+)?\]?:? (?:fatal )?error\b|\S+\.\w{1,6}\(\d+,\d+\): error \w*\d"
        r"|\S+\.\w{1,6}:\d+:\d+ - error \w+\d|error\[e\d{4}\]: "
        r"|\S+\.\w{1,6}:\d+(?::\d+)?: (?:fatal error|error):|e: \S+\.kts?\b"),
     0.95, "compiler error", False),
    (_R(r"\[error\] \S+\.(?:java|kt|scala|groovy):\[\d+,\d+\] |\[error\] \S+\.\w+:\d+:\d+: "),
     0.93, "compiler error", False),
    # what a failing go test logged (t.Errorf/t.Fatalf): the reason its `--- FAIL:` line summarises
    (_R(r"\S+_test\.go:\d+: \S"), 0.92, "assertion", False),
    (_R(r"\S+\.(?:go|py|rb|ts|js|c|cc|cpp|h|hpp|rs|java|cs|swift|hs|php|sh):\d+(?::\d+)?: (?!warning|note|info)\S"),
     0.6, "error at a source line", False),
    (_R(r"\S*undefined reference to |collect2: error|ld: |ld\.lld: error"), 0.9, "linker error", False),
    (_R(r"\S+: \d+: [\w./-]+: not found$"), 0.85, "command not found", False),  # dash: `sh: 1: docker: not found`
    (_R(r"\S+\.\w{1,6}\(\d+, ?\d+\):? error\b"), 0.95, "compiler error", False),  # nim
    (_R(r"\S+\.\w{1,6}\(\d+, ?\d+\):? check failed\b|failed asserting that|assertion with \S+ failed"),
     0.9, "assertion", False),  # nim unittest, PHPUnit, ExUnit
    (_R(r"warning: data race|race detected during execution of test"), 0.92, "data race", False),
    (_R(r"cmake error at \S+:\d+|cmake error: "), 0.93, "build configuration error", False),
    (_R(r"(?:failure|error) -> \S+ @ \d+|\S+: \S+\.\.\.\*failed\*"), 0.9, "failing test", False),  # busted, EUnit
    # format checks: their findings carry no error word
    (_R(r"would reformat\b|unformatted: file would be reformatted|diff in \S+(?: at line \d+|:\d+)"),
     0.85, "file the format check rejects", False),
    # failing tests
    # unittest's header names the test; the exception it reports follows and is the reason
    (_R(r"(?:FAIL|ERROR): test\w* \("), 0.85, "failing test", True),
    # a test's verdict with the reason in parentheses (zig test: `FAIL (TestExpectedEqual)`)
    (_R(r"(?:\d+/\d+ .*\.\.\.)?FAIL \(\w+\)\s*$"), 0.85, "failing test", True),
    # pytest's short summary repeats the `E` line above it: a little below it
    (_R(r"FAILED \S+::\S+ - \S"), 0.86, "failing test", True),
    (_R(r"FAILED \S+::\S+|--- FAIL: |test \S+ \.\.\. FAILED|not ok \d+|\[FAILED\] \S"
        r"|FAIL\s+\S+\.(?:[cm]?[jt]sx?|vue|svelte) [>\u203a\u276f] "
        r"|\S+ > \S+ FAILED$|\s*\u25cf \S|\s*(?:\u2715|\u2717|\u2718|\u00d7) |Failure/Error: |\s*\d+\) \S"
        r"|\[ERROR\] (?:\S+\.)?\w+(?:\(\S+\)|\.\w+:\d+)\s|\[ERROR\] Tests run:.*<<< (?:FAILURE|ERROR)!"
        r"|\[ERROR\]\s+\S+\.\w+:\d+ |\s*Failed \S+ \[|rspec \./\S+:\d+"),
     0.9, "failing test", True),
    # a test file's header (jest, vitest): the failing tests and their reasons follow it
    (_R(r"FAIL\s+\S+\.(?:[cm]?[jt]sx?|vue|svelte)\b"), 0.8, "failing test file", True),
    (_R(r"E\s{2,}\S|E\s+(?:assert|AssertionError|\w+Error)\b"), 0.9, "assertion", True),
    # minitest / test-unit: the assertion line of a `Failure:` block
    (_R(r"(?:Minitest::Assertion|Test::Unit::AssertionFailedError|Minitest::UnexpectedError):"), 0.9, "assertion",
     True),
    # PHP's run-tests: a failing .phpt test (its expected failures say XFAIL and are no failure)
    (_R(r"FAIL .{1,300} \[\S+\.phpt\]"), 0.9, "failing test", True),
    # a test runner's TeamCity service message (raw, as the tool printed it)
    (_R(r".{0,200}##teamcity\[(?:testFailed|buildProblem) "), 0.85, "failing test", True),
    (_R(r"thread '.*'(?: \(\d+\))? panicked at|panic: |fatal error: |SIGSEGV|Segmentation fault"), 0.95, "crash", True),
    # exceptions: the message line of a traceback, Java's exception line and its causes
    (_R(r"Caused by: \S"), 0.93, "root cause", True),
    (_R(r"(?:Exception in thread \".*\" )?(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Failure)\b"),
     0.88, "exception", True),
    (_R(r"(?:[a-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure)(?:\[.*\])?(?::\s|\s*$)"),
     0.9, "exception", True),
    (_R(r"Uncaught \w*(?:Error|Exception)|Unhandled (?:exception|rejection)|\w*Error \[ERR_"), 0.9, "exception", True),
    (_R(r"\*\* \((?:[A-Z]\w*\.)*[A-Z]\w*\) \S"), 0.9, "exception", True),  # Elixir: ** (CompileError) ...
    # tools' own error prefixes
    (_R(r"npm (?:err!|error) (?:code|errno) (?!elifecycle)|npm (?:err!|error) (?:404|403|401|eresolve|e[a-z]+)\b"),
     0.85, "npm error", False),
    (_R(r"npm (?:err!|error) (?!code elifecycle|errno|failed at|a complete log|this is probably|\s*$)"), 0.55,
     "npm error", False),
    (_R(r"fatal:? \S"), 0.9, "fatal error", False),
    (_R(r"\[error\] failed to execute goal "), 0.85, "build tool error", False),
    (_R(r"error(?:\[\w+\])?: \S|\[?error\]? \S|e: \S|err!? \S|error \S|\w+: error: |\w[\w./-]*: (?:error|fatal):"),
     0.75, "error", False),
)

def _alternation(rows) -> re.Pattern[str]:
    return _R("|".join(f"(?P<p{id(rx)}>{rx.pattern})" for rx, *_ in rows))


# the shapes in order, as three anchored alternations: a run of lowercase ones, the case-sensitive ones, the rest
_SHAPE_RX = tuple((_alternation(list(rows)), original) for original, rows in groupby(_SHAPES, key=itemgetter(3)))
_SHAPE_OF = {f"p{id(rx)}": (score, kind) for rx, score, kind, _ in _SHAPES}
_PHRASES = ("no space left on device", "out of memory", "permission denied", "command not found",
            "no such file or directory", "connection refused", "could not resolve", "cannot find symbol",
            "unable to access", "could not find", "not found:", "timed out", "cannot access", "does not exist",
            "unsupportedclassversionerror", "core dumped", " killed", "killed ", "unable to ", "cannot ",
            "can't ", "could not ", "couldn't ", "failed to ", "flag provided but not defined", "unknown flag",
            "unknown option", "unrecognized option", "illegal option", "invalid option")
_QUIET_LEVEL = _R(r"\b(?:level|lvl)=\"?(?:info|debug|trace)\b|\"level\": ?\"(?:info|debug|trace)\"")
# a format check whose findings are bare file names (terraform/tofu fmt -check, gofmt -l, prettier --check,
# mix format --check-formatted, dart format --set-exit-if-changed): its command line, then the files it lists
_FMT_COMMAND = _R(r"\b(?:terraform|tofu) fmt\b.*\s-check\b|\bgofmt\b.*\s-l\b|\bgo fmt\b"
                  r"|\bprettier\b.*\s(?:--check|-c)\b"
                  r"|\bmix format\b.*--check-formatted|\bdart format\b.*--set-exit-if-changed")
_FMT_FINDING = _R(r"(?:\[warn\]\s+|\*\s+|changed\s+)?(?:[\w.@+-]+[\\/])*[\w@+-][\w.@+-]*\.[A-Za-z][A-Za-z0-9]{0,9}")
FMT_FOLLOW = 200  # lines after a format check's command where its file list is looked for
# a linter's count summary, and a finding's location standing at the start of its own line
_COUNT_SUMMARY = _R(r"\b[1-9]\d* (?:failures?|errors?|violations?|problems?|issues?)\b")
_LOCATION = _R(r"(?:[\w.@+-]+[\\/])*[\w@+-][\w.@+-]*\.[A-Za-z][A-Za-z0-9]{0,9}:\d+(?::\d+)?:?(?:\s|$)")
_CHECK_STATUS = _R(r".{1,200}?\.{4,}\s?(?:\(no files to check\))?(?:passed|failed|skipped)\s*$", re.IGNORECASE)
FINDINGS_ABOVE = 120  # lines above a count summary where the findings it counts are looked for
_FRAME = _R(r"(?:at [\w$.<>/]+\(|at [\w$.<>]+ \(|\.\.\. \d+ more|file \".*\", line \d+"
            r"|traceback \(most recent call last\)|\d+: 0x[0-9a-f]+ - |#\d+ 0x[0-9a-f]+ in )")
_SUCCESS_SUMMARY = _R(
    r"=+ \d+ passed(?:, \d+ (?:skipped|warnings?|deselected|xfailed|xpassed))*(?: in [\d.]+s)?.*=+$"
    r"|ok(?: \(.*\))?$|test result: ok\.|tests:\s+(?:\d+ (?:skipped|todo), )*\d+ passed, \d+ total"
    r"|ok\s+\S+\s+[\d.]+s|all (?:tests|checks) passed|\d+ passing\b|build success|finished: success"
    r"|job succeeded|\d+ tests? completed, 0 failed|tests run: \d+, failures: 0, errors: 0(?!.*<<<)"
    r"|100% tests passed, 0 tests failed"
)


def shape(text: str) -> Shape:
    """How much a (display) line looks like the reason a run failed; structure and verdict markers too."""
    if not text:
        return NOTHING
    if text[0] in "#sStFPCJDB[+E\x1b-~U":
        m = _STRUCTURE_RX.match(text)
        if m:
            return _STRUCTURE_SHAPES[m.lastgroup]
    low = text.lower()
    body = low.lstrip()
    if ("level" in low or "lvl=" in low) and _QUIET_LEVEL.search(low):
        return NOTHING  # a structured log record at level info/debug (`level=info ... error="<nil>"`)
    if len(body) < 12:
        word = body.rstrip()
        if word in ("failed", "errored", "aborted"):
            return Shape(0.35, "the build's final status", wrapper=True, failure=True, step="failed")
        if word == "succeeded":
            return Shape(0.0, "", success=True)
    if _SUCCESS_SUMMARY.match(body):
        return Shape(0.0, "", success=True)
    if _FRAME.match(body):
        return Shape(0.05, "stack frame", frame=True)
    level = _MAVEN_LEVEL.match(text)
    if level:
        name = level.group(1).upper()
        if name in ("INFO", "DEBUG"):
            return NOTHING
        rest = low[level.end():]
        if _BOILERPLATE.match(rest):
            return NOTHING
    if _BOILERPLATE.match(body) or _COMMAND_ECHO.match(body):
        return NOTHING
    if body.startswith("> "):  # Gradle's "What went wrong" cause, npm's script echo: judge what follows
        text, low, body = text.lstrip()[2:], low.lstrip()[2:], body[2:]
    if _wrapper(low, body):
        return Shape(0.45, "exit status or summary", wrapper=True, failure=True)
    if (" 0" in low or ": 0" in low or "no " in low or low[:1] == "0") \
            and _ZERO.search(low) and not _NONZERO.search(low):
        return NOTHING
    if _expected_failure(low):
        return NOTHING  # an expected failure (pytest, PHP's run-tests): its reason quotes errors that were expected
    warning = (level is not None and level.group(1).upper().startswith("WARN")) or \
        ("warn" in low[:80] and bool(_WARNING.match(body) or "warning:" in low[:80] or " warn " in low[:80]))
    stripped = text.lstrip()
    for rx, original in _SHAPE_RX:
        m = rx.match(stripped if original else body)
        if m:
            score, kind = _SHAPE_OF[m.lastgroup]
            break
    else:
        if _has_phrase(low):
            score, kind = 0.7, "error message"
        elif _REAL_WORD.search(low):
            score, kind = 0.45, "error word"
        elif level is not None and level.group(1).upper() == "ERROR":
            score, kind = 0.6, "error"
        else:
            return NOTHING
    if warning and kind != "data race":  # the race detector reports a race as a WARNING and fails the test
        return Shape(min(score, 0.6) * 0.5, "warning")
    return Shape(score, kind)


_WARNING_HEADER = _R(r"\s*(?:\w+ )?warnings?:\s*$", re.IGNORECASE)


def _in_warning_block(context: tuple[int, tuple[str, ...]], line: int) -> bool:
    """An indented line under a `Warnings:` header (within the lines kept above it) is part of a warning."""
    first, lines = context
    i = line - first
    if not (0 < i < len(lines)) or not lines[i][:1].isspace():
        return False
    for above in reversed(lines[:i]):
        if not above[:1].isspace() and above.strip():
            return bool(_WARNING_HEADER.match(above))
    return False


def _wrapper(low: str, body: str) -> bool:
    if not ("exit" in low or "fail" in low or "lifecycle" in low or "non-zero" in low or "errors" in low
            or "build" in low or "err!" in low or "make" in low or "offense" in low or "problem" in low
            or "reformat" in low or "style issues" in low or "oh no" in low or "== compilation" in low
            or "violation" in low):
        return False
    if _WRAP_START.match(body):
        return True
    for gate, rx in _WRAP_ANY:  # noqa: SIM110  # a loop: any() over a generator costs 3x on this hot path
        if gate in low and rx.search(low):
            return True
    return False


def _expected_failure(low: str) -> bool:
    """An XFAIL line (pytest, PHP's run-tests), not a summary counting real failures beside expected ones."""
    return "xfail" in low and not _NONZERO.search(low)


def _has_phrase(low: str) -> bool:
    for p in _PHRASES:  # noqa: SIM110  # (the same)
        if p in low:
            return True
    return False


# --- the finder ---------------------------------------------------------------------------------------

@dataclass
class Candidate:
    line: int
    text: str
    shape: Shape
    order: int  # arrival order (ties: the later line)
    context: tuple[int, tuple[str, ...]] = (0, ())  # (first line, raw lines) around it
    score: float = 0.0
    reason: str = ""
    known: float | None = None  # recognised by a knowledge entry: the shape score it had before
    conf: float = 0.0  # ... and that diagnosis's confidence

    def __lt__(self, other: Candidate) -> bool:  # heap order: weakest first
        return (self.shape.score, self.order) < (other.shape.score, other.order)


class _Lines:
    """The lines of a big block, found on demand (in mostly ascending order) without splitting it all."""

    def __init__(self, block: str):
        self.block = block
        self.n = block.count("\n") + 1
        self.idx = 0  # the cursor: line `idx` starts at `pos`
        self.pos = 0
        self.cache: dict[int, str] = {}

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self[i] for i in range(*key.indices(self.n))]
        if key < 0:
            key += self.n
        got = self.cache.get(key)
        if got is not None:
            return got
        block = self.block
        while key < self.idx:  # a few lines back (the context above a line): to the previous line's start
            self.pos = block.rfind("\n", 0, self.pos - 1) + 1
            self.idx -= 1
        if key - self.idx > 64:  # jump: count the newlines in a stretch that cannot pass the line wanted
            step = (key - self.idx) * 16
            while key - self.idx > 64:
                end = min(len(block), self.pos + step)
                crossed = block.count("\n", self.pos, end)
                if self.idx + crossed >= key:
                    step //= 2
                    if step < 256:
                        break
                    continue
                self.idx += crossed
                self.pos = end
                if crossed:  # to the start of the next line
                    nl = block.find("\n", self.pos)
                    if nl < 0:
                        break
                    self.idx += 1
                    self.pos = nl + 1
        while self.idx < key:
            nl = block.find("\n", self.pos)
            if nl < 0:
                return ""
            self.idx += 1
            self.pos = nl + 1
        end = block.find("\n", self.pos)
        line = block[self.pos:end if end >= 0 else len(block)]
        self.cache[key] = line
        return line


@dataclass
class Marker:
    line: int
    kind: str  # "step", "command", "post", "success", "failure"


@dataclass
class FinderState:
    best: list[Candidate] = field(default_factory=list)
    latest: deque = field(default_factory=lambda: deque(maxlen=KEEP_LATEST))
    markers: deque = field(default_factory=lambda: deque(maxlen=MAX_STEPS))
    lines: int = 0
    order: int = 0


class KeyLineFinder:
    """Feed blocks of whole lines (with their normalized text); `finish` returns the key lines."""

    def __init__(self, source: str = "<text>"):
        self.source = source
        self.s = FinderState()
        self._tail: list[str] = []  # the last lines of the previous block (context for the next)
        self.line_no = 1

    # streaming ----------------------------------------------------------------------------------------
    def feed(self, block: str, norm: bytes | None = None, start_line: int | None = None,
             lines: list[str] | None = None, next_line: int | None = None) -> None:
        """Look at one block: `norm` is its normalized text as UTF-8 and `lines` the block split at
        newlines, when the scanner has already made them (they are made here otherwise);
        `start_line` and `next_line` number its first line and the line after it."""
        if not block:
            return
        if start_line is None:
            start_line = self.line_no
        self.line_no = next_line if next_line is not None else start_line + block.count("\n")
        self.s.lines = self.line_no - 1 if block.endswith("\n") else self.line_no
        t = norm if norm is not None else normalize_block(block).encode("utf-8")
        found = _find(t)
        if not found:
            self._keep_tail(block, lines)
            return
        if len(found) > 4 * DETAIL_PER_BLOCK:
            # a noisy block: only its strongest markers and its latest matches can be chosen below
            strong = [m for m in found if m[0] in _PRIORITY][-DETAIL_PER_BLOCK:]
            found = sorted(set(strong + found[-2 * DETAIL_PER_BLOCK:]), key=itemgetter(1))
        # the lines that hold a keyword: (relative line, priority)
        hits: dict[int, bool] = {}
        pos = 0
        rel = -1
        line_end = -1  # end of the line of the last match: later matches before it are on the same line
        for ki, begin, _end in found:
            if begin >= line_end:
                if t[begin] == 10:  # "\n+ ", "\nok": the keyword starts at the newline before its line
                    begin += 1
                rel += t.count(b"\n", pos, begin) + (pos == 0 and rel < 0)
                pos = begin
                line_end = t.find(b"\n", begin)
                if line_end < 0:
                    line_end = len(t)
                hits[rel] = ki in _PRIORITY or (ki == _DASHES and t[begin + 4:begin + 8] == b"fail")
            elif ki in _PRIORITY:
                hits[rel] = True
        if lines is None:
            # a big block: reach the few lines needed by counting newlines (splitting 4 MB into lines costs
            # more than everything else done here)
            lines = block.split("\n") if len(block) < LAZY_LINES_CHARS else _Lines(block)
        chosen = list(hits)
        if len(chosen) > DETAIL_PER_BLOCK:  # a noisy block: strong markers first, then the latest lines
            strong = [i for i in chosen if hits[i]][-DETAIL_PER_BLOCK // 2:]
            rest = DETAIL_PER_BLOCK - len(strong)
            chosen = sorted(set(strong) | set([i for i in chosen if not hits[i]][-rest:]))
        s = self.s
        for i in chosen:
            if i >= len(lines):
                continue
            text = display_text(lines[i])
            sh = shape(text[:SHAPE_CHARS])
            ln = start_line + i
            if sh.score <= 0 and ("fmt" in text or "format" in text or "prettier" in text):
                self._format_findings(lines, i, start_line, text)
            if sh.step or sh.success or sh.failure:
                s.markers.append(Marker(ln, sh.step or ("success" if sh.success else "failure")))
                if sh.final:  # the runner's own lines after the job's verdict (Travis' shell hooks)
                    s.markers.append(Marker(ln + 1, "post"))
            if sh.kind == "failing check":
                self._check_findings(lines, i, start_line)
            if sh.wrapper and _COUNT_SUMMARY.search(text[:SHAPE_CHARS].lower()):
                self._findings_above(lines, i, start_line)
            if sh.score <= 0:
                continue
            s.order += 1
            ctx = self._context(lines, i, start_line)
            if sh.kind != "warning" and _in_warning_block(ctx, ln):
                sh = Shape(min(sh.score, 0.6) * 0.5, "warning")
            self._keep(Candidate(ln, text, sh, s.order, ctx))
        self._keep_tail(block, lines)

    def _keep(self, c: Candidate) -> None:
        """A candidate: among the latest, and among the best while it is one of the KEEP_BEST strongest."""
        s = self.s
        s.latest.append(c)
        if len(s.best) < KEEP_BEST:
            heapq.heappush(s.best, c)
        elif s.best[0] < c:
            heapq.heapreplace(s.best, c)

    def _format_findings(self, lines, i: int, start_line: int, command: str) -> None:
        """Below a format check's command line: the bare file names it lists are its findings."""
        if _FMT_COMMAND.search(command):
            self._bare_findings(lines, range(i + 1, min(len(lines), i + 1 + FMT_FOLLOW)), start_line,
                                lambda text: bool(_FMT_FINDING.fullmatch(text)),
                                Shape(0.8, "file the format check rejects"))

    def _findings_above(self, lines, i: int, start_line: int) -> None:
        """Above a linter's count summary (`Failed: 9 failure(s)`): findings whose only line with no error
        word is a bare location (`playbook.yml:3:7 ...` under `rule[id]: message`) are where it failed."""
        # (a line with its own error shape is judged as that)
        self._bare_findings(lines, range(i - 1, max(-1, i - 1 - FINDINGS_ABOVE), -1), start_line,
                            lambda text: bool(_LOCATION.match(text)) and shape(text[:SHAPE_CHARS]).score <= 0,
                            Shape(0.55, "finding the summary counts"))

    def _check_findings(self, lines, i: int, start_line: int) -> None:
        """Below a check runner's `name.....Failed` line (pre-commit), up to its next status line: the bare
        locations and file names the failing hook printed are its findings (`lib/total.py:3:    print(s)`)."""
        end = i + 1
        while end < min(len(lines), i + 1 + FMT_FOLLOW) and not _CHECK_STATUS.match(display_text(lines[end])):
            end += 1
        self._bare_findings(lines, range(i + 1, end), start_line,
                            lambda text: (bool(_LOCATION.match(text)) or bool(_FMT_FINDING.fullmatch(text)))
                            and shape(text[:SHAPE_CHARS]).score <= 0,
                            Shape(0.8, "finding of the failing check"))

    def _bare_findings(self, lines, rows: range, start_line: int, is_finding, sh: Shape) -> None:
        """Up to 20 of the lines at `rows` (walked in order, up to the next command or step marker) that
        `is_finding` accepts become candidates of shape `sh`: findings that carry no error word."""
        found = 0
        for j in rows:
            text = display_text(lines[j])
            if not text:
                continue
            if _COMMAND_ECHO.match(text.lower()) or _STRUCTURE_RX.match(text):
                break  # another command or step: the tool's output ends here
            if found >= 20 or not is_finding(text):
                continue
            found += 1
            self.s.order += 1
            self._keep(Candidate(start_line + j, text, sh, self.s.order, self._context(lines, j, start_line)))

    def _context(self, lines, i: int, start_line: int) -> tuple[int, tuple[str, ...]]:
        before, after = CONTEXT
        lo = i - before
        got: list[str] = []
        if lo < 0:
            got = self._tail[len(self._tail) + lo:] if -lo <= len(self._tail) else list(self._tail)
            lo = 0
        got += lines[lo:i + after + 1]
        first = start_line + i - (i - lo) - (len(got) - len(lines[lo:i + after + 1]))
        while len(got) > 1 and first + len(got) - 1 > start_line + i and not got[-1].strip():
            got.pop()  # no blank lines (or the empty piece after the last newline) at the end
        return first, tuple(clean_line(x)[:MAX_TEXT] for x in got)

    def _keep_tail(self, block: str, lines) -> None:
        if lines is None or isinstance(lines, _Lines):
            lines = block[-4096:].split("\n")
        if block.endswith("\n"):
            lines = lines[:-1]
        self._tail = lines[-CONTEXT[0]:]

    # parallel halves ----------------------------------------------------------------------------------
    def state(self) -> FinderState:
        return self.s

    def merge(self, later: FinderState) -> None:
        """Add what a finder of the input's *next* part kept (its line numbers continue ours)."""
        s = self.s
        moved = {id(c) for c in later.best}
        for c in later.best:
            c.order += s.order
            if len(s.best) < KEEP_BEST:
                heapq.heappush(s.best, c)
            elif s.best[0] < c:
                heapq.heapreplace(s.best, c)
        for c in later.latest:
            if id(c) not in moved:
                c.order += s.order
            s.latest.append(c)
        s.markers.extend(later.markers)
        s.order += later.order
        s.lines = later.lines

    # ranking ------------------------------------------------------------------------------------------
    def verdict(self) -> Verdict:
        """What the structure seen so far says (steps, the failing step, post-run cleanup)."""
        return Verdict.of(self.s)

    def finish(self, baseline: Baseline | None = None, verdict: Verdict | None = None,
               known: tuple[tuple[int, float, int, tuple[str, ...]], ...] = ()) -> tuple[KeyLine, ...]:
        """The key lines, best first; `verdict.quiet` is set when the input shows no failure.

        `known`: (line, confidence, excerpt start, excerpt lines) of errors the knowledge base recognised
        there (specific entries, in the failing part): a recognised line counts as a cause even when its
        shape is plain.
        """
        verdict = verdict or self.verdict()
        cands = {c.line: c for c in list(self.s.best) + list(self.s.latest)}
        for line, conf, start, excerpt in known:
            i = line - start
            text = excerpt[i] if 0 <= i < len(excerpt) else ""
            low = display_text(text).lower() if text else ""
            if not text or _COMMAND_ECHO.match(low) or _expected_failure(low):
                continue  # an echoed command that mentions an error is not one, nor an expected failure's title
            c = cands.get(line)
            if c is None:
                self.s.order += 1
                c = cands[line] = Candidate(line, display_text(text), Shape(0.0, "recognised error"),
                                            self.s.order, (start, tuple(x[:MAX_TEXT] for x in excerpt)))
            c.known = c.shape.score
            c.conf = max(c.conf, conf)
            # a wrapper stays one: an entry about an exit status or a final verdict does not make it a cause
            c.shape = replace(c.shape, score=max(c.shape.score, KNOWN_SHAPE * conf) * KNOWN_LIFT,
                              kind=c.shape.kind or "recognised error", wrapper=c.shape.wrapper)
        ranked = rank([cands[k] for k in sorted(cands)], verdict, baseline)
        if verdict.quiet:
            return ()
        return tuple(KeyLine(c.line, c.text, round(min(c.score, 1.0), 3), self.source, c.reason,
                             c.context[0], c.context[1]) for c in ranked[:MAX_KEY_LINES])


@dataclass
class Verdict:
    """What the structure says: is the log quiet, and which lines are in steps that went on to succeed."""

    quiet: bool = False
    failing: tuple[int, int] | None = None  # lines of the step that failed (first, last)
    failure_line: int | None = None  # the first line that says the run (or a step, a command) failed
    last_failure: int | None = None  # ... and the last
    step_failed: bool = False  # a CI step or the job said it failed (never a quiet log)
    steps: tuple[int, ...] = ()  # CI step starts
    commands: tuple[int, ...] = ()  # traced shell command starts
    post: int | None = None  # first line of post-failure cleanup
    last_success: int | None = None
    lines: int = 0

    @classmethod
    def of(cls, s: FinderState) -> Verdict:
        steps = [m.line for m in s.markers if m.kind == "step"]
        commands = [m.line for m in s.markers if m.kind == "command"]
        posts = [m.line for m in s.markers if m.kind == "post"]
        # a step start just above a post marker opens the post part (Jenkins' `[Pipeline] stage` before
        # `{ (Declarative: Post Actions)`); a step the CI skipped after a failure did not run: neither is
        # the failing step
        dropped = {x for x in steps for p in posts if p - x == 1}
        skipped = {x for skip in (m.line for m in s.markers if m.kind == "skipped") for x in steps
                   if skip - 3 <= x < skip}
        steps = [x for x in steps if x not in dropped and x not in skipped]
        failures = [m.line for m in s.markers if m.kind in ("failure", "failed")]
        step_failures = [m.line for m in s.markers if m.kind == "failed"]
        successes = [m.line for m in s.markers if m.kind == "success"]
        v = cls(steps=tuple(steps), commands=tuple(commands), lines=s.lines)
        v.last_success = successes[-1] if successes else None
        v.failure_line = failures[0] if failures else None
        v.last_failure = failures[-1] if failures else None
        v.step_failed = bool(step_failures)
        if steps:
            # the failing step: the one a step-level failure marker is in, else the last that ran
            anchor = step_failures[0] if step_failures else None
            if anchor is None:
                anchor = max((p for p in posts if p > steps[-1]), default=None)
                anchor = steps[-1] if anchor is None else anchor - 1
            start = max((x for x in steps if x <= anchor), default=steps[0])
            # the step ends where the next step or post part starts (a job-level verdict after the post
            # part does not stretch it)
            nxt = min((x for x in steps + posts + sorted(skipped) if x > start), default=s.lines + 1)
            v.failing = (start, nxt - 1)
            v.post = min((p for p in posts if p > start), default=None)
        elif posts:
            v.post = posts[0]
        elif step_failures:  # no steps: what runs after the job said it failed is post-build work
            v.post = step_failures[0] + 1
        return v

    def factor(self, line: int) -> tuple[float, str]:
        """How much the structure keeps of a candidate at `line`, and why."""
        if self.failing:
            first, last = self.failing
            if line < first:
                return EARLIER_STEP, "in a step that went on to succeed"
            if line > last:
                return AFTER_FAILURE, "after the failing step"
            end = min(last, self.last_failure or last) if (self.last_failure or 0) >= first else last
            near = 1.0 - RECENCY * min(1.0, max(0, end - line) / RECENCY_LINES)
            # a traced command in the failing step that another command followed went on (its step ran on)
            later = [c for c in self.commands if line < c <= end]
            if later and any(first <= c < line for c in self.commands):
                return EARLIER_COMMAND * near, "in an earlier command of the failing step"
            return near, "in the failing step"
        if self.post is not None and line >= self.post:
            return AFTER_FAILURE, "in post-run cleanup"
        end = self.last_failure or self.lines
        near = 1.0 - RECENCY * min(1.0, max(0, end - line) / RECENCY_LINES)  # the failure is near the end
        if self.commands:
            last_cmd = max((c for c in self.commands if c <= end), default=None)
            if last_cmd is not None and line < last_cmd:
                return EARLIER_COMMAND * near, "in an earlier command"
        return near, ""

    def fatal(self, line: int | None) -> bool:
        """Is an error on `line` part of the failure (not a note in a passing run or a passing step)?"""
        if self.quiet:
            return False
        if line is None or line == self.last_failure:
            return True
        if self.post is not None and line >= self.post and (not self.failing or line > self.failing[1]):
            return False  # post-run cleanup (GitLab's after_script, a hook after the job's verdict)
        if not self.failing:
            return True
        return line >= self.failing[0]


def rank(cands: list[Candidate], verdict: Verdict, baseline: Baseline | None) -> list[Candidate]:
    """Score candidates (in line order) with structure, cascades, wrappers and the baseline; best first."""
    strongest_fatal = 0.0
    prev: Candidate | None = None
    last_exc: Candidate | None = None
    seen_texts: set[str] = set()
    causes: list[int] = []  # lines of non-wrapper candidates with a real shape
    progress: dict[str, Candidate] = {}  # cargo's `test NAME ... FAILED` progress lines, by test name
    titles: list[tuple[str, Candidate]] = []  # failing-test lines by the test's title (progress markers)
    marks: list[Candidate] = []  # progress-marker lines (`✘ title`) not yet followed by an error line
    said: dict[str, int] = {}  # what assertions and exceptions said (their message), and where
    wrappers: list[int] = []  # lines of wrappers
    weak: list[int] = []  # lines of weaker non-wrapper candidates (a bare error word)
    for c in cands:
        sh = c.shape
        score = sh.score
        why: list[str] = [sh.kind]
        f, where = verdict.factor(c.line)
        score *= f
        if where:
            why.append(where)
        key = mask(c.text).lower()
        if key in seen_texts:
            score *= 0.5
            why.append("repeated")
        seen_texts.add(key)
        if sh.frame:
            score *= 0.5
        elif sh.wrapper:
            if _cause_above(causes, c.line, verdict):
                score *= WRAPPER_WITH_CAUSE
                why.append("points back to a cause above")
            elif weak and c.line - weak[-1] <= WEAK_CAUSE_LINES and verdict.factor(weak[-1])[1] == where:
                score *= WRAPPER_AFTER_WEAK  # only an error word just above (`An error occured ...`): it is
                why.append("an error line just above")  # still nearer the reason than the exit status
            elif _cause_above(wrappers, c.line, verdict):
                score *= WRAPPER_AFTER_WRAPPER  # no cause in sight: the first summary is nearest to it
                why.append("after an earlier summary")
            wrappers.append(c.line)
        else:
            detail = None
            if sh.kind == "failing test":
                # a test a progress line (`✘ 2 file:line › title (86ms)`, jest's `✕ title`) said failed,
                # now in its failure block (`1) file:line › title`, `● suite › title`): the block says why
                title = _test_title(c.text)
                detail = _progress_of(titles, title, c.line)
                if detail is not None:
                    if detail in marks:
                        marks.remove(detail)
                    detail.score *= PROGRESS_BEFORE_CAUSE
                    detail.reason += ", its failure block below says why"
                elif title:
                    titles.append((title, c))
                if c.text.lstrip()[:1] in _PROGRESS_MARK:
                    marks.append(c)
            elif marks and sh.kind in _REASON_KINDS:
                # the first error below progress markers (`✘ title` with no failure block we can see):
                # the markers say which test failed, this line says why
                for m in marks:
                    if c.line - m.line <= CAUSE_WINDOW:
                        m.score *= PROGRESS_BEFORE_CAUSE
                        m.reason += ", the error below says why"
                marks.clear()
            if detail is None and prev is not None and not prev.shape.wrapper and prev.shape.kind == sh.kind \
                    and c.line - prev.line <= CASCADE_LINES and sh.kind not in ("root cause", "exception") \
                    and not (prev.known is not None and c.known is not None and c.conf > prev.conf):
                score *= 0.8  # a cascade: its first line is the cause (unless both are recognised errors and
                # this one more confidently: two different known errors, the surer one leads)
            if sh.kind in ("assertion", "exception", "crash", "root cause"):
                said[_message(c.text)] = c.line
            elif sh.kind == "failing test" and " - " in c.text:
                # a summary that repeats the message of an assertion above (pytest's short test summary)
                at = said.get(_message(c.text.split(" - ", 1)[1]))
                if at is not None and c.line - at <= CAUSE_WINDOW:
                    score *= PROGRESS_BEFORE_CAUSE
                    why.append("repeats the assertion above")
            name = _progress_test(c.text) if sh.kind == "failing test" else None
            if name:
                progress[name] = c
            elif sh.kind == "crash" and progress:
                # the panic of a test a progress line said FAILED: that is where it failed
                earlier = progress.pop(_panicked_test(c.text) or "", None)
                if earlier is not None and c.line - earlier.line <= CAUSE_WINDOW:
                    earlier.score *= PROGRESS_BEFORE_CAUSE
                    earlier.reason += ", the panic below says why"
            if sh.kind in ("root cause", "exception"):
                if last_exc is not None and c.line - last_exc.line <= 200:
                    # the deepest `Caused by:` wins over the exception that wraps it; in a Python traceback
                    # (chained or not) the last exception line is the one raised
                    last_exc.score *= 0.9
                last_exc = c
            if sh.score >= 0.5:
                causes.append(c.line)
            elif sh.score >= 0.4:
                weak.append(c.line)
        if baseline is not None:
            if baseline.seen(c.text):
                score *= BASELINE_SEEN
                why.append("also in the passing run")
            else:
                score = min(1.0, score * 1.15 + 0.05)
                why.append("new since the passing run")
        c.score = score
        c.reason = ", ".join(w for w in why if w)
        if not sh.wrapper and verdict.fatal(c.line):  # a recognised line alone is no proof of failure
            strongest_fatal = max(strongest_fatal, score if c.known is None else score * c.known / sh.score)
        if not sh.frame:
            prev = c
    # quiet: a success marker after every failure, or no failure evidence at all
    fail_evidence = verdict.failure_line is not None or strongest_fatal >= 0.6
    if verdict.last_success is not None:
        after = [c for c in cands if c.line > verdict.last_success and c.score >= 0.6 and not c.shape.frame]
        if (verdict.last_failure is None or verdict.last_failure < verdict.last_success) and not after:
            verdict.quiet = True
    if not fail_evidence and verdict.failing is not None and not verdict.step_failed:
        verdict.quiet = True  # a CI log whose last step shows nothing wrong and no step failed: it passed
    out = [c for c in cands if c.score >= MIN_KEY_SCORE]
    out.sort(key=lambda c: (-c.score, c.line))
    return out


_PROGRESS_TEST = re.compile(r"test (\S+) \.\.\. FAILED\s*$")
_REASON_KINDS = frozenset(("assertion", "exception", "crash", "root cause", "error", "compiler error"))
_PROGRESS_MARK = ("\u2715", "\u2716", "\u2717", "\u2718", "\u00d7", "\u274c")
# a failing-test line without its marker, counter, duration and rule: `✘  2 a.spec.js:8:1 › adds (86ms)`
_TITLE_NOISE = re.compile(r"^[\s\u25cf" + "".join(_PROGRESS_MARK) + r"]*(?:\d+\)?\s+)?|"
                          r"(?:\s*\(\d+(?:\.\d+)?\s?m?s\))?[\s\u2500-\u257f-]*$")


def _test_title(text: str) -> str:
    title = _TITLE_NOISE.sub("", text).lower()
    return title if len(title) >= 6 else ""


def _progress_of(titles: list[tuple[str, Candidate]], title: str, line: int) -> Candidate | None:
    """The earlier progress-marker line (`✘`, `✕`, `×` ...) of the same test as this failure block header."""
    if not title:
        return None
    for i in range(len(titles) - 1, -1, -1):
        t, c = titles[i]
        if line - c.line > CAUSE_WINDOW:
            break
        if (t == title or title.endswith(" " + t)) and c.text.lstrip()[:1] in _PROGRESS_MARK:
            del titles[i]
            return c
    return None
_PANICKED_TEST = re.compile(r"thread '([^']+)'")


def _progress_test(text: str) -> str | None:
    m = _PROGRESS_TEST.match(text.strip()) if "... FAILED" in text else None
    return m.group(1) if m else None


def _message(text: str) -> str:
    """What a line says, without the `E` of a pytest assertion line and the spaces around."""
    text = text.strip()
    if text[:2] in ("E ", "E\t"):
        text = text[1:].strip()
    return text.lower()


def _panicked_test(text: str) -> str | None:
    m = _PANICKED_TEST.search(text)
    return m.group(1) if m else None


def _cause_above(causes: list[int], line: int, verdict: Verdict) -> bool:
    if not causes:
        return False
    floor = line - CAUSE_WINDOW
    if verdict.failing and verdict.failing[0] <= line <= verdict.failing[1]:
        floor = verdict.failing[0]
    return causes[-1] >= floor


# --- the passing run ------------------------------------------------------------------------------------

class Baseline:
    """The error-looking lines of passing runs, masked, as a fixed-size Bloom filter (bounded memory)."""

    def __init__(self) -> None:
        self.bits = bytearray(BASELINE_BITS // 8)
        self.count = 0

    @staticmethod
    def _key(text: str) -> str:
        return mask(text).lower()

    def _positions(self, key: str) -> tuple[int, int, int]:
        h = hash(key) & 0xFFFFFFFFFFFFFFFF
        m = BASELINE_BITS - 1
        return h & m, (h >> 21) & m, (h >> 42 | h << 22) & m

    def add(self, text: str) -> None:
        for p in self._positions(self._key(text)):
            self.bits[p >> 3] |= 1 << (p & 7)
        self.count += 1

    def seen(self, text: str) -> bool:
        return all(self.bits[p >> 3] & (1 << (p & 7)) for p in self._positions(self._key(text)))

    def feed(self, block: str) -> None:
        """Add the lines of a block of the passing log that could ever be candidates."""
        norm = normalize_block(block)
        t = norm.encode("utf-8")
        found = _find(t)
        if not found:
            return
        lines = block.split("\n")
        pos = rel = 0
        done: set[int] = set()
        for _ki, begin, _end in found:
            rel += t.count(b"\n", pos, begin)
            pos = begin
            at = rel + 1 if t[begin:begin + 1] == b"\n" else rel
            if at in done or at >= len(lines):
                continue
            done.add(at)
            self.add(display_text(lines[at]))


class KeyLineTier(Tier):
    """The key-line finder in the single scan: fed the same blocks as the matching tiers, finds no entries.

    `engine.diagnose` takes the key lines from it after the scan (`finder`).
    """

    name = "keylines"

    def __init__(self, index, source: str = "<text>"):
        super().__init__(index)
        self.finder = KeyLineFinder(source)

    def feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None,
             data: bytes | None = None) -> None:
        self.finder.feed(block, data if data is not None else text.encode("utf-8"), start_line, lines)

    def found(self, earlier, lines_seen: int) -> Found:
        return Found()

    def state(self) -> FinderState:
        return self.finder.state()

    def merge(self, later: FinderState) -> None:
        self.finder.merge(later)

