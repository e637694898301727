"""The lead demo's training event: a benchmark, three trainees, their bundles and a selection.

Local assessors train on two cases for which the inspectorate "establish[es] a benchmark score
prior to the training"; the lead then decides who is selected and who is held in reserve
(000_ §3.10). The lead's demo holds such an event, run through the same service functions the
app and the CLI use: a training inspection with two invented training cases, the lead's own
assessment of both marked as the benchmark, a training pack for each of three trainees, each
trainee's workspace answering both cases, their training bundles imported at the lead, and the
lead's decision on each trainee with feedback.

The trainees agree with the benchmark less and less (``TRAINEES``): each copies the lead's
answers and answers a share of the prompts the other way. Only prompts no hurdle or
applicability rule reads are turned round, so every trainee's form holds as the lead's did.
Its random stream is its own, so the team's other inspections are as they were.

Every name and reference is invented; references start DEMO-.
"""

from __future__ import annotations

import random
from pathlib import Path

from hmip_desktop.assessment.items import NOTE
from hmip_desktop.exchange.contacts import enrol_member, my_card, my_member, set_up_inspection
from hmip_desktop.exchange.service import import_file
from hmip_desktop.exchange.training_bundles import export_training
from hmip_desktop.exchange.training_packs import make_training_pack
from hmip_desktop.frameworks.model import Condition, Framework, Not, Ref
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.demo import EVIDENCE, fill_case, invented_name
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.events import mark_benchmark
from hmip_desktop.training.selection import NOT_SELECTED, RESERVE, SELECTED, record_selection

FRAMEWORK = "nps-2019-20"
TITLE = "Training event: Demo Shire local assessors"
CASES = (  # reference, facts
    ("DEMO-TRN-001", {"sample": "supervision", "gender": "male",
                      "sentence_type": "community", "rosh": "high"}),
    ("DEMO-TRN-002", {"sample": "supervision", "gender": "female",
                      "sentence_type": "post_custody", "rosh": "medium"}),
)
TRAINEES = {  # folder → (share of the free prompts answered differently, decision, feedback)
    "trainee-1": (0.0, SELECTED, "Your judgements matched the benchmark throughout, and your "
                  "evidence notes said why. Selected for fieldwork."),
    "trainee-2": (0.22, RESERVE, "Sound on most key questions. Read the prompts on "
                  "safeguarding again against the guidance before fieldwork; held in reserve."),
    "trainee-3": (0.4, NOT_SELECTED, "Several prompts were answered from the plan's "
                  "headings rather than from the work done. Practise with your own cases, "
                  "reading each prompt's guidance, and ask to train again next time."),
}


def add_training_event(lead: Workspace, trainees: dict[str, Workspace], files: Path,
                       seed: int) -> str:
    """Run the training event from the lead's benchmark to the lead's selection."""
    rng = random.Random(f"{seed} training")  # noqa: S311 - repeatable invented data
    files.mkdir()
    iid = set_up_inspection(
        lead, title=TITLE, organisation="Demo Shire NPS Division", training=True,
        framework_bytes=resource("frameworks", f"{FRAMEWORK}.json").read_bytes())
    members = {who: enrol_member(lead, iid, my_card(ws), ws.identity.public.fingerprint,
                                 role="assessor", office="Demo Shire training room")
               for who, ws in trainees.items()}
    fw = lead.inspection_framework(iid)
    for ref, facts in CASES:
        case_id = lead.add_case(iid, case_ref=ref, facts=facts, person_name=invented_name(rng),
                                pdu="Demo PDU", practitioner=invented_name(rng))
        fill_case(lead, fw, case_id, rng, 1.0)
        lead.mark_complete(case_id)
    bench = mark_benchmark(lead, iid)

    lead_fp = lead.identity.public.fingerprint
    free = sorted(free_prompts(fw))
    for who, ws in trainees.items():
        pack = make_training_pack(lead, iid, members[who], files / f"{who}.hmiptrainingpack")
        import_file(ws, pack, lead_fingerprint=lead_fp)
        share = TRAINEES[who][0]
        for case_id, answers in bench.answers.items():
            for item, read in lead.read_assessment(case_id).items.items():
                if item not in answers and read:  # the record and case questions, as read
                    ws.save_item(case_id, item, read)
            turned = [k for k in free if k in answers]
            rng.shuffle(turned)
            turned = turned[: round(len(turned) * share)]
            for item, given in answers.items():
                if item in turned:
                    given = "no" if given == "yes" else "yes"  # noqa: PLW2901
                elif item.startswith(NOTE) and share:
                    given = rng.choice(EVIDENCE)  # noqa: PLW2901 - their own words
                ws.save_item(case_id, item, given)
        bundle = export_training(ws, iid, files / f"{who}.hmiptraining")
        import_file(lead, bundle)

    for who, ws in trainees.items():
        _share, decision, feedback = TRAINEES[who]
        record_selection(lead, iid, my_member(ws, iid)["id"], decision, feedback)
    return iid


def free_prompts(fw: Framework) -> set[str]:
    """Prompts no hurdle or applicability rule reads: answering one otherwise changes only it."""
    read: set[str] = set()

    def walk(c: Condition) -> None:
        if isinstance(c, Ref):
            read.add(c.ref)
        elif isinstance(c, Not):
            walk(c.item)
        else:
            for sub in c.items:
                walk(sub)

    for h in fw.hurdles:
        walk(h.when)
    for rule in fw.applicability:
        walk(rule.applies_when)
    return set(fw.prompts_by_id) - read
