"""SARIF 2.1.0 output, for code-scanning dashboards."""

from __future__ import annotations

import json

from .. import __version__
from ..models import Result
from ..provenance import origin_line


def sarif_dict(result: Result, top: int | None = None) -> dict:
    diags = list(result.diagnoses[:top] if top else result.diagnoses)
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
            "level": "note" if e.generic else "error",
            "message": {"text": f"{e.title}: {e.summary}" + (f" ({origin})" if origin else "")},
            "properties": {"confidence": d.confidence, "count": d.count, "excerpt": d.excerpt,
                           "origin": e.origin, **({"originFile": e.path} if origin else {})},
        }
        loc = None
        if d.location:
            loc = {"artifactLocation": {"uri": d.location[0]}}
            if d.location[1]:
                loc["region"] = {"startLine": d.location[1]}
        elif d.source and d.line:
            loc = {"artifactLocation": {"uri": d.source}, "region": {"startLine": d.line}}
        if loc:
            res["locations"] = [{"physicalLocation": loc}]
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
