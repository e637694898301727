"""The case section of the form: facts, case questions, interviews, conflicts, exclusion, alerts."""

from __future__ import annotations

import html
from collections.abc import Mapping

from hmip_desktop.assessment import interview
from hmip_desktop.assessment.items import CASE, RECORD, RECORD_BY_KEY, RECORD_FIELDS
from hmip_desktop.frameworks.languages import shown
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.frameworks.provenance import marked
from hmip_desktop.gui.assessor.autosave import AutosaveCombo, AutosaveText
from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.provenance import drafted_note
from hmip_desktop.gui.common.qt import QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading, not_saved_label
from hmip_desktop.i18n import _
from hmip_desktop.setup.languages import ENGLISH, language_name
from hmip_desktop.store.records import Alert, Assessment

RECORD_GUIDANCE = {
    "record:interview_mode": _("Record how the practitioner was interviewed (manual §6.6). If the "
                               "allocated practitioner was unavailable, a suitable substitute "
                               "may be interviewed; otherwise the case is a file read."),
    "record:interview_substitute_role": _(
        "A substitute is normally the practitioner's line manager or supervisor; another "
        "colleague with knowledge of the case may be suitable. Only a line manager or "
        "supervisor may be given the feedback."),
    "record:interview_substitute_reason": _("Why the allocated practitioner could not attend."),
    "record:interview_second_person": _(
        "The practitioner is interviewed alone unless a second person can add something: a "
        "previous practitioner after a recent change, someone with a key role in an "
        "intervention, or a colleague supporting a practitioner new to the role."),
    "record:interview_second_person_left": _("The second person leaves the interview before "
                                             "feedback is given to the practitioner."),
    "record:interview_feedback": _("Whether you gave feedback, and to whom. A substitute who is "
                                   "not the practitioner's line manager or supervisor is given "
                                   "no feedback."),
    "record:file_read_reason": _("Why no interview was possible, so the case was assessed on "
                                 "the written record alone."),
    "record:interview_notes": _("Key points from the interview with the practitioner, including "
                                "the feedback you gave."),
    "record:pop_consent": _("Whether the person on probation agreed to a telephone interview "
                            "about their experience of supervision."),
    "record:pop_outcome": _("What happened when the telephone interview was attempted."),
    "record:pop_notes": _("What the person on probation told you, in their words where possible."),
    "record:conflict_declared": _("If you know the person on probation, the practitioner or "
                                  "anyone else in the case, declare it: the form is then blocked "
                                  "and the lead re-allocates the case."),
    "record:conflict_reason": _("Describe the connection briefly."),
    "record:excluded": _("A case that does not meet the sample specification should have been "
                         "excluded (manual §6.1). Speak to the deputy lead about a substitute "
                         "case."),
    "record:excluded_reason": _("Which part of the specification the case does not meet."),
    "record:rosh_difference_reason": _("Where your own judgement of the risk of serious harm "
                                       "differs from the level the case records, say why: the "
                                       "supporting inspector checks for it at lunchtime."),
}


class CaseSection(QtWidgets.QWidget):
    answered = Signal(str, str)
    focused = Signal(str)
    raise_alert = Signal()

    def __init__(self, framework: Framework, a: Assessment,
                 parent: QtWidgets.QWidget | None = None, *, beside: bool = False) -> None:
        super().__init__(parent)
        self.framework = framework

        def said(english: str) -> str:
            """A framework text in the interface's language, marked if English only."""
            return shown(framework, english).marked()

        def label_of(english: str, drafted: bool) -> str:
            """A fact's or question's label; with ``beside``, the other language beneath."""
            text = shown(framework, english, beside=beside)
            first = marked(text.marked(), drafted) + ":"
            return f"{first}\n{text.other}" if text.other else first
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(heading(_("Case {ref}").format(ref=a.case.case_ref), "kqText"))

        facts = _form()
        c = a.case
        for label, value in ((_("Person on probation"), c.person_name),
                             (_("Practitioner"), c.practitioner),
                             (_("PDU / team"), " / ".join(x for x in (c.pdu, c.team) if x)),
                             (_("Office"), c.office),
                             (_("Interview slot"), (c.interview_at or "").replace("T", " ")
                              + (f" ({c.interview_minutes} min)" if c.interview_minutes else "")),
                             (_("Records and interview in"),  # said only when not English
                              language_name(c.language) if c.language != ENGLISH else "")):
            if value:
                facts.addRow(label + ":", _selectable(value))
        for f in framework.case_facts:
            if f.id in c.facts:
                facts.addRow(label_of(f.label, f.drafted),
                             _selectable(said(f.label_of(c.facts[f.id]))))
        layout.addLayout(facts)
        # The labels the product drafted carry the [drafted] tag; a line under each block that
        # has one says what it means.
        self.facts_drafted_note = drafted_note()
        self.facts_drafted_note.setVisible(any(
            f.drafted and f.id in c.facts for f in framework.case_facts))
        layout.addWidget(self.facts_drafted_note)

        self.combos: dict[str, AutosaveCombo] = {}
        self.texts: dict[str, AutosaveText] = {}
        self.unsaved_notes: dict[str, QtWidgets.QLabel] = {}  # "Not saved — …" per item
        form = _form()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def add_record(name: str) -> None:
            field = RECORD_BY_KEY["record:" + name]
            if field.choices:
                w: QtWidgets.QWidget = self._combo(field.key, field.label, list(field.choices))
            else:
                w = self._text(field.key, field.label)
            form.addRow(field.label + ":", self._with_note(field.key, w))

        layout.addWidget(heading(_("Conflict of interest")))
        add_record("conflict_declared")
        add_record("conflict_reason")
        layout.addLayout(form)

        form = _form()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.drafted_note = drafted_note(self)
        self.drafted_note.setVisible(any(q.drafted for q in framework.case_questions))
        if framework.case_questions:
            layout.addWidget(heading(_("Your judgements about the case")))
            for q in framework.case_questions:
                combo = self._combo(CASE + q.id, said(q.label),
                                    [(ch.value, said(ch.label)) for ch in q.choices])
                form.addRow(label_of(q.label, q.drafted), self._with_note(combo.item, combo))
            layout.addLayout(form)
            layout.addWidget(self.drafted_note)
            if framework.qa.rosh_pairs:  # a judgement that differs from the record needs a why
                form = _form()
                add_record("rosh_difference_reason")
                layout.addLayout(form)

        for title, names in (
            (_("Practitioner interview"), tuple(k[len(RECORD):] for k in interview.FIELDS)),
            (_("Person on probation: telephone interview"),
             ("pop_consent", "pop_outcome", "pop_notes")),
            (_("Should this case have been excluded?"), ("excluded", "excluded_reason")),
        ):
            layout.addWidget(heading(title))
            form = _form()
            form.setFieldGrowthPolicy(
                QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                add_record(name)
            layout.addLayout(form)
            if name == "interview_notes":  # under the interview record: what contradicts it
                self.interview_problems = QtWidgets.QLabel()
                self.interview_problems.setObjectName("interviewProblems")
                self.interview_problems.setWordWrap(True)
                self.interview_problems.setStyleSheet("color: #d4351c")
                self.interview_problems.hide()
                layout.addWidget(self.interview_problems)

        layout.addWidget(heading(_("Alerts")))
        self.alerts_label = QtWidgets.QLabel()
        self.alerts_label.setWordWrap(True)
        layout.addWidget(self.alerts_label)
        self.alert_button = QtWidgets.QPushButton(_("Raise an alert…"))
        self.alert_button.setToolTip(_("For a significant and imminent risk of harm (manual §6.7)"))
        self.alert_button.clicked.connect(self.raise_alert)
        layout.addWidget(self.alert_button)
        layout.addStretch(1)
        assert {f.name for f in RECORD_FIELDS} >= {k.split(":")[1] for k in self.combos
                                                   if k.startswith("record:")}

    def _with_note(self, item: str, field: QtWidgets.QWidget) -> QtWidgets.QWidget:
        """The field with its not-saved note under it (the focus goes to the field)."""
        box = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        note = not_saved_label()
        column.addWidget(note)
        box.setFocusProxy(field)
        self.unsaved_notes[item] = note
        return box

    def show_unsaved(self, unsaved: Mapping[str, tuple[str, str]],
                     stored: Mapping[str, str]) -> None:
        """Show each failed save (item → value, reason) next to its field, value kept."""
        for item, note in self.unsaved_notes.items():
            if item not in unsaved:
                note.hide()
                continue
            value, reason = unsaved[item]
            if item in self.combos:
                self.combos[item].set_value(value)
            else:
                self.texts[item].keep_unsaved(value, stored.get(item, ""))
            note.setText(reason)
            note.show()

    def _combo(self, item: str, label: str, choices: list[tuple[str, str]]) -> AutosaveCombo:
        w = AutosaveCombo(item, label, choices)
        w.commit.connect(self.answered)
        w.focused.connect(self.focused)
        self.combos[item] = w
        return w

    def _text(self, item: str, label: str) -> AutosaveText:
        w = AutosaveText(item, label)
        w.setMaximumHeight(90)
        w.commit.connect(self.answered)
        w.focused.connect(self.focused)
        self.texts[item] = w
        return w

    def refresh(self, a: Assessment) -> None:
        for item, combo in self.combos.items():
            combo.set_value(a.items.get(item, ""))
        for item, text in self.texts.items():
            text.set_saved_text(a.items.get(item, ""))
        self.texts["record:conflict_reason"].setEnabled(
            a.items.get("record:conflict_declared") == "yes")
        self.texts["record:excluded_reason"].setEnabled(a.items.get("record:excluded") == "yes")
        self._refresh_interview(a.items)
        self.alerts_label.setText(_alerts_html(a.alerts) or _("No alert raised for this case."))

    def _refresh_interview(self, items: Mapping[str, str]) -> None:
        """Enable the details the record's answers call for; say in words what contradicts."""
        mode = items.get(interview.MODE, "")
        for item, on in (
            (interview.SUBSTITUTE_ROLE, mode == "substitute"),
            (interview.SUBSTITUTE_REASON, mode == "substitute"),
            (interview.FILE_READ_REASON, mode == "file_read"),
            (interview.SECOND_PERSON, mode not in ("", "file_read")
             or items.get(interview.SECOND_PERSON, "") not in ("", "none")),
            (interview.SECOND_PERSON_LEFT,
             items.get(interview.SECOND_PERSON, "") not in ("", "none")),
        ):
            w = self.combos.get(item) or self.texts[item]
            w.setEnabled(on or bool(items.get(item)))  # a value already given stays editable
        problems = interview.problems(items)
        self.interview_problems.setText("\n".join(p.message for p in problems))
        self.interview_problems.setVisible(bool(problems))

    def focus_item(self, item: str) -> bool:
        w = self.combos.get(item) or self.texts.get(item)
        if w is None:
            return False
        w.setFocus()
        return True

    def first_widget(self) -> QtWidgets.QWidget:
        return self.combos["record:conflict_declared"]


def _selectable(text: str) -> QtWidgets.QLabel:
    """A case detail as written: it comes from the lead's pack, so never rendered as markup."""
    label = plain_label(text)
    label.setTextInteractionFlags(label.textInteractionFlags().TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _alerts_html(alerts: tuple[Alert, ...]) -> str:
    parts = []
    for al in alerts:
        ack = (_("acknowledged by {who}").format(who=al.acknowledged_by) if al.acknowledged_by
               else _("not yet acknowledged by the lead"))
        esc = html.escape
        asked = _("Action asked for")
        parts.append(f"<p><b>{esc(al.raised_at[:16].replace('T', ' '))}</b> ({esc(ack)})<br>"
                     f"{esc(al.what_might_happen)}<br><i>{esc(asked)}:</i> "
                     f"{esc(al.action_asked)}</p>")
    return "".join(parts)


class AlertDialog(QtWidgets.QDialog):
    """Asks the three questions of 000_ §6.7, and what action is asked for."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Raise an alert"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "Raise an alert where you find a significant and imminent risk of harm to other "
            "people or to the person on probation that needs action now."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = _form()
        self.fields: dict[str, QtWidgets.QPlainTextEdit] = {}
        for key, label in (("what_might_happen", _("What might happen if no action is taken?")),
                           ("how_serious", _("How serious is the risk?")),
                           ("how_imminent", _("When might it happen (how imminent is it)?")),
                           ("action_asked", _("What action are you asking for?"))):
            edit = QtWidgets.QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(label)
            edit.setMaximumHeight(70)
            form.addRow(QtWidgets.QLabel(label), edit)
            self.fields[key] = edit
        layout.addLayout(form)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet("color: #d4351c")
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_("Raise alert"),
                                    QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {k: e.toPlainText().strip() for k, e in self.fields.items()}

    def _accept(self) -> None:
        if any(not v for v in self.values().values()):
            self.error.setText(_("Answer all four questions before raising the alert."))
            return
        self.accept()


def _form() -> QtWidgets.QFormLayout:
    """A form whose long labels wrap above their field rather than widen the page."""
    form = QtWidgets.QFormLayout()
    form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
    return form
