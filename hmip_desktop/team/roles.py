"""Roles a member holds in an inspection, beyond the one their workspace was made for.

A member's workspace is made for one role (assessor, QA partner or lead: ``members.role``),
which decides the screens their laptop shows. The manuals give some people more than that: the
deputy lead inspector handles alerts, substitute cases and the local assessors' debrief
(Probation inspections external guidance manual §3.1, §3.10, §6.7); a partner inspector reviews
youth cases in the second week (youth offending services manual §2.1, §6.1); the lead may also
assess cases. Those extra roles are granted here, audited, and read back with the member's own.
"""

from __future__ import annotations

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

WORKSPACE_ROLES = ("assessor", "qa", "lead")
EXTRA_ROLES = ("deputy", "partner")
ROLE_KEYS = (*WORKSPACE_ROLES, *EXTRA_ROLES)


def _member_role(ws: Workspace, iid: str, member_id: str) -> str:
    role = next((m["role"] for m in ws.members(iid) if m["id"] == member_id), None)
    if role is None:
        raise UserError(_("No such member in this inspection."))
    return str(role)


def grant_role(ws: Workspace, iid: str, member_id: str, role: str) -> None:
    """Give a member an extra role (audited); granting a role already held changes nothing."""
    if role not in ROLE_KEYS:
        raise UserError(_("Unknown role: a member can be an assessor, a QA partner, the lead, "
                          "the deputy lead or a partner inspector."))
    with ws.transaction():
        if role in member_roles(ws, iid, member_id):
            return
        connection(ws).execute("INSERT INTO member_roles (member_id, role) VALUES (?, ?)",
                               (member_id, role))
        ws.record(None, "grant_role", member_id, None, role)


def withdraw_role(ws: Workspace, iid: str, member_id: str, role: str) -> None:
    """Take an extra role back (audited); the workspace's own role cannot be withdrawn."""
    if role == _member_role(ws, iid, member_id):
        raise UserError(_("A member's own role cannot be withdrawn; enrol them again instead."))
    with ws.transaction():
        gone = connection(ws).execute(
            "DELETE FROM member_roles WHERE member_id = ? AND role = ?", (member_id, role))
        if gone.rowcount:
            ws.record(None, "withdraw_role", member_id, role, None)


def set_granted_roles(ws: Workspace, iid: str, member_id: str, wanted: frozenset[str]) -> None:
    """Grant or withdraw the extra roles so the member holds exactly ``wanted`` of them."""
    held = member_roles(ws, iid, member_id)
    for role in EXTRA_ROLES:
        if role in wanted and role not in held:
            grant_role(ws, iid, member_id, role)
        elif role in held and role not in wanted:
            withdraw_role(ws, iid, member_id, role)


def extra_roles(ws: Workspace, member_id: str) -> tuple[str, ...]:
    """The roles granted to a member beyond their own, in a fixed order (for the pack)."""
    held = {str(r[0]) for r in connection(ws).execute(
        "SELECT role FROM member_roles WHERE member_id = ?", (member_id,))}
    return tuple(r for r in ROLE_KEYS if r in held)


def set_roles_from_pack(ws: Workspace, member_id: str, roles: tuple[str, ...],
                        source: str) -> bool:
    """Make a member's granted roles those the lead's pack names (audited); True if changed.

    The lead's workspace decides who holds which role: a pack carries every member's granted
    roles, and the member's laptop takes them as they are, granted or withdrawn. Called inside
    the pack import's transaction.
    """
    held = extra_roles(ws, member_id)
    wanted = tuple(r for r in ROLE_KEYS if r in roles)
    if held == wanted:
        return False
    conn = connection(ws)
    conn.execute("DELETE FROM member_roles WHERE member_id = ?", (member_id,))
    conn.executemany("INSERT INTO member_roles (member_id, role) VALUES (?, ?)",
                     [(member_id, r) for r in wanted])
    ws.record(None, "roles_from_pack", member_id, ",".join(held) or None,
              ",".join(wanted) + f" ({source})")
    return True


def member_roles(ws: Workspace, iid: str, member_id: str) -> frozenset[str]:
    """Every role the member holds in the inspection: their own and any granted."""
    own = _member_role(ws, iid, member_id)
    extra = connection(ws).execute(
        "SELECT role FROM member_roles WHERE member_id = ?", (member_id,)).fetchall()
    return frozenset({own, *(str(r[0]) for r in extra)})


def members_holding(ws: Workspace, iid: str, role: str) -> list[str]:
    """The ids of the inspection's members who hold ``role``, their own or granted, by name."""
    granted = {str(r[0]) for r in connection(ws).execute(
        "SELECT member_id FROM member_roles WHERE role = ?", (role,))}
    return [str(m["id"]) for m in ws.members(iid) if m["role"] == role or m["id"] in granted]
