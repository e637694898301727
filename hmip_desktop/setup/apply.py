"""Apply the lead's set-up to a workspace: import the sample, allocate, schedule interviews.

The pure rules live in ``sample_import`` and ``allocation``; this module reads the workspace,
calls them, and writes the result in one transaction each, audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.setup.allocation import (
    Allocation,
    Case,
    Member,
    Schedule,
    Violation,
    even_split,
    schedule_slots,
)
from hmip_desktop.setup.languages import stored_languages
from hmip_desktop.setup.sample_import import (
    SampleRow,
    read_sample,
    read_sample_bytes,
    sample_advisories,
)
from hmip_desktop.setup.selection_order import SelectionUse, split_by_selection
from hmip_desktop.setup.week import fieldwork_days, fixed_entries, interview_entry, week_hooks
from hmip_desktop.store.reads import assigned_interviews
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import member_roles
from hmip_desktop.training.selection import decision_for, same_person


@dataclass(frozen=True)
class SampleReport:
    added: int
    advisories: tuple[str, ...]


def import_sample(ws: Workspace, inspection_id: str, path: Path) -> SampleReport:
    """Add every case of a CSV or XLSX sample, or none if any row has a problem."""
    return _add_sample(ws, inspection_id, read_sample(path, ws.inspection_framework(inspection_id)))


def import_sample_bytes(ws: Workspace, inspection_id: str, data: bytes) -> SampleReport:
    """``import_sample`` for a sample held in memory (the demo's), with no file on the way."""
    return _add_sample(ws, inspection_id,
                       read_sample_bytes(data, ws.inspection_framework(inspection_id)))


def _add_sample(ws: Workspace, inspection_id: str, rows: list[SampleRow]) -> SampleReport:
    ws.add_cases(inspection_id, [r.add_case_kwargs() for r in rows])
    return SampleReport(len(rows), tuple(sample_advisories(rows,
                                                           ws.inspection_framework(inspection_id))))


@dataclass(frozen=True)
class AllocationReport:
    allocation: Allocation
    schedule: Schedule
    applied: bool = True
    """Whether it was written; not when cases would be left unplaced and that was not allowed."""
    seed: int | None = None
    selection: SelectionUse = field(default_factory=SelectionUse)
    """What the lead's selection after training did: who was left out, who was held back."""
    selection_names: Mapping[str, str] = field(default_factory=dict)
    """The names of the members ``selection`` names (left out members are in no split)."""

    def as_json(self) -> dict[str, Any]:
        """The report for scripts (docs/cli.md, ``allocate --json``)."""
        names = {m.id: m.name for m in self.allocation.members} | dict(self.selection_names)
        slots = {s.case_ref: s for s in self.schedule.slots}
        reads = set(self.schedule.file_reads)

        def hit(v: Violation) -> dict[str, str]:
            return {"case_ref": v.case_ref, "member_id": v.member_id,
                    "member": names[v.member_id], "check": v.kind, "why": v.reason}

        return {
            "applied": self.applied, "seed": self.seed,
            "members": [{"id": mid, "name": names[mid], "cases": n}
                        for mid, n in self.allocation.loads().items()],
            "cases": [{"case_ref": ref, "member_id": mid, "member": names[mid],
                       "interview_at": slots[ref].start if ref in slots else None,
                       "minutes": slots[ref].minutes if ref in slots else None,
                       "file_read": ref in reads}
                      for ref, mid in sorted(self.allocation.assignments.items())],
            "unplaced": [{"case_ref": u.case_ref, "reason": u.kind, "why": u.reason}
                         for u in self.allocation.unplaced],
            "unscheduled": [{"case_ref": u.case_ref, "why": u.reason}
                            for u in self.schedule.unscheduled],
            "conflicts": [hit(v) for v in self.allocation.conflicts],
            "overridden": [hit(v) for v in self.allocation.overridden],
            "not_selected": [names[m] for m in self.selection.not_selected],
            "reserves": [{"name": names[m], "called": m in self.selection.reserves_called}
                         for m in self.selection.reserves],
        }

    def lines(self) -> list[str]:
        names = {m.id: m.name for m in self.allocation.members}
        out = [_("{name}: {n} case(s)").format(name=names[mid], n=n)
               for mid, n in self.allocation.loads().items()]
        slots = {s.case_ref: s for s in self.schedule.slots}
        reads = set(self.schedule.file_reads)
        for ref, mid in sorted(self.allocation.assignments.items()):
            slot = slots.get(ref)
            if slot:
                when = f"{slot.start.replace('T', ' ')} ({slot.minutes} min)"
            else:
                when = _("file read") if ref in reads else _("no interview time found")
            out.append(f"  {ref} → {names[mid]}, {when}")
        out += [_("  conflict: {ref} not given to {name}: {why}").format(
            ref=v.case_ref, name=names[v.member_id], why=v.reason)
            for v in self.allocation.conflicts]
        out += [_("  conflict overridden: {ref} may go to {name}: {why}").format(
            ref=v.case_ref, name=names[v.member_id], why=v.reason)
            for v in self.allocation.overridden]
        out += [_("  not allocated: {ref}: {why}").format(ref=u.case_ref, why=u.reason)
                for u in self.allocation.unplaced]
        out += [_("  no interview time: {ref}: {why}").format(ref=u.case_ref, why=u.reason)
                for u in self.schedule.unscheduled]
        every = {m.id: m.name for m in self.allocation.members} | dict(self.selection_names)
        out += [_("  not selected after training, left out: {name}").format(name=every[m])
                for m in self.selection.not_selected]
        out += [(_("  reserve, called in as a replacement: {name}")
                 if m in self.selection.reserves_called
                 else _("  reserve, not needed: {name}")).format(name=every[m])
                for m in self.selection.reserves]
        return out


def _schedule(ws: Workspace, inspection_id: str, allocation: Allocation, days: list[date],
              start: str) -> Schedule:
    """Interview times within the framework's week where it has one, else from ``start``.

    Within the week, each member's fixed events are kept free, on the days given that are
    fieldwork days with interviews.
    """
    fw = ws.inspection_framework(inspection_id)
    if fw.schedule is None:
        return schedule_slots(allocation, days, start, programme=fw.programme)
    insp = next(i for i in ws.inspections() if i["id"] == inspection_id)
    try:
        monday = date.fromisoformat(insp["fieldwork_start"] or "")
    except ValueError:
        monday = min(days) if days else date.today()
    every = fieldwork_days(fw.schedule, monday)
    wanted = set(days)
    week = [d for d in every if d.day in wanted] or every
    team = [(m["id"], m["role"]) for m in ws.members(inspection_id)]
    fixed = fixed_entries(fw.schedule, team, week)
    # Interviews set by an earlier allocation or by hand keep their members busy.
    held = [interview_entry(ref, mid, at,
                            minutes or fw.schedule.minutes_for(json.loads(facts)) or 60)
            for ref, facts, _p, mid, at, minutes in assigned_interviews(ws, inspection_id)
            if at]
    return schedule_slots(allocation, [d.day for d in week if d.week.interviews],
                          per_day=fw.schedule.interviews_per_day,
                          gap_minutes=fw.schedule.gap_minutes,
                          week=week_hooks(fw.schedule, week, team, [*fixed, *held]))


def allocate_evenly(ws: Workspace, inspection_id: str, days: list[date], *,
                    connections: Sequence[tuple[str, str]] = (),
                    start: str = "09:30", lead_cases: bool = False,
                    overrides: Sequence[tuple[str, str, str]] = (), seed: int | None = None,
                    allow_unplaced: bool = True) -> AllocationReport:
    """Even split of the unassigned cases over assessors and QA inspectors, with slots.

    Each member takes at most the cases the framework's ``team`` section gives their role
    (the product's defaults where it has none). With ``lead_cases`` the lead and the deputy
    lead take cases too (four each in probation inspections, three in youth ones). A member
    who holds the deputy lead's role is allocated as the deputy whatever their own role.
    ``overrides`` are (member, case, reason): the lead allows that member that case despite a
    conflict check's hit, audited with the reason. ``seed`` breaks ties another way,
    reproducibly (``even_split``). When a case cannot be placed and ``allow_unplaced`` is
    false, nothing is written: the report (``applied`` false) says what would have been done
    and why each case was left out.
    """
    fw = ws.inspection_framework(inspection_id)
    members = []
    for m in ws.members(inspection_id):
        roles = member_roles(ws, inspection_id, m["id"])
        speaks = stored_languages(m["languages"])
        if {"lead", "deputy"} & roles:
            if lead_cases:
                members.append(Member(m["id"], m["name"],
                                      "lead" if "lead" in roles else "deputy", m["office"] or "",
                                      languages=speaks))
        elif m["role"] in ("assessor", "qa"):
            members.append(Member(m["id"], m["name"], m["role"], m["office"] or "",
                                  languages=speaks))
    if not members:
        raise UserError(_("enrol the assessors and QA inspectors before allocating"))
    cases = [Case(c["case_ref"], c["office"], c["practitioner"], json.loads(c["facts"]),
                  c["person_name"] or "", c["language"])
             for c in dict_rows(ws,
                 "SELECT c.* FROM cases c LEFT JOIN assignments a ON a.case_id = c.id"
                 " WHERE c.inspection_id = ? AND a.case_id IS NULL ORDER BY c.case_ref",
                 [inspection_id])]
    if not cases:
        raise UserError(_("every case of this inspection is already allocated"))
    by_name = {m.name: m.id for m in members} | {m.id: m.id for m in members}
    shared = {m.name for m in members if sum(o.name == m.name for o in members) > 1}
    refs = {c.case_ref for c in cases}
    conns = []
    for who, ref in connections:
        if who in shared and who not in {m.id for m in members}:  # never guess who is meant
            raise UserError(_("declared connection: more than one member is called {who!r}: "
                              "give the member id").format(who=who))
        if who not in by_name:
            raise UserError(_("declared connection: no assessor or QA inspector {who!r}")
                            .format(who=who))
        if ref not in refs:
            raise UserError(_("declared connection: no unallocated case {ref!r}").format(ref=ref))
        conns.append((by_name[who], ref))
    allowed: dict[tuple[str, str], str] = {}
    for who, ref, why in overrides:
        if who not in by_name or ref not in refs or not why.strip():
            raise UserError(_("override: give a member who takes cases, an unallocated case "
                              "and a reason ({who!r}, {ref!r})").format(who=who, ref=ref))
        allowed[by_name[who], ref] = why.strip()
    workload = dict(fw.team.cases_per_role) if fw.team else {}
    decided = decision_for(ws)
    decisions = {m.id: decided[same_person(m.name)] for m in members
                 if m.role == "assessor" and same_person(m.name) in decided}
    allocation, selection = split_by_selection(
        cases, members, decisions,
        lambda some, team: even_split(some, team, conns, programme=fw.programme,
                                      capacities=workload, overrides=allowed, seed=seed))
    split_over = {m.id for m in allocation.members}
    idle = sorted((mid, ref) for mid, ref in set(allowed) - {
        (v.member_id, v.case_ref) for v in allocation.overridden} if mid in split_over)
    if idle:
        raise UserError(_("override: no conflict check stops {who} taking {ref}").format(
            who=next(m.name for m in members if m.id == idle[0][0]), ref=idle[0][1]))
    schedule = _schedule(ws, inspection_id, allocation, days, start)
    named = {m.id: m.name for m in members}
    if allocation.unplaced and not allow_unplaced:
        return AllocationReport(allocation, schedule, applied=False, seed=seed,
                                selection=selection, selection_names=named)
    slots = {s.case_ref: s for s in schedule.slots}
    ids = dict(connection(ws).execute("SELECT case_ref, id FROM cases WHERE inspection_id = ?",
                                      (inspection_id,)).fetchall())
    with ws.transaction():
        for v in allocation.overridden:
            ws.record(ids[v.case_ref], "override_conflict", v.member_id, v.reason,
                      allowed[v.member_id, v.case_ref])
        for ref, mid in allocation.assignments.items():
            slot = slots.get(ref)
            connection(ws).execute(
                "INSERT INTO assignments (case_id, member_id, interview_at, interview_minutes)"
                " VALUES (?,?,?,?)", (ids[ref], mid, slot.start if slot else None,
                                      slot.minutes if slot else None))
            ws.record(ids[ref], "assign", "assignment", None,
                      f"{mid} {slot.start if slot else 'file read'}")
        # One row for the run, so the split can be drawn again from the history alone.
        seed_text = "none" if seed is None else str(seed)
        ws.record(None, "allocate", inspection_id, None,
                  f"{len(allocation.assignments)} cases; seed {seed_text}")
    return AllocationReport(allocation, schedule, seed=seed, selection=selection,
                            selection_names=named)

