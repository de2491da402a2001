"""Score errdiag's top answer on bench/stepback_pool_r14.yaml: does a broad answer step back when the text says more
(another tool's error line beside a traceback, a wrapper's cause line nearby, another tool's text that looks like a
known tool's), and does it keep answering where the broad entry is right?

    python bench/stepback_pool.py [--cmd .venv/bin/errdiag] [-v]

Per case (labels in the pool's header) the grade of bench/pools.py's `judge` (RIGHT / OK / WRONG / MISS / OTHER); it
first checks that no case is a thread of an open wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import sys

from pools import score_judged

if __name__ == "__main__":
    sys.exit(score_judged("stepback_pool_r14", "stepback_pool"))
