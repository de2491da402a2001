"""The errdiag command line: translate arguments into one library call and a renderer.

Every command returns an ExitCode; `main` turns errors into one line on stderr (never a traceback).
"""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

try:  # typer >= 0.2x vendors click as typer._click; older releases depend on click itself
    from typer._click import exceptions as _cx  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    from click import exceptions as _cx  # type: ignore[no-redef]

from .environment import Environment
from .errors import ErrdiagError, InputError
from .exitcodes import ExitCode

_NO_ARGS = getattr(_cx, "NoArgsIsHelpError", None) or getattr(_cx, "NoArgsIsHelp", None) or ()

app = typer.Typer(
    name="errdiag", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Recognise an error in pasted text or a log and explain it: meaning, causes, fixes, steps.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
kb_app = typer.Typer(help="Author and check knowledge: validate, new, schema, docs.", no_args_is_help=True,
                     rich_markup_mode=None)
app.add_typer(kb_app, name="kb")


class Format(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"
    github = "github"
    sarif = "sarif"


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
FormatOpt = typer.Option(None, "--format", help="Output: rich (terminal default), plain (piped default), "
                         "json, markdown, github, sarif.", case_sensitive=False)


NoProjectOpt = typer.Option(False, "--no-project-kb", help="Ignore the project's .errdiag/knowledge "
                            "(also: ERRDIAG_NO_PROJECT_KB=1).")


def _no_project(env: Environment, off: bool) -> Environment:
    """The environment with the project knowledge search turned off when `off`."""
    if not off:
        return env
    from dataclasses import replace

    return replace(env, env={**env.env, "ERRDIAG_NO_PROJECT_KB": "1"})


def _load(env: Environment, kb_dirs: list[str] | None, collect: bool = False, skip_invalid: bool = False):
    """Load the knowledge base; with skip_invalid, bad files are skipped with one warning line each."""
    from .kb import load_knowledge
    from .provenance import announce

    kb = load_knowledge(kb_dirs or (), env=env.env, cwd=env.cwd, config_dir=env.config_dir,
                        cache_dir=None if (collect or skip_invalid) else env.cache_dir,
                        collect=collect or skip_invalid)
    if skip_invalid:
        for err in kb.report.errors:
            env.stderr.write(f"errdiag: warning: skipped {err}\n")
    for line in announce(kb):
        env.stderr.write(line + "\n")
    return kb


def _console(env: Environment, fmt: str, stream=None):
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich would exit(1): let the caller decide the status
            raise BrokenPipeError

    color = fmt == "rich" and not env.no_color
    return _Console(file=_TrimWriter(stream or env.stdout), force_terminal=color, no_color=not color,
                   color_system="auto" if color else None, highlight=False, emoji=False,
                   width=env.width or (None if env.stdout_isatty else 100), soft_wrap=False,
                   legacy_windows=False, safe_box=True)


class _TrimWriter:
    """A text stream wrapper that drops the trailing blanks Rich pads lines with."""

    _TRAIL = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$")

    def __init__(self, out):
        self.out = out
        self.buf = ""

    def write(self, text: str) -> int:
        self.buf += text
        if "\n" in self.buf:
            *lines, self.buf = self.buf.split("\n")
            self.out.write("".join(self._TRAIL.sub(r"\1", ln) + "\n" for ln in lines))
        return len(text)

    def flush(self) -> None:
        if self.buf:
            self.out.write(self._TRAIL.sub(r"\1", self.buf))
            self.buf = ""
        self.out.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.out.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.out, "encoding", "utf-8") or "utf-8"


def _format(env: Environment, fmt: Format | None) -> str:
    if fmt is not None:
        return fmt.value
    return "rich" if env.stdout_isatty and not env.no_color else "plain"


@app.command()
def match(
    ctx: typer.Context,
    text: List[str] | None = typer.Argument(None, help="The error text; '-' or nothing reads stdin."),
    file: List[Path] | None = typer.Option(None, "--file", "-f", help="Read a log file (repeatable).",
                                               metavar="PATH"),
    fmt: Format | None = FormatOpt,
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
) -> None:
    """Diagnose error text from arguments, --file, or standard input.

    Example: cmd 2>&1 | errdiag match
    """
    from .commands.match import run_match

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_match(env, text or [], file or [], _format(env, fmt), top, min_confidence, explain,
                               show_all, kb, not no_redact, skip_invalid))


@app.command(context_settings={"allow_interspersed_args": False})
def run(
    ctx: typer.Context,
    cmd: List[str] = typer.Argument(..., help="The command to run, after --.", metavar="-- CMD [ARGS]..."),
    fmt: Format | None = FormatOpt,
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
) -> None:
    """Run a command, pass its output through live, and diagnose it if it fails.

    Example: errdiag run -- npm ci
    """
    from .commands.run import run_command

    env = _no_project(_env(ctx), no_project_kb)
    raise typer.Exit(run_command(env, cmd, _format(env, fmt) if fmt else None, fail_on.value, top,
                                 min_confidence, explain, show_all, kb, not no_redact))


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
    env = _no_project(_env(ctx), no_project_kb)
    base = _load(env, kb)
    entry = base.get(entry_id)
    if entry is None:
        from difflib import get_close_matches

        near = get_close_matches(entry_id, [e.id for e in base.entries], n=1)
        raise InputError(f"no entry {entry_id!r}" + (f"; did you mean {near[0]!r}?" if near else
                                                      " (see errdiag list)"))
    f = _format(env, fmt)
    if f == "json":
        from .render.json_ import entry_json

        env.stdout.write(entry_json(entry) + "\n")
    elif f == "markdown":
        from .render.markdown import entry_markdown

        env.stdout.write(entry_markdown(entry))
    else:
        from .render.console import render_entry

        render_entry(entry, _console(env, f))
    raise typer.Exit(ExitCode.OK)


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
    env = _no_project(_env(ctx), no_project_kb)
    base = _load(env, kb)
    entries = [e for e in base.entries
               if (tool is None or e.tool_slug == tool.lower() or e.tool.lower() == tool.lower())
               and (tag is None or tag.lower() in (*(t.lower() for t in e.tags), e.category))]
    f = _format(env, fmt)
    if f == "json":
        from .render.json_ import dumps

        env.stdout.write(dumps({"version": 1, "entries": [
            {"id": e.id, "title": e.title, "tool": e.tool, "category": e.category, "tags": list(e.tags),
             "origin": e.origin, "path": e.path} for e in entries]}) + "\n")
    else:
        from rich.table import Table

        console = _console(env, f)
        t = Table(box=None, show_edge=False, pad_edge=False)
        for col in ("id", "tool", "title", "origin"):
            t.add_column(col, overflow="fold", ratio=2 if col == "title" else None)
        for e in entries:
            t.add_row(e.id, e.tool, e.title, e.origin)
        console.print(t)
        console.print(f"{len(entries)} entries")
    raise typer.Exit(ExitCode.OK if entries else ExitCode.NO_MATCH)


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
    from .commands.fleet import run_scan

    env = _env(ctx)
    raise typer.Exit(run_scan(env, paths or [], out, manifest, engine.value, scheduler, workers, kb, pattern))


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
    from .commands.fleet import run_report

    env = _env(ctx)
    f = fmt.value if fmt is not None else ("rich" if env.stdout_isatty and not env.no_color else "plain")
    raise typer.Exit(run_report(env, store, f, by.value if by else None, since, top, out))


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
    from .validate import validate

    env = _env(ctx)
    extra = [str(p) for p in paths or []]
    base = _load(env, extra, collect=True)
    only = None
    if paths:
        only = {str(f) for f, origin in base.report.files if origin == "cli"}
    problems = validate(base, strict=strict, only=only)
    if _format(env, fmt) == "json":
        from .render.json_ import dumps

        env.stdout.write(dumps({"version": 1, "entries": len(base.entries), "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "entry": p.entry} for p in problems]}) + "\n")
    else:
        for p in problems:
            env.stdout.write(f"{p}\n")
        checked = len(only) if only is not None else len(base.report.files)
        env.stderr.write(f"errdiag: {checked} files, {len(base.entries)} entries, {len(problems)} problems\n")
    raise typer.Exit(ExitCode.KNOWLEDGE_INVALID if problems else ExitCode.OK)


@kb_app.command("schema")
def kb_schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of a knowledge entry (for editors).

    Example: errdiag kb schema > entry.schema.json
    """
    import json

    from .schema import json_schema

    _env(ctx).stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    raise typer.Exit(ExitCode.OK)


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
    import re

    from .authoring import skeleton
    from .schema import ID_RE

    env = _env(ctx)
    if not re.match(ID_RE, entry_id):
        raise InputError(f"{entry_id!r} is not an id of the form <tool>.<slug> (lowercase, [a-z0-9_])")
    example = None
    if (from_report is None) != (cluster is None):
        raise InputError("--from-report and --cluster go together (see errdiag report STORE)")
    if from_report is not None and from_file is not None:
        raise InputError("use --from or --from-report, not both")
    text = None
    if from_report is not None and cluster is not None:
        from .commands.fleet import cluster_skeleton

        text = cluster_skeleton(env, entry_id, from_report, cluster, since)
    if from_file is not None:
        from .inputs import file_source, read_blocks, stream_source

        src = stream_source(env.stdin) if from_file == "-" else file_source(from_file)
        from .redact import redact

        # the example is written to a file that gets committed and shared: never with a secret in it
        example = redact("".join(read_blocks(src)))[:20000]
        if not example.strip():
            raise InputError("nothing to start from: the --from input is empty")
    tool, slug = entry_id.split(".", 1)
    target = (directory if directory.is_absolute() else env.cwd / directory) / tool / f"{slug}.yaml"
    if target.exists() and not force:
        raise InputError(f"{target} exists (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text or skeleton(entry_id, example), encoding="utf-8")
    env.stdout.write(f"{target}\n")
    env.stderr.write("errdiag: fill in the sections, then run: errdiag kb validate " f"{target.parent.parent}\n")
    raise typer.Exit(ExitCode.OK)


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
    from .authoring import write_docs

    env = _no_project(_env(ctx), no_project_kb)
    base = _load(env, kb)
    target = out if out.is_absolute() else env.cwd / out
    written = write_docs(base.entries, target)
    env.stderr.write(f"errdiag: wrote {len(written)} pages to {target}\n")
    raise typer.Exit(ExitCode.OK)


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the CLI; return the exit code (never raises, never prints a traceback)."""
    env = env or Environment.from_process()
    args = sys.argv[1:] if argv is None else argv
    import contextlib

    try:
        # typer writes help and some messages to sys.stdout/sys.stderr: point them at the injected streams
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            rv = app(args=args, prog_name="errdiag", standalone_mode=False, obj=env)
        code = int(rv) if isinstance(rv, int) else ExitCode.OK
    except _NO_ARGS as exc:
        env.stdout.write(exc.ctx.get_help() + "\n")
        code = ExitCode.USAGE
    except _cx.UsageError as exc:
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
        code = _broken_pipe()
    except _cx.ClickException as exc:
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
        code = _broken_pipe()
    except (OSError, ValueError):
        pass
    return int(code)


def _broken_pipe() -> int:
    """stdout was closed early (`| head`): stop quietly, as Unix tools do."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return ExitCode.OK


def entrypoint() -> None:
    """Console-script entry point."""
    try:
        code = main()
    except KeyboardInterrupt:  # pragma: no cover - a second Ctrl-C while exiting
        code = ExitCode.INTERRUPTED
    sys.exit(code)
