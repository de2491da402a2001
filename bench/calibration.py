#!/usr/bin/env python3
"""Is confidence meaningful? Reliability of the top answer per confidence band, on labelled cases.

Cases: the dev set and bench/holdout.yaml, each as pasted and under the noise transformations of
bench/robustness.py (which produce most of the wrong answers); plus the benign set and the
near-misses, whose top answers (if any) count as wrong. Prints, per band of confidence, how many top
answers fell in it and what share were right, and the share of wrong answers above 0.6.

With --wild, the same question on real text instead: both wild samples (bench/wild.yaml and the held-out
bench/wild_holdout.yaml) through the CLI, graded by hand (bench/wild.py), with the RIGHT / GENERIC /
WRONG shares of the answers at confidence >= 0.6, 0.3-0.6, < 0.3 and of the answers marked generic.

    python bench/calibration.py [--wild]
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--wild"]:
        import wild

        return wild.main(["--set", "both", "--bands"])
    if argv:
        print("usage: python bench/calibration.py [--wild]", file=sys.stderr)
        return 2
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
