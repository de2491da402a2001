"""Which project knowledge folder (`.errdiag/knowledge`) errdiag may trust, and why it refuses one.

A project pack changes what errdiag says and, under `errdiag run --fail-on`, what status a CI step gets.
It is found by walking up from the working directory, so the walk is confined (issue 14, High 2):

- it stops at the repository root (the first folder holding `.git`) or at the home directory, whichever
  comes first; outside any repository and outside home, only the working directory itself is looked at
  (a `/tmp/.errdiag/knowledge` planted by another user is never picked up from `/tmp/work`);
- a folder on the way to the pack (the one holding `.errdiag`, `.errdiag` itself, and `knowledge`) must
  be owned by this user (or root) and not writable by others (nor by a group that is not the user's own);
  otherwise the pack is refused with a one-line note;
- `--no-project-kb` or ERRDIAG_NO_PROJECT_KB=1 turns the search off.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Mapping

PROJECT_DIR = (".errdiag", "knowledge")


def project_kb_disabled(env: Mapping[str, str]) -> bool:
    return (env.get("ERRDIAG_NO_PROJECT_KB") or "").strip().lower() not in ("", "0", "false", "no")


def find_project_pack(cwd: Path, home: str | None) -> tuple[Path | None, str | None]:
    """(the trusted project knowledge folder or None, a note saying why one was refused or None)."""
    try:
        here = cwd.resolve()
    except (OSError, RuntimeError):
        return None, None
    home_dir = None
    if home:
        try:
            home_dir = Path(home).resolve()
        except (OSError, RuntimeError):
            home_dir = None
    chain = [here, *here.parents]
    limit = None
    for i, d in enumerate(chain):
        if d == home_dir or _is_repo_root(d):
            limit = i
            break
    for d in chain[: limit + 1] if limit is not None else chain[:1]:
        cand = d.joinpath(*PROJECT_DIR)
        try:
            if not cand.is_dir():
                continue
        except OSError:
            continue
        why = untrusted(d, d / PROJECT_DIR[0], cand)
        if why:
            return None, f"ignoring project knowledge {cand}: {why}"
        return cand, None
    return None, None


def _is_repo_root(d: Path) -> bool:
    try:
        return (d / ".git").exists()
    except OSError:
        return False


def untrusted(*paths: Path) -> str | None:
    """Why one of `paths` may not be trusted (another user's, or writable by others), or None."""
    euid = getattr(os, "geteuid", None)
    if euid is None:  # Windows: no POSIX owners or modes to check
        return None
    me = euid()
    my_gid = os.getegid()
    for p in paths:
        try:
            st = os.stat(p)
        except OSError as exc:
            return f"cannot check {p} ({exc.strerror})"
        if st.st_uid not in (me, 0):
            return f"{p} is owned by another user (uid {st.st_uid})"
        if st.st_mode & stat.S_IWOTH:
            return f"{p} is writable by every user"
        if st.st_mode & stat.S_IWGRP and st.st_gid != my_gid:
            return f"{p} is writable by group {st.st_gid}"
    return None
