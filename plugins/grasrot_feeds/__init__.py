"""Gräsrot feeds: RSS/Atom with feedgen, newsletters, sitemap, meta tags, e-mail edition.

- feeds.py: `feeds/alla|nyheter|nyhetsbrev|grupp-<slug>.rss.xml/.atom.xml`;
- newsletters.py: newsletter template, sections, calendar events, archive by year;
- meta.py: the `page_meta()` global behind partials/head_meta.html;
- sitemap.py: sitemap.xml of the public pages;
- email.py: `invoke newsletter-email <slug>` (HTML with inlined CSS, and text).

Members-only items are never in a feed or in the sitemap (see posts.py).
See docs/feeds.md for the settings and the metadata officers write.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

import grasrot_groups
from grasrot_core.errors import SettingsError
from grasrot_core.messages import msg

from . import meta, newsletters, sitemap
from .feeds import CONTENT_CHOICES, FEED_FORMATS, feed_specs, write_feeds

CALENDAR_KEY = "calendar"


def _group_registry(settings):
    return grasrot_groups.registry(settings)


class FeedsGenerator(Generator):
    """Writes every feed in generate_output, after the content gate."""

    def generate_context(self):
        mode = self.settings.get("FEED_CONTENT", "full")
        if mode not in CONTENT_CHOICES:
            raise SettingsError(
                msg(
                    "FEED_CONTENT = {value} in the settings; use 'full' or 'summary'.",
                    value=repr(mode),
                ),
                self.settings,
            )

    def generate_output(self, writer):
        registry = _group_registry(self.settings)
        specs = feed_specs(self.context.get("articles", []), self.settings, registry)
        write_feeds(specs, self.settings, self.output_path, registry)

    def planned_files(self) -> list[str]:
        """What generate_output writes (for the link checker, before writing)."""
        registry = _group_registry(self.settings)
        specs = feed_specs(self.context.get("articles", []), self.settings, registry)
        files = [spec.path(kind) for spec in specs for kind in FEED_FORMATS]
        sitemap_file = self.settings.get("SITEMAP_SAVE_AS", "sitemap.xml")
        return files + ([sitemap_file] if sitemap_file else [])


def get_generators(pelican):
    return FeedsGenerator


def install_globals(generator) -> None:
    """generator_init: `page_meta()` for head_meta.html in every environment."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["page_meta"] = meta.page_meta_global(generator.settings)


def prepare_newsletters(generators) -> None:
    """all_generators_finalized: the calendar exists now; give newsletters their
    template, sections and events, and the category page its archive."""
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is None:
        return
    calendar = articles.context.get(CALENDAR_KEY)
    everything = (
        articles.articles
        + articles.translations
        + articles.hidden_articles
        + articles.hidden_translations
        + articles.drafts
        + articles.drafts_translations
    )
    for article in everything:
        if newsletters.is_newsletter(article):
            newsletters.prepare_newsletter(article, calendar, articles.settings)
    shared = newsletters.template_globals(articles.articles)
    for generator in generators:
        env = getattr(generator, "env", None)
        if env is None:
            continue
        partials = {
            **env.globals.get("CATEGORY_PARTIALS", {}),
            **shared["CATEGORY_PARTIALS"],
        }
        env.globals.update(shared, CATEGORY_PARTIALS=partials)


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_groups")


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_globals)
    signals.all_generators_finalized.connect(prepare_newsletters)
    signals.initialized.connect(sitemap.start_build)
    signals.content_object_init.connect(sitemap.remember_protected)
    signals.content_written.connect(sitemap.remember_written)
    signals.finalized.connect(sitemap.write_sitemap)
