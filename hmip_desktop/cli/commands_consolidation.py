"""The lead's consolidation: tables, domain one, the ratings panel, exports, comparisons.

``consolidate``, ``lead-rating``, ``recommendation``, ``panel``, ``dashboard``, ``alerts``,
``workbook``, ``export-csv``, ``compare``, ``combine``, ``panel-summary`` (docs/cli.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.consolidation.compare import Comparison, compare_inspection
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL, CountRule
from hmip_desktop.consolidation.dashboard import alerts_inbox, dashboard, note_alert_action
from hmip_desktop.consolidation.drilldown import (
    DrillDown,
    PromptCount,
    drill_down,
    prompt_counts,
)
from hmip_desktop.consolidation.export import write_csv, write_workbook
from hmip_desktop.consolidation.national import combine, write_national
from hmip_desktop.consolidation.national_published import write_publishable_national
from hmip_desktop.consolidation.panel import (
    add_recommendation,
    panel_decisions,
    recommendations,
    record_panel_decision,
    set_lead_rating,
    set_recommendation_progress,
)
from hmip_desktop.consolidation.panel_sitting import (
    panel_sitting,
    record_panel_sitting,
    sitting_json,
)
from hmip_desktop.consolidation.records import PROGRESS, ConsolidationError, PanelDecision
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.consolidation.tables import Consolidation, Filters, consolidate
from hmip_desktop.consolidation.text import consolidation_text
from hmip_desktop.findings.items import UNRATED_REFUSAL
from hmip_desktop.findings.service import standard_findings
from hmip_desktop.findings.text import finding_line
from hmip_desktop.frameworks.provenance import marked
from hmip_desktop.i18n import _, ngettext, rating_label
from hmip_desktop.laptop_return.exports import write_recorded, write_tracked
from hmip_desktop.rules.ratings_report import ratings_json as contract_json
from hmip_desktop.rules.scale import RATINGS
from hmip_desktop.team.alert_tracking import received_alerts, tracked_alerts
from hmip_desktop.team.alerts import organisational_alerts
from hmip_desktop.text_rules import printable, printable_lines
from hmip_desktop.wording import status_label

_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")
_JSON = arg("--json", action="store_true", help="print JSON instead of text")
_PROVISIONAL = arg("--provisional", action="store_true",
                   help="include cases in progress (provisional): the live picture, marked so")


def _rule(args: argparse.Namespace) -> CountRule:
    return PROVISIONAL if getattr(args, "provisional", False) else FINAL


def _fact(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(_("expected FACT=VALUE, not {text!r}").format(text=text))
    return key.strip(), value.strip()


def consolidation_json(c: Consolidation,
                       prompts: dict[str, tuple[PromptCount, ...]] | None = None
                       ) -> dict[str, Any]:
    prompts = prompts or {}
    return {
        "inspection_id": c.inspection_id,
        "filters": {"pdu": c.filters.pdu, "team": c.filters.team, "facts": dict(c.filters.facts)},
        "rule": {"include_in_progress": c.rule.include_in_progress},
        "provisional": c.provisional_mark or None,
        "cases": c.cases, "signed_off": c.signed_off, "left_out": dict(c.left_out),
        "excluded_reasons": [{"case_ref": ref, "reason": why}
                             for ref, why in c.excluded_reasons],
        "incomplete": c.incomplete,
        "pending_decisions": list(c.pending_decisions),
        "tables": [{
            "standard_id": t.standard_id, "title": t.title, "rated_by": t.rated_by,
            "provisional_rating": t.provisional_rating, "rating": t.rating,
            "lowest_key_questions": list(t.lowest_key_questions),
            "cases": t.cases, "signed_off": t.signed_off,
            "discretion": [{"flag": f, "reason": why} for f, why in t.discretion],
            "decision": None if t.decision is None else {
                **decision_json(t.decision), "applied": t.decision_applied},
            "rows": [{"kq_id": r.kq_id, "text": r.text, "yes": r.yes, "no": r.no, "na": r.na,
                      "n": r.n, "percent": r.percent, "no_percent": r.no_percent,
                      "band": r.band, "subsample": r.subsample,
                      "prompts": [prompt_json(p) for p in prompts.get(r.kq_id, ())]}
                     for r in t.rows],
        } for t in c.tables],
        "ratings": contract_json(c.ratings),
    }


def prompt_json(p: PromptCount) -> dict[str, Any]:
    return {"prompt_id": p.prompt_id, "text": p.text, "drafted": p.drafted, "yes": p.yes,
            "no": p.no, "na": p.na, "n": p.n, "percent": p.percent}


def drill_down_json(d: DrillDown) -> dict[str, Any]:
    return {
        "kq_id": d.kq_id, "text": d.text, "drafted": d.drafted, "standard_id": d.standard_id,
        "provisional": d.provisional_mark or None,
        "cases": {group: [{
            "case_id": e.case_id, "case_ref": e.case_ref, "owner": e.owner,
            "judgement": e.judgement, "evidence": e.evidence,
            "prompts": [{"prompt_id": pid, "answer": a} for pid, a in e.prompts],
            "complete": e.complete, "signed_off": e.signed_off,
            "interview": e.interview or None} for e in cases]
            for group, cases in d.cases.items()},
        "prompts": [prompt_json(p) for p in d.prompts],
    }


def drill_down_text(d: DrillDown) -> str:
    lines = [f"{d.kq_id} {marked(d.text, d.drafted)}"]
    if d.provisional_mark:
        lines.append(d.provisional_mark.upper())
    lines.append(_("Prompts:"))
    for p in d.prompts:
        pct = "-" if p.percent is None else f"{p.percent}%"
        counts = _("yes {yes:>4}  no {no:>4}  n/a {na:>4}").format(yes=p.yes, no=p.no, na=p.na)
        lines.append(f"  {p.prompt_id:<10} {counts}  {pct:>5}  {marked(p.text, p.drafted)}")
    names = {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}
    for group, cases in d.cases.items():
        lines.append(_("{group}: {n} cases").format(group=names[group], n=len(cases)))
        for e in cases:
            qa = _("signed off") if e.signed_off else _("not signed off")
            state = "" if e.complete else _(", in progress")
            owner = e.owner or _("(not allocated)")
            lines.append(f"  {e.case_ref}  {owner}  ({qa}{state})")
            answers = ", ".join(f"{pid} {a or '-'}" for pid, a in e.prompts)
            if answers:
                lines.append(_("    prompts: {answers}").format(answers=answers))
            if e.evidence:
                lines.append(_("    evidence: {evidence}").format(evidence=e.evidence))
            if e.interview:
                lines.append(_("    interview: {interview}").format(interview=e.interview))
    return "\n".join(lines) + "\n"


def decision_json(d: PanelDecision) -> dict[str, Any]:
    return {"standard_id": d.standard_id, "decision": d.decision,
            "provisional_rating": d.provisional_rating, "rating": d.rating,
            "adjustment": d.adjustment, "flags": list(d.flags), "reason": d.reason,
            "decided_by": d.decided_by, "decided_at": d.decided_at, "sitting": d.sitting}


@command(
    "consolidate", _INSPECTION,
    arg("--pdu", metavar="PDU", help="only the cases of this PDU"),
    arg("--team", metavar="TEAM", help="only the cases of this team"),
    arg("--fact", metavar="FACT=VALUE", action="append", type=_fact, default=[],
        help="only cases with this case fact (e.g. gender=female, rosh=high); repeatable"),
    _PROVISIONAL,
    arg("--kq", metavar="ID", help="the cases behind one key question's Yes, No and Not "
        "applicable, with owner, evidence note and prompt answers, and its prompt counts"),
    _JSON, workspace=True,
)
def cmd_consolidate(args: argparse.Namespace) -> int:
    """Print the inspection's key-question tables, ratings, flags and the overall rating.

    Counts only cases marked complete, except those marked 'should have been excluded' and
    those with a conflict of interest declared; with --provisional, cases in progress too,
    and the output says "provisional: includes N cases in progress". The tables follow the
    manuals ("Yes 95 73%"), with the note "question not applicable for all cases" where a
    sub-sample was used, how many cases each standard rests on and how many of them are signed
    off, the provisional rating, the discretion flags with their reasons and the panel's
    decisions. With filters, the ratings are the case data's own, without the panel's
    decisions. With --kq, the cases behind that key question instead.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        c = consolidate(ws, iid, Filters(args.pdu, args.team, dict(args.fact)), _rule(args))
        title = ws.inspection_title(iid)
        if args.kq is not None:
            d = drill_down(ws, c, args.kq)
        else:
            prompts = prompt_counts(ws, c) if args.json else {}
    if args.kq is not None:
        if args.json:
            print_json(drill_down_json(d))
        else:
            print(printable_lines(drill_down_text(d)), end="")
    elif args.json:
        print_json(consolidation_json(c, prompts))
    else:
        print(printable_lines(consolidation_text(c, title)), end="")
    return 0


@command(
    "lead-rating", _INSPECTION,
    arg("standard", metavar="STANDARD", help="a lead-rated standard (domain one), e.g. 1.1"),
    arg("rating", metavar="RATING", help=" | ".join(RATINGS)),
    arg("--evidence", metavar="TEXT", required=True, help="the evidence for the rating"),
    arg("--characteristic", metavar="TEXT", action="append", default=[],
        help="a rating characteristic weighed (as the framework lists them); repeatable"),
    _JSON, workspace=True,
)
def cmd_lead_rating(args: argparse.Namespace) -> int:
    """Record the lead inspector's rating of a domain-one standard, with its evidence.

    Lists the findings on the standard's key questions that the rating draws on (see
    'finding'). An unrated framework takes findings only.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if ws.owner_role == "lead" and not ws.inspection_framework(iid).rated:
            raise ConsolidationError(UNRATED_REFUSAL)
        set_lead_rating(ws, iid, args.standard, args.rating, evidence=args.evidence,
                        characteristics=args.characteristic)
        drawn_on = standard_findings(ws, iid, args.standard)
    if args.json:
        print_json({"standard": args.standard, "rating": args.rating,
                    "rating_label": rating_label(args.rating),
                    "findings": [f.number for f in drawn_on]})
        return 0
    print(_("{standard}: {rating} (lead inspector's rating) recorded").format(
              standard=args.standard, rating=rating_label(args.rating)))
    if drawn_on:
        print(_("drawing on the findings on its key questions ({n}):").format(n=len(drawn_on)))
    for f in drawn_on:
        print("  " + finding_line(f))
    return 0


@command(
    "recommendation", _INSPECTION,
    arg("action", choices=("add", "progress", "list"),
        help="add TEXT | progress NUMBER sufficient|insufficient|none | list"),
    arg("values", nargs="*", metavar="VALUE"),
    arg("--note", metavar="TEXT", default="", help="with progress: what the judgement rests on"),
    _JSON, workspace=True,
)
def cmd_recommendation(args: argparse.Namespace) -> int:
    """The previous inspection's recommendations and the progress made on each (not rated)."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.action == "add":
            if len(args.values) != 1:
                raise ConsolidationError(_("recommendation add takes one TEXT (quote it)"))
            number = add_recommendation(ws, iid, args.values[0])
            print_json({"number": number}) if args.json else print(
                _("recommendation {number} added").format(number=number))
            return 0
        if args.action == "progress":
            if len(args.values) != 2 or not args.values[0].isdigit():
                raise ConsolidationError(
                    _("recommendation progress takes NUMBER and one of {progress}").format(
                        progress=', '.join(PROGRESS)))
            set_recommendation_progress(ws, iid, int(args.values[0]), args.values[1], args.note)
            if args.json:
                print_json({"number": int(args.values[0]), "progress": args.values[1],
                            "note": args.note})
            else:
                print(_("recommendation {number}: {progress} progress recorded").format(
                          number=args.values[0], progress=args.values[1]))
            return 0
        if args.values:
            raise ConsolidationError(_("recommendation list takes no values"))
        recs = recommendations(ws, iid)
    if args.json:
        print_json([{"number": r.number, "text": r.text, "progress": r.progress,
                     "note": r.note} for r in recs])
    else:
        for r in recs:
            progress = r.progress or _("not yet judged")
            print(f"{r.number}. {printable(r.text)} — {progress}"
                  + (f" ({printable(r.note)})" if r.note else ""))
        if not recs:
            print(_("no recommendations recorded"))
    return 0


@command(
    "panel", _INSPECTION,
    arg("decision", choices=("confirm", "vary", "sitting", "show"),
        help="confirm the rating, or vary it; record the panel's sitting; show the record"),
    arg("standard", metavar="STANDARD", nargs="?",
        help="with confirm or vary: the standard, e.g. 2.3"),
    arg("--date", metavar="YYYY-MM-DD", help="sitting: the date the panel sat"),
    arg("--chair", metavar="NAME", help="sitting: who chaired the panel"),
    arg("--member", metavar="NAME", action="append",
        help="sitting: a member who sat besides the chair and the note-taker; repeatable"),
    arg("--note-taker", metavar="NAME", dest="note_taker",
        help="sitting: who recorded the panel's decisions"),
    arg("--rating", metavar="RATING", help="vary: the rating it becomes; confirm: a check"),
    arg("--adjust", metavar="N", type=int, default=0, choices=(-1, 0, 1),
        help="confirm the unpaid-work standard moved one band down (-1) or up (1)"),
    arg("--reason", metavar="TEXT", default="", help="why (needed to vary or adjust)"),
    _JSON, workspace=True,
)
def cmd_panel(args: argparse.Namespace) -> int:
    """Record the ratings panel's decision on a standard (000_ §7.2).

    A case-data rating may be varied by one band only where a discretion flag of its lowest
    key question allows it, and only with a reason. The standard the framework marks
    adjustable (unpaid work) may be confirmed one band up or down, with a reason. A lead-rated
    standard (domain one) may be varied to any other rating, with a reason. Who decided and
    when go in the audit log. ``panel sitting`` records (or amends) the date and who sat on
    the panel, which every decision needs first; ``panel show`` prints the whole record.
    """
    sitting_options = (args.date, args.chair, args.member, args.note_taker)
    if args.decision in ("sitting", "show"):
        if args.standard is not None:
            raise ConsolidationError(_("panel {decision} takes no STANDARD").format(
                                         decision=args.decision))
        if args.decision == "show" and any(v is not None for v in sitting_options):
            raise ConsolidationError(_("panel show takes no sitting options"))
        return _panel_record(args)
    if args.standard is None:
        raise ConsolidationError(_("panel {decision} needs the STANDARD, e.g. 2.3").format(
                                     decision=args.decision))
    if any(v is not None for v in sitting_options):
        raise ConsolidationError(
            _("--date, --chair, --member and --note-taker go with panel sitting"))
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        d = record_panel_decision(ws, iid, args.standard, decision=args.decision,
                                  rating=args.rating, adjustment=args.adjust,
                                  reason=args.reason)
    if args.json:
        print_json(decision_json(d))
    else:
        moved = _moved(d.adjustment)
        verb = _verb(d.decision)
        print(_("{standard_id}: {verb} {rating}{moved} (provisional: {provisional_rating})").format(
                  standard_id=d.standard_id, verb=verb, rating=rating_label(d.rating),
                  moved=moved, provisional_rating=rating_label(d.provisional_rating)))
    return 0


def _verb(decision: str) -> str:
    return {"confirm": _("confirmed"), "vary": _("varied to")}[decision]


def _moved(adjustment: int) -> str:
    """", moved +1 band" after a rating the panel moved, else nothing."""
    return _(", moved {adjustment:+d} band").format(adjustment=adjustment) if adjustment else ""


def _panel_record(args: argparse.Namespace) -> int:
    """``panel sitting`` (record or amend it when options are given) and ``panel show``."""
    given = any(v is not None for v in (args.date, args.chair, args.member, args.note_taker))
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        sitting = panel_sitting(ws, iid)
        if given:
            # An amendment names only what changes; a first sitting needs every part.
            parts: tuple[Any, ...] = (args.date, args.chair, args.member, args.note_taker)
            if sitting is not None:
                parts = tuple(old if new is None else new for new, old in zip(
                    parts, (sitting.sat_on, sitting.chair, sitting.members,
                            sitting.note_taker), strict=True))
            if None in parts:
                raise ConsolidationError(
                    _("panel sitting needs --date, --chair, at least one --member and "
                      "--note-taker"))
            sitting = record_panel_sitting(ws, iid, sat_on=parts[0], chair=parts[1],
                                           members=parts[2], note_taker=parts[3])
        decisions = panel_decisions(ws, iid) if args.decision == "show" else {}
    if args.json:
        out = None if sitting is None else sitting_json(sitting)
        print_json(out if args.decision == "sitting" else {
            "sitting": out, "decisions": [decision_json(d) for d in decisions.values()]})
        return 0
    if sitting is None:
        print(_("no panel sitting recorded"))
    else:
        print(_("panel sat on {sat_on}: chair {chair}; members {members}; note-taker "
                "{note_taker}").format(
                  sat_on=sitting.sat_on, chair=printable(sitting.chair),
                  members=', '.join(printable(m) for m in sitting.members),
                  note_taker=printable(sitting.note_taker)))
    for d in decisions.values():
        verb = _verb(d.decision)
        moved = _moved(d.adjustment)
        at = (_("before sittings were kept") if d.sitting is None
              else _("sitting {n}").format(n=d.sitting))
        print(f"{d.standard_id}: {verb} {rating_label(d.rating)}{moved} ({at})"
              + (f": {printable(d.reason)}" if d.reason else ""))
    return 0


@command("dashboard", _INSPECTION, _JSON, workspace=True)
def cmd_dashboard(args: argparse.Namespace) -> int:
    """Per member and case: latest work received, what the lead waits for, QA sign-off, alerts.

    The same words as the lead's dashboard screen; --json keeps the revisions for tools.
    """
    with open_workspace(args.workspace) as ws:
        rows = dashboard(ws, pick_inspection(ws, args.inspection))
    if args.json:
        print_json([{
            "member": r.member, "member_id": r.member_id, "case_id": r.case_id,
            "case_ref": r.case_ref, "status": r.status, "revision": r.revision,
            "revision_received": r.revision_received, "revision_expected": r.revision_expected,
            "received_at": r.received_at, "waiting_for": r.waiting_for,
            "qa_state": r.qa_state, "delivered": r.delivered, "receipt_sent": r.receipt_sent,
            "open_alerts": r.open_alerts, "sender_fingerprint": r.sender_fingerprint,
            "in_conflict": r.in_conflict,
        } for r in rows])
        return 0
    for r in rows:
        member = r.member or _("not allocated")
        print(f"{printable(member)}  {printable(r.case_ref)}  "
              f"{status_label(r.status)}" + ("  " + _("IN CONFLICT") if r.in_conflict else ""))
        print(_("    latest work received: {received_words}").format(
                  received_words=r.received_words))
        print(_("    waiting for: {waiting_for_words}").format(
                  waiting_for_words=r.waiting_for_words))
        print(_("    signed off: {signed_off}; receipt sent: {sent}").format(
                  signed_off=r.signed_off_words, sent=_("yes") if r.receipt_sent else _("no"))
              + (_("; open alerts: {n}").format(n=r.open_alerts) if r.open_alerts else ""))
    if not rows:
        print(_("no cases"))
    return 0


@command(
    "alerts", _INSPECTION,
    arg("--acknowledge", metavar="ALERT", help="acknowledge this alert first"),
    arg("--note", metavar=("ALERT", "TEXT"), nargs=2,
        help="record the action taken on this alert first"),
    _JSON, workspace=True,
)
def cmd_alerts(args: argparse.Namespace) -> int:
    """The alerts inbox: alerts not yet acknowledged first, with the action taken on each.

    Then the inspection's organisational alerts, flagged for the report. Each shows its state
    and the steps taken on it (``alert step``), with who, when and the note.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        known = {a.alert_id for a in alerts_inbox(ws, iid)}
        for alert_id in filter(None, (args.acknowledge, args.note and args.note[0])):
            if alert_id not in known:
                raise ConsolidationError(_("no alert {alert_id!r} in this inspection").format(
                                             alert_id=alert_id))
        if args.acknowledge:
            ws.acknowledge_alert(args.acknowledge)
        if args.note:
            note_alert_action(ws, args.note[0], args.note[1])
        inbox = alerts_inbox(ws, iid)
        org = organisational_alerts(ws, iid)
        tracked = {t.alert_id: t for t in tracked_alerts(ws, iid)}
        received = received_alerts(ws, iid)
    if args.json:
        def state_of(alert_id: str) -> dict[str, Any]:
            t = tracked[alert_id]
            return {"state": t.state, "steps": [
                {"step": s.step, "note": s.note, "taken_by": s.taken_by, "taken_at": s.taken_at}
                for s in t.steps]}
        print_json([{"kind": "individual", **{k: getattr(a, k) for k in (
            "alert_id", "case_id", "case_ref", "member", "what_might_happen", "how_serious",
            "how_imminent", "action_asked", "raised_by", "raised_at", "acknowledged_by",
            "acknowledged_at", "action_note", "noted_by", "noted_at")}, **state_of(a.alert_id)}
            for a in inbox]
                   + [{"kind": "organisational", **{k: getattr(o, k) for k in (
                       "alert_id", "what_might_happen", "how_serious", "how_imminent",
                       "action_asked", "raised_by", "raised_at")}, **state_of(o.alert_id)}
                      for o in org]
                   + [{"kind": "received", **{("alert_id" if k == "id" else k): v
                                               for k, v in r.items()}, **state_of(r["id"])}
                      for r in received])
        return 0

    def print_state(alert_id: str) -> None:
        t = tracked[alert_id]
        print(_("    state: {state_words}").format(state_words=t.state_words))
        for s in t.steps:
            print(f"    {s.words}: {printable(s.taken_by)}, "
                  f"{printable(s.taken_at[:16].replace('T', ' '))}"
                  + (f": {printable(s.note)}" if s.note else ""))
    for a in inbox:
        answered = a.acknowledged or tracked[a.alert_id].state != "raised"
        state = _("ACKNOWLEDGED") if answered else _("NOT ACKNOWLEDGED")
        print(_("{alert_id}  {case_ref}  {state}  raised by {raised_by} {at}").format(
                  alert_id=printable(a.alert_id), case_ref=printable(a.case_ref), state=state,
                  raised_by=printable(a.raised_by),
                  at=printable(a.raised_at[:16].replace('T', ' '))))
        print(_("    what might happen: {what_might_happen}").format(
                  what_might_happen=printable(a.what_might_happen)))
        print(_("    how serious: {how_serious}; how imminent: {how_imminent}").format(
                  how_serious=printable(a.how_serious), how_imminent=printable(a.how_imminent)))
        print(_("    action asked: {action_asked}").format(action_asked=printable(a.action_asked)))
        if a.action_note:
            print(_("    action taken: {action_note} ({noted_by})").format(
                      action_note=printable(a.action_note), noted_by=printable(a.noted_by)))
        print_state(a.alert_id)
    for r in received:
        print(_("{id}  {case_ref}  RECEIVED IN AN ALERT BUNDLE  raised by {raised_by} "
                "{at}").format(
                  id=printable(r['id']), case_ref=printable(r['case_ref']),
                  raised_by=printable(r['raised_by']),
                  at=printable(r['raised_at'][:16].replace('T', ' '))))
        print(_("    what might happen: {what_might_happen}").format(
                  what_might_happen=printable(r['what_might_happen'])))
        print(_("    how serious: {how_serious}; how imminent: {how_imminent}").format(
                  how_serious=printable(r['how_serious']),
                  how_imminent=printable(r['how_imminent'])))
        print(_("    action asked: {action_asked}").format(
                  action_asked=printable(r['action_asked'])))
        print_state(r["id"])
    for o in org:
        print(_("{alert_id}  ORGANISATIONAL (for the report)  raised by {raised_by} "
                "{at}").format(
                  alert_id=printable(o.alert_id), raised_by=printable(o.raised_by),
                  at=printable(o.raised_at[:16].replace('T', ' '))))
        print(_("    what might happen: {what_might_happen}").format(
                  what_might_happen=printable(o.what_might_happen)))
        print(_("    how serious: {how_serious}; how imminent: {how_imminent}").format(
                  how_serious=printable(o.how_serious), how_imminent=printable(o.how_imminent)))
        print(_("    action asked: {action_asked}").format(action_asked=printable(o.action_asked)))
        print_state(o.alert_id)
    if not inbox and not org and not received:
        print(_("no alerts"))
    return 0


@command("workbook", _INSPECTION,
         arg("--out", metavar="FILE.xlsx", required=True, help="where to write the workbook"),
         _PROVISIONAL, _JSON, workspace=True)
def cmd_workbook(args: argparse.Namespace) -> int:
    """Write the data workbook (XLSX) for the data team, provenance included.

    It counts only cases marked complete: --provisional is refused.
    """
    with open_workspace(args.workspace) as ws:
        path = write_workbook(ws, pick_inspection(ws, args.inspection), Path(args.out),
                              _rule(args))
    if args.json:
        print_json({"path": str(path)})
        return 0
    print(_("workbook written to {path}").format(path=path))
    return 0


@command("export-csv", _INSPECTION,
         arg("--out", metavar="FILE.csv", required=True, help="where to write the CSV"),
         _PROVISIONAL, _JSON, workspace=True)
def cmd_export_csv(args: argparse.Namespace) -> int:
    """Write the key-question table as CSV (one row per key question)."""
    with open_workspace(args.workspace) as ws:
        path = write_csv(ws, pick_inspection(ws, args.inspection), Path(args.out), _rule(args))
    if args.json:
        print_json({"path": str(path)})
        return 0
    print(_("key-question table written to {path}").format(path=path))
    return 0


@command(
    "compare", _INSPECTION,
    arg("--previous", metavar="FILE", help="the previous inspection's export (JSON, CSV, XLSX)"),
    arg("--aggregate", metavar="FILE", help="an aggregate file (CSV: kq_id, yes, no)"),
    _JSON, workspace=True,
)
def cmd_compare(args: argparse.Namespace) -> int:
    """Change per key question against a previous export or an aggregate, with p values.

    A two-proportion z-test per key question; a change is flagged when p < 0.1 (manual §7.3).
    """
    if bool(args.previous) == bool(args.aggregate):
        raise ConsolidationError(_("give one of --previous FILE or --aggregate FILE"))
    with open_workspace(args.workspace) as ws:
        rows = compare_inspection(ws, pick_inspection(ws, args.inspection),
                                  Path(args.previous or args.aggregate))
    if args.json:
        print_json([_comparison_json(r) for r in rows])
        return 0
    kq, before, now, change = _("KQ"), _("before"), _("now"), _("change")
    print(f"{kq:<8} {before:>7} {now:>7} {change:>7} {'p':>7}")
    for r in rows:
        print(f"{r.kq_id:<8} {_pct(r.previous_percent):>7} {_pct(r.current_percent):>7} "
              f"{'' if r.change is None else f'{r.change:+d}':>7} "
              f"{'' if r.p_value is None else f'{r.p_value:.3f}':>7}"
              + ("  " + _("significant (p < 0.1)") if r.flagged else ""))
    return 0


def _pct(v: int | None) -> str:
    return "-" if v is None else f"{v}%"


def _comparison_json(r: Comparison) -> dict[str, Any]:
    return {k: getattr(r, k) for k in (
        "kq_id", "text", "previous_yes", "previous_n", "previous_percent", "current_yes",
        "current_n", "current_percent", "change", "z", "p_value", "flagged")}


@command(
    "combine",
    arg("files", nargs="+", metavar="FILE", help="exports of several inspections"),
    arg("--out", metavar="FILE", required=True, help="the national table (.csv or .xlsx)"),
    arg("--publishable", action="store_true",
        help="the table for publication: aggregates by organisation, small cells suppressed"),
    _JSON,
)
def cmd_combine(args: argparse.Namespace) -> int:
    """Merge several inspections' exports into one national table for the data team.

    With --publishable, the table as it may be published, under the framework's suppression
    rule; without, the internal table, nothing suppressed.
    """
    table = combine([Path(f) for f in args.files])
    suppressed: int | None = None
    if args.publishable:
        path, suppressed = write_publishable_national(table, Path(args.out))
    else:
        path = write_national(table, Path(args.out))
    if args.json:
        print_json({"path": str(path), "inspections": len(table.sources),
                    "suppressed": suppressed})
        return 0
    if suppressed is None:
        print(_("national table of {n_sources} inspections written to {path}").format(
                  n_sources=len(table.sources), path=path))
    else:
        print(ngettext(
            "publishable national table of {n_sources} inspections written to {path}; "
            "{n} cell suppressed", "publishable national table of {n_sources} inspections "
            "written to {path}; {n} cells suppressed", suppressed).format(
            n_sources=len(table.sources), path=path, n=suppressed))
    return 0


@command("panel-summary", _INSPECTION,
         arg("--out", metavar="FILE.pdf", required=True,
             help="where to write the summary (.pdf, or .html for the HTML itself)"),
         _PROVISIONAL, _JSON, workspace=True)
def cmd_panel_summary(args: argparse.Namespace) -> int:
    """Write the ratings panel summary as PDF (or HTML).

    It counts only cases marked complete: --provisional is refused.
    """
    out = Path(args.out)
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        html = panel_summary_html(ws, iid, _rule(args))
        title = ws.inspection_title(iid)
        if out.suffix.lower() in (".html", ".htm"):
            path = write_tracked(ws, out, html.encode("utf-8"), "panel_summary")
        else:
            path = write_recorded(ws, out, "panel_summary", lambda full: _write_pdf(
                full, html, _("Ratings panel summary — {title}").format(title=title)))
    if args.json:
        print_json({"path": str(path)})
        return 0
    print(_("panel summary written to {path}").format(path=path))
    return 0


def _write_pdf(path: Path, html: str, title: str) -> Path:
    from hmip_desktop.gui.common.pdf import write_pdf_from_cli  # noqa: PLC0415 - keeps Qt out of the CLI

    return write_pdf_from_cli(path, html, title=title)
