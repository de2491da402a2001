"""Discover, parse and strictly validate knowledge files into a KnowledgeBase.

Search roots, in order (a later entry with the same id overrides an earlier one):
bundled → user config dir → project `.errdiag/knowledge` (found upward from the cwd inside the
repository, see trust.py) →
installed packs (entry point group `errdiag.knowledge`) → ERRDIAG_KB_PATH → --kb DIR.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import regexes, sanitize, trust
from .errors import KnowledgeError
from .models import Check, Derive, Entry, Faq, Fix, Signature, Source
from .schema import (
    ANATOMY_KEYS,
    CATEGORIES,
    CHECK_KEYS,
    DERIVE_KEYS,
    EXAMPLE_KEYS,
    FAQ_KEYS,
    FIELD_NAMES,
    FIX_KEYS,
    ID_RE,
    SIGNATURE_KEYS,
    SOURCE_KEYS,
)

MAX_FILE_BYTES = 512 * 1024  # an entry is a few KB; anything this large is a mistake or an attack
MAX_FILES = 20_000  # per root: bounds a runaway folder (or a link farm)
MAX_DIRS = 5_000  # per root: a pack linking to `/` stops here instead of walking the whole filesystem
MAX_DEPTH = 8  # <root>/<tool>/<slug>.yaml is depth 1; packs may nest a little deeper, never this deep
MAX_EXAMPLE_CHARS = 64 * 1024
_ID = re.compile(ID_RE)
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[A-Za-z0-9_-]+")


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

    A directory is entered once (no loops); at most MAX_DIRS folders, MAX_DEPTH deep (a pack holding a
    symlink to `/` must not walk the whole filesystem).
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


def iter_files(root: Path) -> list[Path]:
    """The *.yaml files under root, sorted, never following a directory symlink twice (loops)."""
    return [Path(w[0]) for w in walk(root)]


_LOADER = None


def _strict_loader():
    """A safe loader (no object construction) that also rejects duplicate keys; built on first use."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _LOADER = StrictLoader
    return _LOADER


def _construct_mapping(loader, node, deep=False):
    import yaml

    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        try:
            seen[key] = True
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark) from None
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)




def read_yaml(path: Path) -> tuple[Any, str]:
    """Load one YAML file safely; errors name the file and line."""
    import yaml

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise KnowledgeError(str(path), f"file is {size} bytes; an entry may be at most {MAX_FILE_BYTES}")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if "*" in text and "&" in text and _ALIAS.search(text) and _has_alias(text):
        raise KnowledgeError(str(path), "YAML anchors/aliases are not allowed in knowledge files")
    try:
        data = yaml.load(text, Loader=_strict_loader())  # noqa: S506  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(str(path), f"invalid YAML: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(str(path), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise KnowledgeError(str(path), "invalid YAML: nested too deeply") from None
    return data, text


def _has_alias(text: str) -> bool:
    """True when the YAML really uses an alias (`*name`), not just an asterisk inside a string."""
    import yaml

    try:
        return any(isinstance(t, yaml.AliasToken) for t in yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return False  # the parser reports the real problem


def line_of(text: str, *path: str | int) -> int | None:
    """The 1-based line of a field (path of keys/indexes) in a YAML text, for error messages."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class _Checker:
    """Type checks for one file that remember the path and text for precise errors."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, field: str, msg: str, *loc: str | int) -> KnowledgeError:
        return KnowledgeError(str(self.path), msg, field=field, line=line_of(self.text, *(loc or (field,))))

    def string(self, value: Any, field: str, *loc: str | int) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(field, f"expected a string, got {_typename(value)}", *loc)
        s = str(value).strip()
        if not s:
            raise self.fail(field, "must not be empty", *loc)
        return s

    def str_list(self, value: Any, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, f"expected a list of strings, got {_typename(value)}")
        return tuple(self.string(v, f"{field}[{i}]", field, i) for i, v in enumerate(value))

    def obj_list(self, value: Any, field: str, keys: set[str], required: tuple[str, ...]) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(field, f"expected a list, got {_typename(value)}")
        out = []
        for i, item in enumerate(value):
            where = f"{field}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(where, f"expected a mapping, got {_typename(item)}", field, i)
            unknown = set(map(str, item)) - keys
            if unknown:
                raise self.fail(where, f"unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(keys))})",
                                field, i)
            for r in required:
                if r not in item:
                    raise self.fail(where, f"missing {r!r}", field, i)
            out.append({k: self.string(v, f"{where}.{k}", field, i, k) if k != "weight" else v
                        for k, v in item.items() if v is not None})
        return out


def _typename(v: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "a boolean", type(None): "nothing"}.get(
        type(v), type(v).__name__)


def parse_entry(data: Any, path: Path, text: str, origin: str = "bundled",
                root: Path | None = None) -> Entry | str:
    """Validate one loaded YAML document into an Entry (or the id string of a `disabled: true` stub)."""
    c = _Checker(path, text)
    if not isinstance(data, dict):
        raise KnowledgeError(str(path), f"expected a mapping at the top level, got {_typename(data)}", line=1)
    for key in data:
        if key not in FIELD_NAMES:
            hint = _close(str(key), FIELD_NAMES)
            raise c.fail(str(key), "unknown key" + (f" (did you mean {hint!r}?)" if hint else ""))
    if "id" not in data:
        raise KnowledgeError(str(path), "missing required field", field="id", line=1)
    entry_id = c.string(data["id"], "id")
    if not _ID.match(entry_id):
        raise c.fail("id", f"{entry_id!r} is not of the form <tool>.<slug> ([a-z0-9_]+ each)")
    if root is not None and root != path:
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = None
        if rel is not None:
            want = f"{rel.parent.name}.{rel.stem}" if len(rel.parts) >= 2 else None
            if want is not None and want != entry_id:
                raise c.fail("id", f"{entry_id!r} does not fit its path: expected {want!r}")
    if data.get("disabled") is not None and not isinstance(data["disabled"], bool):
        raise c.fail("disabled", "expected true or false")
    if data.get("disabled"):
        extra = set(data) - {"id", "disabled"}
        if extra:
            raise c.fail(sorted(extra)[0], "a disabled stub holds only 'id' and 'disabled: true'")
        return entry_id
    for f in FIELD_NAMES.values():
        if f.required and f.name not in data:
            raise KnowledgeError(str(path), "missing required field", field=f.name, line=1)

    title = c.string(data["title"], "title")
    tool = c.string(data["tool"], "tool")
    category = c.string(data["category"], "category")
    if category not in CATEGORIES:
        raise c.fail("category", f"{category!r} is not one of: {', '.join(CATEGORIES)}")
    for b in ("generic", "family"):
        if data.get(b) is not None and not isinstance(data[b], bool):
            raise c.fail(b, "expected true or false")
    refines = c.string(data["refines"], "refines") if data.get("refines") is not None else None
    if refines is not None and not _ID.match(refines):
        raise c.fail("refines", f"{refines!r} is not an entry id")

    sigs = []
    raw_sigs = c.obj_list(data.get("signatures"), "signatures", SIGNATURE_KEYS, ())
    if not raw_sigs:
        raise c.fail("signatures", "at least one signature is required")
    for i, s in enumerate(raw_sigs):
        sigs.append(_signature(c, s, i))

    def texts(name: str) -> tuple[str, ...]:
        return c.str_list(data.get(name), name)

    fixes = tuple(Fix(**f) for f in c.obj_list(data.get("quick_fixes"), "quick_fixes", FIX_KEYS, ("title",)))
    checks = tuple(Check(**x) for x in c.obj_list(data.get("checks"), "checks", CHECK_KEYS, ("title",)))
    faq = tuple(Faq(**x) for x in c.obj_list(data.get("faq"), "faq", FAQ_KEYS, ("q", "a")))
    sources = []
    for i, s in enumerate(c.obj_list(data.get("sources"), "sources", SOURCE_KEYS, ("url", "title"))):
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", s["url"]):
            raise c.fail(f"sources[{i}].url", f"{s['url']!r} is not an http(s) URL", "sources", i)
        sources.append(Source(**s))
    related = texts("related")
    for i, r in enumerate(related):
        if not _ID.match(r):
            raise c.fail(f"related[{i}]", f"{r!r} is not an entry id", "related", i)

    derive = []
    raw_derive = data.get("derive")
    if raw_derive is not None:
        if not isinstance(raw_derive, dict):
            raise c.fail("derive", f"expected a mapping, got {_typename(raw_derive)}")
        names = {n for s in sigs if s.kind == "regex" for n in _group_names(s.pattern)}
        for name, spec in raw_derive.items():
            where = f"derive.{name}"
            if not isinstance(spec, dict):
                raise c.fail(where, "expected a mapping with 'from' and 'map'", "derive", name)
            unknown = set(spec) - DERIVE_KEYS
            if unknown:
                raise c.fail(where, f"unknown key {sorted(unknown)[0]!r}", "derive", name)
            src = c.string(spec.get("from"), f"{where}.from", "derive", name)
            if src not in names:
                raise c.fail(where, f"'from: {src}' is not a named group of any regex signature", "derive", name)
            mapping = spec.get("map") or {}
            if not isinstance(mapping, dict):
                raise c.fail(f"{where}.map", "expected a mapping", "derive", name)
            derive.append(Derive(str(name), src, {str(k): str(v) for k, v in mapping.items()}))

    anatomy: list[tuple[str, str]] = []
    raw_anatomy = data.get("anatomy")
    if raw_anatomy is not None:
        if not isinstance(raw_anatomy, dict) or not raw_anatomy:
            raise c.fail("anatomy", f"expected a non-empty mapping, got {_typename(raw_anatomy)}")
        for k, v in raw_anatomy.items():
            if k not in ANATOMY_KEYS:
                hint = _close(str(k), ANATOMY_KEYS)
                raise c.fail("anatomy", f"unknown key {k!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                             "anatomy", str(k))
            if isinstance(v, bool) or not isinstance(v, (str, int)) or str(v) == "":
                raise c.fail("anatomy", f"{k}: expected a string or a number", "anatomy", str(k))
            anatomy.append((str(k), str(v)))

    examples = data.get("examples") or {}
    if not isinstance(examples, dict):
        raise c.fail("examples", f"expected a mapping with match/no_match, got {_typename(examples)}")
    unknown = set(examples) - EXAMPLE_KEYS
    if unknown:
        raise c.fail("examples", f"unknown key {sorted(unknown)[0]!r} (allowed: match, no_match)")
    ex_match = c.str_list(examples.get("match"), "examples.match") if "match" in examples else ()
    ex_no = c.str_list(examples.get("no_match"), "examples.no_match") if "no_match" in examples else ()
    for ex in (*ex_match, *ex_no):
        if len(ex) > MAX_EXAMPLE_CHARS:
            raise c.fail("examples", f"an example is longer than {MAX_EXAMPLE_CHARS} characters")

    return sanitize.safe_entry(Entry(
        id=entry_id, title=title, tool=tool, category=category,
        summary=c.string(data["summary"], "summary"),
        meaning=c.string(data["meaning"], "meaning") if data.get("meaning") else "",
        why=c.string(data["why"], "why") if data.get("why") else "",
        signatures=tuple(sigs), causes=texts("causes"), quick_fixes=fixes, checks=checks,
        steps=texts("steps"), prevention=texts("prevention"), verify=texts("verify"),
        sources=tuple(sources), examples_match=ex_match, examples_no_match=ex_no,
        tags=texts("tags"), generic=bool(data.get("generic")), refines=refines,
        family=bool(data.get("family")), specific_when=texts("specific_when"), anatomy=tuple(anatomy),
        context=tuple(_phrase(p) for p in texts("context")),
        exclude=tuple(_phrase(p) for p in texts("exclude")),
        derive=tuple(derive), faq=faq, related=related, path=str(path), origin=origin,
    ))


def _phrase(s: str) -> str:
    return " ".join(s.lower().split())


def _group_names(pattern: str) -> list[str]:
    return re.findall(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>", pattern)


def _signature(c: _Checker, s: dict, i: int) -> Signature:
    where = f"signatures[{i}]"
    kinds = [k for k in ("literal", "code", "regex") if k in s]
    if len(kinds) != 1:
        raise c.fail(where, "needs exactly one of literal, code, regex", "signatures", i)
    kind = kinds[0]
    pattern = s[kind]
    weight = s.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.1 <= weight <= 3:
        raise c.fail(f"{where}.weight", "expected a number from 0.1 to 3", "signatures", i, "weight")
    if kind in ("literal", "code"):
        if "anchor" in s:
            raise c.fail(f"{where}.anchor", "only a regex takes an anchor", "signatures", i, "anchor")
        phrase = _phrase(pattern)
        if len(phrase) < 3:
            raise c.fail(where, f"{kind} {pattern!r} is too short to be distinctive (3+ characters)",
                         "signatures", i)
        return Signature(kind, pattern, (phrase,), float(weight))
    try:
        regexes.check(pattern)
    except regexes.RegexProblem as exc:
        raise c.fail(f"{where}.regex", f"{pattern!r} {exc}", "signatures", i, "regex") from None
    if "anchor" in s:
        anchors = tuple(_phrase(a) for a in s["anchor"].split("|"))
        # counted in UTF-8 bytes, as the fast pass scans bytes: one rare symbol such as Jest's "›" is as
        # selective as three ASCII letters
        if any(len(a.encode("utf-8")) < 3 for a in anchors):
            raise c.fail(f"{where}.anchor", "an anchor needs 3+ characters", "signatures", i, "anchor")
    else:
        anchors = tuple(regexes.derive_anchors(pattern))
        if not anchors:
            raise c.fail(f"{where}.regex", "has no literal part of 3+ characters for the fast pass; "
                         "add `anchor:` (a literal the regex cannot match without)", "signatures", i, "regex")
    return Signature("regex", pattern, anchors, float(weight))


def _close(word: str, options: Iterable[str]) -> str | None:
    import difflib

    got = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return got[0] if got else None


@dataclass
class LoadReport:
    """What loading found besides the entries: problems (when collecting) and overrides."""

    errors: list[KnowledgeError] = field(default_factory=list)
    overridden: list[tuple[str, str, str]] = field(default_factory=list)  # id, old origin, new origin
    disabled: list[str] = field(default_factory=list)
    disabled_from: list[tuple[str, str, str]] = field(default_factory=list)  # id, old origin, stub's origin
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, origin) of every file read


def load_entries(roots: list[Root], collect: bool = False) -> tuple[list[Entry], LoadReport]:
    """Load every entry of every root; later roots override earlier ids.

    With collect=True, problems are gathered in the report and bad files skipped; otherwise the first
    problem raises KnowledgeError.
    """
    report = LoadReport()
    by_id: dict[str, Entry] = {}
    for root in roots:
        try:
            files = iter_files(root.path)
        except KnowledgeError as exc:
            if not collect:
                raise
            report.errors.append(exc)
            continue
        seen_here: dict[str, Path] = {}
        for path in files:
            report.files.append((path, root.origin))
            try:
                data, text = read_yaml(path)
                got = parse_entry(data, path, text, origin=root.origin, root=root.path)
                gid = got if isinstance(got, str) else got.id
                if gid in seen_here:
                    raise KnowledgeError(str(path), f"duplicate id {gid!r} (also in {seen_here[gid]})",
                                         field="id", line=line_of(text, "id"))
                seen_here[gid] = path
            except KnowledgeError as exc:
                if not collect:
                    raise
                report.errors.append(exc)
                continue
            if isinstance(got, str):
                old = by_id.pop(got, None)
                if old is not None:
                    report.disabled.append(got)
                    report.disabled_from.append((got, old.origin, root.origin))
                continue
            if got.id in by_id:
                report.overridden.append((got.id, by_id[got.id].origin, got.origin))
            by_id[got.id] = got
    entries = sorted(by_id.values(), key=lambda e: e.id)
    return entries, report
