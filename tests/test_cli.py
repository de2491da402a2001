"""Every CLI path and exit code, in-process with an injected environment."""

from __future__ import annotations

import json

from errdiag.exitcodes import ExitCode


def test_match_argument_finds_entry(demo_cli):
    r = demo_cli(["match", "demo disk is full"])
    assert r.code == ExitCode.OK
    assert "Demo: the disk is full" in r.stdout
    assert "demo.disk_full" in r.stdout


def test_match_no_diagnosis_exits_1(demo_cli):
    r = demo_cli(["match", "all 12 tests passed"])
    assert r.code == ExitCode.NO_MATCH
    assert "No known error" in r.stdout


def test_match_reads_stdin_when_piped(demo_cli):
    r = demo_cli(["match", "--format", "json"], stdin=b"line one\ndemo disk is full\n")
    assert r.code == 0
    data = json.loads(r.stdout)
    assert data["diagnoses"][0]["id"] == "demo.disk_full"
    assert data["diagnoses"][0]["line"] == 2


def test_match_dash_reads_stdin(demo_cli):
    r = demo_cli(["match", "-", "--format", "json"], stdin=b"demo disk is full\n")
    assert json.loads(r.stdout)["diagnoses"][0]["id"] == "demo.disk_full"


def test_match_file_repeatable(demo_cli, tmp_path):
    a = tmp_path / "a.log"
    b = tmp_path / "b.log"
    a.write_text("ok\n")
    b.write_text("x\ny\ndemo device sdb has no space\n")
    r = demo_cli(["match", "-f", str(a), "--file", str(b), "--format", "json"])
    d = json.loads(r.stdout)["diagnoses"][0]
    assert (d["id"], d["line"], d["source"], d["captures"]["device"]) == ("demo.disk_full", 3, str(b), "sdb")


def test_missing_file_is_usage_error(demo_cli, tmp_path):
    r = demo_cli(["match", "-f", str(tmp_path / "nope.log")])
    assert r.code == ExitCode.USAGE
    assert r.stderr.startswith("errdiag: error:") and "no such file" in r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1


def test_directory_as_file_is_usage_error(demo_cli, tmp_path):
    r = demo_cli(["match", "-f", str(tmp_path)])
    assert r.code == ExitCode.USAGE and "directory" in r.stderr


def test_empty_input_is_usage_error(demo_cli):
    for data in (b"", b"   \n\t\n\n"):
        r = demo_cli(["match"], stdin=data)
        assert r.code == ExitCode.USAGE, data
        assert "nothing to diagnose" in r.stderr


def test_no_input_on_a_terminal_is_usage_error(demo_cli):
    r = demo_cli(["match"])  # stdin is a TTY in make_env when stdin=None
    assert r.code == ExitCode.USAGE and "nothing to diagnose" in r.stderr


def test_bad_option_is_usage_error(demo_cli):
    r = demo_cli(["match", "--bogus"])
    assert r.code == ExitCode.USAGE
    assert "No such option" in r.stderr and "Traceback" not in r.stderr


def test_bad_format_value_is_usage_error(demo_cli):
    r = demo_cli(["match", "x", "--format", "yaml"])
    assert r.code == ExitCode.USAGE


def test_invalid_knowledge_exits_3(demo_cli, tmp_path):
    bad = tmp_path / "pack" / "demo"
    bad.mkdir(parents=True)
    (bad / "broken.yaml").write_text("id: demo.broken\ntitle: [unclosed\n")
    r = demo_cli(["match", "demo disk is full", "--kb", str(tmp_path / "pack")])
    assert r.code == ExitCode.KNOWLEDGE_INVALID
    assert "broken.yaml" in r.stderr and "Traceback" not in r.stderr


def test_top_and_min_confidence(demo_cli):
    text = b"demo disk is full\ndemo job failed with exit code 1\n"
    r = demo_cli(["match", "--format", "json"], stdin=text)
    assert [d["id"] for d in json.loads(r.stdout)["diagnoses"]] == ["demo.disk_full", "demo.generic_failure"]
    r = demo_cli(["match", "--format", "json", "--top", "1"], stdin=text)
    assert len(json.loads(r.stdout)["diagnoses"]) == 1
    r = demo_cli(["match", "--format", "json", "--min-confidence", "0.999"], stdin=text)
    assert r.code == ExitCode.NO_MATCH and json.loads(r.stdout)["diagnoses"] == []


def test_explain_flag_shows_evidence(demo_cli):
    r = demo_cli(["match", "demo disk is full", "--explain"])
    assert "Why this matched" in r.stdout and "literal" in r.stdout


def test_all_shows_every_diagnosis_in_full(demo_cli):
    text = b"demo disk is full\ndemo job failed with exit code 1\n"
    compact = demo_cli(["match"], stdin=text).stdout
    full = demo_cli(["match", "--all"], stdin=text).stdout
    assert "Also found" in compact and "Rerun with verbose output" not in compact
    assert "Rerun with verbose output" in full


def test_quick_fix_fills_captures(demo_cli):
    r = demo_cli(["match", "demo device nvme0 has no space"])
    assert "demo-clean --device nvme0" in r.stdout
    r = demo_cli(["match", "demo disk is full"])
    assert "demo-clean --device <device>" in r.stdout


def test_markdown_format(demo_cli):
    r = demo_cli(["match", "demo disk is full", "--format", "markdown"])
    assert r.stdout.startswith("# errdiag diagnosis")
    assert "### Quick fixes" in r.stdout


def test_explain_command(demo_cli):
    r = demo_cli(["explain", "demo.disk_full"])
    assert r.code == 0 and "Step by step" in r.stdout and "Demo docs" in r.stdout
    j = demo_cli(["explain", "demo.disk_full", "--format", "json"])
    entry = json.loads(j.stdout)["entry"]
    assert entry["id"] == "demo.disk_full" and len(entry["steps"]) == 4


def test_explain_unknown_id_suggests(demo_cli):
    r = demo_cli(["explain", "demo.disk_ful"])
    assert r.code == ExitCode.USAGE and "did you mean 'demo.disk_full'" in r.stderr


def test_list_command_and_filters(demo_cli):
    r = demo_cli(["list", "--format", "json"])
    ids = [e["id"] for e in json.loads(r.stdout)["entries"]]
    assert ids == sorted(ids) and "demo.disk_full" in ids
    assert {"id", "title", "tool"} <= set(json.loads(r.stdout)["entries"][0])
    r = demo_cli(["list", "--tag", "demo", "--format", "json"])
    assert [e["id"] for e in json.loads(r.stdout)["entries"]] == ["demo.disk_full"]
    r = demo_cli(["list", "--tool", "nothing"])
    assert r.code == ExitCode.NO_MATCH


def test_kb_validate_clean_and_broken(demo_cli, tmp_path):
    assert demo_cli(["kb", "validate"]).code == 0
    pack = tmp_path / "pack" / "demo"
    pack.mkdir(parents=True)
    (pack / "thief.yaml").write_text(
        "id: demo.thief\ntitle: t\ntool: T\ncategory: runtime\nsummary: s\n"
        "signatures:\n  - literal: demo disk is full\n    weight: 3\n"
        "examples:\n  match: ['nothing like it']\n")
    r = demo_cli(["kb", "validate", str(tmp_path / "pack")])
    assert r.code == ExitCode.KNOWLEDGE_INVALID
    assert "thief.yaml:" in r.stdout and "examples.match[0]" in r.stdout


def test_kb_validate_strict_finds_a_title_slot_no_signature_captures(demo_cli, tmp_path):
    from errdiag.kb import load_knowledge
    from errdiag.validate import title_slots

    pack = tmp_path / "pack" / "mod"
    pack.mkdir(parents=True)
    (pack / "slot.yaml").write_text(
        "id: mod.slot\ntitle: \"{{file|FILE}}: mod failed in {{unit|a unit}}\"\ntool: Mod\ncategory: build\n"
        "summary: s\nsignatures:\n  - regex: \"(?P<file>[a-z]+[.]mod): mod failed\"\n")
    kb = load_knowledge([pack.parent], bundled=False, project=False, entry_points=False, cache_dir=tmp_path / "c")
    (problem,) = title_slots(kb)
    assert problem.entry == "mod.slot" and "{{unit}} is captured by no signature" in problem.message


def test_kb_schema_is_json_schema(demo_cli):
    schema = json.loads(demo_cli(["kb", "schema"]).stdout)
    assert schema["additionalProperties"] is False and "signatures" in schema["required"]


def test_no_args_prints_help(demo_cli):
    r = demo_cli([])
    assert r.code == ExitCode.USAGE and "match" in r.stdout


def test_redaction_default_and_opt_out(demo_cli):
    text = "demo disk is full; OPENAI_API_KEY=sk-proj-abcdefghijklmnop1234567890"
    r = demo_cli(["match", text, "--format", "json"])
    assert "sk-proj-abcdef" not in r.stdout and "[REDACTED]" in r.stdout
    r = demo_cli(["match", text, "--format", "json", "--no-redact"])
    assert "sk-proj-abcdefghijklmnop1234567890" in r.stdout


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "errdiag", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "match" in p.stdout


def test_skip_invalid_kb_warns_and_continues(demo_cli, tmp_path):
    bad = tmp_path / "pack" / "demo"
    bad.mkdir(parents=True)
    (bad / "broken.yaml").write_text("id: demo.broken\ntitle: [unclosed\n")
    r = demo_cli(["match", "demo disk is full", "--kb", str(tmp_path / "pack"), "--skip-invalid-kb"])
    assert r.code == ExitCode.OK and "demo.disk_full" in r.stdout
    assert r.stderr.startswith("errdiag: warning: skipped ") and "broken.yaml" in r.stderr
