"""Validate one loaded YAML document into an Entry, driven by schema.FIELDS.

Each field's `type` names a parser in PARSERS; a few fields add a check of their own in FIELD_CHECKS
(category in the list, ids that look like ids, phrases folded for matching). The parsed values are passed to
Entry by field name, so a new field is one line in schema.FIELDS and one attribute on models.Entry (and a
parser here only when its type is new).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable

from . import limits, regexes, sanitize
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
    FIELDS,
    FIX_KEYS,
    ID_RE,
    SIGNATURE_KEYS,
    SOURCE_KEYS,
)
from .yamlsafe import line_of

MAX_EXAMPLE_CHARS = 64 * 1024
_ID = re.compile(ID_RE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


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


# --- one parser per field type: (checker, raw value, field name, values parsed so far) -> value ------------

def _str(c: _Checker, value: Any, name: str, parsed: dict) -> str | None:
    return None if value is None or value == "" else c.string(value, name)


def _bool(c: _Checker, value: Any, name: str, parsed: dict) -> bool:
    if value is not None and not isinstance(value, bool):
        raise c.fail(name, "expected true or false")
    return bool(value)


def _opt_bool(c: _Checker, value: Any, name: str, parsed: dict) -> bool | None:
    """A bool whose absence means "the default" (None), not False."""
    return None if value is None else _bool(c, value, name, parsed)


def _str_list(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[str, ...]:
    return c.str_list(value, name)


def _signatures(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[Signature, ...]:
    raw = c.obj_list(value, name, SIGNATURE_KEYS, ())
    if not raw:
        raise c.fail(name, "at least one signature is required")
    if len(raw) > limits.MAX_SIGNATURES:
        raise c.fail(name, f"{len(raw)} signatures; the limit is {limits.MAX_SIGNATURES} per entry")
    return tuple(_signature(c, s, i) for i, s in enumerate(raw))


def _objects(cls: type, keys: set[str], required: tuple[str, ...]) -> Callable:
    def parse(c: _Checker, value: Any, name: str, parsed: dict) -> tuple:
        return tuple(cls(**item) for item in c.obj_list(value, name, keys, required))
    return parse


def _sources(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[Source, ...]:
    out = []
    for i, s in enumerate(c.obj_list(value, name, SOURCE_KEYS, ("url", "title"))):
        if not _URL.match(s["url"]):
            raise c.fail(f"{name}[{i}].url", f"{s['url']!r} is not an http(s) URL", name, i)
        out.append(Source(**s))
    return tuple(out)


def _derive(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[Derive, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise c.fail(name, f"expected a mapping, got {_typename(value)}")
    groups = {g for s in parsed.get("signatures", ()) if s.kind == "regex" for g in _group_names(s.pattern)}
    out = []
    for key, spec in value.items():
        where = f"{name}.{key}"
        if not isinstance(spec, dict):
            raise c.fail(where, "expected a mapping with 'from' and 'map'", name, key)
        unknown = set(spec) - DERIVE_KEYS
        if unknown:
            raise c.fail(where, f"unknown key {sorted(unknown)[0]!r}", name, key)
        src = c.string(spec.get("from"), f"{where}.from", name, key)
        if src not in groups:
            raise c.fail(where, f"'from: {src}' is not a named group of any regex signature", name, key)
        mapping = spec.get("map") or {}
        if not isinstance(mapping, dict):
            raise c.fail(f"{where}.map", "expected a mapping", name, key)
        out.append(Derive(str(key), src, {str(k): str(v) for k, v in mapping.items()}))
    return tuple(out)


def _anatomy(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise c.fail(name, f"expected a non-empty mapping, got {_typename(value)}")
    out = []
    for k, v in value.items():
        if k not in ANATOMY_KEYS:
            hint = _close(str(k), ANATOMY_KEYS)
            raise c.fail(name, f"unknown key {k!r}" + (f" (did you mean {hint!r}?)" if hint else ""), name, str(k))
        if isinstance(v, bool) or not isinstance(v, (str, int)) or str(v) == "":
            raise c.fail(name, f"{k}: expected a string or a number", name, str(k))
        out.append((str(k), str(v)))
    return tuple(out)


def _examples(c: _Checker, value: Any, name: str, parsed: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    value = value or {}
    if not isinstance(value, dict):
        raise c.fail(name, f"expected a mapping with match/no_match, got {_typename(value)}")
    unknown = set(value) - EXAMPLE_KEYS
    if unknown:
        raise c.fail(name, f"unknown key {sorted(unknown)[0]!r} (allowed: match, no_match)")
    match = c.str_list(value.get("match"), f"{name}.match")
    no_match = c.str_list(value.get("no_match"), f"{name}.no_match")
    if any(len(x) > MAX_EXAMPLE_CHARS for x in (*match, *no_match)):
        raise c.fail(name, f"an example is longer than {MAX_EXAMPLE_CHARS} characters")
    return match, no_match


PARSERS: dict[str, Callable[[_Checker, Any, str, dict], Any]] = {
    "str": _str,
    "bool": _bool,
    "opt_bool": _opt_bool,
    "list[str]": _str_list,
    "signatures": _signatures,
    "fixes": _objects(Fix, FIX_KEYS, ("title",)),
    "checks": _objects(Check, CHECK_KEYS, ("title",)),
    "faq": _objects(Faq, FAQ_KEYS, ("q", "a")),
    "sources": _sources,
    "derive": _derive,
    "anatomy": _anatomy,
    "examples": _examples,
}


# --- checks some fields add to their type's parsing ------------------------------------------------------

def _category(c: _Checker, value: str, name: str) -> str:
    if value not in CATEGORIES:
        raise c.fail(name, f"{value!r} is not one of: {', '.join(CATEGORIES)}")
    return value


def _entry_id(c: _Checker, value: str | None, name: str) -> str | None:
    if value is not None and not _ID.match(value):
        raise c.fail(name, f"{value!r} is not an entry id")
    return value


def _entry_ids(c: _Checker, value: tuple[str, ...], name: str) -> tuple[str, ...]:
    for i, v in enumerate(value):
        if not _ID.match(v):
            raise c.fail(f"{name}[{i}]", f"{v!r} is not an entry id", name, i)
    return value


def _phrases(c: _Checker, value: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(_phrase(p) for p in value)


FIELD_CHECKS: dict[str, Callable[[_Checker, Any, str], Any]] = {
    "category": _category,
    "refines": _entry_id,
    "related": _entry_ids,
    "context": _phrases,
    "exclude": _phrases,
}
_NOT_ON_ENTRY = {"id", "disabled"}  # read before the table: the id fits the path; a stub is not an entry
_SPREAD = {"examples": ("examples_match", "examples_no_match")}  # one YAML field, two Entry attributes


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
    entry_id = _parse_id(c, data, path, root)
    if _bool(c, data.get("disabled"), "disabled", {}):
        extra = set(data) - {"id", "disabled"}
        if extra:
            raise c.fail(sorted(extra)[0], "a disabled stub holds only 'id' and 'disabled: true'")
        return entry_id
    for f in FIELDS:
        if f.required and f.name not in data:
            raise KnowledgeError(str(path), "missing required field", field=f.name, line=1)
    parsed: dict[str, Any] = {}
    for f in FIELDS:
        if f.name in _NOT_ON_ENTRY:
            continue
        value = PARSERS[f.type](c, data.get(f.name), f.name, parsed)
        check = FIELD_CHECKS.get(f.name)
        parsed[f.name] = check(c, value, f.name) if check else value
    values: dict[str, Any] = {}
    for name, value in parsed.items():
        if name in _SPREAD:
            values.update(zip(_SPREAD[name], value, strict=True))
        elif value is not None:
            values[name] = value
    return sanitize.safe_entry(Entry(id=entry_id, path=str(path), origin=origin, **values))


def _parse_id(c: _Checker, data: dict, path: Path, root: Path | None) -> str:
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
        if rel is not None and len(rel.parts) >= 2:
            want = f"{rel.parent.name}.{rel.stem}"
            if want != entry_id:
                raise c.fail("id", f"{entry_id!r} does not fit its path: expected {want!r}")
    return entry_id


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
    if isinstance(pattern, str) and len(pattern) > limits.MAX_PATTERN_CHARS:
        raise c.fail(where, f"{kind} is {len(pattern)} characters long; the limit is {limits.MAX_PATTERN_CHARS}",
                     "signatures", i)
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
