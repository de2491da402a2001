"""Tools of one role print errors in the same words (errdiag/data/rivals.yaml): every knowledge entry of a member tool
must exclude the other members' marks, so that another member's output never takes its answer."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose, rivals
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def test_every_entry_of_a_member_tool_excludes_the_other_members():
    owing = {e.id: rivals.missing(e) for e in KB.entries if rivals.missing(e)}
    assert not owing, f"entries that must also exclude these marks (errdiag/data/rivals.yaml): {owing}"


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
