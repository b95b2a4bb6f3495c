"""RSS 2.0 and Atom feeds, written with feedgen: one source for every feed.

Feeds: all public posts (`alla`), news (`nyheter`), newsletters (`nyhetsbrev`)
and one pair per group (`grupp-<slug>`), under `feeds/`. Everything in them
is deterministic: GUIDs are tag URIs made from the post's date and URL, and
the feed's own date is its newest item's, so a rebuild changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from grasrot_core import content_section
from grasrot_core.dates import build_date
from grasrot_core.i18n import gettext_for
from grasrot_core.reader import named_groups
from grasrot_core.sections import ADDRESSES, BY_NAME, POST_SECTIONS

from .posts import last_change, public_posts
from .urls import absolute, absolutize_html, site_base_url

FEEDS_FOLDER = ADDRESSES["feeds"].rstrip("/")
FEED_FORMATS = {"rss": "rss.xml", "atom": "atom.xml"}
CONTENT_CHOICES = ("full", "summary")
# One feed pair per public post section, named by its address: feeds/nyheter.rss.xml.
SECTION_FEEDS = {name: BY_NAME[name].slug for name in POST_SECTIONS}


@dataclass
class FeedSpec:
    """One feed pair: its file name stem, title, web page and posts."""

    name: str
    title: str
    page_url: str
    posts: list = field(default_factory=list)

    def path(self, kind: str) -> str:
        return f"{FEEDS_FOLDER}/{self.name}.{FEED_FORMATS[kind]}"


def feed_path(name: str, kind: str) -> str:
    """'feeds/alla.rss.xml': the stable path templates and other plugins link to."""
    return f"{FEEDS_FOLDER}/{name}.{FEED_FORMATS[kind]}"


def section_labels(settings) -> dict:
    _ = gettext_for(settings)
    return {name: _(BY_NAME[name].label) for name in POST_SECTIONS}


def feed_specs(articles, settings, group_registry) -> list[FeedSpec]:
    """Every feed of the site, from Pelican's (already members-filtered) articles.

    Each feed holds its newest FEED_MAX_ITEMS posts (Pelican's setting, 100 by
    default; None for all), so a branch's feeds stay small after years of posts.
    """
    _ = gettext_for(settings)
    site = settings["SITENAME"]
    posts = public_posts(articles)
    labels = section_labels(settings)
    specs = [FeedSpec("alla", f"{site}: {_('All posts')}", "", posts)]
    for section, name in SECTION_FEEDS.items():
        specs.append(
            FeedSpec(
                name,
                f"{site}: {labels[section]}",
                f"{name}/",
                [p for p in posts if content_section(p) == section],
            )
        )
    groups = group_registry.groups if group_registry else ()
    # One pass over the posts, not one per group; newest first, as `posts`.
    by_group: dict[str, list] = {group.slug: [] for group in groups}
    for post in posts:
        for slug in dict.fromkeys(named_groups(post)):
            if slug in by_group:
                by_group[slug].append(post)
    for group in groups:
        specs.append(
            FeedSpec(
                f"grupp-{group.slug}",
                f"{site}: {group.title}",
                group.url or f"grupper/{group.slug}/",
                by_group[group.slug],
            )
        )
    limit = settings.get("FEED_MAX_ITEMS")
    for spec in specs:
        spec.posts = spec.posts[:limit] if limit else spec.posts
    return specs


@dataclass(frozen=True)
class FeedItem:
    """A post as every feed shows it; made once per post, however many feeds list it."""

    guid: str
    url: str
    title: str
    published: datetime
    updated: datetime
    authors: tuple
    categories: tuple  # (term, label) pairs
    summary: str
    content: str  # "" in summary mode


def tag_uri(host: str, article) -> str:
    """A GUID that survives rebuilds, build dates and a move to https (RFC 4151)."""
    return f"tag:{host},{article.date:%Y-%m-%d}:/{article.url}"


def feed_items(posts, settings, group_registry) -> dict[int, FeedItem]:
    """FeedItem by id(post), with every link made absolute."""
    full = settings.get("FEED_CONTENT", "full") == "full"  # checked in FeedsGenerator
    base = site_base_url(settings)
    host = urlsplit(base).hostname or "localhost"
    labels = section_labels(settings)
    items = {}
    for post in posts:
        url = absolute(post.url, settings)
        items[id(post)] = FeedItem(
            guid=tag_uri(host, post),
            url=url,
            title=str(post.title),
            published=post.date,
            updated=last_change(post),
            authors=tuple(str(a) for a in getattr(post, "authors", []) or []),
            categories=tuple(_categories(post, labels, group_registry)),
            summary=absolutize_html(post.summary or "", url),
            content=absolutize_html(post.get_content(base), url) if full else "",
        )
    return items


def feed_updated(spec: FeedSpec, settings) -> datetime:
    """The newest item's change date; the build date only for an empty feed."""
    changes = [last_change(post) for post in spec.posts]
    return max(changes) if changes else build_date(settings)


def build_feed(spec: FeedSpec, items: dict, settings) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(absolute(spec.path("atom"), settings))
    generator.title(spec.title)
    generator.subtitle(settings.get("SITE_TAGLINE") or spec.title)
    generator.language(settings.get("DEFAULT_LANG", "sv"))
    generator.author({"name": settings.get("AUTHOR") or settings["SITENAME"]})
    updated = feed_updated(spec, settings)
    generator.updated(updated)
    generator.lastBuildDate(updated)
    generator.generator("Gräsrot (python-feedgen)")
    # feedgen adds entries at the top; add oldest first so the newest leads.
    for post in reversed(spec.posts):
        add_entry(generator, items[id(post)])
    return generator


def add_entry(generator: FeedGenerator, item: FeedItem) -> None:
    entry = generator.add_entry()
    entry.id(item.guid)
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate")
    entry.published(item.published)
    entry.updated(item.updated)
    for author in item.authors:
        entry.author({"name": author})
    for term, label in item.categories:
        entry.category(term=term, label=label)
    if item.summary:
        entry.summary(item.summary, type="html")  # RSS <description>, Atom <summary>
    if item.content:
        entry.content(item.content, type="html")  # RSS <content:encoded>, Atom <content>


def _categories(post, labels: dict, group_registry) -> list[tuple[str, str]]:
    """The section, the groups and the tags, as (term, label) pairs."""
    section = content_section(post)
    found = [(SECTION_FEEDS.get(section, section), labels.get(section, section))]
    for slug in named_groups(post):
        group = group_registry.get(slug) if group_registry else None
        found.append((slug, group.title if group else slug))
    for tag in getattr(post, "tags", []) or []:
        found.append((tag.slug, str(tag)))
    return found


def write_feeds(
    specs: list[FeedSpec], settings, output_path: str, group_registry=None
) -> None:
    every_post = {id(post): post for spec in specs for post in spec.posts}.values()
    items = feed_items(every_post, settings, group_registry)
    for spec in specs:
        generator = build_feed(spec, items, settings)
        for kind in FEED_FORMATS:
            # RSS and Atom each name their own file as rel="self"; feedgen
            # takes the RSS <link> from the last link, so the web page goes last.
            generator.link(
                [
                    {"href": absolute(spec.path(kind), settings), "rel": "self"},
                    {"href": absolute(spec.page_url, settings), "rel": "alternate"},
                ],
                replace=True,
            )
            target = os.path.join(output_path, spec.path(kind))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if kind == "rss":
                generator.rss_file(target, pretty=True)
            else:
                generator.atom_file(target, pretty=True)
