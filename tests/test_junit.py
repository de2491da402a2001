"""JUnit XML output: the shape test-report readers take, failures only for what should turn a report red."""

from __future__ import annotations

from xml.etree import ElementTree


def _suite(out: str) -> ElementTree.Element:
    root = ElementTree.fromstring(out)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == str(len(suite.findall("testcase"))) == root.get("tests")
    assert suite.get("failures") == str(len(suite.findall("testcase/failure"))) == root.get("failures")
    return suite


def test_a_known_error_is_one_failed_case_with_its_place_and_fixes(demo_cli, tmp_path):
    log = tmp_path / "build.log"
    log.write_text("step 1\nstep 2\ndemo disk is full\n")
    r = demo_cli(["match", "--format", "junit", "--file", str(log)])
    assert r.code == 0 and r.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    suite = _suite(r.stdout)
    case = next(c for c in suite.findall("testcase") if c.find("failure") is not None)
    assert case.get("classname").endswith(".demo.disk_full") and case.get("line") == "3"
    assert case.get("file") == "build.log"  # relative to the source root, as in the other report formats
    failure = case.find("failure")
    assert failure.get("type") == "demo.disk_full" and failure.get("message")
    assert "errdiag explain demo.disk_full" in failure.text and "demo disk is full" in failure.text


def test_a_passing_input_is_one_passing_case(demo_cli):
    suite = _suite(demo_cli(["match", "--format", "junit", "all good here"]).stdout)
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and suite.get("failures") == "0"


def test_an_unknown_failure_reports_where_it_failed(demo_cli, tmp_path):
    log = tmp_path / "ci.log"
    log.write_text("compiling\nlinking\nfatal: the frobnicator refused to start\n")
    suite = _suite(demo_cli(["match", "--format", "junit", "--file", str(log)]).stdout)
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert len(failed) == 1 and failed[0].get("classname") == "errdiag.unrecognised"
    assert failed[0].get("line") == "3" and "frobnicator" in failed[0].find("failure").get("message")


def test_characters_xml_cannot_hold_do_not_break_the_report(demo_cli):
    out = demo_cli(["match", "--format", "junit"], stdin=b"\x01\x1b[31mdemo disk is full\x0b\x00\n").stdout
    _suite(out)  # parses: control characters are replaced, never written raw


def test_two_answers_about_one_line_fail_once(demo_cli, tmp_path):
    pack = tmp_path / "pack" / "mod"
    pack.mkdir(parents=True)
    for slug, words in (("full", "disk is full"), ("demo_word", "demo disk")):
        (pack / f"{slug}.yaml").write_text(
            f"id: mod.{slug}\ntitle: Mod {slug}\ntool: Mod\ncategory: runtime\nsummary: The mod {slug}.\n"
            f"signatures:\n  - regex: \"{words}\"\n")
    suite = _suite(demo_cli(["match", "--format", "junit", "--kb", str(tmp_path / "pack")],
                            stdin=b"demo disk is full\n").stdout)
    assert len(suite.findall("testcase")) >= 2 and suite.get("failures") == "1"
