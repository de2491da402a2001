"""`errdiag match`: gather the input, diagnose it, render, choose the exit code."""

from __future__ import annotations

from pathlib import Path

from ..diagnose import MIN_CONFIDENCE, diagnose
from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from ..inputs import InputSource, file_source, stream_source, text_source
from ..models import Result

PROGRESS_MIN_BYTES = 32 * 1024 * 1024  # below this a scan is too quick for a progress bar to help


def gather_sources(env: Environment, text: list[str], files: list[Path]) -> list[InputSource]:
    sources: list[InputSource] = []
    words = [t for t in text if t != "-"]
    if words:
        sources.append(text_source(" ".join(words), "<text>"))
    for f in files:
        sources.append(file_source(str(f)))
    if "-" in text or (not sources and not env.stdin_isatty):
        sources.append(stream_source(env.stdin, "<stdin>"))
    if not sources:
        raise InputError("nothing to diagnose: pass the error as TEXT, use --file PATH, or pipe it in "
                         "(cmd 2>&1 | errdiag match)")
    return sources


def render(env: Environment, result: Result, fmt: str, top: int | None, explain: bool, show_all: bool) -> None:
    from ..cli import _console

    if fmt == "json":
        from ..render.json_ import dumps, result_dict

        env.stdout.write(dumps(result_dict(result, top)) + "\n")
    elif fmt == "markdown":
        from ..render.markdown import result_markdown

        env.stdout.write(result_markdown(result, show_all, top))
    elif fmt == "github":
        from ..render.github import render_github

        render_github(env, result, top)
    elif fmt == "sarif":
        from ..render.sarif import sarif_json

        env.stdout.write(sarif_json(result, top) + "\n")
    else:
        from ..render.console import render_result

        render_result(result, _console(env, fmt), show_all=show_all, explain=explain, top=top)


def run_match(env: Environment, text: list[str], files: list[Path], fmt: str, top: int | None,
              min_confidence: float | None, explain: bool, show_all: bool, kb_dirs: list[str] | None,
              redact: bool, skip_invalid: bool = False) -> int:
    from ..cli import _load

    sources = gather_sources(env, text, files)
    kb = _load(env, kb_dirs, skip_invalid=skip_invalid)
    with _progress(env, sources) as on_bytes:
        result = diagnose(kb=kb, sources=sources, redact=redact, on_bytes=on_bytes,
                          min_confidence=MIN_CONFIDENCE if min_confidence is None else min_confidence)
    code = ExitCode.OK if result.diagnoses else ExitCode.NO_MATCH
    try:
        render(env, result, fmt, top, explain, show_all)
    except BrokenPipeError:  # `| head`: the reader has seen enough; the status still says what was found
        from ..cli import _broken_pipe

        _broken_pipe()
    return code


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
