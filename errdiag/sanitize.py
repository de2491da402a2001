"""Make text from input or packs harmless for the place it is shown (issue 14, Medium 5).

Text errdiag did not write (log lines, captures, and every field of a knowledge pack) may carry terminal
control sequences (ESC c resets the terminal, OSC 52 writes the clipboard, OSC 0 sets the title, 8-bit
CSI, SGR 8 hides text), bidirectional overrides that make a command read differently from what it runs,
Rich markup, or Markdown that breaks out of a code span. Each output gets text through one of these:

- `plain`: control characters (C0 except tab/newline, DEL, C1) are shown as `\\xNN`, bidi controls as
  `<U+202E>`: nothing reaches a terminal as a control, and a hidden reordering becomes visible;
- `inline_code`: a Markdown code span that no backtick inside can close;
- `md_text`: Markdown text whose brackets, angle brackets, backticks and emphasis show as themselves;
- `md_prose`: the same for a pack's sentences, keeping their balanced `code spans` as code.

Rich output is built from `rich.text.Text` objects, which are never parsed as markup; `plain` is applied
to every string before it goes in.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, the C1 block (8-bit CSI/OSC/ST...), and bidi/invisible formatting
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def path_text(path: str) -> str:
    """A file name as text every output can hold: bytes of the name that are not UTF-8 (which Python keeps
    as lone surrogates) shown as `\\xNN`, so JSON stays valid and a UTF-8 file can take it."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate outside the escape range: keep it as an escape too
        return path.encode("utf-8", "backslashreplace").decode("ascii")
    return raw.decode("utf-8", "backslashreplace")


def plain(text: str) -> str:
    """`text` with every control character and bidi control made visible (tab and newline kept)."""
    if not text or not _UNSAFE.search(text):
        return text
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def one_line(text: str) -> str:
    """`plain`, with newlines and tabs shown as spaces (a title, a table cell)."""
    return " ".join(plain(text).split())


def inline_code(text: str) -> str:
    """A Markdown code span holding `text` verbatim: the fence is longer than any backtick run inside."""
    text = one_line(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|])")  # links, images, HTML, code, emphasis, table cells


def md_text(text: str) -> str:
    """Markdown text that renders as the characters themselves (no links, HTML, emphasis or code)."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text))


def md_prose(text: str) -> str:
    """Markdown for a sentence from a pack: its `code spans` stay code spans, everything else is literal text
    (no links, images, HTML or headings can be smuggled in)."""
    text = plain(text)
    out = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_MD_PROSE.sub(r"\\\1", text[pos:m.start()]))
        out.append(inline_code(m.group(2)))
        pos = m.end()
    out.append(_MD_PROSE.sub(r"\\\1", text[pos:]))
    return "".join(out)


_CODE_SPAN = re.compile(r"(`+)([^`\n]+?)\1(?!`)")
_MD_PROSE = re.compile(r"([\\`\[\]<>|])")

# The fields of an entry that are shown to people (examples and signatures are matched, never shown raw).
_TEXT_FIELDS = ("title", "tool", "summary", "meaning", "why")
_TEXT_LISTS = ("causes", "steps", "prevention", "verify", "tags", "specific_when")


def safe_entry(entry):
    """The entry with every displayed text made `plain` (control characters and bidi controls visible)."""
    from dataclasses import replace

    changes: dict = {}
    for name in _TEXT_FIELDS:
        value = getattr(entry, name)
        if value and _UNSAFE.search(value):
            changes[name] = plain(value)
    for name in _TEXT_LISTS:
        values = getattr(entry, name)
        if any(_UNSAFE.search(v) for v in values):
            changes[name] = tuple(plain(v) for v in values)
    for name in ("quick_fixes", "checks", "faq", "sources"):
        items = getattr(entry, name)
        if any(_UNSAFE.search(v) for item in items for v in vars(item).values() if isinstance(v, str)):
            changes[name] = tuple(replace(item, **{k: plain(v) for k, v in vars(item).items() if isinstance(v, str)})
                                  for item in items)
    return replace(entry, **changes) if changes else entry
