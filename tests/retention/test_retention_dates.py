"""The retention date: set at creation by the default rule, moved by the lead, and the reminder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from hmip_desktop.retention.dates import RetentionError
from hmip_desktop.retention.reminders import reminders, retention
from hmip_desktop.retention.service import (
    archive_inspection,
    set_retention_date,
)
from hmip_desktop.store.retention import add_months, default_retain_until
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, lead_workspace

TITLE = "Demo Shire probation inspection"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = lead_workspace(tmp_path / "lead")
    yield w
    w.close()


def test_the_default_is_twelve_months_after_fieldwork() -> None:
    assert default_retain_until("2026-11-27", "2026-10-01T09:00:00+00:00") == "2027-11-27"
    assert default_retain_until(None, "2026-10-01T09:00:00+00:00") == "2027-10-01"
    assert add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_a_new_inspection_has_its_retention_date(ws: Workspace) -> None:
    b = add_inspection(ws, "dipp-2025", [], title=TITLE)  # fieldwork ends 2026-11-27
    [r] = retention(ws, date(2027, 1, 1))
    assert (r.inspection_id, r.retain_until, r.due) == (b.iid, "2027-11-27", False)
    assert [e.new for e in ws.history() if e.action == "retention_date"] == ["2027-11-27"]


def test_the_reminder_comes_on_the_retention_date(ws: Workspace) -> None:
    add_inspection(ws, "dipp-2025", [], title=TITLE)
    assert reminders(ws, date(2027, 11, 26)) == []
    [line] = reminders(ws, date(2027, 11, 27))
    assert TITLE in line and "archive it" in line
    assert retention(ws, date(2027, 11, 27))[0].due


def test_an_archived_inspection_is_reminded_of_its_purge(ws: Workspace) -> None:
    b = add_inspection(ws, "dipp-2025", [], title=TITLE)
    archive_inspection(ws, b.iid, confirm=TITLE)
    [line] = reminders(ws, date(2028, 1, 1))
    assert "it is archived; purge it" in line


def test_the_lead_moves_the_date_audited(ws: Workspace) -> None:
    b = add_inspection(ws, "dipp-2025", [], title=TITLE)
    assert set_retention_date(ws, b.iid, " 2030-03-31 ") == "2030-03-31"
    assert retention(ws)[0].retain_until == "2030-03-31"
    last = ws.history()[-1]
    assert (last.action, last.old, last.new) == ("retention_date", "2027-11-27", "2030-03-31")


@pytest.mark.parametrize(("text", "words"), [
    ("31/03/2030", "is not a date: give the retention date as YYYY-MM-DD"),
    ("2030-02-30", "is not a date"),
    ("2001-01-01", "has passed: archive or purge the inspection instead"),
])
def test_a_bad_date_is_refused_in_one_line(ws: Workspace, text: str, words: str) -> None:
    b = add_inspection(ws, "dipp-2025", [], title=TITLE)
    seen = len(ws.history())
    with pytest.raises(RetentionError) as e:
        set_retention_date(ws, b.iid, text)
    assert words in str(e.value) and "\n" not in str(e.value)
    assert retention(ws)[0].retain_until == "2027-11-27"
    assert len(ws.history()) == seen


def test_a_version_9_workspace_gains_retention_dates(tmp_path: Path) -> None:
    """The lead's inspections already held get the default rule's date on upgrade."""
    source = Path(__file__).parents[1] / "fixtures" / "workspaces" / "schema-v9"
    shutil.copytree(source, tmp_path / "ws")
    with Workspace.open(tmp_path / "ws", "fixture passphrase v9") as ws:
        rows = ws.inspections()
        assert rows
        for r in rows:
            assert r["retain_until"] == default_retain_until(r["fieldwork_end"],
                                                             r["created_at"])
