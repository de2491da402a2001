"""Round 16 reader rules (`anat`): a build tool's summary line whose cause is not in the paste, and an everyday
exception raised inside an installed package's own code.

Kinds seen in several open wild samples and in round 15's mining batches (texts written here in our own words):
- a summary line only (`ninja: build stopped`, Gradle's `BUILD FAILED in 3s`, Bazel's `Build did NOT complete
  successfully`, MSBuild's `Build FAILED.`): a generic answer that names where the cause is printed and the re-run
  that shows it, and never leads over an answer about an error in the same text;
- AttributeError / TypeError / KeyError raised in site-packages or node_modules while the user's frames are only at the
  top: the answer names the package and its frame and steps back to generic, instead of "line N of your code".
"""

from __future__ import annotations

from pathlib import Path

from errdiag import anatomy, diagnose
from errdiag.kb import load_knowledge
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def answers(text: str) -> list[dict]:
    return result_dict(diagnose(text, KB))["diagnoses"]


def top(text: str) -> dict:
    got = answers(text)
    assert got, "no answer"
    return got[0]


# -- summary lines -----------------------------------------------------------------------------------------------

def test_ninja_summary_alone_is_a_generic_answer_naming_the_target_and_the_rerun():
    d = top("[3/20] Building CXX object src/CMakeFiles/core.dir/net.cpp.o\n"
            "FAILED: src/CMakeFiles/core.dir/net.cpp.o\n"
            "ninja: build stopped: subcommand failed.\n")
    assert d["id"] == "ninja.build_stopped" and d["generic"]
    assert d["captures"]["target"] == "src/CMakeFiles/core.dir/net.cpp.o"
    assert "-v" in d["quick_fixes"][0]["command"]


def test_the_compilers_error_under_ninjas_failed_line_leads():
    text = ("FAILED: obj/util.o\n"
            "/usr/bin/cc -c util.c -o obj/util.o\n"
            "util.c:12:5: error: implicit declaration of function 'strlcpy'\n"
            "ninja: build stopped: subcommand failed.\n")
    got = [d["id"] for d in answers(text)]
    assert got[0] != "ninja.build_stopped" and "ninja.build_stopped" in got


def test_a_generic_link_failure_under_ninjas_failed_line_leads_the_generic_ninja_answer():
    text = ("[126/135] Linking CXX executable bin/tool\n"
            "FAILED: bin/tool\n"
            ": && /usr/bin/clang++ main.o -o bin/tool -lfoo && :\n"
            "clang++: error: linker command failed with exit code 1 (use -v to see invocation)\n")
    got = [d["id"] for d in answers(text)]
    assert got.index("ld.link_failed") < got.index("ninja.build_stopped")


def test_a_failed_line_of_bazel_is_not_ninjas():
    d = top("INFO: Elapsed time: 3.120s, Critical Path: 0.40s\nFAILED: Build did NOT complete successfully\n")
    assert d["id"] == "bazel.build_did_not_complete" and d["generic"]


def test_gradles_closing_line_alone_sends_to_what_went_wrong():
    d = top("* Get more help at https://help.gradle.org\n\nBUILD FAILED in 7s\n")
    assert d["id"] == "gradle.build_failed_summary" and d["generic"]
    assert "What went wrong" in d["summary"]


def test_a_failed_task_ranks_above_gradles_closing_line():
    text = ("* What went wrong:\nExecution failed for task ':app:mergeDebugResources'.\n"
            "> A failure occurred while executing a resource merge\n\nBUILD FAILED in 5s\n")
    assert top(text)["id"] == "gradle.task_execution_failed"


def test_msbuild_summary_and_visual_studio_tally_are_generic():
    for text, entry in (("Build FAILED.\n\n    0 Warning(s)\n    2 Error(s)\n", "msbuild.build_failed"),
                        ("========== Build: 0 succeeded, 1 failed, 0 up-to-date, 0 skipped ==========\n",
                         "msbuild.ide_build_summary_failed")):
        d = top(text)
        assert d["id"] == entry and d["generic"]


def test_a_compiler_error_ranks_above_msbuilds_summary():
    text = ("Program.cs(7,13): error CS0103: The name 'Foo' does not exist in the current context [/src/app.csproj]\n"
            "Build FAILED.\n")
    assert top(text)["id"] != "msbuild.build_failed"


def test_build_failed_of_xcodebuild_is_generic_and_below_a_swift_error():
    assert top("** BUILD FAILED **\n")["id"] == "xcode.xcodebuild_failed"
    text = ("/src/App/View.swift:4:9: error: cannot find 'Logger' in scope\n** BUILD FAILED **\n")
    assert top(text)["id"] == "swift.compile_error"


# -- an everyday exception inside an installed package -------------------------------------------------------------

LIB_ATTR = """Traceback (most recent call last):
  File "/home/dev/app/report.py", line 40, in <module>
    build(rows)
  File "/home/dev/app/report.py", line 22, in build
    chart = plotkit.render(rows, style="dark")
  File "/home/dev/.venv/lib/python3.11/site-packages/plotkit/render.py", line 88, in render
    theme = self._themes.lookup(style)
AttributeError: 'NoneType' object has no attribute 'lookup'
"""


def test_a_crash_inside_a_package_names_the_package_and_steps_back():
    d = top(LIB_ATTR)
    assert d["generic"]
    assert "plotkit" in d["summary"] and "not on a line you wrote" in d["summary"]
    fix = d["quick_fixes"][0]
    # pip knows a package by its distribution name; the folder is its import name, so the check falls back to
    # importlib.metadata's map from one to the other
    assert fix["command"].startswith("python -m pip show plotkit || ")
    assert "packages_distributions().get('plotkit')" in fix["command"]
    assert "pin the older one" in fix["note"]


def test_the_users_own_access_of_the_attribute_keeps_the_answer_theirs():
    text = LIB_ATTR.replace('chart = plotkit.render(rows, style="dark")', "chart = plotkit.lookup(rows)")
    assert "not on a line you wrote" not in top(text)["summary"]


def test_an_environment_error_raised_in_a_package_is_not_stepped_back():
    text = ("Traceback (most recent call last):\n"
            '  File "/home/dev/app/run.py", line 5, in <module>\n'
            '    cfg = loader.read("settings.toml")\n'
            '  File "/usr/lib/python3/dist-packages/loader/io.py", line 14, in read\n'
            "    with open(path) as f:\n"
            "FileNotFoundError: [Errno 2] No such file or directory: 'settings.toml'\n")
    assert "not on a line you wrote" not in top(text)["summary"]


def test_a_js_type_error_inside_node_modules_names_the_npm_package():
    text = ("TypeError: Cannot read properties of undefined (reading 'kind')\n"
            "    at walk (/srv/site/node_modules/tree-walker/lib/index.js:120:17)\n"
            "    at build (/srv/site/scripts/build.js:31:5)\n")
    d = top(text)
    assert d["generic"] and "tree-walker" in d["summary"]
    assert d["quick_fixes"][0]["command"] == "npm ls tree-walker"


def test_a_podman_run_step_is_docker_builds_run_step_answer():
    text = ("STEP 2/4: RUN ./configure --prefix=/opt/app\n"
            "configure: error: no acceptable C compiler found in $PATH\n"
            'Error: building at STEP "RUN ./configure --prefix=/opt/app": while running runtime: exit status 1\n')
    got = {d["id"]: d for d in answers(text)}
    assert got["docker.run_step_failed"]["captures"]["command"] == "./configure --prefix=/opt/app"
    assert got["docker.run_step_failed"]["captures"]["exit_code"] == "1"
    assert any(f.tool == "docker" for f in anatomy.read(text))  # the anatomy reads it as a Dockerfile RUN step
