"""The lead's signed release: named cases the lead no longer needs from a member's laptop.

A case the lead will never receive (not started, withdrawn, reallocated and done elsewhere)
would keep "Ready to return" from going green for ever. The lead names such cases of one
member (``export_release``): a small bundle (kind 10), signed by the lead and sealed for that
member alone. The member imports it (``import_release``); each case named is kept in
``releases`` and no longer stands between the laptop and collection.

Refused with one line and nothing written: a release from anyone but the inspection's pinned
lead; one made out to another member; one naming a case this workspace does not hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_RELEASE, Header
from hmip_desktop.errors import UserError
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
from hmip_desktop.store.reads import case_members, lead_key_id
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

KIND = "release"
ENTRY = "release.json"
MAX_CASES = 5000


class ReleaseError(UserError):
    """A release that cannot be written or taken in (one line; nothing changed)."""


def _member(ws: Workspace, iid: str, name_or_id: str) -> dict[str, Any]:
    found = [m for m in ws.members(iid) if name_or_id in (m["id"], m["name"])]
    if len(found) != 1:
        raise ReleaseError(_("no member of this inspection is called {name}").format(
            name=name_or_id))
    return found[0]


def export_release(ws: Workspace, iid: str, member: str, case_refs: list[str],
                   out: Path) -> Path:
    """The lead releases the named cases of ``member`` (name or id): write the bundle."""
    if my_member(ws, iid)["role"] != "lead" or lead_key_id(ws, iid) != ws.identity.public.key_id:
        raise ReleaseError(_("only the lead of the inspection can release cases"))
    m = _member(ws, iid, member)
    if m["key_id"] is None:
        raise ReleaseError(_("{name} has no member card enrolled: nothing can be sealed for "
                             "them").format(name=m["name"]))
    if not case_refs:
        raise ReleaseError(_("name at least one case to release"))
    held = {cid for cid, mid, _n in case_members(ws, iid) if mid == m["id"]}
    cases = []
    for ref in dict.fromkeys(case_refs):
        try:
            case = ws.find_case(ref)
        except UserError:
            raise ReleaseError(_("no case {ref} in this inspection").format(ref=ref)) from None
        if case.inspection_id != iid or case.id not in held:
            raise ReleaseError(_("case {ref} is not allocated to {name}").format(
                ref=case.case_ref, name=m["name"]))
        cases.append({"case_id": case.id, "case_ref": case.case_ref})
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, KIND, iid, 0, member_id=m["id"])),
        (ENTRY, {"member_id": m["id"], "cases": cases})]
    path = seal_for(ws, KIND_RELEASE, KIND, iid, [bytes(m["key_id"])], entries, out,
                    _("{n} cases released for {name}").format(n=len(cases), name=m["name"]))
    with ws.transaction():
        for c in cases:
            ws.record(c["case_id"], "release", "case", None, m["name"])
    return path


def _checked(value: Any) -> tuple[str, list[tuple[str, str]]]:
    bad = PayloadError(_("the release is not valid"))
    if (not isinstance(value, dict) or set(value) != {"member_id", "cases"}
            or not isinstance(value["member_id"], str) or not isinstance(value["cases"], list)
            or not 0 < len(value["cases"]) <= MAX_CASES):
        raise bad
    cases = []
    for c in value["cases"]:
        if (not isinstance(c, dict) or set(c) != {"case_id", "case_ref"}
                or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in c.values())):
            raise bad
        cases.append((c["case_id"], c["case_ref"]))
    return value["member_id"], cases


def import_release(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in the lead's release; anyone else's, or one for another member, is refused."""
    plaintext = open_from_member(ws, data, header, KIND_RELEASE)
    iid = header.inspection_id
    sender = member_by_key(ws, iid, header.sender_key_id)
    name = sender["name"] if sender else _("someone")
    if header.sender_key_id != lead_key_id(ws, iid):
        raise ReleaseError(_("refused: the release is signed by {name}, not by the lead of "
                             "this inspection").format(name=name))
    report = ImportReport(KIND, iid, name, header.sequence)
    if seen_before(ws, data):
        report.already_imported = True
        return report
    check_sequence(ws, header, name, KIND)
    m, by_name = read_payload(plaintext, header, KIND, lambda _m: [Entry(ENTRY)])
    member_id, cases = _checked(by_name[ENTRY])
    written = m.get("created_at")
    released_at = written[:40] if isinstance(written, str) and written else now()
    if member_id != my_member(ws, iid)["id"]:
        raise ReleaseError(_("refused: the release is made out to another member, not to you"))
    conn = connection(ws)
    with ws.transaction():
        for case_id, _ref in cases:
            row = conn.execute("SELECT case_ref FROM cases WHERE id = ? AND inspection_id = ?",
                               (case_id, iid)).fetchone()
            if row is None:
                raise ReleaseError(_("refused: the release names a case this workspace does "
                                     "not hold"))
            conn.execute(
                "INSERT INTO releases (case_id, inspection_id, case_ref, released_by,"
                " released_at, sender_key_id, received_at) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT (case_id) DO NOTHING",
                (case_id, iid, row[0], name, released_at,
                 header.sender_key_id, now()))
            ws.record(case_id, "released", "case", None, name)
            report.applied.append((str(row[0]), 0))
        log(ws, "in", KIND, data, header.sender_key_id, iid, header.sequence,
            _("{n} cases released by the lead").format(n=len(cases)))
    report.notes.append(_("the lead no longer needs these cases from this laptop"))
    return report


def released_cases(ws: Workspace) -> dict[str, str]:
    """Case id → case reference of every case the lead has released from this laptop."""
    return {str(cid): str(ref) for cid, ref in connection(ws).execute(
        "SELECT case_id, case_ref FROM releases")}
