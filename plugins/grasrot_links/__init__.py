"""Gräsrot links: links in content work under any site address, and none is broken.

- Root-relative links an officer writes (`[kalendern](/kalender/)`) are
  rewritten to the site's address (`SITEURL`), so they keep working when the
  site lives under a sub-path such as https://<owner>.github.io/<repo>.
- Before anything is written, every link in pages, posts, newsletters,
  minutes, group pages and event descriptions is checked against the files
  the build will write (plan.py): a link that leads nowhere is a content
  error at the line where it was written (check.py).

See README.md ("Links") for how officers link to pages, posts, groups,
events and files.
"""

from __future__ import annotations

import os
import re

from pelican import signals
from pelican.contents import Static

import grasrot_core
import grasrot_core.state
from grasrot_core.plaintext import html_to_text

from .check import LinkSource, SiteLinks, check_links, ids_in, template_ids
from .plan import attached_files, planned_files

ROOT_RELATIVE = re.compile(
    r"""(?P<before><[a-zA-Z][^>]*?\s(?:href|src)\s*=\s*["'])/(?!/)"""
)


class LinksState:
    """The content objects of one build, with their HTML as written."""

    def __init__(self):
        self.items = []  # (content object, its HTML before rewriting)
        self.drafts = set()  # relative source paths of drafts
        self.planned = set()  # the files the build will write (plan.py)


def state_of(settings) -> LinksState:
    """This build's links state (grasrot_core.state: fresh for every build)."""
    return grasrot_core.state.current(settings).slot("links", LinksState)


def active(settings) -> bool:
    """Signals are process-wide: a build without this plugin is left alone."""
    return any(
        str(p).rsplit(".", 1)[-1] == "grasrot_links" for p in settings.get("PLUGINS") or ()
    )


def rewrite_root_links(text: str, settings) -> str:
    """'/kalender/' -> SITEURL + '/kalender/' in every href and src."""
    if not text or "/" not in text:
        return text
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    return ROOT_RELATIVE.sub(lambda m: f"{m.group('before')}{siteurl}/", text)


INTRASITE_LINK = re.compile(
    r"""(?P<before>\s(?:href|src)\s*=\s*["'][{|](?:filename|static|attach)[|}])"""
    r"""(?P<path>[^"'#?]+)"""
)


def with_real_file_names(text: str, source_path: str, settings) -> str:
    """`{filename}var-politik.md` finds `vår-politik.md`: file names in links match
    with or without å, ä, ö and in any case, as group references do."""
    if "{" not in text and "|" not in text:
        return text
    root = os.path.abspath(settings["PATH"])
    folder = os.path.dirname(os.path.abspath(source_path))

    def real(match):
        from urllib.parse import unquote

        path = unquote(match.group("path"))
        base = root if path.startswith("/") else folder
        if os.path.exists(os.path.join(base, path.lstrip("/"))):
            return match.group(0)
        found = _folded_path(base, path.lstrip("/"))
        if found is None:
            return match.group(0)
        return match.group("before") + ("/" if path.startswith("/") else "") + found

    return INTRASITE_LINK.sub(real, text)


def _folded_path(base: str, path: str):
    """The real path under `base` whose parts equal `path`'s ignoring diacritics."""
    from grasrot_groups.model import fold

    current, parts = base, []
    for part in path.split("/"):
        if part in ("", ".", ".."):
            parts.append(part)
            current = os.path.normpath(os.path.join(current, part))
            continue
        try:
            names = sorted(os.listdir(current))
        except OSError:
            return None
        match = next((name for name in names if fold(name) == fold(part)), None)
        if match is None:
            return None
        parts.append(match)
        current = os.path.join(current, match)
    return "/".join(parts)


def on_content_object_init(content) -> None:
    if isinstance(content, Static) or not content.source_path:
        return
    if not active(content.settings):
        return
    settings = content.settings
    state = state_of(settings)
    if getattr(content, "status", None) == "draft":
        state.drafts.add(_relative_source(content.source_path, settings))
        return
    # Pelican keeps a content object's HTML in `_content` (`content` is a read-only
    # property that adds links); plugins that rewrite HTML set it, as here.
    written = with_real_file_names(content._content or "", content.source_path, settings)
    state.items.append((content, written))
    content._content = rewrite_root_links(written, settings)
    summary = content.metadata.get("summary")
    if isinstance(summary, str) and "href" in summary:
        content.metadata["summary"] = rewrite_root_links(summary, settings)
        content.summary = content.metadata["summary"]


def drop_missing_static_links(generator) -> None:
    """A `{static}` link to a file that is not there: Pelican would try to copy it
    and stop with a traceback; the checker reports it at its line instead."""
    if not active(generator.settings):
        return
    root = os.path.abspath(generator.settings["PATH"])
    links = generator.context.get("static_links")
    if links:
        generator.context["static_links"] = {
            path for path in links if os.path.isfile(os.path.join(root, path))
        }


def on_all_generators_finalized(generators) -> None:
    if not generators:
        return
    settings = generators[0].settings
    context = generators[0].context
    if not active(settings):
        return
    sources = _content_sources(settings) + _group_sources(context) + _event_sources(context)
    _rewrite_models(context, settings)
    state = state_of(settings)
    attached = attached_files(_attach_links(state, settings))
    state.planned = planned_files(generators, settings, attached)
    site = SiteLinks(
        state.planned,
        sources,
        os.path.abspath(settings["PATH"]),
        template_ids(settings["THEME"]),
        drafts=state_of(settings).drafts,
    )
    check_links(sources, site, settings)


ATTACH = re.compile(r"""\s(?:href|src)\s*=\s*["'][{|]attach[|}](?P<path>[^"'#?]+)""")


def _attach_links(state, settings):
    """(content, target under content/) for each {attach} link, in reading order.
    Protected items are left out: their files are encrypted, not moved."""
    from urllib.parse import unquote

    found = []
    for content, written in state.items:
        if not getattr(content, "save_as", "") or _is_protected(content):
            continue
        folder = os.path.dirname(_relative_source(content.source_path, settings))
        for match in ATTACH.finditer(written):
            path = unquote(match.group("path"))
            target = (
                path.lstrip("/") if path.startswith("/") else os.path.join(folder, path)
            )
            found.append((content, os.path.normpath(target).replace(os.sep, "/")))
    return found


def _content_sources(settings) -> list[LinkSource]:
    sources = []
    for content, written in state_of(settings).items:
        if not getattr(content, "save_as", ""):
            continue
        sources.append(
            LinkSource(
                source_path=content.source_path,
                url=content.url,
                html=written,
                relative_source=_relative_source(content.source_path, settings),
                ids=ids_in(written),
                protected=_is_protected(content),
            )
        )
    return sources


def _group_sources(context) -> list[LinkSource]:
    return [
        LinkSource(
            source_path=group.source_path,
            url=group.url,
            html=group.description,
            ids=ids_in(group.description),
        )
        for group in context.get("groups") or ()
    ]


def _event_sources(context) -> list[LinkSource]:
    calendar = context.get("calendar")
    return [
        LinkSource(
            source_path=event.source_path,
            url=event.url,
            html=event.description_html,
            first_line=event.line,
        )
        for event in getattr(calendar, "events", ())
        if getattr(event, "description_html", "")
    ]


def _rewrite_models(context, settings) -> None:
    """Group pages and event descriptions get the same rewriting as posts."""
    for group in context.get("groups") or ():
        group.description = rewrite_root_links(group.description, settings)
    address = grasrot_core.site_address(settings)
    for event in getattr(context.get("calendar"), "events", ()):
        described = getattr(event, "description_html", "")
        if not described or not ROOT_RELATIVE.search(described):
            continue
        event.description_html = rewrite_root_links(described, settings)
        if address and hasattr(event, "description_text"):
            # Calendar apps have no page to resolve '/kalender/' against.
            full = ROOT_RELATIVE.sub(lambda m: f"{m.group('before')}{address}/", described)
            event.description_text = html_to_text(full, width=None).strip()


def _is_protected(content) -> bool:
    """Members-only items: the members' plugin encrypts files beside them."""
    from grasrot_core.sections import is_protected

    return is_protected(content)


def _relative_source(source_path: str, settings) -> str:
    return os.path.relpath(
        os.path.abspath(source_path), os.path.abspath(settings["PATH"])
    ).replace(os.sep, "/")


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_groups")


def register() -> None:
    signals.content_object_init.connect(on_content_object_init)
    signals.article_generator_finalized.connect(drop_missing_static_links)
    signals.page_generator_finalized.connect(drop_missing_static_links)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
