"""Names from other members' cards are shown as written, never rendered as markup.

QLabel and QMessageBox render text that looks like HTML as HTML, so a card named
``<b>Lead</b> <img src=x>`` could restyle a dialog. The enrolment dialog, the set-up message
line and the refusals that quote a name show it as typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.contacts import set_up_inspection
from hmip_desktop.exchange.identity import make_card, new_identity
from hmip_desktop.gui.assessor.case_form import CASE_PAGE
from hmip_desktop.gui.common.plain_text import as_html
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets
from hmip_desktop.gui.lead.setup_window import EnrolDialog, SetupDialog
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui
PASS = "plain text gui passphrase"
MARKUP_NAME = "<b>Sam</b> <img src=x> &amp; <a href='y'>co</a>"


def shown(text: str) -> str:
    """What a person reads in a message box given this text: Qt's own guess, then rendering."""
    if QtGui.Qt.mightBeRichText(text):
        return QtGui.QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


@pytest.mark.parametrize("text", [MARKUP_NAME, "a < b > c & d", "line one\nline two",
                                  "plain words"])
def test_as_html_is_read_exactly_as_written(text: str) -> None:
    assert shown(as_html(text)) == text


def test_the_enrol_dialog_shows_the_card_as_written_and_offers_two_roles(
        qtbot: Any) -> None:
    card = new_identity(MARKUP_NAME, "qa").public
    dialog = EnrolDialog(card)
    qtbot.addWidget(dialog)
    labels = [w for w in dialog.findChildren(QtWidgets.QLabel) if MARKUP_NAME in w.text()]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    assert "Their card says: QA inspector." in labels[0].text()
    assert [dialog.role.itemData(i) for i in range(dialog.role.count())] == ["assessor", "qa"]
    assert dialog.role.currentData() == "qa"  # the card's claim, offered first


def test_a_refusal_quoting_a_card_name_shows_the_name_as_written(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead = Workspace.create(tmp_path / "lead", PASS, owner_name="Jules Lead", role="lead")
    set_up_inspection(lead, title="Markup test", organisation="Demo Org",
                      framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
    card = tmp_path / "sam.hmipid"
    card.write_bytes(make_card(new_identity(MARKUP_NAME, "assessor")))
    dialog = SetupDialog(lead)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(card), ""))

    def wrong_fingerprint(self: EnrolDialog) -> int:
        self.fingerprint.setText("AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH")
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(EnrolDialog, "exec", wrong_fingerprint)
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _p, _t, text, *a: warnings.append(text))
    dialog.enrol()
    assert len(warnings) == 1
    assert shown(warnings[0]).startswith(f"The fingerprint does not match {MARKUP_NAME}'s card")
    assert dialog.members.rowCount() == 1  # only the lead
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    lead.close()


def test_case_details_and_alerts_from_older_data_are_shown_as_written(
        qtbot: Any, window: Any) -> None:
    """The second line of defence: text a pack brought before the text rule (or a database
    edited by hand) is shown as typed in the case section, never as a link or styling."""
    ws = window.ws
    case = ws.find_case("DEMO-NPS-004")
    with ws.transaction():
        ws._conn.execute("UPDATE cases SET person_name = ? WHERE id = ?", (MARKUP_NAME, case.id))
    alert = ws.raise_alert(case.id, what_might_happen="Harm <b>now</b>",
                           how_serious="Serious", how_imminent="Within days",
                           action_asked="Call <a href='x'>them</a>")
    with ws.transaction():
        ws._conn.execute("UPDATE alerts SET raised_at = ? WHERE id = ?",
                        ("<img src=x>2026-11-24T10:00", alert.id))
    open_case(window, "DEMO-NPS-004")
    window.form.show_page(CASE_PAGE)
    section = window.form.page
    named = [w for w in section.findChildren(QtWidgets.QLabel) if w.text() == MARKUP_NAME]
    assert named and all(w.textFormat() == Qt.TextFormat.PlainText for w in named)
    shown_alerts = QtGui.QTextDocumentFragment.fromHtml(section.alerts_label.text()).toPlainText()
    assert "<img src=x>" in shown_alerts and "Harm <b>now</b>" in shown_alerts
    assert "Call <a href='x'>them</a>" in shown_alerts
