"""Find the knowledge folders and the entry files inside them (no file is read here).

Search roots, in order (a later entry with the same id overrides an earlier one):
bundled → user config dir → project `.errdiag/knowledge` (found upward from the cwd inside the
repository, see trust.py) → installed packs (entry point group `errdiag.knowledge`) → ERRDIAG_KB_PATH →
--kb DIR.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from . import trust
from .errors import KnowledgeError

MAX_FILES = 20_000  # per root: bounds a runaway folder (or a link farm)
MAX_DIRS = 5_000  # per root: a pack linking to `/` stops here instead of walking the whole filesystem
MAX_DEPTH = 8  # <root>/<tool>/<slug>.yaml is depth 1; packs may nest a little deeper, never this deep


@dataclass(frozen=True)
class Root:
    """One knowledge folder and where it came from (bundled, user, project, pack:<name>, env, cli)."""

    path: Path
    origin: str


def bundled_root() -> Path:
    """The knowledge base shipped with errdiag (inside the wheel, or the checkout's knowledge/)."""
    here = Path(__file__).resolve().parent
    packaged = here / "knowledge"
    if packaged.is_dir():
        return packaged
    return here.parent / "knowledge"


def discover_roots(env: Mapping[str, str], cwd: Path, config_dir: Path | None,
                   extra: Iterable[str | Path] = (), bundled: bool = True,
                   entry_points: bool = True, project: bool = True,
                   notes: list[str] | None = None) -> list[Root]:
    """Every knowledge root in search order; `notes` collects why a project folder was refused."""
    roots: list[Root] = []
    if bundled:
        # ERRDIAG_BUNDLED_DIR swaps the bundled knowledge for another folder (tests, packagers)
        roots.append(Root(Path(env.get("ERRDIAG_BUNDLED_DIR") or bundled_root()), "bundled"))
    if config_dir is not None:
        user = config_dir / "knowledge"
        if user.is_dir():
            roots.append(Root(user, "user"))
    if project and not trust.project_kb_disabled(env):
        found, why = trust.find_project_pack(cwd, env.get("HOME"))
        if found is not None:
            roots.append(Root(found, "project"))
        elif why and notes is not None:
            notes.append(why)
    if entry_points:
        roots.extend(_entry_point_roots())
    for part in (env.get("ERRDIAG_KB_PATH") or "").split(os.pathsep):
        if part.strip():
            roots.append(Root(Path(part.strip()).expanduser(), "env"))
    for p in extra:
        roots.append(Root(Path(p).expanduser(), "cli"))
    return roots


def _any_pack_installed() -> bool:
    """A cheap scan of installed distributions' entry_points.txt for our group.

    importlib.metadata (and the email parser it imports) costs ~40 ms at every start; most machines
    have no pack, and this scan of a few small files answers that in ~2 ms.
    """
    import sys

    for base in sys.path:
        try:
            with os.scandir(base or ".") as it:
                for d in it:
                    if d.name.endswith((".dist-info", ".egg-info")):
                        try:
                            with open(os.path.join(d.path, "entry_points.txt"), encoding="utf-8") as fh:
                                if "errdiag.knowledge" in fh.read():
                                    return True
                        except OSError:
                            continue
        except OSError:
            continue
    return False


def _entry_point_roots() -> list[Root]:
    roots: list[Root] = []
    if not _any_pack_installed():
        return roots
    from importlib.metadata import entry_points

    try:
        eps = entry_points(group="errdiag.knowledge")
    except Exception:  # noqa: BLE001  # a broken installed distribution must not break errdiag
        return roots
    for ep in sorted(eps, key=lambda e: e.name):
        try:
            target = ep.load()
            path = target() if callable(target) else target
            roots.append(Root(Path(str(path)), f"pack:{ep.name}"))
        except Exception:  # noqa: BLE001  # report nothing: a pack that cannot load is skipped
            continue
    return roots


def walk(root: Path) -> list[tuple[str, int, int, int, int]]:
    """(path, size, mtime_ns, inode, ctime_ns) of the *.yaml files under root, sorted.

    A directory is entered once (no loops); at most MAX_DIRS folders, MAX_DEPTH deep; a symlink whose
    target lies outside the folder is refused (KnowledgeError naming it), so a pack holding a link to `/`
    neither walks the whole filesystem nor reads files outside itself.
    """
    top = os.fspath(root)
    try:
        st = os.stat(top)
    except OSError:
        raise KnowledgeError(top, "knowledge folder does not exist or is not a directory") from None
    if not os.path.isdir(top):
        return [(top, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)]
    out: list[tuple[str, int, int, int, int]] = []
    seen: set[tuple[int, int]] = set()
    stack = [(top, 0)]
    inside = os.path.join(os.path.realpath(top), "")
    while stack:
        d, depth = stack.pop()
        if len(seen) >= MAX_DIRS:
            raise KnowledgeError(top, f"more than {MAX_DIRS} folders (does it link to a big tree?)")
        try:
            ds = os.stat(d)
        except OSError:
            continue
        if (ds.st_dev, ds.st_ino) in seen:
            continue
        seen.add((ds.st_dev, ds.st_ino))
        try:
            with os.scandir(d) as it:
                items = list(it)
        except OSError as exc:
            raise KnowledgeError(d, f"cannot read folder: {exc.strerror or exc}") from None
        for e in items:
            if e.name.startswith("."):
                continue
            try:
                if e.is_symlink():
                    _check_link(e.path, inside)
                if e.is_dir():
                    if depth < MAX_DEPTH:
                        stack.append((e.path, depth + 1))
                elif e.name.endswith((".yaml", ".yml")) and e.is_file():
                    fs = e.stat()
                    out.append((e.path, fs.st_size, fs.st_mtime_ns, fs.st_ino, fs.st_ctime_ns))
            except OSError:
                continue
            if len(out) > MAX_FILES:
                raise KnowledgeError(top, f"more than {MAX_FILES} knowledge files")
    out.sort()
    return out


def _check_link(path: str, inside: str) -> None:
    """A symlink in a knowledge folder must stay inside it (a link to `/` or to ~/.ssh is refused)."""
    target = os.path.realpath(path)
    if not os.path.join(target, "").startswith(inside):
        raise KnowledgeError(path, f"links outside the knowledge folder (to {target}); errdiag does not "
                             "follow it: pass that folder with --kb or ERRDIAG_KB_PATH instead")


def iter_files(root: Path) -> list[Path]:
    """The *.yaml files under root, sorted, never following a directory symlink twice (loops)."""
    return [Path(w[0]) for w in walk(root)]
