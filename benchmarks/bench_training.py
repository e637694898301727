"""The training comparison: 8 trainees × 2 training cases × every case item, at the lead.

    python benchmarks/bench_training.py [--runs N]

A lead's workspace holds a training event on the youth framework (the shipped framework with
the most case items: 134; none has 160, the issue's figure) with two training cases, a
benchmark answering every prompt and key-question judgement of a case (with an evidence note
per key question), and eight enrolled trainees' answers on both cases, each differing from the
benchmark on a different share of items. Each run works out the whole comparison
(``training.service.comparison``: read from the workspace, compare, kappa per trainee, the
group's view). The baseline, measured alternately in the same run, only reads the same rows
(``events.benchmark`` and ``events.received``). Target: the comparison shows in ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from harness import describe_machine, show

from hmip_desktop.exchange import contacts
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training import events
from hmip_desktop.training.service import comparison

PASSPHRASE = "benchmark passphrase, invented"  # noqa: S105 - invented, throwaway
TRAINEES = 8


def event(root: Path) -> tuple[Workspace, str, int]:
    lead = Workspace.create(root / "lead", PASSPHRASE, owner_name="Jules Pennyfold",
                            role="lead")
    iid = contacts.set_up_inspection(
        lead, title="Bench training", organisation="Invented PDU", training=True,
        framework_bytes=resource("frameworks", "youth-2019-20.json").read_bytes())
    fw = lead.inspection_framework(iid)
    rng = random.Random(20)
    facts = {f.id: f.values[0] for f in fw.case_facts}
    cases = [lead.add_case(iid, case_ref=f"TR-{n}", facts=facts) for n in (1, 2)]
    items = [i for kq in fw.case_key_questions() for i in (*(p.id for p in kq.prompts), kq.id)]
    answers = {c: {**{i: rng.choice(("yes", "no")) for i in items},
                   **{f"note:{kq.id}": "An invented benchmark note."
                      for kq in fw.case_key_questions()}} for c in cases}
    events.record_benchmark(lead, iid, answers)
    for n in range(TRAINEES):
        trainee = Workspace.create(root / f"t{n}", PASSPHRASE, owner_name=f"Trainee {n}",
                                   role="assessor")
        mid = contacts.enrol_member(lead, iid, contacts.my_card(trainee),
                                    trainee.identity.public.fingerprint, role="assessor")
        trainee.close()
        with lead.transaction():
            for c in cases:
                mine = {k: (v if k.startswith("note:") or rng.random() > n / 10 else
                            rng.choice(("yes", "no", "na"))) for k, v in answers[c].items()}
                events.store_answers(lead, iid, mid, c, 1, mine, "2026-11-01T10:00:00")
    return lead, iid, len(items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        describe_machine(root)
        lead, iid, per_case = event(root)
        compared, read = [], []
        for _n in range(args.runs):
            t = time.perf_counter()
            events.benchmark(lead, iid)
            events.received(lead, iid)
            read.append(time.perf_counter() - t)
            t = time.perf_counter()
            c = comparison(lead, iid)
            compared.append(time.perf_counter() - t)
        lead.close()
    print(f"{len(c.trainees)} trainees × 2 cases × {per_case} items per case "
          f"({len(c.items)} items compared per trainee)")
    show("the comparison (read, compare, kappa, the group's view)", compared)
    show("baseline: read the benchmark and the answers only", read)
    ratio = statistics.median(compared) / statistics.median(read)
    print(f"ratio (median): {ratio:.2f}x; worst comparison {max(compared):.3f} s "
          f"(target <= 0.5 s)")


if __name__ == "__main__":
    main()
