"""The QA view keeps two assessors of the same name apart, and sends each their own bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import NotForMeError
from hmip_desktop.exchange import service
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
    qa.conn.execute("UPDATE members SET name = ? WHERE id = ?", (SAME, team.member_ids["a2"]))
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
