"""Scoring: hits -> one score per entry, with its reasons (the evidence shown by --explain)."""

from __future__ import annotations

from dataclasses import dataclass

from .index import Index
from .tier import EntryHits

SECOND_SIG = 0.35  # share of the second-best distinct signature added to the best
THIRD_SIG = 0.15  # ... and of the third
CONTEXT_BONUS = 0.12  # per distinct context phrase present, up to CONTEXT_CAP
CONTEXT_CAP = 0.3
REFINE_MARGIN = 0.05  # a refining entry that hit beats its parent by at least this much
# A signature of at most this weight only supports the entry's other signatures (a stack frame's shape, a line every
# failure of the kind prints after the one that says what failed: protoc's "Plugin failed with status code N"):
# hits of such signatures alone never make an answer (a Jest answer from one Node frame of another tool's trace).
SUPPORT_ONLY = 0.1


@dataclass(frozen=True)
class Reason:
    """One piece of evidence behind a score (becomes a models.Evidence)."""

    signature: str  # the pattern, context phrase or refined entry id
    kind: str  # literal | code | regex | context | refines
    tier: str  # exact | regex | fuzzy | context | refines | a registered tier's name
    line: int | None
    strength: float


@dataclass(frozen=True)
class Scored:
    entry_index: int
    score: float
    first: int
    last: int
    count: int
    captures: dict[str, str]
    reasons: tuple[Reason, ...]


def score(index: Index, hits: dict[int, EntryHits]) -> list[Scored]:
    """Score every entry with at least one signature hit."""
    raw: dict[int, Scored] = {}
    for ei, h in hits.items():
        if not h.sigs:
            continue
        e = index.entries[ei]
        if all(e.signatures[si].weight <= SUPPORT_ONLY for si in h.sigs):
            continue  # only supporting signatures hit: nothing says this is the entry's error
        strengths = sorted(((index.strength[ei][si] * h.factor, si) for si in h.sigs), reverse=True)
        best = strengths[0][0]
        total = best
        if len(strengths) > 1:
            total += SECOND_SIG * strengths[1][0]
        if len(strengths) > 2:
            total += THIRD_SIG * strengths[2][0]
        reasons = []
        for strength, si in strengths:
            sig = e.signatures[si]
            tier = h.tier or ("regex" if sig.kind == "regex" else "exact")
            reasons.append(Reason(sig.pattern, sig.kind, tier, h.sigs[si].first, strength))
        if h.context:
            total += min(CONTEXT_CAP, CONTEXT_BONUS * len(h.context))
            for ci in sorted(h.context):
                reasons.append(Reason(e.context[ci], "context", "context", None, CONTEXT_BONUS))
        if h.exclude:
            continue  # the text around the hit says outright that it is another error
        captures: dict[str, str] = {}
        for si in sorted(h.sigs, key=lambda s: h.sigs[s].first):
            for k, v in (h.sigs[si].captures or {}).items():
                captures.setdefault(k, v)
        first = min(s.first for s in h.sigs.values())
        last = max(s.last for s in h.sigs.values())
        count = max(s.count for s in h.sigs.values())
        raw[ei] = Scored(ei, total, first, last, count, captures, tuple(reasons))
    # a refining entry that hit outranks the entry it refines
    for child, parent in index.parent.items():
        if child in raw and parent in raw and raw[child].score <= raw[parent].score + REFINE_MARGIN:
            c = raw[child]
            refines = Reason(index.entries[parent].id, "refines", "refines", None, 0.0)
            raw[child] = Scored(c.entry_index, raw[parent].score + REFINE_MARGIN, c.first, c.last, c.count,
                                c.captures, c.reasons + (refines,))
    return list(raw.values())
