"""Markdown: PR comments, the GitHub step summary, and the generated docs pages (one text, every view)."""

from __future__ import annotations

from ..models import Diagnosis, Entry, KeyLine, Result
from ..provenance import origin_line
from ..sanitize import inline_code, md_prose, md_text
from .base import Renderer, RenderOptions
from .helpers import line_range, shown


def _fence(text: str, lang: str = "") -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _cell(text: str) -> str:
    return md_text(" ".join(text.split()))


def _url(url: str) -> str:
    """A link target that no character of the URL can end early."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def entry_sections(entry: Entry, fill=lambda s: s, heading: str = "###") -> list[str]:
    """An entry's sections as Markdown blocks, in the one order every format uses."""
    out: list[str] = []
    for sec in entry.sections():
        out += [f"{heading} {sec.title}", _section_body(sec.view, sec.value, fill)]
    return out


def _section_body(view: str, value, fill) -> str:
    if view == "text":
        return md_prose(value)
    if view == "numbered":
        return "\n".join(f"{i}. {md_prose(s)}" for i, s in enumerate(value, 1))
    if view == "fixes":
        items = []
        for f in value:
            head = f"- **{md_prose(f.title)}**" + (f" ({md_text(f.platform)})" if f.platform else "")
            if f.note:
                head += f": {md_prose(f.note)}"
            items.append(head)
            if f.command:
                items.append("\n".join("  " + x for x in _fence(fill(f.command), "sh").splitlines()))
        return "\n".join(items)
    if view == "checks":
        return "\n".join(f"- {md_prose(c.title)}" + (f": {inline_code(fill(c.command))}" if c.command else "")
                         for c in value)
    if view == "faq":
        return "\n\n".join(f"**{md_prose(f.q)}**\n\n{md_prose(f.a)}" for f in value)
    if view == "sources":
        return "\n".join(f"- [{md_text(s.title)}]({_url(s.url)})" for s in value)
    if view == "ids":
        return ", ".join(f"`{r}`" for r in value)
    return "\n".join(f"- {md_prose(x)}" for x in value)  # bullets


def diagnosis_markdown(d: Diagnosis, full: bool = True) -> str:
    e = d.entry
    where = f"line {line_range(d)}"
    if d.count > 1:
        where += f", {d.count} times"
    if d.source:
        where = f"{md_text(d.source)}, {where}"
    parts = [f"## {md_text(d.title)}", f"`{e.id}` · {md_text(e.tool)} · confidence {d.confidence:.2f} · {where}",
             md_prose(e.summary)]
    origin = origin_line(e)
    if origin:
        parts.insert(2, f"**{md_text(origin)}**")
    if d.excerpt:
        parts.append(_fence(d.excerpt, "text"))
    if full:
        parts += entry_sections(e, d.fill)
    return "\n\n".join(parts)


def key_line_markdown(k: KeyLine) -> str:
    where = f"line {k.line}" + ("" if k.source.startswith("<") else f" of `{k.source}`")
    lines = k.context or (k.text,)
    start = k.context_start if k.context else k.line
    width = len(str(start + len(lines) - 1))
    body = "\n".join(f"{n:>{width}}{'>' if n == k.line else ' '} {x}" for n, x in enumerate(lines, start))
    return "\n\n".join(["## Where it failed", f"{where} · {k.reason}", _fence(body, "text")])


def result_markdown(result: Result, show_all: bool = False, top: int | None = None) -> str:
    diags = [d for d in shown(result, top) if d.fatal]
    notes = [d for d in shown(result, top) if not d.fatal]
    where = [key_line_markdown(result.key_lines[0])] if result.key_lines else []
    if not diags:
        if where:
            return "\n\n".join(["# errdiag: no known error recognised", *where, _notes(notes)]).rstrip() + "\n"
        if notes:
            return "\n\n".join(["# errdiag: no failure, the run passed", _notes(notes)]).rstrip() + "\n"
        return "## errdiag: no known error recognised\n\nNothing in the input matched the knowledge base.\n"
    parts = ["# errdiag diagnosis", *where, diagnosis_markdown(diags[0])]
    rest = diags[1:]
    if rest and show_all:
        parts += [diagnosis_markdown(d) for d in rest]
    elif rest:
        rows = ["| id | title | count | lines | confidence |", "| --- | --- | --- | --- | --- |"]
        for d in rest:
            origin = origin_line(d.entry)
            title = d.title + (f" ({origin})" if origin else "")
            rows.append(f"| `{d.id}` | {_cell(title)} | {d.count} | {line_range(d)} | {d.confidence:.2f} |")
        parts += ["### Also found", "\n".join(rows)]
    if notes:
        parts.append(_notes(notes))
    return "\n\n".join(parts) + "\n"


def _notes(notes: list[Diagnosis]) -> str:
    if not notes:
        return ""
    rows = ["| id | title | line |", "| --- | --- | --- |"]
    rows += [f"| `{d.id}` | {_cell(d.title)} | {d.line or ''} |" for d in notes]
    return "### Notes: recognised in parts of the run that succeeded\n\n" + "\n".join(rows)


def entry_markdown(entry: Entry) -> str:
    """A whole entry as a docs page (errdiag kb docs); `{{name|words}}` shows its words."""
    entry = entry.filled({})
    head = [f"# {md_text(entry.shown_title)}", f"`{entry.id}` · {md_text(entry.tool)} · {entry.category}"
            + (f" · refines `{entry.refines}`" if entry.refines else ""), md_prose(entry.summary)]
    examples = []
    if entry.examples_match:
        examples = ["## Example", _fence(entry.examples_match[0], "text")]
    return "\n\n".join(head + entry_sections(entry, heading="##") + examples) + "\n"


class MarkdownRenderer(Renderer):
    """Markdown for PR comments and step summaries; `explain` prints the docs page."""

    name = "markdown"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(result_markdown(result, opts.show_all, opts.top))

    def entry(self, env, entry: Entry) -> None:
        env.stdout.write(entry_markdown(entry))

    def entries(self, env, entries: list[Entry]) -> None:
        rows = ["| id | tool | title |", "| --- | --- | --- |"]
        rows += [f"| `{e.id}` | {_cell(e.tool)} | {_cell(e.shown_title)} |" for e in entries]
        env.stdout.write("\n".join(rows) + f"\n\n{len(entries)} entries\n")
