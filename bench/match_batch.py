#!/usr/bin/env python3
"""Run `errdiag match --format json` on many texts in ONE process: the CLI's own code path (standard input read
and decoded by the command, redaction, the JSON renderer), with the knowledge base loaded once instead of once
per text. Run it with the Python of the environment errdiag is installed in.

Input on stdin: JSON lines, each a string (the text fed to `match` on its standard input).
Output on stdout: JSON lines, each {"code": exit status, "stdout": what `match --format json` printed,
"stderr": its warnings}, in input order.

    .venv/bin/python bench/match_batch.py [--min-confidence X] < texts.jsonl

(--min-confidence: as `match --min-confidence`, to see the candidates below the cut too; bench/known_r16.py.)

bench/wild.py uses it when its --cmd is an errdiag script with a Python beside it (the same installation), so
that scoring 2,000 cases costs seconds, not one interpreter start-up and knowledge load per case; `--subprocess`
there runs the CLI once per case instead.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path


def main() -> int:
    from errdiag.cli import _render_options
    from errdiag.commands import match as match_cmd
    from errdiag.commands.common import MatchOptions
    from errdiag.environment import Environment
    from errdiag.errors import ErrdiagError

    loaded: dict = {}
    real_load_kb = match_cmd.load_kb

    def load_kb_once(env, kb_dirs, collect=False, skip_invalid=False):
        key = (tuple(kb_dirs), collect, skip_invalid)
        if key not in loaded:
            loaded[key] = real_load_kb(env, kb_dirs, collect=collect, skip_invalid=skip_invalid)
        return loaded[key]

    match_cmd.load_kb = load_kb_once
    floor = float(sys.argv[sys.argv.index("--min-confidence") + 1]) if "--min-confidence" in sys.argv else None
    base = Environment.from_process()
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdin=io.BytesIO(text.encode("utf-8")), stdout=out, stderr=err, stdin_isatty=False,
                          stdout_isatty=False, stderr_isatty=False, env=dict(base.env), cwd=Path.cwd())
        try:
            code = int(match_cmd.run_match(env, [], [], MatchOptions(min_confidence=floor),
                                           _render_options(env, "json", None, False, False, None, None)))
        except ErrdiagError as exc:
            code = int(getattr(exc, "exit_code", 2))
            err.write(f"errdiag: error: {exc}\n")
        sys.stdout.write(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
