"""Family entries: selected by the anatomy, filled with its captures, generic without their specifics."""

from __future__ import annotations

import json
from pathlib import Path

from errdiag import diagnose
from errdiag.kb import load_knowledge
from errdiag.models import fill_placeholders, fill_text
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

KEYERROR = """Traceback (most recent call last):
  File "/home/kim/app/load.py", line 42, in load
    return cfg["database"]["host"]
KeyError: 'host'
"""


def test_placeholder_defaults():
    assert fill_text("a {{x|the key}} b", {}) == "a the key b"
    assert fill_text("a {{x|the key}} b", {"x": "'k'"}) == "a 'k' b"  # prose: the value as captured
    assert fill_text("{{ x }} {{y}}", {"x": "1"}) == "1 <y>"
    assert fill_placeholders("ls {{path|.}}", {}) == "ls ."  # commands: default words, values made shell-safe


def test_a_family_answer_names_what_the_text_names():
    d = diagnose(KEYERROR, KB).best
    assert d.id == "python.key_error" and not d.generic and d.confidence >= 0.6
    assert d.captures["key"] == "host" and d.captures["frame"] == "/home/kim/app/load.py:42 in load()"
    assert "'host'" in d.entry.title and "Line 42 of /home/kim/app/load.py" in d.entry.summary
    fixes = " ".join(f"{f.title} {f.note or ''}" for f in d.entry.quick_fixes)
    assert "d.get('host'" in fixes and 'return cfg["database"]["host"]' in fixes
    assert "{{" not in d.entry.summary + d.entry.title + " ".join(d.entry.steps)


def test_json_carries_filled_text_and_the_generic_flag():
    data = result_dict(diagnose(KEYERROR, KB))
    best = data["diagnoses"][0]
    assert best["generic"] is False and "'host'" in best["title"] and "{{" not in json.dumps(best)
    bare = result_dict(diagnose("KeyError: 'host'", KB))["diagnoses"][0]
    assert bare["id"] == "python.key_error" and bare["generic"] is True and bare["confidence"] < 0.5


def test_generic_when_specifics_are_missing():
    d = diagnose("ValueError: math domain error", KB).best
    assert d.id == "python.value_error" and d.generic and 0.3 <= d.confidence < 0.5


def test_a_variant_needs_its_own_signature_and_beats_its_root():
    ids = [d.id for d in diagnose("TypeError: 'NoneType' object is not subscriptable", KB).diagnoses]
    assert ids[0] == "python.type_error_not_subscriptable" and "python.type_error_not_callable" not in ids
    ids = [d.id for d in diagnose("RuntimeError: threads can only be started once", KB).diagnoses]
    assert ids == ["python.runtime_error"]


def test_another_languages_error_is_not_pythons():
    node = ("TypeError: Cannot read properties of undefined (reading 'map')\n"
            "    at List (/home/u/web/src/List.js:12:20)\n")
    assert all(not d.id.startswith("python.") for d in diagnose(node, KB).diagnoses)
    java = "java.lang.IllegalArgumentException: bad\n\tat com.acme.App.main(App.java:3)\n"
    assert all(not d.id.startswith("python.") for d in diagnose(java, KB).diagnoses)


def test_never_hides_a_specific_entry():
    text = ("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    import cv2\n"
            "ModuleNotFoundError: No module named 'cv2'\n")
    assert diagnose(text, KB).best.id == "python.module_not_found"
    # a catalogue entry outranks a family answer to the same error, and the family answer is still listed
    text = ("Traceback (most recent call last):\n  File \"/srv/a.py\", line 3, in f\n    open(p)\n"
            "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'\n")
    ids = [d.id for d in diagnose(text, KB).diagnoses]
    assert ids[0] == "python.permission_denied"


def test_truncated_traceback_asks_for_the_last_lines():
    d = diagnose('Traceback (most recent call last):\n  File "/home/k/run.py", line 88, in <module>\n'
                 '    main()\n  File "/home/k/run.py", line 80, in main\n    train(cfg)\n', KB).best
    assert d.id == "python.truncated_traceback" and d.generic
    assert "last lines" in d.entry.summary and "/home/k/run.py:80 in main()" in d.entry.summary


def test_anatomy_captures_enrich_catalogue_entries():
    text = ("Traceback (most recent call last):\n  File \"/srv/a.py\", line 3, in f\n    open(p)\n"
            "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'\n")
    d = diagnose(text, KB).best
    assert d.captures["frame"] == "/srv/a.py:3 in f()" and d.captures["path"] == "/var/log/app.log"
