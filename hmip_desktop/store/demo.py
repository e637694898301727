"""A demo workspace of invented cases: one inspection per shipped framework.

Every name and reference here is made up from word lists that pair common first names with
invented surnames; none is a real person. Case references start DEMO- so they can never be
mistaken for real ones.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from hmip_desktop.assessment.completeness import case_rules, required_items
from hmip_desktop.assessment.items import CASE, NOTE, RECORD
from hmip_desktop.frameworks import current_frameworks
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace

FIRST = ("Alex", "Bailey", "Casey", "Dana", "Eden", "Frankie", "Glen", "Harper", "Indy", "Jules",
         "Kit", "Lee", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Robin", "Sam", "Tate")
SURNAME = ("Quillfeather", "Marrowby", "Thistlecombe", "Pennyfold", "Dovecote", "Ashwillow",
           "Brindlemoor", "Cobblethwaite", "Fernsworth", "Gorseby", "Hollowmere", "Larkspurton",
           "Mistlebrook", "Nettlefield", "Oxbowden", "Puddlecombe", "Rookhaven", "Sallowby")
OFFICES = ("Northgate office", "Riverside office", "Eastfield office")
DIPP_PDUS = ("Demo Northvale PDU", "Demo Southmoor PDU", "Demo Westbrook PDU")
"""The invented PDUs a public protection inspection's cases come from (DIPP tables per PDU)."""
ORGANISATIONS = {
    "probation": "Demo Shire NPS Division",
    "youth": "Demo Borough Youth Offending Service",
    "public_protection": "Demo Region Probation Service",
}
EVIDENCE = (
    "Case record and interview show a thorough, well-evidenced piece of work.",
    "Some gaps: the practitioner did not draw on police domestic abuse information.",
    "Sufficient overall; planning was reviewed after the change of address.",
)


def invented_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAME)}"


DIVERSITY_WEIGHTS: dict[str, dict[str, int]] = {
    # Invented, roughly the shape of a probation caseload; every share is made up.
    "age_band": {"age_18_to_24": 18, "age_25_to_34": 34, "age_35_to_49": 32, "age_50_and_over": 12,
                 "age_10_to_14": 25, "age_15_to_17": 65, "age_18_and_over": 6,
                 "not_recorded": 4},
    "ethnicity_group": {"white": 74, "black": 8, "asian": 7, "mixed": 5, "other": 2,
                        "not_recorded": 4},
    "disability": {"disabled": 28, "not_disabled": 60, "not_recorded": 12},
    "religion": {"no_religion": 40, "christian": 33, "muslim": 8, "hindu": 1, "sikh": 1,
                 "buddhist": 1, "jewish": 1, "other_religion": 3, "not_recorded": 12},
}
"""Shares for the optional case facts the demo fills (a value not named here is rare)."""


def optional_facts(fw: Framework, rng: random.Random) -> dict[str, str]:
    """Plausible values of the framework's optional case facts, "not recorded" among them."""
    out: dict[str, str] = {}
    for f in fw.case_facts:
        if not f.optional:
            continue
        shares = DIVERSITY_WEIGHTS.get(f.id, {})
        weights = [shares.get(v, 1) for v in f.values]
        out[f.id] = rng.choices(f.values, weights=weights)[0]
    return out


def _facts(fw: Framework, rng: random.Random, sample: str | None,
           diversity: random.Random) -> dict[str, str]:
    # The optional facts from their own stream, so the rest of the demo is as it was.
    facts: dict[str, str] = optional_facts(fw, diversity)
    for f in fw.case_facts:
        if f.optional:
            continue
        if f.id == "sample" and sample:
            facts[f.id] = sample
        elif f.id == "sentence_type":
            # Keep the invented facts plausible: court report cases are pre-sentence.
            wanted = ["pre_sentence"] if sample == "court_report" else [
                v for v in f.values if v in ("community", "post_custody")]
            facts[f.id] = rng.choice([v for v in f.values if v in wanted] or list(f.values))
        else:
            facts[f.id] = rng.choice(f.values)
    return facts


def fill_case(ws: Workspace, fw: Framework, case_id: str, rng: random.Random,
              share: float) -> None:
    """Answer the first ``share`` of the required items, as an assessor would in order."""
    a = ws.read_assessment(case_id)
    ws.save_item(case_id, RECORD + "conflict_declared", "no")
    ws.save_item(case_id, RECORD + "excluded", "no")
    ws.save_item(case_id, RECORD + "interview_mode", rng.choice(("in_person", "phone")))
    for q in fw.case_questions:
        ws.save_item(case_id, CASE + q.id, rng.choice(q.values[1:] or q.values))
    a = ws.read_assessment(case_id)
    todo = [i for i in required_items(fw, a.rules, a.items) if not a.items.get(i)]
    for item in todo[: int(len(todo) * share)]:
        items = ws.read_assessment(case_id).items
        rules = case_rules(fw, a.case.facts, items)
        if not rules.applies(item) or items.get(item):
            continue
        if item in fw.key_questions_by_id:
            prompts = [items.get(p.id) for p in fw.key_questions_by_id[item].prompts]
            value = "yes" if prompts.count("yes") >= prompts.count("no") else "no"
            ws.save_item(case_id, item, value)
            ws.save_item(case_id, NOTE + item, rng.choice(EVIDENCE))
        elif item in fw.prompts_by_id:
            ws.save_item(case_id, item, "yes" if rng.random() < 0.7 else "no")


def _interview_times(fw: Framework, cases: list[tuple[str, str | None]]
                     ) -> dict[str, tuple[str, int]]:
    """The demo assessor's interview times, within the framework's week.

    The first is on the Monday afternoon after the observation; a case read from file has none.
    """
    if fw.schedule is None:
        return {}
    from hmip_desktop.setup.allocation import Allocation, Case, Member  # noqa: PLC0415
    from hmip_desktop.setup.week import plan_week  # noqa: PLC0415 - setup imports the store

    team = (Member("me", "", "assessor"), Member("qa", "", "qa"), Member("lead", "", "lead"))
    allocation = Allocation(tuple(Case(ref, facts={"sample": s or ""}) for ref, s in cases),
                            team, {ref: "me" for ref, _s in cases})
    plan = plan_week(fw.schedule, allocation, date(2026, 11, 23))
    return {e.label: (f"{e.day.isoformat()}T{e.start // 60:02d}:{e.start % 60:02d}", e.minutes)
            for e in plan.of("me") if e.kind == "interview"}


def _pdu(fw: Framework, i: int, cases: int) -> str:
    """The case's PDU: one for every framework's cases but public protection's.

    A public protection inspection's tables are per PDU, so its cases are halved between two.
    """
    if fw.programme != "public_protection":
        return "Demo PDU"
    return DIPP_PDUS[0] if i < (cases + 1) // 2 else DIPP_PDUS[1]


def create_demo(folder: Path, passphrase: str, *, seed: int = 2019,
                cases_per_inspection: int = 6) -> Workspace:
    rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not a secret
    diversity = random.Random(f"{seed} diversity")  # noqa: S311 - the same
    ws = Workspace.create(folder, passphrase, owner_name="Robin Demo-Assessor", role="assessor")
    for fw in current_frameworks():  # a superseded edition is not demonstrated
        raw = resource("frameworks", f"{fw.id}.json").read_bytes()
        iid = ws.create_inspection(
            title=f"Demo inspection: {fw.title}", organisation=ORGANISATIONS[fw.programme],
            framework_bytes=raw, fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
        me = ws.add_member(iid, name=ws.owner_name, role="assessor", office="Hillside office")
        ws.add_member(iid, name="Morgan Quillfeather", role="qa")
        ws.add_member(iid, name="Jules Pennyfold", role="lead")
        sample_field = fw.fields_by_id.get("sample")
        samples = list(sample_field.values) if sample_field else [None]
        code = fw.id.split("-")[0].upper()
        times = _interview_times(fw, [(f"DEMO-{code}-{i + 1:03d}", samples[0] if i <
                                       cases_per_inspection - 1 else samples[-1])
                                      for i in range(cases_per_inspection)])
        for i in range(cases_per_inspection):
            sample = samples[0] if i < cases_per_inspection - 1 else samples[-1]
            cid = ws.add_case(
                iid, case_ref=f"DEMO-{code}-{i + 1:03d}", facts=_facts(fw, rng, sample, diversity),
                person_name=invented_name(rng), practitioner=invented_name(rng),
                office=rng.choice(OFFICES), pdu=_pdu(fw, i, cases_per_inspection),
                team=f"Team {1 + i % 3}")
            at, minutes = times.get(f"DEMO-{code}-{i + 1:03d}", (None, None))
            ws.assign(cid, me, interview_at=at, interview_minutes=minutes)
            share = (1.0, 0.6, 0.25, 0.0, 0.0, 0.0)[i % 6]
            if share:
                fill_case(ws, fw, cid, rng, share)
            if i == 0:
                a = ws.read_assessment(cid)
                if a.completeness.complete:
                    ws.mark_complete(cid)
            if i == 1 and fw.programme == "probation":
                ws.raise_alert(
                    cid, what_might_happen="The person on probation may contact the victim, "
                    "against a licence condition, after moving nearby.",
                    how_serious="Serious: a history of violence towards this victim.",
                    how_imminent="Within days: the move is planned for this week.",
                    action_asked="Practitioner to inform the police and review the risk "
                    "management plan today.")
    return ws
