"""Score errdiag's top answer on a judged pool: by default bench/rules_pool_r16.yaml (real texts of the two kinds round
16's reader rules are about — a build tool's summary line whose cause is not, or not only, in the paste: make, ninja,
Gradle, xcodebuild, MSBuild, Bazel, CMake, pip, CI wrappers; and an everyday exception raised inside a third-party
package's own code: site-packages, node_modules, a tool's own files), or another pool labelled the same way named first
(round 17's bench/cli_pool_r17.yaml: command lines their programs refused, HTTP API answers, services that failed to
start).

    python bench/rules_pool.py [POOL] [--cmd .venv/bin/errdiag] [-v] [--pool POOL]

`POOL` (or `--pool POOL`) scores another pool labelled the same way: bench/wrap_pool_r17.yaml (round 17's wrappers
and summary lines: a CI step's, a deploy action's, make's, npm's, a RUN step's, CMake's, Bazel's, Maven's report,
with or without its cause in the text) prints `wrap_pool: ...`.

Per case (labels in the pool's header) the grade of bench/pools.py's `judge` (RIGHT / OK / WRONG / MISS / OTHER; a case
with `names` is RIGHT only when the answer names each of them); it first checks that no case is a thread of an open
wild sample or a source a knowledge entry cites.
"""

from __future__ import annotations

import re
import sys

from pools import score_judged

if __name__ == "__main__":
    # another pool of the same labels: `python bench/rules_pool.py compiled_pool_r17 [-v]` (round 17's compiled shape)
    pool = sys.argv.pop(1) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "rules_pool_r16"
    sys.exit(score_judged(pool, re.sub(r"_r\d+$", "", pool)))
