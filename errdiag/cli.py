"""The errdiag command line: declare the options, call one command in errdiag/commands/.

Every command returns an ExitCode; `main` turns errors into one line on stderr (never a traceback).
Nothing below imports this module.
"""

from __future__ import annotations

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
                             help="Repository root for paths in sarif, github and codequality reports "
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


def _render_options(env: Environment, fmt: str, top, explain, show_all, output, root) -> RenderOptions:
    from .commands.common import source_root

    return RenderOptions(fmt, top, explain, show_all, _output(output), source_root(env, root), str(env.cwd))


@app.command()
def match(
    ctx: typer.Context,
    text: List[str] | None = typer.Argument(None, help="The error text; '-' or nothing reads stdin."),
    file: List[Path] | None = typer.Option(None, "--file", "-f", help="Read a log file (repeatable).",
                                               metavar="PATH"),
    fmt: Format | None = FormatOpt,
    output: Path | None = OutputOpt,
    top: int | None = typer.Option(None, "--top", min=1, help="Show at most N diagnoses."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                                                   help="Drop diagnoses below this confidence (0..1)."),
    explain: bool = typer.Option(False, "--explain", help="Show why each diagnosis matched."),
    show_all: bool = typer.Option(False, "--all", help="Show every diagnosis in full."),
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
    no_redact: bool = typer.Option(False, "--no-redact", help="Show secrets found in the input as they are."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid-kb", help="Skip knowledge files that fail to load "
                                      "(one warning each) instead of exiting with 3."),
    baseline: List[Path] | None = BaselineOpt,
    root: str | None = SourceRootOpt,
) -> None:
    """Diagnose error text from arguments, --file, or standard input.

    Example: cmd 2>&1 | errdiag match
    """
    from .commands.match import run_match

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_match(env, text or [], file or [],
                               MatchOptions(min_confidence, tuple(kb or ()), not no_redact, skip_invalid,
                                            tuple(str(p) for p in baseline or ())),
                               _render_options(env, _format(env, fmt), top, explain, show_all, output, root)))


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
    top: int | None = typer.Option(None, "--top", min=1, help="Show at most N diagnoses."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0.0, max=1.0),
    explain: bool = typer.Option(False, "--explain", help="Show why each diagnosis matched."),
    show_all: bool = typer.Option(False, "--all", help="Show every diagnosis in full."),
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
    no_redact: bool = typer.Option(False, "--no-redact"),
    baseline: List[Path] | None = BaselineOpt,
    root: str | None = SourceRootOpt,
) -> None:
    """Run a command, pass its output through live, and diagnose it if it fails.

    Example: errdiag run -- npm ci
    """
    from .commands.run import run_command

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_command(env, cmd, fail_on.value, MatchOptions(min_confidence, tuple(kb or ()), not no_redact,
                                                                       baseline=tuple(str(p) for p in baseline or ())),
                                 _render_options(env, _format(env, fmt), top, explain, show_all, output, root),
                                 fmt_given=fmt is not None))


@app.command()
def explain(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="An entry id, e.g. python.module_not_found."),
    fmt: Format | None = FormatOpt,
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
) -> None:
    """Print one knowledge entry in full (like rustc --explain).

    Example: errdiag explain npm.eresolve
    """
    from .commands.entries import explain_entry

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(explain_entry(env, entry_id, _format(env, fmt), kb or ()))


@app.command("list")
def list_entries(
    ctx: typer.Context,
    tool: str | None = typer.Option(None, "--tool", help="Only this tool (the id prefix, e.g. git)."),
    tag: str | None = typer.Option(None, "--tag", help="Only entries with this tag or category."),
    fmt: Format | None = FormatOpt,
    kb: List[str] | None = KbOpt,
    no_project_kb: bool = NoProjectOpt,
) -> None:
    """List the known errors.

    Example: errdiag list --tool npm
    """
    from .commands.entries import list_entries as run_list

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_list(env, _format(env, fmt), tool, tag, kb or ()))


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

    Example: errdiag scan ci-logs/ --manifest runs.csv --out fleet.duckdb
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

    Example: errdiag report fleet.duckdb --format html --out fleet.html
    """
    from .commands.fleet import ReportOptions, run_report

    raise typer.Exit(run_report(_env(ctx), store, ReportOptions(fmt.value if fmt else None, by.value if by else None,
                                                                since, top, out)))


@kb_app.command("validate")
def kb_validate(
    ctx: typer.Context,
    paths: List[Path] | None = typer.Argument(None, help="Knowledge folders or files to check "
                                                  "(default: every search root)."),
    strict: bool = typer.Option(False, "--strict", help="Also require the bundled quality bar "
                                "(section counts, 2+ examples)."),
    fmt: Format | None = FormatOpt,
) -> None:
    """Check knowledge: schema, safe regexes, and every entry's own examples.

    Prints `file:line: message` per problem; exit 0 when clean, 3 otherwise.
    Example: errdiag kb validate ./my-pack
    """
    from .commands.kb import kb_validate as run_validate

    env = _env(ctx)
    raise typer.Exit(run_validate(env, list(paths or []), strict, _format(env, fmt)))


@kb_app.command("schema")
def kb_schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of a knowledge entry (for editors).

    Example: errdiag kb schema > entry.schema.json
    """
    from .commands.kb import kb_schema as run_schema

    raise typer.Exit(run_schema(_env(ctx)))


@kb_app.command("new")
def kb_new(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="The new entry's id, <tool>.<slug>."),
    directory: Path = typer.Option(Path("."), "--dir", help="Knowledge folder to write into."),
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
    Example: errdiag kb new myapp.db_locked --dir .errdiag/knowledge --from error.txt
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

    Example: errdiag kb docs --out docs/knowledge
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


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the CLI; return the exit code (never raises, never prints a traceback)."""
    env = env or Environment.from_process()
    args = sys.argv[1:] if argv is None else argv
    import contextlib

    ctrl_c = _CtrlC()
    try:
        # typer writes help and some messages to sys.stdout/sys.stderr: point them at the injected streams
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr), ctrl_c:
            rv = app(args=args, prog_name="errdiag", standalone_mode=False, obj=env)
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
