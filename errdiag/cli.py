"""The errdiag command line: declare the options, call one command in errdiag/commands/.

Every command returns an ExitCode; `main` turns errors into one line on stderr (never a traceback).
Nothing below imports this module.
"""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

try:  # typer >= 0.2x vendors click as typer._click; older releases depend on click itself
    from typer._click import exceptions as click_errors  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef]

from .commands.common import MatchOptions, RenderOptions, default_format, quiet_broken_pipe
from .environment import Environment
from .errors import ErrdiagError
from .exitcodes import ExitCode
from .render import RENDERERS, format_help

_NO_ARGS = getattr(click_errors, "NoArgsIsHelpError", None) or getattr(click_errors, "NoArgsIsHelp", None) or ()

app = typer.Typer(
    name="errdiag", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Recognise an error in pasted text or a log and explain it: meaning, causes, fixes, steps.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
kb_app = typer.Typer(help="Author and check knowledge: validate, new, schema, docs.", no_args_is_help=True,
                     rich_markup_mode=None)
app.add_typer(kb_app, name="kb")


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        from . import __version__

        _env(ctx).stdout.write(f"errdiag {__version__}\n")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    """Recognise an error in pasted text or a log and explain it: meaning, causes, fixes, steps."""


Format = Enum("Format", {name: name for name in RENDERERS}, type=str)  # every registered renderer


EntryFormat = Enum("EntryFormat", {n: n for n in ("rich", "plain", "json", "markdown")}, type=str)  # explain, list


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


class FailOn(str, Enum):
    command = "command"
    any = "any"
    unknown = "unknown"
    never = "never"


def _env(ctx: typer.Context) -> Environment:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Environment) else Environment.from_process()


KbOpt = typer.Option(None, "--kb", help="Extra knowledge folder (repeatable); searched after the others.",
                     metavar="DIR")
FormatOpt = typer.Option(None, "--format", help=format_help(), case_sensitive=False)
OutputOpt = typer.Option(None, "--output", "-o", metavar="FILE",
                         help="Write the report in --format to FILE; the terminal still shows the human view.")
BaselineOpt = typer.Option(None, "--baseline", help="A log of a passing run of the same job (repeatable): "
                           "lines also there rank lower as key lines.", metavar="PASS_LOG")


SourceRootOpt = typer.Option(None, "--source-root", metavar="DIR",
                             help="Repository root for paths in sarif, github, codequality and junit reports "
                             "(default: the folder holding .git above the current one, else the current one).")
NoProjectOpt = typer.Option(False, "--no-project-kb", help="Ignore the project's .errdiag/knowledge "
                            "(also: ERRDIAG_NO_PROJECT_KB=1).")


def _no_project(env: Environment, off: bool) -> Environment:
    """The environment with the project knowledge search turned off when `off`."""
    if not off:
        return env
    from dataclasses import replace

    return replace(env, env={**env.env, "ERRDIAG_NO_PROJECT_KB": "1"})


def _output(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _format(env: Environment, fmt: Format | None) -> str:
    return fmt.value if fmt is not None else default_format(env)


def _render_options(env: Environment, fmt: str, top, explain, show_all, output, root, brief=False) -> RenderOptions:
    from .commands.common import source_root

    return RenderOptions(fmt, top, explain, show_all, _output(output), source_root(env, root), str(env.cwd), brief)


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for `explain ID`: the ids of every entry errdiag would load here."""
    from .commands.entries import entry_ids

    return [i for i in entry_ids(_env(ctx)) if i.startswith(incomplete)]


def _complete_tools(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for `list --tool`: the tools (id prefixes) of every entry."""
    from .commands.entries import entry_ids

    return sorted({i.split(".", 1)[0] for i in entry_ids(_env(ctx)) if i.startswith(incomplete)})


# options `match` and `run` share, declared once so their help reads the same
TopOpt = typer.Option(None, "--top", min=1, metavar="N", help="Show at most N diagnoses.")
MinConfidenceOpt = typer.Option(None, "--min-confidence", min=0.0, max=1.0, metavar="X",
                                help="Drop diagnoses below this confidence, 0..1 (default 0.3).")
ExplainOpt = typer.Option(False, "--explain", help="Show why each diagnosis matched.")
AllOpt = typer.Option(False, "--all", help="Show every diagnosis in full (all sections).")
BriefOpt = typer.Option(False, "--brief", help="Show the best diagnosis in brief: the line, the first fixes and "
                        "where to read more.")
NoRedactOpt = typer.Option(False, "--no-redact", help="Show secrets found in the input as they are.")
NoPagerOpt = typer.Option(False, "--no-pager", help="Print the full view directly, never through $PAGER.")


@app.command()
def match(
    ctx: typer.Context,
    text: List[str] | None = typer.Argument(None, metavar="[TEXT]...",
                                            help="The error text ('-' or nothing: standard input; text "
                                            "starting with '-' works too, or put -- before it)."),
    file: List[Path] | None = typer.Option(None, "--file", "-f", metavar="PATH",
                                           help="Read a log file (repeatable)."),
    fmt: Format | None = FormatOpt,
    output: Path | None = OutputOpt,
    top: int | None = TopOpt,
    min_confidence: float | None = MinConfidenceOpt,
    explain: bool = ExplainOpt,
    show_all: bool = AllOpt,
    brief: bool = BriefOpt,
    no_pager: bool = NoPagerOpt,
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
    no_redact: bool = NoRedactOpt,
    skip_invalid: bool = typer.Option(False, "--skip-invalid-kb", help="Skip knowledge files that fail to load "
                                      "(one warning each) instead of exiting with 3."),
    baseline: List[Path] | None = BaselineOpt,
    root: str | None = SourceRootOpt,
) -> None:
    """Diagnose error text from arguments, --file, or standard input.

    \b
    Examples:
      errdiag match "fatal: not a git repository"
      npm ci 2>&1 | errdiag match
      errdiag match -f build.log --format markdown
    """
    from .commands.match import run_match

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_match(env, text or [], file or [],
                               MatchOptions(min_confidence, tuple(kb or ()), not no_redact, skip_invalid,
                                            tuple(str(p) for p in baseline or ())),
                               _render_options(env, _format(env, fmt), top, explain, show_all, output, root, brief),
                               pager=not no_pager))


@app.command(context_settings={"allow_interspersed_args": False})
def run(
    ctx: typer.Context,
    cmd: List[str] = typer.Argument(..., help="The command to run, after --.", metavar="-- CMD [ARGS]..."),
    fmt: Format | None = FormatOpt,
    output: Path | None = OutputOpt,
    fail_on: FailOn = typer.Option(FailOn.command, "--fail-on", case_sensitive=False,
                                   help="Exit status policy: command (the command's own), any (also fail "
                                   "when a success printed a known error), unknown (fail only on failures "
                                   "errdiag does not recognise), never (always 0)."),
    top: int | None = TopOpt,
    min_confidence: float | None = MinConfidenceOpt,
    explain: bool = ExplainOpt,
    show_all: bool = AllOpt,
    brief: bool = BriefOpt,
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
    no_redact: bool = NoRedactOpt,
    baseline: List[Path] | None = BaselineOpt,
    root: str | None = SourceRootOpt,
) -> None:
    """Run a command, pass its output through live, and diagnose it if it fails.

    Exits with the command's status (see --fail-on). Under GitHub Actions the report is annotations and a
    step summary.

    \b
    Examples:
      errdiag run -- npm ci
      errdiag run --format sarif --output errdiag.sarif -- make test
    """
    from .commands.run import run_command

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_command(env, cmd, fail_on.value, MatchOptions(min_confidence, tuple(kb or ()), not no_redact,
                                                                       baseline=tuple(str(p) for p in baseline or ())),
                                 _render_options(env, _format(env, fmt), top, explain, show_all, output, root, brief),
                                 fmt_given=fmt is not None))


@app.command()
def explain(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="An entry id, e.g. python.module_not_found.",
                                   autocompletion=_complete_ids),
    fmt: EntryFormat | None = typer.Option(None, "--format", case_sensitive=False,
                                           help="Output: rich (terminal default), plain (piped default), json, "
                                           "markdown."),
    no_pager: bool = NoPagerOpt,
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
) -> None:
    """Print one knowledge entry in full (like rustc --explain).

    \b
    Examples:
      errdiag explain npm.eresolve
      errdiag explain npm.eresolve --format json
    """
    from .commands.entries import explain_entry

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(explain_entry(env, entry_id, fmt.value if fmt else default_format(env), kb or (),
                                   pager=not no_pager))


@app.command("list")
def list_entries(
    ctx: typer.Context,
    tool: str | None = typer.Option(None, "--tool", metavar="TOOL", autocompletion=_complete_tools,
                                    help="Only this tool (the id prefix, e.g. git)."),
    tag: str | None = typer.Option(None, "--tag", metavar="TAG", help="Only entries with this tag or category."),
    fmt: EntryFormat | None = typer.Option(None, "--format", case_sensitive=False,
                                           help="Output: rich (terminal default), plain (piped default), json, "
                                           "markdown."),
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
) -> None:
    """List the known errors.

    \b
    Examples:
      errdiag list --tool npm
      errdiag list --tag quota --format json
    """
    from .commands.entries import list_entries as run_list

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_list(env, fmt.value if fmt else default_format(env), tool, tag, kb or ()))


@app.command()
def completion(
    shell: Shell = typer.Argument(..., case_sensitive=False, help="bash, zsh, fish or powershell."),
) -> None:
    """Print the shell completion script (completes commands, options, entry ids and tools).

    \b
    Examples:
      eval "$(errdiag completion bash)"          # in ~/.bashrc
      errdiag completion zsh > "${fpath[1]}/_errdiag"
      errdiag completion fish > ~/.config/fish/completions/errdiag.fish
    """
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="errdiag", complete_var="_ERRDIAG_COMPLETE", shell=shell.value))
    raise typer.Exit(ExitCode.OK)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ReportFormat(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"
    html = "html"


class By(str, Enum):
    repo = "repo"
    job = "job"
    branch = "branch"


@app.command()
def scan(
    ctx: typer.Context,
    paths: List[str] | None = typer.Argument(None, help="Log files, folders (recursive), globs or fsspec URLs "
                                             "(s3://...); none: the logs the manifest lists.", metavar="PATH..."),
    out: str = typer.Option(..., "--out", "-o", help="The store: X.duckdb (DuckDB), X.parquet (a Parquet "
                            "folder) or X.jsonl; logs already in it are skipped.", metavar="STORE"),
    manifest: str | None = typer.Option(None, "--manifest", help="CSV or JSONL with a 'log' column and any of "
                                        "repo, job, run, commit, branch, started_at, outcome.", metavar="FILE"),
    engine: Engine = typer.Option(Engine.local, "--engine", case_sensitive=False,
                                  help="local: a process per core; dask: a Dask cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); "
                                         "none: a local cluster for this run.", metavar="URL"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Processes (default: one per core)."),
    pattern: str | None = typer.Option(None, "--glob", help="Only files matching this pattern inside folders, "
                                       "e.g. '*.log'.", metavar="PATTERN"),
    kb: List[str] | None = KbOpt,
) -> None:
    """Diagnose many logs into a store, for `errdiag report` (needs the fleet extra).

    \b
    Example:
      errdiag scan ci-logs/ --manifest runs.csv --out fleet.duckdb
    """
    from .commands.fleet import ScanOptions, run_scan

    raise typer.Exit(run_scan(_env(ctx), paths or [], ScanOptions(out, manifest, engine.value, scheduler, workers,
                                                                  pattern, tuple(kb or ()))))


@app.command()
def report(
    ctx: typer.Context,
    store: str = typer.Argument(..., help="A store written by errdiag scan.", metavar="STORE"),
    fmt: ReportFormat | None = typer.Option(None, "--format", case_sensitive=False,
                                            help="rich (terminal default), plain, json, markdown, html."),
    by: By | None = typer.Option(None, "--by", case_sensitive=False, help="Also break failures down by repo, "
                                 "job or branch."),
    since: str | None = typer.Option(None, "--since", help="Only runs since a date (2026-11-01) or a span "
                                     "(30d, 4w).", metavar="WHEN"),
    top: int = typer.Option(20, "--top", min=0, help="Failures and unknown clusters listed, at most."),
    out: str | None = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout.",
                                   metavar="FILE"),
) -> None:
    """Report what fails most across scanned logs, and the unknown failures grouped by template.

    \b
    Example:
      errdiag report fleet.duckdb --format html --out fleet.html
    """
    from .commands.fleet import ReportOptions, run_report

    raise typer.Exit(run_report(_env(ctx), store, ReportOptions(fmt.value if fmt else None, by.value if by else None,
                                                                since, top, out)))


@kb_app.command("validate")
def kb_validate(
    ctx: typer.Context,
    paths: List[Path] | None = typer.Argument(None, metavar="[PATH]...", help="Knowledge folders or files to "
                                              "check (default: every search root)."),
    strict: bool = typer.Option(False, "--strict", help="Also require the bundled quality bar "
                                "(section counts, 2+ examples)."),
    fmt: Format | None = FormatOpt,
) -> None:
    """Check knowledge: schema, safe regexes, and every entry's own examples.

    Prints `file:line: message` per problem; exit 0 when clean, 3 otherwise.

    \b
    Example:
      errdiag kb validate ./my-pack
    """
    from .commands.kb import kb_validate as run_validate

    env = _env(ctx)
    raise typer.Exit(run_validate(env, list(paths or []), strict, _format(env, fmt)))


@kb_app.command("schema")
def kb_schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of a knowledge entry (for editors).

    \b
    Example:
      errdiag kb schema > entry.schema.json
    """
    from .commands.kb import kb_schema as run_schema

    raise typer.Exit(run_schema(_env(ctx)))


@kb_app.command("new")
def kb_new(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="The new entry's id, <tool>.<slug>."),
    directory: Path | None = typer.Option(None, "--dir", metavar="DIR",
                                          help="Knowledge folder to write into (default: the project's "
                                          ".errdiag/knowledge, where match looks)."),
    from_file: str | None = typer.Option(None, "--from", metavar="FILE",
                                            help="A pasted error to start from ('-' for stdin)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    from_report: str | None = typer.Option(None, "--from-report", metavar="STORE",
                                           help="Start from an unknown-failure cluster of errdiag report."),
    cluster: int | None = typer.Option(None, "--cluster", min=1, help="The cluster number (with --from-report)."),
    since: str | None = typer.Option(None, "--since", metavar="WHEN", help="As given to errdiag report."),
) -> None:
    """Write a skeleton entry with every field, at DIR/<tool>/<slug>.yaml.

    With --from, the error becomes the first example and its distinctive phrases become signatures;
    with --from-report STORE --cluster N, the lines of that unknown-failure cluster do.
    \b
    Examples:
      errdiag kb new myapp.db_locked --from error.txt
      printf '%s\\n' 'db is locked' | errdiag kb new myapp.db_locked --from -
    """
    from .commands.kb import kb_new as run_new

    raise typer.Exit(run_new(_env(ctx), entry_id, directory, from_file, force, from_report, cluster, since))


@kb_app.command("docs")
def kb_docs(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", help="Folder for the generated pages."),
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
) -> None:
    """Render every entry as a Markdown page (same sections as `explain`), plus an index by tool.

    \b
    Example:
      errdiag kb docs --out docs/knowledge
    """
    from .commands.kb import kb_docs as run_docs

    raise typer.Exit(run_docs(_no_project(_env(ctx), no_project_kb), out, kb or ()))


class _CtrlC:
    """Notes that Ctrl-C (SIGINT) arrived while a command ran; KeyboardInterrupt is raised as usual."""

    def __init__(self):
        self.seen = False
        self._old = None

    def _handler(self, signum, frame):
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self):
        import signal

        try:
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when SIGINT is ignored
                self._old = signal.signal(signal.SIGINT, self._handler)
        except ValueError:  # not the main thread
            pass
        return self

    def __exit__(self, *exc) -> None:
        import signal

        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


_OPTION_LIKE = re.compile(r"^--?[A-Za-z][\w-]*(=.*)?$")


def pasted_text_args(args: list[str]) -> list[str]:
    """`errdiag match -bash: npm: command not found` pastes text that starts with '-': the words of `match` that
    cannot be options (one holds ':' or a space ...) and every word after them that is not an option move
    behind a `--`, so they are read as TEXT and the options still count. A word that looks like an option
    (`--formt`) is left for the usual 'No such option' error."""
    if not args or args[0] != "match" or "--" in args:
        return args
    takes_value = {"--file", "-f", "--format", "--output", "-o", "--top", "--min-confidence", "--kb",
                   "--baseline", "--source-root"}
    opts: list[str] = []
    text: list[str] = []
    pasted = False
    i = 1
    while i < len(args):
        a = args[i]
        if a in takes_value:
            opts += args[i:i + 2]
            i += 2
            continue
        if a.startswith("-") and a != "-" and not _OPTION_LIKE.match(a):
            pasted = True
            text.append(a)
        elif a.startswith("-") and a != "-":
            opts.append(a)
        else:
            text.append(a)
        i += 1
    return ["match", *opts, "--", *text] if pasted else args


def _app_for(args: list[str], env: Environment) -> typer.Typer:
    """The app, holding only the command `args` names when it names one: typer builds a click command for
    every registered command on each start (~10 ms for all of them); a paste needs `match` alone. Help,
    completion and anything else see the whole app."""
    if not args or "_ERRDIAG_COMPLETE" in env.env:
        return app
    name = args[0]
    chosen = [c for c in app.registered_commands
              if (c.name or c.callback.__name__.replace("_", "-")) == name]  # type: ignore[union-attr]
    if len(chosen) != 1:
        return app
    import copy

    one = copy.copy(app)
    one.registered_commands = chosen
    one.registered_groups = []
    return one


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the CLI; return the exit code (never raises, never prints a traceback)."""
    env = env or Environment.from_process()
    args = pasted_text_args(sys.argv[1:] if argv is None else list(argv))
    if "_ERRDIAG_COMPLETE" in env.env:  # the shell asks for completions: register typer's shells first
        from typer._completion_classes import completion_init

        completion_init()
    import contextlib

    ctrl_c = _CtrlC()
    try:
        # typer writes help and some messages to sys.stdout/sys.stderr: point them at the injected streams
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr), ctrl_c:
            rv = _app_for(args, env)(args=args, prog_name="errdiag", standalone_mode=False, obj=env)
        code = int(rv) if isinstance(rv, int) else ExitCode.OK
        if ctrl_c.seen and code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
            env.stderr.write("errdiag: interrupted\n")
    except _NO_ARGS as exc:
        env.stdout.write(exc.ctx.get_help() + "\n")
        code = ExitCode.USAGE
    except click_errors.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        env.stderr.write(f"errdiag: error: {exc.format_message()}{hint}\n")
        code = ExitCode.USAGE
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        env.stderr.write("errdiag: interrupted\n")
        code = ExitCode.INTERRUPTED
    except ErrdiagError as exc:
        env.stderr.write(f"errdiag: error: {exc}\n")
        code = exc.exit_code
    except BrokenPipeError:
        code = quiet_broken_pipe()
    except click_errors.ClickException as exc:
        env.stderr.write(f"errdiag: error: {exc.format_message()}\n")
        code = ExitCode.USAGE
    except RecursionError:
        env.stderr.write("errdiag: error: input nested too deeply\n")
        code = ExitCode.USAGE
    except MemoryError:
        env.stderr.write("errdiag: error: out of memory\n")
        code = ExitCode.USAGE
    try:
        env.stdout.flush()
    except BrokenPipeError:
        code = quiet_broken_pipe()
    except (OSError, ValueError):
        pass
    return int(code)


def entrypoint() -> None:
    """Console-script entry point."""
    try:
        code = main()
    except KeyboardInterrupt:  # pragma: no cover - a second Ctrl-C while exiting
        code = ExitCode.INTERRUPTED
    sys.exit(code)
