"""Lunchtime QA queries: the QA partner asks about an item, the assessor replies, QA closes.

A query is about one item of a case (an item key of the case's framework, ``alert:<id>`` for
one of its alerts, or ``case`` for the case as a whole). The QA partner raises and closes
queries; the assessor and the QA partner reply while it is open. Queries and replies carry
global ids because they travel in bundles (``exchange/qa.py``), where they merge by id: a new
one is inserted, a known one must be identical, and a close is applied once (the first close
wins).

None of this changes the case's revision. The revision belongs to the assessor's answers:
raising a revision in the QA partner's workspace would make their copy look newer than the
assessor's next bundle, which would then be refused as stale. Every write is one transaction
with its audit row (``revision`` NULL), so the history still shows each step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.items import CASE, MAX_TEXT, is_known
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.records import CaseInfo
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace, new_id, now
from hmip_desktop.text_rules import check_text

WHOLE_CASE = "case"
ALERT = "alert:"
QA_ROLE = "qa"
QUERY_FIELDS = ("id", "case_id", "item", "text", "raised_by", "raised_at", "closed_by",
                "closed_at")
REPLY_FIELDS = ("id", "query_id", "author", "at", "text")
_HEX_ID = re.compile(r"[0-9a-f]{32}")


class QueryError(UserError):
    """A query, reply or close that cannot be made; nothing was written."""


@dataclass(frozen=True)
class Reply:
    id: str
    query_id: str
    author: str
    at: str
    text: str


@dataclass(frozen=True)
class Query:
    id: str
    case_id: str
    item: str
    text: str
    raised_by: str
    raised_at: str
    closed_by: str | None
    closed_at: str | None
    replies: tuple[Reply, ...]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# -- checks shared with the bundles ---------------------------------------------------------


def valid_item(fw: Framework, item: str) -> bool:
    """An item a query may point at (the case's alerts are checked by the caller)."""
    if item == WHOLE_CASE:
        return True
    if item.startswith(ALERT):
        return bool(_HEX_ID.fullmatch(item[len(ALERT):]))
    if item.startswith(CASE):
        field = fw.fields_by_id.get(item[len(CASE):])
        return field is not None and field.kind == "question"
    return is_known(fw, item)


def clean_text(text: str, what: str) -> str:
    """The text to store (trailing space removed), or QueryError naming what is wrong."""
    if not isinstance(text, str):
        raise QueryError(_("{what} must be text").format(what=what))
    text = text.rstrip()
    if not text.strip():
        raise QueryError(_("{what} is empty: write what you want to say").format(what=what))
    if "\x00" in text:
        raise QueryError(_("{what} contains a NUL character").format(what=what))
    if not _encodable(text):
        raise QueryError(_("{what} is not valid text (it holds bytes that are not UTF-8)")
                         .format(what=what))
    if len(text) > MAX_TEXT:
        raise QueryError(_("{what} is longer than {n:,} characters").format(
            what=what, n=MAX_TEXT))
    return check_text(text, what, multiline=True, error=QueryError)


def _encodable(text: str) -> bool:
    """False for a lone surrogate (invalid bytes in a command-line argument decode to one)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def require_qa(ws: Workspace, what: str, error: type[QueryError] = QueryError) -> None:
    if ws.owner_role != QA_ROLE:
        raise error(_("only a QA partner's workspace can {what}").format(what=what))


def refuse_own_case(ws: Workspace, case: CaseInfo, what: str,
                    error: type[QueryError] = QueryError) -> None:
    """The QA partner also assesses cases of their own; those are not theirs to check."""
    row = connection(ws).execute(
        "SELECT m.key_id FROM assignments a JOIN members m ON m.id = a.member_id"
        " WHERE a.case_id = ?", (case.id,)).fetchone()
    if row is not None and row[0] is not None and bytes(row[0]) == ws.identity.public.key_id:
        raise error(_("case {ref} is your own: you cannot {what} it").format(
            ref=case.case_ref, what=what))


# -- writing --------------------------------------------------------------------------------


def raise_query(ws: Workspace, case_id: str, item: str, text: str) -> Query:
    """Raise a query on one item of a case (``case`` for the case as a whole)."""
    require_qa(ws, _("raise a query"))
    case = ws.find_case(case_id)
    refuse_own_case(ws, case, _("query"))
    fw = ws.framework(case.framework_hash)
    if not isinstance(item, str) or not valid_item(fw, item):
        raise QueryError(_("{item!r} is not an item of framework {fw} (or 'case' for the "
                           "whole case)").format(item=str(item)[:60], fw=fw.id))
    if item.startswith(ALERT) and connection(ws).execute(
            "SELECT 1 FROM alerts WHERE id = ? AND case_id = ?",
            (item[len(ALERT):], case.id)).fetchone() is None:
        raise QueryError(_("case {ref} has no alert {id}").format(
            ref=case.case_ref, id=item[len(ALERT):]))
    text = clean_text(text, _("the query"))
    q = Query(new_id(), case.id, item, text, ws.owner_name, now(), None, None, ())
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO queries (id, case_id, item, text, raised_by, raised_at)"
            " VALUES (?,?,?,?,?,?)", (q.id, q.case_id, q.item, q.text, q.raised_by,
                                      q.raised_at))
        ws.record(case.id, "query", f"query:{q.id}", None, json.dumps([item, text],
                                                                       ensure_ascii=False))
    return q


def reply_to_query(ws: Workspace, query_id: str, text: str) -> Reply:
    """Add a reply to an open query (the assessor's answer, or the QA partner's follow-up).

    Not in the lead's workspace: no bundle carries queries from the lead, so a reply made
    there would never reach anyone.
    """
    if ws.owner_role == "lead":
        raise QueryError(_("replies are written by the assessor or the QA partner: the lead's "
                           "workspace sends no queries"))
    text = clean_text(text, _("the reply"))
    with ws.transaction():
        q = _query_row(ws, query_id)
        if q["closed_at"] is not None:
            raise QueryError(_("query {id} is closed: raise a new one if more is needed")
                             .format(id=query_id))
        r = Reply(new_id(), q["id"], ws.owner_name, now(), text)
        connection(ws).execute(
            "INSERT INTO query_replies (id, query_id, author, at, text) VALUES (?,?,?,?,?)",
            (r.id, r.query_id, r.author, r.at, r.text))
        ws.record(q["case_id"], "reply", f"query:{q['id']}", None, text)
    return r


def close_query(ws: Workspace, query_id: str) -> Query:
    """Close a query (the QA partner, once the reply or the changed answer settles it)."""
    require_qa(ws, _("close a query"))
    with ws.transaction():
        q = _query_row(ws, query_id)
        refuse_own_case(ws, ws.find_case(q["case_id"]), _("close a query on"))
        if q["closed_at"] is not None:
            raise QueryError(_("query {id} is already closed").format(id=query_id))
        connection(ws).execute("UPDATE queries SET closed_by = ?, closed_at = ? WHERE id = ?",
                               (ws.owner_name, now(), q["id"]))
        ws.record(q["case_id"], "close_query", f"query:{q['id']}", None, ws.owner_name)
    return get_query(ws, q["id"])


def _query_row(ws: Workspace, query_id: str) -> dict[str, Any]:
    rows = list(dict_rows(ws, "SELECT * FROM queries WHERE id = ?", [str(query_id)]))
    if not rows:
        raise QueryError(_("no query {id!r} in this workspace").format(id=str(query_id)[:40]))
    return rows[0]


# -- reading --------------------------------------------------------------------------------


def get_query(ws: Workspace, query_id: str) -> Query:
    row = _query_row(ws, query_id)
    return _build([row], _replies(ws, [row["id"]]))[0]


def list_queries(ws: Workspace, case_id: str | None = None, *,
                 inspection_id: str | None = None, open_only: bool = False) -> list[Query]:
    """Queries with their replies, oldest first (of one case, or one inspection's cases)."""
    clauses, params = [], []
    if case_id is not None:
        clauses.append("q.case_id = ?")
        params.append(ws.find_case(case_id).id)
    if inspection_id is not None:
        clauses.append("c.inspection_id = ?")
        params.append(inspection_id)
    if open_only:
        clauses.append("q.closed_at IS NULL")
    rows = list(dict_rows(ws,
        "SELECT q.* FROM queries q JOIN cases c ON c.id = q.case_id"
        f" WHERE {' AND '.join(clauses) or '1'} ORDER BY q.raised_at, q.rowid", params))
    return _build(rows, _replies(ws, [r["id"] for r in rows]))


def open_query_counts(ws: Workspace, inspection_id: str | None = None) -> dict[str, int]:
    """Case id → number of open queries (cases with none are left out)."""
    sql = "SELECT q.case_id, count(*) FROM queries q"
    params: tuple[Any, ...] = ()
    if inspection_id is not None:
        sql += " JOIN cases c ON c.id = q.case_id WHERE c.inspection_id = ? AND"
        params = (inspection_id,)
    else:
        sql += " WHERE"
    sql += " q.closed_at IS NULL GROUP BY q.case_id"
    return {str(cid): int(n) for cid, n in connection(ws).execute(sql, params)}


def _replies(ws: Workspace, query_ids: Iterable[str]) -> dict[str, list[Reply]]:
    wanted = sorted(set(query_ids))
    found: list[tuple[str, int, Reply]] = []
    for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[i:i + 500]
        for row in connection(ws).execute(
                f"SELECT rowid, {', '.join(REPLY_FIELDS)} FROM query_replies"
                f" WHERE query_id IN ({','.join('?' * len(chunk))})", chunk):
            reply = Reply(**dict(zip(REPLY_FIELDS, row[1:], strict=True)))
            found.append((reply.at, int(row[0]), reply))
    out: dict[str, list[Reply]] = {}
    # In the order written, also when two replies share a millisecond (rowid breaks the tie).
    for _at, _n, r in sorted(found, key=lambda x: (x[0], x[1])):
        out.setdefault(r.query_id, []).append(r)
    return out


def _build(rows: Iterable[Mapping[str, Any]], replies: Mapping[str, list[Reply]]) -> list[Query]:
    return [Query(**{k: r[k] for k in QUERY_FIELDS}, replies=tuple(replies.get(r["id"], ())))
            for r in rows]
