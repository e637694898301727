"""Extra roles: the deputy lead and a partner inspector, granted, audited and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import grant_role, member_roles, members_holding, withdraw_role


@pytest.fixture
def team(tmp_path: Path) -> tuple[Workspace, str, dict[str, str]]:
    ws = Workspace.create(tmp_path / "lead", "correct horse battery staple 7",
                          owner_name="Jules Pennyfold", role="lead")
    iid = ws.create_inspection(
        title="Roles", organisation="Invented PDU",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
    ids = {"lead": ws.add_member(iid, name="Jules Pennyfold", role="lead"),
           "qa": ws.add_member(iid, name="Morgan Thistlecombe", role="qa"),
           "assessor": ws.add_member(iid, name="Robin Quillfeather", role="assessor")}
    return ws, iid, ids


def test_a_member_holds_their_own_role_and_those_granted(team) -> None:
    ws, iid, ids = team
    assert member_roles(ws, iid, ids["qa"]) == {"qa"}
    grant_role(ws, iid, ids["qa"], "deputy")
    grant_role(ws, iid, ids["lead"], "assessor")
    assert member_roles(ws, iid, ids["qa"]) == {"qa", "deputy"}
    assert members_holding(ws, iid, "deputy") == [ids["qa"]]
    assert set(members_holding(ws, iid, "assessor")) == {ids["assessor"], ids["lead"]}


def test_granting_and_withdrawing_are_audited_once(team) -> None:
    ws, iid, ids = team
    grant_role(ws, iid, ids["qa"], "deputy")
    grant_role(ws, iid, ids["qa"], "deputy")  # already held: nothing more written
    withdraw_role(ws, iid, ids["qa"], "deputy")
    actions = [(e.action, e.item) for e in ws.history(None)
               if e.action in ("grant_role", "withdraw_role")]
    assert actions == [("grant_role", ids["qa"]), ("withdraw_role", ids["qa"])]
    assert members_holding(ws, iid, "deputy") == []


def test_bad_grants_change_nothing(team) -> None:
    ws, iid, ids = team
    with pytest.raises(UserError, match="Unknown role"):
        grant_role(ws, iid, ids["qa"], "chief")
    with pytest.raises(UserError, match="No such member"):
        grant_role(ws, iid, "nobody", "deputy")
    with pytest.raises(UserError, match="own role cannot be withdrawn"):
        withdraw_role(ws, iid, ids["qa"], "qa")
    assert all(member_roles(ws, iid, m) == {r} for r, m in ids.items())
