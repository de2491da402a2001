"""SARIF 2.1.0 output, for code-scanning dashboards (GitHub code scanning and other SARIF readers).

Paths are relative to the source root (`--source-root`, by default the repository around the current directory)
through the `%SRCROOT%` base id; a file outside the root keeps an absolute `file://` URI. Every result has a
location, as code scanning requires: the repository file the error names, else the log it was read from, else
(pasted text, a command's output) a stand-in artifact named for the input, with the matched line as its
snippet. `partialFingerprints` hash the rule, the path and the matched line's text (not its number), so an
alert keeps its identity when lines move. There is no public project page yet, so the driver carries no
`informationUri`; each rule's `helpUri` is its entry's first source.
"""

from __future__ import annotations

import json
import os

from .. import __version__
from ..models import Diagnosis, Result
from ..provenance import origin_line
from .base import Renderer, RenderOptions
from .helpers import ascii_only, fingerprint, in_repo, matched_line, shown, source_location

KEY_LINE_RULE = "errdiag.where_it_failed"
ROOT_ID = "%SRCROOT%"
FINGERPRINT = "errdiagFinding/v1"
# what a SARIF reader shows as the "file" of text that was not read from a file
STAND_INS = {"<text>": "pasted-text", "<stdin>": "stdin", "<run>": "command-output"}


def _artifact(path: str | None, opts: RenderOptions) -> dict:
    """An artifactLocation for `path` (a file, or None / '<stdin>' for text that was not a file)."""
    if not path or path.startswith("<"):
        name = STAND_INS.get(path or "", (path or "input").strip("<>") or "input")
        return {"uri": name, "description": {"text": "text given to errdiag, not a file of the repository"}}
    rel = in_repo(path, opts)
    if rel is not None and opts.source_root is not None:
        return {"uri": rel, "uriBaseId": ROOT_ID}
    if rel is not None:
        return {"uri": rel}
    full = os.path.abspath(os.path.join(opts.cwd or ".", path))
    return {"uri": "file://" + _quote(full.replace(os.sep, "/"))}


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path if path.startswith("/") else "/" + path)


def _location(d: Diagnosis, opts: RenderOptions, text_name: str) -> dict:
    named = source_location(d, opts)
    if named:  # already relative to the root
        art = {"uri": named[0], **({"uriBaseId": ROOT_ID} if opts.source_root is not None else {})}
        line, snippet = named[1], None
    else:  # the log (or the text) the error was read from, at the matched line
        art, line, snippet = _artifact(d.source or text_name, opts), d.line, matched_line(d)
    loc: dict = {"artifactLocation": art}
    if line:
        loc["region"] = {"startLine": line, **({"snippet": {"text": snippet}} if snippet else {})}
    return {"physicalLocation": loc}


def _rule(d: Diagnosis) -> dict:
    e = d.entry
    rule = {
        "id": e.id,
        "name": e.id.replace(".", "_"),
        "shortDescription": {"text": e.shown_title},
        "fullDescription": {"text": e.summary},
        "help": {"text": e.meaning or e.summary},
        "properties": {"tool": e.tool, "category": e.category, "tags": list(e.tags)},
    }
    if e.sources:
        rule["helpUri"] = e.sources[0].url
    return rule


def sarif_dict(result: Result, opts: RenderOptions | None = None) -> dict:
    opts = opts or RenderOptions()
    rules, index = [], {}
    results = []
    texts = [s for s in result.sources if s.startswith("<")]  # a diagnosis without a source came from these
    text_name = texts[0] if len(texts) == 1 else "<input>"
    for d in shown(result, opts.top):
        e = d.entry
        origin = origin_line(e)
        if e.id not in index:
            index[e.id] = len(rules)
            rules.append(_rule(d))
        loc = _location(d, opts, text_name)
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        results.append({
            "ruleId": e.id,
            "ruleIndex": index[e.id],
            "level": "note" if d.generic or not d.fatal else "error",
            "message": {"text": f"{d.title}: {e.summary}" + (f" ({origin})" if origin else "")},
            "locations": [loc],
            "partialFingerprints": {FINGERPRINT: fingerprint(e.id, uri, matched_line(d))},
            "properties": {"confidence": d.confidence, "count": d.count, "excerpt": d.excerpt,
                           "origin": e.origin, **({"originFile": e.path} if origin else {})},
        })
    if result.key_lines:  # where the input says it failed (known error or not)
        k = result.key_lines[0]
        rules.append({"id": KEY_LINE_RULE, "name": "where_it_failed",
                      "shortDescription": {"text": "Where the input says it failed"},
                      "fullDescription": {"text": "The line errdiag found from the log's shape and structure "
                                                  "(steps, wrappers, success markers): the failure's first cause."},
                      "help": {"text": "Read this line and the lines just above it first."}})
        known = any(not d.generic and d.fatal for d in shown(result, opts.top))
        art = _artifact(k.source, opts)
        results.append({
            "ruleId": KEY_LINE_RULE, "ruleIndex": len(rules) - 1, "level": "note" if known else "error",
            "message": {"text": f"{k.text} ({k.reason})"},
            "locations": [{"physicalLocation": {"artifactLocation": art,
                                                "region": {"startLine": k.line, "snippet": {"text": k.text}}}}],
            "partialFingerprints": {FINGERPRINT: fingerprint(KEY_LINE_RULE, art["uri"], k.text)},
            "properties": {"score": k.score, "reason": k.reason}})
    run: dict = {
        "tool": {"driver": {"name": "errdiag", "version": __version__, "rules": rules}},
        "results": results,
    }
    if opts.source_root is not None:
        root = os.path.abspath(opts.source_root).replace(os.sep, "/").rstrip("/") + "/"
        run["originalUriBaseIds"] = {ROOT_ID: {"uri": "file://" + _quote(root)}}
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}


def sarif_json(result: Result, opts: RenderOptions | None = None, ascii: bool = False) -> str:
    return json.dumps(sarif_dict(result, opts), indent=2, ensure_ascii=ascii)


class SarifRenderer(Renderer):
    """SARIF 2.1.0 for code-scanning dashboards."""

    name = "sarif"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(sarif_json(result, opts, ascii_only(env.stdout)) + "\n")
