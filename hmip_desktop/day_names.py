"""Dates in words in the language in use (``Mon 23 Nov``, ``Monday 23 November 2026``).

``strftime`` names days and months in the C locale's English whatever the interface's
language; these come from the catalogue, so a schedule printed in Welsh says *Llun 23 Tach*.
"""

from __future__ import annotations

from datetime import date

from hmip_desktop.i18n import N_, _

_DAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
         N_("Saturday"), N_("Sunday"))
_SHORT_DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
           N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
           N_("December"))
_SHORT_MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
                 N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


def short_day(day: date) -> str:
    """``Mon 23 Nov``: the weekday, the day of the month and the month, abbreviated."""
    weekday, month = _(_SHORT_DAYS[day.weekday()]), _(_SHORT_MONTHS[day.month - 1])
    return f"{weekday} {day.day:02d} {month}"


def long_day(day: date) -> str:
    """``Monday 23 November 2026``."""
    weekday = _(_DAYS[day.weekday()])
    return f"{weekday} {day_month_year(day)}"


def day_month_year(day: date, *, padded: bool = True) -> str:
    """``23 November 2026`` (``03`` or, unpadded, ``3``)."""
    month = _(_MONTHS[day.month - 1])
    number = f"{day.day:02d}" if padded else str(day.day)
    return f"{number} {month} {day.year}"
