"""The build date, and dates formatted with Babel in the site's language.

Babel carries its own CLDR data, so "15 mars 2026" comes out right on CI
runners that have no sv_SE system locale. The build date comes from
SOURCE_DATE_EPOCH when set, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

BUILD_DATE_KEY = "GRASROT_BUILD_DATE"


def build_date(settings) -> datetime:
    """The build's "now", aware, in the site's time zone."""
    found = settings.get(BUILD_DATE_KEY)
    if found is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            found = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        else:
            found = datetime.now(tz=timezone.utc)
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
    locale = babel_locale(settings)
    if format == "month_year":
        return babel_dates.format_skeleton("yMMMM", value, locale=locale)
    pattern = NAMED_DATE_PATTERNS.get(format, format)
    return babel_dates.format_date(value, pattern, locale=locale)


def format_time(value, settings, format="HH:mm"):
    if value is None or value == "":
        return ""
    value = _local(value, settings)
    if isinstance(value, datetime):
        value = value.time()
    return babel_dates.format_time(value, format, locale=babel_locale(settings))


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
