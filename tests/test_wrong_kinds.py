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


def test_a_file_that_is_no_pickle_is_not_an_object_that_cannot_be_pickled():
    # an UnpicklingError says the bytes read are not (all of) a pickle: the worker-function fixes do not apply
    for message in ("invalid load key, '<'.", "A load persistent id instruction was encountered,",
                    "pickle data was truncated"):
        text = ("Traceback (most recent call last):\n  File \"/srv/app/load.py\", line 7, in read_cache\n"
                f"    table = pickle.load(fh)\n_pickle.UnpicklingError: {message}\n")
        assert "python.pickle_error" not in ids(text), message
    lam = ("Traceback (most recent call last):\n  File \"/srv/app/run.py\", line 30, in main\n"
           "    pool.map(lambda x: x * 2, items)\n"
           "_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f3a>: attribute lookup <lambda> on "
           "__main__ failed\n")
    assert ids(lam)[0] == "python.pickle_error"


def test_a_csv_reader_that_could_not_read_its_source_counted_no_fields():
    text = ("  File \"/opt/venv/lib/python3.11/site-packages/pandas/io/parsers/c_parser_wrapper.py\", line 234, "
            "in read\n    chunks = self._reader.read_low_memory(nrows)\n"
            "pandas.errors.ParserError: Error tokenizing data. C error: Calling read(nbytes) on source failed. "
            "Try engine='python'.\n")
    assert "pandas.parser_error_tokenizing" not in ids(text)
    rows = "pandas.errors.ParserError: Error tokenizing data. C error: Expected 4 fields in line 19, saw 6\n"
    assert ids(rows)[0] == "pandas.parser_error_tokenizing"


def test_a_module_name_ending_in_a_carriage_return_is_no_package_to_install():
    # a Python 2 pickle with Windows line endings read on Python 3: the name carries the \r of its line
    text = "Traceback (most recent call last):\n  File \"load.py\", line 3, in <module>\n" \
           "    d = pickle.load(open('model.pkl'))\nModuleNotFoundError: No module named '__builtin__\\r'\n"
    assert "python.module_not_found" not in ids(text)
    assert ids("ModuleNotFoundError: No module named 'yaml'\n")[0] == "python.module_not_found"


def test_an_old_crate_broken_by_a_newer_compiler_is_no_need_for_a_newer_rustc():
    for code, msg in (("E0282", "type annotations needed for `Box<_>`"),
                      ("E0713", "borrow may still be in use when destructor runs")):
        text = (f"   Compiling time v0.3.20\nerror[{code}]: {msg}\n"
                "  --> /home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/time-0.3.20/src/lib.rs:83:9\n"
                f"\nerror: could not compile `time` (lib) due to 1 previous error\n")
        assert "rust.dependency_needs_newer_rustc" not in ids(text), code
    old_rustc = ("   Compiling clap_lex v0.7.0\nerror: expected one of `!` or `::`, found `(`\n"
                 "  --> /home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/clap_lex-0.7.0/src/lib.rs"
                 ":120:16\n")
    assert ids(old_rustc)[0] == "rust.dependency_needs_newer_rustc"


def test_a_bash_builtin_another_shell_lacks_is_no_program_to_install():
    for text in ("myshell: complete: command not found\nmyshell: shopt: command not found\n",
                 "/home/dev/.bashrc:21: command not found: shopt\n"):
        assert "shell.command_not_found" not in ids(text), text
    assert ids("zsh: command not found: terraform\n")[0] == "shell.command_not_found"


def test_a_message_run_as_shell_code_is_no_missing_command():
    # `source <(tool completion zsh)` when the tool printed an error to stdout: zsh runs the message's words
    text = "zsh: command not found: ERROR:\nzsh: command not found: This\nzsh: command not found: Run\n"
    assert "shell.command_not_found" not in ids(text)
    bash = "bash: ERROR:: command not found\nbash: Please: command not found\n"
    assert "shell.command_not_found" not in ids(bash)


def test_a_name_typed_after_stopping_another_program_is_not_what_failed():
    text = ("Resolving dependencies...\nGot socket error trying to find package lints at https://pub.dev.\n"
            "Terminate batch job (Y/N)? y\n\nC:\\src\\app>clear\n'clear' is not recognized as an internal or "
            "external command,\noperable program or batch file.\n")
    assert "shell.command_not_found" not in ids(text)


def test_another_providers_failure_through_litellm_is_no_openai_connection_problem():
    text = ("litellm.exceptions.APIConnectionError: litellm.APIConnectionError: OllamaException - "
            "{\"error\":\"an unknown error was encountered while running the model \"}\n")
    assert ids(text)[0] == "ollama.runner_crashed"
    openai = "openai.APIConnectionError: Connection error.\n"
    assert ids(openai)[0] == "openai.connection_error"


def test_a_zig_panic_banner_is_no_go_panic():
    text = ("Bun v1.1.3 (b2d3e6a1) Linux x64\nArgs: \"bun\" \"run\" \"build.ts\"\n\n"
            "panic: Segmentation fault at address 0x10\noh no: Bun has crashed. This indicates a bug in Bun, "
            "not your code.\n")
    assert "go.panic" not in ids(text)
    go = "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:9 +0x1d\n"
    assert "go.panic" in ids(go)


def test_a_script_that_crashed_natively_is_answered_by_the_crash_not_the_npm_wrapper():
    # a 10-digit exit status is the message's value, not an epoch stamp of another log's record: its exclude vetoes
    for lines in (("npm ERR! code ELIFECYCLE", "npm ERR! errno 3221225477", "npm ERR! viewer@0.3.1 start: `electron .`",
                   "npm ERR! Exit status 3221225477", "npm ERR!", "npm ERR! Failed at the viewer@0.3.1 start script."),
                  ("31 error code ELIFECYCLE", "32 error errno 3221225477", "33 error viewer@0.3.1 start: `electron .`",
                   "33 error Exit status 3221225477", "34 error Failed at the viewer@0.3.1 start script.")):
        assert ids("\n".join(lines) + "\n")[0] == "windows.access_violation", lines
    plain = ("npm ERR! code ELIFECYCLE\nnpm ERR! errno 2\nnpm ERR! viewer@0.3.1 build: `tsc -p .`\n"
             "npm ERR! Exit status 2\nnpm ERR! Failed at the viewer@0.3.1 build script.\n")
    assert ids(plain)[0] == "npm.lifecycle_script_failed"


def test_of_nested_wrappers_the_innermost_leads():
    # the link step failed (collect2 only reports that ld failed), make reports that recipe, the CI its exit code
    text = ("g++ -o build/server obj/main.o obj/net.o -lssl\ncollect2: error: ld returned 1 exit status\n"
            "make[1]: *** [Makefile:41: build/server] Error 1\nmake: *** [Makefile:12: all] Error 2\n"
            "Error: Process completed with exit code 2.\n")
    assert ids(text)[0] == "ld.link_failed"


def test_brew_not_knowing_its_own_core_command_is_no_typo():
    # a fresh or never-updated Homebrew checkout that lacks `install`: `brew update` first, not a spelling fix
    text = "==> Installing Homebrew dependencies\n+ brew install cmake pkg-config\nError: Unknown command: install\n"
    assert "brew.unknown_command" not in ids(text)
    assert ids("Error: Unknown command: instal\n")[0] == "brew.unknown_command"


def test_the_no_inventory_warning_on_a_healthy_localhost_run_is_no_error():
    text = ("[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit localhost "
            "does not match 'all'\n\nPLAY [localhost] ****\n\nTASK [Gathering Facts] ****\nok: [localhost]\n\n"
            "TASK [write config] ****\nchanged: [localhost]\n\nPLAY RECAP ****\n"
            "localhost                  : ok=2    changed=1    unreachable=0    failed=0    skipped=0\n")
    assert "ansible.no_hosts_matched" not in ids(text)


def _answer(text: str, entry_id: str):
    return next(d for d in diagnose(text, KB).diagnoses if d.id == entry_id)


def test_a_build_tools_wrapper_leads_with_the_childs_error_printed_under_it():
    # Gradle prints the task's reasons as `> ...` lines under "Execution failed for task", most general first
    gradle = ("FAILURE: Build failed with an exception.\n\n* What went wrong:\n"
              "Execution failed for task ':core:buildRustLib'.\n"
              "> A problem occurred starting process 'command 'cargo''\n"
              "   > Could not start 'cargo'\n\n* Try:\n> Run with --stacktrace option to get the stack trace.\n")
    d = _answer(gradle, "gradle.task_execution_failed")
    assert "`Could not start 'cargo'`" in d.entry.summary.split(".")[0]
    assert "Could not start 'cargo'" in d.entry.quick_fixes[0].title
    # Maven prints the goal's first cause as the `[ERROR] ` line under "Failed to execute goal"
    maven = ("[INFO] BUILD FAILURE\n[ERROR] Failed to execute goal org.codehaus.mojo:exec-maven-plugin:3.1.0:exec "
             "(npm-build) on project web-ui: Command execution failed.\n"
             "[ERROR] sh: 1: webpack: Permission denied\n[ERROR] -> [Help 1]\n")
    d = _answer(maven, "mvn.plugin_goal_failed")
    assert "`sh: 1: webpack: Permission denied`" in d.entry.summary
    # with nothing printed under it, the answer says nothing of the kind
    bare = "Execution failed for task ':app:mergeDebugResources'.\n\nBUILD FAILED in 4s\n"
    assert "shows why it failed" not in _answer(bare, "gradle.task_execution_failed").entry.summary


def test_where_a_failing_path_lives():
    from errdiag.anatomy import DEPENDENCY, GENERATED, TOOL, USER, owner_of, where_lives

    cases = {
        "/srv/app/node_modules/@scope/pkg/lib/index.js": DEPENDENCY,
        "/home/u/.cargo/registry/src/index.crates.io-1/serde-1.0.1/src/de.rs": DEPENDENCY,
        "/home/u/go/pkg/mod/example.com/lib@v1.2.3/x.go": DEPENDENCY,
        "/opt/acme/3.1.4/lib/acme/core.py": DEPENDENCY,
        "/tmp/torchinductor_bob/ab/cabcdef.cpp": GENERATED,
        "/tmp/tmpa1b2c3d4/kernel.py": GENERATED,
        "proto/service_pb2.py": GENERATED,
        "/work/site/.next/server/app/page.js": GENERATED,
        "/usr/local/go/src/cmd/go/internal/load/pkg.go": TOOL,
        "/opt/homebrew/Cellar/go/1.22/libexec/src/encoding/json/decode.go": TOOL,
        "node:internal/modules/cjs/loader": TOOL,
        "/usr/lib/python3.11/json/decoder.py": TOOL,
        "/home/u/proj/app.py": USER,
        "src/main.rs": USER,
        "/tmp/hello.c": USER,
        "build/webpack.config.js": USER,
    }
    for path, kind in cases.items():
        assert where_lives(path) == kind, path
    assert owner_of("/srv/app/node_modules/a/node_modules/@scope/pkg/package.json") == "the npm package @scope/pkg"
    assert owner_of("/usr/local/go/src/cmd/go/internal/load/pkg.go") == "the Go toolchain (cmd/go)"


def _top(text: str):
    return diagnose(text, KB).best


def test_an_edit_answer_steps_back_when_the_failing_code_is_not_the_users():
    # generated: a compiler error in a kernel a JIT wrote under /tmp is the generator's, not a typo to fix
    d = _top("/tmp/torchinductor_ana/q7/cq7xkz2mfa3lqwyv4h5kbe6pnxgtcoj2rs.cpp:14:22: error: 'tmp3' was not "
             "declared in this scope\n")
    assert d is not None and d.generic and d.lives["kind"] == "generated" and d.lives["stepped_back"]
    assert "TorchInductor" in d.entry.quick_fixes[0].title
    # the tool's own code: a panic whose frames are all the go command's
    d = _top("panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\n"
             "cmd/go/internal/modload.queryImport(0xc0001, 0x2)\n"
             "\t/usr/local/go/src/cmd/go/internal/modload/import.go:88 "
             "+0x1a5\ncmd/go/internal/modload.importFromModules(0xc0002)\n"
             "\t/usr/local/go/src/cmd/go/internal/modload/import.go:41 +0x2b\n")
    assert d is not None and d.lives["kind"] == "tool" and d.lives["stepped_back"] and d.generic
    assert d.entry.quick_fixes[0].title.startswith("Upgrade the Go toolchain")
    # a dependency: npm could not open a nested package's package.json while installing: no folder to cd into
    d = _top("npm ERR! code ENOENT\nnpm ERR! syscall open\nnpm ERR! path /ci/w/repo/node_modules/a/node_modules/b/"
             "package.json\nnpm ERR! errno -2\nnpm ERR! enoent ENOENT: no such file or directory, open "
             "'/ci/w/repo/node_modules/a/node_modules/b/package.json'\n")
    assert d is not None and d.lives["kind"] == "dependency" and d.lives["stepped_back"] and d.generic
    assert "the npm package b" in d.entry.quick_fixes[0].title


def test_the_users_own_code_keeps_its_edit_answer():
    d = _top("Traceback (most recent call last):\n  File \"/home/me/tool/cli.py\", line 9, in <module>\n"
             "    port = cfg[\"port\"]\nKeyError: 'port'\n")
    assert d.id == "python.key_error" and not d.generic and not d.lives["stepped_back"] and d.lives["kind"] == "user"
    d = _top("npm ERR! code ENOENT\nnpm ERR! syscall open\nnpm ERR! path /home/me/package.json\nnpm ERR! errno -2\n"
             "npm ERR! enoent ENOENT: no such file or directory, open '/home/me/package.json'\n")
    assert d.id == "npm.enoent_package_json" and not d.generic and not d.lives["stepped_back"]


def test_a_c_warning_a_driver_prints_under_error_is_no_compile_error():
    # GHC shows the C compiler's output for its generated C file under its own `error:` line; a warning stays one
    text = ("/tmp/ghc5120_0/ghc_2.c:4:17: error:\n"
            "     warning: implicit conversion loses integer precision: 'long' to 'int'\n")
    assert "c.compile_error" not in ids(text)
    # a real error in the same shape is still one
    assert diagnose("/home/me/src/util.c:4:17: error: expected ';' before 'return'\n", KB).best.id == "c.compile_error"
