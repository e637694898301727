"""Review bundles (kind 7): cases out to a partner inspector, their comments back to the lead.

Two bundles share the kind, told apart by the signed manifest's ``kind``; the lead's workspace
takes only ``review_comments``, any other only ``review``:

- ``review`` (lead → partner inspector): ``review.json`` holds the partner's member id and the
  cases given to them, each with the answers the lead holds now and the edition it is on
  (``framework_hash``); ``editions.json`` (only when a case is on an earlier edition than the
  inspection's) the files of those editions. Only the inspection's lead may send it; the
  partner keeps read-only copies (``team.review.keep_copies``), each read by its edition.
- ``review_comments`` (partner inspector → lead): ``comments.json`` holds every comment the
  partner has written. The lead keeps them beside the case (``team.review.take_comments``).
  A comments bundle carries comments and nothing else: an answer, or a comment on a case not
  given to its sender, refuses the whole bundle with nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.bundles import KIND_REVIEW, Header
from hmip_desktop.errors import UserError
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
from hmip_desktop.exchange.incoming_text import check_fields, refuse
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.loader import FrameworkError, load_framework_bytes
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import framework_bytes, lead_key_id
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review
from hmip_desktop.text_rules import printable

CASES_ENTRY, COMMENTS_ENTRY, EDITIONS_ENTRY = "review.json", "comments.json", "editions.json"
EDITION = "framework_hash"
MAX_EDITIONS = 8


def export_review(ws: Workspace, iid: str, member_id: str, out: Path) -> Path:
    """Seal the cases given to a partner inspector, with their current answers, for them."""
    cases = review.given_cases(ws, iid, member_id)
    if not cases:
        raise UserError(_("refused: this partner inspector has not been given any cases"))
    partner = next(m for m in ws.members(iid) if m["id"] == member_id)
    if partner.get("key_id") is None:
        raise UserError(_("refused: this partner inspector is not enrolled with a member card"))
    body = {"member_id": member_id,
            "cases": [{"case_id": c.case_id, "case_ref": c.case_ref, "items": c.items,
                       "sent_at": c.sent_at, EDITION: c.framework_hash} for c in cases]}
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "review", iid, 0)), (CASES_ENTRY, body)]
    earlier = sorted({str(c.framework_hash) for c in cases}
                     - {ws.inspection_framework(iid).hash})
    if earlier:  # the partner may not hold them: they travel with the cases
        entries.append((EDITIONS_ENTRY, [json.loads(framework_bytes(ws, h).decode("utf-8"))
                                         for h in earlier]))
    return seal_for(ws, KIND_REVIEW, "review", iid, [bytes(partner["key_id"])], entries, out,
                    _("{n} cases to review for {who}").format(n=len(cases), who=partner["name"]))


def export_comments(ws: Workspace, iid: str, out: Path) -> Path:
    """Seal every comment this partner inspector has written, for the lead."""
    me = my_member(ws, iid)
    comments = review.my_comments(ws, iid)
    if not comments:
        raise UserError(_("refused: there are no comments to send yet"))
    lead = lead_key_id(ws, iid)
    if lead is None:
        raise UserError(_("refused: import the lead's pack first"))
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "review_comments", iid, 0, member_id=me["id"])),
        (COMMENTS_ENTRY, comments)]
    return seal_for(ws, KIND_REVIEW, "review_comments", iid, [lead], entries, out,
                    _("{n} comments for the lead").format(n=len(comments)))


def _text(value: Any, limit: int = MAX_TEXT) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _cases(value: Any, me: str) -> list[review.ReviewCase]:
    if (not isinstance(value, dict) or set(value) != {"member_id", "cases"}
            or value["member_id"] != me or not isinstance(value["cases"], list)):
        raise PayloadError(_("the bundle's cases to review are not for you or not valid"))
    out = []
    for c in value["cases"]:
        if (not isinstance(c, dict)
                or set(c) - {EDITION} != {"case_id", "case_ref", "items", "sent_at"}
                or not (c.get(EDITION) is None or _text(c[EDITION], 64))
                or not all(_text(c[k], 200) for k in ("case_id", "case_ref", "sent_at"))
                or not isinstance(c["items"], dict)
                or not all(_text(k, 200) and _text(v) for k, v in c["items"].items())):
            raise PayloadError(_("the bundle's cases to review are not valid"))
        check_fields(_("a case to review"), c, {"case_ref": _("its reference")})
        for key, text in c["items"].items():
            refuse(_("case {ref}").format(ref=printable(c["case_ref"])), printable(key), text,
                   multiline=True)
        out.append(review.ReviewCase(c["case_id"], c["case_ref"], c["items"], c["sent_at"],
                                     c.get(EDITION)))
    return out


def _editions(ws: Workspace, iid: str, value: Any,
              cases: list[review.ReviewCase]) -> list[bytes]:
    """Check every case is on an edition of the inspection's lineage; the files to keep.

    The lineage is the inspection's edition and those it supersedes, held here
    (``Workspace.inspection_editions``) or carried in ``editions.json``. A case on any other
    edition refuses the whole bundle.
    """
    carried: dict[str, tuple[Framework, bytes]] = {}
    if value is not None:
        if not isinstance(value, list) or not 0 < len(value) <= MAX_EDITIONS:
            raise PayloadError(_("the bundle's framework editions are not valid"))
        for data in value:
            raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
            try:
                fw = load_framework_bytes(raw, "edition in the review bundle")
            except FrameworkError as e:
                raise PayloadError(_("the bundle's framework editions are not valid: {e}")
                                   .format(e=e)) from None
            carried[fw.hash] = (fw, raw)
    chain = ws.inspection_editions(iid)
    lineage = {fw.hash for fw in chain}
    link = chain[-1].supersedes
    while link is not None:
        step = next((fw for fw, _raw in carried.values() if fw.hash not in lineage
                     and (fw.id, fw.edition) == (link.id, link.edition)), None)
        if step is None:
            break
        lineage.add(step.hash)
        link = step.supersedes
    for c in cases:
        if c.framework_hash is not None and c.framework_hash not in lineage:
            raise PayloadError(_(
                "refused, nothing imported: case {ref} is on an edition of the framework this "
                "workspace does not hold or that this inspection's edition does not "
                "supersede; import the lead's latest pack first").format(ref=printable(c.case_ref)))
    used = {c.framework_hash for c in cases}
    return [raw for h, (_fw, raw) in carried.items() if h in used]


def _comments(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise PayloadError(_("the bundle's comments are not valid"))
    for c in value:
        if not isinstance(c, dict) or set(c) != set(review.COMMENT_FIELDS):
            raise PayloadError(_("the bundle's comments are not valid: a partner inspector "
                                 "sends comments only, never answers"))
        if (not all(_text(c[k], 200) for k in review.COMMENT_FIELDS if k not in ("kq_id", "text"))
                or not _text(c["text"]) or not (c["kq_id"] is None or _text(c["kq_id"], 200))):
            raise PayloadError(_("the bundle's comments are not valid"))
        where = _("case {ref}, a comment").format(ref=printable(c["case_ref"]))
        check_fields(where, c, {"case_ref": _("its case"), "author_name": _("its author"),
                                "written_at": _("its time")}, {"text": _("its text")})
    return value


def import_review_bundle(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in cases to review (at the partner) or a partner's comments (at the lead)."""
    plaintext = open_from_member(ws, data, header, KIND_REVIEW)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None:
        raise UserError(_("refused: the review bundle is not from a member of this inspection"))
    # The lead receives only comments; anyone else only cases to review.
    at_lead = lead_key_id(ws, header.inspection_id) == ws.identity.public.key_id
    kind = "review_comments" if at_lead else "review"
    if seen_before(ws, data):
        return ImportReport(kind, header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    check_sequence(ws, header, sender["name"], kind)
    entry = CASES_ENTRY if kind == "review" else COMMENTS_ENTRY
    listed = [Entry(entry), *([Entry(EDITIONS_ENTRY, optional=True)] if kind == "review"
                              else [])]
    _m, by_name = read_payload(plaintext, header, kind, lambda _m: listed)
    report = ImportReport(kind, header.inspection_id, sender["name"], header.sequence)
    iid = header.inspection_id
    if kind == "review":
        if header.sender_key_id != lead_key_id(ws, iid):
            raise UserError(_("refused: cases to review come only from the inspection's lead"))
        cases = _cases(by_name[entry], my_member(ws, iid)["id"])
        editions = _editions(ws, iid, by_name.get(EDITIONS_ENTRY), cases)
        report.notes += [_("to review: {ref} (read-only)").format(ref=c.case_ref) for c in cases]
        with ws.transaction():
            for raw in editions:
                ws.store_framework(raw)
            review.keep_copies(ws, iid, cases)
            log(ws, "in", kind, data, header.sender_key_id, iid, header.sequence,
                _("{n} cases to review").format(n=len(cases)))
        return report
    comments = _comments(by_name[entry])
    with ws.transaction():
        new = review.take_comments(ws, iid, str(sender["id"]), comments)
        log(ws, "in", kind, data, header.sender_key_id, iid, header.sequence,
            _("{n} comments").format(n=new))
    report.notes.append(_("{n} new comments, kept beside their cases").format(n=new))
    return report
