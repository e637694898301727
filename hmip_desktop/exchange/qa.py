"""QA bundles (QA partner → assessor and lead), and the queries an assessment bundle carries.

What travels is ``queries.json``: every query on the cases concerned (with its close, if any),
every reply to them, and in a QA bundle every sign-off. The receiver checks every field first,
then merges in one transaction by id: a query or reply not held is inserted, one held must be
identical, a close is applied once (the first close wins), and a sign-off replaces one only for
a higher revision. Nothing here touches a case's items, status or revision, so queries are
never lost when an assessor's newer bundle replaces the case, and a QA partner's copy never
looks newer than the assessor's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_QA, Header
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import escrow
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
from hmip_desktop.exchange.files import EXTENSIONS
from hmip_desktop.exchange.incoming_text import check_qa_records
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.qa.queries import (
    QUERY_FIELDS,
    REPLY_FIELDS,
    QueryError,
    clean_text,
    require_qa,
    valid_item,
)
from hmip_desktop.store.reads import case_editions, lead_key_id
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

ENTRY = "queries.json"
SIGNOFF_FIELDS = ("case_id", "revision", "signed_by", "signed_at")
MAX_QUERIES = 20_000
MAX_REPLIES = 100_000
MAX_NAME = 200
_HEX_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Records:
    """The checked contents of a ``queries.json`` entry."""

    queries: list[dict[str, Any]]
    replies: list[dict[str, Any]]
    signoffs: list[dict[str, Any]]


# -- what travels -----------------------------------------------------------------------------


def records_for(ws: Workspace, case_ids: list[str], *, signoffs: bool) -> dict[str, Any]:
    """The ``queries.json`` value for these cases: queries, replies (and sign-offs)."""
    wanted = set(case_ids)
    conn = connection(ws)
    queries = [dict(zip(QUERY_FIELDS, r, strict=True)) for r in conn.execute(
        f"SELECT {', '.join(QUERY_FIELDS)} FROM queries ORDER BY raised_at, rowid")
        if r[1] in wanted]
    ids = {q["id"] for q in queries}
    replies = [dict(zip(REPLY_FIELDS, r, strict=True)) for r in conn.execute(
        f"SELECT {', '.join(REPLY_FIELDS)} FROM query_replies ORDER BY at, rowid") if r[1] in ids]
    out: dict[str, Any] = {"queries": queries, "replies": replies}
    if signoffs:
        out["signoffs"] = [dict(zip(SIGNOFF_FIELDS, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(SIGNOFF_FIELDS)} FROM signoffs ORDER BY case_id")
            if r[0] in wanted]
    return out


def export_qa(ws: Workspace, inspection_id: str, assessor_id: str, out: Path) -> Path:
    """Write the QA bundle for one assessor I support, addressed to them and to the lead."""
    require_qa(ws, _("export a QA bundle"))
    me = my_member(ws, inspection_id)
    assessor = next((m for m in ws.members(inspection_id) if m["id"] == assessor_id), None)
    if assessor is None:
        raise UserError(_("no member {id!r} in this inspection").format(id=assessor_id))
    if assessor["qa_partner_id"] != me["id"]:
        raise UserError(_("you are not {name}'s QA partner in this inspection").format(
            name=assessor["name"]))
    if assessor["key_id"] is None:
        raise UserError(_("{name} is not enrolled (no member card)").format(
            name=assessor["name"]))
    lead = lead_key_id(ws, inspection_id)
    if lead is None:
        raise UserError(_("this inspection has no lead key: import the lead's pack first"))
    cases = connection(ws).execute(
        "SELECT c.id, c.case_ref FROM cases c JOIN assignments a ON a.case_id = c.id"
        " WHERE c.inspection_id = ? AND a.member_id = ? ORDER BY c.case_ref",
        (inspection_id, assessor_id)).fetchall()
    records = records_for(ws, [cid for cid, _ref in cases], signoffs=True)
    if not records["queries"] and not records["signoffs"]:
        raise UserError(_("there is nothing to send to {name} yet: no query or sign-off on "
                          "their cases").format(name=assessor["name"]))
    counts = {k: len(v) for k, v in records.items()}
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "qa", inspection_id, 0, for_member=assessor_id,
                                   counts=counts)),
        (ENTRY, records),
    ]
    held_by_lead = escrow.entry_for(ws, inspection_id)  # the recovery key, the first time
    if held_by_lead is not None:
        entries.append(held_by_lead)
    path = seal_for(ws, KIND_QA, "qa", inspection_id, [bytes(assessor["key_id"]),
                                                       lead], entries, out,
                    _("QA for {name}: {counts}").format(name=assessor["name"],
                                                         counts=_count_words(counts)))
    if held_by_lead is not None:
        escrow.mark_sent(ws, inspection_id)
    return path


def export_qa_all(ws: Workspace, inspection_id: str, folder: Path) -> list[Path]:
    """One QA bundle per assessor I support who has a query or sign-off to send."""
    require_qa(ws, _("export a QA bundle"))
    me = my_member(ws, inspection_id)
    if not folder.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=folder))
    paths: list[Path] = []
    for m in ws.members(inspection_id):
        if m["qa_partner_id"] != me["id"] or m["key_id"] is None:
            continue
        name = re.sub(r"[^A-Za-z0-9]+", "-", m["name"]).strip("-").lower() or m["id"]
        if any(p.name == f"qa-{name}{EXTENSIONS['qa']}" for p in paths):
            name = f"{name}-{m['id'][:8]}"  # two people of the same name
        try:
            paths.append(export_qa(ws, inspection_id, m["id"],
                                   folder / f"qa-{name}{EXTENSIONS['qa']}"))
        except UserError as e:
            if "nothing to send" not in str(e):
                raise
    if not paths:
        raise UserError(_("there is nothing to send yet: no query or sign-off on the cases of "
                          "anyone you support"))
    return paths


# -- reading ----------------------------------------------------------------------------------


def parse_records(value: Any, frameworks: Mapping[str, Framework], cases: dict[str, str], *,
                  signoffs: bool) -> Records:
    """Check every field of a ``queries.json`` value; ``cases``: the allowed case id → ref.

    ``frameworks``: each allowed case's edition, whose items its queries may name.
    """
    keys = {"queries", "replies", *(("signoffs",) if signoffs else ())}
    if not isinstance(value, dict) or set(value) != keys or not all(
            isinstance(value[k], list) for k in keys):
        raise PayloadError(_("the bundle's queries are not valid"))
    check_qa_records(value, cases)
    queries, replies = value["queries"], value["replies"]
    if len(queries) > MAX_QUERIES or len(replies) > MAX_REPLIES:
        raise PayloadError(_("the bundle holds more queries than allowed"))
    for q in queries:
        if not isinstance(q, dict) or set(q) != set(QUERY_FIELDS) or not _hex(q["id"]) \
                or not _member_of(q["case_id"], cases) or not isinstance(q["item"], str) \
                or not valid_item(frameworks[q["case_id"]], q["item"]) \
                or not _text(q["text"]) \
                or not _name(q["raised_by"]) or not _time(q["raised_at"]) \
                or not ((q["closed_by"] is None and q["closed_at"] is None)
                        or (_name(q["closed_by"]) and _time(q["closed_at"]))):
            raise PayloadError(_("a query in the bundle is not valid"))
    query_ids = [q["id"] for q in queries]
    if len(set(query_ids)) != len(query_ids):
        raise PayloadError(_("the bundle lists a query twice"))
    known = set(query_ids)
    for r in replies:
        if not isinstance(r, dict) or set(r) != set(REPLY_FIELDS) or not _hex(r["id"]) \
                or not _member_of(r["query_id"], known) or not _name(r["author"]) \
                or not _time(r["at"]) or not _text(r["text"]):
            raise PayloadError(_("a reply in the bundle is not valid"))
    if len({r["id"] for r in replies}) != len(replies):
        raise PayloadError(_("the bundle lists a reply twice"))
    out = value.get("signoffs", [])
    for s in out:
        if not isinstance(s, dict) or set(s) != set(SIGNOFF_FIELDS) \
                or not _member_of(s["case_id"], cases) or not _whole(s["revision"]) \
                or not _name(s["signed_by"]) or not _time(s["signed_at"]):
            raise PayloadError(_("a sign-off in the bundle is not valid"))
    if len({s["case_id"] for s in out}) != len(out):
        raise PayloadError(_("the bundle lists a case's sign-off twice"))
    return Records(queries, replies, out)


def merge(ws: Workspace, records: Records, cases: dict[str, str],
          report: ImportReport, *, closes: bool = True) -> None:
    """Apply checked records by id, counting what changed; call inside ``ws.transaction()``.

    A query or reply held here with other content is refused (PayloadError), which rolls
    back the whole import. With ``closes=False`` (an assessment bundle: its sender is the
    assessor, who neither raises nor closes queries) the queries are only relayed: none is
    inserted or closed, since a query counts only from the QA partner's own signed QA bundle,
    and a reply is applied only to a query held here (one to a query not yet held waits: every
    assessment bundle carries every reply on its cases again).
    """
    held_ids: set[str] = set()
    for given in records.queries:
        q = given if closes else {**given, "closed_by": None, "closed_at": None}
        held = connection(ws).execute(f"SELECT {', '.join(QUERY_FIELDS)} FROM queries WHERE id = ?",
                                      (q["id"],)).fetchone()
        if held is None and not closes:
            continue  # raised by the QA partner: it counts when their own bundle brings it
        held_ids.add(q["id"])
        if held is None:
            connection(ws).execute(
                f"INSERT INTO queries ({', '.join(QUERY_FIELDS)}) VALUES"
                f" ({', '.join('?' * len(QUERY_FIELDS))})", tuple(q[k] for k in QUERY_FIELDS))
            ws.record(q["case_id"], "import_query", f"query:{q['id']}", None, json.dumps(
                [q["item"], q["text"], q["raised_by"]], ensure_ascii=False))
            report.queries += 1
            if q["closed_at"] is not None:
                ws.record(q["case_id"], "import_close", f"query:{q['id']}", None,
                          q["closed_by"])
                report.closings += 1
            continue
        if tuple(held[:6]) != tuple(q[k] for k in QUERY_FIELDS[:6]):
            raise PayloadError(_("query {id} on {ref} differs from the one held here").format(
                id=q["id"], ref=cases[q["case_id"]]))
        if held[7] is None and q["closed_at"] is not None:
            connection(ws).execute("UPDATE queries SET closed_by = ?, closed_at = ? WHERE id = ?",
                                   (q["closed_by"], q["closed_at"], q["id"]))
            ws.record(q["case_id"], "import_close", f"query:{q['id']}", None, q["closed_by"])
            report.closings += 1
    case_of = {q["id"]: q["case_id"] for q in records.queries}
    for r in records.replies:
        if r["query_id"] not in held_ids:
            continue
        held = connection(ws).execute(f"SELECT {', '.join(REPLY_FIELDS)} FROM query_replies"
                                      " WHERE id = ?", (r["id"],)).fetchone()
        if held is None:
            connection(ws).execute(
                f"INSERT INTO query_replies ({', '.join(REPLY_FIELDS)}) VALUES"
                f" ({', '.join('?' * len(REPLY_FIELDS))})", tuple(r[k] for k in REPLY_FIELDS))
            ws.record(case_of[r["query_id"]], "import_reply", f"query:{r['query_id']}", None,
                      json.dumps([r["author"], r["text"]], ensure_ascii=False))
            report.replies += 1
        elif tuple(held) != tuple(r[k] for k in REPLY_FIELDS):
            raise PayloadError(_("a reply on {ref} differs from the one held here").format(
                ref=cases[case_of[r["query_id"]]]))
    for s in records.signoffs:
        held = connection(ws).execute("SELECT revision FROM signoffs WHERE case_id = ?",
                                      (s["case_id"],)).fetchone()
        if held is not None and held[0] >= s["revision"]:
            continue
        connection(ws).execute(
            "INSERT INTO signoffs (case_id, revision, signed_by, signed_at) VALUES (?,?,?,?)"
            " ON CONFLICT (case_id) DO UPDATE SET revision = excluded.revision,"
            " signed_by = excluded.signed_by, signed_at = excluded.signed_at",
            tuple(s[k] for k in SIGNOFF_FIELDS))
        ws.record(s["case_id"], "import_signoff", "case",
                  None if held is None else str(held[0]),
                  json.dumps([s["revision"], s["signed_by"]], ensure_ascii=False))
        report.signoffs += 1


def import_qa(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Import a QA bundle at the assessor it is for, or at the lead."""
    plaintext = open_from_member(ws, data, header, KIND_QA)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None or sender["role"] != "qa":
        raise PayloadError(_("refused: a QA bundle must come from a QA partner"))
    if seen_before(ws, data):
        return ImportReport("qa", header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    m, by_name = read_payload(plaintext, header, "qa",
                              lambda _m: [Entry(ENTRY), Entry(escrow.ENTRY, optional=True)])
    members = {x["id"]: x for x in ws.members(header.inspection_id)}
    assessor = members.get(m.get("for_member")) if isinstance(m.get("for_member"), str) \
        else None
    if assessor is None:
        raise PayloadError(_("the QA bundle is for someone this inspection does not have"))
    if assessor["qa_partner_id"] != sender["id"]:
        raise PayloadError(_("refused: {qa} is not {name}'s QA partner").format(
            qa=sender["name"], name=assessor["name"]))
    # One stream of QA bundles per assessor: the lead gets each assessor's, in any order.
    check_sequence(ws, header, sender["name"], "qa", subject=assessor["id"])
    at_lead = lead_key_id(ws, header.inspection_id) == ws.identity.public.key_id
    if not at_lead and my_member(ws, header.inspection_id)["id"] != assessor["id"]:
        raise PayloadError(_("the QA bundle is for {name}, not for you").format(
            name=assessor["name"]))
    cases = {str(cid): str(ref) for cid, ref in connection(ws).execute(
        "SELECT c.id, c.case_ref FROM cases c JOIN assignments a ON a.case_id = c.id"
        " WHERE c.inspection_id = ? AND a.member_id = ?",
        (header.inspection_id, assessor["id"]))}
    editions = case_editions(ws, header.inspection_id)  # each case read on its own edition
    records = parse_records(by_name[ENTRY], {cid: ws.framework(editions[cid]) for cid in cases},
                            cases, signoffs=True)
    counts = m.get("counts")
    if counts != {"queries": len(records.queries), "replies": len(records.replies),
                  "signoffs": len(records.signoffs)}:
        raise PayloadError(_("the QA bundle's contents do not match its manifest"))
    report = ImportReport("qa", header.inspection_id, sender["name"], header.sequence)
    with ws.transaction():
        merge(ws, records, cases, report)
        if escrow.ENTRY in by_name and escrow.receive(
                ws, header.inspection_id, header.sender_key_id, by_name[escrow.ENTRY]):
            report.notes.append(_("{name}'s recovery key is now held here").format(
                name=sender["name"]))
            ws.record(None, "recovery_escrow_received", f"member:{sender['name']}", None, None)
        log(ws, "in", "qa", data, header.sender_key_id, header.inspection_id, header.sequence,
            report.qa_summary(), subject=assessor["id"])
    return report


def _count_words(counts: dict[str, int]) -> str:
    r = ImportReport("qa", "", "", 0, queries=counts.get("queries", 0),
                     replies=counts.get("replies", 0), signoffs=counts.get("signoffs", 0))
    return r.qa_summary(verb="")


def _member_of(value: Any, allowed: Collection[str]) -> bool:
    """A string that is one of ``allowed`` (a list or object from the bundle is neither)."""
    return isinstance(value, str) and value in allowed


def _hex(value: Any) -> bool:
    return isinstance(value, str) and bool(_HEX_ID.fullmatch(value))


def _name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME and value.strip() == value \
        and value.isprintable()


def _text(value: Any) -> bool:
    try:
        return isinstance(value, str) and clean_text(value, "text") == value
    except QueryError:
        return False


def _time(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 2**53


__all__ = ["ENTRY", "Records", "export_qa", "export_qa_all", "import_qa", "merge",
           "parse_records", "records_for"]
