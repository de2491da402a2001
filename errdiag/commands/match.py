"""`errdiag match`: gather the input, diagnose it, render, choose the exit code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..engine import MIN_CONFIDENCE, diagnose
from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from ..inputs import InputSource, file_source, stream_source, text_source
from ..models import Result
from ..render import RenderOptions, get_renderer
from ..sanitize import plain
from .common import MatchOptions, load_kb, paged, quiet_broken_pipe, terminal_format

PROGRESS_MIN_BYTES = 32 * 1024 * 1024  # below this a scan is too quick for a progress bar to help


def gather_sources(env: Environment, text: list[str], files: list[Path]) -> list[InputSource]:
    sources: list[InputSource] = []
    words = [t for t in text if t != "-"]
    if words:
        sources.append(text_source(" ".join(words)))
    for f in files:
        sources.append(file_source(str(f)))
    if "-" in text or not sources:
        if env.stdin_isatty and env.stderr_isatty:  # a person at a terminal: say how to paste
            env.stderr.write("errdiag: paste the error, then press Ctrl-D on a new line (Ctrl-Z, Enter on "
                             "Windows); or pass it as TEXT, --file PATH, or pipe it in\n")
        elif env.stdin_isatty:
            raise InputError("nothing to diagnose: pass the error as TEXT, use --file PATH, or pipe it in "
                             "(cmd 2>&1 | errdiag match)")
        sources.append(stream_source(env.stdin))
    return sources


def render(env: Environment, result: Result, opts: RenderOptions) -> None:
    """Show `result` in `opts.format`; a format with `step_summary` also appends the Markdown report to
    $GITHUB_STEP_SUMMARY (the command's job: a renderer only writes where it is told)."""
    for note in result.notes:
        env.stderr.write(f"errdiag: warning: {plain(note)}\n")
    summarised = False
    if opts.output is not None:
        summarised = write_report(env, result, opts)
        opts = replace(opts, format=terminal_format(env, opts), output=None)
    renderer = get_renderer(opts.format)
    renderer.result(env, result, opts)
    if renderer.step_summary and not summarised:
        append_step_summary(env, result, opts)


def write_report(env: Environment, result: Result, opts: RenderOptions) -> bool:
    """--output FILE: `opts.format` (plain for the terminal default, rich) into FILE, replacing it.
    True when the format also appended the step summary."""
    fmt = "plain" if opts.format == "rich" else opts.format
    path = env.cwd / opts.output
    try:
        with open(path, "w", encoding="utf-8") as fh:
            get_renderer(fmt).result(replace(env, stdout=fh, stdout_isatty=False), result, replace(opts, format=fmt))
    except OSError as exc:
        raise InputError(f"--output {opts.output}: cannot write ({exc.strerror or exc})") from None
    if get_renderer(fmt).step_summary:
        append_step_summary(env, result, opts)
        return True
    return False


def append_step_summary(env: Environment, result: Result, opts: RenderOptions) -> None:
    path = env.env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from ..render.markdown import result_markdown

    try:
        with open(path, "a", encoding="utf-8", errors="replace") as fh:
            fh.write(result_markdown(result, show_all=False, top=opts.top) + "\n")
    except OSError as exc:
        env.stderr.write(f"errdiag: warning: cannot append to GITHUB_STEP_SUMMARY ({exc.strerror})\n")


def run_match(env: Environment, text: list[str], files: list[Path], match: MatchOptions,
              opts: RenderOptions, pager: bool = False) -> int:
    sources = gather_sources(env, text, files)
    passing = [file_source(p) for p in match.baseline]
    kb = load_kb(env, match.kb_dirs, skip_invalid=match.skip_invalid)
    with _progress(env, sources) as on_bytes:
        result = diagnose(kb=kb, sources=sources, redact=match.redact, on_bytes=on_bytes, baseline=passing,
                          min_confidence=MIN_CONFIDENCE if match.min_confidence is None else match.min_confidence)
    code = ExitCode.OK if result.diagnoses else ExitCode.NO_MATCH
    if not result.diagnoses:
        opts = replace(opts, new_entry=_new_entry(text, files, result))
    try:
        with paged(env, pager and opts.show_all and opts.output is None and opts.format in ("rich", "plain")) as out:
            render(out, result, opts)
    except BrokenPipeError:  # `| head`: the reader has seen enough; the status still says what was found
        quiet_broken_pipe()
    return code


def _new_entry(text: list[str], files: list[Path], result: Result) -> str | None:
    """The `errdiag kb new` command to offer for input nothing matched: its id from the line where the input
    failed (or the pasted text), started from the file or from that line."""
    from ..authoring import new_entry_command

    words = [t for t in text if t != "-"]
    line = result.key_lines[0].text if result.key_lines else " ".join(words).strip().splitlines()[0:1]
    if isinstance(line, list):
        line = line[0] if line else ""
    if not line.strip():
        return None
    source = result.key_lines[0].source if result.key_lines else None
    file = source if source and not source.startswith("<") else (str(files[0]) if len(files) == 1 else None)
    return new_entry_command(line, file)


class _progress:
    """A progress bar on stderr once a scan passes PROGRESS_MIN_BYTES, on a terminal only; never when piped."""

    def __init__(self, env: Environment, sources: list[InputSource]):
        self.env = env
        self.enabled = env.stderr_isatty and not env.env.get("CI")
        sizes = [s.size for s in sources]
        self.total = sum(sizes) if all(x is not None for x in sizes) else None
        self.seen = 0
        self.bar = None
        self.task = None

    def _on_bytes(self, n: int) -> None:
        self.seen += n
        if self.bar is None:
            if self.seen < PROGRESS_MIN_BYTES:
                return
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

            self.bar = Progress(TextColumn("errdiag: scanning"), BarColumn(), DownloadColumn(),
                                TransferSpeedColumn(), console=Console(file=self.env.stderr), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("scan", total=self.total, completed=self.seen)
            return
        self.bar.update(self.task, completed=self.seen)

    def __enter__(self):
        return self._on_bytes if self.enabled else None

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
