"""Gräsrot calendar: YAML events, recurring meetings, calendar pages, .ics feeds.

`content/calendar/<group>.yaml` holds a group's events (docs/calendar.md).
The model is built in the generator's generate_context, where every content
problem is reported to grasrot_core's collector; pages and .ics files are
written in generate_output only.

Other plugins and templates use `context["calendar"]` / the Jinja global
`calendar` (see docs/architecture.md), or `model(settings)` from Python at any
phase. `build_model(settings)` builds a fresh model for benchmarks.
"""

from __future__ import annotations

from pelican import signals

from grasrot_core.dates import build_date

from .model import Calendar, Event, Occurrence  # noqa: F401 (the shared API)
from .parse import read_events

CACHE_KEY = "_GRASROT_CALENDAR"
TIMINGS_KEY = "GRASROT_TIMINGS"


def build_model(settings) -> Calendar:
    """Read, validate and expand every calendar file under settings["PATH"].

    Benchmarks call this to time the calendar alone. Content errors go to
    grasrot_core.collector(settings), as in a build.
    """
    now = build_date(settings)
    events = read_events(settings, now)
    return Calendar(events, now, settings, group_titles=group_titles(settings))


def model(settings) -> Calendar:
    """This build's calendar, built on first use (any phase, any plugin)."""
    cached = settings.get(CACHE_KEY)
    if cached is None:
        cached = settings[CACHE_KEY] = build_model(settings)
    return cached


def group_titles(settings) -> dict[str, str]:
    """slug -> title for every group, and the branch slug -> the site's name."""
    from .parse import _group_registry

    titles = {}
    registry = _group_registry(settings)
    for slug in getattr(registry, "slugs", []):
        titles[slug] = registry.get(slug).title
    titles[settings.get("CALENDAR_BRANCH_SLUG") or "branch"] = settings.get("SITENAME", "")
    return titles


def _forget_last_build(pelican) -> None:
    """`invoke serve` rebuilds with the same settings dict: start each run afresh."""
    pelican.settings.pop(CACHE_KEY, None)


def _get_generators(pelican):
    _forget_last_build(pelican)
    from .generator import CalendarGenerator

    return CalendarGenerator


def _share_with_every_template(generators) -> None:
    """The Jinja global `calendar` for every generator (they were created first)."""
    found = next((g.calendar for g in generators if hasattr(g, "calendar")), None)
    if found is None:
        return
    for generator in generators:
        if hasattr(generator, "env"):
            generator.env.globals["calendar"] = found


def register() -> None:
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_share_with_every_template)
