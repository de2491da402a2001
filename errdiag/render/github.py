"""GitHub Actions: `::error` workflow commands (within the per-step limits).

The step summary ($GITHUB_STEP_SUMMARY) is the Markdown report, appended by the command (step_summary).
"""

from __future__ import annotations

from ..models import Diagnosis, Result
from ..provenance import origin_line
from .base import Renderer, RenderOptions
from .helpers import location, shown

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step; the rest are grouped
MAX_MESSAGE = 4000  # keep one annotation readable (GitHub truncates long ones anyway)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnosis) -> str:
    e = d.entry
    props = []
    where = location(d)
    if where:
        props.append(f"file={_prop(where[0])}")
        if where[1]:
            props.append(f"line={where[1]}")
    props.append(f"title={_prop(f'{e.title} [{e.id}]')}")
    lines = [e.summary]
    origin = origin_line(e)
    if origin:
        lines.append(origin)
    where = f"log line {d.line}" if d.line else ""
    if d.count > 1:
        where += f" ({d.count} times, last at line {d.last_line})"
    if where:
        lines.append(where)
    for f in e.quick_fixes[:2]:
        cmd = d.fill(f.command)
        lines.append(f"Fix: {f.title}" + (f" — `{cmd}`" if cmd else ""))
    lines.append(f"Details: errdiag explain {e.id}")
    msg = "\n".join(lines)[:MAX_MESSAGE]
    return f"::error {','.join(props)}::{_data(msg)}"


def annotations(result: Result, top: int | None = None) -> list[str]:
    diags = shown(result, top)
    if not diags:
        return ["::notice title=errdiag::No known error recognised in this output."]
    out = [annotation(d) for d in diags[:MAX_ANNOTATIONS - 1]]
    rest = diags[MAX_ANNOTATIONS - 1:]
    if len(rest) == 1:
        out.append(annotation(rest[0]))
    elif rest:
        ids = ", ".join(d.id + (" (not bundled)" if d.entry.origin != "bundled" else "") for d in rest)
        out.append(f"::error title={_prop(f'errdiag: {len(rest)} more known errors')}::"
                   + _data(f"Also recognised: {ids}. See the step summary for details."))
    return out


class GitHubRenderer(Renderer):
    """Annotations for GitHub Actions; the command appends the Markdown report to the step summary."""

    name = "github"
    for_runner = True
    step_summary = True

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        for line in annotations(result, opts.top):
            env.stdout.write(line + "\n")
