#!/usr/bin/env python3
"""Memory and temporary-file use of `errdiag run` on a huge output, against a small one in the same run.

The command prints --mb megabytes of log lines, then an error, and fails; errdiag's stdout and stderr go
to /dev/null. For each size it reports errdiag's peak RSS (from wait4), the peak size of its temporary
files (in a fresh TMPDIR, from /proc/PID/fd every 10 ms; Linux) and the wall time. Bounded means the
huge run's figures stay near the small run's, not proportional to the output.

    python bench/run_spool.py [--mb 300] [--root DIR]   # --root: the source tree to measure (default: this one)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
line = b"2024-01-01 12:00:00 INFO worker-7 processed request id=12345 in 3ms " + b"x" * 40 + b"\\n"
block = line * (1024 * 1024 // len(line))
out = sys.stdout.buffer
for _ in range({mb}):
    out.write(block)
out.write(b"OSError: [Errno 28] No space left on device\\n")
out.flush()
sys.exit(1)
"""


def _open_tmp_bytes(pid: int, tmp: str) -> int:
    """Bytes in the files under `tmp` that process `pid` holds open (unnamed O_TMPFILE files included)."""
    total = 0
    fd_dir = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return 0
    for fd in fds:
        try:
            if os.readlink(os.path.join(fd_dir, fd)).startswith(tmp):
                total += os.stat(os.path.join(fd_dir, fd)).st_size
        except OSError:
            pass
    return total


def measure(root: Path, mb: int) -> tuple[float, float, float, int]:
    """(peak RSS MiB, peak TMPDIR MiB, seconds, exit status) of one `errdiag run`."""
    with tempfile.TemporaryDirectory(prefix="errdiag-spool-") as tmp:
        env = dict(os.environ, TMPDIR=tmp, PYTHONPATH=str(root), NO_COLOR="1", ERRDIAG_CACHE_DIR="off")
        peak = [0]
        done = threading.Event()

        def sample(pid: int) -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _open_tmp_bytes(pid, tmp))
                done.wait(0.01)

        t0 = time.perf_counter()
        with open(os.devnull, "wb") as null:
            proc = subprocess.Popen([sys.executable, "-m", "errdiag", "run", "--format", "json", "--",
                                     sys.executable, "-c", CHILD.format(mb=mb)],
                                    stdin=subprocess.DEVNULL, stdout=null, stderr=null, env=env, cwd=tmp)
            t = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
            t.start()
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - t0
        done.set()
        t.join()
        return usage.ru_maxrss / 1024, peak[0] / (1024 * 1024), took, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=300, help="size of the huge output in MiB (default 300)")
    ap.add_argument("--small", type=int, default=2, help="size of the baseline output in MiB (default 2)")
    ap.add_argument("--root", type=Path, default=ROOT, help="source tree whose errdiag is measured")
    a = ap.parse_args()
    rows = {}
    for mb in (a.small, a.mb):
        rss, tmp, took, rc = measure(a.root, mb)
        rows[mb] = (rss, tmp)
        print(f"output={mb:5d} MiB  exit={rc}  peak_rss={rss:7.1f} MiB  peak_tmpdir={tmp:7.1f} MiB  "
              f"time={took:6.1f} s")
    (rs, _ts), (rh, th) = rows[a.small], rows[a.mb]
    print(f"ratio huge/small: rss={rh / rs:.2f}  tmpdir_huge={th:.1f} MiB for {a.mb} MiB of output "
          f"({th / a.mb:.3f} of the output)")


if __name__ == "__main__":
    main()
