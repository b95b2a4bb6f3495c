"""Gräsrot theme: a branch's own look without editing a template.

- brand.py: BRAND_COLORS as CSS custom properties (with readable variants for
  the light and dark page), SITE_LOGO, the favicon, and the WCAG AA check of the
  configured colour pairs;
- models.py: the main menu (pages with `menu_order:`, then MENUITEMS), the home
  page's sections and category labels, computed once per build;
- adds the 404 page and the subscribing guide (subscribe.html, written as
  prenumerera/index.html: how to follow the calendar and the news feeds) to
  DIRECT_TEMPLATES;
- minifies the theme's CSS and JS in the output (minify.py; sources stay readable);
- the `wrap_tables` filter: tables in posts and pages scroll in their own box.

A failed contrast check never fails the build (every build runs with
`--fatal warnings`, so it is not a logger warning): it prints a banner to
stderr. A colour that is not a hex colour stops the build. See docs/theme.md.
"""

from __future__ import annotations

import sys

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from grasrot_core import site_address
from grasrot_core.i18n import gettext_for
from grasrot_core.messages import msg, render
from grasrot_core.sections import ADDRESSES, BY_NAME, section_of_category

from .brand import Brand, BrandSettingsError, build_brand, contrast_problems  # noqa: F401
from .colors import contrast  # noqa: F401
from .hero import HeroSettingsError, build_hero  # noqa: F401
from .minify import minify_theme_files
from .models import (  # noqa: F401
    MenuItem,
    category_labels,
    home_model,
    menu_items,
    page_path,
    wrap_tables,
)

NOT_FOUND_TEMPLATE = "404"
SUBSCRIBE_TEMPLATE = "subscribe"
SUBSCRIBE_URL = ADDRESSES["subscribe"]
BANNER_WIDTH = 78


def print_banner(lines, settings, stream=None) -> None:
    """A framed, non-fatal notice on stderr (a logger warning would fail the build),
    in the site's language."""
    stream = stream or sys.stderr
    language = settings.get("DEFAULT_LANG") or "en"
    rule = "!" * BANNER_WIDTH
    print(rule, file=stream)
    heading = msg("Gräsrot theme: check your branding settings (the build goes on)")
    for line in [heading, *lines]:
        print(f"!! {render(line, language)}", file=stream)
    print(rule, file=stream, flush=True)


def on_initialized(pelican) -> None:
    settings = pelican.settings
    brand = build_brand(settings)  # raises BrandSettingsError on an unusable colour
    build_hero(settings, gettext_for(settings))  # raises HeroSettingsError, before any work
    findings = [p.message() for p in brand.problems] + brand.notes
    if findings:
        print_banner(findings, settings)
    templates = list(settings.get("DIRECT_TEMPLATES") or [])
    added = [t for t in (NOT_FOUND_TEMPLATE, SUBSCRIBE_TEMPLATE) if t not in templates]
    settings["DIRECT_TEMPLATES"] = [*templates, *added]
    settings.setdefault("404_SAVE_AS", "404.html")
    settings.setdefault("404_URL", "404.html")
    settings.setdefault("SUBSCRIBE_SAVE_AS", SUBSCRIBE_URL + "index.html")
    settings.setdefault("SUBSCRIBE_URL", SUBSCRIBE_URL)


def on_generator_init(generator) -> None:
    """`brand`, `brand_css` and empty models in every template; the models are
    filled in once every generator has read its content."""
    settings = generator.settings
    brand = build_brand(settings)
    table_label = gettext_for(settings)("Table")
    generator.env.filters["wrap_tables"] = lambda html: wrap_tables(html, table_label)
    generator.env.globals.update(
        brand=brand,
        brand_css=Markup(brand.css),
        menu=[],
        home=None,
        category_labels=category_labels(settings),
        sections=BY_NAME,  # sections.news.url == "nyheter/"
        kit_addresses=ADDRESSES,  # kit_addresses.calendar == "kalender/"
        section_of_category=section_of_category,
        page_path=page_path,
        site_address=site_address(settings),
        hero=build_hero(settings, gettext_for(settings)),
        subscribe_url=settings.get("SUBSCRIBE_URL", SUBSCRIBE_URL),
    )


def on_all_generators_finalized(generators) -> None:
    """Pages and articles are final (members' items removed): build the models."""
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pages = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    either = pages or articles
    if either is None:
        return
    settings = either.settings
    public_pages = list(pages.pages) if pages else []
    hidden_pages = list(pages.hidden_pages) if pages else []
    menu = menu_items(public_pages, settings)
    home = home_model(
        list(articles.articles) if articles else [], public_pages + hidden_pages, settings
    )
    for generator in generators:
        env = getattr(generator, "env", None)
        if env is not None:
            env.globals.update(menu=menu, home=home)


def on_finalized(pelican) -> None:
    minify_theme_files(pelican.settings)


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core",)
# The templates call these plugins' globals (picture, item_image, page_meta,
# CATEGORY_PARTIALS, search) without asking whether they exist.
USES = ("grasrot_images", "grasrot_groups", "grasrot_feeds", "grasrot_search")


def register():
    signals.finalized.connect(on_finalized)
    signals.initialized.connect(on_initialized)
    signals.generator_init.connect(on_generator_init)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
