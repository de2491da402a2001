"""The versioned JSON envelope (docs/json-output.md; pinned by tests/test_json_contract.py)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..models import Diagnosis, Entry, Result
from .base import Renderer, RenderOptions
from .helpers import ascii_only, shown

JSON_VERSION = 1


def diagnosis_dict(d: Diagnosis) -> dict[str, Any]:
    e = d.entry
    return {
        "id": e.id,
        "title": d.title,
        "entry_title": e.shown_title,
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
        "generic": d.generic,
        "lives": dict(d.lives) if d.lives else None,
        "refines": e.refines,
        "fatal": d.fatal,
        "origin": None if e.origin == "bundled" else {"kind": e.origin, "file": e.path},
        "evidence": [
            {"signature": ev.signature, "kind": ev.kind, "tier": ev.tier, "line": ev.line, "score": ev.score}
            for ev in d.evidence
        ],
    }


def result_dict(result: Result, top: int | None = None) -> dict[str, Any]:
    diags = shown(result, top)
    return {
        "version": JSON_VERSION,
        "errdiag": __version__,
        "input": {"lines": result.lines, "bytes": result.bytes, "sources": list(result.sources)},
        "redacted": result.redacted,
        "key_lines": [{"line": k.line, "text": k.text, "score": k.score, "source": k.source, "reason": k.reason}
                      for k in result.key_lines],
        "diagnoses": [diagnosis_dict(d) for d in diags],
    }


def dumps(data: Any, ascii: bool = False) -> str:
    return json.dumps(data, ensure_ascii=ascii, indent=2)


def entry_json(entry: Entry) -> str:
    return dumps({"version": JSON_VERSION, "entry": entry.to_dict()})


class JsonRenderer(Renderer):
    """The versioned JSON envelope (docs/json-output.md)."""

    name = "json"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(dumps(result_dict(result, opts.top), ascii_only(env.stdout)) + "\n")

    def entry(self, env, entry: Entry) -> None:
        env.stdout.write(dumps({"version": JSON_VERSION, "entry": entry.to_dict()}, ascii_only(env.stdout)) + "\n")

    def entries(self, env, entries: list[Entry]) -> None:
        env.stdout.write(dumps({"version": JSON_VERSION, "entries": [
            {"id": e.id, "title": e.shown_title, "tool": e.tool, "category": e.category, "tags": list(e.tags),
             "origin": e.origin, "path": e.path} for e in entries]}, ascii_only(env.stdout)) + "\n")

    def problems(self, env, problems: list, checked: int, entries: int) -> None:
        env.stdout.write(dumps({"version": JSON_VERSION, "entries": entries, "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "entry": p.entry} for p in problems]},
            ascii_only(env.stdout)) + "\n")
