"""The alert banner on the assessor's own case: each alert they raised, and its state in words.

The state comes back from the lead or the deputy lead in an alert-state bundle
(``exchange.alert_states``); until one has come the assessor is told to phone the deputy lead,
as the manual asks (Probation inspections external guidance manual §6.7).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from hmip_desktop.i18n import _
from hmip_desktop.store.records import Alert
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import tracked_alert

_DONE = ("closed", "advice")


def alerts_need_action(ws: Workspace, alerts: Sequence[Alert]) -> bool:
    """Whether any of the case's alerts is still to be closed (not closed nor advice)."""
    return any(tracked_alert(ws, a.id).state not in _DONE for a in alerts)


def own_alert_words(ws: Workspace, alerts: Sequence[Alert]) -> str:
    """The banner's HTML: one line per alert once a state has come back, else the call to act."""
    tracked = [tracked_alert(ws, a.id) for a in alerts]
    if all(t.state == "raised" for t in tracked):
        return _("An alert has been raised for this case. Contact the deputy lead inspector now, "
                 "by phone or in person; the alert travels first in your next export.")
    e = html.escape
    lines = []
    for a, t in zip(alerts, tracked, strict=True):
        raised = _("Alert raised on {day}").format(day=e(a.raised_at[:10]))
        if t.state == "raised":
            lines.append(_("{raised}: not yet acknowledged. Contact the deputy lead inspector "
                           "now.").format(raised=raised))
            continue
        last = t.steps[-1]
        line = _("{raised}: {state}, by {who} on {day}").format(
            raised=raised, state=e(t.state_words), who=e(last.taken_by),
            day=e(last.taken_at[:10]))
        if last.note:
            line += f" ({e(last.note)})"
        if t.state not in _DONE:
            line += _(". Keep in touch with the deputy lead inspector until it is closed.")
        lines.append(line)
    return "<br>".join(lines)
