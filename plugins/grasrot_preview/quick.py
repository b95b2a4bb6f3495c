"""The first phase of a save: the changed page at once, from the last build's model.

A full rebuild in the session's process takes seconds (Pelican reads every file
again, builds the context, and every list, feed and calendar view is checked).
Before it starts, the session asks `render_changed` for the pages the saved
file is: a post or page, a group, or the changed events of a calendar file. It
is read again with the last good build's readers, settings and context, each
page rendered with its own template and written straight into `output/`; the
live reload shows it at once. The full
rebuild then runs as always and writes every file whose bytes differ from a
cold build's, this page included: after it the output is a cold build's again.

Only the simple case is taken; anything else is left to the rebuild alone:
exactly one saved file, which the last good build already had as a public item
at the same address, read without a content error, and not protected before or
after (a protected item's text never reaches `output/` in plain text).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from grasrot_core.sections import ARTICLE_LISTS, PAGE_LISTS

from . import this_build

# What a group gets after its file is read, from other files and the context:
# unchanged by an edit that keeps the group's slug and kind.
GROUP_FROM_ELSEWHERE = ("kind_label", "news", "calendar_link", "_upcoming")


def remember(generators) -> None:
    """all_generators_finalized: the build's generators, for the session to keep."""
    if generators:
        this_build(generators[0].settings).model = list(generators)


def render_changed(model, changed: list[str], output: Path, replaced: dict) -> list[str]:
    """Write the page of the one changed file into `output` from the last good
    build's model; the written paths (relative to `output`), or [] when the
    save is not a simple one. `replaced` gets each written path's former bytes,
    to be put back if the rebuild fails."""
    if not model or len(changed) != 1:
        return []
    path = os.path.abspath(changed[0])
    if not os.path.isfile(path):
        return []
    try:
        for generator in model:
            render = _renderer_for(generator, path)
            if render is not None:
                return _write(generator, render, output, replaced)
    except Exception:  # the rebuild reports whatever went wrong
        return []
    return []


def _renderer_for(generator, path: str):
    from pelican.generators import ArticlesGenerator, PagesGenerator

    if isinstance(generator, ArticlesGenerator):
        return _content_renderer(generator, path, ARTICLE_LISTS, "article", blog=True)
    if isinstance(generator, PagesGenerator):
        return _content_renderer(generator, path, PAGE_LISTS, "page", blog=False)
    if type(generator).__name__ == "GroupsGenerator":
        return _group_renderer(generator, path)
    if type(generator).__name__ == "CalendarGenerator":
        return _calendar_renderer(generator, path)
    return None


def _content_renderer(generator, path: str, lists, name: str, blog: bool):
    old = _item_at(generator, lists, path)
    if old is None:
        return None

    def render(writer):
        new = _read_again(generator, old, path)
        if new is None:
            return None
        values = {name: new, "url": new.url}
        if blog:
            values.update(category=getattr(new, "category", None), blog=True)
        _write_page(
            writer, generator, new.save_as, generator.get_template(new.template), values
        )
        return [new.save_as]

    return render


def _item_at(generator, lists, path: str):
    for list_name in lists:
        for item in getattr(generator, list_name, None) or ():
            if os.path.abspath(item.source_path) == path:
                return item
    return None


def _read_again(generator, old, path: str):
    """The item as the file reads now, with what plugins added to the old one
    after reading (translations, group links); None if anything is doubtful."""
    from grasrot_core import collector

    settings = generator.settings
    errors = len(collector(settings))
    new = generator.readers.read_file(
        base_path=generator.path,
        path=os.path.relpath(path, generator.path),
        content_class=type(old),
        context=generator.context,
    )
    if len(collector(settings)) != errors or not hasattr(new, "save_as"):
        return None
    if not new.is_valid() or new.status != old.status or new.save_as != old.save_as:
        return None
    if _protected(new):
        return None
    for attribute, value in vars(old).items():
        if attribute not in vars(new):
            setattr(new, attribute, value)
    return new


def _protected(item) -> bool:
    """With the members plugin loaded: does the item ask for protection now?"""
    levels = sys.modules.get("grasrot_members.levels")
    return levels is not None and levels.wants_protection(item)


def _group_renderer(generator, path: str):
    from grasrot_groups.registry import GroupFile, registry

    groups = registry(generator.settings)
    old = next((g for g in groups.groups if os.path.abspath(g.source_path) == path), None)
    if old is None:
        return None

    def render(writer):
        from grasrot_core import collector

        settings = generator.settings
        errors = len(collector(settings))
        new = GroupFile(path, settings).read()
        if new is None or len(collector(settings)) != errors:
            return None
        if (new.slug, new.kind) != (old.slug, old.kind):
            return None
        for attribute in GROUP_FROM_ELSEWHERE:
            setattr(new, attribute, getattr(old, attribute))
        values = {"url": new.url, "group": new}
        _write_page(
            writer, generator, new.save_as, generator.get_template("groups/group"), values
        )
        return [new.save_as]

    return render


def _calendar_renderer(generator, path: str):
    """An edited calendar file: the pages of its events that read differently."""
    from grasrot_calendar import parse, single

    content = generator.settings["PATH"]
    if path in map(os.path.abspath, parse.calendar_files(content)):
        one_file = False
    elif path in map(
        os.path.abspath, single.single_event_files(content, parse.CALENDAR_FOLDER)
    ):
        one_file = True
    else:
        return None
    calendar = generator.calendar
    old = {
        (e.owner, e.id): e
        for e in calendar.events
        if os.path.abspath(e.source_path) == path
    }

    def render(writer):
        from grasrot_core import collector

        settings = generator.settings
        errors = len(collector(settings))
        config = parse.ParseConfig(settings, calendar.now)
        if one_file:
            events = single.read_single_event(
                path, config, parse.CalendarFile, parse.EventReader
            )
        else:
            events = parse.CalendarFile(path, config).read()
        new = {(e.owner, e.id): e for e in events}
        if len(collector(settings)) != errors or new.keys() != old.keys():
            return None  # lists and addresses change: the rebuild's work
        changed = [e for key, e in new.items() if _event_shown(e) != _event_shown(old[key])]
        if not changed:
            return None
        with _no_calendar_files(generator):
            for event in changed:
                generator._write_event(writer, event)
        return [f"{event.url}index.html" for event in changed]

    return render


# An event's fields that are not what it shows: where it stood, and objects
# whose effect is in its occurrences.
EVENT_NOT_SHOWN = {"line", "id_pos", "recurrence", "tz", "occurrences"}


def _event_shown(event) -> tuple:
    from dataclasses import fields

    own = tuple(
        (f.name, repr(getattr(event, f.name)))
        for f in fields(event)
        if f.name not in EVENT_NOT_SHOWN
    )
    dates = tuple(
        (o.start, o.end, o.original_start, o.title, o.location, o.online, o.status, o.note)
        for o in event.occurrences
    )
    return own, dates


@contextmanager
def _no_calendar_files(generator):
    """The event's .ics is the rebuild's: the first phase writes pages only."""
    generator._write_bytes = lambda relative_path, data: None
    try:
        yield
    finally:
        del generator._write_bytes


def _write_page(writer, generator, save_as, template, values) -> None:
    writer.write_file(
        save_as,
        template,
        generator.context,
        generator.settings.get("RELATIVE_URLS", False),
        **values,
    )


def _write(generator, render, output: Path, replaced: dict) -> list[str]:
    """Render into a scratch folder with Pelican's writer, then move each page
    into `output` in one rename, so the server never serves half a page."""
    from pelican.writers import Writer

    scratch = tempfile.mkdtemp(prefix=".quick-", dir=output)
    try:
        made = render(Writer(scratch, settings=generator.settings))
        if not made:
            return []
        written = []
        for save_as in made:
            relative = save_as.replace(os.sep, "/")
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative not in replaced:
                replaced[relative] = target.read_bytes() if target.is_file() else None
            os.replace(os.path.join(scratch, save_as), target)
            written.append(relative)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
