"""`errdiag scan` and `errdiag report`: thin wrappers over errdiag.fleet (imported only when they run)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from .common import default_format


@dataclass(frozen=True)
class ScanOptions:
    """Where the records go and how the logs are scanned."""

    out: str  # the store: .duckdb, .parquet or .jsonl
    manifest: str | None = None
    engine: str = "local"  # local | dask
    scheduler: str | None = None  # a Dask scheduler address; None: a LocalCluster for the run
    workers: int | None = None  # processes; None: one per core
    pattern: str | None = None  # only files matching this inside folders
    kb_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportOptions:
    format: str | None = None  # rich, plain, json, markdown, html; None: rich on a terminal, else plain
    by: str | None = None  # repo | job | branch
    since: str | None = None
    top: int = 20
    out: str | None = None  # a file instead of stdout


def _need_fleet(command: str) -> None:
    """The fleet dependencies come as an extra: say how to get them instead of a traceback."""
    missing = []
    for mod in ("duckdb", "pyarrow"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        raise InputError(f"errdiag {command} needs {', '.join(missing)}: pip install 'errdiag[fleet]'")


def run_scan(env: Environment, paths: list[str], opts: ScanOptions) -> int:
    _need_fleet("scan")
    from ..fleet.runner import scan_fleet
    from ..fleet.store import open_store

    out = opts.out
    store = open_store(_here(env, out), create=True)
    try:
        with _Progress(env) as progress:
            stats = scan_fleet([_here(env, p) for p in paths], store,
                               manifest=_here(env, opts.manifest) if opts.manifest else None, engine=opts.engine,
                               scheduler=opts.scheduler, workers=opts.workers, kb=kb_spec(env, opts.kb_dirs),
                               pattern=opts.pattern, progress=progress)
    finally:
        store.close()
    rate = stats.bytes / 1e6 / stats.seconds if stats.seconds else 0.0
    env.stderr.write(f"errdiag: {stats.logs} logs: {stats.scanned} scanned ({stats.bytes / 1e6:.1f} MB, "
                     f"{rate:.1f} MB/s), {stats.skipped} already in {out}, {stats.errors} unreadable; "
                     f"{stats.seconds:.1f} s\n")
    return ExitCode.OK


def kb_spec(env: Environment, kb_dirs=()):
    """What each worker needs to load the knowledge base `errdiag match` would load here."""
    from ..fleet.engines import KbSpec

    return KbSpec(dirs=tuple(_here(env, d) for d in kb_dirs or ()),
                  cache_dir=str(env.cache_dir) if env.cache_dir else None, cwd=str(env.cwd),
                  config_dir=str(env.config_dir), env=tuple(sorted((k, v) for k, v in env.env.items()
                                                                  if k.startswith("ERRDIAG_"))))


def run_report(env: Environment, store_path: str, opts: ReportOptions) -> int:
    _need_fleet("report")
    from ..fleet import render
    from ..fleet.report import build_report
    from ..fleet.store import open_store

    fmt, out = opts.format or default_format(env), opts.out
    store = open_store(_here(env, store_path))
    try:
        report = build_report(store, by=opts.by, since=opts.since, top=opts.top)
    finally:
        store.close()
    if fmt in ("rich", "plain"):
        from ..render.console import make_console

        if out:
            with open(_here(env, out), "w", encoding="utf-8") as fh:
                render.render_console(report, make_console(env, "plain", fh))
        else:
            render.render_console(report, make_console(env, fmt))
        return ExitCode.OK
    text = {"json": render.to_json, "markdown": render.to_markdown, "html": render.to_html}[fmt](report)
    if out:
        Path(_here(env, out)).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        env.stderr.write(f"errdiag: wrote {out}\n")
    else:
        env.stdout.write(text if text.endswith("\n") else text + "\n")
    return ExitCode.OK


def cluster_skeleton(env: Environment, entry_id: str, store_path: str, cluster: int, since: str | None) -> str:
    """A new entry prefilled from an unknown-failure cluster: its lines as examples, signatures from them
    (the stable phrases kb new proposes, plus a regex of the cluster's template)."""
    _need_fleet("kb new --from-report")
    from ..authoring import propose_signatures, skeleton
    from ..fleet.report import cluster_examples
    from ..fleet.scan import template_regex
    from ..fleet.store import open_store

    store = open_store(_here(env, store_path))
    try:
        c, texts = cluster_examples(store, cluster, since)
    finally:
        store.close()
    sigs = propose_signatures(texts[0]) + [{"regex": template_regex(c["template"])}]
    return skeleton(entry_id, texts[0], signatures=sigs, more_examples=tuple(texts[1:]))


def _here(env: Environment, path: str) -> str:
    """A path relative to the injected working directory (URLs unchanged)."""
    if "://" in path or Path(path).is_absolute():
        return path
    return str(env.cwd / path)


class _Progress:
    """Logs and MB done, on stderr, on a terminal only (never in CI logs or when piped)."""

    def __init__(self, env: Environment):
        self.env = env
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.env.stderr_isatty or self.env.env.get("CI"):
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("errdiag: scanned {task.completed} logs, {task.fields[mb]} MB"),
                            TimeElapsedColumn(), console=Console(file=self.env.stderr), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("scan", total=None, mb="0.0")
        return self._update

    def _update(self, logs: int, nbytes: int) -> None:
        self.bar.update(self.task, completed=logs, mb=f"{nbytes / 1e6:.1f}")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
