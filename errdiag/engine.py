"""The public library call: text in, Result out (values, never output)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable

from . import families
from .anatomy import Fault
from .errors import InputError
from .inputs import InputSource, read_blocks, text_source
from .kb import KnowledgeBase
from .matching import TIERS, AnatomyTier, KeyLineTier, Scored, scan_source, score
from .matching.keylines import MAX_KEY_LINES, Baseline
from .models import _PLACEHOLDER, Diagnosis, Evidence, KeyLine, Result
from .normalize import clean_line
from .provenance import origin_label
from .redact import redact as redact_text
from .sanitize import plain

# Confidence = score / (score + HALF_SCORE): a signature of strength HALF_SCORE alone gives 0.5.
# Calibrated with bench/calibration.py (dev + holdout, as pasted and under noise): of 3,121 top answers, the
# 1,341 at or above 0.6 (decisive evidence, see STRONG_SIGNATURE) were all right, the 1,662 at 0.5-0.6 99.8%.
HALF_SCORE = 0.35
MIN_CONFIDENCE = 0.3  # below this there is no diagnosis: "no match" is a real answer
MAX_EXCERPT_LINE = 300  # characters shown per excerpt line
# A generic family answer (it can say no more than the error line) helps someone who pasted one error;
# in a longer log it is noise next to the lines that matter, so only specific family answers are kept.
GENERIC_FAMILY_MAX_LINES = 150
# Real text is not the test sets (bench/calibration.py --wild, bench/calib_features.py): an answer at or above 0.6
# must be right about 95% of the time there too. On the 9 open graded wild samples (bench/calib_features.py,
# validated leaving one sample out), what kept an answer right at or above 0.6 was how decisive its evidence is:
# - a signature of strength STRONG_SIGNATURE or more (an error code, a vendor's whole sentence): 99% right;
# - a signature of strength TRUSTED_SIGNATURE or more in an error pasted alone (ALONE_LINES lines at most) about
#   the environment (not an entry of families.EDIT_CATEGORIES: "edit your code or build") whose answer filled every
#   {{slot}} of its title and first fix: 96% right;
# every other answer was right 76% of the time (placed family answers 70%, build/runtime/syntax entries 75%): it
# is kept, below 0.6 ("undecided"). An answer below an error-looking line printed earlier that it does not explain
# (it is then often about a consequence of that error) was right 63% of the time: it is kept below 0.6 too.
DOUBT_CAP = 0.59  # a doubted answer's confidence is squeezed into [DOUBT_FLOOR, DOUBT_CAP] (order kept): still above
DOUBT_FLOOR = 0.5  # the generic answers (< 0.5) and the answers families.finish held back (< 0.5)
EARLIER_ERROR = 0.5  # the key-line score of an earlier error-looking line that puts an answer in doubt
STRONG_SIGNATURE = 2.75  # the strength of a signature decisive on its own (matching.index: weight x specificity)
TRUSTED_SIGNATURE = 2.0  # ... and of one decisive in an environment error pasted alone
ALONE_LINES = 10  # an input of at most this many lines is an error pasted alone (with its command, a few lines around)


def confidence(raw: float) -> float:
    return round(raw / (raw + HALF_SCORE), 3) if raw > 0 else 0.0


def diagnose(text: str | None = None, kb: KnowledgeBase | None = None, *,
             sources: Iterable[InputSource] | None = None, min_confidence: float = MIN_CONFIDENCE,
             redact: bool = True, on_bytes: Callable[[int], None] | None = None,
             baseline: Iterable[InputSource] = ()) -> Result:
    """Diagnose `text` (or each of `sources`, streamed) against `kb`; best diagnosis first.

    The result also carries the key lines: where the input says it failed, best first (known error or
    not). `baseline`: logs of passing runs of the same job; lines also seen there rank lower.

    Example:
        >>> from errdiag import diagnose, load_knowledge
        >>> diagnose("fatal: not a git repository", load_knowledge()).best.id
        'git.not_a_repository'
    """
    if kb is None:
        from .kb import load_knowledge

        kb = load_knowledge()
    if sources is None:
        if text is None:
            raise InputError("nothing to diagnose: no text given")
        sources = [text_source(text)]
    sources = list(sources)
    passing = _baseline(baseline)
    found: list[Diagnosis] = []
    faults_of: dict[str | None, list[Fault]] = {}  # per source: the errors the anatomy read
    keys: list[KeyLine] = []
    notes: list[str] = []
    matched: dict[int, float] = {}  # id of a diagnosis -> its confidence before families.finish squeezed it
    evidence: dict[int, float] = {}  # id of a diagnosis -> the score of its evidence (scoring.score)
    total_lines = total_bytes = 0
    nonblank = False
    for src in sources:
        scan, nbytes = scan_source(kb.index, src, TIERS, on_bytes, kb.cache_dir)
        total_lines += scan.lines_seen
        total_bytes += nbytes
        nonblank = nonblank or scan.nonblank
        name = src.name if src.is_file else None  # text, stdin and a command's output name no file
        for tier in scan.tiers:
            for origin in getattr(tier, "exhausted", ()):
                notes.append(f"{src.name}: the {origin_label(origin)} used up its matching budget on this input; "
                             "its entries were not looked for in the rest of it")
        finder = next(t for t in scan.tiers if isinstance(t, KeyLineTier)).finder
        finder.source = src.name
        verdict = finder.verdict()
        before = len(found)
        scored: list[tuple[Scored, float]] = []
        excerpts: dict[int, tuple[int, list[str]]] = {}
        earlier: dict = {}
        for tier in scan.tiers:
            if tier.fallback and any(conf >= min_confidence for _, conf in scored):
                continue
            got = tier.found(earlier, scan.lines_seen)
            mine = [(s, confidence(s.score)) for s in score(kb.index, got.hits)]
            if tier.fallback and mine:
                scored = mine  # nothing before it was confident: the fallback's answers replace them
            else:
                scored += mine
            for entry_no, excerpt in got.excerpts.items():
                excerpts.setdefault(entry_no, excerpt)
            for entry_no, hits in got.hits.items():
                earlier.setdefault(entry_no, hits)
        anatomy = next((t for t in scan.tiers if isinstance(t, AnatomyTier)), None)
        faults = anatomy.faults if anatomy is not None else []
        faults_of.setdefault(name, []).extend(faults)
        # the anatomy tier: gate broad entries, add family hits, fill captures (errdiag/families.py)
        fragment = scan.lines_seen <= families.FRAGMENT_LINES
        scored = [(s, confidence(s.score)) for s in families.select(kb.index, faults, [s for s, _ in scored],
                                                                    fragment=fragment)]
        for s, _ in scored:
            if s.entry_index not in excerpts:
                f = families.fault_near(faults, s.first)
                if f is not None and f.excerpt[1]:
                    excerpts[s.entry_index] = f.excerpt
        paste = scan.lines_seen <= GENERIC_FAMILY_MAX_LINES
        for s, conf in scored:
            if conf >= min_confidence:
                d = _diagnosis(kb, excerpts, s, conf, name, redact, verdict.fatal(s.first), faults)
                if paste or not (d.generic and d.entry.family):
                    found.append(d)
                    evidence[id(d)] = s.score
                    if d.confidence < conf and families.held_back(d, faults):
                        matched[id(d)] = conf  # the key lines weigh how surely the line matched, not what the
                        # answer can promise (an unplaced or weak answer still marks a recognised error line)
        known = tuple((d.line, matched.get(id(d), d.confidence), d.excerpt_start or d.line,
                       tuple(d.excerpt.split("\n"))) for d in found[before:]
                      if d.fatal and not d.generic and d.line is not None)
        mine = finder.finish(passing, verdict, known)
        found[before:] = [calibrated(d, evidence.get(id(d), 0.0), mine, scan.lines_seen, _unfilled(kb, d))
                          for d in found[before:]
                          if scan.lines_seen <= ALONE_LINES or not only_warned(d, found[before:], mine, verdict)]
        if scan.origin:  # answers and key lines on the appended unescaped reading point at the line carrying it
            found[before:] = [_to_origin(d, scan) for d in found[before:]]
            mine = [replace(k, line=scan.origin_of(k.line)) for k in mine]
        keys += mine
        if verdict.quiet:  # a passing run: what it printed are notes
            found[before:] = [replace(d, fatal=False) for d in found[before:]]
    if not nonblank:
        raise InputError("nothing to diagnose: the input is empty or only whitespace")
    keys.sort(key=lambda k: -k.score)
    shown = redact_text if redact else str  # redacted before the display cut, as excerpts are
    keys = [replace(k, text=plain(shown(k.text)[:MAX_EXCERPT_LINE]),  # plain: no escape reaches a terminal
                    context=tuple(plain(shown(x)[:MAX_EXCERPT_LINE]) for x in k.context)) for k in keys[:MAX_KEY_LINES]]
    ranked, behind = rank(found, faults_of)
    found = agree(ranked, keys[0] if keys else None, behind)
    return Result(tuple(found), total_lines, total_bytes, tuple(s.name for s in sources), redact, tuple(keys),
                  tuple(notes))


def _to_origin(d: Diagnosis, scan) -> Diagnosis:
    """`d` with its line numbers in the input as given (see matching.scan.Scan.origin)."""
    return replace(d, line=scan.origin_of(d.line), last_line=scan.origin_of(d.last_line),
                   excerpt_start=scan.origin_of(d.excerpt_start))


def calibrated(d: Diagnosis, score: float, keys: Iterable[KeyLine], lines: int = 1,
               unfilled: bool = False) -> Diagnosis:
    """`d` with a confidence that means on real text what it means on the test sets: an answer above DOUBT_CAP
    is squeezed into [DOUBT_FLOOR, DOUBT_CAP], order kept, when its evidence is not decisive (`decisive`) or when
    it sits below an earlier error-looking line it does not explain (`keys`: the source's key lines). (`score`:
    the strength of its evidence, scoring.score; `lines`: how many lines the source has; `unfilled`: a {{slot}}
    of the entry's title or first fix that the text did not fill.)"""
    if d.generic or d.confidence <= DOUBT_CAP:
        return d
    if decisive(d, lines, unfilled) and not _error_before(d, keys):
        return d
    squeezed = DOUBT_FLOOR + (DOUBT_CAP - DOUBT_FLOOR) * (d.confidence - DOUBT_CAP) / (1 - DOUBT_CAP)
    return replace(d, confidence=round(squeezed, 3))


def decisive(d: Diagnosis, lines: int, unfilled: bool = False) -> bool:
    """Evidence that keeps an answer at or above 0.6 (see STRONG_SIGNATURE): its strongest signature is decisive
    on its own, or decisive enough for an environment error pasted alone whose answer filled all its slots."""
    best = strongest(d)
    if best >= STRONG_SIGNATURE:
        return True
    return (best >= TRUSTED_SIGNATURE and lines <= ALONE_LINES and not unfilled
            and d.entry.category not in families.EDIT_CATEGORIES)


def strongest(d: Diagnosis) -> float:
    """The strength of the answer's strongest signature (or anatomy) hit: context phrases aside."""
    return max((e.score for e in d.evidence if e.kind not in ("context", "refines")), default=0.0)


def _unfilled(kb: KnowledgeBase, d: Diagnosis) -> bool:
    """A `{{slot}}` of the entry's title or first fix command that the text did not fill (the answer then says
    less than the entry can)."""
    entry = kb.index.entries[kb.index.by_id[d.id]]
    fix = (entry.quick_fixes[0].command or "") if entry.quick_fixes else ""
    slots = {m[0] for m in _PLACEHOLDER.findall(entry.title + "\n" + fix)}
    return bool(slots - set(d.captures))


def _error_before(d: Diagnosis, keys: Iterable[KeyLine]) -> bool:
    """An error-looking line (key line) printed more than AGREE_LINES before the answer's own line."""
    return d.line is not None and any(k.score >= EARLIER_ERROR and k.line < d.line - AGREE_LINES for k in keys)


# A line a tool prints at warning level (`Warning: automake-1.15 already installed`, `npm WARN engine ...`,
# `[WARNING]: provided hosts list is empty`).
_WARNING_LINE = re.compile(r"^\s*(?:(?:npm|yarn|pnpm)\s+WARN\b|\[WARN(?:ING)?\]:?|WARN(?:ING)?:|Warning:)")
NOTICE = "notice"  # the tag of an entry about a notice the tool goes on after (a formula already installed, an
# engine range npm does not enforce, an empty host list): what its author asks about when pasted alone, not a failure
FAILURE_SHOWN = 0.5  # a key line at least this strong that is not a warning: the text shows a failure


def only_warned(d: Diagnosis, found: list[Diagnosis], keys: Iterable[KeyLine], verdict) -> bool:
    """An answer of a `notice` entry read only from warning-level lines (each line its signatures matched is a
    warning) in a log (more than ALONE_LINES lines; a warning pasted alone is what its author asks about) that
    shows no failure: no line says the run failed, no key line (not a warning) looks like an error, and no other
    answer is about a line that is not a warning. The tool went on after the notice: answering it would call a run
    that worked a failure. (Warnings that are failures — Fabric's `Warning: Command(s) not found`, Homebrew's
    `Warning: No available formula` — are entries without the tag and keep their answers.)"""
    if NOTICE not in d.entry.tags:
        return False
    lines = _signature_lines(d)
    if not lines or not all(_warning_at(d, n) for n in lines):
        return False
    if verdict.failure_line is not None or verdict.step_failed:
        return False
    if any(k.score >= FAILURE_SHOWN and not _WARNING_LINE.match(k.text) for k in keys):
        return False
    return not any(o is not d and any(not _warning_at(o, n) for n in _signature_lines(o)) for o in found)


def _signature_lines(d: Diagnosis) -> set[int]:
    return {e.line for e in d.evidence if e.kind not in ("context", "refines") and e.line is not None}


def _warning_at(d: Diagnosis, line: int) -> bool:
    """Is `line` (of the answer's excerpt) a warning-level line? (False when the excerpt does not hold it.)"""
    i = line - (d.excerpt_start or d.line or 0)
    rows = d.excerpt.split("\n")
    return 0 <= i < len(rows) and bool(_WARNING_LINE.match(rows[i]))


def _baseline(sources: Iterable[InputSource]) -> Baseline | None:
    """The passing runs' error-looking lines, read once each (bounded memory whatever their size)."""
    sources = list(sources)
    if not sources:
        return None
    passing = Baseline()
    for src in sources:
        for block in read_blocks(src):
            passing.feed(block)
    return passing


AGREE_LINES = 2  # a diagnosis is about a key line when its first or last occurrence is this close
REFINE_LINES = 40  # a refining diagnosis this close to its parent's is the same error, said more precisely
REFINE_EVIDENCE = 1.0  # ... when a signature at least this strong says so (a hint such as CMake's `-- Building for:
# NMake Makefiles`, 0.55, does not say the parent's error is its own; a one-line paste's own error line does, at
# whatever confidence)


def agree(found: list[Diagnosis], top: KeyLine | None, behind: set[str] = frozenset()) -> list[Diagnosis]:
    """The diagnoses with the one about the top key line first (a fatal, specific one), else as ranked.

    A wrapper's generic diagnosis (exit code 1) never moves: the key line is then its cause above it.
    When the diagnosis about the key line is refined by another diagnosis of the same source nearby
    (`refines:`, e.g. Maven's "Failed to execute goal" line and Surefire's forked-VM crash under it), the
    refining one leads: it is the same error, named more precisely.
    """
    if top is None:
        return found
    where = None if top.source.startswith("<") else top.source  # a diagnosis names files only
    for i, d in enumerate(found):
        if d.generic or not d.fatal or d.line is None or d.source != where or d.id in behind:
            continue
        if abs(d.line - top.line) <= AGREE_LINES or abs((d.last_line or d.line) - top.line) <= AGREE_LINES:
            d = _refined(found, d)
            i = found.index(d)
            return [d] + found[:i] + found[i + 1:] if i else found
    return found


def _refined(found: list[Diagnosis], d: Diagnosis) -> Diagnosis:
    """The most precise diagnosis near `d` that refines it (through a chain of `refines:`), else `d`."""
    for _ in range(4):  # refinement chains are short (task failed -> manifest merger -> minSdk)
        child = next((c for c in found if c.entry.refines == d.id and c.fatal and not c.generic
                      and strongest(c) >= REFINE_EVIDENCE
                      and c.source == d.source and c.line is not None and abs(c.line - d.line) <= REFINE_LINES), None)
        if child is None:
            return d
        d = child
    return d


def rank(found: list[Diagnosis], faults_of: dict[str | None, list[Fault]]) -> tuple[list[Diagnosis], set[str]]:
    """Best first: specific before generic, a catalogue entry before a family answer to the same error,
    then confidence, then the earliest line (the cause). Also returns the ids of the family answers ranked
    behind a catalogue answer (`agree` never moves those up), worked out once."""
    merged: dict[str, Diagnosis] = {}
    for d in found:
        if d.id not in merged or d.confidence > merged[d.id].confidence:
            merged[d.id] = d
    ds = list(merged.values())
    behind = {d.id for d in ds if _shadowed(d, ds, faults_of)
              or families.runner_behind(d, [o for o in ds if o.source == d.source], faults_of.get(d.source, []))}
    behind |= {d.id for d in ds if families.reporter_behind(d, [o for o in ds if o.source == d.source], behind)}
    # a wrapper entry (`generic: true`: an exit status, a build tool's "failed" summary) never outranks an
    # answer about an error printed before it in the same input, even a generic one: that error is what the
    # status reports (a compile error in a system header, then `Process completed with exit code 1`). An earlier
    # wrapper counts too: of nested wrappers the innermost is nearer the cause (`collect2: error: ld returned 1 exit
    # status`, then make's `*** [cc1plus] Error 1` about that very link, then the CI's exit code)
    wrappers = {id(d) for d in ds if d.entry.generic and d.line is not None
                and any(o.source == d.source and o.line is not None and families.reported_by(o, d) for o in ds)}

    # an answer about a line the run's structure says did not fail it (a step that went on, post-run
    # cleanup) ranks below every answer about the failure, a generic one included
    def cls(d: Diagnosis) -> tuple[bool, bool, bool, bool]:
        return not d.fatal, d.generic, id(d) in wrappers, d.id in behind

    ds.sort(key=lambda d: (*cls(d), -d.confidence, d.line or 0, d.id))
    inputs = {src: i for i, src in enumerate(dict.fromkeys(d.source for d in found))}  # in the order given
    return _near_ties_by_line(ds, cls, inputs), behind


NEAR_TIE = 0.005  # confidences closer than this are a tie: the error that comes first in the input wins


def _near_ties_by_line(ds: list[Diagnosis], cls, inputs: dict[str | None, int]) -> list[Diagnosis]:
    """`ds` ranked by confidence; within a class, a run of answers whose confidence is within NEAR_TIE of the
    run's first (strongest) one is put in input order. Two entries of one tool that both hit an output are
    about equally strong; which of them scores a hair higher depends on how rare their words are across the
    whole knowledge base (IDF), which any new entry shifts, while the earlier error is the cause. An entry
    that refines another (systemd's exit-status decoding of a unit failure) still leads it: refinement puts
    it only a small margin above its parent on purpose."""
    out: list[Diagnosis] = []
    i = 0
    while i < len(ds):
        j = i + 1
        while j < len(ds) and cls(ds[j]) == cls(ds[i]) and ds[i].confidence - ds[j].confidence < NEAR_TIE:
            j += 1
        run = ds[i:j]
        if len(run) > 1:
            run.sort(key=lambda d: (d.line is None, inputs[d.source], d.line or 0))
            ids = {d.id for d in run}
            for d in [d for d in run if d.entry.refines in ids]:  # a refining entry still leads its parent
                run.remove(d)
                run.insert(next(k for k, x in enumerate(run) if x.id == d.entry.refines), d)
        out += run
        i = j
    return out


def _shadowed(d: Diagnosis, ds: list[Diagnosis], faults_of: dict[str | None, list[Fault]]) -> bool:
    """A family answer to an error a catalogue entry answers (see families.shadowed)."""
    same = [o for o in ds if o.source == d.source]
    return families.shadowed(d, same, faults_of.get(d.source, []))


def _diagnosis(kb: KnowledgeBase, excerpts: dict[int, tuple[int, list[str]]], s: Scored, conf: float,
               source: str | None, redact: bool, fatal: bool = True,
               faults: list[Fault] | None = None) -> Diagnosis:
    entry = kb.index.entries[s.entry_index]
    start, raw_lines = excerpts.get(s.entry_index, (s.first, []))
    whole = "\n".join(clean_line(x) for x in raw_lines)
    if redact:  # before lines are cut: a secret cut at the display width would no longer look like one
        whole = redact_text(whole)
    lines = [plain(x[:MAX_EXCERPT_LINE]) for x in whole.split("\n")]
    excerpt = "\n".join(lines).strip("\n")
    own = families.own_names(entry) if not entry.family else frozenset()
    captures = families.enrich(dict(s.captures), faults or [], s.first, own, entry.tool_slug, entry.family)
    captures = families.whole_import(captures)
    for d in entry.derive:
        if d.source in captures:
            captures[d.name] = d.value(captures[d.source])
    captures = families.own_module(captures)
    if redact:
        captures = {k: redact_text(v) for k, v in captures.items()}
    captures = {k: plain(v) for k, v in captures.items()}
    highlight = tuple(sorted({r.signature for r in s.reasons if r.kind in ("literal", "code")}, key=len,
                             reverse=True))
    evidence = tuple(Evidence(r.signature, r.kind, r.tier, r.line, round(r.strength, 3)) for r in s.reasons)
    where = families.lives(captures, faults or [], s.first)
    if where is not None:  # a path read from the frames is shown like a capture: redacted, no escapes
        where = replace(where, path=plain(redact_text(where.path) if redact else where.path))
    generic = families.is_generic(entry, captures, where)
    filled = entry.filled(captures)
    stepped = families.points_outside(entry, captures, where)
    if stepped:
        filled = families.outside(filled, captures, where)
    elif families.looked_up_elsewhere(entry, captures):
        filled = families.elsewhere(filled, captures)
    elif families.part_missing(entry, captures):
        filled = families.upgrade_first(filled, captures)
    elif families.told_above(entry, captures):
        filled = families.above_first(filled, captures)
    return families.finish(Diagnosis(
        entry=filled, confidence=conf, line=s.first, last_line=s.last,
        count=s.count, excerpt=excerpt, excerpt_start=start, highlight=highlight, captures=captures,
        evidence=evidence, source=source, location=_location(lines), fatal=fatal, generic=generic,
        lives={**where.as_dict(), "stepped_back": stepped} if where is not None else None,
    ), faults or [])


_LOCATIONS = (
    re.compile(r'File "(?P<file>[^"<>]+)", line (?P<line>\d+)'),
    re.compile(r"(?P<file>[\w./\\-]+\.[A-Za-z]{1,5})\((?P<line>\d+),\d+\)"),
    re.compile(r"(?<![\w/])(?P<file>(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)*\.[A-Za-z]{1,5}):(?P<line>\d+)(?::\d+)?"),
)


def _location(lines: list[str]) -> tuple[str, int | None] | None:
    """The source file and line the error itself names (last Python frame, or a file:line)."""
    best = None
    for line in lines:
        for rx in _LOCATIONS:
            for m in rx.finditer(line):
                f = m.group("file")
                if "site-packages" in f or f.startswith(("/usr/", "<", "http")) or "node_modules" in f:
                    continue
                best = (f, int(m.group("line")))
    return best
