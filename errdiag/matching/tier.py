"""The tier seam: what every matching tier implements and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SigStat:
    count: int = 0
    first: int = 0
    last: int = 0
    captures: dict[str, str] | None = None


@dataclass
class EntryHits:
    """One entry's evidence from one tier: which signatures hit where, and nearby context/exclude phrases."""

    sigs: dict[int, SigStat] = field(default_factory=dict)
    context: set[int] = field(default_factory=set)
    exclude: set[int] = field(default_factory=set)
    windows: int = 0
    tier: str | None = None  # the evidence label; None: "exact" or "regex" by signature kind
    factor: float = 1.0  # share of the signature's strength this kind of hit is worth


@dataclass
class Found:
    """What a tier found: entry index -> hits, and entry index -> (first line, raw lines) to show."""

    hits: dict[int, EntryHits] = field(default_factory=dict)
    excerpts: dict[int, tuple[int, list[str]]] = field(default_factory=dict)


class Tier:
    """One way of finding entries in an input. See the package docstring for the contract."""

    name = ""
    fallback = False  # True: consulted only when the tiers before it gave no confident diagnosis
    # where a tier may keep what it compiles for this knowledge base between runs (the knowledge cache's
    # folder, set by the scanner; None: nowhere on disk)
    cache_dir: Path | None = None

    def __init__(self, index: Any):
        self.index = index

    def feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None,
             data: bytes | None = None) -> None:
        """One block of whole lines (raw and normalized), in order, each once; start_line is 1-based;
        `lines`: the raw block split at newlines, `data`: the normalized text as UTF-8 (each made once by the
        scanner for every tier)."""

    def found(self, earlier: dict[int, EntryHits], lines_seen: int) -> Found:
        """After the scan: the hits (`earlier`: the hits of the tiers before this one)."""
        return Found()

    def state(self) -> Any:
        """Plain data for the parallel scan: a child process scanning the second half sends this back."""
        return None

    def merge(self, later: Any) -> None:
        """Add `state()` of a scan of the input's next part (its line numbers continue ours)."""
