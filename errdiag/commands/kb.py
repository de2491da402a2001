"""`errdiag kb ...`: validate, schema, new, docs (authoring and checking knowledge)."""

from __future__ import annotations

import re
from pathlib import Path

from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from ..render import get_renderer
from .common import load_kb


def kb_validate(env: Environment, paths: list[Path], strict: bool, fmt: str) -> int:
    from ..validate import validate

    base = load_kb(env, [str(p) for p in paths], collect=True)
    only = None
    if paths:
        only = {str(f) for f, origin in base.report.files if origin == "cli"}
    problems = validate(base, strict=strict, only=only)
    checked = len(only) if only is not None else len(base.report.files)
    get_renderer(fmt).problems(env, problems, checked, len(base.entries))
    return ExitCode.KNOWLEDGE_INVALID if problems else ExitCode.OK


def kb_schema(env: Environment) -> int:
    import json

    from ..schema import json_schema

    env.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return ExitCode.OK


def project_knowledge(env: Environment) -> Path:
    """Where `kb new` writes by default: the project's knowledge folder that `match` reads (found upward from
    the current folder), else `.errdiag/knowledge` at the repository root, else in the current folder."""
    from ..trust import PROJECT_DIR, find_project_pack
    from .common import source_root

    found, _ = find_project_pack(env.cwd, env.env.get("HOME"))
    return found if found is not None else Path(source_root(env, None)).joinpath(*PROJECT_DIR)


def kb_new(env: Environment, entry_id: str, directory: Path | None, from_file: str | None, force: bool,
           from_report: str | None = None, cluster: int | None = None, since: str | None = None) -> int:
    from ..authoring import skeleton
    from ..schema import ID_RE

    if not re.match(ID_RE, entry_id):
        raise InputError(f"{entry_id!r} is not an id of the form <tool>.<slug> (lowercase, [a-z0-9_])")
    example = None
    if (from_report is None) != (cluster is None):
        raise InputError("--from-report and --cluster go together (see errdiag report STORE)")
    if from_report is not None and from_file is not None:
        raise InputError("use --from or --from-report, not both")
    text = None
    if from_report is not None and cluster is not None:
        from .fleet import cluster_skeleton

        text = cluster_skeleton(env, entry_id, from_report, cluster, since)
    if from_file is not None:
        from ..inputs import file_source, read_blocks, stream_source
        from ..redact import redact

        src = stream_source(env.stdin) if from_file == "-" else file_source(from_file)
        # the example is written to a file that gets committed and shared: never with a secret in it
        example = redact("".join(read_blocks(src)))[:20000]
        if not example.strip():
            raise InputError("nothing to start from: the --from input is empty")
    tool, slug = entry_id.split(".", 1)
    if directory is None:
        directory = project_knowledge(env)
    target = (directory if directory.is_absolute() else env.cwd / directory) / tool / f"{slug}.yaml"
    if target.exists() and not force:
        raise InputError(f"{target} exists (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text or skeleton(entry_id, example), encoding="utf-8")
    env.stdout.write(f"{target}\n")
    env.stderr.write("errdiag: fill in the sections, then run: errdiag kb validate " f"{target.parent.parent}\n")
    return ExitCode.OK


def kb_docs(env: Environment, out: Path, kb_dirs=()) -> int:
    from ..authoring import write_docs

    base = load_kb(env, kb_dirs)
    target = out if out.is_absolute() else env.cwd / out
    written = write_docs(base.entries, target)
    env.stderr.write(f"errdiag: wrote {len(written)} pages to {target}\n")
    return ExitCode.OK
