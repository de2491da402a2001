"""Node's system errors read from their message templates (errdiag/syserr.py) and answered by the node.network_error,
node.fs_error and node.spawn_error families."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import anatomy, diagnose, syserr
from errdiag.kb import load_knowledge


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def _top(kb, text):
    return diagnose(text, kb).best


def test_call_first_template_reads_address_and_service():
    f = syserr.read_node("connect ECONNREFUSED 127.0.0.1:6379",
                         ["    at TCPConnectWrap.afterConnect (node:net:1555:16)",
                          "/srv/app/node_modules/ioredis/built/redis/index.js"])
    assert f["errno"] == "ECONNREFUSED" and f["node_syscall"] == "connect"
    assert (f["host"], f["port"], f["node_service"]) == ("127.0.0.1", "6379", "Redis")
    assert f["node_peer"] == "Redis at 127.0.0.1:6379"
    assert "nothing accepted the connection" in f["errno_says"]


def test_listen_and_dns_targets():
    f = syserr.read_node("listen EADDRINUSE: address already in use :::3000")
    assert f["port"] == "3000" and "host" not in f
    g = syserr.read_node("getaddrinfo ENOTFOUND db.internal.example")
    assert g["host"] == "db.internal.example" and "could not be resolved" in g["errno_says"]


def test_fields_under_the_stack_give_the_address():
    f = syserr.read_node("connect ECONNREFUSED", ["  code: 'ECONNREFUSED',", "  syscall: 'connect',",
                                                  "  address: '10.0.0.5',", "  port: 5432"])
    assert f["node_target"] == "10.0.0.5:5432" and f["node_service"] == "PostgreSQL"


def test_an_object_where_the_port_goes_is_named():
    f = syserr.read_node("Redis connection to 127.0.0.1:[object Object] failed - connect ECONNREFUSED")
    assert f["node_target"] == "127.0.0.1:[object Object]"
    assert "no host or port" in f["errno_says"]


def test_errno_first_template_reads_path():
    f = syserr.read_node("EPERM: operation not permitted, unlink 'C:\\tmp\\a.exe'")
    assert (f["errno"], f["node_syscall"], f["path"]) == ("EPERM", "unlink", "C:\\tmp\\a.exe")
    assert f["errno_group"] == "files"
    g = syserr.read_node("EBUSY: resource busy or locked, rename 'a' -> 'b'")
    assert g["node_dest"] == "b"


def test_spawn_names_the_program():
    f = syserr.read_node("spawn ffmpeg ENOENT")
    assert f["node_program"] == "ffmpeg" and f["errno_group"] == "spawn" and "PATH" in f["errno_says"]


@pytest.mark.parametrize("text", [
    "ConnectionRefusedError: [Errno 111] Connection refused",           # Python
    "dial tcp 127.0.0.1:5432: connect: connection refused",             # Go
    "Errno::ECONNREFUSED: Failed to open TCP connection to localhost:3000 (Connection refused - connect(2))",
    "FileNotFoundError: [Errno 2] No such file or directory: 'a.txt'",
    "The request failed with ECONNREFUSED",                              # no system call named
    "connect EFOO 1.2.3.4:5",                                             # no errno this reading explains
])
def test_other_templates_are_not_nodes(text):
    assert syserr.read_node(text) == {}


def test_cut_off_address_is_not_named():
    assert "node_target" not in syserr.read_node("connect ECONNREFUSED 180.235.")


def test_anatomy_reads_a_log_line_as_a_node_error():
    faults = anatomy.read("12:00:01 ioredis:connection error: Error: connect ETIMEDOUT 10.1.2.3:6379")
    f = next(f for f in faults if f.kind == "exception")
    assert f.language == "javascript" and f.code == "ETIMEDOUT" and f.facts["node_service"] == "Redis"


def test_network_family_answers_with_the_peer(kb):
    d = _top(kb, "Error: connect ECONNREFUSED 127.0.0.1:8000\n"
                 "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)")
    assert d.id == "node.network_error" and not d.generic
    assert "127.0.0.1:8000" in d.entry.summary and "nc -vz 127.0.0.1 8000" in d.entry.quick_fixes[0].note


def test_spawn_family_names_the_program(kb):
    d = _top(kb, "Error: spawn cmd ENOENT\n    at Process.ChildProcess._handle.onexit "
                 "(internal/child_process.js:267:19)\n    at onErrorNT (internal/child_process.js:469:16)")
    assert d.id == "node.spawn_error" and not d.generic and "`cmd`" in d.entry.summary


def test_fs_family_on_a_locked_file(kb):
    d = _top(kb, "Error: EPERM: operation not permitted, unlink 'C:\\Users\\a\\bin\\tool.exe'\n"
                 "    at async unlink (node:internal/fs/promises:1066:10)")
    assert d.id == "node.fs_error" and not d.generic and "another process" in d.entry.summary


def test_a_service_entry_still_wins(kb):
    d = _top(kb, "Error: Redis connection to localhost:6379 failed - connect ECONNREFUSED 127.0.0.1:6379\n"
                 "    at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1141:16)")
    assert d.id == "redis.connection_refused"


def test_a_timeout_on_an_open_connection_is_not_an_unreachable_host():
    f = syserr.read_node("Redis connection to 10.0.0.9:6379 failed - read ETIMEDOUT")
    assert "went silent" in f["errno_says"] and "reconnect" in f["errno_fix"]
    g = syserr.read_node("connect ETIMEDOUT 10.0.0.9:6379")
    assert "not reachable" in g["errno_says"]
