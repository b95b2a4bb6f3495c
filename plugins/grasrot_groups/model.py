"""The group model: what a group file becomes, and what templates read.

A `Group` is built once per build from `content/groups/<slug>.md`. Other
plugins and templates only read it; this plugin later attaches the group's
recent news (`.news`) and a view of its upcoming calendar events
(`.upcoming`), resolved the first time a template asks for them, so it does
not matter in which order the plugins built their models.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import grasrot_core

KINDS = ("district", "network", "interest")

# English msgids, translated through the theme's catalogs (groups.po).
KIND_LABELS = {
    "district": "District group",
    "network": "Network",
    "interest": "Interest group",
}
KIND_HEADINGS = {
    "district": "District groups",
    "network": "Networks",
    "interest": "Interest groups",
}

DIRECTORY_URL = "grupper/"
GROUP_URL = "grupper/{slug}/"
FEED_RSS_URL = "feeds/grupp-{slug}.rss.xml"
FEED_ATOM_URL = "feeds/grupp-{slug}.atom.xml"


@dataclass(frozen=True)
class Person:
    """A convenor or contact person: a name, and an e-mail address if given."""

    name: str
    email: str = ""

    def __str__(self) -> str:
        return self.name


class CalendarLink:
    """A group's way to the calendar model, looked up when first needed.

    `context["calendar"]` is set by the calendar plugin (see
    docs/architecture.md); without it, groups simply have no events.
    """

    def __init__(self, context: dict, settings: dict):
        self.context = context
        self.events_limit = settings.get("GROUPS_EVENTS_LIMIT", 6)
        self.absolute_base = grasrot_core.site_address(settings)

    @property
    def calendar(self):
        return self.context.get("calendar")

    def upcoming(self, slug: str) -> list:
        if self.calendar is None:
            return []
        return list(self.calendar.upcoming(group=slug, limit=self.events_limit))

    def feed_url(self, slug: str) -> str:
        if self.calendar is None:
            return ""
        return relative_url(str(self.calendar.feed_url(slug)), self.absolute_base)

    def webcal_url(self, slug: str) -> str:
        """The calendar's webcal:// address of the group's feed ('' without one)."""
        return "" if self.calendar is None else str(self.calendar.webcal_url(slug))


def relative_url(url: str, absolute_base: str = "") -> str:
    """'kalender/ics/x.ics' whether given as that, '/kalender/…' or 'https://site/kalender/…'."""
    if absolute_base and url.startswith(absolute_base):
        url = url[len(absolute_base) :]
    return url.lstrip("/")


def fold(text: str) -> str:
    """'Skärholmen ' -> 'skarholmen': how the area finder compares names.

    The same folding runs in area-finder.js, so an area typed without
    diacritics or in any case finds its group.
    """
    decomposed = unicodedata.normalize("NFD", text.strip())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def swedish_sort_key(text: str) -> str:
    """Sort titles as Swedish readers expect: å, ä, ö after z, in that order."""
    return text.casefold().translate(
        {ord("å"): "z\x01", ord("ä"): "z\x02", ord("ö"): "z\x03"}
    )


@dataclass(eq=False)
class Group:
    slug: str
    title: str
    kind: str
    source_path: str
    description: str = ""  # HTML from the file's Markdown body
    summary: str = ""  # plain text, for lists and meta descriptions
    areas: list[str] = field(default_factory=list)
    convenors: list[Person] = field(default_factory=list)
    contact_person: Person | None = None
    email: str = ""
    meets: str = ""
    join: str = ""  # HTML from the `join:` Markdown
    image: str = ""  # path under the content folder, as written
    image_alt: str = ""
    area_positions: list = field(default_factory=list, repr=False)  # (line, col) per area
    postcodes: list = field(default_factory=list)  # postcodes.PostcodeRange
    postcodes_line: int = 1
    streets: list[str] = field(default_factory=list)
    kind_label: str = ""  # translated when the registry is built
    news: list = field(default_factory=list)  # recent public posts naming the group
    # Set by the plugin once the build's context exists (see CalendarLink).
    calendar_link: CalendarLink | None = field(default=None, repr=False)
    _upcoming: list | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return GROUP_URL.format(slug=self.slug)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def rss_url(self) -> str:
        return FEED_RSS_URL.format(slug=self.slug)

    @property
    def atom_url(self) -> str:
        return FEED_ATOM_URL.format(slug=self.slug)

    @property
    def upcoming(self) -> list:
        """This group's upcoming calendar occurrences ([] without a calendar).

        Asked of the calendar on first use, not when the groups are read: the
        calendar plugin builds its model after this one.
        """
        if self._upcoming is None:
            link = self.calendar_link
            self._upcoming = link.upcoming(self.slug) if link else []
        return self._upcoming

    @property
    def ics_url(self) -> str:
        """The group's iCalendar feed, relative to SITEURL ('' without a calendar)."""
        return self.calendar_link.feed_url(self.slug) if self.calendar_link else ""

    @property
    def webcal_url(self) -> str:
        """The same feed as webcal://, which calendar apps open as a subscription."""
        return self.calendar_link.webcal_url(self.slug) if self.calendar_link else ""

    @property
    def sort_key(self):
        return (
            KINDS.index(self.kind) if self.kind in KINDS else len(KINDS),
            swedish_sort_key(self.title),
            self.slug,
        )

    def __repr__(self) -> str:
        return f"Group({self.slug!r})"
