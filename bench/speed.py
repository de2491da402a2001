#!/usr/bin/env python3
"""Speed and memory of errdiag, each against a baseline measured in the same run (machines are noisy).

Prints:
  startup     median wall time of `errdiag match '<one line>'` / `python -c "import typer, rich.console,
              rapidfuzz.process, yaml"` (target <= 1.5x)
  throughput  a ~110 MB log (the 16 Loghub logs x 25, with real dev-set errors planted at known lines):
              errdiag time / `LC_ALL=C grep -ciE "error|fail|fatal|exception|denied|refused"` time
              (target <= 15x; the second run in a fresh cache folder, the first is shown too), MB/s,
              the same as CPU time (robust to a loaded machine), peak RSS (target <= 150 MiB), and
              whether every planted error was reported on its line
  scaling     the same medium input against the bundled KB and against the bundled KB + 10,000 synthetic
              entries (target: at most 2x)

    python bench/speed.py [--repeat 25] [--runs 7] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
VENV_BIN = Path(sys.executable).parent
ERRDIAG = str(VENV_BIN / "errdiag") if (VENV_BIN / "errdiag").exists() else "errdiag"
PLANT = ["openai.insufficient_quota", "python.module_not_found", "npm.eresolve", "git.not_a_repository",
         "docker.daemon_not_running", "k8s.crashloopbackoff", "postgres.connection_refused"]
# planted near the END (followed by 2,000 more log lines): a regex anchored on a phrase the Loghub logs
# repeat ("permission denied"), so a per-signature try budget spent early in the log would miss it
PLANT_LATE = "python.permission_denied"
LATE_TAIL_LINES = 2000


def timed(cmd: list[str], env: dict | None = None, stdin=None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak RSS (KiB) of the child, and the result."""
    code = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
            "p=subprocess.run(json.loads(sys.argv[1]),stdout=subprocess.PIPE,stderr=subprocess.PIPE);"
            "d=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);r=u.ru_maxrss;"
            "sys.stderr.buffer.write(p.stderr);sys.stdout.buffer.write(json.dumps([d,r,p.returncode,u.ru_utime+u.ru_stime])"
            ".encode()+b'\\n'"
            "+p.stdout)")
    p = subprocess.run([sys.executable, "-c", code, json.dumps(cmd)], capture_output=True, env=env, stdin=stdin)
    head, _, rest = p.stdout.partition(b"\n")
    d, rss, rc, cpu = json.loads(head)
    LAST_CPU[0] = cpu
    return d, rss, subprocess.CompletedProcess(cmd, rc, rest, p.stderr)


LAST_CPU = [0.0]  # CPU seconds (user + system, the child and its children) of the last timed() command


def compile_bytecode() -> None:
    """Write errdiag's bytecode, as `pip install` does for every package (the baseline's libraries have
    theirs). A source checkout run with PYTHONDONTWRITEBYTECODE=1 (set in some CI and sandbox shells)
    would otherwise compile errdiag's modules on every start and time the compiler, not errdiag."""
    python = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
    subprocess.run([str(python), "-c", "import compileall, os, errdiag; "
                    "compileall.compile_dir(os.path.dirname(errdiag.__file__), quiet=1)"],
                   capture_output=True, check=False)


def startup(runs: int) -> None:
    base_cmd = [sys.executable, "-c", "import typer, rich.console, rapidfuzz.process, yaml"]
    compile_bytecode()
    ours = [ERRDIAG, "match", "fatal: not a git repository (or any of the parent directories): .git",
            "--format", "json"]
    timed(ours)  # warm the knowledge cache and the OS file cache
    b, o, bc, oc = [], [], [], []
    for _ in range(runs):
        b.append(timed(base_cmd)[0])
        bc.append(LAST_CPU[0])
        o.append(timed(ours)[0])
        oc.append(LAST_CPU[0])
    mb, mo = statistics.median(b), statistics.median(o)
    print(f"startup     errdiag {mo * 1000:.0f} ms, baseline imports {mb * 1000:.0f} ms, ratio {mo / mb:.2f}x "
          f"(target <= 1.5x; medians of {runs})")
    cb, co = statistics.median(bc), statistics.median(oc)
    print(f"startup cpu errdiag {co * 1000:.0f} ms, baseline imports {cb * 1000:.0f} ms, ratio {co / cb:.2f}x "
          "(user + system CPU: robust to a loaded machine)")


def dev_cases() -> dict[str, str]:
    import yaml

    cases = yaml.safe_load((SHARED / "eval" / "dev.yaml").read_text())
    return {c["id"]: c["cases"][0]["text"] for c in cases if c["id"] in PLANT or c["id"] == PLANT_LATE}


def build_big_log(path: Path, repeat: int) -> list[tuple[str, int]]:
    """Concatenate the Loghub logs `repeat` times and plant real errors; return (id, line) expected."""
    logs = sorted((SHARED / "data" / "loghub").glob("*.log"))
    chunk = b"".join(p.read_bytes() if p.read_bytes().endswith(b"\n") else p.read_bytes() + b"\n" for p in logs)
    per = chunk.count(b"\n")
    planted = dev_cases()
    late = (PLANT_LATE, planted.pop(PLANT_LATE))
    rng = random.Random(7)
    where: dict[int, list[tuple[str, str]]] = {}
    for item in sorted(planted.items()):
        where.setdefault(rng.randrange(repeat), []).append(item)
    expected = []
    line = 1
    with open(path, "wb") as fh:
        for i in range(repeat):
            fh.write(chunk)
            line += per
            for eid, text in where.get(i, []):
                offset = _evidence_offset(eid, text)
                data = text.rstrip("\n").encode() + b"\n"
                fh.write(data)
                expected.append((eid, line + offset))
                line += data.count(b"\n")
        tail = chunk[: _nth_newline(chunk, LATE_TAIL_LINES) + 1]
        eid, text = late
        data = text.rstrip("\n").encode() + b"\n"
        fh.write(data)  # and the first LATE_TAIL_LINES lines of the logs once more after it
        expected.append((eid, line + _evidence_offset(eid, text)))
        fh.write(tail)
    return expected


def _nth_newline(data: bytes, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = data.index(b"\n", pos + 1)
    return pos


def _evidence_offset(eid: str, text: str) -> int:
    p = subprocess.run([ERRDIAG, "match", "--format", "json"], input=text.encode(), capture_output=True)
    for d in json.loads(p.stdout)["diagnoses"]:
        if d["id"] == eid:
            return d["line"] - 1
    return 0


def throughput(repeat: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="errdiag-bench-"))
    try:
        big = tmp / "big.log"
        expected = build_big_log(big, repeat)
        size = big.stat().st_size
        env = dict(os.environ, LC_ALL="C")
        g = gcpu = float("inf")
        for _ in range(3):
            g = min(g, timed(["grep", "-ciE", "error|fail|fatal|exception|denied|refused", str(big)], env)[0])
            gcpu = min(gcpu, LAST_CPU[0])
        # in a cache folder of its own: the first run builds the knowledge cache and compiles the prefilter's
        # database (as after any change of the knowledge), the second one is measured (as every later run)
        mine = dict(os.environ, ERRDIAG_CACHE_DIR=str(tmp / "cache"))
        cmd = [ERRDIAG, "match", "--format", "json", "-f", str(big)]
        first, first_rss, _ = timed(cmd, mine)
        first_cpu = LAST_CPU[0]
        d, rss, p = timed(cmd, mine)
        dcpu = LAST_CPU[0]
        found = {(x["id"], x["line"]) for x in json.loads(p.stdout)["diagnoses"]}
        ids = {x["id"] for x in json.loads(p.stdout)["diagnoses"]}
        hits = sum((e, ln) in found for e, ln in expected)
        print(f"throughput  {size / 1e6:.0f} MB, {_count_lines(big):,} lines: errdiag {d:.2f} s "
              f"({size / 1e6 / d:.1f} MB/s), grep {g:.2f} s, ratio {d / g:.1f}x (target <= 15x)")
        print(f"cpu         errdiag {dcpu:.2f} s (both halves), grep {gcpu:.2f} s, ratio {dcpu / max(gcpu, 1e-3):.1f}x "
              f"(CPU time barely moves with the machine's load; wall time on two idle cores is about half of it)")
        print(f"memory      peak RSS {rss / 1024:.0f} MiB (target <= 150 MiB)")
        print(f"first run   errdiag {first:.2f} s, ratio {first / g:.1f}x, cpu {first_cpu:.2f} s, peak RSS "
              f"{first_rss / 1024:.0f} MiB (a new knowledge base: its cache built, the prefilter database compiled)")
        print(f"planted     {hits}/{len(expected)} real errors reported on their line; "
              f"{len(ids - {e for e, _ in expected})} other ids diagnosed")
        for e, ln in expected:
            if (e, ln) not in found:
                got = [x["line"] for x in json.loads(p.stdout)["diagnoses"] if x["id"] == e]
                print(f"  missed {e} at line {ln} (got {got})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def synthetic_kb(folder: Path, n: int) -> None:
    rng = random.Random(11)
    words = [w.strip() for w in (ROOT / "bench" / "words.txt").read_text().split()] if (
        ROOT / "bench" / "words.txt").exists() else [f"tok{i}" for i in range(5000)]
    for i in range(n):
        tool = f"syn{i // 500}"
        d = folder / tool
        d.mkdir(parents=True, exist_ok=True)
        phrase = " ".join(rng.sample(words, 4)) + f" zq{i}"
        (d / f"e{i}.yaml").write_text(
            f"id: {tool}.e{i}\ntitle: Synthetic {i}\ntool: Syn\ncategory: runtime\nsummary: s\n"
            f"signatures:\n  - literal: '{phrase}'\n  - regex: 'syn code (?P<n>\\d+) zq{i}x'\n"
            f"context: ['synthetic-{i}']\n")


def scan_only(medium: Path, syn: Path, cache: Path) -> None:
    """The matching cost alone (knowledge already loaded), in this process: it must not grow with the KB."""
    sys.path.insert(0, str(ROOT))
    from errdiag import diagnose, load_knowledge
    from errdiag.inputs import file_source

    times = {}
    for name, extra in (("bundled", []), ("+10,000", [str(syn)])):
        t0 = time.perf_counter()
        kb = load_knowledge(extra, cache_dir=cache)
        kb.index.automaton  # noqa: B018
        load = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            diagnose(kb=kb, sources=[file_source(str(medium))])
            runs.append(time.perf_counter() - t0)
        times[name] = (load, min(runs))
    (la, sa), (lb, sb) = times["bundled"], times["+10,000"]
    print(f"            scan only: bundled {sa:.2f} s, +10,000 {sb:.2f} s, ratio {sb / sa:.2f}x; "
          f"cached load: {la * 1000:.0f} ms vs {lb * 1000:.0f} ms "
          f"(grows with the entries, ~{(lb - la) * 100:.0f} us each)")


def scaling(runs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="errdiag-scale-"))
    try:
        synthetic_kb(tmp / "kb", 10_000)
        logs = sorted((SHARED / "data" / "loghub").glob("*.log"))
        medium = tmp / "medium.log"
        medium.write_bytes(b"".join(p.read_bytes() for p in logs) + dev_cases()["npm.eresolve"].encode())
        env = dict(os.environ, ERRDIAG_CACHE_DIR=str(tmp / "cache"))
        base = [ERRDIAG, "match", "--format", "json", "-f", str(medium)]
        big = base + ["--kb", str(tmp / "kb")]
        timed(base, env)
        t0 = time.perf_counter()
        timed(big, env)  # first run compiles and caches the 10k-entry knowledge base
        cold = time.perf_counter() - t0
        a, b = [], []
        for _ in range(runs):
            a.append(timed(base, env)[0])
            b.append(timed(big, env)[0])
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"scaling     {medium.stat().st_size / 1e6:.1f} MB input, end to end: bundled KB {ma:.2f} s, +10,000 "
              f"entries {mb:.2f} s, ratio {mb / ma:.2f}x (target <= 2x; first uncached load {cold:.1f} s)")
        scan_only(medium, tmp / "kb", tmp / "cache")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=25, help="how many times the Loghub logs are concatenated")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--quick", action="store_true", help="smaller inputs (repeat 5, 5 runs)")
    ap.add_argument("--only", choices=["startup", "throughput", "scaling"])
    args = ap.parse_args()
    if args.quick:
        args.repeat, args.runs = 5, 5
    if not (SHARED / "data" / "loghub").is_dir():
        print(f"no Loghub data under {SHARED}", file=sys.stderr)
        return 2
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.only in (None, "startup"):
        startup(args.runs)
    if args.only in (None, "throughput"):
        throughput(args.repeat)
    if args.only in (None, "scaling"):
        scaling(max(3, args.runs // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
