"""`{filename}`, `{static}` and `{attach}` links whose target does not exist.

Pelican finds these only while writing (a warning, fatal under --fatal warnings,
with half a site written) or, for `{static}`, while collecting static files. Here
they are content errors at the linking file's line, found by `invoke check`.
"""

from __future__ import annotations

import os
from html import unescape
from urllib.parse import unquote, urlparse

from .errors import collector, did_you_mean
from .textfile import UnreadableFile, read_text

FILE_LINKS = ("static", "attach")
SEALED_SUFFIX = ".age"
ITEMS_KEY = "_GRASROT_LINKING_ITEMS"  # read before grasrot_members takes protected ones


def all_items(generator) -> list:
    """Every article or page a generator read, drafts and translations included."""
    names = ("articles", "translations", "drafts", "drafts_translations",
             "hidden_articles", "hidden_translations", "pages", "hidden_pages",
             "draft_pages", "hidden_translations", "draft_translations")
    seen, items = set(), []
    for name in names:
        for item in getattr(generator, name, None) or []:
            if id(item) not in seen:
                seen.add(id(item))
                items.append(item)
    return items


def check_file_links(generator) -> None:
    """article/page_generator_finalized: every `{static}`/`{attach}` target is a
    file under PATH. A missing one is reported and dropped from the static files,
    so Pelican's static generator does not stop on it."""
    settings = generator.settings
    wanted = generator.context.setdefault("static_links", set())
    items = all_items(generator)
    settings.setdefault(ITEMS_KEY, []).extend(items)
    for item in items:
        for what, written, path in _links(item, FILE_LINKS):
            full = os.path.join(settings["PATH"], path)
            # A members-only attachment may be in git only sealed (grasrot_members).
            if not os.path.isfile(full) and not os.path.isfile(full + SEALED_SUFFIX):
                _report(item, what, written, path, settings, _files(settings))
                wanted.discard(path)


def check_page_links(generators) -> None:
    """all_generators_finalized: every `{filename}` target is a page, post or file."""
    if not generators:
        return
    settings, context = generators[0].settings, generators[0].context
    pages, files = context.get("generated_content", {}), context.get("static_content", {})
    for item in settings.pop(ITEMS_KEY, []):
        for what, written, path in _links(item, ("filename",)):
            candidates = _candidates(path)
            if any(candidate in pages for candidate in candidates):
                continue
            if any(candidate in files for candidate in candidates):
                line, col = _position(item.source_path, written)
                collector(settings).add(item.source_path, line, col, (
                    f"'{unquote(unescape(written))}' links to a file, not a page: write "
                    f"'{{static}}' instead of '{{filename}}'."))
                continue
            _report(item, what, written, path, settings, sorted({**pages, **files}))


def _links(item, kinds):
    """(what, the link as written, target path under PATH) of each internal link."""
    html = getattr(item, "_content", None) or ""
    if "{" not in html and "|" not in html:
        return
    for match in item._get_intrasite_link_regex().finditer(html):
        what = match.group("what")
        if what not in kinds:
            continue
        path = urlparse(match.group("value")).path
        if not path:
            continue  # '{filename}#anchor' and the like: the page itself
        if path.startswith("/"):
            path = path[1:]
        else:
            path = item.get_relative_source_path(os.path.join(item.relative_dir, path))
        yield what, match.group("path"), path.replace("%20", " ").replace(os.sep, "/")


def _candidates(path: str) -> list[str]:
    return [path, unquote(path), unescape(unquote(path))]


def _report(item, what, written, path, settings, known) -> None:
    line, col = _position(item.source_path, written)
    hint = did_you_mean(path, known)
    collector(settings).add(
        item.source_path, line, col,
        f"the link '{unquote(unescape(written))}' leads nowhere: there is no "
        f"content/{path}.{hint} Check the file name and folder ({{{what}}} paths start "
        "at content/ with '/', or are relative to this file).")


def _position(source: str, written: str) -> tuple[int, int]:
    """Line and column of the link in the source file (1, 1 if not found)."""
    try:
        lines = read_text(source).split("\n")
    except UnreadableFile:
        return 1, 1
    for needle in (written, unescape(written), unquote(unescape(written))):
        for number, line in enumerate(lines, start=1):
            col = line.find(needle)
            if col >= 0:
                return number, col + 1
    return 1, 1


def _files(settings) -> list[str]:
    root = settings["PATH"]
    found = []
    for folder, _dirs, names in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, n), root).replace(os.sep, "/")
                  for n in names]
    return sorted(found)
