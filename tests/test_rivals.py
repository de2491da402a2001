"""Tools of one role print errors in the same words (errdiag/data/rivals.yaml): every knowledge entry of a member tool
excludes the other members' marks (the loader adds them), so that another member's output never takes its answer."""

from __future__ import annotations

from pathlib import Path

import yaml

from errdiag import diagnose, kb, rivals
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)
ROOT = Path(__file__).resolve().parent.parent


def test_every_entry_of_a_member_tool_excludes_the_other_members():
    owing = {e.id: rivals.missing(e) for e in KB.entries if rivals.missing(e)}
    assert not owing, f"entries loaded without these marks in their exclude (errdiag/data/rivals.yaml): {owing}"


def test_the_files_do_not_copy_the_table():
    # one place: the loader adds the marks, a file that copies them would hide a mark dropped from the table
    copied = {}
    for path in sorted(ROOT.glob("knowledge/*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        e = KB.get(data["id"])
        own = set(data.get("exclude") or [])
        if e is not None and own & set(rivals.owed(e)):
            copied[data["id"]] = sorted(own & set(rivals.owed(e)))
    assert not copied, f"exclude lists that copy errdiag/data/rivals.yaml (the loader adds these): {copied}"


def test_the_loader_keeps_an_entrys_own_excludes_first():
    e = KB.get("postgres.syntax_error")
    assert e.exclude[0] == "awk:" and e.exclude[-len(rivals.owed(e)):] == rivals.owed(e)


def test_the_knowledge_cache_is_keyed_by_the_table(tmp_path, monkeypatch):
    table = tmp_path / "rivals.yaml"
    table.write_text(yaml.safe_dump({"sql_engine": {"postgres": ["postgresql"], "mysql": ["mysql"]}}))
    monkeypatch.setattr(kb, "RIVALS_FILE", table)
    cache = tmp_path / "cache"
    cache.mkdir()
    load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False, cache_dir=cache)
    first = {p.name for p in cache.glob("kb-*")}
    table.write_text(yaml.safe_dump({"sql_engine": {"postgres": ["postgresql"], "mysql": ["mysql", "mariadb"]}}))
    load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False, cache_dir=cache)
    assert first and {p.name for p in cache.glob("kb-*")} - first


def test_the_rule_covers_the_sql_engines_entries():
    # the table is read, and it reaches real entries (a renamed tool folder must not make the check vacuous)
    covered = [e.id for e in KB.entries if rivals.owed(e)]
    assert any(i.startswith("postgres.") for i in covered) and any(i.startswith("mysql.") for i in covered)
    assert "duckdb" in rivals.owed(KB.get("postgres.syntax_error"))


def test_no_member_excludes_its_own_marks_and_marks_are_lower_case():
    for members in rivals.roles().values():
        for tool, marks in members.items():
            assert all(m == m.lower() and m.strip() for m in marks), tool
            for e in KB.entries:
                if e.id.split(".", 1)[0] == tool:
                    assert not set(marks) & set(rivals.owed(e)), e.id


def test_another_engines_syntax_error_is_no_postgres_answer():
    duck = "Error: Parser Error: syntax error at or near \"limit\"\nLINE 1: SELECT * FROM t limit limit 3\n"
    crdb = "ERROR: at or near \"(\": syntax error\nSQLSTATE: 42601\nHINT: see the cockroach docs on SQL grammar\n"
    pg = "ERROR:  syntax error at or near \"limit\"\nLINE 1: SELECT * FROM t limit limit 3\n"
    assert "postgres.syntax_error" not in [d.id for d in diagnose(duck, KB).diagnoses]
    assert "postgres.syntax_error" not in [d.id for d in diagnose(crdb, KB).diagnoses]
    assert diagnose(pg, KB).best.id == "postgres.syntax_error"
