"""The debrief on each local assessor: written by the lead or the supporting inspector, kept
where it is written, audited, refused in one line when wrong, and never in an assessor's
bundle."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.debrief import DebriefError, debriefs, write_debrief
from hmip_desktop.exchange import packs
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.queries import raise_query
from tests.cli_helpers import run_cli
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests
from tests.exchange.helpers import plaintext

OBSERVED = "Watched the supporting inspector's interview closely; asked good questions."
MEETINGS = "Forms complete by Wednesday; judgements followed the prompts."
OVERALL = "A careful assessor who gave the practitioners clear, kind feedback."


def test_the_lead_writes_a_debrief_and_rewrites_one_part(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    first = write_debrief(lead, team.iid, NAMES["a1"],
                          {"observation": OBSERVED, "qa_meetings": MEETINGS})
    assert (first.assessor, first.author, first.overall) == (NAMES["a1"], NAMES["lead"], "")
    again = write_debrief(lead, team.iid, team.member_ids["a1"], {"overall": OVERALL})
    assert (again.observation, again.qa_meetings, again.overall) == (OBSERVED, MEETINGS, OVERALL)
    [held] = debriefs(lead, team.iid)
    assert held == again
    audit = [h for h in lead.history() if h.action == "debrief"]
    assert len(audit) == 2 and OVERALL in (audit[-1].new or "")


@pytest.mark.parametrize(("who", "member", "texts", "words"), [
    ("lead", "Nobody Atall", {"overall": OVERALL}, "is not an assessor"),
    ("lead", "qa", {"overall": OVERALL}, "is not an assessor"),
    ("lead", "a1", {"overall": "  \n "}, "the debrief is empty"),
    ("lead", "a1", {"mood": "fine"}, "is not part of a debrief"),
    ("lead", "a1", {"overall": "bad\x00text"}, "Overall performance"),
    ("a1", "a1", {"overall": OVERALL}, "not in an assessor's workspace"),
])
def test_a_wrong_debrief_is_refused_in_one_line_and_writes_nothing(
        ready_env: Env, who: str, member: str, texts: dict[str, str], words: str) -> None:
    env, team = ready_env, ready_env.team
    before = digests(env.folder(who))
    with pytest.raises(DebriefError) as refused:
        write_debrief(env.ws(who), team.iid, NAMES.get(member, member), texts)
    assert words in str(refused.value)
    assert_one_line(refused.value)
    env.close(who)
    assert digests(env.folder(who)) == before


def test_the_supporting_inspector_writes_on_their_own_assessors_only(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    qa = env.ws("qa")
    mine = write_debrief(qa, team.iid, NAMES["a1"], {"overall": OVERALL})
    assert (mine.author, mine.author_role) == (NAMES["qa"], "qa")
    assert [d.assessor for d in debriefs(qa, team.iid)] == [NAMES["a1"]]
    assert debriefs(env.ws("lead"), team.iid) == []  # kept where it was written


def test_no_bundle_to_an_assessor_carries_a_debrief(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead, qa = env.ws("lead"), env.ws("qa")
    write_debrief(lead, team.iid, NAMES["a1"], {"overall": OVERALL})
    write_debrief(qa, team.iid, NAMES["a1"], {"qa_meetings": MEETINGS})
    pack = packs.make_pack(lead, team.iid, team.member_ids["a1"], env.bundle("a1-again.hmippack"))
    raise_query(qa, team.cases_of("a1")[0], "2.1.1", "Why yes here?")
    qa_bundle = export_qa(qa, team.iid, team.member_ids["a1"], env.bundle("qa-a1.hmipb"))
    a1 = team.identities["a1"]
    for path, sender in ((pack, team.identities["lead"]), (qa_bundle, team.identities["qa"])):
        text = plaintext(path.read_bytes(), a1, sender)
        assert b"debrief" not in text.lower()
        assert OVERALL.encode() not in text and MEETINGS.encode() not in text


def test_the_debrief_command_writes_lists_and_refuses(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = ready_env
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    where = ("--workspace", str(env.folder("lead")))
    code, out, err = run_cli(capsys, "debrief", *where, "--assessor", NAMES["a1"],
                             "--observation", OBSERVED, "--overall", OVERALL)
    assert (code, err) == (0, "")
    assert f"{NAMES['a1']}: by {NAMES['lead']}" in out and f"Overall performance: {OVERALL}" in out
    assert "The lunchtime quality assurance meetings: (not written)" in out
    code, out, err = run_cli(capsys, "debrief", *where, "--json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["assessor"], row["observation"], row["qa_meetings"], row["overall"]) == (
        NAMES["a1"], OBSERVED, "", OVERALL)
    code, out, err = run_cli(capsys, "debrief", *where, "--overall", OVERALL)
    assert code == 1 and err.count("\n") == 1 and "--assessor" in err
    code, out, err = run_cli(capsys, "debrief", *where, "--assessor", NAMES["qa"],
                             "--overall", OVERALL)
    assert code == 1 and "is not an assessor on this inspection" in err
    code, out, err = run_cli(capsys, "debrief", "--workspace", str(env.folder("a2")))
    assert (code, out.strip()) == (0, "no debrief written yet")
