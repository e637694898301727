"""Training packs (lead → one trainee): the training event's framework and cases, never answers.

A training pack is the assignment pack of a training inspection (000_ §3.10): the inspection,
its framework (whose guidance travels inside it), the lead's and the trainee's member cards
and every training case with its facts, each assigned to the trainee. It is sealed as kind
``KIND_TRAINING_PACK`` and imported by ``packs.import_pack`` as a training inspection, so the
same checks apply (a pinned lead, the fingerprint on first use, the framework's hash). It
carries no answers at all: the benchmark stays in the lead's workspace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_TRAINING_PACK
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.common import b64, hexid, manifest, seal_for
from hmip_desktop.exchange.contacts import contact_card
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import framework_bytes
from hmip_desktop.store.tables import dict_rows
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.events import check_training, training_cases

_CASE_FIELDS = ("id", "case_ref", "person_name", "pdu", "team", "office", "practitioner",
                "prison", "report_type")


def make_training_pack(ws: Workspace, inspection_id: str, member_id: str, out: Path) -> Path:
    """Write one trainee's training pack; refused for a real inspection or a non-member."""
    insp = check_training(ws, inspection_id)
    members = {m["id"]: m for m in ws.members(inspection_id)}
    trainee = members.get(member_id)
    if trainee is None or trainee["key_id"] is None:
        raise UserError(_("that member is not enrolled (no member card) in this inspection"))
    lead_key = bytes(insp["lead_key_id"])
    if bytes(trainee["key_id"]) == lead_key:
        raise UserError(_("a training pack is for a trainee, not for the lead"))
    ids = {c["id"] for c in training_cases(ws, inspection_id)}
    if not ids:
        raise UserError(_("the training event has no cases yet: add the training cases first"))
    cases = [{**{k: c[k] for k in _CASE_FIELDS}, "facts": json.loads(c["facts"]),
              "language": c["language"],
              "assignment": {"member_id": member_id, "interview_at": None,
                             "interview_minutes": None}}
             for c in dict_rows(ws, "SELECT * FROM cases WHERE inspection_id = ?"
                                " ORDER BY case_ref", [inspection_id]) if c["id"] in ids]
    wanted = [m for m in members.values() if m["key_id"] is not None and (
        m["id"] == member_id or bytes(m["key_id"]) == lead_key)]
    fw = ws.inspection_framework(inspection_id)
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "training_pack", inspection_id, 0, recipient=member_id)),
        ("inspection.json", {k: insp[k] for k in (
            "id", "title", "organisation", "framework_id", "framework_version", "framework_hash",
            "fieldwork_start", "fieldwork_end")}),
        ("framework.json", json.loads(bytes(framework_bytes(ws, fw.hash)).decode("utf-8"))),
        ("members.json", [
            {"id": m["id"], "name": m["name"], "role": m["role"], "office": m["office"],
             "qa_partner_id": None, "key_id": hexid(bytes(m["key_id"])),
             "card": b64(contact_card(ws, bytes(m["key_id"]))), "roles": []}
            for m in wanted]),
        ("cases.json", cases),
    ]
    return seal_for(ws, KIND_TRAINING_PACK, "training_pack", inspection_id,
                    [bytes(trainee["key_id"])], entries, out,
                    _("training pack for {name}: {n} cases").format(name=trainee["name"],
                                                                    n=len(cases)))
