"""The CLI people expect: --version, completion, --brief and the default length, readable layout (prose width,
whole URLs and commands), a pager, colour variables, formats refused, help texts, kb new where errdiag looks,
text that starts with '-', and paste-then-Ctrl-D."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from errdiag import __version__

from .conftest import FIXTURE_KB

TEXT = b"deploy step 3\nwriter: demo device sda1 has no space left\nretrying\n"
LONG = "word " * 60


def long_pack(root: Path) -> Path:
    """A pack with long prose, a long URL and a long command."""
    pack = root / "pack" / "long"
    pack.mkdir(parents=True)
    (pack / "thing.yaml").write_text(
        "id: long.thing\ntitle: The long thing broke\ntool: Long\ncategory: runtime\nsummary: It broke.\n"
        f"meaning: \"{LONG}and `a code span that must stay whole` {LONG}\"\n"
        "signatures:\n  - literal: 'the long thing broke'\n"
        "quick_fixes:\n  - title: Run the long command\n"
        "    command: long-tool --with-a-very-long-option-name=value --and-another-one=value2 --third=3\n"
        "sources:\n  - url: https://example.org/a/very/long/path/that/does/not/fit/in/forty/columns/at/all\n"
        "    title: Long docs\n")
    return root / "pack"


def test_version(demo_cli):
    for flag in ("--version", "-V"):
        r = demo_cli([flag])
        assert r.code == 0 and r.stdout == f"errdiag {__version__}\n"


def test_completion_callbacks_give_ids_and_tools(tmp_path):
    from errdiag.cli import _complete_ids, _complete_tools

    from .conftest import make_env

    class Ctx:
        obj = make_env(tmp_path, env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)})

        def find_root(self):
            return self

    assert _complete_ids(Ctx(), "demo.d") == ["demo.disk_full"]
    assert _complete_ids(Ctx(), "") == ["demo.disk_full", "demo.generic_failure", "demo.platform_quota",
                                        "demo.vendor_quota"]
    assert _complete_tools(Ctx(), "de") == ["demo"] and _complete_tools(Ctx(), "x") == []


def _complete(words: str, cword: int) -> list[str]:
    env = dict(os.environ, _ERRDIAG_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword),
               ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB))
    p = subprocess.run([sys.executable, "-m", "errdiag"], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.split()


def test_shell_completion_protocol_end_to_end():
    assert _complete("errdiag explain demo.v", 2) == ["demo.vendor_quota"]
    assert _complete("errdiag list --tool de", 3) == ["demo"]
    assert "explain" in _complete("errdiag ex", 1)


def test_completion_command_prints_scripts(demo_cli):
    for shell in ("bash", "zsh", "fish", "powershell"):
        r = demo_cli(["completion", shell])
        assert r.code == 0 and "_ERRDIAG_COMPLETE" in r.stdout, shell
    assert demo_cli(["completion", "tcsh"]).code == 2


def test_brief_default_and_full_lengths(demo_cli):
    """--brief < default < --all: the default keeps what to do now; --all shows every section."""
    lengths = {}
    for mode in ("--brief", None, "--all"):
        r = demo_cli(["match", "demo device sda1 has no space left"] + ([mode] if mode else []))
        assert r.code == 0
        lengths[mode] = len(r.stdout.splitlines())
        if mode == "--brief":
            out = r.stdout
            assert "demo-clean --device sda1" in out and "errdiag explain demo.disk_full" in out
            assert "What it means" not in out and "1› demo device sda1 has no space left" in out
    assert lengths["--brief"] < lengths[None] < lengths["--all"]
    assert lengths["--brief"] <= 15


def test_default_view_points_to_the_rest(demo_cli):
    out = demo_cli(["match", "demo disk is full"]).stdout
    assert "Step by step" not in out and "checks, step by step" in out.lower()
    assert "$ errdiag explain demo.disk_full" in out


def test_prose_capped_urls_and_commands_whole(demo_cli, tmp_path):
    pack = str(long_pack(tmp_path))
    wide = demo_cli(["match", "the long thing broke", "--kb", pack, "--all"], env={"COLUMNS": "200"}).stdout
    prose = [ln for ln in wide.splitlines() if ln.strip().startswith("word")]
    assert prose and max(len(ln) for ln in prose) <= 100  # a comfortable width, not 200 columns
    assert "`a code span that must stay whole`" in wide
    narrow = demo_cli(["match", "the long thing broke", "--kb", pack, "--all"], env={"COLUMNS": "40"}).stdout
    lines = narrow.splitlines()
    url = "https://example.org/a/very/long/path/that/does/not/fit/in/forty/columns/at/all"
    assert any(ln.strip() == url for ln in lines)  # whole, on its own line, no "…"
    cmd = "long-tool --with-a-very-long-option-name=value --and-another-one=value2 --third=3"
    assert any(ln.strip() == f"$ {cmd}" for ln in lines)  # never wrapped into two lines
    assert "…" not in narrow
    assert any("`a code span that must stay whole`" in ln for ln in lines)


def test_pager_for_the_full_view_on_a_terminal(demo_cli, tmp_path):
    out = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())\""
    env = {"PAGER": pager, "LINES": "5"}
    r = demo_cli(["explain", "demo.disk_full"], tty=True, env=env)
    assert r.code == 0 and r.stdout == "" and "Demo: the disk is full" in out.read_text()
    out.unlink()
    r = demo_cli(["explain", "demo.disk_full", "--no-pager"], tty=True, env=env)
    assert "Demo: the disk is full" in r.stdout and not out.exists()
    r = demo_cli(["explain", "demo.disk_full"], env=env)  # not a terminal: never paged
    assert "Demo: the disk is full" in r.stdout and not out.exists()
    r = demo_cli(["match", "--all", "demo disk is full"], tty=True, env=env)
    assert r.stdout == "" and "What it means" in out.read_text()
    out.unlink()
    r = demo_cli(["explain", "demo.disk_full"], tty=True, env={"PAGER": "cat", "LINES": "5"})
    assert "Demo: the disk is full" in r.stdout  # PAGER=cat: print directly
    r = demo_cli(["explain", "demo.disk_full"], tty=True, env={"PAGER": pager, "LINES": "500"})
    assert "Demo: the disk is full" in r.stdout and not out.exists()  # it fits the screen
    r = demo_cli(["explain", "demo.disk_full"], tty=True, env={"PAGER": "no-such-pager-xyz", "LINES": "5"})
    assert r.code == 0 and "Demo: the disk is full" in r.stdout  # a pager that cannot start: print


@pytest.mark.parametrize(("env", "colour"), [
    ({}, False), ({"FORCE_COLOR": "1"}, True), ({"CLICOLOR_FORCE": "1"}, True), ({"CLICOLOR_FORCE": "0"}, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
])
def test_colour_variables_when_piped(demo_cli, env, colour):
    r = demo_cli(["match", "demo disk is full"], env={"NO_COLOR": None, **env})
    assert ("\x1b[" in r.stdout) is colour


def test_terminal_colour_unless_no_color(demo_cli):
    assert "\x1b[" in demo_cli(["match", "demo disk is full"], tty=True, env={"NO_COLOR": None}).stdout
    assert "\x1b[" not in demo_cli(["match", "demo disk is full"], tty=True, env={"NO_COLOR": "1"}).stdout


def test_list_and_explain_refuse_report_formats(demo_cli):
    for args in (["list"], ["explain", "demo.disk_full"]):
        for fmt in ("sarif", "github", "codequality", "junit"):
            r = demo_cli([*args, "--format", fmt])
            assert r.code == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, (args, fmt)
    md = demo_cli(["list", "--format", "markdown"]).stdout
    assert md.startswith("| id | tool | title |") and "| `demo.disk_full` |" in md


def _commands(app):
    import typer.main

    group = typer.main.get_command(app)
    stack = [("errdiag", group)]
    while stack:
        name, cmd = stack.pop()
        yield name, cmd
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            stack.append((f"{name} {sub_name}", sub))


def test_every_option_has_help_and_examples_keep_their_lines(demo_cli):
    from errdiag.cli import app

    for name, cmd in _commands(app):
        assert cmd.help, name
        for p in cmd.params:
            if p.name == "help":
                continue
            assert getattr(p, "help", None), f"{name}: {p.name} has no help"
            if p.param_type_name == "option" and not p.is_flag:
                assert p.metavar is None or p.metavar == p.metavar.upper(), f"{name}: {p.name} {p.metavar}"
    out = demo_cli(["match", "--help"]).stdout
    assert re.search(r"\n  Examples:\n    errdiag match \"fatal: not a git repository\"\n    npm ci 2>&1", out)
    run_help = demo_cli(["run", "--help"]).stdout
    assert "--min-confidence X" in run_help and "--no-redact" in run_help


def test_text_starting_with_a_dash_as_arguments(demo_cli):
    for args in (["-bash:", "npm:", "command", "not", "found"], ["-bash: npm: command not found", "--brief"],
                 ["--brief", "-bash: npm: command not found"]):
        r = demo_cli(["match", *args], env={"ERRDIAG_BUNDLED_DIR": None})
        assert r.code == 0 and "shell.command_not_found" in r.stdout, args
    r = demo_cli(["match", "--formt", "json"])
    assert r.code == 2 and "No such option: --formt" in r.stderr


def test_terminal_without_input_offers_paste_then_ctrl_d(demo_cli):
    from errdiag.cli import main

    from .conftest import make_env

    env = make_env(Path.cwd(), stdin=b"demo disk is full\n", env={"ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB)})
    env.stdin_isatty = env.stderr_isatty = True
    assert main(["match"], env) == 0
    assert "paste the error, then press Ctrl-D" in env.stderr.getvalue()
    assert "demo.disk_full" in env.stdout.getvalue()
    r = demo_cli(["match"])  # stdin a terminal but nobody there to read the hint (stderr not one): usage error
    assert r.code == 2 and "nothing to diagnose" in r.stderr


def test_no_known_error_offers_the_exact_kb_new_command_and_it_works(demo_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    r = demo_cli(["match", "quarkd: segment 12 rejected by the flux store"])
    assert r.code == 1
    line = next(ln.strip() for ln in r.stdout.splitlines() if "errdiag kb new" in ln)
    assert line == ("printf '%s\\n' 'quarkd: segment 12 rejected by the flux store' | "
                    "errdiag kb new quarkd.segment_rejected_flux_store --from -")
    env = dict(os.environ, ERRDIAG_BUNDLED_DIR=str(FIXTURE_KB), ERRDIAG_CACHE_DIR="off",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    p = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    written = tmp_path / ".errdiag" / "knowledge" / "quarkd" / "segment_rejected_flux_store.yaml"
    assert p.stdout.strip() == str(written)
    # the skeleton's example is the pasted line, and the next match (from a sub-folder) reads the project folder
    (tmp_path / "sub").mkdir()
    again = demo_cli(["match", "--format", "json", "quarkd: segment 99 rejected by the flux store"],
                     cwd=tmp_path / "sub")
    assert '"quarkd.segment_rejected_flux_store"' in again.stdout


def test_kb_new_writes_to_the_project_knowledge_by_default(demo_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    r = demo_cli(["kb", "new", "myapp.db_locked"], cwd=tmp_path / "a" / "b")
    assert r.code == 0 and r.stdout.strip() == str(tmp_path / ".errdiag" / "knowledge" / "myapp" / "db_locked.yaml")


def test_config_and_cache_folders_come_from_platformdirs(tmp_path):
    import platformdirs

    from .conftest import make_env

    env = make_env(tmp_path, env={"ERRDIAG_CONFIG_DIR": None, "ERRDIAG_CACHE_DIR": None})
    assert env.config_dir == Path(platformdirs.user_config_dir("errdiag", appauthor=False, roaming=True))
    assert env.cache_dir == Path(platformdirs.user_cache_dir("errdiag", appauthor=False))
    assert make_env(tmp_path, env={"ERRDIAG_CACHE_DIR": "off"}).cache_dir is None
    assert make_env(tmp_path).config_dir == tmp_path / "config"  # the override still wins


def test_a_paste_imports_nothing_it_does_not_need(tmp_path):
    """multiprocessing and pickle (the big-file scan), the pager, authoring, the fleet stack and the Hyperscan
    prefilter (big inputs only) stay out."""
    code = ("import sys, io; from errdiag.cli import main; from errdiag.environment import Environment as E;"
            "e = E.from_process(); e.stdout = io.StringIO(); "
            "rc = main(['match', 'fatal: not a git repository', '--format', 'json'], e); "
            "print(rc, sorted(m for m in ('multiprocessing', 'pickle', 'errdiag.pager', 'platformdirs',"
            " 'duckdb', 'dask', 'errdiag.authoring', 'hashlib', 'ahocorasick_rs', 'hyperscan',"
            " 'errdiag.matching.prefilter') if m in sys.modules))")
    env = dict(os.environ, ERRDIAG_CACHE_DIR=str(tmp_path / "cache"), ERRDIAG_CONFIG_DIR=str(tmp_path / "c"))
    for _ in ("cold: the cache is written", "warm: read from the cache"):
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert p.stdout.split("\n")[-2] == "0 []", p.stdout + p.stderr


def test_a_command_is_built_alone_and_help_sees_them_all(tmp_path):
    """typer builds a click command per registered command on each start: `match` is built alone."""
    from errdiag.cli import _app_for, app

    from .conftest import make_env

    env = make_env(tmp_path)
    one = _app_for(["match", "x"], env)
    assert [c.callback.__name__ for c in one.registered_commands] == ["match"] and not one.registered_groups
    assert _app_for(["list", "--tool", "git"], env).registered_commands[0].name == "list"
    for args in ([], ["--help"], ["kb", "validate"], ["matc", "x"], ["--version"]):
        assert _app_for(args, env) is app, args
    assert len(app.registered_commands) > 5  # the original is untouched
