"""Render every main screen to PNG, for reviewers (run by tests/gui/test_screens.py).

Each rendered screen is also described (``Shot``): the window title, the texts shown, the rows
of every list and table, and how many colours the image holds, so that a test can tell a
screen that shows its data from a blank one.

Run directly to render at another scale: ``QT_SCALE_FACTOR=2 python -m tests.gui.screens
WORKSPACE PASSPHRASE OUT_DIR`` (``--lead FOLDER OUT_DIR`` for the lead's screens, ``--qa FOLDER
OUT_DIR`` for the lunchtime QA round); it prints each screen's description as JSON, one line
each. The tests write into a temporary folder, or into the folder named by
``HMIP_SCREENSHOTS`` if that is set (to look at them afterwards); never into the repository.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.gui.app import application
from hmip_desktop.gui.assessor.case_section import AlertDialog
from hmip_desktop.gui.common.qt import QtCore, QtGui, QtWidgets
from hmip_desktop.gui.common.queries import AddQueryDialog
from hmip_desktop.gui.common.unlock import Lockout, UnlockDialog, WelcomeDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qa.sheet import sheet_view
from hmip_desktop.store.workspace import Workspace

SIZE = (1366, 768)


@dataclass(frozen=True)
class Shot:
    """One rendered screen: where its PNG is and what it shows."""

    path: Path
    title: str  # the window title
    texts: list[str]  # every visible label, button, tab, heading and line of entered text
    greyed: list[str]  # those of them shown disabled (greyed out)
    rows: dict[str, int]  # each visible list, table or tree (by class and accessible name)
    size: tuple[int, int]  # the image's, in pixels
    colours: int  # distinct colours in the image (a blank grab has one)
    clipped: list[str]  # texts that do not fit where they are shown (``_clipped``)

    @property
    def name(self) -> str:
        return self.path.stem

    def row_counts(self, kind: str) -> list[int]:
        return [n for view, n in self.rows.items() if view.split(":")[0] == kind]


def shots_folder(tmp_path: Path) -> Path:
    """Where a test writes its PNGs: ``HMIP_SCREENSHOTS`` if set, else a temporary folder."""
    named = os.environ.get("HMIP_SCREENSHOTS")
    return Path(named) if named else tmp_path / "screenshots"


def _texts(widget: QtWidgets.QWidget, *, greyed: bool = False) -> list[str]:
    out: list[str] = []
    for w in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        shown = w is widget or w.isVisibleTo(widget)
        if not shown or (greyed and w.isEnabled()):
            continue
        if isinstance(w, (QtWidgets.QLabel, QtWidgets.QAbstractButton, QtWidgets.QLineEdit)):
            out.append(w.text())
        elif isinstance(w, QtWidgets.QGroupBox):
            out.append(w.title())
        elif isinstance(w, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QtWidgets.QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QTreeWidget):  # the form's navigation, say
            for i in range(w.topLevelItemCount()):
                top = w.topLevelItem(i)
                if top is not None:
                    out += [top.text(0), *(top.child(j).text(0) for j in range(top.childCount()))]
        elif isinstance(w, QtWidgets.QComboBox):
            out.append(w.currentText())
    return [t for t in out if t.strip()]


def _shown(text: str) -> str:
    """A label's text as drawn: a mnemonic's ``&`` is not shown (``&&`` is one ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _clipped(widget: QtWidgets.QWidget) -> list[str]:
    """Texts on screen that do not fit where they are shown (cut off, elided or hidden).

    A single-line label or a button narrower than its text; a wrapped label shorter than its
    lines; a tab narrower than its title; a toolbar action pushed into the overflow menu; a
    table heading wider than its column.
    """
    out: list[str] = []
    for w in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        if not (w is widget or w.isVisibleTo(widget)) or w.width() <= 0:
            continue
        if isinstance(w, QtWidgets.QLabel) and w.text().strip() and w.textFormat() \
                != QtCore.Qt.TextFormat.RichText and not QtGui.Qt.mightBeRichText(w.text()):
            room = w.contentsRect()
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height() + 1:
                    out.append(w.text())
            elif max(w.fontMetrics().horizontalAdvance(_shown(line))
                     for line in w.text().splitlines() or [""]) > room.width() + 1:
                out.append(w.text())
        elif isinstance(w, QtWidgets.QAbstractButton) and w.text().strip() \
                and not isinstance(w, QtWidgets.QToolButton) \
                and w.minimumSizeHint().width() > w.width() + 1:
            out.append(w.text())
        elif isinstance(w, QtWidgets.QToolBar):
            out += [a.text() for a in w.actions() if a.isVisible() and not a.isSeparator()
                    and (w.widgetForAction(a) is None or not w.widgetForAction(a).isVisible())]
        elif isinstance(w, QtWidgets.QTabBar):
            out += [w.tabText(i) for i in range(w.count())
                    if w.tabRect(i).width() + 1 < w.tabSizeHint(i).width()]
        elif isinstance(w, QtWidgets.QHeaderView) and w.orientation() \
                == QtCore.Qt.Orientation.Horizontal and w.model() is not None:
            fm = w.fontMetrics()
            for i in range(w.count()):
                text = str(w.model().headerData(i, QtCore.Qt.Orientation.Horizontal) or "")
                if text and not w.isSectionHidden(i) and w.sectionSize(i) > 0 \
                        and fm.horizontalAdvance(text) + 2 > w.sectionSize(i):
                    out.append(text)
    return out


def _rows(widget: QtWidgets.QWidget) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, view in enumerate(widget.findChildren(QtWidgets.QAbstractItemView)):
        if view.isVisibleTo(widget) and view.model() is not None:
            key = f"{type(view).__name__}:{view.accessibleName() or n}"
            out[key] = view.model().rowCount()
    return out


def _colours(image: QtGui.QImage) -> int:
    """Distinct colours on a grid of about 20,000 pixels (enough to tell text from blank)."""
    step = max(1, int((image.width() * image.height() / 20_000) ** 0.5))
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


def _save(widget: QtWidgets.QWidget, path: Path) -> Shot:
    QtWidgets.QApplication.processEvents()
    image = widget.grab().toImage()
    assert image.save(str(path)), path
    return Shot(path, widget.window().windowTitle(), _texts(widget),
                _texts(widget, greyed=True), _rows(widget),
                (image.width(), image.height()), _colours(image), _clipped(widget))


def describe(shots: list[Shot]) -> None:
    """Print each shot's description as one line of JSON (read back by ``read_described``)."""
    for shot in shots:
        print(json.dumps({**asdict(shot), "path": str(shot.path)}))


def read_described(stdout: str) -> list[Shot]:
    shots = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            shots.append(Shot(Path(d["path"]), d["title"], d["texts"], d["greyed"], d["rows"],
                              (d["size"][0], d["size"][1]), d["colours"], d["clipped"]))
    return shots


def render_all(folder: Path, passphrase: str, out: Path, suffix: str = "") -> list[Shot]:
    application()
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    ws = Workspace.open(folder, passphrase)
    w = MainWindow(ws, folder)
    w.resize(*SIZE)
    w.show()
    shots.append(_save(w, out / f"cases{suffix}.png"))
    w.show_check()
    shots.append(_save(w, out / f"check-my-cases{suffix}.png"))
    w.show_cases()
    w.open_case(ws.find_case("DEMO-NPS-002").id)
    assert w.form is not None
    w.form.show_page("__case__")
    shots.append(_save(w, out / f"case-details{suffix}.png"))
    w.form.beside.setChecked(True)  # both languages: each label's other language beneath
    shots.append(_save(w, out / f"case-details-both-languages{suffix}.png"))
    w.form.beside.setChecked(False)
    w.form.go_to_item("2.1.3")
    shots.append(_save(w, out / f"key-question{suffix}.png"))
    w.open_case(ws.find_case("DEMO-NPS-001").id)  # a community sentence: 2.3.1.d does not apply
    assert w.form is not None
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


def render_lead(folder: Path, out: Path, suffix: str = "") -> list[Shot]:
    """The lead's consolidation screens over a generated inspection built in ``folder``."""
    from hmip_desktop.consolidation.panel import (  # noqa: PLC0415
        add_recommendation,
        set_lead_rating,
        set_recommendation_progress,
    )
    from hmip_desktop.frameworks import load_framework  # noqa: PLC0415
    from hmip_desktop.gui.lead.window import ConsolidationWindow  # noqa: PLC0415
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
                            characteristics=[fw.characteristics_of(s.id).outstanding[0]])
    n = add_recommendation(ws, built.iid, "Improve the quality of risk of harm assessments.")
    set_recommendation_progress(ws, built.iid, n, "insufficient", "Some progress in one PDU.")
    add_recommendation(ws, built.iid, "Make sure staff have manageable workloads.")
    from hmip_desktop.gui.lead.exports import write_ratings_json  # noqa: PLC0415

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


def build_qa_round(folder: Path) -> tuple[Path, Path]:
    """A lead, an assessor and their QA partner one round in: the assessor's bundle imported
    by the QA partner, a query raised and a case signed off, the QA bundle imported back and
    the query answered. Returns the QA partner's and the assessor's workspace folders."""
    from hmip_desktop.exchange import contacts, packs, service  # noqa: PLC0415
    from hmip_desktop.exchange.assessments import export_assessments  # noqa: PLC0415
    from hmip_desktop.exchange.qa import export_qa  # noqa: PLC0415
    from hmip_desktop.qa.queries import list_queries, raise_query, reply_to_query  # noqa: PLC0415
    from hmip_desktop.qa.signoff import sign_off  # noqa: PLC0415
    from tests.exchange.conftest import ANSWERS, FACTS, NAMES, PASSPHRASE, nps_bytes  # noqa: PLC0415
    from tests.qa.builders import build  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    roles = {"lead": "lead", "a1": "assessor", "qa": "qa"}
    ws = {who: Workspace.create(folder / who, PASSPHRASE, owner_name=NAMES[who], role=role)
          for who, role in roles.items()}
    lead, a1, qa = ws["lead"], ws["a1"], ws["qa"]
    iid = contacts.set_up_inspection(lead, title="Demo Shire NPS division",
                                     organisation="Demo Shire NPS Division",
                                     framework_bytes=nps_bytes(), fieldwork_start="2026-11-23",
                                     fieldwork_end="2026-11-27")
    ids = {who: contacts.enrol_member(lead, iid, contacts.my_card(ws[who]),
                                      ws[who].identity.public.fingerprint, role=roles[who],
                                      office="Northgate")
           for who in ("a1", "qa")}
    contacts.set_qa_partner(lead, ids["a1"], ids["qa"])
    refs = ("QA-101", "QA-102", "QA-103")
    for n, ref in enumerate(refs):
        cid = lead.add_case(iid, case_ref=ref, facts=FACTS, office="Eastfield",
                            practitioner=f"Practitioner {n}", person_name=f"Person {n}")
        lead.assign(cid, ids["a1"], interview_at=f"2026-11-24T{9 + n:02d}:30",
                    interview_minutes=60)
    for who in ("a1", "qa"):
        pack = packs.make_pack(lead, iid, ids[who], folder / f"{who}.hmippack")
        service.import_file(ws[who], pack, lead_fingerprint=lead.identity.public.fingerprint)
    first, done, _untouched = (a1.find_case(ref).id for ref in refs)
    for item, value in ANSWERS.items():
        a1.save_item(first, item, value)
    a1.save_item(first, "2.1.2.a", "no")
    a1.raise_alert(first, what_might_happen="Harm to a child", how_serious="Serious",
                   how_imminent="Within days", action_asked="Tell the manager today")
    fw = a1.inspection_framework(iid)
    for item, value in build(fw, FACTS).items.items():
        a1.save_item(done, item, value)
    a1.mark_complete(done)
    service.import_file(qa, export_assessments(a1, iid, folder / "a1-1.hmipb"))
    raise_query(qa, first, "2.1.1", "2.1.1 is judged yes, but prompt b is no: what tipped the "
                "balance?")
    sign_off(qa, done)
    service.import_file(a1, export_qa(qa, iid, ids["a1"], folder / "qa-1.hmipb"))
    [query] = list_queries(a1, first)
    reply_to_query(a1, query.id, "Prompt b was a small gap; the plan was otherwise strong.")
    for w in ws.values():
        w.close()
    return folder / "qa", folder / "a1"


def _settle_qa(view: Any) -> None:
    deadline = time.monotonic() + 30
    while (view.busy or view.sheet is None) and time.monotonic() < deadline:
        QtWidgets.QApplication.processEvents()
        time.sleep(0.005)
    assert not view.busy and view.sheet is not None, "the QA checks did not come back"


def render_qa(folder: Path, out: Path, suffix: str = "") -> list[Shot]:
    """The QA partner's view, a case read-only with its findings and a query, the query
    dialog and the lunchtime sheet; the assessor's case list and the query on their form."""
    from tests.exchange.conftest import PASSPHRASE  # noqa: PLC0415

    application()
    out.mkdir(parents=True, exist_ok=True)
    qa_folder, a1_folder = build_qa_round(folder)
    shots = []
    w = MainWindow(Workspace.open(qa_folder, PASSPHRASE), qa_folder)
    w.resize(*SIZE)
    w.show()
    view = w.qa_view
    assert view is not None
    _settle_qa(view)
    top = view.tree.topLevelItem(0)
    assert top is not None and top.child(0) is not None
    view.tree.setCurrentItem(top.child(0))
    shots.append(_save(w, out / f"qa-view{suffix}.png"))
    assert view.sheet is not None
    sheet = sheet_view(view.sheet, w, remake=lambda: view.sheet)  # with its language choice
    sheet.show()
    shots.append(_save(sheet, out / f"qa-sheet{suffix}.png"))
    sheet.close()
    view.open_selected()
    assert w.form is not None and w.form.read_only
    w.form.go_to_item("2.1.1")
    shots.append(_save(w, out / f"qa-case-read-only{suffix}.png"))
    ask = AddQueryDialog(w.form.fw, ["case", "2.1.2.a", "2.1.2"], "2.1.2.a", w)
    ask.text.setPlainText("Prompt a is no: what was missing from the assessment?")
    ask.show()
    shots.append(_save(ask, out / f"qa-add-query{suffix}.png"))
    ask.close()
    w.close()
    w = MainWindow(Workspace.open(a1_folder, PASSPHRASE), a1_folder)
    w.resize(*SIZE)
    w.show()
    shots.append(_save(w, out / f"cases-with-queries{suffix}.png"))
    assert w.ws is not None
    w.open_case(w.ws.find_case("QA-101").id)
    assert w.form is not None
    w.form.go_to_item("2.1.1")
    shots.append(_save(w, out / f"assessor-query{suffix}.png"))
    w.close()
    return shots


if __name__ == "__main__":
    if sys.argv[1] == "--qa":
        describe(render_qa(Path(sys.argv[2]), Path(sys.argv[3]),
                           sys.argv[4] if len(sys.argv) > 4 else ""))
    elif sys.argv[1] == "--lead":
        describe(render_lead(Path(sys.argv[2]), Path(sys.argv[3]),
                             sys.argv[4] if len(sys.argv) > 4 else ""))
    else:
        describe(render_all(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]),
                            sys.argv[4] if len(sys.argv) > 4 else ""))
