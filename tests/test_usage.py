"""The usage-error reader (errdiag.usage): a command line its program refused, read from the parsers' own message
templates (argparse, optparse, click, clap, cobra, Go's flag package, getopt, compiler drivers), and the cli family
answers filled with the program, the option and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import diagnose
from errdiag.anatomy import read
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def usage(text: str) -> dict[str, str] | None:
    faults = [f for f in read(text) if f.kind == "usage"]
    assert len(faults) <= 1, faults
    return faults[0].facts if faults else None


def top(text: str):
    ds = diagnose(text, KB).diagnoses
    return ds[0] if ds else None


@pytest.mark.parametrize("text, reason, facts", [
    # argparse
    ("usage: backup.py [-h] [--dest DEST] source\nbackup.py: error: unrecognized arguments: --compress\n",
     "unknown-option", {"program": "backup.py", "option": "--compress", "help_cmd": "backup.py --help"}),
    ("usage: resize.py [-h] image\nresize.py: error: unrecognized arguments: b.jpg c.jpg\n",
     "unexpected-argument", {"program": "resize.py", "value": "b.jpg c.jpg"}),
    ("usage: convert.py [-h] input\nconvert.py: error: the following arguments are required: input, output\n",
     "missing-argument", {"program": "convert.py", "argument": "input, output"}),
    ("usage: fetch.py [-h] [--since SINCE]\nfetch.py: error: argument --since: expected one argument\n",
     "missing-value", {"option": "--since"}),
    ("usage: t.py [-h] [--device {cpu,cuda}]\nt.py: error: argument --device: invalid choice: 'gpu' (choose from "
     "'cpu', 'cuda')\n", "invalid-value", {"option": "--device", "value": "gpu", "choices": "'cpu', 'cuda'"}),
    ("usage: dctl [-h] {init,push} ...\ndctl: error: argument {init,push}: invalid choice: 'sync' (choose from "
     "'init', 'push')\n", "unknown-command", {"program": "dctl", "value": "sync"}),
    # click
    ("Usage: seed [OPTIONS] URL\nTry 'seed --help' for help.\n\nError: No such option: --forse Did you mean --force?\n",
     "unknown-option", {"program": "seed", "option": "--forse", "suggest": "--force"}),
    ("Usage: app run [OPTIONS]\nTry 'app run --help' for help.\n\nError: Got unexpected extra argument (x)\n",
     "unexpected-argument", {"program": "app run", "value": "x", "help_cmd": "app run --help"}),
    ("Usage: serve [OPTIONS] APP\nTry 'serve --help' for help.\n\nError: Invalid value for '--env-file': Path "
     "'.env' does not exist.\n", "invalid-value", {"option": "--env-file", "path": ".env"}),
    ("Usage: tool [OPTIONS] COMMAND [ARGS]...\nTry 'tool --help' for help.\n\nError: No such command 'run'.\n",
     "unknown-command", {"program": "tool", "value": "run"}),
    # clap
    ("error: unexpected argument '--relase' found\n\nUsage: cargo build [OPTIONS]\n\nFor more information, try "
     "'--help'.\n", "unknown-option", {"option": "--relase", "program": "cargo build"}),
    ("$ deno --allow-net mod.ts\nerror: Found argument '--allow-net' which wasn't expected, or isn't valid in this "
     "context\n\nUSAGE:\n    deno [OPTIONS] [SUBCOMMAND]\n\nFor more information try --help\n",
     "unknown-option", {"option": "--allow-net", "program": "deno", "cmdline": "deno --allow-net mod.ts"}),
    ("error: invalid value 'fast' for '--mode <MODE>'\n  [possible values: quick, full]\n\nFor more information, "
     "try '--help'.\n", "invalid-value", {"value": "fast", "option": "--mode <MODE>", "choices": "quick, full"}),
    # cobra and Go's flag package
    ("Error: unknown flag: --dry-runn\nUsage:\n  deployctl apply [flags]\n", "unknown-option",
     {"option": "--dry-runn"}),
    ('Error: unknown command "rollout" for "deployctl"\nRun \'deployctl --help\' for usage.\n', "unknown-command",
     {"program": "deployctl", "value": "rollout"}),
    ("Error: requires at least 1 arg(s), only received 0\n", "missing-argument", {"want": "1", "got": "0"}),
    ("flag provided but not defined: -u\nusage: go install [build flags] [packages]\nRun 'go help install' for "
     "details.\n", "unknown-option", {"option": "-u", "program": "go install", "help_cmd": "go help install"}),
    # getopt, BSD, compiler drivers
    ("ls: invalid option -- 'y'\nTry 'ls --help' for more information.\n", "unknown-option",
     {"program": "ls", "option": "-y"}),
    ("grep: option requires an argument -- 'e'\nTry 'grep --help' for more information.\n", "missing-value",
     {"program": "grep", "option": "-e"}),
    ("clang-8: error: unknown argument: '-fipa-pta'\n", "unknown-option",
     {"program": "clang-8", "option": "-fipa-pta"}),
    ("gcc: error: unrecognized command-line option '-mfoo'\n", "unknown-option",
     {"program": "gcc", "option": "-mfoo"}),
])
def test_reads_each_parsers_usage_error(text, reason, facts):
    got = usage(text)
    assert got is not None and got["reason"] == reason
    for k, v in facts.items():
        assert got.get(k) == v, (k, got)


@pytest.mark.parametrize("text", [
    "(error) ERR unknown command 'JSON.SET', with args beginning with: 'k'",  # a server's command, not a CLI's
    "ERROR at line 1: Unknown command '\\-'.",  # the mysql client's own command
    "Warning: unknown option 'foo' in section [server] of config.ini, ignored",
    "TypeError: f() takes 1 positional argument but 2 were given",
    "usage: backup.py [-h] [--dest DEST] source",  # a usage line alone (help output) is no error
    "  --ignore-unknown-options  Accept unknown options and pass them on",
    "The option --force was deprecated and has no effect.",
])
def test_not_a_usage_error(text):
    assert usage(text) is None


def test_a_weak_wording_needs_the_programs_usage_or_name():
    assert usage("unknown option --fast") is None
    assert usage("unknown option --fast\nusage: pack [-v] FILE\n")["program"] == "pack"
    assert usage("Too many arguments.") is None


@pytest.mark.parametrize("text, wanted, says", [
    ("usage: backup.py [-h] [--dest DEST] source\nbackup.py: error: unrecognized arguments: --compress\n",
     "cli.unknown_option", "--compress"),
    ("Usage: uvicorn [OPTIONS] APP\nTry 'uvicorn --help' for help.\n\nError: Invalid value for '--log-config': "
     "Path 'log.yml' does not exist.\n", "cli.path_does_not_exist", "log.yml"),
    ("error: invalid value 'True' for '--flash'\n  [possible values: true, false]\n\nFor more information, try "
     "'--help'.\n", "cli.invalid_value", "true, false"),
    ("PS C:\\> az vm list –o table\naz: error: unrecognized arguments: –o table\n", "cli.typographic_dash", "–o"),
    ("usage: ipykernel_launcher.py [-h] [--lr LR]\nipykernel_launcher.py: error: unrecognized arguments: -f "
     "/root/.local/share/jupyter/runtime/kernel-1.json\n", "cli.argparse_in_notebook", "parse_args([])"),
    ("ld: unknown option: --no-undefined\nclang: error: linker command failed with exit code 1 (use -v to see "
     "invocation)\n", "cli.compiler_flag_unknown", "--no-undefined"),
    ("Usage: tool [OPTIONS] COMMAND [ARGS]...\nTry 'tool --help' for help.\n\nError: No such command 'run'.\n",
     "cli.unknown_command", "`run`"),
])
def test_the_answer_names_program_option_and_value(text, wanted, says):
    d = top(text)
    assert d is not None and d.id == wanted, d and d.id
    assert not d.generic
    assert says in d.entry.title + " " + d.entry.summary


def test_without_the_option_the_answer_is_generic():
    d = top("Error: requires at least 1 arg(s), only received 0\n")
    assert d is not None and d.id == "cli.missing_argument" and d.generic
