"""Where scan results land: DuckDB (`.duckdb`, the default), a Parquet dataset (`.parquet`), or JSON lines.

Every store holds the same three relations, and the report reads them through DuckDB whatever the
format:

- `logs`: one row per log (hash, log, size, lines, run_at, metadata, failed, error, ...);
- `diagnoses`: one row per diagnosis of a log (hash, id, title, line, last_line, count, confidence, fatal);
- `key_lines`: one row per key line of a log (hash, rank, line, text, template, score, reason).

`hash` (sha256 of the log's bytes) joins them and makes rescans incremental: `known()` is the set of
hashes already stored. A log's row in `logs` is written last (DuckDB: in the same transaction), so an
interrupted scan never leaves a log counted without its diagnoses.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from .scan import LogRecord

LOGS = pa.schema([
    ("hash", pa.string()), ("log", pa.string()), ("size", pa.int64()), ("lines", pa.int64()),
    ("run_at", pa.timestamp("us")),  # when the run happened: started_at, else the file's mtime, else the scan
    ("scanned_at", pa.timestamp("us")), ("seconds", pa.float64()), ("error", pa.string()),
    ("failed", pa.bool_()),  # a fatal diagnosis explains a failure in it
    ("key_lines_from", pa.string()),
    ("repo", pa.string()), ("job", pa.string()), ("run", pa.string()), ("commit", pa.string()),
    ("branch", pa.string()), ("started_at", pa.string()), ("outcome", pa.string()), ("version", pa.int32()),
])
DIAGNOSES = pa.schema([
    ("hash", pa.string()), ("id", pa.string()), ("title", pa.string()), ("line", pa.int64()),
    ("last_line", pa.int64()), ("count", pa.int64()), ("confidence", pa.float64()), ("fatal", pa.bool_()),
])
KEY_LINES = pa.schema([
    ("hash", pa.string()), ("rank", pa.int32()), ("line", pa.int64()), ("text", pa.string()),
    ("template", pa.string()), ("score", pa.float64()), ("reason", pa.string()),
])
SCHEMAS = {"logs": LOGS, "diagnoses": DIAGNOSES, "key_lines": KEY_LINES}
SUFFIXES = (".duckdb", ".parquet", ".jsonl")


def parse_time(value: str | float | None) -> datetime | None:
    """ISO 8601 (a trailing Z allowed) or epoch seconds → naive UTC; None when absent or unparsable."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, (int, float)) or str(value).replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), tz=timezone.utc).replace(tzinfo=None)
        t = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t


def tables(records: Iterable[LogRecord]) -> dict[str, pa.Table]:
    """Records → one Arrow table per relation."""
    logs, diags, keys = [], [], []
    for r in records:
        m = r.meta
        at = parse_time(m.get("started_at")) or parse_time(r.mtime) or parse_time(r.scanned_at)
        logs.append({
            "hash": r.hash, "log": r.log, "size": r.size, "lines": r.lines, "run_at": at,
            "scanned_at": parse_time(r.scanned_at), "seconds": r.seconds, "error": r.error, "failed": r.failed,
            "key_lines_from": r.key_lines_from, **{k: _str(m.get(k)) for k in
                                                   ("repo", "job", "run", "commit", "branch", "started_at",
                                                    "outcome")},
            "version": r.version,
        })
        for d in r.diagnoses:
            diags.append({"hash": r.hash, "id": d.id, "title": d.title, "line": d.line, "last_line": d.last_line,
                          "count": d.count, "confidence": d.confidence, "fatal": d.fatal})
        for i, k in enumerate(r.key_lines):
            keys.append({"hash": r.hash, "rank": i + 1, "line": k.line, "text": k.text, "template": k.template,
                         "score": k.score, "reason": k.reason})
    return {"logs": pa.Table.from_pylist(logs, LOGS), "diagnoses": pa.Table.from_pylist(diags, DIAGNOSES),
            "key_lines": pa.Table.from_pylist(keys, KEY_LINES)}


def _str(v) -> str | None:
    return None if v is None or v == "" else str(v)


class Store:
    """The interface of every store: known hashes, append, and a DuckDB connection to read it."""

    path: str

    def known(self) -> set[str]:
        raise NotImplementedError

    def append(self, records: list[LogRecord]) -> None:
        raise NotImplementedError

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A connection in which `logs`, `diagnoses` and `key_lines` can be queried."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class DuckDBStore(Store):
    def __init__(self, path: str, create: bool):
        self.path = path
        if not create and not Path(path).is_file():
            raise InputError(f"{path}: no such store (run errdiag scan ... --out {path} first)")
        try:
            self.con = duckdb.connect(path, read_only=not create)
        except duckdb.Error as exc:
            raise InputError(f"{path}: cannot open the DuckDB store ({str(exc).splitlines()[0]})") from None
        if create:
            for name, schema in SCHEMAS.items():
                _arrow_sql(self.con, f"CREATE TABLE IF NOT EXISTS {name} AS SELECT * FROM _arrow",
                           schema.empty_table())

    def known(self) -> set[str]:
        return {h for (h,) in self.con.execute("SELECT hash FROM logs").fetchall()}

    def append(self, records: list[LogRecord]) -> None:
        t = tables(records)
        self.con.execute("BEGIN")
        try:
            for name in ("diagnoses", "key_lines", "logs"):
                _arrow_sql(self.con, f"INSERT INTO {name} SELECT * FROM _arrow", t[name])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def connect(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def close(self) -> None:
        self.con.close()


class ParquetStore(Store):
    """A folder of Parquet files, one per relation and append: `X.parquet/{logs,diagnoses,key_lines}/*.parquet`."""

    def __init__(self, path: str, create: bool):
        self.path = path
        self.root = Path(path)
        if not create and not (self.root / "logs").is_dir():
            raise InputError(f"{path}: no such store (run errdiag scan ... --out {path} first)")
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"{path}: a Parquet store is a folder, and this is a file")
        self.con: duckdb.DuckDBPyConnection | None = None

    def _files(self, name: str) -> list[str]:
        d = self.root / name
        return sorted(str(p) for p in d.glob("*.parquet")) if d.is_dir() else []

    def known(self) -> set[str]:
        files = self._files("logs")
        if not files:
            return set()
        return set(pq.read_table(files, columns=["hash"]).column("hash").to_pylist())

    def append(self, records: list[LogRecord]) -> None:
        t = tables(records)
        part = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.parquet"
        for name in ("diagnoses", "key_lines", "logs"):  # logs last: a log without its rows is never seen
            d = self.root / name
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".{part}.tmp"
            pq.write_table(t[name], tmp)
            os.replace(tmp, d / part)

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        for name, schema in SCHEMAS.items():
            files = self._files(name)
            if files:
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({files!r})")
            else:
                _arrow_sql(con, f"CREATE TABLE {name} AS SELECT * FROM _arrow", schema.empty_table())
        self.con = con
        return con

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


class JsonlStore(Store):
    """One JSON object per log and line (LogRecord.to_dict): easy to read anywhere; for small fleets."""

    def __init__(self, path: str, create: bool):
        self.path = path
        if not create and not Path(path).is_file():
            raise InputError(f"{path}: no such store (run errdiag scan ... --out {path} first)")
        self.con: duckdb.DuckDBPyConnection | None = None

    def records(self) -> Iterator[LogRecord]:
        if not Path(self.path).is_file():
            return
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    yield LogRecord.from_dict(json.loads(line))
                except (ValueError, TypeError, KeyError):
                    continue  # a line cut by an interrupted scan

    def known(self) -> set[str]:
        return {r.hash for r in self.records()}

    def append(self, records: list[LogRecord]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records))

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        for name, schema in SCHEMAS.items():
            _arrow_sql(con, f"CREATE TABLE {name} AS SELECT * FROM _arrow", schema.empty_table())
        batch: list[LogRecord] = []
        for r in self.records():
            batch.append(r)
            if len(batch) >= 2048:
                _insert(con, batch)
                batch = []
        _insert(con, batch)
        self.con = con
        return con

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def _insert(con: duckdb.DuckDBPyConnection, records: list[LogRecord]) -> None:
    if not records:
        return
    for name, table in tables(records).items():
        _arrow_sql(con, f"INSERT INTO {name} SELECT * FROM _arrow", table)


def _arrow_sql(con: duckdb.DuckDBPyConnection, sql: str, table: pa.Table) -> None:
    """Run `sql` with `table` readable as `_arrow` (no copy: DuckDB scans the Arrow buffers)."""
    con.register("_arrow", table)
    try:
        con.execute(sql)
    finally:
        con.unregister("_arrow")


def open_store(path: str, create: bool = False) -> Store:
    """The store for `path`, chosen by its suffix; `create` for a scan, read-only otherwise."""
    p = str(path).rstrip("/")
    if p.endswith(".duckdb"):
        return DuckDBStore(p, create)
    if p.endswith(".parquet"):
        return ParquetStore(p, create)
    if p.endswith(".jsonl"):
        return JsonlStore(p, create)
    raise InputError(f"{path}: a store ends in .duckdb (DuckDB), .parquet (a Parquet folder) or .jsonl")
