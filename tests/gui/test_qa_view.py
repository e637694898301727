"""The lunchtime QA round in the GUI: the QA partner imports an assessor's bundle, sees the
findings, reads the case read-only, raises a query, signs off (refused, then accepted) and
exports; the assessor sees the query on the item and replies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.assessor.case_form import CaseForm
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common import jobs, queries
from hmip_desktop.gui.common.exchange_actions import ImportSummary
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qa.view import CASE_ROLE, ITEM_ROLE, QaView
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.qa.service import case_findings
from hmip_desktop.qa.signoff import signoff_of
from hmip_desktop.store.workspace import Workspace
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env
from tests.qa.builders import build

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
QUERY = "2.1.1 is judged yes but prompt b is no: what tipped it?"


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Import summaries and message boxes are recorded instead of waiting for a click."""
    said: list[str] = []
    monkeypatch.setattr(ImportSummary, "exec",
                        lambda self: said.append(self.text.toPlainText()) or 0)
    for kind in ("information", "warning"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind,
                            lambda _p, _t, text, *a, **k: said.append(text) or 0)
    return said


def _window(qtbot: Any, ws: Workspace) -> MainWindow:
    w = MainWindow(ws, ws.folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


def _qa_window(qtbot: Any, env: Env) -> tuple[MainWindow, QaView]:
    w = _window(qtbot, env.ws("qa"))
    assert w.qa_view is not None and w.stack.currentWidget() is w.qa_view
    qtbot.waitUntil(lambda: not w.qa_view.busy and w.qa_view.sheet is not None, timeout=10000)
    return w, w.qa_view


def _import(qtbot: Any, w: MainWindow, path: Path) -> None:
    view = w.qa_view
    if view is None:
        w.import_bundle(path)
        return
    with qtbot.waitSignal(view.loaded, timeout=10000):
        w.import_bundle(path)
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)


def _tree(view: QaView) -> dict[str, dict[str, list[str]]]:
    """Assessor → case reference → the items its finding rows point at."""
    out: dict[str, dict[str, list[str]]] = {}
    for i in range(view.tree.topLevelItemCount()):
        top = view.tree.topLevelItem(i)
        assert top is not None
        cases = out.setdefault(top.text(0), {})
        for j in range(top.childCount()):
            row = top.child(j)
            assert row is not None
            ref = row.text(0).split()[0]
            items: list[str] = []
            for k in range(row.childCount()):
                child = row.child(k)
                assert child is not None
                # a folded line of blanks lists each blank item under it
                items += [str(child.child(n).data(0, ITEM_ROLE))
                          for n in range(child.childCount())] if child.childCount() else [
                    str(child.data(0, ITEM_ROLE))]
            cases[ref] = items
    return out


def _select(view: QaView, ref: str, item: str = "") -> None:
    ws = view.ws
    assert ws is not None
    cid = ws.find_case(ref).id
    found = []

    def walk(node: QtWidgets.QTreeWidgetItem) -> None:
        if node.data(0, CASE_ROLE) == cid and str(node.data(0, ITEM_ROLE) or "") == item:
            found.append(node)
        for k in range(node.childCount()):
            child = node.child(k)
            if child is not None:
                walk(child)

    for i in range(view.tree.topLevelItemCount()):
        top = view.tree.topLevelItem(i)
        if top is not None:
            walk(top)
    assert found, (ref, item, _tree(view))
    view.tree.setCurrentItem(found[0])


def _fill_complete(ws: Workspace, ref: str) -> None:
    """Answer every item as a careful assessor would, then mark the case complete."""
    a = ws.read_assessment(ref)
    clean = build(a.framework, a.case.facts)
    for item, value in clean.items.items():
        if a.items.get(item) != value:
            ws.save_item(a.case.id, item, value)
    ws.mark_complete(a.case.id)


def test_qa_partner_reviews_queries_signs_off_and_the_assessor_replies(
        qtbot: Any, answered_env: Env, tmp_path: Path, quiet_dialogs: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    qa_ws = env.ws("qa")
    w, view = _qa_window(qtbot, env)
    _import(qtbot, w, env.bundle("a1-1.hmipb"))
    robin = NAMES["a1"]

    # the seeded findings are under the right assessor and case
    tree = _tree(view)
    assert set(tree[robin]) == {"RT-101", "RT-102"}
    for ref in ("RT-101", "RT-102"):  # every finding, the blanks folded after the others
        found = case_findings(qa_ws, ref)
        assert sorted(tree[robin][ref]) == sorted(f.item for f in found)
        blanks = [f.item for f in found if f.check == "required_item_unanswered"]
        if len(blanks) > 3:
            assert tree[robin][ref][-len(blanks):] == blanks
    assert any(i.startswith("alert:") for i in tree[robin]["RT-101"])
    assert not any(i.startswith("alert:") for i in tree[robin]["RT-102"])
    assert "record:interview_mode" not in tree[robin]["RT-101"]  # it was recorded

    # the case opens read-only, in the same form, with the findings outlined
    _select(view, "RT-101", "2.1.2.a")
    view.open_selected()
    form = w.form
    assert isinstance(form, CaseForm) and form.read_only
    assert not form.complete_button.isVisible()
    assert form.current == "2.1.2" and isinstance(form.page, KqPage)
    assert form.page.note.isReadOnly()
    assert form.page.rows[0].item == "2.1.2.a"
    assert form.page.rows[0].property("mark") == "must_fix"
    assert "Not answered: prompt 2.1.2.a" in form.page.marks_label.text()
    assert "⚑" in form._kq_items["2.1.2"].text(0)
    form.go_to_item("2.1.1.a")
    page = form.page
    assert isinstance(page, KqPage)
    page.rows[0].setFocus()
    qtbot.waitUntil(page.rows[0].hasFocus, timeout=2000)
    revision = qa_ws.read_assessment("RT-101").revision
    qtbot.keyClick(page.rows[0], Qt.Key.Key_N)  # editing is refused
    assert "Read-only" in form.status_line.text()
    assert qa_ws.read_assessment("RT-101").items["2.1.1.a"] == "yes"
    assert qa_ws.read_assessment("RT-101").revision == revision
    assert not any(b.isEnabled() for b in page.rows[0].buttons.values())
    page.rows[0].setFocus()
    qtbot.waitUntil(page.rows[0].hasFocus, timeout=2000)

    # a query on an item, from the form
    def fill(self: queries.AddQueryDialog) -> int:
        assert self.item.currentData() == "2.1.1.a"  # the item that had the focus
        self.item.setCurrentIndex(self.item.findData("2.1.1"))
        self.text.setPlainText(QUERY)
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(queries.AddQueryDialog, "exec", fill)
    form.findChild(QtWidgets.QPushButton, "addQuery").click()
    [q] = list_queries(qa_ws, "RT-101")
    assert (q.item, q.text, q.is_open) == ("2.1.1", QUERY, True)
    assert form.query_panel.shown == [q]
    assert "✉" in form._kq_items["2.1.1"].text(0)

    # sign-off is refused with the reason
    form.findChild(QtWidgets.QPushButton, "signOff").click()
    assert "not marked complete" in quiet_dialogs[-1]
    assert signoff_of(qa_ws, "RT-101") is None
    w.show_cases()
    assert w.stack.currentWidget() is view
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    _select(view, "RT-101")
    assert view.queries is not None and [x.id for x in view.queries.shown] == [q.id]

    # the QA bundle goes to the assessor (and the lead)
    out = tmp_path / "qa-robin.hmipb"
    with qtbot.waitSignal(view.exported, timeout=10000) as sent:
        view.export_bundle(out)
    assert sent.args == [str(out)] and out.read_bytes()[:8] == b"HMIPBNDL"

    # the lead reads the thread but has no reply box (replies go between assessor and QA)
    from hmip_desktop.exchange.service import import_file  # noqa: PLC0415

    lead = env.ws("lead")
    import_file(lead, out)
    lead_case = lead.find_case("RT-101").id
    lead_panel = queries.QueryPanel(lead, lead_case, lead.read_assessment(lead_case).framework)
    qtbot.addWidget(lead_panel)
    lead_panel.show()
    assert [x.id for x in lead_panel.shown] == [q.id]
    assert lead_panel.thread_view.isVisible()
    assert not lead_panel.reply.isVisible() and not lead_panel.send.isVisible()

    # the assessor sees the query on the item and in the navigation, and replies
    a1 = env.ws("a1")
    aw = _window(qtbot, a1)
    assert aw.qa_view is None
    aw.import_bundle(out)
    model = aw.cases.model
    row = next(i for i, r in enumerate(model.rows) if r.case.case_ref == "RT-101")
    # the case list counts open queries
    assert model.data(model.index(row, model.QUERIES)) == "1 open"
    assert model.data(model.index(row, model.STATUS)) == "Queried"
    aw.open_case(a1.find_case("RT-101").id)
    aform = aw.form
    assert aform is not None and not aform.read_only
    assert "Queried" in aform.title.text()  # the form says what the case list says
    assert "✉" in aform._kq_items["2.1.1"].text(0)
    aform.go_to_item("2.1.1")
    apage = aform.page
    assert isinstance(apage, KqPage)
    assert apage.judgement.property("mark") == "query"
    assert QUERY in apage.marks_label.text().replace("&#x27;", "'")
    assert [x.id for x in aform.query_panel.shown] == [q.id]
    aform.query_panel.reply.setPlainText("Prompt b was a small gap; the rest was strong.")
    aform.query_panel.send.click()
    [aq] = list_queries(a1, "RT-101")
    assert [r.text for r in aq.replies] == ["Prompt b was a small gap; the rest was strong."]
    assert "small gap" in aform.query_panel.thread_view.toPlainText()
    aw.show_cases()
    _fill_complete(a1, "RT-101")
    from hmip_desktop.exchange.assessments import export_assessments  # noqa: PLC0415

    second = export_assessments(a1, env.team.iid, tmp_path / "a1-2.hmipb")

    # the QA partner imports the answers and the reply, closes the query and signs off
    w.show_cases()
    _import(qtbot, w, second)
    _select(view, "RT-101")
    panel = view.queries
    assert panel is not None and panel.shown[0].replies
    panel.close_selected()
    assert not list_queries(qa_ws, "RT-101", open_only=True)
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    _select(view, "RT-101")
    view.sign_off_selected()
    signed = signoff_of(qa_ws, "RT-101")
    assert signed is not None and signed.revision == qa_ws.read_assessment("RT-101").revision
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    _select(view, "RT-101")
    current = view.tree.currentItem()
    assert current is not None and current.text(1) == "Signed off"


def test_own_cases_open_for_editing_and_the_sheet_shows(qtbot: Any, answered_env: Env,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    w, view = _qa_window(qtbot, answered_env)
    own = f"Your own cases ({NAMES['qa']})"
    assert "RT-301" in _tree(view)[own]
    _select(view, "RT-301")
    assert not view.buttons["query"].isEnabled() and not view.buttons["signoff"].isEnabled()
    view.open_selected()
    assert w.form is not None and not w.form.read_only
    w.form.save("record:interview_mode", "phone")
    assert answered_env.ws("qa").read_assessment("RT-301").items["record:interview_mode"] == \
        "phone"
    w.show_cases()
    shown: list[Any] = []
    monkeypatch.setattr(QtWidgets.QDialog, "exec", lambda self: shown.append(self) or 0)
    view.show_sheet()
    [report] = shown
    assert "Lunchtime QA sheet" in report.browser.toPlainText()
    assert NAMES["a1"] in report.browser.toPlainText()
    pdf = report.save_pdf(tmp_path / "sheet.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")


def test_locking_hides_the_qa_view(qtbot: Any, answered_env: Env) -> None:
    w, view = _qa_window(qtbot, answered_env)
    assert view.tree.topLevelItemCount()
    view.reload()
    assert view.busy
    w.lock()  # while the checks run: the lock waits for them, then hides everything
    qtbot.waitUntil(lambda: w.ws is None, timeout=10000)
    assert not view.busy and view.tree.topLevelItemCount() == 0 and view.sheet is None
    assert w.stack.currentWidget() is w.locked
    assert not view.summary.text()


def test_closing_the_window_while_the_checks_run_is_quiet(qtbot: Any,
                                                          answered_env: Env) -> None:
    w, view = _qa_window(qtbot, answered_env)
    _import(qtbot, w, answered_env.bundle("a1-1.hmipb"))
    assert view.tree.topLevelItemCount()  # there are findings to show
    with qtbot.waitSignal(view.loaded, timeout=10000):  # the job's result, after the close
        view.reload()
        assert view.busy
        w.close()
        assert w.ws is None and not view.tree.topLevelItemCount()
    # the result came back to a closed window and was dropped, without an error
    assert not view.busy and not jobs.busy()
    assert view.tree.topLevelItemCount() == 0 and view.sheet is None
    assert not view.summary.text()


def test_the_qa_view_works_from_the_keyboard(qtbot: Any, answered_env: Env,
                                             quiet_dialogs: list[str]) -> None:
    w, view = _qa_window(qtbot, answered_env)
    _import(qtbot, w, answered_env.bundle("a1-1.hmipb"))
    _select(view, "RT-101")
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus, timeout=2000)
    window = w.windowHandle()  # shortcuts go through the window, as a real key press does
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Sign off
    qtbot.waitUntil(lambda: "not marked complete" in quiet_dialogs[-1], timeout=2000)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # opens the case, read-only
    assert w.form is not None and w.form.read_only
    assert w.form.case_id == answered_env.ws("qa").find_case("RT-101").id
    form = w.form
    form.next_kq(0)
    qtbot.waitUntil(lambda: form.isAncestorOf(QtWidgets.QApplication.focusWidget()),
                    timeout=2000)
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Left,
                   Qt.KeyboardModifier.AltModifier)  # back
    qtbot.waitUntil(lambda: w.form is None, timeout=2000)
    assert w.stack.currentWidget() is view
    assert view.tree.hasFocus()


def test_a_query_reply_waits_for_the_checks_running_on_the_same_database(
        qtbot: Any, answered_env: Env) -> None:
    """The QA partner's checks read the workspace in the background; a click that writes
    (here: Send reply) waits for them instead of sharing the connection with them."""
    import threading  # noqa: PLC0415

    from hmip_desktop.exchange import service  # noqa: PLC0415
    from hmip_desktop.exchange.qa import export_qa  # noqa: PLC0415
    from hmip_desktop.gui.common.jobs import run_job  # noqa: PLC0415
    from hmip_desktop.qa.queries import raise_query  # noqa: PLC0415

    qa_ws, a1 = answered_env.ws("qa"), answered_env.ws("a1")

    service.import_file(qa_ws, answered_env.bundle("a1-1.hmipb"))
    first = answered_env.team.cases_of("a1")[0]
    query = raise_query(qa_ws, first, "case", "Was the practitioner seen in person?")
    service.import_file(a1, export_qa(qa_ws, answered_env.team.iid,
                                      answered_env.team.member_ids["a1"],
                                      answered_env.bundle("qa-w.hmipb")))
    panel = queries.QueryPanel(a1, first, a1.read_assessment(first).framework)
    qtbot.addWidget(panel)
    panel.show()
    release = threading.Event()
    run_job(panel, "Checking…", lambda: release.wait(5), lambda _r: None, lambda _e: None)
    panel.reply.setPlainText("Yes, at the office on Tuesday.")
    panel.send.click()
    assert list_queries(a1, first)[0].replies == ()  # not yet: the job is still running
    release.set()
    qtbot.waitUntil(lambda: bool(list_queries(a1, first)[0].replies), timeout=5000)
    assert list_queries(a1, first)[0].id == query.id


def test_the_debrief_button_opens_the_selected_assessors_debrief(qtbot: Any,
                                                                 answered_env: Env) -> None:
    env = answered_env
    w, view = _qa_window(qtbot, env)
    _import(qtbot, w, env.bundle("a1-1.hmipb"))
    _select(view, "RT-101")
    assert view.buttons["debrief"].isEnabled()
    dialog = view.show_debrief()
    assert dialog is not None
    qtbot.addWidget(dialog)
    page = dialog.page
    assert page.assessors.currentItem().text() == NAMES["a1"]
    page.fields["overall"].setPlainText("Careful and quick to act on the QA points.")
    page.save()
    assert "saved" in page.message.text()
    # The case's detail pane shows the interview record in words.
    assert "Interview record: Practitioner seen in person." in view.detail.toPlainText()
