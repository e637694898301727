"""A new edition through the GUI: the lead previews and adopts it on the set-up screen, the
member sees what changes for each case before confirming, and the form marks the questions
new in this edition until they are answered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.contacts import enrol_member, my_card, set_up_inspection
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.service import import_file
from hmip_desktop.gui.assessor.case_form import CaseForm
from hmip_desktop.gui.common.edition_dialogs import AdoptEditionDialog, EditionConfirmDialog
from hmip_desktop.gui.common.exchange_actions import ImportSummary, import_with_checks
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.edition_helpers import ADDED, REMOVED, REWORDED, next_edition_bytes
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui
PASS = "edition gui test passphrase"
FACTS = {"sample": "supervision", "gender": "female", "sentence_type": "community",
         "rosh": "high"}
ACCEPTED, REJECTED = (QtWidgets.QDialog.DialogCode.Accepted.value,
                      QtWidgets.QDialog.DialogCode.Rejected.value)


@pytest.fixture
def team(tmp_path: Path) -> dict[str, Any]:
    """A lead and an assessor mid-inspection: G-001 answered in part, G-002 complete."""
    lead = Workspace.create(tmp_path / "lead", PASS, owner_name="Jules Lead", role="lead")
    asr = Workspace.create(tmp_path / "asr", PASS, owner_name="Robin Assessor", role="assessor")
    iid = set_up_inspection(lead, title="GUI inspection", organisation="Demo Org",
                            framework_bytes=resource("frameworks", "nps-2019-20.json")
                            .read_bytes())
    mid = enrol_member(lead, iid, my_card(asr), asr.identity.public.fingerprint,
                       role="assessor")
    cids = []
    for ref in ("G-001", "G-002"):
        cid = lead.add_case(iid, case_ref=ref, facts=FACTS, person_name="Indy Invented")
        lead.assign(cid, mid, interview_at="2026-11-24T10:00", interview_minutes=60)
        cids.append(cid)
    import_file(asr, make_pack(lead, iid, mid, tmp_path / "robin.hmippack"),
                lead_fingerprint=lead.identity.public.fingerprint)
    asr.save_item(cids[0], REWORDED, "yes")
    asr.save_item(cids[0], REMOVED, "no")
    asr.save_item(cids[1], REWORDED, "no")
    asr.set_status(cids[1], "complete")  # as if fully answered and marked complete
    new = tmp_path / "nps-2020-21.json"
    new.write_bytes(next_edition_bytes())
    return {"lead": lead, "asr": asr, "iid": iid, "mid": mid, "cids": cids, "new": new,
            "tmp": tmp_path}


def test_the_lead_adopts_and_the_member_confirms_a_new_edition(
        qtbot: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    lead, asr = team["lead"], team["asr"]
    setup = SetupDialog(lead)
    qtbot.addWidget(setup)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(team["new"]), ""))
    shown: list[list[str]] = []

    def adopt(self: AdoptEditionDialog) -> int:
        shown.append(visible_texts(self))
        return ACCEPTED

    monkeypatch.setattr(AdoptEditionDialog, "exec", adopt)
    setup.new_edition()
    assert lead.inspection_framework(team["iid"]).edition == "2020-21"
    assert "write the packs again" in setup.message.text()
    assert internal_names(shown[0]) == []

    pack = make_pack(lead, team["iid"], team["mid"], team["tmp"] / "robin-2.hmippack")
    previews: list[list[str]] = []

    def decline(self: EditionConfirmDialog) -> int:
        previews.append([self.table.item(r, 1).text() for r in range(self.table.rowCount())])
        assert internal_names(visible_texts(self)) == []
        return REJECTED

    monkeypatch.setattr(EditionConfirmDialog, "exec", decline)
    assert import_with_checks(setup, asr, pack) is None
    assert asr.inspection_framework(team["iid"]).edition != "2020-21"  # nothing moved
    assert previews[0][0] == ("Moves: 1 answer(s) carried over, 1 question(s) new in this "
                              "edition, 1 answer(s) kept only in the case history")
    assert previews[0][1] == "Stays on its edition: complete"

    monkeypatch.setattr(EditionConfirmDialog, "exec", lambda _self: ACCEPTED)
    monkeypatch.setattr(ImportSummary, "exec", lambda _self: 0)
    assert import_with_checks(setup, asr, pack) is not None
    moved, stayed = team["cids"]
    assert asr.case_framework(moved).edition == "2020-21"
    assert asr.case_framework(stayed).edition == "2019-20"
    assert asr.read_assessment(moved).items == {REWORDED: "yes"}


def test_the_form_marks_questions_new_in_this_edition_until_answered(
        qtbot: Any, team: dict[str, Any]) -> None:
    asr = team["asr"]
    new = asr.store_framework(next_edition_bytes())
    asr.move_case(team["cids"][0], new)
    form = CaseForm(asr, team["cids"][0])
    qtbot.addWidget(form)
    form.show_page("2.1.1")
    marked = {row.item for row in form.page.rows if row.new_mark.isVisibleTo(form.page)}
    assert marked == {ADDED}
    form.save(ADDED, "yes")
    assert not any(row.new_mark.isVisibleTo(form.page) for row in form.page.rows)
    stayed = CaseForm(asr, team["cids"][1])  # never moved: nothing is new to it
    qtbot.addWidget(stayed)
    stayed.show_page("2.1.1")
    assert not any(row.new_mark.isVisibleTo(stayed.page) for row in stayed.page.rows)
