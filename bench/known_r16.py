#!/usr/bin/env python3
"""Known top-1: of the real texts whose right answer is an EXISTING entry, how often errdiag answers that entry first.

The texts: every mining batch (bench/mine_r*.yaml, `known:` set) and the open wild samples (bench/wild.py's SETS but
HELD_OUT, which is never read, even when named — unless it is in OPENED, held out last round and open now; cases
labelled `kind: known`). Per text: the labelled id,
errdiag's top answer (id, confidence, `~` for generic) and the labelled entry's rank among the answers shown (`#2`),
or below the confidence cut (`cut#3@0.21`, from a second run at --min-confidence 0.01), or `-` when no tier matched
it at all. Per source one line

    known SOURCE: n=… top1=… top3=… silent=… other=… (other_generic=… other_specific=… refining=… noted=…)

where `silent` counts texts with no answer and `other` texts whose top answer is another entry (generic or not);
of those, `refining` answered an entry that `refines:` the labelled one (the same error said more precisely, as
bench/wild.py's top1_known_or_refining counts it) and `noted` a mining text whose label carries a `label_note:` (a
reader found the labelled entry is not the right fix).

    .venv/bin/python bench/known_r16.py [--cmd .venv/bin/errdiag] [-v] [--misses] [--source mine|wild|NAME]

-v prints every text, --misses only the texts whose top answer is not the labelled id.

Round 16 start (main 30de540, 1299 entries; wild = every open sample, holdout13 included):
    known mine: n=200 top1=0.745(149) top3=0.770(154) silent=20 other=31 (other_generic=16 other_specific=15)
    known wild: n=728 top1=0.848(617) top3=0.879(640) silent=52 other=59 (other_generic=16 other_specific=43)
After the round's entry fixes (no text of the batches or samples below the cut at either end: every labelled entry
that was not shown matched nothing at all; no text has a generic top answer with a specific one below it):
    known mine: n=200 top1=0.825(165) top3=0.845(169) silent=15 other=20 (other_generic=7 other_specific=13
                refining=5 noted=9)
    known wild: n=728 top1=0.865(630) top3=0.898(654) silent=40 other=58 (other_generic=15 other_specific=43
                refining=21 noted=0)
Round 17 start (main 3e047a1, 1361 entries; mining = round 15's and round 16's batches, wild = holdout14 too):
    known mine: n=263 top1=0.802(211) top3=0.829(218) silent=24 other=28 (other_generic=9 other_specific=19
                refining=5 noted=9)
    known wild: n=777 top1=0.870(676) top3=0.901(700) silent=41 other=60 (other_generic=16 other_specific=44
                refining=21 noted=0)
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pools  # noqa: E402
import wild  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MINE = sorted(ROOT.glob("bench/mine_r*.yaml"))  # every mining batch, round 15 on
OPENED = {"holdout14"}  # held out in round 16, open since round 17 (read even while wild.HELD_OUT still names it)
FLOOR = 0.01  # the second run's cut: where a labelled entry that is not shown stands
NOTED: set[str] = set()  # mining texts whose label carries a label_note
COUNTS = ("n", "top1", "top3", "silent", "other", "other_generic", "refining", "noted")


def texts(only: str | None) -> list[tuple[str, str, str, str]]:
    """(source, case id, labelled id, text) of every known-labelled text (NOTED: the ids of mining texts whose label
    carries a label_note)."""
    out = []
    if only in (None, "mine"):
        for path in MINE:
            for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
                if c.get("known"):
                    out.append(("mine", c["id"], c["known"], c["text"]))
                    if c.get("label_note"):
                        NOTED.add(c["id"])
    for name, (cases_path, _, _) in wild.SETS.items():
        if (name == wild.HELD_OUT and name not in OPENED) or only not in (None, "wild", name):
            continue
        for c in wild.load_cases(cases_path):
            if c.kind == "known" and c.label_id:
                out.append(("wild", f"{name}:{c.id}", c.label_id, c.text))
    return out


def run(python: Path, batch: list[str], floor: float | None = None) -> list[list[dict]]:
    """The diagnoses of `match --format json` per text (bench/wild.py's batch: bench/match_batch.py, one process)."""
    rows, why = wild.batch_rows(python, batch, ["--min-confidence", str(floor)] if floor else [])
    if rows is None:
        raise SystemExit(why)
    return [json.loads(r["stdout"]).get("diagnoses", []) if r["stdout"].strip() else [] for r in rows]


def where(label: str, ds: list[dict]) -> int | None:
    return next((i + 1 for i, d in enumerate(ds) if d["id"] == label), None)


def tag(d: dict | None) -> str:
    if d is None:
        return "-"
    return f"{'~' if d.get('generic') else ''}{d['id']} ({d['confidence']:.2f})"


def tally(rows: list[tuple[str, str, str, str]], shown: list[list[dict]], low: dict[int, list[dict]],
          parents: dict[str, str], show: str = "") -> tuple[list[str], dict[str, dict[str, int]]]:
    """Per text (`rows` as texts() gives them, `shown` the diagnoses of each, `low` those of the second run below
    the cut for the texts whose label was not shown; `parents`: entry -> the entry it refines): one line per text
    when `show` is "all" (or per miss when "misses"), and the counts per source."""
    lines: list[str] = []
    stats: dict[str, dict[str, int]] = {}
    for i, ((source, cid, label, _), ds) in enumerate(zip(rows, shown, strict=True)):
        s = stats.setdefault(source, dict.fromkeys(COUNTS, 0))
        s["n"] += 1
        top = ds[0] if ds else None
        rank = where(label, ds)
        s["top1"] += rank == 1
        s["top3"] += rank is not None and rank <= 3
        s["silent"] += top is None
        if top is not None and rank != 1:
            s["other"] += 1
            s["other_generic"] += bool(top.get("generic"))
            s["refining"] += label in wild._ancestors(top["id"], parents)
            s["noted"] += cid in NOTED
        if rank is not None:
            at = f"#{rank}"
        else:
            below = where(label, low.get(i, []))
            at = f"cut#{below}@{low[i][below - 1]['confidence']:.2f}" if below else "-"
        if show == "all" or (show == "misses" and rank != 1):
            lines.append(f"{cid:24s} {label:42s} {at:12s} top={tag(top)}" + (" [label_note]" if cid in NOTED else ""))
    return lines, stats


def summary(source: str, s: dict[str, int]) -> str:
    """The summary line of one source."""
    n = s["n"]
    return (f"known {source}: n={n} top1={s['top1'] / n:.3f}({s['top1']}) top3={s['top3'] / n:.3f}({s['top3']}) "
            f"silent={s['silent']} other={s['other']} (other_generic={s['other_generic']} "
            f"other_specific={s['other'] - s['other_generic']} refining={s['refining']} noted={s['noted']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cmd", default=pools.DEFAULT_CMD)
    ap.add_argument("--source", default=None, help="mine, wild, or one wild sample's name")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args(argv)
    python = wild.batch_python(shlex.split(args.cmd))
    if python is None:
        print("--cmd must be an errdiag script with its Python beside it", file=sys.stderr)
        return 1
    rows = texts(args.source)
    shown = run(python, [t for *_, t in rows])
    missing = [i for i, (row, ds) in enumerate(zip(rows, shown, strict=True)) if where(row[2], ds) is None]
    low = dict(zip(missing, run(python, [rows[i][3] for i in missing], FLOOR), strict=True)) if missing else {}
    lines, stats = tally(rows, shown, low, wild.refined_ids(), show="all" if args.verbose else
                         "misses" if args.misses else "")
    for line in lines + [summary(source, s) for source, s in stats.items()]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
