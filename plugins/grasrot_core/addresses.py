"""A page whose address is taken by the kit: a content error, not a crash mid-write.

An officer who writes `pages/kalender.md` ("Kalender") gets the slug
`kalender`, and so the address `kalender/`, where the calendar is built.
Pelican would only notice while writing, with a traceback and half a site.
This check runs before the gate, so the error is listed with the others and
nothing is written.
"""

from __future__ import annotations

import os

from .errors import collector
from .slugs import header_line

# The folders the kit's plugins build (docs/architecture.md, "URLs"), by what
# lives there. Category folders come from CATEGORY_REGEX_SUBSTITUTIONS.
KIT_FOLDERS = {
    "kalender": "the calendar",
    "grupper": "the group directory",
    "medlemmar": "the members' area",
    "feeds": "the news feeds",
    "prenumerera": "the page on subscribing to the calendar and news",
    "theme": "the theme's files",
    "admin": "the web editor",
    "sok": "the search page",
    "pagefind": "the search index",
}


def reserved_folders(settings) -> dict[str, str]:
    reserved = dict(KIT_FOLDERS)
    for _pattern, folder in settings.get("CATEGORY_REGEX_SUBSTITUTIONS") or []:
        reserved.setdefault(folder, f"the '{folder}' list of posts")
    for key, what in (("TAG_SAVE_AS", "the tag pages"), ("ARCHIVES_SAVE_AS", "the archive")):
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
            page.source_path, header_line(page.source_path), 1,
            f"this page's address '{top}/' is where the kit builds {reserved[top]}. "
            f"Give the page another slug, e.g. 'Slug: om-{top}'.")


def _top_folder(save_as: str) -> str:
    parts = save_as.replace(os.sep, "/").split("/")
    return parts[0] if len(parts) > 1 else ""
