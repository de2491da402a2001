"""Signature regex helpers: anchors for the fast pass and the start-of-line gate (errdiag/regexes.py)."""

from __future__ import annotations

from errdiag import diagnose, load_knowledge
from errdiag.regexes import derive_anchors, required_sets, start_literal


def test_a_required_blank_next_to_a_literal_is_part_of_its_anchor():
    assert derive_anchors(r"^FAIL\s+(?P<pkg>\S+)\s+(?P<t>[\d.]+s)$") == ["fail "]
    assert derive_anchors(r"^Found (?P<n>[1-9]\d*) errors?\.") == ["found "]
    assert [" failed in "] in required_sets(r"^(?P<n>\d+) failed in [\d.]+s")
    assert derive_anchors(r"error\[E(?P<code>\d{4})\]") == ["error[e"]  # no blank: unchanged
    assert derive_anchors(r"FAIL(?P<rest>\w+)") == ["fail"]


def test_start_literal_only_for_a_literal_at_the_start():
    assert start_literal(r"^FAIL\s+x") == "fail"
    assert start_literal(r"^There (?:was|were) (?P<n>\d+)") == "there w"
    for none in (r"FAIL", r"^FAIL|^ERROR", r"^(?:=+ )?(?P<n>\d+) failed", r"^\s*x", r"^\d+/\d+"):
        assert start_literal(none) is None, none


def test_gated_regexes_still_match_where_they_should():
    kb = load_knowledge()
    # tab-separated and indented forms, a level-marked line, a wrapped line: the gate must not lose them
    go = "=== RUN   TestX\n--- FAIL: TestX (0.00s)\nFAIL\nFAIL\texample.com/calc\t0.004s\n"
    assert "go.test_failed" in [d.id for d in diagnose(go, kb).diagnoses]
    ruff = "app.py:1:1: F401 [*] `os` imported but unused\nFound 1 error.\n[*] 1 fixable with the `--fix` option.\n"
    assert "ruff.lint_errors" in [d.id for d in diagnose(ruff, kb).diagnoses]


def test_lazy_pattern_compiles_on_first_use_and_behaves_like_re():
    import re

    from errdiag.regexes import LazyPattern

    lazy = LazyPattern(r"(?P<n>\d+) fail(?:ed|ures?)", re.I)
    assert lazy._rx is None and lazy.pattern.startswith("(?P<n>")  # reading .pattern does not compile
    plain = re.compile(lazy.pattern, re.I)
    for text in ("3 FAILED", "no 12 failures here", "passed"):
        assert bool(lazy.search(text)) == bool(plain.search(text))
        got, want = lazy.match(text), plain.match(text)
        assert (got and got.span()) == (want and want.span())
        assert lazy.sub("<n>", text) == plain.sub("<n>", text)
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert lazy.findall(text) == plain.findall(text)
    assert lazy.groupindex == plain.groupindex and lazy.split(" ", 1) == plain.split(" ", 1)
    assert lazy._rx is not None
