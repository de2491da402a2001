"""Score errdiag's top answer on bench/anat_pool_r15.yaml: real texts of the shapes round 15's KB-wide anatomy rules
read (Jupyter/IPython tracebacks, logger lines above a traceback, a worker's traceback re-raised in the parent,
RSpec/Ruby load failures, Laravel/Monolog log entries, rustc's link failures, make over a tool error).

    python bench/anat_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case (labels in the pool's header): RIGHT when the top answer is one of `right`; WRONG when it is one of `wrong`;
OK when the case allows a step back (`ok: generic_ok`) and errdiag is silent or answers with a generic-flagged entry;
MISS when it is silent or generic where only a `right` id counts; OTHER for any other specific answer (read it). It
first checks that no case is a thread of an open wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys

from pools import describe, start, top_answer

GRADES = ("RIGHT", "OK", "WRONG", "MISS", "OTHER")


def judge(case: dict, d: dict | None) -> str:
    """The grade of the top answer `d` (None: silent) for one case."""
    if d is not None and d["id"] in (case.get("right") or []):
        return "RIGHT"
    if d is not None and d["id"] in (case.get("wrong") or []):
        return "WRONG"
    if d is None or d.get("generic"):
        return "OK" if case.get("ok") == "generic_ok" else "MISS"
    return "OTHER"


def main() -> int:
    started = start("anat_pool_r15")
    if started is None:
        return 1
    args, cases = started
    counts = dict.fromkeys(GRADES, 0)
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        grade = judge(c, top)
        counts[grade] += 1
        if args.verbose or grade not in ("RIGHT", "OK"):
            got = describe(top)
            print(f"{c['id']} {grade:5} {got:55} {c['kind']}")
    n = len(cases)
    print(f"anat_pool: cases={n} " + " ".join(f"{g}={counts[g]}" for g in GRADES)
          + f" right_or_ok={(counts['RIGHT'] + counts['OK']) / n:.3f} wrong={counts['WRONG'] / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
