"""Engines: run `scan_log` over many logs, on the cores of this machine or on a Dask cluster.

Both engines take chunks of logs (a few MB each, so per-task overhead is amortised) and give back, per
chunk, its new records and how many logs were skipped as already stored. Each worker process loads the
knowledge base once (`worker_kb`) and keeps it for every chunk it runs; no process is started per log.
At most `IN_FLIGHT_PER_WORKER` chunks per worker are queued at any time, so memory stays bounded however
many logs there are.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..kb import KnowledgeBase
from .scan import LogRecord, scan_log

IN_FLIGHT_PER_WORKER = 3

Item = tuple[str, dict]  # (path or URL, manifest metadata)
Chunk = list[Item]
Done = tuple[list[LogRecord], int]  # (new records, logs skipped because already stored)


@dataclass(frozen=True)
class KbSpec:
    """How a worker loads the same knowledge base as `errdiag match` would here (picklable).

    Extra folders, the cache folder, the working directory and user config folder (project and user
    knowledge), and the ERRDIAG_* variables that choose knowledge. On a remote Dask worker, paths that do
    not exist there are simply not found: give such workers their knowledge with --kb on shared storage.
    """

    dirs: tuple[str, ...] = ()
    cache_dir: str | None = None
    cwd: str | None = None
    config_dir: str | None = None
    env: tuple[tuple[str, str], ...] = ()


_KB: dict[KbSpec, KnowledgeBase] = {}
_KNOWN: frozenset[str] = frozenset()


def worker_kb(spec: KbSpec) -> KnowledgeBase:
    """The knowledge base of this process, loaded on first use (from the cache when it is warm)."""
    kb = _KB.get(spec)
    if kb is None:
        from ..kb import load_knowledge

        kb = load_knowledge(spec.dirs, env=dict(spec.env), cwd=Path(spec.cwd) if spec.cwd else None,
                            config_dir=Path(spec.config_dir) if spec.config_dir else None,
                            cache_dir=Path(spec.cache_dir) if spec.cache_dir else None)
        _KB[spec] = kb
    return kb


def scan_chunk(chunk: Chunk, spec: KbSpec, known: frozenset[str] | None = None) -> Done:
    """Scan a chunk of logs in this worker; logs whose hash is in `known` are skipped."""
    kb = worker_kb(spec)
    skip_set = _KNOWN if known is None else known
    records: list[LogRecord] = []
    skipped = 0
    for path, meta in chunk:
        r = scan_log(path, kb, meta=meta, skip=skip_set.__contains__)
        if r is None:
            skipped += 1
        else:
            records.append(r)
    return records, skipped


def _init_local(spec: KbSpec, known: frozenset[str]) -> None:
    global _KNOWN
    _KNOWN = known
    worker_kb(spec)


def run_local(chunks: Iterable[Chunk], spec: KbSpec, known: frozenset[str], workers: int | None = None
              ) -> Iterator[Done]:
    """A process pool over the cores of this machine (fork where available: the KB is inherited)."""
    n = workers or os.cpu_count() or 1
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        worker_kb(spec)  # loaded once here, shared copy-on-write by every worker
    with ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_local, initargs=(spec, known)) as pool:
        yield from _bounded(chunks, lambda c: pool.submit(scan_chunk, c, spec), n * IN_FLIGHT_PER_WORKER)


def _bounded(chunks: Iterable[Chunk], submit, limit: int) -> Iterator[Done]:
    pending: set[Future] = set()
    it = iter(chunks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < limit:
            c = next(it, None)
            if c is None:
                exhausted = True
            else:
                pending.add(submit(c))
        if not pending:
            return
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for f in done:
            yield f.result()


def _dask_slots(client) -> int:
    """Threads across the cluster's workers (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def run_dask(chunks: Iterable[Chunk], spec: KbSpec, known: frozenset[str], scheduler: str | None = None,
             workers: int | None = None) -> Iterator[Done]:
    """The same scan on a Dask distributed cluster: `scheduler` (tcp://host:8786) or a LocalCluster."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'errdiag[fleet]'") from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        known_f = client.scatter([known], broadcast=True)[0] if known else None
        it = iter(chunks)
        ac = as_completed()
        in_flight = 0
        done = 0
        limit = _dask_slots(client) * IN_FLIGHT_PER_WORKER
        while True:
            while in_flight < limit:
                c = next(it, None)
                if c is None:
                    break
                ac.add(client.submit(scan_chunk, c, spec, known_f, pure=False))
                in_flight += 1
            if in_flight == 0:
                return
            fut = next(ac)
            got = fut.result()
            fut.release()
            in_flight -= 1
            done += 1
            if done % 16 == 0:  # an autoscaling cluster grows and shrinks: follow it
                limit = _dask_slots(client) * IN_FLIGHT_PER_WORKER
            yield got
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
