"""Present a ``RatingsResult`` as JSON or as the tables the manuals print.

The JSON is the contract of ``hmip-desktop ratings`` (docs/cli.md); the tables follow
000_ §7.1 ("Yes 95 73%").
"""

from __future__ import annotations

import textwrap
from typing import Any

from hmip_desktop.frameworks.provenance import drafted_legend, marked
from hmip_desktop.i18n import _, rating_label
from hmip_desktop.rules.ratings import KeyQuestionResult, RatingsResult


def flag_text(flag: str) -> str:
    """A discretion flag in words, for the printed tables and the workbook."""
    words = {
        "within_5_points": _("within five percentage points of a band boundary"),
        "one_case_changes_band": _("a different judgement in one case would change the band"),
        "five_or_fewer_cases": _("based on five cases or fewer"),
    }
    return words.get(flag, flag.replace("_", " "))


def ratings_json(result: RatingsResult) -> dict[str, Any]:
    fw = result.framework
    return {
        "framework": {"id": fw.id, "version": fw.version, "hash": fw.hash},
        "key_questions": {
            kq_id: {
                "yes": r.tally.yes, "no": r.tally.no, "na": r.tally.na, "n": r.tally.n,
                "percent": r.percent, "band": r.band,
            }
            for kq_id, r in result.key_questions.items()
        },
        "standards": {
            sid: {
                "rating": s.rating,
                "provisional_rating": s.provisional_rating,
                "lowest_key_questions": list(s.lowest_key_questions),
                "discretion": list(s.discretion),
            }
            for sid, s in result.standards.items()
        },
        "overall": {
            "score": result.overall.score, "max": result.overall.max,
            "rating": result.overall.rating, "reason": result.overall.reason,
        },
    }


def ratings_tables(result: RatingsResult, width: int = 88) -> str:
    fw = result.framework
    lines = [f"{fw.title}", f"{fw.id} v{fw.version}, framework hash {fw.hash[:16]}", ""]
    for s in fw.standards:
        case_kqs = [k for k in s.key_questions if fw.is_case_answered(k)]
        sr = result.standards.get(s.id)
        heading = f"{s.id} {s.title}"
        if fw.rated and sr is not None:
            label = rating_label(sr.rating)
            if s.rated_by == "lead":
                label += " " + _("(lead inspector's rating)")
            elif sr.rating != sr.provisional_rating:
                label += " " + _("(case data: {rating})").format(
                    rating=rating_label(sr.provisional_rating))
            heading = f"{heading}  —  {label}"
        lines.append(heading)
        for k in case_kqs:
            lines.extend(_kq_lines(result, result.key_questions[k.id],
                                   marked(k.text, k.drafted), width))
        if sr is not None and sr.discretion:
            lines.append("  " + _("Panel to consider discretion (lowest: {kqs}):").format(
                kqs=", ".join(sr.lowest_key_questions)))
            lines.extend("    - " + flag_text(f) for f in sr.discretion)
        lines.append("")
    o = result.overall
    if fw.rated:
        if o.rating is not None:
            lines.append(_("Overall rating: {rating} (score {score} of {max})").format(
                rating=rating_label(o.rating), score=o.score, max=o.max))
        else:
            lines.append(_("Overall rating: none ({reason})").format(reason=o.reason))
    else:
        lines.append(_("This framework is not rated: the tables are published without ratings."))
    if any(k.drafted for k in fw.case_key_questions()):
        lines.append(drafted_legend())
    return "\n".join(lines) + "\n"


def _kq_lines(result: RatingsResult, r: KeyQuestionResult, text: str, width: int) -> list[str]:
    head = textwrap.wrap(f"{r.kq_id} {text}", width=width - 12, subsequent_indent="      ")
    out = [f"  {head[0]:<{width - 12}}   #     %"]
    out.extend(f"  {line}" for line in head[1:])
    if r.tally.na:
        out.append("      " + _("Note: question not applicable for all cases"))
    if r.tally.n == 0:
        out.append("      " + _("No cases answered"))
        return out
    yes, no = _("Yes"), _("No")
    out.append(f"      {yes:<{width - 16}}{r.tally.yes:>5} {r.percent:>4}%")
    out.append(f"      {no:<{width - 16}}{r.tally.no:>5} {r.no_percent:>4}%")
    return out
