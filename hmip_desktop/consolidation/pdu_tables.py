"""The key-question table per PDU, side by side, and the region as a whole: plain counts.

The dynamic inspection of public protection publishes "inspection case data in each region"
(DIPP manual §2.1), from a sample drawn with at least five cases from each PDU (§4.1). A case
carries its PDU in the case list's PDU column (``cases.pdu``, a column of the sample, not a
case fact); a case with none is counted under ``NOT_RECORDED``. Cells are counts (yes, no, not
applicable) over the cases the rule counts, as the consolidated tables count them
(``counting.count_cases``): the region column is the consolidated table's own figures.

This is the internal table, every cell as counted. A publishable output takes ``pdu_tables``
and applies its suppression rule to the counts; nothing here suppresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.consolidation.counting import FINAL, CountRule, case_rows, count_cases
from hmip_desktop.consolidation.drilldown import YesNoCounts
from hmip_desktop.consolidation.records import check_inspection, refuse_archived
from hmip_desktop.consolidation.tables import provisional_mark
from hmip_desktop.i18n import N_
from hmip_desktop.store.workspace import Workspace

NOT_RECORDED = N_("PDU not recorded")
"""The column of cases whose PDU the case list left empty (translated where shown)."""


REGION = "region"
"""The last column's key: every counted case."""


@dataclass(frozen=True)
class PduCell(YesNoCounts):
    """One key question's counts in one PDU (or the region)."""

    yes: int
    no: int
    na: int


@dataclass(frozen=True)
class PduRow:
    kq_id: str
    text: str
    standard_id: str
    cells: tuple[PduCell, ...]
    """One per column of ``PduTables.columns``: each PDU, then the region."""


@dataclass(frozen=True)
class PduTables:
    inspection_id: str
    pdus: tuple[str, ...]
    """The PDUs of the counted cases, sorted; ``NOT_RECORDED`` last where a case has none."""
    cases: tuple[int, ...]
    """Counted cases per PDU, then the region's."""
    rows: tuple[PduRow, ...]
    """Every case-answered key question, in the framework's order."""
    provisional_mark: str = ""
    """As ``Consolidation.provisional_mark``: empty unless cases in progress count."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The PDUs, then ``REGION`` (the words are the caller's: see ``REGION``)."""
        return (*self.pdus, REGION)


def pdu_tables(ws: Workspace, inspection_id: str, rule: CountRule = FINAL) -> PduTables:
    """Per case-answered key question, its counts in each PDU and in the region.

    Refused, as the tables are, for an inspection the workspace does not hold or has archived.
    """
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    fw = ws.inspection_framework(inspection_id)
    cases = case_rows(ws, inspection_id)
    counted = count_cases(ws, inspection_id, fw, cases, rule)
    pdu_of = {c.id: c.pdu.strip() or NOT_RECORDED for c in cases}
    pdus = sorted({pdu_of[cid] for cid in counted.counted} - {NOT_RECORDED})
    if any(pdu_of[cid] == NOT_RECORDED for cid in counted.counted):
        pdus.append(NOT_RECORDED)
    column = {p: i for i, p in enumerate(pdus)}
    kqs = fw.case_key_questions()
    region = len(pdus)
    # tally[kq][column] = [yes, no, na]
    tally = {k.id: [[0, 0, 0] for _ in range(region + 1)] for k in kqs}
    slot = {"yes": 0, "no": 1, "na": 2}
    per_column = [0] * (region + 1)
    for cid in counted.counted:
        col = column[pdu_of[cid]]
        per_column[col] += 1
        per_column[region] += 1
        for kq, answer in counted.judgements.get(cid, {}).items():
            i = slot.get(answer)
            if i is None or kq not in tally:
                continue
            tally[kq][col][i] += 1
            tally[kq][region][i] += 1
    rows = tuple(PduRow(k.id, k.text, fw.parent_of[k.id],
                        tuple(PduCell(*t) for t in tally[k.id])) for k in kqs)
    mark = provisional_mark(counted.incomplete) if rule.provisional else ""
    return PduTables(inspection_id, tuple(pdus), tuple(per_column), rows, mark)
