"""The partner inspector's window reads each case by the edition it is on: its key questions,
and the ones a comment may be about."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.review_bundles import export_review
from hmip_desktop.gui.partner.review_window import ReviewWindow
from hmip_desktop.team import review
from hmip_desktop.team.roles import grant_role
from tests.case_edition_helpers import RENUMBERED, next_edition, put_on_edition, shipped
from tests.exchange import conftest as exchange
from tests.exchange.conftest import Env

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
PARTNER = "a2"


def test_each_case_shows_its_own_editions_key_questions(qtbot: Any, answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead, partner = env.ws("lead"), env.ws(PARTNER)
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    later = next_edition(shipped(), renumber=True)  # 2.1.1 is 2.1.9 in the later edition
    put_on_edition(lead, team.iid, later, staying=[team.case_ids["RT-101"]])
    put_on_edition(partner, team.iid, later, staying=[])
    grant_role(lead, team.iid, team.member_ids[PARTNER], "partner")
    review.give_for_review(lead, team.iid, team.member_ids[PARTNER], team.cases_of("a1"))
    service.import_file(partner, export_review(lead, team.iid, team.member_ids[PARTNER],
                                               env.bundle("review.hmipb")))
    win = ReviewWindow(partner, team.iid)
    qtbot.addWidget(win)
    seen = {}
    for row in range(win.cases.count()):
        win.cases.setCurrentRow(row)
        about = [win.about.itemData(i) for i in range(win.about.count())]
        seen[win.cases.item(row).text()] = (win.reader.toPlainText(), about)
    old_text, old_about = seen["RT-101"]
    new_text, new_about = seen["RT-102"]
    assert "2.1.1 " in old_text and f"{RENUMBERED} " not in old_text
    assert "2.1.1" in old_about and RENUMBERED not in old_about
    assert f"{RENUMBERED} " in new_text and "2.1.1 " not in new_text
    assert RENUMBERED in new_about and "2.1.1" not in new_about
    win.close()
