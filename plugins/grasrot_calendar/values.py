"""Single YAML values -> Python values, each failure a message saying what to write.

Every function returns the parsed value or raises `BadValue` with a message
that fits after "file:line:col: ". The YAML loader (grasrot_core.yamlload)
leaves dates and times as text, so they are parsed here, strictly.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from urllib.parse import urlparse

from grasrot_core.messages import msg
from grasrot_core.yamlload import scalar_text

DATE_EXAMPLE = "2026-03-15"
DATETIME_EXAMPLE = '"2026-03-15 18:30"'

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A time as Swedish officers write it: 17:00, 17.00, kl. 17, kl 17.30, 17.
_CLOCK = r"(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?"
_TIME = re.compile(rf"^{_CLOCK}$", re.IGNORECASE)
_DATETIME = re.compile(
    rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:T|\s+){_CLOCK}$", re.IGNORECASE
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class BadValue(ValueError):
    pass


def text(value) -> str:
    """The value as written in the file (`end: 21.00` stays '21.00', not '21.0')."""
    return scalar_text(value)


def parse_date(value, key: str) -> date:
    match = _DATE.match(text(value))
    if not match:
        raise BadValue(
            msg(
                "'{key}: {value}' is not a date: write YYYY-MM-DD, "
                "e.g. '{key}: {example}'.",
                key=key,
                value=text(value),
                example=DATE_EXAMPLE,
            )
        )
    return _real_date(*map(int, match.groups()), key=key, value=value)


def parse_time(value, key: str) -> time:
    match = _TIME.match(text(value))
    if not match:
        raise BadValue(
            msg(
                "'{key}: {value}' is not a time: write HH:MM, e.g. "
                "'{key}: \"20:00\"' (20.00 and kl. 20 work too).",
                key=key,
                value=text(value),
            )
        )
    return _real_time(*_clock(match.groups()), key=key, value=value)


def _clock(groups) -> tuple[int, int]:
    hour, minute = groups
    return int(hour), int(minute or 0)


def parse_datetime(value, key: str) -> datetime:
    match = _DATETIME.match(text(value))
    if not match:
        hint = (
            msg(" For an all-day event write 'date: {value}' instead.", value=text(value))
            if _DATE.match(text(value))
            else ""
        )
        raise BadValue(
            msg(
                "'{key}: {value}' is not a date and time: write '{key}: {example}'.{hint}",
                key=key,
                value=text(value),
                example=DATETIME_EXAMPLE,
                hint=hint,
            )
        )
    year, month, day = map(int, match.groups()[:3])
    hour, minute = _clock(match.groups()[3:])
    return datetime.combine(
        _real_date(year, month, day, key=key, value=value),
        _real_time(hour, minute, key=key, value=value),
    )


def parse_date_or_datetime(value, key: str) -> date | datetime:
    if _DATETIME.match(text(value)):
        return parse_datetime(value, key)
    return parse_date(value, key)


def parse_time_or_datetime(value, key: str, day: date) -> datetime:
    """`end: "20:00"` means that time on the start's day."""
    if _TIME.match(text(value)):
        return datetime.combine(day, parse_time(value, key))
    if _DATETIME.match(text(value)):
        return parse_datetime(value, key)
    raise BadValue(
        msg(
            "'{key}: {value}' is not a time: write '{key}: \"20:00\"' "
            "(same day) or '{key}: \"2026-03-15 20:00\"'.",
            key=key,
            value=text(value),
        )
    )


def _real_date(year, month, day, key, value) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(
            msg(
                "'{key}: {value}' is not a real date (there is no day "
                "{day} in month {month} of {year}): check the day and month, "
                "written YYYY-MM-DD.",
                key=key,
                value=text(value),
                day=day,
                month=month,
                year=year,
            )
        ) from None


def _real_time(hour, minute, key, value) -> time:
    try:
        return time(hour, minute)
    except ValueError:
        raise BadValue(
            msg(
                "'{key}: {value}' is not a real time: use 00:00 … 23:59.",
                key=key,
                value=text(value),
            )
        ) from None


def parse_link(value, key: str) -> str:
    link = text(value)
    parsed = urlparse(link)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return link
    has_other_scheme = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", link)
    example = (
        "https://" + link if link and not has_other_scheme else "https://example.org/…"
    )
    raise BadValue(
        msg(
            "'{key}: {link}' is not a web link: write the full address starting "
            "with https://, e.g. '{key}: {example}'.",
            key=key,
            link=link,
            example=example,
        )
    )


def parse_positive_int(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadValue(
            msg(
                "'{key}: {value}' must be a whole number of 1 or more, e.g. '{key}: 2'.",
                key=key,
                value=text(value),
            )
        )
    return value


def parse_list(value) -> list[str]:
    """A YAML list, or 'a, b' text, as a list of non-empty strings."""
    items = value if isinstance(value, list) else text(value).split(",")
    return [text(item) for item in items if text(item)]
