"""Helpers every format shares: which diagnoses are shown, line ranges, where to point, fingerprints."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..models import Diagnosis, Result

if TYPE_CHECKING:  # pragma: no cover
    from .base import RenderOptions


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


def in_repo(path: str, opts: RenderOptions) -> str | None:
    """`path` relative to the repository root (with '/'), or None when it lies outside the root.

    Relative paths are taken from the command's directory (`opts.cwd`). Pure path arithmetic, no I/O.
    Without a root, only a relative path that does not climb out ('../') is kept, as it is.
    """
    if not path or path.startswith("<"):
        return None
    if opts.source_root is None:
        norm = os.path.normpath(path)
        return None if os.path.isabs(norm) or norm.split(os.sep)[0] == ".." else norm.replace(os.sep, "/")
    root = os.path.normpath(opts.source_root)
    full = os.path.normpath(os.path.join(opts.cwd or root, path))
    try:
        rel = os.path.relpath(full, root)
    except ValueError:  # another drive (Windows)
        return None
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def source_location(d: Diagnosis, opts: RenderOptions) -> tuple[str, int | None] | None:
    """The repository file and line the error names; never the log it was read from, never a file outside."""
    if not d.location:
        return None
    rel = in_repo(d.location[0], opts)
    return (rel, d.location[1]) if rel else None


def matched_line(d: Diagnosis) -> str:
    """The text of the diagnosis's first line, from its excerpt (redacted like everything shown)."""
    lines = d.excerpt.splitlines() if d.excerpt else []
    at = d.line - d.excerpt_start if d.line and d.excerpt_start else 0
    return lines[at].strip() if 0 <= at < len(lines) else ""


def fingerprint(rule: str, path: str, text: str) -> str:
    """A stable identity for a finding: the rule, the file and the line's text, not its line number
    (the same error in the next run keeps it when lines move)."""
    import hashlib

    return hashlib.sha256("\0".join((rule, path, text.strip())).encode()).hexdigest()


def ascii_only(stream) -> bool:
    """True when `stream` cannot hold every character (an ASCII terminal, LC_ALL=C): JSON is then written
    with \\uXXXX escapes, which lose nothing, rather than '?' for what the encoding lacks."""
    enc = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return not enc.startswith(("utf", "ucs"))
