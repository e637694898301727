"""The consolidated tables as plain text, as the manuals print them (000_ §7.1: "Yes 95 73%").

Used by ``hmip-desktop consolidate``; the layout follows ``rules/ratings_report.py``.
"""

from __future__ import annotations

import textwrap

from hmip_desktop.consolidation.count_notes import (
    counted_sentence,
    left_out_sentence,
    not_applicable_note,
    rule_sentence,
    standard_counts,
)
from hmip_desktop.consolidation.tables import Consolidation, KqRow, StandardTable
from hmip_desktop.frameworks.provenance import drafted_legend, is_drafted, marked
from hmip_desktop.i18n import _, rating_label

WIDTH = 88


def consolidation_text(c: Consolidation, title: str = "") -> str:
    fw = c.framework
    lines = [title or fw.title, f"{fw.id} v{fw.version}, framework hash {fw.hash[:16]}"]
    if c.provisional:
        lines.append(c.provisional_mark.upper())
    lines.append(f"{c.filters.describe()}: {counted_sentence(c)} {left_out_sentence(c)}")
    lines.append(rule_sentence(c))
    if c.filters.active and c.rated:
        lines.append(_("Filtered: the ratings are the case data's own, without the panel's "
                       "decisions."))
    lines.append("")
    for t in c.tables:
        lines.extend(_standard_lines(c, t))
        lines.append("")
    o = c.ratings.overall
    if not c.rated:
        lines.append(_("This framework is not rated: the tables are published without ratings."))
    elif o.rating is not None:
        lines.append(_("Overall rating: {rating} (score {score} of {max})").format(
            rating=rating_label(o.rating), score=o.score, max=o.max))
    else:
        lines.append(_("Overall rating: none ({reason})").format(reason=o.reason))
    if any(is_drafted(fw, r.kq_id) for t in c.tables for r in t.rows):
        lines.append(drafted_legend())
    if c.rated and c.pending_decisions:
        lines.append(_("Panel decisions still to record: {ids}").format(
            ids=", ".join(c.pending_decisions)))
    return "\n".join(lines) + "\n"


def _standard_lines(c: Consolidation, t: StandardTable) -> list[str]:
    heading = f"{t.standard_id} {t.title}"
    if c.rated:
        label = rating_label(t.rating)
        if t.rated_by == "lead" and t.rating is None:
            label = _("No rating yet (the lead inspector rates it)")
        elif t.rated_by == "lead":
            label += " " + _("(lead inspector's rating)")
        elif t.rating != t.provisional_rating:
            label += " " + _("(case data: {rating})").format(
                rating=rating_label(t.provisional_rating))
        heading += f"  —  {label}"
    out = [heading]
    if t.rows:
        out.append("  " + standard_counts(t))
    for r in t.rows:
        out.extend(_kq_lines(r, is_drafted(c.framework, r.kq_id)))
    if t.lead_rating is not None:
        out.append("  " + _("Evidence: {text}").format(text=t.lead_rating.evidence))
        if t.lead_rating.characteristics:
            out.append("  " + _("Characteristics weighed: {list}").format(
                list="; ".join(t.lead_rating.characteristics)))
    if t.discretion:
        out.append("  " + _("Panel to consider discretion (lowest: {kqs}):").format(
            kqs=", ".join(t.lowest_key_questions)))
        out.extend(f"    - {why}" for _f, why in t.discretion)
    d = t.decision
    if d is not None:
        if not t.decision_applied:
            out.append("  " + _("Panel: {d} recorded on other figures (then {rating}); not "
                                "applied").format(d=d.decision,
                                                  rating=rating_label(d.provisional_rating)))
        else:
            what = {"confirm": _("confirmed"), "vary": _("varied")}[d.decision]
            if d.adjustment:
                what += " " + _("and moved {n:+d} band").format(n=d.adjustment)
            reason = f": {d.reason}" if d.reason else ""
            out.append("  " + _("Panel: {what} {rating} ({who}, {at}){reason}").format(
                what=what, rating=rating_label(d.rating), who=d.decided_by,
                at=d.decided_at[:16].replace("T", " "), reason=reason))
    return out


def _kq_lines(r: KqRow, drafted: bool = False) -> list[str]:
    head = textwrap.wrap(marked(f"{r.kq_id} {r.text}", drafted), width=WIDTH - 12,
                         subsequent_indent="      ")
    out = [f"  {head[0]:<{WIDTH - 12}}   #     %"]
    out.extend(f"  {line}" for line in head[1:])
    if r.subsample:
        out.append("      " + _("Note: question not applicable for all cases"))
        out.append("      " + not_applicable_note(r))
    if r.n == 0:
        out.append("      " + _("No cases answered"))
        return out
    yes, no = _("Yes"), _("No")
    out.append(f"      {yes:<{WIDTH - 16}}{r.yes:>5} {r.percent:>4}%")
    out.append(f"      {no:<{WIDTH - 16}}{r.no:>5} {r.no_percent:>4}%")
    return out
