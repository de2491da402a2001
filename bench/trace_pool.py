"""Score errdiag's top answer on bench/trace_pool_r17.yaml: real Python tracebacks drawn in round 17 (whole, cut off,
notebook-shaped, flattened into one line) for the trace reading (errdiag.pycut and the Python families).

    python bench/trace_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case (labels in the pool's header) the grade of bench/pools.py's `judge` (RIGHT / OK / WRONG / MISS / OTHER); it
first checks that no case is a thread of an open wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys

from pools import score_judged

if __name__ == "__main__":
    sys.exit(score_judged("trace_pool_r17", "trace_pool"))
