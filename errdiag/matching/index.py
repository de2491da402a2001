"""The compiled knowledge base: entries, the Aho-Corasick anchors, each signature's strength."""

from __future__ import annotations

import math
import re
from collections import Counter

from .. import regexes
from ..models import Entry

# A signature's strength is weight × specificity; specificity grows with the summed rarity (IDF) of its
# words, so "You exceeded your current quota" counts far more than "error: failed".
SPECIFICITY_SCALE = 9.0  # summed token weight at which a phrase is ~67% specific
REGEX_BONUS = 0.15  # a regex that matched is more specific than its anchor alone
FUZZY_MIN_KEY = 24  # characters: shorter phrases match too much by chance (the fuzzy keys are indexed here)

_WORD = re.compile(r"\w+")  # Unicode words: a Chinese or Cyrillic signature is as specific as an English one


class Index:
    """A compiled knowledge base: entries, the automaton, and each signature's strength."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_id = {e.id: i for i, e in enumerate(entries)}
        self.strength: list[list[float]] = []
        self.prechecks: dict[tuple[int, int], list[list[str]]] = {}
        table: dict[str, list[tuple[int, int]]] = {}
        idf = _idf(entries)
        for entry_no, e in enumerate(entries):
            strengths = []
            for sig_no, s in enumerate(e.signatures):
                if s.kind == "regex":
                    spec = min(_specificity(a, idf) for a in s.anchors) + REGEX_BONUS
                    spec = max(spec, _specificity(_regex_words(s.pattern), idf))
                else:
                    spec = _specificity(s.anchors[0], idf)
                strengths.append(round(s.weight * min(spec, 1.0), 4))
                if s.kind == "regex":
                    self.prechecks[(entry_no, sig_no)] = regexes.required_sets(s.pattern)
                for a in s.anchors:
                    table.setdefault(a, []).append((entry_no, sig_no))
            self.strength.append(strengths)
        self.fuzzy_keys: list[str] = []
        self.fuzzy_refs: list[tuple[int, int]] = []
        for ei, e in enumerate(entries):
            if e.generic:
                continue
            for si, sig in enumerate(e.signatures):
                # literal phrases only: a regex encodes deliberate structure that similarity would undo
                phrase = sig.anchors[0]
                if sig.kind == "literal" and len(phrase) >= FUZZY_MIN_KEY and phrase.count(" ") >= 2:
                    self.fuzzy_keys.append(phrase)
                    self.fuzzy_refs.append((ei, si))
        self.keys = [k.encode("utf-8") for k in table]
        self.regex_digest = _regex_digest(entries, self.keys)
        self.values = [tuple(v) for v in table.values()]
        self.empty = not table
        self._automaton = None
        self._dfa = None
        self.parent = {ei: self.by_id[e.refines] for ei, e in enumerate(entries)
                       if e.refines and e.refines in self.by_id}

    @property
    def budgets(self) -> Budgets:
        """Who pays for matching work: entries grouped by origin (built on first use, never cached on disk)."""
        plan = self.__dict__.get("_budgets")
        if plan is None:
            plan = self.__dict__["_budgets"] = Budgets(self)
        return plan

    @property
    def automaton(self):
        """The compiled automaton over every anchor, as bytes (built on first use; ~5 ms for 1,200 keys)."""
        if self._automaton is None:
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.BytesAhoCorasick(self.keys)
        return self._automaton

    @property
    def big_automaton(self):
        """The same anchors as a full DFA: 10x slower to build (~60 ms), 2x faster to scan; for big inputs."""
        if self._dfa is None:
            import ahocorasick_rs

            self._dfa = ahocorasick_rs.BytesAhoCorasick(self.keys, implementation=ahocorasick_rs.Implementation.DFA)
        return self._dfa

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_automaton"] = None  # rebuilt after unpickling: the Rust objects do not pickle
        state["_dfa"] = None
        state.pop("_budgets", None)
        return state


# Matching work per input, in units: one per anchor hit handed to a signature of a pack, REGEX_COST per
# regex try plus one per 512 characters of the text it runs on (a try costs ~10x a hit). Each origin
# (bundled, user, project, an installed pack, --kb) has a budget of its own, so a pack whose signatures
# sit on common words (hundreds of slow regexes anchored on "error") spends its own budget and then stops
# being looked for in that input (a miss, never a false hit), while the bundled entries go on being
# matched. See bench/pack_cost.py for what a hostile pack costs and what the bundled entries spend.
REGEX_COST = 8
PACK_BUDGET = 2_000_000  # a pack's worst case adds about a second to any input, whatever its signatures
BUNDLED_BUDGET = 200_000_000


class Budgets:
    """Budget groups of an Index: group 0 is the bundled knowledge, one group per other origin."""

    def __init__(self, index: Index):
        names = ["bundled"]
        self.group_of: list[int] = []
        for e in index.entries:
            origin = e.origin if e.origin != "bundled" else "bundled"
            if origin not in names:
                names.append(origin)
            self.group_of.append(names.index(origin))
        self.names = names
        self.limit = [BUNDLED_BUDGET] + [PACK_BUDGET] * (len(names) - 1)
        # per automaton key: (group, signatures of that group on the key), for the groups other than 0;
        # None when every entry is bundled (then anchor hits cost nothing extra to count)
        self.hit_cost: list[tuple[tuple[int, int], ...]] | None = None
        if len(names) > 1:
            cost = []
            for refs in index.values:
                per: dict[int, int] = {}
                for ei, _si in refs:
                    g = self.group_of[ei]
                    if g:
                        per[g] = per.get(g, 0) + 1
                cost.append(tuple(per.items()))
            self.hit_cost = cost


def _regex_digest(entries: list[Entry], keys: list[bytes]) -> str:
    """A key of every entry id, regex signature and anchor key: what a compiled Hyperscan database of the
    regexes depends on (matching/prefilter.py), kept in the index so that reading it thaws no entry. Two
    CRC-32s and the length, as the knowledge cache's own key (zlib is loaded already; hashlib is not)."""
    import zlib

    parts = []
    for e in entries:
        parts.append(e.id)
        parts += [s.pattern for s in e.signatures if s.kind == "regex"]
    data = "\0".join(parts).encode() + b"\1" + b"\1".join(keys)
    return f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}{len(data):x}"


def _regex_words(pattern: str) -> str:
    return " ".join(w for w in re.findall(r"[A-Za-z_]{3,}", re.sub(r"\\[A-Za-z]", " ", pattern)))


def _idf(entries: list[Entry]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for e in entries:
        words = set()
        for s in e.signatures:
            for a in s.anchors:
                words.update(_WORD.findall(a))
        df.update(words)
    n = max(len(entries), 1)
    return {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()} | {"": math.log(n + 1) + 1}


def _specificity(phrase: str, idf: dict[str, float]) -> float:
    default = idf[""]
    total = 0.0
    for w in _WORD.findall(phrase.lower()):
        if len(w) < 2:
            continue
        total += idf.get(w, default) * (0.5 + min(len(w), 16) / 16)
    # punctuation-heavy literals like "[openai]" or "npm err!" still carry some signal
    return 1 - math.exp(-total / SPECIFICITY_SCALE)
