"""Queries: raised by the QA partner, replied to, closed, each step in the audit log."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.qa.queries import (
    QueryError,
    close_query,
    get_query,
    list_queries,
    open_query_counts,
    raise_query,
    reply_to_query,
)
from hmip_desktop.qa.service import case_findings, queries_raised_before, workspace_findings
from hmip_desktop.store.workspace import Workspace, now
from tests.qa.conftest import PASSPHRASE, QA_NAME, QaCases


def revision(ws: Workspace, case_id: str) -> int:
    return int(ws._conn.execute("SELECT revision FROM assessments WHERE case_id = ?",
                               (case_id,)).fetchone()[0])


def assert_one_line(error: BaseException) -> None:
    assert str(error).strip() and "\n" not in str(error), str(error)


def test_raising_replying_and_closing_are_audited_and_leave_the_revision(
        qa_ws: Workspace, qa_cases: QaCases) -> None:
    ws, cid = qa_ws, qa_cases.clean
    rev = revision(ws, cid)
    q = raise_query(ws, "QA-1", "2.1.1", "Why yes when the plan misses the risk to the child? ")
    assert q.case_id == cid and q.item == "2.1.1" and q.is_open and q.replies == ()
    assert q.text == "Why yes when the plan misses the risk to the child?"  # trailing space off
    assert q.raised_by == QA_NAME and q.raised_at.endswith("+00:00")
    r = reply_to_query(ws, q.id, "The plan covers it under 'contact'; I have added a note.")
    assert r.query_id == q.id and r.author == QA_NAME
    closed = close_query(ws, q.id)
    assert not closed.is_open and closed.closed_by == QA_NAME and closed.replies == (r,)
    assert get_query(ws, q.id) == closed

    rows = [(e.action, e.item, e.new, e.revision) for e in ws.history(cid)][-3:]
    assert rows == [
        ("query", f"query:{q.id}", json.dumps(["2.1.1", q.text], ensure_ascii=False), None),
        ("reply", f"query:{q.id}", r.text, None),
        ("close_query", f"query:{q.id}", QA_NAME, None),
    ]
    assert ws.verify_history(cid)
    assert revision(ws, cid) == rev  # QA never raises the assessor's revision


def test_a_query_may_be_on_any_item_of_the_framework_or_the_whole_case(
        qa_ws: Workspace) -> None:
    for item in ("2.1.1.a", "2.1.1", "note:2.1.1", "case:inspector_rosh",
                 "record:interview_mode", "case"):
        assert raise_query(qa_ws, "QA-3", item, f"About {item}.").item == item
    alert = qa_ws.raise_alert("QA-3", what_might_happen="Harm.", how_serious="Serious.",
                              how_imminent="Days.", action_asked="Act.")
    assert raise_query(qa_ws, "QA-3", f"alert:{alert.id}", "Was it passed on?").item \
        == f"alert:{alert.id}"


@pytest.mark.parametrize(("item", "text", "why"), [
    ("9.9.9", "Why?", "not an item"),
    ("case:rosh", "Why?", "not an item"),  # a case fact, not a case question
    ("record:nonsense", "Why?", "not an item"),
    ("alert:" + "0" * 32, "Why?", "no alert"),
    ("2.1.1", "   ", "empty"),
    ("2.1.1", "", "empty"),
    ("2.1.1", "a\x00b", "NUL"),
    ("2.1.1", "x" * 20_001, "longer than"),
])
def test_bad_queries_are_refused_with_one_line_and_write_nothing(
        qa_ws: Workspace, item: str, text: str, why: str) -> None:
    before = len(qa_ws.history())
    with pytest.raises(QueryError, match=why) as e:
        raise_query(qa_ws, "QA-1", item, text)
    assert_one_line(e.value)
    assert len(qa_ws.history()) == before and list_queries(qa_ws) == []


def test_replies_to_closed_or_unknown_queries_and_second_closes_are_refused(
        qa_ws: Workspace) -> None:
    q = raise_query(qa_ws, "QA-1", "case", "Interview record?")
    with pytest.raises(QueryError, match="empty"):
        reply_to_query(qa_ws, q.id, "  ")
    close_query(qa_ws, q.id)
    before = len(qa_ws.history())
    for action in (lambda: reply_to_query(qa_ws, q.id, "Too late"),
                   lambda: close_query(qa_ws, q.id),
                   lambda: reply_to_query(qa_ws, "f" * 32, "Hello"),
                   lambda: close_query(qa_ws, "nope")):
        with pytest.raises(QueryError) as e:
            action()
        assert_one_line(e.value)
    assert len(qa_ws.history()) == before


def test_only_a_qa_workspace_raises_and_closes_and_the_lead_does_not_reply(
        qa_ws: Workspace, qa_cases: QaCases) -> None:
    q = raise_query(qa_ws, "QA-1", "2.1.1", "Why?")
    qa_ws._conn.execute("UPDATE meta SET value = 'assessor' WHERE key = 'owner_role'")
    qa_ws.close()
    with Workspace.open(qa_cases.folder, PASSPHRASE) as ws:
        with pytest.raises(QueryError, match="only a QA partner"):
            raise_query(ws, "QA-1", "2.1.1", "Why?")
        with pytest.raises(QueryError, match="only a QA partner"):
            close_query(ws, q.id)
        assert reply_to_query(ws, q.id, "Because.").text == "Because."
        ws._conn.execute("UPDATE meta SET value = 'lead' WHERE key = 'owner_role'")
    with Workspace.open(qa_cases.folder, PASSPHRASE) as ws, \
            pytest.raises(QueryError, match="the lead's workspace sends no queries"):
        reply_to_query(ws, q.id, "From the lead.")


def test_lists_and_counts_follow_the_queries(qa_ws: Workspace, qa_cases: QaCases) -> None:
    a = raise_query(qa_ws, "QA-1", "2.1.1", "One?")
    b = raise_query(qa_ws, "QA-1", "2.1.2", "Two?")
    c = raise_query(qa_ws, "QA-3", "case", "Three?")
    reply_to_query(qa_ws, a.id, "Answer one.")
    close_query(qa_ws, b.id)
    assert [q.id for q in list_queries(qa_ws)] == [a.id, b.id, c.id]
    assert [q.id for q in list_queries(qa_ws, "QA-1")] == [a.id, b.id]
    assert [q.id for q in list_queries(qa_ws, open_only=True)] == [a.id, c.id]
    assert [q.id for q in list_queries(qa_ws, inspection_id="other")] == []
    assert [len(q.replies) for q in list_queries(qa_ws, qa_cases.clean)] == [1, 0]
    assert open_query_counts(qa_ws) == {qa_cases.clean: 1, qa_cases.started: 1}
    assert open_query_counts(qa_ws, qa_cases.iid) == open_query_counts(qa_ws)
    assert open_query_counts(qa_ws, "other") == {}
    summaries = {s.case.case_ref: s for s in qa_ws.list_cases()}
    assert summaries["QA-1"].open_queries == 1 and summaries["QA-1"].display_status == "queried"
    assert summaries["QA-1"].status == "complete"  # stored status is the assessor's
    assert summaries["QA-2"].open_queries == 0 and summaries["QA-2"].display_status == "complete"


def test_the_open_queries_check_sees_real_queries(qa_ws: Workspace, qa_cases: QaCases) -> None:
    def checks(case: str) -> list[str]:
        return [f.check for f in workspace_findings(qa_ws) if f.case_ref == case]

    assert "complete_with_open_queries" not in checks("QA-1")
    q = raise_query(qa_ws, "QA-1", "case", "Anything missing?")
    raise_query(qa_ws, "QA-3", "case", "Anything missing?")  # not complete: no finding
    assert "complete_with_open_queries" in checks("QA-1")
    assert "complete_with_open_queries" not in checks("QA-3")
    assert "complete_with_open_queries" in [f.check for f in case_findings(qa_ws, "QA-1")]
    close_query(qa_ws, q.id)
    assert "complete_with_open_queries" not in checks("QA-1")


def test_the_qa_command_counts_the_open_queries(qa_cases: QaCases,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    with Workspace.open(qa_cases.folder, PASSPHRASE) as ws:
        raise_query(ws, "QA-1", "2.1.1", "Why yes?")
    assert main(["qa", "--workspace", str(qa_cases.folder), "--json"]) == 0
    found = [(f["case_ref"], f["item"], f["message"]) for f in json.loads(capsys.readouterr().out)
             if f["check"] == "complete_with_open_queries"]
    assert found == [("QA-1", "status", "Waiting for the assessor's answer: a query raised after "
                      "the case was marked complete is still open, so it cannot be signed off "
                      "yet.")]


def test_a_case_completed_again_with_a_query_open_is_put_to_the_assessor(
        qa_ws: Workspace) -> None:
    """A query raised on the completed case waits for an answer; once the case is completed
    again with it still open, the finding asks the QA partner to read the reply."""
    q = raise_query(qa_ws, "QA-1", "2.1.1", "Why yes?")

    def message() -> str:
        return next(f.message for f in case_findings(qa_ws, "QA-1")
                    if f.check == "complete_with_open_queries")

    assert message().startswith("Waiting for the assessor's answer")
    assert queries_raised_before(qa_ws) == {}
    while now() <= q.raised_at:  # the next change is later than the query, to the millisecond
        pass
    cid = qa_ws.find_case("QA-1").id
    qa_ws.set_status(cid, "in_progress")
    qa_ws.set_status(cid, "complete")
    assert queries_raised_before(qa_ws) == {cid: 1}
    assert message().startswith("Marked complete while a query raised earlier was still open")
    assert [f.message for f in workspace_findings(qa_ws) if f.case_ref == "QA-1"
            and f.check == "complete_with_open_queries"] == [message()]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_query_commands(qa_cases: QaCases, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(qa_cases.folder)]
    code, out, _err = run(capsys, "query", "raise", *ws, "QA-1", "2.1.1", "Why yes?", "--json")
    assert code == 0
    q = json.loads(out)
    assert q["item"] == "2.1.1" and q["text"] == "Why yes?" and q["closed_at"] is None
    code, out, _err = run(capsys, "query", "reply", *ws, q["id"], "Because of the plan.")
    assert code == 0 and "reply added" in out
    code, out, _err = run(capsys, "queries", *ws, "--open")
    assert code == 0 and "QA-1" in out and "Why yes?" in out and "Because of the plan." in out
    code, out, _err = run(capsys, "query", "close", *ws, q["id"])
    assert code == 0 and "closed" in out
    code, out, _err = run(capsys, "queries", *ws, "--open", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _err = run(capsys, "queries", *ws, "--case", "QA-1", "--json")
    (listed,) = json.loads(out)
    assert listed["id"] == q["id"] and listed["case_ref"] == "QA-1"
    assert listed["closed_by"] == QA_NAME and [r["text"] for r in listed["replies"]] == [
        "Because of the plan."]

    for argv in (("query", "raise", *ws, "QA-1", "9.9.9", "Why?"),
                 ("query", "raise", *ws, "QA-1", "2.1.1", "  "),
                 ("query", "raise", *ws, "NO-SUCH", "2.1.1", "Why?"),
                 ("query", "close", *ws, q["id"]),
                 ("query", "reply", *ws, "nope", "Hello")):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1, (argv, err)
        assert "Traceback" not in err


def test_queries_and_replies_keep_the_order_written_within_one_millisecond(
        qa_ws: Workspace, qa_cases: QaCases, monkeypatch: pytest.MonkeyPatch) -> None:
    from hmip_desktop.qa import queries  # noqa: PLC0415

    monkeypatch.setattr(queries, "now", lambda: "2026-11-25T12:00:00.000+00:00")
    texts = [f"Question {n}: what does the record show?" for n in range(6)]
    asked = [raise_query(qa_ws, "QA-1", "2.1.1", t) for t in texts]
    assert [q.text for q in list_queries(qa_ws, "QA-1")][-6:] == texts
    answers = [f"Answer {n}." for n in range(6)]
    for a in answers:
        reply_to_query(qa_ws, asked[0].id, a)
    assert [r.text for r in get_query(qa_ws, asked[0].id).replies] == answers
