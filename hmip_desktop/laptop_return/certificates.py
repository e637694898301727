"""The signed wipe certificate: a member's word, sealed for the lead, that its laptop was wiped.

"Prepare for return" (``laptop_return.wipe``) writes it just before it removes the workspace:
a small bundle (kind 11) signed with the member's key and sealed for the inspection's pinned
lead alone, saying which workspace, whose, when, how many cases it held, which of them the lead
had released, and how many exported files it removed. The lead imports it
(``import_certificate``): it is kept in ``wipe_certificates`` and audited.

Refused with one line and nothing written: a certificate from anyone not a member of the
inspection; one whose contents name another member than its signer; a damaged one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_WIPE_CERTIFICATE, Header
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.common import (
    ImportReport,
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
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace

KIND = "wipe_certificate"
ENTRY = "wipe_certificate.json"
FIELDS = {"workspace_id": str, "member_id": str, "member_name": str, "wiped_at": str,
          "cases": int, "released": int, "files_removed": int}


class CertificateError(UserError):
    """A wipe certificate that cannot be written or taken in (one line; nothing changed)."""


@dataclass(frozen=True)
class WipeCertificate:
    """One member's wipe certificate as the lead holds it."""

    member_name: str
    wiped_at: str
    cases: int
    released: int
    files_removed: int
    received_at: str

    def line(self) -> str:
        files = (_("1 exported file removed") if self.files_removed == 1 else
                 _("{n} exported files removed").format(n=self.files_removed))
        return _("{name}: laptop wiped {when}; {cases} cases held ({released} released by the "
                 "lead), {files}").format(
            name=self.member_name, when=self.wiped_at[:16].replace("T", " "),
            cases=self.cases, released=self.released, files=files)


def write_certificate(ws: Workspace, iid: str, out: Path, *, cases: int, released: int,
                      files_removed: int) -> Path:
    """Seal this workspace's wipe certificate for the inspection's lead (before the wipe)."""
    lead = lead_key_id(ws, iid)
    if lead is None:
        raise CertificateError(_("this workspace has no lead's key pinned for the inspection: "
                                 "the certificate cannot be sealed"))
    me = my_member(ws, iid)
    body = {"workspace_id": ws.workspace_id, "member_id": me["id"], "member_name": me["name"],
            "wiped_at": now(), "cases": cases, "released": released,
            "files_removed": files_removed}
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, KIND, iid, 0, member_id=me["id"])), (ENTRY, body)]
    return seal_for(ws, KIND_WIPE_CERTIFICATE, KIND, iid, [lead], entries, out,
                    _("wipe certificate"))


def _checked(value: Any) -> dict[str, Any]:
    if (not isinstance(value, dict) or set(value) != set(FIELDS)
            or not all(isinstance(value[k], t) and not isinstance(value[k], bool)
                       for k, t in FIELDS.items())
            or any(value[k] < 0 for k, t in FIELDS.items() if t is int)
            or any(not 0 < len(value[k]) <= 200 for k, t in FIELDS.items() if t is str)):
        raise PayloadError(_("the wipe certificate is not valid"))
    return value


def import_certificate(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """The lead takes in a member's wipe certificate."""
    plaintext = open_from_member(ws, data, header, KIND_WIPE_CERTIFICATE)
    iid = header.inspection_id
    sender = member_by_key(ws, iid, header.sender_key_id)
    if sender is None:
        raise CertificateError(_("refused: the wipe certificate is not from a member of this "
                                 "inspection"))
    report = ImportReport(KIND, iid, sender["name"], header.sequence)
    if seen_before(ws, data):
        report.already_imported = True
        return report
    _m, by_name = read_payload(plaintext, header, KIND, lambda _m: [Entry(ENTRY)])
    c = _checked(by_name[ENTRY])
    if c["member_id"] != sender["id"]:
        raise CertificateError(_("refused: the wipe certificate names another member than "
                                 "the one who signed it"))
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO wipe_certificates (workspace_id, inspection_id, member_id, member_name,"
            " wiped_at, cases, released, files_removed, sender_key_id, received_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (workspace_id) DO NOTHING",
            (c["workspace_id"], iid, sender["id"], sender["name"], c["wiped_at"], c["cases"],
             c["released"], c["files_removed"], header.sender_key_id, now()))
        ws.record(None, "wipe_certificate", f"member:{sender['id']}", None, c["wiped_at"])
        log(ws, "in", KIND, data, header.sender_key_id, iid, header.sequence,
            _("wipe certificate from {name}").format(name=sender["name"]))
    report.notes.append(WipeCertificate(sender["name"], c["wiped_at"], c["cases"],
                                        c["released"], c["files_removed"], now()).line())
    return report


def wipe_certificates(ws: Workspace, iid: str | None = None) -> list[WipeCertificate]:
    """The wipe certificates the lead holds (of one inspection when given), oldest first."""
    rows = dict_rows(ws, "SELECT * FROM wipe_certificates WHERE ? IS NULL OR inspection_id = ?"
                         " ORDER BY received_at, workspace_id", [iid, iid])
    return [WipeCertificate(r["member_name"], r["wiped_at"], r["cases"], r["released"],
                            r["files_removed"], r["received_at"]) for r in rows]
