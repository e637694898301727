"""A partner inspector reviews the cases the lead gives them, read-only, and comments back."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.bundles import KIND_REVIEW
from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.review_bundles import export_comments, export_review
from hmip_desktop.store.reads import case_items
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review
from hmip_desktop.team.roles import grant_role
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import PASSPHRASE, Env, assert_one_line, count, digests
from tests.exchange.helpers import opened, reseal

PARTNER = "a2"  # Casey Marrowby, granted the partner inspector's role by the lead


def _lead_holds_answers(env: Env) -> None:
    service.import_file(env.ws("lead"), env.bundle("a1-1.hmipb"))


def _given(env: Env) -> None:
    """The lead makes Casey a partner inspector, gives them Robin's two cases and sends them."""
    _lead_holds_answers(env)
    lead, team = env.ws("lead"), env.team
    grant_role(lead, team.iid, team.member_ids[PARTNER], "partner")
    assert review.give_for_review(lead, team.iid, team.member_ids[PARTNER],
                                  team.cases_of("a1")) == 2
    export_review(lead, team.iid, team.member_ids[PARTNER], env.bundle("review.hmipb"))
    service.import_file(env.ws(PARTNER), env.bundle("review.hmipb"))


def test_the_partner_reads_the_cases_with_the_answers_the_lead_holds(answered_env: Env) -> None:
    _given(answered_env)
    team = answered_env.team
    copies = review.review_copies(answered_env.ws(PARTNER), team.iid)
    assert [c.case_ref for c in copies] == ["RT-101", "RT-102"]
    held = case_items(answered_env.ws("lead"), team.iid)
    assert copies[0].items == held[team.case_ids["RT-101"]]
    assert copies[0].items["note:2.1.1"] == "The assessment engaged the person well."


def test_comments_reach_the_lead_beside_the_case_with_who_and_when(answered_env: Env) -> None:
    _given(answered_env)
    team, partner, lead = answered_env.team, answered_env.ws(PARTNER), answered_env.ws("lead")
    case = team.case_ids["RT-101"]
    review.add_comment(partner, team.iid, case, "Police checks were not followed up.", "2.1.1")
    review.add_comment(partner, team.iid, case, "Good joint working overall.")
    path = export_comments(partner, team.iid, answered_env.bundle("comments.hmipb"))
    report = service.import_file(lead, path)
    assert report.lines() == [
        "Imported a partner inspector's comments from Casey Marrowby",
        "  2 new comments, kept beside their cases"]
    found = review.comments_on(lead, case)
    assert [(c.kq_id, c.text, c.author_name) for c in found] == [
        ("2.1.1", "Police checks were not followed up.", "Casey Marrowby"),
        (None, "Good joint working overall.", "Casey Marrowby")]
    assert all(c.written_at for c in found)
    again = service.import_file(lead, path)
    assert again.already_imported and len(review.comments_on(lead, case)) == 2
    assert _audited(partner, "review_comment") == _audited(lead, "receive_review_comment") == 2


def _audited(ws: Workspace, action: str) -> int:
    return int(connection(ws).execute("SELECT count(*) FROM audit WHERE action = ?",
                                      (action,)).fetchone()[0])


def test_comments_never_change_a_count_a_rating_or_an_answer(answered_env: Env) -> None:
    _lead_holds_answers(answered_env)
    team, lead = answered_env.team, answered_env.ws("lead")
    before = (consolidate(lead, team.iid, rule=PROVISIONAL), case_items(lead, team.iid))
    assert before[0].judgements[team.case_ids["RT-101"]]["2.1.1"] == "yes"  # counted
    _given(answered_env)  # the bundle already imported changes nothing the second time
    partner = answered_env.ws(PARTNER)
    for cid in team.cases_of("a1"):
        review.add_comment(partner, team.iid, cid, "Risk of harm was understated.", "2.1.1")
    service.import_file(lead, export_comments(partner, team.iid, answered_env.bundle("c.hmipb")))
    assert count(lead, "review_comments") == 2
    assert (consolidate(lead, team.iid, rule=PROVISIONAL), case_items(lead, team.iid)) == before


def test_cases_are_given_only_to_a_partner_inspector(answered_env: Env) -> None:
    lead, team = answered_env.ws("lead"), answered_env.team
    with pytest.raises(UserError) as refused:
        review.give_for_review(lead, team.iid, team.member_ids["a2"], team.cases_of("a1"))
    assert_one_line(refused.value)
    assert count(lead, "review_given") == 0


def test_a_comment_on_a_case_not_given_is_refused_and_writes_nothing(answered_env: Env) -> None:
    _given(answered_env)
    team, partner = answered_env.team, answered_env.ws(PARTNER)
    with pytest.raises(UserError) as refused:
        review.add_comment(partner, team.iid, team.case_ids["RT-201"], "Not mine to review.")
    assert_one_line(refused.value)
    assert count(partner, "review_comments") == 0


def test_the_partner_cannot_change_an_answer_of_a_case_under_review(answered_env: Env) -> None:
    _given(answered_env)
    team, partner = answered_env.team, answered_env.ws(PARTNER)
    with pytest.raises(UserError) as refused:
        partner.save_item(team.case_ids["RT-101"], "2.1.1", "no")
    assert_one_line(refused.value)
    copy = review.review_copies(partner, team.iid)[0]
    assert copy.items["2.1.1"] == "yes"


def _forged_comments(env: Env, change: object) -> None:
    """Casey's comments bundle opened, changed by ``change``, and sealed again by Casey."""
    team = env.team
    partner = env.ws(PARTNER)
    review.add_comment(partner, team.iid, team.case_ids["RT-101"], "A fair assessment.")
    path = export_comments(partner, team.iid, env.bundle("comments.hmipb"))
    entries = opened(path.read_bytes(), team.identities["lead"], team.identities[PARTNER])
    change(entries)  # type: ignore[operator]
    env.bundle("forged.hmipb").write_bytes(reseal(
        entries, sender=team.identities[PARTNER], recipients=[team.identities["lead"]],
        inspection_id=team.iid, sequence=50, kind=KIND_REVIEW))


def _refused_at_lead(env: Env) -> str:
    env.close()
    before = digests(env.folder("lead"))
    with pytest.raises(UserError) as refused:
        service.import_file(env.ws("lead"), env.bundle("forged.hmipb"))
    assert_one_line(refused.value)
    env.close()
    assert digests(env.folder("lead")) == before
    return str(refused.value)


def test_an_answer_sent_through_the_partners_comments_is_refused(answered_env: Env) -> None:
    _given(answered_env)

    def with_answer(entries: list[tuple[str, object]]) -> None:
        comments = entries[1][1]
        assert isinstance(comments, list)
        comments[0]["value"] = "no"
        comments[0]["kq_id"] = "2.1.1"

    _forged_comments(answered_env, with_answer)
    assert "never answers" in _refused_at_lead(answered_env)


def test_comments_on_a_case_not_given_to_the_sender_are_refused(answered_env: Env) -> None:
    _given(answered_env)
    team = answered_env.team

    def other_case(entries: list[tuple[str, object]]) -> None:
        comments = entries[1][1]
        assert isinstance(comments, list)
        comments[0].update(case_id=team.case_ids["RT-201"], case_ref="RT-201")

    _forged_comments(answered_env, other_case)
    assert "RT-201" in _refused_at_lead(answered_env)


def test_comments_from_someone_no_longer_a_partner_are_refused(answered_env: Env) -> None:
    _given(answered_env)
    team = answered_env.team
    _forged_comments(answered_env, lambda entries: None)
    lead = answered_env.ws("lead")
    from hmip_desktop.team.roles import withdraw_role  # noqa: PLC0415

    withdraw_role(lead, team.iid, team.member_ids[PARTNER], "partner")
    assert "not from a partner inspector" in _refused_at_lead(answered_env)


def test_the_cli_gives_comments_and_shows_comments_at_the_lead(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    answered_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    lead_arg = ("--workspace", str(answered_env.folder("lead")))
    partner_arg = ("--workspace", str(answered_env.folder(PARTNER)))
    assert run(capsys, "import", str(answered_env.bundle("a1-1.hmipb")), *lead_arg)[0] == 0
    code, _out, err = run(capsys, "review", "give", "Casey Marrowby", "RT-101", *lead_arg)
    assert code != 0 and "only a partner inspector" in err and "\n" not in err.strip()
    assert run(capsys, "role", "grant", "Casey Marrowby", "partner", *lead_arg)[0] == 0
    out_file = answered_env.bundle("review.hmipb")
    code, printed, err = run(capsys, "review", "give", "Casey Marrowby", "RT-101", "RT-102",
                             "--out", str(out_file), *lead_arg)
    assert (code, err) == (0, "")
    assert printed.splitlines() == ["2 cases given to review",
                                    f"cases to review written to {out_file}"]
    assert run(capsys, "import", str(out_file), *partner_arg)[0] == 0
    code, printed, _err = run(capsys, "review", "show", "--json", *partner_arg)
    shown = json.loads(printed)
    assert [c["case_ref"] for c in shown] == ["RT-101", "RT-102"]
    assert shown[0]["items"]["2.1.1"] == "yes"
    code, _out, err = run(capsys, "review", "comment", "RT-201", "Not given", *partner_arg)
    assert code != 0 and "RT-201" in err
    assert run(capsys, "review", "comment", "RT-102", "Clear plan.", "--question", "2.1.1",
               *partner_arg)[0] == 0
    back = answered_env.bundle("back.hmipb")
    assert run(capsys, "review", "return", "--out", str(back), *partner_arg)[0] == 0
    assert run(capsys, "import", str(back), *lead_arg)[0] == 0
    code, printed, _err = run(capsys, "review", "comments", "RT-102", "--json", *lead_arg)
    (comment,) = json.loads(printed)
    assert (comment["key_question"], comment["text"], comment["by"]) == (
        "2.1.1", "Clear plan.", "Casey Marrowby")


def test_a_comment_that_could_disguise_itself_is_refused_at_both_ends(answered_env: Env) -> None:
    _given(answered_env)
    team, partner = answered_env.team, answered_env.ws(PARTNER)
    with pytest.raises(UserError) as refused:
        review.add_comment(partner, team.iid, team.case_ids["RT-101"], "Fine \u202eenif")
    assert_one_line(refused.value)
    assert count(partner, "review_comments") == 0

    def disguised(entries: list[tuple[str, object]]) -> None:
        comments = entries[1][1]
        assert isinstance(comments, list)
        comments[0]["text"] = "Fine \u202eenif"

    _forged_comments(answered_env, disguised)
    assert "RT-101" in _refused_at_lead(answered_env)


def test_cases_to_review_from_anyone_but_the_lead_are_refused(answered_env: Env) -> None:
    """Robin's laptop, treating their QA partner as a partner inspector, cannot give them cases
    to review: only the lead can."""
    team = answered_env.team
    a1 = answered_env.ws("a1")
    grant_role(a1, team.iid, team.member_ids["qa"], "partner")
    review.give_for_review(a1, team.iid, team.member_ids["qa"], team.cases_of("a1"))
    path = export_review(a1, team.iid, team.member_ids["qa"],
                         answered_env.bundle("not-lead.hmipb"))
    qa = answered_env.ws("qa")
    with pytest.raises(UserError) as refused:
        service.import_file(qa, path)
    assert str(refused.value) == "refused: cases to review come only from the inspection's lead"
    assert count(qa, "review_cases") == 0
