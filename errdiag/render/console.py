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


def _excerpt(d: Diagnosis, only_line: bool = False) -> Table:
    t = Table.grid(padding=(0, 1))
    t.add_column(justify="right", style=DIM, no_wrap=True)
    t.add_column(overflow="fold")
    start = d.excerpt_start or d.line or 1
    for i, line in enumerate(d.excerpt.splitlines()):
        if only_line and start + i != d.line:
            continue
        text = Text(line)
        for phrase in d.highlight:
            text.highlight_words([phrase], style="bold red", case_sensitive=False)
        marker = "›" if start + i == d.line else " "
        t.add_row(f"{start + i}{marker}", text)
    return t


PROSE_MAX = 100  # prose stops at this column even on a wider terminal: long lines are hard to read
_ATOM = re.compile(r"(?:[^\s`]*`[^`]*`)+[^\s`]*|\S+")  # a `code span` (with what is glued to it) is never split


def _wrap(text: str, width: int) -> list[str]:
    """Words of `text` in lines of at most `width`; a code span or a URL longer than that gets a line of its own,
    whole (never cut, so it still copies and pastes). Newlines in `text` start new lines."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for atom in _ATOM.findall(para):
            if line and len(line) + 1 + len(atom) > width:
                out.append(line)
                line = atom
            else:
                line = f"{line} {atom}" if line else atom
        out.append(line)
    return out


class _Body:
    """An entry's sections laid out line by line: prose wrapped at the prose width, commands and URLs whole."""

    def __init__(self, width: int):
        self.width = max(20, min(width, PROSE_MAX))
        self.text = Text(no_wrap=True, overflow="ignore")

    def line(self, indent: int, *parts: tuple[str, str]) -> None:
        if self.text:
            self.text.append("\n")
        self.text.append(" " * indent)
        for chunk, style in parts:
            self.text.append(chunk, style=style or None)

    def prose(self, text: str, indent: int, first: str = "", style: str = "") -> None:
        """`text` wrapped under `indent`; `first` (a bullet, a number) hangs in front of its first line."""
        for i, ln in enumerate(_wrap(text, self.width - indent)):
            if i == 0 and first:
                self.line(indent - len(first), (first, DIM if first.strip() == "•" else ""), (ln, style))
            else:
                self.line(indent, (ln, style))

    def command(self, cmd: str, indent: int) -> None:
        self.line(indent, ("$ ", DIM), (cmd, "cyan"))

    def url(self, url: str, indent: int) -> None:
        self.line(indent, (url, "underline"))


def _items(body: _Body, items: list, numbered: bool, show: Callable) -> None:
    """Each item through `show(body, item, indent, mark)`, under a bullet or a right-aligned number."""
    mark_w = len(f"{len(items)}.") if numbered else 1
    indent = 1 + mark_w + 1
    for i, item in enumerate(items, 1):
        mark = (f"{i}." if numbered else "•").rjust(mark_w) + " "
        show(body, item, indent, mark)


def _show_text(body: _Body, item, indent: int, mark: str) -> None:
    body.prose(str(item), indent, mark)


def _show_fix(fill: Callable[[str | None], str | None], body: _Body, f, indent: int, mark: str) -> None:
    body.prose(f.title + (f" ({f.platform})" if f.platform else ""), indent, mark, "bold")
    if f.note:
        body.prose(f.note, indent)
    if f.command:
        body.command(fill(f.command) or "", indent)


def _show_check(fill: Callable[[str | None], str | None] | None, body: _Body, c, indent: int, mark: str) -> None:
    body.prose(c.title, indent, mark)
    if c.command:
        body.command((fill(c.command) if fill else c.command) or "", indent)


def _show_faq(body: _Body, f, indent: int, mark: str) -> None:
    body.prose(f.q, indent, mark)
    body.prose(f.a, indent)


def _show_source(body: _Body, src, indent: int, mark: str) -> None:
    body.prose(src.title, indent, mark)
    body.url(src.url, indent)


def entry_body(entry: Entry, keys: tuple[str, ...] | None = None,
               fill: Callable[[str | None], str | None] | None = None, width: int = 80,
               limits: dict[str, int] | None = None) -> list:
    """An entry's sections (all, or `keys`) as renderables, in the one order every format uses; `limits` caps
    how many items a list section shows."""
    from functools import partial

    shows = {"fixes": (True, partial(_show_fix, fill or _no_captures)), "checks": (False, partial(_show_check, fill)),
             "faq": (False, _show_faq), "sources": (False, _show_source), "numbered": (True, _show_text)}
    parts: list = []
    for sec in entry.sections(keys):
        body = _Body(width)
        value = sec.value
        if limits and sec.key in limits and isinstance(value, (list, tuple)):
            value = list(value)[:limits[sec.key]]
        if sec.view == "text":
            body.prose(value, 2)
        elif sec.view == "ids":
            body.prose(", ".join(value), 2)
        else:  # a list: bullets, unless the view says otherwise
            numbered, show = shows.get(sec.view, (False, _show_text))
            _items(body, list(value), numbered, show)
        parts += [_heading(sec.title), body.text]
    return parts


def _no_captures(text: str | None) -> str | None:
    return None if text is None else fill_placeholders(text, {})


# what a diagnosis shows of its entry: in full (--all; explain shows every section), by default (what to do
# now, with the first few items of each list), and in brief (--brief: the line and the first fixes)
DIAGNOSIS_SECTIONS = ("meaning", "causes", "quick_fixes", "checks", "steps", "verify", "sources")
DEFAULT_SECTIONS = ("meaning", "causes", "quick_fixes", "sources")
DEFAULT_LIMITS = {"causes": 3, "quick_fixes": 3, "sources": 2}
BRIEF_FIXES = 2


def diagnosis_view(d: Diagnosis, explain: bool = False, width: int = 80, view: str = "full") -> Group:
    """One diagnosis: `view` is full, default or brief."""
    e = d.entry
    head = _Body(width)
    head.prose(d.title, 0, style="bold red")
    facts = f"{e.tool} · confidence {d.confidence:.2f}"
    if d.line:
        facts += f" · line {line_range(d)}"
    if d.count > 1:
        facts += f" · {d.count}×"
    if d.source:
        facts += f" · {d.source}"
    head.line(0, (e.id, "bold"), (" · ", ""))
    head.text.append(facts)
    summary = _Body(width)
    summary.prose(e.summary, 0, style="italic")
    parts: list = [head.text, summary.text]
    origin = origin_line(e)
    if origin:
        parts.append(Text(origin, style="bold yellow"))
    if view == "brief":
        if d.excerpt:
            parts.append(_indent(_excerpt(d, only_line=True), 2))
        parts += entry_body(e, ("quick_fixes",), d.fill, width, {"quick_fixes": BRIEF_FIXES})
        parts += [Text(""), _hint("Details", e.id, width)]
        return Group(*_spaced(parts))
    if d.excerpt:
        parts.append(_indent(_excerpt(d), 2))
    if view == "default":
        parts += entry_body(e, DEFAULT_SECTIONS, d.fill, width, DEFAULT_LIMITS)
        more = _more(e)
        if more:
            parts += [Text(""), _hint(f"{more} (or --all)", e.id, width)]
    else:
        parts += entry_body(e, DIAGNOSIS_SECTIONS, d.fill, width)
    if explain:
        parts += [_heading("Why this matched"), _indent(_evidence(d), 1)]
    return Group(*_spaced(parts))


def _hint(words: str, entry_id: str, width: int) -> Text:
    """Where to read more: `words`, then the command on a line of its own (whole, for copy and paste)."""
    body = _Body(width)
    body.prose(words + ":", 0, style=DIM)
    body.command(f"errdiag explain {entry_id}", 2)
    return body.text


def _more(e: Entry) -> str:
    """What the default view leaves out, in words ('2 more causes, checks, steps')."""
    out = []
    for sec in e.sections(DIAGNOSIS_SECTIONS):
        left = len(sec.value) - DEFAULT_LIMITS.get(sec.key, len(sec.value)) if sec.key in DEFAULT_SECTIONS else 0
        if sec.key not in DEFAULT_SECTIONS:
            out.append(sec.title.split(" for ")[0].lower())
        elif left > 0:
            out.append(f"{left} more {sec.title.split(' for ')[0].lower()}")
    return ("More: " + ", ".join(out)) if out else ""


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
                  top: int | None = None, brief: bool = False, new_entry: str | None = None) -> None:
    diags = [d for d in shown(result, top) if d.fatal]
    notes = [d for d in shown(result, top) if not d.fatal]
    if result.key_lines and result.lines > 1:
        console.print(where_it_failed(result.key_lines[0]))
        console.print()
    width = console.width
    if not diags:
        body = _Body(width)
        if result.key_lines and result.lines > 1:
            console.print(Text("No known error recognised.", style="bold"))
            body.prose("The line above is where the input says it failed; errdiag's knowledge base has no entry "
                       "for it. Start one (it goes to the project's .errdiag/knowledge, where errdiag looks):", 0)
        elif notes:
            console.print(Text("No failure: the run passed.", style="bold"))
        else:
            console.print(Text("No known error recognised.", style="bold"))
            body.prose("errdiag found nothing in its knowledge base that matches this input. Try the full output "
                       "(pipe the whole log), or start an entry for it (in the project's .errdiag/knowledge):", 0)
        if body.text:
            body.text.stylize(DIM)
            if new_entry:
                body.line(2, (new_entry, "cyan"))
            console.print(body.text, crop=False, soft_wrap=True)
        _notes(console, notes)
        return
    view = "brief" if brief else "full" if show_all else "default"
    console.print(diagnosis_view(diags[0], explain, width, view), crop=False, soft_wrap=True)
    _notes(console, notes)
    rest = diags[1:]
    if not rest:
        return
    console.print()
    if show_all:
        for d in rest:
            console.rule(style=DIM)
            console.print(diagnosis_view(d, explain, width, view), crop=False, soft_wrap=True)
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
    entry = entry.filled({})  # read without an input: `{{name|words}}` shows its words
    head = Text()
    head.append(entry.shown_title, style="bold")
    head.append(f"\n{entry.id} · {entry.tool} · {entry.category}")
    if entry.refines:
        head.append(f" · refines {entry.refines}")
    head.append(f"\n{entry.path}  ({entry.origin})", style=DIM)
    summary = _Body(console.width)
    summary.prose(entry.summary, 0, style="italic")
    parts: list = [head, summary.text]
    parts += entry_body(entry, width=console.width)
    console.print(Group(*_spaced(parts)), crop=False, soft_wrap=True)


def entries_table(entries: list[Entry]) -> Table:
    """`errdiag list`: one row per entry."""
    t = Table(box=None, show_edge=False, pad_edge=False)
    for col in ("id", "tool", "title", "origin"):
        t.add_column(col, overflow="fold", ratio=2 if col == "title" else None)
    for e in entries:
        t.add_row(Text(e.id), Text(e.tool), Text(e.shown_title), Text(e.origin))  # Text: never parsed as markup
    return t


def make_console(env: Environment, fmt: str, stream=None):
    """A Rich console on stdout (or `stream`): colour only for the rich format, trailing blanks trimmed."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich would exit(1): let the caller decide the status
            raise BrokenPipeError

    # rich is the colour format (chosen by default on a terminal or under FORCE_COLOR / CLICOLOR_FORCE): Rich
    # picks the colour system from the environment it is given (TERM, COLORTERM ...); NO_COLOR or TERM=dumb,
    # and the plain format, print no escape codes at all.
    if fmt == "rich" and not env.no_color:
        colour = {"force_terminal": True, "no_color": None, "color_system": "auto"}
    else:
        colour = {"force_terminal": False, "no_color": True, "color_system": None}
    return _Console(file=TrimWriter(stream or env.stdout), **colour, highlight=False, emoji=False,
                    width=env.width or (None if env.stdout_isatty else 100), soft_wrap=False,
                    legacy_windows=False, safe_box=True, _environ=env.color_environ)


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


