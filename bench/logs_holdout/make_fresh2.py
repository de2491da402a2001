#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""A second fresh held-out batch (round 4), made before any rule of that round: CI shapes none of our sets
had (a GitHub Actions log downloaded raw, with 7-digit ISO timestamps; Tekton `tkn pipelinerun logs`
`[task : step]` prefixes; `argo logs` pod-name prefixes; Atlassian Bamboo's tab-separated build log;
Woodpecker's `[step]` prefixes) and languages/tools none had (PHPUnit, vitest, mocha, node's test runner,
Elixir ExUnit and mix compile, R CMD check, Rscript, cabal/GHC, Nim, gfortran, scalac, tsc, prettier,
ruff format, bash `set -u`).

Every tool really runs here (`make_local.run_job`); the failing lines are chosen here (`marks`) before
errdiag sees the logs, and cases.jsonl is committed before the first score.

    python bench/logs_holdout/make_fresh2.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fresh as mf  # noqa: E402  (registers the round-3 shapes; its label finisher)
import make_local as ml  # noqa: E402  (the tool runner and the other CI shapes)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "logs"))
import wrap  # noqa: E402  (GitHub Actions run steps and post-job cleanup, shared with bench/logs)

NPM_BIN = os.environ.get("FRESH2_NPM_BIN", "/tmp/kl-npm/node_modules/.bin")  # vitest, mocha, tsc, prettier
RUFF = os.environ.get("FRESH2_RUFF", str(Path(sys.executable).parent / "ruff"))


def _iso7(i: int) -> str:
    return ml._clock(i).strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{(i * 37) % 10}Z"


def gha_raw(steps, failed: bool) -> list[str]:
    """A GitHub Actions job log as downloaded (raw): a 7-digit ISO timestamp before every line."""
    rows = ["Current runner version: '2.321.0'", "##[group]Operating System", "Ubuntu", "24.04.1", "LTS", "##[endgroup]",
            "##[group]Runner Image", "Image: ubuntu-24.04", "Version: 20241117.1.0", "##[endgroup]",
            "##[group]GITHUB_TOKEN Permissions", "Contents: read", "Metadata: read", "##[endgroup]", "Secret source: Actions",
            "Prepare workflow directory", "Prepare all required actions", "Getting action download info",
            "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)", "Complete job name: test",
            "##[group]Run actions/checkout@v4", "with:", "  repository: acme/app", "  token: ***", "  ssh-strict: true", "  persist-credentials: true",
            "  clean: true", "  fetch-depth: 1", "##[endgroup]", "Syncing repository: acme/app", "##[group]Getting Git version info",
            "Working directory is '/home/runner/work/app/app'", "[command]/usr/bin/git version", "git version 2.47.1", "##[endgroup]",
            "Temporarily overriding HOME='/home/runner/work/_temp/5d1c0f0e' before making global git config changes",
            "[command]/usr/bin/git config --global --add safe.directory /home/runner/work/app/app",
            "##[group]Checking out the ref", "[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main",
            "Switched to a new branch 'main'", "branch 'main' set up to track 'origin/main'.", "##[endgroup]",
            "[command]/usr/bin/git log -1 --format=%H", "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"]
    rows += wrap.gha_steps(steps, failed, "2.47.1")
    return [f"{_iso7(i)} {x}" for i, x in enumerate(rows)]


def tekton(steps, failed: bool) -> list[str]:
    """`tkn pipelinerun logs`: every line behind `[task : step]`; a failed step ends the run's output."""
    out = ["[fetch-source : clone] + '[' false = true ']'", "[fetch-source : clone] + '[' false = true ']'",
           "[fetch-source : clone] + CHECKOUT_DIR=/workspace/output/", "[fetch-source : clone] + /ko-app/git-init '-url=https://github.com/acme/app.git' '-revision=main' '-path=/workspace/output/' '-depth=1'",
           "[fetch-source : clone] {\"level\":\"info\",\"ts\":1762178530.1,\"caller\":\"git/git.go:176\",\"msg\":\"Successfully cloned https://github.com/acme/app.git @ 6e2d1c0b9a8f in path /workspace/output/\"}",
           "[fetch-source : clone] + cd /workspace/output/", "[fetch-source : clone] + git rev-parse HEAD", "[fetch-source : clone] + RESULT_SHA=6e2d1c0b9a8f",
           ""]
    for n, (cmd, body) in enumerate(steps):
        step = f"step-{n + 1}-{cmd.split()[0].split('/')[-1]}"
        out += [f"[build-and-test : {step}] + {cmd}"] + [f"[build-and-test : {step}] {x}" for x in body] + [""]
    return out


def argo(steps, failed: bool) -> list[str]:
    """`argo logs @latest`: each line behind the pod's name; the emissary's exit line ends a failed step."""
    out = ["ci-7xk2p-checkout-1893471032: Cloning into '/src'...", "ci-7xk2p-checkout-1893471032: HEAD is now at 2c1b0a9 build: cache the toolchain",
           "ci-7xk2p-checkout-1893471032: time=\"2026-11-03T14:02:11.412Z\" level=info msg=\"sub-process exited\" argo=true error=\"<nil>\""]
    for n, (cmd, body) in enumerate(steps):
        pod = f"ci-7xk2p-{cmd.split()[0].split('/')[-1]}-{2743418431 + 7919 * n}"
        out += [f"{pod}: + {cmd}"] + [f"{pod}: {x}" for x in body]
        last = failed and n == len(steps) - 1
        out.append(f"{pod}: time=\"2026-11-03T14:0{3 + n}:0{n}.118Z\" level=info msg=\"sub-process exited\" argo=true error=\"{'exit status 1' if last else '<nil>'}\"")
        if last:
            out.append(f"{pod}: Error: exit status 1")
    return out


def bamboo(steps, failed: bool) -> list[str]:
    """Atlassian Bamboo's build log: `type<TAB>dd-Mon-yyyy HH:MM:SS<TAB>text` (stderr lines typed `error`)."""
    rows = [("simple", "Build Acme - App - Default Job #412 (ACME-APP-JOB1-412) started building on agent linux-agent-2"),
            ("simple", "Remote agent on host ip-10-0-3-17"), ("simple", "Build working directory is /opt/bamboo-agent/xml-data/build-dir/ACME-APP-JOB1"),
            ("simple", "Executing build Acme - App - Default Job #412 (ACME-APP-JOB1-412)"),
            ("simple", "Starting task 'Checkout Default Repository' of type 'com.atlassian.bamboo.plugins.vcs:task.vcs.checkout'"),
            ("simple", "Updating source code to revision: 7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a"),
            ("simple", "Fetching 'refs/heads/main' from 'https://bitbucket.example.com/scm/acme/app.git'."),
            ("simple", "Checking out revision 7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a."),
            ("simple", "Updated source code to revision: 7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a"),
            ("simple", "Finished task 'Checkout Default Repository' with result: Success")]
    for n, (cmd, body) in enumerate(steps):
        script = f"/opt/bamboo-agent/temp/ACME-APP-JOB1-412-ScriptBuildTask-{3561 + n}.sh"
        rows += [("simple", f"Starting task '{cmd.split()[0]}' of type 'com.atlassian.bamboo.plugins.scripttask:task.builder.script'"),
                 ("command", "Beginning to execute external process for build 'Acme - App - Default Job #412 (ACME-APP-JOB1-412)'\n ... running command line: \n/bin/sh\n" + script + "\n ... in: /opt/bamboo-agent/xml-data/build-dir/ACME-APP-JOB1")]
        rows += [("error" if ml._looks_err(x) else "build", x) for x in body]
        if failed and n == len(steps) - 1:
            rows += [("simple", f"Failing task since return code of [/bin/sh {script}] was 1 while expected 0"),
                     ("simple", f"Finished task '{cmd.split()[0]}' with result: Failed")]
        else:
            rows += [("simple", f"Finished task '{cmd.split()[0]}' with result: Success")]
    rows += [("simple", "Running post build plugin 'Docker Container Cleanup'"), ("simple", "Running post build plugin 'NCover Results Collector'"),
             ("simple", "Running post build plugin 'Clover Results Collector'"), ("simple", "Finalising the build..."),
             ("simple", "Stopping timer."), ("simple", "Build ACME-APP-JOB1-412 completed."),
             ("simple", "All post build plugins have finished"), ("simple", "Generating build results summary..."),
             ("simple", "Saving build results to disk..."), ("simple", "Store variable context...")]
    out = []
    for i, (kind, text) in enumerate(rows):
        stamp = ml._clock(i).strftime("%d-%b-%Y %H:%M:%S")
        out += [f"{kind}\t{stamp}\t{x}" if j == 0 else x for j, x in enumerate(text.split("\n"))]
    return out


def woodpecker(steps, failed: bool) -> list[str]:
    """Woodpecker CI (a Drone fork) through its CLI: `[step] ` before each line, `+ cmd` traces."""
    out = ["[clone] + git init --object-format sha1 -b main /woodpecker/src/codeberg.org/acme/app",
           "[clone] Initialized empty Git repository in /woodpecker/src/codeberg.org/acme/app/.git/",
           "[clone] + git config --global --replace-all safe.directory /woodpecker/src/codeberg.org/acme/app",
           "[clone] + git remote add origin https://codeberg.org/acme/app.git", "[clone] + git fetch --no-tags --depth=1 --filter=tree:0 origin +9a8b7c6d5e4f:",
           "[clone] From https://codeberg.org/acme/app", "[clone]  * branch            9a8b7c6d5e4f -> FETCH_HEAD",
           "[clone] + git reset --hard -q 9a8b7c6d5e4f", "[clone] + git submodule update --init --recursive --depth=1 --recommend-shallow"]
    for cmd, body in steps:
        out += [f"[test] + {cmd}"] + [f"[test] {x}" for x in body]
    return out


ml.SHAPES.update({"gha_raw": gha_raw, "tekton": tekton, "argo": argo, "bamboo": bamboo, "woodpecker": woodpecker})

PHP_CALC = "<?php\nclass Calc\n{\n    public function add(int $a, int $b): int\n    {\n        return $a + $b + ($a > 5 ? 1 : 0);\n    }\n}\n"
PHP_CALC_OK = "<?php\nclass Calc\n{\n    public function add(int $a, int $b): int\n    {\n        return $a + $b;\n    }\n}\n"
PHP_TEST = ("<?php\nuse PHPUnit\\Framework\\TestCase;\n\nrequire_once __DIR__ . '/../src/Calc.php';\n\nfinal class CalcTest extends TestCase\n{\n"
            "    public function testSmall(): void\n    {\n        $this->assertSame(3, (new Calc())->add(1, 2));\n    }\n\n"
            "    public function testLarge(): void\n    {\n        $this->assertSame(13, (new Calc())->add(6, 7));\n    }\n}\n")
JS_CALC = "function add(a, b) {\n  return a + b + (a > 5 ? 1 : 0);\n}\nmodule.exports = { add };\n"
JS_CALC_OK = "function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n"
VITEST = "const { add } = require('../src/calc.js');\n\ndescribe('add', () => {\n  test('small numbers', () => {\n    expect(add(1, 2)).toBe(3);\n  });\n  test('large numbers', () => {\n    expect(add(6, 7)).toBe(13);\n  });\n});\n"
MOCHA = "const assert = require('assert');\nconst { add } = require('../src/calc.js');\n\ndescribe('add', function () {\n  it('adds small numbers', function () {\n    assert.strictEqual(add(1, 2), 3);\n  });\n  it('adds large numbers', function () {\n    assert.strictEqual(add(6, 7), 13);\n  });\n});\n"
NODE_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./calc.js');\n\ntest('adds small numbers', () => {\n  assert.strictEqual(add(1, 2), 3);\n});\n\ntest('adds large numbers', () => {\n  assert.strictEqual(add(6, 7), 13);\n});\n"
MIX_EXS = "defmodule Calc.MixProject do\n  use Mix.Project\n\n  def project do\n    [app: :calc, version: \"0.1.0\", elixir: \"~> 1.14\", deps: []]\n  end\nend\n"
EX_CALC = "defmodule Calc do\n  def add(a, b), do: a + b + if(a > 5, do: 1, else: 0)\nend\n"
EX_CALC_OK = "defmodule Calc do\n  def add(a, b), do: a + b\nend\n"
EX_CALC_UNDEF = "defmodule Calc do\n  def add(a, b), do: a + b\n\n  def total(xs), do: Enum.reduce(xs, 0, &add/2) |> round_to(2)\nend\n"
EX_TEST = "defmodule CalcTest do\n  use ExUnit.Case\n\n  test \"adds small numbers\" do\n    assert Calc.add(1, 2) == 3\n  end\n\n  test \"adds large numbers\" do\n    assert Calc.add(6, 7) == 13\n  end\nend\n"
R_DESC = "Package: calc\nVersion: 0.1.0\nTitle: Adds Numbers\nDescription: Adds two numbers for the tests of a CI log set.\nAuthors@R: person(\"Ci\", \"Bot\", email = \"ci@example.com\", role = c(\"aut\", \"cre\"))\nLicense: MIT + file LICENSE\nEncoding: UTF-8\n"
R_FILES = {"calc/DESCRIPTION": R_DESC, "calc/LICENSE": "YEAR: 2026\nCOPYRIGHT HOLDER: calc authors\n", "calc/NAMESPACE": "export(add)\n",
           "calc/man/add.Rd": "\\name{add}\n\\alias{add}\n\\title{Add}\n\\usage{add(a, b)}\n\\arguments{\\item{a}{a number}\\item{b}{a number}}\n\\value{the sum}\n\\description{Adds.}\n"}
R_ADD_BAD = "add <- function(a, b) a + b + (a > 1)\n"
R_ADD_OK = "add <- function(a, b) a + b\n"
R_TEST = "library(calc)\nstopifnot(add(1, 1) == 2)\nstopifnot(add(2, 2) == 4)\n"
CABAL = "cabal-version: 2.4\nname: calc\nversion: 0.1.0\nbuild-type: Simple\n\nlibrary\n  exposed-modules: Calc\n  hs-source-dirs: src\n  build-depends: base\n  default-language: Haskell2010\n"
HS_BAD = "module Calc (total) where\n\ntotal :: [Int] -> Int\ntotal xs = sum xs ++ \"\"\n"
NIM_BAD = "proc port(): int =\n  result = \"8080\"\n\necho port()\n"
NIM_TEST = "import unittest\n\nproc add(a, b: int): int = a + b + ord(a > 5)\n\nsuite \"calc\":\n  test \"adds small numbers\":\n    check add(1, 2) == 3\n  test \"adds large numbers\":\n    check add(6, 7) == 13\n"
NIM_TEST_OK = NIM_TEST.replace(" + ord(a > 5)", "")
F90_BAD = "program calc\n  implicit none\n  integer :: a\n  a = 2\n  b = a + 1\n  print *, b\nend program calc\n"
SCALA_BAD = "object Calc {\n  def port: Int = \"8080\"\n  def main(args: Array[String]): Unit = println(port)\n}\n"
TS_BAD = "const env: Record<string, string | undefined> = {};\n\nexport function port(): number {\n  const p: number = env.PORT ?? \"3000\";\n  return p;\n}\n"
TSCONFIG = "{\n  \"compilerOptions\": {\"strict\": true, \"noEmit\": true, \"types\": []},\n  \"include\": [\"src\"]\n}\n"
PY_UNFORMATTED = "def mean(xs):\n    return sum( xs )/len(xs)\n"
DEPLOY_SH = "#!/bin/bash\nset -euo pipefail\necho \"deploying build $BUILD_ID\"\necho \"target: $DEPLOY_ENV\"\n"
R_SCRIPT = "suppressPackageStartupMessages(library(stats))\ncat('loading report dependencies\\n')\nlibrary(ggplot9)\ncat('done\\n')\n"

JOBS = [
    ("gha_raw_phpunit_fail", "gha_raw", {"src/Calc.php": PHP_CALC, "tests/CalcTest.php": PHP_TEST},
     ["php --version | head -1", "phpunit --colors=never tests"], [("1) CalcTest::testLarge", 0), ("Failed asserting that", 0)]),
    ("tekton_vitest_fail", "tekton", {"src/calc.js": JS_CALC, "test/calc.test.js": VITEST, "package.json": "{\"name\": \"calc\", \"private\": true}\n"},
     ["node --version", "vitest run --globals"], [("FAIL ", 0), ("expected 14 to be 13", 0)]),
    ("woodpecker_mocha_fail", "woodpecker", {"src/calc.js": JS_CALC, "test/calc.test.js": MOCHA},
     ["node --version", "mocha --no-color"], [("1) add", 1), ("AssertionError", 0)]),
    ("bamboo_exunit_fail", "bamboo", {"mix.exs": MIX_EXS, "lib/calc.ex": EX_CALC, "test/calc_test.exs": EX_TEST, "test/test_helper.exs": "ExUnit.start()\n"},
     ["elixir --version | tail -1", "mix test"], [("1) test adds large numbers", 0), ("Assertion with == failed", 0)]),
    ("argo_mix_compile_undefined", "argo", {"mix.exs": MIX_EXS, "lib/calc.ex": EX_CALC_UNDEF},
     ["mix compile"], [("undefined function round_to/2", 0)]),
    ("gha_raw_r_cmd_check", "gha_raw", {**R_FILES, "calc/R/add.R": R_ADD_BAD, "calc/tests/test-add.R": R_TEST},
     ["R CMD build --no-build-vignettes calc", "R CMD check --no-manual calc_0.1.0.tar.gz"], [("is not TRUE", 0)]),
    ("woodpecker_rscript_no_package", "woodpecker", {"report.R": R_SCRIPT},
     ["Rscript --version", "Rscript report.R"], [("there is no package called", 0)]),
    ("bamboo_cabal_type_error", "bamboo", {"calc.cabal": CABAL, "src/Calc.hs": HS_BAD},
     ["ghc --numeric-version", "cabal build"], [("src/Calc.hs:4:12: error:", 1)]),
    ("tekton_nim_type_mismatch", "tekton", {"port.nim": NIM_BAD},
     ["nim --version | head -1", "nim c --hints:off port.nim"], [("Error: type mismatch", 0)]),
    ("argo_nim_unittest_fail", "argo", {"test_calc.nim": NIM_TEST},
     ["nim c -r --hints:off test_calc.nim"], [("Check failed", 0), ("[FAILED] adds large numbers", 0)]),
    ("gha_raw_gfortran_implicit", "gha_raw", {"calc.f90": F90_BAD},
     ["gfortran --version | head -1", "gfortran -c calc.f90"], [("calc.f90:5", 0), ("has no IMPLICIT type", 0)]),
    ("bamboo_scalac_type_mismatch", "bamboo", {"Calc.scala": SCALA_BAD},
     ["scalac -version", "scalac -d . Calc.scala"], [("error: type mismatch", 0)]),
    ("tekton_tsc_not_assignable", "tekton", {"src/port.ts": TS_BAD, "tsconfig.json": TSCONFIG},
     ["tsc --version", "tsc -p . --pretty false"], [("error TS2322", 0)]),
    ("argo_prettier_check", "argo", {"src/app.js": "const port = process.env.PORT||3000\nmodule.exports = {port}\n"},
     ["prettier --version", "prettier --check --no-color src"], [("[warn] src/app.js", 0)]),
    ("woodpecker_ruff_format_check", "woodpecker", {"app.py": PY_UNFORMATTED},
     ["ruff --version", "ruff format --check --no-cache ."], [("unformatted: File would be reformatted", 1)]),
    ("gha_raw_bash_unbound", "gha_raw", {"deploy.sh": DEPLOY_SH},
     ["BUILD_ID=412 bash deploy.sh"], [("unbound variable", 0)]),
    ("bamboo_node_test_fail", "bamboo", {"calc.js": JS_CALC, "calc.test.js": NODE_TEST},
     ["node --test"], [("not ok 2 - adds large numbers", 0), ("Expected values to be strictly equal", 0)]),
    # passing runs
    ("gha_raw_phpunit_pass", "gha_raw", {"src/Calc.php": PHP_CALC_OK, "tests/CalcTest.php": PHP_TEST},
     ["php --version | head -1", "phpunit --colors=never tests"], []),
    ("tekton_vitest_pass", "tekton", {"src/calc.js": JS_CALC_OK, "test/calc.test.js": VITEST, "package.json": "{\"name\": \"calc\", \"private\": true}\n"},
     ["node --version", "vitest run --globals"], []),
    ("woodpecker_mocha_pass", "woodpecker", {"src/calc.js": JS_CALC_OK, "test/calc.test.js": MOCHA},
     ["node --version", "mocha --no-color"], []),
    ("bamboo_exunit_pass", "bamboo", {"mix.exs": MIX_EXS, "lib/calc.ex": EX_CALC_OK, "test/calc_test.exs": EX_TEST, "test/test_helper.exs": "ExUnit.start()\n"},
     ["elixir --version | tail -1", "mix test"], []),
    ("gha_raw_r_cmd_check_pass", "gha_raw", {**R_FILES, "calc/R/add.R": R_ADD_OK, "calc/tests/test-add.R": R_TEST},
     ["R CMD build --no-build-vignettes calc", "R CMD check --no-manual calc_0.1.0.tar.gz"], []),
    ("argo_nim_unittest_pass", "argo", {"test_calc.nim": NIM_TEST_OK},
     ["nim c -r --hints:off test_calc.nim"], []),
    ("bamboo_node_test_pass", "bamboo", {"calc.js": JS_CALC_OK, "calc.test.js": NODE_TEST},
     ["node --test"], []),
]
PASS_OF = {"gha_raw_phpunit_fail": "gha_raw_phpunit_pass", "tekton_vitest_fail": "tekton_vitest_pass",
           "woodpecker_mocha_fail": "woodpecker_mocha_pass", "bamboo_exunit_fail": "bamboo_exunit_pass",
           "gha_raw_r_cmd_check": "gha_raw_r_cmd_check_pass", "argo_nim_unittest_fail": "argo_nim_unittest_pass",
           "bamboo_node_test_fail": "bamboo_node_test_pass"}


def main() -> int:
    # the npm tools and ruff are called by name, as a CI image that has them installed would; cabal gets a
    # config without a package repository (no network here, and the job needs nothing outside `base`)
    os.environ["PATH"] += os.pathsep + NPM_BIN + os.pathsep + str(Path(RUFF).parent)
    ml.WORK.mkdir(parents=True, exist_ok=True)
    (ml.WORK / "cabal.config").write_text("jobs: 1\n")
    os.environ["CABAL_CONFIG"] = str(ml.WORK / "cabal.config")
    only = set(sys.argv[3:]) if len(sys.argv) > 2 and sys.argv[2] == "--only" else None
    ml.write_jobs(Path(sys.argv[1]), JOBS, PASS_OF, "fresh2", "cases.jsonl", only, finish=mf._labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
