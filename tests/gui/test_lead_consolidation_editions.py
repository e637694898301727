"""The consolidation window, with cases on two editions whose key questions are not the same,
shows the core's refusal in words: which editions, and which cases are on each."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.wording import capitalised
from tests.case_edition_helpers import next_edition, put_on_edition, shipped
from tests.consolidation.builders import Case, add_inspection, lead_workspace
from tests.qa.builders import build, facts_for

pytestmark = pytest.mark.gui


def test_the_window_shows_which_cases_are_on_which_edition(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("nps-2019-20")
        rng = random.Random(2)
        cases = []
        for i in range(3):
            facts = facts_for(fw, rng)
            cases.append(Case(facts, dict(build(fw, facts, rng, case_ref=f"C{i}").items)))
        built = add_inspection(ws, "nps-2019-20", cases, title="Demo Shire NPS division")
        put_on_edition(ws, built.iid, next_edition(shipped(), add_prompt=True),
                       staying=built.case_ids[:1])
        with pytest.raises(ConsolidationError) as refused:
            consolidate(ws, built.iid)
        win = ConsolidationWindow(ws)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.pending == 0 and "edition" in win.message.text(),
                        timeout=20_000)
        shown = win.message.text()
        assert shown == capitalised(str(refused.value))  # the core's words, as they are
        assert "edition 2019-20: C0000" in shown
        assert "edition 2020.1: C0001, C0002" in shown
        assert "Traceback" not in shown
        win.close()
    finally:
        ws.close()
