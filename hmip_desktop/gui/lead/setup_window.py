"""The lead's inspection set-up: the inspection, members, the case sample, allocation, packs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.contacts import (
    ENROLLED_ROLES,
    enrol_member,
    role_name,
    set_qa_partner,
    set_up_inspection,
)
from hmip_desktop.exchange.files import read_card_file
from hmip_desktop.exchange.identity import PublicIdentity, read_card
from hmip_desktop.exchange.pack_editions import edition_words
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.recovery_files import issue_recovery_file
from hmip_desktop.frameworks import available_frameworks, current_frameworks, superseded_by
from hmip_desktop.gui.common.edition_dialogs import AdoptEditionDialog
from hmip_desktop.gui.common.plain_text import plain_label, warn
from hmip_desktop.gui.common.qt import Qt, QtCore, QtWidgets
from hmip_desktop.gui.common.widgets import DATE_SHOWN, chosen_day, date_edit, heading
from hmip_desktop.gui.lead.calendar import CalendarDialog
from hmip_desktop.gui.lead.common import inspection_label
from hmip_desktop.gui.lead.language_dialog import CaseLanguageDialog, MemberLanguagesDialog
from hmip_desktop.i18n import _
from hmip_desktop.member_labels import choices_by_label, member_labels
from hmip_desktop.setup.apply import allocate_evenly, import_sample
from hmip_desktop.setup.languages import (
    language_name,
    languages_text,
    set_case_language,
    set_member_languages,
    stored_languages,
)
from hmip_desktop.setup.new_edition import adopt_edition, edition_source, plan_edition
from hmip_desktop.setup.reassign import conflict_reasons, reassign
from hmip_desktop.setup.sample_import import SampleError
from hmip_desktop.setup.schedule_service import set_interview_time
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import EXTRA_ROLES, ROLE_KEYS, member_roles, set_granted_roles
from hmip_desktop.wording import role_label


class SetupDialog(QtWidgets.QDialog):
    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_("Inspection set-up"))
        self.resize(1100, 680)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(_("Inspection:")))
        self.inspection = QtWidgets.QComboBox()
        self.inspection.setAccessibleName(_("Inspection"))
        self.inspection.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.inspection, 1)
        new = QtWidgets.QPushButton(_("New inspection…"))
        new.clicked.connect(self.new_inspection)
        top.addWidget(new)
        edition = QtWidgets.QPushButton(_("New edition of the framework…"))
        edition.setToolTip(_("Issue a corrected or later edition of the inspection's "
                             "framework to the team"))
        edition.clicked.connect(self.new_edition)
        top.addWidget(edition)
        layout.addLayout(top)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        left = QtWidgets.QWidget()
        lv = QtWidgets.QVBoxLayout(left)
        lv.addWidget(heading(_("Team")))
        self.members = QtWidgets.QTableWidget(0, 5)
        self.members.setHorizontalHeaderLabels([_("Name"), _("Roles"), _("Office"),
                                                _("QA partner"), _("Languages")])
        self.members.setAccessibleName(_("Team members"))
        self.members.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.horizontalHeader().setStretchLastSection(True)
        lv.addWidget(self.members)
        row = QtWidgets.QHBoxLayout()
        for label, slot in ((_("Enrol from card…"), self.enrol),
                            (_("Set QA partner…"), self.qa_partner),
                            (_("Roles…"), self.roles),
                            (_("Cases to review…"), self.cases_to_review),
                            (_("Languages…"), self.member_languages),
                            (_("Write packs…"), self.write_packs),
                            (_("Recovery file…"), self.recovery_file)):
            b = QtWidgets.QPushButton(label)
            b.clicked.connect(slot)
            row.addWidget(b)
        lv.addLayout(row)
        split.addWidget(left)

        right = QtWidgets.QWidget()
        rv = QtWidgets.QVBoxLayout(right)
        rv.addWidget(heading(_("Case sample and allocation")))
        self.cases = QtWidgets.QTableWidget(0, 6)
        self.cases.setHorizontalHeaderLabels([_("Case"), _("Practitioner"), _("Office"),
                                              _("Inspector"), _("Interview"), _("Language")])
        self.cases.setAccessibleName(_("Cases"))
        self.cases.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.horizontalHeader().setStretchLastSection(True)
        rv.addWidget(self.cases)
        for group in (((_("Case sample…"), self.case_sample),
                       (_("Import sample…"), self.import_sample),
                       (_("Allocate evenly…"), self.allocate),
                       (_("Calendar and schedules…"), self.calendar)),
                      ((_("Assign selected…"), self.assign_selected),
                       (_("Reassign selected…"), self.reassign_selected),
                       (_("Language…"), self.case_language))):
            row = QtWidgets.QHBoxLayout()
            for label, slot in group:
                b = QtWidgets.QPushButton(label)
                b.clicked.connect(slot)
                row.addWidget(b)
            row.addStretch(1)
            rv.addLayout(row)
        split.addWidget(right)
        split.setSizes([600, 600])
        layout.addWidget(split, 1)
        self.message = plain_label()  # it quotes names from members' cards
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload_inspections()

    # -- data ------------------------------------------------------------------------------

    def reload_inspections(self, select: str | None = None) -> None:
        self.inspection.blockSignals(True)
        self.inspection.clear()
        for i in self.ws.inspections():
            self.inspection.addItem(inspection_label(self.ws, i), i["id"])
        if select:
            self.inspection.setCurrentIndex(self.inspection.findData(select))
        self.inspection.blockSignals(False)
        self.refresh()

    def iid(self) -> str | None:
        data = self.inspection.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        iid = self.iid()
        members = self.ws.members(iid) if iid else []
        names = member_labels((m["id"], m["name"]) for m in members)  # same names told apart
        self.members.setRowCount(len(members))
        for r, m in enumerate(members):
            roles = member_roles(self.ws, iid, m["id"]) if iid else frozenset()
            words = ", ".join([role_label(m["role"]),  # their own first, then any granted
                               *(role_label(r) for r in ROLE_KEYS
                                 if r in roles and r != m["role"])])
            for c, text in enumerate((names[m["id"]], words, m["office"],
                                      names.get(m["qa_partner_id"] or "", ""),
                                      languages_text(stored_languages(m["languages"])))):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m["id"])
                self.members.setItem(r, c, item)
        cases = self.ws.allocations(iid) if iid else []
        self.case_languages = {s.case.id: s.case.language
                               for s in (self.ws.list_cases(iid) if iid else [])}
        self.cases.setRowCount(len(cases))
        for r, case in enumerate(cases):
            for col, text in enumerate((case["case_ref"], case["practitioner"], case["office"],
                                        names.get(case["member_id"] or "", ""),
                                        (case["interview_at"] or "").replace("T", " "),
                                        language_name(self.case_languages.get(case["id"],
                                                                              "en")))):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, case["id"])
                self.cases.setItem(r, col, item)
        self.members.resizeColumnsToContents()
        self.cases.resizeColumnsToContents()

    def _run(self, work: object) -> bool:
        """Run a set-up step; a refusal is shown in one line and changes nothing."""
        try:
            result = work()  # type: ignore[operator]
        except SampleError as e:
            detail = "\n".join(f"row {row}: {why}" if row else why for row, why in e.problems)
            QtWidgets.QMessageBox.warning(self, _("Sample not imported"),
                                          f"{e}\n\n{detail}")
            return False
        except UserError as e:
            warn(self, _("Not done"), str(e))
            return False
        self.refresh()
        if isinstance(result, str):
            self.message.setText(result)
        return True

    @staticmethod
    def _row_id(table: QtWidgets.QTableWidget, row: int) -> str:
        item = table.item(row, 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    # -- actions ---------------------------------------------------------------------------

    def new_inspection(self) -> None:
        dialog = NewInspectionDialog(self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        v = dialog.values()
        new_ids: list[str] = []

        def create() -> str:
            # read here, so a damaged installation is reported like any other refusal
            raw = resource("frameworks", f"{v['framework']}.json").read_bytes()
            new_ids.append(set_up_inspection(
                self.ws, title=v["title"] or "", organisation=v["organisation"] or "",
                framework_bytes=raw, fieldwork_start=v["fieldwork_start"],
                fieldwork_end=v["fieldwork_end"]))
            return _("Inspection created.")

        if self._run(create):
            self.reload_inspections(new_ids[0])

    def enrol(self) -> None:
        iid = self.iid()
        if iid is None:
            return
        name, _f = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Member card"), str(Path.home()), _("Member cards (*.hmipid)"))
        if not name:
            return
        try:
            data = read_card_file(Path(name))
            card = read_card(data)
        except (UserError, OSError) as e:  # CardError too
            warn(self, _("Not a member card"), str(e))
            return
        dialog = EnrolDialog(card, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        typed, role, office = dialog.values()
        self._run(lambda: enrol_member(self.ws, iid, data, typed, role=role, office=office)
                  and _("{name} enrolled as {role}.").format(name=card.name,
                                                             role=role_name(role)))

    def _chosen_member(self) -> tuple[str, int, str] | None:
        """The inspection, the team table's selected row and its member id, or None (said)."""
        iid = self.iid()
        row = self.members.currentRow()
        if iid is None or row < 0:
            self.message.setText(_("Select a member first."))
            return None
        return iid, row, self._row_id(self.members, row)

    def qa_partner(self) -> None:
        chosen = self._chosen_member()
        if chosen is None:
            return
        iid, _row, member_id = chosen
        qas = [m for m in self.ws.members(iid) if m["role"] == "qa"]
        if not qas:
            self.message.setText(_("Enrol a QA inspector first."))
            return
        shown = choices_by_label(qas)  # two QA inspectors may share a name: chosen by member id
        name, ok = QtWidgets.QInputDialog.getItem(self, _("QA partner"), _("Supported by:"),
                                                  list(shown), 0, False)
        if ok:
            qa_id = shown[name]
            self._run(lambda: set_qa_partner(self.ws, member_id, qa_id))

    def roles(self) -> None:
        """Grant or withdraw the deputy lead's and a partner inspector's roles (audited)."""
        chosen = self._chosen_member()
        if chosen is None:
            return
        iid, row, member_id = chosen
        cell = self.members.item(row, 0)
        name = cell.text() if cell is not None else ""
        dialog = RolesDialog(name, member_roles(self.ws, iid, member_id), self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        wanted = frozenset(dialog.chosen())

        def work() -> str:
            set_granted_roles(self.ws, iid, member_id, wanted)
            return _("{name}'s roles saved.").format(name=name)

        self._run(work)

    def cases_to_review(self) -> None:
        """Give a partner inspector cases to review and write their review bundle."""
        from hmip_desktop.gui.lead.review_give import GiveReviewDialog  # noqa: PLC0415

        iid = self.iid()
        if iid is not None:
            GiveReviewDialog(self.ws, iid, self).exec()

    def member_languages(self) -> None:
        """The languages the selected member inspects in (allocation matches them)."""
        chosen = self._chosen_member()
        if chosen is None:
            return
        iid, row, member_id = chosen
        cell = self.members.item(row, 0)
        name = cell.text() if cell is not None else ""
        held = next(stored_languages(m["languages"]) for m in self.ws.members(iid)
                    if m["id"] == member_id)
        dialog = MemberLanguagesDialog(name, held, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        wanted = dialog.chosen()
        self._run(lambda: _("{name} inspects in {languages}.").format(
            name=name, languages=languages_text(
                set_member_languages(self.ws, iid, member_id, wanted))))

    def case_language(self) -> None:
        """The language of the selected case's records and interview."""
        row = self.cases.currentRow()
        if self.iid() is None or row < 0:
            self.message.setText(_("Select a case first."))
            return
        case_id = self._row_id(self.cases, row)
        cell = self.cases.item(row, 0)
        ref = cell.text() if cell is not None else ""
        dialog = CaseLanguageDialog(ref, self.case_languages.get(case_id, "en"), self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        wanted = dialog.chosen()
        self._run(lambda: _("Case {ref} is in {language}.").format(
            ref=ref, language=language_name(set_case_language(self.ws, case_id, wanted))))

    def case_sample(self) -> None:
        """The case sample drawn here from the organisation's long lists (issue 14)."""
        from hmip_desktop.gui.lead.sample_page import SamplePage  # noqa: PLC0415

        iid = self.iid()
        if iid is None:
            return
        SamplePage(self.ws, iid, self).exec()
        self.refresh()  # a final sample adds the inspection's cases

    def import_sample(self) -> None:
        iid = self.iid()
        if iid is None:
            return
        name, _f = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Case sample"), str(Path.home()), _("Case samples (*.csv *.xlsx)"))
        if name:
            self._run(lambda: _("{n} cases imported.").format(
                n=import_sample(self.ws, iid, Path(name)).added))

    def allocate(self) -> None:
        iid = self.iid()
        if iid is None:
            return
        insp = next(i for i in self.ws.inspections() if i["id"] == iid)
        try:
            start = date.fromisoformat(insp["fieldwork_start"] or "")
        except ValueError:
            start = date.today()
        dialog = InterviewDaysDialog([start + timedelta(days=d) for d in (1, 2, 3)], self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        days, lead_cases = dialog.days(), dialog.lead_cases.isChecked()
        self._run(lambda: "\n".join(allocate_evenly(self.ws, iid, days,
                                                    lead_cases=lead_cases).lines()))

    def assign_selected(self) -> None:
        iid = self.iid()
        row = self.cases.currentRow()
        if iid is None or row < 0:
            self.message.setText(_("Select a case first."))
            return
        case_id = self._row_id(self.cases, row)
        members = [m for m in self.ws.members(iid) if m["role"] in ("assessor", "qa", "lead")]
        shown = choices_by_label(members)
        name, ok = QtWidgets.QInputDialog.getItem(self, _("Assign"), _("Inspector:"),
                                                  list(shown), 0, False)
        if not ok:
            return
        insp = next(i for i in self.ws.inspections() if i["id"] == iid)
        try:
            first = date.fromisoformat(insp["fieldwork_start"] or "")
        except ValueError:
            first = date.today()
        week = self.ws.inspection_framework(iid).schedule  # fieldwork may start at 13:00
        slot = InterviewSlotDialog(first, self, **(
            {"minutes": week.weeks[0].first_day_start} if week else {}))
        if slot.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            when = slot.slot() or ""
            mid = shown[name]
            self._run(lambda: set_interview_time(self.ws, case_id, mid, when))

    def calendar(self) -> None:
        """The week grid by member, from which each member's schedule prints."""
        iid = self.iid()
        if iid is None:
            return
        self.calendar_dialog = CalendarDialog(self.ws, iid, self)
        self.calendar_dialog.open()

    def reassign_selected(self) -> None:
        """Give the selected case to another member, or to the lead, with a reason."""
        iid = self.iid()
        row = self.cases.currentRow()
        if iid is None or row < 0:
            self.message.setText(_("Select a case first."))
            return
        case_id = self._row_id(self.cases, row)
        members = [m for m in self.ws.members(iid) if m["key_id"] is not None]
        cell = self.cases.item(row, 0)
        dialog = ReassignDialog(cell.text() if cell else "", choices_by_label(members), self,
                                conflicts=lambda mid: conflict_reasons(self.ws, iid, case_id,
                                                                       mid))
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        member_id, reason = dialog.values()

        def work() -> str:
            done = reassign(self.ws, iid, case_id, member_id, reason)
            said = _("{ref} reassigned to {name}: write their pack, and the previous owner's, "
                     "so both learn it.").format(ref=done.case_ref, name=done.to_name)
            return "\n".join([said, *(_("Conflict overridden, with your reason: {why}")
                                      .format(why=why) for why in done.conflicts)])

        self._run(work)

    def write_packs(self) -> None:
        iid = self.iid()
        if iid is None:
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, _("Folder for the packs"),
                                                            str(Path.home()))
        if not folder:
            return

        def work() -> str:
            written = []
            for m in self.ws.members(iid):
                if m["role"] != "lead" and m["key_id"] is not None:
                    out = Path(folder) / f"{m['name'].replace(' ', '-')}.hmippack"
                    written.append(make_pack(self.ws, iid, m["id"], out).name)
            return _("Packs written: {names}").format(names=", ".join(written) or "-")

        self._run(work)

    def new_edition(self) -> None:
        """Preview a new edition of the framework for each case, then adopt it on confirm."""
        iid = self.iid()
        if iid is None:
            return
        name, _filter = QtWidgets.QFileDialog.getOpenFileName(
            self, _("The new edition's framework file"), str(Path.home()),
            _("Framework files (*.json)"))
        if not name:
            return
        try:
            source = edition_source(name)
            plan = plan_edition(self.ws, iid, source)
        except UserError as e:
            warn(self, _("Not done"), str(e))
            return
        dialog = AdoptEditionDialog(plan, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return

        def work() -> str:
            done = adopt_edition(self.ws, iid, source, move_complete=dialog.chosen())
            return _("{new} now replaces {old} for this inspection: write the packs again so "
                     "the team receives it").format(new=edition_words(done.new),
                                                    old=edition_words(done.old))

        self._run(work)

    def recovery_file(self) -> None:
        """A one-time recovery file for the selected member who forgot their passphrase."""
        chosen = self._chosen_member()
        if chosen is None:
            return
        _iid, row, member_id = chosen
        cell = self.members.item(row, 0)
        name = cell.text() if cell is not None else ""
        path, _f = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Recovery file for {name}").format(name=name),
            str(Path.home() / f"{name.replace(' ', '-')}.hmiprecovery"),
            _("Recovery files (*.hmiprecovery)"))
        if not path:
            return
        self._run(lambda: issue_recovery_file(self.ws, member_id, Path(path)) and _(
            "Recovery file for {name} written. It opens only their workspace, once: give it "
            "to them by a route other than their laptop's bag.").format(name=name))


class EnrolDialog(QtWidgets.QDialog):
    """The lead confirms a card's fingerprint and chooses the member's role and office.

    The card's name and claimed role are shown as plain text: the card's maker wrote them.
    """

    def __init__(self, card: PublicIdentity, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Enrol a member"))
        form = QtWidgets.QFormLayout(self)
        intro = plain_label(_(
            "Ask {name} to read out the fingerprint their own app shows, and type it here. "
            "Their card says: {role}.").format(name=card.name, role=role_name(card.role)))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.fingerprint = QtWidgets.QLineEdit()
        self.role = QtWidgets.QComboBox()
        for role in ENROLLED_ROLES:
            self.role.addItem(role_label(role), role)
        if card.role in ENROLLED_ROLES:
            self.role.setCurrentIndex(self.role.findData(card.role))
        self.office = QtWidgets.QLineEdit()
        self.office.setPlaceholderText(_("Never allocated its cases"))
        for label, w in ((_("Fingerprint:"), self.fingerprint), (_("Enrol as:"), self.role),
                         (_("Their own office:"), self.office)):
            w.setAccessibleName(label.rstrip(":"))
            form.addRow(label, w)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str]:
        """The fingerprint typed, the role chosen and the office."""
        return (self.fingerprint.text(), str(self.role.currentData()),
                self.office.text().strip())


class ReassignDialog(QtWidgets.QDialog):
    """The new owner of a case and the reason, both required (kept in the case's history)."""

    def __init__(self, case_ref: str, members: dict[str, str],
                 parent: QtWidgets.QWidget | None = None, *,
                 conflicts: Callable[[str], list[str]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Reassign {ref}").format(ref=case_ref))
        self._conflicts = conflicts
        self.setMinimumWidth(520)
        form = QtWidgets.QFormLayout(self)
        intro = plain_label(_(
            "Only the owner's workspace can change a case. The new owner receives it, with "
            "everything received so far, in their next pack; the previous owner's copy turns "
            "read-only when their next pack reaches them."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.member = QtWidgets.QComboBox()
        for label, mid in members.items():
            self.member.addItem(label, mid)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText(
            _("For example, the assessor is ill, or a conflict of interest"))
        for label, w in ((_("New owner:"), self.member), (_("Reason:"), self.reason)):
            w.setAccessibleName(label.rstrip(":"))
            form.addRow(label, w)
        self.conflict = plain_label()  # names from the sample and from members' cards
        self.conflict.setWordWrap(True)
        form.addRow(self.conflict)
        self.member.currentIndexChanged.connect(self._show_conflicts)
        self._show_conflicts()
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(_("Reassign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_conflicts(self) -> None:
        """What the conflict checks say about the chosen member (the reason overrides them)."""
        found = self._conflicts(str(self.member.currentData())) if self._conflicts else []
        self.conflict.setText("\n".join([
            _("Conflict of interest: {why}").format(why=why) for why in found] + ([_(
                "Reassigning overrides it: your reason is kept in the case's history.")]
                if found else [])))
        self.conflict.setVisible(bool(found))

    def values(self) -> tuple[str, str]:
        """The member id chosen and the reason typed."""
        return str(self.member.currentData()), self.reason.text()


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


class InterviewDaysDialog(QtWidgets.QDialog):
    """The days of interviews, picked from a calendar into a list (cases are spread over them)."""

    def __init__(self, days: list[date], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Allocate evenly"))
        self.setMinimumWidth(420)
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "The days on which interviews are held. Each assessor's cases are spread evenly "
            "over them; cases read from file take no slot."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        pick = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel(_("&Day:"))
        self.day = date_edit(days[-1] + timedelta(days=1) if days else date.today(),
                             _("Interview day to add"))
        label.setBuddy(self.day)
        self.add_button = QtWidgets.QPushButton(_("&Add day"))
        self.add_button.clicked.connect(self.add_day)
        pick.addWidget(label)
        pick.addWidget(self.day, 1)
        pick.addWidget(self.add_button)
        layout.addLayout(pick)
        self.list = QtWidgets.QListWidget()
        self.list.setAccessibleName(_("Interview days"))
        layout.addWidget(self.list, 1)
        self.remove_button = QtWidgets.QPushButton(_("&Remove the selected day"))
        self.remove_button.clicked.connect(self.remove_selected)
        layout.addWidget(self.remove_button)
        self.lead_cases = QtWidgets.QCheckBox(_("The lead and the deputy lead take cases too"))
        self.lead_cases.setToolTip(_(
            "As many as the framework gives them: four each in probation inspections, two or "
            "three in youth ones"))
        layout.addWidget(self.lead_cases)
        note = QtWidgets.QLabel(_(
            "Nobody is given a case from their own office, one they declared a connection to, "
            "or one whose practitioner or person on probation has the same or a similar name. "
            "Each such case is listed after the allocation, with the reason."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(
            _("Allocate"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for d in days:
            self._add(d)
        self._update()

    def days(self) -> list[date]:
        """The days listed, in order."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())]

    def _add(self, day: date) -> None:
        if day in self.days():
            return
        item = QtWidgets.QListWidgetItem(
            QtCore.QDate(day.year, day.month, day.day).toString(DATE_SHOWN))
        item.setData(Qt.ItemDataRole.UserRole, day)
        later = next((i for i, d in enumerate(self.days()) if d > day), self.list.count())
        self.list.insertItem(later, item)

    def add_day(self) -> None:
        """Add the day chosen above (once), and offer the next day."""
        day = chosen_day(self.day)
        self._add(day)
        self.day.setDate(self.day.date().addDays(1))
        self._update()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.count() > 0)
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.list.count() > 0)


class RolesDialog(QtWidgets.QDialog):
    """The roles a member holds beside their own: the deputy lead's, a partner inspector's."""

    def __init__(self, name: str, held: frozenset[str],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Roles of {name}").format(name=name))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "The deputy lead handles alerts, substitute cases and the local assessors' "
            "debrief; a partner inspector reviews the cases they are given and may comment."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: dict[str, QtWidgets.QCheckBox] = {}
        for role in EXTRA_ROLES:
            box = QtWidgets.QCheckBox(role_label(role))
            box.setChecked(role in held)
            layout.addWidget(box)
            self.boxes[role] = box
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> set[str]:
        return {role for role, box in self.boxes.items() if box.isChecked()}


class InterviewSlotDialog(QtWidgets.QDialog):
    """An interview's day and time picked from a calendar, or none: the case is read from file."""

    def __init__(self, day: date, parent: QtWidgets.QWidget | None = None, *,
                 minutes: int = 9 * 60 + 30) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Interview"))
        form = QtWidgets.QFormLayout(self)
        self.interview = QtWidgets.QCheckBox(_("An &interview (not a file read)"))
        self.interview.setChecked(True)
        self.at = QtWidgets.QDateTimeEdit(QtCore.QDateTime(
            QtCore.QDate(day.year, day.month, day.day),
            QtCore.QTime(minutes // 60, minutes % 60)))
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat(DATE_SHOWN + ", HH:mm")
        self.at.setAccessibleName(_("Interview day and time"))
        self.interview.toggled.connect(self.at.setEnabled)
        form.addRow(self.interview)
        form.addRow(_("&When:"), self.at)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def slot(self) -> str | None:
        """The slot as stored (``2026-11-24T09:30``), or None for a file read."""
        if not self.interview.isChecked():
            return None
        return self.at.dateTime().toString("yyyy-MM-ddTHH:mm")


class NewInspectionDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New inspection"))
        form = QtWidgets.QFormLayout(self)
        self.framework = QtWidgets.QComboBox()
        for fw in current_frameworks():  # the current editions first, one chosen already
            self.framework.addItem(fw.title, fw.id)
        for fw in available_frameworks():  # then any superseded edition, still offered
            if superseded_by(fw) is not None:
                self.framework.addItem(_("{title} (superseded)").format(title=fw.title), fw.id)
        self.title = QtWidgets.QLineEdit()
        self.organisation = QtWidgets.QLineEdit()
        first = next_monday()
        self.start = date_edit(first, _("Fieldwork starts"))
        self.end = date_edit(first + timedelta(days=4), _("Fieldwork ends"))
        # the end never before the start
        self.start.dateChanged.connect(self.end.setMinimumDate)
        self.end.setMinimumDate(self.start.date())
        for label, w in ((_("Framework:"), self.framework), (_("Title:"), self.title),
                         (_("Organisation:"), self.organisation),
                         (_("Fieldwork starts:"), self.start), (_("Fieldwork ends:"), self.end)):
            w.setAccessibleName(label.rstrip(":"))
            form.addRow(label, w)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str | None]:
        return {"framework": self.framework.currentData(), "title": self.title.text().strip(),
                "organisation": self.organisation.text().strip(),
                "fieldwork_start": chosen_day(self.start).isoformat(),
                "fieldwork_end": chosen_day(self.end).isoformat()}

