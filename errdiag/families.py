"""The anatomy tier: family entries selected by an error's shape, and every answer filled with its facts.

An entry's `anatomy:` block is a set of conditions on the facts `errdiag.anatomy` reads from an error
(kind, language, type, status, code, signal, reason, tool; `|` separates alternatives, case-insensitive;
a type matches dotted or short: `KeyError` matches `builtins.KeyError`). Against one fault a block
*holds* (every fact present and equal), *conflicts* (a fact present and different) or is *unknown*.

Selection, per fault:
- a signature hit of an entry with an `anatomy:` block near faults that all conflict with it is dropped
  (a Node TypeError is not Python's; "exit code 2" under a compiler error is not a shell's exit code),
  and so is a family entry's signature hit where the reader found no error at all;
- a family entry whose block holds and whose own signature hit on that fault is *confirmed*;
- when no family entry is confirmed for a fault, the family entries whose block holds with the most
  conditions get a hit from the anatomy alone (`tier: anatomy`).
A family hit carries the fault's standard captures (its own signature captures win).

Generic rule: a family diagnosis is specific when every `specific_when` capture is filled; otherwise it is
generic (JSON `"generic": true`), its confidence is capped below 0.5 (so is a wrapper entry's, `generic:
true`, and a fuzzy-only answer stays below 0.6: see `finish`), and it ranks below every specific
diagnosis. A family diagnosis also ranks below a non-family, non-generic diagnosis of the same error
(within SHADOW_LINES lines): the catalogue's own entry knows more. Nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from weakref import WeakKeyDictionary

from .anatomy import (
    DEPENDENCY,
    GENERATED,
    JS_NAMES,
    PY_BUILTINS,
    TOOL,
    USER,
    Fault,
    Lives,
    is_library,
    owner_of,
    tool_program,
    where_lives,
)
from .matching import Index, Reason, Scored
from .matching.scoring import REFINE_MARGIN
from .models import Diagnosis, Entry, Fix, fill_placeholders
from .programs import Meaning
from .programs import meaning as program_meaning
from .redact import redact
from .sanitize import plain

ANATOMY_STRENGTH = 1.2  # score of a confirmed family hit: confidence 0.77 before the generic rule
GENERIC_CAP = 0.45  # the highest confidence a generic family answer gets ...
GENERIC_FLOOR = 0.3  # ... and its lowest (the default --min-confidence): ranks between generic answers keep
FUZZY_CAP = 0.55  # the highest confidence of an answer whose only evidence is a look-alike line (fuzzy tier)
# the highest confidence of a family answer to an error with frames that names none of the user's (and of the other
# held-back answers): below engine.DOUBT_FLOOR, so every held-back answer stays under every placed one
UNPLACED_CAP = 0.49
WEAK_SIGNATURE = 1.0  # a catalogue answer whose strongest signature hit is weaker than this stays below 0.6 too
SIGNATURE_TIERS = frozenset({"exact", "regex"})
STATUS_KINDS = frozenset({"http"})  # faults whose family answer can say what the status means, never why
PLACED_KINDS = frozenset({"exception", "panic", "compile"})  # errors whose answer is "this line of your code"
EDIT_CATEGORIES = frozenset({"build", "syntax", "runtime"})  # entries whose answer is "edit the file it names"
SIMILAR_TIERS = frozenset({"fuzzy", "context"})  # evidence that no signature of the entry matched as written
NEAR_BEFORE, NEAR_AFTER = 2, 3  # lines around a fault's block where a signature hit counts as "on" it
ENRICH_LINES = 30  # an anatomy hit's excerpt comes from a fault at most this far away
SHADOW_LINES = 3  # without a fault block: a family answer this close to a catalogue answer ranks below it
# A bare fragment: a person pasted only an error's own words, without the language's or tool's prefix that the
# anatomy reads (`Class "App\\Foo" not found` without `PHP Fatal error:`, `'NoneType' object has no attribute 'x'`
# without `AttributeError:`). In an input of at most FRAGMENT_LINES lines, a family entry's own signature hit where
# no error was read is kept when the signature is distinctive on its own (strength >= FRAGMENT_MIN_STRENGTH: a
# whole phrase, not `not found`), worth FRAGMENT_FACTOR of its strength: below the same hit confirmed by the anatomy.
FRAGMENT_LINES = 2
FRAGMENT_MIN_STRENGTH = 1.5
FRAGMENT_FACTOR = 0.8


# kinds of fault whose `reason` the reader always decides (errdiag.pycut for a cut-off Python traceback): a block
# asking for a reason the fault does not have conflicts with it instead of being unknown (a variant keyed on
# `reason: handled-shown` is no answer to a cut-off traceback whose chain starts with anyio's WouldBlock)
DECIDED_REASONS = frozenset({"truncated"})


def conditions(entry: Entry) -> dict[str, set[str]]:
    return {k: {x.strip().lower() for x in v.split("|") if x.strip()} for k, v in entry.anatomy}


def verdict(cond: dict[str, set[str]], fault: Fault, family: bool = False) -> str:
    """'holds', 'conflicts' or 'unknown' for one entry's conditions against one fault. A family about
    `TypeError` conflicts with fetch()'s network TypeError ("fetch failed", "Failed to fetch"): a failed request,
    not a wrong-type value (a catalogue entry for that failure may still name the type)."""
    facts = fault.conditions()
    if family and fault.facts.get("network") and "typeerror" in cond.get("type", ()):
        return "conflicts"
    unknown = False
    for key, wanted in cond.items():
        have = facts.get(key)
        if not have and key == "reason" and fault.kind in DECIDED_REASONS:
            return "conflicts"  # the reader reads every reason of such a fault: none read is none there
        if not have:
            unknown = True
        elif not (have & wanted):
            return "conflicts"
    return "unknown" if unknown else "holds"


def _near(fault: Fault, line: int) -> bool:
    return fault.start - NEAR_BEFORE <= line <= fault.end + NEAR_AFTER


def select(index: Index, faults: list[Fault], scored: list[Scored], own_hits: bool = True,
           fragment: bool = False) -> list[Scored]:
    """The signature tier's hits, gated by the anatomy, plus (with `own_hits`) the anatomy tier's own.
    `fragment`: the input is a bare fragment (at most FRAGMENT_LINES lines): see FRAGMENT_LINES."""
    echoed = {n for f in faults for n in f.code_lines}
    if echoed:  # drop hits only on source code a traceback quotes (`except UnicodeDecodeError:` under a frame):
        scored = [s for s in scored if not _only_on(s, echoed)]  # the program's text, not what it printed
    conds = _conditions(index)
    if not conds:
        return scored
    out: list[Scored] = []
    confirmed: dict[int, set[int]] = {}  # fault -> family entries confirmed on it
    for s in scored:
        cond = conds.get(s.entry_index)
        if cond is None:
            out.append(s)
            continue
        family = index.entries[s.entry_index].family
        near = [(k, f) for k, f in enumerate(faults) if _near(f, s.first) and not (family and f.handled)]
        verdicts = [(k, f, verdict(cond, f, family)) for k, f in near]
        if verdicts and all(v == "conflicts" for _, _, v in verdicts):
            continue  # the text around the hit is another language's / tool's error
        if not verdicts and index.entries[s.entry_index].family:
            if fragment and not faults:
                kept = _as_fragment(s)
                if kept is not None:
                    out.append(kept)
            continue  # a family is answered through the anatomy: no error was read there
        if not verdicts and "type" in cond and faults and all(verdict(cond, f) == "conflicts" for f in faults):
            continue  # a hit on a line of no error (a code line) where every error the text holds is of
            # another kind: f-string source in a runtime traceback is no Python 2 SyntaxError
        if family and near and not any(f.language for _, f in near) and not _may_be(cond, near):
            continue  # the language is unknown and the error's type is none of that language's own:
            # an `XlaRuntimeError: ...` line is not Node's uncaught error
        holding = [(k, f) for k, f, v in verdicts if v == "holds"]
        if holding and index.entries[s.entry_index].family:
            k, f = holding[-1]
            confirmed.setdefault(k, set()).add(s.entry_index)
            caps = _under(s.captures, _together(faults, f))
            s = replace(s, score=max(s.score, ANATOMY_STRENGTH), captures=caps,
                        reasons=s.reasons + (Reason(_describe(index.entries[s.entry_index]), "anatomy", "anatomy",
                                                    f.line, ANATOMY_STRENGTH),))
        out.append(s)
    have = {s.entry_index for s in out}
    for k, f in enumerate(faults if own_hits else ()):
        if f.handled:
            continue
        for ei in _read_reason(index, conds, f):  # a catalogue entry keyed on a reason the anatomy read
            if ei not in have:
                have.add(ei)
                out.append(Scored(ei, ANATOMY_STRENGTH, f.line, f.line, 1, _together(faults, f),
                                  (Reason(_describe(index.entries[ei]), "anatomy", "anatomy", f.line,
                                          ANATOMY_STRENGTH),)))
        if confirmed.get(k):
            continue
        best: list[int] = []
        most = 0
        for ei, cond in conds.items():
            e = index.entries[ei]
            if not e.family or (e.refines and index.by_id.get(e.refines) in conds) or verdict(cond, f, True) != "holds":
                continue  # a variant (it refines another family entry) needs its own signature to hit
            if e.exclude and _excluded(e, f):
                continue  # the entry's own exclude phrases bar it from this error, as they bar its signatures
            if len(cond) > most:
                best, most = [ei], len(cond)
            elif len(cond) == most:
                best.append(ei)
        for ei in best:
            if ei in have:
                continue
            have.add(ei)
            out.append(Scored(ei, ANATOMY_STRENGTH, f.line, f.line, 1, _together(faults, f),
                              (Reason(_describe(index.entries[ei]), "anatomy", "anatomy", f.line, ANATOMY_STRENGTH),)))
    return _refine(index, out)


def _as_fragment(s: Scored) -> Scored | None:
    """A family hit in a bare fragment (see FRAGMENT_LINES), worth FRAGMENT_FACTOR of its score, when a signature
    of it is distinctive enough on its own; None otherwise."""
    sigs = [r for r in s.reasons if r.tier in SIGNATURE_TIERS]
    if not sigs or max(r.strength for r in sigs) < FRAGMENT_MIN_STRENGTH:
        return None
    return replace(s, score=s.score * FRAGMENT_FACTOR,
                   reasons=s.reasons + (Reason("a bare fragment of the error (no prefix read)", "fragment", "fragment",
                                               s.first, 0.0),))


def _read_reason(index: Index, conds: dict[int, dict[str, set[str]]], f: Fault) -> list[int]:
    """The catalogue (non-family) entries whose anatomy block names a `reason` and holds on fault `f`: a reading the
    anatomy made of that error (a Node SyntaxError at an `import` line is ES module syntax run as CommonJS) is
    that entry's error, whatever the family entry of the error's type says."""
    if "reason" not in f.facts:
        return []
    return [ei for ei, cond in conds.items() if "reason" in cond and not index.entries[ei].family
            and verdict(cond, f) == "holds"]


def _only_on(s: Scored, lines: set[int]) -> bool:
    """Whether every line a signature of `s` hit is one of `lines` (context phrases and refinements aside)."""
    hit = {r.line for r in s.reasons if r.line is not None and r.tier not in ("context", "refines", "anatomy")}
    return bool(hit) and hit <= lines


_BUILTINS = {"python": PY_BUILTINS, "javascript": JS_NAMES}


def _may_be(cond: dict[str, set[str]], near: list[tuple[int, Fault]]) -> bool:
    """Whether a fault of unknown language may be in the language a family entry is for: its type is one of
    that language's builtin errors (`TypeError` may be Python's or JavaScript's). Only Python and JavaScript
    are told apart so; other languages' families are not held back."""
    langs = cond.get("language", set())
    names = [_BUILTINS[x] for x in langs if x in _BUILTINS]
    if not langs or len(names) < len(langs):
        return True
    return any(f.short_type in n for _, f in near for n in names)


def _excluded(entry: Entry, f: Fault) -> bool:
    """The entry's exclude phrases in the fault's lines or in any of its frames (a traceback's outer frames lie
    beyond the excerpt: `multiprocessing/spawn.py` above an EOFError)."""
    text = " ".join(f.excerpt[1]).lower() if f.excerpt[1] else (f.message or "").lower()
    text += " " + " ".join(f"{fr.file or ''} {fr.func or ''} {fr.code or ''}" for fr in f.frames).lower()
    return any(x.lower() in text for x in entry.exclude)


def _together(faults: list[Fault], f: Fault) -> dict[str, str]:
    """A fault's captures over those of faults stated on the same line (an HTTP status or exit status
    inside an exception's message)."""
    caps: dict[str, str] = {}
    for o in faults:
        if o is not f and o.line == f.line:
            caps.update(o.captures())
    caps.update(f.captures())
    return caps


def settles(index: Index, s: Scored, faults: list[Fault]) -> bool:
    """A hit that makes the fuzzy fallback unnecessary: a catalogue entry's, or a specific family answer."""
    e = index.entries[s.entry_index]
    return not e.family or not is_generic(e, enrich(dict(s.captures), faults, s.first))


def _refine(index: Index, scored: list[Scored]) -> list[Scored]:
    by = {s.entry_index: s for s in scored}
    for child, parent in index.parent.items():
        if child in by and parent in by and by[child].score <= by[parent].score + REFINE_MARGIN:
            by[child] = replace(by[child], score=by[parent].score + REFINE_MARGIN)
    return list(by.values())


def _describe(entry: Entry) -> str:
    return "anatomy: " + ", ".join(f"{k}={v}" for k, v in entry.anatomy)


# per index, kept only while the index lives (an id() key could be reused by a later index)
_CACHE: WeakKeyDictionary[Index, dict[int, dict[str, set[str]]]] = WeakKeyDictionary()


def _conditions(index: Index) -> dict[int, dict[str, set[str]]]:
    got = _CACHE.get(index)
    if got is None:
        got = _CACHE[index] = {ei: conditions(e) for ei, e in enumerate(index.entries) if e.anatomy}
    return got


def fault_near(faults: list[Fault], line: int | None) -> Fault | None:
    """The fault a diagnosis on `line` is about: the one whose block holds it, else the closest."""
    if line is None or not faults:
        return None
    inside = [f for f in faults if _near(f, line)]
    if inside:
        return max(inside, key=lambda f: (f.kind != "exit" and f.kind != "signal", -abs(f.line - line)))
    close = [f for f in faults if abs(f.line - line) <= ENRICH_LINES]
    return min(close, key=lambda f: abs(f.line - line)) if close else None


# faults that are a wrapper's report of another program's failure: their `message` is the wrapper's line
WRAPPER_FAULTS = frozenset({"systemd"})
_GROUP = re.compile(r"\(\?P<(\w+)>")


def own_names(entry: Entry) -> frozenset[str]:
    """The capture names an entry's own regex signatures define (what `message` means is the entry's)."""
    got = _OWN.get(entry.id)
    if got is None or got[0] is not entry.signatures:
        names = frozenset(n for sig in entry.signatures if sig.kind == "regex" for n in _GROUP.findall(sig.pattern))
        got = _OWN[entry.id] = (entry.signatures, names)
    return got[1]


_OWN: dict[str, tuple[object, frozenset[str]]] = {}


FAMILY_ONLY_FAULTS = frozenset({"config"})  # faults whose facts fill family answers only (CMake's error report)


def enrich(captures: dict[str, str], faults: list[Fault], line: int | None,
           own: frozenset[str] = frozenset(), tool: str = "", family: bool = True) -> dict[str, str]:
    """A diagnosis's captures with the standard captures of the fault it sits in under them (an exit
    status only enriches a diagnosis of that same line: the error above it is another matter). `own`: the
    capture names the entry's own signatures define; a wrapper's fault (a systemd unit failure around the
    program's own error) never fills those for another tool's entry (`tool`: the entry's tool slug): its
    `message` is systemd's line, not what nginx said. A `config` fault (a CMake Error block) fills only family
    answers (`family`): a catalogue entry that knows that CMake message reads it with its own captures."""
    if line is None:
        return captures
    inside = [f for f in faults if f.start - 1 <= line <= f.end + 1 and (f.kind not in ("exit", "signal")
                                                                         or f.line == line)
              and (family or f.kind not in FAMILY_ONLY_FAULTS)]
    if not inside:
        return captures
    f = min(inside, key=lambda f: abs(f.line - line))
    standard = _together(faults, f)
    if f.kind in WRAPPER_FAULTS and own and tool not in (f.kind, standard.get("tool")):
        standard = {k: v for k, v in standard.items() if k not in own}
    return _under(captures, standard)


def _under(own: dict[str, str], standard: dict[str, str]) -> dict[str, str]:
    """The entry's own captures first (they win, and a title slot filled from "the first captured value"
    takes one of them), then the fault's standard captures it does not have."""
    return {**own, **{k: v for k, v in standard.items() if k not in own}}


def is_generic(entry: Entry, captures: dict[str, str], where: Lives | None = None) -> bool:
    """A wrapper entry; a family answer missing a `specific_when` capture; a family catch-all (a family
    entry without `specific_when` can never say more than the error line itself)."""
    if entry.generic or points_outside(entry, captures, where) or looked_up_elsewhere(entry, captures):
        return True
    if not entry.family:  # a broad catalogue entry may say which captures make its answer specific, too
        return bool(entry.specific_when) and not all(captures.get(c) for c in entry.specific_when)
    if captures.get("cause_line") and dict(entry.anatomy).get("kind", "").lower() in ("exit", "signal"):
        return True  # an error is printed above the exit status: that error is the answer, not the status
    return not entry.specific_when or not all(captures.get(c) for c in entry.specific_when)


def _subscripts(code: str, captures: dict[str, str]) -> bool:
    key = captures.get("key", "").strip("'\"")
    return "[" in code or bool(key and key in code)


def _unpacks(code: str, captures: dict[str, str]) -> bool:
    target = code.split("=", 1)[0] if "=" in code else ""
    loop = re.match(r"^\s*(?:async\s+)?for\s+(.+?)\s+in\b", code)
    return "," in target or bool(loop and "," in loop.group(1)) or "*" in code


# families whose "thing" is an operation of the user's line: a subscript (KeyError, IndexError), an unpacking
# (ValueError: too many values to unpack, the unpack variant's type); raised inside a library, the user's line
# must show that operation for the answer to be about it
LOOKUP_TYPES = {"keyerror": _subscripts, "indexerror": _subscripts, "valueerror": _unpacks}


def looked_up_elsewhere(entry: Entry, captures: dict[str, str]) -> bool:
    """A family answer about an operation of the user's line when the error was raised elsewhere: a
    KeyError/IndexError (or an unpacking ValueError) raised inside a library (`lib_frame`) while the user's
    innermost line does no such operation (`onnx = xf.export_onnx(graph)`, `gr.Interface(...).launch()`): the
    failing lookup is the library's own (a table without an entry for what it was given, a version mismatch), so
    "print the keys before your line" is no answer. A user line that subscripts (`df['col']`, `os.environ[name]`:
    pandas and os raise from their own code) or unpacks keeps the answer. Catch-all families (no `specific_when`)
    are generic anyway. Any other family answer whose error was raised inside an installed package's own code
    (`crashed_in_dependency`) steps back the same way."""
    if crashed_in_dependency(entry, captures):
        return True
    if not entry.family or not entry.specific_when or not captures.get("lib_frame") or _about_library_frames(entry):
        return False
    code = captures.get("frame_code")
    if not captures.get("frame") or not code:
        return False
    checks = [LOOKUP_TYPES[t] for t in (x.strip().lower() for x in dict(entry.anatomy).get("type", "").split("|"))
              if t in LOOKUP_TYPES]
    return bool(checks) and not any(c(code, captures) for c in checks)


# the programming-error types a package's own code raises when it is broken or mismatched (not an environment's
# error such as FileNotFoundError or a failed connection, which a package raises for its caller's input or host)
EVERYDAY_TYPES = frozenset({"attributeerror", "typeerror", "keyerror", "indexerror", "nameerror", "unboundlocalerror",
                            "importerror", "referenceerror", "nomethoderror"})
# what the failing operation touched, as a family entry captures it: when the user's own innermost line names it
# (`df.foo`, `f(timeout=3)`, `obj.save()`), the library raised on what that line did and the answer stays theirs
_TOUCHED = ("attr", "prop", "kwarg", "method", "name", "key")
_LIB_FRAME_FILE = re.compile(r"^(?P<file>.*?)(?::\d+)?(?: in .+)?$")
# an installed package's owner (anatomy.owner_of) -> the commands that show its version and upgrade it
_PACKAGE_TOOLS = (
    # a site-packages folder is the import name, which can differ from the name pip installs (`yaml` is PyYAML,
    # `configurations` is django-configurations): when pip does not know it, importlib.metadata says which
    # distribution provides it
    (re.compile(r"^the Python package (?P<n>[\w.-]+)$"),
     "python -m pip show {n} || python -c \"import importlib.metadata as m; "
     "print(m.packages_distributions().get('{n}'))\"",
     "python -m pip install -U {n}", " (the distribution name the check printed, if pip did not know {n})"),
    (re.compile(r"^the npm package (?P<n>\S+)$"), "npm ls {n}", "npm install {n}@latest", ""),
    (re.compile(r"^the gem (?P<n>\S+)$"), "bundle info {n}", "bundle update {n}", ""),
    (re.compile(r"^the crate (?P<n>\S+)$"), "cargo tree -i {n}", "cargo update -p {n}", ""),
)


def dependency_frame(captures: dict[str, str]) -> tuple[str, str] | None:
    """The innermost frame's file and owner (`the Python package debug_toolbar`) when that frame is an installed
    package's own code (anatomy.where_lives: site-packages, node_modules, a gem, a crate; not the runtime's
    standard library, which raises on what its caller passed), else None."""
    lib = captures.get("lib_frame", "")
    m = _LIB_FRAME_FILE.match(lib.strip())
    path = m["file"] if m else ""
    if not path or where_lives(path) != DEPENDENCY:
        return None
    return path, owner_of(path) or _OWNERS[DEPENDENCY]


def crashed_in_dependency(entry: Entry, captures: dict[str, str]) -> bool:
    """A family answer that sends the user to their own line ("line 56 of main.py called `.get` on None") for an
    everyday exception raised inside an installed package's own code (`dependency_frame`): the user's code only
    called into it (or is not in the paste at all). The likely cause is that package's: a release that does not
    match another package it uses or the calling code, or a bug in it, so the answer steps back to a generic one
    that names the package and its frame. Not when the user's innermost line itself names what failed (the
    attribute, property, keyword argument, method, name or key the answer captured: `df.foo` raises from pandas'
    `__getattr__`, but it is the user's access); only for the everyday programming-error types (EVERYDAY_TYPES);
    not for family variants about library frames (`raised_in`)."""
    if not entry.family or _about_library_frames(entry) or not assumes_user_code(entry):
        return False
    kind, typ = dict(entry.anatomy).get("kind", "").lower(), captures.get("exc_type", "").lower()
    if kind not in PLACED_KINDS or not (typ in EVERYDAY_TYPES or _thrown_by_package(captures)) \
            or dependency_frame(captures) is None:
        return False
    if typ in LOOKUP_TYPES and captures.get("frame"):
        return False  # the lookup rule above decides from the user's line
    code = captures.get("frame_code", "")
    touched = [captures[k].strip("'\"` ") for k in _TOUCHED if captures.get(k)]
    return not (code and any(t and t in code for t in touched))


def _thrown_by_package(captures: dict[str, str]) -> bool:
    """A plain JavaScript `Error` (`throw new Error(...)`) whose innermost frame is an installed package's own code:
    the package threw it, so its message is the package's report about its input, its setup or its own state (a
    file its build step expected, a CLI option its host did not pass, a server answer it did not expect), and the
    package, its release and what the caller gave it are where the cause is. A Node system error (errno, read by
    errdiag.syserr) is about the machine, not the package: its own families answer it."""
    return captures.get("language") == "javascript" and captures.get("exc_type") == "Error" \
        and not captures.get("errno_group")


def elsewhere(entry: Entry, captures: dict[str, str]) -> Entry:
    """A `looked_up_elsewhere` answer says first that the lookup (or the crash) is the library's (its own text
    follows)."""
    if crashed_in_dependency(entry, captures):
        return in_dependency(entry, captures)
    note = (f"The operation that failed is inside library code ({captures.get('lib_frame', 'a library frame')}), "
            f"not on your line ({captures.get('frame', 'your call')}), which only calls into it: the library has "
            "no entry for what your call passed it (an input it does not support, or a version of it that does "
            "not match your code or data). Read that library line first.")
    fix = Fix("Open the library line that fails and see which table or mapping it indexes; check what your call "
              "passes it against the library's documentation and the version you have installed")
    return _lead_with(entry, note, fix)


def in_dependency(entry: Entry, captures: dict[str, str]) -> Entry:
    """A `crashed_in_dependency` answer says first whose code raised it, the likely causes, and how to check the
    package's version (its own text, about the user's line, follows as background)."""
    path, owner = dependency_frame(captures) or ("", _OWNERS[DEPENDENCY])
    frame = captures.get("lib_frame", path)
    yours = f"; your code only called into it ({captures['frame']})" if captures.get("frame") else ""
    note = (f"This error is raised inside {owner}'s own code ({frame}), not on a line you wrote{yours}. An everyday "
            "error inside an installed package means one of: that package and another it uses (or your code) are at "
            "releases that do not go together, a bug in that release, or your call passed it a value it does not "
            "handle (a None, a missing setting or key it expected).")
    show = upgrade = None
    for rx, show_cmd, upgrade_cmd, hint in _PACKAGE_TOOLS:
        m = rx.match(owner)
        if m:
            show, upgrade = show_cmd.format(n=m["n"]), upgrade_cmd.format(n=m["n"]) + hint.format(n=m["n"])
            break
    fix = Fix(f"Check which release of {owner} is installed and what your call passes it against that release's "
              "documentation; search its changelog and issue tracker for this message, then upgrade it (or pin the "
              "release your code was written for) and run again",
              command=show,
              note=(f"Then: {upgrade}; when a newer release broke it, pin the older one instead" if upgrade else None))
    return _lead_with(entry, note, fix)


LIVES_PATHS = ("file", "path", "dir")  # captures that name the failing file when no frames say where it failed


def assumes_user_code(entry: Entry) -> bool:
    """The entry's first fixes edit or act on the user's own file, code or project at the place the text names
    (its `assumes_user_code`; by default the categories whose answer is an edit: build, syntax, runtime)."""
    if entry.assumes_user_code is not None:
        return entry.assumes_user_code
    if entry.family and dict(entry.anatomy).get("kind", "").lower() not in PLACED_KINDS:
        return False  # a cut-off traceback's, an exit status's, an HTTP status's family answer edits nothing
    return entry.category in EDIT_CATEGORIES


def lives(captures: dict[str, str], faults: Sequence[Fault], line: int | None) -> Lives | None:
    """Where the failure an answer on `line` is about lives: the frames of the fault whose block holds the line
    (anatomy.lives_of_frames), else the file a capture names (`file`, `path`, `dir`: a compiler's file, the path
    npm could not open)."""
    if line is not None:
        inside = [f for f in faults if f.start - 1 <= line <= f.end + 1 and f.frames]
        if inside:
            f = min(inside, key=lambda f: abs(f.line - line))
            got = f.lives()
            if got is not None:  # a compiler's or linker's "frame" is the file its diagnostic names
                return replace(got, by="file") if f.kind in ("compile", "link") else got
    for name in LIVES_PATHS:
        path = captures.get(name, "").strip()
        if path:
            kind = where_lives(path)
            if kind == TOOL and not tool_program(path):
                return None  # a runtime or standard library file reports what its caller did (a race in a map)
            return Lives(kind, path, owner_of(path) if kind != USER else "", by="file")
    return None


def points_outside(entry: Entry, captures: dict[str, str], where: Lives | None = None) -> bool:
    """An answer that sends the user to edit a file or code that is not theirs: the entry's fixes assume the user's
    code (`assumes_user_code`) and the failure lives in a dependency, in generated code or in the tool's own source
    (`where`, see `lives`), or the `file` it names is library, toolchain or vendored code (`/usr/local/go/src/...`,
    `~/go/pkg/mod/...`, a cargo registry, `node_modules`, a gem). Such an error is the dependency's, the generator's
    or the tool's (a version mismatch, a half-done install, a codegen or toolchain bug), so the answer steps back
    to a generic one that leads with the advice for where it lives. Entries about the environment (dependency,
    platform, config: "this gem needs a newer Ruby") and family variants for errors raised inside a library
    (`raised_in`) name such files on purpose."""
    if not assumes_user_code(entry) or _about_library_frames(entry):
        return False
    # the frames decide for a family answer (it is read from them: "edit {{where}}") and for an entry that says its
    # fixes assume the user's code; a catalogue entry of an edit category is about its own error, which a library may
    # raise on purpose (an output parser's exception, a runner that crashed): only the file it names decides for it
    if where is not None and where.kind != USER and (where.by == "file" or entry.family or entry.assumes_user_code):
        return True
    path = captures.get("file")
    return bool(path) and foreign_file(path)


_ELSEWHERE = {
    DEPENDENCY: (
        "`{path}` is not your code: it belongs to {owner}. An error there is that package's or its installation's "
        "(a download or install that did not finish, a release that does not match the code or toolchain using it, "
        "or a bug in it), not a line for you to edit.",
        "Do not edit it: upgrade {owner} (or pin the release your project expects) and reinstall it cleanly: "
        "remove it, or the whole node_modules / virtualenv / build cache, and install again; if it still fails, "
        "report it to its maintainers with this output"),
    GENERATED: (
        "`{path}` is generated code ({owner} wrote it: a cache or build output), not a file you wrote: an edit there "
        "is lost on the next run. The error means the generator produced bad code from its input, or a stale "
        "cache is being reused.",
        "Do not edit it: clear {owner}'s cache or build output and run again; if it fails the same way, upgrade "
        "{owner} or report the smallest input that makes it generate this code (a bug of the generator), and "
        "check the input it was generated from"),
    TOOL: (
        "`{path}` is part of {owner}, not your code: the tool failed inside its own code while running your "
        "command.",
        "Upgrade {owner} to its current release (a failure inside a tool's own code is usually a bug fixed "
        "there); if it persists, report it to the tool's maintainers with this output and the command you ran"),
}
_OWNERS = {DEPENDENCY: "an installed dependency", GENERATED: "the tool that generated it", TOOL: "the tool"}


def outside(entry: Entry, captures: dict[str, str], where: Lives | None = None) -> Entry:
    """An answer that `points_outside` says first whose code it is and what to do there (the entry's own text,
    about editing that line, follows as background)."""
    if where is not None and where.kind in _ELSEWHERE:
        note, fix = _ELSEWHERE[where.kind]
        values = {"path": where.path, "owner": where.owner or _OWNERS[where.kind]}
        return _lead_with(entry, note.format(**values), Fix(fix.format(**values)))
    path = captures.get("file", "")
    note = (f"`{path}` is not your code: it belongs to a library, a toolchain or a vendored package. An error "
            "there usually means a version mismatch (a dependency newer or older than the code that uses it, a "
            "compiler too old for a dependency, files of two releases mixed in one installation) or a bug of that "
            "package, not a line for you to edit.")
    fix = Fix("Do not edit this file: find the package, toolchain or tool it belongs to and check its version "
              "against what your project expects; upgrade it, pin the version your code was written for, or "
              "reinstall it cleanly, and read its changelog for the change")
    return _lead_with(entry, note, fix)


def _lead_with(entry: Entry, note: str, fix: Fix) -> Entry:
    """The entry with `note` before its summary and `fix` before its own fixes (its text follows as background)."""
    return replace(entry, summary=f"{note} {entry.summary}", quick_fixes=(fix, *entry.quick_fixes))


def _about_library_frames(entry: Entry) -> bool:
    """A family variant for errors raised inside a library (`raised_in` in its anatomy block): it names library
    files and lines on purpose."""
    return any(k == "raised_in" for k, _ in entry.anatomy)


def foreign_file(path: str) -> bool:
    """Library, toolchain or vendored code (errdiag.anatomy.is_library), except a Go module's own `internal/`
    package (`internal/store/pg.go`), which only Node's frames share a prefix with."""
    path = path.strip()
    if path.startswith("internal/") and not path.endswith((".js", ".mjs", ".cjs")):
        return False
    return is_library(path)


def own_module(captures: dict[str, str]) -> dict[str, str]:
    """An ImportError whose module the anatomy says is the importing code's own (`own_module`: a relative
    import, a submodule of a package that was found, a file beside the importing one): there is no package to
    pip install, so a `package` derived from the module is blanked and the answer steps back to generic."""
    if captures.get("own_module") and captures.get("package") and captures.get("module"):
        return {**captures, "package": ""}
    return captures


def whole_import(captures: dict[str, str]) -> dict[str, str]:
    """Python 2 names only the missing tail of a dotted import (`from alembic.revision import x` ->
    `No module named revision`); the anatomy's `import_path` is the whole dotted path, so the module a package is
    derived from is that path (its top-level distribution, `alembic`), never the tail (`pip install revision`
    installs an unrelated project)."""
    path, module = captures.get("import_path", ""), captures.get("module", "")
    if path and module and path.endswith("." + module):
        return {**captures, "module": path, "found_part": path[: -len(module) - 1]}
    return captures


def part_missing(entry: Entry, captures: dict[str, str]) -> bool:
    """An ImportError of a submodule whose parent package was found (`found_part`, see whole_import): installing
    the package again changes nothing, its release does not match the code that imports it."""
    return bool(captures.get("found_part") and captures.get("package")) and "module" in entry.title.lower()


def upgrade_first(entry: Entry, captures: dict[str, str]) -> Entry:
    """A `part_missing` answer says first that the package is there without that part, and upgrades it."""
    found, module, package = captures["found_part"], captures["module"], captures["package"]
    note = (f"`{found}` itself was found, but it has no `{module}`: the installed release of {package} is older "
            "(or newer) than the code that imports it expects, so installing it again changes nothing.")
    fix = Fix(f"Upgrade {package} (or install the release the importing code was written for)",
              command=fill_placeholders("python -m pip install -U {{package}}", captures))
    return _lead_with(entry, note, fix)


def told_above(entry: Entry, captures: dict[str, str]) -> bool:
    """A cut-off traceback (the anatomy's `truncated` fault), or one a catch-all family answers (RuntimeError: `test
    failed`), under an error line the program printed just before it (`above`: NCCL's `ncclInternalError: ...`,
    C++'s `what(): ...`): that line says what failed."""
    if not entry.family or not captures.get("above"):
        return False
    return dict(entry.anatomy).get("kind", "").lower() == "truncated" or not entry.specific_when


def above_first(entry: Entry, captures: dict[str, str]) -> Entry:
    """A `told_above` answer names the line above the traceback first; asking for the rest comes after."""
    note = (f"Just above the traceback the program printed `{captures['above'][:300]}`: that is most likely what "
            "failed (the traceback is how the failure reached Python), so start from that message.")
    fix = Fix("Look up that message for the library or tool that printed it (its first word names it) and fix what "
              "it reports; paste the lines after the traceback too if the cause is still unclear")
    return _lead_with(entry, note, fix)


def unplaced(d: Diagnosis) -> bool:
    """A family answer to an error that has frames (an exception, a panic, a compile error) that names no frame
    of the user's own code: it can say what the error is, not where the user's mistake is, so it is never a
    confident answer (>= 0.6 means a specific signature, or a family that names the user's frame and the thing)."""
    if not d.entry.family or d.captures.get("frame"):
        return False
    return dict(d.entry.anatomy).get("kind", "").lower() in PLACED_KINDS


def weak(d: Diagnosis) -> bool:
    """A catalogue answer whose strongest signature hit is weaker than WEAK_SIGNATURE: a summary or a common
    phrase (`Failure/Error:`, `Tests: 1 failed`, `error: could not compile`, `Execution failed for task`) that
    context words and a second weak hit lifted over 0.6. On real pastes such answers mostly restated the error
    (bench/calibration.py --wild): >= 0.6 is kept for a signature decisive on its own."""
    if d.entry.family:
        return False
    sigs = [e.score for e in d.evidence if e.tier in SIGNATURE_TIERS]
    return bool(sigs) and max(sigs) < WEAK_SIGNATURE


def status_only(d: Diagnosis) -> bool:
    """A family answer to an HTTP status: it names the status, the host and the endpoint, but what a status
    means in general is not why this server answered it (a 403 from a proxy, a 400 for a wrong API path, a 503
    from a proxy in between): the reason is the server's, so it is never a confident answer."""
    return d.entry.family and dict(d.entry.anatomy).get("kind", "").lower() in STATUS_KINDS


def wrapped(d: Diagnosis, faults: Sequence[Fault]) -> bool:
    """An answer about an exit status (a RUN step, an npm script, a make target that failed) when the anatomy
    found the failure that status reports printed above it (`cause`): the step is named, the reason is in the
    text and the answer does not say it. Not when the answer is about that cause's own line."""
    return _cause_of(d, faults) is not None


CAUSE_BELOW = "cause-below"  # the tag of a wrapper entry whose step prints its child's error on the lines under it
_BELOW = re.compile(r"^\s*(?:\[ERROR\]\s*)?>\s*(?P<nested>\S.*)$|^\s*\[ERROR\]\s+(?P<first>\S.*)$")
_BELOW_NOISE = re.compile(r"(?:to see the full stack trace|re-run maven|for more information about the errors"
                          r"|\[help \d|after correcting the problems|run with --)", re.IGNORECASE)


def cause_below(d: Diagnosis) -> str | None:
    """The child's error a wrapper prints right under its own line (an entry tagged `cause-below`): Gradle's
    `> reason` lines under "Execution failed for task" (nested, most general first, so the last is the innermost),
    Maven's first `[ERROR] ` line under "Failed to execute goal" (the compiler's `File.java:[12,5] message`, the
    forked tool's own error). Read from the answer's excerpt (the lines just under its first hit)."""
    if CAUSE_BELOW not in d.entry.tags or d.line is None or d.excerpt_start is None:
        return None
    nested = None
    for x in d.excerpt.split("\n")[d.line - d.excerpt_start + 1:]:
        m = _BELOW.match(x)
        if m is None:
            break
        if m["nested"]:
            nested = m["nested"]
            continue
        if _BELOW_NOISE.search(m["first"]):
            break
        return m["first"]
    return nested


def _cause_of(d: Diagnosis, faults: Sequence[Fault]) -> str | None:
    got = _cause_and_place(d, faults)
    return got[0] if got else None


def _cause_and_place(d: Diagnosis, faults: Sequence[Fault]) -> tuple[str, bool] | None:
    """The line that says why the step `d` reports failed, and whether it is printed under the answer's line."""
    if d.line is None or d.generic:
        return None
    below = cause_below(d)
    if below:
        return below, True
    last = d.last_line or d.line
    for f in faults:
        if f.kind in WRAPPER_FAULTS:  # a unit's status: an answer about any line of its block
            said, near = f.child_says, f.start - 1 <= d.line <= f.end + 1
        else:
            said = f.facts.get("cause") if f.kind in ("exit", "signal") else None
            near = d.line - 1 <= f.line <= last + NEAR_AFTER
        if not said or not near:
            continue
        at = f.facts.get("cause_line", "")
        if at.isdigit() and d.line <= int(at) <= last:
            continue  # the answer is about that very line
        if at.isdigit() and any(e.line == int(at) and e.kind not in ("exit", "signal") and e.start <= d.line <= e.end
                                for e in faults):
            continue  # ... or about another line of that error's block (a CMake Error's message under its header)
        if f.cause_at is not None and f.cause_at <= f.line and d.line <= f.cause_at:
            continue  # about that line (`make: g++: Command not found` above `Error 127`) or an error printed before it
        if f.cause_at is not None and f.cause_at <= f.line and f.kind in WRAPPER_FAULTS and d.entry.tool_slug != f.kind:
            continue  # a unit's program's own error in the journal above its exit: that program's answer is no wrapper
        if f.cause_at is not None and f.cause_at > f.line and (
                f.cause_at in (d.line, last) or f.kind in WRAPPER_FAULTS and d.entry.tool_slug != f.kind):
            continue  # about the child's line under the report, or another tool's answer to one of the child's lines
        return said, f.cause_at is not None and f.cause_at > d.line
    return None


def _with_cause(d: Diagnosis, cause: str, below: bool = False) -> Diagnosis:
    """A wrapped answer says first what the output above it (or, for a `cause_below` wrapper or a cause read under
    the answer's line, under it) shows, and its first fix is about that line (the answer's own text and fixes
    follow)."""
    shown = plain(redact(cause))[:200]  # redacted whatever --no-redact says: a note is no capture
    where = "under its report" if below else "above"
    note = f"The output {where} shows why it failed: `{shown}`. Start from that line."
    fix = Fix(f"Fix what `{shown[:120]}` reports (the step only passed its failure on); run the step again "
              "to confirm it now succeeds")
    return replace(d, entry=_lead_with(d.entry, note, fix))


def _reports_status(d: Diagnosis) -> bool:
    """An answer about an exit status: a wrapper's report (`reports`), an exit-status family (a Dockerfile RUN
    step) or an answer that captured the status and the command (Python's CalledProcessError)."""
    if reports(d) or dict(d.entry.anatomy).get("kind", "").lower() == "exit":
        return True
    return bool(d.captures.get("exit_code") and d.captures.get("command"))


def exit_meaning(d: Diagnosis, faults: Sequence[Fault]) -> Meaning | None:
    """What the status of the program a wrapper's report names means (errdiag/programs.py: apt-get's 100, wget's 8,
    ssh's 255, gh's 4, git's 128 ...), read from the exit status the anatomy found on the answer's lines: the
    program named on that line, or one of the commands of the step it reports."""
    if d.line is None or not _reports_status(d):
        return None
    last = d.last_line or d.line
    for f in faults:
        if f.kind != "exit" or not d.line <= f.line <= last:
            continue
        code = f.facts.get("exit_code")
        got = program_meaning(f.message or "", code, f.facts.get("command") or d.captures.get("command"))
        if got is not None:
            return got
    return None


def _with_meaning(d: Diagnosis, m: Meaning) -> Diagnosis:
    """An answer about a status whose meaning the program's manual gives: its title and first words say it, its
    first fix is the one for that class of failure (the answer's own text follows). It is no longer generic: it
    says what the line did not."""
    if m.ok:
        title = f"{m.program} exited with {m.code}, which is no failure: {m.meaning}"
        note = (f"{m.program}'s exit status {m.code} means {m.meaning} (see {m.source}); the step failed "
                "only because the script or runner treats every non-zero status as an error.")
    else:
        title = f"{m.program} exited with {m.code}: {m.meaning}"
        note = f"{m.program}'s exit status {m.code} means {m.meaning} (see {m.source})."
    fix = Fix(m.fix, command=m.command)
    entry = replace(_lead_with(d.entry, note, fix), title=title)
    captures = {**d.captures, "program": m.program, "code_meaning": m.meaning}
    return replace(d, entry=entry, captures=captures, generic=False)


def runner_crashed(d: Diagnosis, faults: Sequence[Fault]) -> bool:
    """A test runner's answer ("these tests failed: rerun them") when, after the tests it names, an exception
    was raised in the runner's or a library's own code with no frame of the user's (railties' reporter raising
    NameError under a newer minitest): the run itself crashed, which is the error to fix first."""
    if d.line is None or "test-runner" not in d.entry.tags:
        return False
    return any(f.kind == "exception" and f.line > d.line and f.frames and f.user_frame() is None
               and not f.facts.get("test_report") for f in faults)


def cut_short(d: Diagnosis) -> bool:
    """A family answer to a cut-off traceback (the anatomy's `truncated` fault) that reads what the text still says
    (the type IPython's header names, the exception handled above it): the message that would tell why is not in
    the text, so it is never a confident answer."""
    return d.entry.family and dict(d.entry.anatomy).get("kind", "").lower() == "truncated"


def held_back(d: Diagnosis, faults: Sequence[Fault] = ()) -> bool:
    """The answers `finish` keeps below 0.6 although a signature or the anatomy found them surely: the key
    lines still weigh how surely the line matched (engine.diagnose)."""
    return unplaced(d) or weak(d) or status_only(d) or wrapped(d, faults) or runner_crashed(d, faults) or cut_short(d)


def finish(d: Diagnosis, faults: Sequence[Fault] = ()) -> Diagnosis:
    """Confidence that means the same on real text as on the test sets (bench/calibration.py --wild):

    - a generic answer (a family answer that cannot say more than the error line, or a wrapper entry such as
      "exit code 1") is squeezed into [GENERIC_FLOOR, GENERIC_CAP]: it is never a confident answer;
    - an answer found by the fuzzy tier alone (no signature of the entry matched exactly: a line merely
      *looks like* one of its phrases) is squeezed into [GENERIC_FLOOR, FUZZY_CAP]: on real pastes such
      look-alikes were wrong as often as right, so they stay below the 0.6 that promises a right answer;
    - a family answer that names no frame of the user's code (`unplaced`), a catalogue answer matched only
      on a weak phrase (`weak`), a family answer to an HTTP status (`status_only`), an answer about an exit
      status whose cause is printed above it (`wrapped`) and a test runner's answer to a run that crashed in
      the runner's own code (`runner_crashed`), into [GENERIC_FLOOR, UNPLACED_CAP].
    The squeezes keep the order of the answers they touch."""
    meant = exit_meaning(d, faults)
    if meant is not None:  # the status named a class of failure: the answer says it, it is no longer generic
        got = _cause_and_place(replace(d, generic=False), faults)
        held = d.generic or got is not None or held_back(d, faults)
        d = _with_meaning(_with_cause(d, *got) if got else d, meant)
        return replace(d, confidence=_squeeze(d.confidence, UNPLACED_CAP)) if held else d
    if d.generic:
        return replace(d, confidence=_squeeze(d.confidence, GENERIC_CAP))
    if held_back(d, faults):
        got = _cause_and_place(d, faults)
        if got is not None:
            d = _with_cause(d, *got)
        return replace(d, confidence=_squeeze(d.confidence, UNPLACED_CAP))
    if d.evidence and all(e.tier in SIMILAR_TIERS for e in d.evidence):
        return replace(d, confidence=_squeeze(d.confidence, FUZZY_CAP))
    return d


def _squeeze(conf: float, cap: float) -> float:
    c = GENERIC_FLOOR + (cap - GENERIC_FLOOR) * max(0.0, conf - GENERIC_FLOOR) / (1 - GENERIC_FLOOR)
    return round(min(c, conf), 3)


def shadowed(d: Diagnosis, found: list[Diagnosis], faults: Sequence[Fault] = ()) -> bool:
    """A family answer to the same error as a catalogue entry's answer: a catalogue hit inside the block of
    the fault the family answer is about (or, without one, within SHADOW_LINES lines)."""
    if not d.entry.family or d.line is None:
        return False
    block = next((f for f in faults if f.start - 1 <= d.line <= f.end + 1), None)
    runner = block.facts.get("test_report") if block is not None else None
    raised = runner if runner and block is not None and _raised_in_test(block) and not d.generic else None
    if runner and not raised and any(o.entry.tool_slug == runner and not o.generic for o in found):
        return True  # an exception inside a test runner's report is one failing test: the runner's entry first
    lo, hi = (block.start - 1, block.end + 1) if block else (d.line - SHADOW_LINES, d.line + SHADOW_LINES)
    # a wrapper entry's answer (`generic: true`) never shadows: not even one an exit status's meaning made specific
    return any(not o.entry.family and not o.generic and not o.entry.generic and o.line is not None
               and o.id != d.entry.refines and o.entry.tool_slug != raised and o.line <= hi
               and (o.last_line or o.line) >= lo for o in found)


def _raised_in_test(fault: Fault) -> bool:
    """An exception the code under test raised, listed by the runner among its errors (not an assertion
    that did not hold): the exception is the answer, the runner's report only says where it surfaced."""
    return fault.kind == "exception" and fault.facts.get("defect") == "error"


def runner_behind(d: Diagnosis, found: list[Diagnosis], faults: list[Fault]) -> bool:
    """A test runner's answer ranks behind a specific family answer to an exception the tests raised (a
    PHPUnit "There were N errors:" entry whose message is `Error: Call to a member function x() on null`);
    a wrapper's answer (an npm script, a make target, a RUN step that failed: `wrapped`) ranks behind a
    specific answer about the error printed above it (`wrapper_behind`)."""
    if d.entry.family or d.generic:
        return False
    if wrapper_behind(d, found, faults):
        return True
    for f in faults:
        if f.facts.get("test_report") != d.entry.tool_slug or not _raised_in_test(f):
            continue
        if any(o.entry.family and not o.generic and o.line is not None and f.start - 1 <= o.line <= f.end + 1
               for o in found):
            return True
    return False


# the tags of an entry whose answer reports that a step, a script or some tests failed (the cause is another line)
REPORTING_TAGS = frozenset({"test-runner", CAUSE_BELOW, "exit status"})
REPORT_REACH = 30  # lines above or below a report's line where the error it reports is looked for


def reports(d: Diagnosis) -> bool:
    """An answer that reports a failure passed on (an exit status, a wrapper's summary, a test runner's verdict):
    a generic wrapper entry, or an entry tagged as a test runner, a `cause-below` wrapper or an exit status."""
    return d.entry.generic or bool(REPORTING_TAGS & set(d.entry.tags))


def reported_by(o: Diagnosis, d: Diagnosis) -> bool:
    """Whether the answer `o` is about an error that the wrapper answer `d` (a generic entry) reports: one printed
    before it, or, for a wrapper tagged `cause-below` (ninja's `FAILED: target`, then the command and its output),
    one printed under it within REPORT_REACH lines."""
    if o.line is None or d.line is None:
        return False
    if o.line < d.line:
        return True
    return CAUSE_BELOW in d.entry.tags and o is not d and d.line < o.line <= (d.last_line or d.line) + REPORT_REACH


def reporter_behind(d: Diagnosis, found: list[Diagnosis], behind: set[str] = frozenset()) -> bool:
    """A reporting answer (`reports`: npm's script failed, Surefire's tests failed, make's recipe failed) ranks
    behind a specific answer about a line within REPORT_REACH lines of it, above or below: that line is why the step
    failed (a mocha timeout above npm's lifecycle error, a LoadError under RSpec's 'error occurred while loading'),
    the report only says which step passed it on. Of two reports the inner one leads: it is printed first (npm's
    error after mocha's verdict). Not behind an answer itself ranked behind (a family answer to one failing test
    inside a runner's report stays behind the runner's)."""
    if d.line is None or not reports(d):
        return False
    lo, hi = d.line - REPORT_REACH, (d.last_line or d.line) + REPORT_REACH
    for o in found:
        if o is d or o.id == d.id or o.source != d.source or o.line is None or o.generic or not o.fatal \
                or o.id in behind or not lo <= o.line <= hi:
            continue
        if d.line <= o.line <= (d.last_line or d.line):
            continue  # another reading of the report's own line (Maven's "Compilation failure" as a javac error)
        if reports(o) and o.line >= d.line:
            continue  # a report printed after this one wraps it (make over a failed test run)
        return True
    return False


def wrapper_behind(d: Diagnosis, found: list[Diagnosis], faults: Sequence[Fault]) -> bool:
    """A wrapper's answer whose exit status reports an error the anatomy read above it (the status's `cause`,
    at `cause_line`) when another entry answers that error specifically: the inner error is what to fix (an
    uncaught Redis ECONNRESET above `npm ERR! Failed at the app@1.0.0 start script`), the wrapper's answer
    only says which step passed it on, so it never leads, even when the key line is its own. Not when that
    error is itself a wrapper's report (a systemd unit's failure above its control process's exit status)."""
    if d.line is None or _cause_of(d, faults) is None:
        return False
    last = d.last_line or d.line
    for f in faults:
        at = f.facts.get("cause_line", "")
        if f.kind not in ("exit", "signal") or not at.isdigit() or not d.line - 1 <= f.line <= last + NEAR_AFTER:
            continue
        cause = next((e for e in faults if e.line == int(at) and e.kind not in ("exit", "signal")), None)
        if cause is None or cause.kind in WRAPPER_FAULTS:
            continue
        if any(o is not d and not o.generic and o.fatal and o.line is not None and o.line < d.line
               and cause.start - 1 <= o.line <= cause.end + 1 for o in found):
            return True
    return False
