#!/usr/bin/env python3
"""Is confidence meaningful? Reliability of the top answer per confidence band, on labelled cases.

Cases: the dev set and bench/holdout.yaml, each as pasted and under the noise transformations of
bench/robustness.py (which produce most of the wrong answers); plus the benign set and the
near-misses, whose top answers (if any) count as wrong. Prints, per band of confidence, how many top
answers fell in it and what share were right, and the share of wrong answers above 0.6.

With --wild, the same question on real text instead: every wild sample of bench/wild.py (bench/wild.yaml,
bench/wild_holdout.yaml ... bench/wild_holdout14.yaml and the held-out bench/wild_holdout15.yaml) diagnosed in
process and graded with the stored hand grades, with the RIGHT / GENERIC / WRONG shares of the top answers at
confidence >= 0.8, 0.6-0.8, 0.4-0.6 and < 0.4 (generic answers by their confidence), per sample and overall.
Name samples after --wild to score only those (`--wild main holdout holdout2 holdout3 holdout4 holdout5 holdout6
holdout7 holdout8 holdout9 holdout10 holdout11 holdout12 holdout13 holdout14`: the ones you may tune on; `--wild
holdout15`: the held-out one).
(`python bench/wild.py --bands` prints the CLI's view, non-generic answers apart from generic ones.)

    python bench/calibration.py [--wild [SAMPLE ...]]

Given labelled YAML files instead, it reports the same bands on them (as pasted, no noise):
- eval_cases files (`id:` → right when it ranks first, `id: null` → any answer is wrong, `forbid:` → wrong
  when the forbidden id ranks first, otherwise not counted);
- wild files (bench/wild.yaml: `label.kind` known / out_of_kb / benign), graded like bench/wild.py: the
  stored grades of `--grades` (bench/wild_grades.yaml by default) for the same answer, the mechanical
  grades, an answer to a benign text is wrong; answers nobody graded yet are counted apart.
Generic answers (`"generic": true`) get a band of their own.

    python bench/calibration.py
    python bench/calibration.py bench/wild.yaml
    python bench/calibration.py bench/holdout.yaml bench/benign.yaml ../shared/eval/near_misses.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from robustness import SHARED, TRANSFORMS  # noqa: E402

from errdiag import diagnose, load_knowledge  # noqa: E402
from errdiag.errors import InputError  # noqa: E402

BANDS = [(0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def labelled(paths: list[Path], grades_path: Path) -> int:
    """Bands on labelled files: RIGHT / WRONG share per confidence band, generic answers apart."""
    import wild

    kb = load_knowledge()
    grades = wild.load_grades(grades_path)
    points: list[tuple[float, bool, str]] = []  # (confidence, generic, RIGHT | WRONG | GENERIC | UNGRADED)

    def top(text: str):
        try:
            return diagnose(text, kb).best
        except InputError:
            return None

    def generic(d) -> bool:
        return bool(getattr(d, "generic", d.entry.generic))

    for path in paths:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if any("label" in it for it in items):
            for case in wild.load_cases(path):
                d = top(case.text)
                if d is None:
                    continue
                answer = wild.Answer(d.id, d.entry.title, d.confidence, generic(d), dict(d.captures))
                g, _ = wild.grade(case, answer, grades)
                points.append((d.confidence, answer.generic, "WRONG" if g == "NOISY" else g))
            continue
        for item in items:
            for x in item.get("cases") or []:
                d = top(x["text"])
                if d is None:
                    continue
                if "forbid" in item:
                    if d.id == item["forbid"]:
                        points.append((d.confidence, generic(d), "WRONG"))
                else:
                    points.append((d.confidence, generic(d), "RIGHT" if d.id == item.get("id") else "WRONG"))
    print(f"{len(points)} top answers on {', '.join(p.name for p in paths)}")
    print("band        answers  right  wrong  ungraded")
    rows = [(f"{lo:.1f}-{min(hi, 1):.1f}", [g for c, gen, g in points if not gen and lo <= c < hi])
            for lo, hi in BANDS]
    rows.append(("generic", [g for _, gen, g in points if gen]))
    rows.append((">=0.6", [g for c, gen, g in points if not gen and c >= 0.6]))
    for name, inside in rows:
        if not inside:
            continue
        graded = [g for g in inside if g != "UNGRADED"]
        n = max(len(graded), 1)
        print(f"{name:10} {len(inside):8d}  {graded.count('RIGHT') / n:.3f}  {graded.count('WRONG') / n:.3f}"
              f"  {len(inside) - len(graded):8d}")
    return 0


WILD_BANDS = (("conf>=0.8", 0.8, 2.0), ("conf0.6-0.8", 0.6, 0.8), ("conf0.4-0.6", 0.4, 0.6), ("conf<0.4", -1.0, 0.4))


def wild_bands(names: list[str] | None = None) -> int:
    """The graded wild samples, in process: per sample and over all of them, the top answers per confidence
    band (every answer by its confidence, generic ones included: a generic answer must stay below 0.5) with
    their RIGHT / GENERIC / WRONG shares; answers to benign texts count as WRONG, ungraded answers apart."""
    import wild

    kb = load_knowledge()
    every: list[tuple[float, str]] = []
    unknown = [n for n in names or () if n not in wild.SETS]
    if unknown:
        print(f"unknown wild sample(s): {', '.join(unknown)} (known: {', '.join(wild.SETS)})", file=sys.stderr)
        return 2
    for name, (cases_path, grades_path, label) in wild.SETS.items():
        if names and name not in names:
            continue
        points = [(d.confidence, g) for _, d, g in wild.diagnosed_in_process(kb, cases_path, grades_path)]
        print(band_table(label, points))
        every += points
    print(band_table("all wild", every))
    return 0


def band_table(name: str, points: list[tuple[float, str]]) -> str:
    lines = [f"{name:16} answers  right  generic  wrong  ungraded"]
    for band, lo, hi in WILD_BANDS:
        inside = [g for c, g in points if lo <= c < hi]
        graded = [g for g in inside if g != "UNGRADED"]
        n = max(len(graded), 1)
        shares = "  ".join(f"{graded.count(g) / n:{w}.3f}" for g, w in (("RIGHT", 5), ("GENERIC", 7), ("WRONG", 5)))
        lines.append(f"  {band:14} {len(inside):7d}  {shares}  {len(inside) - len(graded):8d}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--wild"]:
        return wild_bands(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="labelled YAML files (default: the built-in sets)")
    ap.add_argument("--grades", type=Path, default=ROOT / "bench" / "wild_grades.yaml")
    args = ap.parse_args(argv)
    if args.files:
        return labelled(args.files, args.grades)
    kb = load_knowledge()
    points: list[tuple[float, bool]] = []
    for f in (SHARED / "eval" / "dev.yaml", ROOT / "bench" / "holdout.yaml"):
        for c in yaml.safe_load(f.read_text()):
            for x in c["cases"]:
                for fn in TRANSFORMS.values():
                    try:
                        best = diagnose(fn(x["text"]), kb).best
                    except InputError:
                        continue
                    if best is not None:
                        points.append((best.confidence, best.id == c["id"]))
    for f in (ROOT / "bench" / "benign.yaml", SHARED / "eval" / "near_misses.yaml"):
        for c in yaml.safe_load(f.read_text()):
            for x in c["cases"]:
                best = diagnose(x["text"], kb).best
                if best is not None and best.id == c.get("forbid", best.id):
                    points.append((best.confidence, False))
    print(f"{len(points)} top answers")
    print("band        answers  right")
    for lo, hi in BANDS:
        inside = [ok for conf, ok in points if lo <= conf < hi]
        if inside:
            print(f"{lo:.1f}-{min(hi, 1):.1f}     {len(inside):7d}  {sum(inside) / len(inside):.3f}")
    high = [ok for conf, ok in points if conf >= 0.6]
    print(f"answers >= 0.6 that are right: {sum(high) / max(len(high), 1):.3f} ({len(high)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
