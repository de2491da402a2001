"""The versioned JSON envelope (docs/json-output.md; pinned by tests/test_json_contract.py)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..models import Diagnosis, Entry, Result

JSON_VERSION = 1


def diagnosis_dict(d: Diagnosis) -> dict[str, Any]:
    e = d.entry
    return {
        "id": e.id,
        "title": e.title,
        "tool": e.tool,
        "category": e.category,
        "confidence": d.confidence,
        "line": d.line,
        "last_line": d.last_line,
        "count": d.count,
        "source": d.source,
        "location": {"file": d.location[0], "line": d.location[1]} if d.location else None,
        "excerpt": d.excerpt,
        "excerpt_start": d.excerpt_start,
        "captures": dict(d.captures),
        "summary": e.summary,
        "quick_fixes": [
            {k: v for k, v in {"title": f.title, "command": d.fill(f.command), "platform": f.platform,
                               "note": f.note}.items() if v is not None}
            for f in e.quick_fixes
        ],
        "sources": [{"url": s.url, "title": s.title} for s in e.sources],
        "generic": e.generic,
        "refines": e.refines,
        "origin": None if e.origin == "bundled" else {"kind": e.origin, "file": e.path},
        "evidence": [
            {"signature": ev.signature, "kind": ev.kind, "tier": ev.tier, "line": ev.line, "score": ev.score}
            for ev in d.evidence
        ],
    }


def result_dict(result: Result, top: int | None = None) -> dict[str, Any]:
    diags = result.diagnoses if top is None else result.diagnoses[:top]
    return {
        "version": JSON_VERSION,
        "errdiag": __version__,
        "input": {"lines": result.lines, "bytes": result.bytes, "sources": list(result.sources)},
        "redacted": result.redacted,
        "diagnoses": [diagnosis_dict(d) for d in diags],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def entry_json(entry: Entry) -> str:
    return dumps({"version": JSON_VERSION, "entry": entry.to_dict()})
