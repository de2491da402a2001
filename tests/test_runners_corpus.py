"""Test runners as first-class knowledge: real failing outputs rank their runner's entry first, the rerun
command filled from the captures names the failing test and parses as shell, and passing runs stay quiet.

Each `tests/corpus/runners/*.txt` file is a real run (or a cited public one), with a header:
`# expect: <entry id>`, `# test: <the failing test as the rerun command must name it>`, `# source: ...`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from errdiag import diagnose

from .test_bundled_kb import KB

CORPUS = sorted((Path(__file__).parent / "corpus" / "runners").glob("*.txt"))
PASSING = sorted((Path(__file__).parent / "corpus" / "benign").glob("runner_*_pass.txt"))

# How CI systems prefix each line of a job log: the entries must work inside whole logs too.
PREFIXES = {
    "plain": "",
    "github": "2024-01-01T00:00:00.0000000Z ",
    "stamped": "2024-01-01T00:00:00.000Z ",
}


def _load(path: Path) -> tuple[dict[str, str], str]:
    header: dict[str, str] = {}
    lines = path.read_text().splitlines(keepends=True)
    while lines and lines[0].startswith("# ") and ":" in lines[0]:
        key, _, value = lines.pop(0)[2:].partition(":")
        if key not in ("expect", "test", "source"):
            break
        header[key] = value.strip()
    return header, "".join(lines)


def _prefixed(text: str, prefix: str) -> str:
    return "".join(prefix + line for line in text.splitlines(keepends=True))


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_runner_output_ranks_its_entry_first(path, prefix):
    header, text = _load(path)
    result = diagnose(_prefixed(text, PREFIXES[prefix]), KB)
    assert result.best is not None, path.name
    assert result.best.id == header["expect"], [d.id for d in result.diagnoses[:3]]


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_rerun_command_names_the_failing_test(path):
    header, text = _load(path)
    best = diagnose(text, KB).best
    assert best is not None
    command = best.fill(next(f.command for f in best.entry.quick_fixes if f.command))
    assert header["test"] in command, command
    assert "<" not in command.replace("<<<", ""), f"unfilled placeholder in {command!r}"
    bash = shutil.which("bash")
    if bash:
        parsed = subprocess.run([bash, "-n", "-c", command], capture_output=True, text=True)
        assert parsed.returncode == 0, (command, parsed.stderr)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_diagnosis_points_at_a_line_of_the_failure(path):
    """The line reported is inside the output (not the header), at or after the first failing test's name."""
    header, text = _load(path)
    best = diagnose(text, KB).best
    lines = text.splitlines()
    assert best is not None and 1 <= best.line <= len(lines)
    assert "pass" not in lines[best.line - 1].lower().split(), lines[best.line - 1]


@pytest.mark.parametrize("path", PASSING, ids=[p.stem for p in PASSING])
def test_passing_runs_get_no_runner_diagnosis(path):
    """A passing run of the same runner (real output) never yields a test-failure diagnosis."""
    text = path.read_text()
    ids = {h["expect"] for h, _ in map(_load, CORPUS)}
    for prefix in PREFIXES.values():
        found = {d.id for d in diagnose(_prefixed(text, prefix), KB).diagnoses}
        assert not found & ids, found
