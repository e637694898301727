"""Consolidating 30 inspections × 150 cases × 60 answers (270,000 answers) into all tables.

    .venv/bin/python benchmarks/bench_consolidation.py [--quick]

Targets (issue: the lead's consolidation): under 2 s for all 30 inspections, and within 3× a
plain SQL ``GROUP BY`` over the same rows in the same run; counting by the visible rule (only
cases marked complete, or with cases in progress) within the same 3×; the drill-down of one key
question over an inspection of 400 cases in at most 100 ms.

Builds one encrypted lead workspace holding 30 NPS inspections of 150 supervision cases each
(random gender, sentence type, recorded and inspector's RoSH, so the keeping-safe key
questions use sub-samples and the hurdle on 2.1.3 fires in some cases). Every case has 60
items: the three record fields, the inspector's RoSH, a judgement for each of the twelve key
questions of domain two and 44 prompt answers. A few cases are marked 'should have been
excluded' or carry a conflict of interest; about one in twenty is still in progress; about half
are signed off by QA at their revision. A 31st inspection of 400 such cases, allocated to eight
assessors with an evidence note per judgement, is the drill-down's. Then prints, each the
median (and the worst) of several runs:

- baseline: per inspection, ``SELECT item, value, count(*) … GROUP BY item, value`` over all of
  its items (every one of the 270,000 answers), joined to its cases; and the same restricted to
  the key-question judgements, the rows the tables count;
- ``consolidate`` for every inspection: cases, filters, the rule-relevant items and the
  judgements read, rules evaluated per distinct combination, tallies, the rules engine,
  discretion reasons, the tables;
- the same once more with a filter (one PDU), and the ratio of consolidation to the baseline;
- the same with the provisional rule (cases in progress counted too) and its ratio;
- the drill-down of 2.3.3 over the 400-case inspection: ``consolidate`` then ``drill_down``
  (what ``consolidate --kq`` does), and ``drill_down`` alone on the consolidation the Tables
  tab already holds; and ``prompt_counts`` for every key question of one inspection.

The workspace lives in a temporary folder under benchmarks/ and is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from harness import runs, show

from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.assessment.items import CASE, RECORD
from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.drilldown import drill_down, prompt_counts
from hmip_desktop.consolidation.tables import Filters, consolidate
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for consolidation"  # noqa: S105 - invented, throwaway
INSPECTIONS = 30
CASES = 150
ANSWERS = 60
PDUS = ("North PDU", "South PDU", "East PDU", "West PDU")
DRILL_CASES = 400
DRILL_KQ = "2.3.3"


def case_items(fw: Framework, facts: dict[str, str], rng: random.Random) -> dict[str, str]:
    items = {RECORD + "conflict_declared": "no", RECORD + "excluded": "no",
             RECORD + "interview_mode": "in_person"}
    items[CASE + "inspector_rosh"] = rng.choice(fw.fields_by_id["inspector_rosh"].values)
    r = rng.random()
    if r < 0.02:
        items[RECORD + "excluded"] = "yes"
    elif r < 0.03:
        items[RECORD + "conflict_declared"] = "yes"
    rules = case_rules(fw, facts, items)
    kqs = [k for k in fw.case_key_questions() if fw.standard_of(k.id).id.startswith("2.")]
    for k in kqs:
        items[k.id] = "na" if not rules.applies(k.id) else rng.choice(("yes", "yes", "no"))
    prompts = [p.id for k in kqs for p in k.prompts]
    for pid in prompts[: ANSWERS - len(items)]:
        items[pid] = rng.choice(("yes", "yes", "no"))
    forced = case_rules(fw, facts, items).forced
    for kq_id, (value, _why) in forced.items():
        items[kq_id] = value
    assert len(items) == ANSWERS, len(items)
    return items


def add_inspection(ws: Workspace, raw: bytes, i: int, n_cases: int, rng: random.Random,
                   rows: list[tuple[str, str, str]], notes: list[tuple[str, str, str]]) -> str:
    iid = ws.create_inspection(title=f"Division {i}", organisation=f"Division {i}",
                               framework_bytes=raw)
    fw = ws.inspection_framework(iid)
    cases = []
    for n in range(n_cases):
        facts = {f.id: rng.choice(f.values) for f in fw.case_facts}
        facts["sample"] = "supervision"
        cases.append({"case_ref": f"D{i:02d}-{n:03d}", "facts": facts, "pdu": rng.choice(PDUS)})
    ids = ws.add_cases(iid, cases)
    for cid, c in zip(ids, cases, strict=True):
        items = case_items(fw, c["facts"], rng)
        rows += [(cid, k, v) for k, v in items.items()]
        notes += [(cid, "note:" + k, f"Evidence for {k}, invented for the benchmark.")
                  for k in items if k in fw.key_questions_by_id]
    status = [("in_progress" if rng.random() < 0.05 else "complete", cid) for cid in ids]
    with ws.transaction():
        ws._conn.executemany("UPDATE assessments SET status = ?, revision = 3 WHERE case_id = ?",
                            status)
        ws._conn.executemany(
            "INSERT INTO signoffs (case_id, revision, signed_by, signed_at)"
            " VALUES (?, 3, 'Bench QA', '2026-11-25T10:00:00Z')",
            [(cid,) for s, cid in status if s == "complete" and rng.random() < 0.5])
    return iid


def build(folder: Path) -> tuple[Workspace, list[str], str, int]:
    rng = random.Random(30)
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Bench Lead", role="lead")
    raw = resource("frameworks", "nps-2019-20.json").read_bytes()
    iids: list[str] = []
    rows: list[tuple[str, str, str]] = []
    notes: list[tuple[str, str, str]] = []
    for i in range(INSPECTIONS):
        iids.append(add_inspection(ws, raw, i, CASES, rng, rows, []))
    drill = add_inspection(ws, raw, INSPECTIONS, DRILL_CASES, rng, rows, notes)
    members = [ws.add_member(drill, name=f"Assessor {n}", role="assessor") for n in range(8)]
    for n, (cid,) in enumerate(ws._conn.execute(
            "SELECT id FROM cases WHERE inspection_id = ?", (drill,)).fetchall()):
        ws.assign(cid, members[n % len(members)])
    ws.bulk_load_items(rows + notes)
    ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return Workspace.open(folder, PASSPHRASE), iids, drill, INSPECTIONS * CASES * ANSWERS


def group_by(ws: Workspace, iids: list[str], items: tuple[str, ...] = ()) -> int:
    """The plain SQL count per item and value, per inspection (optionally of some items)."""
    only = f" AND i.item IN ({','.join('?' * len(items))})" if items else ""
    total = 0
    for iid in iids:
        for _item, _value, n in ws._conn.execute(
                "SELECT i.item, i.value, count(*) FROM cases c JOIN items i ON i.case_id = c.id"
                f" WHERE c.inspection_id = ?{only} GROUP BY i.item, i.value", (iid, *items)):
            total += n
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    base = Path(tempfile.mkdtemp(prefix="tmp-consolidation-", dir=ROOT / "benchmarks"))
    try:
        t = time.perf_counter()
        ws, iids, drill, n = build(base / "ws")
        print(f"workspace: {INSPECTIONS} inspections x {CASES} cases, {n:,} answers, built in "
              f"{time.perf_counter() - t:.1f} s")
        try:
            assert group_by(ws, iids) == n, (group_by(ws, iids), n)
            first = runs(lambda: [consolidate(ws, i) for i in iids], 1)
            print("timings:")
            show(f"consolidate x {INSPECTIONS}, first (frameworks parsed)", first)
            base_t = runs(lambda: group_by(ws, iids), repeats)
            show(f"baseline: SQL GROUP BY item, value x {INSPECTIONS}", base_t)
            kqs = tuple(k.id for k in ws.inspection_framework(iids[0]).case_key_questions())
            judged_t = runs(lambda: group_by(ws, iids, kqs), repeats)
            show(f"baseline: the same, judgements only x {INSPECTIONS}", judged_t)
            cons_t = runs(lambda: [consolidate(ws, i) for i in iids], repeats)
            show(f"consolidate x {INSPECTIONS} (all tables, ratings, flags)", cons_t)
            one_pdu = Filters(pdu=PDUS[0])
            show(f"consolidate x {INSPECTIONS}, filtered to one PDU",
                 runs(lambda: [consolidate(ws, i, one_pdu) for i in iids], repeats))
            live_t = runs(lambda: [consolidate(ws, i, rule=PROVISIONAL) for i in iids], repeats)
            show(f"consolidate x {INSPECTIONS}, provisional (cases in progress too)", live_t)
            prompts_t = runs(lambda: prompt_counts(ws, consolidate(ws, iids[0])), repeats)
            show(f"prompt counts, one inspection of {CASES} (+ consolidate)",
                 prompts_t)
            held = consolidate(ws, drill)
            drill_cli = runs(lambda: drill_down(ws, consolidate(ws, drill), DRILL_KQ), repeats)
            show(f"drill-down {DRILL_KQ}, {DRILL_CASES} cases (+ consolidate)",
                 drill_cli)
            drill_gui = runs(lambda: drill_down(ws, held, DRILL_KQ), repeats)
            show("drill-down alone (the Tables tab's consolidation)", drill_gui)
            cases = sum(consolidate(ws, i).cases for i in iids)
            total = statistics.median(cons_t)
            ratio = total / statistics.median(base_t)
            judged = total / statistics.median(judged_t)
            live = statistics.median(live_t) / statistics.median(base_t)
            print(f"cases counted: {cases:,} of {INSPECTIONS * CASES:,}")
            print(f"ratio consolidate / GROUP BY over all answers: {ratio:.2f} (target <= 3); "
                  f"over the judgements only: {judged:.2f}; provisional: {live:.2f}")
            print(f"drill-down over {DRILL_CASES} cases: "
                  f"{statistics.median(drill_cli) * 1000:.0f} ms with its consolidation, "
                  f"{statistics.median(drill_gui) * 1000:.0f} ms alone (target <= 100 ms)")
            print(f"consolidate, all {INSPECTIONS} inspections: {total:.3f} s (target < 2 s)")
        finally:
            ws.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
