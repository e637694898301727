"""Languages in the lead's workspace: recorded for members and cases (audited), matched at
allocation and by hand, shown and set from the CLI, and carried to the assessor in the pack."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hmip_desktop.exchange import packs, service
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.setup.languages import LanguageError, set_case_language, set_member_languages
from hmip_desktop.setup.reassign import ReassignError, reassign
from hmip_desktop.setup.schedule_service import set_interview_time
from hmip_desktop.setup.week import ScheduleError
from tests.cli_helpers import run_cli
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests

DAYS = [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]


def test_a_welsh_case_is_allocated_to_the_welsh_speaker_and_reaches_them_in_the_pack(
        ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    assert set_member_languages(lead, team.iid, team.member_ids["a2"],
                                "English and Welsh") == ("en", "cy")
    assert set_case_language(lead, "RT-401", "Cymraeg") == "cy"
    report = allocate_evenly(lead, team.iid, DAYS)
    assert report.allocation.assignments == {"RT-401": team.member_ids["a2"]}
    actions = [(h.action, h.new) for h in lead.history()]
    assert ("member_languages", "en,cy") in actions and ("case_language", "cy") in actions
    pack = packs.make_pack(lead, team.iid, team.member_ids["a2"], env.bundle("a2-2.hmippack"))
    service.import_file(env.ws("a2"), pack, lead_fingerprint=team.fingerprint("lead"))
    assert env.ws("a2").find_case("RT-401").language == "cy"
    assert env.ws("a2").find_case("RT-201").language == "en"


def test_with_nobody_in_welsh_the_case_is_left_and_the_lead_is_told(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    set_case_language(lead, "RT-401", "Welsh")
    report = allocate_evenly(lead, team.iid, DAYS)
    assert report.allocation.assignments == {}
    assert ("  not allocated: RT-401: nobody in the team inspects in Welsh, the language of its "
            "records and interview: record a member who does") in report.lines()


def test_a_welsh_case_cannot_be_given_by_hand_to_a_member_without_welsh(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    set_case_language(lead, "RT-401", "cy")
    set_case_language(lead, "RT-101", "en")  # no change: nothing audited
    env.close("lead")
    before = digests(env.folder("lead"))
    lead = env.ws("lead")
    with pytest.raises(ScheduleError) as by_hand:
        set_interview_time(lead, team.case_ids["RT-401"], team.member_ids["a1"], None)
    with pytest.raises(ReassignError) as moved:
        reassign(lead, team.iid, "RT-401", team.member_ids["a1"], "cover for a colleague")
    with pytest.raises(LanguageError) as held:  # RT-101 is Robin's, who has no Welsh
        set_case_language(lead, "RT-101", "Welsh")
    for refused in (by_hand, moved, held):
        assert_one_line(refused.value)
        assert f"{NAMES['a1']}" in str(refused.value) and "Welsh" in str(refused.value)
    env.close("lead")
    assert digests(env.folder("lead")) == before


def test_only_the_lead_sets_languages(ready_env: Env) -> None:
    env = ready_env
    with pytest.raises(LanguageError) as refused:
        set_case_language(env.ws("a1"), "RT-101", "cy")
    assert "only the lead" in str(refused.value)


def test_the_language_command_sets_and_shows_both_fields(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = ready_env
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    where = ("--workspace", str(env.folder("lead")))
    code, out, err = run_cli(capsys, "language", "member", NAMES["a2"], "en,cy", *where)
    assert (code, err, out) == (0, "", f"{NAMES['a2']}: English and Welsh\n")
    code, out, err = run_cli(capsys, "language", "case", "RT-401", "Welsh", *where)
    assert (code, out) == (0, "RT-401: Welsh\n")
    code, out, err = run_cli(capsys, "language", "list", "--json", *where)
    shown = json.loads(out)
    assert {m["name"]: m["languages"] for m in shown["members"]}[NAMES["a1"]] == ["en"]
    assert {c["case_ref"]: c["language"] for c in shown["cases"]}["RT-401"] == "cy"
    code, out, err = run_cli(capsys, "members", *where)
    assert f"{NAMES['a2']}  (assessor; English and Welsh)" in out
    code, out, err = run_cli(capsys, "language", "case", "RT-401", "Breton", *where)
    assert code == 1 and err.count("\n") == 1 and "'Breton' is not a language" in err
