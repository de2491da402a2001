"""Score errdiag's top answer on bench/entries2_pool_r14.yaml: RIGHT / OTHER / SILENT per case, and totals.

    python bench/entries2_pool.py [--cmd .venv/bin/errdiag] [-v]

A case's top answer is RIGHT when its id is the case's labelled `expect` (an entry that already answered that kind
when the pool was drawn) or one of its `also` ids, or an entry the pool's `answers:` map lists for the case's `kind`
(filled as entries are written for a kind); any other answer is OTHER (judged by hand), no answer is SILENT. Totals
are given over all cases and over the cases labelled `out_of_kb`. It first checks that no case is a thread of a
wild sample (bench/wild*.yaml) or a source a knowledge entry cites: the pool measures how the round's entries
generalise, so its texts must be ones nobody tuned to.
"""

from __future__ import annotations

import sys
from collections import Counter

import yaml
from pools import ROOT, describe, start, top_answer

NAME = "entries2_pool_r14"


def grade(case: dict, top: str | None, answers: dict[str, list[str]]) -> str:
    if top is None:
        return "SILENT"
    right = {case["expect"], *case.get("also", []), *answers.get(case["kind"], [])}
    return "RIGHT" if top in right else "OTHER"


def main() -> int:
    started = start(NAME)
    if started is None:
        return 1
    args, cases = started
    answers = yaml.safe_load((ROOT / "bench" / f"{NAME}.yaml").read_text(encoding="utf-8")).get("answers") or {}
    total: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        g = grade(c, top["id"] if top else None, answers)
        total[g] += 1
        if c["expect"] == "out_of_kb":
            new[g] += 1
        if args.verbose or g != "RIGHT":
            got = describe(top)
            print(f"{c['id']} {g:6} {got:55} {c['kind']}")
    keys = ("RIGHT", "OTHER", "SILENT")
    print(f"{NAME}: cases={len(cases)} " + " ".join(f"{k}={total[k]}" for k in keys))
    print(f"  out_of_kb at labelling: cases={sum(new.values())} " + " ".join(f"{k}={new[k]}" for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
