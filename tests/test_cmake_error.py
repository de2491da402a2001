"""CMake's error report read as a fault of its own (anatomy `_cmake_error`): the file, line and command of
`CMake Error at FILE:LINE (COMMAND):` and the message indented under it; the family cmake.error_at answers it
and the wrapper line `-- Configuring incomplete, errors occurred!` ranks behind it."""

from __future__ import annotations

from pathlib import Path

from errdiag import anatomy, diagnose
from errdiag.kb import load_knowledge
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

PROJECT_CHECK = """-- Detecting CXX compile features - done
CMake Error at CMakeLists.txt:57 (message):
  libbar headers not found: install libbar-dev, or point BAR_ROOT at an
  installation of libbar 3.


-- Configuring incomplete, errors occurred!
See also "/src/proj/build/CMakeFiles/CMakeOutput.log".
"""

BAD_CALL = """CMake Error at cmake/sources.cmake:9 (list):
  list sub-command REMOVE_ITEM requires two or more arguments.
Call Stack (most recent call first):
  CMakeLists.txt:30 (include)


-- Configuring incomplete, errors occurred!
"""


def test_the_block_is_one_fault_with_its_file_line_command_and_message():
    (f,) = [f for f in anatomy.read(PROJECT_CHECK) if f.kind == "config"]
    assert (f.line, f.start, f.end) == (2, 2, 4)
    assert f.facts == {"file": "CMakeLists.txt", "line": "57", "command": "message", "origin": "project"}
    assert f.message.startswith("libbar headers not found: install libbar-dev, or point BAR_ROOT")
    assert f.message.endswith("installation of libbar 3.")


def test_the_call_stack_is_not_part_of_the_message():
    (f,) = [f for f in anatomy.read(BAD_CALL) if f.kind == "config"]
    assert f.message == "list sub-command REMOVE_ITEM requires two or more arguments."
    assert f.facts["command"] == "list"


def test_a_find_module_of_cmake_is_not_the_projects_own_code():
    text = ("CMake Error at /usr/share/cmake-3.22/Modules/FindPackageHandleStandardArgs.cmake:230 (message):\n"
            "  Could NOT find ZLIB (missing: ZLIB_LIBRARY ZLIB_INCLUDE_DIR)\n")
    (f,) = [f for f in anatomy.read(text) if f.kind == "config"]
    assert f.facts["origin"] == "cmake-module"


def test_the_family_answers_it_ahead_of_the_configuring_incomplete_summary():
    ds = result_dict(diagnose(PROJECT_CHECK, KB))["diagnoses"]
    assert ds[0]["id"] == "cmake.error_at" and not ds[0].get("generic")
    assert "CMakeLists.txt:57" in ds[0]["title"] and "libbar-dev" in ds[0]["title"]
    assert any(d["id"] == "cmake.configuring_incomplete" for d in ds[1:])


def test_a_catalogue_entry_that_knows_the_message_keeps_the_lead_and_its_own_captures():
    text = ('CMake Error at cmake_install.cmake:41 (file):\n  file cannot create directory: /usr/local/lib/cmake/fmt.'
            '  Maybe need\n  administrative privileges.\n')
    ds = result_dict(diagnose(text, KB))["diagnoses"]
    assert ds[0]["id"] == "cmake.install_prefix_not_writable"
    assert "command" not in ds[0]["captures"] and "origin" not in ds[0]["captures"]


def test_warnings_and_status_lines_are_not_errors():
    text = "CMake Warning at CMakeLists.txt:12 (message):\n  Doxygen not found.\n-- Configuring done\n"
    assert not [f for f in anatomy.read(text) if f.kind == "config"]
