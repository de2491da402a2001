"""`errdiag run -- CMD`: run a command, stream its output through live, diagnose it when it fails."""

from __future__ import annotations

import shlex
import signal
from dataclasses import replace

from ..engine import MIN_CONFIDENCE, diagnose
from ..environment import Environment
from ..errors import InputError
from ..exitcodes import ExitCode
from ..inputs import InputSource, file_source
from ..render import RenderOptions, get_renderer
from ..sanitize import plain
from .common import MatchOptions, default_format, load_kb, terminal_format
from .match import render, write_report
from .supervise import DRAIN, Capture, LineGuard, Supervised


def _signal_line(signum: int) -> str:
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    return f"errdiag: the command was terminated by signal {signum} ({name}); exit code {128 + signum}\n"


def exit_status(returncode: int) -> int:
    """The command's status as a shell reports it: 128+N when a signal N killed it."""
    return 128 - returncode if returncode < 0 else returncode


def exit_code_for(policy: str, status: int, recognised: bool) -> int:
    """The exit status errdiag returns under a --fail-on policy."""
    if policy == "never":
        return ExitCode.OK
    if policy == "any":
        return status or (1 if recognised else 0)
    if policy == "unknown":
        return status if status and not recognised else ExitCode.OK
    return status


def run_command(env: Environment, cmd: list[str], fail_on: str, match: MatchOptions, opts: RenderOptions,
                fmt_given: bool = True) -> int:
    """Run `cmd`; without `fmt_given`, the format is github under GitHub Actions, else that of stderr."""
    if not cmd:
        raise InputError("no command given: errdiag run -- CMD [ARGS...]")
    kb = _load_for_run(env, match.kb_dirs)
    passing = [file_source(p) for p in match.baseline]  # a missing baseline fails before the command runs
    capture = Capture()
    sup: Supervised | None = None
    try:
        sup = Supervised(cmd, dict(env.env), str(env.cwd), env.stdout, env.stderr, capture,
                         own_group=not env.stdin_isatty)
    except OSError as exc:
        # the shell's convention: 127 when the program is not found, 126 when it cannot be executed; the
        # line is written as the command's own output so the knowledge base explains it like a shell's
        returncode = 127 if isinstance(exc, FileNotFoundError) else 126
        line = f"errdiag: {_launch_error(cmd[0], exc)}\n"
        env.stderr.write(line)
        capture.write(line.encode())
    else:
        try:
            returncode = sup.wait()
        except KeyboardInterrupt:
            sup.end_partial_lines()  # "errdiag: interrupted" starts a line of its own
            raise
        # from here on, whatever errdiag writes first ends the command's unterminated last lines
        env = replace(env, stdout=LineGuard(env.stdout, sup), stderr=LineGuard(env.stderr, sup))
        if sup.held_open:
            env.stderr.write(f"errdiag: the command exited but a process it started still holds its output "
                             f"open; stopped reading it after {DRAIN:g} s (that process is left running)\n")
    try:
        return _after(env, cmd, fail_on, match, opts, fmt_given, kb, passing, capture, returncode)
    except BaseException:
        if sup is not None:
            sup.end_partial_lines()  # the error line the CLI prints starts a line of its own
        raise
    finally:
        capture.close()


def _after(env: Environment, cmd: list[str], fail_on: str, match: MatchOptions, opts: RenderOptions,
           fmt_given: bool, kb, passing: list, capture: Capture, returncode: int) -> int:
    """Diagnose and report what the command printed; errdiag's exit status."""
    status = exit_status(returncode)
    if returncode < 0:
        # the command printed nothing about its own death: say it in the words CI runners use, so the
        # knowledge base can explain it (exit 137 = SIGKILL, usually the out-of-memory killer)
        capture.write(_signal_line(-returncode).encode())
    if status == 0 and fail_on != "any":
        if opts.output is not None:  # a CI step uploading the report finds it even after a success
            write_report(env, _nothing(match), opts)
        return exit_code_for(fail_on, status, False)
    source = InputSource("<run>", capture.reader, None)
    try:
        result = diagnose(kb=kb, sources=[source], redact=match.redact, baseline=passing,
                          min_confidence=MIN_CONFIDENCE if match.min_confidence is None else match.min_confidence)
    except InputError:  # the command printed nothing
        result = _nothing(match)
    if status or result.diagnoses:
        if not fmt_given:
            fmt = "github" if env.env.get("GITHUB_ACTIONS") == "true" else \
                default_format(env, stream_isatty=env.stderr_isatty)
            opts = replace(opts, format=fmt)
        target = env if get_renderer(terminal_format(env, opts)).for_runner else _to_stderr(env)
        if status:
            shown = shlex.join(cmd)
            if match.redact:
                from ..redact import redact as redact_text

                shown = redact_text(shown)
            env.stderr.write(f"\nerrdiag: `{plain(shown)}` exited with status {status}\n")
        render(target, result, opts)
    elif opts.output is not None:
        write_report(env, result, opts)
    # only a specific diagnosis counts as recognising the failure: a generic one ("make: *** Error 2",
    # "Process completed with exit code 1") is what every failure prints, and must not turn an unknown
    # failure green under --fail-on unknown
    return exit_code_for(fail_on, status, any(not d.entry.generic for d in result.diagnoses))


def _nothing(match: MatchOptions):
    """The result of a run whose output was not diagnosed (or was empty)."""
    from ..models import Result

    return Result((), 0, 0, ("<run>",), match.redact)


def _launch_error(program: str, exc: OSError) -> str:
    """The line a shell prints when `program` cannot be started."""
    if isinstance(exc, FileNotFoundError):
        return f"{program}: command not found"
    if isinstance(exc, PermissionError):
        return f"{program}: Permission denied"
    return f"{program}: cannot execute ({exc.strerror or exc})"


def _load_for_run(env: Environment, kb_dirs: list[str] | None):
    """The knowledge base for `run`; a broken pack is reported and skipped, never a reason not to run."""
    from ..errors import ErrdiagError

    try:
        return load_kb(env, kb_dirs)
    except ErrdiagError as exc:
        env.stderr.write(f"errdiag: warning: {exc}; running the command anyway, diagnosing with the "
                         "knowledge that loads\n")
    try:
        return load_kb(env, kb_dirs, skip_invalid=True)
    except ErrdiagError:
        from ..kb import KnowledgeBase

        return KnowledgeBase([])


def _to_stderr(env: Environment) -> Environment:
    """The same environment with stdout pointing at stderr: the report must not mix into the command's stdout."""
    return replace(env, stdout=env.stderr, stdout_isatty=env.stderr_isatty)
