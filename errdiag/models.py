"""Pure values passed between the stages: entries, signatures, diagnoses, results.

A leaf module: it imports nothing from errdiag but the schema table (itself a leaf), so every other
module may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .schema import FIELDS

# a slot in a title written for people: <name>, {{name}}, or a one-letter name in quotes ('x', "x", `x`)
_TITLE_SLOT = re.compile(r"<([a-z][a-z0-9_]*)>|\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}|(?<=['\"`])([a-z])(?=['\"`])")
TITLE_VALUE_MAX = 60  # a captured value longer than this is cut in a title (the excerpt shows it whole)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Fill `{{name}}` in a command with a captured or derived value made safe for the shell (see
    shellsafe.py), or `<name>` when there is none or it does not look like what it stands for;
    `{{name|words}}` falls back to the words when there is no value."""
    from .shellsafe import fill_value

    def one(m: re.Match) -> str:
        got = values.get(m.group(1))
        if not got and m.group(2) is not None:
            return m.group(2).strip()
        return fill_value(text, m.start(), m.group(1), got)

    return _PLACEHOLDER.sub(one, text)


def fill_text(text: str, values: dict[str, str]) -> str:
    """Fill `{{name}}` in prose (titles, summaries, steps): the value as captured (prose is never run);
    `{{name|words}}` falls back to the words, `{{name}}` to `<name>`."""
    def one(m: re.Match) -> str:
        got = values.get(m.group(1))
        if got:
            return got
        return m.group(2).strip() if m.group(2) is not None else f"<{m.group(1)}>"

    return _PLACEHOLDER.sub(one, text)


def _short(v: str) -> str:
    v = " ".join(v.split())
    return v if len(v) <= TITLE_VALUE_MAX else v[:TITLE_VALUE_MAX - 1] + "…"


_CONTEXT_CAPTURES = frozenset((
    "language", "tool", "exc_type", "exc_type_full", "message", "error_code", "frame", "frame_file", "frame_line",
    "frame_func", "frame_code", "where", "Where", "lib_frame", "frames_seen", "http_status", "http_reason",
    "http_method", "http_url", "host", "endpoint", "vendor", "vendor_message", "vendor_type", "vendor_code",
    "vendor_status", "exit_code", "signal", "reason", "status_name", "chain_length", "test_report",
    "carriage_return", "wrapped_by", "cause", "cause_type", "result", "container", "source", "errno", "library",
    "obj_type", "object"))


def fill_title(title: str, captures: dict[str, str]) -> str:
    """`title` with its slots filled from `captures`.

    A title with `{{name|words}}` or `{{name}}` slots is filled by name only: the value captured as `name`,
    else its words (`<name>` without words); nothing else in it is a slot, so a captured value or the
    title's own text is never filled again (`unterminated `s' command` keeps its `s`). An older title's
    slots `<name>`/`'x'` are filled by name; when every such slot has the same name and no capture has
    it, by the first captured value (`No module named 'x'` -> `'cv2'`)."""
    if "{{" in title and _PLACEHOLDER.search(title):
        return _PLACEHOLDER.sub(lambda m: _short(captures.get(m.group(1)) or "")
                                or (m.group(2) or "").strip() or f"<{m.group(1)}>", title)
    if not captures:
        return title
    slots = list(_TITLE_SLOT.finditer(title))
    if not slots:
        return title
    names = {m.group(m.lastindex) for m in slots}
    # the first value the entry's own text captured (the anatomy's facts about the whole error, such as its
    # language or HTTP status, never stand in for a title's `x`)
    first = next((v for k, v in captures.items() if k not in _CONTEXT_CAPTURES), None)

    def value(m: re.Match) -> str:
        name = m.group(m.lastindex)
        v = captures.get(name) or (first if len(names) == 1 else None)
        return _short(v) if v else m.group(0)

    return _TITLE_SLOT.sub(value, title)


@dataclass(frozen=True)
class Signature:
    """One way to recognise an entry: a literal phrase, a whole-token code, or a regex."""

    kind: str  # "literal" | "code" | "regex"
    pattern: str
    anchors: tuple[str, ...]  # lowercase literals the fast pass looks for (one must occur)
    weight: float = 1.0


@dataclass(frozen=True)
class Fix:
    title: str
    command: str | None = None
    platform: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Check:
    title: str
    command: str | None = None


@dataclass(frozen=True)
class Faq:
    q: str
    a: str


@dataclass(frozen=True)
class Source:
    url: str
    title: str


@dataclass(frozen=True)
class Derive:
    name: str
    source: str  # the capture it is computed from
    mapping: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def value(self, captured: str) -> str:
        """Map a captured value: the whole value first, then its dotted prefixes (`google.protobuf.x` finds
        `google.protobuf`); an unmapped dotted name falls back to its top-level part, the usual distribution.
        A prefix mapped to `*` is a namespace: the value is the prefix and its next part (`backports: "*"` maps
        `backports.configparser.x` to `backports.configparser`, a distribution of its own)."""
        if captured in self.mapping and self.mapping[captured] != "*":
            return self.mapping[captured]
        parts = captured.split(".")
        for n in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in self.mapping:
                return ".".join(parts[:n + 1]) if self.mapping[prefix] == "*" else self.mapping[prefix]
        return parts[0] if len(parts) > 1 and all(parts) else captured


@dataclass(frozen=True)
class Section:
    """One section of an entry as every format shows it: field, heading, display kind, content."""

    key: str  # the Entry field, and the entry's JSON key
    title: str  # the heading ("Checks for npm")
    view: str  # text | bullets | numbered | fixes | checks | faq | sources | ids (schema.Field.view)
    value: Any  # a string for text, else the field's tuple


SECTION_FIELDS = tuple(f for f in FIELDS if f.section)  # in display order


@dataclass(frozen=True)
class Entry:
    """One known error, loaded from `knowledge/<tool>/<slug>.yaml`."""

    id: str
    title: str
    tool: str
    category: str
    summary: str
    signatures: tuple[Signature, ...]
    meaning: str = ""
    why: str = ""
    causes: tuple[str, ...] = ()
    quick_fixes: tuple[Fix, ...] = ()
    checks: tuple[Check, ...] = ()
    steps: tuple[str, ...] = ()
    prevention: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    generic: bool = False
    refines: str | None = None
    family: bool = False
    specific_when: tuple[str, ...] = ()
    assumes_user_code: bool | None = None  # None: the default of its category (families.assumes_user_code)
    anatomy: tuple[tuple[str, str], ...] = ()  # (key, value) conditions; a value may hold '|' alternatives
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    derive: tuple[Derive, ...] = ()
    faq: tuple[Faq, ...] = ()
    related: tuple[str, ...] = ()
    path: str = ""
    origin: str = "bundled"

    # An entry read from the knowledge cache holds all but HOT_FIELDS as one undecoded blob until a field of
    # it is first read: a start-up decodes only the entries a text hits (about 20 of 800 for a paste).
    def __getattr__(self, name: str) -> Any:
        cold = self.__dict__.get("_cold")
        if cold is None or name not in COLD_FIELDS:
            raise AttributeError(name)
        blob, thaw = cold
        values = thaw(blob, self)  # (field, value) pairs (a damaged blob: read again from the entry's file)
        d = self.__dict__
        d.update(values)
        del d["_cold"]
        return d[name]

    def __getstate__(self) -> dict[str, Any]:  # a copy sent to another process carries its prose decoded
        if "_cold" in self.__dict__:
            getattr(self, COLD_FIELDS[0])
        return self.__dict__

    @property
    def shown_title(self) -> str:
        """The title as read without an input (list, explain, docs): `{{name|words}}` shows its words."""
        return fill_text(self.title, {}) if "{{" in self.title else self.title

    def filled(self, values: dict[str, str]) -> Entry:
        """The entry with `{{placeholders}}` in its prose filled from `values` (a diagnosis's captures; `{}`
        for reading it without an input: the fallback words). Commands are filled by the renderers."""
        def f(text: str) -> str:
            return fill_text(text, values) if "{{" in text else text

        if not self._has_placeholders():
            return self
        return replace(
            self,  # a catalogue entry's title stays as written: Diagnosis.title fills it once, values cut to fit
            title=f(self.title) if self.family else self.title,
            summary=f(self.summary), meaning=f(self.meaning), why=f(self.why),
            causes=tuple(map(f, self.causes)), steps=tuple(map(f, self.steps)),
            prevention=tuple(map(f, self.prevention)), verify=tuple(map(f, self.verify)),
            quick_fixes=tuple(Fix(f(x.title), x.command, x.platform, f(x.note) if x.note else None)
                              for x in self.quick_fixes),
            checks=tuple(Check(f(c.title), c.command) for c in self.checks),
        )

    def _has_placeholders(self) -> bool:
        texts = (self.title, self.summary, self.meaning, self.why, *self.causes, *self.steps, *self.prevention,
                 *self.verify, *(x.title for x in self.quick_fixes), *(x.note or "" for x in self.quick_fixes),
                 *(c.title for c in self.checks))
        return any("{{" in t for t in texts)

    @property
    def tool_slug(self) -> str:
        return self.id.split(".", 1)[0]

    def sections(self, keys: tuple[str, ...] | None = None) -> list[Section]:
        """The entry's non-empty sections in display order (only `keys`, when given)."""
        return [Section(f.name, f.section.format(tool=self.tool), f.view, getattr(self, f.name))
                for f in SECTION_FIELDS if (keys is None or f.name in keys) and getattr(self, f.name)]

    def to_dict(self) -> dict[str, Any]:
        """The entry as plain data (the JSON of `errdiag explain --format json`); sections in display order."""
        head = {
            "id": self.id,
            "title": self.title,
            "tool": self.tool,
            "category": self.category,
            "tags": list(self.tags),
            "generic": self.generic,
            "refines": self.refines,
            "family": self.family,
            "specific_when": list(self.specific_when),
            "assumes_user_code": self.assumes_user_code,
            "anatomy": dict(self.anatomy),
            "summary": self.summary,
        }
        body = {f.name: _plain(getattr(self, f.name)) for f in SECTION_FIELDS}
        tail = {
            "signatures": [
                {"kind": s.kind, "pattern": s.pattern, "weight": s.weight} for s in self.signatures
            ],
            "context": list(self.context),
            "exclude": list(self.exclude),
            "examples": {"match": list(self.examples_match), "no_match": list(self.examples_no_match)},
            "path": self.path,
            "origin": self.origin,
        }
        return head | body | tail


# What every start-up reads of every entry (the families tier, budgets, refinement chains); the rest of an
# entry read from the knowledge cache waits in one blob until a field of it is first read (Entry.__getattr__).
# (path: a damaged blob is read again from the entry's file)
HOT_FIELDS = ("id", "origin", "path", "anatomy", "family", "refines", "generic")
COLD_FIELDS = tuple(f for f in Entry.__dataclass_fields__ if f not in HOT_FIELDS)
for _name in COLD_FIELDS:  # no class-level default: a field missing on an instance goes to __getattr__
    if hasattr(Entry, _name):
        delattr(Entry, _name)


def _plain(value: Any) -> Any:
    """A section's value as JSON data: strings stay, tuples of values become lists of dicts (no None)."""
    if isinstance(value, str):
        return value
    return [v if isinstance(v, str) else {k: x for k, x in v.__dict__.items() if x is not None} for v in value]


@dataclass(frozen=True)
class Evidence:
    """Why an entry matched: which signature, at which tier, on which line."""

    signature: str
    kind: str
    tier: str  # "exact" (literal/code), "regex", "fuzzy", "context", "exclude"
    line: int | None
    score: float


@dataclass(frozen=True)
class Diagnosis:
    """One recognised error in the input."""

    entry: Entry
    confidence: float
    line: int | None
    last_line: int | None
    count: int
    excerpt: str
    excerpt_start: int | None
    highlight: tuple[str, ...]
    captures: dict[str, str]
    evidence: tuple[Evidence, ...]
    source: str | None = None
    location: tuple[str, int | None] | None = None  # (file, line) the error itself names, if any
    fatal: bool = True  # False: the line sits in a run (or a step) that went on to succeed; a note
    generic: bool = False  # a wrapper entry, or a family answer without its specifics: ranked last
    # where the failing frame or file lives (anatomy.Lives: user / dependency / generated / tool, its path and owner)
    # and whether the answer leads with the advice for that place (its entry's fixes assume the user's code)
    lives: dict[str, str | bool] | None = None

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        """The entry's title with the values this input captured (`No module named 'cv2'`). A family entry's
        title was filled from its `{{name|words}}` template already (Entry.filled): its fallback words
        stay as written."""
        if self.entry.family:
            return self.entry.title
        return fill_title(self.entry.title, self.captures)

    def fill(self, text: str | None) -> str | None:
        """Fill `{{name}}` placeholders in a command with captured values (or `<name>`)."""
        if text is None:
            return None
        return fill_placeholders(text, self.captures)


@dataclass(frozen=True)
class KeyLine:
    """A line where the input says it failed, found from its shape and the log's structure."""

    line: int  # 1-based, in the source as given
    text: str  # the line as shown (no ANSI, no CI timestamp; secrets redacted)
    score: float  # 0..1
    source: str  # the file, or <stdin> / <text> / <run>
    reason: str  # a few words: what the line is and where it sits
    context_start: int = 0  # the first line of `context`
    context: tuple[str, ...] = ()  # a few lines around it, as shown


@dataclass(frozen=True)
class Result:
    """Everything `diagnose` found in one input."""

    diagnoses: tuple[Diagnosis, ...]
    lines: int
    bytes: int
    sources: tuple[str, ...] = ()
    redacted: bool = True
    key_lines: tuple[KeyLine, ...] = ()  # best first; empty when the input shows no failure
    notes: tuple[str, ...] = ()  # what the user should know about how it was read (e.g. a pack out of budget)

    @property
    def best(self) -> Diagnosis | None:
        return self.diagnoses[0] if self.diagnoses else None
