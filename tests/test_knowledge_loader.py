"""The loader's errors: each names the file, the field and (where YAML gives one) the line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from errdiag.discover import Root
from errdiag.errors import KnowledgeError
from errdiag.loader import load_entries

GOOD = """\
id: t.good
title: Good
tool: T
category: runtime
summary: s
signatures:
  - literal: a distinctive phrase
"""


def write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def load(root: Path):
    return load_entries([Root(root, "cli")])


def err(root: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as exc:
        load(root)
    return exc.value


def test_good_entry_loads(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD)
    entries, _ = load(tmp_path)
    assert [e.id for e in entries] == ["t.good"]


def test_unknown_key_named_with_line_and_hint(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "checklst: [a]\n")
    e = err(tmp_path)
    assert e.field == "checklst" and e.line == 8 and "did you mean 'checks'" in str(e)
    assert "good.yaml:8" in str(e)


def test_wrong_type(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "causes: just one string\n")
    e = err(tmp_path)
    assert e.field == "causes" and "expected a list" in str(e)


def test_nested_wrong_type(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "quick_fixes:\n  - title: a\n    command: [x]\n")
    e = err(tmp_path)
    assert e.field == "quick_fixes[0].command" and e.line == 10


def test_id_must_fit_path(tmp_path):
    write(tmp_path, "t/other.yaml", GOOD)
    e = err(tmp_path)
    assert e.field == "id" and "expected 't.other'" in str(e)


def test_duplicate_id_in_one_root(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD)
    write(tmp_path, "t/good.yml", GOOD)
    assert "duplicate id" in str(err(tmp_path))


def test_duplicate_key(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "title: again\n")
    e = err(tmp_path)
    assert "duplicate key 'title'" in str(e) and e.line == 8


def test_missing_required(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD.replace("summary: s\n", ""))
    assert err(tmp_path).field == "summary"


def test_bad_category(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD.replace("runtime", "misc"))
    assert err(tmp_path).field == "category"


def test_regex_that_does_not_compile(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "  - regex: 'broken (paren'\n")
    e = err(tmp_path)
    assert e.field == "signatures[1].regex" and "does not compile" in str(e)


@pytest.mark.parametrize("pattern", [r"(x+x+)+y", r"(a*)*b", r"(?:\w+\s?)+$"])
def test_catastrophic_regex_rejected(tmp_path, pattern):
    write(tmp_path, "t/good.yaml", GOOD + f"  - regex: '{pattern}'\n    anchor: xyz\n")
    assert "backtracking" in str(err(tmp_path))


def test_lookaround_rejected_as_not_linear(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "  - regex: '(?<=foo)barbaz'\n")
    assert "linear-time" in str(err(tmp_path))


def test_regex_without_anchor_needs_one(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + r"  - regex: '\d+\s\d+'" + "\n")
    assert "anchor" in str(err(tmp_path))


def test_malformed_yaml_has_line(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "tags: [a, b\n")
    e = err(tmp_path)
    assert "invalid YAML" in str(e) and e.line is not None


def test_yaml_objects_are_not_constructed(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "tags: !!python/object/apply:os.system ['echo hacked']\n")
    assert "invalid YAML" in str(err(tmp_path))


def test_yaml_aliases_rejected(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "tags: &a [x]\nrelated: *a\n")
    assert "aliases" in str(err(tmp_path))


def test_huge_file_rejected(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD + "# " + "x" * 600_000 + "\n")
    assert "at most" in str(err(tmp_path))


def test_not_utf8(tmp_path):
    p = tmp_path / "t" / "good.yaml"
    p.parent.mkdir()
    p.write_bytes(GOOD.encode() + b"# \xff\xfe\n")
    assert "UTF-8" in str(err(tmp_path))


def test_symlink_loop_does_not_hang(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD)
    os.symlink(tmp_path, tmp_path / "t" / "loop")
    entries, _ = load(tmp_path)
    assert [e.id for e in entries] == ["t.good"]


def test_collect_mode_skips_bad_files(tmp_path):
    write(tmp_path, "t/good.yaml", GOOD)
    write(tmp_path, "t/bad.yaml", "id: [\n")
    entries, report = load_entries([Root(tmp_path, "cli")], collect=True)
    assert [e.id for e in entries] == ["t.good"]
    assert len(report.errors) == 1 and "bad.yaml" in str(report.errors[0])


def test_later_root_overrides_and_disables(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "t/good.yaml", GOOD)
    write(a, "t/gone.yaml", GOOD.replace("t.good", "t.gone"))
    write(b, "t/good.yaml", GOOD.replace("title: Good", "title: Better"))
    write(b, "t/gone.yaml", "id: t.gone\ndisabled: true\n")
    entries, report = load_entries([Root(a, "bundled"), Root(b, "user")])
    assert [(e.id, e.title, e.origin) for e in entries] == [("t.good", "Better", "user")]
    assert report.overridden == [("t.good", "bundled", "user")] and report.disabled == ["t.gone"]


def test_missing_root_is_an_error(tmp_path):
    with pytest.raises(KnowledgeError, match="does not exist"):
        load(tmp_path / "nope")


def test_schema_table_drives_parsing_and_the_skeleton():
    """One table: every field has a parser for its type, lands on an Entry attribute, and is in `kb new`."""
    import dataclasses

    import yaml

    from errdiag.authoring import skeleton
    from errdiag.models import Entry
    from errdiag.parse import _NOT_ON_ENTRY, _SPREAD, PARSERS, parse_entry
    from errdiag.schema import FIELDS

    attrs = {f.name for f in dataclasses.fields(Entry)}
    for f in FIELDS:
        assert f.type in PARSERS, f"no parser for type {f.type!r} of field {f.name!r}"
        if f.name not in _NOT_ON_ENTRY:
            assert set(_SPREAD.get(f.name, (f.name,))) <= attrs, f"Entry has no attribute for {f.name!r}"
    text = skeleton("myapp.db_locked", "Error: database is locked (code 5)")
    for f in FIELDS:
        if f.name != "disabled":
            assert f"\n{f.name}:" in text or f"\n# {f.name}:" in text, f"kb new leaves out {f.name!r}"
    entry = parse_entry(yaml.safe_load(text), Path("myapp/db_locked.yaml"), text)
    assert entry.id == "myapp.db_locked" and entry.signatures[0].pattern == "database is locked"
