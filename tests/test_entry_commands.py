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


def _parses(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, timeout=60)


def test_every_command_parses_as_shell():
    commands = _commands(load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False))
    assert len(commands) > 500
    # one bash for all of them (each in its own function body); only on failure, one per command to name it
    script = "\n".join(f"f{i}() {{\n{cmd}\n}}" for i, (_, cmd) in enumerate(commands))
    if _parses(script).returncode == 0:
        return
    bad = [f"{entry_id}: {cmd}" for entry_id, cmd in commands if _parses(cmd + "\n").returncode]
    assert not bad, "commands that do not parse as shell:\n" + "\n".join(bad)


def test_a_broken_command_is_caught():
    assert _parses("f0() {\nconst { a } = await import('x');\n}").returncode != 0
