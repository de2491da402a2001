"""The public library call: text in, Result out (values, never output)."""

from __future__ import annotations

import multiprocessing
import os
import re
from typing import Callable, Iterable

from .errors import InputError
from .inputs import InputSource, read_blocks, text_source
from .kb import KnowledgeBase
from .matcher import FUZZY_MAX_LINES, Scanner, Scored, fuzzy_hits, score
from .models import Diagnosis, Evidence, Result
from .normalize import clean_line
from .redact import redact as redact_text

# Confidence = score / (score + HALF_SCORE): a signature of strength HALF_SCORE alone gives 0.5.
# Calibrated with bench/calibration.py (dev + holdout, as pasted and under noise): of 3,117 top answers
# at or above 0.6, 99.9% were right; the fuzzy tier is what produces answers between 0.3 and 0.7.
HALF_SCORE = 0.35
MIN_CONFIDENCE = 0.3  # below this there is no diagnosis: "no match" is a real answer
MAX_EXCERPT_LINE = 300  # characters shown per excerpt line

def confidence(raw: float) -> float:
    return round(raw / (raw + HALF_SCORE), 3) if raw > 0 else 0.0


def diagnose(text: str | None = None, kb: KnowledgeBase | None = None, *,
             sources: Iterable[InputSource] | None = None, min_confidence: float = MIN_CONFIDENCE,
             redact: bool = True, on_bytes: Callable[[int], None] | None = None) -> Result:
    """Diagnose `text` (or each of `sources`, streamed) against `kb`; best diagnosis first.

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
    found: list[Diagnosis] = []
    total_lines = total_bytes = 0
    nonblank = False
    for src in sources:
        scanner, nbytes = _scan(kb, src, on_bytes)
        total_lines += scanner.lines_seen
        total_bytes += nbytes
        nonblank = nonblank or scanner.nonblank
        name = src.name if src.is_file else None  # text, stdin and a command's output name no file
        scored = [(s, confidence(s.score)) for s in score(kb.index, scanner.hits)]
        if scanner.lines_seen <= FUZZY_MAX_LINES and not any(conf >= min_confidence for _, conf in scored):
            # nothing matched exactly: try the fuzzy tier on the error-looking lines of a short input
            scored = [(s, confidence(s.score)) for s in score(kb.index, fuzzy_hits(kb.index, scanner))]
            for s, _ in scored:
                scanner.excerpts.setdefault(s.entry_index, _fuzzy_excerpt(scanner, s.first))
        for s, conf in scored:
            if conf >= min_confidence:
                found.append(_diagnosis(kb, scanner, s, conf, name, redact))
    if not nonblank:
        raise InputError("nothing to diagnose: the input is empty or only whitespace")
    found = rank(found)
    return Result(tuple(found), total_lines, total_bytes, tuple(s.name for s in sources), redact)


def _fuzzy_excerpt(scanner: Scanner, line: int) -> tuple[int, list[str]]:
    return scanner.fuzzy_excerpts.get(line, (line, []))


PARALLEL_MIN_BYTES = 48 * 1024 * 1024  # a big file is scanned as two halves on two cores (fork)


def _scan(kb: KnowledgeBase, src: InputSource, on_bytes) -> tuple[Scanner, int]:
    if src.path and (src.size or 0) >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) >= 2 \
            and "fork" in multiprocessing.get_all_start_methods():
        try:
            return _scan_halves(kb, src, on_bytes)
        except (OSError, EOFError, multiprocessing.ProcessError, RuntimeError):
            pass  # fall back to one pass
    scanner = Scanner(kb.index)
    nbytes = 0
    for block in read_blocks(src, on_bytes=on_bytes):
        nbytes += len(block)
        scanner.feed(block)
    return scanner, nbytes


def _scan_part(index, source: InputSource, first_line: int, conn) -> None:
    """Child process: scan one half and send the scanner's findings back."""
    try:
        scanner = Scanner(index)
        scanner.line_no = first_line
        n = 0
        for block in read_blocks(source):
            n += len(block)
            scanner.feed(block)
        conn.send((scanner.state(), n))
    except BaseException as exc:  # noqa: BLE001  # reported to the parent, which raises it there
        conn.send(exc)
    finally:
        conn.close()


def _scan_halves(kb: KnowledgeBase, src: InputSource, on_bytes) -> tuple[Scanner, int]:
    from .inputs import range_source, split_point

    assert src.path is not None and src.size is not None
    mid, lines_before = split_point(src.path, src.size)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_scan_part, args=(kb.index, range_source(src.path, mid, src.size, src.name),
                                                 lines_before + 1, send), daemon=True)
    child.start()
    send.close()
    try:
        scanner = Scanner(kb.index)
        nbytes = 0
        halve = (lambda n: on_bytes(2 * n)) if on_bytes else None  # the other half goes as fast
        for block in read_blocks(range_source(src.path, 0, mid, src.name), on_bytes=halve):
            nbytes += len(block)
            scanner.feed(block)
        got = receive.recv()
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    if isinstance(got, BaseException):
        raise got
    state, more = got
    scanner.merge(state)
    return scanner, nbytes + more


def rank(found: list[Diagnosis]) -> list[Diagnosis]:
    """Best first: specific before generic, then confidence, then the earliest line (the cause)."""
    merged: dict[str, Diagnosis] = {}
    for d in found:
        if d.id not in merged or d.confidence > merged[d.id].confidence:
            merged[d.id] = d
    return sorted(merged.values(),
                  key=lambda d: (d.entry.generic, -d.confidence, d.line or 0, d.id))


def _diagnosis(kb: KnowledgeBase, scanner: Scanner, s: Scored, conf: float, source: str | None,
               redact: bool) -> Diagnosis:
    entry = kb.index.entries[s.entry_index]
    start, raw_lines = scanner.excerpts.get(s.entry_index, (s.first, []))
    whole = "\n".join(clean_line(x) for x in raw_lines)
    if redact:  # before lines are cut: a secret cut at the display width would no longer look like one
        whole = redact_text(whole)
    lines = [x[:MAX_EXCERPT_LINE] for x in whole.split("\n")]
    excerpt = "\n".join(lines).strip("\n")
    captures = dict(s.captures)
    for d in entry.derive:
        if d.source in captures:
            captures[d.name] = d.value(captures[d.source])
    if redact:
        captures = {k: redact_text(v) for k, v in captures.items()}
    highlight = tuple(sorted({r[0] for r in s.reasons if r[1] in ("literal", "code")}, key=len,
                             reverse=True))
    evidence = tuple(Evidence(sig, kind, tier, line, round(strength, 3))
                     for sig, kind, tier, line, strength in s.reasons)
    return Diagnosis(
        entry=entry, confidence=conf, line=s.first, last_line=s.last, count=s.count, excerpt=excerpt,
        excerpt_start=start, highlight=highlight, captures=captures, evidence=evidence, source=source,
        location=_location(lines),
    )


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
