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
import grasrot_groups
from grasrot_core.dates import site_timezone
from grasrot_core.images import image_problems, normalise_image_path
from grasrot_core.markdown_html import markdown_renderer, render_markdown
from grasrot_core.messages import message_of, msg
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
        self._category_slugs: dict[str, str] = {}

    def markdown_html(self, source: str) -> str:
        return render_markdown(self.markdown, source)

    def category_slug(self, name: str) -> str:
        """A category's slug, made once per build (most events share a few)."""
        slug = self._category_slugs.get(name)
        if slug is None:
            slug = slugify(name, regex_subs=self.slug_substitutions)
            self._category_slugs[name] = slug
        return slug


def _group_registry(settings):
    """grasrot_groups' registry (that plugin comes before the calendar)."""
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
        msg(
            "the calendar holds {total} events and dates in the "
            "window the site shows, more than CALENDAR_MAX_OCCURRENCES = {limit}; "
            "this file has {here} of them. Remove old events or end "
            "long series with 'until:' (or raise the setting).",
            total=total,
            limit=limit,
            here=per_file[biggest],
        ),
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
            msg(
                "duplicate id '{id}' in group '{group}': {file} line {line} already "
                "uses it. Give this event its own id, e.g. '{id}-2'.",
                id=event.id,
                group=event.owner,
                file=os.path.basename(seen.source_path),
                line=seen.id_pos[0],
            ),
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
                msg(
                    "a calendar file starts with 'events:' followed by a list "
                    "of events, each starting with '- id: …'."
                ),
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
                msg(
                    "'events:' must be a list: start each event on a new line "
                    "with '- id: …'."
                ),
            )
            return []
        events = []
        for index, item in enumerate(items):
            if not isinstance(item, YamlMap):
                self.problem(
                    items.pos(index),
                    msg(
                        "each event is a block of 'key: value' lines starting "
                        "with '- id: …'."
                    ),
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
                    _unknown_key(what, name, known),
                )

    def _owner(self, data: YamlMap) -> str:
        """The group slug this file's events belong to (or the branch slug)."""
        if "group" in data:
            return self.owner_named(text(data["group"]), data.pos("group"), "'group:'")
        slug = os.path.splitext(os.path.basename(self.path))[0]
        return self.owner_named(
            slug, (1, 1), msg("the file name ({name})", name=os.path.basename(self.path))
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
                msg(
                    "'{slug}' is a folder of the calendar itself and cannot "
                    "be a group: rename the file or set 'group:'.",
                    slug=slug,
                ),
            )
        elif registry is not None and slug not in registry:
            self.problem(
                pos,
                msg(
                    "{where} names an {problem} "
                    "Branch-wide events go in a file with 'group: {branch}'.",
                    where=where,
                    problem=registry.unknown_message(slug),
                    branch=branch,
                ),
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
            self.problem(key, message_of(exc))
            return None

    def read(self) -> Event | None:
        self._unknown_keys()
        event_id = self._id()
        title = text(self.item.get("title"))
        if not title:
            where = "title" if "title" in self.item else (self.item.line, self.item.col)
            self.problem(where, msg("missing title: add e.g. 'title: Medlemsmöte'."))
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
                msg(
                    "missing id: add e.g. 'id: medlemsmote' (a-z, 0-9 and '-'; it "
                    "names the event in web addresses and calendar apps, so never "
                    "change it)."
                ),
            )
            return None
        if not ID_PATTERN.match(raw):
            suggestion = slugify(raw, regex_subs=self.config.slug_substitutions)
            self.problem(
                "id",
                msg(
                    "id '{raw}' may only use a-z, 0-9 and '-': write 'id: {suggestion}'.",
                    raw=raw,
                    suggestion=suggestion,
                ),
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
                msg(
                    "an event has either 'start:' (with a time) or 'date:' "
                    "(all day), not both: remove one."
                ),
            )
            return None
        if not has_start and not has_date:
            self.problem(
                (self.item.line, self.item.col),
                msg(
                    "missing start: add 'start: \"2026-03-15 18:30\"', or 'date: "
                    "2026-03-15' for an all-day event."
                ),
            )
            return None
        return self._all_day() if has_date else self._timed()

    def _timed(self):
        if "last_date" in self.item:
            self.problem(
                "last_date",
                msg(
                    "'last_date:' belongs to all-day events (with "
                    "'date:'); with 'start:' write "
                    "'end: \"2026-03-16 16:00\"'."
                ),
            )
        start = self.value("start", parse_datetime)
        if start is None:
            if "start" in self.item and text(self.item["start"]) == "":
                self.problem(
                    "start", msg("'start:' is empty: write 'start: \"2026-03-15 18:30\"'.")
                )
            return None
        end = self.value("end", parse_time_or_datetime, start.date())
        if end is not None and end < start:
            self.problem(
                "end",
                msg(
                    "the event ends ('end: {end}') before it starts "
                    "('start: {start}'): check 'end:'; an event past "
                    "midnight needs the date, e.g. 'end: \"2026-03-16 01:00\"'.",
                    end=text(self.item["end"]),
                    start=text(self.item["start"]),
                ),
            )
            return None
        return start, end, False

    def _all_day(self):
        if "end" in self.item:
            self.problem(
                "end",
                msg(
                    "all-day events end with 'last_date: 2026-03-17' (the last "
                    "day), not 'end:'."
                ),
            )
        first = self.value("date", parse_date)
        if first is None:
            if text(self.item.get("date")) == "":
                self.problem("date", msg("'date:' is empty: write 'date: 2026-03-15'."))
            return None
        last = self.value("last_date", parse_date) or first
        if last < first:
            self.problem(
                "last_date",
                msg(
                    "'last_date: {last}' is before 'date: {first}': the last "
                    "day must be the same day or later.",
                    last=text(self.item["last_date"]),
                    first=text(self.item["date"]),
                ),
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
            "category_slugs": [self.config.category_slug(c) for c in categories],
            **self._image(),
        }

    def status(self, data: YamlMap, key: str) -> str | None:
        if key not in data:
            return None
        status = text(data[key]).lower()
        if status in STATUSES:
            return status
        hint = (
            msg(" Did you mean '{word}'?", word=SWEDISH_STATUS[status])
            if status in SWEDISH_STATUS
            else grasrot_core.did_you_mean(status, STATUSES)
        )
        self.problem(
            data.pos(key),
            msg(
                "unknown status '{value}': use one of {choices}.{hint}",
                value=status,
                choices=", ".join(STATUSES),
                hint=hint,
            ),
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
                    msg(
                        "{moment} does not exist in {zone}: clocks jump from 02:00 to "
                        "03:00 that night. Use 03:00 or later (or before 02:00).",
                        moment=f"{moment:%Y-%m-%d %H:%M}",
                        zone=self.config.tz.key,
                    ),
                )
                return


def _unknown_key(what: str, name: str, known):
    """'unknown event key …', with the block's name in the rendering language."""
    values = {
        "name": name,
        "hint": grasrot_core.did_you_mean(name, known),
        "allowed": ", ".join(known),
    }
    templates = {
        "file": msg("unknown file key '{name}'.{hint} Allowed: {allowed}.", **values),
        "event": msg("unknown event key '{name}'.{hint} Allowed: {allowed}.", **values),
        "repeat": msg("unknown repeat key '{name}'.{hint} Allowed: {allowed}.", **values),
        "pause": msg("unknown pause key '{name}'.{hint} Allowed: {allowed}.", **values),
        "change": msg("unknown change key '{name}'.{hint} Allowed: {allowed}.", **values),
    }
    return templates[what]


def _exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped by a DST change."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)
