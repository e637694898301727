"""The recovery file (bundle kind 9): the lead's one-time way back into a member's workspace.

The lead seals the member workspace's escrowed recovery key in a bundle signed with the lead's
key and encrypted (HPKE) to that workspace's recovery file key, whose private half is in the
workspace's key file: so the file opens on that laptop only, and a stick holding it shows
nothing. On the member's laptop the recovery key unwraps the database key; the signature is
then checked against the lead the workspace pinned; a new passphrase is set and the recovery
key replaced by a fresh one, so the file cannot be used again. docs/security.md, "The recovery
key"; layout in docs/bundle-format.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)

from hmip_desktop.bundles import (
    KIND_RECOVERY,
    BundleError,
    NotForMeError,
    Recipient,
    Sender,
    open_sealed,
    read_header,
    seal,
)
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import payload
from hmip_desktop.exchange.common import FORMAT, log, manifest, read_payload
from hmip_desktop.exchange.contacts import contact
from hmip_desktop.exchange.escrow import held_for
from hmip_desktop.exchange.files import read_bundle_file, write_atomic
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store import key_file as keys_module
from hmip_desktop.store.connection import check_local, open_connection
from hmip_desktop.store.errors import NotAWorkspaceError, WrongPassphraseError
from hmip_desktop.store.failures import check_writable, storage_failures
from hmip_desktop.store.key_upgrade import database_salt
from hmip_desktop.store.passphrase import check_new_passphrase
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.schema import migrate
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import DB_NAME, Workspace, now

ENTRY = "recovery.json"


class RecoveryFileError(UserError):
    """A recovery file that cannot be used on this workspace: one line, nothing changed."""


def file_key_id(file_key_public: bytes) -> bytes:
    """The 16-byte recipient id of a workspace's recovery file key."""
    return hashlib.sha256(b"hmip-recovery-file-key-v1" + file_key_public).digest()[:16]


def issue_recovery_file(ws: Workspace, member: str, out: Path) -> Path:
    """At the lead: write a recovery file for one member's workspace (by member id or name)."""
    row = _member(ws, member)
    held = held_for(ws, bytes(row["key_id"]))
    if held is None:
        raise UserError(_("no recovery key is held for {name}: it comes with their next "
                          "bundle of cases").format(name=row["name"]))
    iid = held["inspection_id"]
    m = manifest(ws, "recovery", iid, 0, workspace_id=held["workspace_id"],
                 recovery_id=held["recovery_id"], member_key_id=bytes(row["key_id"]).hex(),
                 member=row["name"])
    with ws.transaction():
        sequence = ws.next_counter("out_sequence")
    entries = [("manifest.json", {**m, "sequence": sequence}),
               (ENTRY, {"recovery_key": base64.b64encode(held["recovery_key"]).decode()})]
    ident = ws.identity
    data = seal(KIND_RECOVERY, payload.build(entries),
                sender=Sender(ident.public.key_id, ident.signing_key()),
                recipients=[Recipient(file_key_id(held["file_key"]),
                                      X25519PublicKey.from_public_bytes(held["file_key"]))],
                inspection_id=iid, sequence=sequence)
    path = write_atomic(out, data)
    with ws.transaction():
        connection(ws).execute("UPDATE recovery_escrow SET issued_at = ? WHERE member_key_id = ?",
                               (now(), bytes(row["key_id"])))
        log(ws, "out", "recovery", data, bytes(row["key_id"]), iid, sequence,
            _("recovery file for {name}").format(name=row["name"]))
        ws.record(None, "recovery_issued", f"member:{row['name']}", None, None)
    return path


def _member(ws: Workspace, member: str) -> dict[str, Any]:
    if ws.owner_role != "lead":
        raise UserError(_("only the lead inspector's workspace holds recovery keys"))
    me = ws.identity.public.key_id
    people = {bytes(m["key_id"]): m for i in ws.inspections() for m in ws.members(i["id"])
              if (m["id"] == member or m["name"] == member) and m["key_id"] is not None
              and bytes(m["key_id"]) != me}
    if not people:
        raise UserError(_("no enrolled member is called {name}").format(name=member))
    if len(people) > 1:
        raise UserError(_("more than one member is called {name}: give the member's id")
                        .format(name=member))
    return next(iter(people.values()))


def use_recovery_file(folder: Path, path: Path, new_passphrase: str) -> Workspace:
    """On the member's laptop: unlock with a recovery file and set a new passphrase.

    Returns the open workspace. Any refusal is one line and changes nothing.
    """
    check_new_passphrase(new_passphrase)
    if not folder.is_dir():
        raise NotAWorkspaceError(_("{folder}: no such folder").format(folder=folder))
    check_local(folder)
    db = folder / DB_NAME
    kf = keys_module.read_key_file(folder) if db.is_file() else None
    if kf is None or database_salt(db) != kf.database_salt:
        raise RecoveryFileError(_("this workspace has no recovery key yet, so no recovery file "
                                  "can open it"))
    data = read_bundle_file(path)
    header = read_header(data)
    if header.kind != KIND_RECOVERY:
        raise RecoveryFileError(_("the file is not a recovery file"))
    private = X25519PrivateKey.from_private_bytes(kf.recovery_private)
    signer = Ed25519PublicKey.from_public_bytes(header.sender_sign_pub)
    try:
        # The signature is checked here against the key the file names; whether that key is
        # the pinned lead's is checked once the database is open, before anything is written.
        _h, plaintext = open_sealed(data, my_key_id=file_key_id(kf.recovery_public),
                                    my_private_key=private,
                                    trusted_senders={header.sender_key_id: signer},
                                    expected_kind=KIND_RECOVERY)
    except NotForMeError:
        raise RecoveryFileError(_("refused: this recovery file is for another workspace, or "
                                  "was already used here")) from None
    m, recovery_key = _read(plaintext, header)
    if m["workspace_id"] != kf.workspace_id:
        raise RecoveryFileError(_("refused: this recovery file is for another workspace"))
    if not hmac.compare_digest(str(m["recovery_id"]), kf.recovery_id):
        raise RecoveryFileError(_("refused: this recovery file was already used (the "
                                  "workspace's recovery key has been replaced since)"))
    try:
        keys = kf.unlock_with_recovery(recovery_key)
    except WrongPassphraseError:
        raise RecoveryFileError(_("refused: the recovery file does not open this workspace"))\
            from None
    with storage_failures(db, os_errors=True):
        check_writable(folder, db)
        conn = open_connection(db, keys.sql_key(), create=False)
        try:
            migrate(conn)
            ws = Workspace(folder, conn, kf, keys)
        except BaseException:
            conn.close()
            raise
    try:
        _check_pinned_lead(ws, header.inspection_id, header.sender_key_id,
                           header.sender_sign_pub)
        new_recovery = keys_module.WorkspaceKeys(keys.database_key, keys.database_salt,
                                                 _fresh())
        replaced = kf.with_passphrase(new_passphrase, keys.database_key).with_recovery_key(
            keys.database_key, new_recovery.recovery_key)
        # The audit rows first, the key file last inside their transaction: a workspace that
        # cannot take the rows (busy, full) refuses before the key file changes.
        with ws.transaction():
            log(ws, "in", "recovery", data, header.sender_key_id, header.inspection_id,
                header.sequence, _("recovery file used; new passphrase set"))
            ws.record(None, "recovery_used", "workspace", None, None)
            ws.record(None, "passphrase", "workspace", None, None)
            ws.replace_key_material(replaced, new_recovery)
    except BaseException:
        ws.close()
        raise
    return ws


def _check_pinned_lead(ws: Workspace, inspection_id: str, key_id: bytes,
                       sign_public: bytes) -> None:
    lead = contact(ws, key_id) if lead_key_id(ws, inspection_id) == key_id else None
    if lead is None or lead.sign_public != sign_public:
        raise RecoveryFileError(_("refused: the recovery file is not signed by the lead this "
                                  "workspace trusts"))


def _read(plaintext: bytes, header: Any) -> tuple[dict[str, Any], bytes]:
    try:
        m, by_name = read_payload(plaintext, header, "recovery", lambda _m: [Entry(ENTRY)])
        secret = by_name[ENTRY]
        if m.get("format") != FORMAT or not isinstance(m.get("workspace_id"), str) \
                or not isinstance(m.get("recovery_id"), str) or not isinstance(secret, dict):
            raise PayloadError("fields")
        key = base64.b64decode(str(secret["recovery_key"]), validate=True)
        if len(key) != 32:
            raise PayloadError("length")
    except (PayloadError, BundleError, KeyError, ValueError):
        raise RecoveryFileError(_("refused: the recovery file is damaged")) from None
    return m, key


def _fresh() -> bytes:
    import secrets  # noqa: PLC0415

    return secrets.token_bytes(32)
