"""One pass over an input: every registered tier is fed the same blocks, once (two halves in parallel
for a big file)."""

from __future__ import annotations

import os
from pathlib import Path

from ..inputs import InputSource, read_blocks
from ..normalize import UNESCAPE_MAX_CHARS, deframe_block, normalize_block, unescaped_reading
from .tier import Tier

PARALLEL_MIN_BYTES = 48 * 1024 * 1024  # a big file is scanned as two halves on two cores (fork)
# The child process counts the lines of the first part before it scans its own (its line numbers continue
# them), so that nothing but the fork runs before both scans start. Where to split was measured on the quiet
# machine (bench log, wall time to the end of the scan, 3-4 runs each): a first share of 0.44-0.48 leaves the
# child last (1.59-1.74 s), 0.52-0.54 the parent (1.56-1.66 s), 0.50 is best (1.52-1.55 s).
FIRST_SHARE = 0.50


class Scan:
    """Feeds blocks of whole lines to every tier with their start line; counts lines and content."""

    def __init__(self, index, tier_types, first_line: int = 1, cache_dir: Path | None = None):
        self.tiers: list[Tier] = [make(index) for make in tier_types]
        for tier in self.tiers:
            tier.cache_dir = cache_dir
        self.line_no = first_line  # the line the next block starts on
        self.lines_seen = 0
        self.nonblank = False
        # lines appended to a pasted input (normalize.unescaped_reading) -> the line of the input that carried them
        self.origin: dict[int, int] = {}

    def feed(self, block: str) -> None:
        if not block:
            return
        if not self.nonblank and not block.isspace():
            self.nonblank = True
        block = deframe_block(block)  # a quote's or a container runtime's framing of every line, taken off once
        start_line = self.line_no
        self.line_no += block.count("\n")
        self.lines_seen = self.line_no - 1 if block.endswith("\n") else self.line_no
        if start_line == 1 and len(block) <= UNESCAPE_MAX_CHARS and "\\" in block:
            block = self._with_unescaped(block)
        text = normalize_block(block)
        lines = block.split("\n")  # once for every tier (the exact and key-line tiers both need them)
        data = text.encode("utf-8")  # (and these: ~5% of a big log's scan when each made its own)
        for tier in self.tiers:
            tier.feed(block, text, start_line, lines, data)

    def _with_unescaped(self, block: str) -> str:
        """A pasted input (one block: read_blocks) with the unescaped reading of its JSON/logfmt-escaped lines
        appended after its last line; `origin` maps each appended line back to the line that carried it."""
        extra = unescaped_reading(block)
        if not extra:
            return block
        if not block.endswith("\n"):
            block += "\n"
        first = block.count("\n") + 1
        for k, (line, _) in enumerate(extra):
            self.origin[first + k] = line
        self.line_no = first + len(extra)
        return block + "\n".join(x for _, x in extra) + "\n"

    def origin_of(self, line: int | None) -> int | None:
        """The input's own line for a line number a tier reported (an appended unescaped line: its carrier)."""
        return self.origin.get(line, line) if line is not None and self.origin else line

    def state(self) -> dict:
        """What a scan found, as plain data (sent back from a child process scanning another part)."""
        return {"tiers": [t.state() for t in self.tiers], "line_no": self.line_no,
                "lines_seen": self.lines_seen, "nonblank": self.nonblank}

    def merge(self, later: dict) -> None:
        """Add the findings of a scan of the input's *next* part (its line numbers continue ours)."""
        for tier, state in zip(self.tiers, later["tiers"], strict=True):
            tier.merge(state)
        self.line_no = later["line_no"]
        self.lines_seen = later["lines_seen"]
        self.nonblank = self.nonblank or later["nonblank"]


def scan_source(index, src: InputSource, tier_types, on_bytes=None, cache_dir: Path | None = None) -> tuple[Scan, int]:
    """Scan one input with fresh tiers; returns the scan and the number of bytes read. `cache_dir`: the
    knowledge cache's folder (tiers may keep what they compile for this knowledge base there)."""
    if src.path and (src.size or 0) >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) >= 2:
        import multiprocessing  # only for a big file: a paste never pays for it (nor for pickle)

        if "fork" not in multiprocessing.get_all_start_methods():
            return _scan_one(index, src, tier_types, on_bytes, cache_dir)
        try:
            return _scan_halves(index, src, tier_types, on_bytes, cache_dir)
        except (OSError, EOFError, multiprocessing.ProcessError, RuntimeError):
            pass  # fall back to one pass
    return _scan_one(index, src, tier_types, on_bytes, cache_dir)


def _scan_one(index, src: InputSource, tier_types, on_bytes=None, cache_dir: Path | None = None) -> tuple[Scan, int]:
    scan = Scan(index, tier_types, cache_dir=cache_dir)
    nbytes = 0
    for block in read_blocks(src, on_bytes=on_bytes):
        nbytes += len(block)
        scan.feed(block)
    return scan, nbytes


def _scan_part(index, tier_types, source: InputSource, first_line: int | tuple[str, int], conn,
               cache_dir: Path | None) -> None:
    """Child process: scan one part and send the findings back. `first_line`: the number of the part's first
    line, or (path, offset) to count it here (the line breaks before the offset, plus one)."""
    try:
        if isinstance(first_line, tuple):
            from ..inputs import count_lines

            first_line = count_lines(*first_line) + 1
        scan = Scan(index, tier_types, first_line, cache_dir)
        n = 0
        for block in read_blocks(source):
            n += len(block)
            scan.feed(block)
        conn.send((scan.state(), n))
    except BaseException as exc:  # noqa: BLE001  # reported to the parent, which raises it there
        conn.send(exc)
    finally:
        conn.close()


def _scan_halves(index, src: InputSource, tier_types, on_bytes, cache_dir: Path | None) -> tuple[Scan, int]:
    from ..inputs import range_source, split_point

    assert src.path is not None and src.size is not None
    import multiprocessing

    mid = split_point(src.path, src.size, FIRST_SHARE)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_scan_part, args=(index, tier_types, range_source(src.path, mid, src.size, src.name),
                                                 (src.path, mid), send, cache_dir), daemon=True)
    child.start()
    send.close()
    try:
        scan = Scan(index, tier_types, cache_dir=cache_dir)
        nbytes = 0
        halve = (lambda n: on_bytes(2 * n)) if on_bytes else None  # the other half goes as fast
        for block in read_blocks(range_source(src.path, 0, mid, src.name), on_bytes=halve):
            nbytes += len(block)
            scan.feed(block)
        got = receive.recv()
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    if isinstance(got, BaseException):
        raise got
    state, more = got
    scan.merge(state)
    return scan, nbytes + more
