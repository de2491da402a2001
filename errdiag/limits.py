"""Size limits for a knowledge root (a pack): what one folder may hold before errdiag refuses it.

Every root is held to them, the bundled one too (it is far below: ~330 entries, 2.4 MB, 0.08 of the
regex budget). A 41 MB pack took 21 s and 1.8 GiB per run; 500 slow regexes in one file cost minutes
on a big log. Loading refuses such a pack with one line that names it; the matching work one pack may
cost per input is bounded separately (matching/index.py, PACK_BUDGET).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import KnowledgeError
from .regexes import MAX_PROGRAM, compile_signature  # noqa: F401  # MAX_PROGRAM: listed here with the others

if TYPE_CHECKING:
    from .discover import Root
    from .models import Entry

MAX_PACK_FILES = 20_000  # entry files per root (bench/speed.py scales to bundled + 10,000)
MAX_PACK_BYTES = 16 * 1024 * 1024  # YAML bytes per root
MAX_SIGNATURES = 100  # per entry (bundled: at most ~20)
MAX_PACK_SIGNATURES = 50_000  # per root
MAX_PATTERN_CHARS = 4_000  # one signature's text
MAX_PACK_PROGRAM = 1_000_000  # all regexes of a root together (bundled: ~250,000)


def _name(root: Root) -> str:
    return f"knowledge pack ({root.origin})"


def check_files(root: Root, files: int, size: int) -> None:
    """Refuse a root with too many entry files or too many bytes, before reading any of them."""
    if files > MAX_PACK_FILES:
        raise KnowledgeError(str(root.path), f"{_name(root)} has {files} entry files; the limit is "
                             f"{MAX_PACK_FILES} per folder")
    if size > MAX_PACK_BYTES:
        raise KnowledgeError(str(root.path), f"{_name(root)} holds {_size(size)} of entries; the limit is "
                             f"{_size(MAX_PACK_BYTES)} per folder")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.1f} KiB"


def program_size(pattern: str) -> int:
    return int(compile_signature(pattern).programsize)


class Totals:
    """Signatures and regex program size summed over one root, refused past the pack limits."""

    def __init__(self, root: Root):
        self.root = root
        self.signatures = 0
        self.program = 0

    def add(self, entry: Entry) -> None:
        self.signatures += len(entry.signatures)
        self.program += sum(program_size(s.pattern) for s in entry.signatures if s.kind == "regex")
        if self.signatures > MAX_PACK_SIGNATURES:
            raise KnowledgeError(str(self.root.path), f"{_name(self.root)} has more than "
                                 f"{MAX_PACK_SIGNATURES} signatures (at {entry.id})")
        if self.program > MAX_PACK_PROGRAM:
            raise KnowledgeError(str(self.root.path), f"{_name(self.root)}: its regexes together exceed "
                                 f"the size limit ({self.program} > {MAX_PACK_PROGRAM} RE2 instructions, "
                                 f"at {entry.id})")
