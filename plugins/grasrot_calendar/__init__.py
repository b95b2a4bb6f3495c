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

import grasrot_core.state
from grasrot_core.dates import build_date

from .model import Calendar, Event, Occurrence  # noqa: F401 (the shared API)
from .parse import read_events

SLOT = "calendar"  # the model's slot in the build's grasrot_core BuildState


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
    build = grasrot_core.state.current(settings)
    return build.slot(SLOT, lambda: build_model(settings))


def group_titles(settings) -> dict[str, str]:
    """slug -> title for every group, and the branch slug -> the site's name."""
    from .parse import _group_registry

    titles = {}
    registry = _group_registry(settings)
    for slug in getattr(registry, "slugs", []):
        titles[slug] = registry.get(slug).title
    titles[settings.get("CALENDAR_BRANCH_SLUG") or "branch"] = settings.get("SITENAME", "")
    return titles


def _get_generators(pelican):
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


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_groups")


def register() -> None:
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_share_with_every_template)
