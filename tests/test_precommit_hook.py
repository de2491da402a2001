"""The pre-commit hook in .pre-commit-hooks.yaml, run as pre-commit would in a repository with other YAML."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import FIXTURE_KB

HOOKS = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


def run_hook(repo: Path) -> tuple[list[str], subprocess.CompletedProcess | None]:
    """pre-commit's steps: select staged files with `files`, run `entry` + `args` (no filenames) if any match."""
    (hook,) = yaml.safe_load(HOOKS.read_text())
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    selected = [f for f in git(repo, "ls-files").split() if re.search(hook["files"], f)]
    if not selected:
        return selected, None
    entry = shlex.split(hook["entry"])
    assert entry[0] == "errdiag"  # the console script; the installed package run as a module here
    cmd = [sys.executable, "-m", "errdiag", *entry[1:], *hook["args"]]
    env = dict(os.environ, NO_COLOR="1")
    env.pop("ERRDIAG_BUNDLED_DIR", None)
    return selected, subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=120)


def test_hook_validates_exactly_the_hidden_knowledge_folder(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (repo / "config.yaml").write_text("id: not-an-entry\n")  # looks a bit like knowledge: still not checked
    kb = repo / ".errdiag" / "knowledge"
    shutil.copytree(FIXTURE_KB / "demo", kb / "demo")
    git(repo, "add", "-A")
    selected, p = run_hook(repo)
    assert selected and all(f.startswith(".errdiag/knowledge/") for f in selected)
    assert p is not None and p.returncode == 0, p.stdout + p.stderr

    # a broken entry in the hidden folder fails the hook
    (kb / "demo" / "broken.yaml").write_text("id: demo.broken\ntitle: Broken\n")
    git(repo, "add", "-A")
    _, p = run_hook(repo)
    assert p.returncode == 3 and "broken.yaml" in p.stdout + p.stderr


def test_hook_does_not_run_without_knowledge_changes(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "docker-compose.yml").write_text("services: {}\n")
    git(repo, "add", "-A")
    selected, p = run_hook(repo)
    assert selected == [] and p is None
