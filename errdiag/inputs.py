"""Read input as a stream of text blocks: bounded memory whatever the size, never a traceback."""

from __future__ import annotations

import codecs
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .errors import InputError
from .sanitize import path_text

BLOCK_BYTES = 4 * 1024 * 1024  # read size: large enough for C-speed passes, small enough for RSS
MAX_LINE_CHARS = 1024 * 1024  # a longer line is scanned in pieces (a 30 MB line must not blow up)
SNIFF_BYTES = 8192  # how much of the start decides whether the input is binary
BINARY_RATIO = 0.30  # share of control bytes and invalid UTF-8 that means "not text"


@dataclass(frozen=True)
class InputSource:
    """One input: a name for messages and a way to open it as bytes."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None
    path: str | None = None  # a regular file: it can be split and scanned in parallel
    is_file: bool = False  # a named file (or text standing for one): diagnoses cite its name
    owns_stream: bool = True  # reading to the end closes the stream (False for stdin: it belongs to the process)


def text_source(text: str, name: str | None = None) -> InputSource:
    """Text in memory; with a `name`, it stands for that file's content and diagnoses cite the name."""
    data = text.encode("utf-8", errors="surrogatepass")
    return InputSource(name or "<text>", lambda: io.BytesIO(data), len(data), is_file=name is not None)


def file_source(path: str) -> InputSource:
    p = Path(path)
    shown = path_text(str(path))
    if path == "-":
        raise InputError("use '-' as TEXT, not as --file, to read standard input")
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if p.is_dir():
        raise InputError(f"{shown}: is a directory, not a file")
    if not os.access(p, os.R_OK):
        raise InputError(f"{shown}: permission denied")

    def opener() -> BinaryIO:
        try:
            return open(p, "rb")  # noqa: SIM115  # closed by read_blocks
        except OSError as exc:
            raise InputError(f"{shown}: cannot read ({exc.strerror or exc})") from None

    regular = p.is_file()
    return InputSource(path_text(str(path)), opener, st.st_size if regular else None, str(p) if regular else None,
                       is_file=True)


class _Range(io.RawIOBase):
    """Bytes [start, end) of a file, read like a file."""

    def __init__(self, path: str, start: int, end: int):
        self.fh = open(path, "rb")  # noqa: SIM115  # closed by close()
        self.fh.seek(start)
        self.left = end - start

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.fh.read(n)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.fh.close()
        super().close()


def range_source(path: str, start: int, end: int, name: str) -> InputSource:
    """Part of a file as an input of its own (used to scan halves of a big file in parallel)."""
    return InputSource(name, lambda: _Range(path, start, end), end - start, None, is_file=True)


def split_point(path: str, size: int, share: float = 0.5) -> int:
    """A line boundary near `share` of the file (the first part's end)."""
    with open(path, "rb") as fh:
        fh.seek(int(size * share))
        fh.readline()
        return fh.tell()


def count_lines(path: str, end: int, chunk_bytes: int = 8 * 1024 * 1024) -> int:
    """The number of line breaks in the file's first `end` bytes, as read_blocks counts them (LF, CRLF and
    a bare CR)."""
    with open(path, "rb") as fh:
        lines = 0
        left = end
        pending_cr = False
        while left > 0:
            chunk = fh.read(min(left, chunk_bytes))
            if not chunk:
                break
            crs = chunk.count(b"\r")
            lines += chunk.count(b"\n") + (crs - chunk.count(b"\r\n") if crs else 0)
            if pending_cr and chunk.startswith(b"\n"):
                lines -= 1  # a CRLF split between two chunks
            pending_cr = chunk.endswith(b"\r")
            left -= len(chunk)
    return lines


def stream_source(stream: BinaryIO, name: str = "<stdin>") -> InputSource:
    return InputSource(name, lambda: stream, None, owns_stream=False)


def looks_binary(head: bytes) -> bool:
    """True when the start of the input is clearly not text (an image, an archive, an executable)."""
    if not head:
        return False
    if head.startswith(_MAGIC):
        return True
    decoded = head.decode("utf-8", errors="replace")
    invalid = decoded.count("\ufffd") - head.decode("utf-8", errors="ignore").count("\ufffd")
    controls = len(head) - len(head.translate(None, _CONTROLS))  # C speed: a fleet scan sniffs every log
    return (controls + invalid) / len(head) > BINARY_RATIO


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13, 27, 12, 8))


_MAGIC = (b"\x7fELF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"MZ\x90\x00",
          b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"7z\xbc\xaf", b"BZh", b"\xfd7zXZ")


def _lines(text: str) -> str:
    """Every line break as one newline: CRLF and a bare CR (old Mac files, progress redraws in CI logs)
    end a line, as in editors, Python's universal newlines and the log viewers CI systems have."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_blocks(source: InputSource, on_bytes: Callable[[int], None] | None = None,
                block_bytes: int = BLOCK_BYTES) -> Iterator[str]:
    """Yield decoded text blocks that end at a newline (or are pieces of one very long line).

    An input smaller than one block arrives as one block, so a message wrapped over its last line
    break is still seen whole. Invalid UTF-8 is replaced, NUL bytes are dropped, binary input raises
    InputError.
    """
    stream = source.open()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    buf = ""
    first = True
    try:
        while True:
            try:
                raw = stream.read(block_bytes)
            except OSError as exc:
                raise InputError(f"{source.name}: read failed ({exc.strerror or exc})") from None
            if isinstance(raw, str):  # a text stream (tests, notebooks)
                raw = raw.encode("utf-8", errors="replace")
            if first:
                # a leading run of NUL bytes (a log truncated by logrotate's copytruncate while its writer
                # kept its offset) is dropped like every NUL: what follows it decides; all NUL so far: wait
                head = raw.lstrip(b"\x00")
                if head or not raw:
                    first = False
                    if looks_binary(head[:SNIFF_BYTES]):
                        raise InputError(f"{source.name}: looks like binary data, not text; errdiag reads "
                                         "error messages and logs")
            if on_bytes is not None and raw:
                on_bytes(len(raw))
            text = decoder.decode(raw, final=not raw)
            if "\x00" in text:
                text = text.replace("\x00", "")
            buf += text
            if not raw:
                if buf:
                    yield _lines(buf)
                return
            if len(buf) < block_bytes:
                continue
            cut = buf.rfind("\n") + 1
            if cut == 0 or len(buf) - cut >= MAX_LINE_CHARS:
                # no usable newline: a very long line; scan it in pieces of bounded size
                split = buf.rfind(" ", len(buf) - 4096) + 1 or len(buf)
                yield _lines(buf[:split])
                buf = buf[split:]
                continue
            yield _lines(buf[:cut])
            buf = buf[cut:]
    finally:
        if source.owns_stream:
            try:
                stream.close()
            except OSError:
                pass
