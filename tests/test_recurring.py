"""bench/recurring.py: the error line of a text, its wording stem and the clustering of missed cases by kind."""

from __future__ import annotations

from .benchmod import load

recurring = load("recurring.py", "bench_recurring")


def test_error_line_is_the_exception_line_not_a_frame():
    text = ('Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    load()\n'
            "KeyError: 'host'\n")
    assert recurring.error_line(text) == "KeyError: 'host'"


def test_error_line_prefers_the_cause_over_a_later_wrapper_of_weaker_shape():
    text = "src/main.c:4:10: fatal error: foo.h: No such file or directory\nmake: *** [all] Error 2\n"
    assert recurring.error_line(text).startswith("src/main.c:4:10: fatal error")


def test_stem_masks_values_that_vary_and_keeps_the_wording():
    a = recurring.stem("E: Sub-process /usr/bin/dpkg returned an error code (1)")
    b = recurring.stem("E: Sub-process /data/data/com.termux/files/usr/bin/dpkg returned an error code (100)")
    assert a == b
    assert "returned" in a and "dpkg" not in a


def test_stem_reads_a_json_body_by_its_message():
    line = '{"error": {"message": "Internal Network Failure", "type": "api_error"}}'
    assert recurring.stem(line) == "internal network failure"


def test_stem_of_masked_values_only_is_empty():
    assert recurring.stem("'a' 'b' 12 /x/y/z") == ""


def _item(sample, line, tool="python"):
    return recurring.Item(sample, f"{sample}-1", "SILENT", tool, line, recurring.stem(line),
                          recurring.etype(line), "")


def test_cluster_joins_one_kind_across_samples_and_keeps_tools_apart():
    items = [
        _item("main", "ValueError: numpy.ufunc has the wrong size, try recompiling. Expected 192, got 216"),
        _item("holdout9", "ValueError: numpy.ufunc has the wrong size, try recompiling. Expected 216, got 232"),
        _item("holdout3", "TypeError: Cannot read property 'find' of undefined", tool="node"),
        _item("holdout4", "TypeError: Cannot read property 'x' of undefined", tool="python"),
    ]
    clusters = recurring.cluster(items, 82.0)
    by_size = sorted(clusters, key=lambda c: -len(c.items))
    assert by_size[0].samples == {"main", "holdout9"}
    assert len(clusters) == 3  # the node and the python TypeError are two kinds


def test_the_held_out_sample_is_never_read():
    assert "holdout15" in recurring.HELD_OUT
