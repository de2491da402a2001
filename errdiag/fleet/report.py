"""`errdiag report`: what fails most across a store of scanned logs, as one versioned value.

`build_report(store)` computes everything (in DuckDB, whatever the store's format) and returns plain data:

    {"version": 1, "logs": N, "failed_runs": F, "failures": [{"id", "title", "logs", "occurrences",
     "first_seen", "last_seen", "share", "trend"}], "unknown": [{"cluster", "template", "logs",
     "occurrences", "example": {"log", "line", "text"}, ...}], ...}

The renderers (render.py) only lay it out. Definitions:
- a *failure* is a fatal diagnosis; its `logs` is the number of logs it occurs in, `occurrences` the sum of
  its repeat counts, `share` = logs / failed runs;
- *failed runs* are the logs whose manifest outcome says they failed, when the store has outcomes; else
  the logs with a fatal diagnosis or a key line from the library;
- *unknown* failures are the key lines of failed runs that no entry explains, grouped by template
  (volatile tokens masked: scan.template), biggest first; clusters are numbered from 1 in that order,
  and `errdiag kb new ID --from-report STORE --cluster N` starts an entry from cluster N.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ..errors import InputError
from .scan import FAILED_OUTCOMES
from .store import Store, parse_time

REPORT_VERSION = 1
BY = ("repo", "job", "branch")
GROUP_TOP = 5  # failures listed per group with --by


def parse_since(value: str | None, now: datetime | None = None) -> datetime | None:
    """`2026-11-01` (any ISO date or time) or a span back from now: `30d`, `4w`, `12h`."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value.lower())
    if m:
        n, unit = int(m.group(1)), m.group(2)
        span = {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
        return (now or datetime.utcnow()) - span
    t = parse_time(value)
    if t is None:
        raise InputError(f"--since {value!r}: give a date (2026-11-01) or a span (30d, 4w, 12h)")
    return t


def _iso(t: Any) -> str | None:
    return t.isoformat() if isinstance(t, datetime) else (None if t is None else str(t))


def build_report(store: Store, *, by: str | None = None, since: str | None = None, top: int | None = 20,
                 unknown_top: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The report of `store` as plain data (the JSON of `errdiag report --format json`)."""
    if by is not None and by not in BY:
        raise InputError(f"--by {by!r}: one of {', '.join(BY)}")
    con = store.connect()
    start = parse_since(since, now)
    # a literal, not a parameter: DuckDB cannot prepare a view (and the value is a datetime we format)
    cond = "TRUE" if start is None else f"run_at >= TIMESTAMP '{start.isoformat(sep=' ')}'"
    has_outcome = con.execute(f"SELECT count(outcome) FROM logs WHERE {cond}").fetchone()[0] > 0
    outcomes = ", ".join(f"'{o}'" for o in FAILED_OUTCOMES)
    failed_sql = (f"lower(outcome) IN ({outcomes})" if has_outcome else
                  "(failed OR (key_lines_from = 'key_lines' AND hash IN (SELECT hash FROM key_lines)))")
    con.execute(f"""CREATE OR REPLACE TEMP VIEW f AS
                    SELECT *, {failed_sql} AS failed_run FROM logs WHERE {cond}""")
    logs, failed_runs, unreadable, first, last = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE failed_run), count(error), min(run_at), max(run_at) FROM f").fetchone()
    weeks = _weeks(first, last)
    failures = _failures(con, "TRUE", top, failed_runs, weeks)
    unknown = _unknown(con, unknown_top if unknown_top is not None else top, store.path, since)
    report: dict[str, Any] = {
        "version": REPORT_VERSION, "store": store.path, "logs": logs, "failed_runs": failed_runs,
        "unreadable": unreadable, "since": _iso(start), "first_seen": _iso(first), "last_seen": _iso(last),
        "weeks": [w.date().isoformat() for w in weeks], "failures": failures, "unknown": unknown, "by": by,
    }
    if by is not None:
        groups = []
        rows = con.execute(f"""SELECT {by}, count(*), count(*) FILTER (WHERE failed_run) FROM f
                               GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1 NULLS LAST""").fetchall()
        for value, n, nf in rows:
            where = f"l.{by} IS NULL" if value is None else f"l.{by} = $value"
            groups.append({by: value, "logs": n, "failed_runs": nf,
                           "failures": _failures(con, where, GROUP_TOP, nf, weeks, {"value": value})})
        report["groups"] = groups
    return report


def _weeks(first: datetime | None, last: datetime | None) -> list[datetime]:
    if first is None or last is None:
        return []
    monday = datetime(first.year, first.month, first.day) - timedelta(days=first.weekday())
    out = []
    while monday <= last and len(out) < 520:
        out.append(monday)
        monday += timedelta(weeks=1)
    return out


def _failures(con, where: str, top: int | None, failed_runs: int, weeks: list[datetime],
              params: dict | None = None) -> list[dict[str, Any]]:
    limit = "" if top is None else f"LIMIT {int(top)}"
    rows = con.execute(f"""
        SELECT d.id, min(d.title), count(DISTINCT d.hash) AS n, sum(d.count) AS occ, min(l.run_at), max(l.run_at)
        FROM diagnoses d JOIN f l USING (hash)
        WHERE d.fatal AND {where}
        GROUP BY d.id ORDER BY n DESC, occ DESC, d.id {limit}""", params or {}).fetchall()
    trends: dict[str, dict[datetime, int]] = {}
    if rows and weeks:
        ids = [r[0] for r in rows]
        for eid, week, n in con.execute(f"""
                SELECT d.id, date_trunc('week', l.run_at) AS w, count(DISTINCT d.hash)
                FROM diagnoses d JOIN f l USING (hash)
                WHERE d.fatal AND {where} AND d.id IN (SELECT unnest($ids)) GROUP BY 1, 2""",
                                      {**(params or {}), "ids": ids}).fetchall():
            trends.setdefault(eid, {})[week] = n
    return [{"id": eid, "title": title, "logs": n, "occurrences": int(occ or 0), "first_seen": _iso(a),
             "last_seen": _iso(b), "share": round(n / failed_runs, 4) if failed_runs else None,
             "trend": [trends.get(eid, {}).get(w, 0) for w in weeks]}
            for eid, title, n, occ, a, b in rows]


def _unknown_sql() -> str:
    return """
        WITH u AS (SELECT hash, log, run_at FROM f WHERE failed_run AND NOT failed AND error IS NULL)
        SELECT k.template, count(DISTINCT k.hash) AS n, count(*) AS occ, min(u.run_at), max(u.run_at),
               min_by(struct_pack(log := u.log, line := k.line, text := k.text), struct_pack(a := u.run_at,
                      b := u.log, c := k.line))
        FROM key_lines k JOIN u USING (hash)
        WHERE k.template <> ''
        GROUP BY k.template ORDER BY n DESC, occ DESC, k.template"""


def _unknown(con, top: int | None, store_path: str, since: str | None) -> list[dict[str, Any]]:
    limit = "" if top is None else f" LIMIT {int(top)}"
    out = []
    extra = f" --since {since}" if since else ""
    for i, (tpl, n, occ, a, b, ex) in enumerate(con.execute(_unknown_sql() + limit).fetchall(), 1):
        out.append({"cluster": i, "template": tpl, "logs": n, "occurrences": occ, "first_seen": _iso(a),
                    "last_seen": _iso(b), "example": {"log": ex["log"], "line": ex["line"], "text": ex["text"]},
                    "new_entry": f"errdiag kb new <tool>.<slug> --from-report {store_path} --cluster {i}{extra}"})
    return out


def cluster_examples(store: Store, cluster: int, since: str | None = None, limit: int = 3) -> tuple[dict, list[str]]:
    """Cluster number `cluster` (as `errdiag report` numbers them) and up to `limit` of its lines from
    different logs, for `errdiag kb new --from-report`."""
    report = build_report(store, since=since, top=0, unknown_top=cluster)
    if cluster < 1 or cluster > len(report["unknown"]):
        raise InputError(f"no cluster {cluster} in {store.path} (it has {len(report['unknown'])}; "
                         "see errdiag report)")
    c = report["unknown"][cluster - 1]
    rows = store.connect().execute("""
        WITH u AS (SELECT hash, log, run_at FROM f WHERE failed_run AND NOT failed AND error IS NULL)
        SELECT DISTINCT ON (k.text) k.text, u.run_at, u.log FROM key_lines k JOIN u USING (hash)
        WHERE k.template = $t ORDER BY k.text, u.run_at""", {"t": c["template"]}).fetchall()
    texts = [t for t, _, _ in sorted(rows, key=lambda r: (r[1], r[2]))][:limit]
    return c, texts
