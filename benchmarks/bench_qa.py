"""QA checks over a realistically filled inspection of 150 cases. Target: under 1 s.

    .venv/bin/python benchmarks/bench_qa.py [--quick]

Builds an encrypted workspace holding one NPS inspection of 150 cases (random samples,
sentence types and recorded RoSH): 60% of forms completed with a realistic mix of answers,
judgements and evidence notes, 30% part-filled, 10% untouched, with a sprinkling of the faults
QA looks for and some alerts. Then prints, each the median (and the worst) of several runs:

- unlock: ``Workspace.open`` (key derivation, schema check), for scale;
- ``workspace_findings`` end to end on the open workspace: case list, items and alerts read
  from the encrypted store, then every check; the first call after opening also parses the
  stored framework;
- the baseline: the same rows read with plain SQL on the same open connection, nothing
  worked out; and, paired run by run, the ratio at 40 cases (one QA partner's) and at 400
  (the lead's). Target: 3x;
- the same findings read case by case with ``read_assessment`` (the path it avoids);
- the pure checks alone (``run_checks`` over the 150 prepared inputs);
- open + ``workspace_findings`` + close, as ``hmip-desktop qa`` does.

The workspace lives in a temporary folder under benchmarks/ and is removed at the end.
``--quick``: fewer runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from harness import runs, show

from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.assessment.items import CASE, NOTE, RECORD
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.qa.checks import run_checks
from hmip_desktop.qa.service import assessment_input, workspace_findings, workspace_inputs
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for qa"  # noqa: S105 - invented, for a throwaway file
CASES = 150
NOTES = ("Thorough: the plan draws on police and children's services information throughout.",
         "The plan does not address the domestic abuse the police reported in May.",
         "Reviewed after the change of address; sufficient overall.", "Brief.")


def fill(fw: Framework, facts: dict[str, str], rng: random.Random, share: float) -> dict[str, str]:
    """A form as an assessor leaves it: the first ``share`` of it, mostly right."""
    items = {RECORD + "conflict_declared": "no", RECORD + "excluded": "no"}
    if rng.random() < 0.97:
        items[RECORD + "interview_mode"] = rng.choice(("in_person", "phone", "file_read"))
    for q in fw.case_questions:
        items[CASE + q.id] = facts["rosh"] if rng.random() < 0.8 else rng.choice(q.values)
    if items[CASE + "inspector_rosh"] != facts["rosh"] and rng.random() < 0.7:
        items[RECORD + "rosh_difference_reason"] = "Police information since the assessment."
    rules = case_rules(fw, facts, items)
    kqs = [k for k in fw.case_key_questions() if rules.applies(k.id)]
    for kq in kqs[: round(len(kqs) * share)]:
        answers = []
        for p in kq.prompts:
            if rules.applies(p.id):
                items[p.id] = "yes" if rng.random() < 0.7 else "no"
                answers.append(items[p.id])
        no = answers.count("no")
        judgement = "no" if answers and no / len(answers) > 0.5 else "yes"
        if rng.random() < 0.05:
            judgement = "yes" if judgement == "no" else "no"  # at odds with the prompts
        items[kq.id] = judgement
        if rng.random() < 0.95:
            items[NOTE + kq.id] = rng.choice(NOTES)
    forced = case_rules(fw, facts, items).forced
    for kq_id, (value, _reason) in forced.items():
        if kq_id in items and rng.random() < 0.9:
            items[kq_id] = value
    return items


def build(folder: Path, cases_count: int = CASES, passphrase: str = PASSPHRASE) -> None:
    """One inspection of ``cases_count`` cases, filled as the module's docstring says."""
    rng = random.Random(150)
    with Workspace.create(folder, passphrase, owner_name="Bench Lead", role="lead") as ws:
        iid = ws.create_inspection(
            title="Benchmark inspection", organisation="Bench division",
            framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
        fw = ws.inspection_framework(iid)
        members = [ws.add_member(iid, name=f"Assessor {n}", role="assessor") for n in range(8)]
        cases = []
        for n in range(cases_count):
            facts = {f.id: rng.choice(f.values) for f in fw.case_facts}
            facts["sample"] = rng.choices(("supervision", "court_report", "victim"),
                                          (6, 2, 1))[0]
            cases.append({"case_ref": f"BENCH-{n:04d}", "facts": facts})
        ids = ws.add_cases(iid, cases)
        rows = []
        complete = []
        for cid, c in zip(ids, cases, strict=True):
            ws.assign(cid, rng.choice(members))
            r = rng.random()
            if r < 0.1:
                continue
            share = 1.0 if r < 0.7 else rng.uniform(0.2, 0.9)
            rows += [(cid, k, v) for k, v in fill(fw, c["facts"], rng, share).items()]
            if share == 1.0:
                complete.append(cid)
        ws.bulk_load_items(rows)
        for cid in complete:
            ws.set_status(cid, "complete")
        for cid in rng.sample(ids, 6):
            alert = ws.raise_alert(cid, what_might_happen="Harm.", how_serious="Serious.",
                                   how_imminent="Days.", action_asked="Act.")
            if rng.random() < 0.5:
                ws.acknowledge_alert(alert.id)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"workspace: {cases_count} cases, {len(rows):,} items, {len(complete)} complete, "
          f"{size:.1f} MB on disk")


# What workspace_findings reads, as plain SQL on the same open connection (same cache, same
# PRAGMAs, autocommit reads as the service's): every row fetched, nothing worked out. The case
# list is not sorted here: the service sorts it in Python, so the sort is on its side only.
PLAIN_READS = (
    "SELECT c.*, m.name, a.interview_at, a.interview_minutes FROM cases c"
    " LEFT JOIN assignments a ON a.case_id = c.id LEFT JOIN members m ON m.id = a.member_id",
    "SELECT case_id, status, revision, updated_at FROM assessments",
    "SELECT case_id, count(*), sum(acknowledged_at IS NULL) FROM alerts GROUP BY case_id",
    "SELECT case_id, count(*) FROM queries WHERE closed_at IS NULL GROUP BY case_id",
    "SELECT case_id, revision FROM signoffs",
    "SELECT case_id, item, value FROM items",
    "SELECT * FROM alerts ORDER BY raised_at",
    "SELECT q.case_id, count(*) FROM queries q JOIN assessments a ON a.case_id = q.case_id"
    " WHERE q.closed_at IS NULL AND a.updated_at IS NOT NULL GROUP BY q.case_id",
    "SELECT framework_hash FROM inspections",
)


def plain_reads(conn: object) -> None:
    for sql in PLAIN_READS:
        conn.execute(sql).fetchall()  # type: ignore[attr-defined]


def spread(values: list[float]) -> str:
    return (f"min {min(values):.2f} / median {statistics.median(values):.2f} / "
            f"max {max(values):.2f}")


def against_plain_reads(base: Path, cases: int, repeats: int) -> None:
    """workspace_findings against the plain reads of its rows, paired run by run."""
    folder = base / f"ws{cases}"
    build(folder, cases)
    with Workspace.open(folder, PASSPHRASE) as ws:
        workspace_findings(ws)  # the framework parsed once, as after opening
        conn = ws._conn
        ratios, found, plain = [], [], []
        for _ in range(repeats):
            (b,) = runs(lambda c=conn: plain_reads(c), 1)
            (f,) = runs(lambda w=ws: workspace_findings(w), 1)
            plain.append(b)
            found.append(f)
            ratios.append(f / b)
    show(f"{cases} cases: workspace_findings", found)
    show(f"{cases} cases: plain reads of the same rows", plain)
    print(f"  {cases} cases: ratio {spread(ratios)} (target <= 3; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    base = Path(tempfile.mkdtemp(prefix="tmp-qa-", dir=ROOT / "benchmarks"))
    try:
        print("QA checks against plain reads (one QA partner's 40 cases, the lead's 400):")
        for cases in (40, 400):
            against_plain_reads(base, cases, repeats)
        folder = base / "ws"
        build(folder)
        print("timings:")
        show("unlock (Workspace.open)",
             runs(lambda: Workspace.open(folder, PASSPHRASE).close(), repeats))
        firsts = []
        for _ in range(repeats):
            with Workspace.open(folder, PASSPHRASE) as ws:
                firsts.extend(runs(lambda w=ws: workspace_findings(w), 1))
        show("workspace_findings, first call after opening", firsts)
        with Workspace.open(folder, PASSPHRASE) as ws:
            findings = workspace_findings(ws)
            again = runs(lambda: workspace_findings(ws), repeats)
            show("workspace_findings, again", again)
            reads = runs(lambda: plain_reads(ws._conn), repeats)
            show("baseline: plain reads of the same rows", reads)
            ids = [s.case.id for s in ws.list_cases()]
            show("read_assessment case by case + checks", runs(lambda: [
                run_checks(assessment_input(ws.read_assessment(c))) for c in ids], repeats))
            inputs = [case for _s, case in workspace_inputs(ws)]
        show(f"pure checks alone ({len(inputs)} cases)",
             runs(lambda: [run_checks(c) for c in inputs], repeats))
        show("open + workspace_findings + close (the CLI's work)", runs(
            lambda: _open_and_check(folder), repeats))
        median = statistics.median(again)
        print(f"ratio workspace_findings / plain reads: {median / statistics.median(reads):.2f}"
              f"; workspace_findings {median * 1000:.0f} ms for 150 cases (target < 1 s)")
        counts = Counter(f.check for f in findings)
        print(f"findings: {len(findings)} ("
              + ", ".join(f"{n} {check}" for check, n in counts.most_common()) + ")")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _open_and_check(folder: Path) -> None:
    with Workspace.open(folder, PASSPHRASE) as ws:
        workspace_findings(ws)


if __name__ == "__main__":
    main()
