"""Real compiler, type-checker and linter output (tests/corpus/compilers) is diagnosed by the right entry.

Each file was produced by running the tool on a small broken source (or, where the tool could not be
installed, copied from a public thread named in the file). Its first line says what is expected:

    # expect: <id>          the entry that must rank first
    # expect: none          no diagnosis at all (warnings only, clean runs)
    # captures: k=v k=v     values the diagnosis must capture (optional)
    # source: <url>         where a found (not locally produced) output was published (optional)

and the quick fixes and checks of the diagnosis, filled from its captures, must be valid shell.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from errdiag import diagnose, load_knowledge

CORPUS = sorted((Path(__file__).parent / "corpus" / "compilers").glob("*.txt"))
KB = load_knowledge()
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _header(text: str) -> tuple[str, dict[str, str], str]:
    lines = text.split("\n")
    expect = lines[0].removeprefix("# expect:").strip()
    captures: dict[str, str] = {}
    body_from = 1
    while body_from < len(lines) and lines[body_from].startswith(("# captures:", "# source:")):
        if lines[body_from].startswith("# captures:"):
            for pair in lines[body_from].removeprefix("# captures:").split():
                k, _, v = pair.partition("=")
                captures[k] = v
        body_from += 1
    return expect, captures, "\n".join(lines[body_from:])


def test_corpus_is_there():
    assert len(CORPUS) >= 30
    for path in CORPUS:
        assert path.read_text().startswith("# expect: "), path.name


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_real_output_ranks_its_entry_first(path):
    expect, want, body = _header(path.read_text())
    result = diagnose(body, KB)
    if expect == "none":
        assert not result.diagnoses, [d.id for d in result.diagnoses]
        return
    assert expect in {e.id for e in KB.entries}, f"unknown id {expect}"
    assert result.best is not None, "nothing diagnosed"
    assert result.best.id == expect, [(d.id, d.confidence) for d in result.diagnoses[:3]]
    for k, v in want.items():
        assert result.best.captures.get(k) == v, (k, result.best.captures)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_filled_commands_are_valid_shell(path):
    expect, _, body = _header(path.read_text())
    if expect == "none":
        return
    d = diagnose(body, KB).best
    commands = [c.command for c in (*d.entry.quick_fixes, *d.entry.checks) if c.command]
    # a command whose placeholders were all captured is filled and must parse; one that needs a value
    # this output does not have is shown with <name> and is not a runnable command
    filled = [d.fill(c) for c in commands if all(n in d.captures for n in _PLACEHOLDER.findall(c))]
    assert filled, "no runnable command"
    for cmd in filled:
        run = subprocess.run(["bash", "-n", "-c", cmd], capture_output=True, text=True, timeout=10)
        assert run.returncode == 0, (cmd, run.stderr)


def _body(name: str) -> str:
    return _header((Path(__file__).parent / "corpus" / "compilers" / name).read_text())[2]


def _errors_only(text: str) -> str:
    """The error lines of an output as they continue the same run: no command line, header or progress."""
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith(("$ ", "# ", "   Compiling ")))


@pytest.mark.parametrize("first, later, first_id, later_id", [
    ("rustc-e0425.txt", "rustc-e0308.txt", "rust.e0425", "rust.e0308"),
    ("tsc-ts2304-plain.txt", "tsc-ts2339-pretty.txt", "typescript.ts2304", "typescript.ts2339"),
    ("go-build-undefined.txt", "go-build-declared-unused.txt", "go.undefined", "go.declared_not_used"),
])
def test_the_first_of_several_errors_wins(first, later, first_id, later_id):
    """A compiler prints every error; the earliest is the cause. Entries of one compiler that can hit the
    same output are equally strong, so the position decides, whichever comes first."""
    a, b = _body(first), _body(later)
    assert diagnose(a + _errors_only(b), KB).best.id == first_id
    assert diagnose(b + _errors_only(a), KB).best.id == later_id
