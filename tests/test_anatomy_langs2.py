"""The anatomy reader for Lua, Dart/Flutter, Zig and OCaml (round 13): each language's error line, its frames (user
code vs the runtime, SDK and installed packages) and the facts its family entries name; no other language's text
with a similar shape (`file:line:col: error:`, `Unhandled Exception:`, `File "x", line N`) is read as theirs."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose
from errdiag.anatomy import read
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def faults_of(text: str, language: str):
    return [f for f in read(text) if f.language == language]


# --- Lua -----------------------------------------------------------------------------------------------

LUA = """lua: /home/kim/tool/src/config.lua:31: attempt to index a nil value (local 'opts')
stack traceback:
\t/home/kim/tool/src/config.lua:31: in function 'config.load'
\t/usr/local/share/lua/5.4/argparse.lua:120: in function 'argparse.parse'
\t/home/kim/tool/main.lua:8: in main chunk
\t[C]: in ?
"""


def test_lua_error_line_names_the_nil_value_and_reads_the_traceback():
    [f] = faults_of(LUA, "lua")
    assert (f.kind, f.type, f.facts["name"], f.facts["lua_scope"], f.facts["value_type"]) == (
        "exception", "index", "opts", "local", "nil")
    assert [(x.line, x.user) for x in f.frames] == [(31, True), (120, False), (8, True), (None, False)]
    assert f.frames[0].func == "config.load"  # the traceback's first line is the error's own place
    old = faults_of("Interface\\AddOns\\Bar\\bar.lua:470: attempt to call global 'UpdateBar' (a nil value)", "lua")
    assert [(x.type, x.facts["name"], x.facts["lua_scope"]) for x in old] == [("call", "UpdateBar", "global")]
    for text in ("TypeError: Cannot read properties of undefined (reading 'opts')",
                 "We attempt to index the repository nightly: 3 errors", "Error: attempt to call a nil value",
                 "main.py:3: attempt to index a list"):
        assert not faults_of(text, "lua"), text


# --- Dart / Flutter ----------------------------------------------------------------------------------

FLUTTER = """E/flutter ( 5090): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] \
Unhandled Exception: type 'Null' is not a subtype of type 'int'
E/flutter ( 5090): #0      new Order.fromJson (package:shop/models/order.dart:18:22)
E/flutter ( 5090): #1      OrderApi.list.<anonymous closure> (package:shop/api/order_api.dart:40:51)
E/flutter ( 5090): #2      MappedListIterable.elementAt (dart:_internal/iterable.dart:425:31)
E/flutter ( 5090): <asynchronous suspension>
"""

DART_VM = """Unhandled exception:
Bad state: No element
#0      ListBase.firstWhere (dart:collection/list.dart:167:5)
#1      findUser (file:///home/ana/cli/bin/users.dart:12:18)
#2      main (file:///home/ana/cli/bin/cli.dart:5:3)
"""


def test_dart_unhandled_exception_types_casts_and_frames():
    [f] = faults_of(FLUTTER, "dart")
    assert (f.type, f.tool, f.facts["got_type"], f.facts["want_type"]) == ("TypeError", "flutter", "Null", "int")
    assert [x.user for x in f.frames] == [True, True, False]
    assert f.captures()["frame"] == "package:shop/models/order.dart:18 in new Order.fromJson()"
    [vm] = faults_of(DART_VM, "dart")
    assert (vm.type, vm.message) == ("StateError", "Bad state: No element")
    assert [x.user for x in vm.frames] == [False, True, True]


def test_dart_compile_error_and_dotnet_or_c_lines_stay_theirs():
    [f] = faults_of("lib/pages/home.dart:41:17: Error: Undefined name 'kGap'.\n      gap: kGap,\n", "dart")
    assert (f.kind, f.facts["name"], f.frames[0].file, f.frames[0].line) == ("compile", "kGap", "lib/pages/home.dart",
                                                                              41)
    dotnet = ("Unhandled Exception: System.InvalidOperationException: Sequence contains no elements\n"
              "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
              "   at Program.Main() in /src/Program.cs:line 9\n")
    assert not faults_of(dotnet, "dart") and [f.language for f in read(dotnet)] == ["csharp"]
    assert not faults_of("src/x.c:4:2: error: unknown type name 'Error'", "dart")


# --- Zig -----------------------------------------------------------------------------------------------

ZIG = """build.zig:22:10: error: no field named 'root_source_file' in struct 'Build.ExecutableOptions'
        .root_source_file = src,
         ^~~~~~~~~~~~~~~~
/home/bo/zig/0.15.2/lib/std/Build.zig:771:31: note: struct declared here
pub const ExecutableOptions = struct {
                              ^~~~~~
referenced by:
    runBuild__anon_23490: /home/bo/zig/0.15.2/lib/std/Build.zig:2214:33
    main: /home/bo/zig/0.15.2/lib/compiler/build_runner.zig:366:29
    5 reference(s) hidden; use '-freference-trace=7' to see all references
"""


def test_zig_error_its_notes_references_and_the_version_in_the_paths():
    [f] = faults_of(ZIG, "zig")
    assert (f.kind, f.facts["member"], f.facts["container"], f.facts["declared_in"], f.facts["zig_version"]) == (
        "compile", "root_source_file", "Build.ExecutableOptions", "std", "0.15.2")
    assert [(x.file, x.user) for x in f.frames][0] == ("build.zig", True)
    assert not any(x.user for x in f.frames[1:])  # the build runner and std are Zig's
    d = diagnose(ZIG, KB).best
    assert d.id == "zig.std_api_mismatch" and d.captures["member"] == "root_source_file"
    plain = diagnose("src/main.zig:14:23: error: expected type 'u8', found 'u32'\n", KB).best
    assert plain.id == "zig.compile_error" and not plain.generic
    for text in ("src/main.c:14:23: error: expected ';' before 'return'",
                 "error[E0308]: mismatched types\n --> src/main.rs:4:9\n", "lib.zig.c:3:1: error: x"):
        assert not faults_of(text, "zig"), text


# --- OCaml ---------------------------------------------------------------------------------------------

OCAML = """File "bin/main.ml", line 1, characters 5-9:
1 | open Core
         ^^^^
Error: Unbound module Core
"""


def test_ocaml_error_block_kind_and_place():
    [f] = faults_of(OCAML, "ocaml")
    assert (f.kind, f.type, f.facts["module"], f.frames[0].file, f.frames[0].line, f.line) == (
        "compile", "unbound_module", "Core", "bin/main.ml", 1, 4)
    text = ('File "src/io.ml", line 23, characters 17-22:\nError: This expression has type string but an expression '
            'was expected of type\n         bytes\n')
    [t] = faults_of(text, "ocaml")
    assert (t.type, t.facts["got_type"], t.facts["want_type"]) == ("type_mismatch", "string", "bytes")
    d = diagnose(OCAML, KB).best
    assert d.id == "ocaml.unbound_module" and not d.generic and "Core" in d.entry.title
    py = 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    f()\nValueError: x\n'
    syntax = '  File "app.py", line 3\n    def f(:\n          ^\nSyntaxError: invalid syntax\n'
    for text in (py, syntax, 'File "notes.txt", line 2:\nsomething else\n'):
        assert not faults_of(text, "ocaml"), text


def test_each_languages_answer_names_its_specifics():
    d = diagnose(LUA, KB).best
    assert d.id == "lua.index_nil" and not d.generic and "opts" in d.entry.title
    d = diagnose(FLUTTER, KB).best
    assert d.id == "dart.type_error" and not d.generic and "order.dart" in d.entry.summary
    d = diagnose(DART_VM, KB).best
    assert d.id == "dart.exception" and d.generic  # the catch-all family is never specific


def test_a_c_warning_a_driver_prints_under_error_is_not_a_c_compile_error():
    text = ("/tmp/ghc1234_0/ghc_3.c:10:20: error:\n     warning: incompatible pointer types passing 'int *' to "
            "parameter of type 'long *' [-Wincompatible-pointer-types]\n")
    assert all(x.id != "c.compile_error" for x in diagnose(text, KB).diagnoses)


def test_a_haskell_programs_heap_limit_and_ghcs_own_heap_overflow_during_a_build():
    rts = ("worker: Heap exhausted;\nworker: Current maximum heap size is 1073741824 bytes (1024 MB).\n"
           "worker: Use `+RTS -M<size>' to increase it.\n")
    d = diagnose(rts, KB).best
    assert (d.id, d.captures["program"], d.captures["heap_limit"]) == ("ghc.heap_exhausted", "worker", "1024 MB")
    build = ("Building library for big-pkg-0.3.1..\ncabal: Failed to build big-pkg-0.3.1. The build process "
             "terminated with exit code 251\n")
    assert diagnose(build, KB).best.id == "ghc.heap_exhausted"
    for text in ("java.lang.OutOfMemoryError: Java heap space", "make: *** [all] Error 251"):
        assert all(x.id != "ghc.heap_exhausted" for x in diagnose(text, KB).diagnoses), text


def test_denos_uncaught_banner_is_read_as_a_javascript_error():
    text = ("error: Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'id')\n"
            "    at getUser (file:///home/dev/app/main.ts:12:20)\n    at async file:///home/dev/app/main.ts:20:1\n")
    [f] = faults_of(text, "javascript")
    assert (f.type, f.tool, f.frames[0].line) == ("TypeError", "deno", 12)
    assert diagnose(text, KB).best.id == "node.cannot_read_properties"
