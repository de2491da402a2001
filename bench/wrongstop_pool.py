"""Score errdiag's top answer on bench/wrongstop_pool.yaml: RIGHT / WRONG / OTHER / SILENT per case, and totals.

    python bench/wrongstop_pool.py [--cmd .venv/bin/errdiag] [-v]

It first checks that no case is a thread of a wild sample (bench/wild*.yaml) or a source a knowledge entry cites:
the pool measures how the round's fixes generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import sys
from collections import Counter

from pools import describe, start, top_answer


def grade(case: dict, top: str | None) -> str:
    if top is None:
        return "SILENT"
    if top in case.get("right", []):
        return "RIGHT"
    return "WRONG" if top in case.get("wrong", []) else "OTHER"


def main() -> int:
    started = start("wrongstop_pool")
    if started is None:
        return 1
    args, cases = started
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
