#!/usr/bin/env python3
"""Fleet scan speed and memory, each against a baseline measured in the same run (machines are noisy).

Builds the test suite's kind of corpus at bench size (tests/fleet_corpus.py: ~400 Loghub slices with real
dev-set errors planted at known lines, ~60 MB), then prints:

  baseline  one `errdiag match -f ALL.log --format json` over every log's bytes concatenated into one file
  local     `errdiag scan LOGS --out X.duckdb` (process pool over all cores): time / baseline
            (target <= 2x, aim 1.2x), and whether its report counts equal the planted truth
  dask      the same scan with `--engine dask --scheduler ...` on an already running cluster (a scheduler
            and two single-threaded workers started with the `dask` command): time / local (target <= 1.5x),
            and whether its report equals the local one
  per core  MB/s and logs/hour of one worker (`--workers 1`)
  memory    peak RSS of the biggest process of a local scan (driver or worker) on N logs and on 3N logs
            (bounded: about the same)

Each figure is the median of --runs runs (interleaved). Every scan writes a fresh store.

    python bench/fleet.py [--logs 400] [--runs 3] [--no-dask] [--no-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.fleet_corpus import build  # noqa: E402

VENV_BIN = Path(sys.executable).parent
ERRDIAG = str(VENV_BIN / "errdiag") if (VENV_BIN / "errdiag").exists() else "errdiag"
DASK = str(VENV_BIN / "dask") if (VENV_BIN / "dask").exists() else "dask"


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each command's process tree, by label


def timed(cmd: list[str], env: dict | None = None, label: str | None = None
          ) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, the peak RSS (KiB) of the biggest process under the child, and the result.

    The CPU seconds of the whole process tree (the scan's pool workers, the match's second half) go to
    CPU[label]: on a machine others are loading, CPU time says more than wall time about the work done.
    """
    code = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
            "p=subprocess.run(json.loads(sys.argv[1]),stdout=subprocess.PIPE,stderr=subprocess.PIPE);"
            "d=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "sys.stderr.buffer.write(p.stderr);sys.stdout.buffer.write(json.dumps([d,u.ru_maxrss,p.returncode,"
            "u.ru_utime+u.ru_stime]).encode()+b'\\n'+p.stdout)")
    p = subprocess.run([sys.executable, "-c", code, json.dumps(cmd)], capture_output=True, env=env)
    head, _, rest = p.stdout.partition(b"\n")
    d, rss, rc, cpu = json.loads(head)
    if label:
        CPU.setdefault(label, []).append(cpu)
    res = subprocess.CompletedProcess(cmd, rc, rest, p.stderr)
    if rc not in (0, 1):
        sys.exit(f"failed ({rc}): {' '.join(cmd)}\n{p.stderr.decode()[-2000:]}")
    return d, rss, res


def report(store: Path) -> dict:
    p = subprocess.run([ERRDIAG, "report", str(store), "--format", "json", "--top", "1000"], capture_output=True,
                       text=True, check=True)
    r = json.loads(p.stdout)
    r.pop("store")
    for u in r["unknown"]:
        u.pop("new_entry")
    return r


def versus_truth(r: dict, truth, store: Path, root: Path) -> str:
    """Known ids: logs per id equal to the planted truth? Unknown: the cluster's size, and how many of the
    planted logs a knowledge entry explains through a real error of their Loghub background (such a log
    is not an unknown failure, by the report's definition)."""
    import duckdb

    by_id = {f["id"]: f["logs"] for f in r["failures"]}
    known = all(by_id.get(i, 0) == len(v) for i, v in truth.known.items())
    quark = [u for u in r["unknown"] if "quarkd" in u["template"]]
    con = duckdb.connect(str(store), read_only=True)
    explained = con.execute("SELECT count(*) FROM logs WHERE failed AND list_contains($logs, log)",
                            {"logs": [str(root / log) for log, _ in truth.unknown]}).fetchone()[0]
    con.close()
    sizes = [u["logs"] for u in quark]
    return (f"counts per id = planted truth: {known}; unknown error planted in {len(truth.unknown)} logs: "
            f"{len(quark)} cluster(s) of {sizes} ({explained} of those logs explained by a known error in "
            f"their background)")


class DaskCluster:
    """`dask scheduler` and two `dask worker --nthreads 1` processes, as an operator would start them."""

    def __init__(self, tmp: Path):
        self.file = tmp / "scheduler.json"
        self.procs = [subprocess.Popen([DASK, "scheduler", "--scheduler-file", str(self.file), "--port", "0",
                                        "--dashboard-address", ":0"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)]
        deadline = time.time() + 60
        while not self.file.exists() and time.time() < deadline:
            time.sleep(0.2)
        for _ in range(2):
            self.procs.append(subprocess.Popen([DASK, "worker", "--scheduler-file", str(self.file), "--nthreads", "1",
                                                "--nworkers", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))
        from distributed import Client

        time.sleep(1)
        with Client(scheduler_file=str(self.file), timeout="60s") as c:
            c.wait_for_workers(2, timeout=120)
            self.address = c.scheduler.address

    def close(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logs", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="errdiag-fleet-bench-"))
    try:
        truth = build(tmp / "corpus", n_logs=args.logs, lines=(600, 1500))
        logs = tmp / "corpus" / "logs"
        manifest = tmp / "corpus" / "manifest.csv"
        mb = truth.bytes / 1e6
        print(f"corpus      {len(truth.logs)} logs, {mb:.1f} MB (Loghub slices, "
              f"{sum(map(len, truth.known.values()))} planted known errors, {len(truth.unknown)} unknown)")
        everything = tmp / "all.log"
        with open(everything, "wb") as out:
            for name in truth.logs:
                out.write((tmp / "corpus" / name).read_bytes())
        timed([ERRDIAG, "match", "-f", str(everything), "--format", "json"])  # warm the KB cache and file cache
        n = 0

        def scan(*extra: str, label: str | None = None) -> tuple[float, int, Path]:
            nonlocal n
            n += 1
            store = tmp / f"s{n}.duckdb"
            d, rss, _ = timed([ERRDIAG, "scan", str(logs), "--manifest", str(manifest), "--out", str(store), *extra],
                              label=label)
            return d, rss, store

        cluster = None if args.no_dask else DaskCluster(tmp)
        try:
            base, local, dask = [], [], []
            local_store = dask_store = None
            for _ in range(args.runs):
                base.append(timed([ERRDIAG, "match", "-f", str(everything), "--format", "json"], label="base")[0])
                d, _, local_store = scan(label="local")
                local.append(d)
                if cluster is not None:
                    d, _, dask_store = scan("--engine", "dask", "--scheduler", cluster.address)
                    dask.append(d)
        finally:
            if cluster is not None:
                cluster.close()
        b, lo = statistics.median(base), statistics.median(local)
        print(f"baseline    errdiag match -f (all bytes in one file): {b:.2f} s ({mb / b:.1f} MB/s)")
        r_local = report(local_store)
        print(f"local       errdiag scan: {lo:.2f} s ({mb / lo:.1f} MB/s), ratio {lo / b:.2f}x "
              f"(target <= 2x, aim 1.2x)")
        cb, cl = statistics.median(CPU["base"]), statistics.median(CPU["local"])
        print(f"            CPU seconds of all processes: scan {cl:.2f}, match {cb:.2f}, ratio {cl / cb:.2f}x")
        print(f"            {versus_truth(r_local, truth, local_store, tmp / 'corpus')}")
        if dask:
            da = statistics.median(dask)
            same = report(dask_store) == r_local
            print(f"dask        --engine dask on a running cluster (scheduler + 2 single-threaded workers): "
                  f"{da:.2f} s, ratio to local {da / lo:.2f}x (target <= 1.5x); same report as local: {same}")
        one = [scan("--workers", "1", label="one")[0] for _ in range(args.runs)]
        o = statistics.median(one)
        oc = statistics.median(CPU["one"])
        print(f"per core    --workers 1: {o:.2f} s, {mb / o:.1f} MB/s, {len(truth.logs) / o * 3600:,.0f} logs/hour "
              f"of ~{mb / len(truth.logs) * 1000:.0f} KB (by CPU time: {mb / oc:.1f} MB/s, "
              f"{len(truth.logs) / oc * 3600:,.0f} logs/hour)")
        runs = {k: [round(x, 2) for x in v] for k, v in (("base", base), ("local", local), ("dask", dask),
                                                           ("one", one))}
        print(f"            medians of {args.runs}; runs {runs}")
        if not args.no_memory:
            _, rss1, _ = scan()
            more = tmp / "more"
            for k in range(3):  # 3x the logs, each copy made distinct (else the content hash skips it)
                for name in truth.logs:
                    src = tmp / "corpus" / name
                    dst = more / f"c{k}" / Path(name).name
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    dst.write_bytes(src.read_bytes() + f"copy {k}\n".encode())
            n += 1
            _, rss3, _ = timed([ERRDIAG, "scan", str(more), "--out", str(tmp / f"s{n}.duckdb")])
            print(f"memory      peak RSS of the biggest process: {rss1 / 1024:.0f} MiB on {len(truth.logs)} logs, "
                  f"{rss3 / 1024:.0f} MiB on {3 * len(truth.logs)} logs")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    os.sys.stdout.flush()


if __name__ == "__main__":
    main()
