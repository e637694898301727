"""The text rule (``text_rules.py``) applied to everything a bundle brings from another member.

Each check runs before anything is written and refuses the whole bundle with one line that
names the field and, where there is one, the case. Only text values are looked at: the shape
of each record (types, ids, keys) is the caller's to check, before or after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hmip_desktop.assessment.items import item_label
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import text_fault

ALERT_TEXTS = {"what_might_happen": _("what might happen"), "how_serious": _("how serious"),
               "how_imminent": _("how imminent"), "action_asked": _("the action asked for")}
ALERT_LINES = {"id": _("its id"), "case_id": _("its case"), "raised_by": _("who raised it"),
               "raised_at": _("when it was raised"),
               "acknowledged_by": _("who acknowledged it"),
               "acknowledged_at": _("when it was acknowledged")}
AUDIT_TEXTS = {"old": _("an earlier value"), "new": _("a value")}
AUDIT_LINES = {"at": _("a time"), "actor": _("a name"), "action": _("an action"),
               "item": _("an item")}
CASE_LINES = {"id": _("its id"), "case_ref": _("its reference"),
              "person_name": _("the person's name"), "pdu": _("the delivery unit"),
              "team": _("the team"), "office": _("the office"),
              "practitioner": _("the practitioner"), "prison": _("the prison"),
              "report_type": _("the report type")}


def refuse(where: str, field: str, text: Any, *, multiline: bool = False) -> None:
    """PayloadError "refused: <where>: <field> <fault>" if ``text`` breaks the rule."""
    if not isinstance(text, str):
        return
    fault = text_fault(text, multiline=multiline)
    if fault is not None:
        raise PayloadError(_("refused: {where}: {field} {fault}").format(
            where=where, field=field, fault=fault))


def check_fields(where: str, record: Any, lines: Mapping[str, str],
                 texts: Mapping[str, str] | None = None) -> None:
    """The single-line ``lines`` and multi-line ``texts`` fields of one record."""
    if not isinstance(record, Mapping):
        return
    for key, field in lines.items():
        refuse(where, field, record.get(key))
    for key, field in (texts or {}).items():
        refuse(where, field, record.get(key), multiline=True)


def check_assessed_case(fw: Framework, case: Mapping[str, Any], ref: str) -> None:
    """A case of an assessment bundle: its items' texts, its alerts and its history.

    A whole case is tried in two searches first (every single-line text joined by spaces,
    every multi-line one by newlines, which each rule allows); only a case that fails is
    walked field by field, to name the field.
    """
    if _clean_case(case):
        return
    where = _("case {ref}").format(ref=ref)
    items = case.get("items")
    if isinstance(items, Mapping):
        for item, value in items.items():
            refuse(where, _("an item name"), item)
            refuse(where, item_label(fw, str(item)), value, multiline=True)
    for alert in _records(case.get("alerts")):
        check_fields(_("case {ref}, an alert").format(ref=ref), alert, ALERT_LINES,
                     ALERT_TEXTS)
    for entry in _records(case.get("audit")):
        check_fields(_("case {ref}, its history").format(ref=ref), entry, AUDIT_LINES,
                     AUDIT_TEXTS)


def _clean_case(case: Mapping[str, Any]) -> bool:
    single: list[str] = []
    multi: list[str] = []
    items = case.get("items")
    if isinstance(items, Mapping):
        single = [k for k in items if isinstance(k, str)]
        multi = [v for v in items.values() if isinstance(v, str)]
    for records, lines, texts in ((case.get("alerts"), ALERT_LINES, ALERT_TEXTS),
                                  (case.get("audit"), AUDIT_LINES, AUDIT_TEXTS)):
        # Field by field over all the records (a list each) rather than record by record (a
        # generator each): the same texts, in another order, which a search does not mind.
        mappings = [r for r in _records(records) if isinstance(r, Mapping)]
        for k in lines:
            single += [v for r in mappings if isinstance(v := r.get(k), str)]
        for k in texts:
            multi += [v for r in mappings if isinstance(v := r.get(k), str)]
    return (text_fault(" ".join(single)) is None
            and text_fault("\n".join(multi), multiline=True) is None)


def check_pack_case(case: Any, position: int) -> None:
    """A case of a pack: every text field is single-line."""
    ref = case.get("case_ref") if isinstance(case, Mapping) else None
    where = (_("case {ref} in the pack").format(ref=ref)
             if isinstance(ref, str) and text_fault(ref) is None
             else _("case {n} in the pack").format(n=position + 1))
    check_fields(where, case, CASE_LINES)
    assignment = case.get("assignment") if isinstance(case, Mapping) else None
    check_fields(where, assignment, {"member_id": _("its inspector"),
                                     "interview_at": _("its interview time")})


def check_pack_member(member: Any, name: str) -> None:
    """A member entry of a pack (the name comes from the card, checked by ``read_card``)."""
    check_fields(_("{name}'s entry in the pack").format(name=name), member,
                 {"id": _("the member id"), "office": _("the office"),
                  "qa_partner_id": _("the QA partner")})


def check_pack_inspection(inspection: Any) -> None:
    check_fields(_("the pack's inspection"), inspection,
                 {"title": _("the title"), "organisation": _("the organisation"),
                  "fieldwork_start": _("the first day of fieldwork"),
                  "fieldwork_end": _("the last day of fieldwork")})


def check_qa_records(value: Mapping[str, Any], cases: Mapping[str, str]) -> None:
    """The queries, replies and sign-offs of a ``queries.json`` entry (``cases``: id → ref)."""
    case_of: dict[str, str] = {}
    for q in _records(value.get("queries")):
        ref = _ref(q, "case_id", cases)
        if isinstance(q, Mapping) and isinstance(q.get("id"), str) and ref is not None:
            case_of[q["id"]] = ref
        check_fields(_where(ref, _("a query")), q,
                     {"id": _("its id"), "case_id": _("its case"), "item": _("its item"),
                      "raised_by": _("who raised it"), "raised_at": _("when it was raised"),
                      "closed_by": _("who closed it"), "closed_at": _("when it was closed")},
                     {"text": _("its text")})
    for r in _records(value.get("replies")):
        qid = r.get("query_id") if isinstance(r, Mapping) else None
        ref = case_of.get(qid) if isinstance(qid, str) else None
        check_fields(_where(ref, _("a reply")), r,
                     {"id": _("its id"), "query_id": _("its query"), "author": _("its author"),
                      "at": _("when it was written")}, {"text": _("its text")})
    for s in _records(value.get("signoffs")):
        check_fields(_where(_ref(s, "case_id", cases), _("a sign-off")), s,
                     {"case_id": _("its case"), "signed_by": _("who signed it off"),
                      "signed_at": _("when it was signed off")})


def _ref(record: Any, key: str, cases: Mapping[str, str]) -> str | None:
    cid = record.get(key) if isinstance(record, Mapping) else None
    return cases.get(cid) if isinstance(cid, str) else None


def _where(ref: str | None, what: str) -> str:
    return _("case {ref}, {what}").format(ref=ref, what=what) if ref is not None else what


def _records(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else ()
