"""KnowledgeBase: the loaded entries plus their compiled index, cached on disk (see cache.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from . import __version__, cache
from .discover import Root, discover_roots, walk
from .loader import LoadReport, load_entries
from .models import Entry
from .rivals import RIVALS_FILE

CACHE_FORMAT = 12  # bump when Entry, Signature or Index change shape (12: all but HOT_FIELDS in a blob per entry)


@dataclass
class KnowledgeBase:
    entries: list[Entry]
    roots: list[Root] = field(default_factory=list)
    report: LoadReport = field(default_factory=LoadReport)
    _index: object | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a project knowledge folder that was refused
    cache_dir: Path | None = None  # the folder it is cached in: a big input's prefilter database goes there too

    @property
    def index(self):
        if self._index is None:
            from .matching import Index

            self._index = Index(self.entries)
        return self._index

    def get(self, entry_id: str) -> Entry | None:
        for e in self.entries:
            if e.id == entry_id:
                return e
        return None

    def __len__(self) -> int:
        return len(self.entries)


def load_knowledge(extra: Iterable[str | Path] = (), *, env: Mapping[str, str] | None = None,
                   cwd: Path | None = None, config_dir: Path | None = None,
                   cache_dir: Path | None = None, bundled: bool = True, collect: bool = False,
                   entry_points: bool = True, project: bool = True) -> KnowledgeBase:
    """Load the knowledge base from every search root (see discover.discover_roots).

    With cache_dir, the parsed entries and the compiled index are stored there keyed by a hash of the
    files' content, so the next start skips YAML parsing and automaton building.
    """
    env = os.environ if env is None else env
    notes: list[str] = []
    roots = discover_roots(env, cwd or Path.cwd(), config_dir, extra, bundled=bundled,
                           entry_points=entry_points, project=project, notes=notes)
    stamps: list[str] = []
    path = None
    if cache_dir is not None and not collect:
        try:
            for r in roots:
                stamps.extend(f"{p}\0{size}\0{mtime}\0{ino}\0{ctime}\0{r.origin}"
                              for p, size, mtime, ino, ctime in walk(r.path))
            # the loader adds rivals.yaml's marks to entries' excludes: its content is part of what is cached
            stamps.append(f"rivals\0{_digest(RIVALS_FILE.read_bytes())}")
        except Exception:  # noqa: BLE001  # fall through to a normal load, which reports it properly
            stamps = []
        if stamps:
            # keyed by each file's path, size, modification time, inode and change time (an edit that
            # keeps size and mtime still changes the ctime), the code version, and the code itself when
            # running from a checkout being edited
            digest = _digest("\n".join(stamps).encode())
            path = cache_dir / f"kb-{CACHE_FORMAT}-{__version__}-{_code_stamp()}-{digest}.marshal"
            kb = _read_cache(cache_dir, path, roots)
            if kb is not None:
                kb.notes = notes
                kb.cache_dir = cache_dir
                return kb
    entries, report = load_entries(roots, collect=collect)
    kb = KnowledgeBase(entries, roots, report, notes=notes, cache_dir=cache_dir if not collect else None)
    if path is not None and not report.errors:
        # the file list is only for `kb validate`, which never reads the cache: it is left out
        try:
            data = cache.encode(entries, report, kb.index)
        except (ValueError, TypeError):
            data = None  # something not plain data slipped into the index: run uncached
        if data is not None:
            cache.write_file(cache_dir, path, data, prefix="kb-")
    return kb


def _read_cache(cache_dir: Path, path: Path, roots: list[Root]) -> KnowledgeBase | None:
    """The cached knowledge base, or None when there is none or it cannot be trusted (then it is rebuilt)."""
    from .matching import Index

    if not cache.usable_dir(cache_dir, create=False):
        return None
    try:
        data = cache.read_file(path)
    except cache.BadCache:
        return None
    import gc

    enabled = gc.isenabled()
    gc.disable()  # ~100k small objects: the cyclic GC would run over and over while they are built
    try:
        entries, kept, index = cache.decode(data, Index)
    except cache.BadCache:
        return None
    finally:
        if enabled:
            gc.enable()
    return KnowledgeBase(entries, roots, LoadReport(**kept), index)


def _digest(data: bytes) -> str:
    """A 64-bit key of the knowledge files' stamps: two CRC-32s (forwards and backwards) and the length.
    Not a defence against anyone (only the user can write the cache folder): it tells one set of files
    from another, and zlib is already loaded where hashlib would cost a start-up ~3 ms (OpenSSL)."""
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}{len(data):x}"


def _code_stamp() -> str:
    """Changes whenever the code that shapes the cached objects changes (a source checkout being edited)."""
    import zlib

    here = Path(__file__).resolve().parent
    parts = []
    # every source file of the package (a new module counts without being listed); the bundled knowledge
    # folder inside an installed package holds YAML only, so it is not walked
    for path in sorted(here.glob("*.py")) + sorted(here.glob("*/*.py")):
        try:
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return format(zlib.crc32("|".join(parts).encode()), "08x")
