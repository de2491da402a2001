"""A generated fleet: Loghub slices with real dev-set errors planted at known lines, plus a manifest.

Used by the fleet tests (a few hundred small logs) and by bench/fleet.py (~400 logs, ~60 MB). Everything is
drawn from one seeded random generator, so the same arguments always give the same corpus and the same
truth. The truth is what was planted, never what errdiag says:

- `known[id]`: the logs (and the line ranges) where the dev-set case of that id was planted;
- `unknown`: the logs where one made-up failure line (a tool errdiag has no entry for) was planted, each
  time with other numbers, paths and hex values, so only masking can group them. It is the failure of its
  run (the manifest says so), so it sits where a failed run's failure sits: in the last tenth of the log,
  after the system's own background noise.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LOGHUB = SHARED / "data" / "loghub"
DEV = SHARED / "eval" / "dev.yaml"

# Dev-set ids planted in the corpus: one real output each, chosen across tools (pip, npm, docker, git,
# python, ssh, cloud APIs) and shapes (one line, a traceback, a JSON body, a multi-line block).
PLANTED_IDS = (
    "openai.insufficient_quota", "openai.rate_limit_exceeded", "python.module_not_found",
    "npm.eresolve", "docker.daemon_not_running", "git.not_a_repository",
    "pip.externally_managed_environment",
    "ssh.host_key_verification_failed", "anthropic.overloaded", "node.heap_out_of_memory",
)

REPOS = ("web", "api", "infra", "ml")
JOBS = ("build", "test", "lint", "deploy")
BRANCHES = ("main", "main", "main", "release", "feature/x")


def unknown_line(rng: random.Random) -> str:
    """One occurrence of a failure no entry knows: the numbers, hex ids and path change every time."""
    return (f"ERROR quarkd.replicator: segment {rng.randint(10, 99999)} of shard-{rng.randint(1, 64)} rejected "
            f"by /var/lib/quarkd/seg-{rng.randint(0, 9999):04d}.dat: checksum 0x{rng.getrandbits(32):08x} != "
            f"0x{rng.getrandbits(32):08x} (attempt {rng.randint(1, 5)} of 5)")


@dataclass
class Truth:
    logs: list[str] = field(default_factory=list)  # every log, relative to the corpus root
    known: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # id -> (log, first, last line)
    unknown: list[tuple[str, int]] = field(default_factory=list)  # (log, line)
    bytes: int = 0

    def to_json(self) -> str:
        return json.dumps({"logs": self.logs, "known": self.known, "unknown": self.unknown, "bytes": self.bytes})


def dev_cases(ids=PLANTED_IDS) -> dict[str, str]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    by_id = {item["id"]: item["cases"][0]["text"] for item in data}
    return {i: by_id[i] for i in ids if i in by_id}


def loghub_lines() -> dict[str, list[str]]:
    """Each Loghub log as lines ending in one newline (errdiag counts lines by newlines only)."""
    out = {}
    for p in sorted(LOGHUB.glob("*.log")):
        text = p.read_text(encoding="utf-8", errors="replace").replace("\r", "")
        out[p.stem] = [x + "\n" for x in text.split("\n") if x]
    return out


def build(out: Path, n_logs: int = 300, lines: tuple[int, int] = (160, 320), seed: int = 13,
          known_share: float = 0.4, unknown_logs: int = 20, manifest: str = "manifest.csv") -> Truth:
    """Write `n_logs` logs under `out/logs/` and `out/<manifest>`; return what was planted where."""
    rng = random.Random(seed)
    sources = loghub_lines()
    names = sorted(sources)
    cases = dev_cases()
    ids = sorted(cases)
    (out / "logs").mkdir(parents=True, exist_ok=True)
    truth = Truth(known={i: [] for i in ids})
    start = datetime(2026, 10, 5, tzinfo=timezone.utc)
    n_known = int(n_logs * known_share)
    plan = ["known"] * n_known + ["unknown"] * unknown_logs + ["clean"] * (n_logs - n_known - unknown_logs)
    rng.shuffle(plan)
    rows = []
    for k, kind in enumerate(plan):
        src = names[k % len(names)]
        body = sources[src]
        want = rng.randint(*lines)
        first = rng.randrange(len(body))
        chunk = [body[(first + j) % len(body)] for j in range(want)]
        planted: list[tuple[str, int, int]] = []
        if kind == "known":
            # one or two different known errors; two are 40+ lines apart, beyond the 30-line windows in
            # which the matcher lets nearby lines support or veto a hit (unrelated failures are not adjacent)
            chosen = rng.sample(ids, 2 if rng.random() < 0.3 else 1)
            a = rng.randrange(5, len(chunk) // 2 - 20)
            slots = [a] if len(chosen) == 1 else [rng.randrange(a + 40, len(chunk) - 5), a]
            for eid, at in zip(chosen, slots, strict=True):
                text = cases[eid] if cases[eid].endswith("\n") else cases[eid] + "\n"
                block = [x + "\n" for x in text.split("\n")[:-1]]
                chunk[at:at] = block
                planted.append((eid, at, len(block)))
        elif kind == "unknown":
            at = rng.randrange(len(chunk) - len(chunk) // 10, len(chunk) - 2)
            chunk.insert(at, unknown_line(rng) + "\n")
            planted.append(("?", at, 1))
        name = f"logs/{src.lower()}-{k:04d}.log"
        data = "".join(chunk)
        (out / name).write_text(data, encoding="utf-8")
        truth.logs.append(name)
        truth.bytes += len(data.encode("utf-8"))
        # line numbers: a planted block's position counts the blocks inserted after it (slots go bottom-up)
        shift = 0
        for eid, at, n in sorted(planted, key=lambda p: p[1]):
            first_line = at + shift + 1
            if eid == "?":
                truth.unknown.append((name, first_line))
            else:
                truth.known[eid].append((name, first_line, first_line + n - 1))
            shift += n
        when = start + timedelta(hours=k * (24 * 42) / n_logs)  # spread over six weeks
        rows.append({"log": name, "repo": REPOS[k % len(REPOS)], "job": JOBS[(k // 4) % len(JOBS)],
                     "branch": BRANCHES[k % len(BRANCHES)], "run": str(1000 + k), "commit": f"{k * 7919:07x}",
                     "started_at": when.isoformat().replace("+00:00", "Z"),
                     "outcome": "success" if kind == "clean" else "failure"})
    path = out / manifest
    if manifest.endswith(".jsonl"):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    (out / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


if __name__ == "__main__":  # python tests/fleet_corpus.py OUT [N]
    import sys

    t = build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    print(f"{len(t.logs)} logs, {t.bytes / 1e6:.1f} MB, {sum(map(len, t.known.values()))} known plantings, "
          f"{len(t.unknown)} unknown")
