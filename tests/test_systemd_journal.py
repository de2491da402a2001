"""A unit's failure read from the journal: the program's own lines ABOVE systemd's report of its exit are why it
failed (journalctl -u / -xe order), as the lines under `systemctl status`'s header are."""

from __future__ import annotations

from pathlib import Path

from errdiag import diagnose
from errdiag.anatomy import read
from errdiag.kb import load_knowledge

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

JOURNAL = """Mar 02 09:00:01 web1 nginx[811]: nginx: [emerg] open() "/etc/nginx/site.pem" failed (2: No such file or \
directory)
Mar 02 09:00:01 web1 nginx[811]: nginx: configuration file /etc/nginx/nginx.conf test failed
Mar 02 09:00:01 web1 systemd[1]: nginx.service: Control process exited, code=exited, status=1/FAILURE
Mar 02 09:00:01 web1 systemd[1]: nginx.service: Failed with result 'exit-code'.
Mar 02 09:00:01 web1 systemd[1]: Failed to start A high performance web server.
"""


def unit(text: str):
    return next(f for f in read(text) if f.kind == "systemd")


def test_the_programs_own_line_above_the_exit_is_the_cause():
    f = unit(JOURNAL)
    assert f.cause_at == 1 and "site.pem" in (f.child_says or "")


APP = """Mar 02 09:00:01 web1 billing[811]: loading settings
Mar 02 09:00:01 web1 billing[811]: cannot open /etc/billing/app.toml: No such file or directory
Mar 02 09:00:01 web1 systemd[1]: billing.service: Main process exited, code=exited, status=1/FAILURE
Mar 02 09:00:01 web1 systemd[1]: billing.service: Failed with result 'exit-code'.
"""


def test_the_units_answer_leads_with_that_line():
    d = diagnose(APP, KB).diagnoses[0]
    assert d.id == "systemd.main_process_exited" and "app.toml" in d.entry.summary.split("Start from")[0]


def test_the_programs_own_answer_is_not_wrapped_by_the_unit():
    d = diagnose(JOURNAL, KB).diagnoses[0]  # nginx's own entry answers its [emerg] line, at its own confidence
    assert d.id == "nginx.config_test_failed" and not d.entry.summary.startswith("The output above")


def test_systemds_own_lines_and_other_text_above_are_not_a_cause():
    text = ("Build finished with errors\n" + "\n".join(JOURNAL.splitlines()[2:]) + "\n")
    assert unit(text).child_says is None  # not a journal line: not the unit's program
    own = ("Mar 02 09:00:00 web1 systemd[1]: Starting A high performance web server...\n"
           + "\n".join(JOURNAL.splitlines()[2:]) + "\n")
    assert unit(own).child_says is None
