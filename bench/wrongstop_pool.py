"""Score errdiag's top answer on bench/wrongstop_pool.yaml: RIGHT / WRONG / OTHER / SILENT per case, and totals.

    python bench/wrongstop_pool.py [--cmd .venv/bin/errdiag] [-v]

It first checks that no case is a thread of a wild sample (bench/wild*.yaml) or a source a knowledge entry cites:
the pool measures how the round's fixes generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+/(?:issues|pull)/\d+")


def taken() -> set[str]:
    """Threads already used: wild samples' cases and knowledge entries' sources."""
    used: set[str] = set()
    for path in [*ROOT.glob("bench/wild*.yaml"), *ROOT.glob("knowledge/**/*.yaml")]:
        if "holdout11" in path.name:
            continue  # held out: its cases are read by the `wild` engineer and the lead only
        used.update(URL.findall(path.read_text(encoding="utf-8")))
    return used


def grade(case: dict, top: str | None) -> str:
    if top is None:
        return "SILENT"
    if top in case.get("right", []):
        return "RIGHT"
    return "WRONG" if top in case.get("wrong", []) else "OTHER"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "errdiag"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = yaml.safe_load((ROOT / "bench" / "wrongstop_pool.yaml").read_text(encoding="utf-8"))["cases"]
    clash = sorted({c["source"] for c in cases} & taken())
    if clash:
        print("cases taken from threads already used:", *clash, sep="\n  ")
        return 1
    counts: Counter[str] = Counter()
    for c in cases:
        out = subprocess.run([args.cmd, "match", "--format", "json"], input=c["text"], capture_output=True,
                             text=True, check=False)
        ds = json.loads(out.stdout).get("diagnoses", []) if out.stdout.strip() else []
        top = ds[0] if ds else None
        g = grade(c, top["id"] if top else None)
        counts[g] += 1
        if args.verbose or g in ("WRONG", "OTHER"):
            got = f"{top['id']} ({top['confidence']:.2f}{', generic' if top.get('generic') else ''})" if top else "-"
            print(f"{c['id']} {g:6} {got:55} {c['kind']}")
    n = len(cases)
    print(f"wrongstop_pool: cases={n} " + " ".join(f"{k}={counts[k]}" for k in ("RIGHT", "WRONG", "OTHER", "SILENT")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
