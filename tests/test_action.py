"""The composite GitHub Action (action.yml), executed step by step as a runner would (tests/ci_runner.py):
its install step really installs errdiag from the checkout into a new environment, its run step really runs
the command through `errdiag run`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from .ci_runner import ROOT, Job, image_python, offline_pip_env
from .conftest import FIXTURE_KB

pytestmark = pytest.mark.slow

MAKEFILE = "test:\n\t@echo 'demo device sda1 has no space left' >&2\n\t@exit 1\n"
ANNOTATION = ("::error title=Demo%3A the disk is full [demo.disk_full]::The demo device ran out of space."
              "%0Alog line 1%0AFix: Free space on the device — `demo-clean --device sda1`%0AFix: Rotate logs"
              "%0ADetails: errdiag explain demo.disk_full")


def make_workspace(root: Path) -> Path:
    ws = root / "ws"
    ws.mkdir(parents=True)
    (ws / ".git").mkdir()
    (ws / "Makefile").write_text(MAKEFILE)
    (ws / "tools").mkdir()
    (ws / "tools" / "errdiag").symlink_to(ROOT)
    return ws


def job_env(tmp: Path, runner_temp: Path) -> dict[str, str]:
    bin_dir = image_python(runner_temp / "setup-python")
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(tmp),
            "ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB), "ERRDIAG_CONFIG_DIR": str(tmp / "config"),
            "ERRDIAG_CACHE_DIR": "off", **offline_pip_env()}


def run_action(tmp_path: Path, runner_temp: Path, **inputs) -> tuple[Job, int, dict]:
    ws = make_workspace(tmp_path)
    job = Job(ws, runner_temp, job_env(tmp_path, runner_temp))
    job.summary.write_text("")
    code, outputs = job.composite(ws / "tools" / "errdiag", inputs)
    return job, code, outputs


def test_action_metadata_is_complete():
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    assert spec["runs"]["using"] == "composite"
    assert set(spec["inputs"]) >= {"command", "format", "output", "knowledge", "fail-on"}
    assert all(meta.get("description") for meta in spec["inputs"].values())
    for step in spec["runs"]["steps"]:
        assert step["shell"] == "bash"
        # inputs reach scripts through env:, never pasted into the script (no script injection)
        assert "inputs." not in step["run"]


def test_failing_command_annotations_summary_and_status(tmp_path, runner_temp):
    job, code, outputs = run_action(tmp_path, runner_temp, command="make test")
    assert code == 2 and outputs == {"exit-code": "2"}, job.stderr
    assert "errdiag 0." in job.stdout  # the install step printed the installed version
    assert [x for x in job.stdout.splitlines() if x.startswith("::")] == [ANNOTATION]
    assert "demo device sda1 has no space left" in job.stderr  # the command's own output passes through
    summary = job.summary.read_text()
    assert summary.startswith("# errdiag diagnosis") and "demo.disk_full" in summary
    installed = runner_temp / "errdiag-venv"
    assert (installed / "bin" / "errdiag").exists()


def test_fail_on_and_knowledge_inputs(tmp_path, runner_temp):
    pack = tmp_path / "pack" / "team"
    pack.mkdir(parents=True)
    (pack / "flaky.yaml").write_text("id: team.flaky\ntitle: Team flaky service\ntool: Team\ncategory: runtime\n"
                                     "summary: The team service flaked.\nsignatures:\n"
                                     "  - literal: 'team service flaked'\n")
    job, code, outputs = run_action(tmp_path, runner_temp, command="echo 'team service flaked' >&2; exit 3",
                              knowledge=f"{tmp_path / 'pack'}\n", **{"fail-on": "unknown"})
    assert code == 0 and outputs == {"exit-code": "0"}, job.stderr  # recognised by the extra knowledge: passes
    assert "::error title=Team flaky service [team.flaky]::" in job.stdout
