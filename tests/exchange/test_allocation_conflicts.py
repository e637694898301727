"""Allocation by roles and conflict checks through the service and the CLI, on the lead's copy.

The team (tests/exchange/conftest.py): Robin Quillfeather (a1, Northgate office) and Casey
Marrowby (a2, Riverside office), assessors; Morgan Thistlecombe (qa, no office); the lead.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.setup.apply import allocate_evenly, import_sample
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import grant_role
from tests.cli_helpers import run_cli
from tests.exchange.conftest import NAMES, PASSPHRASE, Env

HEADINGS = "case_ref,person_name,pdu,team,office,practitioner,sample,gender,sentence_type,rosh"
DAYS = [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]


def _sample(ws: Workspace, iid: str, tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    lines = [f"{ref},{person},Demo PDU,Team 1,Eastfield,{practitioner},supervision,female,"
             "community,medium" for ref, person, practitioner in rows]
    path = tmp_path / "sample.csv"
    path.write_text("\n".join([HEADINGS, *lines]) + "\n", encoding="utf-8")
    import_sample(ws, iid, path)


def _owners(ws: Workspace) -> dict[str, str]:
    return dict(connection(ws).execute(
        "SELECT c.case_ref, a.member_id FROM cases c JOIN assignments a ON a.case_id = c.id"))


def _audit(ws: Workspace, action: str) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in connection(ws).execute(
        "SELECT item, old, new FROM audit WHERE action = ?", (action,))]


NAMED = [("NC-1", "Kit Dovecote", "R. Quillfeather"),   # a1's name, as an initial
         ("NC-2", "casey marrowby", "Lee Gorseby")]      # a2's name, as the person


def test_the_name_conflicts_are_avoided_and_shown_with_their_reason(
        setup_env: Env, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, NAMED)
    report = allocate_evenly(lead, team.iid, DAYS)
    owners = _owners(lead)
    assert owners["NC-1"] != team.member_ids["a1"] and owners["NC-2"] != team.member_ids["a2"]
    lines = report.lines()
    assert (f"  conflict: NC-1 not given to {NAMES['a1']}: the case's practitioner, "
            f"R. Quillfeather, may be {NAMES['a1']}: the same or a similar name") in lines
    assert any(line.startswith(f"  conflict: NC-2 not given to {NAMES['a2']}: the person on "
                               "probation") for line in lines)


def test_the_lead_overrides_a_hit_with_a_reason_and_it_is_audited(
        setup_env: Env, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, NAMED)
    why = "Checked with the PDU: another Quillfeather, no connection."
    report = allocate_evenly(lead, team.iid, DAYS, overrides=[(NAMES["a1"], "NC-1", why)])
    assert any(line.startswith(f"  conflict overridden: NC-1 may go to {NAMES['a1']}")
               for line in report.lines())
    [(item, old, new)] = _audit(lead, "override_conflict")
    assert (item, new) == (team.member_ids["a1"], why) and "R. Quillfeather" in old


def test_an_override_where_nothing_conflicts_is_refused_and_nothing_written(
        setup_env: Env, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, NAMED)
    before = _owners(lead)
    with pytest.raises(UserError, match="no conflict check stops"):
        allocate_evenly(lead, team.iid, DAYS, overrides=[(NAMES["a2"], "NC-1", "why not")])
    with pytest.raises(UserError, match="and a reason"):
        allocate_evenly(lead, team.iid, DAYS, overrides=[(NAMES["a1"], "NC-1", "  ")])
    assert _owners(lead) == before and not _audit(lead, "override_conflict")


def test_the_lead_and_a_deputy_take_cases_only_when_asked(
        setup_env: Env, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    rows = [(f"LD-{n}", f"Person {n}", f"Practitioner {n}") for n in range(12)]
    _sample(lead, team.iid, tmp_path, rows)
    grant_role(lead, team.iid, team.member_ids["a2"], "deputy")
    report = allocate_evenly(lead, team.iid, DAYS, lead_cases=True)
    loads = report.allocation.loads()
    assert set(loads) == {team.member_ids[w] for w in ("lead", "a1", "a2", "qa")}
    assert loads[team.member_ids["a2"]] <= 4 and loads[team.member_ids["lead"]] >= 1


def test_without_lead_cases_a_deputy_is_left_to_their_lead_work(
        setup_env: Env, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, [("DP-1", "Person 1", "Practitioner 1")])
    grant_role(lead, team.iid, team.member_ids["a2"], "deputy")
    report = allocate_evenly(lead, team.iid, DAYS)
    assert set(report.allocation.loads()) == {team.member_ids[w] for w in ("a1", "qa")}


# -- the CLI -----------------------------------------------------------------------------------

def test_role_grant_withdraw_and_members_show_roles_in_words(
        setup_env: Env, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(setup_env.folder("lead"))]
    code, out, err = run_cli(capsys, "role", "grant", NAMES["qa"], "deputy", *ws)
    assert (code, out) == (0, f"{NAMES['qa']}: QA inspector, deputy lead inspector\n"), err
    code, out, err = run_cli(capsys, "role", "grant", NAMES["a1"], "partner", *ws, "--json")
    assert json.loads(out)["roles"] == ["assessor", "partner"]
    code, out, err = run_cli(capsys, "members", *ws)
    assert f"{NAMES['qa']}  (QA inspector, deputy lead inspector; English)" in out
    assert f"{NAMES['a2']}  (assessor; English)" in out
    code, out, err = run_cli(capsys, "members", *ws, "--json")
    roles = {r["name"]: r["roles"] for r in json.loads(out)}
    assert roles[NAMES["qa"]] == ["deputy", "qa"] and roles[NAMES["lead"]] == ["lead"]
    code, out, err = run_cli(capsys, "role", "withdraw", NAMES["qa"], "deputy", *ws)
    assert (code, out) == (0, f"{NAMES['qa']}: QA inspector\n")


def test_role_refusals_are_one_line_and_change_nothing(
        setup_env: Env, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(setup_env.folder("lead"))]
    code, out, err = run_cli(capsys, "role", "withdraw", NAMES["a1"], "assessor", *ws)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "own role cannot be withdrawn" in err
    code, out, err = run_cli(capsys, "role", "grant", "Nobody Known", "deputy", *ws)
    assert code == 1 and "no single member" in err
    code, out, err = run_cli(capsys, "members", *ws, "--json")
    assert all(len(r["roles"]) == 1 for r in json.loads(out))


def test_allocate_on_the_cli_shows_hits_and_takes_an_override(
        setup_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, NAMED)
    setup_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(setup_env.folder("lead"))]
    code, out, err = run_cli(capsys, "allocate", *ws, "--days", "2026-11-24,2026-11-25",
                             "--override", NAMES["a2"], "NC-2", "A different Casey Marrowby.")
    assert code == 0, err
    assert f"conflict: NC-1 not given to {NAMES['a1']}: the case's practitioner" in out
    assert f"conflict overridden: NC-2 may go to {NAMES['a2']}: the person on probation" in out
    assert _audit(setup_env.ws("lead"), "override_conflict")[0][2] == "A different Casey Marrowby."


def test_reassigning_to_a_member_a_check_kept_off_overrides_it_with_the_reason(
        setup_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from hmip_desktop.setup.reassign import conflict_reasons, reassign  # noqa: PLC0415

    lead, team = setup_env.ws("lead"), setup_env.team
    _sample(lead, team.iid, tmp_path, NAMED)
    allocate_evenly(lead, team.iid, DAYS)
    a1, qa = team.member_ids["a1"], team.member_ids["qa"]
    [why] = conflict_reasons(lead, team.iid, "NC-1", a1)
    assert "R. Quillfeather, may be Robin Quillfeather" in why
    assert conflict_reasons(lead, team.iid, "NC-1", qa) == []
    done = reassign(lead, team.iid, "NC-1", a1, "The PDU confirms another R. Quillfeather.")
    assert done.conflicts == (why,) and _owners(lead)["NC-1"] == a1
    assert _audit(lead, "override_conflict") == [
        (a1, why, "The PDU confirms another R. Quillfeather.")]

    setup_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = ["--workspace", str(setup_env.folder("lead"))]
    code, out, err = run_cli(capsys, "reassign", "NC-2", "--to", NAMES["a2"], "--reason",
                             "Not the same Casey Marrowby: checked.", *ws)
    assert code == 0, err
    assert "conflict overridden, with the reason given: the person on probation" in out
