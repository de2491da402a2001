"""Score errdiag's top answer on bench/frag_pool_r14.yaml: known errors in other clothes (bare fragments, wrappers,
structured logs). A case is RIGHT when the top answer is its labelled entry (or one of the entries its `also`
lists), MISS otherwise (another answer or silence).

    python bench/frag_pool.py [--cmd .venv/bin/errdiag] [-v]

It first checks that no case is a thread of a wild sample (bench/wild*.yaml) or a source a knowledge entry cites:
the pool measures how the KB-wide framing rules generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from pools import DEFAULT_CMD, load_fresh, top_answer


def right(case: dict, top: dict | None) -> bool:
    """The top answer is the case's labelled entry or one it names as equally right."""
    return top is not None and top["id"] in {case["label"], *(case.get("also") or [])}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", default=DEFAULT_CMD)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = load_fresh("frag_pool_r14")
    if cases is None:
        return 1
    hits = 0
    by_kind: Counter = Counter()
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        ok = right(c, top)
        hits += ok
        by_kind["silent" if top is None else "right" if ok else "other"] += 1
        if args.verbose or not ok:
            got = f"{top['id']} ({top['confidence']:.2f})" if top else "-"
            print(f"{c['id']} {'RIGHT' if ok else 'MISS ':5} {c['label']:38} got {got:48} {c['kind']}")
    print(f"frag_pool: cases={len(cases)} top1={hits}/{len(cases)} = {hits / len(cases):.3f} "
          f"(other answer {by_kind['other']}, silent {by_kind['silent']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
