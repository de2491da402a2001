"""Helpers every format shares: which diagnoses are shown, line ranges, where to point."""

from __future__ import annotations

from ..models import Diagnosis, Result


def shown(result: Result, top: int | None) -> list[Diagnosis]:
    """The diagnoses to show under `--top`."""
    return list(result.diagnoses[:top] if top else result.diagnoses)


def line_range(d: Diagnosis) -> str:
    """'12' or '12–40' (first and last line of the diagnosis)."""
    return f"{d.line}" + (f"–{d.last_line}" if d.last_line and d.last_line != d.line else "")


def location(d: Diagnosis) -> tuple[str, int | None] | None:
    """Where to point an annotation: the file and line the error names, else the input file and line."""
    if d.location:
        return d.location
    if d.source and d.line:
        return d.source, d.line
    return None
