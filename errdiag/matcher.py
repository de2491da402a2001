"""Find candidate entries with one multi-keyword pass, verify and score them.

The fast pass runs an Aho-Corasick automaton (ahocorasick-rs, Rust) over a whole normalized chunk at once:
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

from . import regexes
from .models import Entry
from .normalize import after_level, normalize_block, normalize_line

# Only signature anchors are in the automaton: context and exclude phrases are looked for near a hit,
# so common words like "node" or "ssh" cost nothing on big logs.

# Scoring. A signature's strength is weight × specificity; specificity grows with the summed rarity
# (IDF) of its words, so "You exceeded your current quota" counts far more than "error: failed".
SPECIFICITY_SCALE = 9.0  # summed token weight at which a phrase is ~67% specific
REGEX_BONUS = 0.15  # a regex that matched is more specific than its anchor alone
SECOND_SIG = 0.35  # share of the second-best distinct signature added to the best
THIRD_SIG = 0.15  # ... and of the third
CONTEXT_BONUS = 0.12  # per distinct context phrase present, up to CONTEXT_CAP
CONTEXT_CAP = 0.3
CONTEXT_WINDOW = 30  # context and exclude phrases count within this many lines of a signature hit
MAX_WINDOWS = 4  # per entry: windows looked at (the first hits say enough about the context)
REFINE_MARGIN = 0.05  # a refining entry that hit beats its parent by at least this much

# The fuzzy tier (rapidfuzz) is a fallback for short inputs where no signature matched exactly:
# truncated terminal output, typos, a word changed between versions.
FUZZY_MAX_LINES = 150  # only pastes and short outputs; longer logs are exact-only (cost and false positives)
FUZZY_MAX_CANDIDATES = 40  # error-looking lines compared per input
FUZZY_MIN_KEY = 24  # characters: shorter phrases match too much by chance
FUZZY_CUTOFF = 92  # partial_ratio (0..100) below which a similarity is noise (tuned: loghub and near-misses)
FUZZY_FACTOR = 0.75  # a fuzzy hit is worth at most this share of the exact signature
_ERRORISH = re.compile(r"error|fatal|exception|fail|denied|refused|cannot|can't|unable|invalid|not found|"
                       r"no such|unknown|exceeded|too large|timed? ?out|panic|abort|traceback|unrecognized|"
                       r"wasn't recognized|not recognized|missing|forbidden|unauthorized|overloaded|limit")
# The DFA scans ~3.7 ms/MB faster but costs ~50 ms per 1,000 anchors to build (measured): switch to it
# once the input has shown it is big enough to pay that back.
DFA_BREAK_EVEN_BYTES_PER_KEY = 16 * 1024
MAX_REGEX_TRIES = 50_000  # per signature: a runaway anchor stops being tried (a miss, never a false hit)
WRAP_LINES = 2  # a regex may also match a line joined with this many neighbours each side (wrapping)
MAX_WRAP_RETRIES = 300  # per signature: an anchor that keeps failing is noise; stop the costly wrapped retry

_WORD = re.compile(r"\w+")  # Unicode words: a Chinese or Cyrillic signature is as specific as an English one


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
    exclude: set[int] = field(default_factory=set)
    windows: int = 0
    fuzzy: float | None = None  # similarity (0..100) when the hit came from the fuzzy tier


class Index:
    """A compiled knowledge base: entries, the automaton, and each signature's strength."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_id = {e.id: i for i, e in enumerate(entries)}
        self.strength: list[list[float]] = []
        self.prechecks: dict[tuple[int, int], list[list[str]]] = {}
        table: dict[str, list[tuple[int, int]]] = {}
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
                if s.kind == "regex":
                    self.prechecks[(ei, si)] = regexes.required_sets(s.pattern)
                for a in s.anchors:
                    table.setdefault(a, []).append((ei, si))
            self.strength.append(strengths)
        self.fuzzy_keys: list[str] = []
        self.fuzzy_refs: list[tuple[int, int]] = []
        for ei, e in enumerate(entries):
            if e.generic:
                continue
            for si, sig in enumerate(e.signatures):
                # literal phrases only: a regex encodes deliberate structure that similarity would undo
                phrase = sig.anchors[0]
                if sig.kind == "literal" and len(phrase) >= FUZZY_MIN_KEY and phrase.count(" ") >= 2:
                    self.fuzzy_keys.append(phrase)
                    self.fuzzy_refs.append((ei, si))
        self.keys = [k.encode("utf-8") for k in table]
        self.values = [tuple(v) for v in table.values()]
        self.empty = not table
        self._automaton = None
        self._dfa = None
        self.parent = {ei: self.by_id[e.refines] for ei, e in enumerate(entries)
                       if e.refines and e.refines in self.by_id}

    @property
    def automaton(self):
        """The compiled automaton over every anchor, as bytes (built on first use; ~5 ms for 1,200 keys)."""
        if self._automaton is None:
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.BytesAhoCorasick(self.keys)
        return self._automaton

    @property
    def big_automaton(self):
        """The same anchors as a full DFA: 10x slower to build (~60 ms), 2x faster to scan; for big inputs."""
        if self._dfa is None:
            import ahocorasick_rs

            self._dfa = ahocorasick_rs.BytesAhoCorasick(self.keys, implementation=ahocorasick_rs.Implementation.DFA)
        return self._dfa

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_automaton"] = None  # rebuilt after unpickling: the Rust objects do not pickle
        state["_dfa"] = None
        return state


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
        self._wrap_tries: Counter[tuple[int, int]] = Counter()
        self.lines_seen = 0
        self.bytes_seen = 0
        self.nonblank = False
        self.candidates: list[tuple[int, str]] = []  # (line, normalized text) for the fuzzy tier
        self.fuzzy_excerpts: dict[int, tuple[int, list[str]]] = {}  # line -> (start line, raw lines)

    def feed(self, block: str) -> None:
        """Scan one block: whole lines, except that a block may end mid-line (very long lines)."""
        if not block:
            return
        if not self.nonblank and not block.isspace():
            self.nonblank = True
        index = self.index
        start_line = self.line_no
        self.line_no += block.count("\n")
        self.lines_seen = self.line_no - 1 if block.endswith("\n") else self.line_no
        if index.empty:
            return
        text = normalize_block(block)
        if start_line <= FUZZY_MAX_LINES and len(self.candidates) < FUZZY_MAX_CANDIDATES:
            self._collect_candidates(text, block, start_line)
        t = text.encode("utf-8")
        self.bytes_seen += len(t)
        big = self.bytes_seen >= DFA_BREAK_EVEN_BYTES_PER_KEY * len(index.keys)
        ac = index.big_automaton if big else index.automaton
        found = ac.find_matches_as_indexes(t.replace(b"\n", b" "), overlapping=True)
        new: dict[int, list[int]] = {}  # entry -> lines with a confirmed hit in this block
        regex_todo: dict[tuple[int, int], list[int]] = {}
        pos = 0
        line = start_line
        values = index.values
        for ki, begin, end in found:  # byte offsets, in order of end position
            line += t.count(b"\n", pos, end)
            pos = end
            at = line - t.count(b"\n", begin, end)  # a literal may span a wrapped line
            token_ok = None
            for ei, si in values[ki]:
                sig = index.entries[ei].signatures[si]
                if sig.kind == "code":
                    if token_ok is None:
                        token_ok = _whole_token(t, begin, end)
                    if not token_ok:
                        continue
                elif sig.kind == "regex":
                    regex_todo.setdefault((ei, si), []).append(at)
                    continue
                self._record(ei, si, at, None)
                new.setdefault(ei, []).append(at)
        lines: list[str] | None = None
        if regex_todo:
            lines = block.split("\n")
            cache: dict[int, str] = {}
            lowered: dict[str, str] = {}
            for (ei, si), at in regex_todo.items():
                self._verify(ei, si, at, lines, start_line, new, cache, lowered)
        if not new:
            self._keep_tail(block, lines)
            return
        if lines is None:
            lines = block.split("\n")
        norm = text.split("\n")
        for ei, at in new.items():
            self._look_around(ei, at, norm, start_line)
            if ei not in self.excerpts:
                first = min(s.first for s in self.hits[ei].sigs.values())
                self.excerpts[ei] = self._excerpt(lines, start_line, first)
        self._keep_tail(block, lines)

    def state(self) -> dict:
        """What a scan found, as plain data (sent back from a child process scanning another part)."""
        return {"hits": self.hits, "excerpts": self.excerpts, "line_no": self.line_no,
                "lines_seen": self.lines_seen, "nonblank": self.nonblank}

    def merge(self, later: dict) -> None:
        """Add the findings of a scan of the input's *next* part (its line numbers continue ours)."""
        for ei, hb in later["hits"].items():
            ha = self.hits.get(ei)
            if ha is None:
                self.hits[ei] = hb
            else:
                for si, st in hb.sigs.items():
                    sa = ha.sigs.get(si)
                    if sa is None:
                        ha.sigs[si] = st
                        continue
                    sa.count += st.count
                    sa.first = min(sa.first, st.first)
                    sa.last = max(sa.last, st.last)
                    sa.captures = sa.captures or st.captures
                ha.context |= hb.context
                ha.exclude |= hb.exclude
                ha.windows += hb.windows
            if ei not in self.excerpts and ei in later["excerpts"]:
                self.excerpts[ei] = later["excerpts"][ei]
        self.line_no = later["line_no"]
        self.lines_seen = later["lines_seen"]
        self.nonblank = self.nonblank or later["nonblank"]

    def _collect_candidates(self, text: str, block: str, start_line: int) -> None:
        rows = text.split("\n", FUZZY_MAX_LINES + 1)  # only the head of a block can hold candidates
        originals = block.split("\n", FUZZY_MAX_LINES + 1)
        for i, row in enumerate(rows[: FUZZY_MAX_LINES]):
            if len(self.candidates) >= FUZZY_MAX_CANDIDATES:
                return
            if _ERRORISH.search(row):
                # with the next line: terminal output is often wrapped (and cut) at the screen edge
                nxt = rows[i + 1] if i + 1 < len(rows) else ""
                self.candidates.append((start_line + i, (row + " " + nxt).strip()[:600]))
                lo = max(0, i - 1)
                self.fuzzy_excerpts[start_line + i] = (start_line + lo, originals[lo: i + 2])

    def _verify(self, ei: int, si: int, at: list[int], lines: list[str], start_line: int,
                new: dict[int, list[int]], cache: dict[int, str], lowered: dict[str, str]) -> None:
        """Run a regex signature on the lines where its anchor occurred (and with a neighbour, for wraps)."""
        sig = self.index.entries[ei].signatures[si]
        rx = regexes.compile_signature(sig.pattern)
        key = (ei, si)
        anchored = sig.pattern.startswith("^")  # an unanchored search already looks past any prefix
        needs = self.index.prechecks.get(key) or []

        def norm(i: int) -> str:
            text = cache.get(i)
            if text is None:
                text = cache[i] = normalize_line(lines[i])
            return text

        def possible(text: str) -> bool:
            low = lowered.get(text)
            if low is None:
                low = lowered[text] = text.lower()
            return all(any(a in low for a in alternatives) for alternatives in needs)

        for ln in dict.fromkeys(at):
            if self._regex_tries[key] >= MAX_REGEX_TRIES:
                return
            self._regex_tries[key] += 1
            i = ln - start_line
            if i >= len(lines):
                continue
            text = norm(i)
            m = rx.search(text) if possible(text) else None
            if m is None and anchored:
                rest = after_level(text)  # "<time> app.worker ERROR <message>": try the message alone
                if rest is not None:
                    m = rx.search(rest)
            if m is None and len(lines) > 1 and self._wrap_tries[key] < MAX_WRAP_RETRIES:
                self._wrap_tries[key] += 1
                # a message wrapped over line breaks: one more try on the line with two neighbours each side
                span = range(max(0, i - WRAP_LINES), min(len(lines), i + 1 + WRAP_LINES))
                parts = [norm(j) for j in span]
                joined = " ".join(parts)
                m = rx.search(joined) if possible(joined) else None
                if m is not None:  # the line where the match starts
                    offset = 0
                    for j, part in zip(span, parts, strict=True):
                        if m.start() < offset + len(part) + 1:
                            ln = start_line + j
                            break
                        offset += len(part) + 1
            if m is not None:
                self._record(ei, si, ln, {k: v for k, v in m.groupdict().items() if v})
                new.setdefault(ei, []).append(ln)

    def _look_around(self, ei: int, at: list[int], norm: list[str], start_line: int) -> None:
        """Look for the entry's context and exclude phrases within CONTEXT_WINDOW lines of its hits."""
        e = self.index.entries[ei]
        h = self.hits[ei]
        if not (e.context or e.exclude) or h.windows >= MAX_WINDOWS:
            return
        for ln in sorted(set(at))[: MAX_WINDOWS - h.windows]:
            h.windows += 1
            i = ln - start_line
            window = " ".join(norm[max(0, i - CONTEXT_WINDOW): i + CONTEXT_WINDOW + 1])
            for ci, phrase in enumerate(e.context):
                if ci not in h.context and phrase in window:
                    h.context.add(ci)
            for xi, phrase in enumerate(e.exclude):
                if phrase in window:
                    h.exclude.add(xi)

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


_TOKEN_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")


def _whole_token(t: bytes, begin: int, end: int) -> bool:
    """True when t[begin:end] is not part of a longer identifier (bytes are already lowercase)."""
    return (begin == 0 or t[begin - 1] not in _TOKEN_BYTES) and (end >= len(t) or t[end] not in _TOKEN_BYTES)


def fuzzy_hits(index: Index, scanner: Scanner) -> dict[int, EntryHits]:
    """Entries whose signature phrases are *similar* to an error-looking line of a short input.

    An entry that already hit exactly (and was vetoed or scored too low) is not resurrected, and an
    entry's exclude phrases still veto it.
    """
    candidates = scanner.candidates
    if not candidates or not index.fuzzy_keys:
        return {}
    whole = " ".join(text for _, text in candidates)
    from rapidfuzz import fuzz, process

    best: dict[int, tuple[float, int, int]] = {}  # entry -> (similarity, signature, line)
    for line, text in candidates:
        for _key, sim, k in process.extract(text, index.fuzzy_keys, scorer=fuzz.partial_ratio,
                                            score_cutoff=FUZZY_CUTOFF, limit=5):
            ei, si = index.fuzzy_refs[k]
            if ei in scanner.hits or any(x in whole for x in index.entries[ei].exclude):
                continue
            if ei not in best or sim > best[ei][0]:
                best[ei] = (sim, si, line)
    out: dict[int, EntryHits] = {}
    for ei, (sim, si, line) in best.items():
        h = EntryHits()
        h.sigs[si] = SigStat(1, line, line, None)
        h.fuzzy = sim
        out[ei] = h
    return out


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
        fuzzy = h.fuzzy
        factor = 1.0 if fuzzy is None else FUZZY_FACTOR * (fuzzy - FUZZY_CUTOFF + 4) / (100 - FUZZY_CUTOFF + 4)
        strengths = sorted(((index.strength[ei][si] * factor, si) for si in h.sigs), reverse=True)
        best, best_si = strengths[0]
        total = best
        if len(strengths) > 1:
            total += SECOND_SIG * strengths[1][0]
        if len(strengths) > 2:
            total += THIRD_SIG * strengths[2][0]
        reasons = []
        for st, si in strengths:
            sig = e.signatures[si]
            tier = "fuzzy" if fuzzy is not None else "regex" if sig.kind == "regex" else "exact"
            reasons.append((sig.pattern, sig.kind, tier, h.sigs[si].first, st))
        if h.context:
            total += min(CONTEXT_CAP, CONTEXT_BONUS * len(h.context))
            for ci in sorted(h.context):
                reasons.append((e.context[ci], "context", "context", None, CONTEXT_BONUS))
        if h.exclude:
            continue  # the text around the hit says outright that it is another error
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
