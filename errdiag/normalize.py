"""Normalize raw text for matching: strip ANSI and CR, log prefixes; mask volatile tokens.

Two granularities:
- `normalize_block` works on a whole chunk at C speed (lowercase, no ANSI, one space per run of blanks)
  and keeps every newline, so offsets into it still map to line numbers: this feeds the fast pass.
- `clean_line` / `normalize_line` prepare one candidate line for regexes and display.
"""

from __future__ import annotations

import re

from .regexes import LazyPattern

_ANSI = LazyPattern(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[_P^X][^\x07\x1b]*(?:\x07|\x1b\\)?"  # APC, DCS, PM, SOS strings (Buildkite's `ESC _bk;t=<ms> BEL`)
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
)
_BLANKS = re.compile(r"[ \t\f\v\u00a0]{2,}|[\t\f\v\u00a0]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # a stray ESC (no sequence) goes too

# Prefixes that loggers and CI runners put before the message: removed before regexes run, so a
# signature regex anchored at ^ still matches a timestamped or annotated line.
# (compiled on first use, as the patterns below: start-up time; a pasted line that cannot begin with a
# prefix never needs it)
_PREFIX = LazyPattern(
    r"^(?:"
    r"\ufeff"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+"  # ISO 8601
    r"(?:\d\d[OE](?:\+| |$))?"  # ... and GitLab's stream (`00O `, `00E `; `00O+` continues a split line)
    r"|\[\d{4}-\d{2}-\d{2}[T ][^\]]{0,40}\]\s*"  # [2024-01-01 10:00:00,123]
    r"|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\s+"  # 10:00:00.123
    r"|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \S+ [\w./-]+(?:\[\d+\])?: "  # syslog
    r"|##\[(?:error|warning|notice|debug|group|endgroup|section|command)\]"  # GitHub Actions
    r"|::(?:error|warning|notice)[^:]*::"  # workflow commands
    r"|#\d+ \d+\.\d+ "  # docker buildkit step lines: "#12 3.456 "
    r"|\[(?:\d+/\d+|\w+ \d+/\d+)\] "  # "[3/7] " build steps
    # the step's or pod's name a CI system puts before each line of a step (errdiag/matching/keylines.py
    # `_RUNNER_PREFIX` says which); levels and verdicts in brackets (`[ERROR]`, `[warn]`) are kept
    r"|Step #\d+(?: - \"[^\"]{0,120}\")?: "  # Google Cloud Build
    r"|(?:build|error|simple|command)\t\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d\t"  # Bamboo
    # (a lone `[word] ` is not removed here: a tool's own tag, `[nodemon] `, `[vite] `, is part of its
    # messages, and entries match on it)
    r"|\[[A-Za-z][\w.-]{0,100} : [\w./-]{1,100}\] "  # Tekton `[task : step] `
    r"|\[(?:pod|deployment|job|statefulset|daemonset)/[\w./-]{1,200}\] "  # `kubectl logs --prefix`
    r"|[a-z0-9][a-z0-9.-]{2,120}-\d{5,12}: "  # `argo logs`: the pod's name
    r")+"
)


# A framing that carries no message, put before every line of a text that was passed on: a quote (`> `, a mail's
# or an issue's reply), the Kubernetes container runtime's log format (`<RFC 3339 time> stdout F `), the instance a
# supervisor or runner names (`[worker-3] `, `[web.1] `, `[App/0] `), pm2's process prefix (`0|api     | `). When
# (nearly) every line of a block carries the same one, it is taken off once, before anything reads the block: an
# error behind it then starts its line as printed, for the signatures anchored there and for the anatomy alike.
# Line numbers do not change. (A tool's own
# tag, `[nodemon] `, has no instance number and is part of its messages; Gradle's `> Task :x` is not a quote.)
_QUOTE = r">(?: |$)(?!Task :)"
_CRI = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) [FP] "
_TAG = r"\[[A-Za-z][\w.-]{0,60}[-./]\d{1,6}\] "
_PM2 = r"\d{1,4}\|[\w.@-]{1,60} *\| ?"  # pm2's `pm2 logs`: `<process id>|<app name padded> | `
_FRAMING = LazyPattern(f"^(?:(?P<quote>{_QUOTE})|(?P<cri>{_CRI})|(?P<tag>{_TAG})|(?P<pm2>{_PM2}))")
FRAMING_MIN = 2  # lines that must carry the same framing ...
FRAMING_SHARE = 0.8  # ... and the share of the non-blank lines (of the first FRAMING_SAMPLE) they must be
FRAMING_SAMPLE = 64
_FRAMING_START = frozenset(">0123456789[")


def framing(lines: list[str]) -> str | None:
    """The regex of the framing (_FRAMING) nearly all of the first FRAMING_SAMPLE non-blank `lines` share, if any:
    a quote, the container runtime's prefix, or one instance's tag (its digits any)."""
    keys: dict[str, int] = {}
    nonblank = 0
    for x in lines:
        if not x.strip():
            continue
        nonblank += 1
        if x[:1] in _FRAMING_START:
            m = _FRAMING.match(x)
            if m:
                k = ("^" + _QUOTE if m.group("quote") is not None else "^" + _CRI if m.group("cri")
                     else "^" + re.sub(r"\d+", r"\\d+", re.escape(m.group("tag"))) if m.group("tag")
                     else "^" + _PM2)
                keys[k] = keys.get(k, 0) + 1
        if nonblank >= FRAMING_SAMPLE:
            break
    if not keys:
        return None
    key, count = max(keys.items(), key=lambda kv: kv[1])
    return key if count >= FRAMING_MIN and count >= FRAMING_SHARE * nonblank else None


def deframe(lines: list[str]) -> list[str] | None:
    """`lines` without the framing they share (quoted twice: taken off twice), or None when they share none."""
    out = None
    for _ in range(3):
        key = framing(lines)
        if key is None:
            break
        rx = re.compile(key)
        lines = out = [rx.sub("", x, count=1) for x in lines]
    return out


def deframe_block(block: str) -> str:
    """`block` without a framing (nearly) every line shares; the block itself when there is none (the common case
    costs one look at its first lines; a framed block is rewritten by one C-speed substitution per framing)."""
    head = block[:8192]
    if ">" not in head and "[" not in head and " stdout " not in head and " stderr " not in head:
        return block
    for _ in range(3):
        key = framing(head.split("\n", FRAMING_SAMPLE + 1)[:FRAMING_SAMPLE])
        if key is None:
            break
        rx = re.compile(key, re.M)
        block = rx.sub("", block)
        head = block[:8192]
    return block


FULL_COLLAPSE_CHARS = 1024 * 1024
_TS = r"\d{4}-\d\d-\d\d[t ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:z|[+-]\d\d:?\d\d)? ?(?:\d\d[oe](?:\+| |(?=\n)))?"
_TS_LINE = re.compile(r"\n" + _TS)  # starts with a literal newline: scans at C speed, unlike (?m)^
_TS_START = re.compile(_TS)
_LEADING = re.compile(r"\n +")
_BLANK_CHARS = ("\t", "\r", "\f", "\v", "\xa0")


def normalize_block(block: str) -> str:
    """Lowercase, ANSI-free text with blank runs collapsed and every newline kept (for the fast pass).

    Built from C-speed string methods only (a character-class regex over a block runs at ~10 MB/s).
    Indentation is always removed, so a phrase wrapped onto an indented next line still reads as one;
    runs of blanks inside a line and trailing blanks are collapsed in blocks up to FULL_COLLAPSE_CHARS
    (pastes, short logs), where it is cheap; in bigger blocks aligned log columns make it the most
    expensive step of the whole scan (measured), for a case (a doubled space inside an error phrase)
    that hardly occurs there.
    """
    if "\x1b" in block:
        block = _ANSI.sub("", block)
    small = len(block) <= FULL_COLLAPSE_CHARS
    if small and "\r" in block:  # in big blocks the CR becomes a blank (translate below): cheaper
        block = block.replace("\r\n", "\n")
    block = block.lower()
    if _TS_START.match(block) or _TS_LINE.search(block, 0, 65536):  # logs are uniform: sample the start
        # timestamped lines (CI logs): drop the stamps so a message wrapped over two lines reads as one
        block = _TS_START.sub("", block, count=1)
        block = _TS_LINE.sub("\n", block)
    for blank in _BLANK_CHARS:  # str.replace runs at memchr speed; str.translate is 10x slower on big blocks
        if blank in block:
            block = block.replace(blank, " ")
    if small:
        while "  " in block:
            block = block.replace("    ", " ").replace("  ", " ")
        while " \n" in block:
            block = block.replace("        \n", "\n").replace(" \n", "\n")
    if "\n " in block:
        block = _LEADING.sub("\n", block)
    return block


def clean_line(line: str) -> str:
    """A line as a person should see it: no ANSI, no CR, no control characters, trailing blanks cut."""
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    if line.endswith("\r"):
        line = line.rstrip("\r")
    if "\r" in line:
        # a carriage return redraws the line: keep what a terminal would show last
        parts = [p for p in line.split("\r") if p.strip()]
        line = parts[-1] if parts else ""
    if not line.isprintable() and _CONTROL.search(line):
        line = _CONTROL.sub("", line)
    return line.rstrip()


def strip_prefix(line: str) -> str:
    m = _PREFIX.match(line)
    return line[m.end():] if m else line


_PREFIX_START = frozenset("0123456789[#:JFMASONDbecs\ufeff") | frozenset("abcdefghijklmnopqrstuvwxyz")
# (what a stripped prefix can start with)


def normalize_line(line: str) -> str:
    """The text a signature regex sees: cleaned, prefix removed, blanks collapsed (case kept)."""
    line = clean_line(line).strip()
    if line and line[0] in _PREFIX_START:
        line = strip_prefix(line)
    if "  " in line or "\t" in line or "\xa0" in line or "\f" in line or "\v" in line:
        line = _BLANKS.sub(" ", line).strip()
    return line


_LEVEL = LazyPattern(r"^.{0,80}?\b(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|FATAL|CRITICAL|SEVERE)\b[:\]]?\s+")


def after_level(line: str) -> str | None:
    """The message after a logger's level marker ('... app.worker ERROR msg' -> 'msg'), if there is one."""
    m = _LEVEL.match(line)
    return line[m.end():] if m and m.end() < len(line) else None


_MASKS = (  # compiled on first use: only `kb new` and fleet scans mask
    (LazyPattern(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<uuid>"),
    (LazyPattern(r"\b[a-z][a-z0-9+.-]*://\S+", re.I), "<url>"),
    (LazyPattern(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?"), "<path>"),
    (LazyPattern(r"\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b", re.I), "<hex>"),
    (LazyPattern(r"'[^'\n]{1,80}'|\"[^\"\n]{1,80}\"|`[^`\n]{1,80}`"), "<q>"),
    (LazyPattern(r"\b\d+(?:\.\d+)*\b"), "<n>"),
)


def mask(line: str) -> str:
    """Replace volatile tokens (UUIDs, URLs, paths, hex, quoted names, numbers) by placeholders.

    Two occurrences of the same error with different values mask to the same text: `kb new` uses
    it to propose signatures from a pasted error without its paths, ids and numbers.
    """
    uuid, url, path, hexa, quoted, number = _MASKS
    # each pattern only where it can match (a Python regex scan costs ~30-60 us per log line; a fleet
    # scan masks thousands): the same result as running all six
    if line.count("-") >= 4:
        line = uuid[0].sub(uuid[1], line)
    if "://" in line:
        line = url[0].sub(url[1], line)
    if "/" in line or "\\" in line:
        line = path[0].sub(path[1], line)
    line = hexa[0].sub(hexa[1], line)
    if "'" in line or '"' in line or "`" in line:
        line = quoted[0].sub(quoted[1], line)
    if _DIGIT.search(line):
        line = number[0].sub(number[1], line)
    return line


_DIGIT = re.compile(r"\d")


# An error JSON-escaped inside a structured log line: a JSON object's string field (`{"msg":"...\"quoted\"...\n..."}`),
# a logfmt field (`msg="... \"x\" ..."`), a JSON-escaped string printed alone. Its quotes, backslashes and line breaks
# are escapes, so the signatures (written for the error as a program prints it) and the anatomy (which reads a
# traceback line by line) do not see it. A pasted text (the whole input in one block of at most UNESCAPE_MAX_CHARS)
# gets each such line's unescaped reading appended after its last line (errdiag.matching.scan: the answers found
# there point back at the line that carried it); a bigger log is read as printed.
UNESCAPE_MAX_CHARS = 256 * 1024
UNESCAPE_MAX_LINES = 400  # lines appended at most: the last ones (a log ends with its error)
_ESCAPED = LazyPattern(r'\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])')
# a line that carries JSON or logfmt string fields: a JSON object or array, a `"key": "` pair, a `key="` field
_CARRIER = LazyPattern(r'^\s*[\[{]|"\s*:\s*"|(?:^|\s)[\w.-]+=\\?"')
_UNESCAPE = {'"': '"', "\\": "\\", "/": "/", "b": "", "f": "", "n": "\n", "r": "", "t": "\t"}


def _unescape_one(m: re.Match) -> str:
    s = m.group(0)[1:]
    if s[0] == "u":
        ch = chr(int(s[1:], 16))
        return ch if ch.isprintable() or ch in "\n\t" else ""
    return _UNESCAPE[s]


def unescape_line(line: str) -> list[str] | None:
    """The lines a JSON- or logfmt-escaped line holds once unescaped (`\\"` -> `"`, `\\n` -> a line break, `\\t`,
    `\\\\`, `\\u00xx`; an escaped string inside an escaped string is unescaped twice), or None when the line
    carries no escaped quote or line break, or is no JSON/logfmt field line."""
    if "\\" not in line or ('\\"' not in line and "\\n" not in line) or not _CARRIER.search(line):
        return None
    fields = _json_strings(line)
    if fields is not None:  # a whole JSON document: the string fields that held a quote or a line break
        out = [x.rstrip() for v in fields if "\n" in v or '"' in v for x in v.split("\n") if x.strip()]
        return out or None
    text = line
    for _ in range(2):
        text = _ESCAPED.sub(_unescape_one, text)
        if '\\"' not in text and "\\n" not in text:
            break
    if text == line:
        return None
    return [x.rstrip() for x in text.split("\n") if x.strip()]


def _json_strings(line: str) -> list[str] | None:
    """The string values of `line` when it is one whole JSON object or array (depth first), else None."""
    head = line.lstrip()[:1]
    if head not in ("{", "["):
        return None
    import json

    try:
        doc = json.loads(line)
    except ValueError:
        return None
    out: list[str] = []
    todo = [doc]
    while todo and len(out) < UNESCAPE_MAX_LINES:
        x = todo.pop()
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            todo.extend(reversed(list(x.values())))
        elif isinstance(x, list):
            todo.extend(reversed(x))
    for i, v in enumerate(out):  # a JSON document escaped inside a string field: its own fields
        if v.lstrip()[:1] in ("{", "[") and ('\\"' in v or "\\n" in v):
            inner = _json_strings(v)
            if inner is not None:
                out[i:i + 1] = inner
                break
    return out


def unescaped_reading(block: str) -> list[tuple[int, str]]:
    """(1-based line of `block`, unescaped line) for every line of `block` that carries escaped fields
    (unescape_line), in order: the last UNESCAPE_MAX_LINES of them (a log ends with its error)."""
    out: list[tuple[int, str]] = []
    if "\\" not in block:
        return out
    for n, line in enumerate(block.split("\n"), 1):
        got = unescape_line(line) if "\\" in line else None
        if got:
            out.extend((n, x) for x in got)
    return out[-UNESCAPE_MAX_LINES:]
