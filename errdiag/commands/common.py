"""Plumbing every command shares: option values, loading knowledge, the console, a closed pipe.

Commands import this module, never the CLI above them: `cli.py` only declares options and calls a command.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..environment import Environment
from ..exitcodes import ExitCode
from ..render import RenderOptions

__all__ = ["MatchOptions", "RenderOptions", "default_format", "load_kb", "paged", "quiet_broken_pipe",
           "source_root", "terminal_format"]


@dataclass(frozen=True)
class MatchOptions:
    """What to look for and with which knowledge: the arguments `match` and `run` share."""

    min_confidence: float | None = None  # None: the library's MIN_CONFIDENCE
    kb_dirs: tuple[str, ...] = ()
    redact: bool = True
    skip_invalid: bool = False  # skip knowledge files that fail to load, one warning each
    baseline: tuple[str, ...] = ()  # logs of passing runs of the same job (key lines new there rank higher)


def default_format(env: Environment, *, stream_isatty: bool | None = None) -> str:
    """rich on a terminal or when colour is forced (FORCE_COLOR, CLICOLOR_FORCE), plain otherwise or with
    NO_COLOR (the stream is stdout unless told)."""
    tty = env.stdout_isatty if stream_isatty is None else stream_isatty
    return "rich" if (tty or env.force_color) and not env.no_color else "plain"


def terminal_format(env: Environment, opts: RenderOptions) -> str:
    """The format shown on the terminal: the requested one, or with --output FILE (which takes the requested
    one) the human view, which under GitHub Actions is the annotations and the step summary."""
    if opts.output is None:
        return opts.format
    return "github" if env.env.get("GITHUB_ACTIONS") == "true" else default_format(env)


def source_root(env: Environment, given: str | None) -> str:
    """The repository root paths are shown relative to: `given`, else the nearest folder upward from the
    current one that holds `.git`, else the current folder."""
    from pathlib import Path

    if given:
        return str((env.cwd / Path(given).expanduser()).resolve())
    here = env.cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return str(folder)
    return str(here)


def load_kb(env: Environment, kb_dirs, collect: bool = False, skip_invalid: bool = False):
    """Load the knowledge base; with skip_invalid, bad files are skipped with one warning line each."""
    from ..kb import load_knowledge
    from ..provenance import announce

    kb = load_knowledge(kb_dirs or (), env=env.env, cwd=env.cwd, config_dir=env.config_dir,
                        cache_dir=None if (collect or skip_invalid) else env.cache_dir,
                        collect=collect or skip_invalid)
    if skip_invalid:
        for err in kb.report.errors:
            env.stderr.write(f"errdiag: warning: skipped {err}\n")
    for line in announce(kb):
        env.stderr.write(line + "\n")
    return kb


class paged:
    """`with paged(env, on) as out:` render into `out`; on a terminal the text then goes through the pager
    (errdiag/pager.py), else it was written straight to stdout."""

    def __init__(self, env: Environment, on: bool):
        self.env = env
        self.on = on and env.stdout_isatty
        self.buf = None

    def __enter__(self) -> Environment:
        if not self.on:
            return self.env
        import io
        from dataclasses import replace

        self.buf = io.StringIO()
        return replace(self.env, stdout=self.buf, env={**self.env.env, "COLUMNS": str(self._width())})

    def _width(self) -> int:
        if self.env.width:
            return self.env.width
        import shutil

        return shutil.get_terminal_size().columns

    def __exit__(self, exc_type, *exc) -> bool:
        if self.buf is None or exc_type is not None:
            return False
        from ..pager import page

        text = self.buf.getvalue()
        if not page(self.env, text, self._height()):
            self.env.stdout.write(text)
        return False

    def _height(self) -> int | None:
        try:
            return int(self.env.env.get("LINES", ""))
        except ValueError:
            import shutil

            return shutil.get_terminal_size().lines


def quiet_broken_pipe() -> int:
    """stdout was closed early (`| head`): stop quietly, as Unix tools do."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return ExitCode.OK
