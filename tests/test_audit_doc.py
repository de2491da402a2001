"""docs/audit.md names real entries: every id in its table is a bundled entry (a renamed or deleted entry must be
renamed or dropped there too)."""

from __future__ import annotations

import re
from pathlib import Path

from errdiag.kb import load_knowledge

_ROW = re.compile(r"^\| `([a-z0-9_]+\.[a-z0-9_]+)` \|", re.M)


def test_every_audited_id_exists():
    text = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    ids = _ROW.findall(text)
    assert len(ids) >= 10
    known = {e.id for e in load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False).entries}
    missing = sorted(set(ids) - known)
    assert not missing, f"docs/audit.md names ids that are not entries: {missing}"


def test_each_entry_is_listed_once():
    text = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    ids = _ROW.findall(text)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
