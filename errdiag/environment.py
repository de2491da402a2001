"""The outside world, injected: streams, TTY flags, environment variables, directories.

Tests build an Environment with in-memory streams; nothing below the CLI reads sys.* or os.environ.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Mapping, TextIO


@dataclass
class Environment:
    stdin: BinaryIO
    stdout: TextIO
    stderr: TextIO
    stdin_isatty: bool
    stdout_isatty: bool
    stderr_isatty: bool
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_process(cls) -> Environment:
        def tty(s) -> bool:
            try:
                return bool(s.isatty())
            except (AttributeError, ValueError):
                return False

        stdin = getattr(sys.stdin, "buffer", None) or io.BytesIO()
        for stream in (sys.stdout, sys.stderr):
            _never_fail_encoding(stream)
        return cls(stdin, sys.stdout, sys.stderr, tty(sys.stdin), tty(sys.stdout), tty(sys.stderr),
                   dict(os.environ), Path.cwd())

    @property
    def no_color(self) -> bool:
        return bool(self.env.get("NO_COLOR")) or self.env.get("TERM") == "dumb"

    @property
    def force_color(self) -> bool:
        """FORCE_COLOR (any value but empty, as Rich reads it) or CLICOLOR_FORCE (not '0'): colour when piped."""
        return bool(self.env.get("FORCE_COLOR")) or self.env.get("CLICOLOR_FORCE", "0") not in ("", "0")

    @property
    def color_environ(self) -> dict[str, str]:
        """The variables Rich reads to decide on colour (CLICOLOR_FORCE given to it as FORCE_COLOR)."""
        out = dict(self.env)
        if self.force_color and not out.get("FORCE_COLOR"):
            out["FORCE_COLOR"] = "1"
        return out

    @property
    def width(self) -> int | None:
        try:
            w = int(self.env.get("COLUMNS", ""))
            return w if w > 20 else None
        except ValueError:
            return None

    @property
    def config_dir(self) -> Path:
        """Where user knowledge lives: $ERRDIAG_CONFIG_DIR, else the platform's config folder (platformdirs:
        ~/.config/errdiag, ~/Library/Application Support/errdiag, %APPDATA%\\errdiag)."""
        if self.env.get("ERRDIAG_CONFIG_DIR"):
            return Path(self.env["ERRDIAG_CONFIG_DIR"]).expanduser()
        xdg = self._xdg("XDG_CONFIG_HOME")
        if xdg:
            return xdg
        from platformdirs import user_config_dir

        return Path(user_config_dir("errdiag", appauthor=False, roaming=True))

    @property
    def cache_dir(self) -> Path | None:
        """Where the compiled knowledge base is cached: $ERRDIAG_CACHE_DIR ('off' disables), else the platform's
        cache folder (platformdirs: ~/.cache/errdiag, ~/Library/Caches/errdiag, %LOCALAPPDATA%\\errdiag\\Cache)."""
        v = self.env.get("ERRDIAG_CACHE_DIR")
        if v == "off":
            return None
        if v:
            return Path(v).expanduser()
        xdg = self._xdg("XDG_CACHE_HOME")
        if xdg:
            return xdg
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("errdiag", appauthor=False))

    def _xdg(self, name: str) -> Path | None:
        """errdiag's folder under an XDG variable of this environment (platformdirs reads the process's own,
        and this environment is the one errdiag was given), on the platforms that follow XDG."""
        value = self.env.get(name)
        if not value or sys.platform in ("win32", "darwin"):
            return None
        return Path(value).expanduser() / "errdiag"


def _never_fail_encoding(stream) -> None:
    """A character the stream's encoding cannot hold (an ASCII-only terminal, LC_ALL=C,
    PYTHONIOENCODING=ascii) is written as '?' instead of raising UnicodeEncodeError mid-report."""
    try:
        if getattr(stream, "errors", "strict") in ("strict", "surrogateescape"):
            stream.reconfigure(errors="replace")
    except (AttributeError, ValueError, OSError):
        pass
