"""Secrets are never printed back, in any output format; the diagnosis still works."""

from __future__ import annotations

import json

import pytest

from errdiag.redact import redact

SECRETS = {
    "openai": "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    "openai project": "sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678",
    "anthropic": "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345-ABCDE",
    "aws access key": "AKIAIOSFODNN7EXAMPLE",
    "github classic": "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "github fine-grained": "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "gitlab": "glpat-abcdefghij1234567890",
    "slack": "xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx",
    "google": "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    "huggingface": "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
}


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_token_shapes_are_redacted(name):
    secret = SECRETS[name]
    out = redact(f"error using key {secret} at startup")
    assert secret not in out and "[REDACTED]" in out


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345"),
        ("git clone https://bob:hunter2pass@github.com/org/repo.git", "hunter2pass"),
        ("postgres://app:S3cr3t!@db:5432/app", "S3cr3t!"),
        ("DB_PASSWORD=correct-horse-battery", "correct-horse-battery"),
        ("export MY_API_TOKEN='t0k3n-value-here'", "t0k3n-value-here"),
        ('{"client_secret": "abc123secretvalue"}', "abc123secretvalue"),
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA7"),
    ],
)
def test_contextual_secrets_are_redacted(text, secret):
    out = redact(text)
    assert secret not in out and "[REDACTED]" in out


def test_ordinary_text_is_untouched():
    for text in ("ModuleNotFoundError: No module named 'requests'", "KeyError: 'token'",
                 "password authentication failed for user \"postgres\"", "Authorization: Bearer <token>"):
        assert redact(text) == text


def test_redaction_in_every_format(demo_cli, tmp_path):
    key = SECRETS["openai project"]
    text = f"OPENAI_API_KEY={key}\ndemo disk is full\nAuthorization: Bearer {SECRETS['openai']}\n".encode()
    summary = tmp_path / "s.md"
    for fmt in ("plain", "json", "markdown", "github", "sarif", "rich"):
        r = demo_cli(["match", "--format", fmt], stdin=text, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert r.code == 0, fmt
        assert key not in r.stdout and SECRETS["openai"] not in r.stdout, fmt
    assert key not in summary.read_text()


def test_captures_are_redacted(demo_cli, tmp_path):
    pack = tmp_path / "pack" / "t"
    pack.mkdir(parents=True)
    (pack / "key.yaml").write_text(
        "id: t.key\ntitle: Key rejected\ntool: T\ncategory: auth\nsummary: s\n"
        "signatures:\n  - regex: 'key (?P<key>\\S+) was rejected'\n"
        "quick_fixes:\n  - title: rotate\n    command: 'revoke {{key}}'\n")
    r = demo_cli(["match", "--format", "json", "--kb", str(tmp_path / "pack"),
                  f"the key {SECRETS['github classic']} was rejected"])
    d = json.loads(r.stdout)["diagnoses"][0]
    assert d["id"] == "t.key" and d["captures"]["key"] == "[REDACTED]"
    assert SECRETS["github classic"] not in json.dumps(d)


def test_diagnosis_survives_redaction(demo_cli):
    r = demo_cli(["match", "--format", "json", f"demo quota exhausted for key {SECRETS['openai']}"])
    assert json.loads(r.stdout)["diagnoses"][0]["id"] == "demo.vendor_quota"


def test_structural_gates_never_skip_a_text_the_rule_could_match():
    """A gate word must stand for a literal the rule's regex requires (else a secret could pass unmasked)."""
    from errdiag import redact
    from errdiag.regexes import required_sets

    for rule_id, pattern, _how in redact._STRUCTURAL:
        gate = redact._GATES.get(rule_id)
        if not gate:
            continue
        sets = required_sets(pattern)
        assert any(all(any(g in member for g in gate) for member in s) for s in sets), rule_id
    assert set(redact._GATES) <= {r for r, _p, _h in redact._STRUCTURAL}


def test_a_plain_error_line_compiles_no_structural_rule():
    from errdiag import redact

    redact.rules.cache_clear()
    assert redact.redact("fatal: not a git repository (or any of the parent directories): .git").startswith("fatal")
    compiled = [r.id for r in redact.rules() if r._rx is not None]
    assert compiled == ["base64-key-body"], compiled  # the one ungated rule (a cheap program)
    redact.rules.cache_clear()
