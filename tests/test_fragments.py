"""Known errors in other clothes: a bare fragment of the error (no language or tool prefix the anatomy reads), and
an error JSON- or logfmt-escaped inside a structured log line (errdiag.normalize.unescape_line)."""

from __future__ import annotations

import json
from pathlib import Path

from errdiag import diagnose, families
from errdiag.kb import load_knowledge
from errdiag.matching import Reason, Scored
from errdiag.normalize import unescape_line, unescaped_reading

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

PHP_FULL = ('PHP Fatal error:  Uncaught Error: Class "App\\Models\\Invoice" not found in '
            '/var/www/app/src/Billing.php:12\n')
PHP_BARE = 'Class "App\\Models\\Invoice" not found\n'
TRACE = ('Traceback (most recent call last):\n  File "/srv/app/jobs.py", line 7, in <module>\n    import redis\n'
         "ModuleNotFoundError: No module named 'redis'")


def _best(text: str):
    return diagnose(text, KB).best


# --- a bare fragment ---------------------------------------------------------------------------------------------

def test_a_bare_fragment_of_a_family_error_is_answered_below_the_full_error() -> None:
    full, bare = _best(PHP_FULL), _best(PHP_BARE)
    assert full.id == bare.id == "php.class_not_found"
    assert bare.captures["php_class"] == "App\\Models\\Invoice"
    assert bare.confidence < full.confidence
    assert any(e.kind == "fragment" for e in bare.evidence)


def test_a_fragment_pasted_with_a_prefix_of_its_own() -> None:
    best = _best("Run failed: 'NoneType' object has no attribute 'logical_operator'.\n")
    assert best is not None and best.id == "python.attribute_error_none"


def test_the_fragment_rule_is_for_short_pastes_only() -> None:
    # the same words inside a longer text where no error was read are somebody's prose or code, not a paste of it
    text = "Notes from the call:\n- the importer logs\n" + PHP_BARE + "- we will look at it on Monday\n"
    assert _best(text) is None


def test_a_weak_family_signature_is_no_fragment_answer() -> None:
    weak = Scored(0, 0.9, 1, 1, 1, {}, (Reason("x", "regex", "regex", 1, 0.9),))
    assert families._as_fragment(weak) is None
    strong = Scored(0, 2.0, 1, 1, 1, {}, (Reason("x", "regex", "regex", 1, 2.0),))
    kept = families._as_fragment(strong)
    assert kept is not None and kept.score == 2.0 * families.FRAGMENT_FACTOR


def test_plain_words_stay_silent() -> None:
    for text in ("not found\n", "the build failed\n", "Class loaded\n", "object has no attribute\n"):
        assert _best(text) is None, text


# --- JSON- and logfmt-escaped errors -----------------------------------------------------------------------------

def test_unescape_a_json_field() -> None:
    line = json.dumps({"level": "error", "msg": "job failed", "error": TRACE})
    assert unescape_line(line)[-1] == "ModuleNotFoundError: No module named 'redis'"
    assert "  File \"/srv/app/jobs.py\", line 7, in <module>" in unescape_line(line)


def test_unescape_a_logfmt_field_and_unicode_escapes() -> None:
    line = 'time="2025-01-11T02:22:10Z" level=error msg="open \\"/data/x\\": permission denied \\u00e9"'
    assert unescape_line(line) == ['time="2025-01-11T02:22:10Z" level=error msg="open "/data/x": permission denied é"']


def test_lines_that_carry_no_fields_are_read_as_printed() -> None:
    assert unescape_line('echo \\"hello\\" >> out.txt') is None  # a shell line, no JSON or logfmt field
    assert unescape_line('{"level": "info", "msg": "started"}') is None  # nothing escaped
    assert unescaped_reading("plain\nlines only\n") == []


def test_an_error_inside_a_json_log_line_is_answered_on_that_line() -> None:
    text = ('{"level":"info","msg":"worker started"}\n'
            + json.dumps({"level": "error", "ts": 1714557600.1, "msg": "job failed", "error": TRACE}) + "\n"
            '{"level":"info","msg":"retrying in 5s"}\n')
    best = _best(text)
    assert best.id == "python.module_not_found"
    assert best.line == 2  # the line of the input that carried it, not a line of the unescaped reading
    assert best.captures.get("module") == "redis"


def test_escaped_quotes_inside_a_php_json_log() -> None:
    text = json.dumps({"message": PHP_FULL.strip(), "level": 400, "channel": "production"}) + "\n"
    assert '\\"' in text
    assert _best(text).id == "php.class_not_found"


# --- a wrapper that hides a known error ----------------------------------------------------------------------------

NODE10_IMPORT = """/srv/app/src/index.js:1
import { createServer } from "./server";
       ^

SyntaxError: Unexpected token {
    at new Script (vm.js:79:7)
    at createScript (vm.js:251:10)
    at Module._compile (internal/modules/cjs/loader.js:656:28)
"""


def test_node10_parse_error_at_an_import_line_is_esm_run_as_commonjs() -> None:
    ds = diagnose(NODE10_IMPORT, KB).diagnoses
    assert ds[0].id == "node.esm_syntax_on_old_node"  # refines node.import_outside_module: Node before 12
    assert "node.syntax_error" in [d.id for d in ds[1:]]


def test_a_quoted_token_is_node_12_and_later() -> None:
    text = NODE10_IMPORT.replace("SyntaxError: Unexpected token {", "SyntaxError: Unexpected token 'export'")
    assert diagnose(text, KB).best.id == "node.import_outside_module"


def test_the_same_parse_error_at_another_line_stays_a_syntax_error() -> None:
    text = NODE10_IMPORT.replace('import { createServer } from "./server";', "const cfg = { a: 1 } { b: 2 };")
    assert diagnose(text, KB).best.id == "node.syntax_error"


def test_pm2_s_process_prefix_is_taken_off() -> None:
    text = "".join(f"3|api      | {line}\n" for line in NODE10_IMPORT.splitlines())
    best = diagnose(text, KB).best
    assert best.id == "node.esm_syntax_on_old_node"
    assert best.line == 5


def test_the_unescaped_reading_keeps_a_long_log_s_last_lines() -> None:
    noise = json.dumps({"level": "info", "msg": "done", "ua": 'agent "x"\nsecond line'})
    block = "\n".join([noise] * 600 + [json.dumps({"level": "error", "error": TRACE})]) + "\n"
    got = unescaped_reading(block)
    assert len(got) <= 400
    assert got[-1] == (601, "ModuleNotFoundError: No module named 'redis'")
