"""GitLab Code Quality JSON (a list of issues), for the merge request widget (`artifacts: reports: codequality`).

Each diagnosis is one issue: `check_name` is the entry id, `severity` major for a fatal, specific diagnosis and
info for a generic one or one in a run that went on to succeed, `location` the file and line the error names
(else the input and its line). `fingerprint` hashes the id, the path and the matched line's text but not its
line number, so the same error in the next pipeline keeps its identity when lines move.
"""

from __future__ import annotations

import hashlib
import json

from ..models import Diagnosis, Result
from .base import Renderer, RenderOptions
from .helpers import location, shown


def _fingerprint(d: Diagnosis, path: str) -> str:
    lines = d.excerpt.splitlines() if d.excerpt else []
    at = d.line - d.excerpt_start if d.line and d.excerpt_start else 0
    first = lines[at].strip() if 0 <= at < len(lines) else ""
    return hashlib.sha256("\0".join((d.entry.id, path, first)).encode()).hexdigest()


def codequality_list(result: Result, top: int | None = None) -> list[dict]:
    issues = []
    for d in shown(result, top):
        path, line = location(d) or (d.source or "<stdin>", d.line)
        issues.append({
            "type": "issue",
            "check_name": d.entry.id,
            "description": f"{d.entry.title}: {d.entry.summary}",
            "categories": ["Bug Risk"],
            "severity": "info" if d.entry.generic or not d.fatal else "major",
            "fingerprint": _fingerprint(d, path),
            "location": {"path": path, "lines": {"begin": line or 1}},
        })
    return issues


class CodeQualityRenderer(Renderer):
    """GitLab Code Quality report: a JSON list of issues."""

    name = "codequality"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(json.dumps(codequality_list(result, opts.top), indent=2, ensure_ascii=False) + "\n")
