"""Queries, replies and sign-offs moving between laptops: QA bundles and assessment bundles.

The full round: the assessor's bundle reaches the QA partner, who raises queries and sends a
QA bundle; the assessor replies, changes an answer, completes the case and sends a new bundle;
the QA partner closes the queries and signs the case off; the assessor and the lead see it.
Built on the exchange tests' team (tests/exchange/conftest.py).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_QA, BadSignatureError, NotForMeError
from hmip_desktop.cli.main import main
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.common import ReplayError
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.exchange.qa import export_qa, export_qa_all
from hmip_desktop.qa.queries import close_query, list_queries, raise_query, reply_to_query
from hmip_desktop.qa.signoff import sign_off, signoff_of
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import FACTS, NAMES, PASSPHRASE, Env, assert_one_line
from tests.exchange.helpers import db_digest, opened, reseal
from tests.qa.builders import build

Entries = list[tuple[str, Any]]


def state(ws: Workspace, case_id: str) -> tuple[str, int]:
    row = ws._conn.execute("SELECT status, revision FROM assessments WHERE case_id = ?",
                          (case_id,)).fetchone()
    return str(row[0]), int(row[1])


def complete_case(ws: Workspace, case_id: str) -> None:
    """The assessor answers everything a clean form needs and marks the case complete."""
    fw = ws.read_assessment(case_id).framework
    for item, value in build(fw, FACTS).items.items():
        ws.save_item(case_id, item, value)
    ws.mark_complete(case_id)


def lines(report: Any) -> str:
    return "\n".join(report.lines())


@pytest.fixture
def queried(answered_env: Env) -> tuple[Env, list[str]]:
    """The QA partner holds a1's first bundle and has raised two queries, sent as qa-1."""
    env, team = answered_env, answered_env.team
    qa = env.ws("qa")
    service.import_file(qa, env.bundle("a1-1.hmipb"))
    first, second = team.cases_of("a1")
    q1 = raise_query(qa, first, "2.1.1.b", "Why 'no' when the plan names the risks?")
    q2 = raise_query(qa, second, "case", "Was the practitioner interviewed in person?")
    export_qa(qa, team.iid, team.member_ids["a1"], env.bundle("qa-1.hmipb"))
    return env, [q1.id, q2.id]


def test_the_whole_round_of_queries_replies_and_sign_off(queried: tuple[Env, list[str]]) -> None:
    env, (q1, q2) = queried
    team = env.team
    first, second = team.cases_of("a1")
    qa, a1, lead = env.ws("qa"), env.ws("a1"), env.ws("lead")
    held_at_qa = state(qa, first)
    assert held_at_qa == state(a1, first)  # raising queries changed no revision

    report = service.import_file(a1, env.bundle("qa-1.hmipb"))
    assert report.kind == "qa" and report.sender == NAMES["qa"]
    assert "  2 queries applied" in report.lines()
    assert [(q.item, q.is_open) for q in list_queries(a1, first)] == [("2.1.1.b", True)]
    assert a1.case_summary(first).display_status == "queried"
    assert [e.action for e in a1.history(first)][-1] == "import_query"
    again = service.import_file(a1, env.bundle("qa-1.hmipb"))
    assert again.already_imported and "Already imported" in lines(again)

    # The assessor replies, changes the answer, completes the case and sends it back.
    reply_to_query(a1, q1, "Agreed: the plan does name them. Changed to yes.")
    a1.save_item(first, "2.1.1.b", "yes")
    complete_case(a1, first)
    reply_to_query(a1, q2, "In person, at the office.")
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))

    report = service.import_file(qa, env.bundle("a1-2.hmipb"))
    assert ("RT-101", state(a1, first)[1]) in report.applied
    assert "  2 replies applied" in report.lines()
    assert state(qa, first) == state(a1, first)  # the assessor's revision, as theirs
    (at_qa,) = list_queries(qa, first)  # the QA partner's query survived the newer case
    assert at_qa.is_open and [r.author for r in at_qa.replies] == [NAMES["a1"]]
    assert qa.read_assessment(first).items["2.1.1.b"] == "yes"

    close_query(qa, q1)
    close_query(qa, q2)
    signed = sign_off(qa, first)
    assert signed.revision == state(a1, first)[1]
    with pytest.raises(UserError, match="not marked complete"):
        sign_off(qa, second)
    export_qa(qa, team.iid, team.member_ids["a1"], env.bundle("qa-2.hmipb"))

    report = service.import_file(a1, env.bundle("qa-2.hmipb"))
    assert "  2 closings, 1 sign-off applied" in report.lines()
    assert signoff_of(a1, first) == signed
    assert a1.case_summary(first).display_status == "signed_off"
    assert not any(q.is_open for q in list_queries(a1))

    # The lead: both assessment bundles, then the QA bundle. The queries the assessor's bundles
    # relay do not count at the lead: only the QA partner's own bundle brings them.
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    report = service.import_file(lead, env.bundle("a1-2.hmipb"))
    assert report.queries == report.replies == 0 and list_queries(lead) == []
    assert lead.case_summary(first).display_status != "queried"
    report = service.import_file(lead, env.bundle("qa-2.hmipb"))
    assert "  2 queries, 2 replies, 2 closings, 1 sign-off applied" in report.lines()
    assert signoff_of(lead, first) == signed
    summary = {s.case.case_ref: s for s in lead.list_cases(team.iid)}
    assert summary["RT-101"].display_status == "signed_off"
    assert summary["RT-102"].open_queries == 0
    assert [len(q.replies) for q in list_queries(lead, inspection_id=team.iid)] == [1, 1]

    # A later change by the assessor lapses the sign-off everywhere it travels.
    a1.save_item(first, "note:2.1.1", "A fuller note, written after the QA meeting.")
    assert signoff_of(a1, first) is None
    export_assessments(a1, team.iid, env.bundle("a1-3.hmipb"))
    service.import_file(lead, env.bundle("a1-3.hmipb"))
    assert signoff_of(lead, first) is None and lead.case_summary(first).status == "in_progress"


def test_the_older_qa_bundle_after_a_newer_one_is_a_replay(
        queried: tuple[Env, list[str]]) -> None:
    env, (q1, _q2) = queried
    qa, lead = env.ws("qa"), env.ws("lead")
    close_query(qa, q1)
    export_qa(qa, env.team.iid, env.team.member_ids["a1"], env.bundle("qa-2.hmipb"))
    service.import_file(lead, env.bundle("qa-2.hmipb"))
    before = db_digest(lead)
    with pytest.raises(ReplayError) as e:
        service.import_file(lead, env.bundle("qa-1.hmipb"))
    assert_one_line(e.value)
    assert db_digest(lead) == before


def test_queries_are_kept_when_a_stale_or_older_case_arrives(
        queried: tuple[Env, list[str]]) -> None:
    env, (q1, _q2) = queried
    qa = env.ws("qa")
    before = list_queries(qa)
    report = service.import_file(qa, env.bundle("a1-1.hmipb"))  # already imported: no-op
    assert report.already_imported and list_queries(qa) == before
    a1 = env.ws("a1")
    service.import_file(a1, env.bundle("qa-1.hmipb"))
    reply_to_query(a1, q1, "Replying without changing anything.")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"))
    report = service.import_file(qa, env.bundle("a1-2.hmipb"))
    assert report.up_to_date and not report.applied  # the case itself did not change
    assert "  1 reply applied" in report.lines()
    assert [len(q.replies) for q in list_queries(qa)] == [1, 0]


def test_an_assessment_bundle_without_queries_still_imports(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    ids = team.identities
    entries = [e for e in opened(env.bundle("a1-1.hmipb").read_bytes(), ids["lead"], ids["a1"])
               if e[0] != "queries.json"]
    data = reseal(entries, sender=ids["a1"], recipients=[ids["lead"]],
                  inspection_id=team.iid, sequence=40)
    path = env.bundle("old.hmipb")
    path.write_bytes(data)
    report = service.import_file(env.ws("lead"), path)
    assert len(report.applied) == 2 and not report.queries


def test_export_all_writes_one_bundle_per_assessor_with_something_to_send(
        queried: tuple[Env, list[str]], tmp_path: Path) -> None:
    env, _ids = queried
    out = tmp_path / "out"
    out.mkdir()
    (path,) = export_qa_all(env.ws("qa"), env.team.iid, out)
    assert path.name == "qa-robin-quillfeather.hmipb"
    with pytest.raises(UserError, match="nothing to send"):
        export_qa(env.ws("qa"), env.team.iid, env.team.member_ids["a2"], out / "a2.hmipb")
    with pytest.raises(UserError, match="not Jules Pennyfold's QA partner"):
        export_qa(env.ws("qa"), env.team.iid, env.team.member_ids["lead"], out / "x.hmipb")
    with pytest.raises(UserError, match="only a QA partner"):
        export_qa(env.ws("a1"), env.team.iid, env.team.member_ids["a1"], out / "y.hmipb")


# -- refusals: nothing written ----------------------------------------------------------------


def qa_entries(env: Env) -> Entries:
    ids = env.team.identities
    return opened(env.bundle("qa-1.hmipb").read_bytes(), ids["a1"], ids["qa"])


def resealed(env: Env, entries: Entries, *, sender: str = "qa", to: tuple[str, ...] = ("a1",),
             sequence: int = 60) -> bytes:
    ids = env.team.identities
    return reseal(entries, sender=ids[sender], recipients=[ids[w] for w in to],
                  inspection_id=env.team.iid, sequence=sequence, kind=KIND_QA)


def edit(env: Env, change: Any) -> bytes:
    entries = copy.deepcopy(qa_entries(env))
    change(entries[0][1], entries[1][1])
    return resealed(env, entries)


def _flip(env: Env) -> bytes:
    data = bytearray(env.bundle("qa-1.hmipb").read_bytes())
    data[len(data) // 2] ^= 0x01
    return bytes(data)


def _set(d: dict[str, Any], key: str, value: Any) -> None:
    d[key] = value


# name → (make the bundle, the error, its message, whose workspace imports it)
BAD: dict[str, tuple[Any, type[Exception], str, str]] = {
    "a byte changed": (_flip, BadSignatureError, "", "a1"),
    "signed by an assessor": (
        lambda env: resealed(env, [(n, {**v, "sender": {**v["sender"], "key_id":
                                                         env.team.key_id("a2").hex()}}
                                    if n == "manifest.json" else v)
                                   for n, v in qa_entries(env)], sender="a2", to=("lead",)),
        PayloadError, "must come from a QA partner", "lead"),
    "for another assessor": (
        lambda env: edit(env, lambda m, _r: _set(m, "for_member", env.team.member_ids["a2"])),
        PayloadError, "for someone this inspection does not have", "a1"),
    "not addressed to me": (
        lambda env: resealed(env, qa_entries(env), to=("lead",)), NotForMeError, "", "a1"),
    "a query on a case that is not mine": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "case_id",
                                                  env.team.cases_of("a2")[0])),
        PayloadError, "query in the bundle is not valid", "a1"),
    "a query on an unknown item": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "item", "9.9.9")),
        PayloadError, "not valid", "a1"),
    "an empty query": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "text", " ")),
        PayloadError, "not valid", "a1"),
    "a query id that is not hex": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "id", "../../x")),
        PayloadError, "not valid", "a1"),
    "a time that is no time": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "raised_at", "yesterday")),
        PayloadError, "not valid", "a1"),
    "closed by nobody": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "closed_at",
                                                  "2026-11-24T12:00:00.000+00:00")),
        PayloadError, "not valid", "a1"),
    "an extra field": (
        lambda env: edit(env, lambda _m, r: _set(r["queries"][0], "status", "open")),
        PayloadError, "not valid", "a1"),
    "a reply to no query in the bundle": (
        lambda env: edit(env, lambda _m, r: _set(r, "replies", [{
            "id": "a" * 32, "query_id": "b" * 32, "author": "Someone",
            "at": "2026-11-24T12:00:00.000+00:00", "text": "Hello"}])),
        PayloadError, "reply in the bundle is not valid", "a1"),
    "a sign-off at revision 0": (
        lambda env: edit(env, lambda _m, r: _set(r, "signoffs", [{
            "case_id": env.team.cases_of("a1")[0], "revision": 0, "signed_by": NAMES["qa"],
            "signed_at": "2026-11-24T12:00:00.000+00:00"}])),
        PayloadError, "sign-off in the bundle is not valid", "a1"),
    "the same query twice": (
        lambda env: edit(env, lambda _m, r: _set(r, "queries", [r["queries"][0]] * 2)),
        PayloadError, "twice", "a1"),
    "counts that do not match": (
        lambda env: edit(env, lambda m, _r: _set(m, "counts", {"queries": 9, "replies": 0,
                                                               "signoffs": 0})),
        PayloadError, "do not match its manifest", "a1"),
    "an extra entry": (
        lambda env: resealed(env, [*qa_entries(env), ("extra.json", {})]),
        PayloadError, "does not list", "a1"),
    "for another inspection": (
        lambda env: reseal([(n, {**v, "inspection_id": "another-inspection"}
                             if n == "manifest.json" else v) for n, v in qa_entries(env)],
                           sender=env.team.identities["qa"],
                           recipients=[env.team.identities["a1"]],
                           inspection_id="another-inspection", sequence=60, kind=KIND_QA),
        UserError, "another inspection", "a1"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_qa_bundles_are_refused_with_nothing_written(
        queried: tuple[Env, list[str]], case: str) -> None:
    env, _ids = queried
    make, error, message, who = BAD[case]
    data = make(env)
    ws = env.ws(who)
    before = db_digest(ws)
    path = env.bundle("bad.hmipb")
    path.write_bytes(data)
    with pytest.raises(error, match=message or None) as e:
        service.import_file(ws, path)
    assert_one_line(e.value)
    assert db_digest(ws) == before, "a refused QA bundle wrote to the workspace"


def test_a_query_held_with_other_content_is_refused(queried: tuple[Env, list[str]]) -> None:
    env, _ids = queried
    a1 = env.ws("a1")
    service.import_file(a1, env.bundle("qa-1.hmipb"))
    data = edit(env, lambda _m, r: _set(r["queries"][0], "text", "Something else entirely."))
    path = env.bundle("clash.hmipb")
    path.write_bytes(data)
    before = db_digest(a1)
    with pytest.raises(PayloadError, match="differs from the one held here"):
        service.import_file(a1, path)
    assert db_digest(a1) == before


def test_the_qa_export_command_and_import_summary(queried: tuple[Env, list[str]],
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    env, _ids = queried
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    qa, a1 = (["--workspace", str(env.folder(w))] for w in ("qa", "a1"))
    out = env.bundle("qa-cli.hmipb")
    assert main(["qa-export", *qa, "--to", NAMES["a1"], "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert main(["import", *a1, str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Imported the QA partner's queries and sign-offs from {NAMES['qa']}")
    assert "2 queries applied" in printed
    assert main(["qa-export", *qa, "--to", NAMES["a2"], "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing to send" in err and len(err.strip().splitlines()) == 1


def test_the_lead_takes_each_assessors_qa_bundle_in_any_order(
        queried: tuple[Env, list[str]]) -> None:
    """One QA partner writes a bundle per assessor; each assessor's is its own sequence, so
    the lead may import a2's (written later) before a1's, and a replay within one is refused."""
    env, (q1, _q2) = queried
    team = env.team
    qa, lead = env.ws("qa"), env.ws("lead")
    service.import_file(qa, env.bundle("a2-1.hmipb"))
    [a2_case, *_rest] = team.cases_of("a2")
    raise_query(qa, a2_case, "case", "Was the person on probation offered a phone call?")
    export_qa(qa, team.iid, team.member_ids["a2"], env.bundle("qa-a2.hmipb"))
    assert service.import_file(lead, env.bundle("qa-a2.hmipb")).queries == 1
    report = service.import_file(lead, env.bundle("qa-1.hmipb"))  # older, other assessor
    assert report.queries == 2
    assert len(list_queries(lead, open_only=True)) == 3
    close_query(qa, q1)
    export_qa(qa, team.iid, team.member_ids["a1"], env.bundle("qa-2.hmipb"))
    service.import_file(lead, env.bundle("qa-2.hmipb"))
    assert service.import_file(lead, env.bundle("qa-1.hmipb")).already_imported
