"""The assessor's form shows each alert's state in words once the deputy's state comes back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.exchange.alert_states import export_alert_state
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.team.alert_tracking import take_step
from hmip_desktop.team.roles import grant_role
from tests.exchange.conftest import Env, answered_env, ready_env, stages  # noqa: F401
from tests.gui.conftest import open_case

HARM = {"what_might_happen": "Harm to a child at home", "how_serious": "Serious",
        "how_imminent": "Within days", "action_asked": "Tell the manager today"}


def _banner(window: MainWindow) -> str:
    QtWidgets.QApplication.processEvents()
    banner = window.form.alert_banner
    assert banner.isVisible()
    return banner.accessibleDescription()


def _alert_cell(window: MainWindow, ref: str) -> tuple[str, Any]:
    """The case list's Alert cell for a case: its words and its colour (None: the usual)."""
    assert window.ws is not None
    window.show_cases()
    window.reload_cases()  # as after an import through the window
    QtWidgets.QApplication.processEvents()
    model = window.cases.model
    case_id = window.ws.find_case(ref).id
    row = next(i for i, r in enumerate(model.rows) if r.case.id == case_id)
    index = model.index(row, model.COLUMNS.index("Alert"))
    return index.data(), index.data(Qt.ItemDataRole.ForegroundRole)


def test_the_form_shows_the_alert_acknowledged_then_closed(
        qtbot: Any, ready_env: Env, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    iid, ids = ready_env.team.iid, ready_env.team.member_ids
    lead, a1, a2 = ready_env.ws("lead"), ready_env.ws("a1"), ready_env.ws("a2")
    grant_role(lead, iid, ids["a2"], "deputy")
    for who in ("a2", "a1"):
        service.import_file(ready_env.ws(who), packs.make_pack(
            lead, iid, ids[who], ready_env.bundle(f"{who}-again.hmippack")))
    alert = a1.raise_alert(ready_env.team.cases_of("a1")[0], **HARM)
    service.import_file(a2, export_alert(a1, alert.id, ready_env.bundle("a.hmipalert")))

    window = MainWindow(a1, ready_env.folder("a1"))
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    words, colour = _alert_cell(window, "RT-101")
    assert words == "1 open" and colour is not None  # red while it needs action
    open_case(window, "RT-101")
    assert _banner(window).startswith(
        "An alert has been raised for this case. Contact the deputy lead inspector now")
    assert window.form.alert_banner.property("kind") == "alert"

    take_step(a2, alert.id, "acknowledged")
    service.import_file(a1, export_alert_state(a2, alert.id, ready_env.bundle("1.hmipstate")))
    window.form.refresh()
    day = alert.raised_at[:10]
    assert _banner(window).startswith(
        f"Alert raised on {day}: Acknowledged, by Casey Marrowby on ")
    assert _banner(window).endswith(
        "Keep in touch with the deputy lead inspector until it is closed.")
    assert window.form.alert_banner.property("kind") == "alert"  # still to be closed
    form = window.form
    assert _alert_cell(window, "RT-101") == ("1 acknowledged", None)
    window.open_case(form.case_id)

    take_step(a2, alert.id, "assurance", "Asked the manager for a home visit")
    take_step(a2, alert.id, "evidence", "Visit record received")
    take_step(a2, alert.id, "closed", "Action confirmed by evidence")
    service.import_file(a1, export_alert_state(a2, alert.id, ready_env.bundle("2.hmipstate")))
    window.form.refresh()
    text = _banner(window)
    assert text.startswith(f"Alert raised on {day}: Closed, by Casey Marrowby on ")
    assert text.endswith("(Action confirmed by evidence)")
    assert window.form.alert_banner.property("kind") == "done"  # grey: nothing to do
    out = Path(os.environ.get("HMIP_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(out / "alert-state-closed.png"))
    assert _alert_cell(window, "RT-101") == ("1 closed", None)
    assert window.grab().save(str(out / "alert-state-closed-list.png"))
    window.close()
