#!/usr/bin/env python3
"""Put real tool output (captured by running the tools here, see README.md) into the shape CI systems give
their logs: GitHub Actions (timestamps, ##[group] steps, ##[error], post steps), GitLab (sections),
Jenkins pipelines (stages, `+ cmd` traces), Travis (folds) and Azure Pipelines (##[section]).

    python bench/logs/wrap.py RAW_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

T0 = datetime(2026, 3, 14, 9, 30, 0)


def stamp(lines: list[str]) -> list[str]:
    out, t = [], T0
    for i, line in enumerate(lines):
        t += timedelta(milliseconds=37 + (i * 7919) % 400)
        out.append(t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z " + line)
    return out


def gha_steps(steps: list[tuple[str, list[str]]], failed: bool, git_version: str) -> list[str]:
    """A GitHub Actions job's run steps, its error line when it failed, and the checkout's post-job cleanup."""
    lines: list[str] = []
    for cmd, body in steps:
        lines += [f"##[group]Run {cmd}", cmd, "shell: /usr/bin/bash -e {0}", "##[endgroup]"] + body
    if failed:
        lines.append("##[error]Process completed with exit code 1.")
    return lines + ["Post job cleanup.", "[command]/usr/bin/git version", f"git version {git_version}",
                    "[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand",
                    "Cleaning up orphan processes"]


def gha(steps: list[tuple[str, list[str]]], failed: bool) -> list[str]:
    lines = ["Current runner version: '2.314.1'", "##[group]Operating System", "Ubuntu", "22.04.4", "LTS",
             "##[endgroup]", "##[group]Runner Image", "Image: ubuntu-22.04", "Version: 20240310.1.0",
             "##[endgroup]", "Prepare workflow directory", "Prepare all required actions",
             "Getting action download info", "Download action repository 'actions/checkout@v4'",
             "Complete job name: test", "##[group]Run actions/checkout@v4", "with:", "  repository: acme/calc",
             "##[endgroup]", "Syncing repository: acme/calc", "##[group]Getting Git version info",
             "[command]/usr/bin/git version", "git version 2.43.2", "##[endgroup]",
             "Adding repository directory to the temporary git global config as a safe directory",
             "[command]/usr/bin/git config --global --add safe.directory /home/runner/work/calc/calc",
             "[command]/usr/bin/git init /home/runner/work/calc/calc",
             "hint: Using 'master' as the name for the initial branch. This default branch name",
             "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules"
             " --depth=1 origin +abc123:refs/remotes/origin/main", "From https://github.com/acme/calc",
             " * [new ref]         abc123 -> origin/main", "[command]/usr/bin/git checkout --progress --force -B main"
             " refs/remotes/origin/main", "Switched to a new branch 'main'"]
    return stamp(lines + gha_steps(steps, failed, "2.43.2"))


def gitlab(script: list[tuple[str, list[str]]], failed: bool) -> list[str]:
    e = "\x1b[0K"
    lines = ["\x1b[0KRunning with gitlab-runner 16.9.1 (782c6ecb)\x1b[0;m", "  on docker-auto-scale 0277ea0f",
             f"section_start:1710408600:prepare_executor\r{e}Preparing the \"docker+machine\" executor",
             "Using Docker executor with image node:20 ...", "Pulling docker image node:20 ...",
             f"section_end:1710408611:prepare_executor\r{e}",
             f"section_start:1710408611:get_sources\r{e}Getting source from Git repository",
             "Fetching changes with git depth set to 20...", "Checking out 4f2a91c0 as detached HEAD (ref is main)...",
             f"section_end:1710408614:get_sources\r{e}",
             f"section_start:1710408614:step_script\r{e}Executing \"step_script\" stage of the job script"]
    for cmd, body in script:
        lines += [f"\x1b[32;1m$ {cmd}\x1b[0;m"] + body
    lines.append(f"section_end:1710408660:step_script\r{e}")
    lines += [f"section_start:1710408660:cleanup_file_variables\r{e}Cleaning up project directory and file based "
              "variables", f"section_end:1710408661:cleanup_file_variables\r{e}"]
    lines.append("\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m" if failed else "\x1b[32;1mJob succeeded\x1b[0;m")
    return lines


def jenkins(stages: list[tuple[str, str, list[str]]], failed: str | None) -> list[str]:
    lines = ["Started by an SCM change", "Obtained Jenkinsfile from git https://git.example.org/acme/calc.git",
             "[Pipeline] Start of Pipeline", "[Pipeline] node", "Running on agent-7 in /var/lib/jenkins/workspace/calc",
             "[Pipeline] {", "[Pipeline] stage", "[Pipeline] { (Checkout)", "[Pipeline] checkout",
             "The recommended git tool is: NONE", "Fetching changes from the remote Git repository",
             "Checking out Revision 4f2a91c0d1 (refs/remotes/origin/main)", "[Pipeline] }", "[Pipeline] // stage"]
    for name, cmd, body in stages:
        lines += ["[Pipeline] stage", f"[Pipeline] {{ ({name})", "[Pipeline] sh", f"+ {cmd}"] + body + [
            "[Pipeline] }", "[Pipeline] // stage"]
    lines += ["[Pipeline] }", "[Pipeline] // node", "[Pipeline] End of Pipeline"]
    if failed:
        lines += [f"ERROR: script returned exit code {failed}", "Finished: FAILURE"]
    else:
        lines.append("Finished: SUCCESS")
    return lines


def travis(cmd: str, body: list[str], status: int) -> list[str]:
    lines = ["travis_fold:start:worker_info", "Worker information", "hostname: 7a1e:travis-job-acme-calc",
             "travis_fold:end:worker_info", "travis_fold:start:git.checkout", "$ git clone --depth=50"
             " https://github.com/acme/calc.git acme/calc", "Cloning into 'acme/calc'...",
             "travis_fold:end:git.checkout", "travis_fold:start:install", "$ rustup component add clippy",
             "info: component 'clippy' is up to date", "travis_fold:end:install",
             'The command "rustup component add clippy" exited with 0.', f"$ {cmd}"] + body
    lines += [f'The command "{cmd}" exited with {status}.', "", f"Done. Your build exited with {1 if status else 0}."]
    return lines


def azure(cmd: str, body: list[str], code: int) -> list[str]:
    lines = ["##[section]Starting: Initialize job", "Agent name: 'Hosted Agent'",
             "##[section]Finishing: Initialize job",
             "##[section]Starting: Checkout acme/web@main to s", "Syncing repository: acme/web (GitHub)",
             "##[section]Finishing: Checkout acme/web@main to s", "##[section]Starting: npm ci",
             "added 312 packages, and audited 313 packages in 9s", "found 0 vulnerabilities",
             "##[section]Finishing: npm ci", "##[section]Starting: Type check",
             "Generating script.", "##[command]/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/a1.sh"] + body
    if code:
        lines.append(f"##[error]Bash exited with code '{code}'.")
    lines += ["##[section]Finishing: Type check", "##[section]Starting: Finalize Job",
              "Cleaning up task key", "##[section]Finishing: Finalize Job"]
    return lines


def main() -> int:
    raw, out = Path(sys.argv[1]), Path(sys.argv[2])
    r = {p.stem: p.read_text().rstrip("\n").split("\n") for p in raw.glob("*.log")}
    pip_note = ["Collecting pytest", "Installing collected packages: pytest",
                "ERROR: pip's dependency resolver does not currently take into account all the packages that are "
                "installed. This behaviour is the source of the following dependency conflicts.",
                "sphinx 7.2.6 requires docutils<0.21, but you have docutils 0.21.1 which is incompatible.",
                "Successfully installed pytest-8.1.1"]
    files = {
        "gha_pytest_fail.log": gha([("pip install pytest", pip_note), ("pytest -q test_calc.py",
                                                                        r["pytest_fail"])], True),
        "gha_pytest_pass.log": gha([("pip install pytest", pip_note), ("pytest -q test_calc.py",
                                                                        r["pytest_pass"])], False),
        "gitlab_jest_fail.log": gitlab([("npm ci", ["added 268 packages in 4s"]),
                                        ("npm test", r["jest_npm_fail"])], True),
        "gitlab_jest_pass.log": gitlab([("npm ci", ["added 268 packages in 4s"]), ("npm test", r["jest_pass"])], False),
        "jenkins_make_fail.log": jenkins([("Lint", "grep -rn TODO src || true", ["src/util.c:3:// TODO: overflow"]),
                                          ("Build", "make", r["make_gcc_fail"])], "2"),
        "jenkins_make_pass.log": jenkins([("Lint", "grep -rn TODO src || true", ["src/util.c:3:// TODO: overflow"]),
                                          ("Build", "make", r["make_pass"])], None),
        "travis_cargo_fail.log": travis("cargo test", r["cargo_test_fail"], 101),
        "azure_tsc_fail.log": azure("npx tsc -p .", r["tsc_fail"], 2),
    }
    for name, lines in files.items():
        (out / name).write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
