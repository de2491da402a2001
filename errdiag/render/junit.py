"""JUnit XML: one test suite, one test case per diagnosis, for CI systems that show test reports
(GitLab `artifacts: reports: junit`, Jenkins `junit`, Azure `PublishTestResults`, CircleCI `store_test_results`).

A fatal, specific diagnosis is a failed test case: `name` is its title, `classname` `errdiag.<id>`,
the `<failure>` message the entry's summary and its body where it sits, the line and the first quick fixes.
A generic diagnosis, or one in a run that went on to succeed, passes with the note in `<system-out>` (it must
not turn a report red on its own). When no entry matched but the input shows where it failed, the top key line
is one failed case (`errdiag.unrecognised`). Two answers about the same line fail once (the better one); the
other passes with a note. When nothing is found, one passing case says so: some readers
reject a report without test cases.

Texts are made safe for XML 1.0 (characters it forbids become `?`) and written as ASCII with character
references when the stream cannot take UTF-8, like every other format.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..models import Diagnosis, KeyLine, Result
from .base import Renderer, RenderOptions
from .helpers import ascii_only, in_repo, line_range, shown, source_location

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str | None) -> str:
    """`text` with the characters XML 1.0 cannot hold replaced."""
    return _NOT_XML.sub("?", text or "")


def _where(d: Diagnosis, opts: RenderOptions, text_name: str) -> tuple[str, int | None]:
    named = source_location(d, opts)
    if named:
        return named
    return (in_repo(d.source or "", opts) or d.source or text_name, d.line)


def _failure_body(d: Diagnosis, path: str, line: int | None, fixes: int = 3) -> str:
    where = f"{path}:{line}" if line else path
    if d.count > 1:
        where += f" (lines {line_range(d)}, {d.count} times)"
    out = [where]
    if d.excerpt:
        out += ["", d.excerpt]
    if d.entry.meaning:
        out += ["", d.entry.meaning.strip()]
    for f in d.entry.quick_fixes[:fixes]:
        out.append("")
        out.append(f"- {f.title}" + (f": {f.note}" if f.note else ""))
        if f.command:
            out.append(f"    {d.fill(f.command)}")
    out += ["", f"errdiag explain {d.entry.id}"]
    return "\n".join(out)


def _case(suite: ET.Element, classname: str, name: str, path: str, line: int | None) -> ET.Element:
    attrs = {"classname": _x(classname), "name": _x(name), "file": _x(path), "time": "0"}
    if line:
        attrs["line"] = str(line)
    return ET.SubElement(suite, "testcase", attrs)


def junit_tree(result: Result, opts: RenderOptions | None = None) -> ET.Element:
    opts = opts or RenderOptions()
    texts = [s for s in result.sources if s.startswith("<")]
    text_name = texts[0] if len(texts) == 1 else "<input>"
    root = ET.Element("testsuites", {"name": "errdiag"})
    suite = ET.SubElement(root, "testsuite", {"name": "errdiag"})
    failures = 0
    failed_at: dict[tuple[str, int | None], str] = {}  # one failed case per place: the best answer there
    diags = shown(result, opts.top)
    for d in diags:
        path, line = _where(d, opts, text_name)
        case = _case(suite, f"errdiag.{d.entry.id}", d.title, path, line)
        if d.fatal and not d.generic and (path, line) in failed_at:
            ET.SubElement(case, "system-out").text = _x(f"also read as {failed_at[path, line]} (same line); "
                                                        f"{d.entry.summary}")
        elif d.fatal and not d.generic:
            failed_at[path, line] = d.entry.id
            failures += 1
            fail = ET.SubElement(case, "failure", {"message": _x(f"{d.title}: {d.entry.summary}"),
                                                   "type": _x(d.entry.id)})
            fail.text = _x(_failure_body(d, path, line))
        else:
            kind = "generic answer" if d.generic else "note: the run went on to succeed"
            ET.SubElement(case, "system-out").text = _x(f"{kind}; {d.entry.summary}\n{path}:{line or 1}")
    if not failed_at and result.key_lines:
        k: KeyLine = result.key_lines[0]
        path = in_repo(k.source, opts) or k.source
        case = _case(suite, "errdiag.unrecognised", f"Where it failed: {k.text}"[:200], path, k.line)
        failures += 1
        body = "\n".join(k.context) if k.context else k.text
        fail = ET.SubElement(case, "failure", {"message": _x(f"{k.reason}: {k.text}"), "type": "errdiag.key_line"})
        fail.text = _x(f"{path}:{k.line}\n\n{body}")
    if not len(suite):
        _case(suite, "errdiag", "no known error recognised", text_name, None)
    for node in (root, suite):
        node.set("tests", str(len(suite)))
        node.set("failures", str(failures))
        node.set("errors", "0")
    return root


def junit_xml(result: Result, opts: RenderOptions | None = None, ascii: bool = False) -> str:
    root = junit_tree(result, opts)
    ET.indent(root)
    body = ET.tostring(root, encoding="us-ascii" if ascii else "unicode", xml_declaration=False)
    if isinstance(body, bytes):
        body = body.decode("ascii")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


class JUnitRenderer(Renderer):
    """JUnit XML test report: failed test cases for the errors found."""

    name = "junit"
    for_runner = False

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        env.stdout.write(junit_xml(result, opts, ascii=ascii_only(env.stdout)))
