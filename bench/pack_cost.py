#!/usr/bin/env python3
"""What a hostile knowledge pack costs: CPU time of `errdiag match` on a big log with and without it.

The pack holds --sigs slow regexes (100 per entry) anchored on a word every line of the log holds ("error"),
as in issue 14 (500 such regexes turned 0.8 s into 115 s on 100 MB). The log is the 16 Loghub logs
repeated to --mb MiB, each line given that word, then one real error at the end. Figures are the child's
user+system CPU seconds (steadier than wall time on a shared machine), median of --runs, and the
matching work each budget group spent (index.PACK_BUDGET / BUNDLED_BUDGET).

    python bench/pack_cost.py [--mb 20] [--sigs 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOGHUB = ROOT.parent / "shared" / "data" / "loghub"

PACK = """id: evil.slow
title: Slow
tool: Evil
category: build
signatures:
{sigs}
summary: s
meaning: m
why: w
causes: [c]
quick_fixes: [{{title: t}}]
checks: [{{title: t}}]
steps: [a]
prevention: [p]
verify: [v]
sources: [{{url: "https://example.org", title: t}}]
examples:
  match: ["error ab 123q"]
  no_match: ["fine"]
"""


def make_pack(folder: Path, n: int) -> None:
    """n slow regexes, 100 per entry (the per-entry limit), all anchored on "error"."""
    (folder / "evil").mkdir(parents=True)
    for e in range(0, n, 100):
        sigs = "\n".join(f'  - regex: "error[^x]*[a-c][^y]*[0-9]{{3,{4 + i}}}[q-z]"' for i in range(e, min(n, e + 100)))
        (folder / "evil" / f"slow{e}.yaml").write_text(PACK.format(sigs=sigs).replace("evil.slow", f"evil.slow{e}"))


def make_log(path: Path, mb: int) -> None:
    lines = []
    for log in sorted(LOGHUB.glob("*.log")):
        lines += [ln.rstrip("\n") + " error handled\n" for ln in log.read_text(errors="replace").splitlines()]
    chunk = "".join(lines).encode()
    with open(path, "wb") as fh:
        written = 0
        while written < mb * 1024 * 1024:
            fh.write(chunk)
            written += len(chunk)
        fh.write(b"OSError: [Errno 28] No space left on device\n")


def cpu(args: list[str], runs: int) -> tuple[float, str]:
    times, out = [], ""
    env = dict(os.environ, ERRDIAG_CACHE_DIR="off", NO_COLOR="1")
    for _ in range(runs):
        proc = subprocess.Popen([sys.executable, "-m", "errdiag", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env, cwd=str(ROOT))
        out = proc.stdout.read().decode()
        _pid, _status, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times), out


def spent(log: Path, kb_dirs: list[str]) -> dict[str, int]:
    from errdiag.inputs import file_source
    from errdiag.kb import load_knowledge
    from errdiag.matching import TIERS, scan_source
    from errdiag.matching.exact import ExactTier

    kb = load_knowledge(kb_dirs, env={}, cwd=ROOT, project=False, entry_points=False)
    src = file_source(str(log))
    src = type(src)(src.name, src.open, None, None, True)  # one pass: the budget of one scan
    scan, _ = scan_source(kb.index, src, TIERS)
    tier = next(t for t in scan.tiers if isinstance(t, ExactTier))
    return dict(zip(kb.index.budgets.names, tier._spent, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=20)
    ap.add_argument("--sigs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pack, log = Path(tmp) / "pack", Path(tmp) / "big.log"
        make_pack(pack, a.sigs)
        make_log(log, a.mb)
        base, out0 = cpu(["match", "--format", "json", "-f", str(log)], a.runs)
        hostile, out1 = cpu(["match", "--format", "json", "--kb", str(pack), "-f", str(log)], a.runs)
        found = ["ci.no_space_left_on_device" in o for o in (out0, out1)]
        print(f"log={a.mb} MiB  pack={a.sigs} regexes on 'error'")
        print(f"cpu without pack={base:.2f} s  with pack={hostile:.2f} s  ratio={hostile / base:.2f}  "
              f"real error still diagnosed: {found[0]} / {found[1]}")
        from errdiag.matching.index import BUNDLED_BUDGET, PACK_BUDGET

        for name, units in spent(log, [str(pack)]).items():
            limit = BUNDLED_BUDGET if name == "bundled" else PACK_BUDGET
            print(f"work spent by {name}: {units} units of {limit} ({units / limit:.3f})")


if __name__ == "__main__":
    main()
