"""Render every main screen to PNG, for reviewers (run by tests/gui/test_screens.py).

Run directly to render at another scale: ``QT_SCALE_FACTOR=2 python -m tests.gui.screens
WORKSPACE PASSPHRASE OUT_DIR``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

from hmip_desktop.gui.app import application
from hmip_desktop.gui.case_section import AlertDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qt import QtWidgets
from hmip_desktop.gui.unlock import Lockout, UnlockDialog, WelcomeDialog
from hmip_desktop.store.workspace import Workspace

SIZE = (1366, 768)


def _save(widget: QtWidgets.QWidget, path: Path) -> Path:
    QtWidgets.QApplication.processEvents()
    assert widget.grab().save(str(path)), path
    return path


def render_all(folder: Path, passphrase: str, out: Path, suffix: str = "") -> list[Path]:
    application()
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    ws = Workspace.open(folder, passphrase)
    w = MainWindow(ws, folder)
    w.resize(*SIZE)
    w.show()
    shots.append(_save(w, out / f"cases{suffix}.png"))
    w.open_case(ws.find_case("DEMO-NPS-002").id)
    assert w.form is not None
    w.form.show_page("__case__")
    shots.append(_save(w, out / f"case-details{suffix}.png"))
    w.form.go_to_item("2.1.3")
    shots.append(_save(w, out / f"key-question{suffix}.png"))
    w.form.go_to_item("2.3.1.d")
    shots.append(_save(w, out / f"key-question-not-applicable{suffix}.png"))
    alert = AlertDialog(w)
    alert.show()
    shots.append(_save(alert, out / f"alert-dialog{suffix}.png"))
    alert.close()
    w.lock()
    shots.append(_save(w, out / f"locked{suffix}.png"))
    unlock = UnlockDialog(folder, Lockout())
    unlock.show()
    shots.append(_save(unlock, out / f"unlock{suffix}.png"))
    unlock.close()
    welcome = WelcomeDialog(folder.parent / "none", folder.parent / "demo-none")
    welcome.show()
    shots.append(_save(welcome, out / f"welcome{suffix}.png"))
    welcome.close()
    w.close()
    return shots


def _settle(win: Any) -> None:
    """Let the consolidation window's background jobs come back (at most 30 s)."""
    deadline = time.monotonic() + 30
    while (win.pending or win.full is None) and time.monotonic() < deadline:
        QtWidgets.QApplication.processEvents()
        time.sleep(0.005)
    assert not win.pending and win.full is not None, "consolidation did not come back"


def render_lead(folder: Path, out: Path, suffix: str = "") -> list[Path]:
    """The lead's consolidation screens over a generated inspection built in ``folder``."""
    from hmip_desktop.consolidation.panel import (  # noqa: PLC0415
        add_recommendation,
        set_lead_rating,
        set_recommendation_progress,
    )
    from hmip_desktop.frameworks import load_framework  # noqa: PLC0415
    from hmip_desktop.gui.lead_window import ConsolidationWindow  # noqa: PLC0415
    from tests.consolidation.builders import (  # noqa: PLC0415
        add_inspection,
        generated_cases,
        lead_workspace,
    )

    application()
    out.mkdir(parents=True, exist_ok=True)
    ws = lead_workspace(folder)
    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(4), 80),
                           title="Demo Shire NPS division")
    members = [ws.add_member(built.iid, name=name, role="assessor", office=office)
               for name, office in (("Robin Quillfeather", "Northgate office"),
                                    ("Casey Marrowby", "Riverside office"))]
    for n, cid in enumerate(built.case_ids):
        ws.assign(cid, members[n % 2])
    ws.raise_alert(built.case_ids[1], what_might_happen="Harm to a child at home",
                   how_serious="Serious", how_imminent="Within days",
                   action_asked="Tell the practitioner's manager today")
    ws.raise_alert(built.case_ids[5], what_might_happen="Threats to a former partner",
                   how_serious="Serious", how_imminent="Within weeks",
                   action_asked="Check the police call-out record")
    ws.acknowledge_alert(ws.alerts(built.case_ids[5])[0].id)
    for s in fw.standards:
        if s.rated_by == "lead":
            set_lead_rating(ws, built.iid, s.id, "good", evidence="Board minutes, staff "
                            "survey and the meetings with managers.",
                            characteristics=["open and transparent"])
    n = add_recommendation(ws, built.iid, "Improve the quality of risk of harm assessments.")
    set_recommendation_progress(ws, built.iid, n, "insufficient", "Some progress in one PDU.")
    add_recommendation(ws, built.iid, "Make sure staff have manageable workloads.")
    from hmip_desktop.gui.lead_exports import write_ratings_json  # noqa: PLC0415

    before = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(9), 80),
                            title="Demo Shire NPS division, 2024")
    write_ratings_json(ws, before.iid, folder / "previous.json")
    shots = []
    win = ConsolidationWindow(ws)
    win.resize(*SIZE)
    win.show()
    win.select_inspection(built.iid)
    _settle(win)
    win.exports.compare_previous(folder / "previous.json")
    _settle(win)
    tables = [t for t in win.full.tables if t.rated_by == "cases"]
    shown = next((t for t in tables if any(r.subsample for r in t.rows)), tables[0])
    for i, name in enumerate(("lead-dashboard", "lead-tables", "lead-domain-one",
                              "lead-panel", "lead-exports")):
        win.tabs.setCurrentIndex(i)
        if name == "lead-tables":
            win.tables.show_standard(shown.standard_id)
        if name == "lead-panel":
            flagged = next((t for t in tables if t.discretion), tables[0])
            win.panel.select_standard(flagged.standard_id)
        shots.append(_save(win, out / f"{name}{suffix}.png"))
    win.close()
    ws.close()
    return shots


if __name__ == "__main__":
    if sys.argv[1] == "--lead":
        render_lead(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4
                    else "")
    else:
        render_all(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]),
                   sys.argv[4] if len(sys.argv) > 4 else "")
