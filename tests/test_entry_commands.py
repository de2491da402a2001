"""Every bundled command a user may copy parses as shell once its captures are filled.

Each entry's quick-fix and check commands are filled with the captures its own first matching example yields
(`<placeholder>`s the user must replace become a plain word), then parsed with `bash -n`. Commands for
Windows, PowerShell or other non-POSIX shells are left out; code to put in a file belongs in a note, not here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from errdiag import diagnose
from errdiag.kb import load_knowledge
from errdiag.models import fill_placeholders

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")

_ANGLE = re.compile(r"<([A-Za-z][\w .:/-]*)>")
_NOT_POSIX = ("windows", "powershell", "cmd", "jupyter", "notebook", "claude")


def _commands(kb) -> list[tuple[str, str]]:
    out = []
    for e in kb.entries:
        captures: dict[str, str] = {}
        for text in e.examples_match:
            best = next((d for d in diagnose(text, kb).diagnoses if d.id == e.id), None)
            if best is not None and best.captures:
                captures = best.captures
                break
        for item in (*e.quick_fixes, *e.checks):
            platform = (getattr(item, "platform", None) or "").lower()
            if not item.command or any(w in platform for w in _NOT_POSIX):
                continue
            filled = _ANGLE.sub("PLACEHOLDER", fill_placeholders(item.command, captures))
            out.append((e.id, filled))
    return out


@pytest.fixture(scope="module")
def bundled():
    """The bundled knowledge base, loaded once for this file's tests."""
    return load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def _commands_where(kb, bad) -> list[str]:
    """`entry id: command` for every quick-fix or check command (as written, unfilled) that `bad` accepts."""
    return [f"{e.id}: {item.command}" for e in kb.entries for item in (*e.quick_fixes, *e.checks)
            if item.command and bad(item.command)]


def _parses(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, timeout=60)


def test_every_command_parses_as_shell(bundled):
    commands = _commands(bundled)
    assert len(commands) > 500
    # one bash for all of them (each in its own function body); only on failure, one per command to name it
    script = "\n".join(f"f{i}() {{\n{cmd}\n}}" for i, (_, cmd) in enumerate(commands))
    if _parses(script).returncode == 0:
        return
    bad = [f"{entry_id}: {cmd}" for entry_id, cmd in commands if _parses(cmd + "\n").returncode]
    assert not bad, "commands that do not parse as shell:\n" + "\n".join(bad)


def test_a_broken_command_is_caught():
    assert _parses("f0() {\nconst { a } = await import('x');\n}").returncode != 0


# the innermost frame of a traceback is where the error was raised, usually a module the program imported, not
# the program that was started: running it (python FILE, node FILE, php FILE) does not reproduce the failure.
# Reading or syntax-checking that file is fine (grep, php -l, node --check, python -m py_compile).
def _checks_only(words: list[str]) -> bool:
    """The interpreter only checks the file or loads it from code given on the command line (-c, -e)."""
    if words[0].startswith("python"):
        return words[1:2] == ["-c"] or words[1:3] == ["-m", "py_compile"]
    check_flags = {"node": {"--check", "-c", "-e", "-p"}, "php": {"-l"}, "ruby": {"-c", "-e"}}.get(words[0], set())
    return bool(check_flags & set(words))


def _runs_frame_file(command: str) -> bool:
    for part in re.split(r"&&|\|\||[;|]", command):
        words = part.split()
        if not words or "{{frame_file" not in part:
            continue
        if re.fullmatch(r"python[0-9.]*|node|php|ruby|deno|bun", words[0]) and not _checks_only(words):
            return True
    return False


def test_no_command_runs_the_failing_frame_file_as_the_program(bundled):
    bad = _commands_where(bundled, _runs_frame_file)
    assert not bad, "commands that start the innermost frame's file as if it were the program:\n" + "\n".join(bad)


def test_running_the_frame_file_is_caught():
    assert _runs_frame_file("python -m pdb -c continue {{frame_file|your_script.py}}")
    assert _runs_frame_file("node --inspect-brk {{frame_file|index.js}}")
    assert _runs_frame_file("cd app && python -X dev {{frame_file|x.py}}")
    assert not _runs_frame_file("node --check {{frame_file|index.js}}")
    assert not _runs_frame_file("php -l {{frame_file|script.php}}")
    assert not _runs_frame_file("grep -n 'const ' {{frame_file|index.js}}")
    assert not _runs_frame_file("python -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' {{frame_file|a.py}}")


# `python -c "from openai import OpenAI; OpenAI(max_retries=5)"` builds a client and exits: it changes nothing in the
# user's program. Code the user must put in their own program belongs in a note, not in a command to run.
_CONSTRUCTS_ONLY = re.compile(r"""python[0-9.]* -c (["'])(?:(?!\1).)*\b[A-Z]\w*\((?:(?!\1).)*\1""")
_DOES_SOMETHING = re.compile(r"print\(|assert |sys\.exit|\.create\(|\.list\(|\.retrieve\(|\.invoke\(|\.run\(|raise ")


def _only_builds_an_object(command: str) -> bool:
    m = _CONSTRUCTS_ONLY.search(command)
    return bool(m) and not _DOES_SOMETHING.search(m.group(0))


def test_no_command_only_builds_an_sdk_client(bundled):
    bad = _commands_where(bundled, _only_builds_an_object)
    assert not bad, "python -c commands that only construct an object (put the code in a note):\n" + "\n".join(bad)


def test_building_a_client_and_exiting_is_caught():
    assert _only_builds_an_object('python -c "from openai import OpenAI; OpenAI(max_retries=5)"')
    assert not _only_builds_an_object('python -c "import anthropic; print(anthropic.Anthropic().models.list())"')
    assert not _only_builds_an_object("python -c 'import torch; print(torch.cuda.is_available())'")


_RECURSIVE_ON_PARENT = re.compile(r"\b(?:chown|chmod|chgrp|rm)\s+(?:-\w*\s+)*-\w*[rR]\w*\b[^;&|]*\$\(dirname\b")


def test_no_command_recurses_over_the_parent_of_a_captured_path(bundled):
    # the parent of a captured file is often a shared directory (/var/log, /tmp, /run, a home): a recursive
    # chown/chmod/rm there changes far more than the file the error named
    bad = _commands_where(bundled, _RECURSIVE_ON_PARENT.search)
    assert not bad, "recursive commands over $(dirname <captured path>):\n" + "\n".join(bad)


def test_recursion_over_a_parent_is_caught():
    assert _RECURSIVE_ON_PARENT.search("sudo chown -R mysql:mysql \"$(dirname '{{path}}')\"")
    assert _RECURSIVE_ON_PARENT.search("chmod -R 755 $(dirname {{path}})")
    assert not _RECURSIVE_ON_PARENT.search("sudo mkdir -p \"$(dirname '{{path}}')\" && sudo chown mysql '{{path}}'")
    assert not _RECURSIVE_ON_PARENT.search("sudo chown -R mysql:mysql /var/lib/mysql")


# `echo 'Server=...;TrustServerCertificate=True'` or `python -c "print('model.load_weights(...)')"` only prints a
# snippet the user must put somewhere else: it changes and checks nothing. Such text belongs in a note.
_PRINTS_A_LITERAL = re.compile(
    r"""^\s*(?:echo\s+(?:'[^']*'|"[^"$`\\]*")|python[0-9.]*\s+-c\s+"print\('(?:[^'\\]|\\.)*'\)")\s*$""")


def test_no_command_only_prints_a_literal(bundled):
    bad = _commands_where(bundled, _PRINTS_A_LITERAL.match)
    assert not bad, "commands that only print a text to copy elsewhere (put it in a note):\n" + "\n".join(bad)


def test_printing_a_literal_is_caught():
    assert _PRINTS_A_LITERAL.match("echo 'Server=myhost;Encrypt=True;TrustServerCertificate=True'")
    assert _PRINTS_A_LITERAL.match("""python -c "print('model.load_weights(\\"w.h5\\", by_name=True)')\"""")
    assert not _PRINTS_A_LITERAL.match("echo '{{symbol}}' | c++filt")
    assert not _PRINTS_A_LITERAL.match("""python -c "import cv2; print(cv2.__version__)\"""")
    assert not _PRINTS_A_LITERAL.match("echo 'node_modules' >> .dockerignore")


# files shared by every other setting of their program: `echo '{"dns": [...]}' | sudo tee /etc/docker/daemon.json`
# replaced every other daemon option; such a file is merged into (jq), appended to (tee -a) or edited by hand
_SHARED_CONFIGS = (r"/etc/docker/daemon\.json|/etc/wsl\.conf|/etc/hosts|/etc/resolv\.conf|/etc/fstab|/etc/sysctl\.conf|"
                   r"/etc/environment|/etc/security/limits\.conf|~/\.bashrc|~/\.zshrc|~/\.profile|~/\.npmrc|~/\.gitconfig|"
                   r"~/\.ssh/config|\$HOME/\.bashrc|\$HOME/\.zshrc|\$HOME/\.profile")
_OVERWRITES_SHARED = re.compile(
    rf"""(?:\btee\s+(?!-a\b|--append\b)(?:-\w+\s+)*|(?<![>&2])>\s*)["']?(?:{_SHARED_CONFIGS})["']?(?:\s|$|;|&)""")


def test_no_command_overwrites_a_shared_config_file(bundled):
    bad = _commands_where(bundled, _OVERWRITES_SHARED.search)
    assert not bad, "commands that overwrite a whole shared configuration file:\n" + "\n".join(bad)


def test_overwriting_a_shared_config_is_caught():
    assert _OVERWRITES_SHARED.search("""echo '{"dns": ["1.1.1.1"]}' | sudo tee /etc/docker/daemon.json && x""")
    assert _OVERWRITES_SHARED.search("printf '[network]\\n' | sudo tee /etc/wsl.conf")
    assert _OVERWRITES_SHARED.search("echo 'export A=1' > ~/.bashrc")
    assert not _OVERWRITES_SHARED.search("echo 'eval \"$(pyenv init -)\"' >> ~/.bashrc")
    assert not _OVERWRITES_SHARED.search("printf 'x\\n' | sudo tee -a /etc/wsl.conf")
    merged = """sudo cat "$f" | jq . | sudo tee "$f.new" >/dev/null && sudo mv "$f.new" "$f\""""
    assert not _OVERWRITES_SHARED.search(merged)
    assert not _OVERWRITES_SHARED.search("echo 1 | sudo tee /etc/sysctl.d/99-inotify.conf")
