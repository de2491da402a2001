"""`errdiag kb validate`: schema, safe regexes, completeness, and every entry's own examples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import diagnose
from .errors import ErrdiagError
from .kb import KnowledgeBase
from .schema import EXAMPLES_NO_MATCH_MIN, FIELDS
from .yamlsafe import line_of


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    entry: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


def _line(entry_path: str, *keys: str | int) -> int | None:
    try:
        return line_of(Path(entry_path).read_text(encoding="utf-8"), *keys)
    except OSError:
        return None


def completeness(kb: KnowledgeBase, only: set[str] | None = None) -> list[Problem]:
    """The bundled-entry bar (issue 3): minimum counts per section, real URLs."""
    out = []
    for e in kb.entries:
        if only is not None and e.path not in only:
            continue
        for f in FIELDS:
            if not f.bundled_min:
                continue
            if f.name == "examples":  # two lists: match needs bundled_min, no_match EXAMPLES_NO_MATCH_MIN
                for key, have, need in (("match", e.examples_match, f.bundled_min),
                                        ("no_match", e.examples_no_match, EXAMPLES_NO_MATCH_MIN)):
                    if len(have) < need:
                        out.append(Problem(e.path, _line(e.path, "examples"),
                                           f"examples.{key}: needs at least {need}", e.id))
                continue
            value = getattr(e, f.name)
            count = int(bool(value)) if isinstance(value, str) else len(value)
            if count < f.bundled_min:
                out.append(Problem(e.path, _line(e.path, f.name),
                                   f"{f.name}: has {count}, needs at least {f.bundled_min}", e.id))
    return out


def references(kb: KnowledgeBase, only: set[str] | None = None) -> list[Problem]:
    """`related` and `refines` must name entries that exist."""
    out = []
    ids = {e.id for e in kb.entries}
    for e in kb.entries:
        if only is not None and e.path not in only:
            continue
        for ref in (*e.related, *([e.refines] if e.refines else [])):
            if ref not in ids:
                out.append(Problem(e.path, _line(e.path, "related" if ref in e.related else "refines"),
                                   f"refers to unknown entry {ref!r}", e.id))
    return out


def title_slots(kb: KnowledgeBase, only: set[str] | None = None) -> list[Problem]:
    """A `{{name}}` in a catalogue entry's title must be a group some signature captures (else it is never
    filled), or one of the anatomy's standard captures with fallback words (`{{cause|...}}`: it fills a
    catalogue hit inside an error's block, and may be missing). Family entries are filled from the anatomy's
    captures as well, so they are not checked."""
    import re

    from .models import _CONTEXT_CAPTURES

    out = []
    for e in kb.entries:
        if (only is not None and e.path not in only) or e.family or "{{" not in e.title:
            continue
        names: set[str] = {d.name for d in e.derive}
        for sig in e.signatures:
            if sig.kind == "regex":
                try:
                    names |= set(re.compile(sig.pattern).groupindex)
                except re.error:
                    pass  # reported by the loader
        for name, words in re.findall(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\|[^{}]*)?\}\}", e.title):
            if name not in names and not (name in _CONTEXT_CAPTURES and words.strip("| ")):
                out.append(Problem(e.path, _line(e.path, "title"),
                                   f"title: {{{{{name}}}}} is captured by no signature", e.id))
    return out


def check_examples(kb: KnowledgeBase, only: set[str] | None = None) -> list[Problem]:
    """Each `match` example must rank its own entry first; each `no_match` must not."""
    out = []
    for e in kb.entries:
        if only is not None and e.path not in only:
            continue
        for i, text in enumerate(e.examples_match):
            got = _top(kb, text)
            if got != e.id:
                what = f"ranked {got!r} first" if got else "got no diagnosis"
                out.append(Problem(e.path, _line(e.path, "examples", "match", i),
                                   f"examples.match[{i}]: {what}, expected {e.id!r}", e.id))
        for i, text in enumerate(e.examples_no_match):
            if _top(kb, text) == e.id:
                out.append(Problem(e.path, _line(e.path, "examples", "no_match", i),
                                   f"examples.no_match[{i}]: ranked {e.id!r} first but must not", e.id))
    return out


def _top(kb: KnowledgeBase, text: str) -> str | None:
    try:
        r = diagnose(text, kb)
    except ErrdiagError:
        return None
    return r.best.id if r.best else None


def validate(kb: KnowledgeBase, strict: bool = False, only: set[str] | None = None) -> list[Problem]:
    problems = [Problem(err.path, err.line, (f"{err.field}: " if err.field else "") + err.detail)
                for err in kb.report.errors]
    problems += check_examples(kb, only)
    if strict:
        problems += references(kb, only) + completeness(kb, only) + title_slots(kb, only)
    return sorted(problems, key=lambda p: (p.path, p.line or 0))
