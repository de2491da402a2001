#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""Held-out whole logs made by running real tools here (go, cargo, cmake/make/ctest, maven, kotlinc, ruby,
rspec, rubocop, php, terraform, docker, npm, pip, shellcheck, prove, node, pytest) and putting their output
in the shape other CI systems give their logs (GitLab with per-line timestamps and stream prefixes,
CircleCI, Buildkite raw logs with APC timestamps, Bitbucket Pipelines, TeamCity, Drone, Azure Pipelines,
Jenkins freestyle).

The lines that say why each run failed are chosen here, per case, *before* errdiag ever sees the log:
`mark` names a text the failing line(s) of that tool's output hold (from what the tool is known to print),
and the case is written to cases.jsonl with those line numbers. Run it once; the logs are then kept as
files (tool output differs by version and machine).

    python bench/logs_holdout/make_local.py OUT_DIR [--only NAME ...]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

WORK = Path("/tmp/errdiag-holdout-work")
T0 = datetime(2026, 11, 3, 14, 2, 7)


def sh(cmd: str, cwd: Path, env: dict | None = None, timeout: int = 600) -> tuple[int, list[str]]:
    """Run a shell command the way a CI step does (stderr and stdout interleaved); its lines and status."""
    e = dict(os.environ, **(env or {}))
    e.pop("PYTHONPATH", None)
    p = subprocess.run(["bash", "-c", cmd], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=e, timeout=timeout)
    text = p.stdout.decode("utf-8", "replace").replace(str(WORK), "/builds/acme")
    return p.returncode, text.splitlines()


def write(d: Path, files: dict[str, str]) -> Path:
    if d.exists():
        shutil.rmtree(d)
    for name, body in files.items():
        f = d / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(body)
    return d


# --- CI shapes ------------------------------------------------------------------------------------------

def _clock(i: int) -> datetime:
    return T0 + timedelta(milliseconds=211 * i + (i * 7919) % 900)


def gitlab_ts(steps, failed: bool) -> list[str]:
    """GitLab Runner 17 with timestamps on: `<RFC3339 µs>Z 00O ` (stream O/E, `+` for a continued line)."""
    raw = [("O", "\x1b[0KRunning with gitlab-runner 17.4.0 (b92ee590)\x1b[0;m"), ("O", "\x1b[0K  on blue-3.saas-linux-small-amd64.runners-manager.gitlab.com/default zxwgkjAP, system ID: s_d5d3abbdfd0a\x1b[0;m"),
           ("O", "section_start:1762178527:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"docker+machine\" executor\x1b[0;m\x1b[0;m"),
           ("O", "\x1b[0KUsing Docker executor with image golang:1.22 ...\x1b[0;m"), ("O", "\x1b[0KPulling docker image golang:1.22 ...\x1b[0;m"),
           ("O", "section_end:1762178540:prepare_executor\r\x1b[0K"),
           ("O", "section_start:1762178540:get_sources\r\x1b[0K\x1b[0K\x1b[36;1mGetting source from Git repository\x1b[0;m\x1b[0;m"),
           ("O", "\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m"), ("O", "Initialized empty Git repository in /builds/acme/app/.git/"),
           ("O", "\x1b[32;1mCreated fresh repository.\x1b[0;m"), ("O", "\x1b[32;1mChecking out 7d1c2e90 as detached HEAD (ref is main)...\x1b[0;m"),
           ("O", "\x1b[32;1mSkipping Git submodules setup\x1b[0;m"), ("O", "section_end:1762178542:get_sources\r\x1b[0K"),
           ("O", "section_start:1762178542:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m\x1b[0;m")]
    for cmd, body in steps:
        raw.append(("O", f"\x1b[32;1m$ {cmd}\x1b[0;m"))
        raw += [("E" if _looks_err(x) else "O", x) for x in body]
    raw.append(("O", "section_end:1762178600:step_script\r\x1b[0K"))
    raw.append(("O", "section_start:1762178600:cleanup_file_variables\r\x1b[0K\x1b[0K\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m\x1b[0;m"))
    raw.append(("O", "section_end:1762178601:cleanup_file_variables\r\x1b[0K"))
    raw.append(("O", "\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m" if failed else "\x1b[32;1mJob succeeded\x1b[0;m"))
    out = []
    for i, (stream, text) in enumerate(raw):
        stamp = _clock(i).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if len(text) > 300:  # the runner splits a long line: the rest continues with '+'
            out.append(f"{stamp} 00{stream} {text[:300]}")
            out.append(f"{stamp} 00{stream}+{text[300:]}")
        else:
            out.append(f"{stamp} 00{stream} {text}")
    return out


def _looks_err(x: str) -> bool:
    low = x.lower()
    return any(w in low for w in ("error", "fail", "panic", "warning", "fatal"))


def circleci(steps, failed: bool, image: str = "cimg/go:1.22") -> list[str]:
    out = ["Spin up environment", "Build-agent version 1.0.250512-5e1b2b8b (2026-11-02T10:14:33+0000)",
           "System information:", " Server Version: 24.0.9", " Storage Driver: overlay2", "  Backing Filesystem: xfs",
           " Cgroup Driver: cgroupfs", " Kernel Version: 5.15.0-1057-aws", " Operating System: Ubuntu 22.04.4 LTS",
           " OSType: linux", " Architecture: x86_64", "", f"Starting container {image}", f"{image}:",
           "  using image " + image + "@sha256:9f1e4a0c3b2d", "", "Time to create container: 1s", "Creating Docker containers in parallel",
           "Using build environment variables", "  BASH_ENV=/tmp/.bash_env-6726e1c2b0c8d3000171a1a2-0-build", "  CI=true",
           "  CIRCLECI=true", "  CIRCLE_BRANCH=main", "  CIRCLE_BUILD_NUM=1873", "  CIRCLE_JOB=test", "",
           "Preparing environment variables", "Using build environment variables:", "  CIRCLE_PROJECT_REPONAME=app", "",
           "Checkout code", "#!/bin/sh -eo pipefail", "Creating .ssh directory", "Adding the following entries to known_hosts:",
           "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", "",
           "Cloning git repository", "Cloning into '.'...", "Checking out branch", "Your branch is up to date with 'origin/main'.", ""]
    last = len(steps) - 1
    for i, (cmd, body) in enumerate(steps):
        out += [cmd, "#!/bin/bash -eo pipefail", cmd] + body
        if i == last and failed:
            out += ["", "Exited with code exit status 1", ""]
        else:
            out += [""]
    if not failed:
        out += ["Success!"]
    return out


def buildkite(steps, failed: bool) -> list[str]:
    """A raw Buildkite job log: every line starts with an APC timestamp escape (ESC _bk;t=<ms> BEL)."""
    t = 1762178527000

    def bk(line: str, i: int) -> str:
        return f"\x1b_bk;t={t + 137 * i}\x07{line}"
    body = ["~~~ Running agent environment hook", "$ /etc/buildkite-agent/hooks/environment",
            "~~~ Preparing working directory", "$ cd /var/lib/buildkite-agent/builds/agent-3/acme/app",
            "$ git remote set-url origin git@github.com:acme/app.git", "$ git clean -ffxdq",
            "$ git fetch -v --prune -- origin 5f0e5c1d", "From github.com:acme/app",
            " * branch            5f0e5c1d   -> FETCH_HEAD", "$ git checkout -f 5f0e5c1d",
            "HEAD is now at 5f0e5c1d ci: run the suite on every push", "# Cleaning again to catch any post-checkout changes",
            "$ git clean -ffxdq", "# Checking to see if git commit information needs to be sent to Buildkite...",
            "$ buildkite-agent meta-data exists buildkite:git:commit", "~~~ Running commands"]
    for cmd, lines in steps:
        body += [f"--- {cmd.split()[0]}", f"$ {cmd}"] + lines
    if failed:
        body += ["^^^ +++", "\x1b[31m\U0001f6a8 Error: The command exited with status 1\x1b[0m", "^^^ +++",
                 "user command error: exit status 1"]
    return [bk(x, i) for i, x in enumerate(body)]


def bitbucket(steps, failed: bool, image: str = "atlassian/default-image:4") -> list[str]:
    out = ["Images used:", f"    build : docker.io/{image}@sha256:4b1e5b2c9d0f", "", "+ umask 000", "",
           "+ GIT_LFS_SKIP_SMUDGE=1 retry 6 git clone --branch=\"main\" --depth 50 https://x-token-auth:$REPOSITORY_OAUTH_ACCESS_TOKEN@bitbucket.org/$BITBUCKET_REPO_FULL_NAME.git $BUILD_DIR",
           "Cloning into '/opt/atlassian/pipelines/agent/build'...", "", "+ git reset --hard 1f2e3d4c",
           "HEAD is now at 1f2e3d4c tests: cover the parser", "", "+ git config user.name bitbucket-pipelines", "",
           "+ git config user.email commits-noreply@bitbucket.org", "", "+ git config push.default current", "",
           "+ git config http.${BITBUCKET_GIT_HTTP_ORIGIN}.proxy http://localhost:29418/", "",
           "+ git remote set-url origin http://bitbucket.org/$BITBUCKET_REPO_FULL_NAME", "",
           "+ git reflog expire --expire=all --all", "", "+ echo \".bitbucket/pipelines/generated\" >> .git/info/exclude", ""]
    for cmd, body in steps:
        out += [f"+ {cmd}"] + body + [""]
    out += ["Build teardown", "", "Skipping cache upload for failed step" if failed else "Cache \"pip\": Skipping upload for existing cache",
            "Searching for test report files in directories named [test-results, failsafe-reports, test-reports, TestResults, surefire-reports] down to a depth of 4",
            "Finished scanning for test reports. Found 0 test report files.", "Merged test suites, total number tests is 0, with 0 failures and 0 errors.", ""]
    return out


def teamcity(steps, failed: bool) -> list[str]:
    """TeamCity's downloadable build log: [HH:MM:SS]<status>: then a tab and the block indentation."""
    rows = [(" ", 0, "Build finished" if False else "The build is removed from the queue to be prepared for the start"),
            ("i", 0, "Collecting changes in 1 VCS root (1s)"), (" ", 0, "Starting the build on the agent \"linux-agent-04\""),
            (" ", 0, "Updating tools for build"), ("i", 0, "TeamCity server version is 2024.07.3 (build 160765)"),
            (" ", 0, "Updating sources: auto checkout (on agent) (2s)"), (" ", 1, "[Updating sources] Will use agent side checkout"),
            (" ", 1, "[Updating sources] VCS Root: acme/app (1s)"), (" ", 2, "[VCS Root: acme/app] revision: 3c2a9b1e"),
            (" ", 2, "[VCS Root: acme/app] git version: 2.43.0"), (" ", 2, "[VCS Root: acme/app] Update checkout directory (/opt/buildagent/work/4b1c2d)")]
    n = len(steps)
    for i, (cmd, body) in enumerate(steps, 1):
        rows.append((" ", 0, f"[Step {i}/{n}] Step {i}/{n}: {cmd.split()[0]} (Command Line)"))
        rows.append((" ", 1, f"[Step {i}/{n}] Starting: /opt/buildagent/temp/agentTmp/custom_script{7310 + i}"))
        rows.append((" ", 1, f"[Step {i}/{n}] in directory: /opt/buildagent/work/4b1c2d"))
        rows += [(" ", 1, f"[Step {i}/{n}] {x}") for x in body]
        if failed and i == n:
            rows.append(("E", 1, f"[Step {i}/{n}] Process exited with code 1"))
            rows.append(("E", 0, f"[Step {i}/{n}] Step {cmd.split()[0]} (Command Line) failed"))
        else:
            rows.append((" ", 1, f"[Step {i}/{n}] Process exited with code 0"))
    rows.append((" ", 0, "Publishing internal artifacts"))
    rows.append(("i", 0, "Build finished"))
    return [f"[{_clock(i).strftime('%H:%M:%S')}]{st}:\t {'  ' * ind}{text}" for i, (st, ind, text) in enumerate(rows)]


def drone(steps, failed: bool) -> list[str]:
    out = ["Initialized empty Git repository in /drone/src/.git/", "+ git fetch origin +refs/heads/main:",
           "From https://git.example.org/acme/app", " * branch            main       -> FETCH_HEAD",
           " * [new branch]      main       -> origin/main", "+ git checkout 8e6b1a3f0c2d -b main",
           "Already on 'main'"]
    for cmd, body in steps:
        out += [f"+ {cmd}"] + body
    return out


def azure(steps, failed: bool) -> list[str]:
    rows = ["##[section]Starting: Build", "==============================================================================",
            "Task         : Command line", "Description  : Run a command line script using Bash on Linux and macOS and cmd.exe on Windows",
            "Version      : 2.246.1", "Author       : Microsoft Corporation",
            "Help         : https://docs.microsoft.com/azure/devops/pipelines/tasks/utility/command-line",
            "==============================================================================",
            "Generating script.", "========================== Starting Command Output ===========================",
            "##[command]/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/1c9f5a2e-3b1d-4f7a-9c0e-2d8b6a4e1f3c.sh"]
    for cmd, body in steps:
        rows += [f"+ {cmd}"] + body
    if failed:
        rows.append("##[error]Bash exited with code '1'.")
    rows += ["##[section]Finishing: Build"]
    pre = ["##[section]Starting: Initialize job", "Agent name: 'Hosted Agent'", "Agent machine name: 'fv-az1208-371'",
           "Current agent version: '4.248.0'", "##[section]Finishing: Initialize job", "##[section]Starting: Checkout acme/app@main to s",
           "Syncing repository: acme/app (GitHub)", "##[command]git version", "git version 2.47.0",
           "##[command]git -c http.extraheader=\"AUTHORIZATION: basic ***\" fetch --force --tags --prune --prune-tags --progress --no-recurse-submodules origin --depth=1",
           "##[command]git checkout --progress --force refs/remotes/origin/main", "HEAD is now at 2b7f0c1 build: pin the toolchain",
           "##[section]Finishing: Checkout acme/app@main to s"]
    post = ["##[section]Starting: Checkout acme/app@main to s", "##[section]Finishing: Checkout acme/app@main to s",
            "##[section]Starting: Finalize Job", "Cleaning up task key", "Start cleaning up orphan processes.",
            "##[section]Finishing: Finalize Job", "##[section]Finishing: Job"]
    allrows = pre + rows + post
    return [_clock(i).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z " + x for i, x in enumerate(allrows)]


def jenkins_free(steps, failed: bool) -> list[str]:
    out = ["Started by GitHub push by acme-bot", "Running as SYSTEM",
           "Building on the built-in node in workspace /var/lib/jenkins/workspace/app-ci", "The recommended git tool is: NONE",
           "No credentials specified", " > git rev-parse --resolve-git-dir /var/lib/jenkins/workspace/app-ci/.git # timeout=10",
           "Fetching changes from the remote Git repository", " > git config remote.origin.url https://github.com/acme/app.git # timeout=10",
           "Fetching upstream changes from https://github.com/acme/app.git", " > git --version # timeout=10",
           " > git fetch --tags --force --progress -- https://github.com/acme/app.git +refs/heads/*:refs/remotes/origin/* # timeout=10",
           " > git rev-parse refs/remotes/origin/main^{commit} # timeout=10", "Checking out Revision 0c9d8e7f6a5b (refs/remotes/origin/main)",
           " > git config core.sparsecheckout # timeout=10", " > git checkout -f 0c9d8e7f6a5b # timeout=10",
           "Commit message: \"deps: bump the lockfile\"", "[app-ci] $ /bin/sh -xe /tmp/jenkins8841213379218465520.sh"]
    for cmd, body in steps:
        out += [f"+ {cmd}"] + body
    if failed:
        out += ["Build step 'Execute shell' marked build as failure", "Archiving artifacts", "Finished: FAILURE"]
    else:
        out += ["Archiving artifacts", "Finished: SUCCESS"]
    return out


SHAPES = {"gitlab": gitlab_ts, "circleci": circleci, "buildkite": buildkite, "bitbucket": bitbucket,
          "teamcity": teamcity, "drone": drone, "azure": azure, "jenkins": jenkins_free}


# --- the jobs ---------------------------------------------------------------------------------------------
# (name, shape, files, steps, marks): the job runs `steps` in order and stops at the first that fails (as a
# CI job does); `marks` are (text, extra lines after it) that pick the failing lines out of that step's
# output, chosen from what the tool prints for this failure. A job with no marks is a passing run.

GO_MOD = "module example.com/calc\n\ngo 1.19\n"
GO_ADD = "package calc\n\n// Add adds two numbers.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
GO_ADD_BUG = "package calc\n\n// Add adds two numbers.\nfunc Add(a, b int) int {\n\tif a > 5 {\n\t\treturn a + b + 1\n\t}\n\treturn a + b\n}\n"
GO_TEST = ("package calc\n\nimport \"testing\"\n\nfunc TestErrorPathsAreCovered(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Fatal(\"zero\")\n\t}\n}\n\n"
           "func TestAdd(t *testing.T) {\n\tcases := []struct{ a, b, want int }{{1, 2, 3}, {6, 7, 13}}\n\tfor _, c := range cases {\n"
           "\t\tif got := Add(c.a, c.b); got != c.want {\n\t\t\tt.Errorf(\"Add(%d, %d) = %d, want %d\", c.a, c.b, got, c.want)\n\t\t}\n\t}\n}\n")
RS_TOML = "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"
CMAKE_OK = ("cmake_minimum_required(VERSION 3.16)\nproject(calc CXX)\nenable_testing()\nadd_executable(calc main.cpp)\n"
            "add_executable(unit unit.cpp)\nadd_test(NAME unit COMMAND unit)\n")
CPP_MAIN = "#include <iostream>\nint main() { std::cout << \"calc\\n\"; return 0; }\n"
CPP_UNIT_OK = "#include <cstdio>\nint add(int a, int b) { return a + b; }\nint main() { if (add(2, 2) != 4) { std::puts(\"FAIL add\"); return 1; } std::puts(\"ok\"); return 0; }\n"
CPP_UNIT_BAD = ("#include <cstdio>\nint add(int a, int b) { return a + b + (a > 1); }\nint main() {\n  if (add(2, 2) != 4) {\n"
                "    std::printf(\"unit.cpp:5: check failed: add(2, 2) == 4 (got %d)\\n\", add(2, 2));\n    return 1;\n  }\n  return 0;\n}\n")
RB_LIB = "class Calc\n  def add(a, b)\n    a + b\n  end\nend\n"
RB_LIB_BUG = "class Calc\n  def add(a, b)\n    a + b + (a > 5 ? 1 : 0)\n  end\nend\n"
MT_TEST = ("require 'minitest/autorun'\nrequire_relative '../lib/calc'\n\nclass CalcTest < Minitest::Test\n  def test_small\n"
           "    assert_equal 3, Calc.new.add(1, 2)\n  end\n\n  def test_large\n    assert_equal 13, Calc.new.add(6, 7)\n  end\nend\n")
RSPEC = ("require_relative '../lib/calc'\n\nRSpec.describe Calc do\n  it 'adds small numbers' do\n    expect(Calc.new.add(1, 2)).to eq(3)\n"
         "  end\n\n  it 'adds large numbers' do\n    expect(Calc.new.add(6, 7)).to eq(13)\n  end\nend\n")
PHP_OK = "<?php\nfunction add(int $a, int $b): int { return $a + $b; }\necho add(2, 3), \"\\n\";\n"
PHP_PARSE = "<?php\nfunction add(int $a, int $b): int {\n    return $a + $b\n}\necho add(2, 3), \"\\n\";\n"
PHP_THROW = ("<?php\nfunction connect(string $dsn): void {\n    throw new RuntimeException(\"could not connect to $dsn: Connection refused\");\n}\n"
             "echo \"migrating...\\n\";\nconnect('mysql:host=db;dbname=app');\n")
TF_OK = "variable \"region\" {\n  type    = string\n  default = \"eu-west-1\"\n}\n\noutput \"region\" {\n  value = var.region\n}\n"
TF_BAD = "variable \"region\" {\n  type    = string\n  default = \"eu-west-1\"\n}\n\noutput \"region\" {\n  value = var.regoin\n}\n"
PY_OK = "def parse(s):\n    return [int(x) for x in s.split(',') if x]\n"
PY_TEST = ("from app import parse\n\n\ndef test_parse_empty():\n    assert parse('') == []\n\n\ndef test_parse_semicolons():\n"
           "    assert parse('1;2') == [1, 2]\n\n\ndef test_parse_plain():\n    assert parse('1,2') == [1, 2]\n")
PY_TEST_OK = "from app import parse\n\n\ndef test_parse_empty():\n    assert parse('') == []\n\n\ndef test_parse_plain():\n    assert parse('1,2') == [1, 2]\n"
NODE_DB = ("const net = require('net');\nconsole.log('running migrations against postgres://127.0.0.1:5439/app');\n"
           "function connect() {\n  return new Promise((resolve, reject) => {\n    const s = net.connect(5439, '127.0.0.1', resolve);\n"
           "    s.on('error', reject);\n  });\n}\n(async () => {\n  await connect();\n  console.log('migrated');\n})();\n")
PERL_T = ("use strict; use warnings;\nuse Test::More tests => 3;\nsub add { my ($a, $b) = @_; return $a + $b + ($a > 5 ? 1 : 0) }\n"
          "is(add(1, 2), 3, 'adds small');\nis(add(6, 7), 13, 'adds large');\nok(1, 'loads');\n")
PERL_T_OK = "use strict; use warnings;\nuse Test::More tests => 2;\nsub add { my ($a, $b) = @_; return $a + $b }\nis(add(1, 2), 3, 'adds small');\nis(add(6, 7), 13, 'adds large');\n"
JAVA_OK = "package acme;\npublic class Calc { public int add(int a, int b) { return a + b; } }\n"
JAVA_BAD = "package acme;\npublic class Calc { public int add(int a, int b) { return a + b + offset; } }\n"
KT_BAD = "fun main() {\n    val total = listOf(1, 2, 3).sum()\n    println(formatTotal(total))\n}\n"
SH_BAD = "#!/bin/bash\nset -e\nfor f in $(ls build/*.tar.gz); do\n  echo Uploading $f\ndone\n"
MAKE_PROTO = "all: gen\n\ngen:\n\tprotoc --go_out=. api.proto\n"
RUBOCOP_SRC = "def total(items)\n  items.map { |i| i.price }.sum\nend\n\nputs total([]) \n"


def pom(extra_java: str) -> str:
    return ("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
            "  <groupId>acme</groupId><artifactId>calc</artifactId><version>1.0</version>\n"
            "  <properties><maven.compiler.source>17</maven.compiler.source><maven.compiler.target>17</maven.compiler.target>\n"
            "  <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>\n  <build><plugins>\n"
            "    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>\n"
            "    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>\n"
            "  </plugins></build>\n</project>\n")


JOBS = [
    # failing runs
    ("gitlab_go_build_undefined", "gitlab", {"go.mod": GO_MOD, "calc.go": GO_ADD, "main/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(Sum(1, 2))\n}\n"},
     ["go version", "go build ./..."], [("undefined: Sum", 0)]),
    ("circleci_go_test_fail", "circleci", {"go.mod": GO_MOD, "calc.go": GO_ADD_BUG, "calc_test.go": GO_TEST},
     ["go version", "go vet ./...", "go test -v ./..."], [("Add(6, 7) = 14, want 13", 1)]),
    ("buildkite_go_vet_printf", "buildkite", {"go.mod": GO_MOD, "calc.go": GO_ADD + "\nimport_placeholder\n" if False else GO_ADD,
                                             "report.go": "package calc\n\nimport \"fmt\"\n\nfunc Report(n int) string {\n\treturn fmt.Sprintf(\"total: %s\", n)\n}\n"},
     ["go version", "go vet ./..."], [("Sprintf format %s has arg n of wrong type", 0)]),
    ("bitbucket_cargo_mismatched", "bitbucket", {"Cargo.toml": RS_TOML, "src/main.rs": "fn parse(s: &str) -> u32 {\n    s.len()\n}\n\nfn main() {\n    println!(\"{}\", parse(\"42\"));\n}\n"},
     ["cargo --version", "cargo build --color never"], [("error[E0308]: mismatched types", 1)]),
    ("drone_cargo_test_panic", "drone", {"Cargo.toml": RS_TOML, "src/lib.rs": "pub fn add(a: u32, b: u32) -> u32 {\n    a + b + u32::from(a > 5)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds_small() {\n        assert_eq!(add(1, 2), 3);\n    }\n\n    #[test]\n    fn adds_large() {\n        assert_eq!(add(6, 7), 13);\n    }\n}\n"},
     ["cargo test --color never"], [("panicked at", 3)]),
    ("teamcity_cmake_find_package", "teamcity", {"CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(calc CXX)\nfind_package(Protobuf 3.21 REQUIRED)\nadd_executable(calc main.cpp)\n", "main.cpp": CPP_MAIN},
     ["cmake --version", "cmake -S . -B build"], [("CMake Error at", 3)]),
    ("azure_cmake_compile_error", "azure", {"CMakeLists.txt": CMAKE_OK, "main.cpp": "#include <iostream>\n#include <vector>\nint main() {\n  std::vector<int> v{1, 2, 3};\n  std::cout << v.size() << total(v) << \"\\n\";\n  return 0;\n}\n", "unit.cpp": CPP_UNIT_OK},
     ["cmake -S . -B build", "cmake --build build"], [("was not declared in this scope", 0)]),
    ("gitlab_ctest_fail", "gitlab", {"CMakeLists.txt": CMAKE_OK, "main.cpp": CPP_MAIN, "unit.cpp": CPP_UNIT_BAD},
     ["cmake -S . -B build", "cmake --build build", "ctest --test-dir build --output-on-failure"], [("***Failed", 0), ("check failed", 0)]),
    ("circleci_maven_compile", "circleci", {"pom.xml": pom(""), "src/main/java/acme/Calc.java": JAVA_BAD},
     ["mvn -o -B -q --version | head -1", "mvn -o -B compile"], [("cannot find symbol", 1)]),
    ("jenkins_kotlinc_unresolved", "jenkins", {"Main.kt": KT_BAD}, ["kotlinc Main.kt -d out.jar"], [("unresolved reference", 0)]),
    ("buildkite_minitest_fail", "buildkite", {"lib/calc.rb": RB_LIB_BUG, "test/calc_test.rb": MT_TEST},
     ["ruby -v", "ruby test/calc_test.rb"], [("Failure:", 3)]),
    ("bitbucket_rspec_fail", "bitbucket", {"lib/calc.rb": RB_LIB_BUG, "spec/calc_spec.rb": RSPEC},
     ["ruby -v", "rspec --no-color"], [("Failure/Error:", 5)]),
    ("drone_rubocop_offenses", "drone", {"app.rb": RUBOCOP_SRC}, ["rubocop --version", "rubocop --no-color app.rb"], [("app.rb:", 0)]),
    ("teamcity_php_uncaught", "teamcity", {"migrate.php": PHP_THROW}, ["php -v | head -1", "php migrate.php"], [("Uncaught RuntimeException", 0)]),
    ("gitlab_php_parse_error", "gitlab", {"src/add.php": PHP_PARSE, "src/ok.php": PHP_OK}, ["php -v | head -1", "find src -name '*.php' -print0 | sort -z | xargs -0 -n1 php -l"], [("Parse error", 0)]),
    ("azure_terraform_undeclared", "azure", {"main.tf": TF_BAD}, ["terraform version", "terraform init -input=false -no-color", "terraform validate -no-color"], [("Error: Reference to undeclared input variable", 4)]),
    ("circleci_docker_daemon", "circleci", {"Dockerfile": "FROM alpine:3.20\nRUN echo hi\n"}, ["docker version --format '{{.Client.Version}}'", "docker build -t acme/app:ci ."], [("Cannot connect to the Docker daemon", 0)]),
    ("jenkins_npm_ci_nolock", "jenkins", {"package.json": "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\"test\": \"node -e 0\"}\n}\n"},
     ["node --version", "npm ci --no-audit --no-fund"], [("can only install with an existing package-lock.json", 1)]),
    ("buildkite_pip_no_version", "buildkite", {"requirements.txt": "requests==99.1.0\n"},
     ["python3 -m pip --version", "python3 -m pip install --disable-pip-version-check -r requirements.txt"], [("No matching distribution found", 0), ("Could not find a version", 0)]),
    ("bitbucket_shellcheck", "bitbucket", {"deploy.sh": SH_BAD}, ["shellcheck --version | head -2", "shellcheck deploy.sh"], [("In deploy.sh line 3:", 2)]),
    ("teamcity_prove_fail", "teamcity", {"t/add.t": PERL_T}, ["perl -v | sed -n 2p", "prove -v t/"], [("not ok 2", 0), ("Failed test 'adds large'", 3)]),
    ("drone_make_protoc_missing", "drone", {"Makefile": MAKE_PROTO, "api.proto": "syntax = \"proto3\";\n"}, ["make --version | head -1", "make"], [("protoc: No such file or directory", 0), ("protoc: not found", 0)]),
    ("gitlab_pytest_fail", "gitlab", {"app.py": PY_OK, "test_app.py": PY_TEST},
     ["python3 --version", "python3 -m pytest -p no:cacheprovider -q test_app.py"], [("ValueError: invalid literal", 0)]),
    ("circleci_node_econnrefused", "circleci", {"migrate.js": NODE_DB}, ["node --version", "node migrate.js"], [("ECONNREFUSED", 0)]),
    # passing runs (the same jobs when they pass)
    ("circleci_go_test_pass", "circleci", {"go.mod": GO_MOD, "calc.go": GO_ADD, "calc_test.go": GO_TEST}, ["go version", "go vet ./...", "go test -v ./..."], []),
    ("drone_cargo_test_pass", "drone", {"Cargo.toml": RS_TOML, "src/lib.rs": "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds_small() {\n        assert_eq!(add(1, 2), 3);\n    }\n\n    #[test]\n    fn error_on_overflow_is_not_raised() {\n        assert_eq!(add(6, 7), 13);\n    }\n}\n"}, ["cargo test --color never"], []),
    ("gitlab_ctest_pass", "gitlab", {"CMakeLists.txt": CMAKE_OK, "main.cpp": CPP_MAIN, "unit.cpp": CPP_UNIT_OK},
     ["cmake -S . -B build", "cmake --build build", "ctest --test-dir build --output-on-failure"], []),
    ("circleci_maven_compile_pass", "circleci", {"pom.xml": pom(""), "src/main/java/acme/Calc.java": JAVA_OK}, ["mvn -o -B -q --version | head -1", "mvn -o -B compile"], []),
    ("buildkite_minitest_pass", "buildkite", {"lib/calc.rb": RB_LIB, "test/calc_test.rb": MT_TEST}, ["ruby -v", "ruby test/calc_test.rb"], []),
    ("bitbucket_rspec_pass", "bitbucket", {"lib/calc.rb": RB_LIB, "spec/calc_spec.rb": RSPEC}, ["ruby -v", "rspec --no-color"], []),
    ("gitlab_php_lint_pass", "gitlab", {"src/add.php": PHP_OK, "src/ok.php": PHP_OK}, ["php -v | head -1", "find src -name '*.php' -print0 | sort -z | xargs -0 -n1 php -l"], []),
    ("azure_terraform_pass", "azure", {"main.tf": TF_OK}, ["terraform version", "terraform init -input=false -no-color", "terraform validate -no-color"], []),
    ("teamcity_prove_pass", "teamcity", {"t/add.t": PERL_T_OK}, ["perl -v | sed -n 2p", "prove -v t/"], []),
    ("gitlab_pytest_pass", "gitlab", {"app.py": PY_OK, "test_app.py": PY_TEST_OK}, ["python3 --version", "python3 -m pytest -p no:cacheprovider -q test_app.py"], []),
]
# which passing run is the baseline of which failing job
PASS_OF = {"circleci_go_test_fail": "circleci_go_test_pass", "drone_cargo_test_panic": "drone_cargo_test_pass",
           "gitlab_ctest_fail": "gitlab_ctest_pass", "circleci_maven_compile": "circleci_maven_compile_pass",
           "buildkite_minitest_fail": "buildkite_minitest_pass", "bitbucket_rspec_fail": "bitbucket_rspec_pass",
           "gitlab_php_parse_error": "gitlab_php_lint_pass", "azure_terraform_undeclared": "azure_terraform_pass",
           "teamcity_prove_fail": "teamcity_prove_pass", "gitlab_pytest_fail": "gitlab_pytest_pass"}


def run_job(name, shape, files, steps, marks) -> tuple[list[str], list[list[int]], bool]:
    d = write(WORK / name, files)
    env = {"CARGO_TARGET_DIR": str(WORK / "_cargo_target" / name), "GOFLAGS": "-mod=mod", "NO_COLOR": "1",
           "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    ran: list[tuple[str, list[str]]] = []
    failed = False
    for cmd in steps:
        rc, out = sh(cmd, d, env)
        ran.append((cmd, out))
        if rc != 0:
            failed = True
            break
    if bool(marks) != failed:
        raise SystemExit(f"{name}: expected {'a failure' if marks else 'success'}, got rc={rc}: {out[-5:]}")
    lines = SHAPES[shape](ran, failed)
    ranges: list[list[int]] = []
    if failed:
        # the failing step's output is the last body in `ran`: find the marked lines among the log's lines
        last_cmd, last_out = ran[-1]
        targets = {i for i, x in enumerate(last_out) for m, _ in marks if m in x}
        if not targets:
            raise SystemExit(f"{name}: no marked line in the failing step's output:\n" + "\n".join(last_out[-30:]))
        # map body line i to its log line: match the failing step's output backwards from the log's end
        pos = len(lines) - 1
        where = {}
        for i in range(len(last_out) - 1, -1, -1):
            x = last_out[i]
            if not x.strip():
                continue
            while pos >= 0 and x not in lines[pos]:
                pos -= 1
            where[i] = pos
            pos -= 1  # the next (earlier) output line sits above this one
        # line numbers as errdiag (and Python, Java, CiDiff) count them: a bare CR also ends a line
        # (GitLab's section markers hold one)
        crs = [0]
        for x in lines:
            crs.append(crs[-1] + x.count("\r"))
        for i in sorted(targets):
            extra = max(e for m, e in marks if m in last_out[i])
            at = where[i] + 1 + crs[where[i]]
            ranges.append([at, at + extra])
    return lines, ranges, failed


def write_jobs(out_dir: Path, jobs, pass_of: dict[str, str], folder: str, cases_file: str,
               only: set[str] | None = None, finish=lambda case: case) -> None:
    """Run each job, write its log to out_dir and the failing ones' labels to out_dir/cases_file (log paths
    under `folder/`); `finish` may add to a case's labels before its pass_log."""
    out_dir.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, shape, files, steps, marks in jobs:
        if only and name not in only:
            continue
        lines, ranges, failed = run_job(name, shape, files, steps, marks)
        (out_dir / f"{name}.log").write_text("\n".join(lines) + "\n")
        print(f"{name}: {len(lines)} lines, failing lines {ranges}", file=sys.stderr)
        if failed:
            case = finish({"log": f"{folder}/{name}.log", "ranges": ranges})
            if name in pass_of:
                case["pass_log"] = f"{folder}/{pass_of[name]}.log"
            cases.append(case)
    (out_dir / cases_file).write_text("".join(json.dumps(c) + "\n" for c in cases))


def write_set(argv: list[str], jobs, pass_of: dict[str, str], folder: str, finish=lambda case: case,
              real=(), label_real=lambda case: case) -> int:
    """A generator's command line, `OUT_DIR [--only NAME ...]`: run the jobs into OUT_DIR (cases.jsonl, or
    cases.only.jsonl for a few), then add the labels of the real logs typed in (`real`, finished by
    `label_real`) to a full cases.jsonl."""
    out = Path(argv[1])
    only = set(argv[3:]) if len(argv) > 2 and argv[2] == "--only" else None
    name = "cases.jsonl" if not only else "cases.only.jsonl"
    write_jobs(out, jobs, pass_of, folder, name, only, finish=finish)
    if not only and real:
        with (out / name).open("a") as f:
            f.writelines(json.dumps(label_real(c)) + "\n" for c in real)
    return 0


def main() -> int:
    only = set(sys.argv[3:]) if len(sys.argv) > 2 and sys.argv[2] == "--only" else None
    write_jobs(Path(sys.argv[1]), JOBS, PASS_OF, "local", "cases.local.jsonl", only)
    return 0

if __name__ == "__main__":
    sys.exit(main())
