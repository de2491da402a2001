"""Code tables for compilers, linkers and native crashes: an error's code or class read into what it means and the
usual first fix, from data in errdiag/data/ (each file says where its facts come from).

- rustc's `error[E0xxx]` (data/rust_codes.yaml) and MSVC's `Cxxxx` / `LNKxxxx` (data/msvc_codes.yaml): captures
  `code_meaning` and `code_fix` of the compile or link fault;
- the symbol a link names as undefined (data/link_symbols.yaml): `provider`, `link_flags` and `link_fix` (the library
  that defines it and how to link it: `pthread_create` -> -pthread, `sqrt` -> -lm, `SSL_*` -> -lssl -lcrypto ...);
- what the linker itself says besides an undefined symbol (data/ld_messages.yaml): a link fault's `reason`,
  `code_meaning`, `code_fix` (`cannot open output file x: Is a directory`, `recompile with -fPIC` ...);
- what a native process prints before SIGABRT (data/native_crash.yaml): `crash_reason`, `crash_what`, `crash_fix`
  (a failed assertion, an uncaught C++ exception, glibc's heap checks, stack smashing), and for any native crash the
  command it ran (a shell prompt line above) and the debugger step that fits the program (`crash_fix`).

The anatomy reader (errdiag/anatomy.py) calls `linker_line` / `msvc_line` per line and `annotate` once on its faults.
Tables are loaded on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .regexes import LazyPattern

DATA = Path(__file__).parent / "data"
CRASH_LINES_ABOVE = 12  # how far above a signal's line a native crash message is looked for
PROMPT_LINES_ABOVE = 4  # ... and a shell prompt line with the command that crashed


def _load(name: str):
    import yaml  # the tables are read on first use only

    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def rust_codes() -> dict[str, dict[str, str]]:
    return _load("rust_codes.yaml")


@lru_cache(maxsize=1)
def msvc_codes() -> dict[str, dict[str, str]]:
    return _load("msvc_codes.yaml")


@lru_cache(maxsize=1)
def link_symbols() -> list[tuple[re.Pattern, dict[str, str]]]:
    return [(re.compile(x["match"]), x) for x in _load("link_symbols.yaml")]


@lru_cache(maxsize=1)
def ld_messages() -> list[tuple[re.Pattern, dict]]:
    return [(re.compile(x["match"]), x) for x in _load("ld_messages.yaml")]


@lru_cache(maxsize=1)
def native_crash() -> list[tuple[re.Pattern, dict[str, str]]]:
    return [(re.compile(x["match"]), x) for x in _load("native_crash.yaml")]


@lru_cache(maxsize=1)
def std_headers() -> tuple[dict[str, tuple[str | None, str | None]], frozenset[str]]:
    """name -> (C++ header, C header), and the names read even when the error does not say `std`."""
    table: dict[str, tuple[str | None, str | None]] = {}
    plain: set[str] = set()
    for row in _load("std_headers.yaml"):
        for name in row["names"]:
            table.setdefault(str(name), (row.get("cxx"), row.get("c")))
            if row.get("c") or row.get("cxx") in ("<iostream>", "<ostream>"):
                plain.add(str(name))
    return table, frozenset(plain - _COMMON_WORDS)


# names a program's own code often uses too: an undeclared `count` or `time` is as likely a typo or a scope mistake
_COMMON_WORDS = frozenset(("time", "signal", "read", "write", "close", "remove", "rename", "exit", "abs", "free",
                           "sleep", "access", "clock", "raise", "pipe", "system", "round", "log", "exp", "fork",
                           "flush", "string", "true", "false", "errno", "EOF"))
# a compiler saying a name is not declared: (pattern, the name is qualified by std)
_UNDECLARED = (
    (LazyPattern(r"[`'‘](?:std::)?(?P<name>\w+)[`'’]:? is not a member of [`'‘]std[`'’]"), True),
    (LazyPattern(r"no (?:member|type|template) named [`'‘](?P<name>\w+)[`'’] in namespace [`'‘]std[`'’]"), True),
    (LazyPattern(r"[`'‘](?P<name>\w+)[`'’] in namespace [`'‘]std[`'’] does not name a (?:template )?type"), True),
    (LazyPattern(r"[`'‘]std::(?P<name>\w+)[`'’] (?:has not been declared|is not a (?:template|type))"), True),
    (LazyPattern(r"^[`'‘](?P<name>\w+)[`'’](?::| was not declared in this scope| undeclared \(first use| does not "
                r"name a type|: undeclared identifier|: identifier not found)"), False),
    (LazyPattern(r"(?:use of undeclared identifier|unknown type name|implicit declaration of function|call to "
                r"undeclared (?:library )?function) [`'‘](?P<name>\w+)[`'’]"), False),
)


def missing_include(message: str | None, language: str | None) -> dict[str, str]:
    """The header to include for a standard name that the compiler says is not declared (empty when the name is not
    a standard library name, or is too common a word to tell without `std`)."""
    if not message or len(message) > 400:
        return {}
    table, plain = std_headers()
    for rx, qualified in _UNDECLARED:
        m = rx.search(message)
        if not m:
            continue
        name = m["name"]
        if name not in table or (not qualified and name not in plain):
            return {}
        cxx, c = table[name]
        header = c if language == "c" and c else (cxx or c)
        if not header or (language == "c" and qualified):
            return {}
        spelled = f"std::{name}" if qualified or (cxx and not c) else name
        fix = f"Add #include {header}: {spelled} is declared there"
        if cxx and not c and not qualified:
            fix += f" (and write it as std::{name}, or the file lacks `using namespace std;`)"
        elif qualified:
            fix += " (newer compilers and standard libraries no longer pull it in through other headers)"
        return {"header": header, "include_fix": fix, "symbol": name}
    return {}


@lru_cache(maxsize=1)
def io_errors() -> tuple[dict[str, dict], dict[str, dict]]:
    """io::ErrorKind name -> row, OS error number -> row (data/io_errors.yaml)."""
    by_kind: dict[str, dict] = {}
    by_code: dict[str, dict] = {}
    for row in _load("io_errors.yaml"):
        for k in row["kinds"]:
            by_kind[k] = row
        for c in row["codes"]:
            by_code.setdefault(str(c), row)
    return by_kind, by_code


_IO_KIND = LazyPattern(r"\bkind: (?P<kind>[A-Z][A-Za-z]+)")
_OS_CODE = LazyPattern(r"\bOs \{ code: (?P<code>\d+)|\(os error (?P<code2>\d+)\)|\bOs\((?P<code3>\d+)\)")


def os_error(message: str | None) -> dict[str, str]:
    """What an OS error quoted in a panic's message means and its usual fix: `io_error` (the kind) and `panic_fix`."""
    if not message or ("kind: " not in message and "os error" not in message and "Os" not in message):
        return {}
    by_kind, by_code = io_errors()
    m = _IO_KIND.search(message)
    row = by_kind.get(m["kind"]) if m else None
    kind = m["kind"] if row else None
    if row is None:
        c = _OS_CODE.search(message)
        code = c and (c["code"] or c["code2"] or c["code3"])
        row = by_code.get(code) if code else None
        kind = f"os error {code}" if row else None
    if row is None:
        return {}
    return {"io_error": kind, "panic_what": f"it hit an OS error it did not handle ({kind}): {row['what']}",
            "panic_fix": row["fix"]}


_QUOTED = LazyPattern(r"[`'‘\"]([^`'’\"\s][^`'’\"]*)[`'’\"]")
_QUOTED_WORD = LazyPattern(r"[`'‘\"]([^`'’\"\s]+)[`'’\"]")


def _fill(text: str, values: dict[str, str]) -> str:
    """`{name}` in a table's text replaced by its value; a sentence naming no value where one is missing keeps the
    placeholder as `<name>` (`add {item} to the link` -> `add <name> to the link`)."""
    def one(m: re.Match) -> str:
        v = values.get(m.group(1))
        return v if v else "<name>"
    return re.sub(r"\{(\w+)\}", one, text)


def _sentence(text: str) -> str:
    """A fix as the start of a sentence or a title: its first letter upper-case."""
    return text[:1].upper() + text[1:]


def explain_code(code: str | None, message: str | None) -> dict[str, str]:
    """`code_meaning` and `code_fix` for a rustc or MSVC error code (empty when the table does not hold it)."""
    if not code:
        return {}
    code = code.upper()
    table = rust_codes() if code.startswith("E") else msvc_codes()
    row = table.get(code)
    if not row:
        return {}
    if code.startswith("E"):  # rustc quotes names in backticks (before 1.30: single quotes; `can't` is a word)
        m = re.search(r"`([^`\s][^`]*)`|'([A-Za-z_][\w:]*)'", message or "")
        item = (m.group(1) or m.group(2)) if m else ""
    elif code.startswith("LNK"):  # a linker names its file last, in words of any language: `... entrée 'x.obj'`
        found = _QUOTED_WORD.findall(message or "")
        item = found[-1] if found else ""
    else:
        m = _QUOTED.search(message or "")
        item = m.group(1) if m else ""
    if code.startswith("E") and item.startswith("&"):
        item = item.lstrip("&")
    values = {"item": item}
    return {"code_meaning": _fill(row["meaning"], values), "code_fix": _sentence(_fill(row["fix"], values))}


def explain_symbol(symbol: str | None) -> dict[str, str]:
    """The library that defines an undefined symbol and how to link it (empty when the table does not know it)."""
    if not symbol:
        return {}
    sym = symbol.strip().split("@", 1)[0].strip()
    if not sym or len(sym) > 500:
        return {}
    for rx, row in link_symbols():
        if rx.match(sym):
            out = {"provider": row["provider"], "link_fix": _sentence(_fill(row["fix"], {"symbol": sym}))}
            if row.get("flags"):
                out["link_flags"] = row["flags"]
            return out
    return {}


# the linker's own prefix: `/usr/bin/ld: `, `ld.lld: error: `, `x86_64-w64-mingw32-ld.exe: `, `ld: ` (ld64), rustc's
# `= note: ` around the linker's output
_LD_NAME = LazyPattern(r"^(?:[\w.-]+-)?(?:ld|ld\.lld|ld\.gold|ld\.bfd|ld64\.lld|ld64|lld-link|lld|mold|rust-lld|gold)"
                      r"(?:\.exe)?$")
_LD_REST = LazyPattern(r"^(?:(?:fatal )?error: )?(?P<rest>.+)$")
_LD_UNQUOTED = LazyPattern(r"undefined reference to (?P<symbol>[A-Za-z_][\w$.]*)$")


def linker_line(st: str) -> dict | None:
    """A linker's own error line that the table knows: {reason, message, code_meaning, code_fix, item}; None for
    warnings and messages read elsewhere (undefined reference, cannot find -lNAME, multiple definition)."""
    if st.startswith("= note: "):
        st = st[8:].lstrip()
    head, sep, tail = st.partition(": ")
    if not sep or len(head) > 300 or not _LD_NAME.match(head.replace("\\", "/").rsplit("/", 1)[-1]):
        return None
    rest = _LD_REST.match(tail)["rest"] if tail else ""
    if rest.startswith("warning:") and "skipping incompatible" not in rest:
        return None
    for rx, row in ld_messages():
        r = rx.search(rest)
        if not r:
            continue
        gd = {k: v for k, v in r.groupdict().items() if v}
        item = gd.get("item") or gd.get("item2") or ""
        values = {"item": item}
        fix = row.get("fix")
        if row.get("fix_by_why"):
            fix = row["fix_by_why"].get(gd.get("why", ""), "")
        meaning = row["meaning"]
        if not item and row.get("empty_item"):  # `cannot open output file : No such file ...`: no name at all
            meaning, fix = row["empty_item"]["meaning"], row["empty_item"]["fix"]
        out = {"reason": row["reason"], "message": st[:500], "code_meaning": _fill(meaning, values)}
        if row["reason"] == "dso-missing" and item:
            sym = explain_symbol(item)
            out.update(sym)
            if sym.get("link_flags"):
                fix = f"add {sym['provider']} to the link explicitly, after the objects: {sym['link_flags']}"
        if fix:
            out["code_fix"] = _sentence(_fill(fix, values))
        if item:
            out["item"] = item
        return out
    return None


def unquoted_undefined(st: str) -> str | None:
    """The symbol of an `undefined reference to NAME` line whose quotes were lost in the paste."""
    if "undefined reference to " not in st:
        return None
    m = _LD_UNQUOTED.search(st)
    return m["symbol"] if m else None


# MSVC's compiler and linker: `file.cpp(12,5): error C2065: 'x': undeclared identifier`, `LINK : fatal error LNK1181:
# ...`, `x.obj : error LNK2019: ...`, MSBuild's ` [C:\proj.vcxproj]` after it; Visual Studio's Error List copied as
# tab-separated columns (`Error  LNK1107  invalid or corrupt file ...  Project  File`)
_MSVC = LazyPattern(r"^(?P<file>[^\s:(][^(]*?|[A-Za-z]:[^(:]*?)\s*(?:\((?P<line>\d+)(?:,\d+)?\))?\s*: (?:fatal )?error "
                   r"(?P<code>LNK\d{4}|C\d{4}): (?P<msg>.+?)(?: \[[^\]]+\.(?:vcxproj|sln)\])?$")
_MSVC_LIST = LazyPattern(r"^Error\s+(?P<code>LNK\d{4}|C\d{4})\s+(?P<msg>[^\t]+?)(?:\t.*)?$")


def msvc_line(st: str) -> dict | None:
    """{code, message, file, line, kind} for an MSVC compiler or linker error line."""
    if "LNK" not in st and " C" not in st and "\tC" not in st:
        return None
    m = _MSVC.match(st) or _MSVC_LIST.match(st)
    if not m:
        return None
    gd = m.groupdict()
    code = gd["code"]
    out = {"code": code, "message": gd["msg"].strip()[:500], "kind": "link" if code.startswith("LNK") else "compile"}
    f = (gd.get("file") or "").strip()
    if f and f.upper() != "LINK" and not f.lower().endswith(("link.exe", "cl.exe", ".obj", ".lib")) and gd.get("line"):
        out["file"], out["line"] = f, gd["line"]
    return out


# a shell prompt: `$ cmd`, `user@host:~/x$ cmd`, `(venv) $ cmd`, `% cmd`, `❯ cmd`, `PS C:\x> cmd`, `C:\x> cmd`
# (a bare `>` is a quote in a markdown paste, `#` a heading: not prompts); the command starts like one
_PROMPT = LazyPattern(r"^(?:(?:\S+@\S+:\S*|\[[^\]]+\]|\(\S+\)\s*\S*|└─)?\s*[$%❯]|(?:PS )?[A-Z]:\\[^>]*>)\s+"
                     r"(?P<cmd>[a-z./~][^\s]*(?: .*?)?)\s*$")
_BARE_CMD = LazyPattern(r"^(?P<cmd>(?:\./|/|~/)?[\w.+-]+(?:/[\w.+-]+)*(?: [^\s:;][^:;]*)?)$")
_PYTHONISH = LazyPattern(r"(?:^|[\s/])(?:python[\d.]*|ipython|pytest|jupyter|uvicorn|gunicorn|streamlit)(?:\s|$)|"
                         r"\.py\b|Fatal Python error|Traceback \(most recent call last\)")
_NODEISH = LazyPattern(r"(?:^|[\s/])(?:node|npm|npx|yarn|pnpm|electron)(?:\s|$)|\.m?js\b")
_JVMISH = LazyPattern(r"(?:^|[\s/])(?:java|gradle|gradlew|mvn|sbt)(?:\s|$)|\.jar\b|"
                     r"# A fatal error has been detected by the Java")


def _command_above(lines: list[str], i: int, whole_short: bool) -> str | None:
    """The command a shell prompt line just above line `i` ran (`$ ./prog in.txt`, `user@host:~/x$ make run`); in a
    paste of at most three lines, a bare command on its first line (`burp -a b`)."""
    for k in range(i - 1, max(-1, i - PROMPT_LINES_ABOVE - 1), -1):
        s = lines[k].strip()
        if not s:
            continue
        m = _PROMPT.match(s)
        if m and len(m["cmd"]) <= 300:
            return m["cmd"]
    if whole_short and i >= 1 and i <= 2:
        s = lines[0].strip()
        m = _BARE_CMD.match(s)
        if m and len(s) <= 200 and not s.endswith((".", "!")) and not s[:1].isupper():
            return m["cmd"]
    return None


def crash_reading(lines: list[str], i: int, signal: str, command: str | None,
                  language: str | None = None) -> dict[str, str]:
    """What a native crash at line `i` (the signal's line) says about itself: the message above it that names why
    (SIGABRT: an assertion, an uncaught C++ exception, a heap or stack check), the command a prompt line ran, and the
    debugging step that fits the program that crashed."""
    out: dict[str, str] = {}
    if signal == "SIGABRT":
        for k in range(i - 1, max(-1, i - CRASH_LINES_ABOVE - 1), -1):
            s = lines[k].strip()
            if not s or len(s) > 600:
                continue
            for rx, row in native_crash():
                m = rx.search(s)
                if not m:
                    continue
                values = {a: b for a, b in m.groupdict().items() if b}
                if row["reason"] == "uncaught-exception" and k + 1 < len(lines):
                    w = re.match(r"^\s*what\(\):\s*(?P<what>.+?)\s*$", lines[k + 1])
                    if w:
                        out["crash_message"] = w["what"][:300]
                out.update({"crash_reason": row["reason"], "crash_what": _fill(row["what"], values),
                            "crash_fix": _sentence(_fill(row["fix"], values)), "_crash_at": str(k)})
                for key in ("file", "line", "expr", "type"):
                    if values.get(key):
                        out[f"crash_{key}"] = values[key]
                break
            if "crash_reason" in out:
                break
    if not command:
        command = _command_above(lines, i, len(lines) <= 3)
        if command:
            out["command"] = command
    if "crash_fix" not in out and signal in ("SIGSEGV", "SIGABRT", "SIGBUS", "SIGILL", "SIGFPE"):
        around = "\n".join(lines[max(0, i - 30):i + 1]) + "\n" + (command or "")
        if language == "python" or _PYTHONISH.search(around):
            out["crash_fix"] = ("Python crashed inside a native extension: run it again with `python -X faulthandler` "
                                "to print the Python stack at the crash, which names the extension's call")
        elif language in ("javascript", "typescript") or _NODEISH.search(around):
            out["crash_fix"] = ("Node crashed inside a native addon: reinstall native modules for this Node "
                                "(`npm rebuild`) and get the native stack with `node --report-on-fatalerror` or gdb")
        elif language in ("java", "kotlin", "scala") or _JVMISH.search(around):
            out["crash_fix"] = ("The JVM crashed in native code: read the hs_err_pid*.log file it wrote, whose "
                                "'Problematic frame' names the library")
        else:
            out["crash_fix"] = ("Run the program under gdb and print the backtrace (`gdb -batch -ex run -ex bt --args "
                                "<command>`), or keep the core dump (`ulimit -c unlimited`, then `coredumpctl gdb` or "
                                "`gdb <program> core`); a build with -g -fsanitize=address names the bad access")
    return out


_BARE_OBJ = LazyPattern(r"[`'‘\"](?P<stem>[A-Za-z_][\w.+-]*?)\.obj[`'’\"]\s*$")
_LNK_WARNING = LazyPattern(r"warning (?P<code>LNK4\d{3}): (?P<msg>.+?)\s*$")
_GCC_LIB_FLAG = LazyPattern(r"unrecognized option '/l(?P<lib>[\w.+-]+)'")


def _warning_above(lines: list[str], i: int) -> str | None:
    """LNK1218 (a linker warning treated as an error): the fix of the LNK4xxx warning printed just above it."""
    for k in range(i - 1, max(-1, i - 16), -1):
        m = _LNK_WARNING.search(lines[k])
        if not m:
            continue
        said = f"{m['code']}: {m['msg'][:200]}"
        lib = _GCC_LIB_FLAG.search(m["msg"])
        if lib:
            name = lib["lib"]
            return (f"Fix the warning above ({said}): a gcc-style -l{name} flag reached link.exe, which reads it as "
                    f"the unknown option /l{name}; name the library as {name}.lib, or drop it when MSVC's "
                    "runtime already provides it (libm's functions are in the C runtime)")
        return f"Fix the warning above ({said}), or stop treating linker warnings as errors (/WX)"
    return None


def annotate(faults, lines: list[str], base: int) -> None:
    """Add the tables' readings to the anatomy's faults (rustc and MSVC codes, undefined symbols, native crashes)."""
    for f in faults:
        if f.kind == "compile" and f.code and (f.language == "rust" or f.tool == "msvc"):
            for k, v in explain_code(f.code, f.message).items():
                f.facts.setdefault(k, v)
        if f.kind == "compile" and f.language in ("c", "cpp", "objc"):
            got = missing_include(f.message, f.language)
            if got:
                f.facts.update({k: v for k, v in got.items() if k != "symbol"})
                f.facts.setdefault("symbol", got["symbol"])
                if f.tool == "msvc":
                    f.facts["code_fix"] = got["include_fix"]
        elif f.kind == "link":
            if f.tool == "msvc" and f.code:
                for k, v in explain_code(f.code, f.message).items():
                    f.facts.setdefault(k, v)
                if f.code == "LNK1181":
                    bare = _BARE_OBJ.search(f.message or "")
                    if bare:  # `cannot open input file 'mfuuid.obj'`: a bare name got link.exe's default extension
                        stem = bare["stem"]
                        f.facts["code_fix"] = (
                            f"link.exe looked for {stem}.obj because the link line names `{stem}` without an "
                            f"extension: if {stem} is a library, give it as {stem}.lib (CMake's "
                            f"target_link_libraries adds .lib itself); otherwise build {stem}.obj first")
                if f.code == "LNK1218":
                    warned = _warning_above(lines, f.line - base)
                    if warned:
                        f.facts["code_fix"] = warned
            sym = f.facts.get("symbol")
            if sym:
                got = explain_symbol(sym)
                for k, v in got.items():
                    f.facts.setdefault(k, v)
                if got and "reason" not in f.facts:
                    f.facts["reason"] = "known-symbol"  # ld.undefined_symbol_known answers it
        elif f.kind == "panic" and f.language == "rust":
            for k, v in os_error(f.message).items():
                f.facts.setdefault(k, v)
        elif f.kind == "signal" and f.facts.get("signal") in ("SIGSEGV", "SIGABRT", "SIGBUS", "SIGILL", "SIGFPE"):
            i = f.line - base
            if 0 <= i < len(lines):
                lang = f.language or next((g.language for g in faults if g.line == f.line and g.language), None)
                got = crash_reading(lines, i, f.facts["signal"], f.facts.get("command"), lang)
                at = got.pop("_crash_at", None)
                if at is not None:
                    f.facts["reason"] = got["crash_reason"]
                    f.start = min(f.start, base + int(at))
                for k, v in got.items():
                    f.facts.setdefault(k, v)
