"""The workbook's PDU tables and Findings sheets: the DIPP outputs, as rows for the data team.

The PDU sheet is the internal table (``pdu_tables``), every cell as counted; the Findings sheet
is the findings per organisational key question (``findings.report``), one finding a row. The
headers are in the language the workbook is written in, as its other sheets'.
"""

from __future__ import annotations

from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED, PduTables
from hmip_desktop.findings.report import evidence_text, findings_by_question, where
from hmip_desktop.findings.service import documents
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace


def findings_header() -> tuple[str, ...]:
    """The Findings sheet's headings, in the language in use."""
    return (_("Key question"), _("Text"), _("Standard"), _("Finding"), _("On"),
            _("What was found"), _("Evidence"))


def pdu_sheet(t: PduTables) -> tuple[list[str], list[list[object]]]:
    """Per key question and column (each PDU, then the region): yes, answered, yes %."""
    names = [_(NOT_RECORDED) if p == NOT_RECORDED else p for p in t.pdus] + [_("Region")]
    header = [_("Standard"), _("Key question"), _("Text")]
    for name in names:
        header += [_("{pdu}: yes").format(pdu=name), _("{pdu}: answered").format(pdu=name),
                   _("{pdu}: not applicable").format(pdu=name),
                   _("{pdu}: yes %").format(pdu=name)]
    rows: list[list[object]] = [["", _("Counted cases"), "", *(
        x for n in t.cases for x in (None, n, None, None))]]
    if t.provisional_mark:
        rows.insert(0, ["", t.provisional_mark, ""])
    for r in t.rows:
        rows.append([r.standard_id, r.kq_id, r.text,
                     *(x for c in r.cells for x in (c.yes, c.n, c.na, c.percent))])
    return header, rows


def findings_sheet(ws: Workspace, inspection_id: str) -> list[list[object]]:
    """One row per finding, grouped by key question; a key question without any says so."""
    fw = ws.inspection_framework(inspection_id)
    register = {d.number: d for d in documents(ws, inspection_id)}
    rows: list[list[object]] = []
    for q in findings_by_question(ws, inspection_id):
        found = [(_("Strength"), f) for f in q.strengths] + [
            (_("Area for improvement"), f) for f in q.improvements]
        if not found:
            rows.append([q.key_question, q.text, q.standard, _("None recorded"), None, None,
                         None])
        for kind, f in found:
            rows.append([q.key_question, q.text, q.standard, kind,
                         where(fw, f) or _("key question"), f.text, evidence_text(f, register)])
    return rows
