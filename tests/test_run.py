"""`errdiag run -- CMD`: pass-through, exit codes (including signals), fail-on policies, CI output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from errdiag.commands.run import exit_code_for, exit_status

from .conftest import FIXTURE_KB

ERRDIAG = [sys.executable, "-m", "errdiag"]


def run(args, env=None, **kw):
    e = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), NO_COLOR="1", COLUMNS="80")
    e.pop("GITHUB_ACTIONS", None)
    e.update(env or {})
    return subprocess.run(ERRDIAG + args, capture_output=True, text=True, env=e, timeout=60, **kw)


def test_success_passes_output_through_and_exits_0():
    p = run(["run", "--", sys.executable, "-c", "print('hello'); import sys; print('warn', file=sys.stderr)"])
    assert p.returncode == 0 and p.stdout == "hello\n" and p.stderr == "warn\n"


def test_failure_keeps_exit_code_and_diagnoses_on_stderr():
    p = run(["run", "--", "sh", "-c", "echo out; echo 'demo disk is full' >&2; exit 7"])
    assert p.returncode == 7
    assert p.stdout == "out\n"  # the command's stdout is untouched
    assert "demo disk is full" in p.stderr and "demo.disk_full" in p.stderr and "exited with status 7" in p.stderr


def test_signal_killed_command_exits_128_plus_n():
    p = run(["run", "--", "sh", "-c", "kill -TERM $$"])
    assert p.returncode == 128 + 15


def test_missing_command_exits_127_and_is_diagnosed_by_the_bundled_entry():
    env = dict(os.environ, NO_COLOR="1", COLUMNS="80")
    env.pop("ERRDIAG_BUNDLED_DIR", None)
    env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run(ERRDIAG + ["run", "--format", "json", "--", "definitely-not-a-command-xyz", "a b"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 127 and "Traceback" not in p.stderr
    assert "errdiag: definitely-not-a-command-xyz: command not found" in p.stderr
    assert "`definitely-not-a-command-xyz 'a b'` exited with status 127" in p.stderr  # quoted as a shell would
    report = json.loads(p.stderr[p.stderr.index("{"):])
    top = report["diagnoses"][0]
    assert top["id"] == "shell.command_not_found" and top["captures"]["cmd"] == "definitely-not-a-command-xyz"


def test_unexecutable_file_exits_126(tmp_path):
    script = tmp_path / "script.sh"
    script.write_text("echo hi\n")
    script.chmod(0o644)
    p = run(["run", "--", str(script)])
    assert p.returncode == 126 and "Permission denied" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize(
    ("policy", "status", "recognised", "expected"),
    [
        ("command", 3, True, 3), ("command", 0, False, 0),
        ("never", 3, False, 0),
        ("any", 0, True, 1), ("any", 0, False, 0), ("any", 2, True, 2),
        ("unknown", 2, True, 0), ("unknown", 2, False, 2), ("unknown", 0, False, 0),
    ],
)
def test_fail_on_policies(policy, status, recognised, expected):
    assert exit_code_for(policy, status, recognised) == expected


def test_exit_status_for_signals():
    assert exit_status(-9) == 137 and exit_status(0) == 0 and exit_status(5) == 5


def test_fail_on_any_catches_known_error_in_successful_command():
    p = run(["run", "--fail-on", "any", "--", "sh", "-c", "echo 'demo disk is full'; exit 0"])
    assert p.returncode == 1 and "demo.disk_full" in p.stderr


def test_github_format_writes_annotations_and_summary(tmp_path):
    summary = tmp_path / "summary.md"
    p = run(["run", "--", "sh", "-c", "echo 'demo disk is full'; exit 1"],
            env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert p.returncode == 1
    assert "::error title=Demo%3A the disk is full" in p.stdout
    assert "demo.disk_full" in summary.read_text()


def test_json_report_goes_to_stderr_not_into_command_stdout():
    p = run(["run", "--format", "json", "--", "sh", "-c", "echo data; echo 'demo disk is full' >&2; exit 1"])
    assert p.stdout == "data\n" and '"version": 1' in p.stderr


def test_signal_death_is_explained_with_the_bundled_kb():
    env = dict(os.environ, NO_COLOR="1")
    env.pop("ERRDIAG_BUNDLED_DIR", None)
    p = subprocess.run(ERRDIAG + ["run", "--format", "json", "--", "sh", "-c", "echo working; kill -9 $$"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 137
    assert '"id": "ci.killed_exit_code_137"' in p.stderr


def test_progress_bar_only_on_a_terminal_for_large_input(tmp_path):
    from errdiag.commands.match import PROGRESS_MIN_BYTES, _progress
    from errdiag.inputs import text_source

    from .conftest import make_env

    env = make_env(tmp_path)
    env.stderr_isatty = True
    with _progress(env, [text_source("x")]) as cb:
        cb(100)  # small: nothing drawn
        assert env.stderr.getvalue() == ""
        cb(PROGRESS_MIN_BYTES)
    env2 = make_env(tmp_path)  # stderr not a terminal: no callback at all
    with _progress(env2, [text_source("x")]) as cb:
        assert cb is None


def test_fail_on_unknown_is_not_satisfied_by_a_generic_diagnosis():
    """A failure errdiag knows only as "some command failed" is unknown: the step stays red."""
    out = "compiling\nsomething nobody has seen before\ndemo job failed with exit code 2\n"
    p = run(["run", "--fail-on", "unknown", "--format", "json", "--", "sh", "-c", f"printf '{out}'; exit 2"])
    assert '"id": "demo.generic_failure"' in p.stderr  # diagnosed, but generic
    assert p.returncode == 2
    p = run(["run", "--fail-on", "unknown", "--", "sh", "-c", "echo 'demo disk is full'; exit 2"])
    assert p.returncode == 0  # a specific diagnosis still counts
