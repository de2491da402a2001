"""Family entries: selected by the anatomy, filled with its captures, generic without their specifics."""

from __future__ import annotations

import json
from pathlib import Path

from errdiag import diagnose, engine, families
from errdiag.kb import load_knowledge
from errdiag.models import fill_placeholders, fill_text
from errdiag.render.json_ import result_dict

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

KEYERROR = """Traceback (most recent call last):
  File "/home/kim/app/load.py", line 42, in load
    return cfg["database"]["host"]
KeyError: 'host'
"""


def _placed(d) -> bool:
    """A specific answer: at or above engine.DOUBT_FLOOR, so above every held-back and generic answer (< 0.5);
    at or above 0.6 only when its evidence is decisive (engine.decisive: on real pastes, placed family answers
    were right 70% of the time at >= 0.6, short of the 95% that band promises)."""
    return not d.generic and d.confidence >= engine.DOUBT_FLOOR


def _held_back(d) -> bool:
    """An answer families.finish held back (unplaced, weak, status only, wrapped, runner crashed): not generic,
    below every placed answer."""
    return not d.generic and families.GENERIC_FLOOR <= d.confidence <= families.UNPLACED_CAP < engine.DOUBT_FLOOR


def test_placeholder_defaults():
    assert fill_text("a {{x|the key}} b", {}) == "a the key b"
    assert fill_text("a {{x|the key}} b", {"x": "'k'"}) == "a 'k' b"  # prose: the value as captured
    assert fill_text("{{ x }} {{y}}", {"x": "1"}) == "1 <y>"
    assert fill_placeholders("ls {{path|.}}", {}) == "ls ."  # commands: default words, values made shell-safe


def test_a_family_answer_names_what_the_text_names():
    d = diagnose(KEYERROR, KB).best
    assert d.id == "python.key_error" and _placed(d)
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
            "PermissionError: [Errno 13] Permission denied: '/var/lib/app/state.db'\n")
    ids = [d.id for d in diagnose(text, KB).diagnoses]
    assert ids[0] == "python.permission_denied"


def test_truncated_traceback_asks_for_the_last_lines():
    d = diagnose('Traceback (most recent call last):\n  File "/home/k/run.py", line 88, in <module>\n'
                 '    main()\n  File "/home/k/run.py", line 80, in main\n    train(cfg)\n', KB).best
    assert d.id == "python.truncated_traceback" and d.generic
    assert "last lines" in d.entry.summary and "/home/k/run.py:80 in main()" in d.entry.summary


def test_a_stack_cut_off_above_its_frames_asks_for_the_missing_line_per_language():
    cases = {
        "java.truncated_stack_trace": "\tat com.acme.shop.OrderService.place(OrderService.java:42)\n"
                                      "\tat com.acme.shop.OrderController.post(OrderController.java:17)\n",
        "dotnet.truncated_stack_trace": "   at Shop.Orders.Total(Order o) in C:\\src\\Orders.cs:line 27\n"
                                        "   at Shop.Program.Main(String[] args) in C:\\src\\Program.cs:line 9\n",
        "node.truncated_stack_trace": "    at loadConfig (/srv/app/lib/config.js:14:9)\n"
                                      "    at main (/srv/app/index.js:5:3)\n",
        "ruby.truncated_backtrace": "\tfrom /srv/app/lib/loader.rb:12:in `read'\n\tfrom bin/run:5:in `<main>'\n",
        "rust.truncated_backtrace": "stack backtrace:\n   0: myapp::load\n             at ./src/load.rs:3:5\n"
                                    "   1: myapp::main\n             at ./src/main.rs:9:5\n",
        "go.truncated_goroutine_dump": "goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:13 +0x1d\n",
    }
    for want, text in cases.items():
        d = diagnose(text, KB).best
        assert d is not None and d.id == want and d.generic, (want, d and d.id)
        assert "missing" in d.entry.summary and d.captures["frame"] in d.entry.summary, want
    java = diagnose(cases["java.truncated_stack_trace"], KB).best
    assert "above the first `at` line" in java.entry.summary
    # a complete trace is answered by its exception, never as cut off
    text = "java.lang.IllegalStateException: cart is empty\n" + cases["java.truncated_stack_trace"]
    assert all(d.id != "java.truncated_stack_trace" for d in diagnose(text, KB).diagnoses)


def test_a_wrappers_exit_status_names_the_failure_above_and_stays_generic():
    text = ("Building image...\n  ERROR: failed to get console: not a console\n"
            "  Error: Process completed with exit code 1.\n")
    d = diagnose(text, KB).best
    assert d.id == "ci.process_exit_code" and d.generic and d.confidence < 0.5
    assert d.title == "A step failed with exit code 1: ERROR: failed to get console: not a console"
    # a specific entry for the line above ranks above the wrapper
    text = "src/main.c:5:3: error: 'x' undeclared (first use in this function)\nmake: *** [Makefile:4: app] Error 1\n"
    assert diagnose(text, KB).best.id != "ci.process_exit_code"


def test_anatomy_captures_enrich_catalogue_entries():
    text = ("Traceback (most recent call last):\n  File \"/srv/a.py\", line 3, in f\n    open(p)\n"
            "PermissionError: [Errno 13] Permission denied: '/var/lib/app/state.db'\n")
    d = diagnose(text, KB).best
    assert d.captures["frame"] == "/srv/a.py:3 in f()" and d.captures["path"] == "/var/lib/app/state.db"


# -- JVM, Go, Rust, .NET, Ruby, PHP families --------------------------------------------------------------


def _ids(text: str) -> list[str]:
    return [d.id for d in diagnose(text, KB).diagnoses]


def test_a_java_caused_by_chain_is_answered_by_its_innermost_cause():
    text = ('Exception in thread "main" java.lang.RuntimeException: cannot read settings.port\n'
            "\tat com.acme.App.main(App.java:21)\n"
            'Caused by: java.lang.NumberFormatException: For input string: "x1"\n'
            "\tat java.base/java.lang.Integer.parseInt(Integer.java:668)\n"
            "\tat com.acme.Settings.port(Settings.java:31)\n\t... 1 more\n")
    d = diagnose(text, KB).best
    assert d.id == "java.number_format_exception" and _placed(d)
    assert d.captures["input"] == "x1" and d.captures["frame"] == "Settings.java:31 in com.acme.Settings.port()"
    assert d.captures["wrapped_by"] == "RuntimeException: cannot read settings.port"
    assert '"x1"' in d.entry.title and "Line 31 of Settings.java" in d.entry.summary


def test_a_helpful_npe_names_the_null_expression_and_an_old_one_is_generic():
    d = diagnose('Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because '
                 '"name" is null\n\tat com.acme.Config.parse(Config.java:40)\n', KB).best
    assert d.id == "java.null_pointer_exception" and not d.generic and '"name" is null' in d.entry.title
    d = diagnose("java.lang.NullPointerException\n\tat com.acme.App.main(App.java:9)\n", KB).best
    assert d.id == "java.null_pointer_exception" and d.generic and d.confidence < 0.5


def test_go_and_rust_panics_variant_first_root_generic():
    go = ("panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n"
          "\t/home/u/proj/main.go:16 +0x245\nexit status 2\n")
    d = diagnose(go, KB).best
    assert d.id == "go.index_out_of_range" and not d.generic
    assert d.captures["frame"] == "/home/u/proj/main.go:16 in main.main()" and "element 5" in d.entry.summary
    assert diagnose('panic: unknown mode "fast"\n\ngoroutine 1 [running]:\nmain.main()\n\t/a/main.go:3 +0x1\n',
                    KB).best.generic
    rust = "thread 'main' (12682) panicked at src/main.rs:7:38:\nindex out of bounds: the len is 3 but the index is 7\n"
    d = diagnose(rust, KB).best
    assert d.id == "rust.index_out_of_bounds" and d.captures["frame"] == "src/main.rs:7"


def test_dotnet_inner_exception_and_bare_trace():
    text = ("Unhandled exception. System.InvalidOperationException: Could not load settings\n"
            " ---> System.FormatException: The input string 'abc' was not in a correct format.\n"
            "   at System.Int32.Parse(String s)\n   at Demo.Program.Load() in /src/Demo/Program.cs:line 12\n"
            "   --- End of inner exception stack trace ---\n   at Demo.Program.Main() in /src/Demo/Program.cs:line 5\n")
    d = diagnose(text, KB).best
    assert d.id == "dotnet.format_exception" and d.captures["frame_line"] == "12"
    d = diagnose("System.NullReferenceException: Object reference not set to an instance of an object.\n"
                 "   at Shop.Orders.Total(Order o) in /src/Shop/Orders.cs:line 27\n", KB).best
    assert d.id == "dotnet.null_reference_exception" and not d.generic


def test_an_exception_inside_a_ruby_test_report_ranks_below_the_runner():
    minitest = ("  1) Error:\nUserTest#test_display_name:\nNoMethodError: undefined method `name' for nil:NilClass\n"
                "    app/models/user.rb:12:in `display_name'\n    test/models/user_test.rb:8:in `block in <class:T>'\n"
                "\n1 runs, 0 assertions, 0 failures, 1 errors, 0 skips\n")
    ids = _ids(minitest)
    assert ids[0] == "minitest.tests_failed" and "ruby.no_method_error_nil" in ids
    rspec = ("  1) User#display_name returns the name\n     Failure/Error: expect(user.display_name).to eq('Kim')\n\n"
             "     NoMethodError:\n       undefined method `name' for nil:NilClass\n"
             "     # ./app/models/user.rb:12:in `display_name'\n\n1 example, 1 failure\n")
    ids = _ids(rspec)
    assert ids[0] == "rspec.examples_failed" and "ruby.no_method_error_nil" in ids
    d = diagnose("app.rb:2:in `greet': undefined method `upcase' for nil:NilClass (NoMethodError)\n"
                 "\tfrom app.rb:6:in `run'\n", KB).best
    assert d.id == "ruby.no_method_error_nil" and d.captures["method"] == "upcase" and not d.generic


def test_a_catalogue_entry_outranks_a_jvm_family_answer_to_the_same_error():
    text = ("java.io.FileNotFoundException: /var/lib/ci/builds/12/log (No space left on device)\n"
            "\tat java.base/java.io.FileOutputStream.open0(Native Method)\n\tat ci.Run.execute(Run.java:1800)\n")
    ids = _ids(text)
    assert ids[0] == "ci.no_space_left_on_device" and "java.file_not_found_exception" in ids


def test_php_family_variant_and_memory_limit():
    d = diagnose("PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/db.php:3\n"
                 "Stack trace:\n#0 {main}\n  thrown in /var/www/db.php on line 3\n", KB).best
    assert d.id == "php.undefined_function" and d.captures["php_function"] == "mysql_connect"
    d = diagnose("PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)"
                 " in /var/www/export.php on line 88", KB).best
    assert d.id == "php.memory_exhausted" and d.captures["memory_limit_bytes"] == "134217728"


def test_an_entrys_exclude_phrases_bar_its_anatomy_hits_too():
    jenkins = ("java.lang.NoSuchMethodError: No such DSL method 'publishHTML' found among steps [sh]\n"
               "\tat org.jenkinsci.plugins.workflow.cps.DSL.invokeMethod(DSL.java:219)\n")
    assert "java.no_such_method_error" not in _ids(jenkins)
    d = diagnose("java.lang.NoSuchMethodError: 'void com.acme.Lib.run(java.lang.String)'\n"
                 "\tat com.acme.App.main(App.java:5)\n", KB).best
    assert d.id == "java.no_such_method_error" and not d.generic


def test_a_wrapper_entry_is_never_a_confident_answer():
    # "exit code 1" says that something failed, not what: like a generic family answer, below 0.5
    d = diagnose("Error: Process completed with exit code 1.", KB).best
    assert d.entry.generic and d.generic and 0.3 <= d.confidence < 0.5


def test_a_wrapper_ranks_below_a_generic_answer_about_the_error_it_reports():
    # the compile error is in a system header (generic: not the user's line to edit), the exit status is a
    # wrapper: the error printed above the status still comes first (schema: wrappers never outrank a cause)
    text = ("In file included from /usr/include/c++/12/map:60,\n"
            "                 from src/main.cpp:3:\n"
            "/usr/include/c++/12/bits/stl_function.h:408:20: error: no match for 'operator<' (operand types are"
            " 'const Point' and 'const Point')\n"
            "  408 |       { return __x < __y; }\n"
            "make: *** [Makefile:12: build] Error 1\n"
            "Error: Process completed with exit code 2.\n")
    ds = diagnose(text, KB).diagnoses
    assert [d.id for d in ds[:2]] == ["c.compile_error", "ci.process_exit_code"]
    assert ds[0].generic and ds[1].confidence > ds[0].confidence  # by rank, not by confidence
    # alone, the status is still the answer
    assert diagnose("Error: Process completed with exit code 2.", KB).best.id == "ci.process_exit_code"


def test_a_look_alike_line_alone_stays_below_the_confident_band():
    from dataclasses import replace

    from errdiag.families import FUZZY_CAP, finish
    from errdiag.models import Evidence

    d = diagnose("fatal: not a git repository (or any of the parent directories): .git", KB).best
    assert d.confidence >= 0.6 and finish(d).confidence == d.confidence  # an exact hit keeps its confidence
    look_alike = replace(d, evidence=(Evidence("not a git repository", "literal", "fuzzy", 1, 1.0),
                                      Evidence("git", "context", "context", None, 0.12)))
    squeezed = finish(look_alike).confidence
    assert 0.3 <= squeezed <= FUZZY_CAP < 0.6
    weaker = finish(replace(look_alike, confidence=d.confidence - 0.1)).confidence
    assert weaker < squeezed  # the order of look-alike answers is kept


NGINX_UNDER_SYSTEMD = """$ sudo systemctl status nginx
x nginx.service - A high performance web server and a reverse proxy server
     Loaded: loaded (/lib/systemd/system/nginx.service; enabled; vendor preset: enabled)
     Active: failed (Result: exit-code) since Tue 2024-03-05 09:12:44 UTC; 8s ago
    Process: 2211 ExecStartPre=/usr/sbin/nginx -t -q -g daemon on; master_process on; (code=exited, status=1/FAILURE)
"""


def test_a_wrappers_message_never_fills_the_programs_own_title():
    # the systemd fault's `message` is the unit's description line, not what nginx said
    d = diagnose(NGINX_UNDER_SYSTEMD, KB).best
    assert d.id == "nginx.config_test_failed"
    assert "A high performance web server" not in d.entry.title and "message" not in d.captures
    unit = next(x for x in diagnose(NGINX_UNDER_SYSTEMD, KB).diagnoses if x.id == "systemd.unit_failed")
    assert unit.captures["unit"] == "nginx.service"  # systemd's own entries still get the unit's facts


def test_the_programs_own_error_leads_its_unit_failure():
    text = ("TASK [web : restart nginx] ****************************************************\n"
            'fatal: [web1]: FAILED! => {"changed": false, "msg": "Unable to restart service nginx: Job for '
            'nginx.service failed because the control process exited with error code.\\nSee \\"systemctl '
            'status nginx.service\\" and \\"journalctl -xe\\" for details.\\n"}\n'
            "\n"
            "Mar 05 09:12:44 web1 systemd[1]: Starting A high performance web server...\n"
            "Mar 05 09:12:44 web1 nginx[2211]: nginx: [emerg] unknown directive \"proxy_passs\" in "
            "/etc/nginx/sites-enabled/app:14\n"
            "Mar 05 09:12:44 web1 nginx[2211]: nginx: configuration file /etc/nginx/nginx.conf test failed\n"
            "Mar 05 09:12:44 web1 systemd[1]: nginx.service: Control process exited, code=exited, status=1/FAILURE\n"
            "Mar 05 09:12:44 web1 systemd[1]: nginx.service: Failed with result 'exit-code'.\n")
    ids = [d.id for d in diagnose(text, KB).diagnoses]
    assert ids[0].startswith("nginx."), ids  # not systemd.job_failed, though the key line is its line


def test_an_exception_phpunit_lists_among_its_errors_leads_the_runner():
    text = ("There were 2 errors:\n\n1) Tests\\Cart\\TotalTest::testSum\n"
            "Error: Call to a member function items() on null\n\n"
            "/srv/shop/src/Cart/Total.php:31\n/srv/shop/tests/Cart/TotalTest.php:12\n\n"
            "ERRORS!\nTests: 9, Assertions: 14, Errors: 2.\n")
    ds = diagnose(text, KB).diagnoses
    assert ds[0].id == "php.member_function_on_null" and not ds[0].generic
    assert ds[0].captures["frame"] == "/srv/shop/src/Cart/Total.php:31"
    runner = next(d for d in ds if d.id == "phpunit.tests_failed")  # still listed, behind it
    assert runner.title == "PHPUnit: testSum failed or raised an error"
    rerun = runner.fill(runner.entry.quick_fixes[0].command)
    assert rerun == "vendor/bin/phpunit --filter 'testSum'"  # by the test's name, never the source file
    # an assertion that did not hold is the runner's answer
    failed = text.replace("2 errors", "2 failures").replace(
        "Error: Call to a member function items() on null", "Failed asserting that 6 matches expected 7.")
    assert diagnose(failed, KB).best.id == "phpunit.tests_failed"


def test_a_jest_suite_that_failed_to_run_is_not_a_failing_test():
    text = ("FAIL  src/app.test.js\n  ● Test suite failed to run\n\n    /home/u/web/src/a.scss:1\n"
            "    .banner { color: red; }\n    ^\n\n    SyntaxError: Unexpected token '.'\n")
    assert diagnose(text, KB).best.id != "jest.tests_failed"


def test_a_handled_error_above_a_cut_off_chain_is_not_the_answer():
    text = ('Traceback (most recent call last):\n  File "/srv/lib/props.py", line 29, in __get__\n'
            '    return obj.__dict__[self.name]\nKeyError: \'worker\'\n\n'
            'During handling of the above exception, another exception occurred:\n\n'
            'Traceback (most recent call last):\n  File "/usr/bin/tool", line 9, in <module>\n    main()\n')
    assert _ids(text)[0] == "python.truncated_traceback"


def test_a_family_of_another_language_does_not_answer_an_error_of_unknown_language():
    ids = _ids("XlaRuntimeError: INTERNAL: RET_CHECK failure (hlo_computation.cc:962) shapes differ\n")
    assert not any(i.startswith(("node.", "javascript.")) for i in ids), ids
    assert _ids('TypeError: Unknown file extension ".ts"\n')[0] == "node.err_unknown_file_extension"


def test_a_catalogue_entry_without_its_specific_captures_is_generic():
    d = diagnose("Error: No such file or directory (os error 2)\n", KB).best
    assert d.id == "linux.no_such_file_or_directory" and d.generic and d.confidence < 0.5
    d = diagnose("./build.sh: line 187: /opt/vm/bin/squeak: No such file or directory\n", KB).best
    assert d.id == "linux.no_such_file_or_directory" and not d.generic
    assert "mkdir" not in (d.entry.quick_fixes[0].command or "")  # the path may be a program: look first


# -- answers that point into code that is not the user's, and what >= 0.6 promises -------------------------

GO_MODCACHE = ("# github.com/shurcooL/github_flavored_markdown\n/home/dev/go/pkg/mod/github.com/shurcoo!l/"
               "github_flavored_markdown@v0.0.0-20210228213109-c3a9aa474629/main.go:36:30: "
               "undefined: blackfriday.HtmlRenderer\n")


def test_an_answer_that_sends_the_user_into_library_code_steps_back():
    d = diagnose(GO_MODCACHE, KB).best
    assert d.id == "go.undefined" and d.generic and d.confidence < 0.5  # a dependency's file, not theirs to edit
    assert "is not your code" in d.entry.summary
    assert "Do not edit it: upgrade the Go module github.com/shurcoo!l" in d.entry.quick_fixes[0].title
    own = diagnose("# example.com/app\n./main.go:36:30: undefined: blackfriday.HtmlRenderer\n", KB).best
    assert own.id == "go.undefined" and _placed(own)
    assert "is not your code" not in own.entry.summary
    goroot = diagnose("# runtime\n/usr/local/go/src/runtime/mbitmap_x.go:53:2: mallocHeaderSize redeclared in this "
                      "block\n", KB).best
    # a Go installation with files of two releases: nothing to fix at line 53; go.mixed_installation says so
    assert goroot.id == "go.mixed_installation" or goroot.generic
    gomod = diagnose("internal/store/pg.go:12:2: undefined: pgx.Connect\n", KB).best  # a Go module's own internal/
    assert gomod.id == "go.undefined" and not gomod.generic


def test_a_family_answer_without_the_users_frame_stays_below_0_6():
    bare = diagnose("NameError: name 'build_graph_fn' is not defined\n", KB).best
    assert bare.id == "python.name_error" and _held_back(bare)
    placed = diagnose('Traceback (most recent call last):\n  File "/home/kim/app/run.py", line 7, in main\n'
                      "    build_graph_fn(x)\nNameError: name 'build_graph_fn' is not defined\n", KB).best
    assert placed.id == "python.name_error" and _placed(placed) and placed.confidence > bare.confidence


def test_node_core_files_are_not_the_users_frame():
    text = ("TypeError: Cannot call method 'replace' of undefined\n"
            "    at /srv/app/node_modules/connect/lib/middleware/errorHandler.js:59:16\n"
            "    at [object Object].<anonymous> (fs.js:88:5)\n    at afterRead (fs.js:1106:12)\n"
            "    at Console.warn (console.js:51:14)\n")
    d = diagnose(text, KB).best
    assert d.id == "node.type_error" and "frame" not in d.captures and "fs.js" not in d.entry.summary


def test_a_shell_error_that_names_the_shell_has_no_script():
    d = diagnose("bash: line 142: syntax error near unexpected token `)'\n", KB).best
    assert d.id == "shell.syntax_error_unexpected_token" and d.generic and "script" not in d.captures
    assert "bash -n bash" not in " ".join(f.command or "" for f in d.entry.quick_fixes)
    s = diagnose("./deploy.sh: line 12: syntax error near unexpected token `fi'\n", KB).best
    assert s.captures["script"] == "./deploy.sh" and not s.generic


def test_captures_that_are_the_wrong_kind_of_thing():
    gem = diagnose("ERROR:  While executing gem ... (Gem::UnknownCommandError)\n    Unknown command update --system\n",
                   KB).best
    assert gem.id == "gem.unknown_command" and gem.generic  # a command and its options passed as one argument
    ns = diagnose("ImportError: No module named backports.configparser\n", KB).best
    assert ns.captures["package"] == "backports.configparser"  # a namespace package, not `pip install backports`
    local = diagnose("ModuleNotFoundError: No module named 'utils'\n", KB).best
    assert local.id == "python.module_not_found" and local.generic  # the user's own module: nothing to install
    gemfile = diagnose("x.rb:1:in `require': cannot load such file -- rails/console/app (LoadError)\n", KB).best
    # a file of a gem: not a gem to add, the child entry that asks which gem should own the file
    assert gemfile.id == "ruby.load_error_file_inside_gem" and "gem" not in gemfile.captures
    assert gemfile.captures["gem_dir"] == "rails"
    assert diagnose("x.rb:1:in `require': cannot load such file -- nokogiri (LoadError)\n", KB).best.captures["gem"] \
        == "nokogiri"
    pipfile = diagnose("ERROR: Could not find a version that satisfies the requirement requirements-dev.txt "
                       "(from versions: none)\nERROR: No matching distribution found for requirements-dev.txt\n", KB)
    assert all(d.id != "pip.no_matching_distribution" for d in pipfile.diagnoses)  # a file given without -r


def test_a_docker_inspect_oomkilled_false_is_no_kill():
    text = '"State": {\n    "Status": "restarting",\n    "OOMKilled": false,\n    "ExitCode": 1\n}\n'
    assert all(d.id != "exit.sigkill" for d in diagnose(text, KB).diagnoses)
    assert diagnose("Reason: OOMKilled\nExit Code: 137\n", KB).best is not None


def test_a_catalogue_answer_on_a_weak_phrase_stays_below_0_6():
    d = diagnose("Tests:       1 failed, 3 passed, 4 total\n", KB).best
    assert d.id == "jest.tests_failed" and _held_back(d)  # a summary line
    strong = diagnose("ERROR: No matching distribution found for tensorflow==2.10.0\n", KB).best
    assert strong.id == "pip.no_matching_distribution" and strong.confidence >= 0.6  # decisive on its own


# -- round 8: what >= 0.6 promises on real pastes ---------------------------------------------------------

def _best(text: str):
    return diagnose(text, KB).best


def test_an_import_of_the_packages_own_module_is_never_pip_install():
    relative = ('Traceback (most recent call last):\n  File "run.py", line 3, in <module>\n    import shapes\n'
                '  File "/opt/venv/lib/python3.11/site-packages/shapes/__init__.py", line 2, in <module>\n'
                '    from .solids.cube import Cube\nImportError: No module named solids.cube\n')  # Python 2
    d = _best(relative)
    assert d.id == "python.module_not_found" and d.generic and d.confidence < 0.5 and not d.captures.get("package")
    py2_sub = ('Traceback (most recent call last):\n  File "/usr/bin/mytool", line 5, in <module>\n'
               '    import mytool.cli\nImportError: No module named cli\n')
    assert _best(py2_sub).generic  # mytool was found; its cli module is missing: nothing named cli to install
    sibling = ('Traceback (most recent call last):\n  File "/usr/bin/tool", line 9, in <module>\n    tool.main()\n'
               '  File "/usr/lib/python3/dist-packages/tool/base.py", line 40, in main\n    from .runner import go\n'
               '  File "/usr/lib/python3/dist-packages/tool/runner.py", line 3, in <module>\n'
               '    from base import *\nModuleNotFoundError: No module named \'base\'\n')
    assert _best(sibling).generic  # base.py sits beside runner.py: a Python 2 implicit relative import
    third_party = ('Traceback (most recent call last):\n  File "/srv/app/main.py", line 1, in <module>\n'
                   '    import requests\nModuleNotFoundError: No module named \'requests\'\n')
    d = _best(third_party)
    assert d.id == "python.module_not_found" and _placed(d) and d.captures["package"] == "requests"
    lib_dep = ('Traceback (most recent call last):\n  File "/srv/app/main.py", line 1, in <module>\n    import tool\n'
               '  File "/opt/venv/lib/python3.11/site-packages/tool/__init__.py", line 1, in <module>\n'
               '    import yaml\nModuleNotFoundError: No module named \'yaml\'\n')
    assert _best(lib_dep).captures["package"] == "pyyaml"  # a library's missing dependency is still installable


def test_relative_import_error_answers_only_its_own_message():
    text = ('Traceback (most recent call last):\n  File "/srv/app/main.py", line 1, in <module>\n'
            '    from tool import x\nImportError: No module named tool\n')
    assert all(d.id != "python.relative_import_error" for d in diagnose(text, KB).diagnoses)
    own = ('Traceback (most recent call last):\n  File "pkg/mod.py", line 1, in <module>\n    from .b import c\n'
           'ImportError: attempted relative import with no known parent package\n')
    assert _best(own).id == "python.relative_import_error"


def test_an_exit_status_answer_with_its_cause_printed_above_stays_below_0_6():
    bare = "The command '/bin/sh -c make build' returned a non-zero code: 2\n"
    d = _best(bare)
    assert d.id == "docker.run_step_failed" and _placed(d)  # nothing else to say: the step is the answer
    caused = ("Step 5/9 : RUN make build\nerror: frobgen: unsupported template flavour 'qux'\n"
              "make: *** [Makefile:3: build] Error 1\n" + bare)
    d = _best(caused)
    assert d.id == "docker.run_step_failed" and _held_back(d)
    assert d.entry.summary.startswith("The output above shows why it failed: `error: frobgen: unsupported")
    npm = ("> demo@1.0.0 start\n> node server.js\n\nError: Cannot find module 'express'\n"
           "    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:933:15)\n"
           "    at Object.<anonymous> (/srv/demo/server.js:1:17)\n"
           "npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nnpm ERR! demo@1.0.0 start: `node server.js`\n"
           "npm ERR! Exit status 1\nnpm ERR!\nnpm ERR! Failed at the demo@1.0.0 start script.\n")
    assert _best(npm).id == "node.cannot_find_module"  # the cause leads, the script's failure is behind it


def test_a_family_answer_to_an_http_status_stays_below_0_6():
    text = "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://api.example.com/v1/items\n"
    d = _best(text)
    assert d.id == "http.status_503" and _held_back(d)


def test_a_test_runner_answer_steps_back_when_the_runner_itself_crashed():
    report = ("Run options: --seed 1\n\n# Running:\n\nF\n\nFailure:\nCartTest#test_total [/app/test/cart_test.rb:7]:\n"
              "Expected 3 to equal 4.\n\n")
    d = _best(report)
    assert d.id == "minitest.tests_failed" and _placed(d)
    crashed = report + ("/usr/lib/ruby/gems/3.1.0/gems/someplugin-1.0/lib/plugin/reporter.rb:12:in `fmt': "
                        "undefined method `source_location' for nil:NilClass (NoMethodError)\n"
                        "\tfrom /usr/lib/ruby/gems/3.1.0/gems/someplugin-1.0/lib/plugin/reporter.rb:5:in `record'\n")
    d = next(x for x in diagnose(crashed, KB).diagnoses if x.id == "minitest.tests_failed")
    assert _held_back(d)


def test_the_catch_all_c_compile_error_restates_and_stays_below_0_6():
    d = _best("src/parse.c:88:12: error: expected ';' before '}' token\n")
    assert d.id == "c.compile_error" and _held_back(d)
    assert _best("main.c:1:10: fatal error: zlib.h: No such file or directory\n").confidence >= 0.6  # a refining entry


def test_an_error_name_python_shares_is_javascripts_under_a_js_frame():
    text = "  AssertionError: expected 500 to be 200 // Object.is equality\n      at src/api.test.ts:42:19\n"
    assert all(not d.id.startswith("python.") for d in diagnose(text, KB).diagnoses)
    esm = ("SyntaxError: The requested module 'left-pad' does not provide an export named 'padStart'\n")
    assert all(not d.id.startswith("python.") for d in diagnose(esm, KB).diagnoses)


def test_python3_syntax_in_a_runtime_traceback_is_no_python2_answer():
    text = ("File ~/lib/python3.11/site-packages/client/api.py:40, in call(url)\n"
            "     39 if r.status_code != 200:\n"
            "---> 40     raise Exception(\n"
            "     41         f\"call failed (code={r.status_code})\"\n"
            "     42         + f\" for address {url}\"\n     43     )\n\n"
            "Exception: call failed (code=500, msg=runner process has terminated: exit status 2) for address "
            "http://localhost:8080/run\n")
    assert all(d.id != "python.python3_code_on_python2" for d in diagnose(text, KB).diagnoses)
    py2 = ('  File "tool.py", line 3\n    print(f"hello {name}")\n                       ^\n'
           "SyntaxError: invalid syntax\n")
    assert _best(py2).id == "python.python3_code_on_python2"


def test_a_publickey_refusal_after_an_accepted_host_key():
    text = ("Cloning into 'proj'...\nThe authenticity of host 'github.com (140.82.121.4)' can't be established.\n"
            "ED25519 key fingerprint is SHA256:abc.\nAre you sure you want to continue connecting (yes/no)? yes\n"
            "Warning: Permanently added 'github.com' (ED25519) to the list of known hosts.\n"
            "Permission denied (publickey).\nfatal: Could not read from remote repository.\n")
    d = _best(text)
    assert d.id == "git.permission_denied_publickey"
    assert all(x.id != "ssh.host_key_verification_failed" for x in diagnose(text, KB).diagnoses)


def test_no_type_error_family_answers_fetchs_network_failure():
    for text in ("TypeError: Failed to fetch",
                 "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13737:13\n"
                 "  [cause]: ConnectTimeoutError: Connect Timeout Error\n"):
        ids = [d.id for d in diagnose(text, KB).diagnoses]
        assert not any(i.endswith("type_error") or "type_error_" in i for i in ids), ids


def test_a_node_type_error_without_frames_gets_no_python_answer():
    ids = [d.id for d in diagnose("'jekyll-build' errored after 320 us\n"
                                  'TypeError: "file" argument must be a non-empty string\n', KB).diagnoses]
    assert ids and not any(i.startswith("python.") for i in ids)


def test_a_key_error_raised_inside_a_library_is_not_pinned_on_a_line_that_looks_nothing_up():
    lib = ('Traceback (most recent call last):\n  File "examples/export.py", line 36, in <module>\n'
           "    onnx_model = xf.export_onnx(graph)\n"
           '  File "/opt/conda/lib/python3.7/site-packages/xflow/__init__.py", line 240, in _input_name\n'
           "    return names[op_type][idx]\nKeyError: 'Concat'\n")
    d = diagnose(lib, KB).best
    assert d.id == "python.key_error" and d.generic and d.confidence < 0.5
    assert d.entry.summary.startswith("The operation that failed is inside library code")
    pandas = ('Traceback (most recent call last):\n  File "a.py", line 5, in <module>\n    print(df["col"])\n'
              '  File "/usr/lib/python3/site-packages/pandas/core/indexes/base.py", line 3655, in get_loc\n'
              "    raise KeyError(key) from err\nKeyError: 'col'\n")
    d = diagnose(pandas, KB).best
    assert d.id == "python.key_error" and _placed(d)


def test_github_actions_line_comes_from_the_error_not_the_annotation_link():
    d = diagnose("Invalid workflow file: .github/workflows/release.yml#L1\nThe workflow is not valid. "
                 ".github/workflows/release.yml (Line: 14, Col: 5): Required property is missing: runs-on\n", KB).best
    assert d.id == "github_actions.invalid_workflow" and d.captures["line"] == "14"


def test_an_unpacking_value_error_raised_inside_a_library_is_generic_unless_the_user_line_unpacks():
    head = 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n'
    lib = ('  File "/opt/venv/lib/python3.11/site-packages/gradio/interface.py", line 265, in launch\n'
           "    server_port=self.server_port)\nValueError: too many values to unpack (expected 2)\n")
    d = diagnose(head + "    gr.Interface(fn=ask).launch()\n" + lib, KB).best
    assert d.id == "python.value_error_unpack" and d.generic and d.confidence < 0.5
    d = diagnose(head + "    host, port = parse(addr)\n" + lib, KB).best
    assert d.id == "python.value_error_unpack" and _placed(d)


# -- round 10: wrong answers stopped by kind ------------------------------------------------------------


def test_python2_names_only_the_missing_tail_of_a_dotted_import():
    bare = "    from sqlalchemy_utils.types import UUIDType\nImportError: No module named types\n"
    d = _best(bare)
    assert d.id.startswith("python.") and d.captures["package"] == "sqlalchemy_utils"  # never `pip install types`
    assert "pip install -U sqlalchemy_utils" in d.entry.quick_fixes[0].command
    user = ('Traceback (most recent call last):\n  File "/srv/jobs/migrate.py", line 4, in <module>\n'
            '    import celery.contrib.testing\nImportError: No module named contrib.testing\n')
    assert _best(user).captures["package"] == "celery"
    whole = _best("ModuleNotFoundError: No module named 'flask_sqlalchemy.model'\n")
    assert whole.captures.get("package") in ("flask_sqlalchemy", None)  # the quoted dotted form: never `model`
    own = ('Traceback (most recent call last):\n  File "/opt/tool/tool/cli.py", line 2, in <module>\n'
           '    import tool.plugins\nImportError: No module named plugins\n')
    assert _best(own).generic  # the importing file is part of `tool`: its own module, nothing to install


def test_a_cut_off_traceback_leads_with_the_error_printed_above_it():
    text = ("GlooError: Internal check failed.\nLast error:\n"
            "Net : Connection closed by remote peer node-3<5123>\n"
            'Traceback (most recent call last):\n  File "/srv/exp/train.py", line 61, in <module>\n    main()\n'
            '  File "/srv/exp/train.py", line 44, in main\n    trainer.fit(model)\n')
    d = _best(text)
    assert d.id == "python.truncated_traceback" and d.entry.summary.startswith("Just above the traceback")
    assert "Connection closed by remote peer" in d.entry.summary
    # an error above the cut that a catalogue entry knows is answered by that entry (NCCL's internal error)
    assert _best(text.replace("GlooError", "ncclInternalError")).id == "torch.nccl_error"
    bare = ('Traceback (most recent call last):\n  File "/srv/exp/train.py", line 61, in <module>\n    main()\n'
            '  File "/srv/exp/train.py", line 44, in main\n    trainer.fit(model)\n')
    assert not _best(bare).entry.summary.startswith("Just above")  # nothing above: ask for the last lines


NPM_START = """> shop-api@1.4.0 start /srv/shop-api
> node server.js

events.js:174
      throw er; // Unhandled 'error' event
      ^

Error: listen EADDRINUSE: address already in use :::8080
    at Server.setupListenHandle [as _listen2] (net.js:1280:14)
    at Server.listen (net.js:1415:7)
    at Object.<anonymous> (/srv/shop-api/server.js:31:8)
npm ERR! code ELIFECYCLE
npm ERR! errno 1
npm ERR! shop-api@1.4.0 start: `node server.js`
npm ERR! Exit status 1
npm ERR!
npm ERR! Failed at the shop-api@1.4.0 start script.
npm ERR! This is probably not a problem with npm. There is likely additional logging output above.
"""


def test_a_wrappers_answer_never_leads_a_specific_answer_about_the_error_it_passed_on():
    # the key line is npm's own (`npm ERR! app@1.4.0 start: ...`), yet the error to fix is the one above it
    ds = diagnose(NPM_START, KB).diagnoses
    assert ds[0].id == "node.eaddrinuse"
    npm = next(d for d in ds if d.id == "npm.lifecycle_script_failed")
    # the wrapper's own answer, further down, starts from that line: its first fix is about it
    assert "EADDRINUSE" in npm.entry.summary.split(".")[0] + npm.entry.summary
    assert "EADDRINUSE" in npm.entry.quick_fixes[0].title
    # with nothing above the status but npm's own lines, the wrapper's answer is the one there is
    bare = NPM_START[NPM_START.index("npm ERR! code"):]
    assert diagnose(bare, KB).best.id == "npm.lifecycle_script_failed"


# (text, the family that answers it, captures the answer must name, words its title must show)
_RUNTIME_FAMILIES = [
    ("Unhandled exception. System.InvalidCastException: Unable to cast object of type 'System.Decimal' to type "
     "'System.Double'.\n   at Shop.Prices.Load(DbDataReader r) in /src/Shop/Prices.cs:line 40\n",
     "dotnet.invalid_cast_exception", {"cast_from": "System.Decimal", "frame_line": "40"}, "System.Double"),
    ("System.UnauthorizedAccessException: Access to the path '/data/cache/index.bin' is denied.\n"
     " ---> System.IO.IOException: Permission denied\n   --- End of inner exception stack trace ---\n"
     "   at Indexer.Cache.Save() in /src/Indexer/Cache.cs:line 12\n",
     "dotnet.unauthorized_access_exception", {"denied_path": "/data/cache/index.bin"}, "/data/cache/index.bin"),
    ("System.IO.IOException: The process cannot access the file 'D:\\out\\a.log' because it is being used by another "
     "process.\n   at Tools.Log.Roll() in D:\\src\\Tools\\Log.cs:line 88\n",
     "dotnet.io_file_in_use", {"locked_path": "D:\\out\\a.log"}, "D:\\out\\a.log"),
    ("Unhandled exception. System.DivideByZeroException: Attempted to divide by zero.\n"
     "   at Grades.Report.Mean(Int32[] xs) in /home/k/Grades/Report.cs:line 5\n",
     "dotnet.divide_by_zero_exception", {"frame_line": "5"}, "Report.cs"),
    ("System.OverflowException: Value was either too large or too small for an Int32.\n"
     "   at System.Int32.Parse(String s)\n   at Ids.Reader.Next() in /src/Ids/Reader.cs:line 9\n",
     "dotnet.overflow_exception", {"overflow_type": "Int32"}, "Reader.cs"),
    ("System.NotImplementedException: The method or operation is not implemented.\n"
     "   at Pay.StripeGateway.Refund(Decimal amount) in /src/Pay/StripeGateway.cs:line 30\n",
     "dotnet.not_implemented_exception", {"frame_line": "30"}, "Pay.StripeGateway.Refund"),
    ("lib/import.rb:3:in `read': No such file or directory @ rb_sysopen - seeds/users.csv (Errno::ENOENT)\n"
     "\tfrom lib/import.rb:3:in `run'\n",
     "ruby.errno_enoent", {"rb_path": "seeds/users.csv"}, "seeds/users.csv"),
    ("lib/log.rb:8:in `initialize': Permission denied @ rb_sysopen - /var/log/app.log (Errno::EACCES)\n"
     "\tfrom lib/log.rb:8:in `open'\n",
     "ruby.errno_eacces", {"rb_path": "/var/log/app.log"}, "/var/log/app.log"),
    ("lib/calc.rb:4:in `/': divided by 0 (ZeroDivisionError)\n\tfrom lib/calc.rb:4:in `ratio'\n",
     "ruby.zero_division_error", {"frame_line": "4"}, "lib/calc.rb"),
    ("lib/name.rb:2:in `upcase!': can't modify frozen String: \"ada\" (FrozenError)\n\tfrom lib/name.rb:2:in `shout'\n",
     "ruby.frozen_error", {"frame_line": "2"}, "can't modify frozen String"),
    ("PHP Fatal error:  Uncaught ArgumentCountError: Too few arguments to function Shop\\Cart::add(), 1 passed in "
     "/srv/shop/src/Api.php on line 40 and exactly 2 expected in /srv/shop/src/Cart.php:12\nStack trace:\n"
     "#0 /srv/shop/src/Api.php(40): Shop\\Cart->add(7)\n#1 {main}\n",
     "php.argument_count_error", {"php_callee": "Shop\\Cart::add", "php_expected": "2"}, "Shop\\Cart::add"),
    ("PHP Fatal error:  Uncaught DivisionByZeroError: Division by zero in /srv/app/stats.php:7\nStack trace:\n"
     "#0 /srv/app/index.php(3): rate(5, 0)\n#1 {main}\n",
     "php.division_by_zero_error", {"frame_line": "7"}, "stats.php"),
    ("Exception in thread \"main\" kotlin.NotImplementedError: An operation is not implemented: export csv\n"
     "\tat com.acme.ExportKt.toCsv(Export.kt:8)\n\tat com.acme.MainKt.main(Main.kt:3)\n",
     "kotlin.not_implemented_error", {"todo_reason": "export csv"}, "com.acme.ExportKt.toCsv"),
]


def test_everyday_runtime_families_name_this_texts_case():
    for text, wanted, caps, shown in _RUNTIME_FAMILIES:
        d = diagnose(text, KB).best
        assert d is not None and d.id == wanted, (wanted, d and d.id)
        assert not d.generic and d.confidence >= 0.5, (wanted, d.confidence)
        for k, v in caps.items():
            assert d.captures.get(k) == v, (wanted, k, d.captures.get(k))
        assert shown in d.entry.title and "{{" not in d.entry.title + d.entry.summary, (wanted, d.entry.title)


def test_everyday_runtime_families_stay_in_their_language_and_type():
    # a Ruby RuntimeError is no FrozenError; Python's and Java's look-alikes get no .NET or Ruby answer
    ids = [d.id for d in diagnose("app/controllers/a_controller.rb:9:in `show': boom (RuntimeError)\n"
                                  "\tfrom app/controllers/a_controller.rb:9:in `call'\n", KB).diagnoses]
    assert "ruby.frozen_error" not in ids
    for text in ("ZeroDivisionError: division by zero", "java.lang.ArithmeticException: / by zero",
                 "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'"):
        ids = [d.id for d in diagnose(text, KB).diagnoses]
        assert not any(i.startswith(("dotnet.", "ruby.")) for i in ids), (text, ids)
    # an IOException with no known reason is the catch-all's, generic; the file-in-use variant needs its words
    d = diagnose("System.IO.IOException: The handle is invalid.\n   at A.B.C() in /src/A/B.cs:line 3\n", KB).best
    assert d.id == "dotnet.io_exception" and d.generic
