"""Score errdiag's top answer on bench/entries_pool_r14.yaml (the round-14 `entries` engineer's pool of fresh real
texts, labelled before errdiag ran on them):

    python bench/entries_pool_r14.py [--cmd .venv/bin/errdiag] [-v]

Per case the top answer (id, confidence, generic or not). Summary: top-1 on the cases labelled with an existing id
(`known`), and on the `out_of_kb` cases how many get a specific (non-generic) answer, and from which entries — whether
such an answer is RIGHT is judged by hand against the case's `what` (the line is printed for every answered
out_of_kb case). It first refuses the pool when a case is a thread of a wild sample or a source a knowledge entry
cites (bench/pools.py): the pool measures how entries generalise, so nobody may have tuned to its texts.
"""

from __future__ import annotations

import sys

from pools import describe, start, top_answer


def main() -> int:
    started = start("entries_pool_r14")
    if started is None:
        return 1
    args, cases = started
    known = known_top1 = oob = oob_specific = oob_generic = 0
    for c in cases:
        label = c["label"]
        top = top_answer(args.cmd, c["text"])
        got = describe(top)
        if label["kind"] == "known":
            known += 1
            hit = bool(top) and top["id"] == label["id"]
            known_top1 += hit
            if args.verbose or not hit:
                print(f"{c['id']} known  {'ok  ' if hit else 'MISS'} {got:55} want {label['id']}")
        else:
            oob += 1
            specific = bool(top) and not top.get("generic")
            oob_specific += specific
            oob_generic += bool(top) and not specific
            if args.verbose or specific:
                print(f"{c['id']} oob    {got:60} | {label['what'][:110]}")
    print(f"entries_pool_r14: cases={len(cases)} known_top1={known_top1}/{known} "
          f"out_of_kb_specific={oob_specific}/{oob} out_of_kb_generic={oob_generic}/{oob}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
