"""Renderers: values in (a Result, an Entry, a list of entries, validation problems), text out.

One interface (`Renderer`), one file per format beside this one, one map `RENDERERS` (name -> class).
Adding a format is one file (a `Renderer` subclass) and one line in `RENDERERS`; the CLI's `--format`
choices, `match`, `run`, `explain`, `list` and `kb validate` all take it from here. A renderer computes
nothing and writes only to the environment's stdout (the command decides what goes to stderr and to
$GITHUB_STEP_SUMMARY).

Imported at every start: this module must stay cheap (the formats are imported on first use).
"""

from __future__ import annotations

from .base import Renderer, RenderOptions
from .helpers import line_range, location, shown

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "format_help", "get_renderer", "line_range", "location",
           "shown"]

# name -> "module:Class" under errdiag/render/, in the order `--help` lists them
RENDERERS: dict[str, str] = {
    "rich": "terminal:RichRenderer",
    "plain": "terminal:PlainRenderer",
    "json": "json_:JsonRenderer",
    "markdown": "markdown:MarkdownRenderer",
    "github": "github:GitHubRenderer",
    "sarif": "sarif:SarifRenderer",
    "codequality": "codequality:CodeQualityRenderer",
    "junit": "junit:JUnitRenderer",
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
