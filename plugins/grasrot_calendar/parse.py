"""Read `PATH/calendar/*.yaml` into Events, reporting every problem with its position.

Nothing here raises on bad content: each problem goes to the build's error
collector as `file:line:col: message`, and the event is skipped, so one run
lists all problems of all files.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from glob import glob

from pelican.utils import slugify

import grasrot_core
from grasrot_core.dates import site_timezone
from grasrot_core.images import image_problems, normalise_image_path
from grasrot_core.markdown_html import markdown_renderer, render_markdown
from grasrot_core.plaintext import html_to_text
from grasrot_core.textfile import UnreadableFile, read_text
from grasrot_core.yamlload import YamlList, YamlMap, YamlSyntaxError, load

from .expand import expand
from .model import CALENDAR_DIR, STATUSES, Event
from .repeat import RepeatReader
from .single import read_single_event, single_event_files
from .values import (
    ID_PATTERN,
    BadValue,
    parse_date,
    parse_date_or_datetime,
    parse_datetime,
    parse_link,
    parse_list,
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
# Events plus dates in the window the site shows, over all calendar files.
MAX_OCCURRENCES = 20_000
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
        event.recurrence = RepeatReader(self).read(event)
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
            "status": self.status(self.item, "status") or "confirmed",
            "description": description,
            "description_html": description_html,
            "description_text": html_to_text(description_html, width=None).strip(),
            "categories": categories,
            "category_slugs": [
                slugify(c, regex_subs=self.config.slug_substitutions) for c in categories
            ],
            **self._image(),
        }

    def status(self, data: YamlMap, key: str) -> str | None:
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


def _exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped by a DST change."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)
