"""What every kind of bundle shares: sealing for enrolled members, the manifest, the log."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hmip_desktop.bundles import (
    KIND_TRAINING,
    KIND_TRAINING_PACK,
    Header,
    Recipient,
    Sender,
    open_sealed,
    read_header,
    seal,
)
from hmip_desktop.errors import NotNewerError, UserError
from hmip_desktop.exchange import payload
from hmip_desktop.exchange.contacts import contact, trusted_senders
from hmip_desktop.exchange.files import StagedFile, Staging, file_hash, write_atomic
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import inspection_held, is_training
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.wording import capitalised

FORMAT = 1


class ReplayError(NotNewerError):
    """An older bundle from a sender after a newer one."""


KIND_WORDS = {  # a bundle's kind as the import summary names what it brought
    "pack": _("the assignment pack"),
    "assessments": _("assessments"),
    "receipt": _("a receipt"),
    "qa": _("the QA partner's queries and sign-offs"),
    "alert": _("an alert"),
    "alert_state": _("the state of an alert"),
    "review": _("cases to review"),
    "review_comments": _("a partner inspector's comments"),
    "debrief": _("the supporting inspector's debrief"),
    "training_pack": _("the training pack"),
    "training": _("a trainee's training answers"),
    "second": _("a second assessor's answers"),
    "release": _("the lead's release of cases"),
    "wipe_certificate": _("a wipe certificate"),
    "recovery": _("a recovery file"),
}


@dataclass
class ImportReport:
    """What an import did, case by case, for the summary screen and the CLI."""

    kind: str
    inspection_id: str
    sender: str
    sequence: int
    already_imported: bool = False
    applied: list[tuple[str, int]] = field(default_factory=list)
    up_to_date: list[tuple[str, int]] = field(default_factory=list)
    stale: list[tuple[str, int, int]] = field(default_factory=list)  # ref, held, offered
    conflicts: list[tuple[str, int, int]] = field(default_factory=list)  # ref, held, offered
    notes: list[str] = field(default_factory=list)
    receipt: Path | None = None
    ignored_older: bool = False  # the whole bundle was older than what is held, and ignored
    queries: int = 0  # QA records merged: new queries, replies, closes, newer sign-offs
    replies: int = 0
    closings: int = 0
    signoffs: int = 0

    def qa_summary(self, verb: str = "applied") -> str:
        """``2 queries, 1 reply, 1 sign-off applied`` (the parts that are not 0)."""
        parts = [(self.queries, _("1 query"), _("{n} queries")),
                 (self.replies, _("1 reply"), _("{n} replies")),
                 (self.closings, _("1 closing"), _("{n} closings")),
                 (self.signoffs, _("1 sign-off"), _("{n} sign-offs"))]
        words = [one if n == 1 else many.format(n=n) for n, one, many in parts if n]
        if not words:
            return _("no new queries, replies or sign-offs")
        return ", ".join(words) + (f" {verb}" if verb else "")

    @property
    def nothing_newer(self) -> bool:
        """Nothing was applied because everything offered is older than what is held.

        A bundle ignored as older, or one whose every case the copy held already contains and
        that brought nothing else (no case applied, up to date or in conflict; no QA record).
        """
        if self.already_imported:
            return False
        if self.ignored_older:
            return True
        brought = (self.applied or self.up_to_date or self.conflicts or self.queries
                   or self.replies or self.closings or self.signoffs)
        return bool(self.stale) and not brought

    def lines(self) -> list[str]:
        """The report in words for people: cases by reference, no revision or bundle numbers."""
        if self.already_imported:
            return [_("Already imported: this bundle from {who} changed nothing")
                    .format(who=self.sender)]
        out = [_("Imported {kind} from {who}").format(kind=KIND_WORDS.get(self.kind, self.kind),
                                                      who=self.sender)]
        applied = {"receipt": _("  Received by the lead: {ref}"),
                   "release": _("  Released by the lead: {ref}")}.get(self.kind,
                                                                      _("  Applied: {ref}"))
        out += [applied.format(ref=r) for r, _v in self.applied]
        out += [_("  Up to date already: {ref}").format(ref=r) for r, _v in self.up_to_date]
        out += [_("  Not applied: {ref}: the work received is not newer than the work held "
                  "here").format(ref=r) for r, _h, _n in self.stale]
        out += [_("  In conflict: {ref}: the work received and the work held here are "
                  "different versions; nothing applied for this case until the lead chooses "
                  "between them").format(ref=r)
                for r, _h, _n in self.conflicts]
        out += [f"  {capitalised(n)}" for n in self.notes]
        if self.kind == "qa" or self.queries or self.replies or self.closings or self.signoffs:
            out.append(f"  {capitalised(self.qa_summary())}")
        if self.receipt is not None:
            out.append(_("  Receipt written to {path}").format(path=self.receipt))
        return out


def hexid(key_id: bytes) -> str:
    return key_id.hex()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError:
        raise PayloadError(_("the bundle's {what} is not valid base64").format(what=what)) \
            from None


def canonical_hash(value: Any) -> str:
    import hashlib  # noqa: PLC0415

    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest(ws: Workspace, kind: str, inspection_id: str, sequence: int,
             **extra: Any) -> dict[str, Any]:
    me = ws.identity.public
    return {"format": FORMAT, "kind": kind, "inspection_id": inspection_id,
            "sequence": sequence, "created_at": now(),
            "sender": {"key_id": hexid(me.key_id), "name": me.name, "role": me.role}, **extra}


def _recipients(ws: Workspace, recipient_keys: list[bytes]) -> list[Recipient]:
    """Each recipient's receiving key, from the member cards held; refused if one is missing."""
    recipients = []
    for kid in dict.fromkeys(recipient_keys):
        person = contact(ws, kid)
        if person is None:
            raise UserError(_("no member card is held for a recipient of this bundle"))
        recipients.append(Recipient(kid, person.receive_key()))
    return recipients


def _sealed(ws: Workspace, kind_code: int, inspection_id: str, recipients: list[Recipient],
            entries: list[tuple[str, Any]], sequence: int) -> bytes:
    """The sealed bundle, its manifest (entries[0]) stamped with the sequence number."""
    ident = ws.identity
    name, first = entries[0]
    entries = [(name, {**first, "sequence": sequence}), *entries[1:]]
    return seal(kind_code, payload.build(entries),
                sender=Sender(ident.public.key_id, ident.signing_key()),
                recipients=recipients, inspection_id=inspection_id, sequence=sequence)


def seal_for(ws: Workspace, kind_code: int, kind: str, inspection_id: str,
             recipient_keys: list[bytes], entries: list[tuple[str, Any]], out: Path,
             summary: str) -> Path:
    """Seal the entries for the recipients (by key id), write the file atomically, log it.

    The manifest (entries[0]) gets the sequence number taken here.
    """
    _check_training_fits(ws, kind_code, inspection_id)
    recipients = _recipients(ws, recipient_keys)
    # The number is taken and committed first: a failed write leaves a gap, never a reuse.
    with ws.transaction():
        sequence = ws.next_counter("out_sequence")
    data = _sealed(ws, kind_code, inspection_id, recipients, entries, sequence)
    path = write_atomic(out, data)
    with ws.transaction():
        log(ws, "out", kind, data, recipient_keys[0] if recipient_keys else None,
            inspection_id, sequence, summary)
        ws.record(None, f"export_{kind}", path.name, None, summary)
    return path


def seal_staged(ws: Workspace, kind_code: int, kind: str, inspection_id: str,
                recipient_keys: list[bytes], entries: list[tuple[str, Any]], out: Path,
                summary: str) -> StagedFile:
    """``seal_for`` inside the caller's transaction: the file is staged, not yet in place.

    The sequence number, the log line and the audit row join the caller's transaction, and
    the file is written in full under a temporary name. The caller publishes it once the
    transaction has committed (``StagedFile.publish``), or discards it if it did not: so the
    file never claims what the workspace did not store.
    """
    return begin_sealed(ws, kind_code, kind, inspection_id, recipient_keys, entries, out,
                        summary).finish(ws)


@dataclass
class SealedStaging:
    """A file sealed (its sequence number taken in the caller's transaction) and being staged.

    ``begin_sealed`` starts writing it on a thread of its own (``files.Staging``), so the
    file's ``fsync`` overlaps whatever the caller's transaction writes meanwhile; ``finish``
    logs it, audits it and waits for it, still inside that transaction.
    """

    kind: str
    inspection_id: str
    recipient_keys: list[bytes]
    summary: str
    sequence: int
    data: bytes
    path: Path
    staging: Staging

    def finish(self, ws: Workspace) -> StagedFile:
        try:
            log(ws, "out", self.kind, self.data,
                self.recipient_keys[0] if self.recipient_keys else None, self.inspection_id,
                self.sequence, self.summary)
            ws.record(None, f"export_{self.kind}", self.path.name, None, self.summary)
            return self.staging.wait()
        except BaseException:
            self.staging.discard()
            raise

    def discard(self) -> None:
        self.staging.discard()


def begin_sealed(ws: Workspace, kind_code: int, kind: str, inspection_id: str,
                 recipient_keys: list[bytes], entries: list[tuple[str, Any]], out: Path,
                 summary: str) -> SealedStaging:
    """Seal for ``seal_staged`` and start staging the file; the caller calls ``finish``."""
    _check_training_fits(ws, kind_code, inspection_id)
    recipients = _recipients(ws, recipient_keys)
    path = out.expanduser()
    if not path.parent.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=path.parent))
    sequence = ws.next_counter("out_sequence")
    data = _sealed(ws, kind_code, inspection_id, recipients, entries, sequence)
    return SealedStaging(kind, inspection_id, recipient_keys, summary, sequence, data, path,
                         Staging(path, data))


def _check_training_fits(ws: Workspace, kind_code: int, inspection_id: str) -> None:
    """A training inspection writes only training packs and training bundles; a real one never.

    Every bundle is sealed through here, so no other kind can carry training work out, nor
    can a training kind carry real work (docs/security.md, "Training events").
    """
    training = is_training(ws, inspection_id)
    if training and kind_code not in (KIND_TRAINING_PACK, KIND_TRAINING):
        raise UserError(_("refused: this is a training inspection: its work goes only to the "
                          "lead, as a training bundle, and never counts as real"))
    if training is False and kind_code in (KIND_TRAINING_PACK, KIND_TRAINING):
        raise UserError(_("refused: this is a real inspection, not a training event: "
                          "training work never mixes with real work"))


def log(ws: Workspace, direction: str, kind: str, data: bytes, peer: bytes | None,
        inspection_id: str, sequence: int, summary: str, subject: str | None = None) -> None:
    connection(ws).execute(
        "INSERT INTO bundle_log (file_hash, direction, kind, peer_key_id, inspection_id,"
        " sequence, at, summary, subject) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        (file_hash(data), direction, kind, peer, inspection_id, sequence, now(), summary,
         subject))


def seen_before(ws: Workspace, data: bytes) -> bool:
    return connection(ws).execute(
            "SELECT 1 FROM bundle_log WHERE file_hash = ? AND direction = 'in'",
                           (file_hash(data),)).fetchone() is not None


def latest_sequence(ws: Workspace, header: Header, kind: str,
                    subject: str | None = None) -> int | None:
    """The highest number imported from the header's sender, of this kind and subject."""
    row = connection(ws).execute(
        "SELECT max(sequence) FROM bundle_log WHERE direction = 'in' AND peer_key_id = ?"
        " AND inspection_id = ? AND kind = ? AND subject IS ?",
        (header.sender_key_id, header.inspection_id, kind, subject)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def check_sequence(ws: Workspace, header: Header, sender_name: str, kind: str,
                   subject: str | None = None) -> None:
    """Refuse a bundle numbered at or below one of its kind already imported from its sender.

    A sender numbers all its bundles with one counter, so only bundles of the same kind and
    inspection are compared: a new pack is not refused for arriving after a later receipt.
    ``subject`` narrows that to one stream where a sender writes several (a QA partner's
    bundle for each assessor, which the lead may import in any order).
    """
    latest = latest_sequence(ws, header, kind, subject)
    if latest is not None and header.sequence <= latest:
        raise ReplayError(_(
            "refused: this is {who}'s bundle number {n}, older than number {latest} already "
            "imported (a replayed or out-of-date file)").format(
                who=sender_name, n=header.sequence, latest=latest))


def peek(data: bytes) -> Header:
    return read_header(data)


def entries_by_name(entries: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(entries)


def read_payload(plaintext: bytes, header: Header, kind: str,
                 listed: Callable[[dict[str, Any]], Sequence[Entry]],
                 deferred: Callable[[str], bool] | None = None,
                 plain: set[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and the entries by name of an opened bundle of any kind, read strictly.

    Every kind goes through here, so the rule cannot differ between kinds: the archive is
    read with its caps (``payload.parse``), the manifest comes first and matches the signed
    header (``check_manifest``), and then the archive must hold exactly ``manifest.json``
    and the entries ``listed(manifest)`` names for the kind, in that order
    (``payload.check_entries``). Nothing has been written when this refuses. The entries
    ``deferred`` names come as ``payload.Deferred``, decoded (and checked as JSON) on ``load``;
    ``plain`` gets the names of the others whose texts cannot break the text rule.
    """
    entries = payload.parse(plaintext, deferred, plain)
    m = check_manifest(entries, header, kind)
    payload.check_entries([n for n, _v in entries], [Entry("manifest.json"), *listed(m)])
    return m, dict(entries)


def check_manifest(entries: list[tuple[str, Any]], header: Header, kind: str) -> dict[str, Any]:
    """The manifest is the first entry and names the same sender, inspection and number."""
    if not entries or entries[0][0] != "manifest.json" or not isinstance(entries[0][1], dict):
        raise PayloadError(_("the bundle has no manifest"))
    m = entries[0][1]
    sender = m.get("sender")
    if (m.get("format") != FORMAT or m.get("kind") != kind
            or m.get("inspection_id") != header.inspection_id
            or m.get("sequence") != header.sequence or not isinstance(sender, dict)
            or sender.get("key_id") != hexid(header.sender_key_id)):
        raise PayloadError(_("the bundle's contents do not match its signed header"))
    return m


def open_from_member(ws: Workspace, data: bytes, header: Header, kind: int) -> bytes:
    """The plaintext of a bundle of ``kind`` sealed for this workspace.

    Refused, with nothing written, unless the workspace holds the bundle's inspection and the
    sender is one of its trusted senders.
    """
    if not inspection_held(ws, header.inspection_id):
        raise UserError(_("refused: the bundle is for another inspection ({id}), not one in "
                          "this workspace").format(id=header.inspection_id))
    me = ws.identity
    _h, plaintext = open_sealed(
        data, my_key_id=me.public.key_id, my_private_key=me.receiving_key(),
        trusted_senders=trusted_senders(ws, header.inspection_id), expected_kind=kind)
    return plaintext
