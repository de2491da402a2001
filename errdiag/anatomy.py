"""Read the shape of an error, independent of the knowledge base.

`read(text)` returns the faults it finds: for each, the kind of error (an exception, an HTTP status, an
exit status or signal, a panic, a compile or link error, a shell error, a traceback cut off before its
exception line), the language and tool, the error type and message, chained causes, the frames (which one
is the innermost in the user's own code), the HTTP request and the vendor's error envelope, the exit code,
the signal and the failed command. `Fault.captures()` gives them under the standard capture names that
family entries fill their text with (docs/writing-entries.md, "Family entries").

Pure and bounded: plain string work and linear-time regexes over the lines it is given. For a stream,
`Collector` keeps all of a short input and, of a big one, only windows around strong error markers and
the tail (where a failing run ends), so reading costs the same on a 100 MB log as on a few pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import codes as _codes
from . import syserr
from .normalize import deframe
from .regexes import find_each
from .usage import maybe as _usage_maybe
from .usage import usage_fault

# ---------------------------------------------------------------------------------------------------------
# values


_ARITY = re.compile(r"/\d+$")  # an Elixir / Erlang function named with its arity (`Map.fetch!/2`): no "()"


@dataclass
class Frame:
    """One stack frame. `user` is False for library, runtime and standard-library code."""

    file: str | None = None
    line: int | None = None
    func: str | None = None
    code: str | None = None
    user: bool = True

    def where(self) -> str:
        """In words: "line 42 of app.py (in load())"."""
        text = f"line {self.line} of {self.file}" if self.line is not None else str(self.file)
        if self.func:
            f = self.func if self.func.endswith(")") or self.func.startswith("<") or _ARITY.search(self.func) \
                else self.func + "()"
            text += f", in {f}"
        return text

    def describe(self) -> str:
        where = self.file or "?"
        if self.line is not None:
            where += f":{self.line}"
        if self.func:
            f = self.func if self.func.endswith(")") or self.func.startswith("<") or _ARITY.search(self.func) \
                else self.func + "()"
            where += f" in {f}"
        return where


@dataclass
class Fault:
    """One error as read from its shape."""

    kind: str  # exception | http | exit | signal | panic | compile | link | shell | truncated | k8s | systemd | usage
    line: int  # the line (1-based, in the whole input) that states the error
    start: int = 0  # first line of its block (traceback header, first frame ...)
    end: int = 0  # last line of its block
    language: str | None = None
    tool: str | None = None
    type: str | None = None  # the exception / error class as printed (dotted or not)
    message: str | None = None
    code: str | None = None  # an error code: ERR_*, errno name, vendor code, exit status
    frames: list[Frame] = field(default_factory=list)  # innermost first
    causes: list[tuple[str, str]] = field(default_factory=list)  # (type, message), innermost (root) last
    facts: dict[str, str] = field(default_factory=dict)  # http_*, host, vendor*, exit_code, signal, command
    code_lines: tuple[int, ...] = ()  # lines that echo a frame's source code naming another error class (`_echoes`)
    excerpt: tuple[int, list[str]] = (0, [])  # (first line, raw lines) around the line that states it
    handled: bool = False  # an exception handled in a chain whose last exception is cut off: not the failure
    cause_at: int | None = None  # the line of an exit status's `cause` read from the text around it (no fault there)
    child_says: str | None = None  # a wrapper fault's (a unit's) child's line under its report, at `cause_at`

    @property
    def short_type(self) -> str | None:
        if not self.type:
            return None
        return self.type.rsplit(".", 1)[-1].rsplit("::", 1)[-1]

    def user_frame(self) -> Frame | None:
        return next((f for f in self.frames if f.user and f.file), None)

    def lives(self) -> Lives | None:
        """Where this error's failing code lives (see `lives_of_frames`); None when it has no file to tell by.
        Read once per fault and its frames (every entry's `anatomy:` conditions ask for it)."""
        key = (id(self.frames), len(self.frames))
        cached = self.__dict__.get("_lives")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_lives"] = (key, lives_of_frames(self.frames))
        return cached[1]

    def conditions(self) -> dict[str, set[str]]:
        """The facts an entry's `anatomy:` block tests, lowercased (a type matches dotted or short)."""
        out: dict[str, set[str]] = {"kind": {self.kind}}
        if self.language:
            out["language"] = {self.language}
        if self.tool:
            out["tool"] = {self.tool.lower()}
        if self.type:
            out["type"] = {self.type.lower(), (self.short_type or "").lower()}
        codes = {c.lower() for c in (self.code, self.facts.get("exit_code"), self.facts.get("vendor_code")) if c}
        if codes:
            out["code"] = codes
        if "http_status" in self.facts:
            out["status"] = {self.facts["http_status"]}
        if "signal" in self.facts:
            out["signal"] = {self.facts["signal"].lower()}
        if "reason" in self.facts:
            out["reason"] = {self.facts["reason"].lower()}
        if self.frames and self.kind in ("exception", "panic"):
            out["raised_in"] = {"user" if self.frames[0].user else "library"}
        lives = self.lives() if self.frames else None
        if lives is not None:
            out["lives"] = {lives.kind}
        return out

    def captures(self) -> dict[str, str]:
        """The standard captures (see the module docs and docs/writing-entries.md)."""
        c: dict[str, str] = {}
        if self.language:
            c["language"] = self.language
        if self.tool:
            c["tool"] = self.tool
        if self.type:
            c["exc_type"] = self.short_type or self.type
            c["exc_type_full"] = self.type
        if self.message:
            c["message"] = self.message
        if self.code and self.code != self.facts.get("exit_code"):
            c["error_code"] = self.code
        f = self.user_frame()
        if f is not None:
            c["frame"] = f.describe()
            c["frame_file"] = f.file or ""
            if f.line is not None:
                c["frame_line"] = str(f.line)
            if f.func:
                c["frame_func"] = f.func
            if f.code:
                c["frame_code"] = f.code
            c["where"] = f.where()
            c["Where"] = c["where"][:1].upper() + c["where"][1:]
        if self.frames and not self.frames[0].user:
            c["lib_frame"] = self.frames[0].describe()
        if self.causes:
            t, m = self.causes[-1]
            c["cause_type"] = t
            c["cause"] = f"{t}: {m}" if m else t
        c.update({k: v for k, v in self.facts.items() if v})
        return {k: v for k, v in c.items() if v}


# ---------------------------------------------------------------------------------------------------------
# regexes are compiled on first use: a paste of one traceback needs a handful of them, and compiling all
# of them would cost more start-up time than reading the text does


class _rx:  # noqa: N801 (used like re.compile)
    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._rx: re.Pattern | None = None

    def _get(self) -> re.Pattern:
        if self._rx is None:
            self._rx = re.compile(*self._args)
        return self._rx

    def match(self, text: str):
        return self._get().match(text)

    def search(self, text: str):
        return self._get().search(text)

    def sub(self, repl, text: str):
        return self._get().sub(repl, text)

    def findall(self, text: str):
        return self._get().findall(text)


# ---------------------------------------------------------------------------------------------------------
# library code vs the user's own

_LIB_PATH = _rx(
    r"site-packages|dist-packages|node_modules|[/\\]vendor[/\\]|^/usr/(?:local/)?lib/|^/usr/share/|"
    r"[/\\]lib[/\\]python\d|\\Lib\\|Python\.framework|[/\\]\.pyenv[/\\]|[/\\]hostedtoolcache[/\\]|"
    r"^<frozen|^node:|^internal/|[/\\]go[/\\]src[/\\]|[/\\]pkg[/\\]mod[/\\]|^/rustc/|[/\\]\.?cargo[/\\](?:registry|git)[/\\]|"
    r"[/\\]\.gopath[/\\]|"
    # Node's core files as old Node names them (`fs.js:88`)
    r"^(?:fs|events|net|module|timers|stream|_stream_\w+|http|https|_http_\w+|child_process|domain|tls|dns|zlib|"
    r"buffer|readline|vm|cluster|console|repl|string_decoder|node)\.js$|"
    r"[/\\]\.rustup[/\\]|[/\\]gems[/\\]|[/\\]rubygems[/\\]|[/\\]jdk|[/\\]Microsoft\.NET[/\\]|"
    # Ruby's standard library and interpreter internals, and a bundle installed into the project (`--path vendor`)
    r"[/\\]lib[/\\]ruby[/\\](?:\d|gems|site_ruby|vendor_ruby)|^<internal:|^vendor[/\\]|"
    r"^/usr/include/|^<string>|^<stdin>$|"
    r"[/\\]pip-(?:install|build|req-build|wheel|ephem-wheel-cache|build-env)-", re.I)  # a package pip is building
_LIB_PACKAGE = _rx(
    r"^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|org\.junit|junit|org\.apache|org\.springframework|"
    r"org\.gradle|org\.hibernate|com\.google|com\.fasterxml|io\.netty|io\.grpc|reactor|okhttp3|retrofit2|"
    r"android|androidx|dalvik|com\.android|System|Microsoft|runtime|reflect|net/http|testing|"
    r"std|core|alloc|tokio|futures)(?:[.:/]|$)")


def is_library(file: str | None, func: str | None = None) -> bool:
    if file and _LIB_PATH.search(file.replace("\\\\", "\\")):
        return True
    return bool(not file and func and _LIB_PACKAGE.match(func))


# ---------------------------------------------------------------------------------------------------------
# where a failing file lives: the user's own code, a dependency, generated code or the tool's own source

USER, DEPENDENCY, GENERATED, TOOL = "user", "dependency", "generated", "tool"
# an installed dependency: package caches and install trees of every ecosystem, and a release of someone's software
# installed under /opt/<name>/<version>/ (`/opt/zato/2.0.1/code/...`), `Program Files`, a macOS .app bundle
_DEPENDENCY_PATH = _rx(
    r"site-packages|dist-packages|node_modules|[/\\]\.pnpm[/\\]|[/\\]\.yarn[/\\]cache|(?:^|[/\\])vendor[/\\]|"
    r"[/\\]pkg[/\\]mod[/\\]|[/\\]\.?cargo[/\\](?:registry|git)[/\\]|[/\\]\.m2[/\\]repository|"
    r"[/\\]\.gradle[/\\]caches|[/\\]gems[/\\]|[/\\]\.pub-cache[/\\]|[/\\]\.nuget[/\\]packages|"
    r"[/\\]\.julia[/\\]packages|[/\\]pip-(?:install|build|req-build|wheel)-|(?:^|[/\\])Pods[/\\]", re.I)
# a release of someone's program installed as a whole (looked at after the toolchains that install the same way)
_INSTALLED_PATH = _rx(r"^/opt/[^/]+/(?:[^/]+/)*v?\d+\.\d+[\w.-]*/|Program Files|\.app/Contents/", re.I)
# code a tool generated: compiler caches and build outputs, codegen files, scratch dirs a tool made under /tmp
_GENERATED_PATH = _rx(
    r"torchinductor_|[/\\]\.?triton[/\\]|__pycache__|\.generated\.|_pb2(?:_grpc)?\.pyi?$|\.pb\.(?:go|cc|h)$|"
    r"\.g\.(?:dart|cs)$|\.freezed\.dart$|[/\\]generated(?:-sources)?[/\\]|[/\\]CMakeFiles[/\\]|"
    r"(?:^|[/\\])\.next[/\\]|(?:^|[/\\])\.nuxt[/\\]|(?:^|[/\\])\.svelte-kit[/\\]|(?:^|[/\\])bazel-out[/\\]|"
    r"[/\\]moc_[^/\\]+\.cpp$|[/\\]go-build\d+[/\\]|"
    r"^(?:/tmp|/var/tmp|/private/var/folders/.+/T|/var/folders/.+/T|[A-Za-z]:\\.*\\Temp)[/\\]"
    r"(?:tmp[\w-]{5,}|[a-z]+\d+_\d+|[^/\\]*[0-9a-z]{24,}[^/\\]*)[/\\]", re.I)
# the tool's own source: the Go toolchain and standard library (GOROOT/src: a package path without a dot in its
# first element), CPython's standard library, Node's internals, the JDK, rustc's own library, a C library's headers
_GO_ROOT = _rx(r"[/\\]src[/\\](?:cmd|runtime|internal|reflect|regexp|syscall|os|net|sync|fmt|io|bufio|strings|"
               r"bytes|strconv|sort|time|math|crypto|encoding|text|html|go|database|context|errors|log|unicode|"
               r"compress|archive|container|debug|flag|hash|image|mime|path|testing|plugin|expvar|embed)[/\\]"
               r"[^.]*\.(?:go|s)$")
_TOOL_PATH = _rx(
    r"^<frozen|^node:|^internal[/\\].*\.js$|^/rustc/|[/\\]\.rustup[/\\]toolchains|^/usr/include/|"
    r"[/\\]lib[/\\]python\d(?:\.\d+)?[/\\][^/\\]+\.py$|[/\\]lib[/\\]python\d(?:\.\d+)?[/\\](?!site-|dist-)"
    r"[\w]+[/\\]|\\Lib\\(?!site-packages)|^(?:fs|events|net|module|timers|stream|_stream_\w+|http|https|_http_\w+|"
    r"child_process|tls|dns|zlib|buffer|readline|vm|cluster|console|string_decoder|node)\.js$", re.I)
# owners a path names: the package under node_modules / site-packages, a Go module, a crate, a generator
_OWNER = (
    (_rx(r"node_modules[/\\](?:\.pnpm[/\\])?(?P<o>@[\w.-]+[/\\][\w.-]+|[\w.-]+)(?:[/\\](?!node_modules)[^/\\]*)*$"),
     "the npm package {o}"),
    (_rx(r"(?:site|dist)-packages[/\\](?P<o>[A-Za-z_][\w.-]*?)(?:[/\\]|\.py$)"), "the Python package {o}"),
    (_rx(r"[/\\]pkg[/\\]mod[/\\](?P<o>[^@]+)@"), "the Go module {o}"),
    (_rx(r"(?:^|[/\\])vendor[/\\](?P<o>[\w-]+\.[\w.-]+[/\\][\w.-]+[/\\][\w.-]+)"), "the vendored package {o}"),
    (_rx(r"(?:^|[/\\])vendor[/\\](?P<o>[\w.-]+[/\\][\w.-]+)"), "the vendored package {o}"),
    (_rx(r"[/\\]\.julia[/\\]packages[/\\](?P<o>\w+)[/\\]"), "the Julia package {o}"),
    (_rx(r"[/\\]\.pub-cache[/\\]hosted[/\\][^/\\]+[/\\](?P<o>\w+)-\d"), "the Dart/Flutter package {o}"),
    (_rx(r"[/\\]\.?cargo[/\\](?:registry|git)[/\\]\w+[/\\][^/\\]+[/\\](?P<o>[\w-]+?)-\d[\w.+-]*[/\\]"),
     "the crate {o}"),
    (_rx(r"[/\\]gems[/\\](?P<o>[\w-]+?)-\d[\w.]*[/\\]"), "the gem {o}"),
    (_rx(r"^/opt/(?P<o>[^/]+)/"), "the installed program {o}"),
    (_rx(r"torchinductor_"), "TorchInductor (torch.compile)"),
    (_rx(r"[/\\]\.?triton[/\\]"), "Triton"),
    (_rx(r"[/\\]ghc\d+_\d+[/\\]"), "GHC"),
    (_rx(r"_pb2(?:_grpc)?\.pyi?$|\.pb\.(?:go|cc|h)$"), "protoc (the Protocol Buffers compiler)"),
    (_rx(r"(?:^|[/\\])\.next[/\\]"), "the Next.js build"),
    (_rx(r"[/\\]src[/\\]cmd[/\\](?P<o>go|compile|link|cgo|vet|asm)[/\\]"), "the Go toolchain (cmd/{o})"),
    (_GO_ROOT, "Go's own runtime and standard library"),
    (_rx(r"^node:|^internal[/\\]|^\w+\.js$"), "Node.js itself"),
    (_rx(r"^/rustc/|[/\\]\.rustup[/\\]"), "Rust's standard library"),
    (_rx(r"python\d|\\Lib\\|^<frozen"), "Python's standard library"),
)


_TOOL_PROGRAM = _rx(r"[/\\]src[/\\]cmd[/\\]")  # GOROOT/src/cmd/...: the go command, the compiler, the linker
_NODE_ASSERT = _rx(r"^(?:node:)?internal[/\\]assert(?:\.js)?$")  # Node's check of its own invariants


def tool_program(path: str) -> bool:
    """A file of a tool's own program (the go command, the Go compiler), not of the runtime or library it ships."""
    return bool(_TOOL_PROGRAM.search(path))


def where_lives(path: str | None) -> str:
    """Whose code the file at `path` is: USER (nothing says otherwise), DEPENDENCY, GENERATED or TOOL."""
    if not path:
        return USER
    p = path.strip().replace("\\\\", "\\")
    if _DEPENDENCY_PATH.search(p):
        return DEPENDENCY
    if _GENERATED_PATH.search(p):
        return GENERATED
    if _TOOL_PATH.search(p) or (p.endswith((".go", ".s")) and _GO_ROOT.search(p) and "/pkg/mod/" not in p):
        return TOOL
    if _INSTALLED_PATH.search(p):
        return DEPENDENCY
    return USER


def owner_of(path: str) -> str:
    """Who owns a file that is not the user's, in words (`the npm package @babel/cli`), or ""."""
    p = path.strip().replace("\\\\", "\\")
    for rx, words in _OWNER:
        m = rx.search(p)
        if m:
            return words.format(**{k: v.replace("\\", "/") for k, v in m.groupdict().items() if v})
    return ""


@dataclass(frozen=True)
class Lives:
    """Where a failure lives: `kind` (USER, DEPENDENCY, GENERATED, TOOL), the file that says so, its owner."""

    kind: str
    path: str
    owner: str = ""
    by: str = "frames"  # what told: the error's frames, or a file the answer's captures name ("file")

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "path": self.path, "owner": self.owner, "by": self.by}


def lives_of_frames(frames: list[Frame]) -> Lives | None:
    """Where a failure with these frames (innermost first) lives, when the frames say so for sure; else None.

    A pasted stack is often cut (a Node stack keeps 10 frames, people paste the last lines of a traceback, a Rust panic
    names only where it was raised), so frames without the user's code do not prove the code is not theirs: a library
    raises on what its caller passed. What does: the innermost frame of the user's own code is generated code (a
    kernel a JIT wrote under /tmp, a `*_pb2.py`, a `.next/` bundle) or an installed program's (`/opt/NAME/VERSION/`)
    whose entry point (the outermost frame, `<module>`) is that program's too; with no frame of the user's, a frame
    of a tool's own program (the go command's `src/cmd/go/...`) or Node's internal assertion (`internal/assert`:
    Node's bug, or a dependency's misuse of its internals when a dependency frame is on the stack), or a complete
    Python traceback whose entry point is a dependency's (a console script of an installed package)."""
    placed = [f for f in frames if f.file]
    if not placed:
        return None
    kinds = [(where_lives(f.file), f) for f in placed]
    entry = next(((k, f) for k, f in reversed(kinds) if k != TOOL), None)  # the outermost frame not the runtime's
    started_elsewhere = entry is not None and entry[0] != USER and (entry[1].func or "").strip() == "<module>"
    # a frame of the tool's own code is no frame of the user's, whatever is_library says (a GOROOT outside /go/src/)
    mine = next((f for k, f in kinds if f.user and k != TOOL), None)
    if mine is not None:
        kind = where_lives(mine.file)
        if kind == GENERATED or (kind == DEPENDENCY and started_elsewhere):
            return Lives(kind, mine.file or "", owner_of(mine.file or ""))
        return Lives(USER, mine.file or "") if kind == USER else None
    deps = [f for k, f in kinds if k == DEPENDENCY]
    program = next((f for k, f in kinds if k == TOOL and _TOOL_PROGRAM.search(f.file or "")), None)
    if program is not None:
        return Lives(TOOL, program.file or "", owner_of(program.file or ""))
    if any(_NODE_ASSERT.search(f.file or "") for f in placed):
        f = deps[0] if deps else placed[0]
        kind = DEPENDENCY if deps else TOOL
        return Lives(kind, f.file or "", owner_of(f.file or ""))
    if deps and started_elsewhere:
        return Lives(DEPENDENCY, deps[0].file or "", owner_of(deps[0].file or ""))
    return None


# ---------------------------------------------------------------------------------------------------------
# the reader

_PY_TB = "Traceback (most recent call last)"
_PY_CHAIN = ("During handling of the above exception", "The above exception was the direct cause")
_PY_FRAME = _rx(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+?))?\s*$')
# IPython / Jupyter / Colab: "ValueError     Traceback (most recent call last)", frames such as
# "File ~/x/y.py:85, in f(a, b)", "/usr/lib/x.py in f(self)", "[/usr/lib/x.py](https://...) in f()",
# "<ipython-input-3-ab> in <module>", "Cell In[3], line 5", and "---> 85 code" arrows on the frame's line
_IPY_HEADER = _rx(r"^(?P<type>(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s{2,}Traceback \(most recent call last\)")
_IPY_FRAME = _rx(r"^(?:File )?\[?(?P<file>(?:~|/|[A-Za-z]:\\|<ipython-input|(?<=File )[\w.-]+[\\/])"
                 r"[^\[\]]*?(?:\.pyc?|>))\]?(?:\([^)]*\))?"
                 r"(?::(?P<line>\d+))?,? in (?P<func><[^>]{1,40}>|[\w.]+)|^Cell In\s?\[\d+\], line (?P<cell>\d+)")
# a notebook error's JSON fields: nbformat's "ename"/"evalue", VS Code's copied "name"/"message" (one a line)
_NB_FIELD = _rx(r'^\s*"(?P<key>ename|evalue|name|message)"\s*:\s*(?P<value>"(?:[^"\\]|\\.)*")\s*,?\s*$')
_NB_TYPE = _rx(r"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Iteration|Warning)$")
_NB_BODY = _rx(r'^\s*"(?P<key>stack|traceback)"\s*:')  # the field that holds the (escaped) traceback
NOTEBOOK_FIELDS_ABOVE = 8  # the fields are printed just above the traceback (nbformat: 3-5 lines; VS Code: 1-3)
# a linker's diagnostic that ld/gold place at a source line (`x.c:70: error: undefined reference to 'f'`): a link
# error whatever its prefix, never a compile error at that line
_LINKER_SAYS = ("undefined reference to ", "multiple definition of ")
_IPY_ARROW = _rx(r"^-*> ?(?P<line>\d+)\s(?P<code>.*)$")
_PY_EXC = _rx(
    r"^(?:E\s+)?(?P<type>(?:[A-Za-z_][\w]*\.)*_?[A-Z][\w]*(?:Error|Exception|Exit|Interrupt|Iteration|Warning|"
    r"Failure|Timeout|Cancelled|Fault|Refused|Reset|Aborted|Found|Denied|Invalid|Exists)|(?:[A-Za-z_]\w*\.)+"
    r"[A-Z]\w+)(?::\s?(?P<msg>.*))?$")
# Django's debug page ("copy-and-paste view"): frames `File "/x/views.py" in get` over `  42. code` lines (Django
# < 3.0; newer ones print a standard traceback), the exception as `Exception Type: KeyError at /url/` and
# `Exception Value: 'id'` below the frames
_DJANGO_FRAME = _rx(r'^File "(?P<file>[^"]+)" in (?P<func>[\w<>.]+)\s*$')
_DJANGO_CODE = _rx(r"^\s*\d+\.\s")
_DJANGO_EXC = _rx(r"^Exception Type: (?P<type>[\w.]+)(?: at (?P<url>\S+))?\s*$")
_DJANGO_VALUE = _rx(r"^Exception Value:\s?(?P<msg>.*)$")
INTERLEAVE_LINES = 30  # a complete Python traceback this close after a cut-off one: the two are interleaved
_JVM_PACKAGES = ("kotlin.", "java.", "javax.", "scala.")  # a type qualified by one is a JVM class
# subprocess.CalledProcessError's message printed without its class (`print(e)`, a logger, a tool's summary)
_CALLED_PROCESS = _rx(r"^Command '.+' (?:returned non-zero exit status -?\d+|died with <Signals\.\w+: \d+>)\.?$")
# the exception line of a traceback whose class is a module's lower-case one (C extensions, old stdlib):
# `cv2.error: OpenCV(4.5) ...`, `socket.timeout: timed out`, `socket.gaierror: [Errno -2] ...`
_PY_EXC_LOWER = _rx(r"^(?P<type>(?:[A-Za-z_]\w*\.)+[a-z_]\w*)(?::\s?(?P<msg>.*))?$")
# the bare base classes as Python prints them right under a traceback's last frame (`Exception: parent run not
# found`, `Error: 1 renew failure(s)`); not a CI runner's own `Error: Process completed with exit code 1.` line
_PY_EXC_BARE = _rx(r"^(?P<type>Exception|Error|BaseException)(?!:\s*Process completed with exit code)"
                   r"(?::\s?(?P<msg>.*))?$")
# rich / pretty tracebacks (rich, typer):  │ /app/main.py:42 in load                                      │
_RICH_FRAME = _rx(r"^[│|]\s*(?P<file>\S(?:[^│|]*?\S)?\.py):(?P<line>\d+) in(?: (?P<func>[\w<>.]+))?\s*[│|]?\s*$")
_RICH_NUMBERED = _rx(r"^│\s+\d+\s")  # a source line around the frame's own (`│   35   │`, `│   37 if x:`)
_RICH_WRAPPED = _rx(r"^│\s*(?P<func>[\w<>.]+)\s*│$")  # a frame's function wrapped onto the next line
_RICH_CODE = _rx(r"^[│|]\s*❱\s*(?P<line>\d+)\s*[│|]\s*(?P<code>.*?)\s*[│|]?\s*$")
# pytest's short form: tests/test_app.py:42: KeyError
_PYTEST_LOC = _rx(r"^(?P<file>[\w./\\-]+\.py):(?P<line>\d+): (?P<type>[A-Z]\w+|[\w.]+\.[A-Z]\w+)$")

_JS_EXC = _rx(
    # Deno: `error: Uncaught ...`; a browser console: `Uncaught (in promise) TypeError: ...`
    r"^(?:(?P<deno>error: Uncaught (?:\(in promise\) )?)|Uncaught\s+(?:\(in promise\)\s+)?|\[?\w+\]?\s+)?"
    r"(?P<type>(?:[A-Z]\w*)?(?:Error|Exception)|AxiosError|FetchError|"
    r"AbortError)(?: \[(?P<code>[A-Z][A-Z0-9_]+)\])?: (?P<msg>.*)$")
_JS_FRAME = _rx(
    r"^\s*at (?:(?P<func>(?:async )?[^()]+?) \()?(?P<file>(?:file://)?[^() ]+?):(?P<line>\d+):\d+\)?\s*$")
_JS_FRAME_NOLOC = _rx(r"^\s*at (?P<func>[^()]+?) \((?P<where>native|<anonymous>|index \d+)\)\s*$")
# ES module syntax read by the CommonJS loader of a Node before 12: there was no "Cannot use import statement outside
# a module" yet; a file with `import { x } from "y"` (or `export ...`) failed with a bare parse error at that line
# (unquoted token: Node 12+ quotes it, `Unexpected token 'export'`), and the source line Node prints above the caret
# is the only sign. A SyntaxError of this wording with such a line just above gets `reason: esm-syntax`
# (node.esm_syntax_on_old_node's anatomy block names it).
_ESM_TOKEN = _rx(r"^Unexpected (?:token (?:\{|\*|import|export)|identifier|string)$")
_ESM_LINE = _rx(r"(?:^|[{;]\s*)(?:import\s+(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*(?:from\s*)?['\"]"
                r"|import\s+[\w$]+\s+from\s|export\s+(?:default|const|let|var|function|class|async|\{|\*))")
_JS_HEADER = _rx(r"^(?P<file>(?:file://)?/?[\w./\\:@-]+\.(?:[cm]?js|jsx|tsx?|vue|svelte)):(?P<line>\d+)$")
_JS_UNHANDLED = _rx(
    r"^(?:\(node:\d+\) UnhandledPromiseRejectionWarning: (?P<type>[A-Z]\w*)?:? ?(?P<msg>.*)|"
    r"\[UnhandledPromiseRejection: .*?(?:The promise rejected with the reason \"(?P<reason>[^\"]*)\")?.*)$")
_JS_CODE_PROP = _rx(r"""^\s*(?:code|errorCode):\s*['"](?P<code>[A-Z][A-Z0-9_]{2,})['"],?\s*$""")
_JS_CAUSE = _rx(r"^\s*\[?cause\]?:\s*(?P<type>(?:[A-Z]\w*)?Error)(?: \[\w+\])?: (?P<msg>.*)$")
# what V8 prints as the first line of a stack when the thrown value is no Error of a known class: an object with
# its own name (`Forbidden: null`, an SDK's error code as its name) or a plain object (`[object Object]`)
_JS_THROWN = _rx(r"^\s*(?:Uncaught )?(?:[A-Za-z_$][\w$.]*(?: \[[\w-]+\])?: \S.*|\[object \w+\])$")

_JAVA_EXC = _rx(
    r"^(?:Exception in thread \"[^\"]*\" |Caused by: |Suppressed: |\s*)?"
    r"(?P<type>(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable|Failure|Fault)[\w$]*)(?::\s?(?P<msg>.*))?$")
_JAVA_FRAME = _rx(r"^\s+at (?P<func>[\w$.<>/-]+)\((?P<file>[^():]+)?(?::(?P<line>\d+))?[^()]*\)(?: ~?\[.*\])?"
                         r"\s*$")

_GO_PANIC = _rx(r"^panic: (?P<msg>.*?)(?: \[recovered\])?$")
_GO_FATAL = _rx(r"^fatal error: (?P<msg>.+)$")
# a goroutine's function line: `main.main()`, `main.(*Server).Start(0x0)`, `pkg.Map[...](...)` (arguments last)
_GO_FRAME_FUNC = _rx(r"^(?P<func>(?:[\w./\-]|\[[^\]]*\]|\(\*?[\w\-\[\],. ]+\))+)\([^()]*\)$")
# a frame's location line, tab-indented as printed (unindented when a journal or logger dropped the tab: then
# only with the `+0x..` offset, which nothing else prints)
_GO_FRAME_LOC = _rx(r"^(?:\s+|(?=/?[^\s:]+\.go:\d+ \+0x[0-9a-f]+$))(?P<file>(?:[A-Za-z]:)?/?[^\s:]+\.go):(?P<line>\d+)"
                    r"(?: \+0x[0-9a-f]+)?$")
_GO_SIGNAL = _rx(r"^\[signal (?P<sig>SIG[A-Z]+|0x[0-9a-fA-F]+)")  # Windows prints the exception code

_RUST_PANIC_NEW = _rx(r"^thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at (?P<file>[^:\s']+):(?P<line>\d+):\d+:$")
_RUST_PANIC_OLD = _rx(r"^thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at '(?P<msg>.*)', "
                      r"(?P<file>[^:\s]+):(?P<line>\d+):\d+$")
_RUST_ERR = _rx(r"^error\[(?P<code>E\d{4})\]: (?P<msg>.+)$")
_RUST_LOC = _rx(r"^\s*--> (?P<file>[^:\s]+):(?P<line>\d+):\d+$")

_CC_DIAG = _rx(
    r"^(?P<file>[^\s:][^:]*?\.(?P<ext>c|h|cc|cpp|cxx|hpp|hh|m|mm|go|cs|java|kt|swift|f90|ts|tsx)):(?P<line>\d+)"
    r"(?::\d+)?: (?:fatal )?error: (?P<msg>.+)$")
# classes of C/C++ compiler errors (gcc and clang wordings), read into a compile fault's `reason`
_CC_CLASSES = (
    ("implicit-declaration", _rx(r"implicit declaration of function|call to undeclared (?:library )?function")),
    ("redefinition", _rx(r"^redefinition of |^conflicting declaration |^redeclaration of ")),
    ("conflicting-types", _rx(r"^conflicting types for ")),
    ("incompatible-pointer", _rx(r"incompatible pointer type|makes (?:pointer from integer|integer from pointer) "
                                 r"without a cast")),
    ("missing-header", _rx(r"^'?[^:' ]+'?: No such file or directory$|^'[^']+' file not found$")),
    ("undeclared", _rx(r"undeclared \(first use|^use of undeclared identifier|was not declared in this scope")),
)
_CS_DIAG = _rx(r"^(?P<file>[^\s(][^(]*?\.cs)\((?P<line>\d+),\d+\): error (?P<code>CS\d{4}): (?P<msg>.+?)(?: "
                      r"\[.*\])?$")
_TSC_DIAG = _rx(r"^(?P<file>[^\s(][^(]*?\.tsx?)\((?P<line>\d+),\d+\): error (?P<code>TS\d+): (?P<msg>.+)$")
_LINK = _rx(
    r"(?P<msg>undefined reference to [`'](?P<symbol>[^`']+)'|cannot find -l(?P<lib>[\w.+-]+)|"
    r"Undefined symbols for architecture \S+|ld returned \d+ exit status|"
    r"unresolved external symbol (?:\"(?P<sym3>[^\"]+)\"|(?P<sym2>\S+)))")  # MSVC quotes a C++ signature

_DOTNET_EXC = _rx(r"^(?:Unhandled exception\. |Unhandled Exception: )(?P<type>(?:[\w]+\.)+\w+)(?:: (?P<msg>.*"
                         r"))?$")
# .NET's "at" and " in FILE:line N" in the runtime's other languages (zh-Hans/zh-Hant, ja, ko, de, fr, es, it, pt,
# ru, pl, cs, nl, sv, tr)
_DOTNET_LOCAL_AT = _rx(r"^(?:在|於|場所|위치:|bei|à|en|in|em|в|w|v|bij|vid|konum:) (?=[\w`<>.]+\.[\w`<>.]+\()")
_DOTNET_AT_FIRST = frozenset("在於場위bàeiвwvk")
_DOTNET_LOCAL_IN = _rx(r"\) (?:位置|於|場所|위치:|in|dans|en|in|em|в|w|v|bij|i|konum) (?P<file>\S.*?):"
                       r"(?:行号|行|줄|Zeile|ligne|línea|riga|linha|строка|wiersz|řádek|regel|rad|satır) "
                       r"(?P<line>\d+)\s*$")
_DOTNET_BARE = _rx(r"^(?P<type>(?:[A-Z]\w*\.)+[A-Z]\w*Exception)(?:: (?P<msg>.*))?$")
_DOTNET_FRAME = _rx(r"^\s+at (?P<func>[\w.`<>\[\],|]+(?:\(.*?\)))(?: in (?P<file>.+?):line (?P<line>\d+))?\s*$")

_RUBY_EXC = _rx(r"^(?P<file><internal:[^>]+>|[^\s:][^:]*?\.rb|[^\s:]*?\bbin/[\w.-]+):(?P<line>\d+):in "
                r"[`'](?P<func>[^`']+)': (?P<msg>.*) \((?P<type>[A-Z][\w:]*)\)$")
# a Ruby exception as test runners and irb print it: "NoMethodError: msg" (minitest), "NoMethodError:" with the
# message on the next line (RSpec), "NoMethodError (msg):" (Rails), then frames "  app/x.rb:12:in `m'"
# (a namespace's own `Error` class too, `ActionView::Template::Error`, and the system-call errors `Errno::ENOENT`)
_RUBY_BARE = _rx(r"^(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*(?:Error|Exception|NotFound|Invalid)|(?:[A-Z]\w*::)+Error|"
                 r"Errno::E[A-Z0-9]+)(?::\s*(?P<msg>.*)| \((?P<msg2>.+)\):)?$")
_RUBY_MSG_TYPE = _rx(r"^(?P<msg>\S.*?) \((?P<type>(?:[A-Z]\w*::)*[A-Z]\w*(?:Error|Exception)|(?:[A-Z]\w*::)+Error|"
                     r"Errno::E[A-Z0-9]+)\)$")
# a system call's error on a line of its own (a log, a runner's summary): "Errno::ECONNREFUSED: Failed to open TCP
# connection ..." or "No such file or directory @ rb_sysopen - x.yml (Errno::ENOENT)"
# (also behind a logger's prefix: "E, [2026-01-02T10:00:00 #7] ERROR -- : Errno::EACCES: ...")
_RUBY_ERRNO = _rx(r"(?:^|(?<=[\s:]))(?P<type>Errno::E[A-Z0-9]+): (?P<msg>\S.*)$|"
                  r"^(?P<msg2>\S.*?) \((?P<type2>Errno::E[A-Z0-9]+)\)$")
_RUBY_FRAME = _rx(r"^\s*(?:# |from )?(?P<file>[^\s:#][^:]*?\.rb|\(irb\)):(?P<line>\d+):in [`'](?P<func>[^`']+)'")
# a template's frame as Rails prints it under the error (`app/views/users/index.html.erb:3`, no method)
_RUBY_TEMPLATE_FRAME = _rx(r"^\s+(?P<file>[^\s:#][^:]*?\.(?:erb|haml|slim|builder|jbuilder|rb)):(?P<line>\d+)\s*$")
_RUBY_FROM = _rx(r"^\s+from (?P<file><internal:[^>]+>|[^\s:][^:]*?):(?P<line>\d+):in [`'](?P<func>[^`']+)'$")


def _rspec_block(lines: list[str], i: int) -> bool:
    """RSpec's failure block around line i: `Failure/Error: code` (or "An error occurred while loading") a few lines
    above, the exception's class alone on line i (`LoadError:`), its message indented deeper on the next non-blank
    line (at most one blank line between): the class and its message are one error even without frames."""
    m = _RUBY_BARE.match(lines[i].strip())
    if not m or m["msg"] or m["msg2"]:
        return False
    k = i + 1 + (i + 1 < len(lines) and not lines[i + 1].strip())
    if k >= len(lines) or not lines[k].strip() or _RUBY_FRAME.match(lines[k]):
        return False
    indent = len(lines[i]) - len(lines[i].lstrip())
    if len(lines[k]) - len(lines[k].lstrip()) <= indent:
        return False
    return any(x.strip().startswith(("Failure/Error:", "An error occurred while loading"))
               for x in lines[max(0, i - 6):i])

def _nb_json(literal: str):
    """The value of one JSON string literal of a notebook's error fields, or None when it does not decode."""
    import json  # only for a notebook's error fields (a start-up never pays for it)

    try:
        return json.loads(literal)
    except ValueError:
        return None


# frames of a stack whose error line was not copied (the paste starts inside the trace): per language, the
# frame shapes that tell it (a JVM frame names a .java/.kt file, a .NET frame has `in X.cs:line N` or typed
# parameters, a JS frame `file:line:col`, a Rust frame a numbered `crate::path` or `at src/x.rs:N:M`)
# a JVM frame's file: `App.kt`, Kotlin multiplatform `ComposeView.android.kt`, ProGuard's `SourceFile`, R8's
# `R8_8.6.17_<hash>` and `r8-map-id-<hash>` (an obfuscated build's frames)
_AT_WORD = _rx(r"[ \t]at ")  # where a frame starts behind a log prefix the reader did not strip
_JVM_FILE = _rx(r"^(?:[\w$-]+(?:\.[\w-]+)*\.(?:java|kt|kts|scala|groovy|clj)|Native Method|Unknown Source|SourceFile|"
                r"<generated>|R8_[\w.]+|r8-map-id-[0-9a-f]+)$")
_RUST_FRAME_NO = _rx(r"^\s*\d+: +(?:0x[0-9a-f]+ - )?(?P<func>\S.*?)\s*$")
_RUST_FRAME_ADDR = _rx(r"^\s*\d+: +0x[0-9a-f]+ - (?P<func>\S.*?)\s*$")  # std's backtrace: `  12:  0x55f1b7 - name`
# an inlined frame of std's backtrace: a function name alone on its line, under a numbered frame
_RUST_INLINED = _rx(r"^\s+(?P<func>(?:<[^>].*>|[\w{}\[\].]+)(?:::[\w{}\[\]<>.]+)*::h[0-9a-f]{16})$")
# a Python frame pasted without the traceback's header: IPython 8 / Jupyter `File ~/x.py:85, in f(a, b)` (also
# inside a Markdown link `File [/x.py:85](https://...), in f(...)`), and VS Code's notebook lines whose number is
# a link to the file: `[3522](https://vscode-remote+wsl...cdn.net/home/u/lib/x.py:3522)     code`
_PY_CUT_FRAME = _rx(r"^File \[?(?P<file>(?:~|/|[A-Za-z]:[\\/]|\.{1,2}/)[^\[\]()]*?\.py)(?::(?P<line>\d+))?"
                    r"(?:\]\([^)]*\))?,? in (?P<func><[^>]{1,40}>|[\w.]+)")
_PY_LINKED_CODE = _rx(r"^(?:-*>\s*)?\[(?P<line>\d+)\]\([a-z][\w+.-]*://[^/)\s]*(?P<file>/[^)\s]*?\.py):\d+\)")
_PY_NUMBERED_CODE = _rx(r"^(?:-*>\s*)?\d+\s")  # IPython's numbered source lines, `-> 85 x = f()` the frame's
_RUST_AT = _rx(r"^\s+at (?P<file>\S+?\.rs):(?P<line>\d+)(?::\d+)?$")
_GO_GOROUTINE = _rx(r"^goroutine \d+ \[[^\]]+\]:$")
_RUBY_NUMBERED = _rx(r"^\s*\d+: from (?P<file>[^\s:][^:]*?):(?P<line>\d+):in [`'](?P<func>[^`']+)'$")
_ERRORISH = _rx(r"error|exception|panic|fatal|fail|caused by|throwable|traceback|unhandled|uncaught|abort|crash|"
                r"killed|signal|(?-i:\bSIG[A-Z]{3,}\b|^PC=)", re.I)
# a first frame line that starts with the exception's class, a JVM/.NET one pasted onto one line with its frame
_EXC_BEFORE_AT = _rx(r"^(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Throwable)\b[^\n]*?\sat\s")
# a message that states what failed without an error word (an exception's message printed on its own line above
# its backtrace): what was not there, not allowed or could not be loaded
_STATES_FAILURE = _rx(r"(?i)\bnot found\b|no such file or directory|does not exist|permission denied|access denied|"
                      r"cannot load such file|could not (?:find|load|open)|cannot (?:find|open)|no such \w+")
CUT_OFF_LEAD = 5  # non-blank lines (none of them an error) the text may have above the frames of a cut-off trace
# what to paste, per language: the line(s) the trace lost
_MISSING = {
    "java": "the line just above the first `at` line, the exception's class and message "
            "(`java.lang.IllegalStateException: ...`), and every `Caused by:` line below the frames",
    "csharp": "the line just above the first `at` line, the exception's type and message "
              "(`Unhandled exception. System.InvalidOperationException: ...`) with any ` ---> ` inner exception",
    "javascript": "the line just above the first `at` line, the error's type and message (`TypeError: ...`), "
                  "and any `code:` or `[cause]` lines after the frames",
    "ruby": "the first line of the backtrace, `file.rb:LINE:in 'method': message (ErrorClass)`, just above the "
            "first `from` line",
    "rust": "the `thread 'main' panicked at src/...:LINE:COL:` line and the message under it, above "
            "`stack backtrace:`",
    "go": "the `panic: ...` (or `fatal error: ...`) line above `goroutine 1 [running]:`, with the `[signal ...]` "
          "line when there is one",
    "python": "the last line of the traceback, the exception's type and message (`ValueError: ...`), below the "
              "last frame",
}

# at the start of the line, or behind "PHP " after a log's prefix: php's error_log (`[07-Dec-2026 08:00:00 UTC] PHP
# Fatal error: ...`), PHP-FPM and nginx passing on a worker's stderr (`NOTICE: PHP message: PHP Warning: ...`,
# `FastCGI sent in stderr: "PHP message: PHP Fatal error: ...`), Apache's `[php:error] ... PHP Parse error: ...`;
# some builds and frameworks print the level capitalised (`PHP Fatal Error:`)
# CMake's own error report: `CMake Error at CMakeLists.txt:12 (find_package):` then the message indented by two spaces
# (and, for an included file, `Call Stack (most recent call first):` with its frames); or `CMake Error: message` alone
_CMAKE_ERROR = _rx(r"^CMake Error(?: at (?P<file>.+?):(?P<line>\d+) \((?P<command>\w+)\))?:\s*(?P<msg>.*)$")
_CMAKE_MODULE = _rx(r"(?:^|[\\/])(?:share[\\/]cmake[^\\/]*[\\/]Modules|Modules[\\/]Find\w+\.cmake)"
                    r"|(?:^|[\\/])Find\w+\.cmake$")
_PHP_ERR = _rx(
    r"(?:^|(?<=PHP ))(?P<level>Fatal [Ee]rror|Parse [Ee]rror|Warning|Notice|Deprecated|"
    r"(?:Recoverable|Catchable) fatal error):\s+(?:Uncaught (?P<type>[\w\\]+): )?"
    r"(?P<msg>.*?) in (?P<file>\S+?\.php)(?::(?P<line>\d+)| on line (?P<line2>\d+))")
# PHP's own wording, to tell "Uncaught TypeError: ..." (printed without "PHP Fatal error:" by Symfony, Laravel,
# PHPUnit) from JavaScript's "Uncaught TypeError: ..."
_PHP_MESSAGES = _rx(r"Argument #?\d+ (?:\(\$\w+\) )?(?:passed to|must be of type)|\(\): Return value must be|"
                    r"Call to (?:undefined|a member|private|protected) |, called in \S+ on line \d+|[\w\\]+::\w+\(\)")
# PHPUnit's list of defects: "There were 3 errors:", "1) Ns\\FooTest::testBar", the exception or the assertion
# message, then the file:line frames, innermost first
_PHPUNIT_DEFECT = _rx(r"^\d+\) (?P<class>[\w\\]+)::(?P<test>\w+)(?: with data set .*)?$")
_PHPUNIT_SECTION = _rx(r"^There (?:was|were) \d+ (?P<what>error|failure|warning|risky|incomplete|skipped)")
_PHPUNIT_EXC = _rx(r"^(?P<type>(?:[A-Za-z_]\w*\\)*(?:[A-Z]\w*)?(?:Error|Exception)): (?P<msg>.+)$")
_PHPUNIT_FRAME = _rx(r"^(?P<file>\S+?\.php):(?P<line>\d+)$")
_PHP_FRAME = _rx(r"^#\d+ (?P<file>\S+?\.php)\((?P<line>\d+)\): (?P<func>.+)$")

# the reason phrases of the statuses API clients meet, as servers print them
_REASONS = (r"Not Found|Bad Request|Unauthorized|Forbidden|Too Many Requests|Internal Server Error|Bad Gateway|"
            r"Service Unavailable|Gateway Time-?out|Unprocessable Entity|Conflict|Method Not Allowed|"
            r"Request Timeout|Payload Too Large|Unsupported Media Type")
# HTTP status lines as clients print them
_HTTP_PATTERNS = (
    # requests: 404 Client Error: Not Found for url: https://...
    _rx(r"(?P<status>[45]\d\d) (?:Client|Server) Error: (?P<reason>[^:]*?) for url: (?P<url>\S+)"),
    # urllib: HTTP Error 404: Not Found
    _rx(r"HTTP Error (?P<status>[45]\d\d): (?P<reason>.+)$"),
    # axios, got, ky ...: Request failed with status code 404
    _rx(r"(?:Request failed|failed|Response code) with status(?: code)? (?P<status>[45]\d\d)"),
    # curl -f: The requested URL returned error: 404 (Not Found)?
    _rx(r"The requested URL returned error: (?P<status>[45]\d\d)(?: (?P<reason>[A-Z][\w ]+))?"),
    # openai/anthropic python SDKs: Error code: 404 - {...}; CLIs over them: API Error: 403 ..., APIError: 429
    _rx(r"(?:Error code|\bAPI ?[Ee]rror):? (?P<status>[45]\d\d)\b"),
    # HTTP/1.1 404 Not Found, < HTTP/2 503
    _rx(r"^(?:< )?HTTP/[\d.]+ (?P<status>[45]\d\d)(?: (?P<reason>[A-Za-z][\w -]*))?\s*$"),
    # GET https://host/path 404 (Not Found)   |   POST /v1/x -> 422
    _rx(r"\b(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?P<url>(?:https?://|/)\S*?)[\s,:]+"
               r"(?:->\s*|=>\s*|status:?\s*|returned\s+|failed\s*\(?)?(?P<status>[45]\d\d)\b(?:\s*\(?(?P<reason>[A-Z"
               r"][A-Za-z ]+)\)?)?"),
    # "status": 404 / status=404 / status code 404 / HTTP 404 / got 404 / returned 404
    _rx(r"(?:\bstatus(?:[ _]?code)?[\"']?\s*[:=]\s*[\"']?|\bstatus code\s+|\bHTTP\s+(?:status\s+)?|"
               r"\b(?:returned|got|received)\s+(?:an?\s+)?(?:HTTP\s+)?(?:status\s+)?)(?P<status>[45]\d\d)\b"
               r"(?:\s*\(?(?P<reason>(?:" + _REASONS + r")))?", re.I),
    # Error response 401 while fetching https://..., the server responded with status 403
    _rx(r"\b(?:[Rr]esponse(?: status| code)?:? |responded with (?:(?:an? |HTTP |status |code |of )+)?)"
        r"(?P<status>[45]\d\d)\b(?! bytes| ms| characters)"),
    # [404 Not Found], 404 Not Found, (404) Not Found
    _rx(r"(?:^|[\s\[(:])(?P<status>[45]\d\d)\)? (?P<reason>" + _REASONS + r"|Request Entity Too Large)\b"),
)
# a server's access log records statuses of *other people's* requests: that is traffic, not an error here
_ACCESS_LOG = _rx(r"\"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP/[\d.]+\"")
_URL = _rx(r"https?://[^\s'\"<>)\]},]+")
_METHOD = _rx(r"\b(?:method[\"']?\s*[:=]\s*[\"']?(?P<m1>get|post|put|patch|delete|head|options)\b|"
                     r"(?P<m2>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?:https?://|/))", re.I)
_ENV_MESSAGE = _rx(r"""["']message["']\s*:\s*(?:"(?P<m1>(?:[^"\\]|\\.){1,400})"|'(?P<m2>[^']{1,400})')""")
_ENV_TYPE = _rx(r"""["']type["']\s*:\s*["'](?P<v>[\w.-]{2,60})["']""")
_ENV_CODE = _rx(r"""["'](?:code|error_code|errorCode)["']\s*:\s*"""
                       r"""(?:["'](?P<s>[\w.-]{2,60})["']|(?P<n>\d{3,6}))""")
_ENV_STATUS = _rx(r"""["']status["']\s*:\s*["'](?P<v>[A-Z][A-Z_]{2,40})["']""")
_VENDORS = (
    ("api.openai.com", "OpenAI"), ("openai.azure.com", "Azure OpenAI"), ("api.anthropic.com", "Anthropic"),
    ("generativelanguage.googleapis.com", "Google Gemini"), ("googleapis.com", "Google Cloud"),
    ("api.github.com", "GitHub"), ("github.com", "GitHub"), ("gitlab.com", "GitLab"),
    ("huggingface.co", "Hugging Face"), ("api.mistral.ai", "Mistral"), ("api.groq.com", "Groq"),
    ("openrouter.ai", "OpenRouter"), ("api.cohere", "Cohere"), ("api.stripe.com", "Stripe"),
    ("amazonaws.com", "AWS"), ("slack.com", "Slack"), ("discord.com", "Discord"),
    ("api.telegram.org", "Telegram"), ("registry.npmjs.org", "npm registry"), ("pypi.org", "PyPI"),
    ("docker.io", "Docker Hub"), ("localhost", "a local server"), ("127.0.0.1", "a local server"),
)
_VENDOR_MODULES = (("openai.", "OpenAI"), ("anthropic.", "Anthropic"), ("google.api_core", "Google Cloud"),
                   ("botocore.", "AWS"), ("github.", "GitHub"), ("stripe.", "Stripe"))

# exit statuses and signals
# "Segmentation fault" as glibc's translations print it (fr, es, de, it, pt, ru, zh_CN, ja)
_SEGV_WORDS = ("Erreur de segmentation", "Violación de segmento", "Speicherzugriffsfehler", "Errore di segmentazione",
               "Falha de segmentação", "Ошибка сегментирования", "段错误", "セグメンテーション違反です")
_EXIT_PATTERNS = (
    _rx(r"Command '(?P<command>.+?)' returned non-zero exit status (?P<code>-?\d+)"),
    _rx(r"Command '(?P<command>.+?)' died with <Signals\.(?P<signal>SIG[A-Z]+): \d+>"),
    _rx(r"The command '(?P<command>.+?)' returned a non-zero code: (?P<code>\d+)"),
    _rx(r"process \"(?P<command>.+?)\" did not complete successfully: exit code: (?P<code>\d+)"),
    _rx(r"executor failed running \[(?P<command>.+?)\]: exit code: (?P<code>\d+)"),  # BuildKit 0.8-0.10
    # podman / buildah: `Error: building at STEP "RUN make": while running runtime: exit status 2` (before 4.x each
    # half began with `error `)
    _rx(r"building at STEP \"(?:RUN )?(?P<command>.+?)\": (?:error )?while running runtime: exit status (?P<code>\d+)"),
    _rx(r"^Command failed with status \((?P<code>\d+)\)(?:: \[(?P<command>[^\]]+?)(?:\.\.\.)?\])?"),  # rake's sh
    _rx(r"Process finished with exit code (?P<code>\d+)(?: \(interrupted by signal \d+: ?(?P<signal>SIG[A-Z]+"
               r")\))?"),
    _rx(r"^make(?:\[\d+\])?: \*\*\* \[(?:[^\]]*?: )?(?P<command>[^\]]+)\] (?:Error (?P<code>\d+)|(?P<sigtext>"
               r"Killed|Segmentation fault))"),
    _rx(r"(?:exited|exit(?:ed)? with|terminated with|failed with|completed with|returned|finished with)"
               r"(?: a)?(?: non-zero)? (?:exit |return )?(?:code|status)[: =]*(?P<code>-?\d+)", re.I),
    _rx(r"\bexit (?:code|status)[: =]+(?P<code>-?\d+)", re.I),
    _rx(r"[(\uff08]\s*exit (?P<code>\d+)\s*[)\uff09]"),  # `failed (exit 127)`
    _rx(r"(?:killed|terminated) by signal (?P<sig>\d+|SIG[A-Z]+)", re.I),
    _rx(r"\bsignal: (?P<sigword>killed|segmentation fault|aborted|terminated|interrupt)\b"),
    # bash (`script: line 3: 4242 Segmentation fault      (core dumped) ./app`), zsh (`zsh: segmentation fault
    # python app.py`) and their job tables (`[1]    31893 segmentation fault (core dumped)  bundle`)
    _rx(r"^(?:\S+: line \d+: +\d+ +|zsh: |\[\d+\][+-]? +\d+ +)?(?P<sigtext>(?i:Killed|Segmentation fault|Aborted|"
        r"Bus error|Floating point exception|Illegal instruction|Terminated))(?:\s+\(core dumped\)"
        r"(?:\s+(?P<command>\S.*))?|\s{2,}(?P<command2>\S.*))?$"),
    # the same SIGSEGV report where the C library speaks the user's language (glibc's strsignal catalogue; the
    # shell's "(core dumped)" translated too): `Erreur de segmentation`, `Violación de segmento (`core' generado)`
    _rx(r"^(?:\S+: (?:\S+ )?\d+: +\d+ +|zsh: )?(?P<sigtext>" + "|".join(_SEGV_WORDS) + r")"
        r"(?:\s*[(（][^()（）]{1,40}[)）])?(?:\s{2,}(?P<command2>\S.*))?\s*$"),
    # not `"OOMKilled": false` (docker inspect), nor a field named in a Go template (`{{.State.OOMKilled}}`)
    _rx(r"(?<![.\w])OOMKilled\b(?![\"']?\s*[:=]\s*[\"']?(?:false|no|0)\b)", re.I),
)
# docker build, BuildKit, podman/buildah: a Dockerfile RUN step
_DOCKER_EXITS = (*_EXIT_PATTERNS[2:4], _EXIT_PATTERNS[5])
_SIGNALS = {1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
            8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
            14: "SIGALRM", 15: "SIGTERM"}
_SIGTEXT = {"killed": "SIGKILL", "segmentation fault": "SIGSEGV", "aborted": "SIGABRT", "bus error": "SIGBUS",
            "floating point exception": "SIGFPE", "illegal instruction": "SIGILL", "terminated": "SIGTERM",
            "interrupt": "SIGINT", "oomkilled": "SIGKILL", **{w.lower(): "SIGSEGV" for w in _SEGV_WORDS}}

# shell errors: bash, sh (dash), zsh
_SHELL_NAME = _rx(r"^-?(?:\S*/)?(?:ba|da|k|z)?sh$")
_SHELL_PATTERNS = (
    ("bad_interpreter", _rx(r"^(?:-?(?:ba|z)?sh: )?(?:(?P<script>[^\s:]+): )?(?P<interp>[^\s:]+?)(?P<cr>\^M|"
                                   r"\r)?: bad interpreter: (?P<msg>.+)$")),
    ("carriage_return", _rx(r"\$'\\r': command not found|"
                                   r": (?P<name>\S+)\r: (?:command not found|No such file)|"
                                   # a terminal printed the \r: it moved back over `x.sh: line 2: ` (a bare line)
                                   r"^: (?:command not found|invalid option|No such file or directory)$")),
    ("syntax_error", _rx(r"^(?:(?P<script>[^:\s]+): )?(?:line (?P<line>\d+): )?syntax error near unexpected t"
                                r"oken [`'](?P<token>[^']*)'")),
    ("syntax_error", _rx(r"^(?:(?P<script>[^:\s]+): )?(?:line (?P<line>\d+): |(?P<line2>\d+): )?Syntax error:"
                                r" (?P<msg>.+)$")),
    ("syntax_error", _rx(r"^(?:(?P<script>[^:\s]+): )?line (?P<line>\d+): syntax error: (?P<msg>.+)$")),
    ("unbound_variable", _rx(r"^(?:(?P<script>[^:\s]+): )?(?:line (?P<line>\d+): )?(?P<name>[\w]+): unbound v"
                                    r"ariable$")),
    ("bad_substitution", _rx(r"^(?:(?P<script>[^:\s]+): )?(?:line (?P<line>\d+): |\d+: )?(?P<expr>\$\{.*\}|.*"
                                    r"?): [Bb]ad substitution$")),
    ("command_not_found", _rx(r"^(?:(?P<shell>-?(?:ba|z|da|k)?sh|/bin/(?:ba)?sh)(?::| line) \d*:? ?)?(?:line "
                                     r"(?P<line>\d+): )?(?P<name>[^\s:]+): (?:command )?not found$")),
    ("command_not_found", _rx(r"^(?:zsh|fish): command not found: (?P<name>\S+)$")),
    ("command_not_found", _rx(r"^'(?P<name>[^']+)' is not recognized as an internal or external command")),
    ("permission_denied", _rx(r"^(?:-?(?:ba|z|da)?sh|/bin/(?:ba)?sh): (?:line \d+: |\d+: )?(?P<script>\S+): P"
                                     r"ermission denied$")),
    ("no_such_file", _rx(r"^(?:-?(?:ba|z|da)?sh|/bin/(?:ba)?sh): (?:line \d+: |\d+: )?(?P<script>\S+): No suc"
                                r"h file or directory$")),
)

# Kubernetes: event rows of `kubectl describe` / `kubectl get events` (Warning only), a container's
# `Reason:` line, and `kubectl get pods` rows in a failing state
_K8S_EVENT = _rx(r"^(?:(?P<seen>\S+)\s+)?Warning\s+(?P<reason>[A-Z][A-Za-z]{3,40})\s{2,}(?P<rest>\S.*)$")
_K8S_REASON = _rx(r"^(?:Reason|Last State):\s+(?:Terminated\s+)?(?P<reason>OOMKilled|Evicted|CrashLoopBackOff|"
                  r"ImagePullBackOff|ErrImagePull|CreateContainerConfigError|ContainerCannotRun|InvalidImageName|"
                  r"DeadlineExceeded|Error)\s*$")
_K8S_POD_ROW = _rx(r"^(?:(?P<ns>[a-z0-9][-a-z0-9]*)\s+)?(?P<object>[a-z0-9][-a-z0-9.]*)\s+\d+/\d+\s+(?P<reason>"
                   r"CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|Evicted|CreateContainerConfigError|"
                   r"CreateContainerError|InvalidImageName|RunContainerError|ContainerStatusUnknown|"
                   r"Init:CrashLoopBackOff|Init:Error|Init:ImagePullBackOff)\s+\d+")
# the kubelet's eviction message (a pod's `Message:`, an event, a controller's log) says Evicted by itself
_K8S_EVICTED = _rx(r"The node (?:was|had condition:?) \[?low on resource\]?: \[?[\w.-]+")
_K8S_OBJECT = _rx(r"^(?:pod|deployment|replicaset|statefulset|daemonset|job|node|persistentvolumeclaim|service|"
                  r"ingress|horizontalpodautoscaler|cronjob)/\S+$")
_K8S_POD = _rx(r"""(?:in pod |[Pp]od[=/]"?|[Pp]od "(?:[a-z0-9-]+/)?)(?P<name>[a-z0-9][-a-z0-9.]*[a-z0-9])""")
_K8S_CONTAINER = _rx(r"""[Cc]ontainer "?(?P<name>[a-z0-9][-a-z0-9]*[a-z0-9])""")

# systemd: the manager's journal lines about a unit, and `systemctl status`
_UNIT = r"(?P<unit>[\w@.:\\-]+\.(?:service|socket|mount|timer|path|swap|scope|target))"
_SYSTEMD = (
    # systemd before v233 (CentOS 7's 219) writes it lower-case, and its control-process line has no comma
    _rx(_UNIT + r": (?:[Mm]ain|[Cc]ontrol) process exited, code=(?P<how>exited|killed|dumped),? status=(?P<status>\d+)"
        r"(?:/(?P<status_name>[A-Z_]+))?"),
    _rx(_UNIT + r": Failed with result '(?P<result>[a-z-]+)'"),
    _rx(_UNIT + r": (?P<repeated>Start request repeated too quickly)"),
    _rx(r"(?P<repeated>start request repeated too quickly) for " + _UNIT),  # systemd before v230
    # systemctl's own report of a start job the start limit refused (systemd's bus-wait-for-jobs.c)
    _rx(r"Job for " + _UNIT + r" failed because (?P<repeated>start of the service was attempted too often)"),
    _rx(_UNIT + r": (?P<oom>A process of this unit has been killed by the OOM killer)"),
    _rx(r"Active: (?:failed|activating \(auto-restart\)) \(Result: (?P<result>[a-z-]+)\)"),
    _rx(r"Main PID: \d+ \(code=(?P<how>exited|killed|dumped), (?:status=(?P<status>\d+)(?:/(?P<status_name>[A-Z_]+))?|"
        r"signal=(?P<sig>[A-Z]+))"),
    _rx(r"^(?:\S+\s+)?(?:\S+ )?" + _UNIT + r" - "),  # systemctl status's first line names the unit
)
_SYSTEMD_SIGNALS = {"KILL": "SIGKILL", "SEGV": "SIGSEGV", "ABRT": "SIGABRT", "TERM": "SIGTERM", "BUS": "SIGBUS",
                    "ILL": "SIGILL", "FPE": "SIGFPE", "INT": "SIGINT", "HUP": "SIGHUP", "PIPE": "SIGPIPE"}

# Python's builtin exceptions (a bare "KeyError: 'x'" is Python even without a traceback)
PY_BUILTINS = frozenset("""
ArithmeticError AssertionError AttributeError BlockingIOError BrokenPipeError BufferError ChildProcessError
ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError EOFError FileExistsError
FileNotFoundError FloatingPointError GeneratorExit ImportError IndentationError IndexError InterruptedError
IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError
NotADirectoryError NotImplementedError OSError OverflowError PermissionError ProcessLookupError RecursionError
ReferenceError RuntimeError StopAsyncIteration StopIteration SyntaxError SystemError SystemExit TabError
TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError ValueError
ZeroDivisionError JSONDecodeError CancelledError InvalidStateError PicklingError UnpicklingError
CalledProcessError SubprocessError ExceptionGroup BaseExceptionGroup
""".split())  # noqa: SIM905
_SYNTAX_TYPES = ("SyntaxError", "IndentationError", "TabError")  # errors whose quoted source line is the point
_SHARED_NAMES = frozenset({"TypeError", "SyntaxError", "RangeError", "ReferenceError", "Error", "EvalError",
                           "URIError", "AggregateError"})
JS_NAMES = frozenset({"TypeError", "SyntaxError", "RangeError", "ReferenceError", "EvalError", "URIError",
                      "AggregateError", "Error", "AxiosError", "FetchError", "AbortError", "SystemError",
                      "DOMException", "UnhandledPromiseRejection"})
_JS_MESSAGES = _rx(
    r"Cannot read propert(?:y|ies) |Cannot set propert(?:y|ies) |is not a function|is not a constructor|"
    r"is not defined$|Assignment to constant|Unexpected token|Cannot use import statement|Unexpected end of JSON|"
    r"Invalid or unexpected token|missing \) after argument list|has already been declared|"
    r"Maximum call stack size exceeded|Invalid array length|(?<!object) is not iterable|Symbol\(Symbol\.|"
    r"Cannot access '|"
    r"Unexpected identifier|Unexpected end of input|Cannot convert undefined|Converting circular structure|"
    r"\[ERR_[A-Z_]+\]|reading '|^Unknown file extension \"|does not provide an export named|"
    r"Unexpected reserved word|await is only valid in async")
# fetch()'s TypeError for a request that failed (undici, browsers: Chrome, Firefox, Safari; undici's "terminated"
# for a body cut off): a network failure, not a value of the wrong type
_NETWORK_TYPEERROR = _rx(r"^(?:fetch failed|Failed to fetch(?: dynamically imported module.*)?|NetworkError when "
                         r"attempting to fetch resource\.?|Load failed|terminated|Network request failed)\s*$")
# TypeError messages only JavaScript prints (Node's argument checks, undefined/null values)
_JS_TYPE_MESSAGES = _rx(r"^(?:The )?\"\w+\" (?:argument|property) must be|argument must be of type|\bundefined\b|"
                        r"\bnull\b|Cannot destructure|is not a function")
_PY_MESSAGES = _rx(
    r"object is not|object has no attribute|unsupported operand|takes \d+ positional|positional argument|"
    r"keyword argument|must be (?:str|int|real)|can only concatenate|invalid syntax|unexpected EOF|"
    r"expected ':'|was never closed|unexpected indent|NoneType|not supported between|argument of type|"
    r"unhashable type|expected an indented block|unindent does not match")


# ---------------------------------------------------------------------------------------------------------


def read(text: str, first_line: int = 1, whole: bool = True) -> list[Fault]:
    """Every fault in `text` (lines numbered from `first_line`), in order of the line that states it.
    `whole`: the text is a whole input, not a window cut out of a big log (a window may start inside a
    trace, so only a whole input's frames without an error line are a cut-off trace)."""
    return _Reader(text.splitlines(), first_line, whole).run()


# a package manager's log line: it reports a system error the package manager itself hit, which its entries know
_PACKAGE_MANAGER_LOG = ("npm ERR!", "npm error", "npm WARN", "npm warn", "npm verb", "npm sill", "ERR_PNPM")


class _Reader:
    def __init__(self, lines: list[str], first_line: int, whole: bool = True):
        self.lines = _strip_prefixes([_clean(x) for x in lines])
        self.base = first_line
        self.whole = whole
        self.faults: list[Fault] = []
        self.nb_names: list[int] = []  # lines of a notebook's `"ename": "X"` field that no block explained

    def n(self, i: int) -> int:
        return self.base + i

    def run(self) -> list[Fault]:
        lines = self.lines
        i = 0
        used: set[int] = set()  # lines already explained by a block (a traceback's frames ...)
        pending_py: Fault | None = None  # a Python exception that a chained traceback follows
        while i < len(lines):
            s = lines[i]
            if not s.strip():
                i += 1
                continue
            st = s.strip()
            nxt = None
            if _PY_TB in s and i + 1 < len(lines) and _RUBY_NUMBERED.match(lines[i + 1]):
                nxt = self._ruby_reversed(i)  # Ruby 2.5-2.7 on a terminal: the same header, frames numbered
            elif _PY_TB in s and "─" not in s and "━" not in s:
                fault, nxt = self._python_traceback(i)
                if pending_py is not None and fault.kind == "exception":
                    fault.causes = pending_py.causes + [(pending_py.type or "", pending_py.message or "")]
                    self._drop(pending_py)
                elif pending_py is not None and fault.kind == "truncated" and pending_py.facts.get("chain"):
                    # the failure is the last exception of the chain, and it is cut off: after "During
                    # handling of the above exception" the earlier one was handled (often on purpose, a
                    # KeyError inside a cache lookup), so it is kept only for what it names (a catalogue
                    # entry may still know it) and no family answers it: the answer is the cut-off traceback.
                    # After "The above exception was the direct cause" the earlier one is the cause.
                    fault.causes = pending_py.causes + [(pending_py.type or "", pending_py.message or "")]
                    pending_py.handled = True
                if pending_py is not None:
                    pending_py.facts.pop("chain", None)
                pending_py = None
                if any(x.startswith(("FAIL: ", "ERROR: ")) for x in lines[max(0, i - 3):i]):
                    fault.facts["test_report"] = "unittest"  # a failing test's traceback in unittest's report
                self._add(fault)
                self._inner_status(fault)
                if fault.kind == "exception" and nxt < len(lines) and _chain_follows(lines, nxt):
                    pending_py = fault
                    if _chain_follows(lines, nxt, _PY_CHAIN[0]):
                        fault.facts["chain"] = "handled"
            elif ("Traceback" in s and ("─" in s or "━" in s)) and "most recent call last" in s:
                fault, nxt = self._rich_traceback(i)
                self._add(fault)
                self._inner_status(fault)
            elif 'File "' in s and _PY_FRAME.match(s) and self._py_frames_follow(i):
                # a traceback whose header was not copied (or was printed on another logger record)
                fault, nxt = self._python_traceback(i, header=False)
                self._add(fault)
                self._inner_status(fault)
            elif st.startswith('File "') and _DJANGO_FRAME.match(st) and \
                    any(_DJANGO_CODE.match(x) for x in lines[i + 1:i + 3]):
                fault, nxt = self._django_traceback(i)
                self._add(fault)
                self._inner_status(fault)
            elif st.startswith("│") and self._rich_frames_follow(i):
                fault, nxt = self._rich_traceback(i, boxed=False)
                self._add(fault)
                self._inner_status(fault)
            elif st.startswith("thread '") and "panicked at" in st:
                nxt = self._rust_panic(i)
            elif st.startswith("panic: ") or (st.startswith("fatal error: ") and self._go_follows(i)):
                nxt = self._go_panic(i)
            elif st.startswith("error[E"):
                nxt = self._rust_error(i)
            elif ("attempt to " in st or "nhandled " in st or ".dart:" in st or ".zig" in st or st[:6] == 'File "') \
                    and (nxt := self._new_language(i, st)) is not None:
                pass  # Lua, Dart, Zig, OCaml: each read only in its own shape, else the chain goes on
            elif st.startswith(("Unhandled exception.", "Unhandled Exception:")) or (
                    "Exception" in st and st[:1].isupper() and i + 1 < len(lines) and _DOTNET_BARE.match(st)
                    and (_DOTNET_FRAME.match(lines[i + 1]) or lines[i + 1].strip().startswith("---> "))):
                nxt = self._dotnet(i)
            elif (".java:" in s or "Exception" in s or "Error" in s) and i + 1 < len(lines) and \
                    _JAVA_FRAME.match(lines[i + 1]) and _JAVA_EXC.match(st) and not _JS_FRAME.match(lines[i + 1]):
                nxt = self._java(i)
            elif (".rb:" in s or ".rb>:" in s or ("bin/" in s and ":in " in s)) and _RUBY_EXC.match(st):  # binstubs
                nxt = self._ruby(i)
            elif ".php" in s and _PHP_ERR.search(st):
                nxt = self._php(i)
            elif st[:1].isdigit() and "::" in st and _PHPUNIT_DEFECT.match(st):
                nxt = self._phpunit_defect(i)
            elif ("Error" in st or "Exception" in st or "Errno::" in st) and \
                    (_RUBY_BARE.match(st) or _RUBY_MSG_TYPE.match(st)) and \
                    any(_RUBY_FRAME.match(x) for x in lines[i + 1: i + 4]):
                nxt = self._ruby_bare(i)
            elif st[-1:] == ":" and ("Error" in st or "Exception" in st) and _rspec_block(lines, i):
                nxt = self._ruby_bare(i, block=True)
            elif st.startswith("CMake Error") and (nxt := self._cmake_error(i, st)) is not None:
                pass  # CMake's report: the file, line and command, then its message on the lines under it
            elif st[:2] == "**" or "Error" in st or "Exception" in st or "Mismatch" in st:
                nxt = self._other_language(i, st)  # Julia, Elixir / Erlang, R
            if nxt is not None:
                used.update(range(i, nxt))
                i = max(nxt, i + 1)
                continue
            self._line(i, st)
            i += 1
        if self.whole:
            self._cut_off_frames()
        self._notebook_error_fields()
        self._interleaved()
        self._cut_python()
        self._attach_http_context()
        for f in self.faults:
            if f.kind == "exception" and f.language in (None, "javascript") and f.message:
                self._node_syscall(f)
        self._exit_causes()
        _codes.annotate(self.faults, lines, self.base)  # code tables: rustc/MSVC codes, link symbols, native crashes
        for f in self.faults:
            if f.kind == "exception" and f.short_type == "TypeError" and _NETWORK_TYPEERROR.match(f.message or ""):
                f.facts["network"] = "fetch"  # fetch() rejects with a TypeError when the request itself failed:
                f.language = f.language or "javascript"  # the message says nothing about a value's type
            lo = max(0, f.line - self.base - EXCERPT_BEFORE, f.start - self.base)
            hi = min(len(self.lines), f.line - self.base + EXCERPT_AFTER + 1)
            f.excerpt = (self.base + lo, self.lines[lo:hi])
        self.faults.sort(key=lambda f: f.line)
        return self.faults

    # -- helpers --------------------------------------------------------------------------------------

    def _add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def _drop(self, fault: Fault) -> None:
        if fault in self.faults:
            self.faults.remove(fault)

    def _inner_status(self, fault: Fault) -> None:
        """An HTTP or exit status stated in an exception's message is a fault of its own, on that line."""
        if fault.kind == "exception" and fault.message and any(c.isdigit() for c in fault.message):
            i = fault.line - self.base
            st = self.lines[i].strip()
            if not self._http_line(i, st):
                self._exit_line(i, st)

    def _go_follows(self, i: int) -> bool:
        return any(x.startswith("goroutine ") for x in self.lines[i + 1: i + 4])

    # -- Python -----------------------------------------------------------------------------------------

    def _ipython_traceback(self, i: int, exc_type: str) -> tuple[Fault, int]:
        """IPython's traceback: the type in the header, frames in its own shapes, the exception line last
        (unindented, the header's type). Without that line it is cut off (the header still names the type)."""
        lines = self.lines
        frames: list[Frame] = []
        short = exc_type.rsplit(".", 1)[-1]
        j = i + 1
        while j < len(lines) and j < i + 400:
            s = lines[j]
            st = s.strip()
            if _PY_TB in s or st.startswith(_PY_CHAIN):
                break
            m = _IPY_FRAME.match(st)
            if m:
                file = m["file"] or "<cell>"
                line = m["line"] or m["cell"]
                frames.append(Frame(file, int(line) if line else None, m["func"], None, not is_library(file)))
            elif frames and _IPY_ARROW.match(st):
                a = _IPY_ARROW.match(st)
                assert a
                if frames[-1].line is None:
                    frames[-1].line = int(a["line"])
                if frames[-1].code is None:
                    frames[-1].code = a["code"].strip()[:200]
            elif s[:1] not in (" ", "\t") and st:
                e = _PY_EXC.match(st)
                if e and e["type"].rsplit(".", 1)[-1] == short:
                    frames.reverse()
                    fault = Fault("exception", self.n(j), self.n(i), self.n(j), "python", type=e["type"],
                                  message=(e["msg"] or "").strip()[:500], frames=frames)
                    _python_details(fault)
                    return fault, j + 1
            j += 1
        frames.reverse()
        last = max(i, min(j, len(lines)) - 1)
        return Fault("truncated", self.n(last), self.n(i), self.n(last), "python", type=exc_type, frames=frames,
                     facts={"frames_seen": str(len(frames))}), max(j, i + 1)

    def _python_traceback(self, i: int, header: bool = True) -> tuple[Fault, int]:
        """A traceback from its header line i (without `header`: from its first frame, line i)."""
        lines = self.lines
        if header:
            ip = _IPY_HEADER.match(lines[i].strip())
            if ip:
                return self._ipython_traceback(i, ip["type"])
        frames: list[Frame] = []
        code: list[tuple[int, str]] = []  # the lines that echo source code under a frame
        j = i + 1 if header else i
        while j < len(lines):
            s = lines[j]
            m = _PY_FRAME.match(s)
            if m:
                frames.append(Frame(m["file"], int(m["line"]), m["func"], None, not is_library(m["file"])))
                j += 1
                continue
            st = s.strip()
            if not st:
                j += 1
                if j < len(lines) and lines[j].startswith((" ", "\t")):
                    continue
                continue
            if frames and frames[-1].code is None and not s.startswith((" ", "\t")) and _PY_FRAME.match(lines[j - 1]) \
                    and not _PY_EXC.match(st) and not re.match(r"^[A-Za-z_][\w.]*$", st) and _PY_TB not in st:
                frames[-1].code = st[:200]  # a frame's source line that lost its indentation in the copy
                code.append((self.n(j), st))
                j += 1
                continue
            if s.startswith((" ", "\t")) and not _PY_EXC.match(st.lstrip("E ")) or _is_caret(st):
                # the source line of the frame above (and ^^^^ markers)
                if frames and frames[-1].code is None and not _is_caret(st) and not st.startswith("..."):
                    frames[-1].code = st[:200]
                if frames and not _is_caret(st):
                    code.append((self.n(j), st))
                j += 1
                continue
            if st.startswith("[Previous line repeated"):
                j += 1
                continue
            break
        frames.reverse()
        if j >= len(lines) or _PY_TB in lines[j] or lines[j].startswith(_PY_CHAIN):
            return Fault("truncated", self.n(max(j - 1, i)), self.n(i), self.n(max(j - 1, i)), "python",
                         frames=frames, facts={"frames_seen": str(len(frames))}, code_lines=_echoes(code)), j
        st = lines[j].strip()
        if st.startswith("Exception Type: "):
            got = self._django_exception(j, i, frames)
            if got:
                return got
        m = _PY_EXC.match(st)
        if not m and ":" not in st and re.match(r"^[A-Za-z_][\w.]*$", st):
            m = re.match(r"^(?P<type>[\w.]+)(?P<msg>)$", st)
        if not m and frames:  # a module's lower-case error class right after the frames: `cv2.error: ...`,
            m = _PY_EXC_LOWER.match(st)  # `socket.timeout: timed out`, `zmq.error: ...`
        if not m and st.startswith("Command '") and _CALLED_PROCESS.match(st):
            m = {"type": "CalledProcessError", "msg": st}
        if not m and frames:  # `raise Exception("...")` / a library's own `Error` class (certbot, shutil,
            m = _PY_EXC_BARE.match(st)  # configparser) print a bare `Exception: msg` / `Error: msg` under the frames
        if not m:
            return Fault("truncated", self.n(j - 1), self.n(i), self.n(j - 1), "python", frames=frames,
                         facts={"frames_seen": str(len(frames))}, code_lines=_echoes(code)), j
        msg = (m["msg"] or "").strip()
        k = j + 1  # a multi-line message (SyntaxError detail, an exception group) stays in the block
        fault = Fault("exception", self.n(j), self.n(i), self.n(j), "python", tool=None, type=m["type"],
                      message=msg[:500], frames=frames)
        if not m["type"].endswith(_SYNTAX_TYPES):  # a SyntaxError's quoted line is its evidence, not an echo
            fault.code_lines = _echoes(code, m["type"])
        _python_details(fault)
        return fault, k

    def _called_process(self, i: int, st: str) -> bool:
        """`Command '[...]' returned non-zero exit status N.` on a line of its own: CalledProcessError's message
        without its class, read as that exception (with the exit status it states, as when the class is there)."""
        if not _CALLED_PROCESS.match(st):
            return False
        self._add(Fault("exception", self.n(i), self.n(i), self.n(i), "python", type="CalledProcessError",
                        message=st[:500]))
        self._exit_line(i, st)
        return True

    def _django_exception(self, j: int, start: int, frames: list[Frame]) -> tuple[Fault, int] | None:
        """Django's debug page states the exception as `Exception Type: T at /url/` and `Exception Value: msg`
        (line j and the next) instead of `T: msg`."""
        lines = self.lines
        e = _DJANGO_EXC.match(lines[j].strip())
        if not e:
            return None
        k = j + 1
        msg = ""
        if k < len(lines):
            v = _DJANGO_VALUE.match(lines[k].strip())
            if v:
                msg = v["msg"].strip()
                k += 1
        fault = Fault("exception", self.n(j), self.n(start), self.n(j), "python", type=e["type"],
                      message=msg[:500], frames=frames)
        if e["url"]:
            fault.facts["url"] = e["url"]
        _python_details(fault)
        return fault, k

    def _django_traceback(self, i: int) -> tuple[Fault, int]:
        """The frames of Django's copy-and-paste debug view from line i, and the exception below them (or a
        cut-off traceback when it is not there)."""
        lines = self.lines
        frames: list[Frame] = []
        j = i
        while j < len(lines):
            st = lines[j].strip()
            m = _DJANGO_FRAME.match(st)
            if m:
                frames.append(Frame(m["file"], None, m["func"], None, not is_library(m["file"])))
            elif _DJANGO_CODE.match(st) and frames:
                n = st.split(".", 1)
                if frames[-1].line is None:
                    frames[-1].line = int(n[0])
                    frames[-1].code = n[1].strip()[:200] or None
            elif st:
                break
            j += 1
        frames.reverse()
        if j < len(lines):
            got = self._django_exception(j, i, frames)
            if got:
                return got
        last = j - 1
        while last > i and not lines[last].strip():
            last -= 1
        return Fault("truncated", self.n(last), self.n(i), self.n(last), "python", frames=frames,
                     facts={"frames_seen": str(len(frames))}), max(j, i + 1)

    def _py_frames_follow(self, i: int) -> bool:
        """Line i is a Python frame with a function, and another such frame follows within a few lines."""
        m = _PY_FRAME.match(self.lines[i])
        if not m or not m["func"]:
            return False
        return any(_PY_FRAME.match(x) for x in self.lines[i + 1: i + 6])

    def _rich_frames_follow(self, i: int) -> bool:
        """Line i starts a run of a rich traceback's box lines (`│ file.py:42 in f │`, `│ ❱ 42 │ code │`)
        whose header was not copied."""
        shown = 0
        for x in self.lines[i: i + 12]:
            st = x.strip()
            if not st.startswith("│"):
                return False
            if _RICH_FRAME.match(st) or _RICH_CODE.match(st) or shown and _RICH_NUMBERED.match(st):
                shown += 1
                if shown >= 2:
                    return True
        return False

    def _rich_traceback(self, i: int, boxed: bool = True) -> tuple[Fault, int]:
        """A rich / pretty traceback from its header line i (without `boxed`: line i is the first line of a
        box whose header was not copied; the box ends where its lines end)."""
        lines = self.lines
        frames: list[Frame] = []
        j = i + 1 if boxed else i
        while j < len(lines) and not lines[j].lstrip().startswith("╰"):
            s = lines[j].strip()
            if not boxed and not s.startswith("│"):
                break
            m = _RICH_FRAME.match(s)
            if m:
                func = m["func"]
                if not func and j + 1 < len(lines):
                    w = _RICH_WRAPPED.match(lines[j + 1].strip())
                    func = w["func"] if w else None
                frames.append(Frame(m["file"], int(m["line"]), func, None, not is_library(m["file"])))
            else:
                c = _RICH_CODE.match(s)
                if c and frames and frames[-1].code is None:
                    frames[-1].code = c["code"][:200]
            j += 1
        frames.reverse()
        if j < len(lines) and lines[j].lstrip().startswith("╰"):
            j += 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines):
            st = lines[j].strip()
            # after the box: `Type: msg`, or (as under a plain traceback's frames) a bare `Exception: msg` or a module's
            # lower-case class (`cv2.error: ...`), which rich prints the same way
            m = _PY_EXC.match(st) or (_PY_EXC_BARE.match(st) or _PY_EXC_LOWER.match(st) if j > i else None)
            if m:
                fault = Fault("exception", self.n(j), self.n(i), self.n(j), "python", type=m["type"],
                              message=(m["msg"] or "").strip()[:500], frames=frames)
                _python_details(fault)
                return fault, j + 1
        last = min(j, len(lines)) - 1
        return Fault("truncated", self.n(last), self.n(i), self.n(last), "python", frames=frames,
                     facts={"frames_seen": str(len(frames))}), max(j, i + 1)

    # -- the JVM ----------------------------------------------------------------------------------------

    def _java(self, i: int) -> int:
        """A JVM stack trace. With a `Caused by:` chain the fault is the innermost cause (the root of the
        chain is what went wrong; the exceptions above it only wrap it): its type and message, its frames
        first and then the outer ones (a cause's trace ends in "... N more", the frames it shares with the
        exception that wraps it), and the outermost exception as `wrapped_by`."""
        lines = self.lines
        m = _JAVA_EXC.match(lines[i].strip())
        assert m
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "java", type=m["type"],
                      message=(m["msg"] or "").strip()[:500])
        chain: list[tuple[str, str, int, list[Frame]]] = [(m["type"], fault.message or "", i, fault.frames)]
        j = i + 1
        current = fault.frames
        while j < len(lines):
            s = lines[j]
            f = _JAVA_FRAME.match(s)
            if f:
                file = f["file"]
                if file and file.endswith(".kt"):
                    fault.language = "kotlin"
                current.append(Frame(file, int(f["line"]) if f["line"] else None, f["func"], None,
                                     not _LIB_PACKAGE.match(f["func"] or "")))
                j += 1
                continue
            st = s.strip()
            if st.startswith("... ") and st.endswith(("more", "omitted")):
                j += 1
                continue
            c = _JAVA_EXC.match(st) if st.startswith(("Caused by:", "Suppressed:")) else None
            if c:
                current = []  # the cause's frames are not the top exception's
                if st.startswith("Caused by:"):
                    chain.append((c["type"], (c["msg"] or "").strip()[:500], j, current))
                j += 1
                continue
            break
        if len(chain) > 1:
            top_type, top_msg = chain[0][0], chain[0][1]
            root_type, root_msg, at, root_frames = chain[-1]
            fault.type, fault.message, fault.line = root_type, root_msg, self.n(at)
            fault.frames = root_frames + [fr for _, _, _, frs in reversed(chain[:-1]) for fr in frs]
            short = top_type.rsplit(".", 1)[-1]
            fault.facts["wrapped_by"] = f"{short}: {top_msg}"[:300] if top_msg else short
            fault.facts["chain_length"] = str(len(chain))
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    # -- Go ---------------------------------------------------------------------------------------------

    def _go_panic(self, i: int) -> int:
        lines = self.lines
        st = lines[i].strip()
        m = _GO_PANIC.match(st) or _GO_FATAL.match(st)
        msg = m["msg"] if m else st
        fault = Fault("panic", self.n(i), self.n(i), self.n(i), "go", type="panic" if st.startswith("panic") else
                      "fatal error", message=msg[:500])
        rt = re.match(r"runtime error: (.+)", msg)
        if rt:
            fault.type = "runtime error"
            fault.message = rt.group(1)
        j = i + 1
        func = None
        base = len(lines[i]) - len(lines[i].lstrip())  # go test indents a subtest's output, the dump with it
        while j < len(lines) and j < i + 400:
            s = lines[j]
            st = s.strip()
            sig = _GO_SIGNAL.match(st)
            if sig:
                fault.facts["signal"] = sig["sig"]
            elif st.startswith("goroutine "):
                if fault.frames:  # only the first (panicking) goroutine's frames
                    break
            elif _GO_FRAME_LOC.match(s):
                loc = _GO_FRAME_LOC.match(s)
                assert loc
                fault.frames.append(Frame(loc["file"], int(loc["line"]), func, None,
                                          not is_library(loc["file"], func)))
            elif _GO_FRAME_FUNC.match(st) and len(s) - len(s.lstrip()) <= base:
                func = _GO_FRAME_FUNC.match(st)["func"]  # type: ignore[index]
            elif st.startswith(("panic: ", "[recovered]")) or not st:
                pass
            elif st.startswith("exit status "):
                fault.facts["exit_code"] = st.split()[-1]
                j += 1
                break
            else:
                break
            j += 1
        fault.end = self.n(j - 1)
        _go_program(fault)
        self._add(fault)
        return j

    # -- Rust -------------------------------------------------------------------------------------------

    def _rust_panic(self, i: int) -> int:
        lines = self.lines
        st = lines[i].strip()
        m = _RUST_PANIC_NEW.match(st)
        j = i + 1
        if m:
            msg = lines[i + 1].strip() if i + 1 < len(lines) else ""
            j = i + 2
        else:
            m = _RUST_PANIC_OLD.match(st)
            msg = m["msg"] if m else st.split("panicked at", 1)[1].strip()
        fault = Fault("panic", self.n(i), self.n(i), self.n(j - 1), "rust", type="panic", message=msg[:500])
        if m:
            fault.frames.append(Frame(m["file"], int(m["line"]), None, None, not is_library(m["file"])))
        self._add(fault)
        return j

    def _rust_error(self, i: int) -> int:
        lines = self.lines
        m = _RUST_ERR.match(lines[i].strip())
        if not m:
            return i + 1
        fault = Fault("compile", self.n(i), self.n(i), self.n(i), "rust", tool="rustc", type=m["code"],
                      message=m["msg"][:500], code=m["code"])
        j = i + 1
        if j < len(lines):
            loc = _RUST_LOC.match(lines[j])
            if loc:
                fault.frames.append(Frame(loc["file"], int(loc["line"]), None, None, not is_library(loc["file"])))
                j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    # -- .NET, Ruby, PHP --------------------------------------------------------------------------------

    def _dotnet(self, i: int) -> int:
        """A .NET exception ("Unhandled exception. T: msg", or a bare "T: msg" with `at ... in f.cs:line N`
        frames under it). Inner exceptions (` ---> T: msg`) are printed before any frame, innermost last, and
        the frames follow innermost first: the fault is the innermost exception, the outermost `wrapped_by`."""
        lines = self.lines
        st = lines[i].strip()
        m = _DOTNET_EXC.match(st) or _DOTNET_BARE.match(st)
        if not m:
            return i + 1
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "csharp", tool="dotnet", type=m["type"],
                      message=(m["msg"] or "").strip()[:500])
        inner: list[tuple[str, str, int]] = []
        j = i + 1
        while j < len(lines):
            f = _DOTNET_FRAME.match(lines[j])
            st = lines[j].strip()
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]) if f["line"] else None, f["func"], None,
                                          not (_LIB_PACKAGE.match(f["func"]) or is_library(f["file"]))))
            elif st.startswith("---> "):
                c = re.match(r"---> ([\w.]+)(?:: (.*))?$", st)
                if c:
                    inner.append((c.group(1), (c.group(2) or "").strip()[:500], j))
            elif not st.startswith("--- End of"):
                break
            j += 1
        if inner:
            top = fault.short_type or ""
            fault.facts["wrapped_by"] = f"{top}: {fault.message}"[:300] if fault.message else top
            fault.type, fault.message, at = inner[-1]
            fault.line = self.n(at)
            fault.facts["chain_length"] = str(len(inner) + 1)
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _ruby(self, i: int) -> int:
        lines = self.lines
        m = _RUBY_EXC.match(lines[i].strip())
        assert m
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "ruby", type=m["type"], message=m["msg"][:500])
        fault.frames.append(Frame(m["file"], int(m["line"]), m["func"], None, not is_library(m["file"])))
        j = i + 1
        while j < len(lines):
            f = _RUBY_FROM.match(lines[j])
            if not f:
                break
            fault.frames.append(Frame(f["file"], int(f["line"]), f["func"], None, not is_library(f["file"])))
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _ruby_reversed(self, i: int) -> int:
        """Ruby 2.5-2.7's backtrace printed to a terminal: `Traceback (most recent call last):`, then the frames
        outermost first (`N: from file.rb:7:in 'm'`), then the error line LAST (`file.rb:2:in 'm': msg (Type)`).
        Without that line it is cut off."""
        lines = self.lines
        frames: list[Frame] = []
        j = i + 1
        while j < len(lines) and (f := _RUBY_NUMBERED.match(lines[j])):
            frames.append(Frame(f["file"], int(f["line"]), f["func"], None, not is_library(f["file"])))
            j += 1
        frames.reverse()  # innermost first, as every fault keeps them
        m = _RUBY_EXC.match(lines[j].strip()) if j < len(lines) else None
        if not m:
            self._add(Fault("truncated", self.n(j - 1), self.n(i), self.n(j - 1), "ruby", frames=frames,
                            facts={"frames_seen": str(len(frames)), "missing": _MISSING["ruby"]}))
            return j
        fault = Fault("exception", self.n(j), self.n(i), self.n(j), "ruby", type=m["type"], message=m["msg"][:500])
        fault.frames = [Frame(m["file"], int(m["line"]), m["func"], None, not is_library(m["file"])), *frames]
        self._add(fault)
        return j + 1

    def _ruby_bare(self, i: int, block: bool = False) -> int | None:
        """A Ruby exception as a runner prints it: `Type: message` (or `Type:` with the message on the next line)
        with its frames under it. `block`: RSpec's failure block (`Failure/Error: code` above, `Type:` alone, the
        message indented under it, maybe after a blank line; frames may be missing or blank-separated)."""
        lines = self.lines
        st = lines[i].strip()
        m = _RUBY_BARE.match(st)
        if m:
            msg = (m["msg"] or m["msg2"] or "").strip()
        else:  # "undefined method `id' for nil:NilClass (NoMethodError)" with the frames under it
            m = _RUBY_MSG_TYPE.match(st)
            assert m
            msg = m["msg"]
        j = i + 1
        if block and j < len(lines) and not lines[j].strip():
            j += 1
        if not msg and j < len(lines) and lines[j].strip() and not _RUBY_FRAME.match(lines[j]):
            msg = lines[j].strip()  # RSpec: the message on its own line under the class
            j += 1
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "ruby", type=m["type"], message=msg[:500])
        while j < len(lines):
            if block and not lines[j].strip() and j + 1 < len(lines) and _RUBY_FRAME.match(lines[j + 1]):
                j += 1  # RSpec pasted with a blank line between frames
                continue
            f = _RUBY_FRAME.match(lines[j])
            if not f and (t := _RUBY_TEMPLATE_FRAME.match(lines[j])):
                fault.frames.append(Frame(t["file"], int(t["line"]), None, None, not is_library(t["file"])))
                j += 1
                continue
            if not f:
                break
            fault.frames.append(Frame(f["file"], int(f["line"]), f["func"], None, not is_library(f["file"])))
            j += 1
        if not fault.frames and not block:
            return None
        if fault.type.startswith("Errno::"):
            fault.code = fault.type[7:]
        before = lines[max(0, i - 8): i]
        if any(x.strip().startswith("Failure/Error:") for x in before):
            fault.facts["test_report"] = "rspec"  # one failing example's error, inside RSpec's report
        elif any(re.match(r"^\s*\d+\) (?:Error|Failure):", x) or re.match(r"^\w+#test_\w+", x) for x in before):
            fault.facts["test_report"] = "minitest"
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _php(self, i: int) -> int:
        lines = self.lines
        m = _PHP_ERR.search(lines[i].strip())
        assert m
        line = m["line"] or m["line2"]
        level = m["level"][:1] + m["level"][1:].lower()  # "Fatal Error" is PHP's "Fatal error"
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "php", type=m["type"] or level,
                      message=m["msg"][:500])
        if not m["type"]:
            _php_details(fault)
        fault.frames.append(Frame(m["file"], int(line) if line else None, None, None, not is_library(m["file"])))
        j = i + 1
        while j < len(lines):
            st = lines[j].strip()
            f = _PHP_FRAME.match(st)
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]), f["func"], None, not is_library(f["file"])))
            elif not (st.startswith(("Stack trace:", "#", "thrown in")) or not st):
                break
            j += 1
        fault.frames.sort(key=lambda fr: not fr.user)  # innermost user frame first is what matters here
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _phpunit_defect(self, i: int) -> int | None:
        """One entry of PHPUnit's "There were N errors:" list whose message is an exception ("Error: Call to
        a member function x() on null"): a PHP exception inside the runner's report, frames innermost first.
        `defect` says which list it is in (an error is an exception the code under test raised; a failure is
        an assertion that did not hold)."""
        lines = self.lines
        j = i + 1
        while j < len(lines) and j < i + 3 and not lines[j].strip():
            j += 1
        m = _PHPUNIT_EXC.match(lines[j].strip()) if j < len(lines) else None
        if not m:
            return None
        fault = Fault("exception", self.n(j), self.n(i), self.n(j), "php", type=m["type"].rsplit("\\", 1)[-1],
                      message=m["msg"].strip()[:500])
        fault.facts["test_report"] = "phpunit"
        section = next((_PHPUNIT_SECTION.match(x.strip()) for x in reversed(lines[max(0, i - 400): i])
                        if x.startswith("There w") and _PHPUNIT_SECTION.match(x.strip())), None)
        if section:
            fault.facts["defect"] = section["what"]
        k = j + 1
        while k < len(lines) and k < j + 80:
            st = lines[k].strip()
            f = _PHPUNIT_FRAME.match(st)
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]), None, None, not is_library(f["file"])))
            elif st or fault.frames:
                break
            k += 1
        fault.end = self.n(k - 1)
        self._add(fault)
        return k

    # -- one line at a time: JS errors, bare exceptions, compile/link, HTTP, exit, shell ----------------

    def _line(self, i: int, st: str) -> None:
        lines = self.lines
        if st[:8] == '"ename":':
            self.nb_names.append(i)  # a notebook's error output (nbformat): read after the whole text
            return
        if ("Warning" in st or "Reason:" in st or "Last State:" in st or "/" in st or "low on resource" in st) \
                and self._k8s_line(i, st):
            return
        if (".service" in st or "Result: " in st or "Main PID:" in st or "result '" in st or "OOM killer" in st
                or ".socket" in st or ".mount" in st or ".timer" in st) and self._systemd_line(i, st):
            return
        if _usage_maybe(st) and self._usage_line(i, st):
            return
        if "rror" in st or "xception" in st or "Warning" in st or "Interrupt" in st or "Exit" in st or \
                "Iteration" in st or "Errno::" in st:
            if self._exception_line(i, st):
                if any(c.isdigit() for c in st) and not self._http_line(i, st):
                    self._exit_line(i, st)  # "HTTPError: 404 ...", "CalledProcessError: ... exit status 2"
                return
            if self._compile_line(i, st):
                return
        if ("ld: " in st or "ld.exe: " in st or "ld64" in st or "ld.bfd" in st or "lld-link" in st or "LNK" in st
                or "error C" in st or "undefined reference to " in st) and self._toolchain_line(i, st):
            return
        if ("undefined reference" in st or "cannot find -l" in st or "Undefined symbols" in st
                or "unresolved external" in st) and not self._near(i, "link", 3):
            m = _LINK.search(st)
            if m:
                f = Fault("link", self.n(i), self.n(i), self.n(i), None, tool="ld", type="link error",
                          message=st[:500])
                if m["symbol"] or m["sym2"] or m["sym3"]:
                    f.facts["symbol"] = m["symbol"] or m["sym2"] or m["sym3"]
                if m["lib"]:
                    f.facts["library"] = m["lib"]
                self._add(f)
                return
        if any(c.isdigit() for c in st) and self._http_line(i, st):
            return
        if " E" in st and self._node_syscall_line(i, st):
            return
        if st.startswith("Command '") and self._called_process(i, st):
            return
        if self._exit_line(i, st):
            return
        if ":" in st or "'" in st:
            self._shell_line(i, lines[i].rstrip())

    def _toolchain_line(self, i: int, st: str) -> bool:
        """A linker's own error line (errdiag/data/ld_messages.yaml: output file not writable, -fPIC, DSO missing,
        region overflow ...), an MSVC compiler or linker error with its code, or an undefined reference whose quotes
        the paste lost: a compile or link fault (errdiag/codes.py reads what it means)."""
        got = _codes.linker_line(st) if ("ld: " in st or "ld.exe: " in st or "ld64" in st or "ld.bfd" in st
                                         or "lld-link" in st) else None
        if got and got["reason"] == "dso-missing" and "item" not in got and self.faults and \
                self.faults[-1].facts.get("reason") == "dso-missing" and self.faults[-1].line >= self.n(i) - 3:
            self.faults[-1].end = self.n(i)  # `error adding symbols: DSO missing ...` under the line naming the symbol
            return True
        if got:
            f = Fault("link", self.n(i), self.n(i), self.n(i), None, tool="ld", type="link error",
                      message=got.pop("message"))
            f.facts.update({k: v for k, v in got.items() if v})
            self._add(f)
            return True
        got = _codes.msvc_line(st) if ("LNK" in st or "error C" in st) else None
        if got:
            if got["code"] in ("LNK2019", "LNK2001"):
                return False  # the undefined-symbol reader below names the symbol
            if got["code"] == "LNK1120" and self._near(i, "link", 40):
                return True  # the count of the unresolved externals listed above: those are the errors
            lang = None
            if got.get("file"):
                lang = "c" if got["file"].lower().endswith((".c", ".h")) else "cpp"
            f = Fault(got["kind"], self.n(i), self.n(i), self.n(i), lang, tool="msvc", type=got["code"],
                      message=got["message"], code=got["code"])
            if got.get("file"):
                f.frames.append(Frame(got["file"], int(got["line"]), None, None, not is_library(got["file"])))
            self._add(f)
            return True
        sym = _codes.unquoted_undefined(st) if "undefined reference to " in st else None
        if sym and not self._near(i, "link", 3):
            f = Fault("link", self.n(i), self.n(i), self.n(i), None, tool="ld", type="link error", message=st[:500])
            f.facts["symbol"] = sym
            self._add(f)
            return True
        return False

    def _k8s_line(self, i: int, st: str) -> bool:
        """A Kubernetes warning event, a container's failure reason or a failing `kubectl get pods` row."""
        m = _K8S_EVENT.match(st)
        obj = source = None
        if m:
            parts = [p for p in re.split(r"\s{2,}", m["rest"].strip()) if p]
            if len(parts) < 2:
                return False
            message = parts[-1]
            for p in parts[:-1]:
                if _K8S_OBJECT.match(p):
                    obj = p
                elif re.match(r"^[a-z][-a-z0-9]*(?:, [-\w.]+)?$", p) and not re.match(r"^\d", p):
                    source = p
            reason = m["reason"]
        else:
            message = st
            m = _K8S_REASON.match(st) or _K8S_POD_ROW.match(st)
            if m is None:
                if not _K8S_EVICTED.search(st):
                    return False
                reason = "Evicted"  # the kubelet's eviction message needs no `Reason:` line to say so
            else:
                reason = m["reason"]
                obj = m.groupdict().get("object")
                if m.re is _K8S_REASON._get():
                    # "Reason: Error" is too plain alone; so is a Reason line of a pod that is not failing
                    if reason == "Error":
                        return False
                else:
                    obj = f"pod/{obj}"
        prev = self.faults[-1] if self.faults else None
        if prev is not None and prev.kind == "k8s" and prev.type == reason and self.n(i) - prev.end <= 3:
            prev.end = self.n(i)  # the same reason again (a repeated event row): one fault
            return True
        f = Fault("k8s", self.n(i), self.n(i), self.n(i), None, tool="kubernetes", type=reason,
                  message=message[:500])
        f.facts["reason"] = reason
        if not obj:
            named = _K8S_POD.search(message)
            if named:
                obj = "pod/" + named["name"]
        named = _K8S_CONTAINER.search(message)
        if named:
            f.facts["container"] = named["name"]
        if obj:
            f.facts["object"] = obj[:200]
        if source:
            f.facts["source"] = source
        self._add(f)
        return True

    def _systemd_line(self, i: int, st: str) -> bool:
        """systemd about one unit: its process's exit status, the unit's result, the start limit, OOM. The
        lines of one failure (within a few lines, same unit) are one fault."""
        for rx in _SYSTEMD:
            m = rx.search(st)
            if m:
                break
        else:
            return False
        gd = {k: v for k, v in m.groupdict().items() if v}
        prev = next((f for f in reversed(self.faults[-3:]) if f.kind == "systemd" and self.n(i) - f.end <= 6
                     and (not gd.get("unit") or f.facts.get("unit") in (None, gd["unit"]))), None)
        if gd.keys() == {"unit"} and prev is None:
            # `systemctl status`'s header names a unit: a fault only when a failure line follows
            nxt = " ".join(self.lines[i + 1:i + 6])
            if "failed" not in nxt and "auto-restart" not in nxt:
                return False
        f = prev or Fault("systemd", self.n(i), self.n(i), self.n(i), None, tool="systemd", type="unit failure")
        f.end = max(f.end, self.n(i))
        if gd.get("unit"):
            f.facts.setdefault("unit", gd["unit"])
        if gd.get("result"):
            f.facts["result"] = gd["result"]
            if f.facts.get("reason") != "start-limit-hit":
                # `start-limit` is the same result under its name before systemd 232
                f.facts["reason"] = "start-limit-hit" if gd["result"] == "start-limit" else gd["result"]
        if gd.get("repeated"):
            # the start limit is where the unit ends, whichever result its last run had: systemd 232-235 print
            # "Failed with result 'exit-code'" right after "Start request repeated too quickly"
            f.facts["reason"] = "start-limit-hit"
            f.facts.setdefault("result", "start-limit-hit")
        if gd.get("oom"):
            f.facts["reason"] = f.facts["result"] = "oom-kill"
        if gd.get("sig"):
            gd["status"], gd["status_name"] = "0", gd["sig"]
        if gd.get("status") and gd.get("how"):
            name = gd.get("status_name", "")
            if gd["how"] == "exited":
                if gd["status"] != "0":
                    f.facts["exit_code"] = gd["status"]
                    f.code = gd["status"]
                    if name:
                        f.facts["status_name"] = name
            else:
                sig = _SYSTEMD_SIGNALS.get(name) or _SIGNALS.get(int(gd["status"]), "")
                if sig:
                    f.facts["signal"] = sig
                    f.facts["exit_code"] = str(128 + next((n for n, s in _SIGNALS.items() if s == sig), 0))
        f.message = f.message or st[:500]
        if prev is None:
            self._add(f)
        return True

    def _usage_line(self, i: int, st: str) -> bool:
        """A command line its program refused (errdiag.usage): one fault per error line, kind `usage`, its `reason`
        (unknown-option, unknown-command, invalid-value ...) and the program, option and value it names."""
        facts = usage_fault(self.lines, i)
        if facts is None:
            return False
        prev = self.faults[-1] if self.faults else None
        if prev is not None and prev.kind == "usage" and prev.facts.get("reason") == facts["reason"] and \
                self.n(i) - prev.end <= 2:
            prev.end = self.n(i)  # clap and cobra repeat or continue the same complaint on the next line
            return True
        f = Fault("usage", self.n(i), self.n(i), self.n(i), None, tool=facts.get("program", "").split(" ")[0] or None,
                  message=st[:500])
        f.facts.update(facts)
        self._add(f)
        return True

    def _near(self, i: int, kind: str, dist: int) -> bool:
        n = self.n(i)
        return any(f.kind == kind and abs(f.line - n) <= dist for f in self.faults[-5:])

    def _exception_line(self, i: int, st: str) -> bool:
        lines = self.lines
        rb = _RUBY_ERRNO.search(st) if "Errno::" in st else None
        if rb:  # Ruby's system-call error on a line of its own
            t = rb["type"] or rb["type2"]
            self._add(Fault("exception", self.n(i), self.n(i), self.n(i), "ruby", type=t,
                            message=(rb["msg"] or rb["msg2"]).strip()[:500], code=t[7:]))
            return True
        if st.startswith(("Exception in thread \"", "Caused by: ")):  # a JVM exception printed without frames
            st = re.sub(r'^(?:Exception in thread "[^"]*" |Caused by: )', "", st)
        if st.startswith("Uncaught ") and _PHP_MESSAGES.search(st):
            return self._php_uncaught(i, st)
        un = _JS_UNHANDLED.match(st)
        if un:  # Node's unhandled promise rejection (a crash since Node 15, a warning before)
            f = Fault("exception", self.n(i), self.n(i), self.n(i), "javascript", tool="node",
                      type=un["type"] or "UnhandledPromiseRejection", message=(un["msg"] or "").strip()[:500],
                      code="ERR_UNHANDLED_REJECTION")
            if un["reason"] is not None:
                f.facts["reason"] = un["reason"]
            self._add(f)
            return True
        js = _JS_EXC.match(st)
        js_frame = js and i + 1 < len(lines) and _JS_FRAME.match(lines[i + 1])
        if js and (js_frame or i + 1 < len(lines) and _JS_FRAME_NOLOC.match(lines[i + 1])
                   or js["code"] or _JS_MESSAGES.search(js["msg"]) or st.startswith("Uncaught ") or js["deno"]):
            t = js["type"]
            # a name Python has too (AssertionError from chai/vitest/node:assert) is JavaScript's when a JS frame
            # with its file:line:col follows: Python never prints frames under its exception line
            if not (t in PY_BUILTINS and t not in _SHARED_NAMES and not js["code"] and not js_frame):
                self._js(i, js)
                return True
        pm = _PY_EXC.match(st)
        if pm and (pm["msg"] is not None or pm["type"].rsplit(".", 1)[-1] in PY_BUILTINS
                   or re.match(r"^(?:java|javax|kotlin)\.[\w.]+\.[A-Z]\w*(?:Error|Exception)$", pm["type"])):
            t = pm["type"]
            short = t.rsplit(".", 1)[-1]
            msg = (pm["msg"] or "").strip()
            if "." not in t and short not in PY_BUILTINS and short not in JS_NAMES and (
                    not msg or len(st) > 400 or " " in t):
                return False  # a bare "SomethingError: ..." line counts only when it looks like a report
            lang = None
            if t.startswith(_JVM_PACKAGES):  # kotlin.NotImplementedError is no Python builtin
                lang = "kotlin" if t.startswith("kotlin.") else "java"
            elif short in PY_BUILTINS and short not in _SHARED_NAMES:
                lang = "python"
            elif short in _SHARED_NAMES:
                lang = "python" if _PY_MESSAGES.search(msg) else "javascript" if (
                    _JS_MESSAGES.search(msg) or _JS_TYPE_MESSAGES.search(msg)) else None
            elif t.startswith(("System.", "Microsoft.")) and t.endswith("Exception"):
                lang = "csharp"  # a .NET exception printed without its frames
            elif st.startswith("E ") or re.match(r"^[a-z_][\w]*(?:\.[a-z_]\w*)*\._?[A-Z]", t):
                lang = "python" if not re.match(r"^(?:java|javax|org|com|io|net|kotlin)\.", t) else "java"
            # a pytest "file.py:42: KeyError" line just after gives the frame
            fault = Fault("exception", self.n(i), self.n(i), self.n(i), lang, type=t, message=msg[:500])
            if st.startswith("E "):
                fault.facts["test_report"] = "pytest"  # a failing test's exception, inside pytest's report
            if lang == "java" and not msg and "." in t and t.split(".")[0] in ("java", "javax", "org", "com"):
                pass
            if short in ("SyntaxError", "IndentationError", "TabError"):
                for k in range(i - 1, max(-1, i - 6), -1):  # "  File "a.py", line 2" above the caret
                    loc = _PY_FRAME.match(lines[k])
                    if loc:
                        code = lines[k + 1].strip() if k + 1 < i and not _is_caret(lines[k + 1].strip()) else None
                        fault.frames.append(Frame(loc["file"], int(loc["line"]), loc["func"], code,
                                                  not is_library(loc["file"])))
                        fault.language = "python"
                        fault.start = self.n(k)
                        break
            for k in range(i + 1, min(len(lines), i + 4)):
                loc = _PYTEST_LOC.match(lines[k].strip())
                if loc and loc["type"].rsplit(".", 1)[-1] == short:
                    fault.frames.append(Frame(loc["file"], int(loc["line"]), None, None, not is_library(loc["file"])))
                    fault.language = fault.language or "python"
                    break
            if fault.language == "python":
                _python_details(fault, lines[i - 1] if i else None)
            self._add(fault)
            return True
        return False

    def _node_syscall(self, f: Fault) -> None:
        """A JavaScript (or not yet placed) exception whose message is a Node system error (`connect ECONNREFUSED
        127.0.0.1:5432`, `spawn cmd ENOENT`, `EPERM: operation not permitted, unlink 'x'`): its errno is the error's
        code and the system call, the address, path or program, the server behind it and what they mean are facts
        (errdiag.syserr). A Python or other language's message never holds Node's templates."""
        lo, hi = f.start - self.base, min(len(self.lines), f.end - self.base + 1, f.start - self.base + 80)
        block = self.lines[lo:hi] + [fr.file for fr in f.frames[:40] if fr.file]
        facts = syserr.read_node(f.message or "", block)
        if not facts:
            return
        f.language = "javascript"
        f.tool = f.tool or "node"
        if not f.code or not f.code.startswith("ERR_"):
            f.code = facts["errno"]
        for k, v in facts.items():
            if k != "errno" and k not in f.facts:
                f.facts[k] = v

    def _node_syscall_line(self, i: int, st: str) -> bool:
        """A Node system error on a line no other shape read (a logger's line, a warning, an error object printed
        with `{ Error: connect ...`): an exception of its own, read by `_node_syscall`."""
        if st.startswith(_PACKAGE_MANAGER_LOG) or not syserr.match(st):
            return False  # npm's own log of the error it hit (`npm ERR! enoent ENOENT: ...`): npm's entries answer it
        n = self.n(i)
        if any(f.start <= n <= f.end for f in self.faults[-5:]):
            return False  # inside an error already read (its message or its fields)
        t = re.search(r"\b(?P<type>(?:[A-Z]\w*)?Error): ", st)
        msg = st[t.end():] if t and not st[:t.start()].strip(" {[") else st  # `Error: connect ...` -> `connect ...`
        self._add(Fault("exception", n, n, n, None, type=t["type"] if t else "Error", message=msg[:500]))
        return True

    def _php_uncaught(self, i: int, st: str) -> bool:
        m = re.match(r"^Uncaught (?P<type>[\w\\]+): (?P<msg>.*)$", st)
        if not m:
            return False
        msg = re.sub(r"(?:,? called in \S+ on line \d+)?(?: and defined)? in \S+\.php(?::\d+| on line \d+)$", "",
                     m["msg"])
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "php", type=m["type"].rsplit("\\", 1)[-1],
                      message=msg.strip()[:500])
        j = i + 1
        while j < len(self.lines) and j < i + 60:
            f = _PHP_FRAME.match(self.lines[j].strip())
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]), f["func"], None, not is_library(f["file"])))
            elif self.lines[j].strip() and not self.lines[j].strip().startswith(("Stack trace", "#", "thrown in")) \
                    and fault.frames:
                break
            j += 1
        fault.frames.sort(key=lambda fr: not fr.user)
        fault.end = self.n(j - 1)
        self._add(fault)
        return True

    def _js(self, i: int, m: re.Match) -> None:
        lines = self.lines
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "javascript",
                      tool="deno" if m["deno"] else "node", type=m["type"], message=m["msg"].strip()[:500],
                      code=m["code"])
        # node prints "file.js:12\n<code>\n   ^^^\n\n" above the error
        for k in range(max(0, i - 6), i):
            h = _JS_HEADER.match(lines[k].strip())
            if h:
                code = lines[k + 1].strip() if k + 1 < i else None
                fault.frames.append(Frame(h["file"], int(h["line"]), None, code or None, not is_library(h["file"])))
                fault.start = self.n(k)
                break
        header = list(fault.frames)
        fault.frames = []
        j = i + 1
        while j < len(lines):
            s = lines[j]
            f = _JS_FRAME.match(s)
            if f:
                file = f["file"].removeprefix("file://")
                fault.frames.append(Frame(file, int(f["line"]), (f["func"] or "").strip() or None, None,
                                          not is_library(file)))
            elif _JS_FRAME_NOLOC.match(s):
                pass
            else:
                st = s.strip()
                c = _JS_CODE_PROP.match(s)
                cause = _JS_CAUSE.match(s)
                if c and not fault.code:
                    fault.code = c["code"]
                elif cause:
                    fault.causes.append((cause["type"], cause["msg"][:500]))
                elif not (st in ("{", "}", "", "at", "^") or st.endswith((",", "{")) or re.match(r"^[\w\[\]]+:", st)) \
                        and (fault.frames or j - i > 3 or not any(_JS_FRAME.match(x) for x in lines[j + 1:j + 4])):
                    break  # (a message on two lines, "...internals.\nPlease open an issue ...": frames follow)
                if j - i > 60:
                    break
            j += 1
        if header and (not fault.frames or header[0].file == fault.frames[0].file):
            if fault.frames and fault.frames[0].code is None:
                fault.frames[0].code = header[0].code
            elif not fault.frames:
                fault.frames = header
        fault.end = self.n(j - 1)
        if fault.type in ("AxiosError",) or "status code" in fault.message:
            self._http_line(i, lines[i].strip(), fault_hint=fault)
        if fault.type == "SyntaxError" and _ESM_TOKEN.match(fault.message) \
                and any(_ESM_LINE.search(lines[k]) for k in range(max(0, i - 5), i)):
            fault.facts["reason"] = "esm-syntax"
        self._add(fault)

    def _compile_line(self, i: int, st: str) -> bool:
        m = _CC_DIAG.match(st)
        lang = None
        if m and m["msg"].startswith(_LINKER_SAYS):
            return False  # gold / ld with debug info print a link error at its source line: the link reader's
        if m:
            ext = m["ext"]
            lang = {"c": "c", "h": "c", "m": "objc", "go": "go", "cs": "csharp", "java": "java", "kt": "kotlin",
                    "swift": "swift", "f90": "fortran", "ts": "typescript", "tsx": "typescript"}.get(ext, "cpp")
            f = Fault("compile", self.n(i), self.n(i), self.n(i), lang, type="error", message=m["msg"][:500])
            f.frames.append(Frame(m["file"], int(m["line"]), None, None, not is_library(m["file"])))
            f.tool = {"c": "gcc", "cpp": "g++", "go": "go", "java": "javac", "kotlin": "kotlinc"}.get(lang)
            if lang in ("c", "cpp", "objc"):
                cls = next((name for name, rx in _CC_CLASSES if rx.search(m["msg"])), None)
                if cls:
                    f.facts["reason"] = cls  # the diagnostic's class: an `anatomy: {reason: ...}` condition
            self._add(f)
            return True
        for rx, lang, tool in ((_CS_DIAG, "csharp", "dotnet"), (_TSC_DIAG, "typescript", "tsc")):
            m = rx.match(st)
            if m:
                f = Fault("compile", self.n(i), self.n(i), self.n(i), lang, tool=tool, type=m["code"],
                          message=m["msg"][:500], code=m["code"])
                f.frames.append(Frame(m["file"], int(m["line"]), None, None, not is_library(m["file"])))
                self._add(f)
                return True
        return False

    def _http_line(self, i: int, st: str, fault_hint: Fault | None = None) -> bool:
        if ("40" not in st and "41" not in st and "42" not in st and "50" not in st) or _ACCESS_LOG.search(st):
            return False
        for rx in _HTTP_PATTERNS:
            m = rx.search(st)
            if not m:
                continue
            gd = m.groupdict()
            status = gd.get("status")
            if not status or int(status) not in _HTTP_REASONS:
                continue
            if not fault_hint and self._near(i, "http", 2):
                return True  # the same response printed twice (status line, then the body)
            f = Fault("http", self.n(i), self.n(i), self.n(i), None, message=st[:500])
            f.facts["http_status"] = status
            f.facts["http_reason"] = (gd.get("reason") or _HTTP_REASONS[int(status)]).strip()
            if gd.get("method"):
                f.facts["http_method"] = gd["method"].upper()
            url = gd.get("url")
            if url:
                f.facts["http_url"] = url.rstrip(".,;:")
            if fault_hint is not None:
                f.language = fault_hint.language
            self._http_around(i, f)
            self._add(f)
            return True
        return False

    def _http_around(self, i: int, f: Fault) -> None:
        """The method, URL, and vendor envelope printed near a status line."""
        lines = self.lines
        lo, hi = max(0, i - 8), min(len(lines), i + 25)
        window = "\n".join(lines[lo:hi])
        here = lines[i]
        if "http_url" not in f.facts:
            u = _URL.search(here) or _URL.search("\n".join(lines[i + 1: hi])) or _URL.search("\n".join(lines[lo:i]))
            if u and "docs" not in u.group(0) and "/errors" not in u.group(0):
                f.facts["http_url"] = u.group(0).rstrip(".,;:'\"")
        if "http_method" not in f.facts:
            mm = _METHOD.search(window)
            if mm:
                f.facts["http_method"] = (mm["m1"] or mm["m2"]).upper()
        url = f.facts.get("http_url")
        if url:
            hm = re.match(r"https?://(?:[^@/]*@)?([^/:?#]+)", url)
            if hm:
                f.facts["host"] = hm.group(1).lower()
            pm = re.match(r"https?://[^/]+(/[^?#]*)?", url)
            if pm and pm.group(1):
                f.facts["endpoint"] = pm.group(1)
        elif (p := re.search(r"\s(/[\w./{}-]*[\w}])(?:\s|$|\?)", here)):
            f.facts["endpoint"] = p.group(1)
        host = f.facts.get("host", "")
        body = "\n".join(lines[max(0, i - 2): hi])
        msg = _ENV_MESSAGE.search(body)
        if msg:
            f.facts["vendor_message"] = (msg["m1"] or msg["m2"] or "")[:300]
        typ = _ENV_TYPE.search(body)
        if typ and typ["v"] != "error":
            f.facts["vendor_type"] = typ["v"]
        code = _ENV_CODE.search(body)
        if code and (code["s"] or code["n"]) != f.facts["http_status"]:
            f.facts["vendor_code"] = code["s"] or code["n"]
        status = _ENV_STATUS.search(body)
        if status:
            f.facts["vendor_status"] = status["v"]
        vendor = next((v for h, v in _VENDORS if h in host), None)
        if vendor is None:
            vendor = next((v for mod, v in _VENDOR_MODULES if mod in window), None)
        if vendor:
            f.facts["vendor"] = vendor
        elif host:
            f.facts["vendor"] = host

    def _exit_line(self, i: int, st: str) -> bool:
        if not (("exit" in st or "xit " in st or "status" in st or "code" in st or "signal" in st or "Error " in st
                 or "Killed" in st or "fault" in st or "Abort" in st or "OOMKilled" in st or "Terminated" in st
                 or "died" in st or "egment" in st or "Speicherzugriff" in st or "сегмент" in st or "段错误" in st
                 or "セグメンテーション" in st) or st in ("Killed", "Aborted", "Terminated")):
            return False
        for rx in _EXIT_PATTERNS:
            m = rx.search(st)
            if not m:
                continue
            gd = m.groupdict()
            code = gd.get("code")
            sig = gd.get("signal") or gd.get("sig")
            text = (gd.get("sigtext") or gd.get("sigword") or ("oomkilled" if "OOMKilled" in st else "")).lower()
            if code is not None:
                c = int(code)
                if c == 0:
                    return False
                if c < 0:
                    sig = sig or _SIGNALS.get(-c)
                    code = str(128 - c)
                elif c > 128 and c - 128 in _SIGNALS:
                    sig = sig or _SIGNALS[c - 128]
            if sig and sig.isdigit():
                code = code or str(128 + int(sig))
                sig = _SIGNALS.get(int(sig), f"signal {sig}")
            if text:
                sig = sig or _SIGTEXT.get(text)
                if sig and code is None:
                    code = str(128 + next(n for n, s in _SIGNALS.items() if s == sig))
            if code is None and sig is None:
                continue
            f = Fault("signal" if sig else "exit", self.n(i), self.n(i), self.n(i), None, message=st[:500])
            if code is not None:
                f.facts["exit_code"] = code
                f.code = code
            if sig:
                f.facts["signal"] = sig
                f.type = sig
            command = gd.get("command") or gd.get("command2")
            if command:
                f.facts["command"] = command.strip()[:300]
            if rx in _DOCKER_EXITS:
                f.tool = "docker"  # a Dockerfile RUN step (BuildKit or the classic builder)
            self._add(f)
            return True
        return False

    def _shell_line(self, i: int, s: str) -> None:
        if "line" not in s and "not found" not in s and "unbound" not in s and "substitution" not in s and \
                "interpreter" not in s and "Permission denied" not in s and "Syntax error" not in s and \
                "No such file" not in s and "not recognized" not in s and "\\r" not in s and "\r" not in s:
            return
        st = s.strip()
        for kind, rx in _SHELL_PATTERNS:
            m = rx.search(st)
            if not m:
                continue
            gd = {k: v for k, v in m.groupdict().items() if v}
            if kind == "command_not_found":
                name = gd.get("name", "")
                # "npm ERR! 404 Not Found", "fatal: remote not found": not a shell reporting a command
                if not gd.get("shell") and not gd.get("line") and not st.startswith(("zsh:", "fish:", "'")) and \
                        not re.match(r"^[\w./-]+: (?:command )?not found$", st):
                    continue
                if "/" in name and not name.startswith(("./", "/")):
                    continue
            f = Fault("shell", self.n(i), self.n(i), self.n(i), "shell", tool=_shell_of(st), type=kind,
                      message=st[:500])
            for k, v in gd.items():
                if k in ("name", "script", "token", "expr", "interp", "line", "line2", "msg"):
                    f.facts[{"line2": "line", "msg": "detail"}.get(k, k)] = v.strip()[:200]
            if _SHELL_NAME.match(f.facts.get("script", "")):  # `bash: line 142: syntax error ...`: the code came
                f.facts["shell"] = f.facts.pop("script")  # from `-c` or standard input, not from a script file
            if kind == "command_not_found" and "name" in f.facts:
                f.facts["command"] = f.facts["name"]
            if kind == "bad_interpreter" and gd.get("cr"):
                f.facts["carriage_return"] = "yes"
            self._add(f)
            return

    # -- after the pass ---------------------------------------------------------------------------------

    def _attach_http_context(self) -> None:
        """An HTTP status inside an exception's message: the exception gains the HTTP facts (and language)."""
        for f in self.faults:
            if f.kind != "http":
                continue
            for e in self.faults:
                if e.kind == "exception" and e.start - 1 <= f.line <= e.end + 1:
                    f.language = f.language or e.language
                    f.tool = f.tool or e.tool
                    f.facts.setdefault("exc_type", e.short_type or "")
                    if f.frames == [] and e.frames:
                        f.frames = e.frames
                    if "vendor" not in f.facts:
                        v = next((v for mod, v in _VENDOR_MODULES if (e.type or "").startswith(mod)), None)
                        if v:
                            f.facts["vendor"] = v

    # -- a stack without its error line ----------------------------------------------------------------

    def _frame_of(self, s: str, inner: bool = False) -> tuple[str, Frame | None] | None:
        """(language, frame) when line `s` is a stack frame of a JVM, .NET, JS, Ruby, Rust or Go trace (a
        JVM or .NET frame also behind a log prefix the reader did not strip: `[App/0] ERR   at a.B.c(B.java:9)`);
        the frame is None for a line of a trace that names no place (`goroutine 1 [running]:`). None when it
        is no frame."""
        st = s.strip()
        if "py" in st:
            py = _python_frame(s, st)
            if py:
                return "python", py
        if not inner and st[:1] in _DOTNET_AT_FIRST and "(" in st:
            local = _DOTNET_LOCAL_AT.match(st)
            if local:  # a .NET frame in another language: `在 A.B() 位置 Y.cs:行号 12`, `bei A.B() in X.cs:Zeile 3`
                rest = st[local.end():]
                loc = _DOTNET_LOCAL_IN.search(rest)
                if loc:
                    rest = f"{rest[:loc.start() + 1]} in {loc['file']}:line {loc['line']}"
                got = self._frame_of("\tat " + rest, True)
                return got if got and got[0] == "csharp" else None
        if not inner and not st.startswith("at ") and (" at " in st or "\tat " in st) and st.endswith((")", "]")):
            got = self._frame_of("\t" + st[_AT_WORD.search(st).end() - 3:], True)
            return got if got and got[0] in ("java", "csharp") else None
        if st.startswith("at "):
            s = "\t" + st  # a pasted trace's first line often lost its indent
            if ".rs:" in st:
                r = _RUST_AT.match(s)
                return ("rust", Frame(r["file"], int(r["line"]), None, None, not is_library(r["file"]))) if r else None
            js = _JS_FRAME.match(s) or _JS_FRAME_NOLOC.match(s)
            if js:
                file = js.groupdict().get("file")
                return "javascript", Frame(file, int(js["line"]) if js.groupdict().get("line") else None,
                                           (js["func"] or "").removeprefix("async ") or None, None,
                                           not is_library(file or "node:"))
            if " in " in st and ":line " in st or st.endswith("()") or ", " in st or " " in st.split("(", 1)[-1]:
                d = _DOTNET_FRAME.match(s)
                if d:
                    return "csharp", Frame(d["file"], int(d["line"]) if d["line"] else None, d["func"], None,
                                           not (_LIB_PACKAGE.match(d["func"]) or is_library(d["file"])))
            j = _JAVA_FRAME.match(s)
            if j and (j["file"] is None or _JVM_FILE.match(j["file"])) and not st.endswith("()"):
                return "java", Frame(j["file"] if j["line"] else None, int(j["line"]) if j["line"] else None,
                                     j["func"], None, not _LIB_PACKAGE.match(j["func"] or ""))
            return None
        if "from " in st and ".rb" in st or st.endswith("'") and ":in " in st:
            r = _RUBY_FROM.match(s) or _RUBY_NUMBERED.match(s)
            if not r and (s[:1] in (" ", "\t") or st.endswith("'") and not st.startswith("from ")):
                r = _RUBY_FRAME.match(s)  # an unindented frame: the first line of a trace without its message
            if r:
                return "ruby", Frame(r["file"], int(r["line"]), r["func"], None, not is_library(r["file"]))
            return None
        if st[:1].isdigit() and " - " in st:
            r = _RUST_FRAME_ADDR.match(s)  # the address form is std's own: any symbol (`__rust_try`, `clone3`)
            if r:
                func = r["func"]
                lib = "::" not in func or func.startswith("<") or bool(_LIB_PACKAGE.match(func)) or \
                    func.startswith(("__", "std::", "core::", "alloc::", "rustc_"))
                return "rust", Frame(None, None, func, None, not lib)
        if st[:1].isdigit() and "::" in st:
            r = _RUST_FRAME_NO.match(s)
            if r and (" " not in r["func"] or r["func"].startswith("<") and " as " in r["func"]):
                func = r["func"]
                lib = func.startswith("<") or bool(_LIB_PACKAGE.match(func)) or func.startswith("__")
                return "rust", Frame(None, None, func, None, not lib)
            return None
        if st.startswith("goroutine ") and _GO_GOROUTINE.match(st):
            return "go", None
        return None

    def _notebook_error_fields(self) -> None:
        """A notebook's error as JSON: nbformat's output (`"ename": "X", "evalue": "msg"` above `"traceback": [`)
        or VS Code's copied cell error (`"name": "X", "message": "msg"` above `"stack": "`). Its traceback is
        escaped (ANSI colours as `\\u001b[..m`) or cut off, so the reader finds no last line: the two fields ARE
        that line. A cut-off Python traceback just under them becomes that exception (type and message)."""
        for f in self.faults:
            if f.kind != "truncated" or f.language != "python":
                continue
            top = f.start - self.base
            got: dict[str, tuple[int, str]] = {}
            for k in range(max(0, top - NOTEBOOK_FIELDS_ABOVE), top + 1):
                m = _NB_FIELD.match(self.lines[k])
                if m:
                    if (decoded := _nb_json(m["value"])) is not None:
                        got[m["key"]] = (k, decoded)
                elif _NB_BODY.match(self.lines[k]):
                    got["body"] = (k, "")
            name, value = got.get("ename") or got.get("name"), got.get("evalue") or got.get("message")
            if name is None or value is None or "body" not in got or not value[1] or \
                    not _NB_TYPE.match(name[1]) or ("ename" not in got and "message" not in got) or \
                    f.type and f.type.rsplit(".", 1)[-1] != name[1].rsplit(".", 1)[-1]:
                continue
            f.kind, f.type, f.message, f.line = "exception", name[1], value[1].strip()[:500], self.n(value[0])
            f.start = min(f.start, self.n(name[0]))
            f.facts.pop("frames_seen", None)
            _python_details(f)
        # an nbformat error output whose traceback the reader did not read at all (every frame on one escaped line)
        for i in self.nb_names:
            got = self._nb_fields(i)
            if got is not None and not any(f.start - self.base <= got[2] + 4 and f.end - self.base >= i
                                           for f in self.faults):
                name, message, at = got
                f = Fault("exception", self.n(at), self.n(i), self.n(at), "python", type=name, message=message[:500])
                _python_details(f)
                self._add(f)

    def _nb_fields(self, i: int) -> tuple[str, str, int] | None:
        """(type, message, line of the message) of nbformat's `"ename"` at line i, its `"evalue"` on one of the
        next two lines and its `"traceback"` within four: None when they are not all there."""
        lines = self.lines
        name = _NB_FIELD.match(lines[i])
        k = next((k for k in range(i + 1, min(i + 3, len(lines))) if _NB_FIELD.match(lines[k])), None)
        value = _NB_FIELD.match(lines[k]) if k is not None else None
        if not name or not value or name["key"] != "ename" or value["key"] != "evalue" or not any(
                (b := _NB_BODY.match(x)) and b["key"] == "traceback" for x in lines[k + 1:k + 5]):
            return None
        t, msg = _nb_json(name["value"]), _nb_json(value["value"])
        return (t, msg.strip(), k) if isinstance(t, str) and isinstance(msg, str) and _NB_TYPE.match(t) \
            and msg.strip() else None

    def _cut_off_frames(self) -> None:
        """A text that starts inside a stack trace (JVM, .NET, JS, Ruby, Rust or Go): frames with no error
        line above them, and none of that language anywhere in the text, is a trace cut off before its
        error line (like a Python traceback without its last line): a `truncated` fault that names the line
        that is missing (`missing`) and the innermost frame shown. Only near the top of the text: a few lines
        above the frames are allowed (a prompt, `stack backtrace:`), none of them an error."""
        lines = self.lines
        lead = 0
        first = None
        for i, s in enumerate(lines):
            if not s.strip():
                continue
            got = self._frame_of(s)
            if got:
                first = i, got[0]
                break
            if _ERRORISH.search(s) or _STATES_FAILURE.search(s):
                return  # an error line above the frames (or a message that states a failure without an error
                # word: Ruby's `cannot load such file -- x`): its trace was printed whole, nothing was cut off
            lead += 1
            if lead > CUT_OFF_LEAD:
                return
        if first is None:
            return
        start, lang = first
        if lang == "javascript" and start and _JS_THROWN.match(lines[start - 1]):
            return  # the line just above the first `at` line is the thrown value's own line: nothing was cut off
        if _EXC_BEFORE_AT.match(lines[start].strip()):
            return  # the exception's class is on the first frame's own line (`java.lang.OutOfMemoryError : at ...`)
        family = {"java": ("java", "kotlin")}.get(lang, (lang,))
        if any(f.language in family for f in self.faults if f.kind in ("exception", "panic", "compile", "truncated")):
            return  # its error line is there (a `Caused by:` below, a panic above ...): not cut off
        frames: list[Frame] = []
        func = None  # Go / Rust: a function line whose location line follows
        j = start
        while j < len(lines):
            s = lines[j]
            st = s.strip()
            got = self._frame_of(s)
            if got and got[0] == lang:
                fr = got[1]
                if fr is not None and lang == "python" and fr.code == _LINKED and frames and \
                        _basename(frames[-1].file) == _basename(fr.file):
                    if st.startswith(("-", ">")):  # the frame's own line: `--> [670](...)`
                        frames[-1].line = fr.line
                elif fr is not None and lang == "rust" and fr.file and frames and frames[-1].file is None:
                    frames[-1].file, frames[-1].line = fr.file, fr.line  # `at src/x.rs:3:5` under its function
                    frames[-1].user = fr.user and frames[-1].user
                elif fr is not None:
                    frames.append(fr)
            elif lang == "go" and (_GO_FRAME_LOC.match(s) or _GO_FRAME_FUNC.match(st) or
                                   st.startswith("created by ")):
                loc = _GO_FRAME_LOC.match(s)
                if loc:
                    frames.append(Frame(loc["file"], int(loc["line"]), func, None, not is_library(loc["file"], func)))
                else:
                    f = _GO_FRAME_FUNC.match(st)
                    func = f["func"] if f else None
            elif lang == "rust" and _RUST_INLINED.match(s):
                frames.append(Frame(None, None, st, None, False))  # an inlined function, std's or a crate's
            elif lang == "python" and (s[:1] in (" ", "\t") or _PY_NUMBERED_CODE.match(st) or _is_caret(st)) \
                    and not _PY_EXC.match(st):
                pass  # the source lines under a frame
            elif not _trace_filler(st, lang):
                break
            j += 1
        last = j - 1
        while last > start and not lines[last].strip():
            last -= 1
        if len(frames) < 2 and not (frames and frames[0].file and frames[0].line is not None and
                                    (lang in ("go", "csharp", "java", "ruby", "python"))):
            return  # one frame is enough where its shape tells the language without doubt
        if lang == "rust" and not any(f.file for f in frames) and \
                not any(x.strip() == "stack backtrace:" for x in lines[:start]) and \
                sum(1 for x in lines[start:j] if _RUST_FRAME_ADDR.match(x)) < 3:
            return  # numbered `a::b` lines alone may be any list (three of std's `N: 0x... - f` lines may not)
        if lang == "python":
            frames.reverse()  # printed outermost first
            for f in frames:
                f.code = None if f.code == _LINKED else f.code
        if lang == "java" and any(f.file and f.file.endswith((".kt", ".kts")) for f in frames if f.user):
            lang = "kotlin"
        missing = _MISSING["java" if lang == "kotlin" else lang]
        fault = Fault("truncated", self.n(last), self.n(start), self.n(last), lang, frames=frames,
                      facts={"frames_seen": str(len(frames)), "missing": missing})
        self._add(fault)

    def _interleaved(self) -> None:
        """A Python traceback read as cut off when a complete one of the same program follows it closely: two
        processes' or threads' tracebacks printed into each other (multiprocessing workers), or the same error
        logged twice. Its exception line is in the text (the later traceback's), so asking for it would send
        the user after nothing: the cut-off one is dropped and the complete one answers."""
        done = [f for f in self.faults if f.kind == "exception" and f.language == "python" and f.frames]
        for f in [f for f in self.faults if f.kind == "truncated" and f.language == "python" and not f.causes]:
            if any(g.start > f.start and g.start - f.end <= INTERLEAVE_LINES for g in done):
                self._drop(f)
            elif not f.frames and any(g.end < f.start and f.start - g.end <= INTERLEAVE_LINES for g in done):
                self._drop(f)  # a bare header after a complete traceback: the same error printed again, cut
        for f in self.faults:
            if f.language == "python" and f.kind in ("truncated", "exception") and f.frames:
                above = self._failure_above(f.start - self.base, set(), TELLING_LINES)
                if above:
                    f.facts["above"] = above  # what the program printed just before its traceback began

    def _cut_python(self) -> None:
        """What a cut-off Python traceback still says (errdiag.pycut): where its frames stop and whose code that
        is; when the text names its type (IPython's header) what that type means raised there (`reason:
        type-shown`); when it was raised while handling an exception printed whole above it (a chain whose last
        traceback is cut), where that one was raised (`reason: handled-shown`; not after a library's own flow
        control, `anyio.WouldBlock`, `StopIteration`: the exception raised while handling it is the failure)."""
        from .pycut import FLOW_CONTROL, RAISE_SPAN, cut_facts, raised_with
        for f in self.faults:
            if f.kind != "truncated" or f.language != "python" or not f.frames:
                continue
            if f.type:
                reason = "type-shown"
            elif f.causes and f.causes[-1][1] and f.causes[-1][0].rsplit(".", 1)[-1] not in FLOW_CONTROL:
                handled = [g for g in self.faults if g.handled and g.end < f.start and g.frames]
                if not handled:
                    continue
                g = max(handled, key=lambda g: g.end)
                inner = next((x for x in g.frames if where_lives(x.file) != TOOL), g.frames[0])
                f.facts.setdefault("cause_frame", inner.describe())  # past the standard library's own frames
                reason = "handled-shown"
            else:
                continue  # a plain cut-off traceback keeps its answer (and its stored grades) as it was
            inner = next((x for x in f.frames if x.file), None)
            owner = owner_of(inner.file or "") if inner is not None and where_lives(inner.file) in (DEPENDENCY, TOOL) \
                else ""
            f.facts.update({k: v for k, v in cut_facts(f.type, f.frames, owner).items() if k not in f.facts})
            f.facts.setdefault("reason", reason)
            if f.type:
                lo = max(f.start, f.end - RAISE_SPAN) - self.base
                said = raised_with(f.type, self.lines[lo:f.end - self.base + 1])
                if said:  # the innermost frame's own line raises it, with this message (`raise ValueError("...")`)
                    f.facts["raised_with"] = said
                    f.facts["raised_says"] = f'The last frame\'s own line raises it with the message "{said}".'
                    f.facts["cut_fix"] = (f"Read the message the raise at {f.facts.get('stops_at', 'the last frame')} "
                                          f"gives, \"{said[:200]}\": it says what the call passed that it does not "
                                          "accept; change that argument (or the setup it names) and run again")

    def _exit_causes(self) -> None:
        """An exit status printed after an error: the error above is why the command failed. Without an
        error the reader knows above it, a wrapper's status line (make, a CI runner, MSBuild, docker build)
        gets the nearest line above it that reads as a failure (`ERROR: ...`, `fatal: ...`, `go: ...`) as
        its `cause` (no `cause_line`: no other answer is about that line)."""
        exit_lines = {f.line for f in self.faults if f.kind in ("exit", "signal")}
        other_lines = {f.line for f in self.faults if f.kind not in ("exit", "signal")}
        for f in self.faults:
            if f.kind in _WRAPPER_KINDS:  # a unit's status: its program's own lines in the journal under it
                got = self._failure_below(f.line - self.base, exit_lines) or \
                    self._journal_cause_above(f.start - self.base, exit_lines)
                if got:
                    f.child_says, f.cause_at = got[0][:300], self.n(got[1])
            if f.kind not in ("exit", "signal"):
                continue
            before = [e for e in self.faults
                      if e.kind not in ("exit", "signal") and f.line - 40 <= e.line < f.line]
            # a wrapper's own report (a unit's status header) is no cause: its child's lines under it are
            got = self._failure_below(before[-1].end - self.base, exit_lines) \
                if before and before[-1].kind in _WRAPPER_KINDS else None
            if got:
                f.facts.setdefault("cause", got[0][:300])
                f.cause_at = self.n(got[1])
            elif before:
                e = before[-1]
                what = f"{e.short_type}: {e.message}" if e.type and e.message else e.message or e.type or ""
                f.facts.setdefault("cause", what[:300])
                f.facts.setdefault("cause_line", str(e.line))
            elif f.line not in other_lines:
                got = self._failure_line_above(f.line - self.base, exit_lines)
                if got:
                    f.facts.setdefault("cause", got[0][:300])
                    f.cause_at = self.n(got[1])

    def _failure_below(self, i: int, exit_lines: set[int]) -> tuple[str, int] | None:
        """The line under a wrapper's report (below line i, within CAUSE_LINES) that says most about why its child
        failed: a line naming what was not found, missing, denied or refused before any other error-shaped line (a
        unit's journal: `conmon <error>: Failed to create container: exit status 1`, then the runtime's `executable
        file `/app/x` not found in $PATH: No such file or directory`), the last of equals. systemd's and the
        kernel's own lines are skipped."""
        stop = {m["pid"] for x in self.lines[max(0, i - CAUSE_LINES):i + 1 + CAUSE_LINES]
                for m in [_STOP_PROCESS.match(x)] if m}
        best: tuple[int, str, int] | None = None
        for k in range(i + 1, min(len(self.lines), i + 1 + CAUSE_LINES)):
            journal = _JOURNAL.match(self.lines[k].strip())
            if journal and journal["pid"] in stop:
                continue  # the stop command's own complaint (`kill: cannot find process ""`)
            st = self._own_words(self.lines[k].strip())
            if not st or self.n(k) in exit_lines or _NOT_A_CAUSE.search(st) or _WRAPPER_SAYS.search(st) or \
                    _BARE_STATUS.match(st):
                continue
            rank = 2 if _CAUSE_PHRASE.search(st) else 1 if _failure_shaped(st) else 0
            if rank and (best is None or rank >= best[0]):  # of equals, the last: the child's last words
                best = (rank, st, k)
        return (best[1], best[2]) if best else None

    def _journal_cause_above(self, i: int, exit_lines: set[int]) -> tuple[str, int] | None:
        """In the journal (`journalctl -u`, `-xe`, syslog) a unit's program writes before systemd reports its exit: of
        the program's own lines above line i (within CAUSE_LINES; systemd's and the kernel's skipped, and only while
        the lines are the journal's), the one that says most (what was not found, denied or refused, then any
        failure-shaped line), the nearest of equals. None when line i is not a journal line."""
        if not _JOURNAL.match(self.lines[i].strip()):
            return None
        best: tuple[int, str, int] | None = None
        for k in range(i - 1, max(-1, i - 1 - CAUSE_LINES), -1):
            raw = self.lines[k].strip()
            if not raw:
                continue
            if not _JOURNAL.match(raw):
                break
            st = self._own_words(raw)
            if not st or self.n(k) in exit_lines or _NOT_A_CAUSE.search(st) or _BARE_STATUS.match(st):
                continue
            rank = 2 if _CAUSE_PHRASE.search(st) else 1 if _failure_shaped(st) else 0
            if rank and (best is None or rank > best[0]):
                best = (rank, st, k)
        return (best[1], best[2]) if best else None

    @staticmethod
    def _own_words(st: str) -> str:
        """A journal line's message (the program's own words); '' for systemd's and the kernel's own lines."""
        journal = _JOURNAL.match(st)
        if journal is None:
            return st
        return "" if journal["prog"] in _JOURNAL_OWN else st[journal.end():].strip()

    def _failure_above(self, i: int, exit_lines: set[int], span: int = 0) -> str | None:
        got = self._failure_line_above(i, exit_lines, span)
        return got[0] if got else None

    def _failure_line_above(self, i: int, exit_lines: set[int], span: int = 0) -> tuple[str, int] | None:
        """The nearest line above line i (within CAUSE_LINES) that reads as a failure, with the indented
        lines under it when it ends in ':' (Go's `go: x@v: version constraints conflict:` + its reasons), and its
        index. Skipped on the way: blank, progress and warning lines, make's own lines, other exit statuses and a
        wrapper's restatement of the failure it passes on (`ERROR: Failed to build gem native extension.`)."""
        lines = self.lines
        for k in range(i - 1, max(-1, i - 1 - (span or CAUSE_LINES)), -1):
            # a journal line: the program's own message counts, systemd's and the kernel's do not
            st = self._own_words(lines[k].strip())
            if not st or self.n(k) in exit_lines or _MAKE_OWN.match(st) or _NOT_A_CAUSE.search(st) or \
                    _WRAPPER_SAYS.search(st):
                continue
            if _failure_shaped(st) or span and _TELLING.search(st):
                if st.endswith(":"):
                    more = []
                    for x in lines[k + 1: i]:
                        if not x[:1].isspace() or not x.strip():
                            break
                        more.append(x.strip())
                    if not more and span and k + 1 < i and lines[k + 1].strip():
                        more.append(lines[k + 1].strip())  # `Last error:` and its message on the next line
                    st = " ".join([st] + more)
                return st, k
        return None

    # -- Julia, Elixir / Erlang, R: languages read by their own error shapes -------------------------------

    def _cmake_error(self, i: int, st: str) -> int | None:
        """CMake's `CMake Error at FILE:LINE (COMMAND):` and the message indented under it (up to a blank line followed
        by an unindented one, or its `Call Stack`): a `config` fault of tool `cmake` with facts `file`, `line`,
        `command` and `origin` (`project`: the project's own CMake code, often its own `message(FATAL_ERROR ...)`
        check whose words say what is missing; `cmake-module`: one of CMake's Find modules). `CMake Error: message`
        alone (an option or a path CMake itself refused) has no file."""
        m = _CMAKE_ERROR.match(st)
        if m is None:
            return None
        lines = self.lines
        words = [m["msg"].strip()] if m["msg"].strip() else []
        j = i + 1
        while j < len(lines) and j < i + 40:
            x = lines[j]
            if not x.strip():
                after = lines[j + 1] if j + 1 < len(lines) else ""
                if after[:2] == "  " and not after.strip().startswith("Call Stack"):
                    j += 1
                    continue
                break
            if x[:1] not in (" ", "\t") or x.strip().startswith("Call Stack"):
                break
            words.append(x.strip())
            j += 1
        message = " ".join(words)[:500]
        if not message:
            return None
        fault = Fault("config", self.n(i), self.n(i), self.n(max(i, j - 1)), None, tool="cmake", type="CMake Error",
                      message=message)
        if m["file"]:
            fault.facts.update(file=m["file"], line=m["line"], command=m["command"],
                               origin="cmake-module" if _CMAKE_MODULE.search(m["file"]) else "project")
        self._add(fault)
        return j

    def _other_language(self, i: int, st: str) -> int | None:
        """A Julia, Elixir, Erlang or R error line (with its frames): the line after its block, or None. Each
        shape is gated on the language's own wording, so no other language's line is taken for it."""
        if st.startswith("** ("):
            return self._elixir(i, st)
        if st.startswith("** exception "):
            return self._erlang(i, st)
        if st.startswith("Error"):
            got = self._r_error(i, st)
            if got is not None:
                return got
        if ("Error" in st or "Exception" in st or st.startswith("ERROR: ")) and _JULIA_EXC.match(st):
            return self._julia(i, st)
        if st.startswith("ERROR: ") and i + 2 < len(self.lines) and self.lines[i + 1].startswith("Stacktrace:") \
                and _JULIA_FRAME.match(self.lines[i + 2]):
            return self._julia(i, st)  # `error("...")`: Julia prints its message without a type
        return None

    def _julia(self, i: int, st: str) -> int | None:
        """`ERROR: [LoadError: ]Type: message` (or the same line without `ERROR: `, as Jupyter prints it) and
        the `Stacktrace:` under it: ` [1] f(x::Int64)` + `   @ Main ~/a.jl:3` (Julia 1.6+), ` [1] f at ./a.jl:3`
        (0.7-1.5) or ` in f at ./a.jl:3` (0.6). A Julia-only type is Julia's; a type other languages share
        (`ArgumentError`, `KeyError` ...) only with Julia's frames or its `in expression starting at` line."""
        lines = self.lines
        m = _JULIA_EXC.match(st) or _JULIA_PLAIN.match(st)
        assert m
        t = m["type"] or "ErrorException"
        short = t.rsplit(".", 1)[-1]
        end = min(len(lines), i + 14)
        trace = next((k for k in range(i + 1, end) if lines[k].startswith("Stacktrace:")
                      or _JULIA_OLD_FRAME.match(lines[k]) or lines[k].startswith("in expression starting at ")), None)
        own = m["load"] or st.startswith("ERROR: ") and (_JULIA_KEY.match(m["msg"] or "") or
                                                          _JULIA_PACKAGE.match(m["msg"] or "") or
                                                          _JULIA_OWN_WORDING.search(m["msg"] or ""))
        if short not in _JULIA_TYPES and not own and (trace is None or not st.startswith("ERROR: ") and
                                                      not lines[trace].startswith("Stacktrace:")):
            return None  # a type other languages have too (`KeyError: 'a'`), without Julia's wording or frames
        if not st.startswith("ERROR: ") and trace is None and not m["load"]:
            return None  # a bare `UndefVarError: x` without Julia's banner or frames may be any log's line
        msg = (m["msg"] or "").strip()
        j = i + 1
        nxt = lines[j].strip() if j < len(lines) else ""
        if (m["sep"] == " with " or not msg) and nxt and not nxt.startswith(("Stacktrace:", "SYSTEM")):
            msg = f"{msg} {nxt}".strip()  # `DomainError with -1.0:` and its message on the next line
            j += 1
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "julia", tool="julia", type=t,
                      message=msg[:500])
        if m["load"]:
            fault.facts["load_error"] = "yes"
        got = _JULIA_UNDEF.match(msg)
        if got and short == "UndefVarError":
            fault.facts["name"] = got["name"]
        got = _JULIA_NO_METHOD.match(msg)
        if got and short == "MethodError":
            fault.facts["func"] = got["func"]
            fault.facts["arg_types"] = got["args"]
        got = _JULIA_KEY.match(msg)
        if got and short == "KeyError":
            fault.facts["key"] = got["key"]
        got = _JULIA_PACKAGE.match(msg)
        if got and short == "ArgumentError":
            fault.facts["package"] = got["package"]
        func = None
        stack = False  # after `Stacktrace:` (MethodError's candidates above it have `@ Base file:line` lines too)
        while j < len(lines) and j < i + 400:
            s = lines[j]
            ss = s.strip()
            stack = stack or ss.startswith("Stacktrace:")
            new = stack and _JULIA_FRAME.match(s)
            at = stack and _JULIA_AT.match(s)
            old = not ss.startswith("in expression") and _JULIA_OLD_FRAME.match(s)
            if new:
                func = new["func"]
                if new["file"]:
                    fault.frames.append(_julia_frame(None, new["file"], new["line"], func, old=True))
                    func = None
            elif at:
                fault.frames.append(_julia_frame(at["mod"], at["file"], at["line"], func))
                func = None
            elif old:
                fault.frames.append(_julia_frame(None, old["file"], old["line"], old["func"].strip(), old=True))
            elif ss.startswith(("in expression starting at ", "while loading ")):
                loc = re.search(r"(?P<file>\S+?\.jl)(?::(?P<line>\d+)|, in expression starting on line (?P<l2>\d+))",
                                ss)
                if loc:
                    fault.frames.append(Frame(loc["file"], int(loc["line"] or loc["l2"]), None, None,
                                              not _julia_library(None, loc["file"])))
                j += 1
                break
            elif ss.startswith("caused by:") or (ss.startswith("ERROR: ") and fault.frames) or not (
                    not ss or ss.startswith(_JULIA_FILLER) or s[:1] in (" ", "\t") and not fault.frames):
                break  # a chained exception (`caused by:`), the next error, or output after the trace
            j += 1
        if j < len(lines) and lines[j].startswith("SYSTEM") and "caused an error" in lines[j]:
            fault.handled = True  # the REPL failed to show this error (a display package's own bug): the error
            # raised while showing it, printed next, is the failure; this one was often provoked on purpose
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _elixir(self, i: int, st: str) -> int | None:
        """`** (KeyError) key :x not found in: %{}` and the frames under it: `(app 1.0) lib/a.ex:3: M.f/2`,
        `lib/a.ex:3: M.f/2` (the project's own, or an escript's), `iex:3: (file)`. `** (Mix) ...` is Mix's own
        error (no frames). A `** (CompileError) lib/a.ex:3: ...` names its file in the message."""
        lines = self.lines
        m = _ELIXIR_EXC.match(st)
        if not m:
            return None
        t = m["type"]
        msg = (m["msg"] or "").strip()
        j = i + 1
        while not msg and j < len(lines) and lines[j].strip() and not _ELIXIR_FRAME.match(lines[j]):
            msg = lines[j].strip()  # a long message printed on the lines under the type
            j += 1
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "elixir", tool="mix" if t == "Mix" else "elixir",
                      type=t, message=msg[:500])
        key = _ELIXIR_KEY.match(msg)
        if key and t == "KeyError":
            fault.facts["key"] = key["key"]
            if key["map"]:
                fault.facts["term"] = key["map"][:200]
        fn = _ELIXIR_UNDEF.match(msg)
        if fn and t == "UndefinedFunctionError":
            fault.facts["func"] = fn["func"] or fn["func2"]
            if fn["module"]:
                fault.facts["module"] = fn["module"]
        fc = re.match(r"^no function clause matching in (?P<func>\S+/\d+)", msg)
        if fc and t == "FunctionClauseError":
            fault.facts["func"] = fc["func"]
        mm = re.match(r"^no match of right hand side value: (?P<term>.+)$", msg)
        if mm and t == "MatchError":
            fault.facts["term"] = mm["term"][:200]
        loc = re.match(r"^(?P<file>[^\s:]+\.exs?):(?P<line>\d+)(?::\d+)?: (?P<rest>.+)$", msg)
        if loc and t in ("CompileError", "SyntaxError", "TokenMissingError", "MismatchedDelimiterError"):
            fault.frames.append(Frame(loc["file"], int(loc["line"]), None, None,
                                      not _elixir_library(None, loc["file"])))
            fault.message = loc["rest"][:500]
        while j < len(lines) and j < i + 200:
            f = _ELIXIR_FRAME.match(lines[j])
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]) if f["line"] else None, f["func"], None,
                                          not _elixir_library(f["app"], f["file"])))
            elif lines[j].strip() and not lines[j].strip().startswith("expanding macro:") and \
                    not (lines[j][:1] in (" ", "\t") and not fault.frames):
                break
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _erlang(self, i: int, st: str) -> int | None:
        """The Erlang shell's `** exception error: no match of right hand side value 2` and its `in function`
        / `in call from` lines (`mod:fun/1 (src/mod.erl, line 5)`). The type is the error's atom
        (badmatch, function_clause, undef, badarg, badarith, case_clause ...)."""
        lines = self.lines
        m = _ERLANG_EXC.match(st)
        if not m:
            return None
        msg = m["msg"].strip()
        t = next((atom for rx, atom in _ERLANG_ATOMS if re.match(rx, msg)), m["cls"])
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "erlang", tool="erlang", type=t, message=msg[:500])
        j = i + 1
        while j < len(lines) and j < i + 60:
            f = _ERLANG_FRAME.match(lines[j].strip())
            if f:
                fault.frames.append(Frame(f["file"], int(f["line"]) if f["line"] else None, f["func"], None,
                                          not is_library(f["file"])))
            elif lines[j][:1] not in (" ", "\t") or not lines[j].strip():
                break
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _r_error(self, i: int, st: str) -> int | None:
        """R's `Error in f(x) : message` (the message on the next line when it is long), `Error: message` and
        rlang's `Error in `f()`:` / `! message`; `Calls: a -> b -> f` and `Execution halted` under it. Taken
        only in R's own shapes: a call before ` : ` (R puts a space before the colon), or R's markers around
        (`Execution halted`, `Calls:`, `In addition:`, `Backtrace:`, rlang's hints) or one of R's messages."""
        lines = self.lines
        m = _R_ERROR_IN.match(st) or _R_ERROR_BARE.match(st)
        if not m:
            return None
        got = m.groupdict()
        call = got.get("tick") or got.get("call") or ""
        msg = (got.get("msg") or "").strip()
        j = i + 1
        while j < len(lines) and j < i + 6 and lines[j].strip() and (not msg or msg.endswith(":")):
            x = lines[j].strip()  # the message under `Error in f(x) :`, rlang's `! message`, a continued line
            if x.startswith(("! ", "Error")) or lines[j][:1] in (" ", "\t"):
                msg = f"{msg} {x[2:].strip() if x.startswith('! ') else x}".strip()
            elif not x.startswith(("ℹ", "✖", "Caused by error")):
                break
            j += 1
        if not msg:
            return None
        around = "\n".join(lines[max(0, i - 3): i + 8])
        r_shape = bool(got.get("call") and re.search(r" :(?: |$)", st) and _R_CALL.match(call)) or bool(got.get("tick"))
        if not (r_shape or _R_MARKERS.search(around) or _R_MESSAGES.search(msg)):
            return None  # `Error in processing: ...` is prose, not R
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "r", tool="R", type="error", message=msg[:500])
        if call:
            fault.facts["call"] = call.strip("`")[:200]
        for rx, key, kind in _R_FACTS:  # the kind of R error its message names (R prints no class)
            got = rx.search(msg)
            if got:
                fault.facts[key] = got[key]
                fault.type = fault.type if fault.type != "error" else kind
        while j < len(lines) and j < i + 40:
            x = lines[j].strip()
            if x.startswith("Calls: "):  # Rscript's call chain, outermost first: function names without files
                fault.facts["calls"] = x[len("Calls: "):][:300]
            elif not (x.startswith(("Execution halted", "In addition:", "Warning message", "Backtrace:",
                                    "Run `rlang::", "Timing stopped at:", "Type .Last.error")) or not x
                      or lines[j][:1] in (" ", "\t") and fault.facts.get("calls") is None):
                break
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    # -- Lua, Dart, Zig, OCaml: languages read by their own error shapes (round 13) ----------------------------

    def _new_language(self, i: int, st: str) -> int | None:
        """A Lua, Dart, Zig or OCaml error (its block read): the line after it, or None."""
        if "attempt to " in st:
            got = self._lua(i, st)
            if got is not None:
                return got
        if "nhandled exception:" in st or "nhandled Exception:" in st:
            return self._dart_exception(i, st)
        if ": Error: " in st and ".dart:" in st:
            return self._dart_compile(i, st)
        if ": error: " in st and ".zig" in st:
            return self._zig(i, st)
        if st.startswith('File "') and st.endswith(":"):
            return self._ocaml(i, st)
        return None

    def _lua(self, i: int, st: str) -> int | None:
        """Lua's runtime error `file.lua:3: attempt to index a nil value (local 'x')` (5.1's `attempt to index
        local 'x' (a nil value)`), after any prefix a host adds (`lua: `, nginx's `runtime error: `, a game's
        `SCRIPT ERROR: `), and the `stack traceback:` under it (`file.lua:3: in function 'f'`, `[C]: in ?`)."""
        m = _LUA_ERR.search(st)
        if not m:
            return None
        lines = self.lines
        msg = m["msg"].strip()
        op = m["op"] or "bad argument"
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "lua", tool="lua",
                      type=_LUA_OPS.get(op, op.replace(" ", "_")), message=msg[:500])
        who = _LUA_WHO.search(msg)
        if who:
            fault.facts["name"] = who["name"] or who["name2"]
            fault.facts["lua_scope"] = who["scope"] or who["scope2"]
        what = _LUA_VALUE.search(msg)
        if what:
            fault.facts["value_type"] = what["value"]
        fault.frames.append(Frame(m["file"], int(m["line"]), None, None, not _lua_library(m["file"])))
        j = i + 1
        end = min(len(lines), i + 80)
        while j < end:
            x = lines[j].strip()
            f = _LUA_FRAME.match(x)
            if f:
                file = f["file"]
                ln = int(f["line"]) if f["line"] else None
                if not (fault.frames and fault.frames[-1].file == file and fault.frames[-1].line == ln
                        and len(fault.frames) == 1):
                    fault.frames.append(Frame(file, ln, _lua_func(f["func"]), None,
                                              not (file.startswith(("[C]", "(tail")) or _lua_library(file))))
                elif f["func"]:
                    fault.frames[0].func = _lua_func(f["func"])
            elif not (x in ("stack traceback:", "Stack traceback:", "Traceback", "coroutine 0:") or not x
                      or x.startswith("Traceback [")):
                break
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _dart_exception(self, i: int, st: str) -> int | None:
        """The Dart VM's `Unhandled exception:` with the message on the next line, Flutter's `[ERROR:...]
        Unhandled Exception: message`, and the `#0      main (file:///a.dart:3:5)` frames under them (Flutter's
        newer two-line frames `#0      f` + `package:a/b.dart:40` too). Taken only with Dart's frames or one of
        Dart's own messages, so .NET's `Unhandled Exception: System.X` stays .NET's."""
        lines = self.lines
        low = st.lower()
        k = low.find("unhandled exception:")
        if k < 0:
            return None
        msg = st[k + len("unhandled exception:"):].strip()
        j = i + 1
        if not msg and j < len(lines) and lines[j].strip() and not _DART_FRAME.match(_dart_line(lines[j])):
            msg = lines[j].strip()
            j += 1
        if not msg:
            return None
        flutter = "flutter" in st[:k] or "dart" in st[:k]
        follows = j < len(lines) and bool(_DART_FRAME.match(_dart_line(lines[j])) or
                                          _DART_FRAME_FUNC.match(_dart_line(lines[j])))
        if not (follows or flutter or _DART_MESSAGES.match(msg)) or msg.startswith("System."):
            return None
        t = next((name for rx, name in _DART_TYPES if rx.match(msg)), None)
        if t is None:
            named = _DART_NAMED.match(msg)
            t = named["type"] if named else "Exception"
        fault = Fault("exception", self.n(i), self.n(i), self.n(i), "dart", tool="flutter" if flutter else "dart",
                      type=t, message=msg[:500])
        cast = _DART_CAST.search(msg)
        if cast:
            fault.facts["got_type"], fault.facts["want_type"] = cast["got"], cast["want"]
        end = min(len(lines), j + 80)
        while j < end:
            x = _dart_line(lines[j])
            f = _DART_FRAME.match(x)
            two = _DART_FRAME_FUNC.match(x) if not f else None
            if f:
                fault.frames.append(_dart_frame(f["file"], f["line"], f["func"]))
            elif two and j + 1 < len(lines) and _DART_PLAIN_LOC.match(_dart_line(lines[j + 1])):
                loc = _DART_PLAIN_LOC.match(_dart_line(lines[j + 1]))
                fault.frames.append(_dart_frame(loc["file"], loc["line"], two["func"]))
                j += 1
            elif not (x in ("<asynchronous suspension>", "") or x.startswith(("...", "<"))):
                break
            j += 1
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _dart_compile(self, i: int, st: str) -> int | None:
        """The Dart front end's `lib/main.dart:21:36: Error: message` (also under `compiler message: ` and
        `ERROR: ` prefixes) with the source line and caret under it."""
        m = _DART_COMPILE.search(st)
        if not m:
            return None
        fault = Fault("compile", self.n(i), self.n(i), self.n(i), "dart", tool="dart", type="error",
                      message=m["msg"].strip()[:500])
        fault.frames.append(_dart_frame(m["file"], m["line"], None))
        undefined = _DART_UNDEFINED.search(m["msg"])
        if undefined:
            fault.facts["name"] = undefined["name"]
        self._add(fault)
        return i + 1

    def _zig(self, i: int, st: str) -> int | None:
        """Zig's `src/main.zig:3:5: error: message` (and `build.zig.zon`'s), its `note:` lines and the
        `referenced by:` list under it (`name: file.zig:L:C`): the reference list is the error's call path."""
        m = _ZIG_DIAG.match(st)
        if not m:
            return None
        lines = self.lines
        file = m["file"]
        fault = Fault("compile", self.n(i), self.n(i), self.n(i), "zig", tool="zig", type="error",
                      message=m["msg"].strip()[:500])
        fault.frames.append(Frame(file, int(m["line"]), None, None, not _zig_library(file)))
        member = _ZIG_MEMBER.search(m["msg"])
        if member:
            fault.facts["member"] = member["m1"] or member["m2"] or member["m3"]
            fault.facts["container"] = member["c1"] or member["c2"] or member["c3"]
        j = i + 1
        end = min(len(lines), i + 60)
        refs = False
        while j < end:
            x = lines[j].strip()
            note = _ZIG_DIAG.match(x)
            if note and note["kind"] == "note":
                if "declared here" in note["msg"] and _zig_library(note["file"]):
                    fault.facts["declared_in"] = "std"  # the thing the code names belongs to Zig's std
                j += 1
                continue
            if note or _ZIG_DIAG_ERROR.match(x):
                break
            if x == "referenced by:":
                refs = True
            elif refs and _ZIG_REF.match(x):
                r = _ZIG_REF.match(x)
                fault.frames.append(Frame(r["file"], int(r["line"]), r["func"], None, not _zig_library(r["file"])))
            elif not x or refs and not (x.startswith("remaining reference") or "reference(s) hidden" in x):
                break  # the quoted source, carets and notes go on until a blank line or the reference list's end
            j += 1
        version = _ZIG_VERSION.search("\n".join(lines[max(0, i - 3): j]))
        if version:
            fault.facts["zig_version"] = version["version"] or version["v2"]
        fault.end = self.n(j - 1)
        self._add(fault)
        return j

    def _ocaml(self, i: int, st: str) -> int | None:
        """OCaml's `File "x.ml", line 3, characters 4-9:` (dune adds the source line and carets under it) and the
        `Error: message` below, continued on indented lines: `Unbound module X`, `Unbound value x`, `This
        expression has type A but an expression was expected of type B`, dune's `Library "x" not found`."""
        m = _OCAML_LOC.match(st)
        if not m:
            return None
        lines = self.lines
        j = i + 1
        end = min(len(lines), i + 14)
        while j < end and not lines[j].strip().startswith("Error"):
            x = lines[j].strip()
            if x.startswith(("File \"", "Warning")) or not x:
                return None
            j += 1
        if j >= end:
            return None
        e = _OCAML_ERROR.match(lines[j].strip())
        if not e:
            return None
        msg = e["msg"].strip()
        k = j + 1
        while k < len(lines) and k < j + 8 and lines[k][:1] in (" ", "\t") and lines[k].strip() and \
                not lines[k].strip().startswith(("File \"", "Command exited", "Error")):
            msg = f"{msg} {lines[k].strip()}"
            k += 1
        t = "error"
        fault = Fault("compile", self.n(j), self.n(i), self.n(k - 1), "ocaml", tool="ocaml", type=t,
                      message=msg[:500])
        for rx, kind in _OCAML_KINDS:
            got = rx.search(msg)
            if got:
                fault.type = kind
                fault.facts.update({key: val for key, val in got.groupdict().items() if val})
                break
        if e["alert"]:
            fault.type = "warning_as_error" if "arning" in e["alert"] else fault.type
        file = m["file"]
        fault.frames.append(Frame(file, int(m["line"]), None, None, not _ocaml_library(file)))
        self._add(fault)
        return k


# ---------------------------------------------------------------------------------------------------------
# Julia, Elixir / Erlang, R (read by _Reader._other_language)

# Julia's own exception types (a line with one of these is Julia's); the others it shares with Python/JS are taken
# only with Julia's frames
_JULIA_TYPES = frozenset("""
UndefVarError MethodError BoundsError DomainError DimensionMismatch InexactError LoadError UndefKeywordError
InitError StringIndexError UndefRefError TaskFailedException CompositeException ErrorException PkgError
SingularException PosDefException LAPACKException CanonicalIndexError MissingException ReadOnlyMemoryError
ProcessFailedException
""".split())  # noqa: SIM905
_ERLANG_EXC = _rx(r"^\*\* exception (?P<cls>error|exit|throw): (?P<msg>.*)$")
_JULIA_EXC = _rx(r"^(?:ERROR: )?(?P<load>(?:(?:LoadError|InitError)(?: \([^)]*\))?: )+)?"
                 r"(?P<type>(?:[A-Z]\w*\.)*[A-Z]\w*(?:Error|Exception|Mismatch|Failure))(?:\{[^}]*\})?"
                 r"(?:(?P<sep>: | with )(?P<msg>.*))?$")
_JULIA_PLAIN = _rx(r"^ERROR: (?P<load>(?:LoadError: )+)?(?P<type>)(?P<sep>)(?P<msg>.+)$")  # error("..."): no type
_JULIA_FRAME = _rx(r"^\s*\[(?P<n>\d+)\] (?P<func>.+?)(?: at (?P<file>\S+?):(?P<line>\d+)(?: \[inlined\])?)?\s*$")
_JULIA_AT = _rx(r"^\s+@ (?:(?P<mod>[A-Z][\w.]*) )?(?P<file>(?:[~/.\\]|[A-Za-z]:|REPL\[|In\[|none)\S*?):(?P<line>\d+)"
                r"(?: \[inlined\])?\s*$")
_JULIA_OLD_FRAME = _rx(r"^\s*in (?P<func>\S.*?) at (?P<file>\S+?\.jl):(?P<line>\d+)(?: \[inlined\])?\s*$")
_JULIA_UNDEF = _rx(r"^`?(?P<name>[^`\s]+)`? not defined")
_JULIA_NO_METHOD = _rx(r"^no method matching (?P<func>[^(\s]+)\((?P<args>.*)\)")
_JULIA_KEY = _rx(r"^key (?P<key>.+) not found$")
_JULIA_PACKAGE = _rx(r"^(?:Package|Module) (?P<package>[A-Za-z_]\w*) (?:\[[0-9a-f-]+\] )?"
                     r"(?:not found in current path|is required but does not seem to be installed)")
# lines inside a Julia error's block that are no frames: MethodError's candidates, hints, folded frames, logging boxes
_JULIA_FILLER = ("Stacktrace:", "Closest candidates are:", "⋮", "@ ", "Use `err`", "Suggestion:", "Hint:", "- Run `",
                 "[", "┌", "│", "└", "Some type information", "The function", "Main.", "+(", "Possible")
# messages only Julia words so, for types it shares with other languages (TypeError, ArgumentError ...)
_JULIA_OWN_WORDING = _rx(r"in typeassert, expected |non-boolean \(\S+\) used in boolean context|"
                         r"^in \S+, expected \S.*, got (?:a value of type )?\S")
_JULIA_STDLIB = frozenset("""
Base Core Pkg REPL InteractiveUtils LinearAlgebra Statistics Random Distributed SparseArrays Test Dates Printf
Serialization Sockets Logging Markdown Downloads Artifacts LibGit2 TOML FileWatching Libdl Mmap SharedArrays Profile
UUIDs Unicode DelimitedFiles Future LibCURL NetworkOptions Tar SHA Compiler
""".split())  # noqa: SIM905
_JULIA_LIB_PATH = _rx(r"[/\\]\.julia[/\\](?:packages|juliaup|artifacts|v\d[\d.]*)[/\\]|[/\\]share[/\\]julia[/\\]|"
                      r"[/\\]julia[/\\](?:base|stdlib)[/\\]")


# a Go module path in a frame: its function (`github.com/github/git-lfs/commands.requireStdin`) or its file under a
# GOPATH or module cache (`.../src/github.com/vorteil/vorteil/cmd/main.go`, `.../pkg/mod/github.com/x/y@v1.2/z.go`)
_GO_MODULE_FUNC = _rx(r"^(?P<m>(?:github\.com|gitlab\.com|bitbucket\.org)/[\w-]+/[\w-]+|gopkg\.in/[\w-]+(?:\.v\d+)?|"
                      r"(?:go\.[\w-]+\.io|[\w-]+\.(?:io|org|dev|net))/[\w-]+)(?=[/.(])")
_GO_MODULE_FILE = _rx(r"[/\\](?:src|pkg[/\\]mod)[/\\](?P<m>(?:github\.com|gitlab\.com|bitbucket\.org|gopkg\.in)"
                      r"[/\\][\w.-]+[/\\][\w.-]+?)(?:@[^/\\]+)?[/\\]")


def _go_module(fr: Frame) -> str | None:
    m = _GO_MODULE_FUNC.match(fr.func or "") or (_GO_MODULE_FILE.search(fr.file or "") if fr.file else None)
    return m["m"].replace("\\", "/") if m else None


def _go_program(fault: Fault) -> None:
    """A Go panic none of whose frames is the user's code (every frame lies in the standard library, a GOPATH or a
    module cache): the program that crashed is someone else's (git-lfs, dockerd, a provider plugin, a CLI built from
    its repository), named by the module of its outermost frame, and the crash site is its innermost frame outside the
    runtime. Facts `go_program` (the module's last element), `go_module`, `go_crash_site` and `reason: program-crash`
    (the `go.program_panicked` family's condition); nothing when a frame is the user's."""
    if not fault.frames or fault.user_frame() is not None or fault.facts.get("reason"):
        return
    mods = [(fr, _go_module(fr)) for fr in fault.frames]
    outer = next((m for _, m in reversed(mods) if m), None)
    if outer is None:
        return
    site = next((fr for fr, m in mods if m), None)
    if site is None:
        return
    fault.facts["go_module"] = outer
    fault.facts["go_program"] = outer.rsplit("/", 1)[-1]
    where = f"{_basename(site.file)}:{site.line}" if site.file and site.line is not None else site.file or ""
    func = (site.func or "").rsplit("/", 1)[-1]  # `commands.requireStdin`, not the whole module path
    fault.facts["go_crash_site"] = f"{func} ({where})" if func else where
    inner = _go_module(site)
    if inner and inner != outer:
        fault.facts["go_crash_module"] = inner
    fault.facts["reason"] = "program-crash"


def _julia_library(mod: str | None, file: str | None) -> bool:
    """Base, Core and the standard library (`@ Base ./array.jl`, Julia <1.6's bare `./array.jl`) and installed
    packages (`~/.julia/packages/`); `Main`, `REPL[3]`, a notebook cell and the user's own files are user code."""
    if mod and mod.split(".")[0] in _JULIA_STDLIB:
        return True
    return bool(file and (_JULIA_LIB_PATH.search(file) or is_library(file)))


def _julia_frame(mod: str | None, file: str, line: str, func: str | None, old: bool = False) -> Frame:
    """`old`: a frame of Julia before 1.6 (`f at ./array.jl:3`); Base's files are named `./name.jl` (an inlined
    Base frame of Julia 1.6+ has no module: `@ ./essentials.jl:13 [inlined]`)."""
    base = bool(re.match(r"^\.[/\\][\w.]+\.jl$", file))  # Base's files, `./array.jl`, unless a user's module names it
    lib = _julia_library(mod, file) or base and (old or not mod)
    return Frame(file, int(line), None if func == "top-level scope" else func, None, not lib)


_ELIXIR_EXC = _rx(r"^\*\* \((?P<type>[A-Z][\w.]*(?:Error|Exception)|Mix)\)(?: (?P<msg>.*))?$")
_ELIXIR_FRAME = _rx(r"^\s+(?:\((?P<app>[a-z]\w*)(?: [\w.+-]+)?\) )?"
                    r"(?P<file>[^\s:()][^\s:]*\.(?:exs?|erl|hrl)|iex|nofile):(?P<line>\d+)?:? (?P<func>\S.*?)\s*$")
_ELIXIR_KEY = _rx(r"^key (?P<key>.+?) not found(?: in: (?P<map>.*))?$")
_ELIXIR_UNDEF = _rx(r"^(?:function (?P<func>\S+/\d+) is undefined|undefined function:? (?P<func2>\S+/\d+))"
                    r"(?: or private)?(?: \(module (?P<module>\S+) is not available\))?")
# applications of Erlang/OTP and Elixir, and dependencies most projects pull in: their frames are library code
_ELIXIR_LIBS = frozenset("""
elixir stdlib kernel mix ex_unit iex logger eex compiler erts ssl crypto inets public_key asn1 runtime_tools tools
phoenix phoenix_live_view phoenix_html phoenix_pubsub phoenix_ecto phoenix_template phoenix_live_reload
phoenix_live_dashboard plug plug_cowboy plug_crypto ecto ecto_sql postgrex myxql db_connection cowboy cowlib ranch
jason poison tesla hackney httpoison finch mint absinthe oban telemetry gettext swoosh bandit thousand_island ash
nimble_options nimble_pool castore req exqlite ecto_sqlite3 broadway gen_stage credo dialyxir ex_doc timex tzdata
decimal mime websock websock_adapter hex rebar3 elixir_make redix cachex guardian joken jose certifi
""".split())  # noqa: SIM905


def _elixir_library(app: str | None, file: str | None) -> bool:
    if app and app in _ELIXIR_LIBS:
        return True
    return bool(file and re.search(r"(?:^|/)(?:deps|_build)/|/lib/elixir/|\.erl$", file))


_ERLANG_ATOMS = ((r"no match of right hand side value", "badmatch"),
                 (r"no function clause matching", "function_clause"), (r"undefined function", "undef"),
                 (r"bad argument", "badarg"), (r"no case clause matching", "case_clause"),
                 (r"an error occurred when evaluating an arithmetic expression|bad argument in arithmetic", "badarith"),
                 (r"no true branch found", "if_clause"), (r"bad function", "badfun"))
_ERLANG_FRAME = _rx(r"^in (?:function|call from)\s+(?P<func>\S+)(?: \((?P<file>[^,()]+), line (?P<line>\d+)\))?")

_R_ERROR_IN = _rx(r"^Error in (?:(?P<tick>`[^`]+`)|(?P<call>\S.{0,300}?))(?: ?: (?P<msg>.*)| ?:\s*)$")
_R_CALL = _rx(r"^[\w.$@:\[\]'\"`]+(?:\(.*)?$|^(?:if|for|while) \(|^[\w.]+ (?:<-|%\S*%|\|>) ")  # an R call, deparsed
_R_ERROR_BARE = _rx(r"^Error:\s*(?P<msg>.*)$")
_R_MARKERS = _rx(r"^Execution halted$|^Calls: \S|^In addition: Warning|^Run `rlang::last_(?:trace|error)\(\)`|"
                 r"^Backtrace:$|^Type \.Last\.error|^\s*there is no package called ", re.M)
_R_MESSAGES = _rx(r"there is no package called [‘'\"]|could not find function \"|^object [‘'].+[’'] not found$|"
                  r"package or namespace load failed for [‘']|is not an exported object from 'namespace:|"
                  r"\$ operator is invalid for atomic vectors|non-numeric argument to binary operator|"
                  r"arguments imply differing number of rows|subscript out of bounds|unused arguments? \(")
_R_FACTS = ((_rx(r"there is no package called [‘'\"](?P<package>[\w.]+)[’'\"]"), "package", "no_package"),
            (_rx(r"could not find function \"(?P<function>[^\"]+)\""), "function", "function_not_found"),
            (_rx(r"^object [‘'](?P<object>[^’']+)[’'] not found"), "object", "object_not_found"),
            (_rx(r"package or namespace load failed for [‘'](?P<loading>[\w.]+)[’']"), "loading",
             "namespace_load_failed"))


# ---------------------------------------------------------------------------------------------------------
# Lua, Dart, Zig, OCaml (read by _Reader._lua, _dart_exception, _dart_compile, _zig, _ocaml)

_LUA_ERR = _rx(r"(?:^|[\s:\[(])(?P<file>\[string \"[^\"]*\"\]|[^\s:\[\]()]*\.lua|[A-Za-z]:\\[^:]*?\.lua)"
               r":(?P<line>\d+): "
               r"(?P<msg>(?:attempt to (?P<op>index|call|perform arithmetic|concatenate|compare)|bad argument #\d+ to)"
               r"\b[^\]]*)")
_LUA_OPS = {"index": "index", "call": "call", "perform arithmetic": "arithmetic", "concatenate": "concatenate",
            "compare": "compare"}
# who the nil (or other) value was: 5.2+ `a nil value (local 'x')`, 5.1 `index local 'x' (a nil value)`
_LUA_WHO = _rx(r"\((?P<scope>global|local|field|method|upvalue|constant) ['\"`](?P<name>[^'\"`]+)['\"`]\)|"
               r"(?:index|call|arithmetic on|concatenate) (?P<scope2>global|local|field|method|upvalue) "
               r"['\"`](?P<name2>[^'\"`]+)['\"`]")
_LUA_VALUE = _rx(r"\b(?:an? )(?P<value>nil|number|string|boolean|table|function|userdata) value\b")
_LUA_FRAME = _rx(r"^(?:\d+\. \S+ - )?(?P<file>\[C\]|\(tail call\)|\[string \"[^\"]*\"\]|[^\s:]*?\.lua|"
                 r"[A-Za-z]:\\[^:]*?\.lua|[^\s:]*[/\\]bin[/\\]\w+)(?::(?P<line>\d+))?:? ?(?:in (?P<func>.*?))?\s*$")
_LUA_LIB = _rx(r"[/\\]share[/\\]lua[/\\]|[/\\]lib[/\\]luarocks[/\\]|[/\\]\.luarocks[/\\]|[/\\]lua_modules[/\\]|"
               r"^\[C\]$|[/\\]luajit[/\\]|[/\\]\.vscode[/\\]extensions[/\\]")


def _lua_func(text: str | None) -> str | None:
    """`function 'mod.f'` / `upvalue 'f'` / `method 'm'` -> the name; `main chunk`, `?` and `function <a.lua:3>`
    as printed."""
    text = (text or "").strip()
    m = re.match(r"^(?:function|upvalue|method|local|field|global) ['\"`]([^'\"`]+)['\"`]$", text)
    return m.group(1) if m else (text or None)


def _lua_library(file: str) -> bool:
    return bool(_LUA_LIB.search(file)) or is_library(file)


def _dart_line(s: str) -> str:
    """A Dart trace line without the logcat prefix Flutter's Android output carries (`E/flutter (123): `)."""
    x = s.strip()
    if x.startswith(("E/flutter", "I/flutter")):
        x = x.split("): ", 1)[-1].strip()
    return x


_DART_FRAME = _rx(r"^#(?P<n>\d+)\s+(?P<func>.+?) \((?P<file>(?:package:|file:/|dart:|org-dartlang)[^()]*?)"
                  r"(?::(?P<line>\d+)(?::\d+)?)?\)$")
_DART_FRAME_FUNC = _rx(r"^#(?P<n>\d+)\s+(?P<func>[\w.<>$ ]+?)\s*$")
_DART_PLAIN_LOC = _rx(r"^(?P<file>(?:package:|file:/|dart:)\S+?\.dart)(?::(?P<line>\d+)(?::\d+)?)?$")
# Dart's own messages, for an `Unhandled Exception:` line without frames under it
_DART_MESSAGES = _rx(r"type '[^']+' is not a subtype of type '|Null check operator used on a null value|"
                     r"NoSuchMethodError: |RangeError \(|LateInitializationError: |Bad state: |FormatException: |"
                     r"Invalid argument\(s\)|Unsupported operation: |MissingPluginException\(|PlatformException\(|"
                     r"DioE(?:xception|rror)|SocketException: |HttpException: |FileSystemException: |"
                     r"_CastError|_TypeError|Concurrent modification during iteration")
_DART_TYPES = ((_rx(r"^type '[^']+' is not a subtype of type "), "TypeError"),
               (_rx(r"^(?:_CastError: |_TypeError: |TypeError: )?Null check operator used on a null value"),
                "NullCheck"),
               (_rx(r"^Bad state: "), "StateError"), (_rx(r"^Invalid argument"), "ArgumentError"),
               (_rx(r"^Unsupported operation: "), "UnsupportedError"), (_rx(r"^RangeError\b"), "RangeError"))
_DART_NAMED = _rx(r"^(?P<type>_?[A-Z]\w*(?:Exception|Error))\b")
_DART_CAST = _rx(r"type '(?P<got>[^']+)' is not a subtype of type '(?P<want>[^']+)'")
_DART_COMPILE = _rx(r"(?:^|\s)(?P<file>(?:[\w-]+:/+)?[^\s:]*\.dart):(?P<line>\d+):\d+: Error: (?P<msg>.+)$")
_DART_UNDEFINED = _rx(r"^(?:Undefined name|Method not found:|Getter not found:|The method|The getter|Type) "
                      r"'(?P<name>[^']+)'")
# packages most apps pull in, the SDK and the pub cache: their frames are library code
_DART_LIBS = frozenset("""
flutter flutter_test flutter_tools async args analyzer front_end kernel pub http dio provider bloc flutter_bloc
riverpod flutter_riverpod get collection path stack_trace test test_api matcher sqflite shared_preferences
json_annotation build_runner firebase_core firebase_auth cloud_firestore go_router intl
""".split())  # noqa: SIM905


def _dart_frame(file: str, line: str | None, func: str | None) -> Frame:
    pkg = file[len("package:"):].split("/", 1)[0] if file.startswith("package:") else None
    lib = file.startswith(("dart:", "org-dartlang")) or (pkg in _DART_LIBS) or ".pub-cache" in file or \
        "/flutter/packages/" in file or ".dart_tool" in file or is_library(file)
    return Frame(file, int(line) if line else None, func, None, not lib)


_ZIG_DIAG = _rx(r"^(?P<file>(?:[A-Za-z]:\\)?[^\s:][^:]*?\.zig(?:\.zon)?):(?P<line>\d+):(?P<col>\d+): "
                r"(?P<kind>error|note): (?P<msg>.+)$")
_ZIG_DIAG_ERROR = _rx(r"^error: ")
_ZIG_REF = _rx(r"^(?P<func>[\w.@\"\[\] ]+?): (?P<file>(?:[A-Za-z]:\\)?[^\s:][^:]*?\.zig):(?P<line>\d+):\d+$")
_ZIG_MEMBER = _rx(r"(?:no field named '(?P<m1>[^']+)' in (?:struct|union|enum) '(?P<c1>[^']+)'|"
                  r"(?:root struct of file|root source file struct|struct|union|enum) '(?P<c2>[^']+)' has no member "
                  r"named '(?P<m2>[^']+)'|no member named '(?P<m3>[^']+)' in (?:struct|union|enum) '(?P<c3>[^']+)')")
_ZIG_VERSION = _rx(r"\bzig[-_ ]?(?:[a-z0-9_]+-)*?v?(?P<version>0\.\d+(?:\.\d+)?(?:-dev\.\d+\+[0-9a-f]+)?)\b|"
                   r"[/\\]zig[/\\](?P<v2>0\.\d+\.\d+)[/\\]", re.I)
_ZIG_LIB = _rx(r"[/\\]lib[/\\](?:zig[/\\])?std[/\\]|[/\\]lib[/\\]compiler[/\\]|[/\\]\.cache[/\\]zig[/\\]|"
               r"[/\\]zig-cache[/\\]|[/\\]\.zig-cache[/\\]|[/\\]zig[/\\]p[/\\]")


def _zig_library(file: str) -> bool:
    return bool(_ZIG_LIB.search(file))


_OCAML_LOC = _rx(r"^File \"(?P<file>[^\"]+)\", lines? (?P<line>\d+)(?:-\d+)?(?:, characters \d+-\d+)?:$")
_OCAML_ERROR = _rx(r"^Error(?P<alert> \((?:warning|alert) [^)]*\))?: (?P<msg>.*)$")
_OCAML_KINDS = ((_rx(r"^Unbound module (?:type )?(?P<module>[A-Z][\w.']*)"), "unbound_module"),
                (_rx(r"^Unbound (?:value|constructor|record field|type constructor|class) (?P<name>[\w.']+)"),
                 "unbound_value"),
                (_rx(r"^(?:This expression|The value \S+|This pattern matches values of type|The constructor \S+ "
                     r"has type)(?: has type)? (?P<got_type>.+?) but (?:an expression|a pattern) was expected "
                     r"of type (?P<want_type>.+?)(?: Type |$)"), "type_mismatch"),
                (_rx(r"^Library \"(?P<library>[^\"]+)\" not found"), "library_not_found"),
                (_rx(r"^Syntax error"), "syntax_error"))
_OCAML_LIB = _rx(r"[/\\]\.opam[/\\]|[/\\]_opam[/\\]|^_opam[/\\]|[/\\]lib[/\\]ocaml[/\\]|[/\\]\.esy[/\\]")


def _ocaml_library(file: str) -> bool:
    return bool(_OCAML_LIB.search(file))


CAUSE_LINES = 25  # how far above a wrapper's exit status its cause is looked for
TELLING_LINES = 6  # how far above a cut-off Python traceback an error line is taken as what went wrong
# what a native library prints before the Python traceback it causes: C++'s `terminate called after throwing` and
# `what():`, an error class glued to a library prefix (`ncclInternalError: ...`, `cudaErrorLaunchFailure: ...`)
_TELLING = _rx(r"^(?:terminate called after throwing|what\(\):)|^[a-z]\w*(?:Error|Exception)\b:? ")
# a line that reads as the failure a wrapper's exit status reports
_FAILURE_LINE = _rx(r"(?:^|[\s:\]])(?:error|fatal|ERROR|FATAL|Error|Fatal)(?:\[\w+\])?(?::|!| [A-Z]{2,}\d+:)|"
                    r"^(?:E: |ERR! |FAILED[: ]|\w[\w.-]*: (?:cannot|can't|could not|unable to|"
                    r"no such|permission denied|not found|command not found))|"
                    r": (?:No such file or directory|Permission denied|[Cc]ommand not found)$")
# other shapes of a failure line: a logger's error level (logrus/logfmt `level=fatal msg=...`), an init script's
# `[FAILED]`, a message that starts with what could not be done, Go's exec of a missing program
_FAILURE_MORE = _rx(r"\blevel=(?:fatal|error|panic)\b|\[\s*FAILED\s*\]$|^(?:unable to|cannot|could not|failed to) |"
                    r": executable file not found in \$PATH")
# what a wrapper prints about the failure it passes on, never the cause itself: RubyGems' native-extension banner and
# its installer's summary, extconf/make's "failed, exit code N" under a gem, node-gyp's own lines, pip's subprocess
# banner, ninja's stop line
_WRAPPER_SAYS = _rx(r"^(?:ERROR:\s+(?:Failed to build gem native extension|Error installing )|Gem::Ext::BuildError|"
                    r"(?:make|extconf|cmake) failed, exit code \d+$|gyp ERR! |error: subprocess-exited-with-error$|"
                    r"ninja: build stopped|[×╰│] )")
# a line that names what was not there, not allowed or not answering: the most telling line under a wrapper's report
_CAUSE_PHRASE = _rx(r"(?i)\bnot found\b|no such file or directory|does not exist|permission denied|access denied|"
                    r"connection refused|not permitted|cannot find|could not find|no such \w+")
_WRAPPER_KINDS = frozenset({"systemd"})  # faults that report a child's failure rather than state one


def _failure_shaped(st: str) -> bool:
    """A line that reads as the failure a wrapper's exit status reports."""
    return bool(_FAILURE_LINE.search(st) or _GO_FAILURE.match(st) or _FAILURE_MORE.search(st))


# a journal line (`Oct 30 16:05:49 host prog[pid]: message`, or `host [pid]: message` without the program's name) and
# the programs whose lines are never a unit's cause
_JOURNAL = _rx(r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (?P<prog>[\w@./-]+)?(?:\[(?P<pid>\d+)\])?: ")
# a unit's stop or reload command in `systemctl status` (`Process: 17817 ExecStop=/bin/kill ...`): its lines in the
# journal are about stopping the unit, never why it failed to start
_STOP_PROCESS = _rx(r"^\s*Process: (?P<pid>\d+) Exec(?:Stop|StopPost|Reload)=")
# an init script's bare verdict (`[FAILED]`, `[  OK  ]`): it says that something failed, not what
_BARE_STATUS = _rx(r"^\W*\[\s*(?:FAILED|OK|FAIL)\s*\]\W*$")
_JOURNAL_OWN = frozenset({"systemd", "kernel", "sudo", "polkitd", "dbus-daemon", "audit", "systemd-logind"})
_GO_FAILURE = _rx(r"^go: (?!downloading |finding |extracting |creating |added |upgraded |found |no module "
                  r"dependencies|to add |warning)\S+")
_MAKE_OWN = _rx(r"^(?:g?make(?:\[\d+\])?: (?:\*\*\*|Entering|Leaving|Nothing|Target)|\S*[Mm]akefile:\d+: recipe for "
                r"target|\S+: recipe for target .* failed$)")
_NOT_A_CAUSE = _rx(r"(?i)^(?:\W*warn(?:ing)?\b|\[\s*\d+%\]|\d+>.*\bwarning\b|npm (?:ERR!|error) |"
                   r"\d+ (?:verbose|error|silly|info|timing) )|\bwarning\b[: ]|"
                   r"\b0 (?:error|failure)|(?:error|fatal)s? (?:count|summary)|^##\[(?:group|endgroup)\]")

EXCERPT_BEFORE, EXCERPT_AFTER = 4, 2

_HTTP_REASONS = {400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
                 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
                 407: "Proxy Authentication Required",
                 408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required",
                 412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long",
                 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
                 418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked",
                 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
                 429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
                 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
                 504: "Gateway Timeout", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
                 508: "Loop Detected", 511: "Network Authentication Required", 520: "Unknown Error (Cloudflare)",
                 521: "Web Server Is Down (Cloudflare)", 522: "Connection Timed Out (Cloudflare)",
                 524: "A Timeout Occurred (Cloudflare)", 529: "Overloaded"}


# PHP's warnings and notices name only their level ("Warning", "Notice"): what went wrong is in the message's
# wording, which has stayed the same across releases but for the PHP 8 renames (index/offset -> array key)
_PHP_DETAILS = (
    _rx(r"^Undefined variable:? \$?(?P<name>\w+)"),
    _rx(r"^Undefined (?:array key|index|offset):? (?P<key>\"[^\"]*\"|'[^']*'|\S+)"),
    _rx(r"^Undefined property: (?P<obj_type>[\w\\]+)::\$(?P<attr>\w+)"),
    _rx(r"^Attempt to read property \"(?P<attr>\w+)\" on (?P<obj_type>\w+)"),
    _rx(r"^Trying to (?:access array offset on (?:value of type )?|get property '(?P<attr>\w+)' of non-object)"
        r"(?P<obj_type>\w+)?"),
    _rx(r"^(?P<function>\w+)\((?P<path>[^()]*)\): [Ff]ailed to open (?:stream|dir(?:ectory)?): "),
    _rx(r"^Cannot modify header information - headers already sent by \(output started at (?P<path>.+?):"
        r"(?P<output_line>\d+)\)"),
)


def _php_details(fault: Fault) -> None:
    """Facts of a PHP warning or notice that names only its level: the variable, key, property or file."""
    msg = fault.message or ""
    for rx in _PHP_DETAILS:
        m = rx.match(msg)
        if m:
            for k, v in m.groupdict().items():
                if v:
                    fault.facts[k] = v.strip("\"'") if k == "key" else v
            return


_CLASS_NAMED = _rx(r"\b[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt)\b")


def _echoes(code: list[tuple[int, str]], raised: str | None = None) -> tuple[int, ...]:
    """Of a traceback's quoted source lines ((line, text)), those whose words name an error class that is not
    the one raised (`except UnicodeDecodeError:` above a NameError): text matching there is the program's, not
    an error it printed. An `except` clause counts even when the raised type is unknown (a cut-off trace)."""
    short = raised.rsplit(".", 1)[-1] if raised else None
    out = []
    for n, st in code:
        names = set(_CLASS_NAMED.findall(st))
        if st.startswith("except") and names and short not in names or short and names - {short}:
            out.append(n)
    return tuple(out)


def _python_details(fault: Fault, above: str | None = None) -> None:
    """Well-known facts of Python's builtin messages, as standard captures. `above`: the line just above a
    bare exception line (a pasted `from a.b import c` over its ImportError stands for the frame's code)."""
    t = fault.short_type or ""
    msg = fault.message or ""
    facts = fault.facts
    if t == "KeyError" and msg:
        facts["key"] = msg[1:-1] if len(msg) > 1 and msg[0] == msg[-1] and msg[0] in "'\"" else msg
    elif t == "AttributeError":
        m = re.match(r"(?:type object |module )?'(?P<obj>[^']+)'(?: object)? has no attribute '(?P<attr>[^']+)'", msg)
        if m:
            facts["obj_type"] = m["obj"]
            facts["attr"] = m["attr"]
    elif t in ("NameError", "UnboundLocalError"):
        m = re.search(r"(?:name|variable) '(?P<name>[^']+)'", msg)
        if m:
            facts["name"] = m["name"]
    elif t in ("FileNotFoundError", "PermissionError", "IsADirectoryError", "NotADirectoryError",
               "FileExistsError", "OSError"):
        m = re.match(r"\[Errno (?P<errno>\d+)\] (?P<text>[^:]+)(?:: '(?P<path>[^']*)')?", msg)
        if m:
            facts["errno"] = m["errno"]
            if m["path"]:
                facts["path"] = m["path"]
            fault.code = _ERRNO.get(int(m["errno"]), m["errno"])
    elif t in ("ModuleNotFoundError", "ImportError"):
        m = re.search(r"No module named (?:'(?P<module>[^']+)'|(?P<bare>[\w.]+)$)|cannot import name '(?P<name>[^']+)'",
                      msg)
        if m:
            if m["module"] or m["bare"]:
                facts["module"] = m["module"] or m["bare"]
                code = fault.frames[0].code if fault.frames else above
                owner = _own_module(facts["module"], fault.frames, code)
                if owner is not None:
                    facts["own_module"] = owner
                else:
                    stated = _stated_import(code)
                    if stated and stated.endswith("." + facts["module"]):
                        facts["import_path"] = stated  # Python 2 names only the missing tail of `a.b`
            else:
                facts["name"] = m["name"]


_IMPORT = re.compile(r"^\s*(?:from\s+(?P<from>\.*[\w.]*)\s+import\b|import\s+(?P<mod>[\w.]+))")


def _stated_import(code: str | None) -> str | None:
    """The module an import statement names (`from a.b import c` and `import a.b.c`: `a.b`, `a.b.c`)."""
    m = _IMPORT.match(code) if code else None
    return (m["from"] or m["mod"] or None) if m else None


def _own_module(module: str, frames: list[Frame], code: str | None = None) -> str | None:
    """Whether the module an ImportError says is missing belongs to the code that imports it (then there is
    nothing to pip install): the failing statement (`code`: the innermost frame's code, or the line pasted above
    the error) is a relative import (`from .models.x import y`); it imports `pkg.sub`, the message names only the
    part after `pkg` (Python 2's `No module named sub`: `pkg` was found, its `sub` is missing) and the importing
    file is part of `pkg` or a console script (inside `pkg`'s folder, or in a `bin/` or `Scripts/` folder: which
    installation it loads is the question, another `pkg` may shadow it); or the
    module is a file beside the importing one that the traceback shows (`saxo/saxo.py` doing `from core import *`
    with `saxo/core.py` among the frames: a Python 2 implicit relative import). Returns the importing package's
    name ('' when the traceback does not show one), None when the module may be a package of its own (a user
    file doing `from alembic.revision import x`: alembic is a distribution, the `import_path` fact)."""
    stated = _stated_import(code)
    if stated is None:
        return None
    path = frames[0].file.replace("\\", "/") if frames and frames[0].file else ""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    package = folder.rsplit("/", 1)[-1] if folder else ""
    if stated.startswith("."):
        return package or "(the importing package)"
    top = stated.split(".", 1)[0]
    if "." in stated and not module.startswith(top) and stated.endswith(module):
        script = folder.rsplit("/", 1)[-1].lower() in ("bin", "scripts")  # a console script of some package
        return top if path and (f"/{top}/" in f"/{folder}/" or script) else None
    first = module.split(".", 1)[0]
    if folder and any(f.file and f.file.replace("\\", "/") in (f"{folder}/{first}.py", f"{folder}/{first}/__init__.py")
                      for f in frames[1:]):
        return package or "(the importing package)"
    return None


_ERRNO = {1: "EPERM", 2: "ENOENT", 5: "EIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 17: "EEXIST",
          20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 24: "EMFILE", 28: "ENOSPC", 30: "EROFS", 32: "EPIPE",
          36: "ENAMETOOLONG", 39: "ENOTEMPTY", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 104: "ECONNRESET",
          110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH"}


_LINKED = "\0linked"  # the `code` of a frame read from a VS Code linked source line (merged into its frame)


def _basename(path: str | None) -> str:
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]


def _python_frame(s: str, st: str) -> Frame | None:
    """A Python frame line without its traceback's header: `File "x.py", line 3, in f`, IPython's `File
    ~/x.py:85, in f(a)` (plain or inside a Markdown link) or a VS Code notebook's linked source line (its
    `code` is then _LINKED: several such lines are one frame)."""
    m = _PY_FRAME.match(s)
    if m:
        return Frame(m["file"], int(m["line"]), m["func"], None, not is_library(m["file"]))
    m = _PY_CUT_FRAME.match(st)
    if m:
        return Frame(m["file"], int(m["line"]) if m["line"] else None, m["func"], None, not is_library(m["file"]))
    m = _PY_LINKED_CODE.match(st)
    if m:
        return Frame(m["file"], int(m["line"]), None, _LINKED, not is_library(m["file"]))
    return None


def _trace_filler(st: str, lang: str) -> bool:
    """A line inside a stack trace that is no frame: blank, `... 12 more`, a bare `Caused by:`, .NET's `---
    End of stack trace ---`, Rust's `stack backtrace:` and `note: ...`."""
    if not st or st.startswith("... ") and st.endswith(("more", "omitted")):
        return True
    if lang in ("java", "kotlin"):
        return st.startswith("Caused by:")
    if lang == "csharp":
        return st.startswith("--- End of")
    return lang == "rust" and st.startswith(("stack backtrace:", "note: "))


def _shell_of(st: str) -> str | None:
    m = re.match(r"^-?(bash|zsh|sh|dash|ksh|fish)\b", st)
    if m:
        return m.group(1)
    return "bash" if re.match(r"^\S+: line \d+:", st) else None


def _is_caret(st: str) -> bool:
    return bool(st) and set(st) <= set("^~ ")


def _chain_follows(lines: list[str], j: int, sep: str | tuple[str, ...] = _PY_CHAIN) -> bool:
    for s in lines[j: j + 4]:
        if s.strip():
            return s.strip().startswith(sep)
    return False


# a prefix a logger, a container runtime or a runner writes before every line of a program's output:
# `stderr: `, `api-1   | `, `2023-08-16 14:37:52 | ERROR | stderr | `, `2024-05-01 10:00:00,123 ERROR `
_LINE_PREFIX = _rx(
    r"^(?:(?:stderr|stdout|STDERR|STDOUT)(?:: ?| \| ?)"
    r"|(?:[^|│\s][^|│]{0,60}? \| ?){1,5}"
    r"|\((?:[A-Za-z_][\w.-]* )?\w+=[\w.:-]+(?:,? \w+=[\w.:-]+)*\) ?"  # vLLM / Ray: `(APIServer pid=102928) `
    # Android logcat: threadtime `04-11 11:46:01.511  1645  1659 E Tag: `, brief `E/Tag( 1645): `, Android
    # Studio `2024-04-11 11:46:01.511  1645-1659  Tag  com.app  E  `;
    # syslog / journalctl `Apr 19 14:34:44 host dockerd[877]: `
    r"|\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [VDIWEF] [^:]{1,60}?: ?"
    r"|[VDIWEF]/[^(:]{1,60}\( *\d+\): ?"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+-\d+ +\S+ +\S+ +[VDIWEF] +"
    r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [\w.-]+ [\w./-]+(?:\[\d+\])?: "
    # Apache's error log (mod_wsgi): `[Tue Sep 16 11:51:18.653 2025] [wsgi:error] [pid 22:tid 23] [remote 1.2.3.4:5] `
    r"|\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4}\] \[[\w:]+\] \[pid \d+(?::tid \d+)?\]"
    r"(?: \[(?:remote|client) [^\]]+\])? ?"
    r"|(?:ERROR|WARNING|WARN|INFO|DEBUG|CRITICAL|FATAL):? "  # a level whose timestamp _clean already took off
    r"|\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?"
    r"(?: -)?(?: \[?(?:ERROR|WARNING|WARN|INFO|DEBUG|CRITICAL|FATAL)\]?:?(?: -)?)? ?"
    r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? )")  # a CI's timestamper: `Oct 16 02:07:00 `
PREFIX_MIN = 3  # lines that must share a prefix (digits aside) before it is taken for a prefix ...
PREFIX_SHARE = 0.5  # ... and the share of the non-blank lines they must be
def _strip_prefixes(lines: list[str]) -> list[str]:
    """The lines without the prefix most of them share (digits aside), so that a traceback written through a
    logger or a container's output reads as printed; a line's own indentation after the prefix is kept."""
    lines = deframe(lines) or lines
    keys: dict[str, int] = {}
    found: list[str | None] = []
    blank = 0
    for x in lines:
        if not x.strip():
            blank += 1
            found.append(None)
            continue
        m = _LINE_PREFIX.match(x) if x[:1] not in " \t│╭╰" else None
        p = m.group(0) if m and m.end() < len(x) else None
        found.append(p)
        if p:
            k = re.sub(r"\d", "0", p)
            keys[k] = keys.get(k, 0) + 1
    if not keys:
        return lines
    key, count = max(keys.items(), key=lambda kv: kv[1])
    if count < PREFIX_MIN or count < PREFIX_SHARE * (len(lines) - blank):
        return lines
    out = [x[len(p):] if p and re.sub(r"\d", "0", p) == key else x for x, p in zip(lines, found, strict=True)]
    # only where the prefix hides a stack trace: elsewhere a log line's stamp and level stay as they were
    frames = 0
    for x in out:
        if x[:1] in " \t│" and (_PY_FRAME.match(x) or _JAVA_FRAME.match(x) or _RICH_FRAME.match(x.strip())
                                 or _DOTNET_FRAME.match(x) or _JS_FRAME.match(x) or _ELIXIR_FRAME.match(x)
                                 or _JULIA_AT.match(x)) or \
                x.startswith("goroutine ") and _GO_GOROUTINE.match(x) or _GO_FRAME_LOC.match(x):
            frames += 2 if x[:1] in " \t" and _PY_FRAME.match(x) else 1  # one Python frame is unmistakable
            if frames >= 2:
                return out
    return lines


_ANSI = _rx(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_TIMESTAMP = _rx(r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z? |##\[(?:error|warning)\])")


def _clean(line: str) -> str:
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    if line[:1].isdigit() or line.startswith("##["):
        line = _TIMESTAMP.sub("", line)
    return line.rstrip("\n")


# ---------------------------------------------------------------------------------------------------------
# bounded collection from a stream

WHOLE_BYTES = 512 * 1024  # an input up to this size is read whole
TAIL_LINES = 200  # of a bigger input: its last lines (a failing run ends with its error) ...
WINDOW_BEFORE, WINDOW_AFTER = 60, 60  # ... and windows around strong markers
MAX_WINDOWS = 48
_MARKERS = ("Traceback (most recent call last)", "panicked at", "\npanic: ", "Exception in thread",
            "Unhandled exception", "Uncaught ", "error[E", "exit code", "exit status", "Error code: ",
            "Request failed with status code", "Client Error: ", "Server Error: ", "Caused by: ")


_MARKER_BYTES = tuple(m.encode() for m in _MARKERS)
_MARKER_FINDER = None


def _hyperscan_finder():
    from .matching.prefilter import literal_finder

    return literal_finder(_MARKER_BYTES)


def _marker_positions(block: str) -> list[list[int]]:
    """Per marker (in _MARKERS order), where each occurrence of it starts in `block` (characters): one
    Aho-Corasick pass over the block's bytes (searching a 4 MB block once per marker cost more than the
    rest of the reader)."""
    global _MARKER_FINDER
    data = block.encode("utf-8", "surrogatepass")
    if len(block) <= 4096:  # a paste: a few finds cost less than loading and building the automaton
        found = find_each(_MARKER_BYTES, data)
    elif len(block) >= 1 << 20 and (hs := _hyperscan_finder()) is not None:  # a big log's blocks: ~4x faster
        found = hs(data)
    else:
        if _MARKER_FINDER is None:
            import ahocorasick_rs

            _MARKER_FINDER = ahocorasick_rs.BytesAhoCorasick(list(_MARKER_BYTES))
        found = _MARKER_FINDER.find_matches_as_indexes(data, overlapping=True)
    where: list[list[int]] = [[] for _ in _MARKERS]
    if len(data) == len(block):  # ASCII: byte offsets are character offsets
        for marker_no, begin, _end in found:
            where[marker_no].append(begin)
        return where
    chars = done = 0  # the character offset of byte `done`
    for marker_no, begin, _end in sorted(found, key=lambda m: m[1]):
        chars += len(data[done:begin].decode("utf-8", "surrogatepass"))
        done = begin
        where[marker_no].append(chars)
    return where


class Collector:
    """What the reader needs of a stream: all of a short input; windows and the tail of a big one."""

    def __init__(self) -> None:
        self.parts: list[tuple[int, list[str]]] = []  # (first line, lines)
        self.size = 0
        self.whole: list[str] | None = []
        self.tail: list[str] = []
        self.tail_start = 1
        self.windows = 0
        self.first_line: int | None = None  # where the input (or this part of it) starts

    def feed(self, block: str, start_line: int) -> None:
        self.size += len(block)
        if self.first_line is None:
            self.first_line = start_line
        if self.whole is not None:
            self.whole.append(block)
            if self.size <= WHOLE_BYTES:
                return
            joined = "".join(self.whole)
            self.whole = None
            self.tail_start = self.first_line
            self._windows(joined, self.first_line)
            self._keep_tail(joined, self.first_line)
            return
        self._windows(block, start_line)
        self._keep_tail(block, start_line)

    def _windows(self, block: str, start_line: int) -> None:
        if self.windows >= MAX_WINDOWS:
            return
        at_marker = _marker_positions(block)
        for marker_no in range(len(_MARKERS)):
            where = at_marker[marker_no]
            nxt = 0  # index into where: the next occurrence to look at
            pos = where[0] if where else -1
            found = 0
            while pos != -1 and found < 3 and self.windows < MAX_WINDOWS:
                found += 1
                self.windows += 1
                line_start = block.rfind("\n", 0, pos) + 1
                at = block.count("\n", 0, line_start)
                lo = line_start
                for _ in range(WINDOW_BEFORE):
                    k = block.rfind("\n", 0, max(lo - 1, 0))
                    if k == -1:
                        lo = 0
                        break
                    lo = k + 1
                hi = pos
                for _ in range(WINDOW_AFTER):
                    k = block.find("\n", hi + 1)
                    if k == -1:
                        hi = len(block)
                        break
                    hi = k
                first = start_line + at - block.count("\n", lo, line_start)
                self.parts.append((first, block[lo:hi].split("\n")))
                while nxt < len(where) and where[nxt] < hi:  # the next occurrence after the window
                    nxt += 1
                pos = where[nxt] if nxt < len(where) else -1

    def _keep_tail(self, block: str, start_line: int) -> None:
        rows = block[-256 * 1024:].split("\n")
        if block.endswith("\n"):
            rows = rows[:-1]
        total_lines = block.count("\n") + (0 if block.endswith("\n") else 1)
        keep = (self.tail + rows)[-TAIL_LINES:]
        self.tail_start = start_line + total_lines - len(keep) if len(rows) >= TAIL_LINES else \
            self.tail_start + max(0, len(self.tail) + len(rows) - TAIL_LINES)
        self.tail = keep

    def faults(self) -> list[Fault]:
        if self.whole is not None:
            return read("".join(self.whole), self.first_line or 1)
        pieces = sorted(self.parts + [(self.tail_start, self.tail)])
        merged: list[tuple[int, list[str]]] = []
        for first, rows in pieces:
            if merged and first <= merged[-1][0] + len(merged[-1][1]):
                mf, mrows = merged[-1]
                overlap = mf + len(mrows) - first
                merged[-1] = (mf, mrows + rows[overlap:])
            else:
                merged.append((first, rows))
        out: list[Fault] = []
        for first, rows in merged:
            out += read("\n".join(rows), first, whole=False)
        return out
