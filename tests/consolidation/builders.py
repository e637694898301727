"""Lead workspaces with inspections built quickly: cases added in one go, items bulk loaded."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hmip_desktop.consolidation.panel_sitting import record_panel_sitting
from hmip_desktop.frameworks import load_framework
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.qa.builders import build, facts_for

PASSPHRASE = "consolidation tests passphrase, invented"
LEAD = "Lena Ashgrove"


@dataclass
class Case:
    facts: Mapping[str, str]
    items: Mapping[str, str]
    status: str = "complete"
    pdu: str = "North PDU"
    team: str = "Team A"


@dataclass
class Built:
    iid: str
    framework: Framework
    case_ids: list[str] = field(default_factory=list)


def lead_workspace(folder: Path) -> Workspace:
    return Workspace.create(folder, PASSPHRASE, owner_name=LEAD, role="lead")


def add_inspection(ws: Workspace, framework: str, cases: Sequence[Case], *,
                   title: str = "Test inspection", organisation: str = "Demo Shire PDU",
                   inspection_id: str | None = None, sitting: bool = True) -> Built:
    """Add an inspection with these cases; in a lead's workspace, with the panel's sitting
    recorded (the panel's decisions need one) unless ``sitting`` is False."""
    raw = resource("frameworks", f"{framework}.json").read_bytes()
    iid = ws.create_inspection(title=title, organisation=organisation, framework_bytes=raw,
                               inspection_id=inspection_id, fieldwork_start="2026-11-23",
                               fieldwork_end="2026-11-27")
    fw = ws.inspection_framework(iid)
    ids = ws.add_cases(iid, [
        {"case_ref": f"C{n:04d}", "facts": c.facts, "pdu": c.pdu, "team": c.team}
        for n, c in enumerate(cases)])
    ws.bulk_load_items((cid, k, v) for cid, c in zip(ids, cases, strict=True)
                       for k, v in c.items.items())
    with ws.transaction():
        ws._conn.executemany(
            "UPDATE assessments SET status = ?, revision = 1 WHERE case_id = ?",
            [(c.status, cid) for cid, c in zip(ids, cases, strict=True) if c.items])
    if sitting and ws.owner_role == "lead":
        record_panel_sitting(ws, iid, sat_on="2026-12-03", chair="Dana Whitlock",
                             members=[LEAD, "Priya Okafor"], note_taker="Sam Ellery")
    return Built(iid, fw, ids)


def generated_cases(fw: Framework, rng: random.Random, n: int) -> list[Case]:
    """Clean, realistic cases (tests/qa/builders.py), some spoiled the ways consolidation sees:
    gaps, 'should have been excluded', conflicts of interest, never started."""
    out = []
    pdus = ["North PDU", "South PDU", "East PDU"]
    for i in range(n):
        facts = facts_for(fw, rng)
        items = dict(build(fw, facts, rng, case_ref=f"G{i}").items)
        roll = rng.random()
        status = "complete"
        if roll < 0.05:
            items["record:excluded"] = "yes"
        elif roll < 0.1:
            items["record:conflict_declared"] = "yes"
        elif roll < 0.15:
            items = {}
            status = "not_started"
        elif roll < 0.3:
            for k in rng.sample(sorted(items), k=min(5, len(items))):
                del items[k]
            status = "in_progress"
        out.append(Case(facts, items, status, rng.choice(pdus), rng.choice(["Team A", "Team B"])))
    return out


def worked_cases(fw_name: str, per_kq: Mapping[str, tuple[int, int, int]],
                 facts: Mapping[str, str], subsample: Mapping[str, str]) -> list[Case]:
    """Cases giving each key question (yes, no, na); the na cases are those outside its
    sub-sample, made so by ``subsample`` (case items that take them out, e.g. low RoSH)."""
    fw = load_framework(fw_name)
    total = max(y + n + na for y, n, na in per_kq.values())
    cases = []
    for i in range(total):
        items: dict[str, str] = {"record:conflict_declared": "no", "record:excluded": "no"}
        outside = any(i >= y + n for y, n, na in per_kq.values() if na)
        if outside:
            items.update(subsample)
        for q in fw.case_questions:
            items.setdefault("case:" + q.id, "high" if "high" in q.values else q.values[-1])
        for kq, (y, n, _na) in per_kq.items():
            if i < y:
                items[kq] = "yes"
            elif i < y + n:
                items[kq] = "no"
        cases.append(Case(dict(facts), items))
    return cases
