"""What a named program's exit status means (errdiag/data/exit_meanings.yaml, from each program's manual).

A wrapper's report names a program and the status it exited with, and nothing more: `rsync exited with code 14`,
`The process '/usr/bin/git' failed with exit code 128`, a Dockerfile RUN step `apt-get update && apt-get install ...`
that returned 100, Python's `Command '['gh', 'release', ...]' returned non-zero exit status 4`. For many programs the
status alone names the class of failure (apt-get's 100: a package could not be installed; wget's 8: the server
answered with an error; ssh's 255: the connection or login failed), or says that nothing failed (grep's 1, robocopy's
1-7, `terraform plan -detailed-exitcode`'s 2). `meaning` finds the program in the report and looks its status up;
`families.exit_meaning` puts it at the head of the wrapper's answer.

Only a program the report itself names counts: the word before `exited`/`failed with`/`returned` on the status line,
the program of a quoted command or argument list on it, or one of the commands of the step it names (`a && b | c`);
when several named programs know the status and disagree, nothing is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .regexes import LazyPattern

MEANINGS_FILE = Path(__file__).parent / "data" / "exit_meanings.yaml"
COMMON_CODES = frozenset({"1", "2"})  # statuses every program uses: read from a step's commands only when it ran one


@dataclass(frozen=True)
class Meaning:
    program: str  # the table's name of the program (`apt-get` for `apt`)
    code: str
    meaning: str
    fix: str
    command: str | None = None
    ok: bool = False  # the status reports no failure (grep found nothing, robocopy copied files)
    source: str | None = None


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, str], dict[str, dict[str, dict]], dict[str, str]]:
    """(a name a program is run by -> the table's program, program -> status -> row, program -> source)."""
    import yaml

    data = yaml.safe_load(MEANINGS_FILE.read_text(encoding="utf-8")) or {}
    names: dict[str, str] = {}
    for prog, row in data.items():
        for n in (prog, *row.get("names", ())):
            names[n.lower()] = prog
    codes = {prog: {str(k): v for k, v in row["codes"].items()} for prog, row in data.items()}
    return names, codes, {prog: row.get("source", "") for prog, row in data.items()}


# the status line names the program: `rsync exited with code 14`, `[Error: rsync exited with code 14]`,
# `The process '/usr/bin/git' failed with exit code 128`, `The command "ng build" exited with code 3`,
# `Command '['gh', 'auth']' returned non-zero exit status 4`, `Command 'git clone x' returned ...`
_QUOTED = LazyPattern(r"""(?:process|command|Command)\s+['"]\[?['"]?(?P<prog>[^'",\]\s]+)""")
_BEFORE_VERB = LazyPattern(r"(?:^|[\s\[(:`'\"])(?P<prog>[\w.+\\/-]+?)(?:\.exe)?['\"`]?\s+(?:exited|failed\s+with|"
                          r"returned\s+(?:a\s+)?(?:non-zero|error|exit)|terminated\s+with|exit(?:ed)?\s+with)", re.I)
_SEGMENTS = LazyPattern(r"&&|\|\||[;|]")
_SKIP_WORDS = frozenset({"sudo", "env", "exec", "time", "nice", "nohup", "command", "builtin", "xargs", "then",
                         "do", "if", "!", "(", "{"})
_ASSIGNMENT = LazyPattern(r"^[A-Za-z_]\w*=")
_SHELL_C = LazyPattern(r"^(?:/bin/|/usr/bin/)?(?:ba|da|z)?sh\s+-[a-z]*c\s+['\"]?", re.I)


def _base(word: str) -> str:
    word = word.strip("'\"`[](){}")
    word = re.split(r"[\\/]", word)[-1]
    return re.sub(r"\.exe$", "", word, flags=re.I).lower()


def _first_program(segment: str) -> str | None:
    for word in segment.split():
        w = word.strip("'\"`[]")
        if not w or w in _SKIP_WORDS or _ASSIGNMENT.match(w) or (w.startswith("-") and w != "-"):
            continue
        return _base(w)
    return None


def _on_line(line: str) -> list[str]:
    out = [_base(m["prog"]) for rx in (_QUOTED, _BEFORE_VERB) for m in rx.finditer(line or "")]
    return list(dict.fromkeys(p for p in out if p))


def _in_command(command: str | None) -> list[str]:
    if not command:
        return []
    cmd = _SHELL_C.sub("", command.strip())
    if cmd.startswith("[") and "'" in cmd:  # Python's argument list: ['gh', 'release', ...]
        first = re.match(r"\[\s*['\"]([^'\"]+)", cmd)
        return [_base(first[1])] if first else []
    return list(dict.fromkeys(p for p in (_first_program(s) for s in _SEGMENTS.split(cmd)) if p))


def programs_named(line: str, command: str | None = None) -> list[str]:
    """The programs a status report names, most direct first: the program on the status line (the word before its
    verb, or the program of a quoted command), then the first program of each command of the step it names."""
    return list(dict.fromkeys([*_on_line(line), *_in_command(command)]))


def meaning(line: str, code: str | None, command: str | None = None) -> Meaning | None:
    """What the status `code` of the program the report names means, when the table knows it. A program the status
    line itself names decides (`rsync exited with code 1` is rsync's 1 whatever else ran); else the commands of the
    step it names, when those the table knows for that status agree (`curl ... | tar -x` that exited 2: curl's 2 and
    tar's 2 differ, nothing is said)."""
    if not code or not code.isdigit():
        return None
    names, codes, sources = table()
    on_line = [names[p] for p in _on_line(line) if p in names]
    if on_line:
        prog = on_line[0]
        row = codes[prog].get(code)
        return _row(prog, code, row, sources) if row else None
    ran = _in_command(command)
    if code in COMMON_CODES and len(ran) > 1:
        return None  # any of the other commands may have exited 1 or 2
    found = {names[p] for p in ran if p in names and code in codes[names[p]]}
    if len(found) != 1:
        return None
    prog = found.pop()
    return _row(prog, code, codes[prog][code], sources)


def _row(prog: str, code: str, row: dict, sources: dict[str, str]) -> Meaning:
    return Meaning(prog, code, row["meaning"], row["fix"], row.get("command"), bool(row.get("ok")),
                   row.get("source") or sources[prog])
