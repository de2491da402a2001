"""GitLab Code Quality JSON (a list of issues), for the merge request widget (`artifacts: reports: codequality`).

Each diagnosis is one issue: `check_name` is the entry id, `severity` major for a fatal, specific diagnosis and
info for a generic one or one in a run that went on to succeed, `location` the repository file and line the
error names (else the input, relative to the source root, and its line). `fingerprint` hashes the id, the path
and the matched line's text but not its line number, so the same error in the next pipeline keeps its identity
when lines move.
"""

from __future__ import annotations

import json

from ..models import Result
from .base import Renderer, RenderOptions
from .helpers import ascii_only, fingerprint, in_repo, matched_line, shown, source_location


def codequality_list(result: Result, opts: RenderOptions | None = None) -> list[dict]:
    opts = opts or RenderOptions()
    texts = [s for s in result.sources if s.startswith("<")]  # a diagnosis without a source came from these
    text_name = texts[0] if len(texts) == 1 else "<input>"
    issues = []
    for d in shown(result, opts.top):
        named = source_location(d, opts)
        path, line = named or (in_repo(d.source or "", opts) or d.source or text_name, d.line)
        issues.append({
            "type": "issue",
            "check_name": d.entry.id,
            "description": f"{d.title}: {d.entry.summary}",
            "categories": ["Bug Risk"],
            "severity": "info" if d.generic or not d.fatal else "major",
            "fingerprint": fingerprint(d.entry.id, path, matched_line(d)),
            "location": {"path": path, "lines": {"begin": line or 1}},
        })
    return issues


class CodeQualityRenderer(Renderer):
    """GitLab Code Quality report: a JSON list of issues."""

    name = "codequality"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(json.dumps(codequality_list(result, opts), indent=2,
                                    ensure_ascii=ascii_only(env.stdout)) + "\n")
