"""Score errdiag's top answer on bench/wrapper_pool.yaml: does it quote the line that carries the cause, and does its
first fix name the log file the tool points at (or, without one, the cause line)?

    python bench/wrapper_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case: QUOTE yes/no/- (the top answer's title, summary or first fix holds a labelled `cause` fragment, or the
answer is about the cause line itself: a fragment is on its first..last line; `-` when the text has no cause line)
and FIX yes/no (the first quick fix names a labelled `log` file, or, for a case without one, a `cause` fragment or
the answer is about the cause line itself). It first checks that no case is a thread of a wild sample
(bench/wild*.yaml) or a source a knowledge entry cites: the pool measures how the wrapper fixes generalise, so its
texts must be ones nobody tuned to.
"""

from __future__ import annotations

import sys

from pools import describe, start, top_answer


def _fix_text(d: dict) -> str:
    fixes = d.get("quick_fixes") or []
    f = fixes[0] if fixes else {}
    return " ".join(str(f.get(k) or "") for k in ("title", "command", "note"))


def judge(case: dict, d: dict | None) -> tuple[str, str]:
    """(QUOTE, FIX) for the top answer `d` of a case."""
    causes = [c.lower() for c in case.get("cause") or []]
    logs = [x.lower() for x in case.get("log") or []]
    if d is None:
        return ("no" if causes else "-"), "no"
    fix = _fix_text(d).lower()
    said = " ".join([d.get("title", ""), d.get("summary", ""), fix]).lower()
    # an answer about the cause line itself (its first..last line holds a cause fragment) quotes it, and its
    # first fix is its entry's fix for that error
    lines = case["text"].lower().split("\n")
    first = d.get("line") or 0
    own = " ".join(lines[first - 1:d.get("last_line") or first]) if first else ""
    about = any(c in own for c in causes)
    quote = ("yes" if about or any(c in said for c in causes) else "no") if causes else "-"
    wanted = logs or causes
    return quote, "yes" if any(w in fix for w in wanted) or about and not logs else "no"


def main() -> int:
    started = start("wrapper_pool")
    if started is None:
        return 1
    args, cases = started
    quoted = fixed = with_cause = 0
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        quote, fix = judge(c, top)
        with_cause += quote != "-"
        quoted += quote == "yes"
        fixed += fix == "yes"
        if args.verbose or "no" in (quote, fix):
            got = describe(top)
            print(f"{c['id']} quote={quote:3} fix={fix:3} {got:50} {c['kind']}")
    print(f"wrapper_pool: cases={len(cases)} quoted_right={quoted}/{with_cause} first_fix_right={fixed}/{len(cases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
