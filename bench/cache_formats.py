#!/usr/bin/env python3
"""Load time of the knowledge cache in each candidate format, against the old pickle, in the same run.

The cache must hold data only (issue 14): pickle runs code while loading, so it is compared here with
formats whose loading only builds values. Each figure is load + rebuild of the objects errdiag uses
(entries, report, index; the automaton is rebuilt lazily in every case), median of --runs, for the
bundled knowledge base and for bundled + 10,000 synthetic entries.

    python bench/cache_formats.py [--runs 15]
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from speed import synthetic_kb  # noqa: E402

from errdiag import cache  # noqa: E402
from errdiag.kb import load_knowledge  # noqa: E402
from errdiag.loader import LoadReport  # noqa: E402
from errdiag.matching import Index  # noqa: E402


def _timed(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()  # as errdiag does while loading its cache
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        if enabled:
            gc.enable()
    return statistics.median(out)


def _to_json(data: bytes) -> str:
    """The marshal payload re-expressed as JSON (bytes as latin-1 text, tuple keys as lists)."""
    import marshal

    names, nested, rows, over, dis, state = marshal.loads(data[len(cache.MAGIC):])
    st = dict(state)
    st["keys"] = [k.decode("latin-1") for k in st["keys"]]
    st["prechecks"] = [[list(k), v] for k, v in st["prechecks"].items()]
    st["parent"] = list(st["parent"].items())
    return json.dumps([names, nested, rows, over, dis, st])


def _from_json(text: str):
    """Decode the JSON variant and rebuild the same objects (tuples where errdiag expects tuples)."""
    import marshal

    names, nested, rows, over, dis, st = json.loads(text)
    st["keys"] = [k.encode("latin-1") for k in st["keys"]]
    st["prechecks"] = {tuple(k): v for k, v in st["prechecks"]}
    st["parent"] = dict(st["parent"])
    st["values"] = [tuple(tuple(x) for x in v) for v in st["values"]]

    def tup(x):
        return tuple(tup(y) for y in x) if isinstance(x, list) else x

    rows = [tuple(tup(v) if isinstance(v, list) else v for v in r) for r in rows]
    # reuse the real decoder for the object rebuild so both formats pay the same for it
    payload = cache.MAGIC + marshal.dumps((tuple(names), tuple(tuple(x) for x in nested), tuple(rows),
                                           tuple(tuple(x) for x in over), tuple(dis), st))
    return payload


def measure(label: str, extra: list[str], runs: int) -> None:
    kb = load_knowledge(extra, cache_dir=None, entry_points=False)
    index = kb.index
    report = LoadReport(overridden=kb.report.overridden, disabled=kb.report.disabled)
    pick = pickle.dumps((kb.entries, report, index), protocol=pickle.HIGHEST_PROTOCOL)
    mar = cache.encode(kb.entries, kb.report.overridden, kb.report.disabled, index)
    js = _to_json(mar)
    jmar = _from_json(js)
    assert cache.decode(jmar, Index)[0] == kb.entries

    t_pickle = _timed(lambda: pickle.loads(pick), runs)  # noqa: S301  # our own bytes
    t_marshal = _timed(lambda: cache.decode(mar, Index), runs)
    t_json = _timed(lambda: cache.decode(_from_json(js), Index), runs)
    print(f"{label:<22} {len(kb.entries):>6} entries | pickle {t_pickle * 1000:7.1f} ms ({len(pick) / 1e6:.1f} MB)"
          f" | marshal {t_marshal * 1000:7.1f} ms ({len(mar) / 1e6:.1f} MB) ratio {t_marshal / t_pickle:.2f}x"
          f" | json {t_json * 1000:7.1f} ms ({len(js) / 1e6:.1f} MB) ratio {t_json / t_pickle:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    measure("bundled", [], args.runs)
    with tempfile.TemporaryDirectory(prefix="errdiag-cachefmt-") as tmp:
        synthetic_kb(Path(tmp) / "kb", 10_000)
        measure("bundled + 10,000", [str(Path(tmp) / "kb")], max(3, args.runs // 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
