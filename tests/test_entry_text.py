"""Placeholders in the bundled entries' text read well whether or not their capture is there.

A title's `{{name|}}` (a blank fallback) shows `<name>` when the text has no such value, and a placeholder glued
to the word before it (`refused{{target| by the server}}`) runs the captured value into that word
(`refusedlocalhost:8080`): titles are filled with the value alone, its leading blanks trimmed.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_KB = Path(__file__).resolve().parents[1] / "knowledge"
_SLOT = re.compile(r"\{\{\s*[A-Za-z_]\w*\s*\|([^{}]*)\}\}")
_GLUED = re.compile(r"[A-Za-z0-9}]\{\{\s*[A-Za-z_]\w*\s*\|(\s[^{}]*|)\}\}")
_NOT_TEXT = frozenset(("examples", "signatures", "command", "context", "exclude", "derive", "anatomy", "url", "id",
                       "related", "refines", "tags", "specific_when"))


def _texts(node, key=""):
    if key in _NOT_TEXT:
        return
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v, key)


def _entries():
    for path in sorted(_KB.rglob("*.yaml")):
        yield path.relative_to(_KB), yaml.safe_load(path.read_text(encoding="utf-8"))


def _problems(data: dict) -> list[str]:
    out = []
    title = data.get("title") or ""
    out += [f"title has a blank fallback: {title}" for m in _SLOT.finditer(title) if not m.group(1).strip()]
    out += [f"{key}: placeholder glued to the word before it: ...{text[max(0, m.start() - 20):m.end()]}"
            for key, text in _texts(data) for m in _GLUED.finditer(text)]
    return out


def test_placeholders_read_well_with_and_without_their_value():
    bad = [f"{path}: {p}" for path, data in _entries() if isinstance(data, dict) for p in _problems(data)]
    assert not bad, "\n".join(bad)


def test_the_two_kinds_are_caught():
    assert _problems({"title": "Gradle daemon ran out of memory{{reason|}}"})
    assert _problems({"title": "connection refused ({{target|}})"})
    assert _problems({"summary": "connection refused{{target| by the server}}"})
    assert not _problems({"title": "connection refused ({{target|by the server}})", "steps": ["-D{{package}}"]})


# a folded YAML line that ends in a hyphen (`full-` then `text` on the next line) reads as "full- text": a
# suspended hyphen before "or"/"and" ("squash- or rebase-merged") is the only place that reads well
_BROKEN_HYPHEN = re.compile(r"[A-Za-z]- (?!(?:or|and|nor|to)\b)[a-z]")


def _broken_hyphens(data: dict) -> list[str]:
    return [f"{key}: a hyphenated word broken by the line fold: ...{text[max(0, m.start() - 20):m.end() + 10]}"
            for key, text in _texts(data) for m in _BROKEN_HYPHEN.finditer(text)]


def test_no_hyphenated_word_is_broken_by_a_line_fold():
    bad = [f"{path}: {p}" for path, data in _entries() if isinstance(data, dict) for p in _broken_hyphens(data)]
    assert not bad, "\n".join(bad)


def test_a_broken_hyphen_is_caught():
    folded = yaml.safe_load("summary: >-\n  mapped as text (analysed for full-\n  text search)\n")
    assert _broken_hyphens(folded)
    assert not _broken_hyphens({"steps": ["If the commits were squash- or rebase-merged", "full-text search"]})
