"""SARIF 2.1.0 output, for code-scanning dashboards."""

from __future__ import annotations

import json

from .. import __version__
from ..models import Result
from ..provenance import origin_line
from .base import Renderer, RenderOptions
from .helpers import location, shown

KEY_LINE_RULE = "errdiag.where_it_failed"


def sarif_dict(result: Result, top: int | None = None) -> dict:
    diags = shown(result, top)
    rules, seen = [], set()
    results = []
    for d in diags:
        e = d.entry
        origin = origin_line(e)
        if e.id not in seen:
            seen.add(e.id)
            rule = {
                "id": e.id,
                "name": e.id.replace(".", "_"),
                "shortDescription": {"text": e.title},
                "fullDescription": {"text": e.summary},
                "help": {"text": e.meaning or e.summary},
                "properties": {"tool": e.tool, "category": e.category, "tags": list(e.tags)},
            }
            if e.sources:
                rule["helpUri"] = e.sources[0].url
            rules.append(rule)
        res = {
            "ruleId": e.id,
            "level": "note" if e.generic or not d.fatal else "error",
            "message": {"text": f"{e.title}: {e.summary}" + (f" ({origin})" if origin else "")},
            "properties": {"confidence": d.confidence, "count": d.count, "excerpt": d.excerpt,
                           "origin": e.origin, **({"originFile": e.path} if origin else {})},
        }
        where = location(d)
        if where:
            loc: dict = {"artifactLocation": {"uri": where[0]}}
            if where[1]:
                loc["region"] = {"startLine": where[1]}
            res["locations"] = [{"physicalLocation": loc}]
        results.append(res)
    if result.key_lines:  # where the input says it failed (known error or not)
        k = result.key_lines[0]
        rules.append({"id": KEY_LINE_RULE, "name": "where_it_failed",
                      "shortDescription": {"text": "Where the input says it failed"},
                      "fullDescription": {"text": "The line errdiag found from the log's shape and structure "
                                                  "(steps, wrappers, success markers): the failure's first cause."},
                      "help": {"text": "Read this line and the lines just above it first."}})
        known = any(not d.entry.generic and d.fatal for d in diags)
        res = {"ruleId": KEY_LINE_RULE, "level": "note" if known else "error",
               "message": {"text": f"{k.text} ({k.reason})"}, "properties": {"score": k.score, "reason": k.reason}}
        if not k.source.startswith("<"):
            res["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": k.source},
                                                      "region": {"startLine": k.line}}}]
        results.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "errdiag", "version": __version__,
                                "informationUri": "https://github.com/errdiag/errdiag", "rules": rules}},
            "results": results,
        }],
    }


def sarif_json(result: Result, top: int | None = None) -> str:
    return json.dumps(sarif_dict(result, top), indent=2, ensure_ascii=False)


class SarifRenderer(Renderer):
    """SARIF 2.1.0 for code-scanning dashboards."""

    name = "sarif"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(sarif_json(result, opts.top) + "\n")
