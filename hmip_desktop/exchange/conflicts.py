"""Revision conflicts: two versions of one case that neither contains, kept until the lead chooses.

A revision number counts changes; it does not say whose. When the receiving workspace has
changed a case itself since it last applied the sender's version (an edit by someone who is not
the owner, a workspace changed after a restore, a reassignment crossing a bundle), the sender's
next bundle may carry the same revision with other content, or a history that does not contain
those changes (a fork in one sender's own history is refused whole by the import's chain
rule). Applying it would drop the changes held here; calling it stale would drop the sender's.
Neither is done: the case is left as held and both versions are kept in ``conflicts`` (schema
version 6) until the lead chooses, item by item, which one stands (``resolve``). The resolution
is a new revision above both, audited with every choice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.completeness import case_rules, completeness
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

# Outcomes of comparing a received case with the one held (``classify``).
APPLIED, UP_TO_DATE, STALE, CONFLICT = "applied", "up_to_date", "stale", "conflict"
# The receiving workspace's own changes to a case's answers or status (its ``audit`` actions).
_LOCAL_EDITS = ("set", "hurdle", "status", "undo", "resolve")
STATUS_ITEM = "status"
"""The pseudo-item naming the case's status among the items in conflict."""
CHOICES = ("held", "received")


class ConflictError(UserError):
    """A resolution the conflict does not allow (an item not in conflict, a missing choice)."""


@dataclass(frozen=True)
class ConflictItem:
    item: str
    held: str | None
    held_by: str
    received: str | None
    received_by: str


@dataclass(frozen=True)
class Conflict:
    id: int
    case_id: str
    case_ref: str
    owner: str
    """The name of the member the case is assigned to (empty if none)."""
    sender: str
    held_revision: int
    received_revision: int
    detected_at: str
    items: tuple[ConflictItem, ...]


def classify(ws: Workspace, case: Mapping[str, Any], digest: str, sender_key_id: bytes,
             held_revision: int, held_hash: str) -> str:
    """Whether a received case is applied, up to date, stale or in conflict with the one held.

    The sender's own chain is known to extend what was received from them (the import checks
    that first). What remains is whether the version held here is the sender's: it is, unless
    this workspace changed the case's answers or status since it last applied a bundle for it.
    """
    cid, revision = case["case_id"], case["revision"]
    if revision == held_revision and digest == held_hash:
        return UP_TO_DATE
    source = connection(ws).execute(
        "SELECT sender_key_id, revision, content_hash FROM case_sources WHERE case_id = ?",
        (cid,)).fetchone()
    ancestor = source is not None and bytes(source[0]) == sender_key_id and (
        revision < source[1] or (revision == source[1] and digest == source[2]))
    if ancestor:
        return STALE  # what was applied here already contains it
    if _edited_here(ws, cid, case["audit"]):
        return CONFLICT
    if revision > held_revision:
        return APPLIED
    # Held ahead only by what needs no choosing (an alert acknowledged here by a workspace of an
    # older version, which raised the revision): the sender's newer version is applied and the
    # case takes the sender's revision again.
    if source is None or (bytes(source[0]) == sender_key_id and revision > source[1]):
        return APPLIED
    return CONFLICT


def _edited_here(ws: Workspace, case_id: str, audit: list[Mapping[str, Any]]) -> bool:
    """True if this workspace changed the case's answers or status since its last import.

    A resolution the sender has since taken as their own (their chain ``audit`` holds the
    ``adopt`` row for it, ``pack_resolved.py``) counts as their base, not as a change made here.
    """
    from hmip_desktop.exchange.pack_resolved import chain_adopts  # noqa: PLC0415

    since = connection(ws).execute(
        "SELECT coalesce(max(seq), -1) FROM audit WHERE case_id = ? AND action = 'import'",
        (case_id,)).fetchone()[0]
    resolved = connection(ws).execute(
        "SELECT seq, revision FROM audit WHERE case_id = ? AND action = 'resolve' AND seq > ?"
        " ORDER BY seq DESC LIMIT 1", (case_id, since)).fetchone()
    if resolved is not None and chain_adopts(ws, case_id, resolved[1], audit):
        since = resolved[0]
    marks = ", ".join("?" * len(_LOCAL_EDITS))
    return connection(ws).execute(
        "SELECT 1 FROM audit WHERE case_id = ? AND action IN (" + marks + ") AND seq > ?"
        " LIMIT 1", (case_id, *_LOCAL_EDITS, since)).fetchone() is not None


def record_conflict(ws: Workspace, case: Mapping[str, Any], digest: str, sender_key_id: bytes,
                    bundle_hash: str, sequence: int, held: Mapping[str, Any],
                    held_hash: str) -> None:
    """Keep both versions (call inside the import's transaction).

    A case has at most one open conflict: a later bundle from the same sender replaces the
    received side (the sender's newer version contains their older one); the same version
    again changes nothing.
    """
    received = {"status": case["status"], "items": case["items"], "alerts": case["alerts"],
                "audit": case["audit"], "sequence": sequence}
    row = connection(ws).execute(
        "SELECT id, received_hash, received_revision, sender_key_id FROM conflicts"
        " WHERE case_id = ? AND resolved_at IS NULL", (case["case_id"],)).fetchone()
    if row is not None:
        if bytes(row[3]) != sender_key_id:
            # Another member's version is kept aside already: it is never replaced.
            ref = connection(ws).execute("SELECT case_ref FROM cases WHERE id = ?",
                                         (case["case_id"],)).fetchone()[0]
            raise ConflictError(_(
                "refused: case {ref} is in conflict with another member's version, which the "
                "lead resolves first; nothing was imported").format(ref=ref))
        if row[1] == digest or case["revision"] < row[2]:
            return
        connection(ws).execute(
            "UPDATE conflicts SET sender_key_id = ?, bundle_hash = ?, received_revision = ?,"
            " received_hash = ?, received = ? WHERE id = ?",
            (sender_key_id, bundle_hash, case["revision"], digest, _dumps(received), row[0]))
    else:
        connection(ws).execute(
            "INSERT INTO conflicts (case_id, sender_key_id, bundle_hash, held_revision,"
            " held_hash, held, received_revision, received_hash, received, detected_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (case["case_id"], sender_key_id, bundle_hash, held["revision"], held_hash,
             _dumps({"status": held["status"], "items": held["items"]}), case["revision"],
             digest, _dumps(received), now()))
    ws.record(case["case_id"], "conflict", "case", str(held["revision"]),
              str(case["revision"]))


def open_conflicts(ws: Workspace, inspection_id: str | None = None) -> list[Conflict]:
    """Every case in conflict (of one inspection, or all), by case reference."""
    rows = connection(ws).execute(
        "SELECT k.id, k.case_id, c.case_ref, coalesce(m.name, ''), coalesce(s.name, ''),"
        " k.received_revision, k.received, k.detected_at FROM conflicts k"
        " JOIN cases c ON c.id = k.case_id"
        " LEFT JOIN assignments a ON a.case_id = c.id LEFT JOIN members m ON m.id = a.member_id"
        " LEFT JOIN members s ON s.key_id = k.sender_key_id AND s.inspection_id = c.inspection_id"
        " WHERE k.resolved_at IS NULL AND (? IS NULL OR c.inspection_id = ?)"
        " ORDER BY c.case_ref", (inspection_id, inspection_id)).fetchall()
    out = []
    for kid, cid, ref, owner, sender, rrev, received, at in rows:
        held_rev, items = _items_in_conflict(ws, cid, json.loads(received))
        out.append(Conflict(kid, cid, ref, owner, sender, held_rev, rrev, at, tuple(items)))
    return out


def conflicted_cases(ws: Workspace) -> set[str]:
    """Ids of the cases with an open conflict."""
    return {cid for (cid,) in connection(ws).execute(
        "SELECT case_id FROM conflicts WHERE resolved_at IS NULL")}


def conflict_of(ws: Workspace, case: str) -> Conflict:
    """The open conflict of a case (by reference or id); refused if it has none."""
    info = ws.find_case(case)
    for c in open_conflicts(ws, info.inspection_id):
        if c.case_id == info.id:
            return c
    raise ConflictError(_("case {ref} is not in conflict").format(ref=info.case_ref))


def _items_in_conflict(ws: Workspace, case_id: str,
                       received: Mapping[str, Any]) -> tuple[int, list[ConflictItem]]:
    """(held revision, the items whose held and received values differ, status first)."""
    status, revision = connection(ws).execute(
        "SELECT status, revision FROM assessments WHERE case_id = ?", (case_id,)).fetchone()
    held = dict(connection(ws).execute(
            "SELECT item, value FROM items WHERE case_id = ?", (case_id,)))
    theirs: dict[str, str] = received["items"]
    out = []
    if status != received["status"]:
        out.append(ConflictItem(STATUS_ITEM, status, _held_writer(ws, case_id, STATUS_ITEM),
                                received["status"],
                                _writer(received["audit"], STATUS_ITEM)))
    for item in sorted(set(held) | set(theirs)):
        if held.get(item) != theirs.get(item):
            out.append(ConflictItem(item, held.get(item), _held_writer(ws, case_id, item),
                                    theirs.get(item), _writer(received["audit"], item)))
    return int(revision), out


def _writer(audit: list[Mapping[str, Any]], item: str) -> str:
    """Who last wrote the item in a received chain."""
    for e in reversed(audit):
        if e["item"] == item and e["action"] in _LOCAL_EDITS:
            return str(e["actor"])
    return ""


def _held_writer(ws: Workspace, case_id: str, item: str) -> str:
    """Who last wrote the item held here.

    This workspace's own change after the last import, else the author of the version applied
    (from the chain received with it).
    """
    marks = ", ".join("?" * len(_LOCAL_EDITS))
    row = connection(ws).execute(
        "SELECT actor FROM audit WHERE case_id = ? AND item = ? AND action IN (" + marks + ")"
        " AND seq > coalesce((SELECT max(seq) FROM audit WHERE case_id = ?"
        " AND action = 'import'), -1) ORDER BY seq DESC LIMIT 1",
        (case_id, item, *_LOCAL_EDITS, case_id)).fetchone()
    if row is None:
        row = connection(ws).execute(
            "SELECT r.actor FROM received_audit r JOIN case_sources s ON s.case_id = r.case_id"
            " AND s.sender_key_id = r.origin_key_id WHERE r.case_id = ? AND r.item = ?"
            " AND r.action IN (" + marks + ") ORDER BY r.seq DESC LIMIT 1",
            (case_id, item, *_LOCAL_EDITS)).fetchone()
    return str(row[0]) if row else ""


def resolve(ws: Workspace, case: str, choices: Mapping[str, str],
            rest: str | None = None) -> int:
    """Settle a conflict: per item in conflict, the ``held`` or the ``received`` value.

    ``rest`` (``held`` or ``received``) covers the items not named. Every item in conflict must
    end up chosen, every named item must be in conflict, and the result must keep the
    framework's hurdles (a choice cannot pair a prompt from one version with a judgement the
    hurdle forbids from the other); otherwise nothing is written. The
    result is a new revision above both versions, with one ``resolve`` audit row listing the
    choices. Returns that revision.
    """
    if ws.owner_role != "lead":
        raise ConflictError(_("only the lead inspector's workspace can resolve a conflict"))
    conflict = conflict_of(ws, case)
    ref = conflict.case_ref
    for side in (*choices.values(), *([rest] if rest is not None else [])):
        if side not in CHOICES:
            raise ConflictError(_("choose held or received, not {side!r}").format(
                side=str(side)[:20]))
    in_conflict = {i.item: i for i in conflict.items}
    for item in choices:
        if item not in in_conflict:
            raise ConflictError(_("{item} is not in conflict in case {ref}").format(
                item=str(item)[:60], ref=ref))
    chosen = {item: choices.get(item, rest) for item in in_conflict}
    left = [item for item, side in chosen.items() if side is None]
    if left:
        raise ConflictError(_(
            "case {ref}: choose held or received for every item in conflict ({n} left: "
            "{items})").format(ref=ref, n=len(left), items=", ".join(left[:5])))
    row = connection(ws).execute(
        "SELECT sender_key_id, bundle_hash, received_hash, received FROM conflicts"
        " WHERE id = ?", (conflict.id,)).fetchone()
    sender, bundle, digest, received = bytes(row[0]), row[1], row[2], json.loads(row[3])
    cid = conflict.case_id
    status = connection(ws).execute(
        "SELECT status FROM assessments WHERE case_id = ?", (cid,)).fetchone()[0]
    items = dict(connection(ws).execute("SELECT item, value FROM items WHERE case_id = ?", (cid,)))
    for item, pick in chosen.items():
        if pick != "received":
            continue
        value = in_conflict[item].received
        if item == STATUS_ITEM:
            status = value or status
        elif value is None:
            items.pop(item, None)
        else:
            items[item] = value
    info = ws.find_case(cid)
    fw = ws.framework(info.framework_hash)  # the case's own edition
    forced = case_rules(fw, info.facts, items).forced
    for kq_id, (value, reason) in sorted(forced.items()):
        if items.get(kq_id) != value:
            raise ConflictError(_(
                "case {ref}: with these choices {item} must be {value!r} ({reason}); choose "
                "the same version for both").format(ref=ref, item=kq_id, value=value,
                                                    reason=reason))
    if status == "complete":
        done = completeness(fw, info.facts, items)
        if done.blocked or done.missing:
            raise ConflictError(_(
                "case {ref}: with these choices the form is not complete ({n} items missing), "
                "so it cannot stay marked complete; choose the status held here, or the other "
                "version's answers").format(ref=ref, n=len(done.missing)))
    revision = max(conflict.held_revision, conflict.received_revision) + 1
    at = now()
    with ws.transaction():
        still = connection(ws).execute(
                "SELECT resolved_at, received_hash FROM conflicts WHERE id = ?",
                                (conflict.id,)).fetchone()
        if still[0] is not None:
            raise ConflictError(_("case {ref} is not in conflict").format(ref=ref))
        if still[1] != digest:  # a newer version from the sender arrived meanwhile
            raise ConflictError(_(
                "case {ref}: a newer version arrived while you chose; open the conflict again"
            ).format(ref=ref))
        connection(ws).execute("DELETE FROM items WHERE case_id = ?", (cid,))
        connection(ws).executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)",
                                   [(cid, k, v) for k, v in items.items()])
        connection(ws).execute("UPDATE assessments SET status = ?, revision = ?, updated_at = ?,"
                               " updated_by = ? WHERE case_id = ?",
                               (status, revision, at, ws.owner_name, cid))
        _merge_received(ws, cid, sender, received, conflict.received_revision, digest, bundle,
                        at)
        connection(ws).execute(
            "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?,"
            " resolved_revision = ? WHERE id = ?",
            (at, ws.owner_name, _dumps(chosen), revision, conflict.id))
        ws.record(cid, "resolve", "case",
                  _dumps([conflict.held_revision, conflict.received_revision]),
                  _dumps(chosen), revision)
    return revision


def _merge_received(ws: Workspace, cid: str, sender: bytes, received: Mapping[str, Any],
                    revision: int, digest: str, bundle: str, at: str) -> None:
    """What the received version brings besides its answers.

    Its alerts (merged by id), its history (so the sender's next chain must continue it) and
    where the case last came from.
    """
    from hmip_desktop.exchange.assessments import (  # noqa: PLC0415
        ALERT_FIELDS,
        AUDIT_FIELDS,
        incoming_alert,
    )

    connection(ws).executemany(
        f"INSERT INTO alerts ({', '.join(ALERT_FIELDS)}) VALUES "
        f"({', '.join('?' * len(ALERT_FIELDS))}) ON CONFLICT (id) DO NOTHING",
        [incoming_alert(a) for a in received["alerts"]])
    connection(ws).executemany(
        "INSERT OR IGNORE INTO received_audit (case_id, origin_key_id, seq, at, actor, action,"
        " item, old, new, revision, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(cid, sender, *(e[k] for k in AUDIT_FIELDS)) for e in received["audit"]])
    connection(ws).execute(
        "INSERT INTO case_sources (case_id, sender_key_id, revision, content_hash, bundle_hash,"
        " sequence, applied_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
        " sender_key_id=excluded.sender_key_id, revision=excluded.revision,"
        " content_hash=excluded.content_hash, bundle_hash=excluded.bundle_hash,"
        " sequence=excluded.sequence, applied_at=excluded.applied_at",
        (cid, sender, revision, digest, bundle, received["sequence"], at))


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
