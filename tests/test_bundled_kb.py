"""The bundled knowledge base: it loads, meets the quality bar, covers the catalogue, passes its examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from errdiag.discover import bundled_root
from errdiag.kb import load_knowledge
from errdiag.validate import check_examples, completeness, references, title_slots

from .conftest import SHARED

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)
ENTRIES = {e.id: e for e in KB.entries}


def test_bundled_root_is_the_repo_knowledge_folder():
    assert (bundled_root() / "openai" / "insufficient_quota.yaml").is_file()


def test_every_entry_meets_the_bar():
    problems = completeness(KB) + references(KB) + title_slots(KB)
    assert not problems, "\n".join(map(str, problems[:40]))


def test_sources_are_specific_urls():
    for e in KB.entries:
        for s in e.sources:
            assert re.match(r"^https?://[^/\s]+/\S+", s.url), (e.id, s.url)


@pytest.mark.parametrize("entry_id", sorted(ENTRIES))
def test_examples(entry_id):
    """semgrep-style: each `match` example ranks its own entry first; each `no_match` does not."""
    e = ENTRIES[entry_id]
    problems = check_examples(KB, only={e.path})
    assert not problems, "\n".join(map(str, problems))


def test_titles_with_slots_show_values_on_their_own_examples():
    """A `{{name|words}}` title is filled on every example the entry recognises: no template text left."""
    from errdiag.engine import diagnose

    checked = 0
    for e in KB.entries:
        if e.family or "{{" not in e.title:
            continue
        for text in e.examples_match:
            best = diagnose(text, KB).best
            if best is not None and best.id == e.id:
                checked += 1
                assert "{{" not in best.title and "}}" not in best.title, (e.id, best.title)
    assert checked


def test_refining_entries_rank_on_each_others_examples():
    for e in KB.entries:
        if e.refines:
            assert e.refines in ENTRIES, e.id


@pytest.mark.skipif(not (SHARED / "catalogue.yaml").is_file(), reason="shared catalogue not present")
def test_catalogue_is_covered():
    catalogue = yaml.safe_load((SHARED / "catalogue.yaml").read_text())
    missing = [c["id"] for c in catalogue if c["id"] not in ENTRIES]
    assert not missing, missing


def test_signatures_are_not_whole_pasted_logs():
    """A signature is the stable wording of an error, never a whole multi-line paste."""
    for e in KB.entries:
        for s in e.signatures:
            assert "\n" not in s.pattern, (e.id, s.pattern[:80])
            if s.kind != "regex":  # a regex may list many alternatives; a literal is one phrase
                assert len(s.pattern) <= 160, (e.id, s.pattern[:80])


BENIGN = sorted((Path(__file__).parent / "corpus" / "benign").glob("*.txt"))


@pytest.mark.parametrize("path", BENIGN, ids=[p.stem for p in BENIGN])
def test_benign_output_gets_no_diagnosis(path):
    """Successful builds, passing tests and healthy logs: "no match" is the right answer."""
    from errdiag import diagnose

    text = path.read_text()
    assert not diagnose(text, KB).diagnoses
    for line in text.splitlines():  # and each line pasted on its own
        if line.strip():
            assert not diagnose(line, KB).diagnoses, line


def test_fix_uses_the_package_name_not_the_import_name():
    from errdiag import diagnose

    d = diagnose("ModuleNotFoundError: No module named 'cv2'", KB).best
    assert d.id == "python.module_not_found" and d.captures["package"] == "opencv-python"
    commands = [d.fill(f.command) for f in d.entry.quick_fixes if f.command]
    assert any("install opencv-python" in c for c in commands)
    assert not any("install cv2" in c for c in commands)


# the audit's capture findings (docs/audit.md, round 10): each value is what the fix or title must name
_CAPTURES = [
    ('docker: Error response from daemon: invalid mount config for type "bind": bind source path does not '
     'exist: /srv/app/conf.', "docker.bind_mount_source_missing", "path", "/srv/app/conf"),
    ("/bin/sh: 1: [: main: unexpected operator", "shell.test_unexpected_operator", "script", None),
    ("deploy.sh: 14: [: x86_64: unexpected operator", "shell.test_unexpected_operator", "script", "deploy.sh"),
    ("Text fields are not optimized for operations that require per-document field data like aggregations and "
     "sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, "
     "set fielddata=true on [customer.city] in order to load field data by uninverting the inverted index.",
     "elasticsearch.fielddata_disabled", "field", "customer.city"),
    ('{"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input '
     'string: \\"xyz\\"","index":"logs"}],"type":"search_phase_execution_exception","reason":"all shards '
     'failed"},"status":400}', "elasticsearch.search_phase_execution_exception", "cause",
     'failed to create query: For input string: \\"xyz\\"'),
    ("openai.BadRequestError: Error code: 400 - {'error': {'message': \"1 validation error for "
     "ChatCompletionRequest\\ntools.0.function.strict\\n  Extra inputs are not permitted [type=extra_forbidden, "
     "input_value=True, input_type=bool]\"}}", "vllm.extra_inputs_not_permitted", "loc", "tools.0.function.strict"),
    ('  File "report.py", line 9\n    log.write(f"total {n}")\n              ^\nSyntaxError: invalid syntax',
     "python.python3_code_on_python2", "construct", "an f-string"),
]


@pytest.mark.parametrize("text,entry_id,name,value", _CAPTURES)
def test_captures_name_what_the_fix_needs(text, entry_id, name, value):
    from errdiag import diagnose

    d = diagnose(text, KB).best
    assert d is not None and d.id == entry_id
    assert d.captures.get(name) == value
