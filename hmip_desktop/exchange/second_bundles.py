"""Second-assessment bundles (second assessor → the lead alone).

A member's answers on the cases they hold as a second assessment travel as kind
``KIND_SECOND``, sealed to the inspection's lead only: never to their QA partner, and never
on to the case's allocated assessor. Each case carries its revision, status and every answer.
The lead keeps them apart from the case's items (``double_answers``), which stay the allocated
assessor's (docs/bundle-format.md, "Second-assessment bundles").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_SECOND, Header
from hmip_desktop.double.records import (
    DoubleError,
    doubles,
    is_second,
    second_answers,
    second_cases_for,
    store_second,
)
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.assessments import stored_as_sent
from hmip_desktop.exchange.common import (
    ImportReport,
    check_sequence,
    log,
    manifest,
    open_from_member,
    read_payload,
    seal_for,
    seen_before,
)
from hmip_desktop.exchange.contacts import member_by_key, my_member
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.records import ASSESSOR_STATUSES
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.text_rules import printable

ENTRY = "second.json"
MAX_CASES = 50


def export_second(ws: Workspace, inspection_id: str, out: Path) -> Path:
    """Write my started second assessments, sealed to the lead alone."""
    me = my_member(ws, inspection_id)
    lead = lead_key_id(ws, inspection_id)
    if lead is None:
        raise DoubleError(_("this inspection has no lead key: import the lead's pack first"))
    cases = []
    for s in ws.list_cases(inspection_id):
        c = s.case
        if not is_second(ws, c.id, me["id"]):
            continue
        a = ws.read_assessment(c.id)
        if a.revision > 0:
            cases.append({"case_id": c.id, "case_ref": c.case_ref, "revision": a.revision,
                          "status": a.status, "items": dict(a.items)})
    if not cases:
        raise DoubleError(_("nothing to send yet: no second assessment has been started"))
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "second", inspection_id, 0, member_id=me["id"])),
        (ENTRY, cases)]
    return seal_for(ws, KIND_SECOND, "second", inspection_id, [bytes(lead)], entries, out,
                    _("second assessments: {n} cases").format(n=len(cases)))


def held_as_second(ws: Workspace, inspection_id: str | None = None) -> set[str]:
    """The ids of the cases this laptop's owner holds as a second assessment.

    Of one inspection when given; empty at the lead, who holds both assessments apart.
    """
    if ws.owner_role == "lead":
        return set()
    held: set[str] = set()
    for i in ws.inspections():
        if inspection_id is not None and i["id"] != inspection_id:
            continue
        try:
            me = my_member(ws, i["id"])
        except UserError:  # not a member of it (yet)
            continue
        held |= {str(c["id"]) for c in second_cases_for(ws, i["id"], me["id"])}
    return held


def import_second(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in a second assessor's answers at the lead; each case must be theirs to assess."""
    if ws.owner_role != "lead":
        raise DoubleError(_("refused: a second-assessment bundle is for the inspection's lead"))
    plaintext = open_from_member(ws, data, header, KIND_SECOND)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None or sender["role"] == "lead":
        raise DoubleError(_("refused: the bundle is not from a member of this inspection"))
    if seen_before(ws, data):
        return ImportReport("second", header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    check_sequence(ws, header, sender["name"], "second")
    _m, by_name = read_payload(plaintext, header, "second", lambda _m: [Entry(ENTRY)])
    mine = {d.case_id: d for d in doubles(ws, header.inspection_id)
            if d.second_id == sender["id"]}
    given = by_name[ENTRY]
    if not isinstance(given, list) or not given or len(given) > MAX_CASES:
        raise PayloadError(_("the second-assessment bundle's answers are not valid"))
    seen: set[str] = set()
    for c in given:
        if not isinstance(c, dict) or not isinstance(c.get("case_id"), str):
            raise PayloadError(_("the second-assessment bundle's answers are not valid"))
        if c["case_id"] not in mine:
            named = printable(str(c.get("case_ref") or "?")[:40])
            raise DoubleError(_("refused: case {ref} is not one {name} was asked to assess as "
                                "a second assessment").format(ref=named, name=sender["name"]))
        ref = mine[c["case_id"]].case_ref
        fw = ws.case_framework(c["case_id"])
        revision, items, status = c.get("revision"), c.get("items"), c.get("status")
        if c["case_id"] in seen or not isinstance(revision, int) or isinstance(revision, bool) \
                or revision < 1 or status not in ASSESSOR_STATUSES \
                or not isinstance(items, dict) \
                or not all(stored_as_sent(fw, k, v) for k, v in items.items()):
            raise PayloadError(_("case {ref}: its answers in the second-assessment bundle are "
                                 "not valid").format(ref=ref))
        seen.add(c["case_id"])
    report = ImportReport("second", header.inspection_id, sender["name"], header.sequence)
    at = now()
    with ws.transaction():
        for c in given:
            ref, held = mine[c["case_id"]].case_ref, second_answers(ws, c["case_id"])
            if held is not None and int(held["revision"]) >= c["revision"]:
                report.stale.append((ref, int(held["revision"]), c["revision"]))
                continue
            store_second(ws, c["case_id"], sender["id"], c["revision"], c["status"],
                         c["items"], at)
            report.applied.append((ref, c["revision"]))
        log(ws, "in", "second", data, header.sender_key_id, header.inspection_id,
            header.sequence, _("second assessments: {n} cases").format(n=len(given)))
        ws.record(None, "import_second", sender["name"], None,
                  ", ".join(f"{r} r{v}" for r, v in report.applied) or "-")
    return report
