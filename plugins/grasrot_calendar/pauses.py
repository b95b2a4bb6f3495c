"""Breaks in a series: `pause:` as dates, or the same break every year.

    pause:
      - {from: 2027-06-16, to: 2027-08-14}     # once
      - {months: [juni, juli, augusti]}         # every year (names or 1-12)
      - {from: 12-20, to: 01-06}                # every year, may cross new year

Whole months become the rule's own BYMONTH (the other months), so calendar
apps need nothing else and the break holds for ever. A yearly day range
becomes EXDATEs for every year from the series' start to YEARLY_PAUSE_YEARS
after the build date (the nightly build moves that on). Dates, once, become
EXDATEs as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from babel.dates import get_month_names

from grasrot_core.messages import msg

from .values import BadValue, parse_date, text

# Month names a pause may be written with ("juli", "July"), from CLDR.
MONTH_NAMES = {
    name.lower(): number
    for lang in ("sv", "en")
    for number, name in get_month_names("wide", locale=lang).items()
}
MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
YEARLY_PAUSE_YEARS = 5
LEAP_YEAR = 2024  # to check that 02-29 is a day at all


@dataclass
class Pause:
    """One `pause:` item: `months` (yearly), `yearly` (MM-DD to MM-DD) or `once`."""

    kind: str
    months: list[int] = field(default_factory=list)
    first: date | tuple | None = None  # a date (once) or (month, day) (yearly)
    last: date | tuple | None = None

    @property
    def every_year(self) -> bool:
        return self.kind != "once"


def parse_pause(item) -> Pause:
    """A `pause:` mapping -> Pause; raises BadValue saying what to write."""
    if "months" in item:
        if "from" in item or "to" in item:
            raise BadValue(
                msg("a pause is either 'months:' or 'from:' and 'to:', not both.")
            )
        return Pause("months", months=_months(item["months"]))
    if "from" not in item or "to" not in item:
        raise BadValue(
            msg(
                "each pause needs 'from:' and 'to:' (2027-06-16, or 06-16 for "
                "every year) or 'months:', e.g. '- {{months: [juni, juli]}}'."
            )
        )
    yearly = [bool(MONTH_DAY.match(text(item[key]))) for key in ("from", "to")]
    if all(yearly):
        return Pause(
            "yearly",
            first=_month_day(item["from"], "from"),
            last=_month_day(item["to"], "to"),
        )
    if any(yearly):
        raise BadValue(
            msg(
                "write both 'from:' and 'to:' with a year (2027-06-16) or both "
                "without one (06-16, every year)."
            )
        )
    first, last = parse_date(item["from"], "from"), parse_date(item["to"], "to")
    if last < first:
        raise BadValue(
            msg(
                "the pause ends ('to: {last}') before it begins ('from: {first}').",
                last=text(item["to"]),
                first=text(item["from"]),
            )
        )
    return Pause("once", first=first, last=last)


def _months(value) -> list[int]:
    items = value if isinstance(value, list) else str(text(value)).split(",")
    found = []
    for item in items:
        written = text(item).strip()
        number = MONTH_NAMES.get(written.lower())
        if number is None and written.isdigit() and 1 <= int(written) <= 12:
            number = int(written)
        if number is None:
            raise BadValue(
                msg(
                    "'{written}' is not a month: write a name (juni, june) or a "
                    "number 1-12, e.g. 'months: [juni, juli, augusti]'.",
                    written=written,
                )
            )
        found.append(number)
    if not found:
        raise BadValue(
            msg("'months:' is empty: write e.g. 'months: [juni, juli, augusti]'.")
        )
    if len(set(found)) == 12:
        raise BadValue(msg("a pause of all twelve months leaves no dates: remove a month."))
    return sorted(set(found))


def _month_day(value, key) -> tuple[int, int]:
    month, day = map(int, MONTH_DAY.match(text(value)).groups())
    try:
        date(LEAP_YEAR, month, day)
    except ValueError:
        raise BadValue(
            msg(
                "'{key}: {value}' is not a day of the year: write MM-DD, "
                "e.g. '{key}: 06-16'.",
                key=key,
                value=text(value),
            )
        ) from None
    return month, day


def apply_months(parts: dict, pauses: list[Pause]) -> None:
    """Paused months leave the rule through BYMONTH (monthly, weekly, daily series)."""
    paused = {month for pause in pauses if pause.kind == "months" for month in pause.months}
    if not paused or parts.get("FREQ") == "YEARLY":
        return  # a yearly rule with BYMONTH would repeat in every listed month
    allowed = set(range(1, 13)) - paused
    if "BYMONTH" in parts:
        allowed &= {int(month) for month in parts["BYMONTH"].split(",")}
    parts["BYMONTH"] = ",".join(str(month) for month in sorted(allowed))


def excluded_ranges(
    pauses: list[Pause], parts: dict, first_year: int, last_year: int
) -> list[tuple[date, date]]:
    """(first, last) day ranges whose dates become EXDATEs."""
    ranges = []
    for pause in pauses:
        if pause.kind == "once":
            ranges.append((pause.first, pause.last))
        elif pause.kind == "yearly":
            ranges += [
                _yearly_range(pause, year) for year in range(first_year - 1, last_year + 1)
            ]
        elif parts.get("FREQ") == "YEARLY":
            ranges += [
                _month_range(month, year)
                for month in pause.months
                for year in range(first_year, last_year + 1)
            ]
    return ranges


def _yearly_range(pause: Pause, year: int) -> tuple[date, date]:
    first = _clamped(year, *pause.first)
    last_year = year if pause.last >= pause.first else year + 1  # 12-20 to 01-06
    return first, _clamped(last_year, *pause.last)


def _month_range(month: int, year: int) -> tuple[date, date]:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def _clamped(year: int, month: int, day: int) -> date:
    """02-29 is 28 February in other years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def last_pause_year(now: datetime) -> int:
    return now.year + YEARLY_PAUSE_YEARS


def starts_in(ranges, series, dtstart) -> list[datetime]:
    found = []
    for first, last in ranges:
        found += series.rule(dtstart).between(
            datetime.combine(first, time.min), datetime.combine(last, time.max), inc=True
        )
    return found


# --- In words: "Den 15:e varje månad, uppehåll juni–augusti" ---------------------------


def describe(pauses: list[Pause], settings) -> str:
    """', uppehåll juni–augusti' (or '' without pauses), in the site's language."""
    from babel.lists import format_list

    from grasrot_core.dates import babel_locale
    from grasrot_core.i18n import gettext_for

    locale = babel_locale(settings)
    periods = []
    for pause in pauses:
        if pause.kind == "months":
            periods += [_month_span(run, locale) for run in _runs(pause.months)]
        elif pause.kind == "yearly":
            periods.append(
                _day_span(
                    _clamped(LEAP_YEAR, *pause.first),
                    _clamped(LEAP_YEAR, *pause.last),
                    settings,
                    False,
                )
            )
        else:
            periods.append(_day_span(pause.first, pause.last, settings, True))
    if not periods:
        return ""
    _ = gettext_for(settings)
    return _(", break %(periods)s") % {"periods": format_list(periods, locale=locale)}


def _runs(months: list[int]) -> list[list[int]]:
    """[6, 7, 8] -> [[6, 7, 8]]; [1, 2, 12] -> [[12, 1, 2]] (across new year)."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == 12:
        runs[0] = runs.pop() + runs[0]
    return runs


def _month_span(run: list[int], locale: str) -> str:
    from babel.dates import get_month_names

    names = get_month_names("wide", context="stand-alone", locale=locale)
    if len(run) == 1:
        return names[run[0]]
    return f"{names[run[0]]}–{names[run[-1]]}"


def _day_span(first: date, last: date, settings, with_year: bool) -> str:
    from grasrot_core.dates import format_date

    shape = "long" if with_year else "day_month"
    return (
        f"{format_date(first, settings, 'day_month')}–{format_date(last, settings, shape)}"
    )
