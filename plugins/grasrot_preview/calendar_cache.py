"""The calendar in the preview: parsed events kept in memory, output written back.

Parsing the calendar (YAML, Markdown descriptions, recurrence) is about two
seconds at district size and depends only on the calendar and group files, the
kit's code, the settings and the build date. The session's process keeps the
events of the last build that reported no content error, pickled (so no build
can change another's objects), under a digest of those inputs; the calendar
plugin's `model(settings)` then finds the model already made.

The calendar's pages and .ics files (all under kalender/) go through an
OutputCache: written back from the last build when nothing they read changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle

import grasrot_core
import grasrot_core.state
from grasrot_core.dates import build_date

from . import CALENDAR_FOLDER, render_cache, this_build

# What the session's process remembers from one build to the next (the reason the
# preview is one process): {"key": digest, "events": pickled events} of the last
# build without content errors. Replaced whole when the calendar's inputs change.
_kept: dict = {}


def _inputs_digest(settings) -> str:
    content = os.path.abspath(settings["PATH"])
    digest = hashlib.sha256(f"grasrot-preview-calendar {render_cache.FORMAT}\n".encode())
    digest.update(render_cache._runtime_versions())
    roots = [
        (f"content/{folder}", os.path.join(content, folder))
        for folder in ("calendar", "groups")
    ]
    roots += [
        (f"plugins{i}", os.path.abspath(path))
        for i, path in enumerate(settings.get("PLUGIN_PATHS") or [])
    ]
    hashes = render_cache.FileHashes()
    for label, root in roots:
        if os.path.isdir(root):
            for path in render_cache._walk_files(root):
                relative = os.path.relpath(path, root).replace(os.sep, "/")
                digest.update(f"{label}/{relative} {hashes.of(path)}\n".encode())
    for key in sorted(k for k in settings if isinstance(k, str)):
        if not key.startswith("_"):
            digest.update(f"{key}={render_cache._stable_setting(settings[key])}\n".encode())
    digest.update(f"now={build_date(settings).isoformat()}\n".encode())
    return digest.hexdigest()


def reuse_events(settings) -> None:
    """get_generators (after the calendar forgot the last build's model)."""
    import grasrot_calendar
    from grasrot_calendar import Calendar, group_titles

    if not render_cache.enabled(settings):
        return
    key = this_build(settings).calendar_key = _inputs_digest(settings)
    if _kept.get("key") != key:
        return
    events = pickle.loads(_kept["events"])
    calendar = Calendar(
        events, build_date(settings), settings, group_titles=group_titles(settings)
    )
    calendar._preview_digest = key
    grasrot_core.state.current(settings).slots[grasrot_calendar.SLOT] = calendar


def _keep_events(settings, calendar) -> None:
    key = this_build(settings).calendar_key
    if key is None or grasrot_core.collector(settings):
        return  # errors must be reported again on the next build
    calendar._preview_digest = key
    if _kept.get("key") != key:
        _kept.update(
            key=key, events=pickle.dumps(calendar.events, protocol=pickle.HIGHEST_PROTOCOL)
        )


def wrap_output(generators) -> None:
    """all_generators_finalized: the calendar generator's output through an OutputCache."""
    from grasrot_calendar.generator import CalendarGenerator

    for generator in generators:
        if isinstance(generator, CalendarGenerator):
            _keep_events(generator.settings, generator.calendar)
            generator.generate_output = _cached_output(generator, generator.generate_output)


def _covered_types() -> tuple:
    """Made only from the calendar and group files, the settings, the theme and
    the build date, all in the output cache's base digest: not walked value by
    value. The generator's per-build memo of rendered list items (`item_once`)
    is one of them: empty before the pages are written, full after."""
    from grasrot_calendar import generator, views
    from grasrot_calendar.model import Calendar, Event, Month, Occurrence

    memo = getattr(generator, "_RenderedOnce", None)
    found = (Calendar, Event, Occurrence, Month, views.FilterLink)
    return found + ((memo,) if memo is not None else ())


def _cached_output(generator, generate_output):
    def generate_output_cached(writer):
        cache = render_cache.OutputCache(
            generator,
            "calendar",
            CALENDAR_FOLDER,
            covered=_covered_types(),
            extra=[f"now={generator.calendar.now.isoformat()}"],
        )
        if not cache.restore(writer):
            with cache.recording(writer):
                generate_output(writer)

    return generate_output_cached


def _digest_of(calendar):
    return getattr(calendar, "_preview_digest", None)


def register_cover() -> None:
    """A page reading the calendar counts by the calendar's inputs digest."""
    from grasrot_calendar import Calendar

    render_cache.register_cover(Calendar, _digest_of)
