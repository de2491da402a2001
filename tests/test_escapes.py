"""Escape sequences, Rich markup, Markdown and bidi controls from input or packs never reach the reader raw
(issue 14, Medium 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from errdiag.kb import load_knowledge

FORMATS = ["plain", "rich", "markdown", "json", "github", "sarif"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_INPUT = ("fatal: not a git repository (or any of the parent directories): .git"
                 "\x1bc\x1b(0lqk\u009b31mRED\x1b]52;c;Y3VybCBldmlsfHNo\x07\u202etxt.exe\n")

TITLE = ("Clipboard \\e]52;c;ZXZpbA==\\a title \\e]0;pwned\\a hidden \\e[8msecret\\e[0m "
         "[link=https://evil.example]x[/link] [/usr/lib]")
PACK = f"""\
id: evil.title
title: "{TITLE}"
tool: "Evil [bold]tool[/bold]"
category: runtime
signatures:
  - literal: "evil probe line here"
summary: "Summary with \\e[2J clear and \\u202e reversed text"
meaning: "A [click me](https://evil.example) link, <img src=x onerror=alert(1)> and `code`."
quick_fixes:
  - title: "Fix \\e]8;;https://evil.example\\e\\\\link\\e]8;;\\e\\\\"
    command: "echo {{thing}}"
checks:
  - title: "Check it"
    command: "show {{thing}}"
"""


@pytest.fixture
def evil_kb(tmp_path) -> Path:
    root = tmp_path / "evilkb"
    (root / "evil").mkdir(parents=True)
    (root / "evil" / "title.yaml").write_text(PACK)
    (root / "evil" / "second.yaml").write_text(
        'id: evil.second\ntitle: "[/usr/lib] [bold]second"\ntool: Evil\ncategory: runtime\n'
        'signatures:\n  - literal: "second evil probe line"\nsummary: The second one.\n')
    return root


def _visible(out: str, fmt: str) -> str:
    """What a reader's terminal or viewer receives: for JSON and SARIF, the decoded strings."""
    if fmt in ("json", "sarif"):
        return json.dumps(json.loads(out), ensure_ascii=False)  # \\u001b escapes become real characters
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_escape_sequences_from_input_are_neutralised(cli, fmt):
    r = cli(["match", "--format", fmt, "-"], stdin=HOSTILE_INPUT.encode())
    assert r.code == 0
    assert not RAW.search(_visible(r.stdout, fmt)), repr(r.stdout[:400])
    if fmt != "github":  # annotations carry no excerpt
        assert "<U+202E>" in r.stdout  # the reordering is made visible, not silently dropped


@pytest.mark.parametrize("fmt", FORMATS)
def test_escape_sequences_from_a_pack_are_neutralised(cli, evil_kb, fmt):
    r = cli(["match", "--kb", str(evil_kb), "--format", fmt, "--all", "-"], stdin=b"evil probe line here\n")
    assert r.code == 0, r.stderr
    assert not RAW.search(_visible(r.stdout, fmt)), repr(r.stdout[:400])


@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "json"])
def test_explain_and_list_neutralise_a_hostile_pack(cli, evil_kb, fmt):
    for args in (["explain", "evil.title"], ["list", "--tool", "evil"]):
        r = cli([*args, "--kb", str(evil_kb), "--format", fmt])
        assert r.code == 0, r.stderr
        assert not RAW.search(_visible(r.stdout, fmt))


@pytest.mark.parametrize("fmt", ["plain", "rich"])
def test_rich_markup_in_a_title_is_shown_as_text(cli, evil_kb, fmt):
    for args in (["list", "--tool", "evil"], ["match", "evil probe line here"]):
        r = cli([*args, "--kb", str(evil_kb), "--format", fmt], env={"COLUMNS": "400"})
        assert r.code == 0, r.stderr
        assert "[link=https://evil.example]x[/link]" in r.stdout and "[/usr/lib]" in r.stdout
        assert "\x1b]8;" not in r.stdout  # no clickable link was made


def test_run_keeps_the_command_status_with_markup_in_a_title(cli, evil_kb):
    for fmt in ("rich", "plain"):
        r = cli(["run", "--kb", str(evil_kb), "--format", fmt, "--", "sh", "-c",
                 "echo evil probe line here; echo second evil probe line; exit 7"])
        assert r.code == 7, r.stderr
        assert "[/usr/lib] [bold]second" in r.stderr  # in the "also found" table, as text


def test_bundled_titles_with_brackets_are_not_mangled(cli):
    kb = load_knowledge(cache_dir=None, entry_points=False)
    bracketed = [e for e in kb.entries if "[" in e.title]
    assert len(bracketed) >= 6
    r = cli(["list", "--format", "plain"], env={"COLUMNS": "1000"})
    assert r.code == 0
    out = " ".join(r.stdout.split())
    missing = [e.id for e in bracketed if " ".join(e.shown_title.split()) not in out]
    assert missing == []


def test_markdown_from_a_pack_cannot_make_links_or_html(cli, evil_kb):
    r = cli(["explain", "evil.title", "--kb", str(evil_kb), "--format", "markdown"])
    assert "[click me](https://evil.example)" not in r.stdout
    assert not re.search(r"(?<!\\)<img", r.stdout)
    assert "`code`" in r.stdout  # a real code span stays one


def test_a_capture_cannot_break_out_of_a_markdown_code_span():
    from errdiag.sanitize import inline_code

    span = inline_code("x` [link](https://evil.example) `y")
    ticks = re.match(r"`+", span).group()
    assert span.endswith(ticks) and span.count(ticks) == 2 and len(ticks) >= 2


def test_sanitizers():
    from errdiag.sanitize import md_prose, plain

    assert plain("a\x1b[31mb\u202ec\td\ne") == "a\\x1b[31mb<U+202E>c\td\ne"
    assert plain("\u009b31m") == "\\x9b31m"
    assert md_prose("see `a|b` and [x](y) <b>") == r"see `a|b` and \[x\](y) \<b\>"
