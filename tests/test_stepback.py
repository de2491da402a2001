"""A broad answer steps back when the text says more than its premise allows (round 14, `stepback`).

Kinds seen in several open wild samples (written here in our own words, never a sample's text):
- "the trace is cut off, paste its last line" while the error line is there: a bare `Exception: ...` / `Error: ...`
  under Python's frames, a JVM exception's class on the frame's own line.
"""

from __future__ import annotations

from pathlib import Path

from errdiag import anatomy, diagnose
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def ids(text: str) -> list[str]:
    return [d.id for d in diagnose(text, KB).diagnoses]


def kinds(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(f.kind, f.type, f.message) for f in anatomy.read(text)]


def test_a_bare_exception_under_the_frames_is_the_exception_line_not_a_cut():
    text = ("Traceback (most recent call last):\n"
            '  File "/srv/app/hooks.py", line 71, in on_start\n'
            '    raise Exception("no parent step for this run")\n'
            "Exception: no parent step for this run\n")
    assert kinds(text) == [("exception", "Exception", "no parent step for this run")]
    assert "python.truncated_traceback" not in ids(text)


def test_a_librarys_own_error_class_printed_bare_is_the_exception_line():
    text = ("Traceback (most recent call last):\n"
            '  File "/usr/bin/tool", line 9, in <module>\n'
            "    main()\n"
            '  File "/usr/lib/python3/dist-packages/tool/run.py", line 310, in main\n'
            "    raise errors.Error(summary)\n"
            "Error: 2 jobs failed, 1 skipped\n")
    assert kinds(text)[0][:2] == ("exception", "Error")
    assert "python.truncated_traceback" not in ids(text)


def test_a_ci_runners_exit_line_under_cut_frames_is_no_exception_line():
    # the traceback's own last line is missing; the runner's step verdict below it is not that line
    text = ("Traceback (most recent call last):\n"
            '  File "/home/runner/work/x/x/build.py", line 40, in <module>\n'
            "    run()\n"
            '  File "/home/runner/work/x/x/build.py", line 22, in run\n'
            "    compile_all(paths)\n"
            "Error: Process completed with exit code 1.\n")
    assert kinds(text)[0][0] == "truncated"


def test_a_jvm_exception_on_its_frames_own_line_is_not_a_cut_off_trace():
    text = "java.lang.IllegalStateException : at com.example.shop.Cart.total(Cart.java:88)\n"
    assert not [f for f in anatomy.read(text) if f.kind == "truncated"]
    assert "java.truncated_stack_trace" not in ids(text)


def test_a_jvm_trace_that_starts_at_its_frames_is_still_cut_off():
    text = ("\tat com.example.shop.Cart.total(Cart.java:88)\n"
            "\tat com.example.shop.Checkout.run(Checkout.java:41)\n")
    assert [f.kind for f in anatomy.read(text)] == ["truncated"]


# --- a broad entry whose premise the text shows false -----------------------------------------------------------


def test_a_frame_shaped_support_signature_alone_answers_nothing():
    # a Node trace of some CLI: one frame matches a test runner's weakest (supporting) signature, nothing says Jest
    text = ("unexpected: --stage is required\n"
            "Error: unexpected: --stage is required\n"
            "    at Object.loadApp (/Users/me/infra/node_modules/deploy-kit/lib/api/app/load.ts:41:13)\n"
            "    at AppLoader.build (/Users/me/infra/node_modules/deploy-kit/lib/api/app/loader.ts:20:11)\n"
            "    at Toolkit.deploy (/Users/me/infra/node_modules/deploy-kit/lib/toolkit.ts:88:5)\n")
    assert "jest.tests_failed" not in ids(text)


def test_a_protoc_plugin_that_ran_and_failed_is_not_a_plugin_not_found():
    ran = "--ts_out: protoc-gen-ts: Plugin failed with status code 1.\n"
    missing = ("protoc-gen-ts: program not found or is not executable\n"
               "--ts_out: protoc-gen-ts: Plugin failed with status code 1.\n")
    assert "protobuf.plugin_not_found" not in ids(ran)
    best = diagnose(missing, KB).best
    assert best.id == "protobuf.plugin_not_found" and best.captures.get("out_flag") == "ts_out"


def test_a_config_file_found_with_its_found_false_is_no_missing_config_file():
    found_false = ("CMake Error at CMakeLists.txt:12 (find_package):\n"
                   "  Found package configuration file:\n\n"
                   "    /opt/acme/lib/cmake/Acme/AcmeConfig.cmake\n\n"
                   "  but it set Acme_FOUND to FALSE so package \"Acme\" is considered to be NOT\n"
                   "  FOUND.\n")
    not_found = ("CMake Error at CMakeLists.txt:12 (find_package):\n"
                 "  Could not find a package configuration file provided by \"Acme\" with any\n"
                 "  of the following names:\n\n    AcmeConfig.cmake\n    acme-config.cmake\n")
    assert "cmake.package_config_not_found" not in ids(found_false)
    assert diagnose(not_found, KB).best.id == "cmake.package_config_not_found"


def test_configures_sh_syntax_error_is_no_bash_script_run_by_sh():
    configure = "checking for gcc... gcc\n./configure: 6120: Syntax error: word unexpected (expecting \")\")\n"
    script = "./deploy.sh: 6: Syntax error: word unexpected (expecting \")\")\n"
    assert "shell.bash_script_run_with_sh" not in ids(configure)
    assert diagnose(script, KB).best.id == "shell.bash_script_run_with_sh"


# --- a report ranks behind the specific error it reports -----------------------------------------------------------

NPM_OVER_MOCHA = (
    '> shop@1.2.0 test /home/dev/shop\n'
    '> mocha --recursive test\n'
    '\n'
    '  cart\n'
    '    1) adds an item\n'
    '\n'
    '\n'
    '  0 passing (2s)\n'
    '  1 failing\n'
    '\n'
    '  1) cart\n'
    '       adds an item:\n'
    '     Error: Timeout of 2000ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a '
    'Promise, ensure it resolves. (/home/dev/shop/test/cart.test.js)\n'
    '\n'
    '\n'
    '\n'
    'npm ERR! code ELIFECYCLE\n'
    'npm ERR! errno 1\n'
    'npm ERR! shop@1.2.0 test: `mocha --recursive test`\n'
    'npm ERR! Exit status 1\n'
    'npm ERR!\n'
    'npm ERR! Failed at the shop@1.2.0 test script.\n'
    'npm ERR! This is probably not a problem with npm. There is likely additional logging output above.\n'
)


def test_a_scripts_failure_ranks_behind_the_test_runners_verdict_printed_before_it():
    got = ids(NPM_OVER_MOCHA)
    assert got.index("mocha.tests_failed") < got.index("npm.lifecycle_script_failed")


def test_a_report_is_not_put_behind_another_reading_of_its_own_line():
    line = ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile "
            "(default-compile) on project shop: Compilation failure -> [Help 1]\n")
    assert ids(line)[0] == "mvn.plugin_goal_failed"


def test_a_message_printed_above_ruby_frames_is_no_cut_off_backtrace():
    frames = ("/home/ci/.gem/gems/linter-1.2.0/lib/linter/config.rb:15:in `require'\n"
              "/home/ci/.gem/gems/linter-1.2.0/lib/linter/config.rb:15:in `block in load_plugins'\n"
              "/home/ci/.gem/gems/linter-1.2.0/lib/linter/config.rb:11:in `each'\n")
    told = "Running the linter...\ncannot load such file -- linter-extra-rules\n" + frames
    cut = "Running the linter...\n" + frames
    assert not [f for f in anatomy.read(told) if f.kind == "truncated"]
    assert "ruby.truncated_backtrace" not in ids(told)
    assert [f.kind for f in anatomy.read(cut)] == ["truncated"]
