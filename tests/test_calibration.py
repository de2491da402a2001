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


# -- round 11: >= 0.6 only on decisive evidence (engine.decisive) ---------------------------------------------

def _with(d, strength: float, category: str | None = None):
    """`d` (the git answer) as if its strongest signature had this strength (and its entry this category)."""
    evidence = tuple(replace(e, score=strength) if e.kind not in ("context", "refines") else e for e in d.evidence)
    entry = d.entry if category is None else replace(d.entry, category=category)
    return replace(d, evidence=evidence, entry=entry)


def test_only_decisive_evidence_keeps_an_answer_at_or_above_0_6():
    d = replace(diagnose(NOT_A_REPO, KB).best, line=1, last_line=1)
    assert d.entry.category == "vcs" and d.confidence >= 0.6
    strong = _with(d, engine.STRONG_SIGNATURE, "build")  # decisive on its own: whatever the input and the entry
    assert engine.calibrated(strong, 3.0, [], lines=500, unfilled=True) == strong
    trusted = _with(d, engine.TRUSTED_SIGNATURE)  # decisive for an environment error pasted alone, slots filled
    assert engine.calibrated(trusted, 3.0, [], lines=engine.ALONE_LINES) == trusted
    squeezed = [
        engine.calibrated(trusted, 3.0, [], lines=engine.ALONE_LINES + 1),  # one line among many
        engine.calibrated(trusted, 3.0, [], lines=1, unfilled=True),  # the answer cannot name what the entry asks
        engine.calibrated(_with(d, engine.TRUSTED_SIGNATURE, "runtime"), 3.0, [], lines=1),  # "edit your code"
        engine.calibrated(_with(d, engine.TRUSTED_SIGNATURE - 0.01), 3.0, [], lines=1),  # not strong enough
    ]
    for s in squeezed:
        assert s.id == d.id and not s.generic and engine.DOUBT_FLOOR <= s.confidence <= engine.DOUBT_CAP
    weaker = engine.calibrated(replace(trusted, confidence=0.7), 3.0, [], lines=engine.ALONE_LINES + 1)
    assert engine.DOUBT_FLOOR < weaker.confidence < squeezed[0].confidence  # the order is kept
    assert engine.calibrated(replace(trusted, confidence=0.55), 3.0, [], lines=99).confidence == 0.55  # below: as is


def test_a_clean_error_keeps_0_6_pasted_alone_and_not_as_one_line_of_a_long_log():
    steps = "".join(f"step {i}: ok\n" for i in range(engine.ALONE_LINES))
    alone = diagnose("$ git status\n" + NOT_A_REPO, KB).best
    assert alone.id == "git.not_a_repository" and alone.confidence >= 0.6
    buried = diagnose(steps + NOT_A_REPO, KB).best
    assert buried.id == "git.not_a_repository" and not buried.generic
    assert engine.DOUBT_FLOOR <= buried.confidence <= engine.DOUBT_CAP
    rpc = "error: RPC failed; HTTP 413 curl 22 The requested URL returned error: 413\n"  # a decisive signature
    assert engine.strongest(diagnose(rpc, KB).best) >= engine.STRONG_SIGNATURE
    assert diagnose(steps + rpc, KB).best.confidence >= 0.6
