"""A traceback quotes the source line of each frame. When that line names an error class (`except
UnicodeDecodeError:`) it is the program's text, not an error the program printed: an entry that hit only such a
line must not answer. A quoted line that names the class actually raised, and a SyntaxError's quoted line (which
is the point of the error), keep their answers."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose, load_knowledge
from errdiag.anatomy import read

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def ids(text: str) -> list[str]:
    return [d.id for d in diagnose(text, KB).diagnoses]


EXCEPT_OVER_NAME_ERROR = """Traceback (most recent call last):
  File "/srv/app/loader.py", line 31, in <module>
    rows = read_rows(path)
  File "/srv/app/loader.py", line 22, in read_rows
    except UnicodeDecodeError:
NameError: name 'fallback_encoding' is not defined
"""

EXCEPT_OVER_TYPE_ERROR = """Traceback (most recent call last):
  File "/srv/app/client.py", line 40, in fetch
    except requests.exceptions.ConnectionError:
  File "/srv/app/client.py", line 44, in fetch
    retry(url)
TypeError: retry() missing 1 required positional argument: 'attempts'
"""


def test_an_except_clause_quoted_under_a_frame_does_not_answer():
    got = ids(EXCEPT_OVER_NAME_ERROR)
    assert got[0] == "python.name_error"
    assert "python.unicode_decode_error" not in got


def test_a_library_exception_named_in_quoted_code_does_not_answer():
    got = ids(EXCEPT_OVER_TYPE_ERROR)
    assert got[0] == "python.type_error_arguments"
    assert not any(i.startswith("requests.") for i in got)


def test_the_quoted_lines_naming_another_class_are_marked_and_others_are_not():
    (f,) = [f for f in read(EXCEPT_OVER_NAME_ERROR) if f.kind == "exception"]
    assert f.code_lines == (5,)  # `except UnicodeDecodeError:`, not `rows = read_rows(path)` (line 3)


def test_a_cut_off_trace_marks_its_except_clause():
    text = ('Traceback (most recent call last):\n  File "/srv/app/parse.py", line 9, in main\n'
            '    except json.decoder.JSONDecodeError as exc:\n')
    (f,) = [f for f in read(text) if f.kind == "truncated"]
    assert f.code_lines == (3,)


def test_a_quoted_raise_of_the_class_raised_keeps_its_answer():
    text = ('Traceback (most recent call last):\n  File "/srv/app/db.py", line 7, in <module>\n'
            '    raise MemoryError("out of memory while loading")\nMemoryError: out of memory while loading\n')
    (f,) = [f for f in read(text) if f.kind == "exception"]
    assert f.code_lines == ()
    assert ids(text)[0] == "python.memory_error"


def test_a_syntax_errors_quoted_line_is_its_evidence():
    text = ('  File "/srv/app/legacy.py", line 3\n    except ValueError, exc:\n    ^^^^^^^^^^^^^^^^^^^^^^\n'
            'SyntaxError: multiple exception types must be parenthesized\n')
    assert all(f.code_lines == () for f in read(text))
