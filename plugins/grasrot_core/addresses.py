"""A page whose address is taken by the kit: a content error, not a crash mid-write.

An officer who writes `pages/kalender.md` ("Kalender") gets the slug
`kalender`, and so the address `kalender/`, where the calendar is built.
Pelican would only notice while writing, with a traceback and half a site.
This check runs before the gate, so the error is listed with the others and
nothing is written.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import unicodedata
from datetime import UTC, datetime

from pelican.contents import Article, Page

from .errors import collector
from .messages import msg
from .slugs import header_line

# The folders the kit's plugins build (docs/architecture.md, "URLs"), by what
# lives there. Category folders come from CATEGORY_REGEX_SUBSTITUTIONS.
KIT_FOLDERS: dict[str, str] = {
    "kalender": msg("the calendar"),
    "grupper": msg("the group directory"),
    "medlemmar": msg("the members' area"),
    "feeds": msg("the news feeds"),
    "prenumerera": msg("the page on subscribing to the calendar and news"),
    "theme": msg("the theme's files"),
    "admin": msg("the web editor"),
    "sok": msg("the search page"),
    "pagefind": msg("the search index"),
}


# Files the kit writes at the top of the site; EXTRA_PATH_METADATA adds its own.
KIT_FILES: dict[str, str] = {
    "index.html": msg("the home page"),
    "404.html": msg("the 'not found' page"),
    "sitemap.xml": msg("the sitemap"),
    "robots.txt": "robots.txt",
}
ADDRESS_KEYS = ("save_as", "url", "slug")


def reserved_files(settings) -> dict[str, str]:
    reserved = dict(KIT_FILES)
    for extra in (settings.get("EXTRA_PATH_METADATA") or {}).values():
        path = str((extra or {}).get("path") or "")
        if path:
            reserved.setdefault(
                path.replace(os.sep, "/"), msg("the file {path}", path=path)
            )
    return reserved


def check_content_address(content) -> None:
    """content_object_init: `Save_as`, `Url` and `Slug` stay inside the site and
    never take a file the kit writes. A bad one is a content error, and the item
    gets a harmless address so Pelican does not stop before the gate."""
    if not isinstance(content, (Article, Page)) or not content.source_path:
        return
    problem = _address_problem(content)
    if problem is None:
        return
    key, message = problem
    from . import meta_line  # the package imports this module first

    collector(content.settings).add(
        content.source_path, meta_line(content, key), 1, message
    )
    stand_in = (
        "grasrot-invalid/"
        + hashlib.sha256(
            content.source_path.encode("utf-8", "surrogateescape")
        ).hexdigest()[:16]
    )
    content.override_save_as = stand_in + ".html"
    content.override_url = stand_in + ".html"


def require_date(content) -> None:
    """content_object_init: a post without `Date:` is a content error (Pelican
    would skip it with a log line), and gets a stand-in date so it can be listed
    with the other errors; it is never written, since the build stops at the gate."""
    if (
        not isinstance(content, Article)
        or hasattr(content, "date")
        or not content.source_path
    ):
        return
    from . import meta_line

    collector(content.settings).add(
        content.source_path,
        meta_line(content, "title"),
        1,
        msg(
            "missing date: add a line 'Date: 2026-03-15' (or 'Date: 2026-03-15 18:30') "
            "to the header"
        ),
    )
    content.date = datetime(1970, 1, 1, tzinfo=UTC)
    content.status = "draft"


def normalise_address(content) -> None:
    """content_object_init: `Slug: höst` typed on a Mac (NFD) and on Windows (NFC)
    look alike, so they are one address: NFC, and two such slugs are a duplicate."""
    if not isinstance(content, (Article, Page)):
        return
    if isinstance(getattr(content, "slug", None), str):
        content.slug = unicodedata.normalize("NFC", content.slug)
    for key in ("override_save_as", "override_url"):
        value = getattr(content, key, None)
        if isinstance(value, str):
            setattr(content, key, unicodedata.normalize("NFC", value))


def alias_source_paths(generators) -> None:
    """all_generators_finalized: `{filename}` links find a file whichever Unicode
    form (NFC or NFD) the link and the file name were written in."""
    if not generators:
        return
    context = generators[0].context
    for key in ("generated_content", "static_content"):
        known = context.get(key)
        if not isinstance(known, dict):
            continue
        for path, item in list(known.items()):
            for form in ("NFC", "NFD"):
                known.setdefault(unicodedata.normalize(form, path), item)


def _address_problem(content):
    given = {
        key: str(content.metadata[key])
        for key in ADDRESS_KEYS
        if content.metadata.get(key) not in (None, "")
    }
    for key, value in given.items():
        if _leaves_site(value):
            return key, msg(
                "'{key}: {value}' points outside the site: write "
                "an address inside it, e.g. 'Slug: hostmote'.",
                key=key.capitalize(),
                value=value,
            )
    save_as, url = str(content.save_as or ""), str(content.url or "")
    key = next((k for k in ("save_as", "slug", "url") if k in given), "title")
    for address in (save_as, url):
        if _leaves_site(address):
            return key, msg(
                "this item's address '{address}' points outside the site: "
                "give it a plain slug, e.g. 'Slug: hostmote'.",
                address=address,
            )
    normal = posixpath.normpath(save_as.replace(os.sep, "/")) if save_as else ""
    reserved = reserved_files(content.settings)
    taken = reserved.get(normal) or (
        reserved_folders(content.settings).get(normal) if "/" not in normal else None
    )
    if taken:
        return key, msg(
            "'{address}' is where the kit builds {what}; this item would "
            "replace it. Remove the 'Save_as:' line or give another slug.",
            address=normal,
            what=taken,
        )
    return None


def _leaves_site(address: str) -> bool:
    """An absolute path, a drive or scheme, or a '..' step out of the output folder."""
    text = address.replace("\\", "/")
    if text.startswith("/") or ":" in text.split("/")[0]:
        return True
    return posixpath.normpath(text).split("/")[0] == ".." or "\x00" in text


def reserved_folders(settings) -> dict[str, str]:
    reserved: dict[str, str] = dict(KIT_FOLDERS)
    for _pattern, folder in settings.get("CATEGORY_REGEX_SUBSTITUTIONS") or []:
        reserved.setdefault(folder, msg("the '{folder}' list of posts", folder=folder))
    for key, what in (
        ("TAG_SAVE_AS", msg("the tag pages")),
        ("ARCHIVES_SAVE_AS", msg("the archive")),
    ):
        top = _top_folder(settings.get(key) or "")
        if top and "{" not in top:
            reserved.setdefault(top, what)
    return reserved


def check_page_addresses(pages, settings) -> None:
    """Report every page whose output folder is one the kit writes."""
    reserved = reserved_folders(settings)
    for page in pages:
        top = _top_folder(getattr(page, "save_as", "") or "")
        if top not in reserved:
            continue
        collector(settings).add(
            page.source_path,
            header_line(page.source_path),
            1,
            msg(
                "this page's address '{top}/' is where the kit builds {what}. "
                "Give the page another slug, e.g. 'Slug: om-{top}'.",
                top=top,
                what=reserved[top],
            ),
        )


def _top_folder(save_as: str) -> str:
    parts = save_as.replace(os.sep, "/").split("/")
    return parts[0] if len(parts) > 1 else ""
