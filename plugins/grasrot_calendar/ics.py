"""RFC 5545 iCalendar files, written with the icalendar library.

Two kinds of file: subscribable feeds (the whole site, one per group) that
carry NAME / X-WR-CALNAME and REFRESH-INTERVAL, and single-event downloads that
do not (a calendar app would otherwise create a new calendar for one event).

Identity is stable so that subscribers' apps update events instead of
duplicating them: UID from the event id and its group, DTSTAMP from
`updated:` (never the clock), SEQUENCE rising with `updated:` and on
cancellation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent
from icalendar import Timezone, vDuration, vRecur
from pelican.utils import slugify

from .expand import changed_occurrences
from .model import Event, site_domain

PRODID = "-//Gräsrot//grasrot_calendar//SV"
# SEQUENCE counts days since this date, so a later `updated:` is a higher number.
SEQUENCE_EPOCH = date(2000, 1, 1)


def uid_domain(settings) -> str:
    """The right-hand side of every UID; stable whatever SITEURL the build uses."""
    substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS", [(r"[^\w-]+", "-")])
    return settings.get("CALENDAR_UID_DOMAIN") or _slug(
        settings.get("SITENAME") or "grasrot",
        tuple(tuple(pair) for pair in substitutions),
    )


@lru_cache(maxsize=16)
def _slug(name: str, substitutions: tuple) -> str:
    """slugify, once per site name (every UID of every file needs it)."""
    return slugify(name, regex_subs=[list(pair) for pair in substitutions])


def uid(event: Event, settings) -> str:
    return f"{event.id}@{event.owner}.{uid_domain(settings)}"


def sequence(updated: date | None, cancelled: bool) -> int:
    """Rises when `updated:` moves forward, and by one when an event is cancelled."""
    days = (updated - SEQUENCE_EPOCH).days if updated else 0
    return max(days, 0) * 2 + (1 if cancelled else 0)


def dtstamp(event: Event) -> datetime:
    """When this version of the event was written: `updated:`, else its first day."""
    day = event.updated or (
        event.start.date() if isinstance(event.start, datetime) else event.start
    )
    return datetime.combine(day, time.min, tzinfo=UTC)


def feed(events: list[Event], settings, name: str, build_date: datetime) -> bytes:
    """A subscribable feed of these events."""
    calendar, zone = _calendar(events, settings, build_date)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.get("TIMEZONE") or "Europe/Stockholm")
    refresh = settings.get("CALENDAR_REFRESH_INTERVAL", timedelta(hours=12))
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh).to_ical().decode())
    return _finish(calendar, zone, events, settings)


def single(event: Event, settings, build_date: datetime) -> bytes:
    """One event (or series) to download: no calendar name, no refresh."""
    zone = _zone_needed([event], settings, build_date)
    return _join(_download_header(), zone, [event], settings)


def _calendar(events, settings, build_date) -> tuple[ICalendar, tuple | None]:
    """The VCALENDAR's own properties, and the key of the VTIMEZONE it needs."""
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar, _zone_needed(events, settings, build_date)


@lru_cache(maxsize=1)
def _download_header() -> bytes:
    """A download's VCALENDAR lines, the same for every event: made once."""
    calendar, _zone = _calendar([], {}, None)
    return _header_lines(calendar)


def _zone_needed(events, settings, build_date) -> tuple | None:
    if any(not event.all_day for event in events):
        return _timezone_key(events, settings, build_date)
    return None


def _timezone_key(events, settings, build_date) -> tuple[str, int, int]:
    """The VTIMEZONE to write: one covering every date the file's events can take,
    and no more (a ten-year zone in each of thousands of downloads costs seconds)."""
    first = min(_day(e.start).year for e in events) if events else build_date.year
    last = max((_last_year(e, build_date) for e in events), default=build_date.year)
    return (
        settings.get("TIMEZONE") or "Europe/Stockholm",
        min(first, build_date.year),
        last + 1,
    )


@lru_cache(maxsize=64)
def _zone(tzid: str, first_year: int, end_year: int) -> Timezone:
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(end_year, 1, 1)
    )


@lru_cache(maxsize=64)
def _zone_ical(tzid: str, first_year: int, end_year: int) -> bytes:
    return _zone(tzid, first_year, end_year).to_ical()


def _last_year(event: Event, build_date: datetime) -> int:
    """The last year an event or series has a date in (open series: ten years on)."""
    series = event.recurrence
    if series is None:
        return _day(event.end or event.start).year
    if series.until is not None:
        return _day(series.until).year
    if "COUNT" in series.parts:
        start = (
            event.start.replace(tzinfo=None)
            if isinstance(event.start, datetime)
            else datetime.combine(event.start, time.min)
        )
        return series.rule(start)[-1].year + (1 if event.all_day else 0)
    return build_date.year + 10


END_CALENDAR = b"END:VCALENDAR\r\n"


def _finish(calendar: ICalendar, zone, events, settings) -> bytes:
    """The file: the VCALENDAR's lines, then its VTIMEZONE and events.

    icalendar writes a component's subcomponents one after another, each to
    its own lines, so a file is its header's lines plus each subcomponent's
    `to_ical()`. Each event's VEVENTs are serialised once per build and the
    same bytes go into its download, its group's feed and the site feed; the
    VTIMEZONE once per year range (serialising it per file is slow).
    """
    return _join(_header_lines(calendar), zone, events, settings)


def _header_lines(calendar: ICalendar) -> bytes:
    header = calendar.to_ical()
    assert header.endswith(END_CALENDAR)
    return header[: -len(END_CALENDAR)]


def _join(header: bytes, zone, events, settings) -> bytes:
    parts = [header]
    if zone is not None:
        parts.append(_zone_ical(*zone))
    parts.extend(_event_ical(event, settings) for event in events)
    parts.append(END_CALENDAR)
    return b"".join(parts)


def _event_ical(event: Event, settings) -> bytes:
    """The event's VEVENT and its RECURRENCE-ID overrides, serialised once per build."""
    key = (id(settings), uid_domain(settings), site_domain(settings))
    cached = event.__dict__.get("_ical")
    if cached is not None and cached[0] == key:
        return cached[1]
    parts = [_vevent(event, settings).to_ical()]
    parts.extend(
        _override(event, occurrence, settings).to_ical()
        for occurrence in changed_occurrences(event)
    )
    data = b"".join(parts)
    event.__dict__["_ical"] = (key, data)
    return data


def _vevent(event: Event, settings) -> IEvent:
    vevent = _common(event, settings, event.status)
    _add_times(vevent, event.start, event.end, event.all_day)
    _add_place(vevent, event.title, event.location, event.online)
    if event.recurrence is not None:
        vevent.add("rrule", _rrule(event))
        if event.recurrence.exdates:
            vevent.add(
                "exdate", [_local(start, event) for start in event.recurrence.exdates]
            )
    return vevent


def _override(event: Event, occurrence, settings) -> IEvent:
    """A moved, changed or cancelled occurrence: same UID plus RECURRENCE-ID."""
    vevent = _common(event, settings, occurrence.status)
    vevent.add("recurrence-id", occurrence.original_start)
    _add_times(vevent, occurrence.start, occurrence.end, event.all_day)
    _add_place(vevent, occurrence.title, occurrence.location, occurrence.online)
    return vevent


def _common(event: Event, settings, status: str) -> IEvent:
    vevent = IEvent()
    vevent.add("uid", uid(event, settings))
    vevent.add("dtstamp", dtstamp(event))
    vevent.add("sequence", sequence(event.updated, status == "cancelled"))
    vevent.add("status", status.upper())
    domain = site_domain(settings)
    description = event.description_text
    if event.registration:
        registration = f"Anmälan/Registration: {event.registration}"
        description = f"{description}\n\n{registration}".strip()
    if description:
        vevent.add("description", description)
    if domain:
        vevent.add("url", f"{domain}/{event.url}")
    if event.categories:
        vevent.add("categories", event.categories)
    return vevent


def _add_times(vevent: IEvent, start, end, all_day: bool) -> None:
    vevent.add("dtstart", start)
    if all_day:
        # DTEND of an all-day event is exclusive: the day after the last day.
        vevent.add("dtend", (end or start) + timedelta(days=1))
    elif end is not None:
        vevent.add("dtend", end)


def _add_place(vevent: IEvent, title: str, location: str, online: str) -> None:
    vevent.add("summary", title)
    if location or online:
        vevent.add("location", location or online)
    if online:
        vevent.add("conference", online, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})


def _rrule(event: Event) -> vRecur:
    series = event.recurrence
    text = ";".join(f"{name}={value}" for name, value in series.parts.items())
    recur = vRecur.from_ical(text)
    if series.until is not None:
        recur["UNTIL"] = [_until(series.until, event)]
    return recur


def _until(until, event: Event):
    """UNTIL as a DATE for all-day series, else in UTC (RFC 5545 3.3.10)."""
    if event.all_day:
        return until if not isinstance(until, datetime) else until.date()
    if not isinstance(until, datetime):
        until = datetime.combine(until, time(23, 59, 59))
    return until.replace(tzinfo=event.tz).astimezone(UTC)


def _local(naive_start, event: Event):
    if event.all_day:
        return naive_start.date() if isinstance(naive_start, datetime) else naive_start
    return naive_start.replace(tzinfo=event.tz)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value
