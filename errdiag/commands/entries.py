"""`errdiag explain ID` and `errdiag list`: show knowledge entries."""

from __future__ import annotations

from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from ..render import get_renderer
from .common import load_kb, paged


def explain_entry(env: Environment, entry_id: str, fmt: str, kb_dirs=(), pager: bool = True) -> int:
    base = load_kb(env, kb_dirs)
    entry = base.get(entry_id)
    if entry is None:
        from difflib import get_close_matches

        near = get_close_matches(entry_id, [e.id for e in base.entries], n=1)
        raise InputError(f"no entry {entry_id!r}" + (f"; did you mean {near[0]!r}?" if near else
                                                      " (see errdiag list)"))
    with paged(env, pager and fmt in ("rich", "plain")) as out:
        get_renderer(fmt).entry(out, entry)
    return ExitCode.OK


def list_entries(env: Environment, fmt: str, tool: str | None = None, tag: str | None = None,
                 kb_dirs=()) -> int:
    base = load_kb(env, kb_dirs)
    entries = [e for e in base.entries
               if (tool is None or e.tool_slug == tool.lower() or e.tool.lower() == tool.lower())
               and (tag is None or tag.lower() in (*(t.lower() for t in e.tags), e.category))]
    get_renderer(fmt).entries(env, entries)
    return ExitCode.OK if entries else ExitCode.NO_MATCH


def entry_ids(env: Environment) -> list[str]:
    """Every entry id errdiag would load here (for shell completion: quiet, never fails)."""
    try:
        import io
        from dataclasses import replace

        return sorted(e.id for e in load_kb(replace(env, stderr=io.StringIO()), ()).entries)
    except Exception:  # noqa: BLE001  # completion must never print a traceback into the shell
        return []
