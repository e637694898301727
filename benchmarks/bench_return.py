"""The ready-to-return check on 40 cases, and Prepare for return on a 100 MB workspace.

    python benchmarks/bench_return.py [--runs N]

Check: a lead and an assessor are set up through the API; the assessor holds 40 cases, answers
some items on each, raises an alert on five, sends its bundle, and imports the lead's receipt,
so that every case's delivery is worked out against a receipt. Each run calls
``laptop_return.check.return_check``; the baseline, timed alternately in the same run, is
``Workspace.list_cases(on_demand=True)`` (the case list the home screen reads). Target: ≤ 0.2 s.

Wipe: a workspace with no case is grown to about 100 MB (rows of random text in ``meta``,
checkpointed into the database file) and removed by ``laptop_return.wipe.prepare_for_return``
(overwrite with zeros, fsync, unlink). The baseline is writing the same number of bytes to a new
file with one fsync and unlinking it, on the same disk. Target: ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from harness import describe_machine, load_average, show

from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.wipe import prepare_for_return
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import DB_NAME, Workspace

PASSPHRASE = "benchmark passphrase, invented"  # noqa: S105 - invented, throwaway
FACTS = {"sample": "supervision", "gender": "female", "sentence_type": "community",
         "rosh": "high"}
ANSWERS = {"record:interview_mode": "in_person", "2.1.1.a": "yes", "2.1.1.b": "no",
           "2.1.1": "yes", "note:2.1.1": "The assessment engaged the person well."}
CASES = 40
MB = 1024 * 1024


def assessor_with_delivered_cases(root: Path) -> Workspace:
    lead = Workspace.create(root / "lead", PASSPHRASE, owner_name="Jules Pennyfold", role="lead")
    a1 = Workspace.create(root / "a1", PASSPHRASE, owner_name="Robin Quillfeather",
                          role="assessor")
    iid = contacts.set_up_inspection(
        lead, title="Bench", organisation="Invented PDU",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes(),
        fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
    member = contacts.enrol_member(lead, iid, contacts.my_card(a1),
                                   a1.identity.public.fingerprint, role="assessor")
    for n in range(CASES):
        case = lead.add_case(iid, case_ref=f"B-{n:03d}", facts=FACTS,
                             practitioner=f"Practitioner {n}")
        lead.assign(case, member)
    packs.make_pack(lead, iid, member, root / "a1.hmippack")
    service.import_file(a1, root / "a1.hmippack", lead_fingerprint=lead.identity.public.fingerprint)
    for n, s in enumerate(a1.list_cases()):
        for item, value in ANSWERS.items():
            a1.save_item(s.case.id, item, value)
        if n % 8 == 0:
            a1.raise_alert(s.case.id, what_might_happen="Harm to a child",
                           how_serious="Serious", how_imminent="Within days",
                           action_asked="Tell the practitioner's manager today")
    export_assessments(a1, iid, root / "a1-1.hmipb")
    report = service.import_file(lead, root / "a1-1.hmipb")
    assert report.receipt is not None
    service.import_file(a1, report.receipt)
    lead.close()
    return a1


def bench_check(root: Path, repeats: int) -> None:
    a1 = assessor_with_delivered_cases(root)
    check = return_check(a1)
    assert check.cases == CASES and not check.undelivered and len(check.unacknowledged_alerts) == 5
    ours, base = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        return_check(a1)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        a1.list_cases(on_demand=True)
        base.append(time.perf_counter() - t)
    a1.close()
    print(f"return check, {CASES} cases (load average {load_average()}):")
    show("return_check", ours)
    show("baseline: list_cases(on_demand=True)", base)
    print(f"  ratio (median): {statistics.median(ours) / statistics.median(base):.2f}x the "
          f"baseline; target ≤ 0.2 s: {'met' if statistics.median(ours) <= 0.2 else 'NOT met'}")


def grown_workspace(folder: Path, size_mb: int) -> Workspace:
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft", role="assessor")
    conn = connection(ws)
    with ws.transaction():
        for n in range(size_mb):
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                         (f"bench-{n}", secrets.token_hex(MB // 2)))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return ws


def baseline_write(path: Path, size: int) -> None:
    block = bytes(MB)
    with open(path, "wb", buffering=0) as f:
        left = size
        while left > 0:
            left -= f.write(block[:min(MB, left)])
        os.fsync(f.fileno())
    path.unlink()


def bench_wipe(root: Path, repeats: int, size_mb: int) -> None:
    ours, base, sizes = [], [], []
    for n in range(repeats):
        folder = root / f"wipe-{n}"
        ws = grown_workspace(folder, size_mb)
        size = sum(p.stat().st_size for p in folder.iterdir())
        sizes.append(size)
        t = time.perf_counter()
        prepare_for_return(ws, None)
        ours.append(time.perf_counter() - t)
        assert not folder.exists()
        t = time.perf_counter()
        baseline_write(root / f"baseline-{n}", size)
        base.append(time.perf_counter() - t)
    print(f"prepare for return, workspace of {statistics.median(sizes) / MB:.0f} MB "
          f"({DB_NAME} and its files; load average {load_average()}):")
    show("prepare_for_return (check, overwrite, fsync, unlink)", ours)
    show("baseline: write the same bytes, fsync, unlink", base)
    print(f"  ratio (median): {statistics.median(ours) / statistics.median(base):.2f}x the "
          f"baseline; target ≤ 5 s: {'met' if statistics.median(ours) <= 5 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20, help="timed runs of the check")
    parser.add_argument("--wipes", type=int, default=3, help="workspaces grown and wiped")
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp)
        describe_machine(root, holds="workspaces")
        bench_check(root / "check", args.runs)
        bench_wipe(root, args.wipes, args.size_mb)


if __name__ == "__main__":
    main()
