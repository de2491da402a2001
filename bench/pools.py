"""What the round pools' scorers (bench/*_pool.py) share: loading a pool, refusing one that holds a thread already
used (a wild sample's case or a knowledge entry's source: a pool measures how fixes generalise, so nobody may have
tuned to its texts), and errdiag's top answer to one text."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+/(?:issues|pull)/\d+")
DEFAULT_CMD = str(ROOT / ".venv" / "bin" / "errdiag")


def taken() -> set[str]:
    """Threads already used: the open wild samples' cases and knowledge entries' sources (the held-out sample is
    read by the `wild` engineer and the lead only)."""
    from wild import HELD_OUT  # bench/ is on sys.path when a bench script runs

    used: set[str] = set()
    for path in [*ROOT.glob("bench/wild*.yaml"), *ROOT.glob("knowledge/**/*.yaml")]:
        if HELD_OUT in path.name:
            continue
        used.update(URL.findall(path.read_text(encoding="utf-8")))
    return used


def held_out_clashes(urls) -> int:
    """How many of `urls` are threads of the held-out sample — a count only: the held-out sample's threads are not
    shown to anyone who draws a pool (a pool or batch that shares one measures nothing the held-out sample does not)."""
    return len(set(urls) & set(URL.findall(held_out_path().read_text(encoding="utf-8"))))


def held_out_path() -> Path:
    """The held-out sample's file (bench/wild.py's HELD_OUT)."""
    from wild import HELD_OUT, SETS

    return SETS[HELD_OUT][0]


def load_fresh(name: str) -> list[dict] | None:
    """The cases of bench/NAME.yaml, or None (after saying which) when one is a thread already used or (only
    counted) a thread of the held-out sample."""
    cases = yaml.safe_load((ROOT / "bench" / f"{name}.yaml").read_text(encoding="utf-8"))["cases"]
    sources = {c["source"] for c in cases}
    clash = sorted(sources & taken())
    if clash:
        print("cases taken from threads already used:", *clash, sep="\n  ")
        return None
    held = held_out_clashes(sources)
    if held:
        print(f"{held} case(s) taken from threads of the held-out sample (not shown): drop them")
        return None
    return cases


def top_answer(cmd: str, text: str) -> dict | None:
    """errdiag's best diagnosis of `text` as JSON, or None when it is silent."""
    out = subprocess.run([cmd, "match", "--format", "json"], input=text, capture_output=True, text=True, check=False)
    ds = json.loads(out.stdout).get("diagnoses", []) if out.stdout.strip() else []
    return ds[0] if ds else None


def describe(top: dict | None) -> str:
    """One answer as the pool scorers print it: `id (confidence[, generic])`, or `-` for silence."""
    if top is None:
        return "-"
    return f"{top['id']} ({top['confidence']:.2f}{', generic' if top.get('generic') else ''})"


def start(name: str) -> tuple[argparse.Namespace, list[dict]] | None:
    """What every pool scorer begins with: its two options (--cmd, -v) and the cases of bench/NAME.yaml, or None when
    the pool holds a thread already used (load_fresh says which)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", default=DEFAULT_CMD)
    ap.add_argument("--pool", default=name, help=f"another pool of the same labels (bench/POOL.yaml; default {name})")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = load_fresh(args.pool)
    return None if cases is None else (args, cases)


JUDGED = ("RIGHT", "OK", "WRONG", "MISS", "OTHER")


def judge(case: dict, d: dict | None) -> str:
    """The grade of the top answer `d` (None: silent) for one case of a pool labelled with `right`/`wrong` ids and
    `ok: generic_ok`: RIGHT when the answer is one of `right` (and, when the case lists `names`, its title or summary
    names each of them: a crash inside a package is answered right only by an answer that names that package);
    WRONG when it is one of `wrong`; OK when the case allows a step back and errdiag is silent or generic; MISS when
    it is silent or generic where only a `right` id counts, or a `right` id that does not name what it must; OTHER for
    any other specific answer (read it)."""
    if d is not None and d["id"] in (case.get("right") or []):
        said = f"{d.get('title', '')} {d.get('summary', '')}".lower()
        if all(n.lower() in said for n in case.get("names") or ()):
            return "RIGHT"
        return "OK" if case.get("ok") == "generic_ok" and d.get("generic") else "MISS"
    if d is not None and d["id"] in (case.get("wrong") or []):
        return "WRONG"
    if d is None or d.get("generic"):
        return "OK" if case.get("ok") == "generic_ok" else "MISS"
    return "OTHER"


def score_judged(name: str, label: str) -> int:
    """Score bench/NAME.yaml with `judge` and print one line per case that is not RIGHT/OK (every case with -v) and
    the summary line `LABEL: cases=… RIGHT=… … right_or_ok=… wrong=…`; the exit status of a pool scorer."""
    started = start(name)
    if started is None:
        return 1
    args, cases = started
    counts = dict.fromkeys(JUDGED, 0)
    for c in cases:
        top = top_answer(args.cmd, c["text"])
        grade = judge(c, top)
        counts[grade] += 1
        if args.verbose or grade not in ("RIGHT", "OK"):
            print(f"{c['id']} {grade:5} {describe(top):55} {c['kind']}")
    n = len(cases)
    label = label if args.pool == name else args.pool.removesuffix("_r17").removesuffix("_r16")
    print(f"{label}: cases={n} " + " ".join(f"{g}={counts[g]}" for g in JUDGED)
          + f" right_or_ok={(counts['RIGHT'] + counts['OK']) / n:.3f} wrong={counts['WRONG'] / n:.3f}")
    return 0
