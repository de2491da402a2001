"""Fleet end to end: a generated corpus of Loghub slices with planted errors → scan → store → report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from errdiag.cli import main

from .conftest import FIXTURE_KB, make_env
from .fleet_corpus import LOGHUB, build, dev_cases

pytest.importorskip("duckdb")
pytestmark = pytest.mark.skipif(not LOGHUB.is_dir(), reason="shared Loghub logs not present")

N_LOGS = 200


CACHE: list[Path] = []  # one knowledge-base cache for every test here (a cold load costs ~2 s)


@pytest.fixture(scope="module", autouse=True)
def kb_cache(tmp_path_factory):
    CACHE[:] = [tmp_path_factory.mktemp("kbcache")]
    yield CACHE[0]
    CACHE.clear()


def run(root: Path, args: list[str]):
    env = make_env(root, env={"ERRDIAG_CACHE_DIR": str(CACHE[0])})
    code = main(args, env)
    return code, env.stdout.getvalue(), env.stderr.getvalue()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, kb_cache):
    """The corpus, its truth, and a DuckDB store scanned from it with the local engine."""
    root = tmp_path_factory.mktemp("fleet")
    truth = build(root / "corpus", n_logs=N_LOGS)
    code, _, err = run(root, ["scan", str(root / "corpus" / "logs"), "--manifest",
                              str(root / "corpus" / "manifest.csv"), "--out", str(root / "fleet.duckdb")])
    assert code == 0, err
    return root, truth


def report(root: Path, store: str, *extra: str) -> dict:
    code, out, err = run(root, ["report", str(root / store), "--format", "json", "--top", "1000", *extra])
    assert code == 0, err
    r = json.loads(out)
    r.pop("store")
    for u in r["unknown"]:
        u.pop("new_entry")
    return r


def solo_counts(root: Path) -> dict[str, int]:
    """How many occurrences each planted case is on its own (a case may repeat its own message)."""
    from errdiag import diagnose, load_knowledge

    kb = load_knowledge(cache_dir=CACHE[0])
    return {i: next(d.count for d in diagnose(t, kb).diagnoses if d.id == i) for i, t in dev_cases().items()}


def test_report_counts_equal_the_planted_truth(fleet):
    root, truth = fleet
    r = report(root, "fleet.duckdb")
    assert r["version"] == 1 and r["logs"] == N_LOGS
    by_id = {f["id"]: f for f in r["failures"]}
    counts = solo_counts(root)
    for eid, planted in truth.known.items():
        assert planted, eid
        assert by_id[eid]["logs"] == len(planted), eid
        assert by_id[eid]["occurrences"] == len(planted) * counts[eid], eid
        assert set(by_id[eid]) >= {"id", "title", "logs", "occurrences", "first_seen", "last_seen"}
    manifest = (root / "corpus" / "manifest.csv").read_text().splitlines()
    assert r["failed_runs"] == sum(1 for row in manifest if row.endswith(",failure"))


def test_diagnoses_are_stored_on_the_planted_lines(fleet):
    import duckdb

    root, truth = fleet
    con = duckdb.connect(str(root / "fleet.duckdb"), read_only=True)
    got = {(log, i): line for log, i, line in con.execute(
        "SELECT l.log, d.id, d.line FROM diagnoses d JOIN logs l USING (hash)").fetchall()}
    con.close()
    base = root / "corpus"
    for eid, planted in truth.known.items():
        for log, first, last in planted:
            assert first <= got[(str(base / log), eid)] <= last, (log, eid)


def test_an_unknown_error_with_varying_numbers_is_one_cluster(fleet):
    root, truth = fleet
    r = report(root, "fleet.duckdb")
    where = {str(root / "corpus" / log): line for log, line in truth.unknown}
    ours = [u for u in r["unknown"] if "quarkd" in u["template"]]
    assert len(ours) == 1 and ours[0]["logs"] == ours[0]["occurrences"] == len(truth.unknown) == 20
    assert ours[0]["example"]["line"] == where[ours[0]["example"]["log"]]
    assert "<n>" in ours[0]["template"] and "quarkd.replicator" in ours[0]["template"]


def test_rescanning_adds_nothing(fleet):
    root, _ = fleet
    before = report(root, "fleet.duckdb")
    code, _, err = run(root, ["scan", str(root / "corpus" / "logs"), "--manifest",
                              str(root / "corpus" / "manifest.csv"), "--out", str(root / "fleet.duckdb")])
    assert code == 0 and "0 scanned (0.0 MB" in err and f"{N_LOGS} already in" in err
    assert report(root, "fleet.duckdb") == before


@pytest.fixture(scope="module")
def some(fleet):
    """60 of the logs (given as files, with the manifest), scanned into a DuckDB store with the local engine."""
    root, _ = fleet
    args = [str(p) for p in sorted((root / "corpus" / "logs").iterdir())[:60]]
    args += ["--manifest", str(root / "corpus" / "manifest.csv")]
    code, _, err = run(root, ["scan", *args, "--out", str(root / "some.duckdb")])
    assert code == 0, err
    return root, args


def test_every_store_gives_the_same_report(some):
    root, logs = some
    reports = [report(root, "some.duckdb")]
    for store in ("some.parquet", "some.jsonl"):
        code, _, err = run(root, ["scan", *logs, "--out", str(root / store)])
        assert code == 0, err
        reports.append(report(root, store))
    assert reports[0]["logs"] == 60 and reports[0]["failures"] and reports[0]["unknown"]
    assert reports[0] == reports[1] == reports[2]


@pytest.fixture
def fast_dask():
    """Dask worker processes forked from this one (0.4 s to start two, against 3.5 s spawned)."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork", "distributed.logging.distributed":
                          "error"}):
        yield


def test_dask_engine_gives_the_same_report_as_local(some, fast_dask):
    from distributed import LocalCluster

    root, logs = some
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        code, _, err = run(root, ["scan", *logs, "--out", str(root / "dask.duckdb"), "--engine", "dask",
                                  "--scheduler", cluster.scheduler_address])
        assert code == 0, err
        assert len(cluster.scheduler_info["workers"]) == 2
    finally:
        cluster.close()
    assert cluster.status.name == "closed"
    assert report(root, "dask.duckdb") == report(root, "some.duckdb")
    # no --scheduler: a LocalCluster of two workers for the run, closed at its end
    code, _, err = run(root, ["scan", *logs[:20], "--out", str(root / "dask2.duckdb"), "--engine", "dask",
                              "--workers", "2"])
    assert code == 0 and "20 scanned" in err, err


def test_report_by_since_and_formats(fleet):
    root, _ = fleet
    r = report(root, "fleet.duckdb", "--by", "repo", "--since", "2026-11-01")
    assert 0 < r["logs"] < N_LOGS and r["since"].startswith("2026-11-01")
    assert all(f["first_seen"] >= "2026-11-01" for f in r["failures"])
    assert {g["repo"] for g in r["groups"]} == {"web", "api", "infra", "ml"}
    assert sum(g["logs"] for g in r["groups"]) == r["logs"]
    for fmt, marker in (("markdown", "| id | title | logs |"), ("html", "<svg"), ("plain", "Top failures")):
        code, out, err = run(root, ["report", str(root / "fleet.duckdb"), "--format", fmt])
        assert code == 0 and marker in out, (fmt, err)
    code, out, _ = run(root, ["report", str(root / "fleet.duckdb"), "--format", "plain"])
    assert "▁" in out or "█" in out  # the weekly sparkline


def test_kb_new_from_a_cluster_prefills_signatures_and_examples(fleet):
    import re2
    import yaml

    root, _ = fleet
    r = report(root, "fleet.duckdb")
    n = next(u["cluster"] for u in r["unknown"] if "quarkd" in u["template"])
    code, out, err = run(root, ["kb", "new", "quarkd.segment_rejected", "--from-report", str(root / "fleet.duckdb"),
                                "--cluster", str(n), "--dir", str(root / "kb")])
    assert code == 0, err
    entry = yaml.safe_load(Path(out.strip()).read_text())
    regexes = [s["regex"] for s in entry["signatures"] if "regex" in s]
    examples = entry["examples"]["match"]
    assert regexes and len(examples) == 3 and len(set(examples)) == 3
    assert all(re2.search(regexes[0], e) for e in examples)
    code, _, err = run(root, ["kb", "new", "x.y", "--from-report", str(root / "fleet.duckdb"), "--cluster", "9999"])
    assert code == 2 and "no cluster 9999" in err


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "empty.log").write_bytes(b"")
    (tmp_path / "logs" / "bin.log").write_bytes(b"\x7fELF\x00\x00" * 100)
    (tmp_path / "bad.csv").write_text("path,repo\nx.log,a\n")
    cases = [
        (["scan", str(tmp_path / "logs"), "--out", str(tmp_path / "x.sqlite")], "a store ends in"),
        (["scan", str(tmp_path / "nope"), "--out", str(tmp_path / "x.duckdb")], "no such file or folder"),
        (["scan", str(tmp_path / "logs"), "--manifest", str(tmp_path / "bad.csv"), "--out", str(tmp_path / "y.jsonl")],
         "no 'log'"),
        (["report", str(tmp_path / "missing.duckdb")], "no such store"),
        (["report", str(tmp_path / "missing.duckdb"), "--since", "yesterday-ish"], "no such store"),
        (["kb", "new", "a.b", "--cluster", "1"], "go together"),
    ]
    for args, msg in cases:
        code, _, err = run(tmp_path, args)
        assert code == 2 and msg in err and "Traceback" not in err and err.count("\n") == 1, (args, err)
    # unreadable logs are recorded with their reason, and the report counts them
    code, _, err = run(tmp_path, ["scan", str(tmp_path / "logs"), "--out", str(tmp_path / "z.jsonl")])
    assert code == 0 and "2 scanned" in err
    rows = [json.loads(x) for x in (tmp_path / "z.jsonl").read_text().splitlines()]
    errors = sorted(r["error"] for r in rows)
    assert "binary" in errors[0] and "empty" in errors[1] and all(r["hash"] for r in rows)
    code, out, _ = run(tmp_path, ["report", str(tmp_path / "z.jsonl"), "--format", "json"])
    assert json.loads(out)["unreadable"] == 2


def test_scan_log_bytes_and_path_agree_and_secrets_are_redacted(tmp_path):
    from errdiag import load_knowledge
    from errdiag.fleet.scan import scan_log

    kb = load_knowledge(cache_dir=CACHE[0])
    data = (b"starting\n" * 50 + b"ERROR upload failed: token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected\n"
            + b"fatal: not a git repository (or any of the parent directories): .git\n")
    p = tmp_path / "a.log"
    p.write_bytes(data)
    a, b = scan_log(p, kb), scan_log(data, kb, name=str(p))
    assert a.hash == b.hash and a.diagnoses == b.diagnoses and a.key_lines == b.key_lines
    assert [d.id for d in a.diagnoses] == ["git.not_a_repository"] and a.diagnoses[0].line == 52
    assert scan_log(p, kb, skip={a.hash}.__contains__) is None
    stored = json.dumps(a.to_dict()) + json.dumps(scan_log(data.replace(b"fatal: not", b"no"), kb).to_dict())
    assert "ghp_abc" not in stored


def test_the_plain_cli_never_imports_the_fleet_dependencies():
    code = ("import sys\n"
            "from errdiag.cli import main\n"
            "main(['match', 'fatal: not a git repository (or any of the parent directories): .git'])\n"
            "main(['list'])\n"
            "main(['scan', '--help'])\n"
            "main(['report', '--help'])\n"
            "heavy = [m for m in ('duckdb', 'pyarrow', 'dask', 'distributed', 'fsspec') if m in sys.modules]\n"
            "sys.stderr.write(repr(heavy))\n")
    env = {**os.environ, "ERRDIAG_BUNDLED_DIR": str(FIXTURE_KB), "ERRDIAG_CACHE_DIR": "off"}  # a small KB
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert p.stderr.strip().endswith("[]"), p.stderr


def test_mask_skips_only_patterns_that_cannot_match():
    """normalize.mask runs a pattern only where its gate allows: the same result as all six, on real lines."""
    from errdiag.normalize import _MASKS, mask

    lines = [x for p in sorted(LOGHUB.glob("*.log")) for x in p.read_text(errors="replace").splitlines()[::7]]
    lines += ["id 123e4567-e89b-12d3-a456-426614174000 at https://x.io/a?b=1", r"C:\Users\me\app.py line 3",
              "'quoted 12' and \"more\" `x`", "deadbeefcafe1234 0xff", "plain words only"]
    for line in lines:
        want = line
        for rx, token in _MASKS:
            want = rx.sub(token, want)
        assert mask(line) == want, line


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("store", ["s.jsonl", "s.duckdb"])
def test_scan_takes_file_names_that_are_not_utf8(tmp_path, store):
    logs = os.path.join(os.fsencode(tmp_path), b"logs")
    os.mkdir(logs)
    with open(os.path.join(logs, b"job-\xff\xfe.log"), "wb") as fh:
        fh.write(b"fatal: not a git repository (or any of the parent directories): .git\n")
    code, _, err = run(tmp_path, ["scan", os.fsdecode(logs), "--workers", "1", "--out", str(tmp_path / store)])
    assert code == 0 and "1 scanned" in err, err
    code, out, err = run(tmp_path, ["report", str(tmp_path / store), "--format", "json"])
    assert code == 0, err
    out.encode("utf-8")
    assert json.loads(out)["failures"][0]["id"] == "git.not_a_repository"
