"""A demo team: a lead, two assessors and their QA partner, after a real exchange.

``hmip-desktop demo --role lead`` (or ``qa``, or ``trainee``) opens one of these workspaces, so
the lead's consolidation and the lunchtime QA screens can be tried on invented data; the
assessor's demo (``store/demo.py``) stays the default. Nothing here is staged: each workspace
is created, each card enrolled by its fingerprint, the sample imported, the cases allocated,
every pack, assessment bundle, receipt and QA bundle made and imported, through the same
service functions the app and the CLI use. So the demo also shows what an inspection looks like
once the files have moved: provenance, receipts, queries, an alert waiting in the lead's inbox.
The lead also holds a public protection inspection run to its findings and publishable outputs
(``demo_dipp``), and a training event run to its comparison and selection, with three trainees'
workspaces (``demo_training``; ``demo --role trainee`` opens one).

Every name and reference is invented (``store/demo.py``'s word lists); references start DEMO-.
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path

from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.contacts import (
    enrol_member,
    my_card,
    set_qa_partner,
    set_up_inspection,
)
from hmip_desktop.exchange.demo_dipp import add_dipp_inspection
from hmip_desktop.exchange.demo_training import TRAINEES, add_training_event
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.exchange.service import import_file
from hmip_desktop.frameworks import load_framework
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.sampling.demo_sample import draw_demo_sample
from hmip_desktop.setup.apply import allocate_evenly, import_sample_bytes
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.connection import make_private_folder
from hmip_desktop.store.demo import fill_case, invented_name, optional_facts
from hmip_desktop.store.workspace import Workspace

FRAMEWORK = "nps-2019-20"
ROLES = ("lead", "qa", "assessor-1", "assessor-2")
PEOPLE = {  # folder → (name, role, office)
    "lead": ("Jules Pennyfold", "lead", ""),
    "qa": ("Morgan Quillfeather", "qa", "Hillside office"),
    "assessor-1": ("Robin Ashwillow", "assessor", "Northgate office"),
    "assessor-2": ("Casey Marrowby", "assessor", "Riverside office"),
    # the lead's training event (``demo_training``): local assessors, trained, not yet enrolled
    "trainee-1": ("Dale Fernhollow", "assessor", ""),
    "trainee-2": ("Pat Quenby", "assessor", ""),
    "trainee-3": ("Lee Thistlewood", "assessor", ""),
}
FOLDERS = {"qa": "qa", "lead": "lead", "trainee": "trainee-2"}
"""The workspace ``demo --role ROLE`` opens: the trainee's is the one held in reserve."""
CASES = 14
# How far each assessor got with each case, in allocation order: most complete, some not.
SHARES = (1.0, 1.0, 1.0, 1.0, 0.6, 1.0, 0.3)


def create_team_demo(folder: Path, passphrase: str, *, seed: int = 2019) -> dict[str, Path]:
    """Create the team's workspaces under ``folder``; return each one's folder by role."""
    rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not a secret
    make_private_folder(folder.parent)
    folder.mkdir(mode=0o700)  # refused if it exists; owner-only whatever the umask
    if os.name != "nt":
        folder.chmod(0o700)
    exchange = folder / "files"  # the shared folder the bundles travel through
    exchange.mkdir()
    ws = {who: Workspace.create(folder / who, passphrase, owner_name=name, role=role)
          for who, (name, role, _office) in PEOPLE.items()}
    try:
        _exchange(ws, exchange, rng)
        add_dipp_inspection(ws["lead"], seed)
        add_training_event(ws["lead"], {who: ws[who] for who in TRAINEES}, folder / "training",
                           seed)
    finally:
        for w in ws.values():
            w.close()
    return {who: folder / who for who in PEOPLE}


def _exchange(ws: dict[str, Workspace], files: Path, rng: random.Random) -> None:
    lead = ws["lead"]
    iid = set_up_inspection(
        lead, title="Demo inspection: Demo Shire NPS division",
        organisation="Demo Shire NPS Division",
        framework_bytes=resource("frameworks", f"{FRAMEWORK}.json").read_bytes(),
        fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
    members = {who: enrol_member(lead, iid, my_card(ws[who]),
                                 ws[who].identity.public.fingerprint,
                                 role=ws[who].owner_role, office=PEOPLE[who][2])
               for who in ("qa", "assessor-1", "assessor-2")}
    for who in ("assessor-1", "assessor-2"):
        set_qa_partner(lead, members[who], members["qa"])

    import_sample_bytes(lead, iid, _sample_csv(rng).encode("utf-8"))  # no plaintext file
    allocate_evenly(lead, iid, [date(2026, 11, 23 + d) for d in range(5)])
    draw_demo_sample(lead, iid, date(2026, 11, 23))  # the long list's draw, to look at

    lead_fp = lead.identity.public.fingerprint
    for who, member in members.items():
        pack = make_pack(lead, iid, member, files / f"{who}.hmippack")
        import_file(ws[who], pack, lead_fingerprint=lead_fp)

    for who in ("assessor-1", "assessor-2", "qa"):
        me = ws[who]
        own = [s for s in me.list_cases(iid) if me.ownership(s.case.id).mine]
        for n, summary in enumerate(own):  # the QA partner holds others' cases read-only
            share = SHARES[n % len(SHARES)]
            fill_case(me, me.inspection_framework(iid), summary.case.id, rng, share)
            if share == 1.0 and me.read_assessment(summary.case.id).completeness.complete:
                me.mark_complete(summary.case.id)
    first = ws["assessor-1"].list_cases(iid)[0].case.id
    ws["assessor-1"].raise_alert(
        first, what_might_happen="The person on probation may contact the victim, against "
        "a licence condition, after moving nearby.",
        how_serious="Serious: a history of violence towards this victim.",
        how_imminent="Within days: the move is planned for this week.",
        action_asked="Practitioner to inform the police and review the risk management plan "
        "today.")

    for who in ("assessor-1", "assessor-2", "qa"):
        bundle = export_assessments(ws[who], iid, files / f"{who}.hmipb")
        receipt = files / f"{who}.hmiprcpt"
        import_file(lead, bundle, receipt_out=receipt)
        import_file(ws[who], receipt)
        if who != "qa":
            import_file(ws["qa"], bundle)

    # The lunchtime check: the QA partner asks about one judgement; the assessor replies.
    qa = ws["qa"]
    asked = next(s for s in qa.list_cases(iid)
                 if s.case.assessor == PEOPLE["assessor-1"][0] and s.status == "complete")
    kq = next(k.id for k in qa.inspection_framework(iid).case_key_questions()
              if qa.read_assessment(asked.case.id).items.get(k.id) == "yes")
    raise_query(qa, asked.case.id, kq, f"{kq} is judged yes: which evidence tipped the "
                "balance? The note does not say.")  # the reply is left to whoever tries it
    qa_bundle = export_qa(qa, iid, members["assessor-1"], files / "qa-assessor-1.hmipb")
    import_file(ws["assessor-1"], qa_bundle)
    import_file(lead, qa_bundle)


def _sample_csv(rng: random.Random) -> str:
    """The lead's case sample: invented people, offices none of the team works in.

    The optional facts (age band, ethnic group, disability, religion or belief) come from a
    stream of their own, so the rest of the demo is the same whatever they are.
    """
    fw = load_framework(FRAMEWORK)
    optional = [f.id for f in fw.case_facts if f.optional]
    diversity = random.Random(f"{CASES} diversity")  # noqa: S311 - invented, not a secret
    fw_rows = []
    for i in range(CASES):
        extra = optional_facts(fw, diversity)
        court = i >= CASES - 3
        fw_rows.append(",".join((
            f"DEMO-NPS-{i + 1:03d}", invented_name(rng), "Demo PDU", f"Team {1 + i % 3}",
            rng.choice(("Eastfield office", "Southmead office")), invented_name(rng),
            "court_report" if court else "supervision", rng.choice(("male", "female")),
            "pre_sentence" if court else rng.choice(("community", "post_custody")),
            rng.choice(("low", "medium", "high")), *(extra[f] for f in optional))))
    header = ",".join(("case_ref,person_name,pdu,team,office,practitioner,sample,gender,"
                       "sentence_type,rosh", *optional))
    return "\n".join((header, *fw_rows)) + "\n"
