"""Plain records the service API returns (no database objects escape the store)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from hmip_desktop.assessment.completeness import Completeness
from hmip_desktop.frameworks.conditions import CaseRules
from hmip_desktop.frameworks.model import Framework

ASSESSOR_STATUSES = ("not_started", "in_progress", "complete")
"""The statuses a case can be stored with: the assessor's own, and the only ones a bundle
carries. ``not_started`` stays while a case has had no answer (an alert alone raises the
revision but not the status)."""
DERIVED_STATUSES = ("queried", "signed_off")
"""Shown, never stored: derived from the QA partner's signed records (queries, sign-offs)."""
STATUSES = ASSESSOR_STATUSES + DERIVED_STATUSES


@dataclass(frozen=True)
class CaseInfo:
    id: str
    inspection_id: str
    case_ref: str
    person_name: str
    pdu: str
    team: str
    office: str
    practitioner: str
    prison: str
    report_type: str
    facts: Mapping[str, str]
    assessor: str | None = None
    interview_at: str | None = None
    interview_minutes: int | None = None
    language: str = "en"  # of the case's records and interview: en, cy
    framework_hash: str = ""
    """The edition the case is assessed against: its own where it stayed on an earlier one,
    else the inspection's (``Workspace.case_framework``)."""


@dataclass(frozen=True)
class CaseSummary:
    """One case's row of the case list.

    Its completeness is worked out when first asked for (``reckon``), once: a long list shows
    without working out the rows nobody looks at. The workspace caches the result by the
    case's revision, so a list read again after a change works out only the changed cases.
    """

    case: CaseInfo
    status: str
    revision: int
    reckon: Callable[[], Completeness] = field(repr=False, compare=False)
    open_alerts: int
    alerts: int
    open_queries: int = 0
    """QA queries on the case not yet closed (``hmip_desktop.qa.queries``)."""
    signed_off: bool = False
    """The QA partner has signed off the case at its current revision."""
    alert_states: tuple[str, ...] = ()
    """Each alert's state: "raised" (open), "acknowledged", "assurance", "evidence", "closed"
    or "advice", as taken here or received back from the lead or a deputy lead."""

    @cached_property
    def completeness(self) -> Completeness:
        return self.reckon()

    @property
    def display_status(self) -> str:
        """The status to show: ``signed_off`` and ``queried`` are derived, never stored.

        Signed off at the current revision wins; else open queries make it ``queried``; else
        the stored status (``not_started``, ``in_progress``, ``complete``), which is never one
        of the derived two (the store refuses them).
        """
        if self.signed_off:
            return "signed_off"
        if self.open_queries:
            return "queried"
        return self.status


@dataclass(frozen=True)
class Alert:
    id: str
    case_id: str
    what_might_happen: str
    how_serious: str
    how_imminent: str
    action_asked: str
    raised_by: str
    raised_at: str
    acknowledged_by: str | None
    acknowledged_at: str | None


@dataclass(frozen=True)
class Assessment:
    case: CaseInfo
    framework: Framework
    status: str
    revision: int
    items: Mapping[str, str]
    rules: CaseRules
    completeness: Completeness
    alerts: tuple[Alert, ...]


@dataclass(frozen=True)
class Change:
    """What one save changed, so each screen can refresh just that."""

    case_id: str
    item: str
    old: str | None
    new: str | None
    revision: int
    status: str
    also_changed: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Other items the save set as a consequence (a hurdle forcing a judgement): old, new."""
    status_before: str | None = None
    """The status the save moved the case from (a completed case reopened), else None; undo
    puts it back."""

    @property
    def changed(self) -> bool:
        return self.old != self.new or bool(self.also_changed)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    case_id: str | None
    at: str
    actor: str
    action: str
    item: str
    old: str | None
    new: str | None
    revision: int | None
    hash: str


@dataclass(frozen=True)
class Ownership:
    """Who may change a case in this workspace: its owner's workspace only.

    ``owner`` is the owner's name, or None when this workspace is no member of the case's
    inspection (the assessor's solo demo, a workspace made by ``init``): such a workspace is
    its own owner. ``reassigned_at`` is when the lead last reassigned the case, given only for a
    case that is not this workspace's (the banner and the refusal name it).
    """

    mine: bool
    owner: str | None
    reassigned_at: str | None = None
