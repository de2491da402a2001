"""Authoring helpers: the `kb new` skeleton, signature proposals, and the generated docs pages."""

from __future__ import annotations

import re
from pathlib import Path

from .models import Entry
from .normalize import clean_line, mask, strip_prefix
from .schema import CATEGORIES, FIELDS

_ERRORISH = re.compile(r"error|fatal|exception|failed|failure|denied|refused|not found|cannot|can't|unable|"
                       r"invalid|missing|no such|unknown|timed? ?out|panic|abort", re.I)
_PLACEHOLDER = re.compile(r"<(?:uuid|url|path|hex|q|n)>")  # what normalize.mask leaves
_LEVELS = {"ERROR", "FATAL", "WARN", "WARNING", "INFO", "DEBUG", "CRITICAL", "NOTICE", "TRACE"}
_LEVEL = re.compile(r"^\[?(?:" + "|".join(_LEVELS) + r")\]?:?\s+", re.I)
_FRAME = re.compile(r"^(?:Traceback \(most recent call last\)|File \"|at |\.\.\. \d+ more)")
_CODE = re.compile(r"\b(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|E[A-Z]{3,}|[A-Z]{2,}\d{3,}|[a-z]+(?:_[a-z]+){1,4}|"
                   r"[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception))\b")


def propose_signatures(text: str, limit: int = 3) -> list[dict[str, str]]:
    """Signature proposals from a pasted error: its stable phrases and codes, volatile values removed."""
    lines = [_LEVEL.sub("", strip_prefix(clean_line(x).strip())) for x in text.splitlines()]
    lines = [x for x in lines if x and not _FRAME.match(x)]
    ranked = sorted(lines, key=lambda x: (not _ERRORISH.search(x), -len(x)))
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for line in ranked[:5]:
        segments = [s.strip(" :;,.()[]{}-") for s in _PLACEHOLDER.split(mask(line))]
        best = max(segments, key=lambda s: len(s.split()), default="")
        best = re.sub(r"\s*[(\[{]\w*$", "", best)
        if len(best.split()) >= 3 and best.lower() not in seen:
            seen.add(best.lower())
            out.append({"literal": best})
        for code in _CODE.findall(line):
            if code.lower() not in seen and len(code) >= 5 and code.upper() not in _LEVELS:
                seen.add(code.lower())
                out.append({"code": code})
        if len(out) >= limit:
            break
    return out[:limit]


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# What `kb new` writes for each field (its YAML after `name:`), when the field's type default will not do.
# {id}, {tool}, {signatures} and {examples} are filled in; every field of schema.FIELDS appears, so a new
# field shows up in new entries by itself (commented out when optional and empty by default).
_FIELD_BODY = {
    "id": "{id}",
    "title": '"The error as the user sees it"',
    "tool": '"{tool}"',
    "category": "runtime",
    "summary": '"One sentence: the short answer."',
    "meaning": ">-\n  What the error means.",
    "why": ">-\n  Why it happens (the mechanism).",
    "signatures": "\n{signatures}\n  # - regex: \"No module named '(?P<module>[A-Za-z0-9_]+)\""
                  "   # RE2; named groups are captures",
    "causes": '\n  - "The most common cause."\n  - "Another cause."',
    "quick_fixes": '\n  - title: "The fastest safe fix"\n    command: "a command"   # may use {{{{capture}}}}'
                   '\n  - title: "Another fix"',
    "checks": '\n  - title: "What to look at"\n    command: "a command that shows it"',
    "steps": '\n  - "First, confirm ..."\n  - "Then ..."\n  - "Then ..."\n  - "Finally ..."',
    "prevention": '\n  - "How to keep it from coming back."',
    "verify": '\n  - "How to confirm the fix worked."',
    "sources": '\n  - url: "https://example.com/docs/this-error"\n    title: "Vendor docs for this error"',
    "examples": "\n  match:\n{examples}\n  no_match:\n    - \"a similar-looking error that is a different problem\"",
}
_TYPE_BODY = {"list[str]": "[]", "faq": "[]", "str": None, "bool": None, "derive": None, "anatomy": None}
_COMMENTED = {  # optional fields shown as a commented example
    "generic": "true", "refines": "other.entry", "family": "true", "specific_when": "[key, frame]",
    "assumes_user_code": "false",
    "anatomy": "{kind: exception, language: python, type: KeyError}",
    "derive": "{package: {from: module, map: {cv2: opencv-python}}}",
}
_SKIP = {"disabled"}  # only for pack stubs


def skeleton(entry_id: str, example: str | None = None, *, signatures: list[dict[str, str]] | None = None,
             more_examples: tuple[str, ...] = ()) -> str:
    """A new entry with every field of schema.FIELDS and its help as a comment (errdiag kb new).

    `signatures` replace the ones proposed from `example`; `more_examples` are further real occurrences.
    """
    tool, slug = entry_id.split(".", 1)
    sigs = signatures if signatures is not None else (propose_signatures(example) if example else [])
    if not sigs:
        sigs = [{"literal": "the stable phrase of the error message"}, {"code": "AN_ERROR_CODE"}]
    sig_yaml = "\n".join(f"  - {k}: {_yaml_quote(v)}" for s in sigs for k, v in s.items())
    if example:
        ex = "\n".join("      " + line for line in example.rstrip("\n").splitlines())
        more = "".join("\n    - " + _yaml_quote(m.strip()) for m in more_examples if m.strip())
        second = "\n    - \"a second, different real occurrence (another version, wrapper or log)\""
        match = f"    - |\n{ex}" + (more or second)
    else:
        match = ('    - "the error as a bare paste"\n'
                 '    - "the error inside a traceback or CI log, with noise around it"')
    fill = {"id": entry_id, "tool": tool.capitalize(), "signatures": sig_yaml, "examples": match}
    out = ["# errdiag knowledge entry. Schema: errdiag kb schema; guide: docs/writing-entries.md"]
    for f in FIELDS:
        if f.name in _SKIP:
            continue
        comment = f.help + (f" ({f.bundled_min}+ in bundled entries)" if f.bundled_min else "")
        if f.name == "id":
            comment += f": this file is {tool}/{slug}.yaml"
        if f.name == "category":
            comment = "one of: " + ", ".join(CATEGORIES)
        body = _FIELD_BODY.get(f.name)
        if body is None and f.name in _COMMENTED:
            out.append(f"# {f.name}: {_COMMENTED[f.name]}   # {comment}")
            continue
        if body is None:
            body = _TYPE_BODY.get(f.type) or "[]"
        body = body.replace("{{{{", "\0").replace("}}}}", "\1")
        for key, value in fill.items():
            body = body.replace("{" + key + "}", value)
        body = body.replace("\0", "{{").replace("\1", "}}")
        first, nl, rest = body.partition("\n")
        out.append(f"{f.name}: {first}".rstrip() + f"   # {comment}" + (nl + rest if nl else ""))
    return "\n".join(out) + "\n"


def write_docs(entries: list[Entry], out: Path) -> list[Path]:
    """One Markdown page per entry plus an index grouped by tool; returns the files written."""
    from .render.markdown import entry_markdown

    written = []
    out.mkdir(parents=True, exist_ok=True)
    by_tool: dict[str, list[Entry]] = {}
    for e in entries:
        by_tool.setdefault(e.tool_slug, []).append(e)
        page = out / e.tool_slug / f"{e.id.split('.', 1)[1]}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(entry_markdown(e), encoding="utf-8")
        written.append(page)
    lines = ["# Knowledge base", "", f"{len(entries)} entries, generated by `errdiag kb docs`; do not edit.", ""]
    for tool in sorted(by_tool):
        group = sorted(by_tool[tool], key=lambda e: e.id)
        lines += [f"## {group[0].tool} (`{tool}`)", ""]
        for e in group:
            title = e.shown_title.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
            lines.append(f"- [`{e.id}`]({tool}/{e.id.split('.', 1)[1]}.md): {title}")
        lines.append("")
    index = out / "index.md"
    index.write_text("\n".join(lines), encoding="utf-8")
    written.append(index)
    return written


_TOOL_WORD = re.compile(r"^[-\s]*([A-Za-z][A-Za-z0-9_.+-]{0,30}?)(?:\[\d+\])?:\s")
_SLUG_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "is", "at", "by", "or", "and", "with", "from"}
_NOT_TOOLS = {"error", "err", "fatal", "e", "w", "warning", "warn", "info", "debug", "critical", "exception",
              "failed", "failure", "panic", "note", "caused_by"}


def suggested_id(line: str) -> str:
    """An entry id for a new error, from its line: the program that printed it (`npm: ...`, `-bash: ...`,
    `npm ERR!`) and the first words of the message (`bash.npm_command_not_found`); `myapp.` when no program
    shows."""
    text = line.strip()
    m = _TOOL_WORD.match(text)
    tool = re.sub(r"[^a-z0-9]+", "_", m.group(1).lower()).strip("_") if m else ""
    if tool in _NOT_TOOLS or tool in _SLUG_STOP:
        tool = ""
    if not tool:
        first = re.match(r"[A-Za-z][A-Za-z0-9]+", text)
        tool = first.group(0).lower() if first and first.group(0).islower() else ""
        tool = "myapp" if tool in ("", *_NOT_TOOLS, *_SLUG_STOP) else tool
    rest = text[m.end():] if m else text
    words = [w for w in re.findall(r"[a-z0-9]+", rest.lower()) if w not in _SLUG_STOP and not w.isdigit()]
    slug = "_".join(words[:4]) or "error"
    return f"{tool}.{slug}"


def new_entry_command(line: str, file: str | None = None) -> str:
    """The exact `errdiag kb new` command that starts an entry for `line` (read from `file` when given)."""
    import shlex

    entry_id = suggested_id(line)
    if file:
        return f"errdiag kb new {entry_id} --from {shlex.quote(file)}"
    return f"printf '%s\\n' {shlex.quote(line.strip())} | errdiag kb new {entry_id} --from -"
