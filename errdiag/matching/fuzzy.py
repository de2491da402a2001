"""The fuzzy tier (rapidfuzz): a fallback for short inputs where no signature matched exactly:
truncated terminal output, typos, a word changed between versions."""

from __future__ import annotations

import re

from .tier import EntryHits, Found, SigStat, Tier

FUZZY_MAX_LINES = 150  # only pastes and short outputs; longer logs are exact-only (cost and false positives)
FUZZY_MAX_CANDIDATES = 40  # error-looking lines compared per input
FUZZY_CUTOFF = 92  # partial_ratio (0..100) below which a similarity is noise (tuned: loghub and near-misses)
FUZZY_FACTOR = 0.75  # a fuzzy hit is worth at most this share of the exact signature
# partial_ratio aligns the shorter string inside the longer: a line much shorter than a phrase ("failed")
# scores 100 against every phrase that holds it. A line must be at least this share of the phrase's length.
FUZZY_MIN_SHARE = 0.5
_ERRORISH = re.compile(r"error|fatal|exception|fail|denied|refused|cannot|can't|unable|invalid|not found|"
                       r"no such|unknown|exceeded|too large|timed? ?out|panic|abort|traceback|unrecognized|"
                       r"wasn't recognized|not recognized|missing|forbidden|unauthorized|overloaded|limit")


class FuzzyTier(Tier):
    """Entries whose signature phrases are *similar* to an error-looking line of a short input.

    An entry that already hit in an earlier tier (and was vetoed or scored too low) is not resurrected,
    and an entry's exclude phrases still veto it. Only the first FUZZY_MAX_LINES lines are looked at, so
    the second half of a parallel scan has nothing to add (state/merge are the defaults).
    """

    name = "fuzzy"
    fallback = True

    def __init__(self, index):
        super().__init__(index)
        self.candidates: list[tuple[int, str]] = []  # (line, normalized text)
        self.excerpts: dict[int, tuple[int, list[str]]] = {}  # line -> (start line, raw lines)

    def feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None,
             data: bytes | None = None) -> None:
        if self.index.empty or start_line > FUZZY_MAX_LINES or len(self.candidates) >= FUZZY_MAX_CANDIDATES:
            return
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
                self.excerpts[start_line + i] = (start_line + lo, originals[lo: i + 2])

    def found(self, earlier: dict[int, EntryHits], lines_seen: int) -> Found:
        index = self.index
        if lines_seen > FUZZY_MAX_LINES or not self.candidates or not index.fuzzy_keys:
            return Found()
        whole = " ".join(text for _, text in self.candidates)
        from rapidfuzz import fuzz, process

        best: dict[int, tuple[float, int, int]] = {}  # entry -> (similarity, signature, line)
        for line, text in self.candidates:
            for key, sim, k in process.extract(text, index.fuzzy_keys, scorer=fuzz.partial_ratio,
                                               score_cutoff=FUZZY_CUTOFF, limit=5):
                if len(text) < FUZZY_MIN_SHARE * len(key):
                    continue
                entry_no, sig_no = index.fuzzy_refs[k]
                if entry_no in earlier or any(x in whole for x in index.entries[entry_no].exclude):
                    continue
                if entry_no not in best or sim > best[entry_no][0]:
                    best[entry_no] = (sim, sig_no, line)
        out = Found()
        for entry_no, (sim, sig_no, line) in best.items():
            factor = FUZZY_FACTOR * (sim - FUZZY_CUTOFF + 4) / (100 - FUZZY_CUTOFF + 4)
            out.hits[entry_no] = EntryHits(sigs={sig_no: SigStat(1, line, line, None)}, tier="fuzzy", factor=factor)
            out.excerpts[entry_no] = self.excerpts.get(line, (line, []))
        return out
