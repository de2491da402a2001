"""errdiag/codes.py: code tables for compilers, linkers and native crashes, and the anatomy faults they fill."""

from __future__ import annotations

import pytest

from errdiag import anatomy, codes


def _faults(text: str):
    return anatomy.read(text)


def _one(text: str, kind: str):
    got = [f for f in _faults(text) if f.kind == kind]
    assert got, f"no {kind} fault in {text!r}"
    return got[0]


# -- rustc and MSVC codes -------------------------------------------------------------------------------------------

def test_rust_code_meaning_names_the_quoted_item():
    got = codes.explain_code("E0583", "file not found for module `net`")
    assert "mod" in got["code_meaning"]
    assert "src/net.rs" in got["code_fix"]
    assert got["code_fix"][0].isupper()


def test_rust_code_item_is_a_backticked_name_not_an_apostrophe():
    got = codes.explain_code("E0463", "can't find crate for `serde_json`")
    assert "`serde_json`" in got["code_fix"] and "t find" not in got["code_fix"]


def test_unknown_codes_say_nothing():
    assert codes.explain_code("E9999", "x") == {}
    assert codes.explain_code("C9999", "x") == {}
    assert codes.explain_code(None, "x") == {}


def test_rustc_fault_carries_the_code_reading():
    f = _one("error[E0433]: failed to resolve: use of undeclared crate or module `tokio`\n --> src/main.rs:3:5\n",
             "compile")
    c = f.captures()
    assert c["error_code"] == "E0433" and "Cargo.toml" in c["code_fix"]


def test_msvc_linker_line_is_a_link_fault_with_its_file():
    f = _one("LINK : fatal error LNK1181: cannot open input file 'm.lib'\n", "link")
    c = f.captures()
    assert f.tool == "msvc" and c["error_code"] == "LNK1181" and "m.lib" in c["code_fix"]


def test_msvc_localised_message_takes_the_last_quoted_word():
    f = _one("LINK : fatal error LNK1181: impossible d'ouvrir le fichier en entrée 'mfuuid.obj'\n", "link")
    assert "mfuuid.obj" in f.captures()["code_fix"]


def test_msvc_error_list_row_and_compiler_line():
    f = _one("Error\tLNK1107\tinvalid or corrupt file: cannot read at 0x486\tLimeOS\tlinker.ld\n", "link")
    assert f.code == "LNK1107"
    f = _one("C:\\src\\app\\main.cpp(12,5): error C2065: 'M_PI': undeclared identifier [C:\\src\\app\\app.vcxproj]\n",
             "compile")
    assert f.language == "cpp" and f.frames[0].line == 12 and "M_PI" in f.captures()["code_fix"]


def test_msvc_warnings_and_unresolved_count_are_no_faults_of_their_own():
    assert not [f for f in _faults("main.cpp(40): warning C4996: 'strcpy': This function may be unsafe.\n")
                if f.tool == "msvc"]
    text = ("main.obj : error LNK2019: unresolved external symbol \"void __cdecl f(void)\" (?f@@YAXXZ) referenced in "
            "function main\napp.exe : fatal error LNK1120: 1 unresolved externals\n")
    assert [f.code for f in _faults(text) if f.kind == "link"] == [None]


# -- undefined symbols ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("symbol, flag", [
    ("sqrt", "-lm"), ("powf", "-lm"), ("pthread_create", "-pthread"), ("pthread_create@@GLIBC_2.2.5", "-pthread"),
    ("dlopen", "-ldl"), ("SSL_CTX_new", "-lssl -lcrypto"), ("curl_easy_init", "-lcurl"),
    ("__cxa_begin_catch", "-lstdc++"), ("operator new(unsigned long)", "-lstdc++"), ("clock_gettime", "-lrt"),
    ("omp_get_thread_num", "-fopenmp"), ("cudaMalloc", "-lcudart"), ("sqlite3_open", "-lsqlite3"),
])
def test_symbol_to_library(symbol, flag):
    got = codes.explain_symbol(symbol)
    assert got["link_flags"] == flag and got["link_fix"][0].isupper()


@pytest.mark.parametrize("symbol", ["parse_config", "my_sqrt_helper", "Foo::bar()", "logger_init", "compute_total"])
def test_own_symbols_are_not_given_a_library(symbol):
    assert codes.explain_symbol(symbol) == {}


def test_special_symbols_name_their_place():
    assert "main" in codes.explain_symbol("main")["provider"]
    assert "linker script" in codes.explain_symbol("__bss_start")["provider"]
    assert "class" in codes.explain_symbol("vtable for Widget")["provider"]
    assert "ABI" in codes.explain_symbol("cv::imread(std::__cxx11::basic_string<char> const&, int)")["link_fix"]


def test_link_fault_gets_the_symbols_library_and_a_reason():
    f = _one("main.c:(.text+0x1a): undefined reference to `sqrt'\ncollect2: error: ld returned 1 exit status\n", "link")
    c = f.captures()
    assert c["link_flags"] == "-lm" and c["reason"] == "known-symbol"
    f = _one("app.c:(.text+0x12): undefined reference to `parse_config'\n", "link")
    assert "reason" not in f.facts and "link_fix" not in f.facts


def test_undefined_reference_without_quotes():
    f = _one("/src/loader/main.c:(.text+0xf): undefined reference to bss_start\n", "link")
    assert f.facts["symbol"] == "bss_start"


# -- the linker's own messages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, reason, item", [
    ("/usr/bin/ld: cannot open output file app: Is a directory", "output-not-writable", "app"),
    ("c:/mingw/bin/ld.exe: cannot open output file prog.exe: Permission denied", "output-not-writable", "prog.exe"),
    ("/usr/bin/ld: cannot find ../lib/libfoo.so: No such file or directory", "input-missing", "../lib/libfoo.so"),
    ("/usr/bin/ld: libx.a(x.o): relocation R_X86_64_32 against `.rodata' can not be used when making a shared object; "
     "recompile with -fPIC", "pic-relocation", "R_X86_64_32"),
    ("arm-none-eabi-ld: region `FLASH' overflowed by 512 bytes", "region-overflow", "FLASH"),
    ("/usr/bin/ld: skipping incompatible /usr/lib/libz.so when searching for -lz", "incompatible-library",
     "/usr/lib/libz.so"),
    ("  = note: /usr/bin/ld: obj.o: file not recognized: file format not recognized", "format-not-recognized",
     "obj.o"),
    ("ld: unknown option: --as-needed", "unknown-option", "--as-needed"),
    ("ld: framework not found Metal", "framework-missing", "Metal"),
])
def test_linker_messages(line, reason, item):
    got = codes.linker_line(line.strip())
    assert got and got["reason"] == reason and got["item"] == item and got["code_fix"]


@pytest.mark.parametrize("line", [
    "/usr/bin/ld: warning: cannot find entry symbol _start; defaulting to 0000000000401000",
    "collect2: error: ld returned 1 exit status",
    "/usr/bin/ld: cannot find -lssl",  # ld.cannot_find_library's
    "main.c:(.text+0x1a): undefined reference to `foo'",
    "build: cannot open output file log.txt: Is a directory",  # not a linker
    "Building the old world: done",
])
def test_not_linker_messages(line):
    assert codes.linker_line(line) is None


def test_empty_output_name():
    got = codes.linker_line("/usr/bin/ld: cannot open output file : No such file or directory")
    assert "empty" in got["code_meaning"] and "-o" in got["code_fix"]


def test_dso_missing_names_the_library_of_the_symbol_and_absorbs_its_second_line():
    text = ("/usr/bin/ld: t.o: undefined reference to symbol 'pthread_create@@GLIBC_2.2.5'\n"
            "/usr/bin/ld: /lib/x86_64-linux-gnu/libpthread.so.0: error adding symbols: DSO missing from command line\n"
            "collect2: error: ld returned 1 exit status\n")
    links = [f for f in _faults(text) if f.kind == "link"]
    assert len(links) == 1 and "-pthread" in links[0].facts["code_fix"] and links[0].end == 2


# -- native crashes -------------------------------------------------------------------------------------------------

def test_assertion_before_abort():
    f = _one("prog: src/a.c:88: parse: Assertion `len < MAX' failed.\nAborted (core dumped)\n", "signal")
    c = f.captures()
    assert c["crash_reason"] == "assertion" and "src/a.c:88" in c["crash_fix"] and f.start == 1


def test_uncaught_exception_reads_what():
    f = _one("terminate called after throwing an instance of 'std::out_of_range'\n  what():  vector::_M_range_check\n"
             "Aborted (core dumped)\n", "signal")
    c = f.captures()
    assert c["crash_type"] == "std::out_of_range" and c["crash_message"] == "vector::_M_range_check"


@pytest.mark.parametrize("line", ["free(): invalid pointer", "double free or corruption (out)",
                                  "malloc(): corrupted top size", "munmap_chunk(): invalid pointer"])
def test_heap_checks(line):
    f = _one(f"{line}\nAborted (core dumped)\n", "signal")
    assert f.facts["crash_reason"] == "heap-corruption" and "sanitize=address" in f.facts["crash_fix"]


def test_stack_smashing():
    f = _one("*** stack smashing detected ***: terminated\nAborted (core dumped)\n", "signal")
    assert f.facts["crash_reason"] == "stack-smashing"


def test_abort_without_a_known_message_has_no_reason():
    f = _one("F0312 main.cc:45] Check failed: ptr != nullptr\nAborted (core dumped)\n", "signal")
    assert "reason" not in f.facts and "crash_what" not in f.facts


def test_a_far_message_is_not_the_abort_reason():
    text = "double free or corruption (out)\n" + "step done\n" * 20 + "Aborted (core dumped)\n"
    assert "crash_reason" not in _one(text, "signal").facts


@pytest.mark.parametrize("text, command", [
    ("$ ./bin/server --port 8080\nSegmentation fault (core dumped)\n", "./bin/server --port 8080"),
    ("user@box:~/proj$ ./a.out in.txt\nSegmentation fault\n", "./a.out in.txt"),
    ("burp -a b\nErreur de segmentation\n", "burp -a b"),
])
def test_crashed_command_from_a_prompt_line(text, command):
    assert _one(text, "signal").facts["command"] == command


@pytest.mark.parametrize("text", [
    "Set up 0 bases.\nSegmentation fault\n",  # plain output above the crash
    "Loading model weights.\nSegmentation fault (core dumped)\n",
    "Segmentation fault (core dumped)\n",
    "> Generated 32 train batches of size 48 in 4.908 sec\nGenerated 48 test batches\nAborted\n",  # a quote
    "# Build notes\nSegmentation fault\n",  # a heading
    "$ Segmentation fault happened when I ran it\nSegmentation fault\n",  # a prompt that quotes the crash
])
def test_no_command_from_plain_output_quotes_or_headings(text):
    assert "command" not in _one(text, "signal").facts


def test_debug_step_fits_the_program():
    native = _one("$ ./a.out\nSegmentation fault (core dumped)\n", "signal").facts["crash_fix"]
    python = _one("$ python train.py\nSegmentation fault (core dumped)\n", "signal").facts["crash_fix"]
    assert "gdb" in native and "faulthandler" in python and "faulthandler" not in native


def test_python_signal_gets_the_python_step():
    f = _one("subprocess.CalledProcessError: Command returned non-zero exit status -11\n", "signal")
    assert "faulthandler" in f.facts["crash_fix"]


def test_old_rustc_single_quotes_and_a_missing_item():
    assert "src/sys.rs" in codes.explain_code("E0583", "file not found for module 'sys'")["code_fix"]
    assert "src/<name>.rs" in codes.explain_code("E0583", "file not found for module")["code_fix"]


# -- a standard name not declared: the header to include -----------------------------------------------------------

@pytest.mark.parametrize("message, language, header", [
    ("‘cerr’ is not a member of ‘std’", "cpp", "<iostream>"),
    ("no member named 'numeric_limits' in namespace 'std'", "cpp", "<limits>"),
    ("'unique_ptr' in namespace 'std' does not name a template type", "cpp", "<memory>"),
    ("'uint8_t' was not declared in this scope", "cpp", "<cstdint>"),
    ("unknown type name 'uint32_t'", "c", "<stdint.h>"),
    ("implicit declaration of function 'memcpy' [-Wimplicit-function-declaration]", "c", "<string.h>"),
    ("unknown type name 'bool'", "c", "<stdbool.h>"),
    ("'runtime_error' is not a member of 'std'", "cpp", "<stdexcept>"),
])
def test_missing_include(message, language, header):
    got = codes.missing_include(message, language)
    assert got["header"] == header and header in got["include_fix"]


@pytest.mark.parametrize("message, language", [
    ("'count' was not declared in this scope", "cpp"),  # a common word: likely the program's own
    ("'parse_header' was not declared in this scope", "cpp"),
    ("'time' undeclared (first use in this function)", "c"),
    ("expected ';' before '}' token", "c"),
    ("'foo' is not a member of 'std'", "cpp"),
])
def test_no_header_for_other_names(message, language):
    assert codes.missing_include(message, language) == {}


def test_compile_fault_gets_the_include():
    f = _one("src/a.cpp:12:5: error: 'cout' was not declared in this scope\n", "compile")
    assert f.facts["header"] == "<iostream>" and "std::cout" in f.facts["include_fix"]


# -- an OS error inside a Rust panic ---------------------------------------------------------------------------------

@pytest.mark.parametrize("message, kind", [
    ('failed to open log: Os { code: 13, kind: PermissionDenied, message: "Permission denied" }', "PermissionDenied"),
    ('I/O Error: No such file or directory (os error 2)', "os error 2"),
    ("called `Result::unwrap()` on an `Err` value: Error { repr: Os(2) }", "os error 2"),
    ('bind: Os { code: 98, kind: AddrInUse, message: "Address already in use" }', "AddrInUse"),
])
def test_os_error_in_a_panic(message, kind):
    got = codes.os_error(message)
    assert got["io_error"] == kind and got["panic_fix"] and got["panic_what"].startswith("it hit an OS error")


@pytest.mark.parametrize("message", ["index out of bounds: the len is 3 but the index is 5",
                                     "ParseIntError { kind: InvalidDigit }", "explicit panic"])
def test_no_os_error(message):
    assert codes.os_error(message) == {}


def test_panic_fault_gets_the_os_error():
    f = _one("thread 'main' panicked at src/main.rs:9:40:\ncalled `Result::unwrap()` on an `Err` value: Os { code: 2, "
             'kind: NotFound, message: "No such file or directory" }\n', "panic")
    assert f.facts["io_error"] == "NotFound"


def test_c_runtime_startup_files():
    got = codes.linker_line("/usr/bin/ld: cannot find crti.o: No such file or directory")
    assert got["reason"] == "crt-missing" and "libc6-dev" in got["code_fix"]


def test_lnk1218_reads_the_warning_above():
    text = ("LINK : warning LNK4044: unrecognized option '/lm'; ignored\n"
            "LINK : error LNK1218: warning treated as error; no output file generated\n")
    fix = _one(text, "link").facts["code_fix"]
    assert "LNK4044" in fix and "m.lib" in fix


def test_lnk1181_bare_name_is_a_library_without_lib():
    f = _one("LINK : fatal error LNK1181: cannot open input file 'mfuuid.obj'\n", "link")
    assert "mfuuid.lib" in f.facts["code_fix"]
    f = _one("LINK : fatal error LNK1181: cannot open input file '.\\Debug\\ddos.obj'\n", "link")
    assert ".lib" not in f.facts["code_fix"].split(";")[0]
