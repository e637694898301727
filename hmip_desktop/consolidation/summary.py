"""The ratings panel summary (000_ §7.2) as one self-contained HTML document.

First the panel's sitting (date, chair, members, note-taker). Per standard: the cases counted,
the provisional rating, the discretion flags with their reasons, the panel's
decision and the final rating; then the overall rating and the progress on the previous
inspection's recommendations (not rated, 004_), and the alerts by kind and state with each
organisational alert, which the report describes (000_ §6.7). No scripts and no external
resources; every text is escaped. The GUI and ``panel-summary`` write it as PDF with
``gui/common/pdf.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from hmip_desktop.consolidation.count_notes import (
    counted_sentence,
    left_out_sentence,
    rule_sentence,
    unsigned_standards,
)
from hmip_desktop.consolidation.counting import FINAL, CountRule, require_final
from hmip_desktop.consolidation.records import (
    PanelSitting,
    read_panel_sitting,
    read_recommendations,
)
from hmip_desktop.consolidation.tables import Consolidation, StandardTable, consolidate
from hmip_desktop.day_names import day_month_year
from hmip_desktop.html_text import html_text as _e
from hmip_desktop.i18n import _, rating_label
from hmip_desktop.store.reads import inspection_row
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.team.alert_tracking import STATE_LABELS, alerts_by_kind_and_state
from hmip_desktop.team.alerts import KIND_LABELS, organisational_alerts

PROGRESS_LABELS = {"sufficient": _("Sufficient progress"),
                   "insufficient": _("Insufficient progress"), "none": _("No progress")}


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th align='left'>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f"<td>{_e(v).replace(chr(10), '<br/>')}</td>" for v in row) + "</tr>" for row in rows)
    return ("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def sitting_html(sitting: PanelSitting | None) -> str:
    """Who sat on the panel and when, or that the sitting is not yet recorded."""
    out = "<h2>" + _e(_("The panel")) + "</h2>"
    if sitting is None:
        return out + "<p>" + _e(_("The panel's sitting is not yet recorded.")) + "</p>"
    when = date.fromisoformat(sitting.sat_on)
    return out + "<p>" + "<br/>".join(_e(line) for line in (
        _("Sat on {date}.").format(date=day_month_year(when, padded=False)),
        _("Chair: {name}.").format(name=sitting.chair),
        _("Members: {names}.").format(names=", ".join(sitting.members)),
        _("Note-taker: {name}.").format(name=sitting.note_taker))) + "</p>"


def _rated_by(t: StandardTable) -> str:
    if t.rated_by == "lead":
        return _("lead inspector")
    return _("case data, {n} cases counted, {s} signed off").format(n=t.cases, s=t.signed_off)


def counts_html(c: Consolidation) -> str:
    """Which cases were counted, which left out and why, and the QA sign-off state."""
    out = ["<h2>" + _e(_("Cases counted")) + "</h2>",
           "<p>" + _e(" ".join((rule_sentence(c), counted_sentence(c),
                                left_out_sentence(c)))) + "</p>"]
    unsigned = unsigned_standards(c)
    if unsigned:
        out.append("<p>" + _e(_("Standards resting on cases not yet signed off:")) + "</p><ul>"
                   + "".join("<li>" + _e(_("{id} {title}: {s} of {n} signed off").format(
                       id=t.standard_id, title=t.title, s=t.signed_off, n=t.cases)) + "</li>"
                       for t in unsigned) + "</ul>")
    elif c.cases:
        out.append("<p>" + _e(_("Every standard rests on cases signed off.")) + "</p>")
    return "".join(out)


def alerts_html(ws: Workspace, inspection_id: str) -> str:
    """The alerts counted by kind and state, then each organisational alert in full."""
    out = ["<h2>" + _e(_("Alerts")) + "</h2>"]
    counts = alerts_by_kind_and_state(ws, inspection_id)
    if not counts:
        return out[0] + "<p>" + _e(_("No alerts were raised.")) + "</p>"
    out.append(_table((_("Kind"), _("State"), _("Alerts")), (
        (KIND_LABELS[k], STATE_LABELS[s], n) for k, s, n in counts)))
    org = organisational_alerts(ws, inspection_id)
    if org:
        out.append("<p>" + _e(_("Organisational alerts, to be described in the report:"))
                   + "</p>")
        out.append(_table((_("What might happen"), _("How serious"), _("How imminent"),
                           _("Action asked for"), _("Raised")), (
            (a.what_might_happen, a.how_serious, a.how_imminent, a.action_asked,
             _("by {who}, {at}").format(who=a.raised_by, at=a.raised_at[:16].replace("T", " ")))
            for a in org)))
    return "".join(out)


def panel_summary_html(ws: Workspace, inspection_id: str, rule: CountRule = FINAL) -> str:
    """The summary, counting only cases marked complete (a provisional rule is refused)."""
    require_final(rule, "panel summary")
    c = consolidate(ws, inspection_id)
    info = inspection_row(ws, inspection_id)
    fw = c.framework
    title = _("Ratings panel summary — {title}").format(title=info["title"])
    parts = [f"<h1>{_e(title)}</h1>", "<p>" + _e(_(
        "{organisation}. Framework {fw} version {version} (hash {hash}). {n} cases counted; "
        "written {at} by {who}.").format(
            organisation=info["organisation"], fw=fw.id, version=fw.version,
            hash=fw.hash[:16], n=c.cases,
            at=now()[:16].replace("T", " "), who=ws.owner_name)) + "</p>",
             sitting_html(read_panel_sitting(ws, inspection_id))]
    parts.append(counts_html(c))
    if not c.rated:
        parts.append("<p>" + _e(_("This framework is not rated: the tables are published "
                                  "without ratings.")) + "</p>")
    else:
        rows = []
        reasons: list[str] = []
        for t in c.tables:
            d = t.decision
            if d is None:
                decision = _("not yet decided")
            elif not t.decision_applied:
                decision = _("{d} on other figures: to be decided again").format(d=d.decision)
            elif d.decision == "vary":
                decision = _("varied: {reason}").format(reason=d.reason)
            elif d.adjustment:
                decision = _("confirmed, moved {n:+d} band: {reason}").format(
                    n=d.adjustment, reason=d.reason)
            else:
                decision = _("confirmed")
            if d is not None and t.decision_applied:
                decision += "\n" + _("by {who}, {at}").format(
                    who=d.decided_by, at=d.decided_at[:16].replace("T", " "))
            flags = _("{n} to consider, below").format(n=len(t.discretion)) \
                if t.discretion else _("none")
            if t.discretion:
                reasons.append(f"<h3>{_e(t.standard_id)} {_e(t.title)}</h3><ul>" + "".join(
                    f"<li>{_e(why)}</li>" for _f, why in t.discretion) + "</ul>")
            rows.append((f"{t.standard_id} {t.title}", _rated_by(t),
                         rating_label(t.provisional_rating), flags, decision,
                         rating_label(t.rating)))
        # Six columns, the long texts (reasons) in a list after the table: a wide table
        # breaks words in two on an A4 page.
        parts.append(_table((_("Standard"), _("Rated by"), _("Provisional"),
                             _("Discretion"), _("Panel decision"), _("Rating")), rows))
        o = c.ratings.overall
        overall = (_("Overall rating: {rating} (score {score} of {max}).").format(
            rating=rating_label(o.rating), score=o.score, max=o.max) if o.rating
            else _("Overall rating: none yet ({reason}).").format(reason=o.reason))
        parts.append(f"<h2>{_e(overall)}</h2>")
        if c.pending_decisions:
            parts.append("<p>" + _e(_("Still to decide: {ids}.").format(
                ids=", ".join(c.pending_decisions))) + "</p>")
        if reasons:
            parts.append("<h2>" + _e(_("Professional discretion to consider")) + "</h2>")
            parts.extend(reasons)
    recs = read_recommendations(ws, inspection_id)
    parts.append("<h2>" + _e(_("Progress on the previous recommendations")) + "</h2>")
    if not recs:
        parts.append("<p>" + _e(_("No recommendations of the previous inspection are "
                                  "recorded.")) + "</p>")
    else:
        parts.append("<p>" + _e(_("Shown on its own; it does not affect the ratings.")) + "</p>")
        parts.append(_table((_("Number"), _("Recommendation"), _("Progress"), _("Note")), (
            (r.number, r.text, PROGRESS_LABELS.get(r.progress or "", _("not yet judged")),
             r.note) for r in recs)))
    parts.append(alerts_html(ws, inspection_id))
    return ("<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
            f"<title>{_e(title)}</title>"
            "<style>body { font-family: sans-serif; } h1 { font-size: 16pt; } "
            "h2 { font-size: 13pt; } h3 { font-size: 11pt; } th { background-color: #f3f2f1; } "
            "td, th { vertical-align: top; }</style></head><body>"
            + "".join(parts) + "</body></html>")
