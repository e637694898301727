"""Assessment bundles (member → lead and QA partner) and the lead's receipts back.

A bundle carries whole cases: every item, the status and revision, the alerts (first, so the
lead sees them first) and the case's complete audit chain, which the receiver verifies. A case
is applied only if it extends the copy held; one the copy held already contains is stale, and
one that forks from it (two writers) is kept aside as a conflict for the lead to resolve
(``conflicts.py``): nothing held is overwritten and nothing received is dropped.

A case carries only a status its assessor can set: queried and signed off are derived from the
QA partner's own records, so a bundle claiming one is refused. The receiver keeps the chain it
last applied from each sender (``received_audit``) and refuses a bundle whose chain for a case
does not begin with it: a sender cannot drop or rewrite history already received.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from hmip_desktop.assessment.items import ItemError, validate
from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_RECEIPT, Header, open_sealed
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import conflicts, escrow
from hmip_desktop.exchange.common import (
    ImportReport,
    SealedStaging,
    begin_sealed,
    canonical_hash,
    check_sequence,
    log,
    manifest,
    open_from_member,
    read_payload,
    seal_for,
    seen_before,
)
from hmip_desktop.exchange.contacts import member_by_key, my_member, trusted_senders
from hmip_desktop.exchange.files import StagedFile
from hmip_desktop.exchange.incoming_text import check_assessed_case
from hmip_desktop.exchange.payload import Deferred, Entry, PayloadError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import case_editions, lead_key_id
from hmip_desktop.store.records import ASSESSOR_STATUSES, STATUSES
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, chain_hash, now

# The QA records' and reassignments' modules are imported where a bundle is written or read:
# the case list's start-up reads only receipts and conflict notices here.

ALERT_FIELDS = ("id", "case_id", "what_might_happen", "how_serious", "how_imminent",
                 "action_asked", "raised_by", "raised_at", "acknowledged_by", "acknowledged_at")
AUDIT_FIELDS = ("seq", "at", "actor", "action", "item", "old", "new", "revision", "hash")
MAX_CASES = 500
EDITION = "framework_hash"
"""A case's key in a bundle for the hash of the framework edition it is assessed against."""
# A bundle whose archive is larger than this has its cases decoded one at a time
# (``payload.Deferred``: for memory, each case is inflated and decoded again when stored). A
# smaller one (about fifty answered cases) is decoded at once and each case's history kept
# as rows: decoding it in full costs less memory than a bundle of MAX_CASES a case at a time,
# and saves the second inflation and decoding of every case.
DECODE_AT_ONCE_BYTES = 256 * 1024


class ReassignedCaseError(UserError):
    """A bundle speaks for a case the lead has since reassigned to someone else."""


def case_content(ws: Workspace, case_id: str) -> dict[str, Any]:
    """A case as it travels: the parts whose hash the receipt confirms."""
    status, revision = connection(ws).execute(
        "SELECT status, revision FROM assessments WHERE case_id = ?", (case_id,)).fetchone()
    items = dict(connection(ws).execute(
            "SELECT item, value FROM items WHERE case_id = ?", (case_id,)))
    alerts = [dict(zip(ALERT_FIELDS, r, strict=True)) for r in connection(ws).execute(
        f"SELECT {', '.join(ALERT_FIELDS)} FROM alerts WHERE case_id = ? ORDER BY id",
        (case_id,))]
    return {"case_id": case_id, "revision": revision, "status": status, "items": items,
            "alerts": alerts}


def content_hash(content: dict[str, Any]) -> str:
    return canonical_hash(content)


def export_assessments(ws: Workspace, inspection_id: str, out: Path,
                       case_ids: list[str] | None = None) -> Path:
    """Write the chosen (default: all of my started) cases for the lead and my QA partner.

    A case held as a second assessment never goes in: it goes to the lead alone
    (``second_bundles``), so the QA partner never sees it.
    """
    from hmip_desktop.exchange import qa as qa_exchange  # noqa: PLC0415

    me = my_member(ws, inspection_id)
    rows = connection(ws).execute(
        "SELECT c.id, c.case_ref, s.revision FROM cases c JOIN assignments a ON a.case_id = c.id"
        " JOIN assessments s ON s.case_id = c.id WHERE c.inspection_id = ? AND a.member_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM double_assessments d WHERE d.case_id = c.id"
        " AND d.second_member_id = a.member_id)"
        " ORDER BY c.case_ref", (inspection_id, me["id"])).fetchall()
    if case_ids is not None:
        wanted = set(case_ids)
        rows = [r for r in rows if r[0] in wanted or r[1] in wanted]
        if len(rows) != len(wanted):
            raise UserError(_("only cases assigned to you can be exported"))
    else:
        rows = [r for r in rows if r[2] > 0]
    if not rows:
        raise UserError(_("there is nothing to export yet: no case has been started"))
    lead = lead_key_id(ws, inspection_id)
    if lead is None:
        raise UserError(_("this inspection has no lead key: import the lead's pack first"))
    recipients = [bytes(lead)]
    if me["qa_partner_id"]:
        qa = connection(ws).execute("SELECT key_id FROM members WHERE id = ?",
                                    (me["qa_partner_id"],)).fetchone()
        if qa is not None and qa[0] is not None:
            recipients.append(bytes(qa[0]))
    contents = [case_content(ws, cid) for cid, _ref, _rev in rows]
    listed = [{"case_id": c["case_id"], "case_ref": ref, "revision": c["revision"],
               "content_hash": content_hash(c)} for c, (_cid, ref, _rev) in
              zip(contents, rows, strict=True)]
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "assessments", inspection_id, 0, member_id=me["id"],
                                   cases=listed)),
        ("alerts.json", [a for c in contents for a in c["alerts"]]),
        (qa_exchange.ENTRY, qa_exchange.records_for(ws, [c["case_id"] for c in contents],
                                                    signoffs=False)),
    ]
    held_by_lead = escrow.entry_for(ws, inspection_id)  # the recovery key, the first time
    if held_by_lead is not None:
        entries.append(held_by_lead)
    editions = case_editions(ws, inspection_id)
    for c in contents:
        audit = [dict(zip(AUDIT_FIELDS, r, strict=True)) for r in connection(ws).execute(
            f"SELECT {', '.join(AUDIT_FIELDS)} FROM audit WHERE case_id = ? ORDER BY seq",
            (c["case_id"],))]
        entries.append((f"cases/{c['case_id']}.json",
                        {**c, "audit": audit, EDITION: editions[c["case_id"]]}))
    path = seal_for(ws, KIND_ASSESSMENTS, "assessments", inspection_id, recipients, entries,
                    out, _("{n} cases").format(n=len(rows)))
    if held_by_lead is not None:
        escrow.mark_sent(ws, inspection_id)
    return path


def import_assessments(ws: Workspace, data: bytes, header: Header,
                       receipt_out: Path | None) -> ImportReport:
    from hmip_desktop.exchange import qa as qa_exchange  # noqa: PLC0415

    plaintext = open_from_member(ws, data, header, KIND_ASSESSMENTS)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    assert sender is not None  # trusted_senders holds only members and the pinned lead
    if seen_before(ws, data):
        return ImportReport("assessments", header.inspection_id, sender["name"],
                            header.sequence, already_imported=True)
    check_sequence(ws, header, sender["name"], "assessments")
    deferred = None if len(plaintext) <= DECODE_AT_ONCE_BYTES \
        else (lambda name: name.startswith("cases/"))
    plain: set[str] = set()
    m, by_name = read_payload(plaintext, header, "assessments", _listed_entries,
                              deferred=deferred, plain=plain)
    listed = m["cases"]
    alerts_by_case = _alerts_by_case(by_name["alerts.json"], listed)
    editions = ReceivedEditions(ws, header.inspection_id, [e["case_id"] for e in listed])
    incoming = []
    for entry in listed:
        case = _check_case(ws, editions, header, sender, entry, by_name, alerts_by_case,
                           plain)
        incoming.append(case)
    has_queries = qa_exchange.ENTRY in by_name
    refs = {c["case_id"]: ref for c, ref, _digest in incoming}
    records = qa_exchange.parse_records(
        by_name[qa_exchange.ENTRY], {cid: editions.of(cid) for cid in refs}, refs,
        signoffs=False) if has_queries else qa_exchange.Records([], [], [])
    if receipt_out is not None and ws.owner_role == "lead" \
            and not receipt_out.expanduser().parent.is_dir():
        # Checked before the import is committed: a receipt that cannot be written after it
        # would be lost, and importing the bundle again only says it was already imported.
        raise UserError(_("{folder}: no such folder").format(
            folder=receipt_out.expanduser().parent))
    report = ImportReport("assessments", header.inspection_id, sender["name"], header.sequence)
    receipt: list[dict[str, Any]] = []
    in_conflict: list[dict[str, Any]] = []
    from hmip_desktop.exchange.files import file_hash  # noqa: PLC0415

    staged: StagedFile | None = None
    sealing: SealedStaging | None = None
    try:
        with ws.transaction():
            newer: list[tuple[dict[str, Any], str, int]] = []
            holding_items: list[str] = []
            for c, ref, digest in incoming:
                held_content = case_content(ws, c["case_id"])
                held, held_hash = held_content["revision"], content_hash(held_content)
                outcome = conflicts.classify(ws, c, digest, header.sender_key_id, held,
                                             held_hash)
                if outcome == conflicts.APPLIED:
                    newer.append((c, digest, held))
                    if held_content["items"]:
                        holding_items.append(c["case_id"])
                    report.applied.append((ref, c["revision"]))
                    receipt.append({"case_id": c["case_id"], "revision": c["revision"],
                                    "content_hash": digest})
                elif outcome == conflicts.UP_TO_DATE:
                    report.up_to_date.append((ref, held))
                    receipt.append({"case_id": c["case_id"], "revision": held,
                                    "content_hash": digest})
                elif outcome == conflicts.CONFLICT:
                    conflicts.record_conflict(ws, {**c, "audit": list(c["audit"])}, digest,
                                              header.sender_key_id,
                                              file_hash(data), header.sequence, held_content,
                                              held_hash)
                    report.conflicts.append((ref, held, c["revision"]))
                    in_conflict.append({"case_id": c["case_id"], "revision": c["revision"],
                                        "content_hash": digest})
                else:
                    report.stale.append((ref, held, c["revision"]))
            if receipt_out is not None and (receipt or in_conflict) \
                    and ws.owner_role == "lead":
                # The receipt joins the import's transaction (one commit, not three) and is
                # staged on disk before the commit but put in place only after it: it never
                # claims a case the workspace did not store. What it says is known now, so it
                # is sealed now and its file written and synced while the cases are stored.
                extra: dict[str, Any] = {"conflicts": in_conflict} if in_conflict else {}
                sealing = begin_sealed(
                    ws, KIND_RECEIPT, "receipt", header.inspection_id,
                    [header.sender_key_id],
                    [("manifest.json", manifest(ws, "receipt", header.inspection_id, 0,
                                                for_member=sender["id"], cases=receipt,
                                                **extra))],
                    receipt_out, _("receipt for {n} cases").format(n=len(receipt)))
            _apply(ws, newer, header, data, holding_items)
            editions.record(ws, [c["case_id"] for c, _d, _old in newer])
            # Whatever became of the case, nothing is lost. Closes are the QA partner's to make
            # and reach the receivers in the QA partner's own bundle: an assessor's relays none.
            qa_exchange.merge(ws, records, refs, report, closes=False)
            if escrow.ENTRY in by_name and escrow.receive(
                    ws, header.inspection_id, header.sender_key_id, by_name[escrow.ENTRY]):
                report.notes.append(_("{name}'s recovery key is now held here").format(
                    name=sender["name"]))
                ws.record(None, "recovery_escrow_received", f"member:{sender['name']}", None,
                          None)
            log(ws, "in", "assessments", data, header.sender_key_id, header.inspection_id,
                header.sequence, _summary(report))
            if sealing is not None:
                staged = sealing.finish(ws)
    except BaseException:
        if staged is not None:
            staged.discard()
        elif sealing is not None:
            sealing.discard()
        raise
    if staged is not None:
        report.receipt = publish_receipt(staged)
    return report


def publish_receipt(staged: StagedFile) -> Path:
    """Put a receipt staged in a committed import in place, or say where it was left."""
    try:
        return staged.publish()
    except OSError as e:
        raise UserError(_(
            "the bundle was imported, but its receipt could not be put in place at {path} "
            "({why}); it was written as {tmp}").format(
                path=staged.path, why=e.strerror or type(e).__name__, tmp=staged.tmp)) \
            from None


def _summary(report: ImportReport) -> str:
    """The import's line in the bundle log: ``1 applied, 0 up to date, 0 stale`` (+ conflicts)."""
    text = _("{a} applied, {u} up to date, {s} stale").format(
        a=len(report.applied), u=len(report.up_to_date), s=len(report.stale))
    if report.conflicts:
        text += _(", {n} in conflict").format(n=len(report.conflicts))
    return text


def _listed_entries(m: dict[str, Any]) -> list[Entry]:
    """The entries an assessment bundle's manifest lists after itself.

    Alerts first, then the queries (absent from a bundle made before they travelled), then
    one entry per listed case, in the manifest's order.
    """
    from hmip_desktop.exchange import qa as qa_exchange  # noqa: PLC0415

    listed = m.get("cases")
    if not isinstance(listed, list) or not 0 < len(listed) <= MAX_CASES or not all(
            isinstance(e, dict) and isinstance(e.get("case_id"), str) for e in listed):
        raise PayloadError(_("the bundle's case list is not valid"))
    ids = [e["case_id"] for e in listed]
    if len(set(ids)) != len(ids):
        raise PayloadError(_("the bundle lists a case twice"))
    return [Entry("alerts.json"), Entry(qa_exchange.ENTRY, optional=True),
            Entry(escrow.ENTRY, optional=True), *(Entry(f"cases/{cid}.json") for cid in ids)]


def incoming_alert(alert: dict[str, Any]) -> tuple[Any, ...]:
    """An alert from a bundle as stored.

    Acknowledging an alert is the lead's act in the lead's own workspace, so an
    acknowledgement the sender's copy carries is never taken from it.
    """
    return tuple(None if k in ("acknowledged_by", "acknowledged_at") else alert[k]
                 for k in ALERT_FIELDS)


def _alerts_by_case(value: Any, listed: list[Any]) -> dict[str, list[Any]]:
    """``alerts.json`` grouped by case: only alerts (objects) of the cases the bundle lists."""
    if not isinstance(value, list):
        raise PayloadError(_("the bundle's alert list is not valid"))
    out: dict[str, list[Any]] = {e["case_id"]: [] for e in listed
                                 if isinstance(e, dict) and isinstance(e.get("case_id"), str)}
    for a in value:
        if not isinstance(a, dict) or not isinstance(a.get("case_id"), str) \
                or a["case_id"] not in out:
            raise PayloadError(_("the bundle's alert list is not valid"))
        out[a["case_id"]].append(a)
    return out


class ReceivedEditions:
    """The edition each case of an assessment bundle is on, and the framework to check it by.

    A case names its edition (``framework_hash``); one from a bundle made before editions
    travelled is on the edition this workspace holds it on. The receiver accepts a case on the
    inspection's edition or one it supersedes, directly or through editions held here
    (``Workspace.inspection_editions``); any other is refused, the whole bundle with it.
    """

    def __init__(self, ws: Workspace, inspection_id: str, case_ids: list[str]) -> None:
        self.lineage = {fw.hash: fw for fw in ws.inspection_editions(inspection_id)}
        self.inspection_hash = next(iter(self.lineage))
        self.held = case_editions(ws, inspection_id, case_ids)  # the bundle's cases
        self.received: dict[str, str] = {}
        self.valid: dict[str, set[tuple[str, str]]] = {}
        """Per edition, the (item, value) pairs its rules accept, each checked once."""
        self._ws = ws

    def take(self, case_id: str, ref: str, named: Any) -> Framework:
        """The edition a case arrives on (``named``: its ``framework_hash``, or None)."""
        if named is None:
            edition = self.held[case_id]
        elif isinstance(named, str) and named in self.lineage:
            edition = named
        else:
            raise PayloadError(_(
                "refused, nothing imported: case {ref} was assessed on an edition of the "
                "framework this workspace does not hold or that this inspection's edition does "
                "not supersede; import the lead's pack that carries it first").format(ref=ref))
        self.received[case_id] = edition
        return self.of(case_id)

    def of(self, case_id: str) -> Framework:
        edition = self.received.get(case_id) or self.held[case_id]
        return self.lineage.get(edition) or self._ws.framework(edition)

    def record(self, ws: Workspace, case_ids: list[str]) -> None:
        """Keep each applied case's edition where it changed (call inside the transaction)."""
        for cid in case_ids:
            edition = self.received.get(cid, self.held[cid])
            if edition == self.held[cid]:
                continue
            connection(ws).execute(
                "UPDATE cases SET framework_hash = ? WHERE id = ?",
                (None if edition == self.inspection_hash else edition, cid))
            old, new = ws.framework(self.held[cid]), self.of(cid)
            ws.record(cid, "case_edition", "case", f"{old.id} {old.edition}",
                      f"{new.id} {new.edition}")
            self.held[cid] = edition


def _check_case(ws: Workspace, editions: ReceivedEditions, header: Header,
                sender: dict[str, Any], entry: Any, by_name: dict[str, Any],
                alerts_by_case: dict[str, list[Any]],
                plain: set[str]) -> tuple[dict[str, Any], str, str]:
    from hmip_desktop.setup.reassign import last_reassignment  # noqa: PLC0415

    if not isinstance(entry, dict) or not isinstance(entry.get("case_id"), str):
        raise PayloadError(_("the bundle's case list is not valid"))
    cid = entry["case_id"]
    row = connection(ws).execute(
        "SELECT c.case_ref, a.member_id FROM cases c LEFT JOIN assignments a ON a.case_id = c.id"
        " WHERE c.id = ? AND c.inspection_id = ?", (cid, header.inspection_id)).fetchone()
    if row is None:
        raise PayloadError(_("the bundle holds a case this inspection does not have"))
    ref, assignee = row
    # Everywhere, the QA partner's workspace included (it holds its own cases and those of
    # every assessor it supports): a member speaks only for the cases assigned to them.
    if assignee != sender["id"]:
        moved = last_reassignment(ws, cid)
        if moved is not None and moved.to_member_id == assignee:
            raise ReassignedCaseError(_(
                "refused, nothing imported: case {ref} was reassigned to {owner} on {date}, so "
                "{who}'s copy no longer counts; {who} imports their next pack (their copy "
                "turns read-only) and exports again").format(
                    ref=ref, owner=moved.to_name, date=moved.at[:10], who=sender["name"]))
        raise PayloadError(_("case {ref} is not assigned to {who}").format(
            ref=ref, who=sender["name"]))
    name = f"cases/{cid}.json"
    c = source = by_name.get(name)
    if isinstance(source, Deferred):
        c = source.load()  # decoded now; its history is decoded again when it is stored
    # An entry with no escape and no refused character anywhere in its bytes (the usual case)
    # holds no text the rule refuses: one search over the bytes, rather than every field's.
    clean_texts = source.plain if isinstance(source, Deferred) else name in plain
    if not isinstance(c, dict) or set(c) - {EDITION} != {
            "case_id", "revision", "status", "items", "alerts", "audit"} or c["case_id"] != cid:
        raise PayloadError(_("case {ref} in the bundle is not valid").format(ref=ref))
    fw = editions.take(cid, ref, c.pop(EDITION, None))
    valid = editions.valid.setdefault(fw.hash, set())
    if not isinstance(c["revision"], int) or isinstance(c["revision"], bool) or \
            not 0 < c["revision"] < 2**53:
        raise PayloadError(_("case {ref} in the bundle is not valid").format(ref=ref))
    if c["status"] not in ASSESSOR_STATUSES:
        raise PayloadError(_(
            "case {ref} is marked {status}, which its assessor cannot set: a case arrives not "
            "started, in progress or complete (queried and signed off come from the QA "
            "partner)").format(ref=ref, status=_status_words(c["status"])))
    items = c["items"]
    if not isinstance(items, dict) or len(items) > 5000:
        raise PayloadError(_("case {ref} in the bundle is not valid").format(ref=ref))
    if not clean_texts:
        check_assessed_case(fw, c, ref)
    for item, value in items.items():
        # The framework's rules are a function of the item and its value, and most answers
        # repeat from case to case ("yes" to the same prompt): each short pair is checked once
        # an import.
        short = type(value) is str and len(value) <= 16
        if short and (item, value) in valid:
            continue
        if not stored_as_sent(fw, item, value):
            raise PayloadError(_("case {ref}: {item!r} fails the framework's rules").format(
                ref=ref, item=str(item)[:40]))
        if short:
            valid.add((item, value))
    for a in c["alerts"] if isinstance(c["alerts"], list) else [None]:
        if not valid_alert(a, cid):
            raise PayloadError(_("case {ref}: an alert is not valid").format(ref=ref))
    if alerts_by_case.get(cid, []) != c["alerts"]:
        raise PayloadError(_("case {ref}: its alerts differ from the bundle's alert list")
                           .format(ref=ref))
    _check_chain(c["audit"], cid, ref, c["revision"])
    _check_extends(ws, c["audit"], cid, ref, header.sender_key_id)
    digest = content_hash({k: c[k] for k in ("case_id", "revision", "status", "items",
                                              "alerts")})
    if entry.get("content_hash") != digest or entry.get("revision") != c["revision"]:
        raise PayloadError(_("case {ref}: its content does not match the manifest").format(
            ref=ref))
    c["audit"] = ReceivedChain(c["audit"], source if isinstance(source, Deferred) else None)
    return c, ref, digest


class ReceivedChain(Sequence[dict[str, Any]]):
    """A case's checked audit chain, held until the bundle is applied.

    Its history is most of a case, and a bundle of hundreds of cases is checked in full before
    anything is stored. So a case decoded from a ``Deferred`` entry keeps only the number of
    rows, and decodes the entry again (the same bytes, already checked) when its rows are
    needed; otherwise the rows are kept as tuples. ``rows`` are in ``AUDIT_FIELDS`` order, and
    each row still reads as the object it arrived as.
    """

    __slots__ = ("_count", "_rows", "_source")

    def __init__(self, audit: list[dict[str, Any]], source: Deferred | None) -> None:
        self._count, self._source = len(audit), source
        self._rows = None if source is not None else _tuples(audit)

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        if self._rows is not None:
            return self._rows
        assert self._source is not None
        return _tuples(self._source.load()["audit"])

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (dict(zip(AUDIT_FIELDS, r, strict=True)) for r in self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [dict(zip(AUDIT_FIELDS, r, strict=True)) for r in self.rows[index]]
        return dict(zip(AUDIT_FIELDS, self.rows[index], strict=True))


def _tuples(audit: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["seq"], e["at"], e["actor"], e["action"], e["item"], e["old"], e["new"],
             e["revision"], e["hash"]) for e in audit]


def stored_as_sent(fw: Any, item: object, value: Any) -> bool:
    """An item of a case from another workspace: valid, and exactly what the store keeps."""
    try:
        return bool(validate(fw, str(item), value) == value and value != "")
    except ItemError:
        return False


def valid_alert(alert: Any, case_id: str) -> bool:
    """An alert of a case from another workspace: exactly the alert fields, of their types."""
    return (isinstance(alert, dict) and set(alert) == set(ALERT_FIELDS)
            and alert["case_id"] == case_id
            and all(isinstance(alert[k], str) for k in ALERT_FIELDS[:8])
            and all(alert[k] is None or isinstance(alert[k], str) for k in ALERT_FIELDS[8:]))


def store_content(ws: Workspace, content: dict[str, Any], *, by: bytes, at: str,
                  lead_acknowledgements: bool) -> None:
    """Make a case hold ``content`` from the lead's pack.

    Its items, status and revision replace the held ones and its alerts are added (call inside
    ``ws.transaction()``; the caller writes the audit row). With ``lead_acknowledgements``
    an alert already held also takes the lead's acknowledgement.
    """
    cid = content["case_id"]
    connection(ws).execute("DELETE FROM items WHERE case_id = ?", (cid,))
    connection(ws).executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)",
                               [(cid, k, v) for k, v in content["items"].items()])
    connection(ws).execute("UPDATE assessments SET status = ?, revision = ?, updated_at = ?,"
                           " updated_by = ? WHERE case_id = ?",
                           (content["status"], content["revision"], at, by.hex(), cid))
    on_conflict = (
        "DO UPDATE SET"
        " acknowledged_by = coalesce(alerts.acknowledged_by, excluded.acknowledged_by),"
        " acknowledged_at = coalesce(alerts.acknowledged_at, excluded.acknowledged_at)"
        if lead_acknowledgements else "DO NOTHING")
    connection(ws).executemany(
        f"INSERT INTO alerts ({', '.join(ALERT_FIELDS)}) VALUES "
        f"({', '.join('?' * len(ALERT_FIELDS))}) ON CONFLICT (id) {on_conflict}",
        [tuple(a[k] for k in ALERT_FIELDS) for a in content["alerts"]])


_AUDIT_KEYS = frozenset(AUDIT_FIELDS)


def _check_chain(audit: Any, cid: str, ref: str, revision: int) -> None:
    """The author's audit rows for the case must chain, unbroken, up to this revision."""
    if not isinstance(audit, list) or not audit or len(audit) > 100_000:
        raise PayloadError(_("case {ref}: its history is missing").format(ref=ref))
    prev, last_seq, top = "", -1, 0
    for e in audit:
        # Exact types (``type(x) is str``): strict JSON yields only plain str, int, dicts and
        # lists, so this is the same test as isinstance, at a fraction of the cost per row.
        if type(e) is not dict or e.keys() != _AUDIT_KEYS:
            raise PayloadError(_("case {ref}: its history is not valid").format(ref=ref))
        seq, at, actor, action, item, old, new, rev, digest = (
            e["seq"], e["at"], e["actor"], e["action"], e["item"], e["old"], e["new"],
            e["revision"], e["hash"])
        if type(seq) is not int or not last_seq < seq <= 2**53 \
                or type(at) is not str or type(actor) is not str \
                or type(action) is not str or type(item) is not str \
                or type(digest) is not str \
                or (old is not None and type(old) is not str) \
                or (new is not None and type(new) is not str) \
                or (rev is not None and (type(rev) is not int or not 0 <= rev <= 2**53)):
            raise PayloadError(_("case {ref}: its history is not valid").format(ref=ref))
        try:
            expected = chain_hash(prev, (cid, at, actor, action, item, old, new, rev))
        except ValueError:  # a string that is not text (strict JSON already refuses one)
            expected = ""
        if expected != digest:
            raise PayloadError(_("case {ref}: its history has been altered (the hash chain "
                                 "breaks at entry {seq})").format(ref=ref, seq=seq))
        prev, last_seq = digest, seq
        if rev is not None and rev > top:
            top = rev
    if top != revision:
        raise PayloadError(_("case {ref}: its history does not reach revision {rev}").format(
            ref=ref, rev=revision))


def _check_extends(ws: Workspace, audit: list[dict[str, Any]], cid: str, ref: str,
                   sender_key_id: bytes) -> None:
    """The chain must begin with every row already received from this sender for the case.

    The sender's audit log is append-only, so each bundle's chain extends the last one. A chain
    that does not (a row dropped or altered, then the chain hashed again) is refused: what was
    received, and acknowledged by a receipt, cannot be rewritten.
    """
    held = connection(ws).execute(
        "SELECT seq, hash FROM received_audit WHERE case_id = ? AND origin_key_id = ?"
        " ORDER BY seq", (cid, sender_key_id)).fetchall()
    if [(e["seq"], e["hash"]) for e in audit[:len(held)]] != [tuple(r) for r in held]:
        raise PayloadError(_(
            "case {ref}: its history does not continue the history received before (an entry "
            "already received has been changed or removed)").format(ref=ref))


def _status_words(status: Any) -> str:
    """A status as a person reads it: "signed off", or the odd value quoted and cut short."""
    if status in STATUSES:
        return f"\u201c{str(status).replace('_', ' ')}\u201d"
    return repr(str(status)[:40])


def _whole(value: Any) -> bool:
    """A whole number SQLite stores exactly: not a bool, 0 to 2**53."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**53


def _apply(ws: Workspace, cases: list[tuple[dict[str, Any], str, int]], header: Header,
           data: bytes, holding_items: list[str]) -> None:
    """Write the newer cases of one bundle (case, content hash, revision held before).

    ``holding_items``: those of the cases that hold items now, to be replaced.

    Each statement runs once over every case (``executemany``) rather than once a case, so the
    connection's few cached statements serve the whole bundle instead of being prepared again
    for every case (store/connection.py says why the cache is small).
    """
    from hmip_desktop.exchange.files import file_hash  # noqa: PLC0415

    if not cases:
        return
    at, sender, bundle = now(), header.sender_key_id, file_hash(data)
    # Only a case that holds items has any to remove (the first import of a case holds none).
    connection(ws).executemany("DELETE FROM items WHERE case_id = ?",
                               [(cid,) for cid in holding_items])
    connection(ws).executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)",
                               ((c["case_id"], k, v) for c, _d, _old in cases
                                for k, v in c["items"].items()))
    connection(ws).executemany("UPDATE assessments SET status = ?, revision = ?, updated_at = ?,"
                               " updated_by = ? WHERE case_id = ?",
                               [(c["status"], c["revision"], at, sender.hex(), c["case_id"])
                         for c, _d, _old in cases])
    connection(ws).executemany(
        f"INSERT INTO alerts ({', '.join(ALERT_FIELDS)}) VALUES "
        f"({', '.join('?' * len(ALERT_FIELDS))}) ON CONFLICT (id) DO NOTHING",
        [incoming_alert(a) for c, _d, _old in cases for a in c["alerts"]])
    connection(ws).executemany(
        "INSERT OR IGNORE INTO received_audit (case_id, origin_key_id, seq, at, actor, action,"
        " item, old, new, revision, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ((c["case_id"], sender, *row) for c, _d, _old in cases for row in c["audit"].rows))
    connection(ws).executemany(
        "INSERT INTO case_sources (case_id, sender_key_id, revision, content_hash, bundle_hash,"
        " sequence, applied_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
        " sender_key_id=excluded.sender_key_id, revision=excluded.revision,"
        " content_hash=excluded.content_hash, bundle_hash=excluded.bundle_hash,"
        " sequence=excluded.sequence, applied_at=excluded.applied_at",
        [(c["case_id"], sender, c["revision"], digest, bundle, header.sequence, at)
         for c, digest, _old in cases])
    ws.record_cases("import", "case", [(c["case_id"], str(old), str(c["revision"]),
                                        c["revision"]) for c, _d, old in cases])


def import_receipt(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    lead_key = lead_key_id(ws, header.inspection_id)
    if lead_key is None:
        raise UserError(_("refused: the receipt is for another inspection ({id})").format(
            id=header.inspection_id))
    trusted = {k: v for k, v in trusted_senders(ws, header.inspection_id).items()
               if k == lead_key}
    me = ws.identity
    _h, plaintext = open_sealed(data, my_key_id=me.public.key_id,
                                my_private_key=me.receiving_key(), trusted_senders=trusted,
                                expected_kind=KIND_RECEIPT)
    lead = member_by_key(ws, header.inspection_id, header.sender_key_id)
    name = lead["name"] if lead else _("the lead")
    if seen_before(ws, data):
        return ImportReport("receipt", header.inspection_id, name, header.sequence,
                            already_imported=True)
    check_sequence(ws, header, name, "receipt")
    m, _entries = read_payload(plaintext, header, "receipt", lambda _m: [])
    cases = m.get("cases")
    if not isinstance(cases, list) or len(cases) > MAX_CASES:
        raise PayloadError(_("the receipt is not valid"))
    mine = member_by_key(ws, header.inspection_id, me.public.key_id)
    if mine is None or m.get("for_member") != mine["id"]:
        raise PayloadError(_("the receipt is not made out to you"))
    report = ImportReport("receipt", header.inspection_id, name, header.sequence)
    with ws.transaction():
        for c in cases:
            if not isinstance(c, dict) or not _whole(c.get("revision")) or \
                    not isinstance(c.get("content_hash"), str) or \
                    not isinstance(c.get("case_id"), str):
                raise PayloadError(_("the receipt is not valid"))
            ref = connection(ws).execute(
                    "SELECT case_ref FROM cases WHERE id = ? AND inspection_id = ?",
                                  (c["case_id"], header.inspection_id)).fetchone()
            if ref is None:
                raise PayloadError(_("the receipt names a case this inspection does not have"))
            connection(ws).execute(
                "INSERT OR IGNORE INTO receipts (case_id, revision, content_hash, received_at)"
                " VALUES (?,?,?,?)", (c["case_id"], c["revision"], c["content_hash"], now()))
            connection(ws).execute(
                    "DELETE FROM conflict_notices WHERE case_id = ?", (c["case_id"],))
            ws.record(c["case_id"], "receipt", "case", None, str(c["revision"]))
            report.applied.append((ref[0], c["revision"]))
        for ref_, _rev in _conflict_notices(ws, header.inspection_id, m.get("conflicts", [])):
            report.notes.append(_(
                "In conflict: {ref}: the lead holds another version of this case than the one "
                "you sent; the lead will choose between them").format(ref=ref_))
        log(ws, "in", "receipt", data, header.sender_key_id, header.inspection_id,
            header.sequence, _("{n} cases received by the lead").format(n=len(cases)))
    return report


def _conflict_notices(ws: Workspace, inspection_id: str, value: Any) -> list[tuple[str, int]]:
    """Record the receipt's ``conflicts`` (call inside the import's transaction).

    They are the cases the lead holds in another version than the one this member sent,
    awaiting the lead's choice.
    """
    if not isinstance(value, list) or len(value) > MAX_CASES:
        raise PayloadError(_("the receipt is not valid"))
    out = []
    for c in value:
        if not isinstance(c, dict) or not _whole(c.get("revision")) or \
                not isinstance(c.get("content_hash"), str) or \
                not isinstance(c.get("case_id"), str):
            raise PayloadError(_("the receipt is not valid"))
        ref = connection(ws).execute(
                "SELECT case_ref FROM cases WHERE id = ? AND inspection_id = ?",
                              (c["case_id"], inspection_id)).fetchone()
        if ref is None:
            raise PayloadError(_("the receipt names a case this inspection does not have"))
        connection(ws).execute(
            "INSERT INTO conflict_notices (case_id, revision, content_hash, noticed_at)"
            " VALUES (?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET revision = excluded.revision,"
            " content_hash = excluded.content_hash, noticed_at = excluded.noticed_at",
            (c["case_id"], c["revision"], c["content_hash"][:64], now()))
        ws.record(c["case_id"], "conflict_notice", "case", None, str(c["revision"]))
        out.append((str(ref[0]), int(c["revision"])))
    return out


def in_conflict_at_lead(ws: Workspace) -> set[str]:
    """Ids of the cases the lead's receipt reported in conflict (until a later receipt)."""
    return {cid for (cid,) in connection(ws).execute("SELECT case_id FROM conflict_notices")}


def delivered(ws: Workspace, case_id: str) -> bool:
    """True when the lead's receipt covers the case's latest revision and content."""
    c = case_content(ws, case_id)
    row = connection(ws).execute(
            "SELECT content_hash FROM receipts WHERE case_id = ? AND revision = ?",
                          (case_id, c["revision"])).fetchone()
    return row is not None and row[0] == content_hash(c)



def delivered_cases(ws: Workspace) -> set[str]:
    """Ids of the cases whose latest revision the lead has confirmed receiving."""
    held = {cid for (cid,) in connection(ws).execute("SELECT DISTINCT case_id FROM receipts")}
    return {cid for cid in held if delivered(ws, cid)}
