"""The knowledge entry schema, as data: one table (FIELDS) feeds parsing, validation, the JSON Schema,
`kb new`, the docs, and the order and titles of an entry's sections in every output format.

A leaf module (imports nothing from errdiag): models.py reads the section layout from here.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "auth", "billing", "quota", "rate_limit", "network", "dependency", "build", "runtime",
    "config", "permission", "resource", "syntax", "usage", "vcs", "data", "platform",
)

ID_RE = r"^[a-z0-9_]+\.[a-z0-9_]+$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # str | bool | list[str] | signatures | fixes | checks | faq | sources | derive | examples
    required: bool
    help: str
    bundled_min: int = 0  # the bar every bundled entry meets (issue 3); 0 = optional there too
    section: str = ""  # the heading shown for this field when it is one of an entry's sections
    view: str = ""  # how a section shows: text | bullets | numbered | fixes | checks | faq | sources | ids


FIELDS: tuple[Field, ...] = (
    Field("id", "str", True, "<tool>.<slug>, equal to the file's path knowledge/<tool>/<slug>.yaml"),
    Field("title", "str", True, "one line naming the error as the user sees it"),
    Field("tool", "str", True, "the product's display name, e.g. 'OpenAI API', 'Git', 'npm'"),
    Field("category", "str", True, "one of: " + ", ".join(CATEGORIES)),
    Field("tags", "list[str]", False, "free search words"),
    Field("generic", "bool", False, "true for wrapper/summary lines that must never outrank a real cause"),
    Field("refines", "str", False, "id of the generic entry this one specializes"),
    Field("family", "bool", False,
          "true for an error-family entry (KeyError, HTTP 404, exit 127 ...): answered from the text's specifics"),
    Field("specific_when", "list[str]", False,
          "captures an answer (a family's, or a broad catalogue entry's) needs to be specific; without them "
          "it is marked generic and ranked low"),
    Field("assumes_user_code", "opt_bool", False,
          "true when the first fixes edit or act on the user's own file, code or project at the place the text "
          "names (default: true for categories build, syntax and runtime); such an answer steps back when the "
          "anatomy says that place is a dependency's, generated or the tool's own"),
    Field("anatomy", "anatomy", False,
          "anatomy facts that select this entry, e.g. {kind: http, status: '404'}; '|' separates alternatives"),
    Field("disabled", "bool", False, "in a pack: true removes the entry with this id from earlier roots"),
    Field("signatures", "signatures", True, "how the error is recognised: literal / code / regex items", 2),
    Field("context", "list[str]", False, "phrases that make the entry likelier but never trigger it alone"),
    Field("exclude", "list[str]", False, "phrases that prove it is a different error"),
    Field("derive", "derive", False, "values computed from captures through a map, e.g. module -> package"),
    Field("summary", "str", True, "one sentence: the short answer"),
    Field("meaning", "str", False, "what the error means", 1, "What it means", "text"),
    Field("why", "str", False, "why it happens", 1, "Why it happens", "text"),
    Field("causes", "list[str]", False, "common causes, most likely first", 2, "Likely causes", "bullets"),
    Field("quick_fixes", "fixes", False, "quick fixes: {title, command?, platform?, note?}", 2,
          "Quick fixes", "fixes"),
    Field("checks", "checks", False, "tool-specific checks: {title, command?}", 1, "Checks for {tool}", "checks"),
    Field("steps", "list[str]", False, "numbered troubleshooting steps, in order", 4, "Step by step",
          "numbered"),
    Field("prevention", "list[str]", False, "how to keep it from coming back", 1, "Prevention", "bullets"),
    Field("verify", "list[str]", False, "how to confirm the fix worked", 1, "Verify the fix", "bullets"),
    Field("faq", "faq", False, "questions and answers: {q, a}", 0, "FAQ", "faq"),
    Field("sources", "sources", False, "real, specific pages: {url, title}", 1, "Sources", "sources"),
    Field("related", "list[str]", False, "ids of neighbouring entries", 0, "Related", "ids"),
    Field("examples", "examples", False,
          "{match: [...], no_match: [...]}: texts that must / must not rank it first", 2),
)

FIELD_NAMES = {f.name: f for f in FIELDS}
EXAMPLES_NO_MATCH_MIN = 1  # the bundled bar for examples.no_match (examples.match: the field's bundled_min)
SIGNATURE_KEYS = {"literal", "code", "regex", "anchor", "weight"}
FIX_KEYS = {"title", "command", "platform", "note"}
CHECK_KEYS = {"title", "command"}
SOURCE_KEYS = {"url", "title"}
FAQ_KEYS = {"q", "a"}
DERIVE_KEYS = {"from", "map"}
EXAMPLE_KEYS = {"match", "no_match"}
# What an `anatomy:` condition may test (errdiag reads these facts from any error's shape):
#   kind: exception | http | exit | signal | panic | compile | link | test | k8s | systemd | shell
#   language: python | javascript | java | kotlin | go | rust | c | cpp | csharp | ruby | php | shell ...
#   type: the exception / error class (KeyError, TypeError, NullPointerException, E0308 ...)
#   status: an HTTP status; code: an exit code or a vendor/error code; signal: SIGSEGV ...;
#   reason: a Kubernetes reason / systemd result; tool: the program that printed it;
#   raised_in: user | library (the innermost frame of an exception or panic)
#   lives: user | dependency | generated | tool (whose code the failing frame or file is: anatomy.where_lives)
ANATOMY_KEYS = {"kind", "language", "type", "status", "code", "signal", "reason", "tool", "raised_in", "lives"}


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) for one entry file, generated from FIELDS."""
    s = {"type": "string", "minLength": 1}
    str_list = {"type": "array", "items": s}

    def obj(props: dict, required: list[str]) -> dict:
        return {"type": "object", "properties": props, "required": required, "additionalProperties": False}

    sig = {
        "type": "object",
        "properties": {
            "literal": s, "code": s, "regex": s, "anchor": s,
            "weight": {"type": "number", "minimum": 0.1, "maximum": 3},
        },
        "oneOf": [{"required": ["literal"]}, {"required": ["code"]}, {"required": ["regex"]}],
        "additionalProperties": False,
    }
    types = {
        "str": s,
        "bool": {"type": "boolean"},
        "opt_bool": {"type": "boolean"},
        "list[str]": str_list,
        "signatures": {"type": "array", "items": sig, "minItems": 1},
        "fixes": {"type": "array", "items": obj({k: s for k in FIX_KEYS}, ["title"])},
        "checks": {"type": "array", "items": obj({k: s for k in CHECK_KEYS}, ["title"])},
        "faq": {"type": "array", "items": obj({"q": s, "a": s}, ["q", "a"])},
        "sources": {"type": "array", "items": obj(
            {"url": {"type": "string", "pattern": "^https?://"}, "title": s}, ["url", "title"])},
        "derive": {"type": "object", "additionalProperties": obj(
            {"from": s, "map": {"type": "object", "additionalProperties": {"type": "string"}}}, ["from"])},
        "examples": obj({"match": str_list, "no_match": str_list}, []),
        "anatomy": {"type": "object", "propertyNames": {"enum": sorted(ANATOMY_KEYS)},
                    "additionalProperties": {"type": ["string", "integer"]}},
    }
    props = {}
    for f in FIELDS:
        p = dict(types[f.type])
        p["description"] = f.help
        props[f.name] = p
    props["id"]["pattern"] = ID_RE
    props["category"]["enum"] = list(CATEGORIES)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://errdiag.dev/schema/entry-1.json",
        "title": "errdiag knowledge entry",
        "type": "object",
        "properties": props,
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
    }
