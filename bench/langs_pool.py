#!/usr/bin/env python3
"""Score errdiag on bench/langs_pool.yaml: real Julia, Elixir and R errors (round 12) and Lua, Dart, Zig, OCaml and
GHC errors (round 13, tallied apart as `round13`) from issue threads (how they were drawn and labelled is in the
file's comments). Every text goes through `CMD match --format json` in one process
(bench/match_batch.py run by the Python beside CMD); per language and in all, it prints

    answered   share of texts with any answer
    right      share whose top answer is the labelled entry and names the labelled specific (a package, a name,
               a function, a key) in its captures; a generic answer is right only where no specific is labelled

    python bench/langs_pool.py [--cmd .venv/bin/errdiag] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def answers(cmd: str, texts: list[str]) -> list[dict | None]:
    python = Path(cmd).resolve().parent / "python"
    feed = "".join(json.dumps(t) + "\n" for t in texts)
    out = subprocess.run([str(python), str(ROOT / "bench" / "match_batch.py")], input=feed, capture_output=True,
                         text=True, check=True).stdout
    got: list[dict | None] = []
    for line in out.splitlines():
        ds = json.loads(json.loads(line)["stdout"] or "{}").get("diagnoses") or []
        got.append(ds[0] if ds else None)
    return got


def right(case: dict, top: dict | None) -> bool:
    want = case["expect"]
    if top is None or top["id"] != want["id"]:
        return False
    specific = want.get("specific") or {}
    if not specific:
        return True
    caps = top.get("captures") or {}
    return all(caps.get(k) == v for k, v in specific.items())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "errdiag"))
    ap.add_argument("-v", action="store_true", help="one line per case")
    args = ap.parse_args()
    pool = yaml.safe_load((ROOT / "bench" / "langs_pool.yaml").read_text(encoding="utf-8"))
    tops = answers(args.cmd, [c["text"] for c in pool])
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case, top in zip(pool, tops, strict=True):
        ok = right(case, top)
        for key in (case["language"], "all", *(["round13"] if case.get("round") == 13 else [])):
            tally[key][0] += 1
            tally[key][1] += top is not None
            tally[key][2] += ok
        if args.v:
            got = "-" if top is None else f"{top['id']}{' (generic)' if top.get('generic') else ''}"
            print(f"{case['id']:12} {'RIGHT' if ok else 'miss ':6} want={case['expect']['id']:28} got={got}")
    for key, (n, answered, ok) in sorted(tally.items(), key=lambda kv: (kv[0] == "all", kv[0] == "round13")):
        print(f"langs-pool {key}: cases={n} answered={answered / n:.3f} ({answered}) right={ok / n:.3f} ({ok})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
