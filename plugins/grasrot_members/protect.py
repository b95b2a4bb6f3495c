"""Take protected items out of every list Pelican and other plugins read.

Articles leave at article_generator_pretaxonomy, before Pelican builds
categories, tags, authors, dates and archives, so Pelican builds those from
the public articles itself. Pages leave at page_generator_finalized (Pelican
has no page taxonomy). Both run before any other plugin or template sees the
lists. What is left in the generators is public by construction: feeds, the
sitemap, index, category, tag, author and archive pages, OUTPUT_SOURCES copies
and meta tags all read these lists.
The protected items themselves are kept in the build's MembersState and
written, encrypted, by generator.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pelican.generators import ArticlesGenerator

from . import levels

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

    item: Any  # a Pelican Article or Page
    level: str | None
    listed: bool
    written: bool  # drafts are never written, not even encrypted
    first_save_as: str = ""  # before any slug change: a stale plain copy may be there

    @property
    def url(self) -> str:
        return self.item.url


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


def remove(generator, lists, protected: list[Protected]) -> None:
    """Drop protected items from the generator's lists (and its context: pages)."""
    gone = {id(p.item) for p in protected}
    for name in lists:
        kept = [i for i in getattr(generator, name, []) if id(i) not in gone]
        setattr(generator, name, kept)
    for name in lists:  # a public item must not link to a protected translation
        for item in getattr(generator, name):
            item.translations = [t for t in item.translations if id(t) not in gone]
    if not isinstance(generator, ArticlesGenerator):
        # Pelican put the page lists in the shared context before
        # page_generator_finalized (there is no page "pretaxonomy" signal).
        for name in ("pages", "hidden_pages", "draft_pages"):
            generator.context[name] = getattr(generator, name)


def taxonomy_pages(articles) -> set[str]:
    """save_as of the category, tag and author pages these articles make, the way
    Pelican collects them (ArticlesGenerator.generate_context)."""
    found = set()
    for article in articles:
        if hasattr(article, "category"):
            found.add(article.category.save_as)
        found |= {tag.save_as for tag in getattr(article, "tags", None) or ()}
        found |= {author.save_as for author in getattr(article, "authors", None) or ()}
    return {path for path in found if path}
