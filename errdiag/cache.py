"""The on-disk cache of a loaded knowledge base: plain data only, read only from a folder the user owns.

The cache used to be a pickle, and a pickle runs code while it loads: anyone able to drop a file in a
shared cache folder (or restore `~/.cache` from an untrusted CI cache entry) would run code as the next
user. Now the payload is `marshal` of plain values only (tuples, lists, dicts, str, bytes, numbers, None),
whose loading builds values and never calls anything; the objects (Entry, Signature, ..., Index) are
rebuilt from those values here, field by field, from an allow-list of classes. On top of that:

- the cache folder must be owned by the user and not writable by group or others (else: no cache);
- a cache file is opened with O_NOFOLLOW|O_NONBLOCK and must be a regular file owned by the user, of a
  bounded size (a FIFO or a symlink at that name is ignored, never waited on);
- anything wrong with a cache file (bad magic, wrong shape, truncated) means "no cache": the knowledge is
  loaded from YAML again and the cache rewritten; it is never fatal;
- writes go to a temporary file that is removed when anything fails (a full disk), then renamed.

Measured with bench/cache_formats.py (load + rebuild of the bundled KB and of bundled + 10,000 entries):
marshal is as fast as the old pickle; JSON is slower.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from . import models

MAGIC = b"errdiag-kb-marshal\n"
MAX_CACHE_BYTES = 512 * 1024 * 1024  # far above any real knowledge base; bounds a planted huge file
STALE_TMP_SECONDS = 600  # a temporary file older than this was left by a crashed writer
STALE_CACHE_SECONDS = 300  # an old cache file younger than this may still be read by another errdiag
MARSHAL_VERSION = 4

# The only classes a cache may rebuild; each is a frozen dataclass of plain values.
_NESTED: dict[str, type] = {c.__name__: c for c in (models.Signature, models.Fix, models.Check, models.Faq,
                                                    models.Source, models.Derive)}


class BadCache(Exception):
    """The cache file is missing, foreign, or not what this version wrote: load from YAML instead."""


# ---------------------------------------------------------------------------------------------- folder


def usable_dir(path: Path, create: bool = True) -> bool:
    """True when `path` is a folder owned by this user and not writable by anyone else.

    Creates it (mode 0700) when missing. A folder others can write to is refused: they could replace
    the cache between our check and our read.
    """
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if not create:
            return False
        try:
            os.makedirs(p, mode=0o700, exist_ok=True)
            st = os.stat(p)
        except OSError:
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    return _owned_and_private(st)


def _owned_and_private(st: os.stat_result) -> bool:
    uid = getattr(os, "geteuid", None)
    if uid is not None and st.st_uid != uid():
        return False
    return not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) or os.name == "nt"


# ---------------------------------------------------------------------------------------------- codec


REPORT_FIELDS = ("overridden", "disabled", "disabled_from")  # what the cache keeps of a LoadReport


def encode(entries: list[models.Entry], report: Any, index: Any) -> bytes:
    """The knowledge base as marshal bytes of plain values (ValueError when something is not plain).

    Each entry is a row of the fields every start-up reads (models.HOT_FIELDS), plus one marshal blob of
    the rest, decoded when a field of it is first read (see models.Entry.__getattr__)."""
    fields = [f.name for f in dataclasses.fields(models.Entry)]
    hot = [n for n in fields if n not in models.COLD_FIELDS]
    cold = list(models.COLD_FIELDS)
    nested: dict[str, str] = {}

    def plain(n: str, v: Any) -> Any:  # the hot fields are plain values; nested classes are in the blob
        if isinstance(v, tuple) and v and dataclasses.is_dataclass(v[0]):
            cls = type(v[0]).__name__
            if cls not in _NESTED:
                raise ValueError(f"cannot cache {cls}")
            nested[n] = cls
            return tuple(_plain(x) for x in v)
        return v

    rows = []
    for e in entries:
        row = [getattr(e, n) for n in hot]
        row.append(marshal.dumps(tuple(plain(n, getattr(e, n)) for n in cold), MARSHAL_VERSION))
        rows.append(tuple(row))
    state = {k: v for k, v in index.__dict__.items() if k not in ("entries", "_automaton", "_dfa", "_budgets")}
    kept = {k: list(getattr(report, k)) for k in REPORT_FIELDS}
    payload = (tuple(hot), tuple(cold), tuple(sorted(nested.items())), tuple(rows), kept, state)
    return MAGIC + marshal.dumps(payload, MARSHAL_VERSION)


def _plain(obj: Any) -> tuple:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def decode(data: bytes, index_cls: type) -> tuple[list[models.Entry], dict[str, list], Any]:
    """Rebuild (entries, report fields, index) from `encode`'s bytes; BadCache when anything is off."""
    if not data.startswith(MAGIC):
        raise BadCache("not an errdiag cache")
    try:
        payload = marshal.loads(memoryview(data)[len(MAGIC):])
    except (EOFError, ValueError, TypeError) as exc:
        raise BadCache(f"unreadable: {exc}") from None
    try:
        hot, cold, nested, rows, kept, state = payload
        fields = [f.name for f in dataclasses.fields(models.Entry)]
        if list(cold) != list(models.COLD_FIELDS) or list(hot) != [n for n in fields if n not in cold]:
            raise BadCache("written by another version")
        hot, cold = list(hot), list(cold)
        kinds = {}
        for field_name, cls_name in nested:
            if field_name not in cold or cls_name not in _NESTED:
                raise BadCache(f"unknown class {cls_name!r}")
            kinds[cold.index(field_name)] = _builder(_NESTED[cls_name])
        thaw = _Thaw(tuple(cold), kinds)
        n_hot = len(hot)
        entries = []
        new = object.__new__
        for row in rows:
            if type(row) is not tuple or len(row) != n_hot + 1 or type(row[-1]) is not bytes:
                raise BadCache("malformed entry")
            e = new(models.Entry)
            d = e.__dict__
            d.update(zip(hot, row))  # noqa: B905  # the blob, last, is left out by zip
            d["_cold"] = (row[-1], thaw)
            if type(e.id) is not str:
                raise BadCache("malformed entry")
            entries.append(e)
        if type(state) is not dict or not all(type(k) is str for k in state):
            raise BadCache("malformed index")
        index = new(index_cls)
        index.__dict__.update(state)
        index.entries = entries
        index._automaton = None  # rebuilt on first use: the compiled automaton is never stored
        index._dfa = None
        _check_index(index, len(entries))
        if type(kept) is not dict or set(kept) != set(REPORT_FIELDS):
            raise BadCache("malformed report")
        report = {k: [x if type(x) is str else tuple(x) for x in kept[k]] for k in REPORT_FIELDS}
        return entries, report, index
    except BadCache:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise BadCache(f"malformed: {exc}") from None


class _Thaw:
    """Decodes one entry's blob into (field, value) pairs, with the same checks as the rest of the cache."""

    __slots__ = ("names", "kinds")

    def __init__(self, names: tuple[str, ...], kinds: dict[int, Any]):
        self.names = names
        self.kinds = kinds

    def __call__(self, blob: bytes, entry: Any = None) -> list[tuple[str, Any]]:
        try:
            values = marshal.loads(blob)
            if type(values) is not tuple or len(values) != len(self.names):
                raise BadCache("malformed entry blob")
            values = list(values)
            for i, build in self.kinds.items():
                values[i] = tuple(map(build, values[i]))
            _check_fields(dict(zip(self.names, values)))  # noqa: B905  # length checked above
        except (BadCache, EOFError, ValueError, TypeError) as exc:
            if entry is None:
                raise BadCache(f"malformed entry blob: {exc}") from None
            return _prose_from_yaml(entry, self.names)
        return list(zip(self.names, values))  # noqa: B905  # length checked above


def _prose_from_yaml(entry: Any, names: tuple[str, ...]) -> list[tuple[str, Any]]:
    """A damaged blob: read the entry's own file again (the cache is rebuilt on the next start)."""
    from .parse import parse_entry
    from .yamlsafe import read_yaml

    data, text = read_yaml(Path(entry.path))
    got = parse_entry(data, Path(entry.path), text, origin=entry.origin)
    if isinstance(got, str):
        raise BadCache(f"{entry.path}: no longer holds entry {entry.id}")
    return [(n, getattr(got, n)) for n in names]


def _builder(cls: type):
    """A function that rebuilds one `cls` (a frozen dataclass) from the tuple of its field values."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    n = len(names)
    new = object.__new__

    def build(values: Any) -> Any:
        if type(values) is not tuple or len(values) != n:
            raise BadCache(f"malformed {cls.__name__}")
        obj = new(cls)
        obj.__dict__.update(zip(names, values))  # noqa: B905  # length checked above
        return obj

    return build


def _check_fields(f: dict[str, Any]) -> None:
    """The cheap type checks that keep a well-formed cache of the wrong shape from failing later."""
    if not (type(f["title"]) is str and type(f["signatures"]) is tuple and f["signatures"]):
        raise BadCache("malformed entry")
    for s in f["signatures"]:
        if not (type(s.pattern) is str and type(s.anchors) is tuple and s.kind in ("literal", "code", "regex")):
            raise BadCache("malformed signature")


def _check_index(index: Any, n: int) -> None:
    keys, values = getattr(index, "keys", None), getattr(index, "values", None)
    if type(keys) is not list or type(values) is not list or len(keys) != len(values):
        raise BadCache("malformed index")
    if not all(type(k) is bytes for k in keys):
        raise BadCache("malformed index keys")
    for refs in values:
        for ei, si in refs:
            if not (type(ei) is int and 0 <= ei < n and type(si) is int and si >= 0):
                raise BadCache("index refers outside the entries")
    by_id = getattr(index, "by_id", None)
    if type(by_id) is not dict or len(by_id) != n:
        raise BadCache("malformed index ids")


# ---------------------------------------------------------------------------------------------- files


def read_file(path: Path) -> bytes:
    """The bytes of a cache file, opened without following a symlink or blocking on a FIFO.

    BadCache unless it is a regular file owned by this user and of a sane size.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(os.fspath(path), flags)
    except OSError as exc:
        raise BadCache(f"cannot open: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadCache("not a regular file")
        uid = getattr(os, "geteuid", None)
        if uid is not None and st.st_uid != uid():
            raise BadCache("owned by another user")
        if st.st_size > MAX_CACHE_BYTES:
            raise BadCache("too large")
        chunks = []
        left = st.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise BadCache(f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


def write_file(cache_dir: Path, path: Path, data: bytes, prefix: str) -> bool:
    """Write atomically (temporary file + rename); on any failure nothing is left behind. True when written."""
    if not usable_dir(cache_dir):
        return False
    _sweep(cache_dir, prefix, keep=path.name)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.fspath(cache_dir), prefix=prefix, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False  # a read-only or full disk must not break errdiag: it just runs uncached
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _sweep(cache_dir: Path, prefix: str, keep: str) -> None:
    """Remove old cache files and temporary files a crashed writer left behind."""
    now = time.time()
    try:
        with os.scandir(cache_dir) as it:
            items = [e for e in it if e.name.startswith(prefix) and e.name != keep]
    except OSError:
        return
    for e in items:
        try:
            st = e.stat(follow_symlinks=False)
            limit = STALE_TMP_SECONDS if e.name.endswith(".tmp") else STALE_CACHE_SECONDS
            if now - st.st_mtime > limit:
                os.unlink(e.path)
        except OSError:
            pass
