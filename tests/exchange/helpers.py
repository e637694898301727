"""Taking bundles apart and sealing altered ones with a real member's keys."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from hmip_desktop.bundles import (
    KIND_ASSESSMENTS,
    Recipient,
    Sender,
    open_sealed,
    read_header,
    seal,
)
from hmip_desktop.exchange import payload
from hmip_desktop.exchange.assessments import content_hash
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.store.workspace import DB_NAME, Workspace, chain_hash

Entries = list[tuple[str, Any]]


def opened(data: bytes, reader: PrivateIdentity, sender: PrivateIdentity) -> Entries:
    """The (name, value) entries of a bundle, opened with the reader's key."""
    _h, plaintext = open_sealed(
        data, my_key_id=reader.public.key_id, my_private_key=reader.receiving_key(),
        trusted_senders={sender.public.key_id: sender.public.verify_key()})
    return payload.parse(plaintext)


def plaintext(data: bytes, reader: PrivateIdentity, sender: PrivateIdentity) -> bytes:
    _h, raw = open_sealed(
        data, my_key_id=reader.public.key_id, my_private_key=reader.receiving_key(),
        trusted_senders={sender.public.key_id: sender.public.verify_key()})
    return raw


def seal_raw(raw: bytes, *, sender: PrivateIdentity, recipients: list[PrivateIdentity],
             inspection_id: str, sequence: int, kind: int = KIND_ASSESSMENTS,
             signer: PrivateIdentity | None = None) -> bytes:
    """Seal payload bytes as ``sender`` would (``signer``: sign with someone else's key)."""
    return seal(kind, raw,
                sender=Sender(sender.public.key_id, (signer or sender).signing_key()),
                recipients=[Recipient(r.public.key_id, r.public.receive_key())
                            for r in recipients],
                inspection_id=inspection_id, sequence=sequence)


def reseal(entries: Entries, *, sender: PrivateIdentity, recipients: list[PrivateIdentity],
           inspection_id: str, sequence: int, kind: int = KIND_ASSESSMENTS) -> bytes:
    """Build and seal the entries, with the manifest's sequence set to the header's."""
    entries = copy.deepcopy(entries)
    name, manifest = entries[0]
    if isinstance(manifest, dict):
        entries[0] = (name, {**manifest, "sequence": sequence})
    return seal_raw(payload.build(entries), sender=sender, recipients=recipients,
                    inspection_id=inspection_id, sequence=sequence, kind=kind)


def case_entry(entries: Entries, case_id: str) -> dict[str, Any]:
    value = dict(entries)[f"cases/{case_id}.json"]
    assert isinstance(value, dict)
    return value


def refresh_manifest(entries: Entries) -> None:
    """Recompute each listed case's content hash and revision, as an honest sender would."""
    by_name = dict(entries)
    for listed in by_name["manifest.json"]["cases"]:
        c: Any = by_name.get(f"cases/{listed['case_id']}.json")
        try:
            listed["content_hash"] = content_hash(
                {k: c[k] for k in ("case_id", "revision", "status", "items", "alerts")})
            listed["revision"] = c["revision"]
        except (TypeError, KeyError):
            continue


def rechain(case: dict[str, Any]) -> None:
    """Recompute the audit hash chain of a case entry (whatever its rows now say)."""
    prev = ""
    for e in case.get("audit") or []:
        try:
            e["hash"] = chain_hash(prev, (case["case_id"], e["at"], e["actor"], e["action"],
                                          e["item"], e["old"], e["new"], e["revision"]))
            prev = e["hash"]
        except (TypeError, KeyError, ValueError):
            return


def sequence_of(data: bytes) -> int:
    return read_header(data).sequence


def db_digest(ws: Workspace) -> tuple[str, ...]:
    """SHA-256 of the open workspace's database and -wal files (unchanged unless committed)."""
    out = []
    for suffix in ("", "-wal"):
        path = Path(ws.folder) / (DB_NAME + suffix)
        out.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-")
    return tuple(out)
