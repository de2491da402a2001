#!/usr/bin/env python3
"""Capture quality: are the values an answer names the ones the text names, cut cleanly?

Runs (in process, redaction off) every entry's own `examples.match` texts (the diagnosis of that entry) and the top
answer to every case of the open wild samples (bench/wild.py's SETS but HELD_OUT), and flags each captured value
that is, by kind:

- `not_in_text`: not in the text verbatim (whitespace runs, ANSI colours and carriage returns aside). Values the
  engine composes on purpose are not checked: the anatomy's context facts (`frame`, `where`, `language`, an HTTP
  reason or vendor named from the status or host ...) and the entry's own `derive` values;
- `empty_slot`: a `{{slot}}` of the title or of the first fix that is captured empty;
- `unfilled_slot`: such a slot not captured at all and without fallback words (it prints `<slot>`): the slot
  pattern did not reach a value the text has, or the text has none (an entry's own example should fill it);
- `debris`: punctuation left at an edge: a closing bracket with no opening one, a trailing `,` `;` `:`, a quote
  at one end only;
- `crlf_ansi`: a carriage return or an ANSI colour code left inside;
- `code_as_name`: an error code (`TS2304`, `E0382`, `ERR_X`, `C2065`) where a name is expected;
- `sentence_as_name`: a run of words (three spaces or more) where one name is expected (a package, a module);
- `pinned`: a version pin kept in a package or requirement (`numpy==1.2`, `torch>=2`);
- `dotted_cut`: a module cut at a dot: the text names it as `value.more` and never alone.

Prints the counts per kind, then the worst entries (most flagged values); `-v` lists every flag.

    python bench/captures.py [--only examples|wild] [-v] [--top N]

Exit status 0 (it measures; it does not judge).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import wild  # noqa: E402

from errdiag import diagnose, load_knowledge  # noqa: E402
from errdiag.errors import InputError  # noqa: E402
from errdiag.models import _PLACEHOLDER  # noqa: E402

HELD_OUT = (wild.HELD_OUT,)  # only the wild engineer and the lead read its cases
OPEN = tuple(name for name in wild.SETS if name not in HELD_OUT)
KINDS = ("not_in_text", "empty_slot", "unfilled_slot", "debris", "crlf_ansi", "code_as_name", "sentence_as_name",
         "pinned", "dotted_cut")

# values made by the engine, not cut from the text: their words need not be in it verbatim
COMPOSED = frozenset(("frame", "where", "Where", "lib_frame", "cause", "language", "tool", "vendor", "http_reason",
                      "status_name", "chain_length", "frames_seen", "test_report", "carriage_return", "wrapped_by",
                      "own_module", "found_part", "import_path", "above", "signal", "result", "source",
                      "exc_type", "exc_type_full", "interp", "missing", "exit_code", "reason", "error_code",
                      "object", "cause_line", "cause_type", "errno"))
# free text: any punctuation in it may be its own
FREE = frozenset(("message", "vendor_message", "frame_code", "cause", "detail", "command", "cmd", "assertion",
                  "problem", "statement", "reason", "what", "msg", "error", "text", "line_text", "got"))
# a token of a grammar (`)`, `;`, `fi`): punctuation is what it is
TOKENS = frozenset(("token", "expected", "found", "range", "char", "quote", "fquote", "near"))
# slots that hold one name (an identifier, a package, a module, a symbol)
NAME_SLOTS = frozenset(("name", "attr", "module", "package", "symbol", "crate", "gem", "variable", "var",
                        "identifier", "ident", "function", "func", "class", "property", "field", "key", "plugin",
                        "formula", "lib", "library", "requirement", "dependency", "dep", "import", "type_name",
                        "binary", "program", "borrowed", "member", "method", "target_name", "pkg"))
PACKAGE_SLOTS = frozenset(("package", "gem", "crate", "pkg", "module", "distribution", "dist"))
MODULE_SLOTS = frozenset(("module", "import", "package", "pkg"))

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07?")
_ANSI_LEFT = re.compile(r"\x1b|\\x1b|\\x0d|\r|(?<![\w\]])\[\d{1,3}(?:;\d{1,3})*m")
_CODE = re.compile(r"^(?:TS\d{3,5}|E\d{4}|[A-Z]{1,3}\d{3,5}|ERR_[A-Z0-9_]+|E[A-Z]{3,})$")
_GROUP = re.compile(r"\(\?P<(\w+)>")
_PIN = re.compile(r"(?:==|>=|<=|~=|!=|===|[<>])\s*v?\d")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_CLOSE = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Flag:
    kind: str
    entry: str
    where: str  # example N of ENTRY, or a wild case id
    slot: str
    value: str


def _flat(text: str) -> str:
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    text = "\n".join(part.split("\r")[-1] for part in text.split("\n"))
    return " ".join(text.split())


def _debris(v: str) -> bool:
    s = v.strip()
    if len(s) <= 2:
        return False  # a short value is a token, a quote, a range: nothing to cut
    if s[-1] in ",;" or (s[-1] == ":" and not s.endswith("::")):
        return True
    bare = _QUOTED.sub("", s)  # a bracket inside quotes is the value's own (`expecting "]"`)
    if any(bare.count(close) > bare.count(open_) for close, open_ in _CLOSE.items()):
        return True
    # a quote at one end only, and an odd number of them
    return any((s[0] == q) != (s[-1] == q) and s.count(q) % 2 == 1 for q in "'\"`")


def _dotted_cut(v: str, flat: str) -> bool:
    if not re.fullmatch(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*", v):
        return False
    esc = re.escape(v)
    longer = re.search(rf"(?<![\w.]){esc}\.[A-Za-z_]\w*", flat)
    alone = re.search(rf"(?<![\w.]){esc}(?![\w.])|(?<![\w.]){esc}\.(?![A-Za-z_])", flat)
    return bool(longer) and not alone


def slots_used(entry) -> dict[str, bool]:
    """The `{{slot}}`s of the title and of the first fix's command: name -> has fallback words."""
    used: dict[str, bool] = {}
    texts = [entry.title]
    if entry.quick_fixes:
        texts += [entry.quick_fixes[0].title, entry.quick_fixes[0].command or ""]
    for t in texts:
        for m in _PLACEHOLDER.finditer(t):
            used[m.group(1)] = used.get(m.group(1), False) or m.group(2) is not None
    return used


def check(entry, captures: dict[str, str], text: str, where: str, generic: bool = False) -> list[Flag]:
    """The flags of one diagnosis (its entry as written, its captures, the text it read; a generic answer is one
    whose specifics are missing on purpose, so its empty slots are not flagged)."""
    flags: list[Flag] = []
    flat = _flat(text)
    derived = {d.name for d in entry.derive}
    own = {g for s in entry.signatures if s.kind == "regex" for g in _GROUP.findall(s.pattern)} - derived

    def flag(kind: str, slot: str, value: str) -> None:
        flags.append(Flag(kind, entry.id, where, slot, value))

    for slot, has_words in ({} if generic else slots_used(entry)).items():
        value = captures.get(slot)
        if slot == "Where":
            value = captures.get("where", value)
        if value is not None and not value.strip():
            flag("empty_slot", slot, value)
        elif value is None and not has_words:
            flag("unfilled_slot", slot, "")
    for slot, value in captures.items():
        if not value:
            continue
        if _ANSI_LEFT.search(value):
            flag("crlf_ansi", slot, value)
        if slot in derived or (slot in COMPOSED and slot not in own):
            continue
        flat_v = " ".join(_ANSI.sub("", value).split())
        if flat_v and not flat_v.startswith("<") and flat_v.lower() not in flat.lower():
            flag("not_in_text", slot, value)
        # free text may hold any punctuation of its own, but not nothing else (the line around a value, not it)
        if slot not in TOKENS and _debris(value) and (slot not in FREE or not any(c.isalnum() for c in value)):
            flag("debris", slot, value)
        if slot in FREE:
            continue
        if slot in NAME_SLOTS and _CODE.match(value.strip()) and slot not in ("key",):
            flag("code_as_name", slot, value)
        if slot in PACKAGE_SLOTS and value.strip().count(" ") >= 3:
            flag("sentence_as_name", slot, value)
        if slot in PACKAGE_SLOTS and _PIN.search(value):
            flag("pinned", slot, value)
        if slot in MODULE_SLOTS and _dotted_cut(value.strip(), flat):
            flag("dotted_cut", slot, value)
    return flags


def _best_of(result, entry_id: str | None):
    if entry_id is None:
        return result.best
    return next((d for d in result.diagnoses if d.id == entry_id), None)


def run(only: str | None = None) -> tuple[list[Flag], Counter]:
    kb = load_knowledge(project=False, entry_points=False)
    entries = {e.id: e for e in kb.index.entries}
    flags: list[Flag] = []
    seen: Counter = Counter()
    jobs: list[tuple[str | None, str, str]] = []  # (entry id or None for the top answer, text, where)
    if only in (None, "examples"):
        for e in entries.values():
            for i, text in enumerate(e.examples_match):
                jobs.append((e.id, text, f"example {i + 1}"))
    if only in (None, "wild"):
        for name in OPEN:
            cases_path, _, _ = wild.SETS[name]
            for case in wild.load_cases(cases_path):
                if case.kind != "benign":
                    jobs.append((None, case.text, case.id))
    for entry_id, text, where in jobs:
        try:
            d = _best_of(diagnose(text, kb, redact=False), entry_id)
        except InputError:
            continue
        if d is None:
            continue
        seen["answers"] += 1
        seen["values"] += sum(1 for v in d.captures.values() if v)
        flags += check(entries[d.id], d.captures, text, where, bool(d.generic))
    return flags, seen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=("examples", "wild"), help="one source of texts only")
    ap.add_argument("--top", type=int, default=15, help="how many of the worst entries to list")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every flag")
    args = ap.parse_args(argv)
    flags, seen = run(args.only)
    kinds = Counter(f.kind for f in flags)
    print(f"captures: {seen['answers']} answers, {seen['values']} captured values, {len(flags)} flags")
    print("captures-by-kind: " + " ".join(f"{k}={kinds.get(k, 0)}" for k in KINDS))
    worst = Counter(f.entry for f in flags)
    for entry_id, n in worst.most_common(args.top):
        mine = Counter(f.kind for f in flags if f.entry == entry_id)
        print(f"  {n:4d}  {entry_id}  " + " ".join(f"{k}={v}" for k, v in mine.most_common()))
    if args.verbose:
        by: dict[str, list[Flag]] = defaultdict(list)
        for f in flags:
            by[f.kind].append(f)
        for kind in KINDS:
            for f in by.get(kind, []):
                print(f"{kind}\t{f.entry}\t{f.where}\t{f.slot}={f.value[:120]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
