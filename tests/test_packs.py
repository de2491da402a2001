"""Knowledge packs: every search root can override a bundled entry; authoring commands work."""

from __future__ import annotations

import json
import os

import yaml

from .conftest import FIXTURE_KB

OVERRIDE = """\
id: demo.disk_full
title: "Team override: our disk is full"
tool: Demo
category: resource
summary: Our own text.
signatures:
  - literal: "demo disk is full"
"""


def _write(folder, rel="demo/disk_full.yaml", text=OVERRIDE):
    p = folder / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def _top(res):
    data = json.loads(res.stdout)
    return data["diagnoses"][0]["title"] if data["diagnoses"] else None


def test_user_config_folder_overrides(demo_cli, tmp_path):
    cfg = tmp_path / "cfg"
    _write(cfg / "knowledge")
    r = demo_cli(["match", "demo disk is full", "--format", "json"], env={"ERRDIAG_CONFIG_DIR": str(cfg)})
    assert _top(r) == "Team override: our disk is full"


def test_xdg_config_home_is_the_default_user_folder(demo_cli, tmp_path):
    xdg = tmp_path / "xdg"
    _write(xdg / "errdiag" / "knowledge")
    r = demo_cli(["match", "demo disk is full", "--format", "json"],
                 env={"ERRDIAG_CONFIG_DIR": None, "XDG_CONFIG_HOME": str(xdg)})
    assert _top(r) == "Team override: our disk is full"


def test_project_folder_found_upward(demo_cli, tmp_path):
    proj = tmp_path / "proj"
    _write(proj / ".errdiag" / "knowledge")
    deep = proj / "src" / "pkg"
    deep.mkdir(parents=True)
    r = demo_cli(["match", "demo disk is full", "--format", "json"], cwd=deep)
    assert _top(r) == "Team override: our disk is full"


def test_env_path_overrides(demo_cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a)
    _write(b, text=OVERRIDE.replace("Team override", "Env B"))
    r = demo_cli(["match", "demo disk is full", "--format", "json"],
                 env={"ERRDIAG_KB_PATH": os.pathsep.join([str(a), str(b)])})
    assert _top(r) == "Env B: our disk is full"


def test_cli_kb_beats_env(demo_cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a, text=OVERRIDE.replace("Team override", "Env"))
    _write(b, text=OVERRIDE.replace("Team override", "Cli"))
    r = demo_cli(["match", "demo disk is full", "--format", "json", "--kb", str(b)],
                 env={"ERRDIAG_KB_PATH": str(a)})
    assert _top(r) == "Cli: our disk is full"


def test_pack_can_disable_an_entry(demo_cli, tmp_path):
    pack = tmp_path / "pack"
    _write(pack, text="id: demo.disk_full\ndisabled: true\n")
    r = demo_cli(["match", "demo disk is full", "--kb", str(pack)])
    assert r.code == 1


def test_list_and_explain_show_origin(demo_cli, tmp_path):
    pack = tmp_path / "pack"
    _write(pack)
    r = demo_cli(["list", "--format", "json", "--kb", str(pack)])
    origins = {e["id"]: e["origin"] for e in json.loads(r.stdout)["entries"]}
    assert origins["demo.disk_full"] == "cli" and origins["demo.vendor_quota"] == "bundled"
    r = demo_cli(["explain", "demo.disk_full", "--kb", str(pack)])
    assert "(cli)" in r.stdout and str(pack) in r.stdout


def test_entry_point_pack(tmp_path, monkeypatch):
    """An installed package can ship knowledge through the errdiag.knowledge entry point group."""
    import sys

    pack = tmp_path / "site" / "teampack"
    _write(pack / "knowledge")
    (pack / "__init__.py").write_text(
        "from pathlib import Path\ndef knowledge():\n    return Path(__file__).parent / 'knowledge'\n")
    dist = tmp_path / "site" / "teampack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: teampack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[errdiag.knowledge]\nteam = teampack:knowledge\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    from errdiag.kb import load_knowledge

    kb = load_knowledge(env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)}, cwd=tmp_path, config_dir=None)
    e = kb.get("demo.disk_full")
    assert e.title.startswith("Team override") and e.origin == "pack:team"
    sys.modules.pop("teampack", None)


def test_kb_new_skeleton_validates_shape(demo_cli, tmp_path):
    err = tmp_path / "err.txt"
    err.write_text("2024-01-01 10:00:00 ERROR sqlite3.OperationalError: database is locked\n")
    r = demo_cli(["kb", "new", "myapp.db_locked", "--dir", str(tmp_path / "pack"), "--from", str(err)])
    assert r.code == 0
    path = tmp_path / "pack" / "myapp" / "db_locked.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["id"] == "myapp.db_locked"
    assert {"literal": "sqlite3.OperationalError: database is locked"} in data["signatures"]
    assert "database is locked" in data["examples"]["match"][0]
    # the skeleton loads (schema-valid); only its placeholder examples fail validation
    r = demo_cli(["kb", "validate", str(tmp_path / "pack")])
    assert "invalid YAML" not in r.stdout and "unknown key" not in r.stdout
    assert demo_cli(["kb", "new", "myapp.db_locked", "--dir", str(tmp_path / "pack")]).code == 2  # exists
    assert demo_cli(["kb", "new", "Bad-Id"]).code == 2


def test_kb_new_from_stdin(demo_cli, tmp_path):
    r = demo_cli(["kb", "new", "x.y", "--dir", str(tmp_path), "--from", "-"], stdin=b"fatal: widget exploded badly\n")
    assert r.code == 0 and "widget exploded badly" in (tmp_path / "x" / "y.yaml").read_text()


def test_kb_validate_reports_broken_pack_file(demo_cli, tmp_path):
    pack = tmp_path / "pack"
    _write(pack, "demo/broken.yaml", "id: demo.broken\ntitle: x\nbogus: 1\n")
    r = demo_cli(["kb", "validate", str(pack)])
    assert r.code == 3
    assert f"{pack / 'demo' / 'broken.yaml'}:3: bogus: unknown key" in r.stdout


def test_kb_docs_writes_pages_and_index(demo_cli, tmp_path):
    out = tmp_path / "site"
    r = demo_cli(["kb", "docs", "--out", str(out)])
    assert r.code == 0
    page = (out / "demo" / "disk_full.md").read_text()
    for section in ("## What it means", "## Why it happens", "## Likely causes", "## Quick fixes",
                    "## Checks for Demo", "## Step by step", "## Prevention", "## Verify the fix", "## Sources"):
        assert section in page
    index = (out / "index.md").read_text()
    assert "## Demo (`demo`)" in index and "demo/disk_full.md" in index
