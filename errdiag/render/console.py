"""Human output with Rich: the best diagnosis in full, the rest as a compact table.

Used for both `rich` (colour, terminal) and `plain` (no colour, no box drawing) formats; the layout is
width-aware and readable at 80 columns.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..models import Diagnosis, Entry, Result
from ..provenance import origin_line

SECTION = "bold"
DIM = "dim"


def _indent(renderable, n: int) -> Padding:
    return Padding(renderable, (0, 0, 0, n), expand=False)


def _heading(text: str) -> Text:
    return Text(text, style=SECTION)


def _bullets(items, numbered: bool = False) -> Table:
    t = Table.grid(padding=(0, 1))
    t.add_column(justify="right", no_wrap=True)
    t.add_column()
    for i, item in enumerate(items, 1):
        t.add_row(f"{i}." if numbered else "•", item if isinstance(item, Text) else Text(str(item)))
    return t


def _excerpt(d: Diagnosis) -> Table:
    t = Table.grid(padding=(0, 1))
    t.add_column(justify="right", style=DIM, no_wrap=True)
    t.add_column(overflow="fold")
    start = d.excerpt_start or d.line or 1
    for i, line in enumerate(d.excerpt.splitlines()):
        text = Text(line)
        for phrase in d.highlight:
            text.highlight_words([phrase], style="bold red", case_sensitive=False)
        marker = "›" if start + i == d.line else " "
        t.add_row(f"{start + i}{marker}", text)
    return t


def _fixes(d: Diagnosis) -> Table:
    items = []
    for f in d.entry.quick_fixes:
        t = Text(f.title, style="bold")
        if f.platform:
            t.append(f" ({f.platform})", style=DIM)
        if f.note:
            t.append(f"\n{f.note}")
        if f.command:
            t.append("\n$ ", style=DIM)
            t.append(d.fill(f.command) or "", style="cyan")
        items.append(t)
    return _bullets(items, numbered=True)


def entry_body(entry: Entry, fill=lambda s: s, full: bool = True) -> list:
    """The fixed sections of an entry as renderables."""
    parts: list = []
    if entry.meaning:
        parts += [_heading("What it means"), _indent(Text(entry.meaning), 2)]
    if full and entry.why:
        parts += [_heading("Why it happens"), _indent(Text(entry.why), 2)]
    if entry.causes:
        parts += [_heading("Likely causes"), _indent(_bullets(entry.causes), 1)]
    return parts


def diagnosis_view(d: Diagnosis, explain: bool = False) -> Group:
    e = d.entry
    head = Text()
    head.append(e.title, style="bold red")
    head.append("\n")
    head.append(f"{e.id}", style="bold")
    head.append(f" · {e.tool} · confidence {d.confidence:.2f}")
    if d.line:
        head.append(f" · line {d.line}")
        if d.last_line and d.last_line != d.line:
            head.append(f"–{d.last_line}")
    if d.count > 1:
        head.append(f" · {d.count}×")
    if d.source:
        head.append(f" · {d.source}")
    parts: list = [head, Text(e.summary, style="italic")]
    origin = origin_line(e)
    if origin:
        parts.append(Text(origin, style="bold yellow"))
    if d.excerpt:
        parts.append(_indent(_excerpt(d), 2))
    parts += entry_body(e, d.fill, full=False)
    if e.quick_fixes:
        parts += [_heading("Quick fixes"), _indent(_fixes(d), 1)]
    if e.checks:
        items = []
        for c in e.checks:
            t = Text(c.title)
            if c.command:
                t.append("\n$ ", style=DIM)
                t.append(d.fill(c.command) or "", style="cyan")
            items.append(t)
        parts += [_heading(f"Checks for {e.tool}"), _indent(_bullets(items), 1)]
    if e.steps:
        parts += [_heading("Step by step"), _indent(_bullets(e.steps, numbered=True), 1)]
    if e.verify:
        parts += [_heading("Verify the fix"), _indent(_bullets(e.verify), 1)]
    if e.sources:
        src = [Text(f"{s.title}\n{s.url}") for s in e.sources]
        parts += [_heading("Sources"), _indent(_bullets(src), 1)]
    if explain:
        parts += [_heading("Why this matched"), _indent(_evidence(d), 1)]
    return Group(*_spaced(parts))


def _spaced(parts: list) -> list:
    out = []
    for p in parts:
        if isinstance(p, Text) and p.style == SECTION and out:
            out.append(Text(""))
        out.append(p)
    return out


def _evidence(d: Diagnosis) -> Table:
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    t.add_column("tier")
    t.add_column("kind")
    t.add_column("signature", overflow="fold", ratio=1)
    t.add_column("line", justify="right")
    t.add_column("score", justify="right")
    for ev in d.evidence:
        t.add_row(ev.tier, ev.kind, ev.signature, str(ev.line or ""), f"{ev.score:.2f}")
    return t


def others_table(diags: list[Diagnosis]) -> Table:
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    t.add_column("id", no_wrap=True)
    t.add_column("title", ratio=1, overflow="fold")
    t.add_column("count", justify="right")
    t.add_column("lines", no_wrap=True)
    t.add_column("conf", justify="right")
    for d in diags:
        lines = f"{d.line}" + (f"–{d.last_line}" if d.last_line and d.last_line != d.line else "")
        title = Text(d.entry.title)
        origin = origin_line(d.entry)
        if origin:
            title.append(f" ({origin})", style="yellow")
        t.add_row(Text(d.id), title, str(d.count), lines, f"{d.confidence:.2f}")
    return t


def render_result(result: Result, console: Console, *, show_all: bool = False, explain: bool = False,
                  top: int | None = None) -> None:
    diags = list(result.diagnoses[:top] if top else result.diagnoses)
    if not diags:
        console.print(Text("No known error recognised.", style="bold"))
        console.print(Text("errdiag found nothing in its knowledge base that matches this input. "
                           "Try the full output (pipe the whole log), or add an entry: errdiag kb new.",
                           style=DIM))
        return
    console.print(diagnosis_view(diags[0], explain))
    rest = diags[1:]
    if not rest:
        return
    console.print()
    if show_all:
        for d in rest:
            console.rule(style=DIM)
            console.print(diagnosis_view(d, explain))
    else:
        console.print(_heading(f"Also found ({len(rest)}) — use --all to see each in full"))
        console.print(others_table(rest))


def render_entry(entry: Entry, console: Console) -> None:
    head = Text()
    head.append(entry.title, style="bold")
    head.append(f"\n{entry.id} · {entry.tool} · {entry.category}")
    if entry.refines:
        head.append(f" · refines {entry.refines}")
    head.append(f"\n{entry.path}  ({entry.origin})", style=DIM)
    parts: list = [head, Text(entry.summary, style="italic")]
    parts += entry_body(entry)
    fake = Diagnosis(entry, 1.0, None, None, 1, "", None, (), {}, ())
    if entry.quick_fixes:
        parts += [_heading("Quick fixes"), _indent(_fixes(fake), 1)]
    if entry.checks:
        items = [Text(c.title + (f"\n$ {c.command}" if c.command else "")) for c in entry.checks]
        parts += [_heading(f"Checks for {entry.tool}"), _indent(_bullets(items), 1)]
    for title, items, numbered in (("Step by step", entry.steps, True), ("Prevention", entry.prevention, False),
                                   ("Verify the fix", entry.verify, False)):
        if items:
            parts += [_heading(title), _indent(_bullets(items, numbered), 1)]
    if entry.faq:
        parts += [_heading("FAQ"), _indent(_bullets([Text(f"{f.q}\n{f.a}") for f in entry.faq]), 1)]
    if entry.sources:
        parts += [_heading("Sources"), Padding(_bullets([Text(f"{s.title}\n{s.url}") for s in entry.sources]),
                                               (0, 0, 0, 1))]
    if entry.related:
        parts += [_heading("Related"), _indent(Text(", ".join(entry.related)), 2)]
    console.print(Group(*_spaced(parts)))
