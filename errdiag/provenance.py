"""Where knowledge came from, said out loud: notes for stderr, and the origin line of a diagnosis.

A bundled entry is errdiag's own; anything else (a project's `.errdiag/knowledge`, the user's folder,
ERRDIAG_KB_PATH, --kb, an installed pack) is somebody else's words, so every diagnosis it gives names
its file, in every format, and a project pack that replaces or removes a bundled entry is announced on
stderr at every run (issue 14, High 2).
"""

from __future__ import annotations

from .models import Entry

LABELS = {"user": "user knowledge", "project": "project knowledge", "env": "ERRDIAG_KB_PATH knowledge",
          "cli": "--kb knowledge"}


def origin_line(entry: Entry) -> str | None:
    """'From project knowledge: <file>' for an entry that is not bundled; None for a bundled one."""
    if entry.origin == "bundled":
        return None
    return f"From {origin_label(entry.origin)}: {entry.path}"


def origin_label(origin: str) -> str:
    """'project knowledge', 'installed pack NAME', 'bundled knowledge' ... for an origin."""
    return LABELS.get(origin) or (f"installed pack {origin[5:]}" if origin.startswith("pack:")
                                  else f"{origin} knowledge")


def announce(kb) -> list[str]:
    """One stderr line per refused project folder, and one naming what a project pack changes."""
    from .sanitize import plain

    lines = [f"errdiag: note: {plain(n)}" for n in kb.notes]
    over = sorted(i for i, old, new in kb.report.overridden if new == "project" and old == "bundled")
    gone = sorted(i for i, old, new in kb.report.disabled_from if new == "project" and old == "bundled")
    if over or gone:
        where = next((str(r.path) for r in kb.roots if r.origin == "project"), ".errdiag/knowledge")
        what = []
        if over:
            what.append("overrides bundled " + ", ".join(over))
        if gone:
            what.append("disables bundled " + ", ".join(gone))
        lines.append(f"errdiag: note: project knowledge {plain(where)} {'; '.join(what)} "
                     "(--no-project-kb to ignore it)")
    return lines
