"""Load every entry of every knowledge root (discover.py finds them, yamlsafe.py reads, parse.py validates).

This is the loader; kb.py wraps it into a KnowledgeBase and cache.py keeps the parsed result on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import limits, rivals
from .discover import Root, walk
from .errors import KnowledgeError
from .models import Entry
from .parse import parse_entry
from .yamlsafe import line_of, read_yaml

__all__ = ["LoadReport", "load_entries"]


@dataclass
class LoadReport:
    """What loading found besides the entries: problems (when collecting) and overrides."""

    errors: list[KnowledgeError] = field(default_factory=list)
    overridden: list[tuple[str, str, str]] = field(default_factory=list)  # id, old origin, new origin
    disabled: list[str] = field(default_factory=list)
    disabled_from: list[tuple[str, str, str]] = field(default_factory=list)  # id, old origin, stub's origin
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, origin) of every file read


def load_entries(roots: list[Root], collect: bool = False) -> tuple[list[Entry], LoadReport]:
    """Load every entry of every root; later roots override earlier ids.

    With collect=True, problems are gathered in the report and bad files skipped; otherwise the first
    problem raises KnowledgeError. A root over one of the pack limits (limits.py) is refused whole.
    """
    report = LoadReport()
    by_id: dict[str, Entry] = {}
    for root in roots:
        try:
            parsed = _load_root(root, report, collect)
        except KnowledgeError as exc:
            if not collect:
                raise
            report.errors.append(exc)
            continue
        for got in parsed:
            if isinstance(got, str):
                old = by_id.pop(got, None)
                if old is not None:
                    report.disabled.append(got)
                    report.disabled_from.append((got, old.origin, root.origin))
                continue
            if got.id in by_id:
                report.overridden.append((got.id, by_id[got.id].origin, got.origin))
            by_id[got.id] = got
    entries = sorted((_with_rivals(e) for e in by_id.values()), key=lambda e: e.id)
    return entries, report


def _with_rivals(entry: Entry) -> Entry:
    """The entry with the marks of its role's other tools (errdiag/data/rivals.yaml) added to its `exclude`: an
    entry of one SQL engine never answers another engine's output, without every file copying the table."""
    owed = [m for m in rivals.owed(entry) if m not in entry.exclude]
    return replace(entry, exclude=(*entry.exclude, *owed)) if owed else entry


def _load_root(root: Root, report: LoadReport, collect: bool) -> list[Entry | str]:
    """The entries (and ids disabled) of one root, in file order; KnowledgeError naming the root when
    it is over a pack limit (checked before reading anything where the file list tells)."""
    files = walk(root.path)
    limits.check_files(root, len(files), sum(size for _, size, *_ in files))
    seen_here: dict[str, Path] = {}
    parsed: list[Entry | str] = []
    totals = limits.Totals(root)
    for w in files:
        path = Path(w[0])
        report.files.append((path, root.origin))
        try:
            data, text = read_yaml(path)
            got = parse_entry(data, path, text, origin=root.origin, root=root.path)
            gid = got if isinstance(got, str) else got.id
            if gid in seen_here:
                raise KnowledgeError(str(path), f"duplicate id {gid!r} (also in {seen_here[gid]})",
                                     field="id", line=line_of(text, "id"))
            seen_here[gid] = path
        except KnowledgeError as exc:
            if not collect:
                raise
            report.errors.append(exc)
            continue
        if not isinstance(got, str):
            totals.add(got)
        parsed.append(got)
    return parsed
