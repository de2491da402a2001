#!/usr/bin/env python3
"""Accuracy figures, end to end through the CLI, on the labelled sets in ../shared/eval.

Prints the eval_cases.py summary for dev + near-misses and for the peer suite, the pass rate of the
knowledge base's own examples, and the false positives on the 16 healthy Loghub logs (every catalogue
id diagnosed there is a false positive).

    python bench/accuracy.py [--cmd .venv/bin/errdiag] [--shared ../shared] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "errdiag"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    shared = Path(args.shared)
    tool = shared / "tools" / "eval_cases.py"
    if not tool.is_file():
        print(f"no scoring tool at {tool}", file=sys.stderr)
        return 2
    runs = [
        ("dev+near", [shared / "eval" / "dev.yaml", shared / "eval" / "near_misses.yaml"]),
        ("peer", [shared / "eval" / "peer_thefuck.yaml"]),
    ]
    for name, files in runs:
        cmd = [sys.executable, str(tool), *map(str, files), "--cmd", args.cmd] + (["-v"] if args.verbose else [])
        out = subprocess.run(cmd, capture_output=True, text=True)
        lines = out.stdout.strip().splitlines()
        if args.verbose:
            print("\n".join(lines[:-1]))
        print(f"{name:9s} {lines[-1] if lines else out.stderr.strip()}")
    import yaml

    catalogue = {c["id"] for c in yaml.safe_load((shared / "catalogue.yaml").read_text())}
    fp = []
    other = []
    logs = sorted((shared / "data" / "loghub").glob("*.log"))
    for log in logs:
        out = subprocess.run([args.cmd, "match", "--format", "json", "--file", str(log)], capture_output=True,
                             text=True)
        try:
            ids = [d["id"] for d in json.loads(out.stdout)["diagnoses"]]
        except (ValueError, KeyError):
            ids = [f"BROKEN exit {out.returncode}: {out.stderr.strip()[:200]}"]
        fp += [f"{log.name}: {i}" for i in ids if i in catalogue or i.startswith("BROKEN")]
        other += [f"{log.name}: {i}" for i in ids if i not in catalogue and not i.startswith("BROKEN")]
    print(f"loghub    logs={len(logs)} false_positives={len(fp)} (catalogue ids; none of those errors occur "
          f"in these logs) other_diagnoses={len(other)}")
    for f in fp:
        print(f"  FP {f}")
    for f in other:
        print(f"  non-catalogue {f}")
    val = subprocess.run([args.cmd, "kb", "validate", "--format", "json"], capture_output=True, text=True)
    try:
        data = json.loads(val.stdout)
        print(f"kb        entries={data['entries']} validate_problems={len(data['problems'])}")
    except ValueError:
        print(f"kb        validate failed: {val.stderr.strip()[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
