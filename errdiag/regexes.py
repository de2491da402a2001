"""Regex handling for signatures: linear-time compilation (RE2), anchor derivation, backtracking checks.

Signatures are run through RE2 (google-re2), whose matching time is linear in the input, so no pattern
in a knowledge pack can hang errdiag. Patterns RE2 cannot run (look-around, back-references) are
rejected at load time; patterns that would backtrack catastrophically in a backtracking engine are
rejected too, so packs stay portable and `kb validate` tells authors early.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

try:  # the 3.11+ location, then the old one
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

AT, BRANCH, LITERAL = _sre_parse.AT, _sre_parse.BRANCH, _sre_parse.LITERAL
MAX_REPEAT, MIN_REPEAT, SUBPATTERN = _sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, _sre_parse.SUBPATTERN
_REPEATS = (MAX_REPEAT, MIN_REPEAT)
MIN_ANCHOR = 3
MAX_PROGRAM = 20_000  # one regex's compiled size (RE2 instructions; bundled: at most ~3,700)


class RegexProblem(ValueError):
    """A signature regex that cannot be used."""


def check(pattern: str) -> None:
    """Raise RegexProblem if the pattern does not compile, needs backtracking, or nests quantifiers."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise RegexProblem(f"does not compile: {exc}") from None
    except RecursionError:
        raise RegexProblem("is nested too deeply") from None
    if _nested_repeat(parsed, inside=False):
        raise RegexProblem(
            "nests a repeat inside a repeat (like (x+x+)+y): catastrophic backtracking risk; "
            "rewrite it without the nested quantifier"
        )
    try:
        compiled = _compile_re2(pattern)
    except RegexProblem:
        raise
    except Exception as exc:  # re2's own error type
        msg = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RegexProblem(f"is not linear-time (RE2) syntax: {msg}") from None
    if compiled.programsize > MAX_PROGRAM:
        raise RegexProblem(f"compiles to {compiled.programsize} RE2 instructions; the limit is {MAX_PROGRAM} "
                           "(large counted repeats such as {1000} multiply the size)")


def _nested_repeat(items, inside: bool) -> bool:
    for op, av in items:
        if op in _REPEATS:
            hi, body = av[1], av[2]
            unbounded = hi is _sre_parse.MAXREPEAT or hi > 50
            if unbounded and inside:  # an unbounded repeat inside another one
                return True
            if _nested_repeat(body, inside or unbounded):
                return True
        elif (op is SUBPATTERN and _nested_repeat(av[-1], inside)) or (
                op is BRANCH and any(_nested_repeat(b, inside) for b in av[1])):
            return True
    return False


def derive_anchors(pattern: str) -> list[str]:
    """Literals (lowercased) of which the regex cannot match without one: [] when none is usable.

    Usually one literal run; for an alternation of literals, one anchor per branch.
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return []
    sets = _anchor_sets(list(parsed))
    best = max(sets, key=_set_quality, default=[])
    return best if _set_quality(best) >= MIN_ANCHOR else []


def required_sets(pattern: str) -> list[list[str]]:
    """Every literal part the regex cannot match without, as sets of alternatives (lowercased).

    A line must contain one member of each set before the regex engine is worth calling: a few
    substring tests cost far less than one RE2 call, and most anchor hits in a big log are noise.
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return []
    return [sorted(set(s)) for s in _anchor_sets(list(parsed)) if s and all(s)]


@lru_cache(maxsize=4096)
def start_literal(pattern: str) -> str | None:
    """The text (lowercased) a match must begin with when the regex is anchored at the start (`^FAIL\\s+`
    -> "fail"), or None. A line that does not begin with it cannot match: a startswith() test in place of
    an RE2 call on every line where a common anchor word ("fail", "error", "found") occurs."""
    try:
        parsed = list(_sre_parse.parse(pattern))
    except (re.error, RecursionError):
        return None
    if not parsed or parsed[0][0] is not AT or parsed[0][1] is not _sre_parse.AT_BEGINNING:
        return None
    chars = []
    for op, av in parsed[1:]:
        if op is not LITERAL:
            break
        chars.append(chr(av))
    text = "".join(chars).lower()
    return text if text.strip() else None


class LazyPattern:
    """A `re` pattern compiled on first use. A module's patterns cost start-up time on every run, and a
    paste of one error line needs few of them (the key-line rules hold dozens of large alternations)."""

    __slots__ = ("pattern", "flags", "_rx")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        self._rx: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(self.pattern, self.flags)
        return rx

    def match(self, *args):
        return (self._rx or self.compiled()).match(*args)

    def search(self, *args):
        return (self._rx or self.compiled()).search(*args)

    def fullmatch(self, *args):
        return (self._rx or self.compiled()).fullmatch(*args)

    def finditer(self, *args):
        return (self._rx or self.compiled()).finditer(*args)

    def findall(self, *args):
        return (self._rx or self.compiled()).findall(*args)

    def sub(self, *args):
        return (self._rx or self.compiled()).sub(*args)

    def __getattr__(self, name: str):  # anything else a pattern has (split, subn, groupindex ...)
        return getattr(self.compiled(), name)


def find_each(keys: list[bytes], text: bytes) -> list[tuple[int, int, int]]:
    """What the automaton's overlapping search returns, for a short text: every occurrence of every key
    as (key, start, end), in the automaton's order: by end, and among matches ending together the longest
    first (the order hits are recorded in is the order answers of equal rank come in)."""
    found = []
    find = text.find
    for ki, key in enumerate(keys):
        pos = find(key)
        while pos != -1:
            found.append((ki, pos, pos + len(key)))
            pos = find(key, pos + 1)
    found.sort(key=itemgetter(2, 1))
    return found


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _set_quality(anchors: list[str]) -> float:
    if not anchors:
        return 0
    return min(len(a.strip()) for a in anchors) - 0.01 * len(anchors)  # a boundary blank adds nothing


_SPACE_CATEGORIES = frozenset(getattr(_sre_parse, n) for n in ("CATEGORY_SPACE",) if hasattr(_sre_parse, n))


def _blank_only(sub) -> bool:
    """Is a parsed sub-pattern one blank (`\\s`, a space, a tab, or a class of blanks only)?"""
    items = list(sub)
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is LITERAL:
        return chr(av) in " \t"
    if op is _sre_parse.IN:
        return all((o is _sre_parse.CATEGORY and a in _SPACE_CATEGORIES) or (o is LITERAL and chr(a) in " \t")
                   for o, a in av)
    return False


def _anchor_sets(items) -> list[list[str]]:
    """Candidate anchor sets for a sequence of parsed items (each set: one of them must occur)."""
    sets: list[list[str]] = []
    run: list[str] = []

    def flush():
        if run:
            raw = "".join(run)
            text = _norm(raw)
            if text:
                # a blank the regex requires next to the literal is part of the anchor: the fast pass sees
                # every blank as one space ("fail " is far rarer than "fail" in a big log)
                sets.append([(" " if raw[0].isspace() else "") + text + (" " if raw[-1].isspace() else "")])
            run.clear()

    for op, av in items:
        if op in _REPEATS and av[0] >= 1 and run and _blank_only(av[2]):
            run.append(" ")  # `FAIL\s+`: the literal is followed by at least one blank
            flush()
            continue
        if op is LITERAL:
            run.append(chr(av))
        elif op is SUBPATTERN and all(o is LITERAL for o, _ in av[-1]):
            run.append("".join(chr(a) for _, a in av[-1]))
        elif op is SUBPATTERN:
            flush()
            sets.extend(_anchor_sets(av[-1]))
        elif op is BRANCH:
            flush()
            per_branch = []
            for branch in av[1]:
                cands = _anchor_sets(list(branch))
                if not cands:
                    per_branch = None
                    break
                per_branch.append(max(cands, key=_set_quality))
            if per_branch:
                sets.append(sorted({a for s in per_branch for a in s}))
        elif op in _REPEATS and av[0] >= 1:
            flush()
            sets.extend(_anchor_sets(av[2]))
        elif op is AT:
            continue
        else:
            flush()
    flush()
    return sets


@lru_cache(maxsize=4096)
def _compile_re2(pattern: str):
    import re2  # google-re2: linear-time matching

    opts = re2.Options()
    opts.log_errors = False
    opts.case_sensitive = False
    return re2.compile(pattern, options=opts)


def compile_signature(pattern: str):
    """A compiled, case-insensitive, linear-time matcher for a signature regex."""
    return _compile_re2(pattern)
