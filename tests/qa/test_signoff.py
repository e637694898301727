"""Sign-off: refused for each reason, accepted when clean, and lapsing when the case changes."""

from __future__ import annotations

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.qa.queries import close_query, raise_query
from hmip_desktop.qa.service import workspace_findings
from hmip_desktop.qa.signoff import SignOffError, last_signoff, sign_off, signoff_of
from hmip_desktop.store.workspace import Workspace
from tests.qa.conftest import PASSPHRASE, QA_NAME, QaCases


def one_line(error: BaseException) -> str:
    message = str(error)
    assert message.strip() and "\n" not in message, message
    return message


def test_a_clean_complete_case_is_signed_off_at_its_revision(qa_ws: Workspace,
                                                            qa_cases: QaCases) -> None:
    ws, cid = qa_ws, qa_cases.clean
    rev = ws.case_summary(cid).revision
    s = sign_off(ws, "QA-1")
    assert (s.case_id, s.revision, s.signed_by) == (cid, rev, QA_NAME)
    assert signoff_of(ws, cid) == s and signoff_of(ws, "QA-1") == s
    summary = ws.case_summary(cid)
    assert summary.signed_off and summary.display_status == "signed_off"
    assert summary.status == "complete" and summary.revision == rev  # nothing of the case moved
    last = ws.history(cid)[-1]
    assert (last.action, last.item, last.old, last.new, last.revision) == (
        "signoff", "case", None, str(rev), None)
    n = len(ws.history())
    assert sign_off(ws, cid) == s and len(ws.history()) == n  # again: nothing new


def test_refused_when_not_marked_complete(qa_ws: Workspace) -> None:
    with pytest.raises(SignOffError) as e:
        sign_off(qa_ws, "QA-3")
    assert one_line(e.value) == "cannot sign off QA-3: it is not marked complete"


def test_refused_while_must_fix_findings_remain(qa_ws: Workspace) -> None:
    with pytest.raises(SignOffError) as e:
        sign_off(qa_ws, "QA-2")
    assert "must-fix finding" in one_line(e.value) and "note_too_short_for_no" not in str(e.value)
    assert "(on evidence note for " in str(e.value)  # the item in the form's words


def test_refused_while_a_query_is_open_and_accepted_once_it_is_closed(
        qa_ws: Workspace) -> None:
    q = raise_query(qa_ws, "QA-1", "2.1.1", "Why yes?")
    n = len(qa_ws.history())
    with pytest.raises(SignOffError) as e:
        sign_off(qa_ws, "QA-1")
    assert one_line(e.value) == "cannot sign off QA-1: 1 query is still open"
    assert len(qa_ws.history()) == n and last_signoff(qa_ws, "QA-1") is None
    close_query(qa_ws, q.id)
    assert sign_off(qa_ws, "QA-1").case_id == q.case_id


def test_only_a_qa_workspace_signs_off(qa_ws: Workspace, qa_cases: QaCases) -> None:
    qa_ws._conn.execute("UPDATE meta SET value = 'lead' WHERE key = 'owner_role'")
    qa_ws.close()
    with Workspace.open(qa_cases.folder, PASSPHRASE) as ws, \
            pytest.raises(SignOffError, match="only a QA partner"):
        sign_off(ws, "QA-1")


def test_the_sign_off_lapses_when_the_case_changes_and_can_be_given_again(
        qa_ws: Workspace, qa_cases: QaCases) -> None:
    ws, cid = qa_ws, qa_cases.clean
    first = sign_off(ws, cid)
    ws.save_item(cid, "note:2.1.1", "A fuller note after the meeting.")
    assert signoff_of(ws, cid) is None
    assert last_signoff(ws, cid) == first  # kept, for a revision the case has left
    summary = ws.case_summary(cid)
    assert not summary.signed_off and summary.display_status == "in_progress"
    with pytest.raises(SignOffError, match="not marked complete"):
        sign_off(ws, cid)
    ws.mark_complete(cid)
    second = sign_off(ws, cid)
    assert second.revision > first.revision and signoff_of(ws, cid) == second
    assert ws.history(cid)[-1].old == str(first.revision)


def test_a_query_raised_after_the_sign_off_is_a_finding(qa_ws: Workspace) -> None:
    sign_off(qa_ws, "QA-1")
    raise_query(qa_ws, "QA-1", "case", "One more thing.")
    found = [f for f in workspace_findings(qa_ws) if f.case_ref == "QA-1"]
    assert [(f.check, f.message) for f in found] == [
        ("complete_with_open_queries",
         "A query raised after the sign-off is still open: settle it with the assessor.")]


def test_the_signoff_command(qa_cases: QaCases, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(qa_cases.folder)]
    assert main(["signoff", *ws, "QA-2"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "must-fix" in err
    assert main(["signoff", *ws, "QA-1"]) == 0
    out, _err = capsys.readouterr()
    assert out == "signed off QA-1 as it stands now\n"
