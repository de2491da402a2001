#!/usr/bin/env python3
"""Is errdiag's JSON output the same with and without the Hyperscan prefilter? (a change meant to be
speed only must not change one byte of what users get)

Runs `errdiag match --format json` in-process on every case text of ../shared/eval/*.yaml and bench/*.yaml
and on every log of ../shared/data/cidiff (fail and pass) and bench/logs*/ (the wild_holdout3 ... wild_holdout7
sets, the held-out wild_holdout10 set and the fresh3 folder are left out), once per mode, and prints the inputs whose
output differs.

    python bench/same_output.py                 # anchor path vs prefilter at its normal thresholds
    python bench/same_output.py --force         # ... vs prefilter on from the first byte, on every
                                                #     bundled regex signature (the strict superset check)
    python bench/same_output.py --log big.log   # one more log (e.g. the 110 MB one of bench/speed.py)
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from errdiag.cli import main  # noqa: E402
from errdiag.environment import Environment  # noqa: E402
from errdiag.matching import exact, prefilter  # noqa: E402


def texts() -> list[tuple[str, str]]:
    out = []
    # the wild samples held out when drawn (holdout15 still is): not even run here
    held_out = ("wild_holdout3", "wild_holdout4", "wild_holdout5", "wild_holdout6", "wild_holdout7",
                "wild_holdout8", "wild_holdout9", "wild_holdout10", "wild_holdout11", "wild_holdout12",
                "wild_holdout13", "wild_holdout14", "wild_holdout15")
    files = sorted((SHARED / "eval").glob("*.yaml")) + sorted(p for p in ROOT.glob("bench/*.yaml")
                                                                if not p.name.startswith(held_out))
    for path in files:
        data = yaml.safe_load(path.read_text())

        def walk(x, where, path=path):
            if isinstance(x, dict):
                for k, v in x.items():
                    if k == "text" and isinstance(v, str):
                        out.append((f"{path.name}:{where}", v))
                    else:
                        walk(v, f"{where}/{k}")
            elif isinstance(x, list):
                for i, v in enumerate(x):
                    walk(v, f"{where}/{i}")

        walk(data, "")
    return out


def logs(tmp: Path, extra: list[str]) -> list[Path]:
    found = []
    tar = SHARED / "data" / "cidiff" / "breakages.tar.xz"
    if tar.exists():
        with tarfile.open(tar) as tf:
            tf.extractall(tmp / "cidiff", filter="data")
        found += sorted((tmp / "cidiff").rglob("*.log"))
    for folder in sorted(ROOT.glob("bench/logs*")):
        found += sorted(p for p in folder.rglob("*.log") if "fresh3" not in p.parts)
    return found + [Path(x) for x in extra]


def run(args: list[str], stdin: bytes, cache: Path) -> str:
    env = Environment(stdin=io.BytesIO(stdin), stdout=io.StringIO(), stderr=io.StringIO(), stdin_isatty=False,
                      stdout_isatty=False, stderr_isatty=False,
                      env={"ERRDIAG_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "80", "HOME": str(cache)},
                      cwd=cache)
    code = main(args, env)
    return f"{code}\n{env.stdout.getvalue()}"


def outputs(cases, files, cache: Path) -> dict[str, str]:
    got = {}
    for name, text in cases:
        got[name] = run(["match", "--format", "json"], text.encode(), cache)
    for f in files:
        got[str(f)] = run(["match", "--format", "json", "-f", str(f)], b"", cache)
    return got


def main_() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="prefilter from the first byte, on every regex signature")
    ap.add_argument("--log", action="append", default=[], help="another log to compare on")
    ap.add_argument("--names", help="a file of input names (one a line, as printed): compare only those")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="errdiag-same-") as t:
        tmp = Path(t)
        (tmp / "cache").mkdir(mode=0o700)
        cases, files = texts(), logs(tmp, args.log)
        if args.names:
            wanted = [x.strip() for x in Path(args.names).read_text().splitlines() if x.strip()]
            cases = [c for c in cases if c[0] in wanted]
            files = [f for f in files if any(str(f).endswith(w) for w in wanted)]
        t0 = time.perf_counter()
        prefilter.DISABLED = True
        before = outputs(cases, files, tmp / "cache")
        t1 = time.perf_counter()
        prefilter.DISABLED = False
        if args.force:
            exact.PREFILTER_AFTER, exact.COMPILE_AFTER, exact.NOISY_TRIES = 0, 0, 0
        after = outputs(cases, files, tmp / "cache")
        t2 = time.perf_counter()
    differ = [k for k in before if before[k] != after[k]]
    for k in differ:
        print(f"DIFFERS  {k}")
    print(f"same_output  {len(before) - len(differ)}/{len(before)} identical ({len(cases)} texts, {len(files)} logs; "
          f"{'forced prefilter' if args.force else 'prefilter at its thresholds'}); anchor path {t1 - t0:.1f} s, "
          f"with prefilter {t2 - t1:.1f} s")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main_())
