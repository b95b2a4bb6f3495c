"""Which files the build will write, known before anything is written.

The link checker runs before the gate (nothing is written when content has
errors), so it cannot look at output/. It asks every generator instead:

- the kit's own generators (calendar, groups, feeds, members) each say what
  they will write with `planned_files()`;
- Pelican's generators are asked through their lists (articles, pages,
  categories, tags, direct templates, static files), with Pelican's own
  Paginator for the `sida/2/` pages;
- the theme's static folder is copied as it is.

tests/test_links.py checks that the plan matches what a build writes.
"""

from __future__ import annotations

import os

from pelican.contents import Static
from pelican.generators import (
    ArticlesGenerator,
    PagesGenerator,
    StaticGenerator,
    TemplatePagesGenerator,
)
from pelican.paginator import Paginator


def planned_files(generators, settings, attached=None) -> set[str]:
    """Output paths relative to OUTPUT_PATH, with '/' separators.

    `attached` maps a static file's source path (under content/) to where an
    `{attach}` link moves it (see attached_files)."""
    attached = attached or {}
    files: set[str] = set()
    for generator in generators:
        if hasattr(generator, "planned_files"):
            files.update(generator.planned_files())
        elif isinstance(generator, ArticlesGenerator):
            files |= _article_files(generator, settings)
        elif isinstance(generator, PagesGenerator):
            files |= _page_files(generator)
        elif isinstance(generator, StaticGenerator):
            files |= {_static_save_as(static, attached) for static in generator.staticfiles}
        elif isinstance(generator, TemplatePagesGenerator):
            files.update((settings.get("TEMPLATE_PAGES") or {}).values())
    files |= _theme_files(settings)
    return {path.replace(os.sep, "/") for path in files if path}


def _article_files(generator, settings) -> set[str]:
    files = {
        article.save_as
        for article in (
            *generator.articles,
            *generator.translations,
            *generator.hidden_articles,
            *generator.hidden_translations,
        )
    }
    for category, articles in generator.categories:
        files |= _paginated(category.save_as, category.url, articles, "category", settings)
    for tag, articles in generator.tags.items():
        files |= _paginated(tag.save_as, tag.url, articles, "tag", settings)
    if settings.get("AUTHOR_SAVE_AS"):
        for author, articles in generator.authors:
            files |= _paginated(author.save_as, author.url, articles, "author", settings)
    for template in settings.get("DIRECT_TEMPLATES") or ():
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        url = settings.get(f"{template.upper()}_URL", f"{template}.html")
        if save_as:
            files |= _paginated(save_as, url, generator.articles, template, settings)
    return files


def _static_save_as(static, attached) -> str:
    """Where a static file goes, read without Static.save_as: that property marks the
    file as referenced, and Pelican then refuses to move it for an {attach} link."""
    relative = static.get_relative_source_path().replace(os.sep, "/")
    return attached.get(relative) or super(Static, static).save_as


def attached_files(items) -> dict[str, str]:
    """{attach} links move a file next to the first page that attaches it:
    (linking content, target path under content/) -> {target: new save_as}."""
    moved: dict[str, str] = {}
    for content, target in items:
        if target in moved:
            continue
        source_dir = os.path.dirname(content.get_relative_source_path())
        tail = os.path.relpath(target, source_dir or ".")
        if tail.startswith(os.pardir + os.sep):
            tail = os.path.basename(tail)
        moved[target] = os.path.join(os.path.dirname(content.save_as), tail).replace(
            os.sep, "/"
        )
    return moved


def _page_files(generator) -> set[str]:
    return {
        page.save_as
        for page in (
            *generator.pages,
            *generator.translations,
            *generator.hidden_pages,
            *generator.hidden_translations,
        )
    }


def _paginated(save_as, url, items, template, settings) -> set[str]:
    """The files Pelican's writer makes for a list: one, or one per page."""
    if not save_as:
        return set()
    paginated = settings.get("PAGINATED_TEMPLATES") or {}
    if template not in paginated:
        return {save_as}
    per_page = paginated[template] or settings.get("DEFAULT_PAGINATION")
    paginator = Paginator(save_as, url, list(items), settings, per_page)
    return {paginator.page(number).save_as for number in range(1, paginator.num_pages + 1)}


def _theme_files(settings) -> set[str]:
    theme = settings.get("THEME") or ""
    target = settings.get("THEME_STATIC_DIR", "theme")
    files = set()
    for folder in settings.get("THEME_STATIC_PATHS") or ("static",):
        root = os.path.join(theme, folder)
        for directory, _dirs, names in os.walk(root):
            for name in names:
                relative = os.path.relpath(os.path.join(directory, name), root)
                files.add(f"{target}/{relative}")
    return files
