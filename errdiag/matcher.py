"""Find candidate entries with one multi-keyword pass, verify and score them.

The fast pass runs an Aho-Corasick automaton (pyahocorasick, C) over a whole normalized chunk at once:
every literal, code, regex anchor, context and exclude phrase of every entry in one scan, so the cost
does not grow with the number of entries. Only the lines where something hit are looked at again:
codes get a whole-token check, regexes (RE2, linear time) run on those lines only.

All thresholds are named constants here, with the reason for their value.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import ahocorasick

from . import regexes
from .models import Entry
from .normalize import normalize_block, normalize_line

# Kinds of automaton values.
SIG, CTX, EXC = 0, 1, 2

# Scoring. A signature's strength is weight × specificity; specificity grows with the summed rarity
# (IDF) of its words, so "You exceeded your current quota" counts far more than "error: failed".
SPECIFICITY_SCALE = 9.0  # summed token weight at which a phrase is ~67% specific
REGEX_BONUS = 0.15  # a regex that matched is more specific than its anchor alone
SECOND_SIG = 0.35  # share of the second-best distinct signature added to the best
THIRD_SIG = 0.15  # ... and of the third
CONTEXT_BONUS = 0.12  # per distinct context phrase present, up to CONTEXT_CAP
CONTEXT_CAP = 0.3
EXCLUDE_NEAR = 12  # an exclude phrase within this many lines of a hit vetoes the entry outright
EXCLUDE_FACTOR = 0.5  # further away (another part of a log), the entry keeps half its score
REFINE_MARGIN = 0.05  # a refining entry that hit beats its parent by at least this much

MAX_REGEX_TRIES = 2000  # per signature: after this many confirmed hits, anchors count as hits
MAX_SPAN_LINES = 1  # a regex may also match a line joined with the next one (wrapped messages)

_WORD = re.compile(r"[a-z0-9_]+")
_TOKEN_CHAR = re.compile(r"[a-z0-9_]")


@dataclass
class SigStat:
    count: int = 0
    first: int = 0
    last: int = 0
    captures: dict[str, str] | None = None


@dataclass
class EntryHits:
    sigs: dict[int, SigStat] = field(default_factory=dict)
    context: set[int] = field(default_factory=set)
    exclude: dict[int, list[int]] = field(default_factory=dict)  # phrase -> lines (first few)


class Index:
    """A compiled knowledge base: entries, the automaton, and each signature's strength."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_id = {e.id: i for i, e in enumerate(entries)}
        self.strength: list[list[float]] = []
        self.automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[int, int, int]]] = {}
        idf = _idf(entries)
        for ei, e in enumerate(entries):
            strengths = []
            for si, s in enumerate(e.signatures):
                if s.kind == "regex":
                    spec = min(_specificity(a, idf) for a in s.anchors) + REGEX_BONUS
                    spec = max(spec, _specificity(_regex_words(s.pattern), idf))
                else:
                    spec = _specificity(s.anchors[0], idf)
                strengths.append(round(s.weight * min(spec, 1.0), 4))
                for a in s.anchors:
                    table.setdefault(a, []).append((SIG, ei, si))
            self.strength.append(strengths)
            for ci, p in enumerate(e.context):
                if len(p) >= 3:
                    table.setdefault(p, []).append((CTX, ei, ci))
            for xi, p in enumerate(e.exclude):
                if len(p) >= 3:
                    table.setdefault(p, []).append((EXC, ei, xi))
        for key, vals in table.items():
            self.automaton.add_word(key, (len(key), tuple(vals)))
        if table:
            self.automaton.make_automaton()
        self.empty = not table
        self.parent = {ei: self.by_id[e.refines] for ei, e in enumerate(entries)
                       if e.refines and e.refines in self.by_id}


def _regex_words(pattern: str) -> str:
    return " ".join(w for w in re.findall(r"[A-Za-z_]{3,}", re.sub(r"\\[A-Za-z]", " ", pattern)))


def _idf(entries: list[Entry]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for e in entries:
        words = set()
        for s in e.signatures:
            for a in s.anchors:
                words.update(_WORD.findall(a))
        df.update(words)
    n = max(len(entries), 1)
    return {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()} | {"": math.log(n + 1) + 1}


def _specificity(phrase: str, idf: dict[str, float]) -> float:
    default = idf[""]
    total = 0.0
    for w in _WORD.findall(phrase.lower()):
        if len(w) < 2:
            continue
        total += idf.get(w, default) * (0.5 + min(len(w), 16) / 16)
    # punctuation-heavy literals like "[openai]" or "npm err!" still carry some signal
    return 1 - math.exp(-total / SPECIFICITY_SCALE)


class Scanner:
    """Feed blocks of whole lines; collects per-entry hits with line numbers and excerpts."""

    def __init__(self, index: Index, excerpt_lines: tuple[int, int] = (4, 3)):
        self.index = index
        self.hits: dict[int, EntryHits] = {}
        self.line_no = 1  # the line the next block starts on
        self.excerpts: dict[int, tuple[int, list[str]]] = {}  # entry -> (start line, raw lines)
        self.before, self.after = excerpt_lines
        self._tail: list[str] = []  # the last lines of the previous block, for excerpt context
        self._regex_tries: Counter[tuple[int, int]] = Counter()
        self.lines_seen = 0
        self.nonblank = False

    def feed(self, block: str) -> None:
        """Scan one block: whole lines, except that a block may end mid-line (very long lines)."""
        if not block:
            return
        if not self.nonblank and block.strip():
            self.nonblank = True
        index = self.index
        start_line = self.line_no
        newlines = block.count("\n")
        self.line_no += newlines
        self.lines_seen = self.line_no - 1 if block.endswith("\n") else self.line_no
        if index.empty:
            return
        t = normalize_block(block)
        flat = t.replace("\n", " ")
        found = list(index.automaton.iter(flat))
        if not found:
            self._keep_tail(block)
            return
        lines: list[str] | None = None
        pos = 0
        line = start_line
        regex_todo: dict[tuple[int, int], list[int]] = {}
        for end, (length, vals) in sorted(found, key=lambda f: f[0] - f[1][0]):
            begin = end - length + 1
            line += t.count("\n", pos, begin)
            pos = begin
            token_ok = None
            for kind, ei, si in vals:
                e = index.entries[ei]
                if kind == SIG:
                    sig = e.signatures[si]
                    if sig.kind == "code":
                        if token_ok is None:
                            token_ok = _whole_token(flat, begin, end + 1)
                        if not token_ok:
                            continue
                    if sig.kind == "regex":
                        regex_todo.setdefault((ei, si), []).append(line)
                        continue
                    self._record(ei, si, line, None)
                elif kind == CTX:
                    self._entry(ei).context.add(si)
                else:
                    at = self._entry(ei).exclude.setdefault(si, [])
                    if len(at) < 64:
                        at.append(line)
        if regex_todo:
            lines = block.split("\n")
            for (ei, si), at in regex_todo.items():
                sig = index.entries[ei].signatures[si]
                rx = regexes.compile_signature(sig.pattern)
                for ln in dict.fromkeys(at):
                    key = (ei, si)
                    if self._regex_tries[key] >= MAX_REGEX_TRIES:
                        self._record(ei, si, ln, None)
                        continue
                    self._regex_tries[key] += 1
                    i = ln - start_line
                    text = normalize_line(lines[i])
                    m = rx.search(text)
                    if m is None and i + 1 < len(lines):
                        m = rx.search(text + " " + normalize_line(lines[i + 1]))
                    if m is None and i > 0:
                        m = rx.search(normalize_line(lines[i - 1]) + " " + text)
                        ln = ln - 1 if m is not None else ln
                    if m is not None:
                        caps = {k: v for k, v in m.groupdict().items() if v}
                        self._record(ei, si, ln, caps)
        # excerpts for entries first seen in this block
        for ei, h in self.hits.items():
            if ei in self.excerpts or not h.sigs:
                continue
            first = min(s.first for s in h.sigs.values())
            if lines is None:
                lines = block.split("\n")
            self.excerpts[ei] = self._excerpt(lines, start_line, first)
        self._keep_tail(block, lines)

    def _keep_tail(self, block: str, lines: list[str] | None = None) -> None:
        if lines is None:
            lines = block[-8192:].split("\n")
        if block.endswith("\n"):
            lines = lines[:-1]
        self._tail = lines[-self.before:] if self.before else []

    def _excerpt(self, lines: list[str], start_line: int, first: int) -> tuple[int, list[str]]:
        """The lines around `first`: up to `before` above and `after` below, stopping at blank lines."""
        context = self._tail + lines
        j = first - start_line + len(self._tail)
        j = min(max(j, 0), len(context) - 1)
        lo = j
        while lo > 0 and j - lo < self.before and context[lo - 1].strip():
            lo -= 1
        hi = j
        while hi + 1 < len(context) and hi - j < self.after and context[hi + 1].strip():
            hi += 1
        return first - (j - lo), context[lo:hi + 1]

    def _entry(self, ei: int) -> EntryHits:
        h = self.hits.get(ei)
        if h is None:
            h = self.hits[ei] = EntryHits()
        return h

    def _record(self, ei: int, si: int, line: int, caps: dict[str, str] | None) -> None:
        h = self._entry(ei)
        st = h.sigs.get(si)
        if st is None:
            h.sigs[si] = SigStat(1, line, line, caps)
            return
        st.count += 1
        st.last = max(st.last, line)
        st.first = min(st.first, line)
        if caps and not st.captures:
            st.captures = caps


def _whole_token(flat: str, begin: int, end: int) -> bool:
    before = flat[begin - 1] if begin > 0 else " "
    after = flat[end] if end < len(flat) else " "
    return not _TOKEN_CHAR.match(before) and not _TOKEN_CHAR.match(after)


@dataclass(frozen=True)
class Scored:
    entry_index: int
    score: float
    best_sig: int
    first: int
    last: int
    count: int
    captures: dict[str, str]
    reasons: tuple[tuple[str, str, str, int | None, float], ...]  # (signature, kind, tier, line, strength)


def score(index: Index, hits: dict[int, EntryHits]) -> list[Scored]:
    """Score every entry with at least one signature hit."""
    raw: dict[int, Scored] = {}
    for ei, h in hits.items():
        if not h.sigs:
            continue
        e = index.entries[ei]
        strengths = sorted(((index.strength[ei][si], si) for si in h.sigs), reverse=True)
        best, best_si = strengths[0]
        total = best
        if len(strengths) > 1:
            total += SECOND_SIG * strengths[1][0]
        if len(strengths) > 2:
            total += THIRD_SIG * strengths[2][0]
        reasons = []
        for st, si in strengths:
            sig = e.signatures[si]
            tier = "regex" if sig.kind == "regex" else "exact"
            reasons.append((sig.pattern, sig.kind, tier, h.sigs[si].first, st))
        if h.context:
            total += min(CONTEXT_CAP, CONTEXT_BONUS * len(h.context))
            for ci in sorted(h.context):
                reasons.append((e.context[ci], "context", "context", None, CONTEXT_BONUS))
        if h.exclude:
            hit_lines = [ln for st in h.sigs.values() for ln in (st.first, st.last)]
            near = any(abs(x - ln) <= EXCLUDE_NEAR for xs in h.exclude.values() for x in xs for ln in hit_lines)
            if near:
                continue  # the text says outright that it is another error
            total *= EXCLUDE_FACTOR
            for xi in sorted(h.exclude):
                reasons.append((e.exclude[xi], "exclude", "exclude", h.exclude[xi][0], -1.0))
        captures: dict[str, str] = {}
        for si in sorted(h.sigs, key=lambda s: h.sigs[s].first):
            for k, v in (h.sigs[si].captures or {}).items():
                captures.setdefault(k, v)
        first = min(s.first for s in h.sigs.values())
        last = max(s.last for s in h.sigs.values())
        count = max(s.count for s in h.sigs.values())
        raw[ei] = Scored(ei, total, best_si, first, last, count, captures, tuple(reasons))
    # a refining entry that hit outranks the entry it refines
    for child, parent in index.parent.items():
        if child in raw and parent in raw and raw[child].score <= raw[parent].score + REFINE_MARGIN:
            c = raw[child]
            raw[child] = Scored(c.entry_index, raw[parent].score + REFINE_MARGIN, c.best_sig, c.first,
                                c.last, c.count, c.captures,
                                c.reasons + ((index.entries[parent].id, "refines", "refines", None, 0.0),))
    return list(raw.values())
