"""bench/known_r16.py: known top-1 on the known-labelled real texts, and which texts it reads."""

from __future__ import annotations

from .benchmod import load

known = load("known_r16.py", "bench_known_r16")


def _d(entry_id: str, conf: float = 0.55, generic: bool = False) -> dict:
    return {"id": entry_id, "confidence": conf, "generic": generic}


def test_tally_counts_top1_top3_silent_generic_and_refining_answers():
    rows = [("mine", "m-1", "pip.wheel_build_failed", ""),  # first
            ("mine", "m-2", "gradle.task_execution_failed", ""),  # behind the entry that refines it
            ("mine", "m-3", "pip.egg_info_failed", ""),  # a generic answer; the label only below the cut
            ("mine", "m-4", "go.mod_not_found", ""),  # silent
            ("wild", "holdout13:h-1", "node.cannot_find_module", "")]  # another source
    shown = [[_d("pip.wheel_build_failed"), _d("python.truncated_traceback", 0.4, True)],
             [_d("gradle.task_exception_stack_only"), _d("gradle.task_execution_failed")],
             [_d("python.truncated_traceback", 0.4, True)],
             [],
             [_d("node.cannot_find_module")]]
    low = {2: [_d("python.truncated_traceback", 0.4, True), _d("pip.egg_info_failed", 0.21)], 3: []}
    parents = {"gradle.task_exception_stack_only": "gradle.task_execution_failed"}
    lines, stats = known.tally(rows, shown, low, parents, show="misses")
    assert stats["mine"] == {"n": 4, "top1": 1, "top3": 2, "silent": 1, "other": 2, "other_generic": 1,
                             "refining": 1, "noted": 0}
    assert stats["wild"]["top1"] == 1
    assert [line.split()[0] for line in lines] == ["m-2", "m-3", "m-4"]
    assert "#2" in lines[0] and "cut#2@0.21" in lines[1] and lines[2].endswith("top=-")
    assert known.summary("mine", stats["mine"]) == (
        "known mine: n=4 top1=0.250(1) top3=0.500(2) silent=1 other=2 (other_generic=1 other_specific=1 "
        "refining=1 noted=0)")


def test_texts_never_read_the_held_out_sample():
    rows = known.texts("wild")
    assert rows, "the open samples hold known-labelled texts"
    held = {known.wild.HELD_OUT} - known.OPENED  # OPENED: a sample held out last round, open now
    assert {cid.split(":")[0] for _, cid, _, _ in rows} == set(known.wild.SETS) - held
    for name in held:
        assert known.texts(name) == []  # not even when named
