"""GitHub Actions: `::error` workflow commands (within the per-step limits).

An annotation names `file=`/`line=` only for a file of the repository that the error itself names (relative to
the source root); a log errdiag read is not a source location, so a key line or an error without such a file is
annotated on the step alone. The step summary ($GITHUB_STEP_SUMMARY) is the Markdown report, appended by the
command (step_summary).
"""

from __future__ import annotations

from ..models import Diagnosis, KeyLine, Result
from ..provenance import origin_line
from .base import Renderer, RenderOptions
from .helpers import shown, source_location

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step; the rest are grouped
MAX_MESSAGE = 4000  # keep one annotation readable (GitHub truncates long ones anyway)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnosis, opts: RenderOptions) -> str:
    e = d.entry
    props = []
    where = source_location(d, opts)
    if where:
        props.append(f"file={_prop(where[0])}")
        if where[1]:
            props.append(f"line={where[1]}")
    props.append(f"title={_prop(f'{d.title} [{e.id}]')}")
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


def key_line_annotation(k: KeyLine) -> str:
    """The line where the input says it failed, when no knowledge entry explains it."""
    where = f"line {k.line}" + ("" if k.source.startswith("<") else f" of {k.source}")
    msg = f"{k.text}\n{where}: {k.reason}"[:MAX_MESSAGE]
    return f"::error title={_prop('errdiag: where it failed (no known error)')}::{_data(msg)}"


def note_annotation(d: Diagnosis) -> str:
    """A known error printed by a run (or step) that went on to succeed."""
    e = d.entry
    where = f"log line {d.line}" if d.line else ""
    return (f"::notice title={_prop(f'{d.title} [{e.id}] (not the failure)')}::"
            + _data(f"{e.summary}\n{where}: printed by a part of the run that succeeded"[:MAX_MESSAGE]))


def annotations(result: Result, opts: RenderOptions | None = None) -> list[str]:
    opts = opts or RenderOptions()
    top = opts.top
    diags = [d for d in shown(result, top) if d.fatal]
    notes = [note_annotation(d) for d in shown(result, top) if not d.fatal][:3]
    lead = [key_line_annotation(result.key_lines[0])] if result.key_lines and all(
        d.generic for d in diags) else []
    if not diags:
        return lead + notes or ["::notice title=errdiag::No known error recognised in this output."]
    budget = MAX_ANNOTATIONS - len(lead)
    out = lead + [annotation(d, opts) for d in diags[:budget - 1]]
    rest = diags[budget - 1:]
    if len(rest) == 1:
        out.append(annotation(rest[0], opts))
    elif rest:
        ids = ", ".join(d.id + (" (not bundled)" if d.entry.origin != "bundled" else "") for d in rest)
        out.append(f"::error title={_prop(f'errdiag: {len(rest)} more known errors')}::"
                   + _data(f"Also recognised: {ids}. See the step summary for details."))
    return out + notes


class GitHubRenderer(Renderer):
    """Annotations for GitHub Actions; the command appends the Markdown report to the step summary."""

    name = "github"
    for_runner = True
    step_summary = True

    def result(self, env, result: Result, opts: RenderOptions) -> None:
        for line in annotations(result, opts):
            env.stdout.write(line + "\n")
