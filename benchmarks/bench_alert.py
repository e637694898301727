"""Raising an alert and writing its alert bundle, against sealing an empty bundle.

    python benchmarks/bench_alert.py [--runs N]

A lead and an assessor (with the QA inspector as deputy lead) are set up through the API; the
assessor's workspace holds the inspection's pack. Each run raises one alert on a case
(validated, durable, audited) and writes its alert bundle for the lead and the deputy
(``exchange.alert_bundles.export_alert``: sealed, written atomically, logged). The baseline,
measured in the same run alternately, seals a bundle holding only a manifest for the same two
recipients through the same sealing (``exchange.common.seal_for``). Target: ≤ 0.5 s each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from harness import describe_machine, show

from hmip_desktop.bundles import KIND_RECEIPT
from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.alert_bundles import alert_recipients, export_alert
from hmip_desktop.exchange.common import manifest, seal_for
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import grant_role

PASSPHRASE = "benchmark passphrase, invented"  # noqa: S105 - invented, throwaway
FACTS = {"sample": "supervision", "gender": "female", "sentence_type": "community",
         "rosh": "high"}


def team(root: Path) -> tuple[Workspace, str, str]:
    ws = {who: Workspace.create(root / who, PASSPHRASE, owner_name=name, role=role)
          for who, name, role in (("lead", "Jules Pennyfold", "lead"),
                                  ("a1", "Robin Quillfeather", "assessor"),
                                  ("qa", "Morgan Thistlecombe", "qa"))}
    lead = ws["lead"]
    iid = contacts.set_up_inspection(
        lead, title="Bench", organisation="Invented PDU",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes(),
        fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
    ids = {who: contacts.enrol_member(lead, iid, contacts.my_card(ws[who]),
                                      ws[who].identity.public.fingerprint,
                                      role=ws[who].owner_role) for who in ("a1", "qa")}
    contacts.set_qa_partner(lead, ids["a1"], ids["qa"])
    case = lead.add_case(iid, case_ref="B-1", facts=FACTS, practitioner="Practitioner One")
    lead.assign(case, ids["a1"])
    packs.make_pack(lead, iid, ids["a1"], root / "a1.hmippack")
    a1 = ws["a1"]
    service.import_file(a1, root / "a1.hmippack",
                        lead_fingerprint=lead.identity.public.fingerprint)
    grant_role(a1, iid, ids["qa"], "deputy")
    lead.close()
    ws["qa"].close()
    return a1, iid, case


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        describe_machine(root)
        a1, iid, case = team(root)
        recipients = alert_recipients(a1, iid)
        raise_and_send, empty = [], []
        for n in range(args.runs):
            t = time.perf_counter()
            seal_for(a1, KIND_RECEIPT, "benchmark", iid, recipients,
                     [("manifest.json", manifest(a1, "receipt", iid, 0))],
                     root / f"empty-{n}.bin", "empty")
            empty.append(time.perf_counter() - t)
            t = time.perf_counter()
            alert = a1.raise_alert(case, what_might_happen="Harm to a child",
                                   how_serious="Serious", how_imminent="Within days",
                                   action_asked="Tell the manager today")
            export_alert(a1, alert.id, root / f"alert-{n}.hmipalert")
            raise_and_send.append(time.perf_counter() - t)
        a1.close()
    print(f"{len(recipients)} recipients (the lead and the deputy lead)")
    show("raise an alert and write its alert bundle", raise_and_send)
    show("baseline: seal an empty bundle for the same recipients", empty)
    ratio = statistics.median(raise_and_send) / statistics.median(empty)
    print(f"ratio (median): {ratio:.2f}x; worst raise-and-send {max(raise_and_send):.3f} s "
          f"(target <= 0.5 s)")


if __name__ == "__main__":
    main()
