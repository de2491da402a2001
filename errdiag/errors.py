"""Exceptions raised by the errdiag library; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from .exitcodes import ExitCode


class ErrdiagError(Exception):
    """Base class: an expected failure with a one-line message."""

    exit_code = ExitCode.USAGE


class InputError(ErrdiagError):
    """The input cannot be diagnosed: missing, unreadable, empty or binary."""

    exit_code = ExitCode.USAGE


class KnowledgeError(ErrdiagError):
    """A knowledge file is invalid; names the file, the field and the line where known."""

    exit_code = ExitCode.KNOWLEDGE_INVALID

    def __init__(self, path: str, message: str, field: str | None = None, line: int | None = None):
        self.path = str(path)
        self.field = field
        self.line = line
        self.detail = message
        where = self.path + (f":{line}" if line else "")
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")
