#!/usr/bin/env python3
"""Count the kinds of real errors in the mining batches (bench/mine_*.yaml) and what errdiag answers to each.

A mining batch is drawn like a wild sample (../shared/eval/WILD.md: generic queries, every result kept) but is not
graded: each text carries only its KIND — a short label `tool: what kind of failure` given by a person after
reading it, the same label for every text of the same kind — and, when one exists, the knowledge id whose fix is
the text's fix (`known`). The count of kinds estimates which errors are frequent in what people paste, so entries
can be written in that order; the answers per kind show which frequent kinds errdiag misses.

    python bench/mine.py [FILE ...] [--cmd .venv/bin/errdiag] [--top 40] [--min 2] [-v]

Batch format (YAML): `cases:` a list of {id, source, query, domain, kind, known (id or null), text}; benign texts
(no failure) have kind `benign`. Printed: per kind (most frequent first) its count, the known id, and errdiag's top
answers (`-` for silence, `~` marks a generic answer); then the totals: texts, kinds, kinds seen at least --min
times and the texts they hold, and for the known-labelled texts how often the top answer is the labelled id.

Exit status: 0 when every batch loaded and every text ran, 1 otherwise (a thread already used elsewhere, or one of the
held-out sample's, counts as a load failure: a batch measures texts nobody tuned to).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pools  # noqa: E402
import wild  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def load(paths: list[Path]) -> tuple[list[dict], list[str]]:
    """Every batch's texts, and the problems found (a missing field, a repeated id, a thread already used)."""
    cases: list[dict] = []
    problems: list[str] = []
    used = pools.taken()
    seen: set[str] = set()
    for path in paths:
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            missing = [k for k in ("id", "source", "kind", "text") if not c.get(k)]
            if missing:
                problems.append(f"{path.name}: {c.get('id', '?')} lacks {', '.join(missing)}")
                continue
            if c["id"] in seen:
                problems.append(f"{path.name}: {c['id']} repeated")
            seen.add(c["id"])
            if c["source"] in used:
                problems.append(f"{path.name}: {c['id']} comes from a thread already used: {c['source']}")
            cases.append(c)
    held = pools.held_out_clashes(c["source"] for c in cases)
    if held:
        problems.append(f"{held} text(s) come from threads of the held-out sample (not shown): drop them")
    return cases, problems


def tag(answer: wild.Answer | None) -> str:
    if answer is None:
        return "-"
    return ("~" if answer.generic else "") + answer.id


def report(cases: list[dict], answers: list[wild.Answer | None], top: int, least: int) -> str:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        if c["kind"] != "benign":
            by_kind[c["kind"].strip()].append(i)
    lines = []
    ranked = sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for kind, idx in ranked[:top]:
        known = Counter(cases[i].get("known") or "" for i in idx).most_common(1)[0][0]
        got = Counter(tag(answers[i]) for i in idx)
        lines.append(f"{len(idx):4d}  {kind}" + (f"  [known: {known}]" if known else ""))
        lines.append("      answers: " + ", ".join(f"{a} x{n}" for a, n in got.most_common(4)))
    failures = sum(len(v) for v in by_kind.values())
    frequent = [v for v in by_kind.values() if len(v) >= least]
    known = [i for i, c in enumerate(cases) if c.get("known")]
    hit = sum(1 for i in known if answers[i] is not None and answers[i].id == cases[i]["known"])
    silent = sum(1 for v in by_kind.values() for i in v if answers[i] is None)
    lines.append(f"mine: texts={len(cases)} failures={failures} benign={len(cases) - failures} kinds={len(by_kind)} "
                 f"kinds>={least}={len(frequent)} holding={sum(map(len, frequent))} silent={silent} "
                 f"known={len(known)} known_top1={hit}/{len(known)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--cmd", default=pools.DEFAULT_CMD)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--min", type=int, default=2, dest="least")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    paths = args.files or sorted(ROOT.glob("bench/mine_*.yaml"))
    if not paths:
        print("no mining batch (bench/mine_*.yaml)", file=sys.stderr)
        return 1
    cases, problems = load(paths)
    cmd = shlex.split(args.cmd)
    python = wild.batch_python(cmd)
    runs = (wild.run_batch(python, [c["text"] for c in cases]) if python is not None
            else [wild.run_one(cmd, c["text"]) for c in cases])
    answers = [a for a, _ in runs]
    problems += [f"{c['id']}: {err}" for c, (_, err) in zip(cases, runs, strict=True) if err]
    if args.verbose:
        for c, a in zip(cases, answers, strict=True):
            print(f"{c['id']:12s} {tag(a):45s} {c['kind']}")
    print(report(cases, answers, args.top, args.least))
    for p in problems:
        print("problem:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
