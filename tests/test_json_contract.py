"""The JSON envelope is a contract (docs/json-output.md): exact keys and types, version 1."""

from __future__ import annotations

import json

ENVELOPE = {"version", "errdiag", "input", "redacted", "key_lines", "diagnoses"}
DIAGNOSIS = {
    "id", "title", "entry_title", "tool", "category", "confidence", "line", "last_line", "count", "source", "location",
    "excerpt", "excerpt_start", "captures", "summary", "quick_fixes", "sources", "generic", "refines", "origin",
    "fatal", "evidence", "lives",
}
LIVES = {"kind", "path", "owner", "by", "stepped_back"}
EVIDENCE = {"signature", "kind", "tier", "line", "score"}
KEY_LINE = {"line", "text", "score", "source", "reason"}


def test_envelope_keys_and_types(demo_cli):
    text = b"x\ndemo device sda has no space\ndemo job failed with exit code 1\n"
    r = demo_cli(["match", "--format", "json"], stdin=text)
    data = json.loads(r.stdout)
    assert set(data) == ENVELOPE
    assert data["version"] == 1 and isinstance(data["errdiag"], str) and data["redacted"] is True
    assert set(data["input"]) == {"lines", "bytes", "sources"} and data["input"]["lines"] == 3
    assert len(data["diagnoses"]) == 2
    for d in data["diagnoses"]:
        assert set(d) == DIAGNOSIS
        assert isinstance(d["id"], str) and isinstance(d["title"], str) and isinstance(d["tool"], str)
        assert 0 <= d["confidence"] <= 1
        assert d["line"] is None or (isinstance(d["line"], int) and d["line"] >= 1)
        assert isinstance(d["excerpt"], str) and isinstance(d["count"], int)
        assert all(set(ev) == EVIDENCE for ev in d["evidence"])
        assert all({"title"} <= set(f) <= {"title", "command", "platform", "note"} for f in d["quick_fixes"])
        assert d["fatal"] is True
    assert data["key_lines"] and len(data["key_lines"]) <= 10
    for k in data["key_lines"]:
        assert set(k) == KEY_LINE
        assert isinstance(k["line"], int) and k["line"] >= 1 and isinstance(k["text"], str)
        assert 0 <= k["score"] <= 1 and k["source"] == "<stdin>" and isinstance(k["reason"], str) and k["reason"]
    assert [k["score"] for k in data["key_lines"]] == sorted((k["score"] for k in data["key_lines"]), reverse=True)
    # the cause (no space) leads, not the exit-code wrapper below it
    assert data["key_lines"][0]["line"] == 2
    first = data["diagnoses"][0]
    assert first["id"] == "demo.disk_full" and first["captures"] == {"device": "sda"}
    assert first["quick_fixes"][0]["command"] == "demo-clean --device sda"


def test_lives_says_whose_code_failed(cli):
    # a compile error in a file under a dependency's folder: JSON says whose it is and that the answer stepped back
    text = b"/app/node_modules/native-thing/src/bind.c:12:5: error: 'foo' undeclared (first use in this function)\n"
    data = json.loads(cli(["match", "--format", "json"], stdin=text).stdout)
    lives = [d["lives"] for d in data["diagnoses"] if d["lives"]]
    assert lives and all(set(x) == LIVES for x in lives)
    assert lives[0]["kind"] == "dependency" and lives[0]["owner"] == "the npm package native-thing"
    assert isinstance(lives[0]["stepped_back"], bool)


def test_no_match_is_an_empty_list(demo_cli):
    r = demo_cli(["match", "--format", "json", "all good"])
    assert r.code == 1 and json.loads(r.stdout)["diagnoses"] == [] and json.loads(r.stdout)["key_lines"] == []


def test_passing_log_has_no_key_lines_and_notes_only(demo_cli):
    text = b"step 1\ndemo device sda has no space\nretrying on another device\n===== 12 passed in 0.31s =====\n"
    data = json.loads(demo_cli(["match", "--format", "json"], stdin=text).stdout)
    assert data["key_lines"] == []
    assert [d["fatal"] for d in data["diagnoses"]] == [False]


def test_json_has_no_default_cap(demo_cli, tmp_path):
    from .conftest import write_many_entries

    pack, text = write_many_entries(tmp_path, 15)
    r = demo_cli(["match", "--format", "json", "--kb", str(pack)], stdin=text)
    assert len(json.loads(r.stdout)["diagnoses"]) == 15


def test_explain_json_entry(demo_cli):
    data = json.loads(demo_cli(["explain", "demo.platform_quota", "--format", "json"]).stdout)
    assert data["version"] == 1
    e = data["entry"]
    for key in ("id", "title", "tool", "category", "summary", "meaning", "why", "causes", "quick_fixes",
                "checks", "steps", "prevention", "verify", "faq", "sources", "related", "refines", "examples"):
        assert key in e
    assert e["refines"] == "demo.vendor_quota"
