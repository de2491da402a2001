"""bench/pools.py's rule, checked on every pool and mining batch in bench/: a pool measures texts nobody tuned to, so
none of its threads may be a case of an open wild sample or a knowledge entry's source (the scorers refuse to run
otherwise), and none may be a thread of the held-out sample."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import pools  # noqa: E402

# langs_pool.yaml was drawn before the rule (round 12) and its scorer does not refuse: its cases are labelled by
# language, not by entry, so a shared thread measures nothing twice.
FILES = sorted(
    p for p in [*ROOT.glob("bench/*pool*.yaml"), *ROOT.glob("bench/mine_r*.yaml")] if p.name != "langs_pool.yaml"
)


def _sources(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = data["cases"] if isinstance(data, dict) else data
    return {c["source"] for c in cases if isinstance(c, dict) and c.get("source")}


def test_there_are_pools_to_check():
    assert sum(1 for p in FILES if _sources(p)) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_pool_thread_is_already_used_or_held_out(path):
    sources = _sources(path)
    assert sorted(sources & pools.taken()) == []
    assert pools.held_out_clashes(sources) == 0
