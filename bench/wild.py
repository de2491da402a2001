#!/usr/bin/env python3
"""Score errdiag on the wild samples: real errors as people pasted them (../shared/eval/WILD.md).

Sixteen samples drawn the same way: `main` (bench/wild.yaml, graded in bench/wild_grades.yaml), `holdout`
(bench/wild_holdout.yaml, graded in bench/wild_holdout_grades.yaml), `holdout2` (bench/wild_holdout2.yaml,
graded in bench/wild_holdout2_grades.yaml, drawn in round 4), `holdout3` (bench/wild_holdout3.yaml, graded in
bench/wild_holdout3_grades.yaml, drawn and scored once in round 5) and `holdout4` (bench/wild_holdout4.yaml, graded
in bench/wild_holdout4_grades.yaml, drawn in round 6) and `holdout5` (bench/wild_holdout5.yaml, graded in
bench/wild_holdout5_grades.yaml, drawn in round 7) and `holdout6` (bench/wild_holdout6.yaml, graded in
bench/wild_holdout6_grades.yaml, drawn in round 8) and `holdout7` (bench/wild_holdout7.yaml, graded in
bench/wild_holdout7_grades.yaml, drawn in round 9) and `holdout8` (bench/wild_holdout8.yaml, graded in
bench/wild_holdout8_grades.yaml, drawn in round 10) and `holdout9` (bench/wild_holdout9.yaml, graded in
bench/wild_holdout9_grades.yaml, drawn in round 11) and `holdout10` (bench/wild_holdout10.yaml, graded in
bench/wild_holdout10_grades.yaml, drawn in round 12) and `holdout11` (bench/wild_holdout11.yaml, graded in
bench/wild_holdout11_grades.yaml, drawn in round 13) and `holdout12` (bench/wild_holdout12.yaml, graded in
bench/wild_holdout12_grades.yaml, drawn in round 14) and `holdout13` (bench/wild_holdout13.yaml, graded in
bench/wild_holdout13_grades.yaml, drawn in round 15) and `holdout14` (bench/wild_holdout14.yaml, graded in
bench/wild_holdout14_grades.yaml, drawn in round 16), which the team now reads and tunes entries against (by kinds);
and `holdout15` (bench/wild_holdout15.yaml, graded in bench/wild_holdout15_grades.yaml, drawn in round 17 and scored
at the start and the end of that session), the held-out sample (HELD_OUT), which only the wild engineer and the lead
read: everyone else looks at its summary line, per-domain table and bands only. Every case goes to `CMD match --format
json` on standard input (when CMD is an errdiag script with a Python beside it, all cases go through
bench/match_batch.py in that Python: the same command code, one process and one knowledge load; `--subprocess`
starts CMD once per case). The top answer is graded RIGHT / GENERIC / WRONG / SILENT. Grading needs judgement,
so grades are data: bench/wild_grades.yaml maps a case id to a list of {answer, grade, why}, where `answer` is
the stable string this script prints for the top diagnosis (its id and captures). A stored grade is reused
while the answer is unchanged; only the mechanical cases are graded here:

    no answer                                    -> SILENT (on a benign case: silent, as it should be)
    top id == the label's existing id, and every
    labelled specific is in its captures/title   -> RIGHT
    the diagnosis says "generic": true           -> GENERIC

Anything else stays ungraded until a person grades it: `--todo` prints the ungraded answers as YAML to paste
into the grades file. Printed: with -v one line per case, then one summary line per sample (`wild:` for main,
`wild-holdout:` for holdout, `wild-holdout2:` ... `wild-holdout15:` for holdout15) with the four
shares over the non-benign cases, the benign silence, top-1 on the cases labelled with an existing id, the
share of the other failures that got a non-generic answer, and the confidence bands (share RIGHT / WRONG among
the graded non-generic answers at confidence >= 0.6, 0.3-0.6 and < 0.3, and among generic answers; an answer
to a benign text counts as WRONG there). --bands prints the same bands as a table (with GENERIC shares and
counts), --by-domain the four shares per domain (aggregates only, fit to print for the held-out samples too).

    python bench/wild.py [--set main|holdout|holdout2|...|holdout15|both] [--cmd .venv/bin/errdiag]
                         [-v] [--todo] [--bands] [--by-domain]

`--set both` (or its alias `all`) scores every open sample, one after the other: every sample but the held-out one
(HELD_OUT, holdout15), which runs only when named (`--set holdout15`).

Exit status: 0 when every case ran and parsed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# sample name -> (cases, grades, name on the summary line)
SETS = {
    "main": (ROOT / "bench" / "wild.yaml", ROOT / "bench" / "wild_grades.yaml", "wild"),
    "holdout": (ROOT / "bench" / "wild_holdout.yaml", ROOT / "bench" / "wild_holdout_grades.yaml", "wild-holdout"),
    "holdout2": (ROOT / "bench" / "wild_holdout2.yaml", ROOT / "bench" / "wild_holdout2_grades.yaml", "wild-holdout2"),
    "holdout3": (ROOT / "bench" / "wild_holdout3.yaml", ROOT / "bench" / "wild_holdout3_grades.yaml", "wild-holdout3"),
    "holdout4": (ROOT / "bench" / "wild_holdout4.yaml", ROOT / "bench" / "wild_holdout4_grades.yaml", "wild-holdout4"),
    "holdout5": (ROOT / "bench" / "wild_holdout5.yaml", ROOT / "bench" / "wild_holdout5_grades.yaml", "wild-holdout5"),
    "holdout6": (ROOT / "bench" / "wild_holdout6.yaml", ROOT / "bench" / "wild_holdout6_grades.yaml", "wild-holdout6"),
    "holdout7": (ROOT / "bench" / "wild_holdout7.yaml", ROOT / "bench" / "wild_holdout7_grades.yaml", "wild-holdout7"),
    "holdout8": (ROOT / "bench" / "wild_holdout8.yaml", ROOT / "bench" / "wild_holdout8_grades.yaml", "wild-holdout8"),
    "holdout9": (ROOT / "bench" / "wild_holdout9.yaml", ROOT / "bench" / "wild_holdout9_grades.yaml", "wild-holdout9"),
    "holdout10": (ROOT / "bench" / "wild_holdout10.yaml", ROOT / "bench" / "wild_holdout10_grades.yaml",
                  "wild-holdout10"),
    "holdout11": (ROOT / "bench" / "wild_holdout11.yaml", ROOT / "bench" / "wild_holdout11_grades.yaml",
                  "wild-holdout11"),
    "holdout12": (ROOT / "bench" / "wild_holdout12.yaml", ROOT / "bench" / "wild_holdout12_grades.yaml",
                  "wild-holdout12"),
    "holdout13": (ROOT / "bench" / "wild_holdout13.yaml", ROOT / "bench" / "wild_holdout13_grades.yaml",
                  "wild-holdout13"),
    "holdout14": (ROOT / "bench" / "wild_holdout14.yaml", ROOT / "bench" / "wild_holdout14_grades.yaml",
                  "wild-holdout14"),
    "holdout15": (ROOT / "bench" / "wild_holdout15.yaml", ROOT / "bench" / "wild_holdout15_grades.yaml",
                  "wild-holdout15"),
}
# the sample held out this round: only the wild engineer and the lead read its cases; `both`/`all` leave it out, it
# runs only when named
HELD_OUT = "holdout15"
COMBINED = ("both", "all")  # every sample but HELD_OUT, in the order of SETS
CASES, GRADES, _ = SETS["main"]
DEFAULT_CMD = str(ROOT / ".venv" / "bin" / "errdiag")
GRADED = ("RIGHT", "GENERIC", "WRONG")
BANDS = (("conf>=0.6", 0.6, 2.0), ("conf0.3-0.6", 0.3, 0.6), ("conf<0.3", -1.0, 0.3))


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    label_id: str | None
    kind: str  # known | out_of_kb | benign
    what: str
    specifics: tuple[str, ...]
    domain: str = ""


@dataclass(frozen=True)
class Answer:
    """The top diagnosis as far as grading cares; `key` is the stable string grades are stored under."""

    id: str
    title: str
    confidence: float
    generic: bool
    captures: dict
    stepped_back: str = ""  # where the failure lives when the answer leads with that place's advice (JSON `lives`)

    @property
    def key(self) -> str:
        caps = "; ".join(f"{k}={self.captures[k]}" for k in sorted(self.captures))
        key = f"{self.id} [{caps}]" if caps else self.id
        # an answer that says first the failing code is not the user's is another answer than the same entry's edit
        return f"{key} {{stepped back: {self.stepped_back}}}" if self.stepped_back else key


@dataclass(frozen=True)
class Result:
    case: Case
    answer: Answer | None
    grade: str  # RIGHT GENERIC WRONG SILENT | QUIET (benign, silent) | NOISY (benign, answered) | UNGRADED | BROKEN
    how: str  # stored | auto | ""
    error: str = ""


def _load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_cases(path: Path = CASES) -> list[Case]:
    """The cases of a wild file; items without `text` (the eval_cases view) are skipped."""
    cases = []
    for item in _load_yaml(path) or []:
        if "text" not in item:
            continue
        label = item.get("label") or {}
        cases.append(Case(
            id=item["id"],
            text=item["text"],
            label_id=label.get("id"),
            kind=label.get("kind", "out_of_kb"),
            what=label.get("what", ""),
            specifics=tuple(str(s) for s in label.get("specifics") or ()),
            domain=str(item.get("domain") or ""),
        ))
    return cases


def eval_view(cases: list[Case]) -> dict[str | None, list[str]]:
    """What the eval_cases view must hold: existing id (None for benign) -> case ids, in order."""
    view: dict[str | None, list[str]] = {}
    for c in cases:
        if c.kind == "known":
            view.setdefault(c.label_id, []).append(c.id)
        elif c.kind == "benign":
            view.setdefault(None, []).append(c.id)
    return view


def load_grades(path: Path = GRADES) -> dict[str, list[dict]]:
    if not path.exists():
        return {}
    return _load_yaml(path) or {}


def run_one(cmd: list[str], text: str) -> tuple[Answer | None, str]:
    """Top answer of the CLI for one text, or (None, error) when the run broke."""
    try:
        proc = subprocess.run(cmd + ["match", "--format", "json"], input=text.encode("utf-8"),
                              capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"could not run: {exc}"
    return _parse(proc.returncode, proc.stdout.decode("utf-8", errors="replace"),
                  proc.stderr.decode("utf-8", errors="replace"))


def auto_grade(case: Case, answer: Answer) -> str | None:
    """The mechanical grades; None when a person has to judge."""
    if case.kind == "known" and answer.id == case.label_id:
        said = " ".join([answer.title, *map(str, answer.captures.values())]).lower()
        if all(s.lower() in said for s in case.specifics):
            return "RIGHT"
    if answer.generic:
        return "GENERIC"
    return None


def grade(case: Case, answer: Answer | None, grades: dict[str, list[dict]]) -> tuple[str, str]:
    if answer is None:
        return ("QUIET" if case.kind == "benign" else "SILENT"), ""
    if case.kind == "benign":
        return "NOISY", ""
    for g in grades.get(case.id) or []:
        if g.get("answer") == answer.key and g.get("grade") in GRADED:
            return g["grade"], "stored"
    auto = auto_grade(case, answer)
    return (auto, "auto") if auto else ("UNGRADED", "")


def _parse(code: int, stdout: str, stderr: str) -> tuple[Answer | None, str]:
    """The top answer in one `match --format json` run's output, or (None, error)."""
    if code not in (0, 1):
        return None, f"exit {code}: {stderr[-300:]}"
    try:
        diagnoses = json.loads(stdout)["diagnoses"]
        if not diagnoses:
            return None, ""
        top = diagnoses[0]
        lives = top.get("lives") or {}
        return Answer(id=top["id"], title=top.get("title") or "", confidence=float(top["confidence"]),
                      generic=bool(top.get("generic")), captures=dict(top.get("captures") or {}),
                      stepped_back=lives.get("kind", "") if lives.get("stepped_back") else ""), ""
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return None, f"unparsable JSON ({exc}): {stdout[:200]!r}"


def batch_python(cmd: list[str]) -> Path | None:
    """The Python beside an errdiag script (`.venv/bin/errdiag` -> `.venv/bin/python`): the same installation,
    so bench/match_batch.py run by it goes through the very code the script runs. None for any other command."""
    if len(cmd) != 1 or Path(cmd[0]).name != "errdiag":
        return None
    for name in ("python", "python3", "python.exe"):
        py = Path(cmd[0]).parent / name
        if py.is_file():
            return py
    return None


def batch_rows(python: Path, texts: list[str],
               options: tuple[str, ...] | list[str] = ()) -> tuple[list[dict] | None, str]:
    """Every text through bench/match_batch.py (with its `options`) in one process: one row per text, {code, stdout,
    stderr} of `match --format json`; or None and why when the batch could not run or lost a text."""
    feed = "".join(json.dumps(t) + "\n" for t in texts).encode("utf-8")
    try:
        proc = subprocess.run([str(python), str(ROOT / "bench" / "match_batch.py"), *options], input=feed,
                              capture_output=True, timeout=60 + 5 * len(texts))
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"could not run the batch: {exc}"
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    if proc.returncode != 0 or len(rows) != len(texts):
        return None, f"batch exit {proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}"
    return rows, ""


def run_batch(python: Path, texts: list[str]) -> list[tuple[Answer | None, str]]:
    """Every text through bench/match_batch.py in one process (the CLI's code path, one knowledge load)."""
    rows, why = batch_rows(python, texts)
    if rows is None:
        return [(None, why)] * len(texts)
    return [_parse(r["code"], r["stdout"], r["stderr"]) for r in rows]


def score(cases: list[Case], cmd: list[str], grades: dict[str, list[dict]], jobs: int = 4,
          subprocess_each: bool = False) -> list[Result]:
    python = None if subprocess_each else batch_python(cmd)
    if python is not None:
        runs = run_batch(python, [c.text for c in cases])
    else:
        with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
            runs = list(pool.map(lambda c: run_one(cmd, c.text), cases))
    results = []
    for case, (answer, error) in zip(cases, runs, strict=True):
        if error:
            results.append(Result(case, None, "BROKEN", "", error))
            continue
        g, how = grade(case, answer, grades)
        results.append(Result(case, answer, g, how))
    return results


def diagnosed_in_process(kb, cases_path: Path, grades_path: Path, before=None):
    """Each case of a sample diagnosed in process (`errdiag.diagnose` with `kb`), as (case, top diagnosis, grade);
    an answer to a benign text grades WRONG. Cases without an answer or with unreadable input are skipped.
    `before()` runs before each diagnosis (a caller that records what the engine does resets it there)."""
    from errdiag import diagnose
    from errdiag.errors import InputError

    grades = load_grades(grades_path)
    for case in load_cases(cases_path):
        if before is not None:
            before()
        try:
            d = diagnose(case.text, kb).best
        except InputError:
            continue
        if d is None:
            continue
        stepped = str(d.lives["kind"]) if d.lives and d.lives.get("stepped_back") else ""
        g, _ = grade(case, Answer(d.id, d.entry.title, d.confidence, bool(d.generic), dict(d.captures), stepped),
                     grades)
        yield case, d, ("WRONG" if g == "NOISY" else g)


def _share(n: int, d: int) -> str:
    return f"{n / d:.3f}" if d else "n/a"


def band_rows(results: list[Result]) -> list[tuple[str, list[str]]]:
    """Per confidence band (non-generic answers) and for generic answers: the grades of the answers in it.

    Counted: graded answers, plus answers to benign texts, which are wrong by definition; ungraded and
    silent cases are left out."""
    answered = [(r.answer, "WRONG" if r.grade == "NOISY" else r.grade) for r in results
                if r.answer is not None and r.grade in (*GRADED, "NOISY")]
    rows = [(name, [g for a, g in answered if not a.generic and lo <= a.confidence < hi])
            for name, lo, hi in BANDS]
    rows.append(("generic", [g for a, g in answered if a.generic]))
    return rows


def refined_ids(root: Path = ROOT / "knowledge") -> dict[str, str]:
    """Entry id -> the id it `refines:` (read from the bundled YAML files' top-level `refines:` lines)."""
    out = {}
    for path in root.glob("*/*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("refines:"):
                out[f"{path.parent.name}.{path.stem}"] = line.split(":", 1)[1].split("#")[0].strip().strip("'\"")
                break
    return out


def _ancestors(entry_id: str, parents: dict[str, str]) -> list[str]:
    chain = []
    while entry_id in parents and len(chain) < 8:
        entry_id = parents[entry_id]
        chain.append(entry_id)
    return chain


def summary(results: list[Result], name: str = "wild", parents: dict[str, str] | None = None) -> str:
    fails = [r for r in results if r.case.kind != "benign"]
    benign = [r for r in results if r.case.kind == "benign"]
    count = {g: sum(r.grade == g for r in fails) for g in (*GRADED, "SILENT", "UNGRADED", "BROKEN")}
    known = [r for r in results if r.case.kind == "known"]
    top1 = sum(r.answer is not None and r.answer.id == r.case.label_id for r in known)
    parents = refined_ids() if parents is None else parents
    refined = sum(r.answer is not None and r.answer.id != r.case.label_id
                  and r.case.label_id in _ancestors(r.answer.id, parents) for r in known)
    other = [r for r in fails if r.case.kind != "known"]
    specific = sum(r.answer is not None and not r.answer.generic for r in other)
    quiet = sum(r.grade == "QUIET" for r in benign)
    parts = [f"{name}: cases={len(results)} failures={len(fails)} benign={len(benign)}"]
    parts += [f"{g}={_share(count[g], len(fails))}" for g in (*GRADED, "SILENT")]
    parts.append(f"ungraded={count['UNGRADED']}")
    if count["BROKEN"]:
        parts.append(f"broken={count['BROKEN']}")
    parts.append(f"benign_silent={_share(quiet, len(benign))}")
    parts.append(f"top1_known={_share(top1, len(known))}({top1}/{len(known)})")
    if refined:  # a top answer that refines the labelled entry names the same error more precisely
        parts.append(f"top1_known_or_refining={_share(top1 + refined, len(known))}({top1 + refined}/{len(known)})")
    parts.append(f"specific_other={_share(specific, len(other))}({specific}/{len(other)})")
    for band, grades in band_rows(results):
        right = grades.count("RIGHT")
        wrong = grades.count("WRONG")
        parts.append(f"{band}:right={_share(right, len(grades))},wrong={_share(wrong, len(grades))}(n={len(grades)})")
    return " ".join(parts)


def bands_table(results: list[Result], name: str = "wild") -> str:
    """The confidence bands of one sample as a small table: answers, and RIGHT / GENERIC / WRONG shares."""
    lines = [f"{name} calibration   answers  right  generic  wrong"]
    for band, grades in band_rows(results):
        n = len(grades)
        lines.append(f"  {band:15} {n:7d}  {_share(grades.count('RIGHT'), n):>5}  "
                     f"{_share(grades.count('GENERIC'), n):>7}  {_share(grades.count('WRONG'), n):>5}")
    return "\n".join(lines)


def by_domain(results: list[Result]) -> str:
    """One line per domain: failures and the four shares over them, benign texts and how many stayed silent.

    Aggregates only, so it can be printed for the held-out sample without showing its cases."""
    lines = []
    for domain in sorted({r.case.domain for r in results}):
        inside = [r for r in results if r.case.domain == domain]
        fails = [r for r in inside if r.case.kind != "benign"]
        benign = [r for r in inside if r.case.kind == "benign"]
        shares = " ".join(f"{g}={_share(sum(r.grade == g for r in fails), len(fails))}"
                          for g in (*GRADED, "SILENT"))
        quiet = sum(r.grade == "QUIET" for r in benign)
        lines.append(f"  {domain or '-':14} failures={len(fails):3d} {shares} benign_silent={quiet}/{len(benign)}")
    return "\n".join(lines)


def todo(results: list[Result]) -> str:
    """The ungraded answers as YAML to paste into the grades file, with context as comments."""
    out = []
    for r in results:
        if r.grade != "UNGRADED":
            continue
        tail = [line for line in r.case.text.splitlines() if line.strip()][-3:]
        out.append(f"# {r.case.id} label: {r.case.label_id} ({r.case.kind}) - {r.case.what}")
        out += [f"#   | {line[:110]}" for line in tail]
        out.append(f"#   answer title: {r.answer.title[:110]}  conf={r.answer.confidence:.2f}")
        out.append(f"{r.case.id}:")
        out.append(f"  - answer: {json.dumps(r.answer.key, ensure_ascii=False)}")
        out.append("    grade: TODO   # RIGHT | GENERIC | WRONG")
        out.append('    why: ""')
    return "\n".join(out)


def run_set(label: str, cases_path: Path, grades_path: Path, args) -> bool:
    """Score one sample and print its lines; False when a case broke."""
    cases = load_cases(cases_path)
    if not cases:
        print(f"no cases in {cases_path}", file=sys.stderr)
        return False
    results = score(cases, shlex.split(args.cmd), load_grades(grades_path), args.jobs, args.subprocess)
    for r in results:
        if r.grade == "BROKEN":
            print(f"BROKEN {r.case.id}: {r.error}")
        elif args.verbose:
            got = f"{r.answer.key} ({r.answer.confidence:.2f})" if r.answer else "-"
            print(f"{r.case.id} {r.grade:8} {r.how:6} label={r.case.label_id} got={got}")
    if args.todo:
        text = todo(results)
        if text:
            print(text)
    if args.bands:
        print(bands_table(results, label))
    if args.by_domain:
        print(f"{label} by domain")
        print(by_domain(results))
    print(summary(results, label))
    return not any(r.grade == "BROKEN" for r in results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=(*SETS, *COMBINED), default="main", dest="sample",
                    help="which wild sample: main (default), holdout, holdout2 ... holdout15, "
                         f"or both/all (every sample but the held-out {HELD_OUT}, which runs only when named)")
    ap.add_argument("--cmd", default=DEFAULT_CMD, help="how to start the CLI (default: .venv/bin/errdiag)")
    ap.add_argument("--cases", type=Path, help="a cases file instead of the sample's own")
    ap.add_argument("--grades", type=Path, help="a grades file instead of the sample's own")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--subprocess", action="store_true",
                    help="start the CLI once per case (default for an errdiag script with a Python beside it: "
                         "all cases through bench/match_batch.py in one process, the same code path)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per case")
    ap.add_argument("--todo", action="store_true", help="print the ungraded answers as YAML to grade")
    ap.add_argument("--bands", action="store_true", help="print the confidence bands as a table")
    ap.add_argument("--by-domain", action="store_true", help="print the shares per domain (aggregates only)")
    args = ap.parse_args(argv)
    names = [n for n in SETS if n != HELD_OUT] if args.sample in COMBINED else [args.sample]
    if len(names) > 1 and (args.cases or args.grades):
        ap.error("--cases/--grades name one sample; use them with --set " + "|".join(SETS))
    ok = True
    for name in names:
        cases_path, grades_path, label = SETS[name]
        ok &= run_set(label, args.cases or cases_path, args.grades or grades_path, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
