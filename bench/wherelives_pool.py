"""Score errdiag on bench/wherelives_pool.yaml: does the top answer say WHERE the failure lives?

    python bench/wherelives_pool.py [--cmd .venv/bin/errdiag] [-v]

Each case is labelled `lives: user | dependency | generated | tool` (read from the text and its thread before errdiag
ran on it). For a case whose failure is not in the user's code the top answer is RIGHT when its JSON `lives.kind`
equals the label (the answer says whose code it is and leads with the advice for it), OTHER when it answers without
saying so (printed with -v for a person to judge: an entry written for that very error may be right anyway), SILENT
when there is none. For a user-code case the answer is KEPT when it does not say the code is someone else's, WRONG
when it does, SILENT when there is none. It first checks that no case is a thread of a wild sample (bench/wild*.yaml)
or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys
from collections import Counter

from pools import start, top_answer


def grade(case: dict, top: dict | None) -> str:
    if top is None:
        return "SILENT"
    said = (top.get("lives") or {}).get("kind", "user")
    if case["lives"] == "user":
        return "KEPT" if said == "user" else "WRONG"
    return "RIGHT" if said == case["lives"] else "OTHER"


def main() -> int:
    started = start("wherelives_pool")
    if started is None:
        return 1
    args, cases = started
    counts: dict[str, Counter[str]] = {"foreign": Counter(), "user": Counter()}
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        g = grade(c, top)
        counts["user" if c["lives"] == "user" else "foreign"][g] += 1
        if args.verbose:
            said = f"{top['id']} lives={(top.get('lives') or {}).get('kind')} generic={top['generic']}" if top else "-"
            fix = top["quick_fixes"][0]["title"][:110] if top and top.get("quick_fixes") else ""
            print(f"{c['id']} {c['lives']:<10} {g:<6} {said}\n    first fix: {fix}")
    for group, n in counts.items():
        print(f"wherelives {group}: " + " ".join(f"{k}={n[k]}" for k in sorted(n)) + f" (n={sum(n.values())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
