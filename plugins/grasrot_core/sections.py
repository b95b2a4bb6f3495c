"""The one table of the site's sections and the kit's addresses.

A section is a folder under `content/` ("news") with the address it gets on
the site ("nyheter/"). Settings (pelicanconf.py), templates (the Jinja
global `sections`) and every plugin read the addresses here, so renaming a
folder's address is one line. Whether an item is members-only is decided
here too (`is_protected`), for every plugin alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One content folder: what Pelican makes of it and where it lives on the site."""

    name: str  # the folder under content/ and the name plugins use: "news"
    slug: str  # the category slug and the address folder: "nyheter" ("" for pages)
    label: str  # English name in the UI, translated with gettext: "News"
    posts: bool = True  # dated articles, one category (Pelican's articles)
    protected: bool = False  # every item in it is members-only

    @property
    def url(self) -> str:
        """The section's list page, relative to SITEURL: "nyheter/"."""
        return f"{self.slug}/" if self.slug else ""


PAGES = Section("pages", "", "Pages", posts=False)
NEWS = Section("news", "nyheter", "News")
NEWSLETTERS = Section("newsletters", "nyhetsbrev", "Newsletters")
MINUTES = Section("minutes", "protokoll", "Minutes", protected=True)
SECTIONS = (PAGES, NEWS, NEWSLETTERS, MINUTES)

BY_NAME = {section.name: section for section in SECTIONS}
BY_SLUG = {section.slug: section for section in SECTIONS if section.slug}
SECTION_NAMES = tuple(BY_NAME)
ARTICLE_SECTIONS = tuple(s.name for s in SECTIONS if s.posts)
PROTECTED_SECTIONS = tuple(s.name for s in SECTIONS if s.protected)
# Public posts: in feeds, on the home page, in the sitemap and in group news.
POST_SECTIONS = tuple(s.name for s in SECTIONS if s.posts and not s.protected)

# Folders the kit's plugins write, by what lives there (relative to SITEURL).
ADDRESSES = {
    "calendar": "kalender/",
    "groups": "grupper/",
    "members": "medlemmar/",
    "feeds": "feeds/",
    "subscribe": "prenumerera/",
    "search": "sok/",
    "archive": "arkiv/",
    "tags": "etikett/",
}

# The attributes of Pelican's generators that hold their items, of every status
# and language (the members' plugin takes protected items out of each).
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

ACCESS_KEY = "access"
SEALED_SUFFIX = ".age"


def page_path(output_file) -> str:
    """The address of a written file, relative to SITEURL:
    'nyheter/x/index.html' -> 'nyheter/x/', 'index.html' -> '', 'a.html' -> 'a.html'."""
    path = str(output_file or "").replace("\\", "/")
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def category_substitutions() -> list[tuple[str, str]]:
    """CATEGORY_REGEX_SUBSTITUTIONS: each article folder's category slug."""
    return [(rf"^{s.name}$", s.slug) for s in SECTIONS if s.posts]


def path_metadata() -> str:
    """PATH_METADATA: the category is the top folder (news/2026/x.md is news)."""
    return rf"(?P<category>{'|'.join(ARTICLE_SECTIONS)})/.*"


def section_of_category(slug: str) -> str:
    """'nyheter' -> 'news'; an unknown category slug stays as it is."""
    section = BY_SLUG.get(slug)
    return section.name if section else slug


def declared_access(item) -> str:
    """The `access:` value as written (stripped), or ''."""
    value = (getattr(item, "metadata", None) or {}).get(ACCESS_KEY)
    return "" if value is None else str(value).strip()


def is_protected(item) -> bool:
    """Members-only: an `access:` header, a protected section (content/minutes/),
    or a sealed source (`*.md.age`, whatever its header says). An empty
    `access:` is a content error at the reader, so it never decides here."""
    from . import content_section  # the package imports this module first

    return (
        bool(declared_access(item))
        or content_section(item) in PROTECTED_SECTIONS
        or str(getattr(item, "source_path", "") or "").endswith(SEALED_SUFFIX)
    )
