"""Two people of the same name stay apart in the window: the QA view groups them and sends each
their own bundle; the lead's set-up assigns a case to the one chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import NotForMeError
from hmip_desktop.exchange import service
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.setup_window import InterviewSlotDialog, SetupDialog
from hmip_desktop.qa.queries import raise_query
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env
from tests.exchange.helpers import opened
from tests.gui.test_qa_view import _qa_window, _select, _tree, quiet_dialogs  # noqa: F401

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
SAME = NAMES["a1"]


def test_same_named_assessors_are_two_groups_and_each_gets_their_own_bundle(
        qtbot: Any, answered_env: Env, tmp_path: Path) -> None:
    env, team = answered_env, answered_env.team
    qa = env.ws("qa")
    for name in ("a1-1.hmipb", "a2-1.hmipb"):
        service.import_file(qa, env.bundle(name))
    qa._conn.execute("UPDATE members SET name = ? WHERE id = ?", (SAME, team.member_ids["a2"]))
    raise_query(qa, team.cases_of("a2")[0], "2.1.1", "For the second Robin only.")
    w, view = _qa_window(qtbot, env)

    tree = _tree(view)
    first = f"{SAME} (member {team.member_ids['a1'][:8]})"
    second = f"{SAME} (member {team.member_ids['a2'][:8]})"
    assert set(tree[first]) == {"RT-101", "RT-102"}
    assert set(tree[second]) == {"RT-201", "RT-202"}

    _select(view, "RT-201")
    assert view.buttons["export"].isEnabled()
    out = tmp_path / "qa-second.hmipb"
    with qtbot.waitSignal(view.exported, timeout=10000) as sent:
        view.export_bundle(out)
    assert sent.args == [str(out)]
    assert second in view.message.text()
    ids = team.identities
    entries = dict(opened(out.read_bytes(), ids["a2"], ids["qa"]))
    assert entries["manifest.json"]["for_member"] == team.member_ids["a2"]
    assert {q["case_id"] for q in entries["queries.json"]["queries"]} == {
        team.cases_of("a2")[0]}
    with pytest.raises(NotForMeError):
        opened(out.read_bytes(), ids["a1"], ids["qa"])
    w.close()


setup_env = exchange.setup_env


def test_the_lead_assigns_a_case_to_the_chosen_one_of_two_same_named_members(
        qtbot: Any, setup_env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env, team = setup_env, setup_env.team
    lead = env.ws("lead")
    lead._conn.execute("UPDATE members SET name = ? WHERE id = ?", (SAME, team.member_ids["a2"]))
    dialog = SetupDialog(lead)
    qtbot.addWidget(dialog)
    shown = [dialog.members.item(r, 0).text() for r in range(dialog.members.rowCount())]
    assert len([s for s in shown if s.startswith(SAME)]) == 2 and len(set(shown)) == len(shown)
    offered: list[str] = []

    def choose_second(_parent: Any, _title: str, _label: str, items: list[str], *_a: Any
                      ) -> tuple[str, bool]:
        offered.extend(items)
        return next(i for i in items if team.member_ids["a2"][:8] in i), True

    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", choose_second)
    def file_read(self: InterviewSlotDialog) -> int:
        self.interview.setChecked(False)  # no interview: read from file
        assert self.slot() is None
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(InterviewSlotDialog, "exec", file_read)
    row = next(r for r in range(dialog.cases.rowCount())
               if dialog.cases.item(r, 0).text() == "RT-401")
    dialog.cases.setCurrentCell(row, 0)
    dialog.assign_selected()
    assert len([i for i in offered if i.startswith(SAME)]) == 2
    (member,) = lead._conn.execute("SELECT member_id FROM assignments WHERE case_id = ?",
                                  (team.case_ids["RT-401"],)).fetchone()
    assert member == team.member_ids["a2"]
