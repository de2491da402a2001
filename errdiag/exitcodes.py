"""Exit codes of the errdiag CLI, named in one place (documented in docs/exit-codes.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit status, following grep: 0 found, 1 not found, 2 trouble."""

    OK = 0  #: at least one diagnosis (or the command succeeded)
    NO_MATCH = 1  #: the input was read but nothing was diagnosed
    USAGE = 2  #: bad option, missing/unreadable file, empty or binary input
    KNOWLEDGE_INVALID = 3  #: a knowledge file failed to load or an example failed validation
    INTERRUPTED = 130  #: Ctrl-C (128 + SIGINT)


DESCRIPTIONS = {
    ExitCode.OK: "a diagnosis was found (match), or the command succeeded",
    ExitCode.NO_MATCH: "the input was read, but no known error was recognised",
    ExitCode.USAGE: "usage or input error: bad option, missing or unreadable file, empty or binary input",
    ExitCode.KNOWLEDGE_INVALID: "the knowledge base is invalid (load error, unsafe regex, failing example)",
    ExitCode.INTERRUPTED: "interrupted by Ctrl-C",
}
