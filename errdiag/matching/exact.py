"""The exact tier: one multi-keyword pass over each block, then verification of the lines that hit.

The fast pass runs an Aho-Corasick automaton (ahocorasick-rs, Rust) over a whole normalized block at once:
every literal, code and regex anchor of every entry in one scan, so the cost does not grow with the number
of entries. Only the lines where something hit are looked at again: codes get a whole-token check,
regexes (RE2, linear time) run on those lines only. Context and exclude phrases are looked for near a
hit, so common words like "node" or "ssh" cost nothing on big logs.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import regexes
from ..normalize import after_level, normalize_line
from .index import REGEX_COST
from .tier import EntryHits, Found, SigStat, Tier

CONTEXT_WINDOW = 30  # context phrases count within this many lines of a signature hit
# An exclude phrase vetoes a hit only from a line of the same stream: a timestamped record of a system log
# around a pasted error (or the reverse) is another message, and an unrelated "Permission denied" 18 lines
# up in it must not make a real error vanish.
EXCLUDE_WINDOW = CONTEXT_WINDOW
# A dated log record: a date, a time of day, or a Unix epoch stamp (seconds 2001-2033, or its ms/us/ns form). A
# long number that is no epoch stamp (`Exit status 3221225477`, `errno -1073741819`) is the message's own value:
# that line is the pasted error's stream, and its exclude phrase must still veto.
_RECORD = re.compile(r".{0,48}?(?:\d{4}[-/.]\d\d[-/.]\d\d|\d\d:\d\d:\d\d|(?<![-\d])\b1\d{9}(?:\d{3}){0,3}\b)")
MAX_WINDOWS = 4  # per entry: windows looked at (the first hits say enough about the context)
# The DFA scans ~3.7 ms/MB faster but costs ~50 ms per 1,000 anchors to build (measured): switch to it
# once the input has shown it is big enough to pay that back.
DFA_BREAK_EVEN_BYTES_PER_KEY = 16 * 1024
MAX_REGEX_TRIES = 50_000  # per signature: a runaway anchor stops being tried (a miss, never a false hit)
WRAP_LINES = 2  # a regex may also match a line joined with this many neighbours each side (wrapping)
LEVEL_REACH = 96  # where normalize.after_level's message can start, at the latest (80 + a level word + 2)
MAX_WRAP_RETRIES = 300  # per signature: an anchor that keeps failing is noise; stop the costly wrapped retry
# Bytes of input up to which the anchors are looked for one by one (bytes.find) instead of by the automaton:
# for a pasted error, ~2,000 finds cost ~0.3 ms and building the automaton ~10 ms of every start.
SMALL_TEXT = 2048
# A big input: once PREFILTER_AFTER bytes are scanned, the regex signatures whose anchors have sent them
# NOISY_TRIES lines or more so far (common words: "error", "fail", an HTTP code) are taken off the anchor
# path and looked for by one Hyperscan pass per block instead (prefilter.py), when the wheel is there.
# The decision is taken on what this input showed, so the database stays small (~100 patterns, ~1 s to
# compile once, then cached; all 1,900 regex signatures would take ~16 s) and a paste never pays for it.
PREFILTER_AFTER = 3 * 1024 * 1024  # with a database cached for this input's noisy signatures
# Without one: compiling costs ~5 ms per regex signature (~0.6 s), paid back on the rest of an input this
# big. The second half of a file scanned in two processes (scan.py) only ever takes a cached database
# (compiling the same one twice at once would cost more than that half saves): it looks for the one the first
# half writes every COMPILE_AFTER bytes.
COMPILE_AFTER = 16 * 1024 * 1024
NOISY_TRIES = 64
# Every COMPILE_AFTER bytes, the regex signatures still on the anchor path that have been tried NOISY_PER_MB
# times per MB so far join the prefilter too (a big log changes along its length: the first 3 MB are one
# step or one service). A try costs ~4.5 us, one more pattern in the Hyperscan database ~14 us per MB
# (measured): past ~3 tries per MB a signature is cheaper in the database.
NOISY_PER_MB = 4


class ExactTier(Tier):
    """Literal, code and regex signatures; collects per-entry hits with line numbers and excerpts."""

    name = "exact"

    def __init__(self, index, excerpt_lines: tuple[int, int] = (4, 3)):
        super().__init__(index)
        self.hits: dict[int, EntryHits] = {}
        self.excerpts: dict[int, tuple[int, list[str]]] = {}  # entry -> (start line, raw lines)
        self.before, self.after = excerpt_lines
        self._tail: list[str] = []  # the last lines of the previous block, for excerpt context
        self._regex_tries: Counter[tuple[int, int]] = Counter()
        self._wrap_tries: Counter[tuple[int, int]] = Counter()
        self._prechecks: dict[tuple[int, int], tuple] = {}  # regex signature -> required literals, split
        self.bytes_seen = 0
        plan = index.budgets
        self._group_of = plan.group_of
        self._spent = [0] * len(plan.names)  # matching work per budget group (see index.PACK_BUDGET)
        self._limit = plan.limit
        self._hit_cost = plan.hit_cost
        self._values = index.values  # a copy without the groups whose budget ran out, once one has
        self.exhausted: list[str] = []  # origins whose budget ran out on this input
        self._prefilter = None  # prefilter.Prefilter, once this input is big and has noisy regex anchors
        self._prefilter_decided = False
        self._noisy: list[tuple[int, int]] | None = None  # the signatures chosen for it (once, at PREFILTER_AFTER)
        self._first_line: int | None = None  # where this scan started (> 1: the second half of a file)
        self._next_try = COMPILE_AFTER  # (the second half looks for the first half's database again then)

    def found(self, earlier: dict[int, EntryHits], lines_seen: int) -> Found:
        return Found(self.hits, self.excerpts)

    def feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None,
             data: bytes | None = None) -> None:
        """Scan one block: whole lines, except that a block may end mid-line (very long lines); `lines`: the
        block split at newlines and `data` its normalized text as UTF-8, when the scanner made them."""
        index = self.index
        if index.empty:
            return
        t = data if data is not None else text.encode("utf-8")
        if self._first_line is None:
            self._first_line = start_line
        self.bytes_seen += len(t)
        big = self.bytes_seen >= DFA_BREAK_EVEN_BYTES_PER_KEY * len(index.keys)
        candidates = None
        if self._prefilter is not None and self.bytes_seen >= self._next_try and NOISY_TRIES > 0:
            self._widen()
        if self._prefilter is not None:  # one Hyperscan pass: the anchors and the noisy regexes at once
            found, candidates = self._prefilter.scan(t, start_line)
        elif self.bytes_seen <= SMALL_TEXT:  # a paste: looking for each key costs less than building the automaton
            found = regexes.find_each(index.keys, t.replace(b"\n", b" "))
        else:
            ac = index.big_automaton if big else index.automaton
            found = ac.find_matches_as_indexes(t.replace(b"\n", b" "), overlapping=True)
        new: dict[int, list[int]] = {}  # entry -> lines with a confirmed hit in this block
        regex_todo: dict[tuple[int, int], list[int]] = {}
        pos = 0
        line = start_line
        values = self._values
        hit_cost, spent, limit = self._hit_cost, self._spent, self._limit
        spaced = _spaced(index)
        count = t.count
        for ki, begin, end in found:  # byte offsets, in order of end position
            refs = values[ki]
            if hit_cost is not None and hit_cost[ki]:
                for g, n in hit_cost[ki]:
                    spent[g] += n
                    if spent[g] > limit[g]:
                        self._exhaust(g)
                        values, hit_cost = self._values, self._hit_cost
                        refs = values[ki]
            if not refs:
                continue
            line += count(b"\n", pos, end)
            pos = end
            at = line - count(b"\n", begin, end) if spaced[ki] else line  # a phrase may span a wrapped line
            token_ok = None
            for ei, si in refs:
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
        if (candidates is None and not self._prefilter_decided and self.bytes_seen >= PREFILTER_AFTER
                and (self._noisy is None or self.bytes_seen >= self._next_try)
                and self._take_noisy_regexes(regex_todo)):  # from this block on: its noisy regexes by Hyperscan
            moved = set(self._prefilter.sigs)
            regex_todo = {k: v for k, v in regex_todo.items() if k not in moved}
            candidates = self._prefilter.scan(t, start_line)[1]
        if candidates:
            self._prefiltered(candidates, regex_todo)
            # in the order the anchors would have come in: by the first line (stable for the others)
            regex_todo = dict(sorted(regex_todo.items(), key=lambda kv: kv[1][0]))
        if regex_todo:
            if lines is None:
                lines = block.split("\n")
            cache: dict[int, str] = {}
            lowered: dict[int, str] = {}
            moved = self._prefilter.moved if self._prefilter is not None else ()
            for (ei, si), at in regex_todo.items():
                self._verify(ei, si, at, lines, start_line, new, cache, lowered, (ei, si) in moved)
        if not new:
            self._keep_tail(block, lines)
            return
        if lines is None:
            lines = block.split("\n")
        norm: list[str] | None = None  # (split only for an entry that still looks around its hits)
        entries = index.entries
        for ei, at in new.items():
            e = entries[ei]
            if (e.context or e.exclude) and self.hits[ei].windows < MAX_WINDOWS:
                if norm is None:
                    norm = text.split("\n")
                self._look_around(ei, at, norm, start_line)
            if ei not in self.excerpts:
                first = min(s.first for s in self.hits[ei].sigs.values())
                self.excerpts[ei] = self._excerpt(lines, start_line, first)
        self._keep_tail(block, lines)

    def state(self) -> dict:
        return {"hits": self.hits, "excerpts": self.excerpts, "exhausted": self.exhausted}

    def merge(self, later: dict) -> None:
        self.exhausted += [x for x in later.get("exhausted", ()) if x not in self.exhausted]
        for entry_no, theirs in later["hits"].items():
            ours = self.hits.get(entry_no)
            if ours is None:
                self.hits[entry_no] = theirs
            else:
                for sig_no, stat in theirs.sigs.items():
                    mine = ours.sigs.get(sig_no)
                    if mine is None:
                        ours.sigs[sig_no] = stat
                        continue
                    mine.count += stat.count
                    mine.first = min(mine.first, stat.first)
                    mine.last = max(mine.last, stat.last)
                    mine.captures = mine.captures or stat.captures
                ours.context |= theirs.context
                ours.exclude |= theirs.exclude
                ours.windows += theirs.windows
            if entry_no not in self.excerpts and entry_no in later["excerpts"]:
                self.excerpts[entry_no] = later["excerpts"][entry_no]

    def _verify(self, ei: int, si: int, at: list[int], lines: list[str], start_line: int,
                new: dict[int, list[int]], cache: dict[int, str], lowered: dict[int, str],
                ends: bool = False) -> None:
        """Run a regex signature on the lines where its anchor occurred (and with a neighbour, for wraps).
        `ends`: the lines are where the prefilter saw a match END (it may have begun up to 2 * WRAP_LINES
        lines above: then the lines joined for a wrapped message also end there)."""
        sig = self.index.entries[ei].signatures[si]
        pattern = sig.pattern
        compiled = regexes.compile_signature  # on the first line that passes the cheap tests (RE2 compiles slowly)
        key = (ei, si)
        anchored = sig.pattern.startswith("^")  # an unanchored search already looks past any prefix
        got = self._prechecks.get(key)
        if got is None:
            got = self._prechecks[key] = _split_prechecks(self.index.prechecks.get(key))
        singles, multis = got
        start = regexes.start_literal(sig.pattern) if anchored else None  # `^FAIL\s`: the line must begin "fail"
        n = len(lines)

        def possible(low: str) -> bool:
            for a in singles:
                if a not in low:
                    return False
            for alternatives in multis:
                for a in alternatives:
                    if a in low:
                        break
                else:
                    return False
            return True

        group = self._group_of[ei]
        spent, limit = self._spent, self._limit
        tries = self._regex_tries[key]
        for ln in dict.fromkeys(at):
            if tries >= MAX_REGEX_TRIES or spent[group] > limit[group]:
                break
            tries += 1
            i = ln - start_line
            if i >= n:
                continue
            text = cache.get(i)
            if text is None:
                text = cache[i] = normalize_line(lines[i])
            spent[group] += REGEX_COST + (len(text) >> 9)
            low = lowered.get(i)
            if low is None:
                low = lowered[i] = text.lower()
            ok = possible(low)  # the message after a level marker is part of the line: it needs them too
            # `start`: the same answers without the regex engine on lines that cannot begin with it
            m = compiled(pattern).search(text) if ok and (start is None or begins(text, start)) else None
            if m is None and ok and anchored and (start is None or start in low[:LEVEL_REACH + len(start)]):
                rest = after_level(text)  # "<time> app.worker ERROR <message>": try the message alone
                if rest is not None and (start is None or begins(rest, start)):
                    m = compiled(pattern).search(rest)
            # a message wrapped over line breaks: one more try on the line with two neighbours each side (and,
            # where a match ended on this line, on it with the lines above, where that match began)
            retry = m is None and n > 1 and self._wrap_tries[key] < MAX_WRAP_RETRIES
            if retry:
                self._wrap_tries[key] += 1
            for below in (WRAP_LINES, 0) if ends and retry else (WRAP_LINES,) if retry else ():
                if m is not None:
                    break
                span = range(max(0, i - 2 * WRAP_LINES + below), min(n, i + 1 + below))
                parts = []
                for j in span:
                    part = cache.get(j)
                    if part is None:
                        part = cache[j] = normalize_line(lines[j])
                    parts.append(part)
                joined = " ".join(parts)
                spent[group] += REGEX_COST + (len(joined) >> 9)
                worth = (start is None or begins(joined, start)) and possible(joined.lower())
                m = compiled(pattern).search(joined) if worth else None
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
        self._regex_tries[key] = tries
        if spent[group] > limit[group] and self.index.budgets.names[group] not in self.exhausted:
            self._exhaust(group)

    def _take_noisy_regexes(self, todo: dict[tuple[int, int], list[int]]) -> bool:
        """Hand the bundled regex signatures whose anchors are noisy on this input (so far, and in the block
        at hand: `todo`) to a Hyperscan prefilter; True when it is on. The signatures are chosen once; the
        database is taken from the cache then, or compiled once the input reaches COMPILE_AFTER bytes."""
        from .prefilter import available, build

        group_of = self._group_of
        if self._noisy is None:
            if NOISY_TRIES > 0:
                tries = Counter(self._regex_tries)
                for k, at in todo.items():
                    tries[k] += len(set(at))
                noisy = [k for k, n in tries.items() if n >= NOISY_TRIES and not group_of[k[0]]]
            else:  # every bundled regex signature (bench/same_output.py --force: the strict check)
                noisy = [(ei, si) for ei, e in enumerate(self.index.entries) if not group_of[ei]
                         for si, s in enumerate(e.signatures) if s.kind == "regex"]
            self._noisy = noisy
            if not noisy or not available():
                self._prefilter_decided = True
                return False
        compile_now = self.bytes_seen >= COMPILE_AFTER and self._first_line == 1
        if self.bytes_seen >= self._next_try:
            self._next_try = self.bytes_seen + COMPILE_AFTER
        wanted = self._noisy
        if compile_now:  # with the ones noisy since: one compile rather than one now and one at the next check
            wanted = sorted(set(wanted) | set(self._noisy_since(todo)))
        pf = build(self.index, wanted, self.cache_dir, compile=compile_now)
        if pf is None:
            if compile_now:
                self._prefilter_decided = True  # Hyperscan refused: the anchor path for the rest
            return False
        self._prefilter_decided = True
        self._install(pf)
        return True

    def _noisy_since(self, todo: dict[tuple[int, int], list[int]] | None = None) -> list[tuple[int, int]]:
        """The bundled regex signatures on the anchor path tried NOISY_PER_MB times per MB so far (`todo`: the
        block at hand's tries, not counted yet)."""
        least = NOISY_PER_MB * self.bytes_seen / (1 << 20)
        moved = self._prefilter.moved if self._prefilter is not None else ()
        group_of = self._group_of
        tries = Counter(self._regex_tries)
        for k, at in (todo or {}).items():
            tries[k] += len(set(at))
        return [k for k, n in tries.items() if n >= least and not group_of[k[0]] and k not in moved]

    def _widen(self) -> None:
        """Every COMPILE_AFTER bytes: the signatures noisy since join the prefilter (compiled by the scan of
        a file's first part; the second half only takes a cached database that holds at least its own)."""
        from .prefilter import build

        self._next_try = self.bytes_seen + COMPILE_AFTER
        new = self._noisy_since()
        if not new:
            return
        old = self._prefilter.moved
        pf = build(self.index, sorted(old | set(new)), self.cache_dir, compile=self._first_line == 1)
        if pf is not None and pf.moved > old:
            self._install(pf)

    def _install(self, pf) -> None:
        """Look for the prefilter's signatures with it from now on (off the anchor path)."""
        self._prefilter = pf
        moved = pf.moved  # (those Hyperscan took)
        self._values = [tuple(r for r in refs if r not in moved) if refs else refs for refs in self._values]

    def _prefiltered(self, candidates: dict[int, list[int]], regex_todo: dict[tuple[int, int], list[int]]) -> None:
        """Add the lines where the prefilter saw one of its signatures to the regex signatures' lines to try."""
        spent, limit, group_of = self._spent, self._limit, self._group_of
        sigs = self._prefilter.sigs
        for i, lines in candidates.items():
            key = sigs[i]
            if spent[group_of[key[0]]] <= limit[group_of[key[0]]]:
                regex_todo.setdefault(key, []).extend(lines)

    def _exhaust(self, group: int) -> None:
        """A budget group spent its budget: its signatures are not looked for in the rest of this input."""
        name = self.index.budgets.names[group]
        if name in self.exhausted:
            return
        self.exhausted.append(name)
        group_of = self._group_of
        self._values = [tuple(r for r in refs if group_of[r[0]] != group) for refs in self._values]
        if self._hit_cost is not None:
            self._hit_cost = [tuple(c for c in cost if c[0] != group) for cost in self._hit_cost]

    def _look_around(self, ei: int, at: list[int], norm: list[str], start_line: int) -> None:
        """Look for the entry's context and exclude phrases within CONTEXT_WINDOW lines of its hits."""
        e = self.index.entries[ei]
        hits = self.hits[ei]
        if not (e.context or e.exclude) or hits.windows >= MAX_WINDOWS:
            return
        for ln in sorted(set(at))[: MAX_WINDOWS - hits.windows]:
            hits.windows += 1
            i = ln - start_line
            window = " ".join(norm[max(0, i - CONTEXT_WINDOW): i + CONTEXT_WINDOW + 1])
            for ci, phrase in enumerate(e.context):
                if ci not in hits.context and phrase in window:
                    hits.context.add(ci)
            if e.exclude and any(phrase in window for phrase in e.exclude):
                record = bool(_RECORD.match(norm[i])) if 0 <= i < len(norm) else False
                near = " ".join(x for x in norm[max(0, i - EXCLUDE_WINDOW): i + EXCLUDE_WINDOW + 1]
                                if bool(_RECORD.match(x)) == record)
                for xi, phrase in enumerate(e.exclude):
                    if phrase in near:
                        hits.exclude.add(xi)

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

    def _record(self, ei: int, si: int, line: int, caps: dict[str, str] | None) -> None:
        hits = self.hits.get(ei)
        if hits is None:
            hits = self.hits[ei] = EntryHits()
        stat = hits.sigs.get(si)
        if stat is None:
            hits.sigs[si] = SigStat(1, line, line, caps)
            return
        stat.count += 1
        stat.last = max(stat.last, line)
        stat.first = min(stat.first, line)
        if caps and not stat.captures:
            stat.captures = caps


_SPACED: dict[int, tuple[object, list[bool]]] = {}


def _spaced(index) -> list[bool]:
    """Per AC key: does it hold a space (so that a match may span a line break turned into a space)?"""
    got = _SPACED.get(id(index))
    if got is None or got[0] is not index.keys:
        got = _SPACED[id(index)] = (index.keys, [b" " in k for k in index.keys])
        if len(_SPACED) > 8:
            _SPACED.pop(next(iter(_SPACED)))
    return got[1]


def _split_prechecks(needs) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A regex signature's required literals: those with one form, and the sets of alternatives."""
    needs = needs or []
    return tuple(a[0] for a in needs if len(a) == 1), tuple(tuple(a) for a in needs if len(a) > 1)


def begins(text: str, start: str) -> bool:
    """Does `text` begin with `start` (lowercase), ignoring case as the signature regexes do?"""
    return text[:len(start) + 8].lower().startswith(start)


_TOKEN_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")


def _whole_token(t: bytes, begin: int, end: int) -> bool:
    """True when t[begin:end] is not part of a longer identifier (bytes are already lowercase)."""
    return (begin == 0 or t[begin - 1] not in _TOKEN_BYTES) and (end >= len(t) or t[end] not in _TOKEN_BYTES)
