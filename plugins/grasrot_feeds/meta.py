"""What a page says about itself in <head>: description, OpenGraph, Twitter card,
canonical address and feed links.

`page_meta()` is a Jinja global that reads the page's own template context, so
partials/head_meta.html only formats. Protected pages never reach it with the
real article (the members plugin renders them with its own context); even so,
anything with `access:` or from content/minutes/ gets `noindex` and no text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import pass_context

from grasrot_core import content_section
from grasrot_core.i18n import gettext_for
from grasrot_core.sections import is_protected, page_path

from .feeds import SECTION_FEEDS, feed_path, section_labels
from .posts import last_change, plain_summary
from .urls import absolute

FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
)


@dataclass(frozen=True)
class FeedLink:
    type: str
    href: str
    title: str


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    published: str = ""
    modified: str = ""
    section: str = ""
    tags: list = field(default_factory=list)
    noindex: bool = False
    feeds: list = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def feed_links(settings, names: list[tuple[str, str]]) -> list[FeedLink]:
    """<link rel="alternate"> entries for (feed name, title) pairs."""
    siteurl = settings.get("SITEURL", "")
    return [
        FeedLink(mime, f"{siteurl}/{feed_path(name, kind)}", f"{title} ({label})")
        for name, title in names
        for kind, mime, label in FEED_TYPES
    ]


def _feeds_for(context, item, settings) -> list[FeedLink]:
    _ = gettext_for(settings)
    names = [("alla", f"{settings['SITENAME']}: {_('All posts')}")]
    labels = section_labels(settings)
    section = content_section(item) if item is not None else None
    category = context.get("category")
    if section is None and category is not None:
        section = next(
            (
                s
                for s, name in SECTION_FEEDS.items()
                if getattr(category, "slug", None) == name
            ),
            None,
        )
    if section in SECTION_FEEDS:
        names.append((SECTION_FEEDS[section], f"{settings['SITENAME']}: {labels[section]}"))
    # Group pages link their group's feed pair themselves (groups/group.html,
    # `head` block), with the group's own wording.
    return feed_links(settings, names)


def _image(item, settings) -> tuple[str, str]:
    """`image:` of the post (a path under content/) or OPENGRAPH_IMAGE."""
    metadata = getattr(item, "metadata", {}) if item is not None else {}
    path = metadata.get("image") or settings.get("OPENGRAPH_IMAGE") or ""
    alt = metadata.get("image_alt") or ""
    return (absolute(str(path), settings) if path else "", str(alt))


def page_meta_global(settings):
    """The Jinja global `page_meta()`, bound to this build's settings."""

    @pass_context
    def page_meta(context) -> PageMeta:
        return describe_page(context, settings)

    return page_meta


def describe_page(context, settings) -> PageMeta:
    """The head metadata of the page being rendered."""
    item = context.get("article") or context.get("page")
    output_file = context.get("output_file") or "index.html"
    canonical = absolute(page_path(output_file), settings)
    site = settings.get("SITENAME", "")
    if context.get("noindex") or (item is not None and is_protected(item)):
        return PageMeta(
            title=site,
            description="",
            canonical=canonical,
            noindex=True,
            feeds=_feeds_for(context, None, settings),
        )
    image, image_alt = _image(item, settings)
    meta = PageMeta(
        title=_title(context, item, settings),
        description=plain_summary(item) if item is not None else "",
        canonical=canonical,
        image=image,
        image_alt=image_alt,
        feeds=_feeds_for(context, item, settings),
    )
    meta.description = meta.description or settings.get("SITE_TAGLINE") or site
    if context.get("article") is not None and getattr(item, "date", None):
        _describe_article(meta, item, settings)
    return meta


def _title(context, item, settings) -> str:
    if getattr(item, "title", None):
        return str(item.title)
    category = context.get("category")
    if category is not None:
        section = next((s for s, n in SECTION_FEEDS.items() if category.slug == n), None)
        return section_labels(settings).get(section, str(category))
    group = context.get("group")
    if getattr(group, "title", None):
        return str(group.title)
    if context.get("tag") is not None:
        return str(context["tag"])
    return settings.get("SITENAME", "")


def _describe_article(meta: PageMeta, article, settings) -> None:
    meta.og_type = "article"
    meta.published = article.date.isoformat()
    meta.modified = (last_change(article) or article.date).isoformat()
    section = content_section(article)
    meta.section = section_labels(settings).get(section, "")
    meta.tags = [str(tag) for tag in getattr(article, "tags", []) or []]
