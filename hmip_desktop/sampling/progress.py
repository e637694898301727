"""How far each sample kind has got, and its values in words, for the set-up window's page.

The service (``sampling/service.py``) takes each step and returns what the step did; a screen
opened later needs the same picture without taking a step: the stage, the stored draw's cases
and whether the organisation's return is in. Stratum values are stored as the rules' choice
values (``very_high``); the screen shows them as the long list's own labels ("Very high").
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hmip_desktop.i18n import _
from hmip_desktop.sampling import records
from hmip_desktop.sampling.rules import SampleKind
from hmip_desktop.sampling.sizes import Share
from hmip_desktop.store.workspace import Workspace

LONG_LIST, PROVISIONAL, FINAL = "long list", "provisional", "final"


@dataclass(frozen=True, slots=True)
class Progress:
    """One sample kind's state: which steps make sense now."""

    has_long_list: bool
    has_provisional: bool
    has_returned: bool
    has_final: bool

    @property
    def can_decide(self) -> bool:
        """Flags are decided before the provisional draw (the draw is made on them)."""
        return self.has_long_list and not self.has_provisional

    @property
    def can_draw(self) -> bool:
        return self.has_long_list and not self.has_final

    @property
    def can_return(self) -> bool:
        return self.has_provisional and not self.has_final

    @property
    def can_finalise(self) -> bool:
        return self.has_returned and not self.has_final


@dataclass(frozen=True, slots=True)
class DrawnCase:
    """A case of the provisional list: its stratum in words and its part in the sample."""

    case_ref: str
    stratum: str
    part: str


def progress(ws: Workspace, iid: str, kind: str) -> Progress:
    return Progress(
        has_long_list=records.longlist_file(ws, iid, kind) is not None,
        has_provisional=records.stored_draw(ws, iid, kind, PROVISIONAL) is not None,
        has_returned=bool(records.returned_facts(ws, iid, kind)),
        has_final=records.stored_draw(ws, iid, kind, FINAL) is not None)


def drawn_cases(ws: Workspace, iid: str, rules: SampleKind) -> list[DrawnCase]:
    """The latest draw's cases in draw order: final (or final if usable), reserve, or not used."""
    stored = (records.stored_draw(ws, iid, rules.id, FINAL)
              or records.stored_draw(ws, iid, rules.id, PROVISIONAL))
    if stored is None:
        return []
    result = stored.result
    final, reserves = set(result["final"]), set(result["reserves"])
    swapped_out = {s.out_case for s in records.swaps(ws, iid, rules.id)}
    out = []
    for ref, stratum, *_rest in result["candidates"]:
        if ref in final:
            part = (_("Final sample") if stored.stage == FINAL
                    else _("Final sample, if the organisation can offer it"))
        elif ref in reserves:
            part = _("Reserve")
        elif ref in swapped_out:
            part = _("Replaced by a reserve")
        else:
            part = (_("Not used") if stored.stage == FINAL else _("Spare ({n}% extra)").format(
                n=rules.provisional_margin_percent))
        out.append(DrawnCase(ref, stratum_words(rules, stratum), part))
    return out


def final_cases(ws: Workspace, iid: str, kind: str) -> list[str]:
    stored = records.stored_draw(ws, iid, kind, FINAL)
    return list(stored.result["final"]) if stored else []


def seed_of(ws: Workspace, iid: str, kind: str) -> str | None:
    """The seed the latest draw was made with, if any."""
    stored = (records.stored_draw(ws, iid, kind, FINAL)
              or records.stored_draw(ws, iid, kind, PROVISIONAL))
    return stored.seed if stored else None


def fresh_seed() -> str:
    """A new seed for the lead to keep or change: six digits, easy to read out and record."""
    return str(100_000 + secrets.randbelow(900_000))


def value_words(rules: SampleKind, index: int, value: str) -> str:
    """One stratum value as the long list labels it (a group's name as it stands)."""
    variables = rules.stratification.variables
    if index >= len(variables):
        return value
    column = rules.column(variables[index])
    if column.choice_labels and value in column.choice_labels:
        return column.choice_labels[value]
    if column.type == "yes_no" and value in ("yes", "no"):
        return _("Yes") if value == "yes" else _("No")
    return value or _("(blank)")


def stratum_words(rules: SampleKind, stratum: Sequence[str]) -> str:
    return ", ".join(value_words(rules, i, v) for i, v in enumerate(stratum)) or _("All cases")


def share_value(rules: SampleKind, share: Share) -> str:
    """A fairness row's value in words: the variable is found by its label."""
    variables = rules.stratification.variables
    for i, v in enumerate(variables):
        if rules.column(v).label == share.variable:
            return value_words(rules, i, share.value)
    return share.value


def rule_sentence(words: str) -> str:
    """A rule's words as the manual has them, starting with a capital as a line does.

    Without a closing full stop: a count follows them.
    """
    return (words[:1].upper() + words[1:]).rstrip(".")


def adjustment_words(rules: SampleKind, adjustment: Mapping[str, Any]) -> str:
    return _("{out} replaced by {in_} ({stratum}): {reason}").format(
        out=adjustment["out"], in_=adjustment["in"],
        stratum=stratum_words(rules, adjustment["stratum"]), reason=adjustment["reason"])


def stage_words(p: Progress) -> str:
    if p.has_final:
        return _("The final sample is made: its cases are in the inspection's case list.")
    if p.has_returned:
        return _("The organisation's returned list is in: make the final sample.")
    if p.has_provisional:
        return _("The provisional list is drawn: export it for the organisation.")
    if p.has_long_list:
        return _("The long list is imported: decide the exclusion flags, then draw.")
    return _("Start by importing the organisation's long list.")
