"""The deputy lead's pack carries the team and the roles, so alerts reach and can be verified."""

from __future__ import annotations

from hmip_desktop.bundles import KIND_PACK
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.alert_bundles import alert_recipients, export_alert
from hmip_desktop.team.alert_tracking import tracked_alert
from hmip_desktop.team.alerts import holds_alert_authority
from hmip_desktop.team.roles import grant_role, member_roles, withdraw_role
from tests.exchange.conftest import Env
from tests.exchange.helpers import opened, reseal

HARM = {"what_might_happen": "Harm to a child at home", "how_serious": "Serious",
        "how_imminent": "Within days", "action_asked": "Tell the manager today"}


def _reissue(env: Env, *who: str) -> list[list[str]]:
    """The lead writes the members' packs again; each member imports theirs."""
    lead = env.ws("lead")
    lines = []
    for w in who:
        path = packs.make_pack(lead, env.team.iid, env.team.member_ids[w],
                               env.bundle(f"{w}-again.hmippack"))
        lines.append(service.import_file(env.ws(w), path).lines())
    return lines


def _names(env: Env, who: str) -> set[str]:
    return {m["name"] for m in env.ws(who).members(env.team.iid)}


def test_a_role_granted_after_the_packs_reaches_the_team_in_reissued_packs(
        ready_env: Env) -> None:
    iid, ids = ready_env.team.iid, ready_env.team.member_ids
    # The second assessor's pack knew only the lead, themselves and their QA partner.
    assert "Robin Quillfeather" not in _names(ready_env, "a2")
    grant_role(ready_env.ws("lead"), iid, ids["a2"], "deputy")
    at_a2, at_a1 = _reissue(ready_env, "a2", "a1")
    for lines in (at_a2, at_a1):
        assert "  Casey Marrowby: roles now assessor, deputy lead inspector" in lines
    a2 = ready_env.ws("a2")
    assert member_roles(a2, iid, ids["a2"]) == {"assessor", "deputy"}
    assert holds_alert_authority(a2, iid)
    assert _names(ready_env, "a2") == {"Jules Pennyfold", "Robin Quillfeather",
                                       "Casey Marrowby", "Morgan Thistlecombe"}
    # The first assessor now knows the deputy and seals alerts to them as well as the lead.
    a1 = ready_env.ws("a1")
    assert set(alert_recipients(a1, iid)) == {ready_env.team.key_id("lead"),
                                              ready_env.team.key_id("a2")}
    alert = a1.raise_alert(ready_env.team.cases_of("a1")[0], **HARM)
    path = export_alert(a1, alert.id, ready_env.bundle("alert.hmipalert"))
    report = service.import_file(a2, path)
    assert report.lines()[0] == "Imported an alert from Robin Quillfeather"
    assert tracked_alert(a2, alert.id).state == "raised"


def test_a_withdrawn_role_is_withdrawn_at_the_member_by_the_next_pack(ready_env: Env) -> None:
    iid, ids = ready_env.team.iid, ready_env.team.member_ids
    lead = ready_env.ws("lead")
    grant_role(lead, iid, ids["a2"], "deputy")
    _reissue(ready_env, "a2")
    withdraw_role(lead, iid, ids["a2"], "deputy")
    _reissue(ready_env, "a2")
    assert member_roles(ready_env.ws("a2"), iid, ids["a2"]) == {"assessor"}
    assert not holds_alert_authority(ready_env.ws("a2"), iid)


def test_a_pack_written_before_roles_travelled_still_imports(setup_env: Env) -> None:
    team = setup_env.team
    path = setup_env.bundle("a1.hmippack")
    entries = opened(path.read_bytes(), team.identities["a1"], team.identities["lead"])
    old = [(name, [{k: v for k, v in m.items() if k != "roles"} for m in value])
           if name == "members.json" else (name, value) for name, value in entries]
    assert all("roles" not in m for m in dict(old)["members.json"])
    older = setup_env.bundle("old.hmippack")
    older.write_bytes(reseal(old, sender=team.identities["lead"],
                             recipients=[team.identities["a1"]], inspection_id=team.iid,
                             sequence=40, kind=KIND_PACK))
    a1 = setup_env.ws("a1")
    report = service.import_file(a1, older, lead_fingerprint=team.fingerprint("lead"))
    assert report.lines()[1] == "  2 case(s) assigned: RT-101, RT-102"
    assert member_roles(a1, team.iid, team.member_ids["a1"]) == {"assessor"}
