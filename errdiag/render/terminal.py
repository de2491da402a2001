"""The terminal formats: rich (colour) and plain (no colour, the default when piped)."""

from __future__ import annotations

from ..models import Result
from .base import Renderer, RenderOptions
from .console import make_console, render_result


class RichRenderer(Renderer):
    """The terminal layout, in colour."""

    name = "rich"

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        render_result(result, make_console(env, self.name), show_all=opts.show_all, explain=opts.explain,
                      top=opts.top, brief=opts.brief, new_entry=opts.new_entry)


class PlainRenderer(RichRenderer):
    """The terminal layout without colour or box drawing (the default when piped)."""

    name = "plain"
