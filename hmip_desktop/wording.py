"""Words shown to inspectors for the values the core stores.

One place for every screen, printed sheet and command: a status, a severity, a role.
Stored keys never reach the page.
"""

from __future__ import annotations

from hmip_desktop.i18n import _

STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "complete": _("Complete"),
    "queried": _("Queried"),
    "signed_off": _("Signed off"),
}

SEVERITY_LABELS = {"must_fix": _("must fix"), "worth_a_look": _("worth a look")}


def status_label(status: str) -> str:
    """The case status as the case list words it."""
    return STATUS_LABELS.get(status, status)
