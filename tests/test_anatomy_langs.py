"""The anatomy reader for Julia, Elixir, Erlang and R: each language's error line, its frames (user code vs the
runtime and installed packages) and the facts its family entries name; no other language's text is read as theirs."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose
from errdiag.anatomy import read
from errdiag.kb import load_knowledge
from errdiag.models import fill_placeholders

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def faults_of(text: str, language: str):
    return [f for f in read(text) if f.language == language]


# --- Julia -------------------------------------------------------------------------------------------

JULIA_NEW = """ERROR: LoadError: UndefVarError: `total` not defined in `Main`
Stacktrace:
 [1] getindex
   @ ./essentials.jl:13 [inlined]
 [2] collect_rows(path::String)
   @ Reports ~/.julia/packages/Reports/aB3x9/src/rows.jl:40
 [3] summarize(rows::Vector{Any})
   @ Main ~/work/stats/summary.jl:17
 [4] top-level scope
   @ ~/work/stats/summary.jl:30
in expression starting at /home/ana/work/stats/summary.jl:30
"""

JULIA_OLD = """ERROR: BoundsError: attempt to access 28-element Array{Float64,1} at index [[4,6]]
 in throw_boundserror(::Array{Float64,1}, ::Tuple{Array{Int64,1}}) at ./abstractarray.jl:132
 in zero at /home/kc/.julia/v0.5/Tensors/src/Tensors.jl:72 [inlined]
 in intf(::Int64) at /home/kc/sim/src/dual/intf_dual.jl:50
"""


def test_julia_error_line_frames_and_the_users_innermost_frame():
    [f] = faults_of(JULIA_NEW, "julia")
    c = f.captures()
    assert (f.kind, f.type, f.line, f.facts["name"], f.facts["load_error"]) == (
        "exception", "UndefVarError", 1, "total", "yes")
    assert [x.user for x in f.frames] == [False, False, True, True, True]  # Base, an installed package, Main
    assert c["frame"] == "~/work/stats/summary.jl:17 in summarize(rows::Vector{Any})"
    assert c["lib_frame"] == "./essentials.jl:13 in getindex()"
    [old] = faults_of(JULIA_OLD, "julia")
    assert old.type == "BoundsError" and [x.user for x in old.frames] == [False, False, True]  # 0.x package dir
    assert old.captures()["frame"].startswith("/home/kc/sim/src/dual/intf_dual.jl:50 in intf")


def test_julia_method_error_names_the_function_and_skips_its_candidates():
    text = ("ERROR: MethodError: no method matching +(::Int64, ::String)\nClosest candidates are:\n"
            "  +(::Any, ::Any, ::Any, ::Any...)\n   @ Base operators.jl:587\n"
            "  +(::T, ::T) where T<:Union{Int64, Int8}\n   @ Base /opt/julia/share/julia/base/int.jl:87\n"
            "Stacktrace:\n [1] add_all(xs::Vector{Any})\n   @ Main ~/code/tally.jl:4\n")
    [f] = faults_of(text, "julia")
    assert (f.facts["func"], f.facts["arg_types"]) == ("+", "::Int64, ::String")
    assert [x.file for x in f.frames] == ["~/code/tally.jl"]  # the candidates' `@ Base` lines are no frames


def test_a_type_julia_shares_with_python_is_julias_only_in_julias_shapes():
    assert faults_of('ERROR: KeyError: key "learning_rate" not found', "julia")[0].facts["key"] == '"learning_rate"'
    assert faults_of("ERROR: LoadError: ArgumentError: Package Plots not found in current path.",
                     "julia")[0].facts["package"] == "Plots"
    assert [f.language for f in read("KeyError: 'learning_rate'")] == ["python"]
    assert not faults_of("ERROR: ArgumentError: invalid base 10 digit", "julia")  # no Julia wording, no frames
    assert not faults_of("FieldError: Cannot resolve keyword 'nme' into field. Choices are: id, name", "julia")
    assert faults_of("ERROR: TypeError: f: in typeassert, expected Vector{Int64}, got Vector{Any}", "julia")
    assert faults_of("ERROR: ArgumentError: Module Vinyl not found in current path.", "julia")[0].facts[
        "package"] == "Vinyl"  # Julia 0.6's wording
    assert not faults_of("ERROR: TypeError: expected str, got int", "julia")
    log = "ERROR: ValueError: bad config\n2024-05-01 10:00:00 INFO retrying"
    assert not faults_of(log, "julia")


# --- Elixir / Erlang --------------------------------------------------------------------------------

ELIXIR = """[error] GenServer #PID<0.616.0> terminating
** (KeyError) key :routes not found in: %{port: 4000}
    (elixir 1.16.0) lib/map.ex:300: Map.fetch!/2
    (phoenix 1.7.10) lib/phoenix/router.ex:55: Phoenix.Router.call/2
    (sandman 0.1.0) lib/sandman/proxy.ex:41: Sandman.Proxy.handle_call/3
    (stdlib 5.1) gen_server.erl:1113: :gen_server.try_handle_call/4
"""


def test_elixir_exception_frames_apps_of_otp_and_dependencies_are_library_code():
    [f] = faults_of(ELIXIR, "elixir")
    c = f.captures()
    assert (f.type, f.line, f.facts["key"], f.facts["term"]) == ("KeyError", 2, ":routes", "%{port: 4000}")
    assert [x.user for x in f.frames] == [False, False, True, False]
    assert c["frame"] == "lib/sandman/proxy.ex:41 in Sandman.Proxy.handle_call/3"  # an arity: no "()"
    assert c["lib_frame"] == "lib/map.ex:300 in Map.fetch!/2"


def test_elixir_nested_exit_compile_error_and_mix_error():
    nested = ("** (EXIT from #PID<0.45.0>) an exception was raised:\n"
              "    ** (FunctionClauseError) no function clause matching in IO.chardata_to_string/1\n"
              "        (elixir) lib/io.ex:445: IO.chardata_to_string(nil)\n"
              "        lib/cli.ex:9: Cli.main/1\n")
    [f] = faults_of(nested, "elixir")
    assert (f.type, f.facts["func"], f.captures()["frame"]) == (
        "FunctionClauseError", "IO.chardata_to_string/1", "lib/cli.ex:9 in Cli.main/1")
    [c] = faults_of("** (CompileError) lib/shop/cart.ex:12: undefined function totl/1", "elixir")
    assert (c.message, c.captures()["frame"]) == ("undefined function totl/1", "lib/shop/cart.ex:12")
    [u] = faults_of("** (UndefinedFunctionError) undefined function Mix.Utils.underscore/1 (module Mix.Utils is "
                    "not available)", "elixir")  # Elixir before 1.3
    assert (u.facts["func"], u.facts["module"]) == ("Mix.Utils.underscore/1", "Mix.Utils")
    [m] = faults_of('** (Mix) The task "phx.serve" could not be found', "elixir")
    assert (m.type, m.tool) == ("Mix", "mix")
    assert not read("** (note) run this once **")  # markdown emphasis is no exception


def test_erlang_shell_exception_reads_the_error_atom_and_its_frames():
    text = ("** exception error: no match of right hand side value {error,enoent}\n"
            "     in function  cfg:load/1 (src/cfg.erl, line 12)\n"
            "     in call from shell:eval_exprs/7 (shell.erl, line 691)\n")
    [f] = faults_of(text, "erlang")
    assert (f.type, f.captures()["frame"]) == ("badmatch", "src/cfg.erl:12 in cfg:load/1")


# --- R ------------------------------------------------------------------------------------------------


def test_r_error_in_call_with_the_message_on_its_line_or_the_next():
    [f] = faults_of("Error in library(ggplot3) : there is no package called ‘ggplot3’\nExecution halted\n", "r")
    assert (f.facts["call"], f.facts["package"], f.end) == ("library(ggplot3)", "ggplot3", 2)
    long = ("Error in read.table(file = file, header = header, sep = sep) :\n"
            "  object 'sales_2023' not found\nCalls: main -> load_sales -> read.csv -> read.table\nExecution halted\n")
    [g] = faults_of(long, "r")
    assert (g.message, g.facts["object"]) == ("object 'sales_2023' not found", "sales_2023")
    assert g.facts["calls"] == "main -> load_sales -> read.csv -> read.table" and g.end == 4
    rlang = "Error in `mutate()`:\nℹ In argument: `ratio = a / b`.\nCaused by error:\n! object 'b' not found\n"
    [h] = faults_of(rlang, "r")
    assert (h.facts["call"], h.facts["object"]) == ("mutate()", "b")
    [k] = faults_of("Error: package or namespace load failed for ‘geoplot’ in loadNamespace(j <- i[[1L]]):\n"
                    " there is no package called ‘sp’\n", "r")
    assert (k.facts["loading"], k.facts["package"], k.type) == ("geoplot", "sp", "no_package")
    [n] = faults_of("Error in eval(expr, envir, enclos): object 'fit2' not found", "r")  # notebooks: no space
    assert (n.facts["call"], n.type) == ("eval(expr, envir, enclos)", "object_not_found")


def test_no_other_languages_error_in_or_error_lines_are_read_as_r():
    vue = "[Vue warn]: Error in render: \"TypeError: Cannot read properties of undefined (reading 'length')\""
    js = ("Error: Cannot find module 'express'\n"
          "    at Module._resolveFilename (node:internal/modules/cjs/loader:1039:15)\n")
    prose = "Error in processing: the upload was rejected"
    log = "Error: connect ECONNREFUSED 127.0.0.1:5432"
    for text in (vue, js, prose, log, "Error in plugin @vitejs/plugin-react: Transform failed"):
        assert not faults_of(text, "r"), text
    assert [f.language for f in read(js)] == ["javascript"]


# --- answers -------------------------------------------------------------------------------------------


def test_each_languages_family_answer_names_its_operands_and_the_users_frame():
    d = diagnose(JULIA_NEW, KB).best
    assert d.id == "julia.undef_var_error" and not d.generic and "`total`" in d.entry.title
    assert "summary.jl" in d.entry.summary
    d = diagnose(ELIXIR, KB).best
    assert d.id == "elixir.key_error" and not d.generic and ":routes" in d.entry.title
    d = diagnose("Error in library(ggplot3) : there is no package called ‘ggplot3’\nExecution halted\n", KB).best
    assert d.id == "r.no_package" and not d.generic
    assert fill_placeholders(d.entry.quick_fixes[0].command, d.captures) == "Rscript -e 'install.packages(\"ggplot3\")'"
    d = diagnose("julia> using Plots\nERROR: ArgumentError: Package Plots not found in current path.\n", KB).best
    assert d.id == "julia.package_not_found" and 'Pkg.add("Plots")' in fill_placeholders(
        d.entry.quick_fixes[0].command, d.captures)
    assert all(not x.id.startswith(("julia.", "r.", "elixir."))
               for x in diagnose("KeyError: 'routes'\nError: x\n    at f (/a/b.js:1:2)\n", KB).diagnoses)


def test_an_error_the_julia_repl_failed_to_show_is_not_the_failure():
    text = ("julia> f(-1)\nERROR: DomainError with -1.0:\nsqrt will only return a complex result if called with a "
            "complex argument.\nSYSTEM (REPL): showing an error caused an error\n"
            "ERROR: UndefVarError: LAST_SHOWN not defined\nStacktrace:\n [1] show_trace(io::IO)\n"
            "   @ PrettyTraces ~/.julia/packages/PrettyTraces/x1/src/show.jl:40\n")
    first, second = faults_of(text, "julia")
    assert first.handled and not second.handled and second.facts["name"] == "LAST_SHOWN"
    assert diagnose(text, KB).best.id == "julia.undef_var_error"


def test_an_r_warning_below_the_error_does_not_answer_for_it():
    text = ("Error in if (n > 0) { : missing value where TRUE/FALSE needed\n"
            "Calls: <Anonymous> ... eval -> sapply -> lapply -> FUN\nIn addition: Warning message:\n"
            "In rm(results) : object 'results' not found\nExecution halted\n")
    [f] = faults_of(text, "r")
    assert f.type == "error" and "object" not in f.facts
    assert diagnose(text, KB).best.id == "r.error"  # not r.object_not_found: that line is a warning
