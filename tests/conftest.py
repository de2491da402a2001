"""Shared fixtures: every test runs with isolated user state and an injected environment."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from errdiag.cli import main
from errdiag.environment import Environment

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test may read or write the real user's config, cache or knowledge paths."""
    for var in ("ERRDIAG_KB_PATH", "ERRDIAG_BUNDLED_DIR", "GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "CI"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ERRDIAG_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ERRDIAG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory) -> Path:
    """RUNNER_TEMP shared by the CI tests (action, docs/ci.md), as by the steps of one job: one environment."""
    return tmp_path_factory.mktemp("runner")


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def make_env(tmp_path: Path, stdin: bytes | None = None, env: dict | None = None, tty: bool = False,
             cwd: Path | None = None) -> Environment:
    base = {
        "ERRDIAG_CONFIG_DIR": str(tmp_path / "config"),
        "ERRDIAG_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "PATH": __import__("os").environ.get("PATH", ""),
        "HOME": str(tmp_path),
    }
    base.update(env or {})
    base = {k: v for k, v in base.items() if v is not None}
    return Environment(
        stdin=io.BytesIO(stdin or b""), stdout=io.StringIO(), stderr=io.StringIO(),
        stdin_isatty=stdin is None, stdout_isatty=tty, stderr_isatty=False, env=base, cwd=cwd or tmp_path,
    )


@pytest.fixture
def cli(tmp_path):
    """Run the CLI in-process with injected streams: cli(args, stdin=b'...', env={...})."""

    def run(args: list[str], stdin: bytes | None = None, env: dict | None = None, tty: bool = False,
            cwd: Path | None = None) -> CliResult:
        e = make_env(tmp_path, stdin, env, tty, cwd)
        code = main(args, e)
        return CliResult(code, e.stdout.getvalue(), e.stderr.getvalue())

    return run


@pytest.fixture
def demo_cli(cli):
    """The CLI with the small demo knowledge base in place of the bundled one."""

    def run(args, stdin=None, env=None, **kw):
        merged = {"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}
        merged.update(env or {})
        return cli(args, stdin=stdin, env=merged, **kw)

    return run


@pytest.fixture
def demo_kb():
    from errdiag.kb import load_knowledge

    return load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=FIXTURE_KB, config_dir=None,
                          entry_points=False)


def write_many_entries(root: Path, n: int) -> tuple[Path, bytes]:
    """A pack of n distinct entries under root, and a log holding each of their errors once."""
    pack = root / "pack" / "many"
    pack.mkdir(parents=True)
    for i in range(n):
        (pack / f"e{i}.yaml").write_text(
            f"id: many.e{i}\ntitle: E{i}\ntool: Many\ncategory: runtime\nsummary: s\n"
            f"signatures:\n  - literal: 'distinct failure number {i:02d} here'\n")
    text = "".join(f"distinct failure number {i:02d} here\n" for i in range(n)).encode()
    return root / "pack", text
