"""Score errdiag's top answer on bench/runtimes_pool_r17.yaml: real runtime-error texts of JS/Node, Java/Kotlin, Ruby,
Go, PHP and .NET drawn in round 17 for the runtimes readers (Node's system errors read into errno, call and address).

    python bench/runtimes_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case (labels in the pool's header) the grade of bench/pools.py's `judge` (RIGHT / OK / WRONG / MISS / OTHER); it
first checks that no case is a thread of an open wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys

from pools import score_judged

if __name__ == "__main__":
    sys.exit(score_judged("runtimes_pool_r17", "runtimes_pool"))
