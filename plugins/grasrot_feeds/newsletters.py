"""Newsletters: their own template, a table of contents, the calendar's events, an archive.

A newsletter is a post in content/newsletters/. Officers write sections as
`## Heading`; the page lists them at the top. With `include_events: 30` the
newsletter shows the branch calendar's events of the 30 days from its date,
so nobody retypes DATE / TIME / PLACE blocks. All of it is computed here,
in Python; the templates only format it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from math import ceil

import lxml.html

import grasrot_core
import grasrot_groups
from grasrot_core import content_section
from grasrot_core.dates import build_date, site_timezone
from grasrot_core.messages import msg
from grasrot_core.sections import NEWSLETTERS

from .posts import public_posts
from .urls import is_absolute

SECTION = NEWSLETTERS.name
TEMPLATE = "newsletters/newsletter"
ARCHIVE_PARTIAL = "newsletters/archive.html"
CATEGORY_SLUG = NEWSLETTERS.slug
EVENTS_KEY = "include_events"
EVENT_GROUPS_KEY = "include_events_groups"
MAX_EVENT_DAYS = 366


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass(frozen=True)
class IncludedEvent:
    """One calendar occurrence as a newsletter shows it (DATE / TIME / PLACE)."""

    title: str
    start: object
    end: object
    all_day: bool
    location: str
    online: str
    status: str
    href: str
    registration: str = ""  # the sign-up link
    registration_deadline: object = None  # a date or datetime


@dataclass(frozen=True)
class NewsletterYear:
    year: int
    newsletters: list


def is_newsletter(article) -> bool:
    return content_section(article) == SECTION


def newsletter_sections(html: str) -> list[Section]:
    """The `## Heading` sections (h2 with the id Markdown's toc gave them)."""
    if not html or not html.strip():
        return []
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        Section(h2.get("id"), " ".join(h2.text_content().split()))
        for h2 in wrapper.iter("h2")
        if h2.get("id")
    ]


def event_days(article) -> int | None:
    """`include_events: 30` -> 30; reports a value that is not a day count."""
    raw = article.metadata.get(EVENTS_KEY)
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if text.isdigit() and 1 <= int(text) <= MAX_EVENT_DAYS:
        return int(text)
    grasrot_core.collector(article.settings).add(
        article.source_path,
        grasrot_core.meta_line(article, EVENTS_KEY),
        1,
        msg(
            "'{key}: {value}' is not a number of days: write e.g. "
            "'{key}: 30' (the events of the 30 days from the newsletter's "
            "date, 1 to {most}), or remove the line.",
            key=EVENTS_KEY,
            value=raw,
            most=MAX_EVENT_DAYS,
        ),
    )
    return None


def _aware(value, settings) -> datetime:
    """Dates and naive datetimes in the site's zone, so all compare."""
    zone = site_timezone(settings)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    raise TypeError(f"not a date: {value!r}")


def occurrences_in_window(calendar, start: datetime, end: datetime, settings) -> list:
    """The calendar's occurrences with start <= occurrence.start < end.

    The shared contract gives `upcoming(days=…)`, which counts from the build
    date; a window that ended before the build date has no upcoming events.
    """
    now = build_date(settings)
    if end <= now:
        return []
    days_ahead = max(1, ceil((end - now) / timedelta(days=1)))
    found = calendar.upcoming(days=days_ahead)
    return [o for o in found if start <= _aware(o.start, settings) < end]


def included_event(occurrence, settings) -> IncludedEvent:
    url = getattr(occurrence, "url", "") or ""
    siteurl = settings.get("SITEURL", "")
    href = url if not url or is_absolute(url) else f"{siteurl}/{url.lstrip('/')}"
    event = getattr(occurrence, "event", None)
    return IncludedEvent(
        title=occurrence.title,
        start=occurrence.start,
        end=occurrence.end,
        all_day=bool(occurrence.all_day),
        location=occurrence.location or "",
        online=getattr(occurrence, "online", "") or "",
        status=getattr(occurrence, "status", "") or "",
        href=href,
        registration=getattr(event, "registration", "") or "",
        registration_deadline=getattr(event, "registration_deadline", None),
    )


def event_groups(article) -> set | None:
    """Whose events a letter shows: None for every group; else a set of group slugs
    (a letter with `groups:` shows those groups' and the branch's events).
    `include_events_groups: all` shows every group's, `include_events_groups:
    [a, b]` those groups' (and the branch's)."""
    from grasrot_core.reader import as_list

    wanted = article.metadata.get(EVENT_GROUPS_KEY)
    if wanted is not None:
        slugs = as_list(wanted)
        if [slug.lower() for slug in slugs] == ["all"]:
            return None
        return set(_known_groups(article, slugs))
    named = as_list(article.metadata.get("groups") or [])
    return set(named) if named else None


def _known_groups(article, slugs) -> list[str]:
    """The slugs of `include_events_groups:`, each checked like `groups:`."""
    registry = grasrot_groups.registry(article.settings)
    found = []
    for slug in slugs:
        canonical = registry.canonical(slug)
        if canonical is None:
            grasrot_core.collector(article.settings).add(
                article.source_path,
                grasrot_core.meta_line(article, EVENT_GROUPS_KEY),
                1,
                msg(
                    "{problem} Or write '{key}: all' for every group's events.",
                    problem=registry.unknown_message(slug),
                    key=EVENT_GROUPS_KEY,
                ),
            )
        else:
            found.append(canonical)
    return found


def attach_events(article, calendar, settings) -> None:
    """Give the newsletter `included_events` and how to explain an empty list."""
    days = event_days(article)
    article.events_days = days
    article.included_events = None
    article.events_calendar_missing = False
    article.events_window_passed = False
    if days is None:
        return
    if calendar is None:
        article.events_calendar_missing = True
        article.included_events = []
        return
    start = _aware(article.date, settings)
    end = start + timedelta(days=days)
    article.events_window_passed = end <= build_date(settings)
    found = occurrences_in_window(calendar, start, end, settings)
    groups = event_groups(article)
    if groups is not None:  # the named groups' events and the branch's own
        found = [o for o in found if o.group is None or o.group in groups]
    article.included_events = [included_event(o, settings) for o in found]


def prepare_newsletter(article, calendar, settings) -> None:
    """Template, sections and events for one newsletter (set in Python, not by officers)."""
    if "template" not in article.metadata:
        article.template = TEMPLATE
    article.sections = newsletter_sections(article.content)
    attach_events(article, calendar, settings)


def newsletters_by_year(articles) -> list[NewsletterYear]:
    """Public newsletters grouped by year, newest year and newest letter first."""
    letters = [a for a in public_posts(articles) if is_newsletter(a)]
    return [
        NewsletterYear(year, list(items))
        for year, items in groupby(letters, key=lambda a: a.date.year)
    ]


def template_globals(articles) -> dict:
    """What the newsletters category page needs (category.html includes the partial)."""
    return {
        "newsletters_by_year": newsletters_by_year(articles),
        "CATEGORY_PARTIALS": {CATEGORY_SLUG: ARCHIVE_PARTIAL},
    }
