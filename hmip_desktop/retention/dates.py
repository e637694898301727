"""The retention date the lead gives, and the refusal every retention act raises.

The default date is set when an inspection is created, by ``store.retention
.default_retain_until``: the manuals fix no retention period for case data, and the app's
default is ``DEFAULT_MONTHS`` after the last day of fieldwork (after the day the inspection was
set up when no fieldwork dates are known). The lead can move it, audited (``service``).
"""

from __future__ import annotations

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.retention import parse_day


class RetentionError(UserError):
    """A retention, archive or purge request refused in one line; nothing was changed."""


def retention_day(text: str) -> str:
    """A date the lead typed as the retention date, or a one-line ``RetentionError``."""
    day = parse_day(text)
    if day is None:
        raise RetentionError(_("{text!r} is not a date: give the retention date as "
                               "YYYY-MM-DD").format(text=text))
    return day.isoformat()
