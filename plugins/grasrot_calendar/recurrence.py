"""Readable `repeat:` rules -> RFC 5545 RRULE parts -> dates, with python-dateutil.

An officer writes `every: month` / `on: third thursday`; this module turns that
into RRULE parts (`FREQ=MONTHLY;BYDAY=3TH`). The same parts drive both the
site (expanded here with dateutil's rrule) and the .ics feeds (written as
RRULE), so the two can never disagree. Expansion works on naive local
wall-clock times and attaches the zone afterwards: a meeting at 18:30 stays at
18:30 on both sides of a DST change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from grasrot_core.messages import msg

FREQUENCIES = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "second last": -2,
}
# Officers often write Swedish; these only feed the "Did you mean" hints.
SWEDISH_WORDS = {
    "måndag": "monday",
    "tisdag": "tuesday",
    "onsdag": "wednesday",
    "torsdag": "thursday",
    "fredag": "friday",
    "lördag": "saturday",
    "söndag": "sunday",
    "första": "first",
    "andra": "second",
    "tredje": "third",
    "fjärde": "fourth",
    "sista": "last",
    "dag": "day",
    "vecka": "week",
    "månad": "month",
    "år": "year",
}


class RuleError(ValueError):
    """A `repeat:` value that cannot become a rule; the message says what to write."""


def english(word: str) -> str:
    return SWEDISH_WORDS.get(word, word)


def weekday_code(word: str) -> str:
    word = english(str(word).strip().lower())
    if word not in WEEKDAYS:
        raise RuleError(msg("unknown weekday '{word}': use monday … sunday", word=word))
    return WEEKDAYS[word]


def on_parts(value, every: str) -> dict:
    """RRULE parts for `on:` given `every:` (week, month); raises RuleError."""
    items = list(value) if isinstance(value, list) else [value]
    if not items:
        raise RuleError(msg("'on:' is empty: remove it or write e.g. 'on: first tuesday'"))
    if every == "week":
        return {"BYDAY": ",".join(weekday_code(item) for item in items)}
    if every != "month":
        raise RuleError(
            msg(
                "'on:' does not apply to 'every: {every}': such a series repeats "
                "on the start's date. Remove 'on:'",
                every=every,
            )
        )
    days = [_month_day(item) for item in items if _looks_numeric(item)]
    weekdays = [_nth_weekday(item) for item in items if not _looks_numeric(item)]
    if days and weekdays:
        raise RuleError(
            msg(
                "'on:' mixes days of the month and weekdays; use one kind, "
                "e.g. 'on: 15' or 'on: [first tuesday, third tuesday]'"
            )
        )
    if days:
        return {"BYMONTHDAY": ",".join(str(day) for day in days)}
    return {"BYDAY": ",".join(weekdays)}


def _looks_numeric(item) -> bool:
    return isinstance(item, int) or str(item).strip().lstrip("-").isdigit()


def _month_day(item) -> int:
    day = int(str(item).strip())
    if not (1 <= day <= 31 or -31 <= day <= -1):
        raise RuleError(
            msg(
                "there is no day {day} in a month: use 1 … 31 (or -1 for the last day)",
                day=day,
            )
        )
    return day


def _nth_weekday(item) -> str:
    words = str(item).strip().lower().split()
    if len(words) < 2:
        hint = msg(" (e.g. 'first {day}')", day=english(words[0])) if words else ""
        raise RuleError(
            msg(
                "'on: {item}' needs which one and a weekday{hint}, "
                "e.g. 'on: third thursday' or 'on: last friday'",
                item=item,
                hint=hint,
            )
        )
    ordinal = " ".join(english(word) for word in words[:-1])
    if ordinal not in ORDINALS:
        raise RuleError(
            msg(
                "unknown 'on: {item}': start with first, second, third, "
                "fourth, fifth or last, e.g. 'on: third thursday'",
                item=item,
            )
        )
    return f"{ORDINALS[ordinal]}{weekday_code(words[-1])}"


def parse_rrule_text(text: str) -> dict:
    """The expert `rrule:` field ('FREQ=MONTHLY;BYDAY=3TH') as ordered parts."""
    parts = {}
    for chunk in str(text).strip().removeprefix("RRULE:").split(";"):
        if not chunk.strip():
            continue
        name, sep, value = chunk.partition("=")
        if not sep or not value:
            raise RuleError(msg("'{chunk}' is not NAME=VALUE", chunk=chunk))
        parts[name.strip().upper()] = value.strip().upper()
    if "FREQ" not in parts:
        raise RuleError(msg("an rrule needs FREQ, e.g. 'FREQ=WEEKLY;BYDAY=TU'"))
    if parts["FREQ"] not in FREQUENCIES.values():
        # HOURLY and finer would expand to thousands of meetings a year.
        raise RuleError(
            msg(
                "FREQ={freq} is not supported: use {choices}",
                freq=parts["FREQ"],
                choices=", ".join(FREQUENCIES.values()),
            )
        )
    if "DTSTART" in parts:
        raise RuleError(msg("DTSTART does not belong in rrule: use 'start:'"))
    return parts


@dataclass
class Change:
    """One occurrence moved, changed or cancelled (`changes:` item)."""

    original: date
    line: int
    col: int
    start: datetime | date | None = None  # naive local
    end: datetime | date | None = None
    location: str | None = None
    online: str | None = None
    status: str | None = None
    title: str | None = None
    note: str = ""


@dataclass
class Recurrence:
    """A series: RRULE parts, the dates it skips, and its changed occurrences.

    `until` is naive local (a date for all-day series); `exdates` are the
    naive local starts that `except:` and `pause:` remove.
    """

    parts: dict  # FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, … (strings), no UNTIL
    until: datetime | date | None = None
    exdates: list = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    pauses: list = field(default_factory=list)  # pauses.Pause, for describing the series

    def rule(self, dtstart):
        """dateutil rrule for naive local `dtstart` (a datetime)."""
        text = ";".join(f"{name}={value}" for name, value in self.parts.items())
        if self.until is not None:
            until = self.until
            if not isinstance(until, datetime):  # the whole last day counts
                until = datetime.combine(until, time(23, 59, 59))
            text += f";UNTIL={until:%Y%m%dT%H%M%S}"
        return rrulestr(text, dtstart=dtstart)

    def first_start(self, dtstart):
        """The first occurrence at or after dtstart (DTSTART must be one, RFC 5545)."""
        return self.rule(dtstart).after(dtstart, inc=True)

    def starts_on(self, dtstart, day: date) -> list:
        """Naive local starts of the rule on one calendar day."""
        begin = datetime.combine(day, time.min)
        return self.rule(dtstart).between(begin, begin + timedelta(days=1), inc=True)

    def starts_between(self, dtstart, first: date, last: date) -> list:
        begin = datetime.combine(first, time.min)
        return self.rule(dtstart).between(begin, datetime.combine(last, time.max), inc=True)
