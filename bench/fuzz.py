#!/usr/bin/env python3
"""Coverage-guided fuzzing of read → normalize → match → render with atheris, for a fixed time.

    pip install atheris
    python bench/fuzz.py -max_total_time=60            # libFuzzer flags pass through
    python bench/fuzz.py -max_total_time=60 -runs=...   # e.g. a CI smoke run

Any exception other than the documented InputError is a finding (libFuzzer prints the crashing input
and saves it as crash-*). The knowledge base is the bundled one, so signatures shape the corpus.
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from errdiag.engine import diagnose
    from errdiag.errors import InputError
    from errdiag.inputs import InputSource
    from errdiag.kb import load_knowledge
    from errdiag.redact import redact
    from errdiag.render.json_ import dumps, result_dict
    from errdiag.render.markdown import result_markdown

KB = load_knowledge()
KB.index.automaton  # noqa: B018  # build before fuzzing starts


def one_input(data: bytes) -> None:
    source = InputSource("<fuzz>", lambda: io.BytesIO(data), len(data))
    try:
        result = diagnose(kb=KB, sources=[source])
    except InputError:
        return
    dumps(result_dict(result))
    result_markdown(result)
    for d in result.diagnoses:
        assert 0.0 <= d.confidence <= 1.0
        assert d.line is None or d.line >= 1
    redact(data.decode("utf-8", errors="replace"))


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
