"""The anatomy reader: every traceback shape, causes, user vs library frames, HTTP, exit and signal."""

from __future__ import annotations

from errdiag.anatomy import Collector, is_library, read


def one(text: str, kind: str | None = None):
    faults = [f for f in read(text) if kind is None or f.kind == kind]
    assert len(faults) == 1, faults
    return faults[0]


# --- Python ------------------------------------------------------------------------------------

PY = """Traceback (most recent call last):
  File "/home/kim/app/load.py", line 42, in load
    return cfg["database"]["host"]
  File "/home/kim/.venv/lib/python3.11/site-packages/box/box.py", line 10, in __getitem__
    raise KeyError(item)
KeyError: 'host'
"""


def test_python_plain_traceback_user_frame_over_library_frame():
    f = one(PY)
    c = f.captures()
    assert (f.kind, f.language, f.short_type, f.line) == ("exception", "python", "KeyError", 6)
    assert c["frame"] == "/home/kim/app/load.py:42 in load()"
    assert c["frame_code"] == 'return cfg["database"]["host"]'
    assert c["where"] == "line 42 of /home/kim/app/load.py, in load()"
    assert c["lib_frame"].startswith("/home/kim/.venv/lib/python3.11/site-packages/box/box.py:10")
    assert c["key"] == "host" and c["message"] == "'host'"


def test_python_chained_causes():
    text = """Traceback (most recent call last):
  File "app.py", line 3, in <module>
    x = {}["a"]
KeyError: 'a'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "app.py", line 5, in <module>
    raise ValueError("bad config")
ValueError: bad config
"""
    f = one(text)
    assert f.short_type == "ValueError" and f.causes == [("KeyError", "'a'")]
    assert f.captures()["cause"] == "KeyError: 'a'"
    direct = text.replace("During handling of the above exception, another exception occurred:",
                          "The above exception was the direct cause of the following exception:")
    assert one(direct).causes == [("KeyError", "'a'")]


def test_python_rich_traceback():
    text = """╭──────────────── Traceback (most recent call last) ────────────────╮
│ /home/u/cli.py:42 in main                                          │
│                                                                    │
│   41 │   cfg = load()                                              │
│ ❱ 42 │   print(cfg["name"])                                        │
│   43                                                               │
╰────────────────────────────────────────────────────────────────────╯
KeyError: 'name'
"""
    c = one(text).captures()
    assert c["frame"] == "/home/u/cli.py:42 in main()" and c["frame_code"] == 'print(cfg["name"])'
    assert c["key"] == "name"


def test_python_syntax_error_without_traceback_header_and_pytest_short_form():
    f = one('  File "a.py", line 2\n    x = (1,\n        ^\nSyntaxError: \'(\' was never closed\n')
    assert f.language == "python" and f.captures()["frame_line"] == "2"
    f = one("    def test_x():\n>       assert d['k'] == 1\nE       KeyError: 'k'\n\ntests/test_a.py:7: KeyError\n")
    assert f.captures()["frame"] == "tests/test_a.py:7"


def test_truncated_python_traceback_is_recognised():
    f = one('Traceback (most recent call last):\n  File "run.py", line 8, in <module>\n    main()\n'
            '  File "run.py", line 3, in main\n    train()\n')
    assert f.kind == "truncated" and f.language == "python"
    assert f.captures()["frame"] == "run.py:3 in main()"


def test_a_chain_cut_off_after_during_handling_is_truncated_not_the_handled_error():
    text = ('Traceback (most recent call last):\n  File "/srv/lib/props.py", line 29, in __get__\n'
            '    return obj.__dict__[self.name]\nKeyError: \'worker\'\n\n'
            'During handling of the above exception, another exception occurred:\n\n'
            'Traceback (most recent call last):\n  File "/usr/bin/tool", line 9, in <module>\n    main()\n')
    f = read(text)[-1]
    assert f.kind == "truncated" and f.causes == [("KeyError", "'worker'")]
    assert [x.handled for x in read(text)] == [True, False]  # kept for what it names, answered by no family
    # after "the direct cause" the earlier exception is the cause: it stays the fault
    direct = text.replace("During handling of the above exception, another exception occurred:",
                          "The above exception was the direct cause of the following exception:")
    assert [f.kind for f in read(direct)] == ["exception", "truncated"]


def test_tracebacks_behind_a_line_prefix_or_without_a_header_are_read():
    frames = ['  File "/srv/app/db.py", line 12, in connect', "    engine.connect()",
              '  File "/srv/venv/lib/python3.11/site-packages/sqlalchemy/base.py", line 80, in connect',
              "    return self._connection_cls(self)"]
    for prefix in ("stderr: ", "api-1            | ", "2024-03-01 10:00:02 | ERROR | stderr | "):
        text = "\n".join(prefix + x for x in ["Traceback (most recent call last):"] + frames)
        f = one(text)
        assert f.kind == "truncated" and f.captures()["frame"] == "/srv/app/db.py:12 in connect()", prefix
    f = one("\n".join(frames))  # frames only: no header
    assert f.kind == "truncated" and f.facts["frames_seen"] == "2"
    f = one("\n".join(frames + ["OperationalError: unable to open database file"]))
    assert f.kind == "exception" and f.captures()["frame"] == "/srv/app/db.py:12 in connect()"
    # a log whose lines share a stamp but hold no stack trace keeps its stamps (nothing to read there)
    assert read("2024-03-01 10:00:02 | INFO | web | started\n" * 4) == []


def test_rich_traceback_without_its_header_or_exception_line_is_truncated():
    text = """│ /home/u/train.py:7 in <module>                                │
│                                                               │
│ ❱ 7 │   sys.exit(main())                                      │
│                                                               │
│ /home/u/venv/lib/python3.10/site-packages/acc/cli.py:45 in    │
│ main                                                          │
│                                                               │
│ ❱ 45 │   args.func(args)                                      │"""
    f = one(text)
    assert f.kind == "truncated" and f.facts["frames_seen"] == "2"
    assert f.captures()["lib_frame"].endswith("cli.py:45 in main()")


def test_ipython_traceback_reads_its_frames_and_exception_or_is_truncated():
    text = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
<ipython-input-3-1a2b> in <module>
----> 1 plot(data)

/usr/lib/python3.9/site-packages/plotlib/axis.py in set_ticks(self, ticks, labels)
   2071         if labels is None and kwargs:
-> 2072             raise ValueError('labels needed')

ValueError: labels needed"""
    f = one(text)
    assert (f.kind, f.short_type, f.message) == ("exception", "ValueError", "labels needed")
    assert f.captures()["frame"] == "<ipython-input-3-1a2b>:1 in <module>"
    f = one(text.rsplit("\n", 2)[0])
    assert f.kind == "truncated" and f.type == "ValueError"


def test_bare_exception_lines_get_a_language():
    assert one("KeyError: 'foo'").language == "python"
    assert one("TypeError: unsupported operand type(s) for +: 'int' and 'str'").language == "python"
    assert one("TypeError: Cannot read properties of undefined (reading 'map')").language == "javascript"
    assert one("TypeError: 'int' object is not iterable").language == "python"
    assert one("TypeError: x is not iterable").language == "javascript"


# --- other runtimes ----------------------------------------------------------------------------

def test_node_error_with_header_frames_and_code():
    text = """/home/u/web/index.js:12
    const n = user.name.length;
                        ^

TypeError: Cannot read properties of undefined (reading 'length')
    at main (/home/u/web/index.js:12:25)
    at Object.<anonymous> (/home/u/web/index.js:20:1)
    at Module._compile (node:internal/modules/cjs/loader:1105:14)
"""
    f = one(text)
    assert (f.language, f.short_type) == ("javascript", "TypeError")
    assert f.captures()["frame"] == "/home/u/web/index.js:12 in main()"
    assert f.captures()["frame_code"] == "const n = user.name.length;"
    assert not f.frames[-1].user  # node:internal


def test_node_error_code_and_cause():
    text = """Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/server.js
    at packageResolve (node:internal/modules/esm/resolve:854:9)
  code: 'ERR_MODULE_NOT_FOUND'
"""
    f = one(text)
    assert f.code == "ERR_MODULE_NOT_FOUND" and f.language == "javascript"
    text = """Error: could not load config
    at load (/srv/app/config.js:10:11)
  [cause]: Error: ENOENT: no such file or directory, open '/srv/app/config.json'
"""
    assert one(text).causes[0][0] == "Error"


def test_java_caused_by_and_library_frames():
    text = """Exception in thread "main" java.lang.IllegalStateException: boom
\tat com.acme.App.run(App.java:42)
\tat java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.io.FileNotFoundException: /etc/x.conf (No such file or directory)
\tat java.base/java.io.FileInputStream.open0(Native Method)
\t... 3 more
"""
    f = one(text)  # the fault is the innermost cause; the outermost exception only wraps it
    assert f.language == "java" and f.short_type == "FileNotFoundException" and f.line == 4
    assert f.message == "/etc/x.conf (No such file or directory)"
    assert f.facts["wrapped_by"] == "IllegalStateException: boom" and (f.start, f.end) == (1, 6)
    assert not f.frames[0].user  # the cause's own frames first, then the ones it shares with its wrapper
    assert f.captures()["frame"] == "App.java:42 in com.acme.App.run()"


def test_java_chain_of_three_answers_the_root_with_its_own_user_frame():
    text = """org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'repo'
	at org.springframework.beans.factory.support.AbstractBeanFactory.getBean(AbstractBeanFactory.java:208)
Caused by: java.lang.IllegalStateException: Failed to load
	at com.acme.Repo.init(Repo.java:20)
	... 5 more
Caused by: java.lang.NumberFormatException: For input string: "abc"
	at java.base/java.lang.Integer.parseInt(Integer.java:652)
	at com.acme.Settings.port(Settings.java:31)
	... 7 more
"""
    f = one(text)
    assert (f.short_type, f.message) == ("NumberFormatException", 'For input string: "abc"')
    assert f.captures()["frame"] == "Settings.java:31 in com.acme.Settings.port()"
    assert f.facts["wrapped_by"].startswith("BeanCreationException: Error creating bean")


def test_kotlin_is_told_from_java_by_its_frames():
    text = "java.lang.NullPointerException\n\tat com.acme.MainKt.main(Main.kt:7)\n"
    assert one(text).language == "kotlin"


def test_go_panic_and_goroutine_dump():
    text = """panic: runtime error: index out of range [5] with length 3

goroutine 1 [running]:
main.get(...)
\t/home/u/proj/main.go:8
main.main()
\t/home/u/proj/main.go:13 +0x1d
exit status 2
"""
    f = one(text)
    assert (f.kind, f.language, f.message) == ("panic", "go", "index out of range [5] with length 3")
    assert f.captures()["frame"] == "/home/u/proj/main.go:8 in main.get()"
    nil = one("panic: runtime error: invalid memory address or nil pointer dereference\n"
              "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47b8c5]\n\n"
              "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x25\n")
    assert nil.facts["signal"] == "SIGSEGV"


def test_rust_panic_and_compile_error():
    f = one("thread 'main' panicked at src/main.rs:4:5:\ncalled `Option::unwrap()` on a `None` value\n")
    assert (f.kind, f.language, f.captures()["frame"]) == ("panic", "rust", "src/main.rs:4")
    old = one("thread 'main' panicked at 'index out of bounds', src/lib.rs:9:13")
    assert old.message == "index out of bounds"
    f = one("error[E0308]: mismatched types\n --> src/main.rs:2:18\n")
    assert (f.kind, f.type, f.captures()["frame_line"]) == ("compile", "E0308", "2")


def test_c_compiler_and_linker_and_make_exit_cause():
    text = """main.c:5:3: error: 'x' undeclared (first use in this function)
/usr/bin/ld: main.o: in function `main':
main.c:(.text+0x1e): undefined reference to `foo'
collect2: error: ld returned 1 exit status
make: *** [Makefile:4: app] Error 1
"""
    faults = read(text)
    assert [f.kind for f in faults] == ["compile", "link", "exit"]
    assert faults[0].language == "c" and faults[1].facts["symbol"] == "foo"
    assert faults[2].facts["exit_code"] == "1" and faults[2].facts["cause"].startswith("link error")


def test_a_wrappers_exit_status_quotes_the_nearest_failure_line_above_it():
    def cause(text: str) -> str | None:
        return [f for f in read(text) if f.kind == "exit"][-1].facts.get("cause")

    text = ("docker buildx build --tag app//main: .\n[+] Building 1.4s (1/1) FINISHED\n"
            "ERROR: invalid tag \"app//main:\": invalid reference format\nmake: *** [image.tar] Error 1\n"
            "make: *** Deleting file `image.tar'\n")
    assert cause(text) == 'ERROR: invalid tag "app//main:": invalid reference format'
    # Go's error with its indented reasons; make's own lines and the inner make's status are passed over
    text = ("make[1]: Entering directory '/src'\ngo: github.com/a/tool@latest: version constraints conflict:\n"
            "        module declares its path as: github.com/b/tool\n                but was required as: "
            "github.com/a/tool\nmake[1]: *** [Makefile:5: deps] Error 1\nmake[1]: Leaving directory '/src'\n"
            "make: *** [Makefile:2: init] Error 2\n")
    assert cause(text).startswith("go: github.com/a/tool@latest: version constraints conflict: module declares")
    assert cause("  ERROR: failed to get console\n  Error: Process completed with exit code 1.\n") == \
        "ERROR: failed to get console"
    # progress, warnings, make's recipe lines and npm's own summary are no cause: nothing is quoted
    for text in ("[ 15%] Built target core\nMakefile:129: recipe for target 'all' failed\nmake: *** [all] Error 2\n",
                 "WARNING: Error while removing variables\nWARNING: Job failed: exit status 1\n",
                 "npm ERR! code ELIFECYCLE\nnpm ERR! app@1.0.0 build: `webpack`\nnpm ERR! Exit status 2\n",
                 "The process '/usr/bin/git' failed with exit code 1\n"):
        assert cause(text) is None, text


def test_dotnet_ruby_php():
    f = one("Unhandled exception. System.NullReferenceException: Object reference not set to an instance of an "
            "object.\n"
            "   at Demo.Program.Main(String[] args) in /src/Program.cs:line 9\n")
    assert (f.language, f.short_type, f.captures()["frame_line"]) == ("csharp", "NullReferenceException", "9")
    f = one("System.NullReferenceException: Object reference not set to an instance of an object.\n"
            "   at Shop.Orders.Total(Order o) in C:\\src\\Shop\\Orders.cs:line 27\n"
            "   at Shop.Program.Main(String[] args) in C:\\src\\Shop\\Program.cs:line 9\n")
    assert (f.language, f.short_type, f.captures()["frame_line"]) == ("csharp", "NullReferenceException", "27")
    f = one("Unhandled exception. System.InvalidOperationException: Could not load settings\n"
            " ---> System.FormatException: The input string 'abc' was not in a correct format.\n"
            "   at System.Int32.Parse(String s)\n"
            "   at Demo.Program.Load() in /src/Demo/Program.cs:line 12\n"
            "   --- End of inner exception stack trace ---\n"
            "   at Demo.Program.Main() in /src/Demo/Program.cs:line 5\n")
    assert (f.short_type, f.line, f.captures()["frame_line"]) == ("FormatException", 2, "12")
    assert f.facts["wrapped_by"] == "InvalidOperationException: Could not load settings"
    f = one("app.rb:3:in `greet': undefined method `upcase' for nil:NilClass (NoMethodError)\n"
            "\tfrom app.rb:6:in `<main>'\n")
    assert (f.language, f.type, f.captures()["frame_func"]) == ("ruby", "NoMethodError", "greet")
    f = one("  1) Error:\nUserTest#test_name:\nNoMethodError: undefined method `name' for nil:NilClass\n"
            "    app/models/user.rb:12:in `display_name'\n    test/models/user_test.rb:8:in `block in <class:T>'\n")
    assert (f.language, f.facts["test_report"], f.captures()["frame"]) == (
        "ruby", "minitest", "app/models/user.rb:12 in display_name()")
    f = one("     Failure/Error: expect(user.display_name).to eq('Kim')\n\n     NoMethodError:\n"
            "       undefined method `name' for nil\n     # ./app/models/user.rb:12:in `display_name'\n")
    assert (f.message, f.facts["test_report"]) == ("undefined method `name' for nil", "rspec")
    assert one("KeyError: key not found: :port\n").language != "ruby"  # no .rb frame: not told as Ruby
    f = one("PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/index.php:5\n"
            "Stack trace:\n#0 {main}\n  thrown in /var/www/index.php on line 5\n")
    assert (f.language, f.message, f.captures()["frame_line"]) == ("php", "Call to undefined function foo()", "5")


# --- stacks cut off above their frames (no error line) ------------------------------------------------

CUT_OFF = {
    "java": ("\tat com.acme.shop.OrderService.place(OrderService.java:42)\n"
             "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006)"
             " ~[spring-webmvc-5.2.4.RELEASE.jar:5.2.4.RELEASE]\n\t... 48 more\n",
             "OrderService.java:42 in com.acme.shop.OrderService.place()"),
    "kotlin": ("at com.acme.app.MainActivity.onCreate(MainActivity.kt:31)\n"
               "    at android.app.Activity.performCreate(Activity.java:8000)\n",
               "MainActivity.kt:31 in com.acme.app.MainActivity.onCreate()"),
    "csharp": ("   at System.Net.Http.HttpClient.SendAsync(HttpRequestMessage request)\n"
               "   at Shop.Api.Get() in /src/Api.cs:line 5\n   --- End of stack trace from previous location ---\n"
               "   at Shop.Program.Main()\n", "/src/Api.cs:5 in Shop.Api.Get()"),
    "javascript": ("    at Object.render (/home/kim/web/src/index.js:30:12)\n"
                   "    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n",
                   "/home/kim/web/src/index.js:30 in Object.render()"),
    "ruby": ("\tfrom /home/kim/app/lib/loader.rb:12:in `read'\n"
             "\tfrom /home/kim/.gem/ruby/3.2.0/gems/thor-1.2.1/lib/thor.rb:10:in `start'\n",
             "/home/kim/app/lib/loader.rb:12 in read()"),
    "rust": ("stack backtrace:\n   0: rust_begin_unwind\n"
             "             at /rustc/90b35a6/library/std/src/panicking.rs:665:5\n"
             "   1: myapp::config::load\n             at ./src/config.rs:12:9\n   2: myapp::main\n"
             "             at ./src/main.rs:5:5\nnote: Some details are omitted\n",
             "./src/config.rs:12 in myapp::config::load()"),
    "go": ("goroutine 1 [running]:\nmain.load(...)\n\t/home/u/proj/main.go:8\nmain.main()\n"
           "\t/home/u/proj/main.go:13 +0x1d\n", "/home/u/proj/main.go:8 in main.load()"),
}


def test_frames_without_their_error_line_are_a_cut_off_trace_in_every_language():
    for lang, (text, frame) in CUT_OFF.items():
        f = one(text, "truncated")
        assert (f.language, f.captures()["frame"]) == (lang, frame), lang
        assert f.facts["missing"] and int(f.facts["frames_seen"]) >= 2, lang
    # behind a log prefix the reader does not strip, and one frame whose shape is unmistakable
    cf = ("$ cf logs web --recent\n2014-04-22T11:29:03.12+0100 [App/0]   ERR   at com.acme.Boot.load(Boot.java:58)\n"
          "2014-04-22T11:29:03.12+0100 [App/0]   ERR   at java.lang.Thread.run(Thread.java:744)\n")
    assert one(cf, "truncated").captures()["frame"] == "Boot.java:58 in com.acme.Boot.load()"
    one_frame = "   at App.Program.<Run>d__3.MoveNext() in c:\\src\\Program.cs:line 34\n"
    assert one(one_frame, "truncated").language == "csharp"
    # a window of a big log may start inside a trace: only a whole input's frames are a cut-off trace
    assert not read(CUT_OFF["java"][0], whole=False)


def test_a_complete_trace_or_one_with_an_error_above_is_never_cut_off():
    complete = [
        "java.lang.IllegalStateException: boom\n\tat com.acme.A.b(A.java:1)\n\tat com.acme.A.main(A.java:5)\n",
        "\tat com.acme.A.b(A.java:1)\n\t... 3 more\nCaused by: java.lang.NullPointerException: x\n"
        "\tat com.acme.B.c(B.java:9)\n",
        "org.opentest4j.AssertionFailedError: expected: <a\nb> but was: <c>\n\tat org.junit.A.b(A.java:1)\n"
        "\tat com.acme.T.t(T.java:5)\n",
        "TypeError: x is not a function\n    at f (/app/a.js:1:2)\n    at g (/app/a.js:3:4)\n",
        "thread 'main' panicked at src/main.rs:4:5:\nboom\nstack backtrace:\n   0: rust_begin_unwind\n"
        "   1: myapp::main\n             at ./src/main.rs:4:5\n",
        "app.rb:3:in `greet': undefined method `upcase' for nil:NilClass (NoMethodError)\n"
        "\tfrom app.rb:6:in `<main>'\n",
        "Unhandled exception. System.Exception: x\n   at A.B() in /s/A.cs:line 3\n   at A.Main() in /s/A.cs:line 9\n",
        "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x25\n",
        # an error line of another shape above the frames: the error is there, so it is not cut off
        "SIGQUIT: quit\nPC=0x46c4e1 m=0 sigcode=0\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x25\n",
        "error: `\"rustc\" \"--print\" \"target-list\"` failed with exit code: Some(1)\n   0: cross::main\n"
        "   1: std::rt::lang_start\n",
        "[ERROR] Failed to execute goal on project app\n\tat org.apache.maven.A.b(A.java:1)\n"
        "\tat org.apache.maven.A.c(A.java:2)\n",
        "1: foo::bar is deprecated\n2: baz::qux is deprecated\n",  # a numbered list is no Rust backtrace
    ]
    for text in complete:
        assert not [f for f in read(text) if f.kind == "truncated"], text


def test_a_js_stack_under_a_thrown_value_of_no_error_class_is_not_cut_off():
    # V8 prints the thrown value's own line above the frames: an object named by an SDK (`NoSuchBucket: null`)
    # or a plain object (`[object Object]`); asking for "the line above the first `at` line" would send the user
    # after a line that is there
    named = ("/srv/tool/node_modules/aws-sdk/lib/request.js:31\n            throw err;\n            ^\n"
             "NoSuchBucket: null\n"
             "    at Request.extractError (/srv/tool/node_modules/aws-sdk/lib/services/s3.js:700:35)\n"
             "    at Request.callListeners (/srv/tool/node_modules/aws-sdk/lib/sequential_executor.js:106:20)\n")
    plain = ("Building bundle for web.browser\n[object Object]\n"
             "    at compileFile (/home/dev/app/.build/plugin/compiler.js:52:11)\n"
             "    at Array.forEach (<anonymous>)\n    at runCompiler (/home/dev/app/.build/plugin/run.js:9:7)\n")
    for text in (named, plain):
        assert not [f for f in read(text) if f.kind == "truncated"], text
    # a prompt or a log line above the frames is no thrown value: still a trace cut off above its error line
    for lead in ("$ node server.js\n", "Starting worker 3\n"):
        assert one(lead + CUT_OFF["javascript"][0], "truncated").language == "javascript"


def test_library_paths():
    for lib in ("/usr/lib/python3.11/json/decoder.py", "/app/node_modules/axios/lib/core/settle.js",
                "C:\\Python311\\Lib\\json\\decoder.py", "node:internal/process/task_queues",
                "/root/go/pkg/mod/github.com/x/y@v1/z.go", "/home/u/.cargo/registry/src/a/lib.rs",
                # a package pip downloaded and is building: its setup.py is not the user's code
                "/tmp/pip-install-k2j9x1/somepkg/setup.py", "/private/tmp/pip-build-ab12/pkg/pkg/compat.py",
                "C:\\Users\\me\\AppData\\Local\\Temp\\pip-req-build-3x\\setup.py"):
        assert is_library(lib), lib
    for mine in ("/home/kim/app/load.py", "src/main.rs", "C:\\Users\\me\\proj\\app.py", "index.js",
                 "/home/kim/pip-tools/setup.py"):
        assert not is_library(mine), mine


# --- HTTP ----------------------------------------------------------------------------------------

def test_http_from_requests_with_host_and_endpoint():
    f = one("requests.exceptions.HTTPError: 404 Client Error: Not Found for url: "
            "https://api.example.com/v1/items/42?x=1", kind="http")
    c = f.captures()
    assert (c["http_status"], c["host"], c["endpoint"], c["http_reason"]) == \
        ("404", "api.example.com", "/v1/items/42", "Not Found")
    assert c["language"] == "python" and c["exc_type"] == "HTTPError"


def test_http_vendor_envelope():
    f = one("openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-9` does not exist', "
            "'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}", kind="http")
    c = f.captures()
    assert c["vendor"] == "OpenAI" and c["vendor_code"] == "model_not_found"
    assert c["vendor_type"] == "invalid_request_error" and c["vendor_message"].startswith("The model")
    body = '{"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}}'
    f = one("POST https://generativelanguage.googleapis.com/v1beta/models/x:generateContent 429\n" + body,
            kind="http")
    assert (f.facts["vendor"], f.facts["http_method"], f.facts["vendor_status"]) == \
        ("Google Gemini", "POST", "RESOURCE_EXHAUSTED")


def test_http_axios_curl_and_status_lines():
    f = one("AxiosError: Request failed with status code 422\n    at settle (/app/node_modules/axios/lib/core/"
            "settle.js:19:12)\n  method: 'post',\n  url: 'https://hooks.example.org/api/send',\n", kind="http")
    assert (f.facts["http_method"], f.facts["host"], f.language) == ("POST", "hooks.example.org", "javascript")
    assert one("curl: (22) The requested URL returned error: 503", kind="http").facts["http_status"] == "503"
    assert one("HTTP/1.1 502 Bad Gateway", kind="http").facts["http_reason"] == "Bad Gateway"


def test_http_success_and_access_logs_are_not_errors():
    assert not read("HTTP/1.1 200 OK")
    assert not read('127.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /missing HTTP/1.1" 404 512')
    assert not read("Downloaded 404 packages in 503 ms")


# --- exit statuses, signals, shells ---------------------------------------------------------------

def test_exit_codes_and_signals():
    f = one("Error: Process completed with exit code 137.")
    assert (f.kind, f.facts["exit_code"], f.facts["signal"]) == ("signal", "137", "SIGKILL")
    f = one("subprocess.CalledProcessError: Command '['gcc', 'x.c']' returned non-zero exit status 1.", kind="exit")
    assert (f.facts["exit_code"], f.facts["command"]) == ("1", "['gcc', 'x.c']")
    f = one("The command '/bin/sh -c npm run build' returned a non-zero code: 127")
    assert (f.facts["exit_code"], f.facts["command"]) == ("127", "/bin/sh -c npm run build")
    assert one("Segmentation fault (core dumped)").facts["signal"] == "SIGSEGV"
    assert one("Killed").facts["exit_code"] == "137"
    # CalledProcessError's message without its class: the exception and the exit status it states, as with the class
    assert one("Command 'x' returned non-zero exit status -6.", kind="signal").facts["signal"] == "SIGABRT"
    assert not read("Process finished with exit code 0")


def test_shell_errors():
    faults = read("./deploy.sh: line 12: syntax error near unexpected token `fi'\n"
                  "bash: foo: command not found\n"
                  "./run.sh: line 3: FOO: unbound variable\n"
                  "bash: ./install.sh: /bin/bash^M: bad interpreter: No such file or directory\n"
                  "bash: ./x.sh: Permission denied\n")
    assert [f.type for f in faults] == ["syntax_error", "command_not_found", "unbound_variable",
                                       "bad_interpreter", "permission_denied"]
    assert faults[0].facts["token"] == "fi" and faults[1].facts["command"] == "foo"
    assert faults[3].facts["carriage_return"] == "yes"
    assert all(f.kind != "shell" for f in read("npm ERR! 404 Not Found - GET https://registry.npmjs.org/nope"))


def test_python_exception_raised_in_library_code_or_in_user_code():
    assert one(PY).conditions()["raised_in"] == {"library"}
    mine = one('Traceback (most recent call last):\n  File "/home/kim/app/x.py", line 3, in f\n    y = z\n'
               "NameError: name 'z' is not defined\n")
    assert mine.conditions()["raised_in"] == {"user"}
    assert "raised_in" not in one("NameError: name 'z' is not defined").conditions()


def test_c_compile_errors_are_classified_and_docker_run_steps_are_named():
    f = one("impl.c:3:5: error: redefinition of \u2018x\u2019\n", "compile")
    assert f.conditions()["reason"] == {"redefinition"}
    assert one("a.c:7:5: error: call to undeclared function 'frob'; ISO C99 and later do not support implicit "
               "function declarations [-Wimplicit-function-declaration]").facts["reason"] == "implicit-declaration"
    assert one("a.c:6:15: error: initialization of 'char *' from incompatible pointer type 'int *' "
               "[-Wincompatible-pointer-types]").facts["reason"] == "incompatible-pointer"
    assert "reason" not in one("a.c:9:1: error: expected ';' before '}' token").facts
    assert "reason" not in one("Main.java:3: error: ';' expected").facts  # only C and C++ are classified
    step = one('ERROR: failed to solve: process "/bin/sh -c make all" did not complete successfully: exit code: 2')
    assert (step.kind, step.tool, step.facts["command"], step.facts["exit_code"]) == (
        "exit", "docker", "/bin/sh -c make all", "2")
    assert one("Error: Process completed with exit code 2.").tool is None


# --- Kubernetes events and systemd units ----------------------------------------------------------

K8S = """Events:
  Type     Reason       Age                From     Message
  ----     ------       ----               ----     -------
  Normal   Pulled       3m                 kubelet  Container image "web:1" already present on machine
  Warning  FailedMount  2m (x5 over 10m)  kubelet  MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found
  Warning  BackOff      1m (x20 over 6m)  kubelet  Back-off restarting failed container app in pod web-5d9_default(ab1)
"""


def test_kubernetes_warning_events_container_reasons_and_pod_rows():
    mount, backoff = read(K8S)
    assert (mount.kind, mount.type, mount.facts["source"]) == ("k8s", "FailedMount", "kubelet")
    assert mount.message.startswith("MountVolume.SetUp failed") and mount.conditions()["reason"] == {"failedmount"}
    assert (backoff.facts["object"], backoff.facts["container"]) == ("pod/web-5d9", "app")
    ev = one("2m  Warning  Unhealthy  pod/api-7f9c  Liveness probe failed: HTTP probe failed with statuscode: 500")
    assert (ev.type, ev.facts["object"]) == ("Unhealthy", "pod/api-7f9c")
    row = one("web-5d9c7b8f4-x2x9q    0/1     CrashLoopBackOff   6 (40s ago)   8m")
    assert (row.type, row.facts["object"]) == ("CrashLoopBackOff", "pod/web-5d9c7b8f4-x2x9q")
    oom = read("    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n")
    assert [f.kind for f in oom] == ["k8s", "signal"] and oom[0].type == "OOMKilled"
    # a Go template naming the field is a question, not a kill (`docker inspect -f '{{.State.OOMKilled}}'`)
    assert read("$ docker inspect -f 'exit={{.State.ExitCode}} oom={{.State.OOMKilled}}' app\nexit=2 oom=false\n") == []
    assert read("  Normal   Scheduled  3m  default-scheduler  Successfully assigned default/web to node-1") == []
    assert read("      Reason:       Error\n") == []  # too plain to be a fault alone


def test_systemd_unit_failure_is_one_fault_with_unit_status_and_result():
    f = one("Dec 06 10:00:01 h systemd[1]: app.service: Main process exited, code=exited, status=1/FAILURE\n"
            "Dec 06 10:00:01 h systemd[1]: app.service: Failed with result 'exit-code'.\n"
            "Dec 06 10:00:01 h systemd[1]: Failed to start App.\n")
    assert (f.kind, f.line, f.end) == ("systemd", 1, 2)
    assert f.captures()["unit"] == "app.service" and f.conditions()["reason"] == {"exit-code"}
    assert (f.facts["exit_code"], f.facts["status_name"]) == ("1", "FAILURE")
    hit = one("nginx.service: Start request repeated too quickly.\n"
              "nginx.service: Failed with result 'start-limit-hit'.")
    assert hit.facts["reason"] == "start-limit-hit"
    seg = one("● web.service - Web\n     Active: failed (Result: signal) since Sat 2026-12-05 10:00:01 UTC; 3s ago\n"
              "   Main PID: 812 (code=killed, signal=SEGV)\n")
    assert (seg.facts["unit"], seg.facts["signal"], seg.facts["reason"]) == ("web.service", "SIGSEGV", "signal")
    assert read("● web.service - Web\n     Active: active (running) since Sat 2026-12-05\n") == []


def test_systemd_start_limit_is_the_units_end_whatever_the_last_runs_result_and_in_the_old_wording():
    # systemd (232 up to 256, systemd#32203) logs the last run's result after the start limit, not 'start-limit-hit'
    late = one("app.service: Main process exited, code=exited, status=1/FAILURE\n"
               "app.service: Start request repeated too quickly.\n"
               "app.service: Failed with result 'exit-code'.\n")
    facts = (late.facts["reason"], late.facts["result"], late.facts["exit_code"])
    assert facts == ("start-limit-hit", "exit-code", "1")
    # before v230 the unit came last
    old = one("Mar 06 02:30:04 c1 systemd[1]: start request repeated too quickly for web.1.service\n"
              "Mar 06 02:30:04 c1 systemd[1]: Failed to start web.1.\n")
    assert (old.facts["unit"], old.facts["reason"]) == ("web.1.service", "start-limit-hit")
    plain = one("app.service: Failed with result 'exit-code'.\n")
    assert plain.facts["reason"] == "exit-code"


def test_systemd_before_v233_lower_case_process_exit_lines_are_read():
    main = one("Jan 12 09:14:02 c7 systemd[1]: httpd.service: main process exited, code=exited, status=1/FAILURE\n")
    assert (main.kind, main.facts["unit"], main.facts["exit_code"]) == ("systemd", "httpd.service", "1")
    ctl = one("Jan 12 09:14:02 c7 systemd[1]: nginx.service: control process exited, code=exited status=1\n")
    assert (ctl.facts["unit"], ctl.facts["exit_code"]) == ("nginx.service", "1")
    dumped = one("app.service: main process exited, code=dumped, status=11/SEGV\n")
    assert dumped.facts["unit"] == "app.service"


# --- bounded collection ----------------------------------------------------------------------------

def test_collector_reads_a_big_log_in_windows_and_finds_the_error_at_its_line():
    filler = "2024-01-01 12:00:00 INFO worker processed request id=12345 in 3ms\n"
    n = 20_000  # ~1.3 MB: above the whole-read limit
    head = filler * n
    err = 'Traceback (most recent call last):\n  File "/srv/app.py", line 9, in run\n    x()\nKeyError: \'k\'\n'
    tail = filler * 5000
    c = Collector()
    text = head + err + tail
    for i in range(0, len(text), 1 << 20):  # blocks of whole lines
        j = text.rfind("\n", 0, i + (1 << 20)) + 1 if i + (1 << 20) < len(text) else len(text)
        if j <= i:
            continue
    line = 1
    pos = 0
    while pos < len(text):
        end = text.rfind("\n", pos, pos + (1 << 20)) + 1 or len(text)
        block = text[pos:end]
        c.feed(block, line)
        line += block.count("\n")
        pos = end
    assert c.whole is None  # it did not keep the whole input
    faults = c.faults()
    assert [(f.short_type, f.line) for f in faults] == [("KeyError", n + 4)]
    kept = sum(len(rows) for _, rows in c.parts) + len(c.tail)
    assert kept < 1000


def test_php_uncaught_without_the_fatal_error_prefix_is_not_javascript():
    f = one("Uncaught TypeError: Argument 1 passed to App\\Handler::report() must be an instance of Exception, "
            "instance of Error given, called in /srv/vendor/k/Kernel.php on line 73 and defined in /srv/app/H.php:25\n"
            "Stack trace:\n#0 /srv/vendor/k/Kernel.php(73): App\\Handler->report(Object(Error))\n#1 {main}\n")
    assert (f.language, f.type) == ("php", "TypeError") and f.message.endswith("instance of Error given")
    assert one("Uncaught TypeError: Cannot read properties of undefined (reading 'map')").language == "javascript"


def test_ruby_message_then_type_in_parentheses_with_frames_below():
    f = one("undefined method `id' for nil:NilClass (NoMethodError)\n"
            "        /home/u/app/tests/server_tests.rb:64:in `block (2 levels) in <top (required)>'\n"
            "        /home/u/.rbenv/versions/2.1.3/lib/ruby/gems/2.1.0/gems/shindo-0.3.8/lib/shindo.rb:79:in `tests'\n")
    assert (f.language, f.type, f.captures()["frame_line"]) == ("ruby", "NoMethodError", "64")
    assert one('Exception in thread "main" java.lang.UnsatisfiedLinkError').short_type == "UnsatisfiedLinkError"


def test_marker_positions_are_every_occurrence_of_every_marker():
    from errdiag.anatomy import _MARKERS, _marker_positions

    for block in ("plain exit code 1 and exit code 2\nCaused by: x\npanic: y\n",
                  "é✓ Traceback (most recent call last)\n\ud800 exit status 3 Error code: 4 exit code 5",
                  "no marker at all", ""):
        where = _marker_positions(block)
        for marker, got in zip(_MARKERS, where, strict=True):
            expected, pos = [], block.find(marker)
            while pos != -1:
                expected.append(pos)
                pos = block.find(marker, pos + 1)
            assert got == expected, (marker, block)


def test_windows_of_a_big_input_around_its_markers():
    filler = "".join(f"{i:06d} INFO all good here\n" for i in range(30000))  # > WHOLE_BYTES
    tb = 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: bad value\n'
    c = Collector()
    c.feed(filler + tb + filler, 1)
    faults = c.faults()
    assert any(f.type == "ValueError" for f in faults)


def test_markers_of_a_paste_are_found_where_the_automaton_finds_them():
    """A short input skips the automaton: the positions (characters, non-ASCII too) must be the same."""
    import ahocorasick_rs

    from errdiag import anatomy

    finder = ahocorasick_rs.BytesAhoCorasick([m.encode() for m in anatomy._MARKERS])
    texts = ["Traceback (most recent call last)\n  File \"a.py\"\nTraceback (most recent call last)\nKeyError: 'é'",
             "naïve Caused by: x\n\tCaused by: Caused by: y exit code 1", "thread 'main' panicked at src/é.rs",
             "error[E0308]: mismatched types\n\npanic: boom", ""]
    for text in texts:
        data = text.encode("utf-8")
        want = [[] for _ in anatomy._MARKERS]
        for no, begin, _end in sorted(finder.find_matches_as_indexes(data, overlapping=True), key=lambda m: m[1]):
            want[no].append(len(data[:begin].decode("utf-8")))
        assert anatomy._marker_positions(text) == want, text


def test_exit_statuses_of_rake_and_older_buildkit():
    f = one("Command failed with status (127): [bundle2.7 exec rspec...]")
    assert (f.facts["exit_code"], f.facts["command"]) == ("127", "bundle2.7 exec rspec")
    f = one("failed to build LLB: executor failed running [/bin/sh -c npm ci]: exit code: 1")
    assert (f.facts["exit_code"], f.facts["command"]) == ("1", "/bin/sh -c npm ci")


def test_a_ruby_exception_raised_in_a_binstub():
    faults = read("/usr/local/bin/rspec:23:in `load': cannot load such file -- rspec/core (LoadError)\n"
                  "\tfrom /usr/local/bin/rspec:23:in `<main>'\n")
    assert [(f.language, f.type) for f in faults] == [("ruby", "LoadError")]


def test_an_import_error_of_the_importing_packages_own_module():
    from errdiag.anatomy import read

    def own(text):
        f = next(f for f in read(text) if f.kind == "exception")
        return f.facts.get("module"), f.facts.get("own_module")

    head = ('Traceback (most recent call last):\n'
            '  File "/usr/lib/python3/dist-packages/geo/__init__.py", line 3, in <module>\n')
    relative = "    from .grid import Grid\nModuleNotFoundError: No module named 'geo.grid'\n"
    assert own(head + relative) == ("geo.grid", "geo")
    assert own(head + "    import geo.grid\nImportError: No module named grid\n") == ("grid", "geo")  # Python 2
    assert own(head + "    import numpy\nModuleNotFoundError: No module named 'numpy'\n") == ("numpy", None)
    assert own(head + "    import numpy.linalg\nImportError: No module named numpy.linalg\n") == ("numpy.linalg", None)


# --- round 9: shapes that were read wrongly on unseen text ---------------------------------------------------


def test_a_modules_lower_case_error_class_ends_the_traceback():
    text = ('Traceback (most recent call last):\n  File "run.py", line 136, in <module>\n    cv2.imshow("in", img)\n'
            "cv2.error: OpenCV(4.0.0) window_w32.cpp:1230: error: (-215:Assertion failed) dst.data in function 'x'\n")
    f = one(text)
    assert f.kind == "exception" and f.type == "cv2.error" and f.message.startswith("OpenCV(4.0.0)")
    f = one('Traceback (most recent call last):\n  File "c.py", line 3, in <module>\n    s.recv(1)\n'
            "socket.timeout: timed out\n")
    assert f.kind == "exception" and f.type == "socket.timeout"


def test_interleaved_worker_tracebacks_are_not_cut_off():
    text = ("Process Process-8:\nTraceback (most recent call last):\n"
            '  File "/usr/lib/python2.7/multiprocessing/process.py", line 258, in _bootstrap\n'
            "Process Process-10:\nTraceback (most recent call last):\n"
            '  File "/usr/lib/python2.7/multiprocessing/process.py", line 258, in _bootstrap\n    self.run()\n'
            '  File "./scan.py", line 558, in do_scan\n    fp = queue.get_nowait()\n'
            '  File "/usr/lib/python2.7/multiprocessing/managers.py", line 774, in _callmethod\n'
            "    raise convert_to_error(kind, result)\nEmpty\n")
    assert [f.kind for f in read(text)] == ["exception"]
    assert [f.kind for f in read('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n'
                                 '    f()\n  File "a.py", line 5, in f\n')] == ["truncated"]


def test_fetchs_network_type_error_is_marked_and_node_argument_checks_are_javascript():
    for msg in ("fetch failed", "Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"):
        f = one(f"TypeError: {msg}\n")
        assert f.facts.get("network") == "fetch" and f.language == "javascript", msg
    assert "network" not in one("TypeError: unsupported operand type(s) for +: 'int' and 'str'\n").facts
    assert one('TypeError: "file" argument must be a non-empty string\n').language == "javascript"


def test_ruby_reversed_backtrace_has_its_error_line_last():
    text = ("Traceback (most recent call last):\n\t2: from foo.rb:7:in `<main>'\n\t1: from foo.rb:3:in `bar'\n"
            "foo.rb:2:in `baz': undefined local variable or method `x' for main:Object (NameError)\n")
    f = one(text)
    assert (f.kind, f.language, f.type) == ("exception", "ruby", "NameError")
    assert [(fr.line, fr.func) for fr in f.frames] == [(2, "baz"), (3, "bar"), (7, "<main>")]
    cut = one("Traceback (most recent call last):\n\t2: from foo.rb:7:in `<main>'\n\t1: from foo.rb:3:in `bar'\n")
    assert (cut.kind, cut.language) == ("truncated", "ruby")


def test_go_frame_functions_keep_their_receiver():
    text = ("panic: runtime error: invalid memory address or nil pointer dereference\n"
            "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\n"
            "main.(*Server).Start(0x0)\n\t/home/u/app/server.go:42 +0x2c\n"
            "main.main()\n\t/home/u/app/main.go:10 +0x25\n")
    assert one(text).frames[0].func == "main.(*Server).Start"


def test_kotlin_android_and_obfuscated_jvm_frames_are_frames():
    # Kotlin multiplatform file names, mangled names with dashes, ProGuard's SourceFile and R8's map ids: a
    # paste of such frames without their exception line is a cut-off JVM trace like any other
    kmp = ("\tat androidx.compose.runtime.internal.ComposableLambdaImpl.invoke(ComposableLambda.jvm.kt:109)\n"
           "\tat androidx.compose.ui.platform.ComposeView.Content(ComposeView.android.kt:441)\n")
    assert one(kmp, "truncated").language == "java"
    mangled = ("\tat com.acme.ui.ComposableSingletons$MainActivityKt$lambda-3$1.invoke(MainActivity.kt:24)\n"
               "\tat androidx.core.os.BundleKt.Column-K4GKKTE(r8-map-id-6cd17e02ae17:198)\n")
    assert one(mangled, "truncated").captures()["frame"].startswith("MainActivity.kt:24 in com.acme.ui.")
    r8 = ("        at com.android.tools.r8.R8.a(R8_8.6.17_ad35be29c7:235)\n"
          "        at com.android.tools.r8.R8.run(SourceFile:3)\n")
    assert one(r8, "truncated").facts["frames_seen"] == "2"


def test_logcat_and_ray_style_prefixes_are_stripped_before_a_trace_is_read():
    rows = ["FATAL EXCEPTION: main", "Process: com.acme, PID: 1645",
            "java.lang.NullPointerException: Attempt to invoke virtual method on a null object reference",
            "\tat com.acme.MainActivity.onCreate(MainActivity.kt:24)",
            "\tat android.app.Activity.performCreate(Activity.java:8051)"]
    for prefix in ("04-11 11:46:01.511  1645  1645 E AndroidRuntime: ", "E/AndroidRuntime( 1645): ",
                   "2024-04-11 11:46:01.511  1645-1645  AndroidRuntime          com.acme       E  "):
        f = one("\n".join(prefix + r for r in rows), "exception")
        assert (f.type, f.captures()["frame"]) == ("java.lang.NullPointerException",
                                                   "MainActivity.kt:24 in com.acme.MainActivity.onCreate()"), prefix
    ray = ['(APIServer pid=102928)   File "/usr/lib/python3.12/site-packages/fastapi/routing.py", line 243, in run',
           "(APIServer pid=102928)     return await dependant.call(**values)",
           '(APIServer pid=102928)   File "/srv/app/router.py", line 44, in load_adapter',
           '(APIServer pid=102928)     raise RuntimeError("boom")',
           "(APIServer pid=102928) RuntimeError: boom"]
    f = one("\n".join(ray), "exception")
    assert (f.type, f.captures()["frame_line"]) == ("RuntimeError", "44")
    # the same lines without the exception line: a cut-off trace, not silence
    assert one("\n".join(ray[:4]), "truncated").captures()["frame_line"] == "44"


def test_negative_return_codes_and_api_error_statuses():
    f = one("{local_task_job.py:103} INFO - Task exited with return code -9", "signal")
    assert (f.facts["signal"], f.facts["exit_code"]) == ("SIGKILL", "137")
    assert one("Failed to authenticate. API Error: 403 Your client is not authorized to use this API key",
               "http").facts["http_status"] == "403"
    assert one("APIError: 429 Too Many Requests", "http").facts["http_status"] == "429"
    assert not [f for f in read("Task exited with return code 0") if f.kind in ("exit", "signal")]


def test_python_and_rust_frames_pasted_without_header_or_message_are_a_cut_off_trace():
    """Shapes a paste of the middle of a trace takes: one classic frame, IPython 8's `File path:N, in f(...)`
    frames (also inside a Markdown link), VS Code notebook source lines whose number links to the file, and
    std's Rust backtrace with addresses (`N: 0x... - name`, inlined names on their own lines)."""
    one_frame = '  File "scripts/fit.py", line 77, in fit_model\n    trainer = Trainer(gpus=2, logdir="out")\n'
    f = one(one_frame, "truncated")
    assert (f.language, f.captures()["frame"]) == ("python", "scripts/fit.py:77 in fit_model()")
    ipython = ("File ~/envs/rag/lib/python3.11/site-packages/httpx/_client.py:1014, in Client._send(self, request)\n"
               "   1012 auth = self._build_auth(auth)\n"
               "-> 1014 response = self._send_handling_redirects(request)\n"
               "File ~/envs/rag/lib/python3.11/site-packages/httpx/_transports/default.py:250, in handle(self, req)\n"
               "    249 with map_exceptions():\n"
               "--> 250     resp = self._pool.handle_request(req)\n")
    f = one(ipython, "truncated")
    assert f.language == "python" and f.facts["frames_seen"] == "2"
    assert f.frames[0].file.endswith("default.py") and f.frames[0].line == 250  # innermost first
    linked = ("File [/opt/conda/lib/python3.10/site-packages/pandas/io/parsers.py:611](https://vscode-remote"
              "+ssh.vscode-resource.vscode-cdn.net/opt/conda/lib/python3.10/site-packages/pandas/io/parsers.py:611), "
              "in read_csv(path, sep)\n"
              "    [609](https://vscode-remote+ssh.vscode-resource.vscode-cdn.net/opt/conda/lib/python3.10/site-pa"
              "ckages/pandas/io/parsers.py:609)     kwds.update(defaults)\n"
              "--> [611](https://vscode-remote+ssh.vscode-resource.vscode-cdn.net/opt/conda/lib/python3.10/site-pa"
              "ckages/pandas/io/parsers.py:611) return _read(path, kwds)\n")
    f = one(linked, "truncated")
    assert (f.language, f.facts["frames_seen"], f.frames[0].line) == ("python", "1", 611)
    rust = ("  21:     0x5581c2a1b0de - std::panicking::try::do_call::h0c7f9c1a7d2e4b11\n"
            "                               at /rustc/4d91de4e48/library/std/src/panicking.rs:552:40\n"
            "  22:     0x5581c2a0f3ab - __rust_try\n"
            "                           std::thread::Builder::spawn_unchecked_::{{closure}}::h77aa21bb01c2d3e4\n"
            "                               at /rustc/4d91de4e48/library/std/src/thread/mod.rs:529:30\n"
            "  23:     0x7f81d1c94ac3 - start_thread\n"
            "  24:     0x7f81d1d26850 - clone3\n")
    f = one(rust, "truncated")
    assert f.language == "rust" and int(f.facts["frames_seen"]) >= 4
    # with the error line, or with a complete traceback elsewhere, nothing is cut off
    for whole in (one_frame + "TypeError: __init__() got an unexpected keyword argument 'logdir'\n",
                  "Traceback (most recent call last):\n" + one_frame + "ValueError: no\n",
                  "thread 'main' panicked at src/main.rs:9:5:\nboom\nstack backtrace:\n" + rust):
        assert not [x for x in read(whole) if x.kind == "truncated"], whole


def test_a_goroutine_dump_behind_journal_prefixes_is_a_cut_off_trace():
    """journalctl / syslog put `Mon DD HH:MM:SS host prog[pid]: ` before every line and drop the tab of Go's
    location lines: the dump still reads as one, without its `panic:` / `fatal error:` line."""
    dump = "".join(f"Mar  3 09:12:01 node7 containerd[612]: {x}\n" for x in (
        "goroutine 88 [IO wait, 2 minutes]:", "internal/poll.runtime_pollWait(0x7f1c2a3b4c58, 0x72)",
        "/usr/local/go/src/runtime/netpoll.go:343 +0x85", "github.com/acme/agent/server.(*Srv).serve(0xc0001a2000)",
        "/build/agent/server/serve.go:141 +0x2bd", "created by github.com/acme/agent/server.Start",
        "/build/agent/server/serve.go:52 +0x1a5"))
    f = one(dump, "truncated")
    assert f.language == "go" and int(f.facts["frames_seen"]) >= 3
    # the same prefixes over ordinary log lines are left alone (no frames, nothing to read)
    assert not read("".join(f"Mar  3 09:12:01 node7 sshd[61]: Accepted key for u{i}\n" for i in range(5)))


DJANGO_OLD = """Request Method: POST
Request URL: http://127.0.0.1:8000/orders/new/
Django Version: 1.11.4

Traceback:

File "/srv/venv/lib/python3.6/site-packages/django/core/handlers/exception.py" in inner
  41.             response = get_response(request)

File "/srv/shop/orders/views.py" in create
  58.     qty = int(request.POST['quantity'])

Exception Type: MultiValueDictKeyError at /orders/new/
Exception Value: "'quantity'"
"""


def test_django_debug_page_tracebacks_are_read_with_their_exception():
    """Django's copy-and-paste view states the exception as `Exception Type:` / `Exception Value:`: in the old
    frame shape (`File "x" in f` over `58. code`) and under a standard traceback (Django >= 3.0)."""
    f = one(DJANGO_OLD, "exception")
    assert (f.type, f.message, f.facts["url"]) == ("MultiValueDictKeyError", "\"'quantity'\"", "/orders/new/")
    assert f.captures()["frame"] == "/srv/shop/orders/views.py:58 in create()"
    new = ("Traceback (most recent call last):\n"
           '  File "/srv/venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner\n'
           "    response = get_response(request)\n"
           '  File "/srv/shop/orders/views.py", line 58, in create\n'
           "    qty = int(request.POST['quantity'])\n\n"
           "Exception Type: ValueError at /orders/new/\n"
           "Exception Value: invalid literal for int() with base 10: 'two'\n")
    f = one(new, "exception")
    assert (f.type, f.message) == ("ValueError", "invalid literal for int() with base 10: 'two'")
    assert not [x for x in read(new) if x.kind == "truncated"]  # the exception is there: nothing to ask for
    cut = DJANGO_OLD.split("\nException Type")[0] + "\n"
    assert one(cut, "truncated").language == "python"


def test_more_cut_off_shapes_behind_prefixes_and_in_other_languages():
    # one Python frame in Apache's mod_wsgi error log
    stamp = "[Wed Mar 04 10:02:11.120553 2026] [wsgi:error] [pid 4411:tid 4420] [remote 10.0.0.7:51022] "
    wsgi = "".join(stamp + x + "\n" for x in (
        "        params,", "    )", '  File "/usr/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967,'
        " in _exec_single_context", "    self.dialect.do_execute(", "        cursor, str_statement, params, context"))
    assert one(wsgi, "truncated").language == "python"
    # the first frame of a rich traceback box, its code lines numbered but none marked
    rich = ("│ /home/u/webui/launch.py:48 in <module>                    │\n│                                      │\n"
            "│   45                                 │\n│   46 def main():                     │\n")
    assert one(rich, "truncated").captures()["frame"] == "/home/u/webui/launch.py:48 in <module>"
    # .NET frames in the runtime's other languages
    zh = ("   在 Shop.Data.Repo.Load(Int32 id) 位置 D:\\src\\Shop\\Data\\Repo.cs:行号 27\n"
          "   在 Shop.Program.Main(String[] args) 位置 D:\\src\\Shop\\Program.cs:行号 9\n")
    f = one(zh, "truncated")  # read as the same frames in English are
    en = zh.replace("在 ", "at ").replace(" 位置 ", " in ").replace(":行号 ", ":line ")
    assert (f.language, f.captures()["frame"]) == ("csharp", one(en, "truncated").captures()["frame"])
    assert f.frames[0].line == 27
    de = "   bei Shop.Data.Repo.Load(Int32 id) in C:\\src\\Repo.cs:Zeile 27\n   bei Shop.Program.Main()\n"
    assert one(de, "truncated").language == "csharp"
    # a sentence that starts with one of those words is no frame
    assert not read("en el archivo Program.cs (linea 3) falta algo\nbei der Ausführung (Schritt 2) kam nichts\n")
# --- round 10: shapes behind wrong answers ------------------------------------------------------------------


def test_a_traceback_behind_a_ci_timestampers_prefix_keeps_its_exception_line():
    from errdiag.anatomy import read
    text = ("Mar 03 11:20:01 Traceback (most recent call last):\n"
            'Mar 03 11:20:01   File "ci/run_suite.py", line 52, in <module>\n'
            "Mar 03 11:20:01     sys.exit(main())\n"
            'Mar 03 11:20:01   File "ci/run_suite.py", line 47, in main\n'
            "Mar 03 11:20:01     raise RuntimeError(msg)\n"
            "Mar 03 11:20:01 RuntimeError: test_distributed failed! Received signal: SIGABRT\n")
    faults = read(text)
    assert [(f.kind, f.type) for f in faults] == [("exception", "RuntimeError")]  # not a cut-off traceback
    assert faults[0].frames[0].code == "raise RuntimeError(msg)"


def test_a_traceback_pasted_without_its_indentation_reads_its_code_lines():
    from errdiag.anatomy import read
    panel = 'File "C:\\Tools\\app\\lib\\site-packages\\viewer\\panel.py"'
    text = (f"Traceback (most recent call last):\n{panel}, line 88, in refresh\nself.redraw(items)\n"
            f"{panel}, line 120, in redraw\nfirst, rest = items[0], items[1:]\n"
            "TypeError: 'NoneType' object is not subscriptable\n")
    faults = read(text)
    assert [(f.kind, f.type) for f in faults] == [("exception", "TypeError")]
    assert faults[0].frames[0].code == "first, rest = items[0], items[1:]"
    bare = 'Traceback (most recent call last):\nFile "<stdin>", line 1, in <module>\nKeyboardInterrupt\n'
    assert [(f.kind, f.type) for f in read(bare)] == [("exception", "KeyboardInterrupt")]  # no code line: the error


def test_a_bare_traceback_header_after_a_complete_traceback_is_no_cut_off_error():
    from errdiag.anatomy import read
    text = ('Traceback (most recent call last):\n  File "jobs.py", line 13, in run\n    await step()\n'
            "ValueError: step 3 returned no rows\nTraceback (most recent call last):\n")
    assert [f.kind for f in read(text)] == ["exception"]


def test_the_error_line_printed_just_above_a_python_traceback_is_kept():
    from errdiag.anatomy import read
    text = ("terminate called after throwing an instance of 'c10::Error'\n"
            "  what():  CUDA error: an illegal memory access was encountered\n"
            'Traceback (most recent call last):\n  File "train.py", line 9, in <module>\n    fit(model)\n')
    f = read(text)[0]
    assert f.kind == "truncated" and f.facts["above"].startswith("what():  CUDA error")
    label = ("ncclSystemError: System call (e.g. socket, malloc) or external library call failed.\nLast error:\n"
             "socketPollConnect: connect returned Connection refused\n"
             'Traceback (most recent call last):\n  File "train.py", line 9, in <module>\n    fit(model)\n')
    assert "Connection refused" in read(label)[0].facts["above"]  # `Last error:` with its message below it


def test_a_jvm_qualified_type_is_never_python_even_with_a_python_builtin_name():
    # kotlin's TODO() throws kotlin.NotImplementedError; Python has a NotImplementedError builtin too
    f = read("kotlin.NotImplementedError: An operation is not implemented: wire the export")[0]
    assert (f.language, f.type) == ("kotlin", "kotlin.NotImplementedError")
    bare = read("NotImplementedError: subclasses must implement run()")[0]
    assert bare.language == "python"


# --- the same error however it is framed (bench/reframe.py) -----------------------------------------------


def test_systemctls_start_limit_report_and_the_old_result_name_are_the_start_limit():
    f = one("Job for api.service failed because start of the service was attempted too often.\n"
            "See \"systemctl status api.service\" and \"journalctl -xe\" for details.\n")
    assert (f.kind, f.facts["unit"], f.facts["reason"]) == ("systemd", "api.service", "start-limit-hit")
    f = one("● api.service - API\n   Active: failed (Result: start-limit) since Mon 2020-06-15 19:23:07 UTC\n")
    assert f.facts["reason"] == "start-limit-hit"


def test_a_segmentation_fault_in_the_c_librarys_translation_is_sigsegv():
    for word in ("Erreur de segmentation", "Violación de segmento (`core' generado)", "段错误 (核心已转储)",
                 "Speicherzugriffsfehler (Speicherabzug geschrieben)"):
        f = one(f"./server --port 80\n{word}\n")
        assert (f.kind, f.facts.get("signal")) == ("signal", "SIGSEGV"), word


def test_a_traceback_behind_a_level_whose_timestamp_was_taken_off_reads_whole():
    text = "".join(f"2024-05-01T10:00:00.123Z ERROR {x}\n" for x in (
        "Traceback (most recent call last):", '  File "/srv/app/load.py", line 42, in load',
        '    return cfg["database"]["host"]', "KeyError: 'host'"))
    f = one(text)
    assert (f.kind, f.type, f.user_frame().line) == ("exception", "KeyError", 42)


def test_a_dotnet_trace_behind_a_loggers_prefix_reads_its_frames():
    text = "".join(f"2024-05-01T10:00:00.123Z ERROR {x}\n" for x in (
        "Unhandled exception. System.NullReferenceException: Object reference not set to an instance of an object.",
        "   at Shop.Cart.Total() in /src/Shop/Cart.cs:line 17",
        "   at Shop.Program.Main() in /src/Shop/Program.cs:line 9"))
    f = one(text)
    assert (f.type, len(f.frames)) == ("System.NullReferenceException", 2)


def test_node_error_whose_message_takes_two_lines_keeps_its_frames():
    # Node's internal assertion prints a second message line (and a blank line) before the frames
    text = ("Error [ERR_INTERNAL_ASSERTION]: Something went wrong inside Node.js.\n"
            "Report it with the stack trace below.\n"
            "\n"
            "    at assert (node:internal/assert:14:11)\n"
            "    at Socket.onData (node:_http_client:542:3)\n"
            "    at Object.<anonymous> (/srv/app/node_modules/proxy-agent/lib/agent.js:88:9)\n")
    f = one(text, "exception")
    assert [fr.file for fr in f.frames][:2] == ["node:internal/assert", "node:_http_client"]
    assert f.lives().kind == "dependency" and f.lives().owner == "the npm package proxy-agent"
