"""The lead demo's training event, as the lead and a trainee see it (issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.cli.main import main as cli
from hmip_desktop.exchange.demo_team import PEOPLE, create_team_demo
from hmip_desktop.exchange.demo_training import TITLE, TRAINEES
from hmip_desktop.gui.lead.training_view import TrainingScreen
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.selection import NOT_SELECTED, RESERVE, SELECTED, selections

pytestmark = pytest.mark.gui
PASS = "demo training event passphrase, invented"


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return create_team_demo(tmp_path_factory.mktemp("demo") / "team", PASS)


def test_the_training_tab_shows_three_trainees_with_distinct_kappas_and_writes_the_pdf(
        team: dict[str, Path], qtbot: Any, tmp_path: Path) -> None:
    with Workspace.open(team["lead"], PASS) as lead:
        screen = TrainingScreen(lead)
        qtbot.addWidget(screen)
        screen.resize(1200, 900)
        screen.show()
        assert screen.event_box.count() == 1 and screen.event_box.currentText() == TITLE
        assert screen.table.rowCount() == 3
        c = screen.current
        assert c is not None
        kappa = {t.name: t.kappa for t in c.trainees}
        assert set(kappa) == {PEOPLE[w][0] for w in TRAINEES}
        one, two, three = (kappa[PEOPLE[w][0]] for w in ("trainee-1", "trainee-2", "trainee-3"))
        assert one == 1.0
        assert two is not None and three is not None
        assert 0.5 <= two <= 0.7 and 0.2 <= three <= 0.4  # near 1, about 0.6, about 0.3
        shown = [screen.table.item(r, 3).text() for r in range(3)]
        assert len(set(shown)) == 3
        assert "Where the group went wrong" in screen.report.toPlainText()
        screen.grab().save(str(tmp_path / "demo-training.png"))
        assert screen.save_pdf(tmp_path / "training.pdf").read_bytes()[:4] == b"%PDF"


def test_one_trainee_is_selected_one_reserve_and_one_not_with_feedback(
        team: dict[str, Path]) -> None:
    with Workspace.open(team["lead"], PASS) as lead:
        iid = next(i["id"] for i in lead.inspections() if i["training"])
        decided = {s.name: s for s in selections(lead, iid)}
    expected = {"trainee-1": SELECTED, "trainee-2": RESERVE, "trainee-3": NOT_SELECTED}
    assert {n: s.decision for n, s in decided.items()} == {
        PEOPLE[w][0]: d for w, d in expected.items()}
    assert all(s.feedback for s in decided.values())


def test_the_lead_s_real_inspections_stay_as_they_were(team: dict[str, Path]) -> None:
    with Workspace.open(team["lead"], PASS) as lead:
        nps, dipp, training = lead.inspections()
        assert not nps["training"] and not dipp["training"] and training["training"]
        assert len(lead.list_cases(training["id"])) == 2
        assert len(lead.list_cases(nps["id"])) == 14


def test_demo_role_trainee_opens_a_trainee_s_workspace_with_the_training_banner(
        tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASS)
    assert cli(["demo", "--role", "trainee", "--workspace", str(tmp_path / "t")]) == 0
    assert "created 2 invented cases" in capsys.readouterr().out
    folder = tmp_path / "t" / "trainee-2"
    with Workspace.open(folder, PASS) as ws:
        assert ws.owner_name == PEOPLE["trainee-2"][0]
        [insp] = ws.inspections()
        assert insp["training"] and insp["title"] == TITLE
        window = MainWindow(ws, folder)
        qtbot.addWidget(window)
        window.resize(1000, 600)
        window.show()
        assert window.training_banner.isVisible()
        assert "TRAINING" in window.training_banner.text()
        window.grab().save(str(tmp_path / "demo-trainee.png"))
        window.close()
