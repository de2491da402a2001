"""Run a child process for `errdiag run`: pass its output through, keep a bounded copy, handle signals.

- The child gets a process group of its own (unless our stdin is a terminal: then it stays in the
  terminal's foreground group so it can read the terminal, and the terminal sends Ctrl-C to it itself).
- SIGTERM sent to errdiag is passed to that group; errdiag goes on waiting and reports the command's status.
- Ctrl-C: the group gets SIGINT, then SIGKILL after GRACE seconds (a second Ctrl-C: at once); the caller
  sees KeyboardInterrupt once the child is reaped.
- When the child exits, its pipes are read until they close, for at most DRAIN seconds: a background
  process it started (`server &`) may hold them open for ever; errdiag then stops reading, says so, and
  leaves that process alone.
- The copy kept for diagnosis is the first HEAD and the last TAIL bytes (whole lines), in memory up to
  SPOOL_MEMORY per part and in temporary files past that; what lies between is one line saying how much
  was left out. The pass-through itself is never cut.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import BinaryIO, Callable

GRACE = 2.0  # seconds between the SIGINT passed on at Ctrl-C and SIGKILL
DRAIN = 2.0  # seconds to wait for the output pipes to close once the command has exited
HEAD = 16 * 1024 * 1024  # bytes of the start of the output kept for diagnosis
TAIL = 48 * 1024 * 1024  # bytes of the end of the output kept (the failure is usually near the end)
SPOOL_MEMORY = 4 * 1024 * 1024  # per part: kept in memory up to this, in a temporary file past it
LONG_LINE = 1 << 20  # a line without newline longer than this is kept in pieces

_POSIX = os.name == "posix"


class Capture:
    """A bounded copy of the output: whole lines written, head + "[... not kept ...]" + tail read back.

    The tail is two segments of up to tail/2 bytes: when the second is full the first is dropped, so at
    least the last tail/2 bytes (and at most `tail`) are always kept.
    """

    def __init__(self, head: int = HEAD, tail: int = TAIL, memory: int = SPOOL_MEMORY):
        self._memory = memory
        self._head = self._spool()
        self._head_left = head
        self._half = max(1, tail // 2)
        self._segments: list[tuple[BinaryIO, list[int]]] = [(self._spool(), [0, 0])]  # file, [bytes, lines]
        self.dropped = 0  # bytes not kept
        self.dropped_lines = 0
        self.stored = 0  # bytes kept (head and tail)

    def _spool(self) -> BinaryIO:
        return tempfile.SpooledTemporaryFile(max_size=self._memory)  # noqa: SIM115  # closed by close()

    def write(self, data: bytes) -> None:
        if self._head_left and len(self._segments) == 1 and not self._segments[0][1][0]:
            if len(data) <= self._head_left:
                self._head.write(data)
                self._head_left -= len(data)
                self.stored += len(data)
                return
            cut = data.rfind(b"\n", 0, self._head_left) + 1
            self._head.write(data[:cut])
            self.stored += cut
            self._head_left = 0
            data = data[cut:]
        while data:
            fh, count = self._segments[-1]
            room = self._half - count[0]
            if len(data) <= room:
                part, data = data, b""
            else:
                cut = data.rfind(b"\n", 0, room) + 1
                if not cut and not count[0]:
                    cut = room  # one line longer than a whole segment: keep it in pieces
                part, data = data[:cut], data[cut:]
            if part:
                fh.write(part)
                count[0] += len(part)
                count[1] += part.count(b"\n")
                self.stored += len(part)
            if data:
                self._rotate()

    def _rotate(self) -> None:
        if len(self._segments) == 2:
            fh, (size, lines) = self._segments.pop(0)
            fh.close()
            self.dropped += size
            self.dropped_lines += lines
            self.stored -= size
        self._segments.append((self._spool(), [0, 0]))

    def reader(self) -> BinaryIO:
        """Everything kept, as one stream: head, the line saying what was left out, tail."""
        parts: list[BinaryIO] = [self._head]
        if self.dropped:
            mib = self.dropped / (1024 * 1024)
            note = (f"errdiag: [... {self.dropped_lines} lines ({mib:.0f} MiB) of the output are not kept "
                    f"here: only its first and last part are diagnosed ...]\n")
            parts.append(io.BytesIO(note.encode()))
        parts.extend(fh for fh, _ in self._segments)
        for p in parts:
            p.seek(0)
        return _Chain(parts)

    def read(self) -> bytes:
        return self.reader().read()

    def close(self) -> None:
        for fh in [self._head] + [fh for fh, _ in self._segments]:
            fh.close()


class _Chain(io.RawIOBase):
    """Several binary streams read one after the other."""

    def __init__(self, parts: list[BinaryIO]):
        self.parts = parts

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        out = []
        while self.parts and (n is None or n < 0 or n > 0):
            data = self.parts[0].read(-1 if n is None or n < 0 else n)
            if not data:
                self.parts.pop(0)
                continue
            out.append(data)
            if n is not None and n >= 0:
                n -= len(data)
        return b"".join(out)

    def close(self) -> None:  # the parts belong to the Capture
        self.parts = []
        super().close()


class _Output:
    """What the pass-through threads share: one lock, the capture, a stop flag, unterminated streams."""

    def __init__(self, capture: Capture):
        self.capture = capture
        self.lock = threading.Lock()
        self.stopped = False
        self.partial: dict[int, object] = {}  # id(stream) -> stream whose last byte written was not "\n"


class _Tee:
    """Copy a child's pipe to our stream unchanged, and whole lines to the capture."""

    def __init__(self, pipe: BinaryIO, out, shared: _Output):
        self.pipe, self.out, self.shared = pipe, out, shared
        self.thread = threading.Thread(target=self._pump, daemon=True)  # abandoned when stopped
        self.thread.start()

    def _pump(self) -> None:
        partial = b""
        raw = getattr(self.out, "buffer", None)
        fd = self.pipe.fileno()
        shared = self.shared
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            with shared.lock:
                if shared.stopped:
                    return
                if not chunk:
                    break
                self._through(chunk, raw)
                data = partial + chunk
                cut = data.rfind(b"\n") + 1
                if cut:
                    shared.capture.write(data[:cut])
                    partial = data[cut:]
                else:
                    partial = data
                if len(partial) > LONG_LINE:
                    shared.capture.write(partial)
                    partial = b""
        with shared.lock:
            if partial and not shared.stopped:
                shared.capture.write(partial + b"\n")

    def _through(self, chunk: bytes, raw) -> None:
        try:
            if raw is not None:
                raw.write(chunk)
                raw.flush()
            else:
                self.out.write(chunk.decode("utf-8", errors="replace"))
                self.out.flush()
        except (BrokenPipeError, ValueError, OSError):
            return  # our reader went away: keep capturing so the diagnosis still works
        if chunk.endswith(b"\n"):
            self.shared.partial.pop(id(self.out), None)
        else:
            self.shared.partial[id(self.out)] = self.out


class Supervised:
    """One child process, its output passed through and captured; `wait()` gives its return code."""

    def __init__(self, cmd: list[str], env: dict, cwd: str, stdout, stderr, capture: Capture,
                 own_group: bool):
        self.own_group = own_group and _POSIX
        self.shared = _Output(capture)
        self.stdout, self.stderr = stdout, stderr
        self.held_open = False  # the pipes were still open DRAIN seconds after the command exited
        self.proc: subprocess.Popen | None = None
        self._pending_term = False
        self._restore: list[tuple[int, object]] = []
        self._catch(signal.SIGTERM, self._on_term)
        try:
            kw: dict = {}
            if self.own_group:
                if sys.version_info >= (3, 11):
                    kw["process_group"] = 0
                else:  # pragma: no cover - Python 3.10
                    kw["preexec_fn"] = os.setpgrp
            self.proc = subprocess.Popen(cmd, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         env=env, cwd=cwd, **kw)
        except BaseException:
            self._uncatch()
            raise
        self._tees = [_Tee(self.proc.stdout, stdout, self.shared), _Tee(self.proc.stderr, stderr, self.shared)]
        if self._pending_term:
            self._signal(signal.SIGTERM)

    # -- signals ---------------------------------------------------------------------------------------
    def _catch(self, signum: int, handler: Callable) -> None:
        try:
            self._restore.append((signum, signal.signal(signum, handler)))
        except (ValueError, OSError):  # not the main thread (a library caller): leave signals alone
            pass

    def _uncatch(self) -> None:
        while self._restore:
            signum, old = self._restore.pop()
            try:
                signal.signal(signum, old)  # type: ignore[arg-type]
            except (ValueError, OSError, TypeError):
                pass

    def _on_term(self, signum, frame) -> None:  # noqa: ARG002
        if self.proc is None:
            self._pending_term = True
        else:
            self._signal(signal.SIGTERM)

    def _signal(self, signum: int) -> None:
        """Send `signum` to the command's process group (or to the command alone when it has none)."""
        assert self.proc is not None
        try:
            if self.own_group:
                os.killpg(self.proc.pid, signum)
            elif self.proc.poll() is None:
                self.proc.send_signal(signum)
        except (ProcessLookupError, PermissionError, OSError):
            pass  # already gone

    # -- waiting ---------------------------------------------------------------------------------------
    def wait(self) -> int:
        """The command's return code once it has exited and its output is read (or DRAIN has passed)."""
        assert self.proc is not None
        try:
            returncode = self.proc.wait()
        except KeyboardInterrupt:
            self._interrupt()
            raise
        finally:
            self._uncatch()
        deadline = time.monotonic() + DRAIN
        for t in self._tees:
            t.thread.join(max(0.0, deadline - time.monotonic()))
        self.stop()
        self.held_open = any(t.thread.is_alive() for t in self._tees)
        return returncode

    def _interrupt(self) -> None:
        """Ctrl-C: SIGINT to the group, SIGKILL after GRACE (or at a second Ctrl-C), the child reaped."""
        assert self.proc is not None
        proc = self.proc

        def again(signum, frame) -> None:  # noqa: ARG001
            self._kill()

        self._catch(signal.SIGINT, again)
        try:
            if self.own_group:  # in the terminal's group the child got this Ctrl-C from the terminal
                self._signal(signal.SIGINT)
            try:
                proc.wait(timeout=GRACE)
            except subprocess.TimeoutExpired:
                pass
            self._kill()
            proc.wait()
        finally:
            self._uncatch()
            self.stop()

    def _kill(self) -> None:
        assert self.proc is not None
        try:
            if self.own_group:
                os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of the group is left, grandchildren too
            elif self.proc.poll() is None:
                self.proc.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def stop(self) -> None:
        """Stop passing output through and capturing (threads still blocked on a pipe are abandoned)."""
        with self.shared.lock:
            self.shared.stopped = True

    def end_partial_lines(self) -> None:
        """Before errdiag writes: end an unterminated last line of the command's, so nothing is glued to it."""
        for stream in list(self.shared.partial.values()):
            try:
                stream.write("\n")  # type: ignore[attr-defined]
                stream.flush()  # type: ignore[attr-defined]
            except (OSError, ValueError):
                pass
        self.shared.partial.clear()


class LineGuard:
    """A text stream that, before its first write, ends the command's unterminated last lines."""

    def __init__(self, stream, supervised: Supervised):
        self._stream, self._sup = stream, supervised

    def write(self, text: str) -> int:
        if text:
            self._sup.end_partial_lines()
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
