"""bench/mine.py: counting the kinds of a mining batch and what errdiag answered to each."""

from __future__ import annotations

from .benchmod import load

mine = load("mine.py", "bench_mine")


def _answer(entry_id: str, generic: bool = False):
    return mine.wild.Answer(id=entry_id, title="", confidence=0.5, generic=generic, captures={})


def test_report_ranks_kinds_by_count_and_counts_known_hits():
    cases = [
        {"id": "m-1", "kind": "go: nil map write", "known": None},
        {"id": "m-2", "kind": "pip: no matching distribution", "known": "pip.no_matching_distribution"},
        {"id": "m-3", "kind": "go: nil map write", "known": None},
        {"id": "m-4", "kind": "benign", "known": None},
        {"id": "m-5", "kind": "pip: no matching distribution", "known": "pip.no_matching_distribution"},
        {"id": "m-6", "kind": "pip: no matching distribution", "known": "pip.no_matching_distribution"},
    ]
    answers = [None, _answer("pip.no_matching_distribution"), _answer("go.panic", generic=True), None,
               _answer("python.module_not_found"), _answer("pip.no_matching_distribution")]
    out = mine.report(cases, answers, top=10, least=2).splitlines()
    assert out[0].startswith("   3  pip: no matching distribution")
    assert "pip.no_matching_distribution x2" in out[1]
    assert out[2].startswith("   2  go: nil map write")
    assert "~go.panic x1" in out[3] and "- x1" in out[3]
    assert out[-1] == ("mine: texts=6 failures=5 benign=1 kinds=2 kinds>=2=2 holding=5 silent=1 known=3 "
                       "known_top1=2/3")


def test_load_reports_a_missing_field_and_a_repeated_id(tmp_path):
    batch = tmp_path / "mine_x.yaml"
    batch.write_text(
        "cases:\n"
        "- {id: x-1, source: 'https://example.org/a', kind: 'k', text: 'boom'}\n"
        "- {id: x-1, source: 'https://example.org/b', kind: 'k', text: 'bang'}\n"
        "- {id: x-2, source: 'https://example.org/c', kind: '', text: 'bang'}\n", encoding="utf-8")
    cases, problems = mine.load([batch])
    assert [c["id"] for c in cases] == ["x-1", "x-1"]
    assert any("x-1 repeated" in p for p in problems)
    assert any("x-2 lacks kind" in p for p in problems)


def test_load_counts_threads_of_the_held_out_sample_without_naming_them(tmp_path, monkeypatch):
    held = tmp_path / "held.yaml"
    held.write_text("cases:\n- {source: 'https://github.com/o/r/issues/7'}\n", encoding="utf-8")
    monkeypatch.setattr(mine.pools, "held_out_path", lambda: held)
    batch = tmp_path / "mine_x.yaml"
    batch.write_text(
        "cases:\n"
        "- {id: x-1, source: 'https://github.com/o/r/issues/7', kind: 'k', text: 'boom'}\n"
        "- {id: x-2, source: 'https://github.com/o/r/issues/8', kind: 'k', text: 'bang'}\n", encoding="utf-8")
    _, problems = mine.load([batch])
    assert problems == ["1 text(s) come from threads of the held-out sample (not shown): drop them"]
