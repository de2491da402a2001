"""Wrapper answers (a make target, a RUN step, a unit's status, a build tool that only says "it failed"): the line
they quote as the reason is the one that carries the cause, and a tool that names its log file gets that file as the
first fix."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose
from errdiag.kb import load_knowledge
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def _answers(text: str) -> list[dict]:
    return result_dict(diagnose(text, KB))["diagnoses"]


def _by_id(text: str, ident: str) -> dict:
    return next(d for d in _answers(text) if d["id"] == ident)


def _first_fix(d: dict) -> str:
    f = d["quick_fixes"][0]
    return " ".join(str(f.get(k) or "") for k in ("title", "command"))


# a native extension built by a package manager: its banner above make's own lines, the compiler missing
GEM_NO_CXX = """Building native extensions.  This could take a while...
ERROR:  Error installing fastwire:
    ERROR: Failed to build gem native extension.

    /usr/local/bin/ruby extconf.rb
creating Makefile

make
compiling wire.cc
make: c++: Command not found
make: *** [wire.o] Error 127
"""


def test_make_command_not_found_is_the_cause_not_the_package_managers_banner():
    status = _by_id(GEM_NO_CXX, "exit.code_127")
    assert "`make: c++: Command not found`" in status["summary"]
    assert "Failed to build gem native extension" not in status["summary"]


def test_an_answer_about_the_cause_line_itself_is_not_sent_back_to_another_line():
    best = _answers(GEM_NO_CXX)[0]
    assert best["id"] == "shell.command_not_found" and best["captures"]["cmd"] == "c++"
    assert "shows why it failed" not in best["summary"]
    assert "Fix what" not in _first_fix(best)


# `systemctl status` of a unit whose program exited: the journal lines under the header say why; the stop command's
# complaint and the init script's bare verdict do not
UNIT = """● shipd.service - Ship daemon
     Loaded: loaded (/etc/systemd/system/shipd.service; enabled; vendor preset: enabled)
     Active: failed (Result: exit-code) since Tue 2025-03-04 08:12:10 UTC; 5s ago
    Process: 4410 ExecStop=/bin/kill -TERM $MAINPID (code=exited, status=1/FAILURE)
    Process: 4401 ExecStart=/opt/ship/bin/run --config /etc/ship.yml (code=exited, status=2)
   Main PID: 4401 (code=exited, status=2)

Mar 04 08:12:10 web1 run[4401]: loading /etc/ship.yml
Mar 04 08:12:10 web1 kill[4410]: kill: cannot find process ""
Mar 04 08:12:10 web1 run[4401]: open /var/lib/ship/state.db: permission denied
Mar 04 08:12:10 web1 systemd[1]: shipd.service: Failed with result 'exit-code'.
"""


def test_a_units_status_quotes_its_programs_line_under_the_header():
    best = _answers(UNIT)[0]
    assert best["id"].startswith("systemd.")
    assert "under its report" in best["summary"]
    assert "`open /var/lib/ship/state.db: permission denied`" in best["summary"]
    assert "shipd.service - Ship daemon" not in best["summary"]
    assert "cannot find process" not in best["summary"]  # the stop command's complaint, printed first


def test_a_journal_line_without_the_programs_name_is_read_as_its_message():
    text = UNIT.replace("web1 run[4401]: open", "web1 [4401]: open")
    best = _answers(text)[0]
    assert "`open /var/lib/ship/state.db: permission denied`" in best["summary"]


# an error printed before the line a wrapper's status is read from: the earlier error is the inner one
EARLIER = """cp: cannot stat 'dist/app.js': No such file or directory
install: error: staging failed, see the messages above
Error: Process completed with exit code 1.
"""


def test_an_answer_about_an_error_printed_before_the_quoted_line_is_not_wrapped():
    best = _answers(EARLIER)[0]
    assert best["id"] == "linux.copy_source_missing"
    assert "shows why it failed" not in best["summary"]


# tools that only name their log: its path is the first fix
LOGS = {
    "cmake.configuring_incomplete": ("""-- Detecting CXX compile features - done
-- Configuring incomplete, errors occurred!
See also "/srv/ci/work/build/CMakeFiles/CMakeOutput.log".
See also "/srv/ci/work/build/CMakeFiles/CMakeError.log".
""", "/srv/ci/work/build/CMakeFiles/CMakeError.log"),
    "npm.see_debug_log": ("""npm ERR! A complete log of this run can be found in:
npm ERR!     C:\\Users\\kim\\AppData\\Roaming\\npm-cache\\_logs\\2021-06-01T10_00_00_000Z-debug.log
""", "C:\\Users\\kim\\AppData\\Roaming\\npm-cache\\_logs\\2021-06-01T10_00_00_000Z-debug.log"),
    "bitbake.task_failed": ("""NOTE: Executing RunQueue Tasks
ERROR: libfoo-2.1-r0 do_configure: Function failed: do_configure (log file is located at \
/yocto/build/tmp/work/cortexa53-poky-linux/libfoo/2.1-r0/temp/log.do_configure.7781)
""", "/yocto/build/tmp/work/cortexa53-poky-linux/libfoo/2.1-r0/temp/log.do_configure.7781"),
    "cmake.external_project_step_failed": ("""\
CMake Error at /b/ext/png-prefix/src/png-stamp/png-build-Release.cmake:49 (message):
  Command failed: 2

   'make'

  See also

    /b/ext/png-prefix/src/png-stamp/png-build-*.log

""", "/b/ext/png-prefix/src/png-stamp/png-build-*.log"),
    "gem.extconf_failed": ("""\
To see why this extension failed to compile, please check the mkmf.log which can be found here:

  /var/lib/gems/3.1.0/extensions/x86_64-linux/3.1.0/sqlite3-1.6.9/mkmf.log

extconf failed, exit code 1
""", "/var/lib/gems/3.1.0/extensions/x86_64-linux/3.1.0/sqlite3-1.6.9/mkmf.log"),
}


def test_a_tool_that_names_its_log_gets_that_log_as_the_first_fix():
    for ident, (text, log) in LOGS.items():
        best = _answers(text)[0]
        assert best["id"] == ident, (ident, best["id"])
        assert log in _first_fix(best), (ident, _first_fix(best))
    # the same summary under a CMake error an entry knows: the error leads
    text = """CMake Error at CMakeLists.txt:20 (find_package):
  Could not find a package configuration file provided by "Boost" with any of
  the following names:

    BoostConfig.cmake
    boost-config.cmake

""" + LOGS["cmake.configuring_incomplete"][0]
    assert _answers(text)[0]["id"] != "cmake.configuring_incomplete"
