"""GitLab Code Quality output: the shape GitLab reads, and fingerprints that survive moved lines."""

from __future__ import annotations

import json


def test_codequality_issues_and_stable_fingerprints(demo_cli, tmp_path):
    log = tmp_path / "build.log"
    log.write_text("step 1\ndemo disk is full\n")
    first = json.loads(demo_cli(["match", "--format", "codequality", "--file", str(log)]).stdout)
    log.write_text("step 0\nstep 1\nmore output\ndemo disk is full\n")
    moved = json.loads(demo_cli(["match", "--format", "codequality", "--file", str(log)]).stdout)
    issue = next(i for i in first if i["check_name"] == "demo.disk_full")
    again = next(i for i in moved if i["check_name"] == "demo.disk_full")
    assert issue["location"] == {"path": "build.log", "lines": {"begin": 2}}  # relative to the source root
    assert again["location"]["lines"]["begin"] == 4
    assert issue["fingerprint"] == again["fingerprint"] and len(issue["fingerprint"]) == 64
    assert issue["severity"] == "major" and issue["type"] == "issue" and issue["description"]
    assert len({i["fingerprint"] for i in first}) == len(first)
