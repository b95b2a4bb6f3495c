"""sitemap.xml: every public HTML page the build wrote, with lastmod where known.

Pages are recorded as Pelican's writer writes them (`content_written`), so
pages of every plugin (calendar, groups) are listed without this plugin
knowing them. Left out: members-only pages (anything with `access:`, from
content/minutes/, or under SITEMAP_EXCLUDE), pages whose context sets
`noindex`, unlisted (`status: hidden`) items and the 404 page.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import grasrot_core.state
from grasrot_core.sections import ADDRESSES, MINUTES, is_protected, page_path

from .posts import last_change
from .urls import absolute

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DEFAULT_EXCLUDE = (ADDRESSES["members"], MINUTES.url)
NOT_LISTED = ("404.html",)


@dataclass
class SitemapState:
    """What one build has written and what it must never list."""

    output_path: str
    exclude: tuple
    protected: set = field(default_factory=set)
    pages: dict = field(default_factory=dict)  # output file -> lastmod or None


SLOT = "sitemap"  # in the build's grasrot_core BuildState


def _key(path: str) -> str:
    return os.path.abspath(path)


def start_build(pelican) -> None:
    settings = pelican.settings
    exclude = tuple(settings.get("SITEMAP_EXCLUDE", DEFAULT_EXCLUDE))
    state = SitemapState(_key(pelican.output_path), exclude)
    grasrot_core.state.start(pelican).slots[SLOT] = state


def _running_state(output_path: str | None = None):
    """This build's sitemap state (hooks without settings get the running build's)."""
    build = grasrot_core.state.running()
    state = build.slots.get(SLOT) if build is not None else None
    if state is None or (
        output_path is not None and state.output_path != _key(output_path)
    ):
        return None
    return state


def _state_for_file(path: str):
    state = _running_state()
    if state is not None and _key(path).startswith(state.output_path + os.sep):
        return state
    return None


def remember_protected(content) -> None:
    """content_object_init: note protected items before anyone hides them."""
    if not is_protected(content):
        return
    state = grasrot_core.state.current(content.settings).slots.get(SLOT)
    if state is not None:
        for name in (getattr(content, "save_as", ""), getattr(content, "url", "")):
            if name:
                state.protected.add(name)


def remember_written(path, context=None) -> None:
    """content_written: record a public HTML page and when it last changed."""
    state = _state_for_file(path)
    if state is None or not str(path).endswith(".html") or context is None:
        return
    output_file = context.get("output_file") or os.path.relpath(path, state.output_path)
    if not _listable(output_file, context, state):
        return
    state.pages[output_file.replace(os.sep, "/")] = _lastmod(context)


def _listable(output_file: str, context, state: SitemapState) -> bool:
    item = context.get("article") or context.get("page")
    if context.get("noindex") or os.path.basename(output_file) in NOT_LISTED:
        return False
    if item is not None and (
        is_protected(item) or getattr(item, "status", "") != "published"
    ):
        return False
    if output_file in state.protected or page_path(output_file) in state.protected:
        return False
    return not output_file.replace(os.sep, "/").startswith(state.exclude)


def _lastmod(context):
    item = context.get("article") or context.get("page")
    if item is not None:
        return last_change(item)
    listed = getattr(context.get("articles_page"), "object_list", None) or []
    changes = [last_change(a) for a in listed if last_change(a) is not None]
    return max(changes) if changes else None


def public_pages(output_path: str) -> list[str]:
    """The public, listed HTML pages this build wrote (output files, sorted).

    Complete at `finalized`; the search index (grasrot_search) uses the same list,
    so what may be found is exactly what the sitemap lists.
    """
    state = _running_state(output_path)
    return sorted(state.pages) if state is not None else []


def write_sitemap(pelican) -> None:
    """finalized: every page is written now; list them, sorted, deterministic."""
    state = grasrot_core.state.current(pelican.settings).slots.get(SLOT)
    if state is None or pelican.settings.get("SITEMAP_SAVE_AS", "sitemap.xml") == "":
        return
    ET.register_namespace("", SITEMAP_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for output_file in sorted(state.pages):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(
            page_path(output_file), pelican.settings
        )
        changed = state.pages[output_file]
        if changed is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = changed.isoformat()
    ET.indent(urlset)
    target = os.path.join(
        pelican.output_path, pelican.settings.get("SITEMAP_SAVE_AS", "sitemap.xml")
    )
    ET.ElementTree(urlset).write(target, encoding="utf-8", xml_declaration=True)
