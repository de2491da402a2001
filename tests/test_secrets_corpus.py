"""The secret corpus (issue 14, High 3): no secret in tests/corpus/secrets/cases.yaml may appear in anything
errdiag prints or writes, in any format or path, and ordinary error words are not masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from errdiag.commands.match import render
from errdiag.engine import diagnose
from errdiag.kb import load_knowledge
from errdiag.redact import MASK, redact
from errdiag.render import RenderOptions

from .conftest import make_env

CORPUS = Path(__file__).parent / "corpus" / "secrets"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
ORDINARY = [ln for ln in (CORPUS / "ordinary.txt").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
FORMATS = ["plain", "rich", "json", "markdown", "github", "sarif"]
IDS = [c["kind"].replace(" ", "-") for c in CASES]


@pytest.fixture(scope="module")
def kb():
    return load_knowledge([CORPUS / "kb"], env={}, cwd=CORPUS, config_dir=None, cache_dir=None,
                          entry_points=False)


def leaks(case: dict, out: str) -> list[str]:
    return [s for s in case["secrets"] if s in out]


def test_corpus_covers_forty_kinds():
    assert len({c["kind"] for c in CASES}) >= 40
    assert all(c["secrets"] and all(s in c["text"] for s in c["secrets"]) for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_redact_masks_the_secret(case):
    out = redact(case["text"])
    assert not leaks(case, out), out
    assert MASK in out


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_error_words_are_not_masked(line):
    assert redact(line) == line


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_in_any_format(kb, tmp_path, fmt):
    summary = tmp_path / "summary.md"
    failures = []
    for case in CASES:
        result = diagnose(case["text"], kb)
        assert any(d.id.startswith("probe.") for d in result.diagnoses), case["kind"]
        env = make_env(tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
        render(env, result, RenderOptions(fmt, None, True, True))
        out = env.stdout.getvalue() + env.stderr.getvalue()
        if fmt == "github":
            out += summary.read_text(encoding="utf-8")
        if fmt in ("json", "sarif"):
            json.loads(env.stdout.getvalue())  # masking must keep it valid
        found = leaks(case, out)
        if found:
            failures.append((case["kind"], found))
    assert not failures


def test_no_secret_from_run(cli, tmp_path):
    """`run` echoes its command line and renders the report: neither may carry the secret."""
    failures = []
    for i, case in enumerate(CASES):
        log = tmp_path / f"case{i}.log"
        log.write_text(case["text"], encoding="utf-8")
        secret = case["secrets"][0]
        r = cli(["run", "--kb", str(CORPUS / "kb"), "--format", "plain", "--", "sh", "-c", 'cat "$1" >&2; exit 3',
                 "sh", str(log), f"--token={secret}"], env={"ERRDIAG_BUNDLED_DIR": str(CORPUS / "kb")})
        assert r.code == 3
        report = r.stderr.split("errdiag: `", 1)[-1]  # what errdiag wrote after the command's own output
        if leaks(case, report):
            failures.append(case["kind"])
    assert not failures


def test_no_secret_written_by_kb_new(cli, tmp_path):
    failures = []
    for i, case in enumerate(CASES):
        src = tmp_path / f"case{i}.txt"
        src.write_text(case["text"], encoding="utf-8")
        r = cli(["kb", "new", f"leak.case_{i}", "--dir", str(tmp_path / "kb"), "--from", str(src)])
        assert r.code == 0, r.stderr
        written = (tmp_path / "kb" / "leak" / f"case_{i}.yaml").read_text(encoding="utf-8")
        if leaks(case, written):
            failures.append(case["kind"])
    assert not failures


def test_no_secret_in_github_annotations_and_summary_via_cli(cli, tmp_path):
    summary = tmp_path / "summary.md"
    text = "".join(c["text"] for c in CASES)
    r = cli(["match", "--kb", str(CORPUS / "kb"), "--format", "github", "--all", "-"], stdin=text.encode(),
            env={"GITHUB_STEP_SUMMARY": str(summary)})
    out = r.stdout + r.stderr + summary.read_text(encoding="utf-8")
    assert [c["kind"] for c in CASES if leaks(c, out)] == []


def test_line_is_cut_after_redaction(kb):
    case = next(c for c in CASES if c["kind"] == "key cut at column 300")
    result = diagnose(case["text"], kb)
    excerpt = next(d.excerpt for d in result.diagnoses if d.id == "probe.step_failed")
    assert "cred [REDACTED]" in excerpt


def test_redaction_is_linear_on_hostile_input():
    import time

    hostile = "password=" + "a" * 200_000 + "\n" + ("token " * 50_000) + "\n" + "A" * 300_000
    t = time.perf_counter()
    redact(hostile)
    assert time.perf_counter() - t < 5

