"""Human output with Rich: the best diagnosis in full, the rest as a compact table.

Used for both `rich` (colour, terminal) and `plain` (no colour, no box drawing) formats; the layout is
width-aware and readable at 80 columns.
"""

from __future__ import annotations

import re
from typing import Callable

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..environment import Environment
from ..models import Diagnosis, Entry, KeyLine, Result, fill_placeholders
from ..provenance import origin_line
from ..sanitize import plain
from .helpers import line_range, shown

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


def _fixes(fixes, fill: Callable[[str | None], str | None]) -> Table:
    items = []
    for f in fixes:
        t = Text(f.title, style="bold")
        if f.platform:
            t.append(f" ({f.platform})", style=DIM)
        if f.note:
            t.append(f"\n{f.note}")
        if f.command:
            t.append("\n$ ", style=DIM)
            t.append(fill(f.command) or "", style="cyan")
        items.append(t)
    return _bullets(items, numbered=True)


def _checks(checks, fill: Callable[[str | None], str | None] | None) -> Table:
    """With `fill` (a diagnosis), commands are filled and styled; without, shown as written."""
    items = []
    for c in checks:
        if fill is None:
            items.append(Text(c.title + (f"\n$ {c.command}" if c.command else "")))
            continue
        t = Text(c.title)
        if c.command:
            t.append("\n$ ", style=DIM)
            t.append(fill(c.command) or "", style="cyan")
        items.append(t)
    return _bullets(items)


def entry_body(entry: Entry, keys: tuple[str, ...] | None = None,
               fill: Callable[[str | None], str | None] | None = None) -> list:
    """An entry's sections (all, or `keys`) as renderables, in the one order every format uses."""
    fix_fill = fill or _no_captures
    parts: list = []
    for sec in entry.sections(keys):
        if sec.view == "text":
            body = _indent(Text(sec.value), 2)
        elif sec.view == "fixes":
            body = _indent(_fixes(sec.value, fix_fill), 1)
        elif sec.view == "checks":
            body = _indent(_checks(sec.value, fill), 1)
        elif sec.view == "faq":
            body = _indent(_bullets([Text(f"{f.q}\n{f.a}") for f in sec.value]), 1)
        elif sec.view == "sources":
            body = _indent(_bullets([Text(f"{s.title}\n{s.url}") for s in sec.value]), 1)
        elif sec.view == "ids":
            body = _indent(Text(", ".join(sec.value)), 2)
        else:  # bullets, numbered
            body = _indent(_bullets(sec.value, numbered=sec.view == "numbered"), 1)
        parts += [_heading(sec.title), body]
    return parts


def _no_captures(text: str | None) -> str | None:
    return None if text is None else fill_placeholders(text, {})


# what a diagnosis shows of its entry (explain shows every section)
DIAGNOSIS_SECTIONS = ("meaning", "causes", "quick_fixes", "checks", "steps", "verify", "sources")


def diagnosis_view(d: Diagnosis, explain: bool = False) -> Group:
    e = d.entry
    head = Text()
    head.append(d.title, style="bold red")
    head.append("\n")
    head.append(f"{e.id}", style="bold")
    head.append(f" · {e.tool} · confidence {d.confidence:.2f}")
    if d.line:
        head.append(f" · line {line_range(d)}")
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
    parts += entry_body(e, DIAGNOSIS_SECTIONS, d.fill)
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
        t.add_row(ev.tier, ev.kind, Text(plain(ev.signature)), str(ev.line or ""), f"{ev.score:.2f}")
    return t


def others_table(diags: list[Diagnosis]) -> Table:
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    t.add_column("id", no_wrap=True)
    t.add_column("title", ratio=1, overflow="fold")
    t.add_column("count", justify="right")
    t.add_column("lines", no_wrap=True)
    t.add_column("conf", justify="right")
    for d in diags:
        title = Text(d.title)
        origin = origin_line(d.entry)
        if origin:
            title.append(f" ({origin})", style="yellow")
        t.add_row(Text(d.id), title, str(d.count), line_range(d), f"{d.confidence:.2f}")
    return t


def where_it_failed(k: KeyLine) -> Group:
    """The top key line with a few lines around it, in the excerpt style of a diagnosis."""
    head = Text()
    head.append("Where it failed", style=SECTION)
    where = f"line {k.line}" + ("" if k.source.startswith("<") else f" of {k.source}")
    head.append(f" · {where} · {k.reason}", style=DIM)
    t = Table.grid(padding=(0, 1))
    t.add_column(justify="right", style=DIM, no_wrap=True)
    t.add_column(overflow="fold")
    lines = k.context or (k.text,)
    start = k.context_start if k.context else k.line
    for i, line in enumerate(lines):
        n = start + i
        t.add_row(f"{n}{'›' if n == k.line else ' '}", Text(line, style="bold red" if n == k.line else ""))
    return Group(head, _indent(t, 2))


def render_result(result: Result, console: Console, *, show_all: bool = False, explain: bool = False,
                  top: int | None = None) -> None:
    diags = [d for d in shown(result, top) if d.fatal]
    notes = [d for d in shown(result, top) if not d.fatal]
    if result.key_lines and result.lines > 1:
        console.print(where_it_failed(result.key_lines[0]))
        console.print()
    if not diags:
        if result.key_lines:
            console.print(Text("No known error recognised.", style="bold"))
            console.print(Text("The line above is where the input says it failed; errdiag's knowledge base has "
                               "no entry for it. Add one: errdiag kb new.", style=DIM))
        elif notes:
            console.print(Text("No failure: the run passed.", style="bold"))
        else:
            console.print(Text("No known error recognised.", style="bold"))
            console.print(Text("errdiag found nothing in its knowledge base that matches this input. "
                               "Try the full output (pipe the whole log), or add an entry: errdiag kb new.",
                               style=DIM))
        _notes(console, notes)
        return
    console.print(diagnosis_view(diags[0], explain))
    _notes(console, notes)
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


def _notes(console: Console, notes: list[Diagnosis]) -> None:
    """Known errors printed by a run (or a step) that went on to succeed: worth knowing, not the failure."""
    if not notes:
        return
    console.print()
    console.print(_heading(f"Notes ({len(notes)}): recognised in parts of the run that succeeded"))
    console.print(others_table(notes))


def render_entry(entry: Entry, console: Console) -> None:
    head = Text()
    head.append(entry.title, style="bold")
    head.append(f"\n{entry.id} · {entry.tool} · {entry.category}")
    if entry.refines:
        head.append(f" · refines {entry.refines}")
    head.append(f"\n{entry.path}  ({entry.origin})", style=DIM)
    parts: list = [head, Text(entry.summary, style="italic")]
    parts += entry_body(entry)
    console.print(Group(*_spaced(parts)))


def entries_table(entries: list[Entry]) -> Table:
    """`errdiag list`: one row per entry."""
    t = Table(box=None, show_edge=False, pad_edge=False)
    for col in ("id", "tool", "title", "origin"):
        t.add_column(col, overflow="fold", ratio=2 if col == "title" else None)
    for e in entries:
        t.add_row(Text(e.id), Text(e.tool), Text(e.title), Text(e.origin))  # Text: never parsed as markup
    return t


def make_console(env: Environment, fmt: str, stream=None):
    """A Rich console on stdout (or `stream`): colour only for the rich format, trailing blanks trimmed."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich would exit(1): let the caller decide the status
            raise BrokenPipeError

    color = fmt == "rich" and not env.no_color
    return _Console(file=TrimWriter(stream or env.stdout), force_terminal=color, no_color=not color,
                    color_system="auto" if color else None, highlight=False, emoji=False,
                    width=env.width or (None if env.stdout_isatty else 100), soft_wrap=False,
                    legacy_windows=False, safe_box=True)


class TrimWriter:
    """A text stream wrapper that drops the trailing blanks Rich pads lines with."""

    _TRAIL = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$")

    def __init__(self, out):
        self.out = out
        self.buf = ""

    def write(self, text: str) -> int:
        self.buf += text
        if "\n" in self.buf:
            *lines, self.buf = self.buf.split("\n")
            self.out.write("".join(self._TRAIL.sub(r"\1", ln) + "\n" for ln in lines))
        return len(text)

    def flush(self) -> None:
        if self.buf:
            self.out.write(self._TRAIL.sub(r"\1", self.buf))
            self.buf = ""
        self.out.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.out.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.out, "encoding", "utf-8") or "utf-8"


