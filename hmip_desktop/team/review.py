"""The partner inspector's review: cases given by the lead, read-only copies, comments back.

In a joint inspection the cases inspected in the first fieldwork week "are then reviewed by
the relevant partner inspectors at the start of the second fieldwork week" (youth offending
services manual §6.1). A partner inspector reads the cases they are given and may comment on a
case or on one of its key questions; they never answer, so nothing here writes an answer, a
count or a rating.

- At the lead: ``give_for_review`` records which cases a partner inspector reviews (only a
  member holding the partner role); ``given_cases`` reads them back for the review bundle;
  ``take_comments`` keeps the comments a partner sent, refused whole if any is not theirs to
  make; ``comments_on`` shows them beside the case, with who and when.
- At the partner inspector: ``keep_copies`` holds the cases as the lead sent them, read-only;
  ``add_comment`` writes a comment on a case given (durable, audited); ``my_comments`` are sent
  back to the lead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import case_editions, case_items
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace, new_id, now
from hmip_desktop.team.roles import member_roles
from hmip_desktop.text_rules import check_text

COMMENT_FIELDS = ("id", "case_id", "case_ref", "kq_id", "text", "author_member_id",
                  "author_name", "written_at")


@dataclass(frozen=True)
class ReviewCase:
    """A case as the partner inspector reads it: its answers as the lead held them."""

    case_id: str
    case_ref: str
    items: dict[str, str]
    sent_at: str
    framework_hash: str | None = None
    """The edition the case is on (None: the inspection's); its key questions are read by it."""


@dataclass(frozen=True)
class Comment:
    """A partner inspector's comment: on the whole case (``kq_id`` None) or one key question."""

    id: str
    case_id: str
    case_ref: str
    kq_id: str | None
    text: str
    author_name: str
    written_at: str


def _partner(ws: Workspace, iid: str, member_id: str) -> str:
    if "partner" not in member_roles(ws, iid, member_id):
        raise UserError(_("refused: only a partner inspector can be given cases to review; "
                          "grant the role first"))
    return next(str(m["name"]) for m in ws.members(iid) if m["id"] == member_id)


def give_for_review(ws: Workspace, iid: str, member_id: str, case_ids: Iterable[str]) -> int:
    """Give a partner inspector cases to review (audited); return how many were new to them."""
    name = _partner(ws, iid, member_id)
    wanted = list(dict.fromkeys(case_ids))
    refs = dict(connection(ws).execute(
        "SELECT id, case_ref FROM cases WHERE inspection_id = ?", (iid,)).fetchall())
    unknown = [c for c in wanted if c not in refs]
    if unknown or not wanted:
        raise UserError(_("refused: choose one or more cases of this inspection to give"))
    added = 0
    with ws.transaction():
        for cid in wanted:
            cur = connection(ws).execute(
                "INSERT INTO review_given (case_id, member_id, given_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING", (cid, member_id, now()))
            if cur.rowcount:
                added += 1
                ws.record(None, "give_for_review", f"case:{cid}", None, name)
    return added


def take_back_review(ws: Workspace, iid: str, member_id: str, case_id: str) -> None:
    """Stop a partner inspector reviewing a case (audited); their comments so far are kept."""
    _partner(ws, iid, member_id)
    with ws.transaction():
        gone = connection(ws).execute(
            "DELETE FROM review_given WHERE case_id = ? AND member_id = ?", (case_id, member_id))
        if gone.rowcount:
            ws.record(None, "take_back_review", f"case:{case_id}", member_id, None)


def reviewers_of(ws: Workspace, case_id: str) -> list[str]:
    """Member ids of the partner inspectors given the case."""
    return [str(r[0]) for r in connection(ws).execute(
        "SELECT member_id FROM review_given WHERE case_id = ? ORDER BY member_id", (case_id,))]


def given_cases(ws: Workspace, iid: str, member_id: str) -> list[ReviewCase]:
    """The cases given to a partner inspector, with the answers this workspace holds now."""
    rows = connection(ws).execute(
        "SELECT c.id, c.case_ref FROM review_given g JOIN cases c ON c.id = g.case_id"
        " WHERE g.member_id = ? AND c.inspection_id = ? ORDER BY c.case_ref",
        (member_id, iid)).fetchall()
    items = case_items(ws, iid)
    editions = case_editions(ws, iid)
    at = now()
    return [ReviewCase(str(cid), str(ref), dict(items.get(cid, {})), at, editions[cid])
            for cid, ref in rows]


def keep_copies(ws: Workspace, iid: str, cases: list[ReviewCase]) -> None:
    """Hold the cases the lead sent for review, replacing older copies; call in a transaction.

    Each on the edition it came on (held here: ``exchange.review_bundles`` checks).
    """
    own = ws.inspection_framework(iid).hash
    for case in cases:
        connection(ws).execute(
            "INSERT INTO review_cases (case_id, inspection_id, case_ref, items, sent_at,"
            " received_at, framework_hash) VALUES (?,?,?,?,?,?,?) ON CONFLICT (case_id) DO"
            " UPDATE SET case_ref = excluded.case_ref, items = excluded.items,"
            " sent_at = excluded.sent_at, received_at = excluded.received_at,"
            " framework_hash = excluded.framework_hash",
            (case.case_id, iid, case.case_ref, json.dumps(case.items, sort_keys=True),
             case.sent_at, now(), None if case.framework_hash in (None, own)
             else case.framework_hash))
        ws.record(None, "receive_review_case", f"case:{case.case_id}", None, case.case_ref)


def review_copies(ws: Workspace, iid: str) -> list[ReviewCase]:
    """The cases this partner inspector holds to review, by reference (read-only)."""
    own = ws.inspection_framework(iid).hash
    return [ReviewCase(str(r["case_id"]), str(r["case_ref"]), json.loads(r["items"]),
                       str(r["sent_at"]), r["framework_hash"] or own)
            for r in dict_rows(ws, "SELECT case_id, case_ref, items, sent_at, framework_hash"
                               " FROM review_cases WHERE inspection_id = ? ORDER BY case_ref",
                               [iid])]


def inspections_to_review(ws: Workspace) -> list[str]:
    """The inspections for which this workspace holds cases to review."""
    return [str(r[0]) for r in connection(ws).execute(
        "SELECT DISTINCT inspection_id FROM review_cases ORDER BY inspection_id")]


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError(_("refused: a comment needs some words"))
    if len(text) > MAX_TEXT:
        raise UserError(_("refused: a comment is at most {n} characters").format(n=MAX_TEXT))
    return check_text(text, _("refused: the comment"), multiline=True)


def add_comment(ws: Workspace, iid: str, case_id: str, text: str,
                kq_id: str | None = None) -> Comment:
    """Comment on a case given to this partner inspector (durable and audited).

    Refused unless the case's review copy is held here: a comment comes only from someone
    the lead gave the case to. ``kq_id`` must be one of the framework's case key questions.
    """
    row = connection(ws).execute(
        "SELECT case_ref, framework_hash FROM review_cases WHERE case_id = ?"
        " AND inspection_id = ?", (case_id, iid)).fetchone()
    if row is None:
        raise UserError(_("refused: you have not been given this case to review"))
    edition = row[1] or ws.inspection_framework(iid).hash
    if kq_id is not None and kq_id not in key_question_ids(ws, edition):
        raise UserError(_("refused: no such key question in this inspection's framework"))
    me = next(m for m in ws.members(iid) if m.get("key_id") == ws.identity.public.key_id)
    comment = Comment(new_id(), case_id, str(row[0]), kq_id, _checked_text(text),
                      str(me["name"]), now())
    with ws.transaction():
        _insert(ws, iid, comment, str(me["id"]), None)
        ws.record(None, "review_comment", f"case:{case_id}", None, comment.text)
    return comment


def key_question_ids(ws: Workspace, edition: str) -> set[str]:
    """The case key questions of an edition: a comment names one of its case's edition."""
    return {kq.id for kq in ws.framework(edition).case_key_questions()}


def _insert(ws: Workspace, iid: str, c: Comment, author_id: str, received: str | None) -> int:
    cur = connection(ws).execute(
        "INSERT INTO review_comments (id, inspection_id, case_id, case_ref, kq_id, text,"
        " author_member_id, author_name, written_at, received_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (id) DO NOTHING",
        (c.id, iid, c.case_id, c.case_ref, c.kq_id, c.text, author_id, c.author_name,
         c.written_at, received))
    return int(cur.rowcount)


def my_comments(ws: Workspace, iid: str) -> list[dict[str, Any]]:
    """Every comment written in this workspace, as the comments bundle carries them."""
    return dict_rows(ws, f"SELECT {', '.join(COMMENT_FIELDS)} FROM review_comments"
                     " WHERE inspection_id = ? AND received_at IS NULL"
                     " ORDER BY written_at, id", [iid])


def take_comments(ws: Workspace, iid: str, sender_id: str,
                  comments: list[dict[str, Any]]) -> int:
    """Keep a partner inspector's comments at the lead; return how many were new.

    Refused whole, nothing written, if the sender is not a partner inspector or any comment
    is on a case not given to them or names someone else; call inside a transaction.
    """
    if "partner" not in member_roles(ws, iid, sender_id):
        raise UserError(_("refused: the comments are not from a partner inspector of this "
                          "inspection"))
    given = {str(r[0]) for r in connection(ws).execute(
        "SELECT case_id FROM review_given WHERE member_id = ?", (sender_id,))}
    editions = case_editions(ws, iid)
    for c in comments:
        if c["case_id"] not in given or c["author_member_id"] != sender_id:
            raise UserError(_("refused: a comment is on case {ref}, which was not given to "
                              "this partner inspector").format(ref=c["case_ref"]))
        if c["kq_id"] is not None and c["kq_id"] not in key_question_ids(
                ws, editions[c["case_id"]]):
            raise UserError(_("refused: a comment names a key question this inspection's "
                              "framework does not have"))
    new = 0
    at = now()
    for c in comments:
        comment = Comment(c["id"], c["case_id"], c["case_ref"], c["kq_id"], c["text"],
                          c["author_name"], c["written_at"])
        if _insert(ws, iid, comment, sender_id, at):
            new += 1
            ws.record(None, "receive_review_comment", f"case:{comment.case_id}", None,
                      comment.text)
    return new


def _comment(r: dict[str, Any]) -> Comment:
    return Comment(str(r["id"]), str(r["case_id"]), str(r["case_ref"]), r["kq_id"],
                   str(r["text"]), str(r["author_name"]), str(r["written_at"]))


def comments_on(ws: Workspace, case_id: str) -> list[Comment]:
    """The partner inspectors' comments on a case, oldest first, with who wrote them and when."""
    return [_comment(r) for r in dict_rows(
        ws, "SELECT * FROM review_comments WHERE case_id = ? ORDER BY written_at, id", [case_id])]


def comments_by_case(ws: Workspace, iid: str) -> dict[str, list[Comment]]:
    """Every comment of the inspection held here, by case, oldest first (one query)."""
    out: dict[str, list[Comment]] = {}
    for r in dict_rows(ws, "SELECT * FROM review_comments WHERE inspection_id = ?"
                       " ORDER BY written_at, id", [iid]):
        out.setdefault(str(r["case_id"]), []).append(_comment(r))
    return out
