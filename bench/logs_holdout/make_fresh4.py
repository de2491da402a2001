#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""A fourth fresh held-out batch (round 6), labelled and committed before errdiag ran on it.

Tools none of the other sets has: Hypothesis (a falsifying example under pytest), alembic (a migration that
fails on SQLite), pre-commit (local hooks), commitlint, Bun test, Deno test and Deno lint, OCaml dune (a type
error and a failing test), Crystal (spec and compiler), terraform plan (a variable's validation rule), kubectl
apply in a deploy job with no cluster, pip and npm against an unreachable index (retries, then the failure),
`make -k -j2` with two compile errors, g++'s template cascade, a >5,000-line `go test -v` run with its failure
in the middle, rustc's borrow checker, a Java exception with its `Caused by:`, mypy.

CI shapes none of the other sets has: a GitHub Actions matrix job of a reusable workflow (raw download),
Azure Pipelines with one task per step (the failing task mid-job, post-job tasks after it), AppVeyor's
console, Buildkite with `+++` groups and an annotate hook after the failure, and a plain `make ci` in a
terminal (no CI at all); and the older shapes (GitLab sections, Jenkins pipeline, Bitbucket, Woodpecker,
CircleCI) for some tools. Passing steps print harmless error-looking lines (pytest's warnings summary, tests
that log "error", compiler warnings).

Every tool really runs here (`make_local.run_job` through `make_fresh3`'s path rewriting); the failing lines
are named here (`marks`) before errdiag sees the logs, and cases.jsonl is committed before the first score.
Five logs are real failed CI jobs of public projects (`REAL`, kept as files beside the generated ones).

    python bench/logs_holdout/make_fresh4.py OUT_DIR [--only NAME ...]

Tools it expects (none is a dependency of errdiag): a venv with pytest hypothesis alembic sqlalchemy
pre-commit mypy (FRESH4_VENV); npm packages bun deno @commitlint/cli @commitlint/config-conventional
(FRESH4_NPM); Debian's ocaml-nox ocaml-dune crystal; go, cargo, g++, make, java, terraform, kubectl, node, git.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fresh as mf  # noqa: E402  (its label finisher)
import make_fresh2 as mf2  # noqa: E402  (raw GitHub Actions, Woodpecker)
import make_fresh3 as mf3  # noqa: E402  (path rewriting, symlinked trees, GitLab sections, Jenkins pipeline, CircleCI post steps)
import make_local as ml  # noqa: E402  (the tool runner, Buildkite, Bitbucket, Azure rows)

VENV = os.environ.get("FRESH4_VENV", "/tmp/f4-tools")
NPM = os.environ.get("FRESH4_NPM", "/tmp/f4-npm/node_modules")
BIN = os.environ.get("FRESH4_BIN", "/tmp/f4-bin")  # symlinks: pytest, alembic, pre-commit, mypy, bun, deno, commitlint
mf3.PATHS[:0] = [(f"{VENV}/lib/python3.11/site-packages", "/opt/venv/lib/python3.11/site-packages"), (VENV, "/opt/venv"),
                 (NPM, "/usr/local/lib/node_modules"), (BIN, "/usr/local/bin")]


# --- CI shapes ------------------------------------------------------------------------------------------

def gha_matrix(steps, failed: bool) -> list[str]:
    """A GitHub Actions job downloaded raw, one leg of a matrix in a reusable workflow (`ci / test (...)`)."""
    out = mf2.gha_raw(steps, failed)
    return [x.replace("Complete job name: test", "Complete job name: ci / test (ubuntu-24.04, 3.12)") for x in out]


def azure_tasks(steps, failed: bool) -> list[str]:
    """Azure Pipelines, one job of a multi-stage run: every step is its own Bash task; after a failed task
    the rest are not run, the post-job checkout and Finalize Job still are."""
    rows = ["##[section]Starting: Initialize job", "Agent name: 'Azure Pipelines 3'", "Agent machine name: 'fv-az714-502'",
            "Current agent version: '4.248.0'", "Operating System", "Ubuntu", "22.04.5", "LTS", "Runner Image",
            "Image: ubuntu-22.04", "Version: 20241215.1.0", "Current image version: '20241215.1.0'",
            "Agent running as: 'vsts'", "Prepare build directory.", "Set build variables.", "Download all required tasks.",
            "Downloading task: Bash (3.246.1)", "Checking job knob settings.", "Finished checking job knob settings.",
            "Start tracking orphan processes.", "##[section]Finishing: Initialize job",
            "##[section]Starting: Checkout acme/app@refs/pull/812/merge to s", "Task         : Get sources",
            "Syncing repository: acme/app (GitHub)", "##[command]git version", "git version 2.47.1",
            "##[command]git -c http.extraheader=\"AUTHORIZATION: basic ***\" fetch --force --tags --prune --prune-tags --progress --no-recurse-submodules origin --depth=1 +refs/pull/812/merge:refs/remotes/pull/812/merge",
            "##[command]git checkout --progress --force refs/remotes/pull/812/merge", "HEAD is now at 0d9c8b7 Merge 4e5f6a7 into 1a2b3c4",
            "##[section]Finishing: Checkout acme/app@refs/pull/812/merge to s"]
    for n, (cmd, body) in enumerate(steps):
        name = cmd.split()[0]
        rows += [f"##[section]Starting: {name}", "==============================================================================",
                 "Task         : Bash", "Description  : Run a Bash script on macOS, Linux, or Windows", "Version      : 3.246.1",
                 "Author       : Microsoft Corporation", "Help         : https://docs.microsoft.com/azure/devops/pipelines/tasks/utility/bash",
                 "==============================================================================", "Generating script.",
                 "========================== Starting Command Output ===========================",
                 f"/usr/bin/bash /home/vsts/work/_temp/{9 + n}c3e1f0a-4b2d-4e6f-8a1c-7d5e3b2a1f0{n}.sh"] + body
        if failed and n == len(steps) - 1:
            rows.append("##[error]Bash exited with code '1'.")
        rows.append(f"##[section]Finishing: {name}")
    rows += ["##[section]Starting: Checkout acme/app@refs/pull/812/merge to s", "Task         : Get sources",
             "Cleaning any cached credential from repository: acme/app (GitHub)",
             "##[section]Finishing: Checkout acme/app@refs/pull/812/merge to s", "##[section]Starting: Finalize Job",
             "Cleaning up task key", "Start cleaning up orphan processes.", "##[section]Finishing: Finalize Job"]
    return [ml._clock(i).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z " + x for i, x in enumerate(rows)]


def appveyor(steps, failed: bool) -> list[str]:
    """AppVeyor's console (Ubuntu image): the clone, the install scripts, then the test script; the
    command's status line last."""
    out = ["Build started", "git clone -q --branch=main https://github.com/acme/app.git /home/appveyor/projects/app",
           "git checkout -qf 7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a", "Restoring build cache",
           "Cache '/home/appveyor/.cache' - Restored", "Running Install scripts"]
    *pre, (cmd, body) = steps
    for c, b in pre:
        out += [c] + b
    out += ["Running Test scripts", cmd] + body
    out += ["Command exited with code 1"] if failed else ["Updating build cache...", "Cache '/home/appveyor/.cache' - Up to date", "Build success"]
    return out


def buildkite_groups(steps, failed: bool) -> list[str]:
    """A raw Buildkite log whose pipeline opens the last command's group expanded (`+++`), and whose
    post-command hook annotates the build when it failed."""
    lines = ml.buildkite(steps, failed)
    word = steps[-1][0].split()[0]
    last = max(i for i, x in enumerate(lines) if x.endswith(f"\x07--- {word}"))
    lines[last] = lines[last].replace(f"\x07--- {word}", f"\x07+++ :test_tube: {word}")
    t = 1762178599000
    hook = ["~~~ Running plugin test-collector post-command hook", "$ /var/lib/buildkite-agent/plugins/github-com-acme-test-collector-buildkite-plugin-v1-2-0/hooks/post-command"]
    hook += (["$ buildkite-agent annotate --style error --context tests --append < annotation.md"] if failed else ["No failures to annotate"])
    return lines + [f"\x1b_bk;t={t + 137 * i}\x07{x}" for i, x in enumerate(hook)]


def laptop(steps, failed: bool) -> list[str]:
    """A `make ci` run in a terminal on a laptop, pasted whole: the prompt, the command, its output."""
    out = []
    for cmd, body in steps:
        out += [f"dev@laptop:~/src/app$ {cmd}"] + body
    return out + ["dev@laptop:~/src/app$ "]


ml.SHAPES.update({"gha_matrix": gha_matrix, "azure_tasks": azure_tasks, "appveyor": appveyor,
                  "buildkite_groups": buildkite_groups, "laptop": laptop})

# --- the jobs ---------------------------------------------------------------------------------------------
NODE_MODULES = mf3.Link(NPM)
ENV_PROBE = mf3.ENV_PROBE

PY_DEDUPE = "def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out[-1:]:\n            out.append(x)\n    return out\n"
PY_DEDUPE_OK = "def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n"
PY_HYP_TEST = ("from hypothesis import given, strategies as st\n\nfrom dedupe import dedupe\n\n\n@given(st.lists(st.integers()))\n"
               "def test_keeps_order_of_first_seen(xs):\n    assert dedupe(xs)[:1] == xs[:1]\n\n\n@given(st.lists(st.integers()))\n"
               "def test_no_repeats(xs):\n    out = dedupe(xs)\n    assert len(set(out)) == len(out)\n")
HYP_FILES = {"dedupe.py": PY_DEDUPE, "test_dedupe.py": PY_HYP_TEST}

ALEMBIC_INI = ("[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///app.db\n\n[loggers]\nkeys = root,sqlalchemy,alembic\n\n"
               "[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\nhandlers = console\nqualname =\n\n"
               "[logger_sqlalchemy]\nlevel = WARN\nhandlers =\nqualname = sqlalchemy.engine\n\n[logger_alembic]\nlevel = INFO\nhandlers =\nqualname = alembic\n\n"
               "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n"
               "[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n")
ALEMBIC_ENV = ("from logging.config import fileConfig\n\nfrom alembic import context\nfrom sqlalchemy import create_engine\n\n"
               "config = context.config\nfileConfig(config.config_file_name)\nengine = create_engine(config.get_main_option('sqlalchemy.url'))\n\n"
               "with engine.connect() as connection:\n    context.configure(connection=connection, target_metadata=None)\n"
               "    with context.begin_transaction():\n        context.run_migrations()\n")
MIG_001 = ("import sqlalchemy as sa\nfrom alembic import op\n\nrevision = '001'\ndown_revision = None\n\n\ndef upgrade():\n"
           "    users = op.create_table('users', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(80), nullable=False))\n"
           "    op.bulk_insert(users, [{'id': 1, 'name': 'ada'}, {'id': 2, 'name': 'grace'}])\n\n\ndef downgrade():\n    op.drop_table('users')\n")
MIG_002 = ("import sqlalchemy as sa\nfrom alembic import op\n\nrevision = '002'\ndown_revision = '001'\n\n\ndef upgrade():\n"
           "    op.add_column('users', sa.Column('email', sa.String(120), nullable=False))\n\n\ndef downgrade():\n    op.drop_column('users', 'email')\n")
MIG_002_OK = MIG_002.replace("nullable=False))", "nullable=False, server_default=''))")
PY_MODEL_TEST = ("import warnings\n\n\ndef legacy_error_format(msg):\n    warnings.warn('legacy_error_format is deprecated; raise AppError instead', DeprecationWarning, stacklevel=2)\n    return 'error: ' + msg\n\n\n"
                 "def test_error_format():\n    assert legacy_error_format('boom') == 'error: boom'\n\n\ndef test_users_table_name():\n    assert 'users'.isidentifier()\n")
ALEMBIC_FILES = {"alembic.ini": ALEMBIC_INI, "migrations/env.py": ALEMBIC_ENV, "migrations/script.py.mako": "",
                 "migrations/versions/001_users.py": MIG_001, "migrations/versions/002_email.py": MIG_002, "tests/test_models.py": PY_MODEL_TEST}

PRECOMMIT_CFG = ("repos:\n  - repo: local\n    hooks:\n      - id: no-print\n        name: no print calls in library code\n        entry: '^\\s*print\\('\n"
                 "        language: pygrep\n        types: [python]\n      - id: json-valid\n        name: json files parse\n        entry: python3 -m json.tool --no-ensure-ascii\n"
                 "        language: system\n        files: \\.json$\n      - id: no-todo-fixme\n        name: no FIXME markers\n        entry: 'FIXME'\n        language: pygrep\n        exclude: ^\\.pre-commit-config\\.yaml$\n")
PY_LIB_PRINT = "def total(xs):\n    s = sum(xs)\n    print(s)\n    return s\n"
PY_LIB_OK = "def total(xs):\n    return sum(xs)\n"
PRECOMMIT_FILES = {".pre-commit-config.yaml": PRECOMMIT_CFG, "lib/total.py": PY_LIB_PRINT, "config/app.json": "{\"port\": 8080}\n"}
GIT_INIT = "git init -q . && git -c user.email=ci@example.com -c user.name=ci add -A && echo staged $(git ls-files | wc -l) files"

COMMITLINT_CFG = "module.exports = { extends: ['@commitlint/config-conventional'] };\n"
PKG_PLAIN = "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"private\": true\n}\n"

TS_CALC = "export function add(a: number, b: number): number {\n  return a + b + (a > 5 ? 1 : 0);\n}\n"
TS_CALC_OK = "export function add(a: number, b: number): number {\n  return a + b;\n}\n"
BUN_TEST = ("import { expect, test } from \"bun:test\";\nimport { add } from \"./calc\";\n\ntest(\"adds small numbers\", () => {\n  expect(add(1, 2)).toBe(3);\n});\n\n"
            "test(\"adds large numbers\", () => {\n  expect(add(6, 7)).toBe(13);\n});\n\ntest(\"error message names the field\", () => {\n  expect(() => { throw new Error(\"port: not a number\"); }).toThrow(\"port\");\n});\n")
DENO_TEST = ("import assert from \"node:assert\";\nimport { add } from \"./calc.ts\";\n\nDeno.test(\"adds small numbers\", () => {\n  assert.strictEqual(add(1, 2), 3);\n});\n\n"
             "Deno.test(\"adds large numbers\", () => {\n  assert.strictEqual(add(6, 7), 13);\n});\n")
DENO_LINT_SRC = "export function port(raw: string): number {\n  const fallback = 8080;\n  let parsed = parseInt(raw, 10);\n  return parsed;\n}\n"

DUNE_PROJECT = "(lang dune 2.9)\n"
ML_MAIN_BAD = "let port : int = \"8080\"\n\nlet () = Printf.printf \"listening on %d\\n\" port\n"
ML_TEST = "let add a b = a + b + (if a > 5 then 1 else 0)\n\nlet () =\n  assert (add 1 2 = 3);\n  assert (add 6 7 = 13);\n  print_endline \"calc: all checks passed\"\n"
ML_TEST_OK = ML_TEST.replace(" + (if a > 5 then 1 else 0)", "")
DUNE_BUILD = {"dune-project": DUNE_PROJECT, "bin/dune": "(executable (name main))\n", "bin/main.ml": ML_MAIN_BAD}
DUNE_TEST = {"dune-project": DUNE_PROJECT, "test/dune": "(test (name test_calc))\n", "test/test_calc.ml": ML_TEST}

CR_SPEC = ("require \"spec\"\n\ndef add(a, b)\n  a + b + (a > 5 ? 1 : 0)\nend\n\ndescribe \"add\" do\n  it \"adds small numbers\" do\n    add(1, 2).should eq(3)\n  end\n\n"
           "  it \"adds large numbers\" do\n    add(6, 7).should eq(13)\n  end\nend\n")
CR_SPEC_OK = CR_SPEC.replace(" + (a > 5 ? 1 : 0)", "")
CR_MAIN_BAD = "def port(raw : String) : Int32\n  raw.to_i? || \"8080\"\nend\n\nputs port(ARGV[0]? || \"\")\n"

TF_MAIN = ("variable \"replicas\" {\n  type    = number\n  default = 0\n\n  validation {\n    condition     = var.replicas > 0\n"
           "    error_message = \"The replicas value must be at least 1.\"\n  }\n}\n\noutput \"replicas\" {\n  value = var.replicas\n}\n")
TF_MAIN_OK = TF_MAIN.replace("default = 0", "default = 2")
K8S_DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: app}\n"
              "  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/acme/app:1.4.2\n"
              "          ports:\n            - containerPort: 8080\n")
PKG_NPM_DEP = "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"dependencies\": {\"left-pad\": \"^1.3.0\"}\n}\n"
NPM_FLAKY = "npm install --registry http://127.0.0.1:9/ --cache ./.npm-cache --fetch-retries 2 --fetch-retry-mintimeout 200 --fetch-retry-maxtimeout 400 --no-audit --no-fund"
PIP_FLAKY = "python3 -m venv .venv && .venv/bin/pip install --disable-pip-version-check --no-cache-dir --retries 2 --timeout 2 --index-url http://127.0.0.1:9/simple/ -r requirements.txt"

C_A = "#include <stdlib.h>\n\nint parse_port(const char *s) {\n    int port = atoi(s)\n    return port;\n}\n"
C_B = "#include <string.h>\n\nsize_t name_len(const char *name) {\n    return strlen(name, 64);\n}\n"
C_C = "int checksum(const char *s) {\n    int h = 0, err;\n    while (*s) h = h * 31 + *s++;\n    return h;\n}\n"
MAKE_K = ("CFLAGS = -O2 -Wall\nOBJS = a.o b.o c.o\n\nci: lint build\n\nlint:\n\t@echo \"lint: 3 files checked, 0 errors\"\n\nbuild: $(OBJS)\n\t$(CC) -shared -o libapp.so $(OBJS)\n\n"
          "%.o: %.c\n\t$(CC) $(CFLAGS) -fPIC -c $< -o $@\n\n.PHONY: ci lint build\n")
CPP_MAP = "#include <map>\n#include <string>\n\nstruct Point { int x, y; };\n\nint main() {\n    std::map<Point, std::string> names;\n    names[{1, 2}] = \"origin-ish\";\n    return static_cast<int>(names.size());\n}\n"

GO_MOD = "module example.com/calc\n\ngo 1.19\n"
GO_ADD = "package calc\n\n// Add adds two numbers.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
GO_ADD_BUG = "package calc\n\n// Add adds two numbers.\nfunc Add(a, b int) int {\n\tif a == 2718 {\n\t\treturn a + b + 1\n\t}\n\treturn a + b\n}\n"
GO_LONG_TEST = ("package calc\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n)\n\nfunc TestErrorMessages(t *testing.T) {\n\tfor _, m := range []string{\"error: disk full\", \"fatal: timeout\"} {\n"
                "\t\tt.Logf(\"checked message %q\", m)\n\t}\n}\n\nfunc TestAdd(t *testing.T) {\n\tfor i := 0; i < 3000; i++ {\n\t\ti := i\n"
                "\t\tt.Run(fmt.Sprintf(\"case_%04d\", i), func(t *testing.T) {\n\t\t\tif got := Add(i, 1); got != i+1 {\n"
                "\t\t\t\tt.Errorf(\"Add(%d, 1) = %d, want %d\", i, got, i+1)\n\t\t\t}\n\t\t})\n\t}\n}\n")
RS_TOML = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"
RS_BORROW = "fn main() {\n    let mut ports = vec![8080, 8081];\n    let unused = 3;\n    let first = &ports[0];\n    ports.push(8082);\n    println!(\"first port {}\", first);\n}\n"
RS_BORROW_OK = "fn main() {\n    let mut ports = vec![8080, 8081];\n    let unused = 3;\n    let first = ports[0];\n    ports.push(8082);\n    println!(\"first port {}\", first);\n}\n"
JAVA_MAIN = ("public class Main {\n    static int port(String raw) {\n        try {\n            return Integer.parseInt(raw);\n        } catch (NumberFormatException e) {\n"
             "            throw new IllegalStateException(\"invalid port in config: \" + raw, e);\n        }\n    }\n\n    public static void main(String[] args) {\n"
             "        System.out.println(\"starting with config app.properties\");\n        System.out.println(\"listening on \" + port(\"80a\"));\n    }\n}\n")
PY_TYPED = "def port(raw: str) -> int:\n    if not raw:\n        return 8080\n    return raw\n\n\ndef banner(p: int) -> str:\n    return 'listening on ' + p\n"
PY_TYPED_OK = "def port(raw: str) -> int:\n    if not raw:\n        return 8080\n    return int(raw)\n\n\ndef banner(p: int) -> str:\n    return 'listening on ' + str(p)\n"

JOBS = [
    # failing runs
    ("gha_matrix_hypothesis_falsified", "gha_matrix", HYP_FILES, ["python3 --version", "pytest -q -p no:cacheprovider --hypothesis-seed=0 test_dedupe.py"],
     [("Failing test case", 2), ("E       assert", 0), ("FAILED test_dedupe.py", 0)]),
    ("gitlab_alembic_not_null", "gitlab_sections", ALEMBIC_FILES, ["pytest -q -p no:cacheprovider tests", "alembic upgrade head"],
     [("sqlalchemy.exc.OperationalError", 1)]),
    ("circleci_precommit_hooks", "circleci_post", PRECOMMIT_FILES, [GIT_INIT, "pre-commit --version", "pre-commit run --all-files --color never"],
     [("Failed", 0), ("lib/total.py:3:", 0)]),
    ("woodpecker_commitlint", "woodpecker", {"commitlint.config.js": COMMITLINT_CFG, "package.json": PKG_PLAIN, "node_modules": NODE_MODULES},
     ["commitlint --version", "echo 'Fixed the parser for empty ports' | commitlint"], [("✖   subject may not be empty", 0), ("✖   type may not be empty", 0)]),
    ("buildkite_bun_test_fail", "buildkite_groups", {"calc.ts": TS_CALC, "calc.test.ts": BUN_TEST}, [ENV_PROBE, "bun --version", "bun test"],
     [("error: expect(received).toBe(expected)", 3), ("(fail) adds large numbers", 0)]),
    ("appveyor_deno_test_fail", "appveyor", {"calc.ts": TS_CALC, "calc_test.ts": DENO_TEST}, ["deno --version", "deno test --no-check calc_test.ts"],
     [("error: AssertionError", 3)]),
    ("gitlab_deno_lint", "gitlab_sections", {"src/port.ts": DENO_LINT_SRC}, ["deno --version", "deno lint src/"], [("error[", 0)]),
    ("azure_dune_type_error", "azure_tasks", DUNE_BUILD, ["ocaml -version", "dune build 2>&1"], [("File \"bin/main.ml\"", 0), ("Error: This expression", 1)]),
    ("jenkins_dune_test_fail", "jenkins_pipeline", DUNE_TEST, [ENV_PROBE, "dune --version", "dune test 2>&1"], [("Fatal error: exception", 0)]),
    ("bitbucket_crystal_spec_fail", "bitbucket", {"spec/calc_spec.cr": CR_SPEC}, ["crystal --version | head -1", "crystal spec --no-color"],
     [("Failure/Error", 3), ("1) add adds large numbers", 0)]),
    ("woodpecker_crystal_build_error", "woodpecker", {"src/port.cr": CR_MAIN_BAD}, ["crystal --version | head -1", "crystal build --no-color src/port.cr"],
     [("Error: ", 0)]),
    ("azure_terraform_plan_validation", "azure_tasks", {"main.tf": TF_MAIN}, ["terraform version", "terraform init -input=false -no-color", "terraform plan -input=false -no-color"],
     [("Error: Invalid value for variable", 0), ("The replicas value must be at least 1", 0)]),
    ("gitlab_kubectl_apply_no_cluster", "gitlab_sections", {"k8s/deploy.yaml": K8S_DEPLOY}, ["kubectl version --client", "kubectl apply -f k8s/"],
     [("error: ", 0)]),
    ("jenkins_pip_index_unreachable", "jenkins_pipeline", {"requirements.txt": "requests==2.32.3\n"}, ["python3 --version", PIP_FLAKY],
     [("Could not find a version that satisfies", 0), ("No matching distribution found", 0)]),
    ("gha_matrix_npm_registry_unreachable", "gha_matrix", {"package.json": PKG_NPM_DEP}, ["node --version", NPM_FLAKY],
     [("npm error code ECONNREFUSED", 0), ("npm error FetchError", 0)]),
    ("laptop_make_k_two_errors", "laptop", {"a.c": C_A, "b.c": C_B, "c.c": C_C, "Makefile": MAKE_K}, ["make -k -j2 ci"],
     [("error:", 0)]),
    ("gha_matrix_gpp_template_cascade", "gha_matrix", {"main.cpp": CPP_MAP}, ["g++ --version | head -1", "g++ -std=c++17 -Wall -c main.cpp -o main.o"],
     [("error: no match for ‘operator<’", 0), ("main.cpp:8:", 0)]),
    ("woodpecker_go_test_long_fail", "woodpecker", {"go.mod": GO_MOD, "add.go": GO_ADD_BUG, "add_test.go": GO_LONG_TEST}, ["go version", "go test -v -count=1 ./..."],
     [("want 2719", 0), ("--- FAIL: TestAdd/case_2718", 0)]),
    ("appveyor_rustc_borrow", "appveyor", {"Cargo.toml": RS_TOML, "src/main.rs": RS_BORROW}, ["cargo --version", "cargo build --color never"],
     [("error[E0502]", 0)]),
    ("buildkite_java_caused_by", "buildkite_groups", {"Main.java": JAVA_MAIN}, ["java -version 2>&1 | head -1", "java Main.java"],
     [("Exception in thread \"main\"", 0), ("Caused by:", 0)]),
    ("azure_mypy_errors", "azure_tasks", {"src/app.py": PY_TYPED}, [ENV_PROBE, "mypy --version", "mypy src"], [("error:", 0)]),
    # passing runs of the same jobs
    ("gha_matrix_hypothesis_pass", "gha_matrix", {**HYP_FILES, "dedupe.py": PY_DEDUPE_OK}, ["python3 --version", "pytest -q -p no:cacheprovider --hypothesis-seed=0 test_dedupe.py"], []),
    ("gitlab_alembic_pass", "gitlab_sections", {**ALEMBIC_FILES, "migrations/versions/002_email.py": MIG_002_OK}, ["pytest -q -p no:cacheprovider tests", "alembic upgrade head"], []),
    ("circleci_precommit_pass", "circleci_post", {**PRECOMMIT_FILES, "lib/total.py": PY_LIB_OK}, [GIT_INIT, "pre-commit --version", "pre-commit run --all-files --color never"], []),
    ("buildkite_bun_test_pass", "buildkite_groups", {"calc.ts": TS_CALC_OK, "calc.test.ts": BUN_TEST}, [ENV_PROBE, "bun --version", "bun test"], []),
    ("appveyor_deno_test_pass", "appveyor", {"calc.ts": TS_CALC_OK, "calc_test.ts": DENO_TEST}, ["deno --version", "deno test --no-check calc_test.ts"], []),
    ("jenkins_dune_test_pass", "jenkins_pipeline", {**DUNE_TEST, "test/test_calc.ml": ML_TEST_OK}, [ENV_PROBE, "dune --version", "dune test 2>&1"], []),
    ("bitbucket_crystal_spec_pass", "bitbucket", {"spec/calc_spec.cr": CR_SPEC_OK}, ["crystal --version | head -1", "crystal spec --no-color"], []),
    ("azure_terraform_plan_pass", "azure_tasks", {"main.tf": TF_MAIN_OK}, ["terraform version", "terraform init -input=false -no-color", "terraform plan -input=false -no-color"], []),
    ("woodpecker_go_test_long_pass", "woodpecker", {"go.mod": GO_MOD, "add.go": GO_ADD, "add_test.go": GO_LONG_TEST}, ["go version", "go test -v -count=1 ./..."], []),
    ("appveyor_rustc_pass", "appveyor", {"Cargo.toml": RS_TOML, "src/main.rs": RS_BORROW_OK}, ["cargo --version", "cargo build --color never"], []),
    ("azure_mypy_pass", "azure_tasks", {"src/app.py": PY_TYPED_OK}, [ENV_PROBE, "mypy --version", "mypy src"], []),
]
PASS_OF = {"gha_matrix_hypothesis_falsified": "gha_matrix_hypothesis_pass", "gitlab_alembic_not_null": "gitlab_alembic_pass",
           "circleci_precommit_hooks": "circleci_precommit_pass", "buildkite_bun_test_fail": "buildkite_bun_test_pass",
           "appveyor_deno_test_fail": "appveyor_deno_test_pass", "jenkins_dune_test_fail": "jenkins_dune_test_pass",
           "bitbucket_crystal_spec_fail": "bitbucket_crystal_spec_pass", "azure_terraform_plan_validation": "azure_terraform_plan_pass",
           "woodpecker_go_test_long_fail": "woodpecker_go_test_long_pass", "appveyor_rustc_borrow": "appveyor_rustc_pass",
           "azure_mypy_errors": "azure_mypy_pass"}


# Real failed CI logs of public projects, read through the search tools and typed from the stored text
# (kept as files beside the generated ones; labelled by reading them, before errdiag ran on them). All five
# are Travis CI jobs from the LogChunks thesis repository (lacinoire/master-thesis,
# tool/samples/<Language>/<owner@repo>/failed/<job>.log):
#  - real_travis_nancy_cake_install (C#/NancyFx@Nancy/375658615): a macOS job; the head of the log (worker
#    and system info, a harmless `yarn: command not found` and a keychain message, the Mono installer) and its
#    tail (mono/xbuild/dotnet versions, then ./build.sh, whose one-line cause is "An error occured while
#    installing Cake."); the wget progress bars, the installer's repeated percentage lines and the git clone
#    in between are left out;
#  - real_travis_powershell_cs0246 (C#/powershell@PowerShell/535985298): the tail from the .NET install on: a
#    dependabot bump breaks the C# build (error CS0246 among the MSBuild project lines), the PowerShell build
#    script's exception below it, a passing spelling step, the cache upload and after_failure after it;
#  - real_travis_bitcoin_lint_include_guard (C++/bitcoin@bitcoin/567118690): the tail of a lint job (the
#    stored log ends there): a missing include guard ("^---- failure generated from ..."), then codespell's
#    spelling findings and its closing "^ Warning:" line, which does not fail the job;
#  - real_travis_php_src_failed_summary (C/php@php-src/563390803): the tail of run-tests.php: 30 XFAIL lines
#    (expected failures), then the FAILED TEST SUMMARY naming one mysqli test, the command's exit line, a
#    passing command and the cache upload;
#  - real_travis_jekyll_minitest_jruby (Ruby/jekyll@jekyll/557871100): the tail of a JRuby minitest run: skips,
#    one `Failure:` block, the summary, SimpleCov and rake's `Command failed` wrapper, then the cache step and
#    a coverage reporter's after_script that refuses to run ("Error: will not run after-build due to previous
#    exit code of 1").
# Lines are as stored (the travis_fold/travis_time markers glued to the next text, as the stored text has them).
REAL = [{"log": "fresh4/real_travis_nancy_cake_install.log", "ranges": [[110, 110]]},
        {"log": "fresh4/real_travis_powershell_cs0246.log", "ranges": [[32, 32]]},
        {"log": "fresh4/real_travis_bitcoin_lint_include_guard.log", "ranges": [[35, 35], [41, 41]]},
        {"log": "fresh4/real_travis_php_src_failed_summary.log", "ranges": [[31, 31], [33, 33]]},
        {"log": "fresh4/real_travis_jekyll_minitest_jruby.log", "ranges": [[20, 22]]}]


def main() -> int:
    # the tools are called by name, as a CI image that has them installed would
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]
    os.environ.pop("PIP_FIND_LINKS", None)  # this machine's local wheel folder and index: a CI runner has neither
    os.environ.update({"PIP_CONFIG_FILE": "/dev/null", "DENO_NO_UPDATE_CHECK": "1", "CRYSTAL_CACHE_DIR": "/tmp/f4-crystal-cache", "PRE_COMMIT_HOME": "/tmp/f4-pre-commit"})
    return ml.write_set(sys.argv, JOBS, PASS_OF, "fresh4", mf._labels, REAL, mf._labels)


if __name__ == "__main__":
    sys.exit(main())
