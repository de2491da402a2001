"""A small stand-in for CI runners, enough to execute errdiag's action and docs/ci.md snippets as printed.

GitHub: `${{ }}` expressions (dotted names, `||`) are filled in `run:`, `env:`, `with:` and `working-directory`;
each `run:` step is a bash script run as the runner does (`bash --noprofile --norc -eo pipefail FILE`);
`GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH` and `GITHUB_STEP_SUMMARY` are temporary files read back between
steps; a step fails the job unless a later step asks for `if: failure()`; a local composite action
(`uses: ./path`) runs its own steps with its inputs. Remote actions cannot run here: the caller passes a
function for each one it stands in for (checkout, setup-python, upload-sarif).
GitLab: the `script:` lines run in one bash with `set -eo pipefail`, as the shell executor does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def offline_pip_env() -> dict[str, str]:
    """pip without the network: the test interpreter's packages are importable (PYTHONPATH) and count as
    installed, builds use its hatchling. A new environment then installs errdiag from the checkout alone."""
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    return {"PYTHONPATH": os.pathsep.join(paths), "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "false",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_WARN_SCRIPT_LOCATION": "1"}


def image_python(folder: Path) -> Path:
    """A Python environment standing in for setup-python or a `python:3.12` image: python, python3 and pip
    on its bin folder (pip runs from the test interpreter's packages, see offline_pip_env)."""
    bin_dir = folder / "bin"
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
        pip = bin_dir / "pip"
        pip.write_text(f'#!/bin/sh\nexec "{bin_dir / "python"}" -m pip "$@"\n')
        pip.chmod(0o755)
    return bin_dir


def expand(text: str, ctx: dict) -> str:
    """Fill `${{ a.b || c.d }}` from `ctx` (missing names are empty, as on GitHub)."""

    def one(m: re.Match) -> str:
        for alt in m.group(1).split("||"):
            value: object = ctx
            for part in alt.strip().split("."):
                value = value.get(part, "") if isinstance(value, dict) else ""
            if value:
                return str(value)
        return ""

    return _EXPR.sub(one, str(text))


def _read_pairs(path: Path) -> dict[str, str]:
    """`name=value` lines and `name<<DELIM` blocks, the GITHUB_OUTPUT / GITHUB_ENV file format."""
    out: dict[str, str] = {}
    lines = path.read_text().splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


@dataclass
class Job:
    """One GitHub job's state: its workspace, files, environment, the output of every step."""

    workspace: Path
    temp: Path
    env: dict[str, str]
    remote: dict[str, Callable[[Job, dict], int]] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    failed: bool = False
    status: int = 0

    def __post_init__(self) -> None:
        self.temp.mkdir(parents=True, exist_ok=True)
        self.summary = self.temp / "step_summary.md"
        self.env_file = self.temp / "github_env"
        self.path_file = self.temp / "github_path"
        for f in (self.summary, self.env_file, self.path_file):
            f.touch()
        self.base = {**self.env, "GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_TEMP": str(self.temp),
                     "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_STEP_SUMMARY": str(self.summary),
                     "GITHUB_ENV": str(self.env_file), "GITHUB_PATH": str(self.path_file)}

    def process_env(self) -> dict[str, str]:
        env = {**self.base, **_read_pairs(self.env_file)}
        added = [p for p in self.path_file.read_text().splitlines() if p]
        env["PATH"] = os.pathsep.join([*reversed(added), env.get("PATH", "")])
        return env

    def run_script(self, script: str, env: dict[str, str], cwd: Path, name: str) -> int:
        file = self.temp / f"step-{name}.sh"
        file.write_text(script)
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)], cwd=str(cwd),
                           env=env, capture_output=True, text=True, timeout=300)
        self.stdout += p.stdout
        self.stderr += p.stderr
        return p.returncode

    def run_steps(self, steps: list[dict], ctx: dict, action_dir: Path | None = None) -> dict:
        """Run steps with `ctx` (inputs, github, steps); the step outputs by id."""
        ctx.setdefault("steps", {})
        for i, step in enumerate(steps):
            cond = str(step.get("if", "success()"))
            if (cond == "failure()") != self.failed:
                continue
            ctx["env"] = {k: expand(v, ctx) for k, v in (step.get("env") or {}).items()}
            if "uses" in step:
                code, outputs = self.uses(step, ctx)
            else:
                assert step.get("shell", "bash") == "bash", step
                out_file = self.temp / f"output-{id(step)}-{i}"
                out_file.write_text("")
                env = {**self.process_env(), **ctx["env"], "GITHUB_OUTPUT": str(out_file)}
                if action_dir is not None:
                    env["GITHUB_ACTION_PATH"] = str(action_dir)
                cwd = Path(expand(step.get("working-directory", ""), ctx) or self.workspace)
                code = self.run_script(expand(step["run"], ctx), env, self.workspace / cwd, str(i))
                outputs = _read_pairs(out_file)
            if "id" in step:
                ctx["steps"][step["id"]] = {"outputs": outputs}
            if code:
                self.failed, self.status = True, code
        return ctx["steps"]

    def uses(self, step: dict, ctx: dict) -> tuple[int, dict]:
        ref = step["uses"]
        with_ = {k: expand(v, ctx) for k, v in (step.get("with") or {}).items()}
        if ref.startswith("./"):
            return self.composite(self.workspace / ref, with_)
        name = ref.split("@")[0]
        assert name in self.remote, f"no stand-in for the remote action {ref}"
        return self.remote[name](self, with_), {}

    def composite(self, action_dir: Path, with_: dict) -> tuple[int, dict]:
        spec = yaml.safe_load((action_dir / "action.yml").read_text())
        assert spec["runs"]["using"] == "composite"
        inputs = {}
        for name, meta in spec["inputs"].items():
            if meta.get("required") and name not in with_:
                raise AssertionError(f"input {name} is required")
            inputs[name] = with_.get(name, meta.get("default", ""))
        unknown = set(with_) - set(inputs)
        assert not unknown, f"unknown inputs {unknown}"
        ctx = {"inputs": inputs, "github": {"action_path": str(action_dir), "workspace": str(self.workspace)},
               "runner": {"temp": str(self.temp)}}
        was_failed = self.failed
        self.failed = False
        steps = self.run_steps(spec["runs"]["steps"], ctx, action_dir)
        code = self.status if self.failed else 0
        self.failed = was_failed
        outputs = {k: expand(v["value"], {"steps": steps}) for k, v in (spec.get("outputs") or {}).items()}
        return code, outputs


def run_workflow(doc: dict, job: Job) -> Job:
    """Run the one job of a workflow document."""
    (name, spec), = doc["jobs"].items()
    ctx = {"github": {"workspace": str(job.workspace)}}
    job.run_steps(spec["steps"], ctx)
    return job


def run_gitlab_job(spec: dict, workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A GitLab job's `script:` in one shell, stopping at the first failing line."""
    variables = {k: str(v) for k, v in (spec.get("variables") or {}).items()}
    script = "set -eo pipefail\n" + "\n".join(spec["script"]) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=str(workspace), capture_output=True, text=True,
                          env={**env, **variables, "CI": "true", "GITLAB_CI": "true",
                               "CI_PROJECT_DIR": str(workspace)}, timeout=300)
