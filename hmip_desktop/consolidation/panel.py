"""Domain one and the ratings panel: the lead's ratings, recommendations, panel decisions.

Every write is one transaction with its audit row (``case_id`` NULL, ``item``
``inspection:<id>/standard:<id>`` or ``…/recommendation:<n>``, ``new`` the decision as JSON);
the audit row's actor and time are who decided and when. Bad input raises
``ConsolidationError`` with one line before anything is written.

The panel (000_ §7.2) confirms each standard's rating, or varies a case-data rating by one
band where a discretion flag allows it, with a reason; for the standard the framework marks
adjustable (unpaid work, 000_ §7.1) it may confirm a move of one band up or down on the
qualitative evidence, also with a reason. A lead-rated standard (domain one) has no bands to
be near: the panel checks that the lead's proposed rating is evidence-based and "determines
whether the rating proposed by the lead inspector is appropriate" (000_ §7.2; 003_ 4.16–4.17,
4.24: departures agreed at the panel with the reasons clearly set out), so it may confirm it or
vary it to any other rating, always with a reason. Every decision is taken at the panel's
recorded sitting (``panel_sitting``) and names it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.consolidation.records import (
    DECISIONS,
    PROGRESS,
    ConsolidationError,
    LeadRating,
    PanelDecision,
    Recommendation,
    audit_item,
    check_inspection,
    read_lead_ratings,
    read_panel_decisions,
    read_panel_sitting,
    read_recommendations,
    refuse_archived,
    require_lead,
)
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.frameworks.model import Framework, Standard
from hmip_desktop.i18n import _, rating_label
from hmip_desktop.rules.ratings import (
    KeyQuestionResult,
    band_for,
    exact_percent,
    whole_percent,
)
from hmip_desktop.rules.scale import RATINGS, SCORE, shift
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

__all__ = [
    "LeadRating",
    "PanelDecision",
    "Recommendation",
    "add_recommendation",
    "lead_ratings",
    "panel_decisions",
    "recommendations",
    "record_panel_decision",
    "set_lead_rating",
    "set_recommendation_progress",
]


def _text(value: str, what: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise ConsolidationError(_("the {what} must be text").format(what=what))
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: invalid bytes in a command-line argument
        raise ConsolidationError(
            _("the {what} is not valid text (it holds bytes that are not UTF-8)").format(
                what=what)) from None
    if required and not value:
        raise ConsolidationError(_("the {what} must not be empty").format(what=what))
    if len(value) > MAX_TEXT:
        raise ConsolidationError(_("the {what} is longer than {n} characters").format(
            what=what, n=MAX_TEXT))
    return value


def _rated_framework(ws: Workspace, inspection_id: str) -> Framework:
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)  # its published record no longer changes
    fw = ws.inspection_framework(inspection_id)
    if not fw.rated:
        raise ConsolidationError(
            _("framework {framework} is not rated: there are no ratings to give").format(
                framework=fw.id))
    return fw


def _standard(fw: Framework, standard_id: str) -> Standard:
    s = fw.standards_by_id.get(standard_id)
    if s is None:
        raise ConsolidationError(_("{standard} is not a standard of {framework}").format(
            standard=repr(standard_id), framework=fw.id))
    return s


def _rating(rating: object) -> str:
    if rating not in RATINGS:
        raise ConsolidationError(_("{rating} is not a rating ({ratings})").format(
            rating=repr(rating), ratings=", ".join(RATINGS)))
    return str(rating)


# -- domain one ---------------------------------------------------------------------------------

def set_lead_rating(ws: Workspace, inspection_id: str, standard_id: str, rating: str, *,
                    evidence: str, characteristics: Sequence[str] = ()) -> None:
    """The lead's rating of a lead-rated standard (000_ §7.1 domain one, 003_ Annex G).

    ``evidence`` and the rating ``characteristics`` weighed are kept with it.
    """
    require_lead(ws, _("record a lead rating"))
    fw = _rated_framework(ws, inspection_id)
    s = _standard(fw, standard_id)
    if s.rated_by != "lead":
        raise ConsolidationError(
            _("standard {standard} is rated from the case data, not by the lead").format(
                standard=standard_id))
    rating = _rating(rating)
    evidence = _text(evidence, _("evidence"), required=True)
    if isinstance(characteristics, str):
        raise ConsolidationError(_("the characteristics must be a list of texts"))
    chars = [_text(c, _("characteristic"), required=False) for c in characteristics]
    chars = [c for c in chars if c]
    new = json.dumps({"rating": rating, "evidence": evidence, "characteristics": chars},
                     ensure_ascii=False)
    with ws.transaction():
        old = connection(ws).execute(
            "SELECT rating, evidence, characteristics FROM lead_ratings"
            " WHERE inspection_id = ? AND standard_id = ?", (inspection_id, standard_id)
        ).fetchone()
        old_json = None if old is None else json.dumps(
            {"rating": old[0], "evidence": old[1], "characteristics": json.loads(old[2])},
            ensure_ascii=False)
        if old_json == new:
            return
        connection(ws).execute(
            "INSERT INTO lead_ratings (inspection_id, standard_id, rating, evidence,"
            " characteristics, decided_by, decided_at) VALUES (?,?,?,?,?,?,?)"
            " ON CONFLICT (inspection_id, standard_id) DO UPDATE SET rating = excluded.rating,"
            " evidence = excluded.evidence, characteristics = excluded.characteristics,"
            " decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            (inspection_id, standard_id, rating, evidence, json.dumps(chars, ensure_ascii=False),
             ws.owner_name, now()))
        ws.record(None, "lead_rating", audit_item(inspection_id, f"standard:{standard_id}"),
                  old_json, new)


def lead_ratings(ws: Workspace, inspection_id: str) -> dict[str, LeadRating]:
    check_inspection(ws, inspection_id)
    return read_lead_ratings(ws, inspection_id)


def add_recommendation(ws: Workspace, inspection_id: str, text: str) -> int:
    """Add one of the previous inspection's recommendations; returns its number (1, 2, …)."""
    require_lead(ws, _("record recommendations"))
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    text = _text(text, _("recommendation"), required=True)
    with ws.transaction():
        (top,) = connection(ws).execute(
            "SELECT coalesce(max(number), 0) FROM recommendations WHERE inspection_id = ?",
            (inspection_id,)).fetchone()
        number = int(top) + 1
        connection(ws).execute(
            "INSERT INTO recommendations (inspection_id, number, text) VALUES (?,?,?)",
            (inspection_id, number, text))
        ws.record(None, "recommendation", audit_item(inspection_id, f"recommendation:{number}"),
                  None, text)
    return number


def set_recommendation_progress(ws: Workspace, inspection_id: str, number: int, progress: str,
                                note: str = "") -> None:
    """Progress on a recommendation (sufficient, insufficient, none); never rated (004_)."""
    require_lead(ws, _("record progress on recommendations"))
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    if progress not in PROGRESS:
        raise ConsolidationError(_("{progress} is not a progress ({choices})").format(
            progress=repr(progress), choices=", ".join(PROGRESS)))
    note = _text(note, _("note"), required=False)
    with ws.transaction():
        row = connection(ws).execute(
            "SELECT progress, note FROM recommendations WHERE inspection_id = ? AND number = ?",
            (inspection_id, number)).fetchone()
        if row is None:
            raise ConsolidationError(
                _("no recommendation {number} in this inspection").format(number=number))
        if (row[0], row[1]) == (progress, note):
            return
        connection(ws).execute(
            "UPDATE recommendations SET progress = ?, note = ? WHERE inspection_id = ?"
            " AND number = ?", (progress, note, inspection_id, number))
        ws.record(None, "recommendation_progress",
                  audit_item(inspection_id, f"recommendation:{number}"),
                  json.dumps({"progress": row[0], "note": row[1]}, ensure_ascii=False),
                  json.dumps({"progress": progress, "note": note}, ensure_ascii=False))


def recommendations(ws: Workspace, inspection_id: str) -> list[Recommendation]:
    check_inspection(ws, inspection_id)
    return read_recommendations(ws, inspection_id)


# -- the ratings panel ---------------------------------------------------------------------------

def _directions(fw: Framework, lowest: Sequence[str],
                results: Mapping[str, KeyQuestionResult]) -> set[int]:
    """Which way (+1 up, −1 down) the flags of the lowest key questions allow a variation.

    Within the margin of a boundary: across that boundary; one case changing the band: the
    way it changes; five cases or fewer: either way (000_ §7.1, §7.2).
    """
    out: set[int] = set()
    bands = fw.rating_bands
    for kq_id in lowest:
        t = results[kq_id].tally
        if t.n == 0:
            continue
        here = band_for(whole_percent(t.yes, t.n), bands)
        exact = exact_percent(t.yes, t.n)
        for b in bands[1:]:
            if abs(exact - b.min_percent) <= fw.discretion.margin_points:
                out.add(1 if SCORE[b.band] > SCORE[here] else -1)
        for other, step in ((t.yes + 1, 1), (t.yes - 1, -1)):
            if 0 <= other <= t.n and band_for(whole_percent(other, t.n), bands) != here:
                out.add(step)
        if t.n <= fw.discretion.small_sample_max:
            out |= {1, -1}
    return out


def allowed_variations(c: Consolidation, standard_id: str) -> list[str]:
    """The ratings the panel may vary this standard to: one band, the way its flags point.

    For a lead-rated standard with the lead's rating: every other rating. Empty for a standard
    without case data or with no discretion flag. The same rule ``record_panel_decision``
    applies, for screens that offer the choice.
    """
    table = c.table(standard_id)
    p = table.provisional_rating
    if c.rated and p is not None and table.rated_by == "lead":
        return [r for r in RATINGS if r != p]
    if not c.rated or p is None or table.rated_by == "lead" or not table.discretion:
        return []
    steps = _directions(c.framework, table.lowest_key_questions, c.ratings.key_questions)
    return [r for r in RATINGS if SCORE[r] - SCORE[p] in steps]


def record_panel_decision(ws: Workspace, inspection_id: str, standard_id: str, *,
                          decision: str, rating: str | None = None, adjustment: int = 0,
                          reason: str = "") -> PanelDecision:
    """Record the panel's decision on one standard; refused unless the rules allow it.

    - ``confirm``: the rating stands (for the adjustable standard, moved by ``adjustment``,
      −1 or +1, with a reason). ``rating``, if given, must be the rating confirmed.
    - ``vary``: a case-data rating becomes ``rating``, one band away, with a reason — only
      where a discretion flag of its lowest key question allows it (000_ §7.2); a lead-rated
      standard's rating becomes any other ``rating``, with a reason.

    Refused until the panel's sitting is recorded; the decision names that sitting.
    """
    require_lead(ws, _("record the ratings panel's decisions"))
    fw = _rated_framework(ws, inspection_id)
    s = _standard(fw, standard_id)
    if decision not in DECISIONS:
        raise ConsolidationError(_("{decision} is not a decision ({choices})").format(
            decision=repr(decision), choices=", ".join(DECISIONS)))
    if not isinstance(adjustment, int) or isinstance(adjustment, bool) \
            or adjustment not in (-1, 0, 1):
        raise ConsolidationError(_("the adjustment must be -1, 0 or 1, not {adjustment}").format(
            adjustment=repr(adjustment)))
    if adjustment and not s.adjustable:
        marked = [x.id for x in fw.standards if x.adjustable]
        which = (_("only {standards} can be").format(standards=", ".join(marked)) if marked
                 else _("no standard of {framework} can be").format(framework=fw.id))
        raise ConsolidationError(_("standard {standard} cannot be moved a band: {which}").format(
            standard=standard_id, which=which))
    if rating is not None:
        rating = _rating(rating)
    reason = _text(reason, _("reason"), required=False)
    with ws.transaction():
        sitting = read_panel_sitting(ws, inspection_id)
        if sitting is None:
            raise ConsolidationError(_(
                "record the panel's sitting (date, chair, members, note-taker) before its "
                "decisions"))
        c = consolidate(ws, inspection_id)
        table = c.table(standard_id)
        provisional = table.provisional_rating
        flags = tuple(f for f, _why in table.discretion)
        if s.rated_by == "lead":
            if provisional is None:
                raise ConsolidationError(
                    _("standard {standard} has no lead rating yet: record it first").format(
                        standard=standard_id))
        elif provisional is None:
            raise ConsolidationError(
                _("standard {standard} has no case data yet: there is nothing to decide").format(
                    standard=standard_id))
        assert provisional is not None
        if decision == "confirm":
            final = shift(provisional, adjustment)
            if adjustment and final == provisional:
                message = (_("{rating} is the top of the scale: it cannot be moved up")
                           if adjustment > 0 else
                           _("{rating} is the bottom of the scale: it cannot be moved down"))
                raise ConsolidationError(message.format(rating=rating_label(provisional)))
            if adjustment and not reason:
                raise ConsolidationError(_("a reason is required to move a rating a band"))
            if rating is not None and rating != final:
                raise ConsolidationError(
                    _("confirming keeps {kept}, not {rating}: to change the rating, "
                      "vary it").format(kept=rating_label(final), rating=rating_label(rating)))
            used: tuple[str, ...] = ()
        elif s.rated_by == "lead":
            if adjustment:
                raise ConsolidationError(
                    _("give either a variation or a one-band adjustment, not both"))
            if rating is None:
                raise ConsolidationError(_("a variation needs the rating it varies to"))
            if rating == provisional:
                raise ConsolidationError(
                    _("{rating} is the lead's proposed rating: confirm it instead").format(
                        rating=rating_label(rating)))
            if not reason:
                raise ConsolidationError(_("a reason is required to vary a rating"))
            final, used = rating, ()
        else:
            if adjustment:
                raise ConsolidationError(
                    _("give either a variation or a one-band adjustment, not both"))
            if rating is None:
                raise ConsolidationError(_("a variation needs the rating it varies to"))
            if not flags:
                raise ConsolidationError(
                    _("standard {standard} cannot be varied: no discretion flag applies to "
                      "its lowest key question (the case data rate it {rating})").format(
                        standard=standard_id, rating=rating_label(provisional)))
            if rating == provisional:
                raise ConsolidationError(
                    _("{rating} is the case data's rating: confirm it instead").format(
                        rating=rating_label(rating)))
            if abs(SCORE[rating] - SCORE[provisional]) != 1:
                raise ConsolidationError(
                    _("a variation moves the rating one band at most: from {rating} to "
                      "{other} is further").format(rating=rating_label(provisional),
                                                   other=rating_label(rating)))
            step = SCORE[rating] - SCORE[provisional]
            if step not in _directions(fw, table.lowest_key_questions, c.ratings.key_questions):
                message = (_("standard {standard} cannot be varied up to {rating}: its "
                             "discretion flags ({flags}) point the other way") if step > 0
                           else _("standard {standard} cannot be varied down to {rating}: its "
                                  "discretion flags ({flags}) point the other way"))
                raise ConsolidationError(message.format(
                    standard=standard_id, rating=rating_label(rating), flags=", ".join(flags)))
            if not reason:
                raise ConsolidationError(_("a reason is required to vary a rating"))
            final, used = rating, flags
        at = now()
        d = PanelDecision(standard_id, decision, provisional, final, adjustment, used, reason,
                          ws.owner_name, at, sitting.number)
        old = read_panel_decisions(ws, inspection_id).get(standard_id)
        connection(ws).execute(
            "INSERT INTO panel_decisions (inspection_id, standard_id, decision,"
            " provisional_rating, rating, adjustment, flags, reason, decided_by, decided_at,"
            " sitting) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (inspection_id, standard_id) DO UPDATE"
            " SET decision = excluded.decision, provisional_rating = excluded.provisional_rating,"
            " rating = excluded.rating, adjustment = excluded.adjustment, flags = excluded.flags,"
            " reason = excluded.reason, decided_by = excluded.decided_by,"
            " decided_at = excluded.decided_at, sitting = excluded.sitting",
            (inspection_id, standard_id, decision, provisional, final, adjustment,
             json.dumps(list(used)), reason, ws.owner_name, at, sitting.number))
        ws.record(None, "panel_decision", audit_item(inspection_id, f"standard:{standard_id}"),
                  None if old is None else _decision_json(old), _decision_json(d))
    return d


def _decision_json(d: PanelDecision) -> str:
    return json.dumps({"decision": d.decision, "provisional_rating": d.provisional_rating,
                       "rating": d.rating, "adjustment": d.adjustment, "flags": list(d.flags),
                       "reason": d.reason, "sitting": d.sitting}, ensure_ascii=False)


def panel_decisions(ws: Workspace, inspection_id: str) -> dict[str, PanelDecision]:
    check_inspection(ws, inspection_id)
    return read_panel_decisions(ws, inspection_id)
