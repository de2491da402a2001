"""Score errdiag's top answer on bench/wrongstop_pool.yaml: RIGHT / WRONG / OTHER / SILENT per case, and totals.

    python bench/wrongstop_pool.py [--cmd .venv/bin/errdiag] [-v]

It first checks that no case is a thread of a wild sample (bench/wild*.yaml) or a source a knowledge entry cites:
the pool measures how the round's fixes generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from pools import DEFAULT_CMD, describe, load_fresh, top_answer


def grade(case: dict, top: str | None) -> str:
    if top is None:
        return "SILENT"
    if top in case.get("right", []):
        return "RIGHT"
    return "WRONG" if top in case.get("wrong", []) else "OTHER"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", default=DEFAULT_CMD)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = load_fresh("wrongstop_pool")
    if cases is None:
        return 1
    counts: Counter[str] = Counter()
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        g = grade(c, top["id"] if top else None)
        counts[g] += 1
        if args.verbose or g in ("WRONG", "OTHER"):
            got = describe(top)
            print(f"{c['id']} {g:6} {got:55} {c['kind']}")
    n = len(cases)
    print(f"wrongstop_pool: cases={n} " + " ".join(f"{k}={counts[k]}" for k in ("RIGHT", "WRONG", "OTHER", "SILENT")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
