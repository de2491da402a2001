"""Captured values are what the text names, cut cleanly: bench/captures.py's flags, and the slot patterns and
anatomy facts it found cut badly (each case is a real-shaped text of its kind, not an entry's own example)."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import diagnose, load_knowledge

from .benchmod import load

captures = load("captures.py", "bench_captures")

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)
ENTRIES = {e.id: e for e in KB.entries}


def _kinds(entry_id: str, caps: dict[str, str], text: str, generic: bool = False) -> set[str]:
    return {f.kind for f in captures.check(ENTRIES[entry_id], caps, text, "t", generic)}


def test_a_value_the_entry_cuts_itself_is_checked_even_under_a_name_the_anatomy_composes():
    text = 'String("mapper_parsing_exception")}), "status": Number(400)'
    assert "debris" in _kinds("elasticsearch.mapper_parsing_exception", {"reason": ")}), "}, text)
    assert not _kinds("python.module_not_found", {"reason": ")}), "}, text) - {"unfilled_slot"}


@pytest.mark.parametrize("slot,value,text,kind", [
    ("library", "foo:", "ld: cannot find -lfoo: No such file", "debris"),
    ("taint", "node.kubernetes.io/not-ready: ", "{node.kubernetes.io/not-ready: }", "debris"),
    ("bound", '2024-01-02T00:00:00Z"', 'is after 2024-01-02T00:00:00Z"', "debris"),
    ("name", "TS2304", "error TS2304: Cannot find name 'foo'.", "code_as_name"),
    ("package", "tensorflow==2.10.0", "requirement tensorflow==2.10.0", "pinned"),
    ("module", "google", "No module named 'google.protobuf'", "dotted_cut"),
    ("package", "the package could not be found here", "the package could not be found here", "sentence_as_name"),
    ("name", "foo\x1b[0m", "foo\x1b[0m", "crlf_ansi"),
    ("name", "bar", "foo", "not_in_text"),
])
def test_each_kind_of_bad_value_is_flagged(slot, value, text, kind):
    assert kind in _kinds("ld.undefined_reference", {slot: value}, text)


@pytest.mark.parametrize("slot,value,text", [
    ("module", "google.protobuf", "No module named 'google.protobuf'"),
    ("module", "google", "No module named 'google'"),
    ("token", ")", "syntax error near unexpected token `)'"),
    ("addr", "[::]", "make_sock: could not bind to address [::]:80"),
    ("name", "1", "line 3: $1: unbound variable"),
    ("library", "foo", "ld: cannot find -lfoo"),
    ("message", "'host'", "KeyError: 'host'"),
    ("frame", "app.py:42 in load()", "composed by the anatomy, not cut from the text"),
])
def test_clean_values_are_not_flagged(slot, value, text):
    assert not _kinds("ld.undefined_reference", {slot: value}, text) - {"unfilled_slot"}


def test_a_title_or_first_fix_slot_left_empty_is_flagged_unless_the_answer_is_generic():
    assert "unfilled_slot" in _kinds("python.module_not_found", {"module": "x"}, "No module named 'x'")
    assert "empty_slot" in _kinds("python.module_not_found", {"module": "x", "package": ""}, "No module named 'x'")
    assert not _kinds("python.module_not_found", {"module": "x", "package": ""}, "No module named 'x'", True)


# (entry id, capture, [(text, value) ...]): the value a fix or title needs, with no punctuation of the line around
# it (a second text of a kind keeps the shape the pattern already read right)
_CUT = [
    ("ld.cannot_find_library", "library", [
        ("/usr/bin/ld: cannot find -lssl: No such file or directory\n"
         "collect2: error: ld returned 1 exit status", "ssl"),
    ]),
    ("ld.undefined_reference", "symbol", [
        ('app.obj : error LNK2019: unresolved external symbol "void __cdecl render(int)" (?render@@YAXH@Z) '
         "referenced in function main", "void __cdecl render(int)"),
        ("main.obj : error LNK2001: unresolved external symbol _curl_easy_init", "_curl_easy_init"),
    ]),
    ("mvn.dependency_resolution_failed", "coords", [
        ("[ERROR] Failed to execute goal on project shop-api: Could not resolve dependencies for project "
         "com.acme:shop-api:jar:0.3.1: Could not find artifact com.acme:shop-core:jar:0.3.1 in central "
         "(https://repo.maven.apache.org/maven2) -> [Help 1]", "com.acme:shop-api:jar:0.3.1"),
    ]),
    ("k8s.failed_scheduling_taints", "taint", [
        ("  Warning  FailedScheduling  12s  default-scheduler  0/3 nodes are available: 3 node(s) had untolerated "
         "taint {node.kubernetes.io/disk-pressure: }. preemption: 0/3 nodes are available: 3 Preemption is not "
         "helpful for scheduling.", "node.kubernetes.io/disk-pressure"),
        ("  Warning  FailedScheduling  5s  default-scheduler  0/2 nodes are available: 2 node(s) had untolerated "
         "taint {dedicated: gpu}. preemption: 0/2 nodes are available", "dedicated: gpu"),
    ]),
    ("pnpm.lockfile_incompatible", "lockfile", [
        (" WARN  Ignoring not compatible lockfile at /home/ci/work/app: Lockfile /home/ci/work/app/pnpm-lock.yaml "
         "not compatible with current pnpm", "/home/ci/work/app"),
    ]),
    ("tls.certificate_expired", "bound", [
        ('level=error msg="pull failed" err="Get \\"https://registry.internal/v2/\\": x509: certificate has expired '
         'or is not yet valid: current time 2025-03-02T10:00:00Z is after 2025-02-28T12:00:00Z"',
         "2025-02-28T12:00:00Z"),
    ]),
    ("php.undefined_function", "php_function", [
        ("PHP Fatal error:  Call to undefined function App\\\\Security\\\\hash_equals() in "
         "/var/www/app/src/Security/Token.php on line 60", "hash_equals"),
        ("PHP Fatal error:  Uncaught Error: Call to undefined function App\\Util\\str_contains() in /srv/a.php:4",
         "str_contains"),
    ]),
    ("elasticsearch.mapper_parsing_exception", "field", [
        ('{"items":[{"index":{"error":{"reason":"failed to parse field [price] of type [float] in document with id '
         '\'7\'","type":"mapper_parsing_exception"},"status":400}}]}', "price"),
    ]),
]


@pytest.mark.parametrize("entry_id,name,cases", _CUT, ids=[c[0] for c in _CUT])
def test_values_are_cut_cleanly(entry_id, name, cases):
    for text, value in cases:
        d = next((d for d in diagnose(text, KB).diagnoses if d.id == entry_id), None)
        assert d is not None, [x.id for x in diagnose(text, KB).diagnoses]
        assert d.captures.get(name) == value
        assert not captures.check(ENTRIES[entry_id], {name: d.captures[name]}, text, "t", True)
