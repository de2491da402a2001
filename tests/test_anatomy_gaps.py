"""Shapes of Ruby, PHP and Python errors the anatomy did not read before round 12, and the answers they now get:
Ruby's Errno errors on a line of their own or over bare frames, Rails' template frames, Ruby's own library folders;
PHP errors behind a log's prefix or with the level capitalised; CalledProcessError's message printed without its
class; Python 3.3-3.5's relative-import SystemError."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import diagnose, load_knowledge
from errdiag.anatomy import is_library, read

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def exceptions(text: str):
    return [f for f in read(text) if f.kind == "exception"]


def best(text: str):
    d = diagnose(text, KB).best
    assert d is not None
    return d


# --- C / C++ ----------------------------------------------------------------------------------------------------

def test_a_link_error_that_gold_places_at_a_source_line_is_no_compile_error():
    # gold (and ld with debug info) print `file.c:LINE: error: undefined reference to 'f'`: the linker's message
    text = ("libtrace/trace_user.c:70: error: undefined reference to '__type_information_start'\n"
            "libtrace/trace_user.c:116: error: multiple definition of 'trace_init'\n"
            "collect2: error: ld returned 1 exit status\n")
    kinds = [(f.kind, f.line) for f in read(text) if f.kind in ("link", "compile")]
    assert kinds and all(k == "link" for k, _ in kinds)
    ids = [d.id for d in diagnose(text, KB).diagnoses]
    assert ids[0].startswith("ld.") and "c.compile_error" not in ids
    # a compiler's own error at a source line stays a compile error
    assert [f.kind for f in read("src/a.c:12:5: error: 'x' undeclared (first use in this function)\n")] == ["compile"]


# --- notebooks ----------------------------------------------------------------------------------------------------

NBFORMAT = ('   "outputs": [\n    {\n     "ename": "NameError",\n     "evalue": "name \'wewee\' is not defined",\n'
            '     "output_type": "error",\n     "traceback": [\n'
            '      "\\u001b[0;31mNameError\\u001b[0m                           Traceback (most recent call last)",\n'
            '      "\\u001b[0;32m<ipython-input-1-2387f3e6a785>\\u001b[0m in \\u001b[0;36m<module>\\u001b[0m\\n",\n'
            '      "\\u001b[0;31mNameError\\u001b[0m: name \'wewee\' is not defined"\n     ]\n')
VSCODE = ('{\n\t"name": "AttributeError",\n\t"message": "\'function\' object has no attribute \'invoke\'",\n'
          '\t"stack": "---------------------------------------------------------------------------\n'
          'AttributeError                            Traceback (most recent call last)\n'
          'Cell In[69], line 1\n----> 1 result=agent_executor.invoke({\\"input\\": \\"x\\"})\n')


def test_a_notebooks_error_fields_are_its_exception_when_the_traceback_is_escaped_or_cut():
    # nbformat's ename/evalue over an ANSI-escaped traceback; VS Code's copied name/message over a cut-off stack
    [f] = exceptions(NBFORMAT)
    assert (f.type, f.message, f.line) == ("NameError", "name 'wewee' is not defined", 4)
    assert best(NBFORMAT).id == "python.name_error"
    [f] = exceptions(VSCODE)
    assert (f.type, f.message, f.facts.get("obj_type")) == (
        "AttributeError", "'function' object has no attribute 'invoke'", "function")


def test_a_notebooks_error_output_whose_traceback_is_one_escaped_string_is_still_its_exception():
    text = ('   "outputs": [\n    {\n     "ename": "SyntaxError",\n'
            '     "evalue": "invalid syntax (<ipython-input-2-70475fc083df>, line 1)",\n     "output_type": "error",\n'
            '     "traceback": [\n'
            '      "\\u001b[0;36m  File \\u001b[0;32m\\"<ipython-input-2-70>\\"\\u001b[0;36m, line 1\\n"\n'
            '     ]\n    }\n   ],\n')
    [f] = exceptions(text)
    assert (f.type, f.message, f.line) == ("SyntaxError", "invalid syntax (<ipython-input-2-70475fc083df>, line 1)", 4)
    assert best(text).id == "python.syntax_error"
    # the same fields without a traceback (a record that only names an error type) are not a notebook's error
    assert not exceptions('{\n "ename": "SyntaxError",\n "evalue": "invalid syntax"\n}\n')


def test_json_fields_that_are_no_notebook_error_leave_a_cut_off_traceback_alone():
    frames = 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\n'
    # a package's name, a record's message: no "traceback"/"stack" field, or the name is no exception class
    for above in ('{\n  "name": "my-app",\n  "message": "starting",\n  "stack": "x"\n}\n',
                  '{\n  "name": "ValueError",\n  "message": "bad value"\n}\n'):
        assert not exceptions(above + frames)
    # the fields name another type than the traceback's header: not its last line
    other = VSCODE.replace('"name": "AttributeError"', '"name": "KeyError"')
    assert not exceptions(other)


# --- Ruby --------------------------------------------------------------------------------------------------------

def test_ruby_errno_over_bare_frames_is_the_exception_not_a_cut_off_backtrace():
    text = ("Errno::ENOENT: No such file or directory @ rb_sysopen - config/storage.yml\n"
            "    /srv/shop/lib/settings.rb:31:in `read'\n"
            "    /srv/shop/lib/settings.rb:31:in `load!'\n"
            "    /srv/shop/config/application.rb:12:in `<class:Application>'\n")
    [f] = exceptions(text)
    assert (f.language, f.type, f.code) == ("ruby", "Errno::ENOENT", "ENOENT")
    assert f.captures()["frame"] == "/srv/shop/lib/settings.rb:31 in read()"
    d = best(text)
    assert d.id == "ruby.errno_enoent" and not d.generic
    assert d.captures["rb_path"] == "config/storage.yml"


def test_rspec_failure_block_joins_the_class_and_its_message_without_frames():
    # RSpec prints the class alone and the message indented under it (a blank line between in some copies); a
    # load failure has no frames of the example: the block is still one Ruby error, not a bare `LoadError:`
    for text in ("Failure/Error: require File.expand_path('../../config/environment', __FILE__)\n\nLoadError:\n"
                 "  cannot load such file -- rspec/expectations\n",
                 "An error occurred while loading ./spec/a_spec.rb.\n\nFailure/Error: require 'rpsec/rails'\n\n"
                 "LoadError:\n\n  cannot load such file -- rpsec/rails\n\n"
                 "# ./spec/spec_helper.rb:14:in `<top (required)>'\n\n# ./spec/a_spec.rb:3:in `require'\n"):
        [f] = exceptions(text)
        assert (f.language, f.type, f.facts["test_report"]) == ("ruby", "LoadError", "rspec")
        assert f.message.startswith("cannot load such file -- r")
    [f] = exceptions("Failure/Error: require 'rpsec/rails'\n\nLoadError:\n\n  cannot load such file -- rpsec/rails\n"
                     "\n# ./spec/spec_helper.rb:14:in `<top (required)>'\n\n# ./spec/a_spec.rb:3:in `require'\n")
    assert [x.file for x in f.frames] == ["./spec/spec_helper.rb", "./spec/a_spec.rb"]
    text = ("An error occurred while loading ./spec/a_spec.rb.\n\nFailure/Error: require 'rpsec/rails'\n\nLoadError:\n"
            "\n  cannot load such file -- rpsec/rails\n\n# ./spec/spec_helper.rb:14:in `<top (required)>'\n")
    assert best(text).id.startswith("ruby.load_error")  # the parent or its child for a path inside a gem
    # no RSpec report around it: a class alone over an indented line is not read as an error
    assert not exceptions("Known kinds:\nLoadError:\n  raised by require\n")


def test_ruby_message_then_errno_class_over_from_frames():
    text = ("Permission denied @ rb_sysopen - /var/log/shop/production.log (Errno::EACCES)\n"
            "\tfrom /srv/shop/bin/worker:9:in `open'\n"
            "\tfrom /srv/shop/bin/worker:9:in `<main>'\n")
    [f] = exceptions(text)
    assert (f.type, f.message) == ("Errno::EACCES", "Permission denied @ rb_sysopen - /var/log/shop/production.log")
    assert best(text).id == "ruby.errno_eacces"


def test_ruby_errno_alone_or_behind_a_logger_prefix():
    for text in ("Errno::ECONNREFUSED: Failed to open TCP connection to localhost:9200 (Connection refused - "
                 "connect(2) for \"localhost\" port 9200)",
                 "E, [2026-12-01T10:00:00.123456 #4711] ERROR -- : Errno::EACCES: Permission denied @ rb_sysopen - "
                 "/var/log/app/production.log"):
        [f] = exceptions(text)
        assert f.language == "ruby" and f.type.startswith("Errno::E") and f.code == f.type[7:]
        assert not f.message.startswith(("E, [", "Errno"))


def test_minitest_error_with_a_template_frame_keeps_its_frames():
    text = ("Error:\n"
            "OrdersControllerTest#test_should_show_order:\n"
            "ActionView::Template::Error: undefined method `total' for nil\n"
            "    app/views/orders/show.html.erb:7\n"
            "    test/controllers/orders_controller_test.rb:15:in `block in <class:OrdersControllerTest>'\n")
    [f] = exceptions(text)
    assert f.language == "ruby" and f.facts.get("test_report") == "minitest"
    assert [(x.file, x.line) for x in f.frames][:1] == [("app/views/orders/show.html.erb", 7)]
    assert f.captures()["frame"].startswith("app/views/orders/show.html.erb:7")


@pytest.mark.parametrize("path", [
    "/home/ci/.rbenv/versions/3.2.2/lib/ruby/3.2.0/net/http.rb",
    "C:/Ruby32-x64/lib/ruby/3.2.0/psych.rb",
    "/home/ci/.rvm/rubies/ruby-3.0.6/lib/ruby/3.0.0/open-uri.rb",
    "<internal:kernel>",
    "vendor/rails/railties/lib/rails/commands.rb",
])
def test_ruby_library_folders_are_not_user_code_and_a_projects_own_lib_is(path):
    assert is_library(path)
    for own in ("app/models/user.rb", "lib/tasks/import.rake", "/srv/shop/lib/ruby_helpers.rb",
                "/srv/shop/lib/ruby/formatter.rb"):
        assert not is_library(own)


def test_ruby_frame_in_the_standard_library_is_not_the_users_line():
    text = ("/home/ci/.rbenv/versions/3.2.2/lib/ruby/3.2.0/net/http.rb:1603:in `initialize': Failed to open TCP "
            "connection to api.example.com:443 (execution expired) (Net::OpenTimeout)\n"
            "\tfrom /srv/shop/app/clients/rates.rb:18:in `fetch'\n")
    [f] = exceptions(text)
    assert f.captures()["frame"] == "/srv/shop/app/clients/rates.rb:18 in fetch()"


# --- PHP ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,entry_id,where", [
    ("[07-Dec-2026 08:00:00 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in "
     "/var/www/html/db.php:12\nStack trace:\n#0 /var/www/html/index.php(4): require()\n#1 {main}\n"
     "  thrown in /var/www/html/db.php on line 12", "php.undefined_function", "/var/www/html/db.php:12"),
    ('2026/12/07 08:00:00 [error] 31#31: *7 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Error: '
     'Class "Redis" not found in /var/www/app/src/Cache.php:21', "php.class_not_found",
     "/var/www/app/src/Cache.php:21"),
    ("[07-Dec-2026 08:00:01] WARNING: [pool www] child 21 said into stderr: \"NOTICE: PHP message: PHP Fatal error:  "
     "Uncaught Error: Call to a member function prepare() on null in /var/www/html/db.php:30\"",
     "php.member_function_on_null", "/var/www/html/db.php:30"),
    ("PHP Fatal Error:  Call to undefined method App\\User::fullName() in /srv/app/src/Report.php on line 33",
     "php.undefined_method", "/srv/app/src/Report.php:33"),
    ('PHP Parse Error:  syntax error, unexpected token "}" in /srv/app/routes.php on line 9', "php.parse_error",
     "/srv/app/routes.php:9"),
])
def test_php_errors_behind_log_prefixes_or_capitalised(text, entry_id, where):
    f = exceptions(text)[0]
    assert f.language == "php" and f.type in ("Error", "Fatal error", "Parse error")
    d = best(text)
    assert d.id == entry_id and d.captures["frame"] == where


def test_php_warning_keeps_its_level_as_printed_and_its_place():
    text = ('[07-Dec-2026 08:00:01] WARNING: [pool www] child 21 said into stderr: "NOTICE: PHP message: PHP Warning:  '
            'Undefined array key "email" in /var/www/html/signup.php on line 18"')
    [f] = exceptions(text)
    assert (f.language, f.type, f.message) == ("php", "Warning", 'Undefined array key "email"')
    assert f.captures()["frame"] == "/var/www/html/signup.php:18"


# --- Python ------------------------------------------------------------------------------------------------------

def test_called_process_error_message_without_its_class():
    text = "Command '['cmake', '--build', 'build', '--config', 'Release']' returned non-zero exit status 2."
    [f] = exceptions(text)
    assert (f.language, f.type) == ("python", "CalledProcessError")
    d = best(text)
    assert d.id == "python.called_process_error"
    assert (d.captures["command"], d.captures["exit_code"]) == ("['cmake', '--build', 'build', '--config', 'Release']",
                                                                 "2")
    # a sentence around the command is someone's summary of it: it stays an exit status
    assert not exceptions("An error occurred while running the job: Command '['uv', 'run', 'job']' returned "
                          "non-zero exit status 1.")


def test_called_process_error_without_its_class_under_a_traceback_is_not_cut_off():
    text = ('Traceback (most recent call last):\n'
            '  File "setup.py", line 40, in build_extension\n'
            "    subprocess.check_call(['cmake', ext.sourcedir])\n"
            '  File "/usr/lib/python3.8/subprocess.py", line 364, in check_call\n'
            '    raise CalledProcessError(retcode, cmd)\n'
            "Command '['cmake', '/tmp/src']' returned non-zero exit status 1.\n")
    assert not [f for f in read(text) if f.kind == "truncated"]
    d = best(text)
    assert d.id == "python.called_process_error" and d.captures["frame"] == "setup.py:40 in build_extension()"


@pytest.mark.parametrize("text", [
    'Traceback (most recent call last):\n  File "tools/export_csv.py", line 5, in <module>\n'
    "    from .formats import write_rows\nSystemError: Parent module '' not loaded, cannot perform relative import\n",
    'Traceback (most recent call last):\n  File "scraper/run.py", line 2, in <module>\n'
    "    from . import settings\nValueError: Attempted relative import in non-package\n",
])
def test_old_pythons_relative_import_errors(text):
    d = best(text)
    assert d.id == "python.relative_import_parent_not_loaded" and not d.generic
    assert d.captures["frame_file"] in ("tools/export_csv.py", "scraper/run.py")
    other = diagnose("SystemError: error return without exception set", KB).best  # the variant needs its wording
    assert other is None or other.id != "python.relative_import_parent_not_loaded"


@pytest.mark.parametrize("text,facts", [
    ('[07-Dec-2026 08:00:01] WARNING: [pool www] child 21 said into stderr: "NOTICE: PHP message: PHP Warning:  '
     'Undefined array key "email" in /var/www/html/signup.php on line 18"', {"key": "email"}),
    ("PHP message: PHP Notice:  Undefined variable: total in /srv/app/classes/Report.php on line 132",
     {"name": "total"}),
    ("Warning: Undefined variable $cart in /srv/shop/checkout.php on line 12", {"name": "cart"}),
    ("Notice: Undefined index: page in C:\\xampp\\htdocs\\site\\index.php on line 7", {"key": "page"}),
    ('Warning: Attempt to read property "id" on null in /app/src/Order.php on line 41',
     {"attr": "id", "obj_type": "null"}),
    ("PHP Warning:  include(vendor/autoload.php): Failed to open stream: No such file or directory in "
     "/var/www/html/index.php on line 3", {"function": "include", "path": "vendor/autoload.php"}),
    ("Warning: Cannot modify header information - headers already sent by (output started at "
     "/var/www/html/config.php:1) in /var/www/html/login.php on line 22",
     {"path": "/var/www/html/config.php", "output_line": "1"}),
])
def test_php_warning_and_notice_name_what_they_are_about(text, facts):
    """A warning names only its level as its type: its message's wording says which variable, key, property or
    file it is about, as standard captures."""
    [f] = exceptions(text)
    assert f.language == "php" and f.type in ("Warning", "Notice")
    c = f.captures()
    assert {k: c.get(k) for k in facts} == facts
