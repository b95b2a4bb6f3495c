"""Posts and pages that name groups: check the names, collect each group's news.

A post's `groups:` header (a list, see GRASROT_LIST_METADATA) ties it to
groups. Every slug must exist, or the post would silently be missing from the
group page it was written for.
"""

from __future__ import annotations

from pelican.generators import ArticlesGenerator

import grasrot_core
from grasrot_core.reader import GROUPS_KEY, named_groups

from .registry import registry


def check_group_references(content) -> None:
    """content_object_init: report each unknown slug in `groups:` at its line.

    This runs as each post or page is made, so it sees protected posts too,
    before the members plugin takes them out of Pelican's lists. Drafts are
    not published, so they may name a group that does not exist yet.
    """
    if getattr(content, "status", None) == "draft" or not content.source_path:
        return
    slugs = named_groups(content)
    if not slugs:
        return
    groups = registry(content.settings)
    line = grasrot_core.meta_line(content, GROUPS_KEY)
    errors = grasrot_core.collector(content.settings)
    for slug in slugs:
        if slug not in groups:
            errors.add(content.source_path, line, 1, groups.unknown_message(slug))
    # 'västra-ekdala' names the group whose slug is 'vastra-ekdala': from here on
    # every plugin (group pages, feeds, newsletters) sees the group's own slug.
    canonical = [groups.canonical(slug) or slug for slug in slugs]
    content.metadata[GROUPS_KEY] = canonical
    if hasattr(content, GROUPS_KEY):
        setattr(content, GROUPS_KEY, canonical)


def collect_news(generators) -> None:
    """all_generators_finalized: give each group its newest public posts."""
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is None:
        return
    settings = articles.settings
    limit = settings.get("GROUPS_NEWS_LIMIT", 5)
    newest_first = sorted(articles.articles, key=lambda a: (a.date, a.slug), reverse=True)
    groups = registry(settings).groups
    # One pass over the posts, not one per group: each post goes to
    # the groups it names, newest first, until a group has `limit` posts.
    cap = limit if isinstance(limit, int) and limit >= 0 else None  # else slice below
    news: dict[str, list] = {group.slug: [] for group in groups}
    for article in newest_first:
        for slug in dict.fromkeys(named_groups(article)):
            found = news.get(slug)
            if found is not None and (cap is None or len(found) < cap):
                found.append(article)
    for group in groups:
        group.news = news[group.slug][:limit]
