"""Moving 150 cases of 80 answers each to a new edition, against writing the same rows fresh.

    .venv/bin/python benchmarks/bench_edition_move.py [--runs N] [--quick]

Issue 17's targets: moving 150 cases with 80 answers each takes ≤ 2 s, and ≤ 3× the time to
write the same rows fresh with the product's own write path in the same run.

The new edition is the demanding case: every prompt of every key question a case answers is
re-numbered (each prompt takes the next letter, the last the first, each ``continues`` the
old one) and the answers alternate yes and no, so most items take another's answer, each
change written and audited (52 of each case's 80 items). Timed:
``Workspace.move_cases`` (each case one ``BEGIN IMMEDIATE`` transaction: read, map, rewrite,
audit, commit with synchronous=FULL).

Two baselines, in the same run, on a fresh copy of the same workspace in the same folder with
the product's connection (same PRAGMAs, cache and key), one transaction per case as the move:

- **write fresh**: the same 80 (item, value) rows per case written with the store's own
  primitives the move uses (``items`` upsert and an audit row each, the revision and status
  updated) — the strict baseline, the ratio the target is checked against;
- **answer path**: the same 80 answers per case through ``apply_batch`` (``answer --from``:
  each answer validated, its rules applied and audited as if saved singly).

The runs alternate: each run makes fresh copies and times the three one after the other.
Median of ``--runs`` runs (default 3). ``--quick`` leaves out the answer path (about a minute
a run on a loaded 2-CPU machine).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import ROOT, describe_machine, load_average

from hmip_desktop.assessment.batch import apply_batch
from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.frameworks.loader import load_framework_bytes
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection
from hmip_desktop.store.transactions import write_transaction
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "benchmark passphrase for edition moves"  # noqa: S105 - invented, throwaway
CASES, ANSWERS = 150, 80
FACTS = {"sample": "supervision", "gender": "female", "sentence_type": "community",
         "rosh": "high"}


def renumbered_edition(data: dict[str, Any]) -> bytes:
    """The next edition: each key question's prompts re-numbered, each one letter on."""
    new = copy.deepcopy(data)
    new["edition"], new["version"] = "2020-21", "2020.1"
    new["supersedes"] = {"id": data["id"], "edition": data.get("edition", data["version"])}
    for d in new["domains"]:
        for s in d["standards"]:
            for kq in s["key_questions"]:
                ids = [p["id"] for p in kq["prompts"]]
                for p, new_id in zip(kq["prompts"], ids[1:] + ids[:1], strict=True):
                    p["continues"], p["id"] = p["id"], new_id
                kq["prompts"].sort(key=lambda p: p["id"])
    return json.dumps(new).encode("utf-8")


def answers_for(ws: Workspace, iid: str) -> list[tuple[str, str]]:
    """80 (item, value) pairs a case can hold: prompts, judgements, notes, in form order
    (those that apply to a supervision case first)."""
    fw = ws.inspection_framework(iid)
    rules = case_rules(fw, FACTS, {})
    out: list[tuple[str, str]] = []
    for kq in fw.case_key_questions():
        out += [(p.id, "yes" if n % 2 else "no") for n, p in enumerate(kq.prompts)]
        out += [(kq.id, "yes"), ("note:" + kq.id, f"Evidence for {kq.id}, invented.")]
    out.sort(key=lambda a: not rules.applies(a[0].removeprefix("note:")))
    return out[:ANSWERS]


def make_template(base: Path) -> tuple[Path, str, list[tuple[str, str]]]:
    folder = base / "template"
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Avery Benchmark", role="assessor")
    iid = ws.create_inspection(title="Benchmark", organisation="Invented PDU",
                               framework_bytes=resource("frameworks", "nps-2019-20.json")
                               .read_bytes())
    ws.add_cases(iid, [{"case_ref": f"B-{n:03d}", "facts": FACTS} for n in range(CASES)])
    answers = answers_for(ws, iid)
    assert len(answers) == ANSWERS, len(answers)
    ws.close()
    return folder, iid, answers


def copy_of(template: Path, to: Path) -> Workspace:
    shutil.rmtree(to, ignore_errors=True)
    shutil.copytree(template, to)
    return Workspace.open(to, PASSPHRASE)


def write_fresh(ws: Workspace, iid: str, answers: list[tuple[str, str]]) -> float:
    """The strict baseline: the rows written with the store's primitives, a case at a time."""
    cases = [s.case.id for s in ws.list_cases(iid, on_demand=True)]
    conn = connection(ws)
    t = time.perf_counter()
    for cid in cases:
        with write_transaction(conn):
            (revision,) = conn.execute("SELECT revision FROM assessments WHERE case_id = ?",
                                       (cid,)).fetchone()
            revision += 1
            for item, value in answers:
                conn.execute("INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
                             " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value",
                             (cid, item, value))
                ws.record(cid, "set", item, None, value, revision)
            conn.execute("UPDATE assessments SET status = 'in_progress', revision = ?,"
                         " updated_at = ?, updated_by = ? WHERE case_id = ?",
                         (revision, now(), ws.owner_name, cid))
            ws.record(cid, "status", "status", "not_started", "in_progress", revision)
    return time.perf_counter() - t


def answer_path(ws: Workspace, iid: str, answers: list[tuple[str, str]]) -> float:
    """The same answers through ``answer --from``'s path, one batch (transaction) per case."""
    refs = [s.case.case_ref for s in ws.list_cases(iid, on_demand=True)]
    texts = ["\n".join(json.dumps({"case": ref, "item": i, "value": v}) for i, v in answers)
             for ref in refs]
    t = time.perf_counter()
    for text in texts:
        apply_batch(ws, text)
    return time.perf_counter() - t


def move(ws: Workspace, iid: str, answers: list[tuple[str, str]], new_bytes: bytes) -> float:
    """Seed the answers (untimed), adopt the edition, then time moving every case."""
    ws.bulk_load_items((s.case.id, i, v) for s in ws.list_cases(iid, on_demand=True)
                       for i, v in answers)
    conn = connection(ws)
    conn.execute("UPDATE assessments SET status = 'in_progress', revision = 1")
    new = ws.store_framework(new_bytes)
    ws.set_inspection_framework(iid, new)
    t = time.perf_counter()
    moved = ws.move_cases(iid, new)
    took = time.perf_counter() - t
    assert sum(m.moves for m in moved) == CASES
    rows = conn.execute("SELECT count(*) FROM audit WHERE action = 'edition_item'").fetchone()
    print(f"    moved {CASES} cases: {rows[0]} item changes audited")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="leave out the answer path")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-edition-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(base)
        print(f"load average before: {load_average()}")
        template, iid, answers = make_template(base)
        data = json.loads(resource("frameworks", "nps-2019-20.json").read_bytes())
        new_bytes = renumbered_edition(data)
        load_framework_bytes(new_bytes, "renumbered")  # a valid edition
        fresh, batch, moves = [], [], []
        for n in range(args.runs):
            print(f"  run {n + 1}")
            timed = [(fresh, write_fresh), (batch, answer_path), (moves, move)]
            for times, fn in timed[::2] if args.quick else timed:
                ws = copy_of(template, base / "run")
                try:
                    times.append(fn(ws, iid, answers, new_bytes) if fn is move
                                 else fn(ws, iid, answers))  # type: ignore[operator]
                finally:
                    ws.close()
        m, f = statistics.median(moves), statistics.median(fresh)
        print(f"{CASES} cases x {ANSWERS} answers, median of {args.runs} runs:")
        print(f"  write fresh (store primitives, a transaction per case): {f:6.3f} s")
        if batch:
            b = statistics.median(batch)
            print(f"  answer path (apply_batch, a transaction per case):       {b:6.3f} s"
                  f"  (move / answer path: {m / b:.2f})")
        print(f"  move to the new edition (move_cases):                    {m:6.3f} s")
        print(f"  ratio move / write fresh: {m / f:.2f} (target <= 3); move <= 2 s: {m <= 2}")
        print(f"load average after: {load_average()}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
