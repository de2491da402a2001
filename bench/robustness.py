#!/usr/bin/env python3
"""Robustness of recognition to the *kinds* of noise real pastes carry, measured on labelled cases.

Each case of a labelled set (default: ../shared/eval/dev.yaml) is transformed several ways and run
through the library (same engine as the CLI); top-1 accuracy is printed per transformation:

  original     the case as pasted
  wrapped      hard-wrapped at 60 columns with a 2-space indent (terminal / CI wrapping)
  truncated    every line cut at 80 characters (a narrow terminal, a log viewer)
  prefixed     every line prefixed with an ISO timestamp and a logger name
  ansi         colour codes around every word of the first lines
  crlf         Windows line endings
  in-log       buried at line ~900 of 2,000 lines of a healthy Loghub log

    python bench/robustness.py [CASES.yaml ...]
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from errdiag import diagnose, load_knowledge  # noqa: E402
from errdiag.errors import InputError  # noqa: E402

NOISE = (SHARED / "data" / "loghub" / "Spark_2k.log").read_text(errors="replace").splitlines()


def wrapped(t: str) -> str:
    return "\n".join("\n  ".join(textwrap.wrap(ln, 60)) if len(ln) > 60 else ln for ln in t.splitlines())


def truncated(t: str) -> str:
    return "\n".join(ln[:80] for ln in t.splitlines())


def prefixed(t: str) -> str:
    return "\n".join(f"2025-03-01T10:20:{i % 60:02d}.123Z app.worker ERROR {ln}" for i, ln in enumerate(t.splitlines()))


def ansi(t: str) -> str:
    return "\n".join(" ".join(f"\x1b[1;31m{w}\x1b[0m" for w in ln.split(" ")) for ln in t.splitlines())


def crlf(t: str) -> str:
    return t.replace("\n", "\r\n")


def in_log(t: str) -> str:
    return "\n".join(NOISE[:900] + t.splitlines() + NOISE[900:])


TRANSFORMS = {"original": lambda t: t, "wrapped": wrapped, "truncated": truncated, "prefixed": prefixed,
              "ansi": ansi, "crlf": crlf, "in-log": in_log}


def main() -> int:
    files = sys.argv[1:] or [str(SHARED / "eval" / "dev.yaml")]
    cases = [(c["id"], x["text"]) for f in files for c in yaml.safe_load(Path(f).read_text()) for x in c["cases"]
             if c.get("id")]
    kb = load_knowledge()
    for name, fn in TRANSFORMS.items():
        ok = 0
        misses = []
        for want, text in cases:
            try:
                got = diagnose(fn(text), kb).best
            except InputError:
                got = None
            if got is not None and got.id == want:
                ok += 1
            else:
                misses.append(want)
        print(f"{name:10s} top1={ok / len(cases):.3f} ({ok}/{len(cases)})"
              + (f"  misses: {', '.join(misses[:6])}{' ...' if len(misses) > 6 else ''}" if misses else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
