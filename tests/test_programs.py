"""A wrapper's report that names a program and its exit status (errdiag/programs.py, errdiag/data/exit_meanings.yaml):
the status is read as that program's manual defines it, only when the report names the program, and never from a
step of several commands for a status (1, 2) that any of them may have exited with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from errdiag import diagnose, programs
from errdiag.kb import load_knowledge
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def _top(text: str) -> dict:
    return result_dict(diagnose(text, KB))["diagnoses"][0]


@pytest.mark.parametrize(("line", "code", "command", "program"), [
    ("Error: rsync exited with code 23", "23", None, "rsync"),
    ("[Error: wget.exe exited with code 8]", "8", None, "wget"),
    ("##[error]The process '/usr/bin/git' failed with exit code 128", "128", None, "git"),
    ("subprocess.CalledProcessError: Command '['gh', 'pr', 'view']' returned non-zero exit status 4.", "4",
     "['gh', 'pr', 'view']", "gh"),
    ('ERROR: failed to solve: process "/bin/sh -c apt-get update && apt-get install -y libfoo" did not complete '
     "successfully: exit code: 100", "100", "/bin/sh -c apt-get update && apt-get install -y libfoo", "apt-get"),
    ("The command '/bin/sh -c cd /opt && curl -fsSL https://example.org/x.tgz -o x.tgz' returned a non-zero code: 22",
     "22", "/bin/sh -c cd /opt && curl -fsSL https://example.org/x.tgz -o x.tgz", "curl"),
    ("Error: Process completed with exit code 1.", "1", "sudo DEBIAN_FRONTEND=noninteractive grep -q ready state.txt",
     "grep"),
])
def test_the_program_the_report_names_and_its_status_are_read(line, code, command, program):
    got = programs.meaning(line, code, command)
    assert got is not None and got.program == program and got.code == code


@pytest.mark.parametrize(("line", "code", "command"), [
    ("Error: Process completed with exit code 1.", "1", None),  # no program named
    ("Error: rsync exited with code 99", "99", None),  # a status its manual does not list
    ("Error: node exited with code 1", "1", "npm ci && rsync -a dist/ host:/srv"),  # the line names node: node's 1
    ("The command '/bin/sh -c make && grep -q ok log' returned a non-zero code: 1", "1",
     "/bin/sh -c make && grep -q ok log"),  # make or grep: a status every program uses, two commands ran
    ("x", "2", "/bin/sh -c curl -sL https://example.org/a | gunzip"),  # neither knows 2 ... (curl's 2 is not listed)
    ("x", "", "rsync -a a b"),
])
def test_nothing_is_said_when_the_report_does_not_name_whose_status_it_is(line, code, command):
    assert programs.meaning(line, code, command) is None


def test_every_row_of_the_table_has_a_meaning_a_fix_and_its_manual():
    data = yaml.safe_load(programs.MEANINGS_FILE.read_text(encoding="utf-8"))
    for prog, row in data.items():
        assert row["source"].startswith("https://"), prog
        for code, r in row["codes"].items():
            assert str(code).isdigit() and r["meaning"] and r["fix"], (prog, code)
            assert r.get("source", "https://").startswith("https://"), (prog, code)


def test_a_ci_step_naming_rsync_and_255_is_answered_with_what_255_means():
    top = _top("Run deploy\nError: The process '/usr/bin/rsync' failed with exit code 255\n")
    assert top["id"] == "ci.process_exit_code" and not top.get("generic")
    assert top["title"].startswith("rsync exited with 255") and "ssh" in top["title"]
    assert top["captures"]["program"] == "rsync" and top["confidence"] < 0.5


def test_a_run_step_of_apt_get_that_returned_100_says_a_package_could_not_be_installed():
    text = ("Step 4/9 : RUN apt-get update && apt-get install -y libgdal-dev\n"
            "The command '/bin/sh -c apt-get update && apt-get install -y libgdal-dev' returned a non-zero code: 100\n")
    top = _top(text)
    assert top["id"] == "docker.run_step_failed" and "package" in top["title"]
    assert "apt-cache policy" in (top["quick_fixes"][0].get("command") or "")


def test_a_status_that_is_no_failure_says_so():
    top = _top("Error: Process completed with exit code 1.\n"
               "##[error]The process 'C:\\Windows\\system32\\robocopy.exe' failed with exit code 1\n")
    assert top["title"].startswith("robocopy exited with 1, which is no failure")


def test_a_wrapper_whose_program_is_not_named_stays_generic():
    top = _top("make: *** [all] Error 2\n")
    assert top.get("generic") and "program" not in top["captures"]
