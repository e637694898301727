"""The retention date: the default rule, and a date the lead types in.

The manuals fix no retention period for case data; the app's default is
``DEFAULT_MONTHS`` after the last day of fieldwork (after the day the inspection was set up
when no fieldwork dates are known). The lead can move it, audited (``service``).
"""

from __future__ import annotations

import calendar
from datetime import date

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _

DEFAULT_MONTHS = 12


class RetentionError(UserError):
    """A retention, archive or purge request refused in one line; nothing was changed."""


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole months, kept within the month (31 January + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_retain_until(fieldwork_end: str | None, created_at: str) -> str:
    """The default retention date (YYYY-MM-DD) of an inspection."""
    start = parse_day(fieldwork_end) if fieldwork_end else None
    if start is None:
        start = date.fromisoformat(created_at[:10])
    return add_months(start, DEFAULT_MONTHS).isoformat()


def parse_day(text: str) -> date | None:
    """A YYYY-MM-DD date, or None if ``text`` is not one."""
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def retention_day(text: str) -> str:
    """A date the lead typed as the retention date, or a one-line ``RetentionError``."""
    day = parse_day(text)
    if day is None:
        raise RetentionError(_("{text!r} is not a date: give the retention date as "
                               "YYYY-MM-DD").format(text=text))
    return day.isoformat()
