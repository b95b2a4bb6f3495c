"""Read `PATH/calendar/*.yaml` into Events, reporting every problem with its position.

Nothing here raises on bad content: each problem goes to the build's error
collector as `file:line:col: message`, and the event is skipped, so one run
lists all problems of all files.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from glob import glob

from pelican.utils import slugify

import grasrot_core
from grasrot_core.dates import site_timezone
from grasrot_core.images import image_problems, normalise_image_path
from grasrot_core.markdown_html import markdown_renderer, render_markdown
from grasrot_core.plaintext import html_to_text
from grasrot_core.textfile import UnreadableFile, read_text
from grasrot_core.yamlload import YamlList, YamlMap, YamlSyntaxError, load

from . import pauses as yearly_breaks
from . import recurrence as rec
from .expand import expand
from .model import CALENDAR_DIR, STATUSES, Event
from .single import read_single_event, single_event_files
from .values import (
    ID_PATTERN,
    BadValue,
    parse_date,
    parse_date_or_datetime,
    parse_datetime,
    parse_link,
    parse_list,
    parse_positive_int,
    parse_time_or_datetime,
    text,
)

CALENDAR_FOLDER = "calendar"
FILE_KEYS = ("group", "events")
EVENT_KEYS = (
    "id",
    "title",
    "start",
    "end",
    "date",
    "last_date",
    "location",
    "online",
    "description",
    "categories",
    "status",
    "registration",
    "registration_deadline",
    "updated",
    "repeat",
    "rrule",
    "image",
    "image_alt",
)
# A series is at most MAX_COUNT dates ('count:'), MAX_INTERVAL units apart.
MAX_COUNT = 1000
# Events plus dates in the window the site shows, over all calendar files.
MAX_OCCURRENCES = 20_000
MAX_INTERVAL = 100
REPEAT_KEYS = ("every", "interval", "on", "until", "count", "except", "pause", "changes")
PAUSE_KEYS = ("from", "to", "months")
CHANGE_KEYS = ("date", "start", "end", "location", "online", "status", "title", "note")
SWEDISH_STATUS = {
    "bekräftad": "confirmed",
    "preliminär": "tentative",
    "inställd": "cancelled",
    "installd": "cancelled",
}
# Folders under kalender/ that the calendar uses itself; no group may take them.
RESERVED_OWNERS = ("ics", "kategori", "manad", "arkiv")


def calendar_files(content_path: str) -> list[str]:
    folder = os.path.join(content_path, CALENDAR_FOLDER)
    return sorted(
        glob(os.path.join(folder, "*.yaml")) + glob(os.path.join(folder, "*.yml"))
    )


class ParseConfig:
    """What parsing needs from Pelican's settings, looked up once."""

    def __init__(self, settings, now: datetime):
        self.raw = settings
        self.tz = site_timezone(settings)
        self.now = now
        self.branch_slug = settings.get("CALENDAR_BRANCH_SLUG") or "branch"
        # Series are expanded this far back and ahead (naive local wall-clock).
        local_now = now.replace(tzinfo=None)
        self.window_start = local_now - timedelta(
            days=settings.get("CALENDAR_ARCHIVE_DAYS", 365)
        )
        self.window_end = local_now + timedelta(
            days=settings.get("CALENDAR_HORIZON_DAYS", 400)
        )
        self.errors = grasrot_core.collector(settings)
        self.slug_substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        self.groups = _group_registry(settings)
        self.markdown = markdown_renderer(settings)

    def markdown_html(self, source: str) -> str:
        return render_markdown(self.markdown, source)


def _group_registry(settings):
    """grasrot_groups' registry; None while that plugin is not importable."""
    try:
        import grasrot_groups
    except ImportError:  # pragma: no cover - only while the groups plugin is missing
        return None
    return grasrot_groups.registry(settings)


def read_events(settings, now: datetime) -> list[Event]:
    """Every valid event of every calendar file, occurrences expanded."""
    config = ParseConfig(settings, now)
    events: list[Event] = []
    for path in calendar_files(settings["PATH"]):
        events.extend(CalendarFile(path, config).read())
    for path in single_event_files(settings["PATH"], CALENDAR_FOLDER):
        events.extend(read_single_event(path, config, CalendarFile, EventReader))
    _check_duplicate_ids(events, config.errors)
    _check_size(events, config.errors, settings)
    return events


def _check_size(events: list[Event], errors, settings) -> None:
    """A guard against a runaway calendar (a pasted export, a generated file):
    each event and each date becomes pages and feed entries, so past a limit the
    build stops with an error instead of writing gigabytes."""
    limit = int(settings.get("CALENDAR_MAX_OCCURRENCES", MAX_OCCURRENCES))
    per_file: dict[str, int] = {}
    for event in events:
        per_file[event.source_path] = per_file.get(event.source_path, 0) + max(
            len(event.occurrences or ()), 1
        )
    total = sum(per_file.values())
    if total <= limit:
        return
    biggest = max(per_file, key=per_file.get)
    errors.add(
        biggest,
        1,
        1,
        f"the calendar holds {total} events and dates in the "
        f"window the site shows, more than CALENDAR_MAX_OCCURRENCES = {limit}; "
        f"this file has {per_file[biggest]} of them. Remove old events or end "
        "long series with 'until:' (or raise the setting).",
    )


def _check_duplicate_ids(events: list[Event], errors) -> None:
    first: dict[tuple[str, str], Event] = {}
    for event in sorted(events, key=lambda e: (e.source_path, e.line)):
        seen = first.setdefault((event.owner, event.id), event)
        if seen is event:
            continue
        errors.add(
            event.source_path,
            event.id_pos[0],
            event.id_pos[1],
            f"duplicate id '{event.id}' in group '{event.owner}': "
            f"{os.path.basename(seen.source_path)} line {seen.id_pos[0]} already "
            f"uses it. Give this event its own id, e.g. '{event.id}-2'.",
        )
    events[:] = [e for e in events if first[(e.owner, e.id)] is e]


class CalendarFile:
    """One YAML file: its owner (group or branch) and its events."""

    def __init__(self, path: str, config: ParseConfig):
        self.path = path
        self.config = config

    def problem(self, pos, message: str) -> None:
        self.config.errors.add(self.path, pos[0], pos[1], message)

    def read(self) -> list[Event]:
        try:
            data = load(read_text(self.path))
        except (UnreadableFile, YamlSyntaxError) as exc:
            self.problem((exc.line, exc.col), exc.message)
            return []
        if data is None:
            return []
        if not isinstance(data, YamlMap):
            self.problem(
                (1, 1),
                "a calendar file starts with 'events:' followed by a list "
                "of events, each starting with '- id: …'.",
            )
            return []
        self.unknown_keys(data, FILE_KEYS, "file")
        owner = self._owner(data)
        items = data.get("events")
        if items is None:
            return []
        if not isinstance(items, YamlList):
            self.problem(
                data.pos("events"),
                "'events:' must be a list: start each event on a new line with '- id: …'.",
            )
            return []
        events = []
        for index, item in enumerate(items):
            if not isinstance(item, YamlMap):
                self.problem(
                    items.pos(index),
                    "each event is a block of 'key: value' lines starting with '- id: …'.",
                )
                continue
            event = EventReader(self, item, owner).read()
            if event is not None:
                events.append(event)
        return events

    def unknown_keys(self, data: YamlMap, known, what: str) -> None:
        for key in data:
            name = text(key)
            if name not in known:
                self.problem(
                    data.key_pos[key],
                    f"unknown {what} key '{name}'."
                    f"{grasrot_core.did_you_mean(name, known)}"
                    f" Allowed: {', '.join(known)}.",
                )

    def _owner(self, data: YamlMap) -> str:
        """The group slug this file's events belong to (or the branch slug)."""
        if "group" in data:
            return self.owner_named(text(data["group"]), data.pos("group"), "'group:'")
        slug = os.path.splitext(os.path.basename(self.path))[0]
        return self.owner_named(
            slug, (1, 1), f"the file name ({os.path.basename(self.path)})"
        )

    def owner_named(self, slug: str, pos, where: str) -> str:
        """`slug` as this file's owner: the branch, or a group that exists."""
        branch = self.config.branch_slug
        if not slug or slug == branch:
            return branch
        registry = self.config.groups
        if slug in RESERVED_OWNERS:
            self.problem(
                pos,
                f"'{slug}' is a folder of the calendar itself and cannot "
                "be a group: rename the file or set 'group:'.",
            )
        elif registry is not None and slug not in registry:
            self.problem(
                pos,
                f"{where} names an {registry.unknown_message(slug)} "
                f"Branch-wide events go in a file with 'group: {branch}'.",
            )
        elif registry is not None:
            return registry.canonical(slug)  # 'västra-ekdala' is 'vastra-ekdala'
        return slug


class EventReader:
    """One `- id: …` block -> an Event with its occurrences, or None with problems."""

    def __init__(self, file: CalendarFile, item: YamlMap, owner: str):
        self.file = file
        self.config = file.config
        self.item = item
        self.owner = owner
        self.ok = True

    def problem(self, key_or_pos, message: str) -> None:
        pos = key_or_pos if isinstance(key_or_pos, tuple) else self.item.pos(key_or_pos)
        self.ok = False
        self.file.problem(pos, message)

    def value(self, key, parse, *args):
        """Parse item[key] with `parse`; None (and a reported problem) when it fails."""
        if key not in self.item or self.item[key] is None or text(self.item[key]) == "":
            return None
        try:
            return parse(self.item[key], key, *args)
        except BadValue as exc:
            self.problem(key, str(exc))
            return None

    def read(self) -> Event | None:
        self._unknown_keys()
        event_id = self._id()
        title = text(self.item.get("title"))
        if not title:
            where = "title" if "title" in self.item else (self.item.line, self.item.col)
            self.problem(where, "missing title: add e.g. 'title: Medlemsmöte'.")
        when = self._when()
        details = self._details()
        if not self.ok or when is None or event_id is None:
            return None
        start, end, all_day = when
        event = Event(
            id=event_id,
            owner=self.owner,
            group=None if self.owner == self.config.branch_slug else self.owner,
            title=title,
            start=start,
            end=end,
            all_day=all_day,
            source_path=self.file.path,
            line=self.item.line,
            id_pos=self.item.pos("id"),
            tz=self.config.tz,
            url=f"{CALENDAR_DIR}/{self.owner}/{event_id}/",
            ics_url=f"{CALENDAR_DIR}/{self.owner}/{event_id}/{event_id}.ics",
            **details,
        )
        event.recurrence = self._recurrence(event)
        if not self.ok:
            return None
        expand(event, self.config)
        self._check_local_times(event)
        return event if self.ok else None

    def _unknown_keys(self) -> None:
        before = len(self.config.errors)
        self.file.unknown_keys(self.item, EVENT_KEYS, "event")
        if len(self.config.errors) > before:
            self.ok = False  # a misspelt field would silently lose its value

    def _id(self) -> str | None:
        raw = text(self.item.get("id"))
        if not raw:
            self.problem(
                (self.item.line, self.item.col),
                "missing id: add e.g. 'id: medlemsmote' (a-z, 0-9 and '-'; it "
                "names the event in web addresses and calendar apps, so never "
                "change it).",
            )
            return None
        if not ID_PATTERN.match(raw):
            suggestion = slugify(raw, regex_subs=self.config.slug_substitutions)
            self.problem(
                "id", f"id '{raw}' may only use a-z, 0-9 and '-': write 'id: {suggestion}'."
            )
            return None
        return raw

    # --- When --------------------------------------------------------------------

    def _when(self):
        """(start, end, all_day): aware datetimes, or dates with inclusive last day."""
        has_start, has_date = "start" in self.item, "date" in self.item
        if has_start and has_date:
            self.problem(
                "date",
                "an event has either 'start:' (with a time) or 'date:' "
                "(all day), not both: remove one.",
            )
            return None
        if not has_start and not has_date:
            self.problem(
                (self.item.line, self.item.col),
                "missing start: add 'start: \"2026-03-15 18:30\"', or 'date: "
                "2026-03-15' for an all-day event.",
            )
            return None
        return self._all_day() if has_date else self._timed()

    def _timed(self):
        if "last_date" in self.item:
            self.problem(
                "last_date",
                "'last_date:' belongs to all-day events (with "
                "'date:'); with 'start:' write "
                "'end: \"2026-03-16 16:00\"'.",
            )
        start = self.value("start", parse_datetime)
        if start is None:
            if "start" in self.item and text(self.item["start"]) == "":
                self.problem(
                    "start", "'start:' is empty: write 'start: \"2026-03-15 18:30\"'."
                )
            return None
        end = self.value("end", parse_time_or_datetime, start.date())
        if end is not None and end < start:
            self.problem(
                "end",
                f"the event ends ('end: {text(self.item['end'])}') before "
                f"it starts ('start: {text(self.item['start'])}'): check "
                "'end:'; an event past "
                "midnight needs the date, e.g. "
                "'end: \"2026-03-16 01:00\"'.",
            )
            return None
        return start, end, False

    def _all_day(self):
        if "end" in self.item:
            self.problem(
                "end",
                "all-day events end with 'last_date: 2026-03-17' (the last "
                "day), not 'end:'.",
            )
        first = self.value("date", parse_date)
        if first is None:
            if text(self.item.get("date")) == "":
                self.problem("date", "'date:' is empty: write 'date: 2026-03-15'.")
            return None
        last = self.value("last_date", parse_date) or first
        if last < first:
            self.problem(
                "last_date",
                f"'last_date: {text(self.item['last_date'])}' is "
                f"before 'date: {text(self.item['date'])}': the last "
                "day must be the same day or later.",
            )
            return None
        return first, last, True

    # --- What, where -------------------------------------------------------------

    def _image(self) -> dict:
        """`image:` (a picture under content/images/) with its required `image_alt:`."""
        image, alt = text(self.item.get("image")), text(self.item.get("image_alt"))
        problems = image_problems(image, alt, self.config.raw)
        for key, message in problems:
            self.problem(key, message)
        if problems:
            return {}
        return {"image": normalise_image_path(image), "image_alt": alt}

    def _details(self) -> dict:
        categories = parse_list(self.item.get("categories") or [])
        description = text(self.item.get("description"))
        description_html = self.config.markdown_html(description)
        return {
            "location": text(self.item.get("location")),
            "online": self.value("online", parse_link) or "",
            "registration": self.value("registration", parse_link) or "",
            "registration_deadline": self.value(
                "registration_deadline", parse_date_or_datetime
            ),
            "updated": self.value("updated", parse_date),
            "status": self._status(self.item, "status") or "confirmed",
            "description": description,
            "description_html": description_html,
            "description_text": html_to_text(description_html, width=None).strip(),
            "categories": categories,
            "category_slugs": [
                slugify(c, regex_subs=self.config.slug_substitutions) for c in categories
            ],
            **self._image(),
        }

    def _status(self, data: YamlMap, key: str) -> str | None:
        if key not in data:
            return None
        status = text(data[key]).lower()
        if status in STATUSES:
            return status
        hint = (
            f" Did you mean '{SWEDISH_STATUS[status]}'?"
            if status in SWEDISH_STATUS
            else grasrot_core.did_you_mean(status, STATUSES)
        )
        self.problem(
            data.pos(key),
            f"unknown status '{status}': use one of {', '.join(STATUSES)}.{hint}",
        )
        return None

    # --- Recurrence --------------------------------------------------------------

    def _recurrence(self, event: Event):
        repeat, expert = self.item.get("repeat"), self.item.get("rrule")
        if repeat is None and expert is None:
            return None
        if repeat is not None and not isinstance(repeat, YamlMap):
            self.problem(
                "repeat",
                "'repeat:' is a block of lines such as 'every: month' "
                "and 'on: 15', indented under it.",
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
                f"until {_day(until)} is before the start {_day(event.start)}: "
                "the series would have no dates. Check the year.",
            )
            return None
        try:
            first = series.first_start(dtstart)
        except (ValueError, TypeError) as exc:
            self.problem(
                "rrule" if expert is not None else "repeat",
                f"this rule cannot be used: {exc}.",
            )
            return None
        if first is None:
            self.problem(
                "repeat" if "repeat" in self.item else "rrule",
                "this series has no dates after its start: check 'on:' and 'until:'.",
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
                " For a series without an end, leave out 'count:' and 'until:'."
                if key == "count"
                else ""
            )
            self.problem(
                where,
                f"'{key}: {value}' is more than a calendar can hold: "
                f"{key} is at most {limit}.{hint}",
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
                "this series would run past the year 9999: lower 'count:' or 'interval:'.",
            )
            return False
        return True

    def _readable_rule(self, repeat: YamlMap):
        every = text(repeat.get("every")).lower()
        if not every:
            self.problem(
                repeat.pos("every") if "every" in repeat else "repeat",
                "missing 'every:' in repeat: write 'every: week', 'every: month' "
                "or 'every: year'.",
            )
            return None, None
        if every not in rec.FREQUENCIES:
            self.problem(
                repeat.pos("every"),
                f"unknown 'every: {every}': use week, month or year (with "
                f"'interval: 2' for every other)."
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
                self.problem(repeat.pos("on"), f"{exc}.")
                return None, None
        return self._bounds(repeat, parts)

    def _bounds(self, repeat: YamlMap, parts: dict):
        if "until" in repeat and "count" in repeat:
            self.problem(
                repeat.pos("count"),
                "a series ends with 'until:' or 'count:', not both: remove one.",
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
                    f"'{key}:' and 'rrule:' both describe "
                    f"the series: keep one (remove '{key}:' "
                    "or 'rrule:').",
                )
                return None, None
        try:
            parts = rec.parse_rrule_text(text(self.item["rrule"]))
            until = self._rrule_until(parts.pop("UNTIL", None))
            if until is not None and "COUNT" in parts:
                raise rec.RuleError("COUNT and UNTIL together: keep one")
            rec.Recurrence(parts=parts, until=until).rule(datetime(2000, 1, 1))
        except (rec.RuleError, ValueError) as exc:
            self.problem(
                "rrule",
                f"this rrule cannot be read: {exc}. Write e.g. "
                "'rrule: FREQ=MONTHLY;BYDAY=3TH' or use 'repeat:'.",
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
            raise rec.RuleError(f"UNTIL={value} is not a date such as 20270601") from None

    def _repeat_value(self, repeat: YamlMap, key: str, parse):
        try:
            return parse(repeat[key], key)
        except BadValue as exc:
            self.problem(repeat.pos(key), str(exc))
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
                    f"except {day} is not a date of this series: "
                    f"{_nearby(series, dtstart, day)}",
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
                self.problem(items.pos(index), str(exc))
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
                "'pause:' is a list of ranges: write "
                "'- {from: 2027-06-16, to: 2027-08-14}'.",
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
                "each pause is '- {from: 2027-06-16, to: 2027-08-14}', "
                "'- {from: 06-16, to: 08-14}' (every year) or "
                "'- {months: [juni, juli, augusti]}'.",
            )
            return None
        self.file.unknown_keys(item, PAUSE_KEYS, "pause")
        try:
            return yearly_breaks.parse_pause(item)
        except BadValue as exc:
            self.problem(pos, str(exc))
            return None

    def _changes(self, repeat: YamlMap, series, event: Event) -> None:
        items = repeat.get("changes")
        if items is None:
            return
        if not isinstance(items, YamlList):
            self.problem(
                repeat.pos("changes"),
                "'changes:' is a list: start each change with '- date: 2026-12-15'.",
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
                "each change starts with the date of the occurrence it "
                "changes: '- date: 2026-12-15'.",
            )
            return None
        self.file.unknown_keys(item, CHANGE_KEYS, "change")
        try:
            day = parse_date(item["date"], "date")
        except BadValue as exc:
            self.problem(item.pos("date"), str(exc))
            return None
        if not series.starts_on(dtstart, day):
            self.problem(
                item.pos("date"),
                f"changes: {day} is not a date of this series: "
                f"{_nearby(series, dtstart, day)}",
            )
            return None
        if day in excluded:
            self.problem(
                item.pos("date"),
                f"changes: {day} is removed by 'except:' or "
                "'pause:'; change it or remove it, not both.",
            )
            return None
        change = rec.Change(
            original=day,
            line=pos[0],
            col=pos[1],
            location=_optional_text(item, "location"),
            title=_optional_text(item, "title"),
            note=text(item.get("note")),
            status=self._status(item, "status"),
        )
        try:
            if "online" in item:
                change.online = parse_link(item["online"], "online")
            self._change_times(item, change, event)
        except BadValue as exc:
            self.problem(pos, str(exc))
            return None
        return change

    def _change_times(self, item: YamlMap, change, event: Event) -> None:
        if event.all_day:
            if "end" in item:
                raise BadValue(
                    "an all-day series moves with 'start: 2026-12-16' (a date) only."
                )
            if "start" in item:
                change.start = parse_date(item["start"], "start")
            return
        if "start" in item:
            change.start = parse_time_or_datetime(item["start"], "start", change.original)
        if "end" in item:
            day = _day(change.start) if change.start is not None else change.original
            change.end = parse_time_or_datetime(item["end"], "end", day)

    def _check_local_times(self, event: Event) -> None:
        """A local time in the spring-forward gap does not exist: say so, once."""
        if event.all_day:
            return
        for occurrence in event.occurrences:
            for moment, key in ((occurrence.start, "start"), (occurrence.end, "end")):
                if moment is None or _exists(moment):
                    continue
                self.problem(
                    key if key in self.item else "start",
                    f"{moment:%Y-%m-%d %H:%M} does not exist in "
                    f"{self.config.tz.key}: clocks jump from 02:00 to 03:00 that "
                    "night. Use 03:00 or later (or before 02:00).",
                )
                return


def _optional_text(item: YamlMap, key: str):
    return text(item[key]) if key in item else None


def _exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped by a DST change."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


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
        return "the series has no dates near it; check the year."
    return f"nearby dates are {', '.join(dates)}."
