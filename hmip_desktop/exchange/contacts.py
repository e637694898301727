"""Who a workspace trusts: member cards confirmed by fingerprint, and the inspection's members.

The lead enrols each member by importing their card and confirming, aloud, the fingerprint
the member's own app shows. A member pins the lead's key on the first pack they import.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.identity import (
    PublicIdentity,
    make_card,
    normalise_fingerprint,
    read_card,
)
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace, new_id, now
from hmip_desktop.text_rules import check_text

ENROLLED_ROLES = ("assessor", "qa")  # the lead is the workspace that set the inspection up


class FingerprintMismatchError(UserError):
    """The fingerprint read aloud is not the card's: the card may not be who it claims."""


class RoleMismatchError(UserError):
    """The role the lead chose is not the one the member's card (and app) claims."""


def my_card(ws: Workspace) -> bytes:
    return make_card(ws.identity)


def add_contact(ws: Workspace, card: PublicIdentity, card_bytes: bytes, confirmed_by: str) -> None:
    """Record a trusted card; call inside ``ws.transaction()``."""
    connection(ws).execute(
        "INSERT INTO contacts (key_id, name, role, sign_public, kem_public, card, confirmed_at,"
        " confirmed_by) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (key_id) DO NOTHING",
        (card.key_id, card.name, card.role, card.sign_public, card.kem_public, card_bytes,
         now(), confirmed_by))


def contact(ws: Workspace, key_id: bytes) -> PublicIdentity | None:
    row = connection(ws).execute(
        "SELECT name, role, sign_public, kem_public FROM contacts WHERE key_id = ?", (key_id,)
    ).fetchone()
    if row is None:
        return None
    return PublicIdentity(row[0], row[1], bytes(row[2]), bytes(row[3]))


def contact_card(ws: Workspace, key_id: bytes) -> bytes:
    row = connection(ws).execute("SELECT card FROM contacts WHERE key_id = ?", (key_id,)).fetchone()
    if row is None:
        raise UserError(_("no member card is held for that key"))
    return bytes(row[0])


def set_up_inspection(ws: Workspace, *, title: str, organisation: str, framework_bytes: bytes,
                      fieldwork_start: str | None = None,
                      fieldwork_end: str | None = None, training: bool = False) -> str:
    """The lead creates an inspection and enrols themself as its lead.

    ``training``: the inspection of a training event (hmip_desktop/training/).
    """
    if ws.owner_role != "lead":
        raise UserError(_("only a lead inspector's workspace can set up an inspection"))
    if not title.strip() or not organisation.strip():
        raise UserError(_("an inspection needs a title and the organisation inspected"))
    check_text(title, _("the title"))
    check_text(organisation, _("the organisation"))
    iid = ws.create_inspection(title=title, organisation=organisation,
                               framework_bytes=framework_bytes, fieldwork_start=fieldwork_start,
                               fieldwork_end=fieldwork_end, training=training)
    me = ws.identity.public
    card = my_card(ws)
    with ws.transaction():
        add_contact(ws, me, card, "self")
        connection(ws).execute(
            "INSERT INTO members (id, inspection_id, name, role, office, key_id)"
            " VALUES (?,?,?,?,?,?)", (new_id(), iid, me.name, "lead", "", me.key_id))
        connection(ws).execute(
                "UPDATE inspections SET lead_key_id = ? WHERE id = ?", (me.key_id, iid))
        ws.record(None, "enrol", f"member:{me.name}", None, me.fingerprint)
    return iid


def enrol_member(ws: Workspace, inspection_id: str, card_bytes: bytes, fingerprint: str, *,
                 role: str, office: str = "") -> str:
    """Add a member from their card once the fingerprint read aloud matches; return their id.

    The lead chooses the ``role`` (assessor or QA inspector). The card's own claim is the
    sender's to write, so it only has to agree: a card claiming another role is refused,
    since the member's app works in the role its card states.
    """
    if role not in ENROLLED_ROLES:
        raise RoleMismatchError(_(
            "a member is enrolled as an assessor or a QA inspector: the lead of an inspection "
            "is the one who set it up"))
    check_text(office, _("the office"))
    card = read_card(card_bytes)
    if normalise_fingerprint(fingerprint) != card.fingerprint:
        raise FingerprintMismatchError(_(
            "the fingerprint does not match {name}'s card: do not enrol it; ask {name} to read "
            "it again from their own app").format(name=card.name))
    if card.role != role:
        raise RoleMismatchError(_(
            "{name}'s card says {claimed}, not {role}: nothing enrolled; check the role with "
            "{name} (a member's card comes from a workspace made for their role)").format(
                name=card.name, claimed=role_name(card.role), role=role_name(role)))
    ws.inspection_framework(inspection_id)  # the inspection exists
    existing = connection(ws).execute(
        "SELECT id FROM members WHERE inspection_id = ? AND key_id = ?",
        (inspection_id, card.key_id)).fetchone()
    if existing is not None:
        return str(existing[0])
    mid = new_id()
    with ws.transaction():
        add_contact(ws, card, card_bytes, ws.owner_name)
        connection(ws).execute(
            "INSERT INTO members (id, inspection_id, name, role, office, key_id)"
            " VALUES (?,?,?,?,?,?)",
            (mid, inspection_id, card.name, role, office, card.key_id))
        ws.record(None, "enrol", f"member:{card.name}", None, card.fingerprint)
    return mid


def role_name(role: str) -> str:
    """A role as people say it."""
    return {"assessor": _("assessor"), "qa": _("QA inspector"), "lead": _("lead inspector"),
            "deputy": _("deputy lead inspector"), "partner": _("partner inspector")
            }.get(role, role)


def set_qa_partner(ws: Workspace, member_id: str, qa_member_id: str | None) -> None:
    with ws.transaction():
        row = connection(ws).execute("SELECT role, qa_partner_id FROM members WHERE id = ?",
                                     (member_id,)).fetchone()
        if row is None:
            raise UserError(_("no such member"))
        if qa_member_id is not None:
            qa = connection(ws).execute("SELECT role FROM members WHERE id = ?",
                                        (qa_member_id,)).fetchone()
            if qa is None or qa[0] != "qa":
                raise UserError(_("the QA partner must be a member enrolled in the QA role"))
        connection(ws).execute("UPDATE members SET qa_partner_id = ? WHERE id = ?",
                               (qa_member_id, member_id))
        ws.record(None, "qa_partner", f"member:{member_id}", row[1], qa_member_id)


def member_by_key(ws: Workspace, inspection_id: str, key_id: bytes) -> dict[str, Any] | None:
    rows = list(dict_rows(ws,
        "SELECT * FROM members WHERE inspection_id = ? AND key_id = ?", [inspection_id, key_id]))
    return rows[0] if rows else None


def my_member(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    member = member_by_key(ws, inspection_id, ws.identity.public.key_id)
    if member is None:
        raise UserError(_("you are not a member of this inspection in this workspace"))
    return member


def trusted_senders(ws: Workspace, inspection_id: str) -> dict[bytes, Ed25519PublicKey]:
    """Signing keys of the inspection's enrolled members (and its pinned lead)."""
    out: dict[bytes, Ed25519PublicKey] = {}
    for key_id, sign_public in connection(ws).execute(
            "SELECT c.key_id, c.sign_public FROM contacts c WHERE c.key_id IN ("
            " SELECT key_id FROM members WHERE inspection_id = ? AND key_id IS NOT NULL"
            " UNION SELECT lead_key_id FROM inspections WHERE id = ?)",
            (inspection_id, inspection_id)):
        out[bytes(key_id)] = Ed25519PublicKey.from_public_bytes(bytes(sign_public))
    return out


def own_member_ids(ws: Workspace) -> set[str]:
    """The workspace owner's member ids (one per inspection): matched by key, not by name."""
    return {str(r[0]) for r in connection(ws).execute(
        "SELECT id FROM members WHERE key_id = ?", (ws.identity.public.key_id,))}
