"""The labelled whole-log sets in bench/ keep the shape ../shared/tools/eval_logs.py reads: every case names a
log that exists, its ranges are 1-based inclusive line spans inside that log (a bare CR ends a line, as
errdiag counts), sorted, with `start`/`end` the outer bounds, and a `pass_log` that exists when given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SETS = sorted([*(BENCH / "logs_holdout").glob("**/cases*.jsonl"), BENCH / "logs" / "cases.jsonl"])


def _line_count(path: Path) -> int:
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return len(text.split("\n")) - (1 if text.endswith("\n") else 0)


@pytest.mark.parametrize("cases", SETS, ids=lambda p: str(p.relative_to(BENCH)))
def test_cases_point_inside_their_logs(cases: Path) -> None:
    root = cases.parent if cases.parent.name == "logs" else BENCH / "logs_holdout"
    rows = [json.loads(x) for x in cases.read_text().splitlines() if x.strip()]
    assert rows, cases
    problems = []
    for row in rows:
        log = root / row["log"]
        if not log.is_file():
            problems.append(f"{row['log']}: missing")
            continue
        n = _line_count(log)
        ranges = row["ranges"]
        if not ranges or ranges != sorted(ranges) or any(not (1 <= s <= e <= n) for s, e in ranges):
            problems.append(f"{row['log']}: ranges {ranges} not sorted spans within 1..{n}")
        if "start" in row and (row["start"], row["end"]) != (ranges[0][0], max(e for _s, e in ranges)):
            problems.append(f"{row['log']}: start/end {row['start']}/{row['end']} do not bound {ranges}")
        if "pass_log" in row and not (root / row["pass_log"]).is_file():
            problems.append(f"{row['log']}: pass_log {row['pass_log']} missing")
    assert not problems, problems
