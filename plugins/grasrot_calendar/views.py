"""What each calendar page shows, decided here so the templates only format.

Each function returns plain data for one template: the month grid's weeks, the
filter links, an event page's next dates, its Google Calendar link and its
schema.org JSON-LD.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from urllib.parse import urlencode

from babel.dates import get_day_names
from babel.lists import format_list

from grasrot_core.dates import babel_locale, format_date
from grasrot_core.i18n import gettext_for

from . import pauses
from .model import CALENDAR_DIR, Calendar, Event, Month, Occurrence, site_domain

MONTHS_DIR = f"{CALENDAR_DIR}/manad"
CATEGORY_DIR = f"{CALENDAR_DIR}/kategori"
ARCHIVE_URL = f"{CALENDAR_DIR}/arkiv/"
SERIES_DATES_SHOWN = 12


@dataclass(frozen=True)
class FilterLink:
    label: str
    url: str
    current: bool


def month_url(first: date) -> str:
    return f"{MONTHS_DIR}/{first:%Y-%m}/"


def owner_url(owner: str) -> str:
    return f"{CALENDAR_DIR}/{owner}/"


def category_url(slug: str) -> str:
    return f"{CATEGORY_DIR}/{slug}/"


def group_filter_links(calendar: Calendar, owners, current: str | None) -> list[FilterLink]:
    """'All' and one link per group (static pages: filtering needs no server)."""
    links = [FilterLink("", f"{CALENDAR_DIR}/", current is None)]
    ordered = sorted(
        owners, key=lambda o: (o != calendar.branch_slug, calendar.owner_title(o).lower())
    )
    links += [
        FilterLink(calendar.owner_title(owner), owner_url(owner), owner == current)
        for owner in ordered
    ]
    return links


def category_filter_links(calendar: Calendar, current: str | None) -> list[FilterLink]:
    return [
        FilterLink(name, category_url(slug), slug == current)
        for slug, name in calendar.categories
    ]


# --- Month grid -------------------------------------------------------------------


def months(calendar: Calendar) -> list[Month]:
    """Every month from the first to the last occurrence (and the build month)."""
    this_month = calendar.now.date().replace(day=1)
    first = min([o.first_day for o in calendar.occurrences] + [this_month]).replace(day=1)
    last = max([o.last_day for o in calendar.occurrences] + [this_month]).replace(day=1)
    by_day = _occurrences_by_day(calendar.occurrences)
    found = []
    current = first
    while current <= last:
        found.append(_month(current, by_day))
        current = _next_month(current)
    for before, after in pairwise(found):
        before.next_url, before.next_first = after.url, after.first
        after.prev_url, after.prev_first = before.url, before.first
    return found


def _month(first: date, by_day) -> Month:
    weeks = []
    # Weeks start on Monday, as in Sweden.
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    ):
        weeks.append(
            [
                (day, by_day.get(day, [])) if day.month == first.month else (None, [])
                for day in week
            ]
        )
    return Month(first=first, weeks=weeks, url=month_url(first))


def _occurrences_by_day(occurrences) -> dict[date, list[Occurrence]]:
    found: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences:
        for day in occurrence.days():
            found.setdefault(day, []).append(occurrence)
    return found


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def weekday_dates(month: Month) -> list[date]:
    """Seven dates Monday … Sunday, for the grid's column headers."""
    monday = _monday_of(month.first)
    return [monday + timedelta(days=offset) for offset in range(7)]


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Event pages ------------------------------------------------------------------


def shown_occurrence(event: Event, now: datetime) -> Occurrence:
    """The next occurrence, or the last one for an event that is over."""
    return event.next_occurrence(now) or (
        event.occurrences[-1] if event.occurrences else None
    )


def series_dates(event: Event, now: datetime) -> list[Occurrence]:
    return event.upcoming(now, SERIES_DATES_SHOWN) if event.is_series else []


def registration_open(event: Event, now: datetime) -> bool:
    deadline = event.registration_deadline
    if not event.registration:
        return False
    if deadline is None:
        return True
    if isinstance(deadline, datetime):
        return deadline.replace(tzinfo=now.tzinfo) >= now
    return deadline >= now.date()


def google_calendar_url(occurrence: Occurrence, settings) -> str:
    """A 'add to Google Calendar' link for one occurrence (no request at build time)."""
    if occurrence.all_day:
        dates = (
            f"{occurrence.first_day:%Y%m%d}/"
            f"{occurrence.last_day + timedelta(days=1):%Y%m%d}"
        )
    else:
        end = occurrence.end or occurrence.ends_at
        dates = f"{_utc(occurrence.start)}/{_utc(end)}"
    details = occurrence.event.description_text
    domain = site_domain(settings)
    if domain:
        details = f"{details}\n\n{domain}/{occurrence.url}".strip()
    query = {
        "action": "TEMPLATE",
        "text": occurrence.title,
        "dates": dates,
        "details": details,
        "location": occurrence.location or occurrence.online,
        "ctz": settings.get("TIMEZONE") or "Europe/Stockholm",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {k: v for k, v in query.items() if v}
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


SCHEMA_STATUS = {
    "confirmed": "https://schema.org/EventScheduled",
    "tentative": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
}


def event_jsonld(event: Event, occurrences: list[Occurrence], settings) -> str:
    """schema.org Event (or EventSeries with its next dates) as a JSON-LD string."""
    domain = site_domain(settings)
    organizer = {"@type": "Organization", "name": settings.get("SITENAME", "")}
    if domain:
        organizer["url"] = f"{domain}/"
    items = [_schema_event(o, settings, organizer) for o in occurrences]
    if event.is_series:
        data = {
            "@context": "https://schema.org",
            "@type": "EventSeries",
            "name": event.title,
            "organizer": organizer,
            "subEvent": items,
        }
        if domain:
            data["url"] = f"{domain}/{event.url}"
    else:
        data = {"@context": "https://schema.org", **items[0]} if items else {}
    # "</" inside a <script> would end it early.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return text.replace("</", "<\\/")


def _schema_event(occurrence: Occurrence, settings, organizer) -> dict:
    event = occurrence.event
    domain = site_domain(settings)
    data = {
        "@type": "Event",
        "name": occurrence.title,
        "startDate": occurrence.start.isoformat(),
        "eventStatus": SCHEMA_STATUS[occurrence.status],
        "organizer": organizer,
        "eventAttendanceMode": _attendance_mode(occurrence),
    }
    if occurrence.end is not None:
        data["endDate"] = occurrence.end.isoformat()
    locations = []
    if occurrence.location:
        locations.append(
            {"@type": "Place", "name": occurrence.location, "address": occurrence.location}
        )
    if occurrence.online:
        locations.append({"@type": "VirtualLocation", "url": occurrence.online})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.description_text:
        data["description"] = event.description_text
    if domain:
        data["url"] = f"{domain}/{event.url}"
    return data


def _attendance_mode(occurrence: Occurrence) -> str:
    if occurrence.online and occurrence.location:
        return "https://schema.org/MixedEventAttendanceMode"
    if occurrence.online:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


# --- "Every other Wednesday": a series' rule in words -----------------------------

ORDINAL_WORDS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second last",
}
WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
# Parts this describer understands; an expert rule with others is not put in words.
DESCRIBED_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "WKST"}


def describe_repeat(event: Event, settings) -> str:
    """'Every other week on Wednesday, until 16 June 2027' in the site's language;
    '' for a single event or an expert rule beyond these words."""
    series = event.recurrence
    if series is None:
        return ""
    # BYMONTH that a `pause: {months: …}` put there is said as the break.
    from_pauses = {"BYMONTH"} if any(p.kind == "months" for p in series.pauses) else set()
    if not set(series.parts) <= DESCRIBED_PARTS | from_pauses:
        return ""
    _ = gettext_for(settings)
    locale = babel_locale(settings)
    parts = series.parts
    interval = int(parts.get("INTERVAL", "1"))
    text = _rhythm(parts["FREQ"], interval, parts, event, _, locale)
    if not text:
        return ""
    if series.until is not None:
        until = series.until.date() if isinstance(series.until, datetime) else series.until
        text += _(", until %(date)s") % {"date": format_date(until, settings, "long")}
    elif "COUNT" in parts:
        text += _(", %(count)s times") % {"count": parts["COUNT"]}
    return text + pauses.describe(series.pauses, settings)


def _rhythm(freq, interval, parts, event, _, locale) -> str:
    if freq == "WEEKLY":
        days = parts.get("BYDAY") or _weekday_code(event)
        names = format_list(
            [_day_name(code, locale) for code in days.split(",")], locale=locale
        )
        if interval == 1:
            return _("Every week on %(days)s") % {"days": names}
        if interval == 2:
            return _("Every other week on %(days)s") % {"days": names}
        return _("Every %(n)s weeks on %(days)s") % {"n": interval, "days": names}
    if freq == "MONTHLY":
        return _monthly(parts, interval, event, _, locale)
    if freq == "YEARLY" and interval == 1:
        return _("Every year")
    if freq == "DAILY" and interval == 1:
        return _("Every day")
    return ""


def _monthly(parts, interval, event, _, locale) -> str:
    if interval != 1:
        return ""
    if "BYDAY" in parts:
        found = []
        for code in parts["BYDAY"].split(","):
            number, weekday = code[:-2], code[-2:]
            if not number or int(number) not in ORDINAL_WORDS:
                return ""
            found.append(
                _("%(ordinal)s %(weekday)s of the month")
                % {
                    "ordinal": _(ORDINAL_WORDS[int(number)]),
                    "weekday": _day_name(weekday, locale),
                }
            )
        return _capitalize(format_list(found, locale=locale))
    days = parts.get("BYMONTHDAY") or str(_day(event.start).day)
    if days == "-1":
        return _("The last day of every month")
    return _("Day %(days)s of every month") % {
        "days": format_list(
            [_day_number(day, locale) for day in days.split(",")], locale=locale
        )
    }


def _day_number(day: str, locale: str) -> str:
    """'15:e', '1:a', '22:a' in Swedish ('den 15:e'); '15' in other languages."""
    if not locale.startswith("sv"):
        return day
    number = abs(int(day))
    suffix = "a" if number % 10 in (1, 2) and number % 100 not in (11, 12) else "e"
    return f"{day}:{suffix}"


def _weekday_code(event: Event) -> str:
    return next(
        code
        for code, index in WEEKDAY_INDEX.items()
        if index == _day(event.start).weekday()
    )


def _day_name(code: str, locale: str) -> str:
    return get_day_names("wide", locale=locale)[WEEKDAY_INDEX[code]]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
