"""Confidence that means on real text what it means on the test sets (engine.calibrated, bench/calib_features.py)."""

from __future__ import annotations

from dataclasses import replace

from errdiag import diagnose, engine
from errdiag.kb import load_knowledge
from errdiag.models import KeyLine

KB = load_knowledge()
NOT_A_REPO = "fatal: not a git repository (or any of the parent directories): .git\n"
EARLIER = ("$ ./deploy.sh\nError: frobgen could not read /etc/frob.conf: unsupported template flavour 'qux'\n"
           "cleaning up\nremoving tmp files\ndone cleaning\n")


def _key(line: int, score: float) -> KeyLine:
    return KeyLine(line=line, text="Error: something else failed", score=score, source="<text>", reason="error")


def test_an_answer_below_an_unexplained_earlier_error_stays_below_0_6():
    alone = diagnose(NOT_A_REPO, KB).best
    assert alone.id == "git.not_a_repository" and alone.confidence >= 0.6
    after = diagnose(EARLIER + NOT_A_REPO, KB).best  # the earlier error is what went wrong first
    assert after.id == "git.not_a_repository" and not after.generic
    assert engine.DOUBT_FLOOR <= after.confidence <= engine.DOUBT_CAP < 0.6
    quiet = diagnose("$ ./deploy.sh\nsyncing\ncleaning up\n" + NOT_A_REPO, KB).best  # nothing failed before it
    assert quiet.confidence == alone.confidence


def test_calibrated_squeezes_in_order_and_only_for_an_earlier_error_looking_line():
    d = replace(diagnose(NOT_A_REPO, KB).best, line=10, last_line=10)
    assert engine.calibrated(d, 3.0, [_key(10, 0.99)]) == d  # its own line
    assert engine.calibrated(d, 3.0, [_key(9, 0.99), _key(12, 0.9)]) == d  # beside it, after it
    assert engine.calibrated(d, 3.0, [_key(3, engine.EARLIER_ERROR - 0.01)]) == d  # not error-looking enough
    high = engine.calibrated(d, 3.0, [_key(3, 0.8)])
    low = engine.calibrated(replace(d, confidence=0.7), 3.0, [_key(3, 0.8)])
    assert engine.DOUBT_FLOOR < low.confidence < high.confidence <= engine.DOUBT_CAP  # the order is kept
    generic = replace(d, generic=True, confidence=0.45)
    assert engine.calibrated(generic, 3.0, [_key(3, 0.8)]) == generic  # generic answers have their own cap
    assert engine.calibrated(replace(d, line=None), 3.0, [_key(3, 0.8)]).confidence == d.confidence
