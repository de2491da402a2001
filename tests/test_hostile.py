"""Hostile input: every case gets the right exit code and one line of explanation, in bounded time/memory."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errdiag.engine import diagnose
from errdiag.errors import InputError
from errdiag.normalize import clean_line, mask, normalize_block, normalize_line
from errdiag.render.json_ import dumps, result_dict
from errdiag.render.markdown import result_markdown

from .conftest import FIXTURE_KB

ERRDIAG = [sys.executable, "-m", "errdiag"]
RSS_LIMIT_MB = 400  # generous bound for the whole process (the benchmark measures the real figure)


def run(args, stdin_bytes=None, stdin=None, timeout=120):
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), NO_COLOR="1")

    def limit():  # the process may not exhaust memory: cap its address space
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(ERRDIAG + args, input=stdin_bytes, stdin=stdin, capture_output=True, env=env,
                          timeout=timeout, preexec_fn=limit)


def one_line_error(p) -> str:
    err = p.stderr.decode()
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("errdiag: error:"), err
    return err


def test_binary_file(tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"\x7fELF" + os.urandom(20000))
    p = run(["match", "-f", str(f)])
    assert p.returncode == 2 and "binary" in one_line_error(p)


def test_random_bytes_on_stdin():
    p = run(["match"], stdin_bytes=os.urandom(50000))
    assert p.returncode == 2 and "binary" in one_line_error(p)


def test_invalid_utf8_is_read_as_text():
    p = run(["match", "--format", "json"], stdin_bytes=b"caf\xe9 \xff\n\xfe demo disk is full\n")
    assert p.returncode == 0 and b"demo.disk_full" in p.stdout


def test_nul_bytes_are_ignored():
    p = run(["match", "--format", "json"], stdin_bytes=b"log\x00 line\ndemo\x00 disk is full\n")
    assert p.returncode == 0 and b"demo.disk_full" in p.stdout


def test_ansi_and_crlf_are_stripped_then_matched():
    p = run(["match", "--format", "json"], stdin_bytes=b"\x1b[1;31mdemo disk\x1b[0m is full\r\nnext\r\n")
    assert p.returncode == 0 and b'"line": 1' in p.stdout and b"\\u001b" not in p.stdout


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n   \n"])
def test_empty_and_whitespace_input(data):
    p = run(["match"], stdin_bytes=data)
    assert p.returncode == 2 and "nothing to diagnose" in one_line_error(p)


def test_directory_and_unreadable_paths(tmp_path):
    p = run(["match", "-f", str(tmp_path)])
    assert p.returncode == 2 and "directory" in one_line_error(p)
    secret = tmp_path / "secret.log"
    secret.write_text("x")
    secret.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        p = run(["match", "-f", str(secret)])
        assert p.returncode == 2 and "permission" in one_line_error(p)


def test_single_30mb_line_with_error_at_end():
    data = b"x" * (30 * 1024 * 1024 - 40) + b" demo disk is full\n"
    start = time.monotonic()
    p = run(["match", "--format", "json"], stdin_bytes=data)
    assert p.returncode == 0 and b"demo.disk_full" in p.stdout
    assert time.monotonic() - start < 60


def test_twenty_million_empty_lines():
    data = b"\n" * 20_000_000 + b"demo disk is full\n"
    p = run(["match", "--format", "json"], stdin_bytes=data)
    assert p.returncode == 0 and b'"line": 20000001' in p.stdout


def test_five_million_bare_carriage_returns():
    p = run(["match"], stdin_bytes=b"\r" * 5_000_000)
    assert p.returncode == 2 and "nothing to diagnose" in one_line_error(p)
    p = run(["match", "--format", "json"], stdin_bytes=b"\r" * 5_000_000 + b"demo disk is full\n")
    assert p.returncode == 0


def test_stdout_closed_early(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("demo disk is full\n" * 10 + "x\n" * 5000)
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), NO_COLOR="1")
    for fmt in ("plain", "json", "markdown"):
        cmd = " ".join(ERRDIAG) + f" match --all --format {fmt} -f {log} | head -1; exit ${{PIPESTATUS[0]}}"
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, env=env, timeout=60)
        assert p.returncode == 0, (fmt, p.stderr)  # the status still says a diagnosis was found
        assert b"Traceback" not in p.stderr and b"Exception" not in p.stderr


def _unread_bytes(fd: int) -> int:
    """Bytes written into a pipe and not yet read by the other end (FIONREAD works on either end on Linux)."""
    import array
    import fcntl
    import termios

    buf = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return buf[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIONREAD on a pipe's write end is Linux")
def test_ctrl_c_exits_130_with_one_line_and_no_traceback():
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB))
    proc = subprocess.Popen(ERRDIAG + ["match"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        proc.stdin.write(b"partial line\n")
        proc.stdin.flush()
        # ready: errdiag has read what we wrote, so it runs Python code and now blocks reading more
        end = time.monotonic() + 60
        while _unread_bytes(proc.stdin.fileno()) and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.01)
        assert proc.poll() is None and not _unread_bytes(proc.stdin.fileno())
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert err == b"errdiag: interrupted\n"
    finally:
        proc.kill()


def test_memory_stays_bounded_on_a_large_log(tmp_path):
    """~60 MB of log lines: the process's peak RSS stays far below the input size times a few."""
    line = b"2024-01-01 12:00:00 INFO worker-7 processed request id=12345 in 3ms\n"
    big = tmp_path / "big.log"
    with open(big, "wb") as fh:
        for _ in range(60):
            fh.write(line * (1024 * 1024 // len(line)))
        fh.write(b"demo disk is full\n")
    code = ("import resource,subprocess,sys;"
            f"p=subprocess.run({ERRDIAG!r}+['match','--format','json','-f',{str(big)!r}],capture_output=True);"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    rc, rss_kb = map(int, out.stdout.split())
    assert rc == 0 and rss_kb / 1024 < RSS_LIMIT_MB


# --- property-based: arbitrary text never crashes normalize, match or render ---------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@given(TEXT)
def test_normalize_never_fails(text):
    block = normalize_block(text)
    assert block.count("\n") == text.replace("\r\n", "\n").count("\n")
    for line in text.split("\n"):
        assert "\x1b" not in clean_line(line)  # no escape survives, sequence or stray
        normalize_line(line)
        mask(line)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(TEXT)
def test_diagnose_and_render_never_fail(demo_kb, text):
    try:
        result = diagnose(text, demo_kb)
    except InputError as exc:
        assert "nothing to diagnose" in str(exc) or "binary" in str(exc)
        return
    dumps(result_dict(result))
    result_markdown(result)
    for d in result.diagnoses:
        assert 0 <= d.confidence <= 1 and d.line >= 1


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from(["demo disk is full", "noise", "", "\x1b[31m", "\r", "demo job failed with exit code 9",
                                 "other-vendor.example", "demo quota exhausted"]), max_size=30))
def test_line_numbers_point_at_the_evidence(demo_kb, parts):
    text = "\n".join(parts)
    try:
        result = diagnose(text, demo_kb)
    except InputError:
        return
    lines = text.split("\n")
    for d in result.diagnoses:
        assert 1 <= d.line <= len(lines)
