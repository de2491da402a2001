"""Score errdiag's top answer on bench/anat_pool_r15.yaml: real texts of the shapes round 15's KB-wide anatomy rules
read (Jupyter/IPython tracebacks, logger lines above a traceback, a worker's traceback re-raised in the parent,
RSpec/Ruby load failures, Laravel/Monolog log entries, rustc's link failures, make over a tool error).

    python bench/anat_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case (labels in the pool's header) the grade of bench/pools.py's `judge` (RIGHT / OK / WRONG / MISS / OTHER); it
first checks that no case is a thread of an open wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys

from pools import score_judged

if __name__ == "__main__":
    sys.exit(score_judged("anat_pool_r15", "anat_pool"))
