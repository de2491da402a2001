"""A Go panic with no frame of the user's code is a program's own crash (anatomy._go_program, go.program_panicked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import anatomy, diagnose
from errdiag.kb import load_knowledge

TOOL = """$ fetchtool get
panic: runtime error: invalid memory address or nil pointer dereference
[signal 0xc0000005 code=0x0 addr=0x30 pc=0x4b9309]

goroutine 1 [running]:
github.com/acme/fetchtool/commands.requireInput(0x99e160, 0x35)
        C:/Users/dev/go/src/github.com/acme/fetchtool/commands/commands.go:105 +0x49
github.com/acme/fetchtool/commands.getCommand(0xc08202e000)
        C:/Users/dev/go/src/github.com/acme/fetchtool/commands/get.go:41 +0x6a
"""

VENDORED = """panic: runtime error: index out of range [3] with length 3

goroutine 7 [running]:
github.com/other/radix.walk(0x0)
	/root/go/pkg/mod/github.com/other/radix@v1.0.0/radix.go:519 +0x28
github.com/acme/daemon/server.(*Router).Route(0xc0001)
	/root/go/pkg/mod/github.com/acme/daemon@v2.3.1/server/router.go:77 +0x11
"""

USER = """panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a8f2b]

goroutine 1 [running]:
main.(*Server).Start(0x0)
	/home/me/src/myserver/server.go:42 +0x1b
main.main()
	/home/me/src/myserver/main.go:12 +0x45
"""


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def _panic(text):
    return next(f for f in anatomy.read(text) if f.kind == "panic")


def test_a_tools_own_crash_names_the_program_and_the_site():
    f = _panic(TOOL)
    assert f.frames and f.facts["signal"] == "0xc0000005"  # Windows paths and exception codes are read
    assert (f.facts["go_program"], f.facts["go_module"]) == ("fetchtool", "github.com/acme/fetchtool")
    assert f.facts["go_crash_site"] == "commands.requireInput (commands.go:105)"


def test_the_program_is_the_outermost_module_and_the_site_the_innermost():
    f = _panic(VENDORED)
    assert f.facts["go_program"] == "daemon" and f.facts["go_crash_module"] == "github.com/other/radix"
    assert f.facts["go_crash_site"].startswith("radix.walk (radix.go:519)")


def test_a_panic_in_the_users_code_is_not_a_programs_crash():
    assert "go_program" not in _panic(USER).facts


def test_the_family_answers_a_tools_crash(kb):
    d = diagnose(TOOL, kb).best
    assert d.id == "go.program_panicked" and not d.generic
    assert "fetchtool" in d.entry.summary and "Upgrade fetchtool" in d.entry.quick_fixes[0].title


def test_the_family_stays_away_from_the_users_panic(kb):
    d = diagnose(USER, kb).best
    assert d.id == "go.nil_pointer_dereference"
