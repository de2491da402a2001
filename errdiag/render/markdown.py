"""Markdown: PR comments, the GitHub step summary, and the generated docs pages (one text, every view)."""

from __future__ import annotations

from ..models import Diagnosis, Entry, Result
from ..provenance import origin_line


def _fence(text: str, lang: str = "") -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def entry_sections(entry: Entry, fill=lambda s: s, heading: str = "###") -> list[str]:
    """The fixed sections of an entry, as Markdown blocks."""
    out: list[str] = []
    if entry.meaning:
        out += [f"{heading} What it means", entry.meaning]
    if entry.why:
        out += [f"{heading} Why it happens", entry.why]
    if entry.causes:
        out += [f"{heading} Common causes", "\n".join(f"- {c}" for c in entry.causes)]
    if entry.quick_fixes:
        items = []
        for f in entry.quick_fixes:
            head = f"- **{f.title}**" + (f" ({f.platform})" if f.platform else "")
            if f.note:
                head += f": {f.note}"
            items.append(head)
            if f.command:
                items.append("\n".join("  " + x for x in _fence(fill(f.command), "sh").splitlines()))
        out += [f"{heading} Quick fixes", "\n".join(items)]
    if entry.checks:
        items = []
        for c in entry.checks:
            items.append(f"- {c.title}" + (f": `{fill(c.command)}`" if c.command else ""))
        out += [f"{heading} Checks for {entry.tool}", "\n".join(items)]
    if entry.steps:
        out += [f"{heading} Step by step", "\n".join(f"{i}. {s}" for i, s in enumerate(entry.steps, 1))]
    if entry.prevention:
        out += [f"{heading} Prevention", "\n".join(f"- {p}" for p in entry.prevention)]
    if entry.verify:
        out += [f"{heading} Verify the fix", "\n".join(f"- {v}" for v in entry.verify)]
    if entry.sources:
        out += [f"{heading} Sources", "\n".join(f"- [{s.title}]({s.url})" for s in entry.sources)]
    if entry.related:
        out += [f"{heading} Related", ", ".join(f"`{r}`" for r in entry.related)]
    if entry.faq:
        out += [f"{heading} FAQ", "\n\n".join(f"**{f.q}**\n\n{f.a}" for f in entry.faq)]
    return out


def diagnosis_markdown(d: Diagnosis, full: bool = True) -> str:
    e = d.entry
    where = f"line {d.line}" + (f"–{d.last_line}" if d.last_line and d.last_line != d.line else "")
    if d.count > 1:
        where += f", {d.count} times"
    if d.source:
        where = f"{d.source}, {where}"
    parts = [f"## {e.title}", f"`{e.id}` · {e.tool} · confidence {d.confidence:.2f} · {where}", e.summary]
    origin = origin_line(e)
    if origin:
        parts.insert(2, f"**{origin}**")
    if d.excerpt:
        parts.append(_fence(d.excerpt, "text"))
    if full:
        parts += entry_sections(e, d.fill)
    return "\n\n".join(parts)


def result_markdown(result: Result, show_all: bool = False, top: int | None = None) -> str:
    diags = list(result.diagnoses[:top] if top else result.diagnoses)
    if not diags:
        return "## errdiag: no known error recognised\n\nNothing in the input matched the knowledge base.\n"
    parts = ["# errdiag diagnosis", diagnosis_markdown(diags[0])]
    rest = diags[1:]
    if rest and show_all:
        parts += [diagnosis_markdown(d) for d in rest]
    elif rest:
        rows = ["| id | title | count | lines | confidence |", "| --- | --- | --- | --- | --- |"]
        for d in rest:
            lines = f"{d.line}" + (f"–{d.last_line}" if d.last_line and d.last_line != d.line else "")
            origin = origin_line(d.entry)
            title = d.entry.title + (f" ({origin})" if origin else "")
            rows.append(f"| `{d.id}` | {_cell(title)} | {d.count} | {lines} | {d.confidence:.2f} |")
        parts += ["### Also found", "\n".join(rows)]
    return "\n\n".join(parts) + "\n"


def entry_markdown(entry: Entry) -> str:
    """A whole entry as a docs page (errdiag kb docs)."""
    head = [f"# {entry.title}", f"`{entry.id}` · {entry.tool} · {entry.category}"
            + (f" · refines `{entry.refines}`" if entry.refines else ""), entry.summary]
    examples = []
    if entry.examples_match:
        examples = ["## Example", _fence(entry.examples_match[0], "text")]
    return "\n\n".join(head + entry_sections(entry, heading="##") + examples) + "\n"
