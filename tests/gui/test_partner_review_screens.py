"""The partner inspector's review on screen: the lead gives cases from the set-up window, the
partner reads them read-only and comments, and the lead sees the comments in the drill-down."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.drilldown import drill_down
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.drilldown import CASE_COLUMNS, DrillDownDialog
from hmip_desktop.gui.lead.review_give import GiveReviewDialog
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.partner.review_window import ReviewWindow
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review
from hmip_desktop.team.roles import grant_role
from tests.exchange import conftest as exchange
from tests.exchange.conftest import PASSPHRASE, Env
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
PARTNER = "a2"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _lead_gives(qtbot: Any, env: Env, shots: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """From the set-up window: Casey made a partner inspector, given RT-101 and RT-102."""
    lead, team = env.ws("lead"), env.team
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    grant_role(lead, team.iid, team.member_ids[PARTNER], "partner")
    setup = SetupDialog(lead)
    qtbot.addWidget(setup)
    out = env.bundle("review.hmipb")
    seen: list[GiveReviewDialog] = []

    def tick_and_write(self: GiveReviewDialog) -> int:
        self.show()
        seen.append(self)
        for r in range(self.cases.count()):
            item = self.cases.item(r)
            if item.text() in ("RT-101", "RT-102"):
                item.setCheckState(Qt.CheckState.Checked)
        self.grab().save(str(shots / "partner-give-cases.png"))
        assert not internal_names(visible_texts(self))
        assert self.give_and_write(out) == out
        return 1

    monkeypatch.setattr(GiveReviewDialog, "exec", tick_and_write)
    button = next(b for b in setup.findChildren(QtWidgets.QPushButton)
                  if b.text() == "Cases to review…")
    button.click()
    assert seen and seen[0].partner.currentText() == "Casey Marrowby"
    assert "2 cases to review written to" in seen[0].message.text()
    return out


def test_the_partner_reads_the_cases_read_only_and_comments_reach_the_lead(
        qtbot: Any, answered_env: Env, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shots = _shots(tmp_path)
    bundle = _lead_gives(qtbot, answered_env, shots, monkeypatch)
    answered_env.close(PARTNER)
    partner_ws = Workspace.open(answered_env.folder(PARTNER), PASSPHRASE)
    w = MainWindow(partner_ws, answered_env.folder(PARTNER))
    qtbot.addWidget(w)
    w.show()
    assert not w.review_action.isVisible()  # nothing to review before the bundle comes
    service.import_file(partner_ws, bundle)
    w.reload_cases()
    assert w.review_action.isVisible()
    w.review_action.trigger()
    win = w.review_window
    assert isinstance(win, ReviewWindow)
    win.resize(1200, 760)
    assert [win.cases.item(r).text() for r in range(win.cases.count())] == ["RT-101", "RT-102"]
    shown = win.reader.toPlainText()
    assert "The assessment engaged the person well." in shown and "Judgement: Yes" in shown
    # Read-only: the case is text that cannot be edited, and no control could set an answer.
    assert win.reader.isReadOnly()
    answer_controls = (QtWidgets.QRadioButton, QtWidgets.QCheckBox, QtWidgets.QLineEdit,
                       QtWidgets.QSpinBox)
    assert not [c for kind in answer_controls for c in win.findChildren(kind)]
    editable = [t for t in win.findChildren(QtWidgets.QPlainTextEdit) if not t.isReadOnly()]
    assert editable == [win.text]  # the comment box, and nothing else, takes typing
    before = review.review_copies(partner_ws, answered_env.team.iid)
    win.about.setCurrentIndex(win.about.findData("2.1.1"))
    win.text.setPlainText("Police checks were not followed up.")
    win.add_button.click()
    win.text.setPlainText("Good joint working overall.")
    win.about.setCurrentIndex(0)
    win.add_button.click()
    assert win.comments.count() == 2
    assert "Casey Marrowby" in win.comments.item(0).text()
    assert review.review_copies(partner_ws, answered_env.team.iid) == before
    win.grab().save(str(shots / "partner-review-window.png"))
    assert not internal_names(visible_texts(win))
    back = win.send(answered_env.bundle("comments.hmipb"))
    assert back is not None
    w.close()
    partner_ws.close()

    lead = answered_env.ws("lead")
    service.import_file(lead, back)
    c = consolidate(lead, answered_env.team.iid, rule=PROVISIONAL)  # in progress counted
    drill = DrillDownDialog(drill_down(lead, c, "2.1.1"))
    qtbot.addWidget(drill)
    drill.resize(1366, 768)
    drill.show()
    column = next(i for i, col in enumerate(CASE_COLUMNS)
                  if col.title == "Partner inspectors' comments")
    row = next(i for i, e in enumerate(drill.case_rows()) if e.case_ref == "RT-101")
    text = " ".join(drill.cell(drill.cases, row, column).split())  # wrapped in the cell
    assert "Casey Marrowby" in text and "Police checks were not followed up." in text
    assert "on the case as a whole: Good joint working overall." in text
    assert "on the case as a whole: Police checks" not in text  # that one is on 2.1.1
    drill.grab().save(str(shots / "partner-comments-drilldown.png"))


def test_a_comment_with_no_words_is_refused_in_one_line_and_saves_nothing(
        qtbot: Any, answered_env: Env, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _lead_gives(qtbot, answered_env, _shots(tmp_path), monkeypatch)
    partner_ws = answered_env.ws(PARTNER)
    service.import_file(partner_ws, bundle)
    win = ReviewWindow(partner_ws, answered_env.team.iid)
    qtbot.addWidget(win)
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        staticmethod(lambda _p, title, text, *a, **k: shown.append(text)))
    win.text.setPlainText("   ")
    win.add_button.click()
    assert len(shown) == 1 and "needs some words" in shown[0]
    assert win.comments.count() == 0
    assert review.my_comments(partner_ws, answered_env.team.iid) == []
