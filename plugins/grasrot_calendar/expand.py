"""An Event's occurrences: one for a single event, the rule's dates for a series.

A series is expanded only inside the calendar's window (CALENDAR_ARCHIVE_DAYS
back, CALENDAR_HORIZON_DAYS ahead of the build date): the site shows that
much, and the .ics feeds carry the rule itself, so calendar apps see it all.
Expansion runs on naive local wall-clock times; the zone is attached last, so
an 18:30 meeting stays 18:30 on both sides of a DST change.
"""

from __future__ import annotations

from datetime import date, datetime, time

from .model import Event, Occurrence


def expand(event: Event, config) -> None:
    """Fill event.occurrences and make event.start/end aware (timed events)."""
    if event.is_series:
        event.occurrences = _series(event, config)
    else:
        event.occurrences = [
            _occurrence(event, event.start, event.end, event.start, None, config.tz)
        ]
    if not event.all_day:
        event.start = _aware(event.start, config.tz)
        event.end = _aware(event.end, config.tz)


def _series(event: Event, config) -> list[Occurrence]:
    series = event.recurrence
    dtstart = event.start if not event.all_day else datetime.combine(event.start, time.min)
    length = event.end - event.start if event.end is not None else None
    excluded = set(series.exdates)
    changes = {change.original: change for change in series.changes}
    begin = max(config.window_start, dtstart)
    occurrences = []
    for start in series.rule(dtstart).between(begin, config.window_end, inc=True):
        if start in excluded:
            continue
        original = start.date() if event.all_day else start
        end = original + length if length is not None else None
        change = changes.get(start.date())
        occurrences.append(_occurrence(event, original, end, original, change, config.tz))
    return occurrences


def _occurrence(event: Event, start, end, original, change, tz) -> Occurrence:
    new_start, new_end = start, end
    if change is not None and change.start is not None:
        new_start = change.start
        new_end = new_start + (end - start) if end is not None else None
    if change is not None and change.end is not None:
        new_end = change.end

    def pick(name: str):
        changed = getattr(change, name, None)
        return changed if changed is not None else getattr(event, name)

    return Occurrence(
        event=event,
        start=_aware(new_start, tz),
        end=_aware(new_end, tz),
        original_start=_aware(original, tz),
        title=pick("title"),
        location=pick("location"),
        online=pick("online"),
        status=pick("status"),
        note=change.note if change is not None else "",
    )


def _aware(value, tz):
    """Naive local datetimes get the site's zone; dates stay dates."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=tz)
    if isinstance(value, (datetime, date)) or value is None:
        return value
    raise TypeError(value)


def changed_occurrences(event: Event) -> list[Occurrence]:
    """Every occurrence a `changes:` entry touches, inside the window or not
    (the .ics feeds carry the whole series, so they need all of them)."""
    if not event.is_series or not event.recurrence.changes:
        return []
    first = event.start if event.all_day else event.start.replace(tzinfo=None)
    length = (event.end - event.start) if event.end is not None else None
    found = []
    for change in sorted(event.recurrence.changes, key=lambda c: c.original):
        if event.all_day:
            original = change.original
        else:
            original = datetime.combine(change.original, first.time())
        end = original + length if length is not None else None
        found.append(_occurrence(event, original, end, original, change, event.tz))
    return found
