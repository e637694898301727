"""The recovery key's escrow: a member's workspace sends its recovery key to the lead.

The key travels in the member's next assessment bundle to the lead, as the entry
``recovery.json``, sealed once more with HPKE (as the bundles are; RFC 9180, X25519,
HKDF-SHA256, AES-256-GCM) to the lead's own receiving key, so that another recipient of the
bundle (the QA partner) cannot read it. The member's workspace records which recovery key went
to which lead; the lead keeps the latest key of each member's workspace (docs/security.md,
"The recovery key").
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke

from hmip_desktop.exchange.contacts import contact
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.key_file import recovery_id
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

ENTRY = "recovery.json"
_HPKE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_INFO = b"hmip-desktop recovery escrow v1"


def escrow_pending(ws: Workspace) -> bool:
    """True while the workspace's current recovery key has gone to no lead.

    Only a member's workspace that holds an inspection with a lead pinned (from the lead's
    pack) has a lead to send it to; the lead's own workspace, and one with no team (the solo
    demo, a workspace before its first pack), have none.
    """
    me = ws.identity.public.key_id
    if not any(lead_key_id(ws, i["id"]) not in (None, me) for i in ws.inspections()):
        return False
    current = current_recovery_id(ws)
    if current is None:
        return False
    return connection(ws).execute(
        "SELECT 1 FROM recovery_escrow_sent WHERE recovery_id = ?", (current,)
    ).fetchone() is None


def current_recovery_id(ws: Workspace) -> str | None:
    """The public id of the workspace's recovery key (None: still keyed the old way)."""
    try:
        key_file, _keys = ws.key_material()
    except Exception:
        return None
    return key_file.recovery_id


def entry_for(ws: Workspace, inspection_id: str) -> tuple[str, dict[str, Any]] | None:
    """The escrow entry for the inspection's lead, if the current key has not gone to them."""
    lead = lead_key_id(ws, inspection_id)
    if lead is None or lead == ws.identity.public.key_id or not escrow_pending(ws):
        return None
    person = contact(ws, lead)
    if person is None:
        return None
    key_file, keys = ws.key_material()
    secret = json.dumps({
        "workspace_id": key_file.workspace_id, "recovery_id": key_file.recovery_id,
        "recovery_key": _b64(keys.recovery_key), "file_key": _b64(key_file.recovery_public),
    }, sort_keys=True).encode("utf-8")
    sealed = _HPKE.encrypt(secret, person.receive_key(),
                           info=_INFO + ws.identity.public.key_id + lead)
    return ENTRY, {"lead_key_id": lead.hex(), "sealed": _b64(sealed)}


def mark_sent(ws: Workspace, inspection_id: str) -> None:
    """Record that the current recovery key went to the inspection's lead."""
    lead, current = lead_key_id(ws, inspection_id), current_recovery_id(ws)
    if lead is None or current is None:
        return
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO recovery_escrow_sent (recovery_id, inspection_id, lead_key_id, sent_at)"
            " VALUES (?,?,?,?) ON CONFLICT DO NOTHING", (current, inspection_id, lead, now()))
        ws.record(None, "recovery_escrow_sent", "workspace", None, None)


def receive(ws: Workspace, inspection_id: str, sender_key_id: bytes, value: Any) -> bool:
    """At the lead, inside the import's transaction: keep the member's recovery key.

    Returns True if a key was kept. An entry for another lead is ignored; one that does not
    open or is malformed refuses the bundle (``PayloadError``).
    """
    me = ws.identity
    if not isinstance(value, dict) or set(value) != {"lead_key_id", "sealed"}:
        raise PayloadError(_("the bundle's recovery entry is not valid"))
    if value["lead_key_id"] != me.public.key_id.hex() \
            or lead_key_id(ws, inspection_id) != me.public.key_id:
        return False
    try:
        secret = json.loads(_HPKE.decrypt(_unb64(value["sealed"]), me.receiving_key(),
                                          info=_INFO + sender_key_id + me.public.key_id))
        workspace_id, rid = str(secret["workspace_id"]), str(secret["recovery_id"])
        key, file_key = _unb64(secret["recovery_key"]), _unb64(secret["file_key"])
        if len(key) != 32 or len(file_key) != 32 or recovery_id(key) != rid \
                or not 0 < len(workspace_id) <= 100:
            raise ValueError("fields")
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise PayloadError(_("the bundle's recovery entry is damaged")) from None
    connection(ws).execute(
        "INSERT INTO recovery_escrow (member_key_id, inspection_id, workspace_id, recovery_id,"
        " recovery_key, file_key, received_at) VALUES (?,?,?,?,?,?,?)"
        " ON CONFLICT (member_key_id) DO UPDATE SET inspection_id = excluded.inspection_id,"
        " workspace_id = excluded.workspace_id, recovery_id = excluded.recovery_id,"
        " recovery_key = excluded.recovery_key, file_key = excluded.file_key,"
        " received_at = excluded.received_at, issued_at = NULL"
        " WHERE recovery_escrow.recovery_id != excluded.recovery_id",
        (sender_key_id, inspection_id, workspace_id, rid, key, file_key, now()))
    return True


def held_for(ws: Workspace, member_key_id: bytes) -> dict[str, Any] | None:
    """The escrow the lead holds for a member's workspace, or None."""
    row = connection(ws).execute(
        "SELECT inspection_id, workspace_id, recovery_id, recovery_key, file_key, received_at,"
        " issued_at FROM recovery_escrow WHERE member_key_id = ?", (member_key_id,)).fetchone()
    if row is None:
        return None
    return {"inspection_id": row[0], "workspace_id": row[1], "recovery_id": row[2],
            "recovery_key": bytes(row[3]), "file_key": bytes(row[4]), "received_at": row[5],
            "issued_at": row[6]}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)
