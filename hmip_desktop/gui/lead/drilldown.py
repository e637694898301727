"""The cases behind one key question's figures, opened from a row of the Tables tab.

Above: each prompt's Yes, No and Not applicable with the Yes percentage (the data annexes'
prompt-level figures). Below: every counted case judged Yes, No or Not applicable, with its
owner, QA sign-off, evidence note, prompt answers and interview record, so the panel can see
what a figure rests on (000_ §7.2). Read-only; Escape closes it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from hmip_desktop.consolidation.drilldown import DrillDown, EvidenceCase, PromptCount
from hmip_desktop.frameworks.provenance import marked
from hmip_desktop.gui.common.provenance import drafted_note
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import Column, RowsModel, table_view
from hmip_desktop.i18n import _

ANSWERS = {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}


def _answer(value: str | None) -> str:
    return ANSWERS.get(value or "", _("Not answered"))


PROMPT_COLUMNS = (
    Column(_("Prompt"), lambda p: p.prompt_id),
    Column(_("Text"), lambda p: marked(p.text, p.drafted)),
    Column(_("Yes"), lambda p: str(p.yes)),
    Column(_("No"), lambda p: str(p.no)),
    Column(_("Not applicable"), lambda p: str(p.na)),
    Column(_("% yes"), lambda p: "" if p.percent is None else f"{p.percent}%"),
)

CASE_COLUMNS = (
    Column(_("Judgement"), lambda e: ANSWERS[e.judgement], bold=lambda e: True),
    Column(_("Case"), lambda e: e.case_ref),
    Column(_("Owner"), lambda e: e.owner or _("Not allocated")),
    Column(_("QA"), lambda e: (_("Signed off") if e.signed_off else _("Not signed off"))
           + ("" if e.complete else ", " + _("in progress"))),
    Column(_("Evidence note"), lambda e: e.evidence or _("(none written)")),
    Column(_("Prompt answers"), lambda e: "\n".join(
        f"{pid}: {_answer(a)}" for pid, a in e.prompts)),
    Column(_("Interview"), lambda e: textwrap.fill(e.interview, 44) if e.interview
           else _("(not recorded)")),  # wrapped: the evidence note is the column that stretches
    Column(_("Partner inspectors' comments"), lambda e: "\n".join(
        textwrap.fill(c, 44) for c in e.partner_comments) or _("(none)")),
)


class DrillDownDialog(QtWidgets.QDialog):
    def __init__(self, drill: DrillDown, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.drill = drill
        self.setWindowTitle(_("Cases behind {kq}").format(kq=drill.kq_id))
        self.resize(1100, 700)
        layout = QtWidgets.QVBoxLayout(self)
        title = heading(f"{drill.kq_id} {marked(drill.text, drill.drafted)}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.mark = QtWidgets.QLabel(drill.provisional_mark.capitalize())
        self.mark.setObjectName("provisionalMark")
        self.mark.setStyleSheet("font-weight: bold; color: #d4351c;")
        self.mark.setVisible(bool(drill.provisional_mark))
        layout.addWidget(self.mark)
        counts = ", ".join(f"{ANSWERS[g]} {len(cases)}" for g, cases in drill.cases.items())
        self.counts = QtWidgets.QLabel(_("Counted cases: {counts}.").format(counts=counts))
        layout.addWidget(self.counts)
        self.drafted_note = drafted_note()
        self.drafted_note.setVisible(drill.drafted or any(p.drafted for p in drill.prompts))
        layout.addWidget(self.drafted_note)
        layout.addWidget(heading(_("Prompts")))
        self.prompts = RowsModel(PROMPT_COLUMNS, self)
        self.prompts.set_rows(list(drill.prompts))
        self.prompt_view = table_view(self.prompts, _("Prompt counts"), stretch=1)
        layout.addWidget(self.prompt_view, 1)
        layout.addWidget(heading(_("Cases")))
        self.cases = RowsModel(CASE_COLUMNS, self)
        self.cases.set_rows([e for group in drill.cases.values() for e in group])
        self.case_view = table_view(self.cases, _("Cases behind the figures"), stretch=4)
        layout.addWidget(self.case_view, 2)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def case_rows(self) -> list[EvidenceCase]:
        return list(self.cases.rows)

    def prompt_rows(self) -> list[PromptCount]:
        return list(self.prompts.rows)

    def cell(self, model: Any, row: int, column: int) -> str:
        return str(model.text(row, column))
