#!/usr/bin/env python3
"""Kinds of error that recur ACROSS the open wild samples and that errdiag still misses.

A kind that one sample shows rarely comes back in the next; a kind seen in several independently drawn samples
is what people paste often. This script scores every open sample (bench/wild.py's sets, the held-out one left
out), keeps the cases whose top answer is SILENT, GENERIC or WRONG, reads each text's error-shaped line, and
clusters those lines by kind:

  - the tool that printed it (read from the text: a Python traceback, `npm ERR!`, `error[E0…]`, `kubectl` ...);
  - the wording stem of the error line: lower-cased, URLs, paths, quoted names, hex ids, versions and numbers
    masked, log prefixes (timestamps, levels, `##[error]`) dropped; two lines are one kind when their tool agrees
    and the rapidfuzz token-set ratio of their stems is at least --ratio (difflib when rapidfuzz is missing);
  - the exception/error type when the line has one (`KeyError`, `E0425`, `ERR_MODULE_NOT_FOUND`) must agree too.

Printed: the clusters that span at least --min-samples DIFFERENT samples, sorted by the number of samples and
then by size, each with its tool, stem, one example line, the label's `what` of its first case and its case ids
(with grades). Aggregates and ids only: the held-out sample is never read.

    python bench/recurring.py [--cmd .venv/bin/errdiag] [--ratio 82] [--min-samples 2] [--top N]
                              [--grades SILENT,GENERIC,WRONG]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location("wild", ROOT / "bench" / "wild.py")
wild = importlib.util.module_from_spec(_spec)
sys.modules["wild"] = wild
_spec.loader.exec_module(wild)
# the held-out sample is never read here: bench/wild.py names it (one place to change when a round draws the next)
HELD_OUT = (wild.HELD_OUT,)

try:  # rapidfuzz is a dependency of errdiag; difflib keeps the script usable without it
    from rapidfuzz import fuzz as _fuzz

    def _ratio(a: str, b: str) -> float:
        return _fuzz.token_set_ratio(a, b)
except ImportError:  # pragma: no cover
    import difflib

    def _ratio(a: str, b: str) -> float:
        return 100.0 * difflib.SequenceMatcher(None, " ".join(sorted(set(a.split()))),
                                               " ".join(sorted(set(b.split())))).ratio()

# --- the error-shaped line -------------------------------------------------------------------------------------

# A line's "error shape", strongest first: (pattern, score). The best-scoring line of a text is its error line;
# ties go to the LAST such line (the exception line closes a traceback, the cause sits above a wrapper's exit).
_SHAPES = [
    (re.compile(r"^\s*(?:E\s+)?(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning)\b(?::|$)"), 9),
    (re.compile(r"^\s*error\[E\d{4}\]"), 9),
    (re.compile(r"\berror TS\d{3,5}\b|\bCS\d{4}\b:|\bMSB\d{4}\b|\bLNK\d{4}\b|\bC\d{4}\b:", re.I), 8),
    (re.compile(r"^\s*(?:panic|fatal error|thread '.*' panicked)\b", re.I), 8),
    (re.compile(r"\b(?:npm|yarn|pnpm) ERR!? (?:code|errno|error)\b|ERR_PNPM_\w+|\bERR_[A-Z_]{4,}\b"), 8),
    (re.compile(r"^\s*(?:\*\* \(\w|Caused by: |Error: |error: |fatal: |ERROR: |FATAL: |FAILED: |E: )"), 7),
    (re.compile(r":\d+(?::\d+)?: (?:fatal )?error\b", re.I), 7),
    (re.compile(r"\b(?:Error|Exception)\b.*:", re.I), 5),
    (re.compile(r"\b(?:error|failed|failure|fatal|cannot|can't|unable|denied|refused|not found|no such)\b", re.I), 3),
    (re.compile(r"\bexit (?:code|status) [1-9]\d*|exited with|returned non-zero", re.I), 2),
]
_BENIGN_LINE = re.compile(r"^\s*(?:at |File \"|\s*\^|~+$|#\d+ |\d+ \|)|Traceback \(most recent", re.I)


def error_line(text: str) -> str:
    best, best_score = "", 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or len(line) > 400 or _BENIGN_LINE.search(raw):
            continue
        score = max((s for rx, s in _SHAPES if rx.search(line)), default=0)
        if score and score >= best_score:
            best, best_score = line, score
    return best


# --- the tool --------------------------------------------------------------------------------------------------

_TOOLS = [  # (tool, pattern over the whole text), first hit wins
    ("rust", r"error\[E\d{4}\]|thread '.*' panicked at|\bcargo\b|\.rs:\d+"),
    ("go", r"^panic: |goroutine \d+ \[|\.go:\d+|\bgo: |\bgo (?:build|mod|get|run)\b"),
    ("python", r"Traceback \(most recent call last\)|File \".*\.py\", line \d+|\.py:\d+|\bpip\b|ModuleNotFoundError"),
    ("java", r"^\s+at [\w$.]+\([\w$]+\.(?:java|kt):\d+\)|Exception in thread|\bgradle\b|\bmvn\b|\[ERROR\] .*maven"),
    ("dotnet", r"\berror CS\d{4}|\bMSB\d{4}|\bdotnet\b|System\.\w+Exception|\.csproj"),
    ("node", r"npm ERR!|\bnpm error\b|node_modules|\bat .*\.(?:m?js|ts):\d+:\d+|\bnode:internal|\byarn\b|\bpnpm\b"),
    ("typescript", r"error TS\d+"),
    ("cpp", r"\.(?:c|cc|cpp|cxx|h|hpp):\d+:\d+: (?:fatal )?error|undefined reference to|\bld: |collect2|"
            r"\bcmake\b|CMake"),
    ("docker", r"\bdocker\b|Dockerfile|\bcompose\b"),
    ("kubernetes", r"\bkubectl\b|\bhelm\b|kube-|\bpod/|\bnamespace\b"),
    ("git", r"^fatal: |\bgit (?:push|pull|clone|fetch|checkout|commit|merge|rebase)\b|\bremote: "),
    ("ruby", r"\.rb:\d+:in |\bbundle(?:r)?\b|\bgem\b"),
    ("php", r"PHP (?:Fatal|Warning)|\.php(?: on line|:\d+)|\bcomposer\b"),
    ("shell", r"command not found|: line \d+: |\bbash\b|/bin/sh"),
    ("ci", r"##\[error\]|Process completed with exit code|\bGitHub Actions\b"),
]
_TOOLS_RX = [(t, re.compile(p, re.M)) for t, p in _TOOLS]


def tool_of(text: str, domain: str = "") -> str:
    for tool, rx in _TOOLS_RX:
        if rx.search(text):
            return tool
    return domain or "?"


# --- the stem --------------------------------------------------------------------------------------------------

_MASKS = [
    (re.compile(r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\]?|\d\d:\d\d:\d\d(?:[.,]\d+)?)\s*"), ""),
    (re.compile(r"^\s*(?:##\[error\]|\[(?:error|ERROR|FATAL|E)\]|(?:INFO|WARN|WARNING|DEBUG)\b:?)\s*"), ""),
    (re.compile(r"https?://\S+"), " URL "),
    (re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+~-]+){2,}[\\/]?|~[\\/]\S+"), " PATH "),
    (re.compile(r"'[^']{1,120}'|\"[^\"]{1,120}\"|`[^`]{1,120}`|‘[^’]{1,120}’|“[^”]{1,120}”"), " Q "),
    (re.compile(r"\b0x[0-9a-f]+\b|\b[0-9a-f]{7,}\b", re.I), " HEX "),
    (re.compile(r"\bv?\d+(?:\.\d+)+[\w.+-]*"), " VER "),
    (re.compile(r"\d+"), " N "),
]
_TYPE = re.compile(r"\b((?:[A-Z]\w*)?(?:Error|Exception)|error\[E\d{4}\]|E\d{4}|ERR_[A-Z_]+|TS\d{3,5}|CS\d{4}|"
                   r"MSB\d{4}|LNK\d{4})\b")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "at", "is", "was", "be", "and", "or", "with", "by", "from"}


_JSON_MSG = re.compile(r'"(?:message|msg|error|detail)"\s*:\s*"([^"]{3,})"')
_MASKED = {"Q", "N", "PATH", "URL", "HEX", "VER"}


def stem(line: str) -> str:
    """The wording stem of an error line (a JSON body's message when the line is one); empty when fewer than two
    words of wording are left once the varying values are masked."""
    m = _JSON_MSG.search(line)
    s = m.group(1) if m else line
    for rx, sub in _MASKS:
        s = rx.sub(sub, s)
    words = [w for w in re.findall(r"[a-z_][a-z0-9_]*|[A-Z]{1,5}\b|[A-Z][a-z0-9_]*[A-Za-z0-9_]*", s)
             if w.lower() not in _STOP]
    words = [w.lower() if not w.isupper() else w for w in words[:14]]
    return " ".join(words) if sum(w not in _MASKED for w in words) >= 2 else ""


def etype(line: str) -> str:
    m = _TYPE.search(line)
    return m.group(1).split(".")[-1] if m else ""


# --- clustering ------------------------------------------------------------------------------------------------

@dataclass
class Item:
    sample: str
    case_id: str
    grade: str
    tool: str
    line: str
    stem: str
    etype: str
    what: str


@dataclass
class Cluster:
    tool: str
    etype: str
    stem: str
    items: list[Item] = field(default_factory=list)

    @property
    def samples(self) -> set[str]:
        return {i.sample for i in self.items}


def cluster(items: list[Item], ratio: float) -> list[Cluster]:
    clusters: list[Cluster] = []
    for it in items:
        if not it.stem:
            continue
        home = None
        best = 0.0
        for c in clusters:
            if c.tool != it.tool or c.etype != it.etype:
                continue
            r = _ratio(c.stem, it.stem)
            if r >= ratio and r > best:
                home, best = c, r
        if home is None:
            home = Cluster(it.tool, it.etype, it.stem)
            clusters.append(home)
        home.items.append(it)
    return clusters


def collect(cmd: str, grades: set[str]) -> list[Item]:
    import shlex

    items = []
    for name, (cases_path, grades_path, _label) in wild.SETS.items():
        if name in HELD_OUT or not cases_path.exists():
            continue
        cases = wild.load_cases(cases_path)
        results = wild.score(cases, shlex.split(cmd), wild.load_grades(grades_path))
        for r in results:
            if r.grade not in grades:
                continue
            line = error_line(r.case.text)
            items.append(Item(name, r.case.id, r.grade, tool_of(r.case.text, r.case.domain), line, stem(line),
                              etype(line), r.case.what))
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cmd", default=wild.DEFAULT_CMD)
    ap.add_argument("--ratio", type=float, default=82.0)
    ap.add_argument("--min-samples", type=int, default=2)
    ap.add_argument("--top", type=int, default=0, help="print only the first N clusters")
    ap.add_argument("--grades", default="SILENT,GENERIC,WRONG")
    args = ap.parse_args(argv)
    items = collect(args.cmd, set(args.grades.split(",")))
    clusters = [c for c in cluster(items, args.ratio) if len(c.samples) >= args.min_samples]
    clusters.sort(key=lambda c: (-len(c.samples), -len(c.items), c.tool, c.stem))
    if args.top:
        clusters = clusters[:args.top]
    print(f"recurring: {len(items)} missed cases ({args.grades}), {len(clusters)} kinds in >= {args.min_samples} "
          f"samples")
    for c in clusters:
        print(f"\n[{len(c.samples)} samples, {len(c.items)} cases] {c.tool} {c.etype or '-'} | {c.stem}")
        print(f"    e.g. {c.items[0].line[:160]}")
        print(f"    what: {c.items[0].what[:160]}")
        print("    " + " ".join(f"{i.case_id}:{i.grade[0]}" for i in c.items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
