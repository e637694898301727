"""Every plaintext file the app writes is recorded, listed, and confirmed only truthfully."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.consolidation.export import write_csv, write_workbook
from hmip_desktop.errors import UserError
from hmip_desktop.laptop_return.exports import confirm_export, list_exports
from tests.exchange.conftest import Env, assert_one_line


def test_the_lead_s_csv_and_workbook_are_recorded_and_audited(answered_env: Env,
                                                               tmp_path: Path) -> None:
    lead = answered_env.ws("lead")
    csv = write_csv(lead, answered_env.team.iid, tmp_path / "kq.csv")
    book = write_workbook(lead, answered_env.team.iid, tmp_path / "data.xlsx")
    listed = list_exports(lead)
    assert [(e.number, e.path, e.what_words) for e in listed] == [
        (1, str(csv), "key-question table (CSV)"), (2, str(book), "workbook (XLSX)")]
    assert all(e.on_disk and e.outstanding and e.confirmed is None for e in listed)
    exported = [h for h in lead.history() if h.action == "file_exported"]
    assert [h.new for h in exported] == [str(csv), str(book)]


def test_writing_a_file_again_needs_it_confirmed_again(answered_env: Env,
                                                       tmp_path: Path) -> None:
    lead = answered_env.ws("lead")
    csv = write_csv(lead, answered_env.team.iid, tmp_path / "kq.csv")
    done = confirm_export(lead, 1, "handed_over")
    assert done.confirmed == "handed_over" and not done.outstanding and done.on_disk
    write_csv(lead, answered_env.team.iid, csv)
    [again] = list_exports(lead)
    assert again.confirmed is None and again.outstanding


def test_a_confirmation_that_is_not_true_is_refused(answered_env: Env, tmp_path: Path) -> None:
    lead = answered_env.ws("lead")
    write_csv(lead, answered_env.team.iid, tmp_path / "kq.csv")
    for number, how, words in ((1, "removed", "still on disk"), (2, "removed", "no export"),
                               (1, "shredded", "removed or handed over")):
        with pytest.raises(UserError) as e:
            confirm_export(lead, number, how)
        assert_one_line(e.value)
        assert words in str(e.value)
    assert list_exports(lead)[0].confirmed is None
    assert not [h for h in lead.history() if h.action == "file_export_confirmed"]
    (tmp_path / "kq.csv").unlink()
    assert confirm_export(lead, 1, "removed").state_words == "confirmed removed"
