"""The per-log work of a fleet scan: one pure function, a log in, one `LogRecord` out.

`scan_log` is what every engine runs on its workers, and what Spark or Ray users call in their own jobs:

    from errdiag import load_knowledge
    from errdiag.fleet.scan import scan_log

    kb = load_knowledge()                       # once per worker: ~0.1 s from the cache, then reused
    record = scan_log("/logs/build-1234.log", kb)      # or scan_log(raw_bytes, kb, name="s3://b/k.log")
    record.to_dict()                            # plain data: JSON, a DataFrame row, a Parquet row

    # PySpark:  rdd.mapPartitions(lambda paths: (scan_log(p, get_kb()).to_dict() for p in paths))
    # Ray:      ds.map(lambda row: scan_log(row["bytes"], get_kb(), name=row["path"]).to_dict())

It imports nothing beyond errdiag itself (no DuckDB, Arrow or Dask), reads the log once, and never raises
for a bad log: an unreadable, empty or binary log becomes a record with `error` set, so a rescan skips it
too and the report can count it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO, Callable

from ..engine import diagnose
from ..errors import ErrdiagError
from ..inputs import InputSource
from ..kb import KnowledgeBase
from ..normalize import after_level, clean_line, mask, strip_prefix
from ..redact import redact
from ..sanitize import path_text

RECORD_VERSION = 1
IN_MEMORY_BYTES = 64 * 1024 * 1024  # a smaller log is read once into memory (hashed and scanned from there)
HASH_BLOCK = 4 * 1024 * 1024
MAX_KEY_LINES = 10  # per log, as the library's key_lines
MAX_LINE_CHARS = 500  # a stored key line is cut here (the report shows lines, not whole minified bundles)
CUT_AT = 290  # a key line this long may have been cut by the library (it shows 300 characters)
FAILED_OUTCOMES = ("failure", "failed", "fail", "error", "errored", "broken", "timed_out", "timeout")


@dataclass
class Finding:
    """One diagnosis of a log, as stored: enough to count, date and locate it."""

    id: str
    title: str
    line: int | None
    last_line: int | None
    count: int
    confidence: float
    fatal: bool = True


@dataclass
class KeyLine:
    """A line where the log failed, with its template (volatile tokens masked) for clustering.

    The template is "" for the key lines of a log a knowledge entry explains or of a run its manifest
    says passed: the report never clusters those.
    """

    line: int
    text: str
    template: str
    score: float | None = None
    reason: str | None = None


@dataclass
class LogRecord:
    """Everything a fleet scan keeps about one log."""

    log: str  # the path or URL as scanned
    hash: str  # sha256 of the log's bytes: the incremental-scan key
    size: int
    lines: int = 0
    diagnoses: list[Finding] = field(default_factory=list)
    key_lines: list[KeyLine] = field(default_factory=list)
    key_lines_from: str = "key_lines"  # "key_lines" (the library's) or "error_lines" (this module's fallback)
    mtime: float | None = None
    scanned_at: float = 0.0
    seconds: float = 0.0
    error: str | None = None  # why the log could not be diagnosed (empty, binary, unreadable)
    meta: dict[str, str] = field(default_factory=dict)  # repo, job, run, commit, branch, started_at, outcome
    version: int = RECORD_VERSION

    @property
    def failed(self) -> bool:
        """True when a known error explains a failure in it (a fatal diagnosis)."""
        return any(d.fatal for d in self.diagnoses)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LogRecord:
        d = dict(d)
        d["diagnoses"] = [Finding(**x) for x in d.get("diagnoses") or []]
        d["key_lines"] = [KeyLine(**x) for x in d.get("key_lines") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_log(log: bytes | str | os.PathLike, kb: KnowledgeBase, *, name: str | None = None,
             meta: dict[str, str] | None = None, skip: Callable[[str], bool] | None = None) -> LogRecord | None:
    """Diagnose one log: bytes, a local path, or an fsspec URL (s3://, gs://, ... with its package installed).

    `skip(hash)` is asked once the content hash is known; when it says yes, nothing is scanned and None is
    returned (the incremental scan: the store already holds this log).
    """
    started = time.perf_counter()
    mtime = None
    try:
        if isinstance(log, (bytes, bytearray, memoryview)):
            data: bytes | None = bytes(log)
            name = name or "<bytes>"
            size = len(data)
        else:
            path = os.fspath(log)
            name = path_text(name or path)  # a non-UTF-8 file name must not break the store or JSON
            if "://" in path and not path.startswith("file://"):
                data = _read_url(path)
                size = len(data)
            else:
                path = path.removeprefix("file://")
                st = os.stat(path)
                size, mtime = st.st_size, st.st_mtime
                data = None
                if size <= IN_MEMORY_BYTES:
                    with open(path, "rb") as fh:
                        data = fh.read()
    except OSError as exc:
        return LogRecord(log=name or str(log), hash="", size=0, error=f"cannot read: {exc.strerror or exc}",
                         meta=dict(meta or {}), scanned_at=time.time())
    if data is not None:
        digest = content_hash(data)
        source = InputSource(name, lambda: io.BytesIO(data), size)
    else:  # a big local file: hash it streaming, then scan it streaming (bounded memory)
        digest = _hash_file(path)
        source = InputSource(name, lambda: open(path, "rb"), size)  # noqa: SIM115  # closed by read_blocks
    if skip is not None and skip(digest):
        return None
    record = LogRecord(log=name, hash=digest, size=size, mtime=mtime, meta=dict(meta or {}),
                       scanned_at=time.time())
    try:
        # redact=False: the library would redact every key line's context and every excerpt, ~50 calls per
        # log (measured: more than the scan itself over a fleet); a record keeps neither, and its key lines
        # are redacted below in one pass
        result = diagnose(kb=kb, sources=[source], redact=False)
    except ErrdiagError as exc:
        record.error = str(exc)
        record.seconds = time.perf_counter() - started
        return record
    record.lines = result.lines
    for d in result.diagnoses:
        record.diagnoses.append(Finding(d.id, d.entry.shown_title, d.line, d.last_line, d.count, d.confidence,
                                        bool(getattr(d, "fatal", True))))
    # the report clusters the key lines of failed runs no entry explains: only those need a template (the
    # costliest step per stored line), and only those need the fallback when the library has no key lines
    outcome = (meta or {}).get("outcome", "")
    unexplained = not record.failed and (not outcome or outcome.lower() in FAILED_OUTCOMES)
    found = getattr(result, "key_lines", None)
    if found is not None:
        record.key_lines = _redacted([_key_line(k, unexplained) for k in list(found)[:MAX_KEY_LINES]])
    else:
        record.key_lines_from = "error_lines"
        if unexplained:
            record.key_lines = error_lines(data if data is not None else _open_bytes(source))
    record.seconds = time.perf_counter() - started
    return record


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _key_line(k: Any, with_template: bool) -> KeyLine:
    text = clean_line(str(_field(k, "text") or ""))
    if len(text) >= CUT_AT:  # the library cut it: drop the last, partial token (a secret cut short looks like none)
        text = text[:MAX_LINE_CHARS].rsplit(" ", 1)[0] + " …"
    score = _field(k, "score")
    return KeyLine(line=int(_field(k, "line") or 0), text=text, template=template(text) if with_template else "",
                   score=None if score is None else float(score), reason=_field(k, "reason"))


_WORDY_ID = re.compile(r"\b(?=[\w-]*\d)[A-Za-z0-9]+(?:[-_:][A-Za-z0-9]+)+\b|\b[A-Za-z]+\d[\w]*\b")
_DIGIT = re.compile(r"\d")
_PLACEHOLDER_RUN = re.compile(r"(<(?:n|id|hex|q|path|url|uuid)>)(?:[\s,;:]*\1)+")


def template(line: str) -> str:
    """The line with its volatile tokens masked: two occurrences of one failure give the same template.

    The project's own masking (normalize.mask: UUIDs, URLs, paths, hex, quoted names, numbers), after the
    log prefix and level marker are cut, plus one fleet rule: tokens that mix letters and digits (host
    and node names, build and shard ids such as `R02-M1-N0` or `worker7`) become `<id>`. Repeated
    placeholders collapse to one.
    """
    line = clean_line(line).strip()
    line = strip_prefix(line)
    rest = after_level(line)
    if rest:
        line = rest
    line = mask(line)
    if _DIGIT.search(line):  # after masking, a digit is left only inside a mixed token
        line = _WORDY_ID.sub("<id>", line)
    line = _PLACEHOLDER_RUN.sub(r"\1", line)
    return " ".join(line.split())[:MAX_LINE_CHARS]


_PLACEHOLDER_RX = {
    "<n>": r"\d+(?:\.\d+)*", "<hex>": r"(?:0x)?[0-9A-Fa-f]+", "<uuid>": r"[0-9A-Fa-f-]{36}", "<url>": r"\S+",
    "<path>": r"\S+", "<q>": r"(?:'[^']*'|\"[^\"]*\"|`[^`]*`)", "<id>": r"[\w:-]+",
}
_PLACEHOLDERS = re.compile("|".join(re.escape(k) for k in _PLACEHOLDER_RX))


def template_regex(tpl: str) -> str:
    """A regex (RE2 syntax) for every line of a template: its literal parts, each placeholder a pattern."""
    parts = []
    pos = 0
    for m in _PLACEHOLDERS.finditer(tpl):
        parts.append(re.escape(tpl[pos:m.start()]).replace("\\ ", r"\s+"))
        parts.append(_PLACEHOLDER_RX[m.group(0)])
        pos = m.end()
    parts.append(re.escape(tpl[pos:]).replace("\\ ", r"\s+"))
    return "".join(parts)


_ERRORISH = (b"error", b"fatal", b"exception", b"fail", b"panic", b"traceback", b"denied", b"refused",
             b"cannot", b"abort")
_DIGITS = bytes.maketrans(b"0123456789", b"0000000000")
FALLBACK_LINES = 32  # distinct error-looking lines kept from each end of a log when the library gives no key lines
FALLBACK_HITS = 5000  # keyword hits looked at per log, at most (a log of nothing but errors stays cheap)


def error_lines(data: bytes, limit: int = FALLBACK_LINES) -> list[KeyLine]:
    """The first and the last `limit` error-looking lines of a log, one per template, in order.

    Used when the library gives no key lines: the first errors are often the cause, and a failed run's
    failure sits near its end.
    """
    low = data.lower()
    starts: set[int] = set()
    for word in _ERRORISH:
        pos = low.find(word)
        while pos >= 0 and len(starts) < FALLBACK_HITS:
            starts.add(low.rfind(b"\n", 0, pos) + 1)
            nxt = low.find(b"\n", pos)
            if nxt < 0:
                break
            pos = low.find(word, nxt)
    ordered = sorted(starts)
    head = _distinct(data, ordered, limit, set())
    tail = _distinct(data, ordered[::-1], limit, {k.template for k in head})
    out = sorted(head + tail, key=lambda k: k.line)
    line_no, at = 1, 0
    for k in out:  # line numbers in one pass, in order
        line_no += data.count(b"\n", at, k.line)
        at = k.line
        k.line = line_no
    return _redacted(out)


def _distinct(data: bytes, starts: list[int], limit: int, seen: set[str]) -> list[KeyLine]:
    """Up to `limit` lines of distinct templates, from the line starts in the order given (line = offset)."""
    out: list[KeyLine] = []
    quick: set[bytes] = set()
    for start in starts:
        end = data.find(b"\n", start)
        raw = data[start:end if end >= 0 else len(data)][:4 * MAX_LINE_CHARS]
        key = raw.translate(_DIGITS)  # lines that differ only in their numbers: one template, masked once
        if key in quick:
            continue
        quick.add(key)
        text = clean_line(raw.decode("utf-8", errors="replace"))[:MAX_LINE_CHARS]
        t = template(text)
        if not t or t in seen:
            continue
        seen.add(t)
        out.append(KeyLine(line=start, text=text, template=t, reason="error-looking line"))
        if len(out) >= limit:
            break
    return out


def _redacted(keys: list[KeyLine]) -> list[KeyLine]:
    """Secrets out of the stored texts and templates: errdiag.redact over all of them at once (one pass of
    each rule over the joined lines is several times cheaper than one per line); line by line when a
    redaction changed the number of lines (a secret block spanning lines)."""
    if not keys:
        return keys
    parts = [k.text for k in keys] + [k.template for k in keys]
    joined = redact("\n".join(parts)).split("\n")
    if len(joined) != len(parts):
        joined = [redact(x) for x in parts]
    n = len(keys)
    for i, k in enumerate(keys):
        k.text, k.template = joined[i], joined[n + i]
    return keys


def _hash_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_BLOCK):
            h.update(chunk)
    return h.hexdigest()


def _open_bytes(source: InputSource) -> bytes:
    # only for a big log on a library without key lines: the fallback needs the bytes once more
    with source.open() as fh:
        return fh.read(IN_MEMORY_BYTES)


def _read_url(url: str) -> bytes:
    try:
        import fsspec
    except ImportError:
        raise OSError(f"{url}: reading URLs needs fsspec (pip install 'errdiag[fleet]')") from None
    with fsspec.open(url, "rb") as fh:
        stream: BinaryIO = fh  # type: ignore[assignment]
        return stream.read()


def is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")
