"""Tools of the same role that print errors in the same words (errdiag/data/rivals.yaml): which phrases every
knowledge entry of a member tool excludes so that another member's output never gets its answer (a DuckDB parser
error answered as PostgreSQL's). The loader adds them to each such entry's `exclude` (loader._with_rivals; the
knowledge cache is keyed by this table's content too); the matcher needs nothing new: an `exclude` phrase near a hit
already sinks the entry. Checked by tests/test_rivals.py."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .models import Entry

RIVALS_FILE = Path(__file__).parent / "data" / "rivals.yaml"


@lru_cache(maxsize=1)
def roles() -> dict[str, dict[str, tuple[str, ...]]]:
    """role -> member tool -> the phrases (lower case) its own output prints."""
    import yaml  # only when entries are parsed (an uncached load), never on a cached start

    data = yaml.safe_load(RIVALS_FILE.read_text(encoding="utf-8")) or {}
    return {role: {tool: tuple(marks) for tool, marks in members.items()} for role, members in data.items()}


def owed(entry: Entry) -> tuple[str, ...]:
    """The other members' marks an entry of a member tool must exclude (empty for an entry of no role)."""
    tool = entry.id.split(".", 1)[0]
    out: list[str] = []
    for members in roles().values():
        if tool in members:
            out += [m for other, marks in members.items() if other != tool for m in marks]
    return tuple(out)


def missing(entry: Entry) -> tuple[str, ...]:
    """The marks `owed` that the entry does not exclude yet."""
    have = set(entry.exclude)
    return tuple(m for m in owed(entry) if m not in have)
