"""The calendar list in pages: the coming weeks at kalender/, then one page per month.

Thirteen months of events on one page was 12,000 px on a phone. kalender/
shows the next CALENDAR_UPCOMING_WEEKS weeks (8 by default) and a "Visa fler"
link to the month page where the list stops; each month page
(kalender/2027/03/) lists that month's events and links to the months before
and after. All of it is static HTML: no script needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from grasrot_core.errors import SettingsError
from grasrot_core.messages import msg

from .model import CALENDAR_DIR, as_datetime

DEFAULT_WEEKS = 8


@dataclass
class MonthPage:
    """One month of the list: its occurrences and its neighbours."""

    first: date
    occurrences: list
    prev: MonthPage | None = None
    next: MonthPage | None = None

    @property
    def url(self) -> str:
        return month_list_url(self.first)

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"


def month_list_url(first: date) -> str:
    return f"{CALENDAR_DIR}/{first:%Y}/{first:%m}/"


def upcoming_weeks(settings) -> int:
    weeks = settings.get("CALENDAR_UPCOMING_WEEKS", DEFAULT_WEEKS)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise SettingsError(
            msg(
                "CALENDAR_UPCOMING_WEEKS = {value} in the settings; "
                "use a whole number of weeks, e.g. 8.",
                value=repr(weeks),
            ),
            settings,
        )
    return weeks


def coming_weeks(calendar, settings) -> tuple[list, str | None]:
    """The occurrences of the coming weeks, and the month page to read on (or None)."""
    upcoming = calendar.upcoming()
    cutoff = calendar.now + timedelta(weeks=upcoming_weeks(settings))
    shown = [o for o in upcoming if as_datetime(o.start, calendar.now.tzinfo) < cutoff]
    if len(shown) == len(upcoming):
        return shown, None
    return shown, month_list_url(upcoming[len(shown)].first_day.replace(day=1))


def month_pages(calendar) -> list[MonthPage]:
    """One page per month from the first to the last occurrence (and this month)."""
    this_month = calendar.now.date().replace(day=1)
    by_month: dict[date, list] = {}
    for occurrence in calendar.occurrences:
        by_month.setdefault(occurrence.first_day.replace(day=1), []).append(occurrence)
    first = min([*by_month, this_month])
    last = max([*by_month, this_month])
    pages = []
    current = first
    while current <= last:
        pages.append(MonthPage(current, by_month.get(current, [])))
        current = (current + timedelta(days=32)).replace(day=1)
    for before, after in pairwise(pages):
        before.next, after.prev = after, before
    return pages
