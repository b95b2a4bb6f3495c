"""Gräsrot preview: what only `invoke serve` needs, loaded by it and by nothing else.

`invoke serve` (session.py, server.py) keeps one process for the whole
session: it builds in that process again on every save, into a staging folder,
and copies into `output/` only the files whose bytes changed. This plugin,
which the session adds to PLUGINS, makes those rebuilds skip work:

- the output caches (render_cache.py): a page whose inputs are unchanged is
  last build's text instead of a render, and the calendar's ~6,000 files are
  written back whole when nothing they show changed;
- the calendar's parsed events are kept in memory while the calendar and group
  files, the settings and the build date stay the same;
- Jinja's compiled templates are kept in the cache folder;
- the last good build's generators are kept, so that a save shows its page
  before the rebuild (quick.py).

Published builds never load this package: no other plugin imports it, and
tests/test_preview.py checks that a build with pelicanconf.py leaves it out of
sys.modules. Every receiver checks `loaded(settings)`, since Pelican's signals
outlive a build in one process.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.writers import Writer

import grasrot_core.state

NAME = "grasrot_preview"
CALENDAR_FOLDER = "kalender"


@dataclass
class PreviewBuild:
    """What the preview learns during one build: its slot in the BuildState."""

    page_cache: Any = None  # render_cache.PageCache, from all_generators_finalized
    calendar_key: str | None = None  # the digest of the calendar's inputs
    cache_status: dict[str, str] = field(default_factory=dict)  # "hit" or why not
    model: list | None = None  # the generators, kept by the session for quick.py


def this_build(settings) -> PreviewBuild:
    return grasrot_core.state.current(settings).slot(NAME, PreviewBuild)


def loaded(settings) -> bool:
    """Does this build load the preview plugin?"""
    for plugin in settings.get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name == NAME:
            return True
    return False


def on_initialized(pelican) -> None:
    if loaded(pelican.settings):
        _use_template_bytecode_cache(pelican.settings)


def _use_template_bytecode_cache(settings) -> None:
    """~55 templates are compiled in every generator's environment on every build
    (about a second at district size). Jinja keys each entry by template name and
    a checksum of its source; the folder is named by the Jinja version and the
    environment's options."""
    from . import render_cache

    if not render_cache.enabled(settings):
        return
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if environment.get("bytecode_cache") is not None:  # the site chose its own
        return
    options = hashlib.sha256(
        render_cache._stable_setting(
            [environment, settings.get("PLUGINS"), settings.get("THEME")]
        ).encode()
    )
    folder = os.path.join(
        settings["CACHE_PATH"], f"jinja-{jinja2.__version__}-{options.hexdigest()[:12]}"
    )
    os.makedirs(folder, exist_ok=True)
    environment["bytecode_cache"] = FileSystemBytecodeCache(folder)
    settings["JINJA_ENVIRONMENT"] = environment


def on_get_writer(pelican):
    """Pelican's writer with the page cache in front of write_file."""
    if loaded(pelican.settings):
        return CachingWriter
    return None


class CachingWriter(Writer):
    """Pelican's Writer; pages of the article and page generators go through the
    build's PageCache, which skips rendering unchanged ones."""

    def write_file(self, name, template, context, *args, **kwargs):
        cache = this_build(self.settings).page_cache
        if cache is None:
            return super().write_file(name, template, context, *args, **kwargs)
        return cache.write_file(
            super().write_file, name, template, context, *args, **kwargs
        )


def on_all_generators_finalized(generators) -> None:
    if not generators or not loaded(generators[0].settings):
        return
    from . import calendar_cache, quick, render_cache

    quick.remember(generators)
    settings = generators[0].settings
    cache = render_cache.PageCache(settings)
    this_build(settings).page_cache = cache
    for generator in generators:
        if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            cache.serve(generator)
    calendar_cache.wrap_output(generators)


def on_finalized(pelican) -> None:
    build = this_build(pelican.settings)
    cache, build.page_cache = build.page_cache, None
    if cache is not None:
        cache.store()


def on_get_generators(pelican):
    """Before the calendar reads its files: last build's events, if still valid."""
    if loaded(pelican.settings):
        from . import calendar_cache

        calendar_cache.reuse_events(pelican.settings)


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_groups", "grasrot_calendar")


def register() -> None:
    from . import calendar_cache

    calendar_cache.register_cover()
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_get_generators)
    signals.get_writer.connect(on_get_writer)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
