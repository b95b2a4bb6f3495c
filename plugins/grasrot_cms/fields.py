"""Decap CMS form fields for the kit's keys: widget, label, hint, options.

Labels and hints are English msgids translated with the site's catalogs
(theme/translations/<lang>/LC_MESSAGES/cms.po). A key without an entry here
still gets a text field, so a key added to the kit is never missing from the
editor.
"""

from __future__ import annotations

from typing import Any

from grasrot_calendar.model import STATUSES as EVENT_STATUSES
from grasrot_calendar.recurrence import FREQUENCIES
from grasrot_core.reader import STATUSES as POST_STATUSES
from grasrot_groups.model import KIND_LABELS

from .schema import nested_keys

# Option labels (msgids) for the kit's fixed values; a value missing here keeps
# its own name as label.
POST_STATUS_LABELS = {
    status: {
        "published": "Published",
        "draft": "Draft",
        "hidden": "Hidden (public, not listed)",
    }.get(status, status)
    for status in POST_STATUSES
}
EVENT_STATUS_LABELS = {
    status: {
        "confirmed": "Confirmed",
        "tentative": "Tentative",
        "cancelled": "Cancelled",
    }.get(status, status)
    for status in EVENT_STATUSES
}
EVERY_LABELS = {
    every: {"day": "Day", "week": "Week", "month": "Month", "year": "Year"}.get(
        every, every
    )
    for every in FREQUENCIES
}

# Decap widget settings, passed on as keyword arguments to FieldMaker.labelled.
DATETIME: dict[str, Any] = {
    "widget": "datetime",
    "format": "YYYY-MM-DD HH:mm",
    "date_format": "YYYY-MM-DD",
    "time_format": "HH:mm",
    "picker_utc": False,
}
DATE: dict[str, Any] = {
    "widget": "datetime",
    "format": "YYYY-MM-DD",
    "date_format": "YYYY-MM-DD",
    "time_format": False,
    "picker_utc": False,
}
LINK_PATTERN = ["^https?://", "Start the link with https://"]


class FieldMaker:
    """Builds the Decap field for one key of one collection."""

    def __init__(self, gettext, group_options: list[dict]):
        self._ = gettext
        self.group_options = group_options

    def field(self, collection: str, key: str) -> dict:
        maker = getattr(self, f"_{collection}_{key}", None) or getattr(
            self, f"_{key}", None
        )
        spec = maker() if maker else {"label": key, "widget": "string"}
        spec.setdefault("required", False)
        return {"name": key, **spec}

    def options(self, labels: dict) -> list[dict]:
        return [{"label": self._(label), "value": value} for value, label in labels.items()]

    def labelled(self, label: str, hint: str = "", **spec) -> dict:
        result = {"label": self._(label), **spec}
        if hint:
            result["hint"] = self._(hint)
        if "pattern" in result:
            result["pattern"] = [result["pattern"][0], self._(result["pattern"][1])]
        return result

    # --- Posts and pages -------------------------------------------------------------

    def _title(self):
        return self.labelled("Title", widget="string", required=True)

    def _date(self):
        return self.labelled(
            "Date",
            "Date and time shown on the post.",
            required=True,
            default="{{now}}",
            **DATETIME,
        )

    def _pages_date(self):
        return self.labelled("Date", "Optional on a page.", **DATETIME)

    def _groups(self):
        return self.labelled(
            "Groups",
            "The groups this post belongs to.",
            widget="select",
            multiple=True,
            options=self.group_options,
        )

    def _tags(self):
        return self.labelled("Tags", "Separate with commas.", widget="list")

    def _summary(self):
        return self.labelled(
            "Summary",
            "One or two sentences for lists, feeds and search engines.",
            widget="text",
        )

    def _image(self):
        return self.labelled(
            "Image",
            "A picture uploaded to content/images/.",
            widget="image",
            choose_url=False,
        )

    def _image_alt(self):
        return self.labelled(
            "Image description (alt text)",
            "Required with a picture: what it shows, for readers who cannot see it.",
            widget="string",
        )

    def _status(self):
        return self.labelled(
            "Status",
            "draft is never published; hidden is public but not listed.",
            widget="select",
            options=self.options(POST_STATUS_LABELS),
            default="published",
        )

    def _menu_order(self):
        return self.labelled(
            "Place in the menu",
            "A number; leave empty to keep the page out of the menu.",
            widget="number",
            value_type="int",
        )

    def _menu_title(self):
        return self.labelled("Menu title", "A shorter title for the menu.", widget="string")

    def _home(self):
        return self.labelled(
            "Home page intro",
            "Shown at the top of the home page.",
            widget="boolean",
            default=False,
        )

    def _include_events(self):
        return self.labelled(
            "Include events (days)",
            "Adds the calendar's events of this many days ahead, e.g. 30.",
            widget="number",
            value_type="int",
        )

    # --- Groups ----------------------------------------------------------------------

    def _kind(self):
        return self.labelled(
            "Kind", widget="select", options=self.options(KIND_LABELS), required=True
        )

    def _areas(self):
        return self.labelled(
            "Areas", "District groups only; separate with commas.", widget="list"
        )

    def _convenors(self):
        return self.labelled(
            "Convenors", "Name <e-mail>, separated with commas.", widget="list"
        )

    def _contact_person(self):
        return self.labelled("Contact person", "Name <e-mail>", widget="string")

    def _email(self):
        return self.labelled("E-mail", widget="string")

    def _meets(self):
        return self.labelled("Meets", "When and where the group meets.", widget="string")

    def _join(self):
        return self.labelled("How to join", widget="text")

    # --- Events ----------------------------------------------------------------------

    def _events_start(self):
        return self.labelled(
            "Starts", "Local time. Leave empty for an all-day event.", **DATETIME
        )

    def _events_end(self):
        return self.labelled("Ends", "Local time.", **DATETIME)

    def _events_date(self):
        return self.labelled(
            "All-day: date", "For an all-day event instead of Starts.", **DATE
        )

    def _last_date(self):
        return self.labelled("All-day: last day", "For an event over several days.", **DATE)

    def _location(self):
        return self.labelled("Place", widget="string")

    def _online(self):
        return self.labelled("Online link", widget="string", pattern=LINK_PATTERN)

    def _description(self):
        return self.labelled("Description", widget="text")

    def _categories(self):
        return self.labelled("Categories", "Separate with commas.", widget="list")

    def _events_status(self):
        return self.labelled(
            "Status",
            widget="select",
            options=self.options(EVENT_STATUS_LABELS),
            default="confirmed",
        )

    def _registration(self):
        return self.labelled("Registration link", widget="string", pattern=LINK_PATTERN)

    def _registration_deadline(self):
        return self.labelled("Registration deadline", **DATETIME)

    def _updated(self):
        return self.labelled(
            "Last changed", "Calendars show the change when this is set.", **DATE
        )

    def _repeat(self):
        return self.labelled(
            "Repeats",
            "Leave empty for a one-off event.",
            widget="object",
            collapsed=True,
            fields=self.repeat_fields(),
        )

    def repeat_fields(self) -> list[dict]:
        known = {
            "every": self.labelled(
                "Every", widget="select", options=self.options(EVERY_LABELS)
            ),
            "interval": self.labelled(
                "Interval",
                "2 for every other week or month.",
                widget="number",
                value_type="int",
                min=1,
            ),
            "on": self.labelled(
                "On",
                "Day of the month (15), weekday (wednesday) or "
                "e.g. first tuesday; separate with commas.",
                widget="list",
            ),
            "until": self.labelled("Until", "The last date of the series.", **DATE),
            "count": self.labelled(
                "Number of times",
                "Instead of Until.",
                widget="number",
                value_type="int",
                min=1,
            ),
            "except": self.labelled(
                "Except on",
                widget="list",
                field={"name": "date", "label": self._("Date"), **DATE},
            ),
            "pause": self.labelled(
                "Pauses", "E.g. a summer break.", widget="list", fields=self.pause_fields()
            ),
            "changes": self.labelled(
                "Changed occurrences", widget="list", fields=self.change_fields()
            ),
        }
        return self.nested(("events", "repeat"), known)

    def pause_fields(self) -> list[dict]:
        day = [
            "^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$",
            "Write 2027-06-16, or 06-16 for every year",
        ]
        known = {
            "from": self.labelled(
                "From",
                "2027-06-16 once, or 06-16 every year.",
                widget="string",
                pattern=day,
            ),
            "to": self.labelled("To", widget="string", pattern=day),
            "months": self.labelled(
                "Whole months", "Every year, e.g. juni, juli, augusti.", widget="list"
            ),
        }
        return self.nested(("events", "repeat", "pause"), known)

    def change_fields(self) -> list[dict]:
        known = {
            "date": self.labelled("Date of the occurrence", required=True, **DATE),
            "start": self.labelled("Starts", **DATETIME),
            "end": self.labelled("Ends", **DATETIME),
            "location": self._location(),
            "online": self._online(),
            "status": self.labelled(
                "Status", widget="select", options=self.options(EVENT_STATUS_LABELS)
            ),
            "title": self.labelled("Title", widget="string"),
            "note": self.labelled("Note", widget="string"),
        }
        return self.nested(("events", "repeat", "changes"), known)

    def nested(self, where: tuple[str, ...], known: dict) -> list[dict]:
        """The fields of a structured key, in the kit's order; unknown ones as text."""
        return [
            {
                "name": key,
                "required": False,
                **(known.get(key) or {"label": key, "widget": "string"}),
            }
            for key in nested_keys()[where]
        ]
