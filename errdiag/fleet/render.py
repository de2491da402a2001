"""Lay out a fleet report (report.build_report's value): terminal, Markdown, JSON, one-file HTML."""

from __future__ import annotations

import html
import json
from typing import Any

SPARKS = "▁▂▃▄▅▆▇█"
FORMATS = ("rich", "plain", "markdown", "json", "html")


def sparkline(values: list[int]) -> str:
    """One character per week, scaled to the biggest week (a week with none is a blank floor)."""
    if not values:
        return ""
    hi = max(values) or 1
    return "".join(" " if v == 0 else SPARKS[min(len(SPARKS) - 1, (v * (len(SPARKS) - 1) + hi - 1) // hi)]
                   for v in values)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.0f}%"


def _day(t: str | None) -> str:
    return (t or "")[:10]


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str)


def _headline(r: dict[str, Any]) -> str:
    span = f" from {_day(r['first_seen'])} to {_day(r['last_seen'])}" if r["first_seen"] else ""
    failed = f", {r['failed_runs']} failed ({_pct(r['failed_runs'] / r['logs'])})" if r["logs"] else ""
    unread = f", {r['unreadable']} unreadable" if r["unreadable"] else ""
    return f"{r['logs']} logs{span}{failed}{unread}"


def render_console(r: dict[str, Any], console) -> None:
    from rich.table import Table

    console.print(f"[bold]errdiag fleet report[/bold]: {_headline(r)}")
    console.print()
    if r["failures"]:
        t = Table(title="Top failures", title_justify="left", box=None, pad_edge=False, show_edge=False)
        for col, just in (("id", "left"), ("logs", "right"), ("occ.", "right"), ("share", "right"),
                          ("first", "left"), ("last", "left"), ("weekly", "left")):
            t.add_column(col, justify=just, overflow="fold", no_wrap=col == "weekly")
        for f in r["failures"]:
            t.add_row(f["id"], str(f["logs"]), str(f["occurrences"]), _pct(f["share"]), _day(f["first_seen"]),
                      _day(f["last_seen"]), sparkline(f["trend"]))
        console.print(t)
    else:
        console.print("No known failure in these logs.")
    console.print()
    if r["unknown"]:
        t = Table(title="Unknown failures (no entry explains them), by template", title_justify="left", box=None,
                  pad_edge=False, show_edge=False)
        for col in ("#", "logs", "template", "example"):
            t.add_column(col, justify="right" if col in ("#", "logs") else "left", overflow="fold",
                         ratio=3 if col == "template" else (2 if col == "example" else None))
        for u in r["unknown"]:
            t.add_row(str(u["cluster"]), str(u["logs"]), u["template"], f"{u['example']['log']}:{u['example']['line']}")
        console.print(t)
        console.print(f"Start an entry from cluster N: errdiag kb new <tool>.<slug> --from-report {r['store']} "
                      "--cluster N", markup=False, highlight=False)
    if r.get("groups"):
        console.print()
        by = r["by"]
        t = Table(title=f"By {by}", title_justify="left", box=None, pad_edge=False, show_edge=False)
        for col in (by, "logs", "failed", "top failures"):
            t.add_column(col, overflow="fold", justify="right" if col in ("logs", "failed") else "left")
        for g in r["groups"]:
            t.add_row(str(g[by] or "-"), str(g["logs"]), str(g["failed_runs"]),
                      ", ".join(f"{f['id']} ({f['logs']})" for f in g["failures"]) or "-")
        console.print(t)


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def to_markdown(r: dict[str, Any]) -> str:
    out = ["# errdiag fleet report", "", _headline(r) + ".", ""]
    if r["failures"]:
        out += ["## Top failures", "", "| id | title | logs | occurrences | share | first seen | last seen | weekly |",
                "| --- | --- | ---: | ---: | ---: | --- | --- | --- |"]
        out += [f"| `{f['id']}` | {_md(f['title'])} | {f['logs']} | {f['occurrences']} | {_pct(f['share'])} | "
                f"{_day(f['first_seen'])} | {_day(f['last_seen'])} | {sparkline(f['trend'])} |" for f in r["failures"]]
        out.append("")
    if r["unknown"]:
        out += ["## Unknown failures", "", "Key lines of failed runs that no entry explains, grouped by template.", "",
                "| # | logs | template | example |", "| ---: | ---: | --- | --- |"]
        out += [f"| {u['cluster']} | {u['logs']} | `{_md(u['template'])}` | {_md(u['example']['log'])}:"
                f"{u['example']['line']} |" for u in r["unknown"]]
        out += ["", f"Start an entry from cluster N: `errdiag kb new <tool>.<slug> --from-report {r['store']} "
                "--cluster N`", ""]
    if r.get("groups"):
        by = r["by"]
        out += [f"## By {by}", "", f"| {by} | logs | failed | top failures |", "| --- | ---: | ---: | --- |"]
        for g in r["groups"]:
            tops = ", ".join(f"{f['id']} ({f['logs']})" for f in g["failures"]) or "-"
            out.append(f"| {_md(g[by] or '-')} | {g['logs']} | {g['failed_runs']} | {_md(tops)} |")
        out.append("")
    return "\n".join(out)


# -- HTML: one self-contained file, charts drawn as inline SVG (no script, no network, nothing to load) --

_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d232a;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em;word-break:break-all}
.muted{color:#5b6570}svg text{font:12px system-ui,sans-serif;fill:#1d232a}"""


def _bars(items: list[tuple[str, int]], width: int = 720) -> str:
    if not items:
        return ""
    hi = max(v for _, v in items) or 1
    row, label_w = 22, 300
    h = row * len(items) + 4
    parts = [f'<svg role="img" aria-label="logs per failure" width="{width}" height="{h}" '
             f'viewBox="0 0 {width} {h}">']
    for i, (label, v) in enumerate(items):
        y = i * row + 2
        w = max(1, int((width - label_w - 50) * v / hi))
        parts.append(f'<text x="0" y="{y + 15}">{html.escape(label[:44])}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" fill="#3b7dd8"/>'
                     f'<text x="{label_w + w + 6}" y="{y + 15}">{v}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _spark_svg(values: list[int], width: int = 120, height: int = 22) -> str:
    if not values:
        return ""
    hi = max(values) or 1
    n = len(values)
    bw = width / n
    rects = "".join(f'<rect x="{i * bw:.1f}" y="{height - height * v / hi:.1f}" width="{max(bw - 1, 1):.1f}" '
                    f'height="{height * v / hi:.1f}" fill="#3b7dd8"/>' for i, v in enumerate(values) if v)
    return (f'<svg role="img" aria-label="logs per week: {", ".join(map(str, values))}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{rects}</svg>')


def to_html(r: dict[str, Any]) -> str:
    e = html.escape
    out = ["<!doctype html><html lang=en><meta charset=utf-8>",
           "<meta name=viewport content='width=device-width,initial-scale=1'>",
           "<title>errdiag fleet report</title>", f"<style>{_CSS}</style>",
           "<h1>errdiag fleet report</h1>",
           f"<p class=muted>{e(_headline(r))}. Store: <code>{e(r['store'])}</code></p>"]
    if r["failures"]:
        out.append("<h2>Top failures by logs</h2>")
        out.append(_bars([(f["id"], f["logs"]) for f in r["failures"]]))
        out.append("<table><tr><th>id</th><th>title</th><th class=n>logs</th><th class=n>occurrences</th>"
                   "<th class=n>share</th><th>first seen</th><th>last seen</th><th>per week</th></tr>")
        for f in r["failures"]:
            out.append(f"<tr><td><code>{e(f['id'])}</code></td><td>{e(f['title'] or '')}</td>"
                       f"<td class=n>{f['logs']}</td><td class=n>{f['occurrences']}</td><td class=n>{_pct(f['share'])}"
                       f"</td><td>{_day(f['first_seen'])}</td><td>{_day(f['last_seen'])}</td>"
                       f"<td>{_spark_svg(f['trend'])}</td></tr>")
        out.append("</table>")
    if r["unknown"]:
        out.append("<h2>Unknown failures</h2><p class=muted>Key lines of failed runs that no entry explains, "
                   "grouped by template. Start an entry from cluster N: <code>"
                   f"errdiag kb new &lt;tool&gt;.&lt;slug&gt; --from-report {e(r['store'])} --cluster N</code></p>")
        out.append("<table><tr><th class=n>#</th><th class=n>logs</th><th>template</th><th>example</th></tr>")
        for u in r["unknown"]:
            ex = u["example"]
            out.append(f"<tr><td class=n>{u['cluster']}</td><td class=n>{u['logs']}</td><td><code>{e(u['template'])}"
                       f"</code></td><td><code>{e(str(ex['log']))}:{ex['line']}</code><br><span class=muted>"
                       f"{e(ex['text'] or '')}</span></td></tr>")
        out.append("</table>")
    if r.get("groups"):
        by = r["by"]
        out.append(f"<h2>By {e(by)}</h2><table><tr><th>{e(by)}</th><th class=n>logs</th><th class=n>failed</th>"
                   "<th>top failures</th></tr>")
        for g in r["groups"]:
            tops = ", ".join(f"{e(f['id'])} ({f['logs']})" for f in g["failures"]) or "-"
            out.append(f"<tr><td>{e(str(g[by] or '-'))}</td><td class=n>{g['logs']}</td>"
                       f"<td class=n>{g['failed_runs']}</td><td>{tops}</td></tr>")
        out.append("</table>")
    out.append("</html>\n")
    return "\n".join(out)
