"""AnatomyTier: keeps what the anatomy reader needs of the stream (errdiag.anatomy.Collector: all of a
short input, windows and the tail of a big one) and reads the faults after the scan. It finds no
entries itself: errdiag.families turns the faults into family hits, gates and captures."""

from __future__ import annotations

from typing import Any

from ..anatomy import Collector, Fault
from .tier import EntryHits, Found, Tier


class AnatomyTier(Tier):
    name = "anatomy"

    def __init__(self, index: Any):
        self.collector = Collector()
        self.later: list[Fault] = []
        self._faults: list[Fault] | None = None

    def feed(self, block: str, text: str, start_line: int, lines: list[str] | None = None,
             data: bytes | None = None) -> None:
        self.collector.feed(block, start_line)

    @property
    def faults(self) -> list[Fault]:
        if self._faults is None:
            self._faults = self.collector.faults() + self.later
        return self._faults

    def found(self, earlier: dict[int, EntryHits], lines_seen: int) -> Found:
        return Found()

    def state(self) -> Any:
        return self.collector.faults()

    def merge(self, later: Any) -> None:
        self.later += later
