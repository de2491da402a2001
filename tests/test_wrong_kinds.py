"""Kinds of text that drew a WRONG answer from a broad entry: the answer must become right or step back.

Each case is a kind seen in the open wild samples (written here in our own words, never a sample's text): the
broad entry's signature is there, but the text's specifics say it is another problem.
"""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def ids(text: str) -> list[str]:
    return [d.id for d in diagnose(text, KB).diagnoses]


def specific(text: str) -> list[str]:
    return [d.id for d in diagnose(text, KB).diagnoses if not d.generic]


def test_a_glob_no_file_matched_names_no_path_to_inspect():
    # the listing of files an earlier step should have written: the step failed, the path is no typo to hunt
    after_failure = ("Traceback (most recent call last):\n  File \"/opt/pipe/run.py\", line 12, in <module>\n"
                     "    merge(tables)\nValueError: cannot reindex on an axis with duplicate labels\n"
                     "ls: cannot access '/data/run7/out/*_merged.tsv': No such file or directory\n")
    busybox = "Starting services\nls: /etc/rc.d/K??*: No such file or directory\nnetwork up\n"
    for text in (after_failure, busybox):
        assert "linux.no_such_file_or_directory" not in specific(text), text
    # a real path still gets the specific answer, with the path
    d = diagnose("ls: cannot access '/data/run7/out/merged.tsv': No such file or directory\n", KB).best
    assert d.id == "linux.no_such_file_or_directory" and not d.generic
    assert d.captures["path"] == "/data/run7/out/merged.tsv"


def test_v8_length_limits_are_not_a_heap_size_problem():
    for what in ("invalid array length", "invalid table size"):
        text = ("<--- Last few GCs --->\n\n[812:0x5e1c0]   2301 ms: Scavenge 512.3 (560.1) -> 512.1 (560.1) MB\n\n"
                f"FATAL ERROR: {what} Allocation failed - JavaScript heap out of memory\n"
                " 1: 0xb09c10 node::Abort() [node]\n")
        assert "node.heap_out_of_memory" not in ids(text), what
    heap = ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
            " 1: 0xb09c10 node::Abort() [node]\n")
    assert ids(heap)[0] == "node.heap_out_of_memory"


def test_a_protocol_word_looked_up_as_a_host_is_a_malformed_address_not_dns():
    text = ("ERROR: for web  Cannot start service web: failed to initialize logging driver: "
            "dial tcp: lookup udp on 10.0.0.2:53: no such host\n")
    assert "network.dns_resolution_failed" not in ids(text)
    real = "Error: dial tcp: lookup registry.internal.example on 10.0.0.2:53: no such host\n"
    assert ids(real)[0] == "network.dns_resolution_failed"


def test_no_hosts_warning_steps_back_when_a_task_failed_on_a_host():
    text = ("[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit "
            "localhost does not match 'all'\n\nPLAY [localhost] ****\n\nTASK [install packages] ****\n"
            "fatal: [localhost]: FAILED! => {\"changed\": false, \"msg\": \"No package matching 'nginxx' found\"}\n")
    assert "ansible.no_hosts_matched" not in ids(text)
    bare = ("[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit "
            "localhost does not match 'all'\n\nPLAY [webservers] ****\nskipping: no hosts matched\n")
    assert ids(bare)[0] == "ansible.no_hosts_matched"


def test_a_path_remote_that_is_no_repository_is_not_an_ssh_key_problem():
    text = ("I0312 08:01:12.100201  4411 clone.go:57] git clone failed: fatal: '/var/lib/builds/src/web' "
            "does not appear to be a git repository\nfatal: Could not read from remote repository.\n\n"
            "Please make sure you have the correct access rights\nand the repository exists.\n")
    assert ids(text)[0] == "git.repository_not_found"
    # a remote NAME that is no remote stays its own entry
    assert ids("fatal: 'upstream' does not appear to be a git repository\n"
               "fatal: Could not read from remote repository.\n")[0] == "git.no_such_remote"


def test_a_system_program_the_shell_may_not_run_is_no_chmod_x_problem():
    text = "dev@box:~$ sh check.sh\nstarting\ncheck.sh: line 2: /usr/bin/id: Permission denied\n"
    assert "linux.permission_denied" not in specific(text)
    own = "dev@box:~$ ./deploy.sh\nbash: ./deploy.sh: Permission denied\n"
    assert ids(own)[0] == "linux.permission_denied"


def test_a_shell_script_run_by_ruby_e_is_no_ruby_syntax_error_to_fix():
    text = ("-e:3: syntax error, unexpected '=', expecting ']'\n"
            "if [[ -z \"$HOME\" ]]; then\n           ^\n"
            "-e:3: syntax error, unexpected ']', expecting end-of-input\n"
            "if [[ -z \"$HOME\" ]]; then\n                    ^\n")
    assert "ruby.syntax_error" not in ids(text)
    rb = ("app/models/user.rb:14: syntax error, unexpected end-of-input, expecting `end'\n")
    assert ids(rb)[0] == "ruby.syntax_error"


def test_an_old_rustc_type_error_is_a_type_error_not_a_parse_error():
    text = ("   Compiling feeds v0.0.2 (file:///home/dev/feeds)\n"
            "src/fetch.rs:30:9: 30:21 error: mismatched types: expected `String`, found `&str` "
            "(expected struct String, found &-ptr)\nerror: aborting due to previous error\n")
    assert ids(text)[0] == "rust.e0308"
    parse = "src/fetch.rs:7:13: 7:14 error: unexpected token: `*`\nerror: aborting due to previous error\n"
    assert ids(parse)[0] == "rust.syntax_error"


def test_an_f_string_in_a_tools_numbered_source_excerpt_is_no_python2_problem():
    text = ("  at /usr/lib/python3/dist-packages/poetry/installation/executor.py:200 in _install\n"
            "      198│         except CalledProcessError as e:\n"
            "    → 199│             raise InstallError(f\"Could not install {name}\") from e\n"
            "      200│ \n")
    assert "python.python3_code_on_python2" not in ids(text)


def test_a_playbook_ansible_could_not_load_is_neither_no_hosts_nor_an_undefined_variable():
    text = ("[WARNING]: provided hosts list is empty, only localhost is available\n\n"
            "ERROR! 'tags' is not a valid attribute for a Play\n\n"
            "The error appears to have been in '/srv/deploy/site.yml': line 4, column 3, but may\n"
            "be elsewhere in the file depending on the exact syntax problem.\n\n"
            "The offending line appears to be:\n\n- name: web tier\n  ^ here\n")
    assert not {"ansible.no_hosts_matched", "ansible.undefined_variable"} & set(ids(text))


def test_ruby_run_on_what_a_download_printed_is_no_ruby_file_to_fix():
    text = ("$ ruby -e \"$(curl -fsSL https://example.org/setup)\"\n"
            "-e:1: syntax error, unexpected tIDENTIFIER, expecting end-of-input\n"
            "Redirecting to mirror 'eu-2' ...\n          ^\n")
    assert "ruby.syntax_error" not in ids(text)


def test_the_oldest_rustc_type_error_wording_is_a_type_error_too():
    text = ("src/store.rs:88:17: 88:29 error: mismatched types: expected `~str` but found `&'static str` "
            "(expected ~str but found &-ptr)\n")
    assert ids(text)[0] == "rust.e0308"
