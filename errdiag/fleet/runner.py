"""`errdiag scan`: find the logs, attach their manifest metadata, run an engine, append to the store."""

from __future__ import annotations

import csv
import glob as globmod
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError
from .engines import Chunk, KbSpec, run_dask, run_local
from .scan import is_url
from .store import Store

CHUNK_LOGS = 32  # logs per task, at most
CHUNK_BYTES = 8 * 1024 * 1024  # bytes per task, about: big enough to amortise a task, small enough to balance
FLUSH_RECORDS = 256  # records buffered before an append to the store (bounds the driver's memory)
META_KEYS = ("repo", "job", "run", "commit", "branch", "started_at", "outcome")  # the manifest columns kept


@dataclass
class ScanStats:
    logs: int = 0  # logs found
    scanned: int = 0  # new logs scanned and stored
    skipped: int = 0  # already in the store (same content hash)
    errors: int = 0  # unreadable, empty or binary
    bytes: int = 0
    seconds: float = 0.0


class Manifest:
    """Metadata per log from a CSV or JSONL file with a `log` column (path relative to the manifest or URL)."""

    def __init__(self, path: str | None):
        self.rows: dict[str, dict] = {}
        self.order: list[str] = []
        if path is None:
            return
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from None
        if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            rows = []
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except ValueError:
                        raise InputError(f"{path}:{n}: not a JSON object") from None
                    if not isinstance(row, dict):
                        raise InputError(f"{path}:{n}: not a JSON object")
                    rows.append(row)
        else:
            rows = list(csv.DictReader(text.splitlines()))
        base = p.resolve().parent
        for n, row in enumerate(rows, 1):
            log = row.get("log")
            if not log:
                raise InputError(f"{path}: row {n} has no 'log' (the manifest needs a log column)")
            key = log if is_url(str(log)) else str((base / str(log)).resolve())
            self.rows[key] = {k: str(row[k]) for k in META_KEYS if row.get(k) not in (None, "")}
            self.order.append(key)

    def meta(self, path: str) -> dict:
        return self.rows.get(path if is_url(path) else str(Path(path).resolve()), {})


def find_logs(targets: Iterable[str], pattern: str | None = None,
              exclude: Iterable[str] = ()) -> Iterator[tuple[str, int]]:
    """(path, size) of every log under `targets`: files, folders (recursively), globs, fsspec URLs."""
    skip = {str(Path(x).resolve()) for x in exclude if not is_url(x)}
    for t in targets:
        if is_url(t):
            yield from _find_urls(t, pattern)
            continue
        p = Path(t)
        if p.is_file():
            yield str(p.resolve()), p.stat().st_size
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and str(Path(root, d).resolve()) not in skip)
                for f in sorted(files):
                    q = Path(root, f)
                    if f.startswith(".") or (pattern and not q.match(pattern)):
                        continue
                    r = str(q.resolve())
                    if r not in skip and q.is_file():
                        yield r, q.stat().st_size
        elif any(c in t for c in "*?["):
            for m in sorted(globmod.glob(t, recursive=True)):
                q = Path(m)
                if q.is_file() and str(q.resolve()) not in skip:
                    yield str(q.resolve()), q.stat().st_size
        else:
            raise InputError(f"{t}: no such file or folder")


def _find_urls(url: str, pattern: str | None) -> Iterator[tuple[str, int]]:
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{url}: URLs need fsspec (pip install 'errdiag[fleet]')") from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InputError(f"{url}: {exc}") from None
    protocol = url.split("://", 1)[0]
    if any(c in path for c in "*?["):
        found = {p: fs.info(p) for p in fs.glob(path)}
    elif fs.isdir(path):
        found = fs.find(path, detail=True)
    else:
        found = {path: fs.info(path)}
    for p in sorted(found):
        info = found[p]
        if info.get("type") == "file" and (not pattern or Path(p).match(pattern)):
            yield f"{protocol}://{p}" if "://" not in p else p, int(info.get("size") or 0)


def chunks(logs: Iterable[tuple[str, int]], manifest: Manifest, stats: ScanStats) -> Iterator[Chunk]:
    chunk: Chunk = []
    size = 0
    for path, n in logs:
        stats.logs += 1
        chunk.append((path, manifest.meta(path)))
        size += n
        if len(chunk) >= CHUNK_LOGS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def scan_fleet(targets: list[str], store: Store, *, manifest: str | None = None, engine: str = "local",
               scheduler: str | None = None, workers: int | None = None, kb: KbSpec | None = None,
               pattern: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> ScanStats:
    """Scan every log under `targets` (or the manifest's logs) that `store` does not hold yet; append them."""
    started = time.perf_counter()
    m = Manifest(manifest)
    if not targets:
        if not m.order:
            raise InputError("nothing to scan: give log files or folders, or a --manifest listing logs")
        targets = m.order
    stats = ScanStats()
    known = frozenset(store.known())
    spec = kb or KbSpec()
    exclude = [store.path] + ([manifest] if manifest else [])
    work = chunks(find_logs(targets, pattern, exclude), m, stats)
    if engine == "local":
        results = run_local(work, spec, known, workers)
    elif engine == "dask":
        results = run_dask(work, spec, known, scheduler, workers)
    else:
        raise InputError(f"unknown engine {engine!r} (local or dask)")
    seen: set[str] = set()
    buf = []
    for records, skipped in results:
        stats.skipped += skipped
        for r in records:
            if not r.hash:  # unreadable: counted, not stored (the next scan tries it again)
                stats.errors += 1
                continue
            if r.hash in seen:  # the same bytes twice in one run: stored once
                stats.skipped += 1
                continue
            seen.add(r.hash)
            stats.scanned += 1
            stats.bytes += r.size
            stats.errors += r.error is not None
            buf.append(r)
        if len(buf) >= FLUSH_RECORDS:
            store.append(buf)
            buf = []
        if progress is not None:
            progress(stats.scanned + stats.skipped, stats.bytes)
    if buf:
        store.append(buf)
    stats.seconds = time.perf_counter() - started
    return stats
