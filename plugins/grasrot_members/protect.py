"""Take protected items out of every list Pelican and other plugins read.

Runs in article_generator_finalized / page_generator_finalized, before any
other plugin or template sees the lists. What is left in the generators is
public by construction: feeds, the sitemap, index, category, tag, author and
archive pages, OUTPUT_SOURCES copies and meta tags all read these lists.
The protected items themselves are kept in the build's MembersState and
written, encrypted, by generator.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from pelican.generators import ArticlesGenerator

from . import levels

ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)
PAGE_LISTS = (
    "pages",
    "translations",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)
ORIGINAL_LISTS = (
    "articles",
    "hidden_articles",
    "drafts",
    "pages",
    "hidden_pages",
    "draft_pages",
)


@dataclass
class Protected:
    """A protected item, its level, and whether it is listed (published original)."""

    item: object
    level: str | None
    listed: bool
    written: bool  # drafts are never written, not even encrypted
    first_save_as: str = ""  # before any slug change: a stale plain copy may be there

    @property
    def url(self) -> str:
        return self.item.url


@dataclass
class Removed:
    """What one generator lost: for stale-output cleanup and taxonomy checks."""

    items: list = field(default_factory=list)
    taxonomy_pages: set = field(default_factory=set)  # save_as of tag/category/author pages


def classify(generator, lists) -> list[Protected]:
    """Every protected item of a generator; translations follow their original."""
    settings = generator.settings
    found, seen = [], set()
    for name in lists:
        is_original = name in ORIGINAL_LISTS
        for item in getattr(generator, name, []):
            if id(item) in seen:
                continue
            if levels.wants_protection(item):
                seen.add(id(item))
                found.append(_protected(item, levels.level_of(item, settings), is_original))
            if is_original and levels.wants_protection(item):
                level = found[-1].level
                for translation in getattr(item, "translations", []):
                    if id(translation) not in seen:
                        seen.add(id(translation))
                        own = (
                            levels.level_of(translation, settings)
                            if levels.declared_access(translation)
                            else level
                        )
                        found.append(_protected(translation, own, False))
    return found


def _protected(item, level, is_original) -> Protected:
    status = getattr(item, "status", "published")
    return Protected(
        item=item,
        level=level,
        listed=is_original and status == "published",
        written=status in ("published", "hidden"),
        first_save_as=getattr(item, "save_as", "") or "",
    )


def remove(generator, lists, protected: list[Protected]) -> Removed:
    """Drop protected items from the generator's lists and its context."""
    gone = {id(p.item) for p in protected}
    removed = Removed(items=[p.item for p in protected])
    for name in lists:
        kept = [i for i in getattr(generator, name, []) if id(i) not in gone]
        setattr(generator, name, kept)
    for name in lists:  # a public item must not link to a protected translation
        for item in getattr(generator, name):
            item.translations = [t for t in item.translations if id(t) not in gone]
    if isinstance(generator, ArticlesGenerator):
        removed.taxonomy_pages = _recompute_taxonomies(generator)
    else:
        generator._update_context(("pages", "hidden_pages", "draft_pages"))
    return removed


def _recompute_taxonomies(generator) -> set:
    """Categories, tags, authors, dates and archives from the public articles only,
    as Pelican builds them; returns the save_as of pages that no longer exist."""
    before = (
        {t.save_as for t, _ in generator.categories}
        | {t.save_as for t in generator.tags}
        | {t.save_as for t, _ in generator.authors}
    )
    categories, tags, authors = defaultdict(list), defaultdict(list), defaultdict(list)
    for article in generator.articles:
        if hasattr(article, "category"):
            categories[article.category].append(article)
        for tag in getattr(article, "tags", []) or []:
            tags[tag].append(article)
        for author in getattr(article, "authors", []) or []:
            authors[author].append(article)
    generator.tags = tags
    generator.categories = sorted(
        categories.items(), reverse=generator.settings["REVERSE_CATEGORY_ORDER"]
    )
    generator.authors = sorted(authors.items())
    generator.dates = sorted(
        generator.articles,
        key=attrgetter("date"),
        reverse=generator.context["NEWEST_FIRST_ARCHIVES"],
    )
    generator.period_archives = generator._build_period_archives(
        generator.dates, generator.articles, generator.settings
    )
    generator.related_posts = [
        p for p in getattr(generator, "related_posts", []) if p in generator.articles
    ]
    generator._update_context(
        (
            "articles",
            "drafts",
            "hidden_articles",
            "dates",
            "tags",
            "categories",
            "authors",
            "related_posts",
        )
    )
    generator.context["period_archives"] = generator.period_archives
    after = (
        {t.save_as for t, _ in generator.categories}
        | {t.save_as for t in generator.tags}
        | {t.save_as for t, _ in generator.authors}
    )
    return {path for path in before - after if path}
