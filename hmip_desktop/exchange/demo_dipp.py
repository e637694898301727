"""The lead demo's second inspection: a dynamic inspection of public protection (DIPP).

DIPP is unrated: the lead records findings on the organisational key questions and publishes
"qualitative findings and inspection case data in each region" (DIPP manual §2.1). This gives
the lead's demo one to try, run to its outputs: a case sample spread over three invented PDUs
(at least five cases each, as the manual's sample rule asks), the cases read and most marked
complete, a register of documents the region sent in advance and findings per organisational
key question. So the Tables tab's "By PDU" view, the findings report and the publishable
workbook (small cells suppressed) all have something to show.

The cases are not shared out: a case not yet allocated is the lead's own (docs/security.md), so
the lead's workspace reads them itself, through the same service functions the app uses. Its
random stream is its own, so the team's other inspection is as it was.

Every name, reference and PDU is invented; references start DEMO-.
"""

from __future__ import annotations

import random

from hmip_desktop.exchange.contacts import set_up_inspection
from hmip_desktop.findings import service as findings
from hmip_desktop.setup.apply import import_sample_bytes
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.demo import DIPP_PDUS, fill_case, invented_name, optional_facts
from hmip_desktop.store.workspace import Workspace

FRAMEWORK = "dipp-2025"
CASES_PER_PDU = (6, 5, 5)
"""Cases drawn from each of ``DIPP_PDUS``: at least five from each, as the sample rule asks."""
IN_PROGRESS = 1
"""The last case of the first PDU is still being read (so provisional figures differ)."""

DOCUMENTS = (  # title, day, the key questions and prompts it speaks to, where it is kept
    ("Regional public protection strategy 2026 to 2029", "2026-09-14", ("1.1.1", "1.1.1.a"),
     "Sent by email to the lead inspector; kept in the inspection's shared folder"),
    ("Workload measurement summary, quarter two", "2026-10-02", ("1.2.1", "1.2.3"),
     "Sent by email to the lead inspector; kept in the inspection's shared folder"),
    ("Partnership agreement with the police and children's services", "2026-08-30",
     ("1.3.3",), "Printed copy handed over at the opening meeting"),
)
FINDINGS = (  # item, kind, words, documents (numbers in DOCUMENTS' order), meetings
    ("1.1.1", "strength", "Leaders set out a clear public protection strategy, and staff at "
     "every office we visited could say what it asks of them.", (1,),
     ("Meeting with the regional senior leadership team",)),
    ("1.1.1", "improvement", "The strategy's measures of success are not yet reported to "
     "the partnership board.", (1,), ()),
    ("1.2.1", "improvement", "Caseloads in two PDUs are well above the region's own "
     "measure; practitioners told us this limits home visits.", (2,),
     ("Focus group with practitioners",)),
    ("1.2.3", "strength", "Managers countersign every risk of serious harm assessment "
     "within the week.", (2,), ("Meeting with middle managers",)),
    ("1.3.3", "strength", "Information is shared with the police promptly, under an agreed "
     "protocol.", (3,), ("Meeting with partner agencies",)),
)
NARRATIVE = ("1.1.1", "Our strategy was agreed with partners in the spring and is reviewed "
             "every quarter by the public protection board.")


def add_dipp_inspection(lead: Workspace, seed: int) -> str:
    """Set up the DIPP inspection in the lead's workspace and run it to findings."""
    rng = random.Random(f"{seed} dipp")  # noqa: S311 - repeatable invented data, not a secret
    iid = set_up_inspection(
        lead, title="Demo inspection: Demo Region public protection",
        organisation="Demo Region Probation Service",
        framework_bytes=resource("frameworks", f"{FRAMEWORK}.json").read_bytes(),
        fieldwork_start="2027-01-18", fieldwork_end="2027-01-22")
    import_sample_bytes(lead, iid, _sample_csv(lead, iid, rng).encode("utf-8"))
    fw = lead.inspection_framework(iid)
    cases = sorted(lead.list_cases(iid), key=lambda s: s.case.case_ref)
    first_pdu = [s.case.id for s in cases if s.case.pdu == DIPP_PDUS[0]]
    reading = set(first_pdu[-IN_PROGRESS:])
    for s in cases:
        fill_case(lead, fw, s.case.id, rng, 0.6 if s.case.id in reading else 1.0)
        if s.case.id not in reading and lead.read_assessment(s.case.id).completeness.complete:
            lead.mark_complete(s.case.id)
    numbers = [findings.add_document(lead, iid, title=title, dated=day, items=items,
                                     location=where)
               for title, day, items, where in DOCUMENTS]
    for item, kind, words, docs, meetings in FINDINGS:
        findings.add_finding(lead, iid, item, kind, words,
                             documents=[numbers[d - 1] for d in docs], meetings=meetings)
    findings.set_narrative(lead, iid, *NARRATIVE)
    return iid


def _sample_csv(lead: Workspace, iid: str, rng: random.Random) -> str:
    """The region's case sample: invented people in ``DIPP_PDUS``, every case fact filled."""
    fw = lead.inspection_framework(iid)
    facts = [f for f in fw.case_facts if not f.optional]
    optional = [f.id for f in fw.case_facts if f.optional]
    rows = []
    n = 0
    for pdu, count in zip(DIPP_PDUS, CASES_PER_PDU, strict=True):
        for i in range(count):
            n += 1
            given = optional_facts(fw, rng)
            for f in facts:
                given[f.id] = rng.choice(f.values)
            rows.append(",".join((
                f"DEMO-DIPP-{n:03d}", invented_name(rng), pdu, f"Team {1 + i % 2}",
                f"{pdu.removesuffix(' PDU')} office", invented_name(rng),
                *(given[f.id] for f in facts), *(given[f] for f in optional))))
    header = ",".join(("case_ref,person_name,pdu,team,office,practitioner",
                       *(f.id for f in facts), *optional))
    return "\n".join((header, *rows)) + "\n"
