"""The calendar model: events, their occurrences, and the queries templates use.

An `Event` is what one YAML entry says (a single event or a series); an
`Occurrence` is one dated instance of it, with any `changes:` applied. The
`Calendar` holds both and answers the questions other plugins and templates
ask: what is coming up (for a group, in the next N days), what has passed,
what happens in a given month, and where the feeds live.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby, pairwise

import grasrot_core
from grasrot_core.sections import ADDRESSES

STATUSES = ("confirmed", "tentative", "cancelled")
# How long an event without `end:` is taken to last when deciding whether it
# has ended (the page shows no end time for it).
ASSUMED_DURATION = timedelta(hours=2)


@dataclass
class Event:
    """One entry of a calendar file: a single event or a whole series."""

    id: str
    owner: str  # group slug, or the branch slug for branch-wide events
    group: str | None  # group slug, None when branch-wide
    title: str
    start: datetime | date  # aware datetime, or date for all-day events
    end: datetime | date | None  # aware datetime, inclusive last date, or None
    all_day: bool
    source_path: str
    line: int
    id_pos: tuple[int, int] = (1, 1)  # where `id:` stood, for duplicate-id errors
    location: str = ""
    online: str = ""
    description: str = ""  # Markdown as written (for .ics and Google)
    description_html: str = ""
    image: str = ""  # a picture under content/ ('images/…'), with image_alt
    image_alt: str = ""
    # Plain text with links written out, "Anmäl dig här (https://…)": for .ics,
    # JSON-LD and Google Calendar, which show text, not Markdown.
    description_text: str = ""
    categories: list[str] = field(default_factory=list)
    category_slugs: list[str] = field(default_factory=list)
    status: str = "confirmed"
    registration: str = ""
    registration_deadline: datetime | date | None = None
    updated: date | None = None
    recurrence: object | None = None  # recurrence.Recurrence for a series
    tz: object = None  # the site's zone (ZoneInfo): all-day events end at its midnight
    occurrences: list[Occurrence] = field(default_factory=list)
    url: str = ""
    ics_url: str = ""
    group_title: str = ""

    @property
    def is_series(self) -> bool:
        return self.recurrence is not None

    def upcoming(self, now: datetime, limit: int | None = None) -> list[Occurrence]:
        found = [o for o in self.occurrences if o.ends_after(now)]
        return found[:limit] if limit else found

    def next_occurrence(self, now: datetime) -> Occurrence | None:
        upcoming = self.upcoming(now, 1)
        return upcoming[0] if upcoming else None


@dataclass
class Occurrence:
    """One dated instance of an event, as the site shows it."""

    event: Event
    start: datetime | date
    end: datetime | date | None
    original_start: datetime | date  # the RECURRENCE-ID when moved
    title: str
    location: str
    online: str
    status: str
    note: str = ""  # why this occurrence differs (from `changes:`)

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def group(self) -> str | None:
        return self.event.group

    @property
    def owner(self) -> str:
        return self.event.owner

    @property
    def url(self) -> str:
        return self.event.url

    @property
    def categories(self) -> list[str]:
        return self.event.categories

    @property
    def is_changed(self) -> bool:
        return self.start != self.original_start

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def first_day(self) -> date:
        return _day(self.start)

    @property
    def last_day(self) -> date:
        return _day(self.end) if self.end is not None else self.first_day

    @property
    def ends_at(self) -> datetime:
        """The aware moment it is over (used to hide ended events)."""
        if self.all_day:
            return as_datetime(self.last_day + timedelta(days=1), self.event.tz)
        return self.end if self.end is not None else self.start + ASSUMED_DURATION

    def ends_after(self, moment: datetime) -> bool:
        return self.ends_at > moment

    def days(self) -> list[date]:
        """Every calendar day it touches (for the month grid)."""
        count = (self.last_day - self.first_day).days
        return [self.first_day + timedelta(days=n) for n in range(count + 1)]

    @property
    def sort_key(self):
        return (as_datetime(self.start, self.event.tz), self.event.owner, self.event.id)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def as_datetime(value, tz) -> datetime:
    """A date as local midnight, so dates and times sort together."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=tz)


@dataclass
class Month:
    """One month of the grid: weeks of days, each day with its occurrences."""

    first: date
    weeks: list[list[tuple[date | None, list[Occurrence]]]]
    url: str
    prev_url: str | None = None
    next_url: str | None = None
    prev_first: date | None = None
    next_first: date | None = None

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")


class Calendar:
    """All events of the site and their occurrences, sorted by start."""

    def __init__(self, events: list[Event], now: datetime, settings, group_titles=None):
        self.events = sorted(events, key=lambda e: (e.owner, e.id))
        self.now = now
        self.settings = settings
        self.branch_slug = settings.get("CALENDAR_BRANCH_SLUG") or "branch"
        self.group_titles = group_titles or {}
        self.occurrences = sorted(
            (o for e in self.events for o in e.occurrences), key=lambda o: o.sort_key
        )
        self._index = None  # built on first query: see _indexed()

    # --- Indexes, built once per build (no scan of every occurrence per group
    # page, per category page or per newsletter) --------------------------------

    def _indexed(self) -> _Index:
        """Occurrences not yet over, by owner and by category; start keys for bisect.

        Rebuilt if `occurrences` was replaced or grew (tests build calendars by
        hand); otherwise made once, so every query is linear in its answer.
        """
        index = self._index
        if (
            index is None
            or index.source is not self.occurrences
            or index.size != len(self.occurrences)
            or index.now != self.now
        ):
            index = self._index = _Index(self.occurrences, self.now)
        return index

    # --- The contract other plugins use (docs/architecture.md) -----------------

    def upcoming(self, group=None, days=None, limit=None) -> list[Occurrence]:
        """Occurrences not yet over at the build date, soonest first.

        `group`: a group slug (or the branch slug for branch-wide events);
        `days`: only those starting within that many days; `limit`: at most so many.
        """
        horizon = self.now + timedelta(days=days) if days is not None else None
        zone = self.now.tzinfo
        index = self._indexed()
        # Occurrences not yet over, in start order: all of them, or the group's.
        candidates = (
            index.upcoming if group is None else index.upcoming_by_owner.get(group, ())
        )
        found = []
        for occurrence in candidates:
            if horizon is not None and as_datetime(occurrence.start, zone) > horizon:
                break
            found.append(occurrence)
            if limit is not None and len(found) >= limit:
                break
        return found

    def between(self, start, end, group=None) -> list[Occurrence]:
        """Occurrences starting in [start, end), before or after the build date
        (e.g. a newsletter's 30 days from its own date). Dates count as local
        midnight. Only the calendar's window is expanded (see docs/calendar.md)."""
        start, end = as_datetime(start, self.now.tzinfo), as_datetime(end, self.now.tzinfo)
        index = self._indexed()
        if index.start_keys is not None:  # sorted: only the window is looked at
            window = self.occurrences[
                bisect_left(index.start_keys, start) : bisect_left(index.start_keys, end)
            ]
        else:
            window = self.occurrences
        return [
            o
            for o in window
            if start <= as_datetime(o.start, self.now.tzinfo) < end
            and (group is None or o.owner == group)
        ]

    def past(self, group=None) -> list[Occurrence]:
        """Occurrences over by the build date, most recent first."""
        index = self._indexed()
        found = index.past if group is None else index.past_by_owner.get(group, [])
        return list(reversed(found))

    def feed_url(self, group=None) -> str:
        """Relative URL of the site-wide feed, or of one group's feed."""
        return f"{CALENDAR_DIR}/ics/{group or ALL_FEED}.ics"

    def webcal_url(self, group=None) -> str:
        """webcal:// address for "subscribe" links (needs a domain)."""
        base = site_domain(self.settings)
        scheme_less = base.split("://", 1)[-1] if base else ""
        return f"webcal://{scheme_less}/{self.feed_url(group)}" if scheme_less else ""

    def event(self, owner, event_id) -> Event | None:
        if getattr(self, "_events_by_key", None) is None or self._events_by_key[0] != len(
            self.events
        ):
            by_key = {}
            for e in self.events:
                by_key.setdefault((e.owner, e.id), e)  # the first, as a scan would find
            self._events_by_key = (len(self.events), by_key)
        return self._events_by_key[1].get((owner, event_id))

    # --- For the calendar's own pages -------------------------------------------

    @property
    def owners(self) -> list[str]:
        """Group slugs (and the branch slug) that have events, sorted."""
        return sorted({e.owner for e in self.events})

    def owner_title(self, owner) -> str:
        return self.group_titles.get(owner, owner)

    @property
    def categories(self) -> list[tuple[str, str]]:
        """(slug, name) of every category used, sorted by name.

        Every calendar list page shows these links: computed once per build,
        not once per page, unless `events` was replaced or grew."""
        cached = getattr(self, "_categories", None)
        if (
            cached is not None
            and cached[0] is self.events
            and cached[1] == len(self.events)
        ):
            return list(cached[2])
        found = {}
        for event in self.events:
            for slug, name in zip(event.category_slugs, event.categories, strict=True):
                found.setdefault(slug, name)
        result = sorted(found.items(), key=lambda item: (item[1].lower(), item[0]))
        self._categories = (self.events, len(self.events), result)
        return list(result)

    def upcoming_in_category(self, slug) -> list[Occurrence]:
        """Upcoming occurrences in one category, from the index (one pass for all)."""
        return list(self._indexed().upcoming_by_category.get(slug, ()))


class _Index:
    """One pass over the sorted occurrences, made once per build (see _indexed)."""

    def __init__(self, occurrences: list[Occurrence], now: datetime):
        self.source = occurrences
        self.size = len(occurrences)
        self.now = now
        self.upcoming: list[Occurrence] = []
        self.past: list[Occurrence] = []
        self.upcoming_by_owner: dict[str, list[Occurrence]] = {}
        self.past_by_owner: dict[str, list[Occurrence]] = {}
        self.upcoming_by_category: dict[str, list[Occurrence]] = {}
        for occurrence in occurrences:
            owner = occurrence.owner
            if occurrence.ends_after(now):
                self.upcoming.append(occurrence)
                self.upcoming_by_owner.setdefault(owner, []).append(occurrence)
                for slug in dict.fromkeys(occurrence.event.category_slugs):
                    self.upcoming_by_category.setdefault(slug, []).append(occurrence)
            else:
                self.past.append(occurrence)
                self.past_by_owner.setdefault(owner, []).append(occurrence)
        keys = [as_datetime(o.start, now.tzinfo) for o in occurrences]
        in_order = all(a <= b for a, b in pairwise(keys))
        self.start_keys = keys if in_order else None


CALENDAR_DIR = ADDRESSES["calendar"].rstrip("/")  # "kalender", from the core table
ALL_FEED = "alla"


def site_domain(settings) -> str:
    """Scheme and host for absolute links in feeds (FEED_DOMAIN, else SITEURL)."""
    return grasrot_core.site_address(settings)


def by_month(occurrences) -> list[tuple[date, list[Occurrence]]]:
    """[(first day of month, occurrences), ...] in the given order."""
    return [
        (first, list(items))
        for first, items in groupby(occurrences, key=lambda o: o.first_day.replace(day=1))
    ]
