"""`--output FILE` for match and run: the chosen format in the file, the human view still on the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from errdiag.render import RENDERERS

from .conftest import FIXTURE_KB

ERRDIAG = [sys.executable, "-m", "errdiag"]
FAILING = ["sh", "-c", "echo 'demo disk is full' >&2; exit 3"]


def cli(args, cwd, stdin=None):
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), NO_COLOR="1", COLUMNS="80")
    env.pop("GITHUB_ACTIONS", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(ERRDIAG + args, capture_output=True, text=True, env=env, cwd=cwd, input=stdin,
                          timeout=60)


def check_report(fmt: str, text: str) -> None:
    if fmt in ("json", "sarif", "codequality"):
        data = json.loads(text)  # the file parses
        assert "demo.disk_full" in json.dumps(data)
    elif fmt == "junit":
        from xml.etree import ElementTree

        failure = ElementTree.fromstring(text).find("testsuite/testcase/failure")  # the file parses
        assert failure is not None and failure.get("type") == "demo.disk_full"
    else:
        assert "demo" in text and "disk" in text


@pytest.mark.parametrize("fmt", [f for f in RENDERERS if f != "rich"])
def test_match_output_file_in_every_format(tmp_path, fmt):
    p = cli(["match", "--format", fmt, "--output", "report.out"], tmp_path, stdin="demo disk is full\n")
    assert p.returncode == 0, p.stderr
    check_report(fmt, (tmp_path / "report.out").read_text())
    assert "demo.disk_full" in p.stdout and '"version"' not in p.stdout  # the plain view on the terminal


def test_run_output_file_and_the_command_stdout_untouched(tmp_path):
    p = cli(["run", "--format", "json", "--output", "r.json", "--", "sh", "-c",
             "echo data; echo 'demo disk is full' >&2; exit 3"], tmp_path)
    assert p.returncode == 3 and p.stdout == "data\n"
    assert json.loads((tmp_path / "r.json").read_text())["diagnoses"][0]["id"] == "demo.disk_full"
    assert "demo.disk_full" in p.stderr and '"version"' not in p.stderr  # the human view on stderr


def test_run_output_written_on_success_too(tmp_path):
    p = cli(["run", "--format", "sarif", "--output", "r.sarif", "--", "true"], tmp_path)
    assert p.returncode == 0 and p.stderr == ""
    assert json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"] == []


def test_unwritable_output_is_a_one_line_error(tmp_path):
    p = cli(["match", "--format", "json", "--output", "no/such/dir/r.json"], tmp_path, stdin="demo disk is full\n")
    assert p.returncode == 2 and "cannot write" in p.stderr and "Traceback" not in p.stderr
