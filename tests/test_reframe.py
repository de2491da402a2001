"""bench/reframe.py: an entry answers its own error however the error is printed (the reframing test), and the
kinds of reframing it showed lost are answered."""

from __future__ import annotations

import json

import pytest

from errdiag import diagnose, load_knowledge

from .benchmod import load

reframe = load("reframe.py", "reframe")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _top(kb, text: str) -> str | None:
    best = diagnose(text, kb).best
    return best.id if best else None


def test_framings_keep_the_text() -> None:
    text = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nKeyError: 'x'\n"
    for name, frame in reframe.FRAMINGS.items():
        out = frame(text)
        assert "KeyError: 'x'" in out or name == "json_field", name
    assert json.loads(reframe.FRAMINGS["json_field"](text))["error"] == text.rstrip("\n")
    assert reframe.FRAMINGS["crlf"](text).count("\r\n") == 3
    assert all(x.startswith("> ") for x in reframe.FRAMINGS["quoted"](text).splitlines())
    assert reframe.FRAMINGS["github_actions"](text).rstrip().endswith("##[error]Process completed with exit code 1.")


def test_cross_language_only_for_a_library_s_own_message(kb) -> None:
    by_id = {e.id: e for e in kb.entries}
    assert reframe.cross_applies(by_id["sqlite.database_is_locked"])
    assert reframe.cross_applies(by_id["redis.noauth"])
    assert not reframe.cross_applies(by_id["python.key_error"])  # a Python message inside Rust is no real text
    e = by_id["sqlite.database_is_locked"]
    assert reframe.library_message(e, e.examples_match[0], kb) == "database is locked"  # the client's class dropped


@pytest.mark.parametrize("framing", sorted(reframe.CROSS))
def test_sqlite_s_own_message_in_another_language_s_wrapper(kb, framing) -> None:
    # SQLite's text for SQLITE_BUSY, printed unchanged by PHP PDO, Rust, Go, Java and Node clients: the entry's
    # signatures were all Python/Ruby/Node/Java class-qualified, so a bare `database is locked` stayed silent
    text = reframe.CROSS[framing]("database is locked")
    assert _top(kb, text) == "sqlite.database_is_locked"


def test_sqlite_table_lock_is_not_the_database_lock(kb) -> None:
    # SQLITE_LOCKED ("database table is locked") is another error: the widened signature keeps its words' bounds
    assert _top(kb, "Error: database table is locked") != "sqlite.database_is_locked"


@pytest.mark.parametrize("framing", ["quoted", "k8s_cri", "worker_tag", "iso_level"])
@pytest.mark.parametrize("entry_id", ["python.key_error", "c.undeclared_identifier", "dotnet.null_reference_exception"])
def test_an_error_behind_a_framing_of_every_line_is_answered(kb, framing, entry_id) -> None:
    # a quote, the container runtime's `<time> stdout F `, an instance tag `[worker-3] ` or a logger's time and
    # level before every line: taken off once, the error reads as printed (anatomy and anchored signatures)
    e = next(x for x in kb.entries if x.id == entry_id)
    assert _top(kb, reframe.FRAMINGS[framing](e.examples_match[0])) == entry_id


def test_deframing_keeps_a_tools_own_markers() -> None:
    from errdiag.normalize import deframe_block

    gradle = "> Task :app:compileJava\n> Task :app:test FAILED\n"
    assert deframe_block(gradle) == gradle  # Gradle's `> Task` is no quote
    nodemon = "[nodemon] app crashed - waiting for file changes before starting...\n[nodemon] restarting\n"
    assert deframe_block(nodemon) == nodemon  # a tool's own tag (no instance number) is part of its messages
    assert deframe_block("> > a\n> > b\n") == "a\nb\n"
    assert deframe_block("[web.1] a\n[web.12] b\n") == "a\nb\n"
    mixed = "[worker-3] a\nplain line\nanother\nand another\n"
    assert deframe_block(mixed) == mixed  # shared by too few lines: not a framing
