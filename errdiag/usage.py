"""Read a command line a program refused: the usage errors of the common argument parsers.

A program that cannot make sense of its arguments prints one error line in its parser's own words and, around it,
its usage or a pointer to its help. The parsers read here (their message templates, not any one program's):

- Python argparse / optparse: `usage: prog ...` then `prog: error: unrecognized arguments: --x`, `the following
  arguments are required: x`, `argument --x: invalid choice: 'y' (choose from ...)`, `no such option: --x`;
- Python click / typer: `Usage: prog [OPTIONS]`, `Try 'prog --help' for help.`, `Error: No such option: --x`,
  `Error: Invalid value for '--x': ...`, `Error: Missing argument 'X'.`, `Error: No such command 'x'.`;
- Rust clap 2-4: `error: unexpected argument '--x' found`, `error: Found argument '--x' which wasn't expected`,
  `error: invalid value 'v' for '--x <X>'`, `For more information, try '--help'.`;
- Go cobra / pflag and the standard `flag` package: `Error: unknown flag: --x`, `Error: unknown command "x" for
  "prog"`, `Error: requires at least 1 arg(s), only received 0`, `flag provided but not defined: -x`;
- GNU getopt and BSD programs: `prog: invalid option -- 'x'`, `prog: unrecognized option '--x'`, `prog: option
  requires an argument -- 'x'`, `Try 'prog --help' for more information.`;
- compiler and linker drivers: `gcc: error: unrecognized command-line option '-x'`, `clang: error: unknown argument:
  '-x'`, `ld: unknown option: -x`.

`usage_fault(lines, i)` returns the facts of the usage error stated on line i, or None: `reason` (unknown-option,
unexpected-argument, missing-argument, missing-value, invalid-value, unknown-command), `program` (the program and
its subcommand, as its help or usage names it), `option`, `value`, `argument`, `choices`, `path`, `detail`,
`help_cmd` (the command that lists what it accepts) and `cmdline` (the command as pasted, when it is).
A line whose wording is shared with other errors (`unknown option x`, `too few arguments`) counts only when the
program named itself on it (`prog: ...`) or printed its usage or help pointer within a few lines.
"""

from __future__ import annotations

import re

from .regexes import LazyPattern

# an error line's prefix: the program's name (`prog:`, `prog v1.4:`), and/or the parser's `error:` word
_PROG = r"(?P<prog>[A-Za-z_.][\w.+-]*(?: v?\d[\w.]*)?|\S*/[\w.+-]+)"
# (argparse names a program that has no name of its own by its argv list: `['./bin/tool', 'x']: error: ...`)
_PREFIX = (r"^(?:" + _PROG + r":\s+|\[[^\]]{1,300}\]:\s+)?"
           r"(?:(?P<errword>error|Error|ERROR|fatal)(?:\[\w+\])?:\s+|ERROR: \((?P<gprog>[\w.-]+)\) )?")
_Q = r"""['"‘`“]"""  # an opening quote as parsers print it
_E = r"""['"’“”]"""  # a closing quote

# (reason, regex on the stripped line, strong): a strong wording is a parser's own and needs no usage line around it;
# a weak one counts when the parser's `error:` word or the program's name starts the line, or a usage or help line is
# near. Patterns marked ANY match anywhere in the line (a wrapper may print its own words before the parser's).
_ANY = "(?:^|.*?)"
_PATTERNS: tuple[tuple[str, LazyPattern, bool], ...] = tuple((r, LazyPattern(
    p[len(_ANY):] if p.startswith(_ANY) else _PREFIX + p), s) for r, p, s in (
    # -- options the program does not know
    ("unknown-option", r"unexpected argument '(?P<option>[^']+)' found", True),  # clap 4
    ("unknown-option", r"Found argument '(?P<option>[^']+)' which wasn't expected", True),  # clap 2-3
    ("unknown-option", r"unrecognized arguments: (?P<args>.+)$", True),  # argparse
    ("unknown-option", r"[Nn]o such option: (?P<option>-\S+?)(?:\s+Did you mean (?P<suggest>\S+?)\??)?\.?$", True),
    ("unknown-option", r"unknown (?:shorthand )?flag: (?P<option>.+?)\s*$", True),  # cobra / pflag
    ("unknown-option", _ANY + r"flag provided but not defined: (?P<option>-\S+)", True),  # Go's flag package
    ("unknown-option", r"unrecogni[sz]ed command[- ]line option:? " + _Q + r"?(?P<option>-[^'’\"\s]+)", True),
    ("unknown-option", r"(?:invalid|illegal) option -- " + _Q + r"?(?P<option>[^'’\"\s]+)", True),  # getopt, BSD
    ("unknown-option", r"[Uu]nrecogni[sz]ed option:? " + _Q + r"?(?P<option>-[^'’\"\s]+)", False),
    ("unknown-option", r"(?:[Ii]nvalid|[Uu]nknown|[Bb]ad) (?:option|argument|flag):? " + _Q
     + r"?(?P<option>-[^'’\"\s]*)" + _E + r"?\.?$", False),
    ("unknown-option", r"Unknown option: (?P<bare>[A-Za-z][\w-]*)$", False),  # Perl's Getopt::Long: no dashes
    # -- positional arguments it did not expect
    ("unexpected-argument", r"Got unexpected extra arguments? \((?P<value>[^)]*)\)", True),  # click
    ("unexpected-argument", r"extra operand " + _Q + r"(?P<value>[^'’]+)" + _E, False),  # coreutils
    ("unexpected-argument", r"accepts (?P<want>\d+) arg\(s\), received (?P<got>\d+)", True),  # cobra
    ("unexpected-argument", r"[Tt]oo many (?:positional )?arguments\.?$", False),
    # -- required arguments or options not given
    ("missing-argument", r"the following arguments are required: (?P<argument>.+)$", True),  # argparse
    ("missing-argument", r"Missing argument " + _Q + r"(?P<argument>[^'\"]+)" + _E, True),  # click
    ("missing-argument", r"Missing option " + _Q + r"(?P<option>[^'\"]+)" + _E, True),  # click
    ("missing-argument", r"required flag\(s\) (?P<option>.+?) not set", True),  # cobra
    ("missing-argument", r"requires at least (?P<want>\d+) arg\(s\), only received (?P<got>\d+)", True),  # cobra
    ("missing-argument", r"the following required arguments were not provided:?\s*(?P<argument>\S.*)?$", True),  # clap
    ("missing-argument", r"missing (?:required )?(?:argument|parameter)s?:? " + _Q + r"?(?P<argument>[^'\"\s]+)",
     False),
    ("missing-argument", r"missing (?:file |destination file )?operand", False),  # coreutils
    ("missing-argument", r"too few arguments\.?$", False),  # argparse on Python 2, gcloud
    # -- an option given without its value
    ("missing-value", r"option requires an argument -- " + _Q + r"?(?P<option>[^'’\"\s]+)", True),  # getopt
    ("missing-value", r"[Oo]ption " + _Q + r"(?P<option>-[^'’\"]+)" + _E + r" requires an argument", True),
    ("missing-value", r"argument (?P<option>-\S+?): expected (?:one|\d+|at least one) arguments?", True),  # argparse
    ("missing-value", r"flag needs an argument: (?P<option>.+?)\s*$", True),  # cobra, Go's flag package
    ("missing-value", r"a value is required for '(?P<option>[^']+)' but none was supplied", True),  # clap 4
    ("missing-value", r"The argument '(?P<option>[^']+)' requires a value but none was supplied", True),  # clap 2
    ("missing-value", r"(?P<option>--?[\w-]+) option requires (?:an|\d+) arguments?", True),  # optparse
    # -- a value it does not accept
    ("invalid-value", r"argument (?P<option>\S+?): invalid choice: '(?P<value>[^']*)'"
     r"(?: \(choose from (?P<choices>.+)\))?", True),  # argparse
    ("invalid-value", r"argument (?P<option>\S+?): invalid (?P<type>\w+) value: '(?P<value>[^']*)'", True),  # argparse
    ("invalid-value", r"option (?P<option>-\S+?): invalid (?:choice|\w+ value): '(?P<value>[^']*)'", True),  # optparse
    ("invalid-value", r"[Ii]nvalid value for " + _Q + r"(?P<option>[^'\"]+)" + _E + r": (?P<detail>.+)$",
     True),  # click
    ("invalid-value", r"invalid value '(?P<value>[^']*)' for '(?P<option>[^']+)'(?::\s*(?P<detail>.+))?$",
     True),  # clap 4
    ("invalid-value", r"'(?P<value>[^']*)' isn't a valid value for '(?P<option>[^']+)'", True),  # clap 2
    ("invalid-value", r"invalid argument \"(?P<value>[^\"]*)\" for \"(?P<option>[^\"]+)\" flag: (?P<detail>.+)$", True),
    ("invalid-value", _ANY + r"invalid value \"(?P<value>[^\"]*)\" for flag (?P<option>-\S+): (?P<detail>.+)$",
     True),  # Go's flag package
    # -- a subcommand it does not have
    ("unknown-command", r"No such command " + _Q + r"(?P<value>[^'\"]+)" + _E, True),  # click
    ("unknown-command", r"unknown command \"(?P<value>[^\"]+)\" for \"(?P<cprog>[^\"]+)\"", True),  # cobra
    ("unknown-command", r"unrecognized subcommand '(?P<value>[^']+)'", True),  # clap 4
    ("unknown-command", r"The subcommand '(?P<value>[^']+)' wasn't recognized", True),  # clap 2
    ("unknown-command", r"[Uu]nknown (?:sub)?command:? " + _Q + r"?(?P<value>[^'\"]+?)" + _E + r"?\.?$", False),
))

# the lines around an error that say a parser printed it
_HELP = LazyPattern(r"""(?:[Tt]ry|[Rr]un|[Ss]ee|[Uu]se|[Tt]ype) [`'"‘]"""
                    r"""(?P<help>[^'"’]+?(?: --?help| -h|help\b[^'"’]*))['"’]"""
                    r"""|For more information,? try '?--help'?|[Rr]un '(?P<gohelp>go help [\w ]+)' for""")
_USAGE = LazyPattern(r"^(?:[Uu]sage|USAGE):\s*(?P<rest>\S.*)?$|^Usage of (?P<of>\S+?):$")
_PROMPT = LazyPattern(r"^(?:\([\w.-]+\) )?(?:[\w.@~:/-]*[$#%] |PS [^>]{0,80}> |> )(?P<cmd>[\w./\\-]+(?: .*)?)$")
_POSSIBLE = LazyPattern(r"^\[possible values: (?P<choices>[^\]]+)\]")
_NOT_PROG = frozenset({"error", "Error", "ERROR", "fatal", "E", "warning", "note", "usage", "Usage", "FAILED"})
_CONTEXT = 8  # lines around the error line where its usage or help pointer is looked for
# a cheap test before the regexes, on every line the anatomy reads: a usage error's line names one of these


def maybe(st: str) -> bool:
    return ("option" in st or "Option" in st or "rgument" in st or "flag" in st or "ommand" in st or "operand" in st
            or "value for" in st or "value '" in st or "arg(s)" in st or "wasn't expected" in st)


def _usage_prog(rest: str | None) -> str | None:
    """`usage: go build [-o output] ...` -> `go build`; the words before the first option, placeholder or bracket."""
    if not rest:
        return None
    words: list[str] = []
    for w in rest.split():
        if w[:1] in "[<-{(|" or w.isupper() or w.endswith(":") or "=" in w or "..." in w:
            break
        words.append(w)
        if len(words) == 3:
            break
    return " ".join(words) or None


def usage_fault(lines: list[str], i: int) -> dict[str, str] | None:
    """The facts of the usage error stated on line i (see the module docs), or None."""
    st = lines[i].strip()
    if len(st) > 400 or not maybe(st):
        return None
    found = next(((r, m, s) for r, rx, s in _PATTERNS if (m := rx.search(st))), None)
    if found is None:
        return None
    reason, m, strong = found
    gd = {k: v.strip() for k, v in m.groupdict().items() if v and v.strip()}
    prefix_prog = gd.pop("prog", None)
    if prefix_prog in ("error", "Error", "ERROR", "fatal") and not gd.get("errword"):
        gd["errword"] = prefix_prog  # the parser's `error:` word, read as a program's name
    if prefix_prog and (prefix_prog.split()[0] in _NOT_PROG or prefix_prog.lower().startswith(("error", "warn"))):
        prefix_prog = None
    if prefix_prog:
        prefix_prog = prefix_prog.split()[0]  # `iptables v1.4.21` -> iptables
    lo, hi = max(0, i - _CONTEXT), min(len(lines), i + _CONTEXT + 1)
    around = [x.strip() for x in lines[lo:hi]]
    help_cmd = usage_prog = None
    helped = False
    for x in around:
        h = _HELP.search(x)
        if h:
            helped = True
            help_cmd = help_cmd or h["help"] or h["gohelp"]
        u = _USAGE.match(x)
        if u:
            helped = True
            usage_prog = usage_prog or u["of"] or _usage_prog(u["rest"])
    if not strong and not helped and not prefix_prog and not gd.get("errword", "").islower() and \
            not (gd.get("errword") == "Error" and st.startswith("Error: ")):
        return None  # (`Unknown command` from a server or a REPL, Redis's `ERR`, MySQL's `ERROR at line 1:`, is not
    gd.pop("errword", None)  # a program's command line)
    if gd.get("bare"):
        b = gd.pop("bare")
        gd["option"] = ("-" if len(b) == 1 else "--") + b
    facts: dict[str, str] = {"reason": reason}
    if reason == "unknown-option" and "args" in gd:  # argparse lists options and stray positionals alike
        args = gd.pop("args")
        first = args.split()[0]
        if first.startswith(("-", "–", "—")):
            gd["option"] = first
        else:
            facts["reason"] = reason = "unexpected-argument"
            gd["value"] = args
    if reason == "unknown-option" and gd.get("option", "")[:1] not in ("-", "–", "—", "+", "/", "'") \
            and "flag" not in st and "option --" not in st:
        facts["reason"] = reason = "unexpected-argument"  # clap's "unexpected argument 'foo'": a stray positional
        gd["value"] = gd.pop("option")
    if reason == "invalid-value" and (gd.get("option", "").startswith("{") or gd.get("option") in ("command",
                                                                                                  "subcommand")):
        facts["reason"] = reason = "unknown-command"  # argparse's subcommand argument `{a,b,c}`: an unknown command
    if reason == "unexpected-argument" and gd.get("want") and gd.get("got") and int(gd["got"]) < int(gd["want"]):
        facts["reason"] = reason = "missing-argument"
    for k in ("option", "value", "argument", "choices", "detail", "suggest", "want", "got", "type"):
        if gd.get(k):
            facts[k] = (gd[k] if k in ("choices", "detail") else gd[k].strip("'\"‘’“”`"))[:200]
    if " -- " in st and facts.get("option", "")[:1] not in ("", "-"):
        facts["option"] = "-" + facts["option"]  # getopt names a short option without its dash: `-- 'x'`
    if facts.get("option", "").startswith(("–", "—")):
        facts["dash"] = "typographic"  # a long dash pasted from a web page or a word processor: not `--`
    if reason == "invalid-value" and (d := facts.get("detail")):
        p = re.search(r"(?:Path|File|Directory) '(?P<path>[^']+)' does not exist", d)
        if p:
            facts["path"] = p["path"]
        c = re.search(r"is not one of (?P<choices>.+?)\.?$|(?:[Pp]ossible|[Vv]alid) values?(?: are)?:? (?P<c2>.+?)\.?$",
                      d)
        if c and "choices" not in facts:
            facts["choices"] = (c["choices"] or c["c2"])[:200]
    if reason in ("invalid-value", "missing-argument"):
        for x in lines[i + 1:min(len(lines), i + 4)]:
            if (p := _POSSIBLE.match(x.strip())) and "choices" not in facts:
                facts["choices"] = p["choices"][:200]
            elif reason == "missing-argument" and "argument" not in facts and x.strip()[:1] in ("<", "-") \
                    and "help" not in x:
                facts["argument"] = x.strip()[:100]  # clap lists the missing ones on the lines below
    help_prog = _help_prog(help_cmd) if help_cmd else None
    if help_cmd and help_cmd.split()[1:2] == ["help"] and usage_prog:
        # Go's subcommands print `usage: go build ...` (older releases `usage: install ...`) and point to `go help
        # build` for the build flags every subcommand shares: the usage line names the command that refused
        tool = help_cmd.split()[0]
        help_prog = usage_prog if usage_prog.split()[0] == tool else f"{tool} {usage_prog}"
    program = gd.get("cprog") or help_prog or prefix_prog or usage_prog
    if help_cmd and program and help_cmd.split()[1:2] == ["help"] and program.split()[0] == help_cmd.split()[0]:
        help_cmd = " ".join([program.split()[0], "help", *program.split()[1:]])  # `go help install`
    if gd.get("gprog"):
        program = gd["gprog"].replace(".", " ")  # gcloud names the command with dots: (gcloud.compute.disks.list)
    cmdline = next((p["cmd"] for x in reversed(lines[max(0, i - _CONTEXT):i])
                    if (p := _PROMPT.match(x.strip()))), None)
    if cmdline:
        facts["cmdline"] = cmdline[:300]
        if not program:
            program = cmdline.split()[0]
        elif program == "--help":
            program = None
    if program and program == prefix_prog and "/" in program:
        program = program.rsplit("/", 1)[-1]  # `/usr/local/bin/prog: invalid option` -> prog
    if program:
        facts["program"] = program[:100]
        facts["help_cmd"] = (help_cmd if help_cmd and not help_cmd.startswith("-") else f"{program} --help")[:120]
    return facts


def _help_prog(help_cmd: str) -> str | None:
    """`crewai run --help` -> `crewai run`; `go help build` -> `go build`; `iptables -h` -> `iptables`."""
    words = help_cmd.split()
    if len(words) >= 2 and words[1] == "help":
        return " ".join([words[0], *words[2:]]) or None
    out = [w for w in words if not w.startswith("-") and w != "help"]
    return " ".join(out) or None
