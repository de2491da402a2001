"""What a cut-off Python traceback still says: the innermost frame it reached, whose code that frame is, and, when
the text names the exception's type without its message (IPython's header `OSError    Traceback (most recent call
last)`), what that type means raised there and the first thing to do about it.

The anatomy reads a traceback without its last line as a `truncated` fault; `cut_facts` adds these readings to its
facts (they become the answer's captures: `stops_at`, `stops_owner`, `stops_pkg`, `type_means`, `cut_fix`,
`cut_fix_note`; for a chain whose last traceback is cut, `cause_frame`: where the exception it was raised while
handling was raised). The family entries `python.traceback_cut_typed` and `python.traceback_cut_after_handled` word
them.
"""

from __future__ import annotations

import re

# the everyday programming-error types: raised inside an installed package's own code they mostly mean a release of
# it that does not go with another package it uses, or with the calling code (families.EVERYDAY_TYPES, Python's)
_EVERYDAY = frozenset({"AttributeError", "TypeError", "KeyError", "IndexError", "NameError", "UnboundLocalError",
                       "ImportError", "ModuleNotFoundError"})
# the types raised when a connection or a name lookup failed, and the modules whose OSError is one
_NETWORK_TYPES = frozenset({"ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
                            "ConnectionAbortedError", "TimeoutError", "gaierror", "timeout", "NewConnectionError",
                            "MaxRetryError",
                            "ConnectTimeout", "ReadTimeout", "ConnectTimeoutError", "ReadTimeoutError",
                            "ProtocolError", "RemoteDisconnected", "ConnectError", "SSLError",
                            "ClientConnectorError", "ServerDisconnectedError"})
_NETWORK_CODE = re.compile(r"[/\\](?:urllib3|requests|httpx|httpcore|aiohttp|websockets?|grpc|botocore|paramiko|"
                           r"socket\.py|ssl\.py|http[/\\]client\.py|urllib[/\\]request\.py|asyncio[/\\](?:base_events|"
                           r"selector_events|streams)\.py)")
# exceptions a library raises and handles on purpose (flow control: anyio's WouldBlock, StopIteration; a lookup or
# an import tried first with a fallback: a cache's KeyError, an optional import's ImportError): the exception raised
# while handling one of them is the failure, and the handled one says nothing about it
FLOW_CONTROL = frozenset({"WouldBlock", "EndOfStream", "StopIteration", "StopAsyncIteration", "CancelledError",
                          "GeneratorExit", "ClosedResourceError", "BrokenResourceError", "Empty", "Full",
                          "KeyError", "AttributeError", "IndexError", "LookupError", "ImportError",
                          "ModuleNotFoundError", "FileNotFoundError", "NameError", "DoesNotExist",
                          "ObjectDoesNotExist", "NoSuchKey"})

_MEANS = {
    "AttributeError": "an object does not have the attribute or method the code asked for (often a None where an "
                      "object was expected, or an API that another release renamed or removed)",
    "TypeError": "a function got a value of the wrong type, or the wrong number or names of arguments (often an "
                 "API whose signature changed between releases)",
    "KeyError": "a dict or mapping was asked for a key it does not have",
    "IndexError": "a list, tuple or array was indexed past its length (often an empty result)",
    "NameError": "a name was used that is not defined or imported in that scope",
    "UnboundLocalError": "a local variable was read before any value was assigned to it",
    "ImportError": "an import failed: a module that is not installed, or a name the installed release does not have",
    "ModuleNotFoundError": "an import named a module that is not installed in the Python that ran the code",
    "ValueError": "a function got a value of the right type that it does not accept (a setting, a name, a shape "
                  "or a format it does not support)",
    "FileNotFoundError": "a file or directory the code opened does not exist (a relative path read from another "
                         "working directory, a download or build step that did not happen)",
    "PermissionError": "the process is not allowed to read, write or run a file or directory it tried",
    "IsADirectoryError": "the code opened a directory where it expected a file",
    "OSError": "the operating system refused an operation on a file, a device or a connection (the message's errno "
               "says which); a library that cannot load a model or a resource also raises it",
    "IOError": "the operating system refused an operation on a file, a device or a connection",
    "EnvironmentError": "the operating system (or a library loading a resource) refused an operation",
    "RuntimeError": "a library refused a state or an input it cannot continue from (its message is the diagnosis)",
    "AssertionError": "an `assert` in the code did not hold: a check of an input or a state failed",
    "NotImplementedError": "the code called a method that this class, backend or device does not provide",
    "RecursionError": "a function called itself (directly or through others) past Python's recursion limit",
    "MemoryError": "the process could not allocate memory for an object (too large an input or batch)",
    "ZeroDivisionError": "a division or modulo by zero",
    "OverflowError": "a number too large for the operation",
    "UnicodeDecodeError": "bytes were decoded with an encoding they are not in",
    "UnicodeEncodeError": "text was written with an encoding that cannot hold some of its characters",
    "JSONDecodeError": "text that is not (only) a JSON document was parsed as JSON (an empty reply, an HTML error "
                       "page, extra text around the JSON)",
    "HTTPError": "an HTTP request was answered with an error status (the message names the status and the URL)",
    "CalledProcessError": "a command the code ran exited with a non-zero status (its own output above says why)",
    "SSLError": "a TLS connection failed (a certificate the client does not trust, a proxy in between)",
    "KeyboardInterrupt": "the run was interrupted (Ctrl-C, or the job was stopped)",
    "StopIteration": "next() was called on an exhausted iterator or generator (an empty input, or a bug of the code "
                     "that lets it escape)",
    # the HTTP client libraries' and API SDKs' classes for an error status (httpx, openai>=1 and anthropic name them
    # after the status; openai<1 used InvalidRequestError for 400/404)
    "HTTPStatusError": "an HTTP request got a 4xx or 5xx status (the client's raise_for_status): the message names the "
                       "status and the URL",
    "BadRequestError": "the API answered 400 Bad Request: a parameter, a model name or the request body it does not "
                       "accept",
    "AuthenticationError": "the API answered 401: the API key is missing, wrong or for another account or endpoint",
    "PermissionDeniedError": "the API answered 403: the key or account may not use this model, region or endpoint",
    "NotFoundError": "the API answered 404 Not Found: a model, deployment or endpoint name that this account or base "
                     "URL does not have",
    "UnprocessableEntityError": "the API answered 422: the request body does not match what the endpoint expects",
    "RateLimitError": "the API answered 429: a rate limit or the account's quota was reached",
    "InternalServerError": "the API answered with a 5xx status: a failure on the server's side",
    "APIConnectionError": "the client could not reach the API at all (network, proxy, DNS or a wrong base URL)",
    "APITimeoutError": "the API did not answer in time",
    "InvalidRequestError": "the API rejected the request (the openai<1.0 SDK's class for a 400 or 404: a wrong or "
                           "retired model or engine name, or a parameter it does not accept)",
    "ResponseError": "the server the client talks to answered with an error status (the message carries its reply)",
}
_NETWORK_MEANS = ("a network connection failed: the host the code connects to could not be resolved or reached, "
                  "refused the connection or did not answer in time (DNS, a proxy or firewall, no network, an offline "
                  "machine, a server that is down)")
_PACKAGE = re.compile(r"^the Python package (?P<n>[\w.-]+)$")


def _short(t: str) -> str:
    return t.rsplit(".", 1)[-1]


_RAISE = re.compile(r"^-*>\s*\d+\s+raise\s+(?:[\w.]+\.)?(?P<type>\w+)\((?P<rest>.*)$")
_NUMBERED = re.compile(r"^\s*\d+\s(?P<code>.*)$")
_LITERAL = re.compile(r"[fbr]{0,2}(?P<q>[\"'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)")
RAISE_SPAN = 40  # lines above a cut-off traceback's end searched for its innermost frame's `raise` line
RAISE_LINES = 4  # source lines under the frame's own `raise X(` line read for its message


def raised_with(type_: str, lines: list[str]) -> str:
    """The message a cut-off IPython traceback's innermost frame raises its exception with, when that frame's own
    line (the `-->` arrow) is `raise <the header's type>(` and string literals follow on it and the next numbered
    source lines (Python joins adjacent literals): `raise ValueError(` / `"Invalid filepath extension for saving. "`
    / `"Please add ..."`. `lines`: the traceback's lines from the innermost frame on. "" when there is none."""
    short = _short(type_)
    for i, line in enumerate(lines):
        m = _RAISE.match(line.strip())
        if not m or m["type"] != short:
            continue
        parts = [x["s"] for x in _LITERAL.finditer(m["rest"])]
        for nxt in lines[i + 1:i + 1 + RAISE_LINES]:
            n = _NUMBERED.match(nxt.strip())
            if not n or n["code"].lstrip().startswith(")"):
                break
            parts += [x["s"] for x in _LITERAL.finditer(n["code"])]
        said = " ".join(" ".join(p.split()) for p in parts if p.strip()).strip()
        return said[:300]
    return ""


def cut_facts(type_: str | None, frames: list, owner: str = "") -> dict[str, str]:
    """The readings of a cut-off Python traceback with these frames (anatomy.Frame, innermost first) and, when the
    text names it, its exception type (see the module docs). `owner`: who owns the innermost placed frame's file when
    it is not the user's (anatomy.owner_of: `the Python package urllib3`, `Python's standard library`), else ""; the
    anatomy tells, this module imports nothing of it (it is imported by it)."""
    facts: dict[str, str] = {}
    inner = next((f for f in frames if f.file), None)
    if inner is None:
        return facts
    facts["stops_at"] = inner.describe()
    owner = "" if inner.user else owner
    pkg = _PACKAGE.match(owner)
    facts["stops_owner"] = owner or ("your code" if inner.user else "a library")
    if pkg:
        facts["stops_pkg"] = pkg["n"]
    if not type_:
        return facts
    short = _short(type_)
    network = short in _NETWORK_TYPES or (short in ("OSError", "IOError", "error", "EnvironmentError")
                                          and any(_NETWORK_CODE.search(f.file or "") for f in frames[:3]))
    if network:
        facts["type_means"] = _NETWORK_MEANS
        facts["cut_fix"] = ("Check that the host the code connects to is reachable from this machine (DNS, proxy "
                            "settings, firewall, an offline mode), then run again")
        facts["cut_fix_note"] = ("`curl -sSI <the URL or host the code calls>` from the same machine (and the same "
                                 "proxy variables) shows whether it answers; the message line names the host and "
                                 "the errno.")
        return facts
    means = _MEANS.get(short)
    if means:
        facts["type_means"] = means
    if pkg and short in _EVERYDAY:
        n = pkg["n"]
        facts["type_means"] = (f"{means}; with the frames ending inside {owner}'s own code, this mostly means that {n} "
                               "and a package it uses (or your code) are at releases that do not go together")
        facts["cut_fix"] = (f"Check which release of {n} is installed and what your code and the packages around it "
                            "expect of it; upgrade it or pin the release your code was written for")
        facts["cut_fix_note"] = (f"`python -m pip show {n}` prints its release; compare it with the release your code "
                                 f"or its requirements name, and search {n}'s changelog and issues for "
                                 f"{short} in {inner.func or 'that function'}.")
    return facts

