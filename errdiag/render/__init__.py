"""Renderers: values in (a Result, an Entry, a list of entries, validation problems), text out.

One interface (`Renderer`), one file per format beside this one, one map `RENDERERS` (name -> class).
Adding a format is one file (a `Renderer` subclass) and one line in `RENDERERS`; the CLI's `--format`
choices, `match`, `run`, `explain`, `list` and `kb validate` all take it from here. A renderer computes
nothing and writes only to the environment's stdout (the command decides what goes to stderr and to
$GITHUB_STEP_SUMMARY).

Imported at every start: this module must stay cheap (the formats are imported on first use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..environment import Environment
    from ..models import Diagnosis, Entry, Result

# name -> "module:Class" under errdiag/render/, in the order `--help` lists them
RENDERERS: dict[str, str] = {
    "rich": "console:RichRenderer",
    "plain": "console:PlainRenderer",
    "json": "json_:JsonRenderer",
    "markdown": "markdown:MarkdownRenderer",
    "github": "github:GitHubRenderer",
    "sarif": "sarif:SarifRenderer",
}
DEFAULT_NOTES = {"rich": "terminal default", "plain": "piped default"}  # shown in `--format` help


def format_help() -> str:
    """The `--format` help text, listing every registered format."""
    names = [f"{n} ({DEFAULT_NOTES[n]})" if n in DEFAULT_NOTES else n for n in RENDERERS]
    return "Output: " + ", ".join(names) + "."


def get_renderer(name: str) -> Renderer:
    """The renderer registered under `name` (imported now)."""
    from importlib import import_module

    module, cls = RENDERERS[name].split(":")
    return getattr(import_module(f"{__name__}.{module}"), cls)()


@dataclass(frozen=True)
class RenderOptions:
    """How a Result is shown: the format name (a key of RENDERERS) and what to include."""

    format: str = "plain"
    top: int | None = None  # show at most this many diagnoses
    explain: bool = False  # show the evidence of each diagnosis
    show_all: bool = False  # every diagnosis in full, not just the best


class Renderer:
    """One output format. `result` is required; the others default to the terminal layout without colour."""

    name = ""
    for_runner = False  # read by a CI runner from stdout: `errdiag run` prints it there, not on stderr
    step_summary = False  # the command also appends the Markdown report to $GITHUB_STEP_SUMMARY

    def result(self, env: Environment, result: Result, opts: RenderOptions) -> None:
        raise NotImplementedError

    def entry(self, env: Environment, entry: Entry) -> None:
        from .console import make_console, render_entry

        render_entry(entry, make_console(env, self.name))

    def entries(self, env: Environment, entries: list[Entry]) -> None:
        from .console import entries_table, make_console

        console = make_console(env, self.name)
        console.print(entries_table(entries))
        console.print(f"{len(entries)} entries")

    def problems(self, env: Environment, problems: list, checked: int, entries: int) -> None:
        """`kb validate`: one `file:line: message` line each on stdout, the totals on stderr."""
        for p in problems:
            env.stdout.write(f"{p}\n")
        env.stderr.write(f"errdiag: {checked} files, {entries} entries, {len(problems)} problems\n")


# Helpers every format shares


def shown(result: Result, top: int | None) -> list[Diagnosis]:
    """The diagnoses to show under `--top`."""
    return list(result.diagnoses[:top] if top else result.diagnoses)


def line_range(d: Diagnosis) -> str:
    """'12' or '12–40' (first and last line of the diagnosis)."""
    return f"{d.line}" + (f"–{d.last_line}" if d.last_line and d.last_line != d.line else "")


def location(d: Diagnosis) -> tuple[str, int | None] | None:
    """Where to point an annotation: the file and line the error names, else the input file and line."""
    if d.location:
        return d.location
    if d.source and d.line:
        return d.source, d.line
    return None
