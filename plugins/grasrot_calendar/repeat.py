"""Read an event's `repeat:` block (or expert `rrule:`) into a Recurrence.

`every`, `interval`, `on`, `until` and `count` make the rule; `except:` dates
and `pause:` ranges become excluded dates; `changes:` move or alter single
dates. Problems go to the event's reader (and so to the build's error
collector) with their position; nothing here raises on bad content.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import grasrot_core
from grasrot_core.messages import message_of, msg
from grasrot_core.yamlload import YamlList, YamlMap

from . import pauses as yearly_breaks
from . import recurrence as rec
from .model import Event
from .values import (
    BadValue,
    parse_date,
    parse_link,
    parse_positive_int,
    parse_time_or_datetime,
    text,
)

# A series is at most MAX_COUNT dates ('count:'), MAX_INTERVAL units apart.
MAX_COUNT = 1000
MAX_INTERVAL = 100
REPEAT_KEYS = ("every", "interval", "on", "until", "count", "except", "pause", "changes")
PAUSE_KEYS = ("from", "to", "months")
CHANGE_KEYS = ("date", "start", "end", "location", "online", "status", "title", "note")


class RepeatReader:
    """The series of one event being read by an EventReader (parse.py), whose
    `problem` and `status` it shares."""

    def __init__(self, reader):
        self.reader = reader
        self.item = reader.item
        self.file = reader.file
        self.config = reader.config

    def problem(self, key_or_pos, message: str) -> None:
        self.reader.problem(key_or_pos, message)

    def read(self, event: Event):
        """The event's Recurrence (its start moved to the first date), or None."""
        repeat, expert = self.item.get("repeat"), self.item.get("rrule")
        if repeat is None and expert is None:
            return None
        if repeat is not None and not isinstance(repeat, YamlMap):
            self.problem(
                "repeat",
                msg(
                    "'repeat:' is a block of lines such as 'every: month' "
                    "and 'on: 15', indented under it."
                ),
            )
            return None
        repeat = repeat if repeat is not None else YamlMap()
        self.file.unknown_keys(repeat, REPEAT_KEYS, "repeat")
        if expert is not None:
            parts, until = self._expert_rule(repeat)
        else:
            parts, until = self._readable_rule(repeat)
        if parts is None or not self._within_limits(repeat, parts, expert is not None):
            return None
        pauses = self._pauses(repeat)
        yearly_breaks.apply_months(parts, pauses)  # before DTSTART is placed on the rule
        series = rec.Recurrence(parts=parts, until=until, pauses=pauses)
        dtstart = _naive_start(event)
        if until is not None and _day(until) < _day(event.start):
            self.problem(
                repeat.pos("until") if "until" in repeat else "rrule",
                msg(
                    "until {until} is before the start {start}: "
                    "the series would have no dates. Check the year.",
                    until=_day(until),
                    start=_day(event.start),
                ),
            )
            return None
        try:
            first = series.first_start(dtstart)
        except (ValueError, TypeError) as exc:
            self.problem(
                "rrule" if expert is not None else "repeat",
                msg("this rule cannot be used: {error}.", error=message_of(exc)),
            )
            return None
        if first is None:
            self.problem(
                "repeat" if "repeat" in self.item else "rrule",
                msg("this series has no dates after its start: check 'on:' and 'until:'."),
            )
            return None
        if "COUNT" in parts and not self._ends_in_time(series, dtstart, repeat, expert):
            return None
        _move_start(event, first)  # DTSTART must be the first occurrence
        self._exceptions(repeat, series, event)
        self._changes(repeat, series, event)
        return series

    def _within_limits(self, repeat: YamlMap, parts: dict, expert: bool) -> bool:
        """count and interval within what a calendar and iCalendar apps can use."""
        for key, limit in (("count", MAX_COUNT), ("interval", MAX_INTERVAL)):
            value = parts.get(key.upper())
            if value is None or int(value) <= limit:
                continue
            where = "rrule" if expert else repeat.pos(key)
            hint = (
                msg(" For a series without an end, leave out 'count:' and 'until:'.")
                if key == "count"
                else ""
            )
            self.problem(
                where,
                msg(
                    "'{key}: {value}' is more than a calendar can hold: "
                    "{key} is at most {limit}.{hint}",
                    key=key,
                    value=value,
                    limit=limit,
                    hint=hint,
                ),
            )
            return False
        return True

    def _ends_in_time(self, series, dtstart, repeat: YamlMap, expert) -> bool:
        """The last date of a 'count:' series must be a real date (before year 10000)."""
        try:
            for _start in series.rule(dtstart):
                pass
        except (ValueError, OverflowError):
            where = "rrule" if expert is not None else repeat.pos("count")
            self.problem(
                where,
                msg(
                    "this series would run past the year 9999: lower 'count:' or "
                    "'interval:'."
                ),
            )
            return False
        return True

    def _readable_rule(self, repeat: YamlMap):
        every = text(repeat.get("every")).lower()
        if not every:
            self.problem(
                repeat.pos("every") if "every" in repeat else "repeat",
                msg(
                    "missing 'every:' in repeat: write 'every: week', 'every: month' "
                    "or 'every: year'."
                ),
            )
            return None, None
        if every not in rec.FREQUENCIES:
            self.problem(
                repeat.pos("every"),
                msg(
                    "unknown 'every: {every}': use week, month or year (with "
                    "'interval: 2' for every other).",
                    every=every,
                )
                + grasrot_core.did_you_mean(rec.english(every), rec.FREQUENCIES),
            )
            return None, None
        parts = {"FREQ": rec.FREQUENCIES[every]}
        if "interval" in repeat:
            interval = self._repeat_value(repeat, "interval", parse_positive_int)
            if interval is None:
                return None, None
            if interval > 1:
                parts["INTERVAL"] = str(interval)
        if "on" in repeat:
            try:
                parts.update(rec.on_parts(repeat["on"], every))
            except rec.RuleError as exc:
                self.problem(repeat.pos("on"), msg("{error}.", error=message_of(exc)))
                return None, None
        return self._bounds(repeat, parts)

    def _bounds(self, repeat: YamlMap, parts: dict):
        if "until" in repeat and "count" in repeat:
            self.problem(
                repeat.pos("count"),
                msg("a series ends with 'until:' or 'count:', not both: remove one."),
            )
            return None, None
        if "count" in repeat:
            count = self._repeat_value(repeat, "count", parse_positive_int)
            if count is None:
                return None, None
            parts["COUNT"] = str(count)
        until = None
        if "until" in repeat:
            until = self._repeat_value(repeat, "until", parse_date)
            if until is None:
                return None, None
        return parts, until

    def _expert_rule(self, repeat: YamlMap):
        for key in ("every", "interval", "on", "until", "count"):
            if key in repeat:
                self.problem(
                    repeat.key_pos[key],
                    msg(
                        "'{key}:' and 'rrule:' both describe the series: keep one "
                        "(remove '{key}:' or 'rrule:').",
                        key=key,
                    ),
                )
                return None, None
        try:
            parts = rec.parse_rrule_text(text(self.item["rrule"]))
            until = self._rrule_until(parts.pop("UNTIL", None))
            if until is not None and "COUNT" in parts:
                raise rec.RuleError(msg("COUNT and UNTIL together: keep one"))
            rec.Recurrence(parts=parts, until=until).rule(datetime(2000, 1, 1))
        except (rec.RuleError, ValueError) as exc:
            self.problem(
                "rrule",
                msg(
                    "this rrule cannot be read: {error}. Write e.g. "
                    "'rrule: FREQ=MONTHLY;BYDAY=3TH' or use 'repeat:'.",
                    error=message_of(exc),
                ),
            )
            return None, None
        return parts, until

    def _rrule_until(self, value):
        """UNTIL in an expert rule as naive local time (or a date)."""
        if value is None:
            return None
        try:
            if value.endswith("Z"):
                moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                return moment.astimezone(self.config.tz).replace(tzinfo=None)
            if "T" in value:
                return datetime.strptime(value, "%Y%m%dT%H%M%S")
            return datetime.strptime(value, "%Y%m%d").date()
        except ValueError:
            raise rec.RuleError(
                msg("UNTIL={value} is not a date such as 20270601", value=value)
            ) from None

    def _repeat_value(self, repeat: YamlMap, key: str, parse):
        try:
            return parse(repeat[key], key)
        except BadValue as exc:
            self.problem(repeat.pos(key), message_of(exc))
            return None

    def _exceptions(self, repeat: YamlMap, series, event: Event) -> None:
        """`except:` dates and `pause:` ranges become EXDATEs (naive local starts)."""
        dtstart = _naive_start(event)
        excluded = []
        for day, pos in self._dates(repeat, "except"):
            starts = series.starts_on(dtstart, day)
            if not starts:
                self.problem(
                    pos,
                    msg(
                        "except {day} is not a date of this series: {nearby}",
                        day=day,
                        nearby=_nearby(series, dtstart, day),
                    ),
                )
            excluded.extend(starts)
        ranges = yearly_breaks.excluded_ranges(
            series.pauses,
            series.parts,
            dtstart.year,
            yearly_breaks.last_pause_year(self.config.now),
        )
        excluded.extend(yearly_breaks.starts_in(ranges, series, dtstart))
        series.exdates = sorted(set(excluded))

    def _dates(self, repeat: YamlMap, key: str):
        if key not in repeat:
            return []
        items = repeat[key]
        if not isinstance(items, YamlList):
            items = YamlList([items])
            items.item_pos = [repeat.pos(key)]
        found = []
        for index, value in enumerate(items):
            try:
                found.append((parse_date(value, key), items.pos(index)))
            except BadValue as exc:
                self.problem(items.pos(index), message_of(exc))
        return found

    def _pauses(self, repeat: YamlMap):
        if "pause" not in repeat:
            return []
        items = repeat["pause"]
        if isinstance(items, YamlMap):
            items = YamlList([items])
            items.item_pos = [repeat.pos("pause")]
        if not isinstance(items, YamlList):
            self.problem(
                repeat.pos("pause"),
                msg(
                    "'pause:' is a list of ranges: write "
                    "'- {{from: 2027-06-16, to: 2027-08-14}}'."
                ),
            )
            return []
        ranges = []
        for index, item in enumerate(items):
            found = self._pause(item, items.pos(index))
            if found:
                ranges.append(found)
        return ranges

    def _pause(self, item, pos):
        if not isinstance(item, YamlMap):
            self.problem(
                pos,
                msg(
                    "each pause is '- {{from: 2027-06-16, to: 2027-08-14}}', "
                    "'- {{from: 06-16, to: 08-14}}' (every year) or "
                    "'- {{months: [juni, juli, augusti]}}'."
                ),
            )
            return None
        self.file.unknown_keys(item, PAUSE_KEYS, "pause")
        try:
            return yearly_breaks.parse_pause(item)
        except BadValue as exc:
            self.problem(pos, message_of(exc))
            return None

    def _changes(self, repeat: YamlMap, series, event: Event) -> None:
        items = repeat.get("changes")
        if items is None:
            return
        if not isinstance(items, YamlList):
            self.problem(
                repeat.pos("changes"),
                msg("'changes:' is a list: start each change with '- date: 2026-12-15'."),
            )
            return
        dtstart = _naive_start(event)
        excluded = {_day(start) for start in series.exdates}
        for index, item in enumerate(items):
            change = self._change(item, items.pos(index), series, dtstart, excluded, event)
            if change is not None:
                series.changes.append(change)

    def _change(self, item, pos, series, dtstart, excluded, event):
        if not isinstance(item, YamlMap) or "date" not in item:
            self.problem(
                pos,
                msg(
                    "each change starts with the date of the occurrence it "
                    "changes: '- date: 2026-12-15'."
                ),
            )
            return None
        self.file.unknown_keys(item, CHANGE_KEYS, "change")
        try:
            day = parse_date(item["date"], "date")
        except BadValue as exc:
            self.problem(item.pos("date"), message_of(exc))
            return None
        if not series.starts_on(dtstart, day):
            self.problem(
                item.pos("date"),
                msg(
                    "changes: {day} is not a date of this series: {nearby}",
                    day=day,
                    nearby=_nearby(series, dtstart, day),
                ),
            )
            return None
        if day in excluded:
            self.problem(
                item.pos("date"),
                msg(
                    "changes: {day} is removed by 'except:' or "
                    "'pause:'; change it or remove it, not both.",
                    day=day,
                ),
            )
            return None
        change = rec.Change(
            original=day,
            line=pos[0],
            col=pos[1],
            location=_optional_text(item, "location"),
            title=_optional_text(item, "title"),
            note=text(item.get("note")),
            status=self.reader.status(item, "status"),
        )
        try:
            if "online" in item:
                change.online = parse_link(item["online"], "online")
            self._change_times(item, change, event)
        except BadValue as exc:
            self.problem(pos, message_of(exc))
            return None
        return change

    def _change_times(self, item: YamlMap, change, event: Event) -> None:
        if event.all_day:
            if "end" in item:
                raise BadValue(
                    msg("an all-day series moves with 'start: 2026-12-16' (a date) only.")
                )
            if "start" in item:
                change.start = parse_date(item["start"], "start")
            return
        if "start" in item:
            change.start = parse_time_or_datetime(item["start"], "start", change.original)
        if "end" in item:
            day = _day(change.start) if change.start is not None else change.original
            change.end = parse_time_or_datetime(item["end"], "end", day)


def _optional_text(item: YamlMap, key: str):
    return text(item[key]) if key in item else None


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _naive_start(event: Event) -> datetime:
    if event.all_day:
        return datetime.combine(event.start, time.min)
    return event.start


def _move_start(event: Event, first: datetime) -> None:
    """Shift a series' first occurrence to the first date its rule gives."""
    shift = first - _naive_start(event)
    if not shift:
        return
    if event.all_day:
        event.start = event.start + timedelta(days=shift.days)
        event.end = event.end + timedelta(days=shift.days)
    else:
        event.start = event.start + shift
        event.end = event.end + shift if event.end is not None else None


def _nearby(series, dtstart, day: date) -> str:
    """A hint listing the series' dates around `day`."""
    begin = max(day - timedelta(days=45), _day(dtstart))
    dates = [
        f"{d:%Y-%m-%d}"
        for d in series.starts_between(dtstart, begin, day + timedelta(days=45))
    ][:4]
    if not dates:
        return msg("the series has no dates near it; check the year.")
    return msg("nearby dates are {dates}.", dates=", ".join(dates))
