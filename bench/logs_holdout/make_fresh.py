#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""A further held-out batch, made after the key-line rules were tuned on the first one (make_local.py and
travis/): other CI shapes (Google Cloud Build, AWS CodeBuild, `gh run view --log`, Jenkins with the
timestamper plugin, Semaphore) and other failures (clippy, cargo fmt, go race, javac, kotlinc type
mismatch, curl DNS, apt-get, git describe, perl syntax, node syntax error, python unittest, terraform fmt,
sqlite). The failing lines are chosen here (`marks`), before errdiag sees the logs; scored once, untouched.

    python bench/logs_holdout/make_fresh.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_local as ml  # noqa: E402  (the tool runner and the other CI shapes)


def cloudbuild(steps, failed: bool) -> list[str]:
    out = ["starting build \"8d1f2c3a-4b5e-4f6a-9b7c-0d1e2f3a4b5c\"", "", "FETCHSOURCE",
           "Fetching storage object: gs://acme-app_cloudbuild/source/1762178527.812-4c1d.tgz#1762178528", "Copying gs://acme-app_cloudbuild/source/1762178527.812-4c1d.tgz#1762178528...",
           "/ [1 files][ 12.1 KiB/ 12.1 KiB]", "Operation completed over 1 objects/12.1 KiB.", "BUILD"]
    for n, (_cmd, body) in enumerate(steps):
        out += [f"Starting Step #{n}", f"Step #{n}: Already have image (with digest): gcr.io/cloud-builders/docker"]
        out += [f"Step #{n}: {x}" for x in body]
        if failed and n == len(steps) - 1:
            out += [f"Finished Step #{n}", "ERROR", f"ERROR: build step {n} \"gcr.io/cloud-builders/docker\" failed: step exited with non-zero status: 1"]
        else:
            out += [f"Finished Step #{n}"]
    if not failed:
        out += ["PUSH", "DONE"]
    return out


def codebuild(steps, failed: bool) -> list[str]:
    def c(i, text):
        return f"[Container] 2026/11/03 14:02:{7 + i // 3:02d}.{(i * 7919) % 1000000:06d} {text}"
    rows = [(True, "Waiting for agent ping"), (True, "Waiting for DOWNLOAD_SOURCE"), (True, "Phase is DOWNLOAD_SOURCE"),
            (True, "CODEBUILD_SRC_DIR=/codebuild/output/src2817/src/github.com/acme/app"), (True, "YAML location is /codebuild/output/src2817/src/github.com/acme/app/buildspec.yml"),
            (True, "Processing environment variables"), (True, "Moving to directory /codebuild/output/src2817/src/github.com/acme/app"),
            (True, "Registering with agent"), (True, "Phases found in YAML: 2"), (True, " INSTALL: 1 commands"), (True, " BUILD: 1 commands"),
            (True, "Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED"), (True, "Phase context status code:  Message: "),
            (True, "Entering phase INSTALL")]
    for n, (cmd, body) in enumerate(steps):
        if n == len(steps) - 1:
            rows += [(True, "Phase complete: INSTALL State: SUCCEEDED"), (True, "Phase context status code:  Message: "), (True, "Entering phase BUILD")]
        rows.append((True, f"Running command {cmd}"))
        rows += [(False, x) for x in body]
    if failed:
        rows += [(True, f"Command did not exit successfully {steps[-1][0]} exit status 1"),
                 (True, "Phase complete: BUILD State: FAILED"),
                 (True, f"Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: {steps[-1][0]}. Reason: exit status 1")]
    else:
        rows += [(True, "Phase complete: BUILD State: SUCCEEDED"), (True, "Phase context status code:  Message: ")]
    rows += [(True, "Entering phase POST_BUILD"), (True, "Phase complete: POST_BUILD State: SUCCEEDED"), (True, "Phase context status code:  Message: ")]
    return [c(i, t) if tagged else t for i, (tagged, t) in enumerate(rows)]


def gh_run_log(steps, failed: bool) -> list[str]:
    """`gh run view --log`: job, step and a timestamp before every line, tab-separated."""
    rows = [("Set up job", "Current runner version: '2.320.0'"), ("Set up job", "Operating System"), ("Set up job", "Ubuntu"),
            ("Set up job", "24.04.1"), ("Run actions/checkout@v4", "##[group]Run actions/checkout@v4"),
            ("Run actions/checkout@v4", "Syncing repository: acme/app"),
            ("Run actions/checkout@v4", "[command]/usr/bin/git config --global --add safe.directory /home/runner/work/app/app"),
            ("Run actions/checkout@v4", "[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main"),
            ("Run actions/checkout@v4", "Switched to a new branch 'main'")]
    for cmd, body in steps:
        step = f"Run {cmd}"
        rows += [(step, f"##[group]Run {cmd}"), (step, cmd), (step, "shell: /usr/bin/bash -e {0}"), (step, "##[endgroup]")]
        rows += [(step, x) for x in body]
    if failed:
        rows.append((f"Run {steps[-1][0]}", "##[error]Process completed with exit code 1."))
    rows += [("Post Run actions/checkout@v4", "Post job cleanup."), ("Complete job", "Cleaning up orphan processes")]
    return [f"test\t{s}\t{ml._clock(i).strftime('%Y-%m-%dT%H:%M:%S.%f')}0Z {x}" for i, (s, x) in enumerate(rows)]


def jenkins_ts(steps, failed: bool) -> list[str]:
    lines = ml.jenkins_free(steps, failed)
    lines[lines.index("Running as SYSTEM") + 1:lines.index("Running as SYSTEM") + 1] = []
    return [f"[{ml._clock(i).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z] {x}" for i, x in enumerate(lines)]


def semaphore(steps, failed: bool) -> list[str]:
    out = ["Exporting environment variables", "Exporting CI", "Exporting SEMAPHORE_JOB_ID", "Injecting Files",
           "Running the pre-job hook configured in the agent", "Starting a new bash session.", "Connecting to cache",
           "checkout", "Performing shallow clone with depth: 50", "Cloning into 'app'...",
           "HEAD is now at 9c8b7a6 fix: flaky cache key", "sem-version go 1.22", "Switched to go 1.22"]
    for cmd, body in steps:
        out += [cmd] + body
    out += ["", "Running the post-job hook configured in the agent",
            f"export SEMAPHORE_JOB_RESULT={'failed' if failed else 'passed'}"]
    return out


ml.SHAPES.update({"cloudbuild": cloudbuild, "codebuild": codebuild, "ghlog": gh_run_log, "jenkins_ts": jenkins_ts,
                  "semaphore": semaphore})

RS_TOML = ml.RS_TOML
JOBS = [
    ("codebuild_clippy_deny", "codebuild", {"Cargo.toml": RS_TOML, "src/main.rs": "fn main() {\n    let n = std::env::args().count() == 1;\n    if n == true {\n        println!(\"no arguments\");\n    }\n}\n"},
     ["cargo --version", "cargo clippy --color never -- -D warnings"], [("equality checks against true are unnecessary", 1)]),
    ("semaphore_cargo_fmt_check", "semaphore", {"Cargo.toml": RS_TOML, "src/main.rs": "fn main(){println!(\"hi\");}\n"},
     ["cargo fmt --version", "cargo fmt --check"], [("Diff in", 0)]),
    ("cloudbuild_go_race", "cloudbuild", {"go.mod": ml.GO_MOD, "c.go": "package calc\n\nvar hits int\n\nfunc Hit() { hits++ }\n",
                                         "c_test.go": "package calc\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestHits(t *testing.T) {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n\t\tgo func() { defer wg.Done(); Hit() }()\n\t}\n\twg.Wait()\n}\n"},
     ["go test -race ./..."], [("WARNING: DATA RACE", 0), ("race detected during execution of test", 0)]),
    ("ghlog_javac_incompatible", "ghlog", {"src/App.java": "public class App {\n    public static void main(String[] args) {\n        int port = System.getenv(\"PORT\");\n        System.out.println(port);\n    }\n}\n"},
     ["javac -d out src/App.java"], [("incompatible types", 2)]),
    ("jenkins_ts_kotlinc_mismatch", "jenkins_ts", {"Main.kt": "fun port(): Int = \"8080\"\n\nfun main() {\n    println(port())\n}\n"},
     ["kotlinc Main.kt -d out.jar"], [("type mismatch", 0), ("return type mismatch", 0), ("Type mismatch", 0)]),
    ("codebuild_curl_dns", "codebuild", {"x": ""}, ["curl --version | head -1", "curl -fsS https://artifacts.internal.example/releases/app-1.4.2.tar.gz -o app.tgz"], [("Could not resolve host", 0)]),
    ("semaphore_apt_missing", "semaphore", {"x": ""}, ["apt-get install -y --no-download libfoo-nonexistent-dev"], [("Unable to locate package", 0)]),
    ("cloudbuild_git_describe", "cloudbuild", {"x": ""}, ["git init -q . && git -c user.name=ci -c user.email=ci@x commit -q --allow-empty -m init && echo committed", "git describe --tags"], [("No names found", 0)]),
    ("ghlog_perl_syntax", "ghlog", {"lib/Calc.pm": "package Calc;\nuse strict;\nsub add { my ($a, $b) = @_; return $a + $b\n1;\n"}, ["perl -c lib/Calc.pm"], [("syntax error", 0), ("Missing right curly", 0)]),
    ("jenkins_ts_node_syntax", "jenkins_ts", {"server.js": "const http = require('http');\nconst port = process.env.PORT || 3000\nhttp.createServer((req, res) => {\n  res.end('ok')\n}).listen(port, () => {\n  console.log(`listening on ${port}`)\n)\n"},
     ["node --version", "node --check server.js"], [("SyntaxError", 0)]),
    ("codebuild_unittest_fail", "codebuild", {"calc.py": "def mean(xs):\n    return sum(xs) / len(xs)\n",
                                             "test_calc.py": "import unittest\nfrom calc import mean\n\n\nclass MeanTest(unittest.TestCase):\n    def test_mean(self):\n        self.assertEqual(mean([1, 2, 3]), 2)\n\n    def test_empty(self):\n        self.assertEqual(mean([]), 0)\n\n\nif __name__ == '__main__':\n    unittest.main()\n"},
     ["python3 --version", "python3 -m unittest -v"], [("ZeroDivisionError", 0)]),
    ("semaphore_terraform_fmt", "semaphore", {"main.tf": "variable \"region\" {\ntype = string\n  default   = \"eu-west-1\"\n}\n"}, ["terraform version | head -1", "terraform fmt -check -diff -no-color"], [("main.tf", 0)]),
    ("gitlab_sqlite_migration", "gitlab", {"migrate.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nINSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'A');\n"},
     ["sqlite3 --version", "sqlite3 -bail app.db < migrate.sql"], [("has no column named name", 0)]),
    # passing runs
    ("codebuild_clippy_pass", "codebuild", {"Cargo.toml": RS_TOML, "src/main.rs": "fn main() {\n    let n = std::env::args().count() == 1;\n    if n {\n        println!(\"no arguments\");\n    }\n}\n"},
     ["cargo --version", "cargo clippy --color never -- -D warnings"], []),
    ("cloudbuild_go_race_pass", "cloudbuild", {"go.mod": ml.GO_MOD, "c.go": "package calc\n\nimport \"sync/atomic\"\n\nvar hits int64\n\nfunc Hit() { atomic.AddInt64(&hits, 1) }\n",
                                              "c_test.go": "package calc\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestHits(t *testing.T) {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n\t\tgo func() { defer wg.Done(); Hit() }()\n\t}\n\twg.Wait()\n}\n"},
     ["go test -race ./..."], []),
    ("codebuild_unittest_pass", "codebuild", {"calc.py": "def mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n",
                                             "test_calc.py": "import unittest\nfrom calc import mean\n\n\nclass MeanTest(unittest.TestCase):\n    def test_mean(self):\n        self.assertEqual(mean([1, 2, 3]), 2)\n\n    def test_empty(self):\n        self.assertEqual(mean([]), 0)\n\n\nif __name__ == '__main__':\n    unittest.main()\n"},
     ["python3 --version", "python3 -m unittest -v"], []),
]
PASS_OF = {"codebuild_clippy_deny": "codebuild_clippy_pass", "cloudbuild_go_race": "cloudbuild_go_race_pass",
           "codebuild_unittest_fail": "codebuild_unittest_pass"}


def _labels(case: dict) -> dict:
    ranges = [list(r) for r in sorted({tuple(r) for r in case["ranges"]})]
    return {**case, "ranges": ranges, "start": ranges[0][0], "end": ranges[-1][1]}


def main() -> int:
    ml.write_jobs(Path(sys.argv[1]), JOBS, PASS_OF, "fresh", "cases.jsonl", finish=_labels)
    return 0

if __name__ == "__main__":
    sys.exit(main())
