"""Score errdiag's top answer on bench/frag_pool_r14.yaml: known errors in other clothes (bare fragments, wrappers,
structured logs). A case is RIGHT when the top answer is its labelled entry (or one of the entries its `also`
lists), REFIN when it is an entry that refines the label (one written after the pool was labelled may say more),
MISS otherwise (another answer or silence).

    python bench/frag_pool.py [--cmd .venv/bin/errdiag] [-v]

It first checks that no case is a thread of a wild sample (bench/wild*.yaml) or a source a knowledge entry cites:
the pool measures how the KB-wide framing rules generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import sys
from collections import Counter

from pools import describe, start, top_answer


def right(case: dict, top: dict | None) -> bool:
    """The top answer is the case's labelled entry or one it names as equally right."""
    return top is not None and top["id"] in {case["label"], *(case.get("also") or [])}


def refining(case: dict, top: dict | None, parents: dict[str, str]) -> bool:
    """The top answer is an entry that refines the labelled one (as wild.py's top1_known_or_refining counts: an
    entry written after the pool was labelled may say more than the label)."""
    return top is not None and parents.get(top["id"]) == case["label"]


def main() -> int:
    started = start("frag_pool_r14")
    if started is None:
        return 1
    args, cases = started
    from errdiag import load_knowledge

    parents = {e.id: e.refines for e in load_knowledge().entries if e.refines}
    hits = refined = 0
    by_kind: Counter = Counter()
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        ok = right(c, top)
        sub = not ok and refining(c, top, parents)
        hits += ok
        refined += sub
        by_kind["silent" if top is None else "right" if ok or sub else "other"] += 1
        if args.verbose or not ok:
            got = describe(top)
            verdict = "RIGHT" if ok else "REFIN" if sub else "MISS "
            print(f"{c['id']} {verdict} {c['label']:38} got {got:48} {c['kind']}")
    print(f"frag_pool: cases={len(cases)} top1={hits}/{len(cases)} = {hits / len(cases):.3f} "
          f"top1_or_refining={hits + refined}/{len(cases)} = {(hits + refined) / len(cases):.3f} "
          f"(other answer {by_kind['other']}, silent {by_kind['silent']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
