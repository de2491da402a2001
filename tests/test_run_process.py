"""`errdiag run` as a process supervisor: a background grandchild holding the output pipe, signals
(SIGTERM forwarded, Ctrl-C ends the command's process group), unterminated last lines, the bounded spool.

No test sleeps to wait for a race: each waits for a readiness line the child prints (it can only reach
us through errdiag's pass-through, so errdiag is past its start-up when we see it), with a deadline.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from errdiag.commands.supervise import Capture

from .conftest import FIXTURE_KB

ERRDIAG = [sys.executable, "-m", "errdiag"]
DEADLINE = 60  # seconds: generous under a loaded machine; a hang fails the test, never blocks the suite

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and signals are POSIX")


def _env(**extra):
    e = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), NO_COLOR="1", COLUMNS="80")
    e.pop("GITHUB_ACTIONS", None)
    e.update(extra)
    return e


def _start(args, **extra) -> subprocess.Popen:
    return subprocess.Popen(ERRDIAG + ["run", "--", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(**extra))


def _read_until(proc: subprocess.Popen, marker: bytes) -> bytes:
    """Read the child's pass-through stdout until a line starting with `marker` (deadline: DEADLINE)."""
    fd, buf, end = proc.stdout.fileno(), b"", time.monotonic() + DEADLINE
    while True:
        for line in buf.splitlines(keepends=True):
            if line.startswith(marker) and line.endswith(b"\n"):
                return line
        left = end - time.monotonic()
        if left <= 0 or proc.poll() is not None and not select.select([fd], [], [], 0)[0]:
            proc.kill()
            raise AssertionError(f"no {marker!r} line; got {buf!r}")
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 65536)
            if not chunk and proc.poll() is not None:
                continue
            buf += chunk


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for a reaper counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _eventually_gone(pid: int) -> bool:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if _gone(pid):
            return True
        time.sleep(0.02)  # polling a state with a deadline, not waiting for a race
    return False


# --- a background grandchild keeps the pipe open ----------------------------------------------------

def test_returns_when_the_command_exits_although_a_daemon_holds_its_output():
    """`cmd & exit`: the daemon inherits stdout; run returns with the command's status, the daemon left running."""
    script = "sleep 300 & echo \"daemon $!\"; echo 'demo disk is full'; exit 3"
    t0 = time.monotonic()
    p = subprocess.run(ERRDIAG + ["run", "--", "sh", "-c", script], stdin=subprocess.DEVNULL,
                       capture_output=True, env=_env(), timeout=DEADLINE)
    took = time.monotonic() - t0
    pid = int(p.stdout.split(b"daemon ", 1)[1].split()[0])
    try:
        assert p.returncode == 3, p.stderr
        assert b"demo.disk_full" in p.stderr  # diagnosed from what was read before errdiag stopped reading
        notice = [ln for ln in p.stderr.decode().splitlines() if "stopped reading" in ln]
        assert len(notice) == 1 and notice[0].startswith("errdiag: "), p.stderr
        assert not _gone(pid)  # the daemon is left alone: a CI step may start a server on purpose
        assert took < DEADLINE - 5
    finally:
        _kill(pid)


def test_no_notice_when_the_output_closes_with_the_command():
    p = subprocess.run(ERRDIAG + ["run", "--", "sh", "-c", "echo 'demo disk is full'; exit 2"],
                       stdin=subprocess.DEVNULL, capture_output=True, env=_env(), timeout=DEADLINE)
    assert p.returncode == 2 and b"stopped reading" not in p.stderr


# --- signals ----------------------------------------------------------------------------------------

CHILD_IGNORES_SIGINT = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
grand = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
print("ready", os.getpid(), grand.pid, flush=True)
time.sleep(300)
"""


def test_ctrl_c_ends_the_whole_group_even_a_child_that_ignores_sigint():
    proc = _start([sys.executable, "-c", CHILD_IGNORES_SIGINT])
    child = grand = None
    try:
        _, child, grand = _read_until(proc, b"ready ").split()
        child, grand = int(child), int(grand)
        proc.send_signal(signal.SIGINT)  # to errdiag alone, as `kill -INT` or a CI runner's cancel does
        _out, err = proc.communicate(timeout=DEADLINE)
        assert proc.returncode == 130, err
        assert err.decode().splitlines()[-1] == "errdiag: interrupted", err
        assert b"Traceback" not in err
        assert _gone(child)  # SIGKILL after the grace period, and reaped
        assert _eventually_gone(grand)  # the grandchild was in the command's process group
    finally:
        proc.kill()
        for pid in (child, grand):
            if pid:
                _kill(pid)


CHILD_REPORTS_SIGTERM = """
import os, signal, sys, time
def bye(signum, frame):
    print("child got", signal.Signals(signum).name, flush=True)
    sys.exit(7)
signal.signal(signal.SIGTERM, bye)
print("ready", os.getpid(), flush=True)
time.sleep(300)
"""


def test_sigterm_is_passed_to_the_command_and_errdiag_returns_its_status():
    proc = _start([sys.executable, "-c", CHILD_REPORTS_SIGTERM])
    child = None
    try:
        child = int(_read_until(proc, b"ready ").split()[1])
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=DEADLINE)
        assert b"child got SIGTERM" in out, (out, err)
        assert proc.returncode == 7, err
        assert b"Traceback" not in err
    finally:
        proc.kill()
        if child:
            _kill(child)


# --- the first annotation starts on its own line ----------------------------------------------------

@pytest.mark.parametrize("stream", ["", ">&2"])
def test_annotation_never_glued_to_an_unterminated_last_line(stream, tmp_path):
    script = f"echo 'demo disk is full'; printf 'no newline here' {stream}; exit 1"
    p = subprocess.run(ERRDIAG + ["run", "--", "sh", "-c", script], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=DEADLINE,
                       env=_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(tmp_path / "s.md")))
    assert p.returncode == 1
    both = p.stdout + p.stderr
    assert "no newline here\n" in both
    assert any(ln.startswith("::error ") for ln in p.stdout.splitlines()), p.stdout


def test_a_successful_command_output_is_passed_through_byte_for_byte():
    p = subprocess.run(ERRDIAG + ["run", "--", "printf", "a\\nno newline"], stdin=subprocess.DEVNULL,
                       capture_output=True, env=_env(), timeout=DEADLINE)
    assert p.returncode == 0 and p.stdout == b"a\nno newline" and p.stderr == b""


# --- the capture spool keeps a bounded head and tail ------------------------------------------------

def _lines(n: int, tag: str) -> list[bytes]:
    return [f"{tag} line {i:06d} of the output\n".encode() for i in range(n)]


def test_capture_small_output_is_kept_whole():
    cap = Capture(head=1000, tail=1000, memory=100)
    for ln in _lines(20, "x"):
        cap.write(ln)
    assert cap.dropped == 0 and cap.read() == b"".join(_lines(20, "x"))


def test_capture_keeps_head_and_tail_and_says_what_it_dropped():
    cap = Capture(head=3000, tail=4000, memory=500)
    lines = _lines(2000, "y")
    for ln in lines:
        cap.write(ln)
    text = cap.read()
    total = sum(map(len, lines))
    assert len(text) < 3000 + 4000 + 200  # bounded by the limits, not by the input
    assert cap.stored <= 3000 + 4000
    assert text.startswith(lines[0]) and text.endswith(lines[-1])
    marker = [ln for ln in text.splitlines() if b"not kept" in ln]
    assert len(marker) == 1 and f"{cap.dropped_lines} lines".encode() in marker[0]
    assert cap.dropped + len(text) - len(marker[0]) - 1 == total
    # what is kept is whole lines, in order, without gaps inside the tail
    kept = [ln + b"\n" for ln in text.splitlines() if b"not kept" not in ln]
    idx = [lines.index(ln) for ln in kept]
    assert idx == sorted(idx) and idx[0] == 0
    tail = [i for i in idx if i > idx[0] + 200]
    assert tail == list(range(tail[0], 2000))
    assert sum(len(lines[i]) for i in tail) >= 4000 // 2  # at least half the tail budget is always kept
    cap.close()
