#!/usr/bin/env python3
"""The reframing test: does an entry still answer its own error however the error is printed?

Every entry's `examples.match` texts rank it first as written (`kb validate` checks that). Real text arrives in
other framings: behind a logger's or a container runtime's prefix, JSON-escaped inside a structured log line, with
CRLF endings, quoted in a mail or an issue (`> `), inside a CI job's log, coloured, pasted as a bare fragment (the
`fragment` framing: the key line's core phrase alone, without the tool's prefix, level, file:line position or
exception class, see core_phrase), or printed by another
language's client than the one the examples show. This script re-prints each example in those framings and
reports, per framing and per tool, the share of examples whose entry stays top-1, and (with --lost) which are lost.

Framings that would change the meaning are not tried. The cross-language framings (the error's message inside a
PHP, Rust, Go, Java or Node exception) are applied only to entries whose error text is a library's, server's or
remote API's OWN message, which every language's client prints as it got it: entries marked
`message_of: library` (docs/writing-entries.md) and those of the tools in LIBRARY_TOOLS (databases, servers,
protocols, HTTP APIs). A Python builtin exception inside a Rust panic is not a text anyone sees, so it is not
made up here. The message put in the wrapper is the example's key line (the line the answer points at) without
the client's own exception class (`sqlite3.OperationalError: database is locked` -> `database is locked`).

    .venv/bin/python bench/reframe.py [--examples N] [--framing NAME ...] [--tool TOOL ...] [--lost] [--jobs N]

Printed: one line per framing (`reframe <name>: kept K/N = 0.xxx`), the overall line (`reframe all: ...`), and
per tool the share kept over all framings for the tools that lost any. Runs in-process (one knowledge load);
with the default of the first example per entry it takes a few minutes on a loaded machine (--jobs splits the
work over processes).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# tools (the id's first part) whose errors are a library's, server's or API's own message (printed unchanged by
# every language's client): the cross-language framings apply to them
LIBRARY_TOOLS = frozenset({
    "sqlite", "postgres", "mysql", "redis", "mongodb", "sqlserver", "elasticsearch", "kafka", "http", "tls",
    "openai", "anthropic", "gemini", "azure_openai", "deepseek", "groq", "mistral", "openrouter", "ollama",
})

_TS = "2024-05-01T10:00:00.123Z"


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _prefixed(prefix: str):
    return lambda text: "\n".join(prefix + line for line in _lines(text)) + "\n"


def _json_field(text: str) -> str:
    return json.dumps({"level": "error", "time": _TS, "msg": "request failed", "error": text.rstrip("\n")},
                      ensure_ascii=False) + "\n"


def _github_actions(text: str) -> str:
    body = "\n".join(f"2024-05-01T10:00:{i % 60:02d}.1234567Z {line}" for i, line in enumerate(_lines(text)))
    return ("2024-05-01T09:59:58.0000000Z ##[group]Run ./ci/test.sh\n2024-05-01T09:59:58.0000000Z ./ci/test.sh\n"
            "2024-05-01T09:59:58.0000000Z ##[endgroup]\n" + body +
            "\n2024-05-01T10:01:00.0000000Z ##[error]Process completed with exit code 1.\n")


def _ansi(text: str) -> str:
    return "\n".join(f"\x1b[31m\x1b[1m{line}\x1b[0m" if line.strip() else line for line in _lines(text)) + "\n"


# whole-text framings: apply to every entry's examples
FRAMINGS = {
    "iso_level": _prefixed(f"{_TS} ERROR "),
    "syslog": _prefixed("May  1 10:00:00 web-01 app[4121]: "),
    "worker_tag": _prefixed("[worker-3] "),
    "k8s_cri": _prefixed("2024-05-01T10:00:00.123456789Z stdout F "),
    "json_field": _json_field,
    "crlf": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n"),
    "quoted": _prefixed("> "),
    "indented": _prefixed("    "),
    "github_actions": _github_actions,
    "ansi": _ansi,
}

# cross-language framings: the library's message printed by another language's client
CROSS = {
    "php_uncaught": lambda m: (f"PHP Fatal error:  Uncaught Exception: {m} in /var/www/html/src/Db.php:42\n"
                               "Stack trace:\n#0 /var/www/html/index.php(17): App\\Db->query()\n#1 {main}\n"
                               "  thrown in /var/www/html/src/Db.php on line 42\n"),
    "rust_error": lambda m: f"Error: {m}\n",
    "rust_panic": lambda m: ("thread 'main' panicked at src/main.rs:31:10:\n"
                             f"called `Result::unwrap()` on an `Err` value: {m}\n"
                             "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"),
    "go_log_fatal": lambda m: f"2024/05/01 10:00:00 {m}\nexit status 1\n",
    "java_caused_by": lambda m: ("Exception in thread \"main\" java.lang.RuntimeException: request failed\n"
                                 "\tat com.example.app.Main.main(Main.java:21)\n"
                                 f"Caused by: com.example.client.ClientException: {m}\n"
                                 "\tat com.example.client.Client.call(Client.java:88)\n\t... 1 more\n"),
    "node_error": lambda m: (f"Error: {m}\n    at Client.query (/app/src/db.js:40:11)\n"
                             "    at async main (/app/src/index.js:7:3)\n"),
}

# the client's own exception class before the message (`sqlite3.OperationalError: `, `redis.exceptions.X: `,
# `Error: `), dropped once so that the library's own words remain
_CLIENT_CLASS = re.compile(r"^\s*(?:E\s+)?(?:[A-Za-z_][\w$]*[.:]{1,2})*[A-Za-z_]\w*(?:Error|Exception|Exc)\w*:\s+"
                           r"|^\s*(?:Error|ERROR|error|FATAL|Fatal|fatal):\s+")


def key_line(entry, text: str, kb) -> str | None:
    """The line of `text` the entry's answer points at (None: the entry is not the answer, or names no line)."""
    from errdiag import diagnose

    best = diagnose(text, kb).best
    if best is None or best.id != entry.id or not best.line:
        return None
    lines = text.split("\n")
    return lines[best.line - 1] if best.line <= len(lines) else None


def library_message(entry, text: str, kb) -> str | None:
    """The library's own message in `text`: the key line of the entry's answer without the client's class."""
    line = key_line(entry, text, kb)
    if line is None:
        return None
    stripped = _CLIENT_CLASS.sub("", line.strip(), count=1).strip()
    return stripped or None


# what a tool, a logger or a language puts before an error's own words on its key line: a level or verdict word
# (`fatal: `, `E: `, `npm ERR! `, `PHP Fatal error:  Uncaught `), a file:line(:col) position, an exception class
# (`_CLIENT_CLASS`). Taken off, repeatedly, by the fragment framing: what is left is the core phrase a person pastes
# alone (`Class "App\\Foo" not found`, `tag 'v1' already exists`).
_LEVEL_WORD = re.compile(r"^\s*(?:PHP\s+)?(?:(?:Fatal|fatal|FATAL|Parse|Warning|WARNING|warning|Error|ERROR|error|E|W|"
                         r"CRITICAL|SEVERE|panic|Notice|NOTICE|ERR)(?: error)?:|npm ERR!|ERR!)\s+(?:Uncaught\s+)?")
_POSITION = re.compile(r"^\s*(?:[A-Za-z]:)?[\w./\\@+-]+(?::\d+){1,2}:?\s+|^\s*[\w./\\@+-]+\(\d+(?:,\d+)?\):\s+")


def core_phrase(line: str) -> str:
    """A key line without what a tool, logger or language puts before the error's own words (see _LEVEL_WORD)."""
    from errdiag.normalize import normalize_line

    line = normalize_line(line)
    for _ in range(4):
        before = line
        for rx in (_LEVEL_WORD, _POSITION, _CLIENT_CLASS):
            line = rx.sub("", line, count=1).strip()
        if line == before:
            break
    return line


def fragment(entry, text: str, kb) -> str | None:
    """The fragment framing: the core phrase of the example's key line, alone (None: no key line, or nothing of
    the error's own words is left)."""
    line = key_line(entry, text, kb)
    if line is None:
        return None
    core = core_phrase(line)
    return core + "\n" if len(core) >= 8 else None


# key-line framings: built from the line the example's answer points at (every entry)
KEYLINE = {"fragment": fragment}


def cross_applies(entry) -> bool:
    return getattr(entry, "message_of", None) == "library" or entry.id.split(".")[0] in LIBRARY_TOOLS


def _top(kb, text: str) -> str | None:
    from errdiag import diagnose
    from errdiag.errors import ErrdiagError

    try:
        best = diagnose(text, kb).best
    except ErrdiagError:
        return None
    return best.id if best else None


def _work(args):
    """Run the framings for a slice of entries (in a worker process): (entry id, framing, kept, got)."""
    ids, n_examples, framings, cross, keyline = args
    from errdiag import load_knowledge

    kb = load_knowledge()
    wanted = set(ids)
    out = []
    for entry in kb.entries:
        if entry.id not in wanted:
            continue
        for text in entry.examples_match[:n_examples]:
            if _top(kb, text) != entry.id:  # the unframed example must rank its entry first
                continue
            for name in framings:
                got = _top(kb, FRAMINGS[name](text))
                out.append((entry.id, name, got == entry.id, got))
            for name in keyline:
                framed = KEYLINE[name](entry, text, kb)
                if framed is None:
                    continue
                got = _top(kb, framed)
                out.append((entry.id, name, got == entry.id, got))
            if cross and cross_applies(entry):
                msg = library_message(entry, text, kb)
                if msg is None:
                    continue
                for name in cross:
                    got = _top(kb, CROSS[name](msg))
                    out.append((entry.id, name, got == entry.id, got))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=1, help="examples per entry (default 1: the first)")
    ap.add_argument("--framing", action="append", help="only these framings (repeatable)")
    ap.add_argument("--tool", action="append", help="only entries of these tools (the id's first part)")
    ap.add_argument("--lost", action="store_true", help="list every lost example (entry, framing, answer)")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    from errdiag import load_knowledge

    known = list(FRAMINGS) + list(KEYLINE) + list(CROSS)
    names = args.framing or known
    unknown = [n for n in names if n not in known]
    if unknown:
        ap.error(f"unknown framing(s): {', '.join(unknown)}; known: {', '.join(known)}")
    framings = [n for n in names if n in FRAMINGS]
    keyline = [n for n in names if n in KEYLINE]
    cross = [n for n in names if n in CROSS]
    kb = load_knowledge()
    ids = [e.id for e in kb.entries if not args.tool or e.id.split(".")[0] in args.tool]
    jobs = max(1, args.jobs)
    chunks = [(ids[i::jobs], args.examples, framings, cross, keyline) for i in range(jobs)]
    if jobs == 1:
        rows = _work(chunks[0])
    else:
        with ProcessPoolExecutor(jobs) as pool:
            rows = [r for part in pool.map(_work, chunks) for r in part]
    by_framing: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_tool: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for eid, name, kept, _got in rows:
        for key, table in ((name, by_framing), (eid.split(".")[0], by_tool)):
            table[key][0] += kept
            table[key][1] += 1
    for name in names:
        k, n = by_framing.get(name, (0, 0))
        print(f"reframe {name}: kept {k}/{n} = {k / n:.3f}" if n else f"reframe {name}: kept 0/0")
    k = sum(v[0] for v in by_framing.values())
    n = sum(v[1] for v in by_framing.values())
    print(f"reframe all: kept {k}/{n} = {k / n:.3f}" if n else "reframe all: kept 0/0")
    lossy = sorted((v[0] / v[1], t, v) for t, v in by_tool.items() if v[0] < v[1])
    if lossy:
        print("tools that lost any (kept/tried): " + ", ".join(f"{t} {v[0]}/{v[1]}" for _, t, v in lossy))
    if args.lost:
        for eid, name, kept, got in sorted(rows):
            if not kept:
                print(f"lost {name:15} {eid:50} -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
