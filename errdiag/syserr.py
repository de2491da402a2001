"""Node.js system errors: a system call that failed, as Node (libuv) names it in the error's message.

Every Node error raised by the operating system prints one of two message templates, whatever the library around it:

    <syscall> [<argument>] <ERRNO> [<address or name>]     connect ECONNREFUSED 127.0.0.1:5432, spawn cmd ENOENT,
                                                             getaddrinfo ENOTFOUND api.example.com, read ECONNRESET
    <ERRNO>: <description>, <syscall> ['<path>' [-> '<dest>']]   ENOENT: no such file or directory, open 'x.json',
                                                             EPERM: operation not permitted, unlink 'C:\\...\\lms.exe'

and, under the stack, an object's fields (`code: 'ECONNREFUSED'`, `syscall: 'connect'`, `address: '127.0.0.1'`,
`port: 8000`, `path: ...`, `spawnargs: [...]`). The errno and the system call together say what failed and what to
check, independently of the program: `read_node` reads them into facts (errno, system call, address, host, port, path,
program, server) and what they mean (`errno_says`, `errno_fix`, `errno_check`), which the `node.network_error`,
`node.fs_error` and `node.spawn_error` family entries put into their answers. The meanings are those of the POSIX
errno names as Node's documentation of common system errors describes them (https://nodejs.org/api/errors.html
#common-system-errors) and of `child_process.spawn` (https://nodejs.org/api/child_process.html).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .regexes import LazyPattern

# the system calls Node names in its messages (libuv's names; `spawn <file>`, `spawnSync <file>` carry the program)
_CALLS = (r"connect|getaddrinfo|getnameinfo|read|write|writev|listen|bind|send|recv|accept|shutdown|kill|"
          r"spawn(?:Sync)?|open|close|unlink|rmdir|mkdir|mkdtemp|scandir|opendir|readdir|stat|lstat|fstat|chmod|"
          r"chown|lchown|rename|symlink|link|copyfile|utime|access|watch|readlink|realpath|uv_cwd|cp|rm|"
          r"query(?:Srv|Txt|A|Aaaa|Cname|Mx|Ns)|uv_os_homedir|fsync|ftruncate|futime|fchmod|fchown")
# errno names this reading explains (others are left to the catch-all answers)
NETWORK = frozenset({"ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EHOSTUNREACH",
                     "ENETUNREACH", "EPIPE", "ECONNABORTED", "EADDRNOTAVAIL", "EADDRINUSE", "EPROTO", "ENETDOWN",
                     "EHOSTDOWN"})
FILES = frozenset({"ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EEXIST", "EMFILE", "ENFILE", "EBUSY",
                   "ENOTEMPTY", "EROFS", "EXDEV", "ELOOP", "ENAMETOOLONG", "ENOSPC", "EBADF", "EIO"})
SPAWN = frozenset({"ENOENT", "EACCES", "EPERM", "EINVAL", "E2BIG", "ENOEXEC", "EAGAIN", "ENOMEM"})
KNOWN = NETWORK | FILES | SPAWN

# `connect ECONNREFUSED 127.0.0.1:5432`, `spawn cmd ENOENT`, `listen EADDRINUSE: address already in use :::3000`
_CALL_FIRST = LazyPattern(
    r"(?<![\w./-])(?P<syscall>" + _CALLS + r")(?: (?P<arg>[^\s'\"]+?))? (?P<errno>E[A-Z0-9]{2,}(?:_[A-Z]+)?)\b"
    r"(?::[^:]*?(?= \S+$))?(?: (?P<target>[^\s,;)]+))?")
# `ENOENT: no such file or directory, open '/x/y.json'`, `EBUSY: resource busy or locked, rename 'a' -> 'b'`
_ERRNO_FIRST = LazyPattern(
    r"(?<![\w-])(?P<errno>E[A-Z0-9]{2,}): (?P<desc>[a-z][a-z ,']*?), (?P<syscall>" + _CALLS + r")\b"
    r"(?: '(?P<path>[^']*)'(?: -> '(?P<dest>[^']*)')?)?")
# the fields Node prints under the stack of a system error
_FIELD = LazyPattern(r"""^\s*(?P<key>syscall|address|port|path|dest|hostname|host|code|errno|spawnargs)\s*:\s*"""
                    r"""(?P<value>'[^']*'|"[^"]*"|-?\d+|\[[^\]]*\]?|\S+?)\s*,?\s*$""")

# the npm package a stack's frames or a message name -> the server it talks to
_CLIENTS = (
    (LazyPattern(r"\b(?:mongodb|mongoose)\b|MongoNetworkError|MongoServerSelectionError", re.I), "MongoDB"),
    (LazyPattern(r"\b(?:ioredis|node_redis|@redis/client|redis)\b", re.I), "Redis"),
    (LazyPattern(r"node_modules[/\\](?:pg|pg-pool|postgres|pg-promise)[/\\]|\bpostgres(?:ql)?\b", re.I),
     "PostgreSQL"),
    (LazyPattern(r"node_modules[/\\]mysql2?[/\\]|\bmysql\b", re.I), "MySQL"),
    (LazyPattern(r"\bamqplib\b|\bamqp://", re.I), "RabbitMQ"),
    (LazyPattern(r"\bkafkajs\b", re.I), "Kafka"),
    (LazyPattern(r"\belasticsearch\b|@elastic[/\\]", re.I), "Elasticsearch"),
)
_PORTS = {"5432": "PostgreSQL", "3306": "MySQL", "27017": "MongoDB", "6379": "Redis", "9200": "Elasticsearch",
          "5672": "RabbitMQ", "9092": "Kafka", "11434": "Ollama", "2375": "the Docker daemon",
          "2376": "the Docker daemon", "9222": "the browser's remote-debugging endpoint"}
# an address named elsewhere in the message (`Redis connection to 127.0.0.1:6379 failed - connect ECONNREFUSED`)
_ADDRESS = LazyPattern(r"(?<![\w/.-])(?P<a>(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-fA-F:]+\]|[\w-]+(?:\.[\w-]+)+)"
                      r":(?:\d{2,5}|\[object \w+\]|undefined|null|NaN))(?![\w.])")
# what an address looks like: host:port, an IP, a host name with a dot, a port alone (`:::3000`)
_PLAUSIBLE = LazyPattern(r"^(?:.+:\w+|\d{1,3}(?:\.\d{1,3}){3}|[\w-]+(?:\.[\w-]+)*\.[A-Za-z][\w-]*|localhost)$")
# a value that is no address: an object or an unset variable where the host, port or path goes
_NOT_A_VALUE = LazyPattern(r"\[object \w+\]|\bundefined\b|\bnull\b|\bNaN\b")


def match(text: str) -> re.Match | None:
    """The first system-error template in `text` whose errno this module explains (a line or a message)."""
    for rx in (_ERRNO_FIRST, _CALL_FIRST):
        for m in rx.finditer(text):
            if m["errno"] in KNOWN:
                return m
    return None


def read_node(message: str, block: Sequence[str] = ()) -> dict[str, str]:
    """The facts of a Node system error stated in `message` (with the fields printed in `block`, the lines of its
    stack), or {} when the message holds none of the templates. Keys: errno, node_syscall, node_target, host, port,
    path, node_dest, node_program, node_spawned, node_service, node_peer (what a network call tried to reach or start,
    in words),
    errno_group (network, files, spawn), errno_says, errno_fix, errno_check. Besides the standard host, port and
    path, the names are this reading's own, so that they fill no other entry's placeholders."""
    m = match(message)
    fields: dict[str, str] = {}
    for x in block[:60]:
        f = _FIELD.match(x)
        if f and f["key"] not in fields:
            fields[f["key"]] = f["value"].strip("'\"")
    if m is None:
        return {}
    gd = m.groupdict()
    errno, syscall = gd["errno"], gd["syscall"]
    facts = {"errno": errno, "node_syscall": syscall}
    path = gd.get("path") or fields.get("path") or ""
    if syscall.startswith("spawn"):
        command = gd.get("arg") or fields.get("path") or ""
        if not command and fields.get("spawnargs"):
            command = ""
        if command:
            facts["node_program"] = command.strip("'\"")
        # what could not be started, for the answer to be specific: the program, or (EINVAL, which names none) the
        # `.bat`/`.cmd` file Windows releases of Node refuse to start without a shell
        spawned = facts.get("node_program") or ("a .bat/.cmd file (Windows)" if errno == "EINVAL" else "")
        if spawned:
            facts["node_spawned"] = spawned
        facts["errno_group"] = "spawn"
    elif errno in NETWORK and syscall not in ("open", "stat", "lstat", "scandir", "mkdir", "unlink", "rename"):
        target = gd.get("target") or ""
        if not target and fields.get("address"):
            target = fields["address"] + (f":{fields['port']}" if fields.get("port") else "")
        if not target and fields.get("hostname"):
            target = fields["hostname"]
        if not target and (a := _ADDRESS.search(message)):
            target = a["a"]
        target = target.rstrip(".,;")
        if target and not _PLAUSIBLE.match(target) and not _NOT_A_VALUE.search(target):
            target = ""  # a cut-off paste (`connect ECONNREFUSED 180.235.`): no address to name
        if target:
            facts["node_target"] = target
            host, _, port = target.rpartition(":") if re.search(r":\w+$", target) and syscall != "getaddrinfo" \
                else (target, "", "")
            if syscall == "listen":
                host, port = "", port or target.lstrip(":")
            if host:
                facts["host"] = host.strip("[]")
            if port:
                facts["port"] = port
        facts["errno_group"] = "network"
    elif errno in FILES:
        if path:
            facts["path"] = path
        if gd.get("dest"):
            facts["node_dest"] = gd["dest"]
        facts["errno_group"] = "files"
    else:
        return {}
    service = _service(message, block, facts.get("port", ""))
    if service:
        facts["node_service"] = service
    if facts["errno_group"] == "network" and (facts.get("node_target") or service):
        # what the call tried to reach, in words: the answer is specific when it can name it
        target = facts.get("node_target", "")
        facts["node_peer"] = f"{service} at {target}" if service and target else service or f"the server at {target}"
    says, fix, check = _explain(facts)
    facts["errno_says"], facts["errno_fix"] = says, fix
    if check:
        facts["errno_check"] = check
    return {k: v for k, v in facts.items() if v}


def _service(message: str, block: Sequence[str], port: str) -> str:
    """The server a connection error was about: named by the client library in the frames or the message, else by
    a well-known port."""
    text = message + "\n" + "\n".join(x for x in block[:40] if "node_modules" in x)
    for rx, name in _CLIENTS:
        if rx.search(text):
            return name
    return _PORTS.get(port, "")


def _explain(f: dict[str, str]) -> tuple[str, str, str]:
    """What the failed call means, the first thing to do, and a command that checks it."""
    errno, call = f["errno"], f["node_syscall"]
    target, host, port = f.get("node_target", ""), f.get("host", ""), f.get("port", "")
    service = f.get("node_service", "")
    server = f"{service} at {target}" if service and target else service or (
        f"the server at {target}" if target else "the server")
    if f["errno_group"] == "spawn":
        cmd = f"`{f['node_program']}`" if f.get("node_program") else "the program"
        says, fix = _SPAWN.get(errno, _SPAWN_OTHER)
        check = f"which {f['node_program']} (Windows: where {f['node_program']})" if f.get("node_program") else ""
        return says.format(cmd=cmd, errno=errno), fix.format(cmd=cmd, errno=errno), check
    if f["errno_group"] == "network":
        if _NOT_A_VALUE.search(target):
            return (f"the address Node tried to reach is `{target}`: a value that is no host or port (an object "
                    "or an unset variable) was passed where the host, port or URL goes",
                    "Print the host, port and URL your code passes to the client just before the call; pass a "
                    "string host and a number port (check the client's constructor signature for your version and "
                    "every environment variable the address is built from)", "")
        says, fix, check = _NETWORK.get(errno, _NETWORK_OTHER)
        if errno == "ETIMEDOUT" and call in ("read", "write", "writev", "send"):
            says, fix, check = _ESTABLISHED_TIMEOUT  # not the connect: an open connection went silent
        values = {"server": server, "target": target or "the address", "host": host or target or "the host",
                  "port": port or "the port", "errno": errno, "call": call}
        return says.format(**values), fix.format(**values), check.format(**values) if (host and port) or (
            errno in ("ENOTFOUND", "EAI_AGAIN") and (host or target)) else ""
    path = f.get("path", "")
    where = f"`{path}`" if path else "the path"
    says, fix = _FILES.get(errno, _FILES_OTHER)
    values = {"where": where, "call": call, "errno": errno, "dest": f.get("node_dest", "the destination")}
    check = f"ls -ld {_quote(path)} {_quote(_parent(path))}" if path else ""
    return says.format(**values), fix.format(**values), check


def _parent(path: str) -> str:
    cut = max(path.rstrip("/\\").rfind("/"), path.rstrip("/\\").rfind("\\"))
    return path[:cut] if cut > 0 else "."


def _quote(path: str) -> str:
    return "'" + path.replace("'", "'\\''") + "'" if re.search(r"[\s'\"$`]", path) else path


_SPAWN = {
    "ENOENT": ("Node could not start {cmd}: no such executable was found on the PATH this process "
               "sees (it is not installed, it is installed somewhere the PATH of this shell, service or IDE does "
               "not include, or on Windows a `.cmd`/`.bat` shim such as npm or yarn is run without a shell, or "
               "C:\\Windows\\System32 is missing from PATH when the program is cmd); the `cwd` option naming a "
               "folder that does not exist fails the same way",
               "Check that {cmd} runs by name in the same terminal or environment (which / where finds it): install "
               "it or add its folder to PATH for this process, and check the working directory the spawn uses"),
    "EACCES": ("Node found {cmd} but may not execute it: the file lacks execute permission, or the folder or "
               "filesystem it is on forbids running programs (noexec)",
               "Make {cmd} executable (`chmod +x`) or run it through its interpreter, and check the mount "
               "options of the folder it is in"),
    "EINVAL": ("Node refused to start {cmd} with these arguments: on Windows, Node releases since April 2024 "
               "(18.20.2, 20.12.2, 21.7.3 and later, the fix of CVE-2024-27980) no longer start a `.bat`/`.cmd` "
               "file (npm, npx, yarn and other shims) directly, without a shell; otherwise an option value (cwd, "
               "env, stdio) is invalid",
               "Upgrade the tool that spawns it to a release made for current Node (most fixed this in 2024), or "
               "start the `.cmd`/`.bat` through a shell (exec(), or `cmd.exe /c` with it); check the options passed "
               "to spawn"),
    "EPERM": ("the operating system forbade starting {cmd}: security software or a policy blocked it, or the "
              "process may not create children (a sandbox)",
              "Check the antivirus or application-control log for {cmd}, and whether the app runs sandboxed"),
    "E2BIG": ("the argument list or environment passed to {cmd} is longer than the system allows",
              "Pass fewer or shorter arguments (a file list in a file) or a smaller environment"),
}
_SPAWN_OTHER = ("Node could not start {cmd} ({errno})",
                "Check that {cmd} is installed and runs from the same environment")

_NETWORK = {
    "ECONNREFUSED": ("nothing accepted the connection to {server}: no server is listening at that address and port "
                     "(it is not running or not started yet, listens on another port or interface, or, inside a "
                     "container, `localhost` is the container itself)",
                     "Start {server} (or check that it is up) and that it listens on {port}; then check the host "
                     "and port your code or configuration uses (a base URL, an environment variable, a default "
                     "the client falls back to when the variable is unset)",
                     "nc -vz {host} {port}"),
    "ETIMEDOUT": ("the connection to {server} got no answer before the timeout: the host is not reachable from this "
                  "machine or container (a firewall or security group dropping the packets, a wrong IP address, a "
                  "VPN or proxy that is needed, a server that is down or overloaded)",
                  "Check that {target} is reachable from where the code runs (the same container or network), that "
                  "the firewall or security group lets the port through, and whether a proxy is required",
                  "nc -vz -w 5 {host} {port}"),
    "ECONNRESET": ("the other end ({server}) closed the connection abruptly in the middle of an exchange: the "
                   "server crashed or restarted, a proxy or load balancer dropped an idle or long request, or the "
                   "two sides disagree on the protocol (TLS to a plain port, a proxy in between)",
                   "Look at {server}'s own log at that time; retry idempotent requests, keep idle connections shorter "
                   "than the server's or proxy's idle timeout, and check the protocol (http vs https) and proxy "
                   "settings",
                   "nc -vz {host} {port}"),
    "ENOTFOUND": ("the host name `{host}` could not be resolved by DNS: a typo or an unset variable in the URL, no "
                  "network or DNS from here, or a name that only exists on another network (a Docker Compose "
                  "service name used from the host, an internal or VPN-only name)",
                  "Check the host in the URL or connection string your code uses (print it: an empty or `undefined` "
                  "variable shows here) and resolve it from the same machine or container",
                  "nslookup {host}"),
    "EAI_AGAIN": ("the DNS lookup of `{host}` failed for now: this machine or container has no working DNS or "
                  "network at the moment (offline, a container without network, a VPN or proxy in the way)",
                  "Check the network and DNS of the machine or container that runs the code (resolve `{host}` "
                  "there), then retry",
                  "nslookup {host}"),
    "EAI_FAIL": ("the DNS lookup of `{host}` failed for good: the name server could not answer for it",
                 "Check the host name and the DNS configuration of this machine", "nslookup {host}"),
    "EHOSTUNREACH": ("there is no route to {server}: the host is down or on a network this machine cannot reach",
                     "Check the IP address and the route to it (VPN, subnet, container network)", "ping {host}"),
    "ENETUNREACH": ("the network of {server} cannot be reached from this machine (no route: often IPv6 chosen "
                    "where only IPv4 works, or no network at all)",
                    "Check the network connection; if the address is IPv6, prefer IPv4 (`--dns-result-order="
                    "ipv4first`) or fix the IPv6 route", "ping {host}"),
    "EPIPE": ("the program wrote to a connection or pipe whose other end ({server}) had already closed it",
              "Find why the other end closed first (its log, a timeout, a crash); stop writing after a 'close' or "
              "'error' event", ""),
    "ECONNABORTED": ("the connection to {server} was aborted before it completed (a timeout or the other side "
                     "giving up)", "Check {server}'s log and the timeouts on both sides", ""),
    "EADDRINUSE": ("another process already listens on {port}, so this server cannot bind it (often an earlier "
                   "run of the same app still running)",
                   "Stop the other process (find it with lsof or netstat) or start this one on another port",
                   "lsof -i :{port}"),
    "EADDRNOTAVAIL": ("the address {target} is not one of this machine's own addresses, so nothing can bind or "
                      "connect from it (a fixed IP that belongs to another host or container)",
                      "Listen on 0.0.0.0 (or the machine's real address) instead of a fixed IP that is not local",
                      ""),
    "EPROTO": ("the TLS handshake with {server} failed at the protocol level (a plain HTTP port spoken to with "
               "https, an old TLS version, a proxy intercepting the connection)",
               "Check the URL's scheme and port (https to an http port fails this way) and the proxy settings", ""),
}
_ESTABLISHED_TIMEOUT = (
    "an open connection to {server} went silent: a {call} on it timed out (the connection was established, then the "
    "other side or something in between stopped answering: an idle connection dropped by a NAT, firewall or load "
    "balancer, a server restart or overload, a network blip)",
    "Handle the client's 'error' event and let it reconnect (a reconnect or retry option, keep-alive shorter than the "
    "idle timeout in between); if it happens often, look at {server}'s load and log and the network path at that time",
    "")
_NETWORK_OTHER = ("the network call `{call}` to {server} failed with {errno}",
                  "Check that {target} is reachable from where the code runs", "")

_FILES = {
    "ENOENT": ("the {call} call found no file or folder at {where}: the path does not exist (a relative path is "
               "resolved against the process's working directory, not the script's folder)",
               "Check that {where} exists from the working directory the program runs in (create it, run the step "
               "that generates it, or fix the path or the variable it comes from)"),
    "EACCES": ("the user running Node may not {call} {where}: its permissions or owner forbid it (files created by "
               "root with sudo, a global npm folder owned by root, a protected system folder)",
               "Give the user that runs the program access to {where} (fix the owner with chown rather than running "
               "the tool with sudo), or use a folder it owns"),
    "EPERM": ("the operating system refused to {call} {where}: on Windows almost always because another process "
              "has the file open or locked (the program itself still running, an editor, antivirus or indexing, "
              "a file watcher), or the file is read-only; elsewhere a permission or ownership rule forbids it",
              "Close whatever holds {where} (a running copy of the program, a terminal or editor in that folder, "
              "antivirus scanning it) and run again; check the file is not read-only and that you own it"),
    "EBUSY": ("{where} is busy or locked by another process, so it cannot be {call}d now (Windows: an open handle "
              "from an editor, antivirus, a watcher or a running program)",
              "Close the process that holds {where} and run again"),
    "EISDIR": ("the {call} call expected a file but {where} is a folder",
               "Pass the path of a file, not of the folder that contains it"),
    "ENOTDIR": ("a part of {where} that should be a folder is a file", "Fix the path: a file sits where a folder "
                "is expected (or the file and folder names clash)"),
    "EEXIST": ("{where} already exists, so {call} refused to create it",
               "Remove it first, or use the call's option to accept an existing one (mkdir's recursive, a force "
               "flag)"),
    "EMFILE": ("the process has too many files open at once (the per-process limit): many files read in "
               "parallel, leaked handles, or a file watcher on a large folder",
               "Raise the limit (`ulimit -n`) or open fewer files at once (graceful-fs, a queue), and close "
               "handles; exclude large folders from watchers"),
    "ENFILE": ("the whole system has too many files open", "Find the process holding many files and raise the "
               "system limit"),
    "ENOTEMPTY": ("the folder {where} is not empty, so it cannot be {call}d over or removed that way",
                  "Remove its contents first (or remove it recursively), then run again"),
    "EROFS": ("{where} is on a read-only filesystem", "Write to a writable location (a temp or data folder) or "
              "remount it read-write"),
    "EXDEV": ("{where} cannot be renamed to {dest}: they are on different filesystems or drives",
              "Copy and delete instead of renaming, or keep both paths on one filesystem"),
    "ELOOP": ("resolving {where} goes round a loop of symbolic links", "Find and fix the link that points back "
              "into its own path"),
    "ENAMETOOLONG": ("{where} is longer than the filesystem allows", "Shorten the path (a shallower project "
                     "folder; on Windows enable long paths)"),
    "ENOSPC": ("the disk holding {where} is full (or, for watch, the system's limit of file watchers is reached)",
               "Free disk space (or raise fs.inotify.max_user_watches for watchers) and run again"),
    "EBADF": ("the {call} call used a file descriptor that is already closed", "Look for code that closes the file "
              "or stream before this call finishes"),
    "EIO": ("the disk or device failed the {call} on {where} (an I/O error)", "Check the disk and the "
            "filesystem's health (dmesg, chkdsk) and the device it is on"),
}
_FILES_OTHER = ("the {call} call on {where} failed with {errno}", "Check {where} and the permissions on it")
