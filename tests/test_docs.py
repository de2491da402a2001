"""Docs that cannot drift: generated pages match the source; every command and entry is documented."""

from __future__ import annotations

import filecmp
from pathlib import Path

import yaml

from errdiag.discover import Root
from errdiag.docsgen import COMMANDS, generate
from errdiag.kb import load_knowledge
from errdiag.loader import load_entries

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_generated_docs_are_up_to_date(tmp_path):
    fresh = generate(tmp_path)
    stale = [str(p.relative_to(tmp_path)) for p in fresh
             if not (DOCS / p.relative_to(tmp_path)).exists()
             or not filecmp.cmp(p, DOCS / p.relative_to(tmp_path), shallow=False)]
    assert not stale, f"run `python -m errdiag.docsgen`: stale {stale[:10]}"
    generated = {p.relative_to(tmp_path) for p in fresh if "knowledge" in p.parts}
    committed = {p.relative_to(DOCS) for p in (DOCS / "knowledge").rglob("*.md")}
    assert committed == generated, f"pages for removed entries: {sorted(committed - generated)[:10]}"


def test_every_command_is_in_the_cli_reference():
    text = (DOCS / "reference" / "cli.md").read_text()
    for args in COMMANDS:
        assert f"## `{' '.join(['errdiag', *args])}`" in text


def test_every_entry_is_in_the_index():
    index = (DOCS / "knowledge" / "index.md").read_text()
    kb = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)
    missing = [e.id for e in kb.entries if f"`{e.id}`" not in index]
    assert not missing


def test_writing_entries_example_is_a_valid_entry(tmp_path):
    """The complete example in docs/writing-entries.md loads, and its examples pass against the bundled KB."""
    text = (DOCS / "writing-entries.md").read_text()
    block = text.split("<!-- example-entry -->")[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(block)
    tool, slug = data["id"].split(".")
    path = tmp_path / tool / f"{slug}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(block)
    entries, _ = load_entries([Root(tmp_path, "cli")])
    assert entries[0].id == data["id"] and len(entries[0].steps) >= 4


def test_committed_json_schema_matches(cli):
    import json

    r = cli(["kb", "schema"])
    assert json.loads(r.stdout) == json.loads((DOCS / "entry.schema.json").read_text())


def test_bundled_entries_validate_against_the_json_schema():
    """Every bundled file satisfies the committed JSON Schema's required keys and known properties."""
    import json

    schema = json.loads((DOCS / "entry.schema.json").read_text())
    allowed, required = set(schema["properties"]), set(schema["required"])
    for path in (ROOT / "knowledge").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        assert set(data) <= allowed and required <= set(data), path
