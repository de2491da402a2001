"""The renderer interface and its options (ruff's Emitter and EmitterContext, in errdiag's words)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..environment import Environment
    from ..models import Entry, Result


@dataclass(frozen=True)
class RenderOptions:
    """How a Result is shown: the format name (a key of RENDERERS) and what to include."""

    format: str = "plain"
    top: int | None = None  # show at most this many diagnoses
    explain: bool = False  # show the evidence of each diagnosis
    show_all: bool = False  # every diagnosis in full, not just the best
    output: str | None = None  # --output FILE: this format goes to FILE, the human view to the terminal
    source_root: str | None = None  # the repository root: paths are shown relative to it, files outside never
    #                                 become annotation targets (None: paths as the input names them)
    cwd: str | None = None  # where relative paths in the input are resolved (the command's directory)
    brief: bool = False  # the terminal view in brief: the line, the first fixes, where to read more
    new_entry: str | None = None  # the `errdiag kb new ...` command to offer when nothing is recognised


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
