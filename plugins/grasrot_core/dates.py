"""The build date, and dates formatted with Babel in the site's language.

Babel carries its own CLDR data, so "15 mars 2026" comes out right on CI
runners that have no sv_SE system locale. The build date comes from
SOURCE_DATE_EPOCH when set, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

BUILD_DATE_KEY = "GRASROT_BUILD_DATE"


def build_date(settings) -> datetime:
    """The build's "now", aware, in the site's time zone."""
    found = settings.get(BUILD_DATE_KEY)
    if found is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            found = datetime.fromtimestamp(int(epoch), tz=UTC)
        else:
            found = datetime.now(tz=UTC)
        found = found.astimezone(site_timezone(settings))
        settings[BUILD_DATE_KEY] = found
    return found


def site_timezone(settings) -> ZoneInfo:
    return ZoneInfo(settings.get("TIMEZONE") or "Europe/Stockholm")


def babel_locale(settings) -> str:
    return (settings.get("DEFAULT_LANG") or "sv").replace("-", "_")


def _local(value, settings):
    """Aware datetimes shown in the site's zone; naive ones taken as local."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(site_timezone(settings))
    return value


# Named formats the templates use; CLDR patterns, so each language orders
# day and month its own way ("15 mars 2026", "March 15, 2026").
NAMED_DATE_PATTERNS = {
    "day_month": "d MMMM",
    "weekday": "EEEE d MMMM y",
    "short_weekday": "EEE d MMM",
}


def format_date(value, settings, format="long"):
    """'15 mars 2026' (long), '15 mars' (day_month), 'mars 2026' (month_year)."""
    if value is None or value == "":
        return ""
    value = _local(value, settings)
    if isinstance(value, datetime) and format != "month_year":
        value = value.date()  # as Babel's format_date does; one cache entry per day
    return _babel_date(value, format, babel_locale(settings))


def format_time(value, settings, format="HH:mm"):
    if value is None or value == "":
        return ""
    value = _local(value, settings)
    if isinstance(value, datetime):
        value = value.time()
    return _babel_time(value, format, babel_locale(settings))


# A calendar shows each occurrence on many pages (list, group, category, month,
# event), so the same few thousand dates are formatted tens of thousands of
# times; Babel re-reads its CLDR pattern each time. Values arrive already in
# the site's zone (_local), so equal keys always mean equal text.
@lru_cache(maxsize=16384)
def _babel_date(value, format: str, locale: str) -> str:
    if format == "month_year":
        return babel_dates.format_skeleton("yMMMM", value, locale=locale)
    pattern = NAMED_DATE_PATTERNS.get(format, format)
    return babel_dates.format_date(value, pattern, locale=locale)


@lru_cache(maxsize=4096)
def _babel_time(value: time, format: str, locale: str) -> str:
    return babel_dates.format_time(value, format, locale=locale)


def format_datetime(value, settings, format="long"):
    if value is None or value == "":
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, settings, format)
    return f"{format_date(value, settings, format)} {format_time(value, settings)}"


def isoformat(value) -> str:
    """Machine-readable date for <time datetime="…">."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)
