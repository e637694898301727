"""Bundles through the GUI: packs in, export, lead import by drag and drop, receipts back,
refusals explained; the lead's set-up dialog end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.contacts import enrol_member, my_card, set_up_inspection
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.gui.common import exchange_actions
from hmip_desktop.gui.common.exchange_actions import IdentityDialog, ImportSummary
from hmip_desktop.gui.common.qt import QtCore, QtGui, QtWidgets
from hmip_desktop.gui.lead.setup_window import (
    EnrolDialog,
    InterviewDaysDialog,
    NewInspectionDialog,
    SetupDialog,
)
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.gui.screens import shots_folder

pytestmark = pytest.mark.gui
PASS = "bundle gui test passphrase"


@pytest.fixture
def team(tmp_path: Path) -> dict[str, Any]:
    lead = Workspace.create(tmp_path / "lead", PASS, owner_name="Jules Lead", role="lead")
    asr = Workspace.create(tmp_path / "asr", PASS, owner_name="Robin Assessor", role="assessor")
    iid = set_up_inspection(lead, title="GUI inspection", organisation="Demo Org",
                            framework_bytes=resource("frameworks", "nps-2019-20.json")
                            .read_bytes())
    mid = enrol_member(lead, iid, my_card(asr), asr.identity.public.fingerprint,
                       role="assessor")
    cid = lead.add_case(iid, case_ref="G-001", facts={
        "sample": "supervision", "gender": "female", "sentence_type": "community",
        "rosh": "high"}, person_name="Indy Invented", practitioner="Kit Invented")
    lead.assign(cid, mid, interview_at="2026-11-24T10:00", interview_minutes=60)
    pack = make_pack(lead, iid, mid, tmp_path / "robin.hmippack")
    return {"lead": lead, "asr": asr, "iid": iid, "pack": pack, "tmp": tmp_path}


def window(qtbot: Any, ws: Workspace) -> MainWindow:
    w = MainWindow(ws, ws.folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def test_pack_export_lead_import_and_receipt_round_trip(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    summaries: list[str] = []
    monkeypatch.setattr(ImportSummary, "exec",
                        lambda self: summaries.append(self.text.toPlainText()) or 0)
    asked: list[str] = []
    monkeypatch.setattr(exchange_actions, "confirm_fingerprint",
                        lambda _p, name, fp: asked.append(fp) or True)
    asr_window = window(qtbot, team["asr"])
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(team["pack"]), ""))
    asr_window.import_bundle()
    assert asked == [team["lead"].identity.public.fingerprint]
    assert "G-001" in summaries[-1]
    assert [r.case.case_ref for r in asr_window.cases.model.rows] == ["G-001"]

    team["asr"].save_item("G-001", "2.1.1.a", "yes")
    out = team["tmp"] / "robin-1.hmipb"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: 0)
    asr_window.export_bundle()
    assert out.exists()

    lead_window = window(qtbot, team["lead"])
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(out))])
    drop = QtGui.QDropEvent(QtCore.QPointF(10, 10), QtCore.Qt.DropAction.CopyAction, mime,
                            QtCore.Qt.MouseButton.LeftButton,
                            QtCore.Qt.KeyboardModifier.NoModifier)
    lead_window.dropEvent(drop)
    assert "Applied: G-001" in summaries[-1]
    assert team["lead"].read_assessment("G-001").items["2.1.1.a"] == "yes"
    receipt = next(team["tmp"].glob("*.hmiprcpt"))

    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(receipt), ""))
    asr_window.import_bundle()
    model = asr_window.cases.model
    assert model.data(model.index(0, model.SENT)) == "Received by lead"


def test_a_refused_bundle_is_explained_and_changes_nothing(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    bad = team["tmp"] / "random.hmipb"
    bad.write_bytes(b"HMIPBNDL" + bytes(range(200)))
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _p, _t, text: warnings.append(text))
    w = window(qtbot, team["lead"])
    before = team["lead"].history()
    w.import_bundle(bad)
    assert warnings and "random.hmipb was not imported" in warnings[0]
    assert "\n" not in warnings[0]
    assert team["lead"].history() == before


def test_lead_sets_up_an_inspection_in_the_setup_dialog(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead = Workspace.create(tmp_path / "lead2", PASS, owner_name="Jules Lead", role="lead")
    asr = Workspace.create(tmp_path / "asr2", PASS, owner_name="Casey Assessor",
                           role="assessor")
    card = tmp_path / "casey.hmipid"
    card.write_bytes(my_card(asr))
    dialog = SetupDialog(lead)
    qtbot.addWidget(dialog)

    def filled(self: NewInspectionDialog) -> int:
        self.title.setText("Set-up test")
        self.organisation.setText("Demo Org")
        self.start.setDate(QtCore.QDate(2026, 11, 23))  # picked, not typed as text
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(NewInspectionDialog, "exec", filled)
    dialog.new_inspection()
    assert dialog.iid() is not None
    def confirmed(self: EnrolDialog) -> int:
        self.fingerprint.setText(asr.identity.public.fingerprint)
        self.office.setText("Riverside office")
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(EnrolDialog, "exec", confirmed)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(card), ""))
    dialog.enrol()
    assert dialog.members.rowCount() == 2  # the lead and Casey
    assert dialog.message.text() == "Casey Assessor enrolled as assessor."
    sample = tmp_path / "sample.csv"
    sample.write_text(
        "case_ref,practitioner,office,sample,gender,sentence_type,rosh\n"
        "S-1,Lee Invented,Eastfield office,supervision,male,community,high\n"
        "S-2,Tate Invented,Eastfield office,supervision,female,post_custody,low\n")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(sample), ""))
    dialog.import_sample()
    assert dialog.cases.rowCount() == 2
    def days_picked(self: InterviewDaysDialog) -> int:
        while self.list.count():  # the three offered after the fieldwork start
            self.list.setCurrentRow(0)
            self.remove_selected()
        for day in (25, 24, 24):  # out of order, and one twice
            self.day.setDate(QtCore.QDate(2026, 11, day))
            self.add_day()
        assert [d.isoformat() for d in self.days()] == ["2026-11-24", "2026-11-25"]
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(InterviewDaysDialog, "exec", days_picked)
    dialog.allocate()
    assert lead.inspections()[0]["fieldwork_start"] == "2026-11-23"
    assert {dialog.cases.item(r, 3).text() for r in range(2)} == {"Casey Assessor"}
    monkeypatch.setattr(QtWidgets.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path))
    dialog.write_packs()
    assert (tmp_path / "Casey-Assessor.hmippack").exists()
    assert "Packs written" in dialog.message.text()
    dialog.resize(1100, 680)
    dialog.show()
    out = shots_folder(tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / "setup.png"))


def test_bad_sample_lists_every_problem_and_imports_nothing(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = SetupDialog(team["lead"])
    qtbot.addWidget(dialog)
    sample = team["tmp"] / "bad.csv"
    sample.write_text("case_ref,sample,gender,sentence_type,rosh\n"
                      "B-1,supervision,male,community,high\n"
                      "B-2,supervision,martian,community,high\n")
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(sample), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _p, _t, text: shown.append(text))
    dialog.import_sample()
    assert shown and "row 3" in shown[0]
    assert dialog.cases.rowCount() == 1  # only G-001 from the fixture


def test_identity_dialog_shows_the_fingerprint(qtbot: Any, team: dict[str, Any]) -> None:
    dialog = IdentityDialog(team["asr"])
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == team["asr"].identity.public.fingerprint
    dialog.show()
    out = shots_folder(team["tmp"])
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / "identity.png"))


def test_a_pack_opened_from_the_file_manager_is_imported_once_the_window_shows(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """``hmip-desktop robin.hmippack`` (a double-click) opens the app and imports the pack."""
    from hmip_desktop.gui import app as gui_app  # noqa: PLC0415

    summaries: list[str] = []
    monkeypatch.setattr(ImportSummary, "exec",
                        lambda self: summaries.append(self.text.toPlainText()) or 0)
    monkeypatch.setattr(exchange_actions, "confirm_fingerprint", lambda *_a: True)

    def exec_briefly(_self: Any = None) -> int:
        qtbot.waitUntil(lambda: bool(summaries), timeout=5000)
        return 0

    monkeypatch.setattr(QtWidgets.QApplication, "exec", exec_briefly)
    code = gui_app.run(team["asr"].folder, passphrase=PASS, import_path=team["pack"])
    assert code == 0
    assert summaries and "G-001" in summaries[0]
    assert [c.case.case_ref for c in team["asr"].list_cases()] == ["G-001"]


def test_an_import_waits_for_a_background_job_on_the_same_database(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import threading  # noqa: PLC0415

    from hmip_desktop.gui.common.jobs import run_job  # noqa: PLC0415

    summaries: list[str] = []
    monkeypatch.setattr(ImportSummary, "exec",
                        lambda self: summaries.append(self.text.toPlainText()) or 0)
    monkeypatch.setattr(exchange_actions, "confirm_fingerprint", lambda *_a: True)
    w = window(qtbot, team["asr"])
    release = threading.Event()
    run_job(w, "Checking…", lambda: release.wait(5), lambda _r: None, lambda _e: None)
    w.import_bundle(team["pack"])
    assert summaries == [] and team["asr"].list_cases() == []
    assert "as soon as" in w.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: bool(summaries), timeout=5000)
    assert [c.case.case_ref for c in team["asr"].list_cases()] == ["G-001"]
