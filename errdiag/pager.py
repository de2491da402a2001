"""A pager for the long views (`explain`, `match --all`) on a terminal: $ERRDIAG_PAGER, else $PAGER, else less.

Only when stdout is a terminal and the text is taller than it; `--no-pager`, an empty PAGER or `cat` print
directly, and so does a pager that cannot be started. The environment is injected: tests swap PAGER.
"""

from __future__ import annotations

import shlex
import subprocess

from .environment import Environment

DEFAULT_PAGER = "less"
LESS_DEFAULT = "FRX"  # quit when it fits one screen, keep colours, leave the text on the screen


def pager_command(env: Environment) -> list[str] | None:
    """The pager to run, or None to print directly."""
    value = env.env.get("ERRDIAG_PAGER", env.env.get("PAGER", DEFAULT_PAGER))
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    return None if not words or words[0] == "cat" else words


def page(env: Environment, text: str, height: int | None) -> bool:
    """Show `text` through the pager; False when it was not paged (the caller prints it)."""
    cmd = pager_command(env)
    if cmd is None or not env.stdout_isatty or (height is not None and text.count("\n") < height):
        return False
    child_env = dict(env.env)
    child_env.setdefault("LESS", LESS_DEFAULT)
    child_env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=child_env, cwd=str(env.cwd))
    except OSError:
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode("utf-8", errors="replace"))
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the reader quit early (q in less)
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.wait()
    return True
