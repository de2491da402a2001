"""Golden tests for what a person sees, at width 80 without colour; and the CI formats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from errdiag.render import RENDERERS

GOLDEN = Path(__file__).parent / "golden"
ENTRY_FORMATS = ("rich", "plain", "json", "markdown")  # what explain and list print
UPDATE = os.environ.get("ERRDIAG_UPDATE_GOLDEN") == "1"
TEXT = b"deploy step 3\nwriter: demo device sda1 has no space left\nretrying\n\ndemo job failed with exit code 1\n"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual)
    # a missing golden file is a failure, not a free pass: create it deliberately with the variable set
    assert path.exists(), f"golden {name} is missing (ERRDIAG_UPDATE_GOLDEN=1 to create it)"
    assert actual == path.read_text(), f"golden {name} differs (ERRDIAG_UPDATE_GOLDEN=1 to update)"


def test_missing_golden_file_fails(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "GOLDEN", tmp_path)
    monkeypatch.setitem(globals(), "UPDATE", False)
    with pytest.raises(AssertionError, match="missing"):
        check_golden("never-written.txt", "anything")
    assert not (tmp_path / "never-written.txt").exists()


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_golden_every_format(demo_cli, fmt):
    """Every registered format over the same fixtures: a diagnosis (match) and an entry (explain)."""
    from .conftest import FIXTURE_KB

    r = demo_cli(["match", "--format", fmt], stdin=TEXT)
    if fmt in ("rich", "plain"):
        assert all(len(line) <= 80 for line in r.stdout.splitlines())
    root = Path.cwd().resolve()  # the source root (no repository around the test's folder)
    check_golden(f"match.{fmt}.txt", r.stdout.replace(root.as_uri(), "file://<root>"))
    r = demo_cli(["explain", "demo.disk_full", "--format", fmt], env={"COLUMNS": "200"})
    if fmt in ENTRY_FORMATS:
        check_golden(f"explain.{fmt}.txt", r.stdout.replace(str(FIXTURE_KB), "<kb>"))
    else:  # a format for CI reports: explain and list refuse it in one line instead of printing a table
        assert r.code == 2 and r.stdout == "" and r.stderr.count("\n") == 1 and "--format" in r.stderr
        assert demo_cli(["list", "--format", fmt]).code == 2


def test_plain_has_no_ansi_and_no_trailing_blanks(demo_cli):
    out = demo_cli(["match", "--format", "plain"], stdin=TEXT).stdout
    assert "\x1b[" not in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_rich_on_a_terminal_has_colour_unless_no_color(demo_cli):
    colour = demo_cli(["match", "demo disk is full"], tty=True, env={"NO_COLOR": None}).stdout
    assert "\x1b[" in colour
    plain = demo_cli(["match", "demo disk is full"], tty=True, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in plain


def test_readable_at_narrow_width(demo_cli):
    out = demo_cli(["match", "--format", "plain"], stdin=TEXT, env={"COLUMNS": "60"}).stdout
    assert all(len(line) <= 60 for line in out.splitlines())


def test_github_annotations_and_summary(demo_cli, tmp_path):
    summary = tmp_path / "summary.md"
    r = demo_cli(["match", "--format", "github"], stdin=TEXT, env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = r.stdout.splitlines()
    assert lines[0].startswith("::error title=Demo%3A the disk is full [demo.disk_full]::")
    assert "%0A" in lines[0] and "\n" not in lines[0]
    assert summary.read_text().startswith("# errdiag diagnosis")


def test_github_annotation_names_the_file_the_error_names(demo_cli):
    text = b'Traceback:\n  File "src/app.py", line 12, in main\ndemo disk is full\n'
    line = demo_cli(["match", "--format", "github"], stdin=text).stdout.splitlines()[0]
    assert line.startswith("::error file=src/app.py,line=12,title=")


def test_github_annotations_are_grouped_within_limits(demo_cli, tmp_path):
    from .conftest import write_many_entries

    pack, text = write_many_entries(tmp_path, 25)
    out = demo_cli(["match", "--format", "github", "--kb", str(pack)], stdin=text).stdout
    errors = [x for x in out.splitlines() if x.startswith("::error")]
    assert len(errors) == 10 and "16 more known errors" in errors[-1]


def test_sarif(demo_cli):
    data = json.loads(demo_cli(["match", "--format", "sarif"], stdin=TEXT).stdout)
    assert data["version"] == "2.1.0"
    run = data["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"demo.disk_full", "demo.generic_failure",
                                                                 "errdiag.where_it_failed"}
    assert run["results"][0]["ruleId"] == "demo.disk_full"
    where = [r for r in run["results"] if r["ruleId"] == "errdiag.where_it_failed"]
    assert len(where) == 1 and where[0]["level"] == "note" and "sda1" in where[0]["message"]["text"]


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_titles_show_captured_values_in_every_format(demo_cli, tmp_path, fmt):
    pack = tmp_path / "pack" / "mod"
    pack.mkdir(parents=True)
    (pack / "missing.yaml").write_text(
        "id: mod.missing\ntitle: \"ModError: no module named 'x'\"\ntool: Mod\ncategory: dependency\n"
        "summary: A module is missing.\nsignatures:\n  - regex: \"no module named '(?P<module>[a-z0-9_]+)'\"\n")
    out = demo_cli(["match", "--format", fmt, "--kb", str(tmp_path / "pack"), "--top", "1"],
                   stdin=b"ModError: no module named 'cv2'\n").stdout
    filled, template = "ModError: no module named 'cv2'", "ModError: no module named 'x'"
    if fmt == "json":
        d = json.loads(out)["diagnoses"][0]
        assert d["title"] == filled and d["entry_title"] == template
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"][0]["message"]["text"].startswith(filled)
    elif fmt == "codequality":
        assert json.loads(out)[0]["description"].startswith(filled)
    elif fmt == "junit":
        from xml.etree import ElementTree

        assert ElementTree.fromstring(out).find("testsuite/testcase").get("name") == filled
    else:
        shown = out.replace("%3A", ":")  # a workflow command's escape
        assert filled in shown and template not in shown


def _slot_pack(tmp_path, title: str) -> str:
    pack = tmp_path / "pack" / "mod"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "slot.yaml").write_text(
        f"id: mod.slot\ntitle: \"{title}\"\ntool: Mod\ncategory: build\n"
        "summary: \"Mod stopped in {{unit|its unit}}.\"\n"
        "signatures:\n  - regex: \"(?P<file>[a-z]+\\\\.mod):(?P<line>\\\\d+): mod failed(?: in (?P<unit>\\\\w+))?\"\n")
    return str(tmp_path / "pack")


def test_title_slots_with_fallback_words(demo_cli, tmp_path):
    kb = _slot_pack(tmp_path, "{{file|FILE}}:{{line|LINE}}: mod failed in {{unit|a unit}}")
    one = json.loads(demo_cli(["match", "--format", "json", "--kb", kb], stdin=b"x.mod:7: mod failed in core\n")
                     .stdout)["diagnoses"][0]
    assert one["title"] == "x.mod:7: mod failed in core"
    other = json.loads(demo_cli(["match", "--format", "json", "--kb", kb], stdin=b"y.mod:9: mod failed\n")
                       .stdout)["diagnoses"][0]
    assert other["title"] == "y.mod:9: mod failed in a unit"  # not captured: the words, never a guess
    assert one["summary"] == "Mod stopped in core." and other["summary"] == "Mod stopped in its unit."
    for args in (["list", "--kb", kb, "--tool", "mod"], ["explain", "mod.slot", "--kb", kb],
                 ["explain", "mod.slot", "--kb", kb, "--format", "markdown"]):
        out = demo_cli(args, env={"COLUMNS": "200"}).stdout
        assert "FILE:LINE: mod failed in a unit" in out and "{{" not in out, args
        assert args[0] == "list" or "Mod stopped in its unit." in out


def test_slot_titles_are_filled_once_by_name():
    """A `{{name|words}}` title fills its slots and nothing else: no one-letter quote or `<x>` in its own text or
    in a captured value is taken for a slot (the older titles' guess), and a bare `{{name}}` falls back to <name>."""
    from errdiag.models import fill_title

    assert fill_title("sed: char {{char|N}}: unterminated `s' command", {"char": "27", "expr": "1"}) == \
        "sed: char 27: unterminated `s' command"
    assert fill_title("'{{codec|utf-8}}': {{reason|x}}", {"codec": "charmap", "reason": "maps to <undefined>"}) == \
        "'charmap': maps to <undefined>"
    assert fill_title("{{file}}:{{line|N}}", {}) == "<file>:N"
    assert fill_title("{{file}}: {{line}}", {"file": "a.c"}) == "a.c: <line>"
    assert fill_title("No module named 'x'", {"module": "cv2"}) == "No module named 'cv2'"  # older titles as before
    # ... but the anatomy's facts about the whole error never stand in for an older title's `x`
    assert fill_title("The model `x` does not exist", {"language": "python", "http_status": "403"}) == \
        "The model `x` does not exist"
    assert fill_title("No module named 'x'", {"language": "python", "module": "cv2"}) == "No module named 'cv2'"


def test_slot_title_values_are_cut_and_the_entry_title_shows_the_words(demo_cli, tmp_path):
    kb = _slot_pack(tmp_path, "{{file|FILE}}:{{line|LINE}}: mod failed in {{unit|a unit}} (see 'x')")
    unit = "u" * 90
    d = json.loads(demo_cli(["match", "--format", "json", "--kb", kb], stdin=f"x.mod:7: mod failed in {unit}\n"
                            .encode()).stdout)["diagnoses"][0]
    assert d["title"] == f"x.mod:7: mod failed in {unit[:59]}… (see 'x')"
    assert d["entry_title"] == "FILE:LINE: mod failed in a unit (see 'x')"
