"""Smaller hostile inputs (issue 14, item 8): leading NUL runs, ASCII-only output streams, file names
that are not UTF-8. Output may degrade; it never becomes a traceback or invalid JSON."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from errdiag.cli import main
from errdiag.environment import _never_fail_encoding
from errdiag.render import RENDERERS, get_renderer

from .conftest import FIXTURE_KB, make_env

ERRDIAG = [sys.executable, "-m", "errdiag"]
NON_ASCII = "x \u2014 caf\u00e9 \u2713 \U0001f4a5 demo disk is full\n"


# --- NUL bytes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("nuls", [200_000, 9 * 1024 * 1024])  # less than a read block, and more than two
def test_a_leading_run_of_nul_bytes_is_dropped_not_called_binary(nuls, tmp_path, demo_cli):
    """logrotate copytruncate: the writer keeps its offset, the file starts with a hole of NULs."""
    log = tmp_path / "app.log"
    log.write_bytes(b"\x00" * nuls + b"demo disk is full\n")
    r = demo_cli(["match", "--format", "json", "-f", str(log)])
    assert r.code == 0, r.stderr
    assert json.loads(r.stdout)["diagnoses"][0]["id"] == "demo.disk_full"


def test_only_nul_bytes_is_nothing_to_diagnose_and_binary_is_still_binary(tmp_path, demo_cli):
    (tmp_path / "z.log").write_bytes(b"\x00" * 100_000)
    r = demo_cli(["match", "-f", str(tmp_path / "z.log")])
    assert r.code == 2 and "nothing to diagnose" in r.stderr
    (tmp_path / "b.bin").write_bytes(b"\x00" * 1000 + bytes(range(1, 32)) * 300)
    r = demo_cli(["match", "-f", str(tmp_path / "b.bin")])
    assert r.code == 2 and "binary" in r.stderr


# --- an output stream that cannot hold every character ----------------------------------------------

def _ascii_env(tmp_path):
    env = make_env(tmp_path, env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)})
    env.stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    env.stderr = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    for s in (env.stdout, env.stderr):
        _never_fail_encoding(s)  # what Environment.from_process does to sys.stdout and sys.stderr
    return env


def _text(stream) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("ascii")


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_format_degrades_on_an_ascii_stdout(fmt, tmp_path):
    env = _ascii_env(tmp_path)
    args = ["match", "--format", fmt, NON_ASCII]
    if get_renderer(fmt).step_summary:
        env.env = dict(env.env, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert main(args, env) == 0
    out = _text(env.stdout)
    assert "demo.disk_full" in out or "Demo" in out
    if fmt in ("json", "sarif", "codequality"):
        data = json.loads(out)  # \uXXXX escapes: nothing lost
        if fmt != "codequality":  # which shows no excerpt
            assert "\u2014" in json.dumps(data, ensure_ascii=False)
    if fmt == "junit":
        from xml.etree import ElementTree

        assert "\u2014" in ElementTree.fromstring(out).find("testsuite/testcase/failure").text  # &#8212;


@pytest.mark.parametrize("args", [["list"], ["explain", "demo.disk_full"], ["list", "--format", "json"]])
def test_other_commands_on_an_ascii_stdout(args, tmp_path):
    env = _ascii_env(tmp_path)
    assert main(args, env) == 0
    assert _text(env.stdout)


def test_the_real_process_with_lc_all_c_and_ascii_io_encoding():
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), PYTHONIOENCODING="ascii", LC_ALL="C")
    for fmt in ("plain", "json"):
        p = subprocess.run(ERRDIAG + ["match", "--format", fmt], input=NON_ASCII.encode(), capture_output=True,
                           env=env, timeout=60)
        assert p.returncode == 0 and b"Traceback" not in p.stderr, p.stderr
        p.stdout.decode("ascii")
        if fmt == "json":
            assert json.loads(p.stdout)["diagnoses"][0]["id"] == "demo.disk_full"


# --- file names that are not UTF-8 ------------------------------------------------------------------

@pytest.fixture
def odd_name(tmp_path):
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    path = os.path.join(os.fsencode(tmp_path), b"build-\xff\xfe.log")
    with open(path, "wb") as fh:
        fh.write(b"demo disk is full\n")
    return os.fsdecode(path)  # what the shell hands Python in argv: lone surrogates


def test_match_file_with_a_non_utf8_name_gives_valid_json_and_step_summary(odd_name, tmp_path, demo_cli):
    r = demo_cli(["match", "--format", "json", "-f", odd_name])
    assert r.code == 0
    r.stdout.encode("utf-8")  # no lone surrogate left: a UTF-8 stream and every JSON parser take it
    data = json.loads(r.stdout)
    assert data["diagnoses"][0]["source"].endswith("build-\\xff\\xfe.log")
    summary = tmp_path / "summary.md"
    r = demo_cli(["match", "--format", "github", "-f", odd_name], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.code == 0 and r.stdout.startswith("::error ")
    r.stdout.encode("utf-8")
    assert "demo.disk_full" in summary.read_text(encoding="utf-8")
    r = demo_cli(["match", "-f", odd_name + "-missing"])
    assert r.code == 2 and "\\xff\\xfe" in r.stderr
    r.stderr.encode("utf-8")
