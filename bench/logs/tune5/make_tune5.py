#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""The round-5 tuning set for key lines (`runners`): CI shapes and tools our other sets lack, made to find the
*kinds* of logs the rules miss (never scored as held-out: it is tuned on).

Shapes added here: a GitHub Actions log copied from the browser (no `##[...]` markers: `Run x` headers,
`Error: Process completed ...`, post steps); GitLab with custom collapsed sections, an `after_script` and an
artifacts upload that finds nothing; a Jenkins declarative pipeline with parallel branches, a stage skipped
after the failure and post actions; CircleCI with `when: always` steps after the failing one; Concourse
`fly watch`; a docker build in BuildKit's plain progress inside a raw GitHub Actions log. Earlier steps hold
harmless error-looking lines (an optional-module probe, `fatal: not a git repository`), tests are named
after errors, and some runs print thousands of passing test lines.

Every tool really runs here (`make_local.run_job`); the failing lines are chosen here (`marks`) before errdiag
sees the logs, and cases.jsonl is committed before the first score.

    python bench/logs/tune5/make_tune5.py bench/logs/tune5
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "logs_holdout"))
sys.path.insert(0, str(HERE.parent))
import make_fresh as mf  # noqa: E402  (the label finisher; registers the round-3 shapes)
import make_fresh2 as mf2  # noqa: E402  (raw GitHub Actions, Tekton, Woodpecker ...)
import make_local as ml  # noqa: E402  (the tool runner and the older CI shapes)

TOOLS = os.environ.get("TUNE5_TOOLS", "/tmp/rn-tools/venv/bin")  # pytest, xdist, sphinx, mkdocs, yamllint, uv, poetry
NPM_BINS = os.environ.get("TUNE5_NPM_BINS", "/tmp/rn-npm/node_modules/.bin:/tmp/kl-npm/node_modules/.bin")


def gha_browser(steps, failed: bool) -> list[str]:
    """A GitHub Actions job copied from the browser: step titles as plain lines, no `##[` markers, no stamps."""
    out = ["Set up job", "Current runner version: '2.321.0'", "Operating System", "  Ubuntu", "  24.04.1", "  LTS",
           "Runner Image", "  Image: ubuntu-24.04", "GITHUB_TOKEN Permissions", "  Contents: read",
           "Prepare workflow directory", "Prepare all required actions", "Complete job name: test",
           "Run actions/checkout@v4", "  with:", "    repository: acme/app", "Syncing repository: acme/app",
           "Getting Git version info", "Temporarily overriding HOME='/home/runner/work/_temp/4c1f' before making global git config changes",
           "Adding repository directory to the temporary git global config as a safe directory",
           "/usr/bin/git config --global --add safe.directory /home/runner/work/app/app",
           "Checking out the ref", "  /usr/bin/git log -1 --format=%H", "  6d0f2b8c1a9e7d5b3c1a0f9e8d7c6b5a4f3e2d1c"]
    for cmd, body in steps:
        out += [f"Run {cmd}", f"  {cmd}", "  shell: /usr/bin/bash -e {0}"] + body
    if failed:
        out.append("Error: Process completed with exit code 1.")
    out += ["Run actions/upload-artifact@v4", "  with:", "    name: coverage", "    path: coverage/",
            "    if-no-files-found: warn",
            "Warning: No files were found with the provided path: coverage/. No artifacts will be uploaded.",
            "Post Run actions/checkout@v4", "Post job cleanup.", "/usr/bin/git version", "git version 2.47.1",
            "/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand",
            "Complete job", "Cleaning up orphan processes"]
    return out


def gitlab_collapsed(steps, failed: bool) -> list[str]:
    """GitLab with a custom collapsed section per command, an after_script and an artifacts upload."""
    e = "\x1b[0K"
    out = [f"{e}Running with gitlab-runner 17.5.2 (c6eae8ab)", "  on gitlab-org-runner-7 t3_W2abc",
           f"section_start:1762178527:prepare_executor\r{e}{e}\x1b[36;1mPreparing the \"docker+machine\" executor\x1b[0;m",
           "Using Docker executor with image python:3.12 ...", f"section_end:1762178540:prepare_executor\r{e}",
           f"section_start:1762178540:get_sources\r{e}{e}\x1b[36;1mGetting source from Git repository\x1b[0;m",
           "Fetching changes with git depth set to 20...", "Checking out 7d1c2e90 as detached HEAD (ref is main)...",
           f"section_end:1762178542:get_sources\r{e}",
           f"section_start:1762178542:step_script\r{e}{e}\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m"]
    t = 1762178543
    for n, (cmd, body) in enumerate(steps):
        name = f"cmd_{n}_{cmd.split()[0].split('/')[-1]}"
        out += [f"section_start:{t + n}:{name}[collapsed=true]\r{e}\x1b[0K{cmd.split()[0]}",
                f"\x1b[32;1m$ {cmd}\x1b[0;m"] + body + [f"section_end:{t + n + 1}:{name}\r{e}"]
    out.append(f"section_end:1762178600:step_script\r{e}")
    out += [f"section_start:1762178600:after_script\r{e}{e}\x1b[36;1mRunning after_script\x1b[0;m",
            "\x1b[32;1mRunning after script...\x1b[0;m", "\x1b[32;1m$ cat .ci-timings || echo \"no timings recorded\"\x1b[0;m",
            "cat: .ci-timings: No such file or directory", "no timings recorded",
            f"section_end:1762178601:after_script\r{e}",
            f"section_start:1762178601:upload_artifacts_on_{'failure' if failed else 'success'}\r{e}{e}\x1b[36;1mUploading artifacts for {'failed' if failed else 'successful'} job\x1b[0;m",
            "\x1b[32;1mUploading artifacts...\x1b[0;m",
            "\x1b[0;33mWARNING: report.xml: no matching files. Ensure that the artifact path is relative to the working directory (/builds/acme/app)\x1b[0;m",
            "\x1b[31;1mERROR: No files to upload                         \x1b[0;m",
            f"section_end:1762178602:upload_artifacts_on_{'failure' if failed else 'success'}\r{e}",
            f"section_start:1762178602:cleanup_file_variables\r{e}{e}\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m",
            f"section_end:1762178603:cleanup_file_variables\r{e}"]
    out.append("\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m" if failed else "\x1b[32;1mJob succeeded\x1b[0;m")
    return out


def jenkins_decl(steps, failed: bool) -> list[str]:
    """A declarative pipeline: a stage per command, the last two in parallel branches (their lines
    interleaved), a Deploy stage skipped after a failure, and post actions (junit, archive, mail)."""
    out = ["Started by user ci-bot", "Obtained Jenkinsfile from git https://git.example.org/acme/app.git",
           "[Pipeline] Start of Pipeline", "[Pipeline] node", "Running on agent-3 in /home/jenkins/workspace/app_main",
           "[Pipeline] {", "[Pipeline] stage", "[Pipeline] { (Declarative: Checkout SCM)", "[Pipeline] checkout",
           "The recommended git tool is: git", "Checking out Revision 9b8a7c6d (refs/remotes/origin/main)",
           "Commit message: \"calc: round the totals\"", "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] withEnv", "[Pipeline] {"]
    seq, par = (steps[:-2], steps[-2:]) if len(steps) >= 2 else (steps[:-1], steps[-1:])
    for cmd, body in seq:
        out += ["[Pipeline] stage", f"[Pipeline] {{ ({cmd.split()[0].title()})", "[Pipeline] sh", f"+ {cmd}"] + body + [
            "[Pipeline] }", "[Pipeline] // stage"]
    out += ["[Pipeline] stage", "[Pipeline] { (Checks)", "[Pipeline] parallel"]
    names = ["lint", "test"][-len(par):]
    out += [f"[Pipeline] {{ (Branch: {n})" for n in names]
    out += ["[Pipeline] stage"] * len(names)
    out += [f"[Pipeline] {{ ({n})" for n in names]
    out += ["[Pipeline] sh"] * len(names)
    bodies = [[f"+ {cmd}"] + body for cmd, body in par]
    i = 0
    while any(bodies):  # the branches print at once: two lines of one, then one of the other
        b = bodies[i % len(bodies)]
        take = 2 if i % 2 == 0 else 1
        out += b[:take]
        del b[:take]
        i += 1
    for _ in names:
        out += ["[Pipeline] }", "[Pipeline] // stage", "[Pipeline] }"]
    if failed:
        out += ["Failed in branch test", "[Pipeline] // parallel", "[Pipeline] }", "[Pipeline] // stage",
                "[Pipeline] stage", "[Pipeline] { (Deploy)", "Stage \"Deploy\" skipped due to earlier failure(s)",
                "[Pipeline] getContext", "[Pipeline] }", "[Pipeline] // stage"]
    else:
        out += ["[Pipeline] // parallel", "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] stage", "[Pipeline] { (Deploy)",
                "Stage \"Deploy\" skipped due to when conditional", "[Pipeline] }", "[Pipeline] // stage"]
    out += ["[Pipeline] stage", "[Pipeline] { (Declarative: Post Actions)", "[Pipeline] junit", "Recording test results",
            "[Checks API] No suitable checks publisher found.", "[Pipeline] archiveArtifacts", "Archiving artifacts",
            "[Pipeline] mail" if failed else "[Pipeline] echo", "Sending e-mail to: dev@acme.example" if failed else "all checks passed",
            "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] }", "[Pipeline] // withEnv", "[Pipeline] }", "[Pipeline] // node",
            "[Pipeline] End of Pipeline"]
    out += ["ERROR: script returned exit code 1", "Finished: FAILURE"] if failed else ["Finished: SUCCESS"]
    return out


def circleci_post(steps, failed: bool) -> list[str]:
    """CircleCI with `when: always` steps after the run steps: test results and artifacts that are not there."""
    out = ml.circleci(steps, failed, image="cimg/base:2024.11")
    if not failed:
        out = out[:-1]
    out += ["Uploading test results", "Archiving the following test results", "  * /home/circleci/project/test-results",
            "", "Error: Unable to find test results at /home/circleci/project/test-results", "",
            "Uploading artifacts", "Uploading /home/circleci/project/coverage to coverage",
            "  No artifact files found at /home/circleci/project/coverage", "Total size uploaded: 0 B", ""]
    if not failed:
        out.append("Success!")
    return out


def concourse(steps, failed: bool) -> list[str]:
    """`fly watch` of a Concourse build: initializing, a `sh -exc` task (its `+ cmd` trace), then its verdict."""
    out = ["\x1b[1mselected worker:\x1b[0m 7f2c9b1e4d3a", "\x1b[1minitializing\x1b[0m",
           "\x1b[1minitializing check:\x1b[0m image", "\x1b[1mselected worker:\x1b[0m 7f2c9b1e4d3a",
           "\x1b[1mrunning sh -exc " + " && ".join(c for c, _ in steps)[:120] + "\x1b[0m"]
    for cmd, body in steps:
        out += [f"+ {cmd}"] + body
    out.append("\x1b[31mfailed\x1b[0m" if failed else "\x1b[32msucceeded\x1b[0m")
    return out


def buildkit_gha(steps, failed: bool) -> list[str]:
    """`docker build --progress=plain` inside a raw GitHub Actions log: the last command is a Dockerfile's
    RUN step, its output behind `#8 <seconds> `, then BuildKit's summary of the failure."""
    *before, (cmd, body) = steps
    t = [0.118 + 0.173 * i for i in range(len(body) + 1)]
    bk = ["#0 building with \"default\" instance using docker driver", "", "#1 [internal] load build definition from Dockerfile",
          "#1 transferring dockerfile: 214B done", "#1 DONE 0.0s", "", "#2 [internal] load metadata for docker.io/library/node:20-slim",
          "#2 DONE 0.6s", "", "#3 [internal] load .dockerignore", "#3 transferring context: 2B done", "#3 DONE 0.0s", "",
          "#4 [1/4] FROM docker.io/library/node:20-slim@sha256:8c1b3f0a9e2d", "#4 CACHED", "",
          "#5 [internal] load build context", "#5 transferring context: 1.21kB done", "#5 DONE 0.0s", "",
          "#6 [2/4] WORKDIR /app", "#6 CACHED", "", "#7 [3/4] COPY package.json ./", "#7 DONE 0.1s", "",
          f"#8 [4/4] RUN {cmd}"] + [f"#8 {t[i]:.3f} {x}" for i, x in enumerate(body)]
    if failed:
        bk += [f"#8 ERROR: process \"/bin/sh -c {cmd}\" did not complete successfully: exit code: 1", "------",
               f" > [4/4] RUN {cmd}:"] + [f"{t[i]:.3f} {x}" for i, x in list(enumerate(body))[-10:]] + [
               "------", "Dockerfile:4", "--------------------", "   2 |     WORKDIR /app", "   3 |     COPY package.json ./",
               f"   4 | >>> RUN {cmd}", "   5 |     COPY . .", "--------------------",
               f"ERROR: failed to solve: process \"/bin/sh -c {cmd}\" did not complete successfully: exit code: 1"]
    else:
        bk += [f"#8 DONE {t[-1]:.1f}s", "", "#9 exporting to image", "#9 exporting layers 0.2s done",
               "#9 writing image sha256:1e0f9d8c7b6a done", "#9 naming to docker.io/acme/app:ci done", "#9 DONE 0.2s"]
    return mf2.gha_raw(before + [("docker build --progress=plain -t acme/app:ci .", bk)], failed)


ml.SHAPES.update({"gha_browser": gha_browser, "gitlab_collapsed": gitlab_collapsed, "jenkins_decl": jenkins_decl,
                  "circleci_post": circleci_post, "concourse": concourse, "buildkit_gha": buildkit_gha})

# --- sources -----------------------------------------------------------------------------------------------
JS_CALC = mf2.JS_CALC
JS_CALC_OK = mf2.JS_CALC_OK
JEST = "const { add } = require('./calc');\n\ndescribe('add', () => {\n  test('handles error values', () => {\n    expect(add(0, 0)).toBe(0);\n  });\n  test('adds small numbers', () => {\n    expect(add(1, 2)).toBe(3);\n  });\n  test('adds large numbers', () => {\n    expect(add(6, 7)).toBe(13);\n  });\n});\n"
AVA = "const test = require('ava');\nconst { add } = require('./calc.js');\n\ntest('adds small numbers', t => {\n  t.is(add(1, 2), 3);\n});\n\ntest('adds large numbers', t => {\n  t.is(add(6, 7), 13);\n});\n"
JASMINE = "const { add } = require('../../calc.js');\n\ndescribe('add', () => {\n  it('adds small numbers', () => {\n    expect(add(1, 2)).toBe(3);\n  });\n  it('adds large numbers', () => {\n    expect(add(6, 7)).toBe(13);\n  });\n});\n"
JASMINE_JSON = "{\n  \"spec_dir\": \"spec\",\n  \"spec_files\": [\"**/*[sS]pec.js\"]\n}\n"
PKG = "{\n  \"name\": \"calc\",\n  \"version\": \"1.0.0\",\n  \"private\": true\n}\n"
PKG_AVA = "{\n  \"name\": \"calc\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"ava\": {\"files\": [\"*.test.js\"]}\n}\n"
PY_CALC = "def add(a, b):\n    return a + b + (1 if a > 5 else 0)\n"
PY_CALC_OK = "def add(a, b):\n    return a + b\n"
PY_LONG = ("import pytest\n\nfrom calc import add\n\n\n@pytest.mark.parametrize('n', range(1500))\ndef test_add_zero(n):\n    assert add(0, n) == n\n\n\n"
           "def test_error_message_is_kept():\n    assert add(2, 2) == 4\n\n\ndef test_large_numbers():\n    assert add(6, 7) == 13\n\n\n"
           "@pytest.mark.parametrize('n', range(1200))\ndef test_add_one(n):\n    assert add(1, n) == n + 1\n")
PY_SMALL = "from calc import add\n\n\ndef test_error_path():\n    assert add(0, 0) == 0\n\n\ndef test_large():\n    assert add(6, 7) == 13\n"
NOXFILE = "import nox\n\n\n@nox.session(python=False)\ndef tests(session):\n    session.run('python', '-m', 'pytest', '-p', 'no:cacheprovider', '-q', 'test_calc.py')\n"
CSS_BAD = "a {\n  color: #FFF;\n  colr: red;\n}\n\n.btn {}\n"
STYLELINTRC = "{\n  \"extends\": \"" + os.path.dirname(NPM_BINS.split(os.pathsep)[0]) + "/stylelint-config-standard\"\n}\n"
RS_TOML = ml.RS_TOML
RS_TESTS = "".join(f"    #[test]\n    fn adds_{i}() {{\n        assert_eq!(add(0, {i}), {i});\n    }}\n\n" for i in range(60))
RS_LIB = ("pub fn add(a: u32, b: u32) -> u32 {\n    a + b + u32::from(a > 5)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n" + RS_TESTS
          + "    #[test]\n    fn error_values_are_reported() {\n        assert_eq!(add(1, 1), 2);\n    }\n\n"
          "    #[test]\n    fn adds_large() {\n        assert_eq!(add(6, 7), 13, \"six plus seven\");\n    }\n}\n")
RS_LIB_OK = RS_LIB.replace(" + u32::from(a > 5)", "")
GO_MOD = ml.GO_MOD
GO_ADD = "package calc\n\nimport \"errors\"\n\nvar ErrNegative = errors.New(\"negative input\")\n\nfunc Add(a, b int) (int, error) {\n\tif a < 0 || b < 0 {\n\t\treturn 0, ErrNegative\n\t}\n\tif a > 5 {\n\t\treturn a + b + 1, nil\n\t}\n\treturn a + b, nil\n}\n"
GO_ADD_OK = GO_ADD.replace("\tif a > 5 {\n\t\treturn a + b + 1, nil\n\t}\n", "")
GO_TEST = ("package calc\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\t\"testing\"\n)\n\nfunc TestErrorWrapping(t *testing.T) {\n\t_, err := Add(-1, 0)\n\tif !errors.Is(err, ErrNegative) {\n\t\tt.Fatalf(\"got %v\", err)\n\t}\n}\n\n"
           "func TestAddTable(t *testing.T) {\n\tfor i := 0; i < 300; i++ {\n\t\ta, b := i%7, i\n\t\tt.Run(fmt.Sprintf(\"a%d_b%d\", a, b), func(t *testing.T) {\n\t\t\tgot, _ := Add(a, b)\n\t\t\tif got != a+b {\n\t\t\t\tt.Errorf(\"Add(%d, %d) = %d, want %d\", a, b, got, a+b)\n\t\t\t}\n\t\t})\n\t}\n}\n")
GO_TEST_ONE = GO_TEST.replace("i < 300", "i < 300 && (i%7 != 6 || i == 6)")
MOCHA = mf2.MOCHA
BUSTED = "local function add(a, b) return a + b + (a > 5 and 1 or 0) end\n\ndescribe('add', function()\n  it('adds small numbers', function()\n    assert.are.equal(3, add(1, 2))\n  end)\n  it('adds large numbers', function()\n    assert.are.equal(13, add(6, 7))\n  end)\nend)\n"
EUNIT = "-module(calc).\n-export([add/2]).\n-include_lib(\"eunit/include/eunit.hrl\").\n\nadd(A, B) when A > 5 -> A + B + 1;\nadd(A, B) -> A + B.\n\nadd_small_test() -> ?assertEqual(3, add(1, 2)).\nadd_large_test() -> ?assertEqual(13, add(6, 7)).\n"
EUNIT_OK = EUNIT.replace("add(A, B) when A > 5 -> A + B + 1;\n", "")
MIX_EXS = mf2.MIX_EXS
EX_CFG = "defmodule Calc.Config do\n  def port(env), do: Map.fetch!(env, \"PORT\") |> String.to_integer()\nend\n"
EX_CFG_TEST = "defmodule Calc.ConfigTest do\n  use ExUnit.Case\n\n  test \"error when the port is missing is explained\" do\n    assert Calc.Config.port(%{\"PORT\" => \"80\"}) == 80\n  end\n\n  test \"reads the port\" do\n    assert Calc.Config.port(%{\"HOST\" => \"x\"}) == 4000\n  end\nend\n"
SPHINX_CONF = "project = 'calc'\nextensions = []\nexclude_patterns = ['_build']\n"
SPHINX_INDEX = "calc\n====\n\n.. toctree::\n   :maxdepth: 1\n\n   usage\n   changelog\n"
SPHINX_USAGE = "Usage\n=====\n\nCall ``add``.\n"
MKDOCS_YML = "site_name: calc\nnav:\n  - Home: index.md\n  - Usage: usage.md\n"
MKDOCS_INDEX = "# calc\n\nSee [the usage page](usage.md) and [the API](api.md).\n"
YAML_BAD = "name: ci\non:\n  push:\n    branches: [ main ]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test   \n      - run:  make lint\n        run: make docs\n"
YAML_OK = "---\nname: ci\n\"on\":\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"
MD_BAD = "# calc\n\n## Usage\nRun `make`.\n\n#### Options\n\n* one\n+ two\n"
SH_BAD = "#!/bin/sh\nset -e\nfiles=$(ls dist)\nfor f in $files; do\n  cp $f /srv/www/\ndone\n[ $DEPLOY_ENV == prod ] && echo prod\n"
CXX_BAD = ("#include <map>\n#include <string>\n#include <vector>\n\nstruct Item { std::string name; int qty; };\n\n"
           "int total(const std::vector<Item>& items) {\n  std::map<std::string, int> by;\n  for (const auto& i : items) by[i] += i.qty;\n  int t = 0;\n  for (auto& [k, v] : by) t += v;\n  return t;\n}\n\nint main() { return total({}); }\n")
CMAKE_CXX = "cmake_minimum_required(VERSION 3.16)\nproject(calc CXX)\nset(CMAKE_CXX_STANDARD 17)\nadd_executable(calc main.cpp)\n"
CMAKE_SUBDIR = "cmake_minimum_required(VERSION 3.16)\nproject(calc CXX)\nadd_subdirectory(third_party/fmt)\nadd_executable(calc main.cpp)\n"
JAVA_A = "package acme;\n\nimport java.util.List;\n\npublic class Report {\n    public String render(List<Order> orders) {\n        StringBuilder sb = new StringBuilder();\n        for (Order o : orders) {\n            sb.append(o.total());\n        }\n        return sb.toString()\n    }\n}\n"
JAVA_B = "package acme;\n\npublic record Order(int total) {}\n"
TS_BAD = "interface User { id: number; name: string }\n\nexport function greet(u: User): string {\n  return 'hi ' + u.nmae;\n}\n\nexport function find(users: User[], id: string): User | undefined {\n  return users.find(u => u.id === id);\n}\n"
TSCONFIG = mf2.TSCONFIG
NODE_REJECT = "const fs = require('fs/promises');\n\nasync function loadConfig() {\n  const raw = await fs.readFile('config/ci.json', 'utf8');\n  return JSON.parse(raw);\n}\n\nconsole.log('starting release notes');\nloadConfig().then(c => console.log(c.version));\n"
PROBE = "python3 -c 'import ujson' 2>&1 || echo 'ujson not available, falling back to json'"
GITREV = "git rev-parse --short HEAD 2>&1 || echo unknown-rev"
PYPROJECT = "[tool.poetry]\nname = \"calc\"\nversion = \"0.1.0\"\ndescription = \"\"\nauthors = [\"ci <ci@example.com>\"]\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n"
POETRY_LOCK = "# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\npackage = []\n\n[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.8\"\ncontent-hash = \"0000000000000000000000000000000000000000000000000000000000000000\"\n"

JOBS = [
    # failing runs
    ("gha_browser_jest_fail", "gha_browser", {"calc.js": JS_CALC, "calc.test.js": JEST, "package.json": PKG},
     ["node --version", "jest --ci --colors=false"], [("● add › adds large numbers", 0), ("Expected: 13", 1)]),
    ("gitlab_collapsed_pytest_long_fail", "gitlab_collapsed", {"calc.py": PY_CALC, "test_calc.py": PY_LONG},
     [PROBE, "python -m pytest -p no:cacheprovider -v -n 2 test_calc.py"], [("E       assert 14 == 13", 0), ("E        +  where 14 = add(6, 7)", 0)]),
    ("jenkins_decl_cargo_test_panic", "jenkins_decl", {"Cargo.toml": RS_TOML, "src/lib.rs": RS_LIB},
     [GITREV, "cargo --version", "cargo test --color never"], [("panicked at", 3)]),
    ("circleci_post_go_test_v", "circleci_post", {"go.mod": GO_MOD, "calc.go": GO_ADD, "calc_test.go": GO_TEST_ONE},
     ["go version", "go test -v ./..."], [("= 13, want 12", 0)]),
    ("concourse_mocha_fail", "concourse", {"src/calc.js": JS_CALC, "test/calc.test.js": MOCHA},
     ["node --version", "mocha --no-color"], [("AssertionError", 0), ("1) add", 1)]),
    ("buildkite_ava_fail", "buildkite", {"calc.js": JS_CALC, "calc.test.js": AVA, "package.json": PKG_AVA},
     ["node --version", "ava --tap=false"], [("adds large numbers", 0), ("Difference", 0)]),
    ("drone_jasmine_fail", "drone", {"calc.js": JS_CALC, "spec/support/jasmine.json": JASMINE_JSON, "spec/calc/calcSpec.js": JASMINE},
     ["node --version", "jasmine --config=spec/support/jasmine.json --no-color"], [("Expected 14 to be 13", 0), ("1) add adds large numbers", 0)]),
    ("gha_buildkit_npm_ci", "buildkit_gha", {"package.json": PKG}, ["docker --version", "npm ci --no-audit --no-fund"],
     [("can only install", 0)]),
    ("azure_sphinx_warning_error", "azure", {"docs/conf.py": SPHINX_CONF, "docs/index.rst": SPHINX_INDEX, "docs/usage.rst": SPHINX_USAGE},
     ["sphinx-build --version", "sphinx-build -W -b html -q docs docs/_build"], [("WARNING: toctree contains reference to nonexisting document", 0)]),
    ("bitbucket_mkdocs_strict", "bitbucket", {"mkdocs.yml": MKDOCS_YML, "docs/index.md": MKDOCS_INDEX, "docs/usage.md": "# Usage\n"},
     ["mkdocs --version", "mkdocs build --strict"], [("api.md", 0)]),
    ("woodpecker_yamllint", "woodpecker", {".github/workflows/ci.yml": YAML_BAD}, ["yamllint --version", "yamllint -f parsable ."],
     [("[error]", 0)]),
    ("tekton_markdownlint", "tekton", {"README.md": MD_BAD}, ["markdownlint --version", "markdownlint README.md"], [("README.md:", 0)]),
    ("teamcity_shellcheck_sc2086", "teamcity", {"deploy.sh": SH_BAD}, ["shellcheck --version | sed -n 2p", "shellcheck -f gcc deploy.sh"],
     [("deploy.sh:", 0)]),
    ("gitlab_collapsed_poetry_lock", "gitlab_collapsed", {"pyproject.toml": PYPROJECT, "poetry.lock": POETRY_LOCK},
     [PROBE, "poetry --version", "poetry check --lock"], [("poetry lock", 0), ("changed significantly", 0)]),
    ("circleci_post_uv_no_solution", "circleci_post", {"requirements.txt": "calc-core>=2.1\n"},
     ["uv --version", "uv pip install --offline --no-index --python python3 --target /tmp/tune5-uv -r requirements.txt"],
     [("No solution found", 0), ("calc-core", 0)]),
    ("gha_browser_busted_fail", "gha_browser", {"spec/calc_spec.lua": BUSTED}, ["busted --version", "busted --output=plainTerminal spec"],
     [("Failure", 0), ("Expected objects to be equal", 0)]),
    ("drone_busted_tap", "drone", {"spec/calc_spec.lua": BUSTED}, ["busted --output=TAP spec"], [("not ok 2", 0)]),
    ("concourse_eunit_fail", "concourse", {"calc.erl": EUNIT},
     ["erlc calc.erl", "erl -noshell -eval 'case eunit:test(calc, [verbose]) of ok -> halt(0); _ -> halt(1) end'"],
     [("assertEqual", 0), ("calc: add_large_test", 0)]),
    ("buildkite_exunit_raise", "buildkite", {"mix.exs": MIX_EXS, "lib/config.ex": EX_CFG, "test/config_test.exs": EX_CFG_TEST, "test/test_helper.exs": "ExUnit.start()\n"},
     ["mix test --color=false" if False else "mix test"], [("KeyError", 0), ("test reads the port", 0)]),
    ("gitlab_collapsed_gxx_cascade", "gitlab_collapsed", {"CMakeLists.txt": CMAKE_CXX, "main.cpp": CXX_BAD},
     [GITREV, "cmake -S . -B build", "cmake --build build"], [("no match for", 0)]),
    ("jenkins_decl_javac_two_errors", "jenkins_decl", {"src/acme/Report.java": JAVA_A, "src/acme/Order.java": JAVA_B},
     ["java -version 2>&1 | head -1", "javac -Xlint:all -d out src/acme/*.java"], [("Report.java:11: error:", 0)]),
    ("gha_browser_tsc_errors", "gha_browser", {"src/user.ts": TS_BAD, "tsconfig.json": TSCONFIG},
     ["tsc --version", "tsc -p . --pretty false"], [("error TS2339", 0), ("error TS2367", 0)]),
    ("azure_cmake_subdir", "azure", {"CMakeLists.txt": CMAKE_SUBDIR, "main.cpp": ml.CPP_MAIN},
     [PROBE, "cmake -S . -B build"], [("CMake Error at CMakeLists.txt:3", 2)]),
    ("concourse_node_unhandled", "concourse", {"release.js": NODE_REJECT}, ["node --version", "node release.js"],
     [("ENOENT", 0)]),
    # second batch (added after the first was scored): TeamCity service messages, nox, stylelint, vitest, node --test
    ("teamcity_pytest_service_messages", "teamcity", {"calc.py": PY_CALC, "test_calc.py": PY_SMALL},
     ["TEAMCITY_VERSION=2024.07 python -m pytest -p no:cacheprovider test_calc.py"],
     [("##teamcity[testFailed", 0), ("E       assert 14 == 13", 0)]),
    ("gitlab_collapsed_nox_fail", "gitlab_collapsed", {"calc.py": PY_CALC, "test_calc.py": PY_SMALL, "noxfile.py": NOXFILE},
     [PROBE, "nox --no-color -s tests"], [("E       assert 14 == 13", 0)]),
    ("circleci_post_stylelint", "circleci_post", {"src/app.css": CSS_BAD, ".stylelintrc.json": STYLELINTRC},
     ["stylelint --version", "stylelint --no-color 'src/**/*.css'"], [("\u2716", 0)]),
    ("buildkite_vitest_fail", "buildkite", {"src/calc.js": JS_CALC, "test/calc.test.js": mf2.VITEST, "package.json": PKG},
     ["node --version", "vitest run --globals"], [("FAIL ", 0), ("expected 14 to be 13", 0)]),
    ("gha_browser_node_test", "gha_browser", {"calc.js": JS_CALC, "calc.test.js": mf2.NODE_TEST},
     ["node --test"], [("not ok 2 - adds large numbers", 0), ("Expected values to be strictly equal", 0)]),
    # passing runs (the same jobs when they pass)
    ("teamcity_pytest_service_messages_pass", "teamcity", {"calc.py": PY_CALC_OK, "test_calc.py": PY_SMALL},
     ["TEAMCITY_VERSION=2024.07 python -m pytest -p no:cacheprovider test_calc.py"], []),
    ("gitlab_collapsed_nox_pass", "gitlab_collapsed", {"calc.py": PY_CALC_OK, "test_calc.py": PY_SMALL, "noxfile.py": NOXFILE},
     [PROBE, "nox --no-color -s tests"], []),
    ("gha_browser_jest_pass", "gha_browser", {"calc.js": JS_CALC_OK, "calc.test.js": JEST, "package.json": PKG},
     ["node --version", "jest --ci --colors=false"], []),
    ("gitlab_collapsed_pytest_long_pass", "gitlab_collapsed", {"calc.py": PY_CALC_OK, "test_calc.py": PY_LONG},
     [PROBE, "python -m pytest -p no:cacheprovider -v -n 2 test_calc.py"], []),
    ("jenkins_decl_cargo_test_pass", "jenkins_decl", {"Cargo.toml": RS_TOML, "src/lib.rs": RS_LIB_OK},
     [GITREV, "cargo --version", "cargo test --color never"], []),
    ("circleci_post_go_test_v_pass", "circleci_post", {"go.mod": GO_MOD, "calc.go": GO_ADD_OK, "calc_test.go": GO_TEST_ONE},
     ["go version", "go test -v ./..."], []),
    ("concourse_mocha_pass", "concourse", {"src/calc.js": JS_CALC_OK, "test/calc.test.js": MOCHA}, ["node --version", "mocha --no-color"], []),
    ("gha_buildkit_pass", "buildkit_gha", {"package.json": PKG}, ["docker --version", "npm install --no-audit --no-fund"], []),
    ("azure_sphinx_pass", "azure", {"docs/conf.py": SPHINX_CONF, "docs/index.rst": SPHINX_INDEX.replace("   changelog\n", ""), "docs/usage.rst": SPHINX_USAGE},
     ["sphinx-build --version", "sphinx-build -W -b html -q docs docs/_build"], []),
    ("bitbucket_mkdocs_pass", "bitbucket", {"mkdocs.yml": MKDOCS_YML, "docs/index.md": MKDOCS_INDEX.replace(" and [the API](api.md)", ""), "docs/usage.md": "# Usage\n"},
     ["mkdocs --version", "mkdocs build --strict"], []),
    ("woodpecker_yamllint_pass", "woodpecker", {".github/workflows/ci.yml": YAML_OK}, ["yamllint --version", "yamllint -f parsable ."], []),
    ("concourse_eunit_pass", "concourse", {"calc.erl": EUNIT_OK},
     ["erlc calc.erl", "erl -noshell -eval 'case eunit:test(calc, [verbose]) of ok -> halt(0); _ -> halt(1) end'"], []),
]
PASS_OF = {"gha_browser_jest_fail": "gha_browser_jest_pass", "gitlab_collapsed_pytest_long_fail": "gitlab_collapsed_pytest_long_pass",
           "jenkins_decl_cargo_test_panic": "jenkins_decl_cargo_test_pass", "circleci_post_go_test_v": "circleci_post_go_test_v_pass",
           "concourse_mocha_fail": "concourse_mocha_pass", "gha_buildkit_npm_ci": "gha_buildkit_pass",
           "azure_sphinx_warning_error": "azure_sphinx_pass", "bitbucket_mkdocs_strict": "bitbucket_mkdocs_pass",
           "woodpecker_yamllint": "woodpecker_yamllint_pass", "concourse_eunit_fail": "concourse_eunit_pass",
           "teamcity_pytest_service_messages": "teamcity_pytest_service_messages_pass",
           "gitlab_collapsed_nox_fail": "gitlab_collapsed_nox_pass"}


# real public CI logs (Jenkins declarative pipelines found with the search tools, kept whole in real/), labelled
# by hand before errdiag ran on them: the line that says why, and for a Java exception its deepest cause
REAL = [{"log": "tune5/real/jenkins_git_init_spawn.log", "ranges": [[29, 30], [60, 60]]},
        {"log": "tune5/real/jenkins_rn_unknown_command.log", "ranges": [[137, 137]]},
        {"log": "tune5/real/jenkins_sonar_docker_not_found.log", "ranges": [[275, 275]]}]


def main() -> int:
    os.environ["PATH"] = os.pathsep.join([TOOLS, NPM_BINS, os.environ["PATH"]])
    os.environ["NODE_PATH"] = os.pathsep.join(str(Path(b).parent) for b in NPM_BINS.split(os.pathsep))  # ava, jasmine
    return ml.write_set(sys.argv, JOBS, PASS_OF, "tune5", mf._labels, REAL, mf._labels)


if __name__ == "__main__":
    sys.exit(main())
