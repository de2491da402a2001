"""Matching: find the knowledge entries an input shows, with evidence, in one pass.

    index.py    the compiled knowledge base (Index: anchors, signature strengths, fuzzy keys)
    scan.py     the single pass: every tier is fed the same blocks, once (two halves for a big file)
    tier.py     the seam: Tier, Found, EntryHits, SigStat
    exact.py    ExactTier: literal / code / regex signatures (Aho-Corasick, then RE2 on the lines that hit)
    fuzzy.py    FuzzyTier: similar phrases in a short input, when nothing matched exactly (a fallback)
    scoring.py  hits -> Scored (score, lines, captures, reasons) per entry
    keylines.py KeyLineTier: where the input says it failed (key lines), known error or not; finds no entries

The tier contract (errdiag.matching.tier.Tier), for a new tier:
- `__init__(self, index)`: one instance per input (per part, in a parallel scan); `index` is the Index.
- `feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None) -> None`: called
  once per block, in order, with the raw block, its normalized text (errdiag.normalize.normalize_block,
  same line count), the 1-based line the block starts on and the raw block split at newlines (made once
  by the scanner; None from a caller that did not split it: split it yourself if you need it). A block
  holds whole lines (a very long line may be cut into pieces). Keep what you need in bounded memory;
  never read the input yourself. A tier that needs only a short input may ignore blocks after a line
  limit and work in `found`.
- `found(self, earlier: dict[int, EntryHits], lines_seen: int) -> Found`: after the scan. `earlier` holds
  the hits of the tiers listed before this one. Return `Found(hits={entry_no: EntryHits(...)},
  excerpts={entry_no: (first_line, raw_lines)})`; entry_no indexes `index.entries`. Evidence is the
  EntryHits: `sigs` (signature number -> SigStat(count, first, last, captures)), `context`, `exclude`,
  `tier` (the label --explain shows; default exact/regex) and `factor` (share of the signature's
  strength the hit is worth, e.g. 0.75 for fuzzy). Captures fill `{{name}}` in the entry's fixes.
- `state(self) -> Any` / `merge(self, later) -> None`: plain data a child process scanning the second
  half of a big file sends back, and how to add it (its lines continue ours). Defaults: nothing to add.
- Class attributes: `name` (str); `fallback` (bool): a fallback tier's hits are scored only when the
  tiers before it produced no diagnosis at or above the confidence bar (the fuzzy tier), and replace
  them; other tiers' hits are scored and ranked together (one diagnosis per entry, the best kept).
A tier never touches another tier's state; `engine.diagnose` only runs the scan, asks each tier in
TIERS order for `found`, scores and ranks. Registering a tier is one line in TIERS.
"""

from __future__ import annotations

from .anatomy_tier import AnatomyTier
from .exact import ExactTier
from .fuzzy import FUZZY_MAX_LINES, FuzzyTier
from .index import Index
from .keylines import KeyLineTier
from .scan import Scan, scan_source
from .scoring import Reason, Scored, score
from .tier import EntryHits, Found, SigStat, Tier

# in order; a fallback tier comes after the others
TIERS: tuple[type[Tier], ...] = (ExactTier, KeyLineTier, AnatomyTier, FuzzyTier)

__all__ = ["AnatomyTier", "FUZZY_MAX_LINES", "TIERS", "EntryHits", "ExactTier", "Found", "FuzzyTier", "Index",
           "KeyLineTier", "Reason", "Scan",
           "Scored", "SigStat", "Tier", "score", "scan_source"]
