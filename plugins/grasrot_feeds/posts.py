"""Which posts are public, and how a post is described in feeds and meta tags.

The members plugin removes protected posts from Pelican's lists before this
plugin sees them (docs/architecture.md). Feeds and the sitemap still check
every post themselves: one forgotten list must never leak a protocol.
"""

from __future__ import annotations

from markupsafe import Markup

from grasrot_core import content_section
from grasrot_core.sections import POST_SECTIONS, is_protected


def is_public_post(article) -> bool:
    return (
        getattr(article, "status", "published") == "published"
        and not is_protected(article)
        and content_section(article) in POST_SECTIONS
    )


def public_posts(articles) -> list:
    """Public posts, newest first; ties broken by slug so the order is stable."""
    chosen = [a for a in articles if is_public_post(a)]
    return sorted(chosen, key=lambda a: (a.date, a.slug), reverse=True)


def last_change(content):
    """When the item last changed: `modified:` if given, else `date:`."""
    return getattr(content, "modified", None) or getattr(content, "date", None)


def plain_summary(content, limit: int = 300) -> str:
    """The summary as one line of plain text, for meta descriptions."""
    summary = getattr(content, "summary", "") or ""
    text = " ".join(Markup(summary).striptags().split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
