"""Remove plain copies an earlier build left in the output folder.

With DELETE_OUTPUT_DIRECTORY off (or a hand-made output folder), a build from
before an item was protected may have left its plain page, source copy,
attachment, tag page or a later page of a paginated list. This build has
overwritten every protected URL; here it removes, in the folders protected
items and vanished list pages own, every file this build did not write.
Folders shared with public content are never swept, only exact files in them.
"""

from __future__ import annotations

import os

from grasrot_core.sections import ADDRESSES

from .attachments import FILES_FOLDER

NEVER_SWEPT = ("", "theme", "feeds", "images", "files")


def remove_stale(output_path: str, state, settings, static_files=()) -> list[str]:
    """Delete stale files; returns their paths relative to the output folder.

    `static_files` are Pelican's Static objects: copied after this runs, so
    they are kept although not written yet.
    """
    output = os.path.abspath(output_path)
    keep = state.written | {
        os.path.abspath(os.path.join(output, s.save_as)) for s in static_files
    }
    removed = []
    for folder in sorted(_owned_folders(state, settings)):
        removed += _sweep(output, folder, keep)
    for relative in sorted(_exact_files(state, settings)):
        target = os.path.join(output, relative)
        if os.path.isfile(target) and os.path.abspath(target) not in keep:
            os.remove(target)
            removed.append(relative)
    _remove_empty_folders(output, removed)
    return removed


def _remove_empty_folders(output: str, removed: list[str]) -> None:
    """A folder left empty still names the old URL (a slug is made from a title)."""
    folders = {os.path.dirname(os.path.join(output, r)) for r in removed}
    for folder in sorted(folders, key=len, reverse=True):
        while (
            folder.startswith(output + os.sep)
            and os.path.isdir(folder)
            and not os.listdir(folder)
        ):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def _owned_folders(state, settings) -> set[str]:
    """Folders only protected items or vanished list pages may hold files in."""
    folders = {FILES_FOLDER, ADDRESSES["members"].rstrip("/")}
    for entry in state.protected:
        folders.add(_folder(entry.item.save_as))
        folders.add(_folder(entry.first_save_as))
    for save_as in state.vanished_pages:
        folders.add(_folder(save_as))
    for save_as in state.pagination_bases | {"index.html"}:
        folders.add(_pagination_folder(_folder(save_as), settings))
    public = set(NEVER_SWEPT) | {
        p.strip("/").split("/", 1)[0] for p in settings.get("STATIC_PATHS", ())
    }
    return {f for f in folders if f and f.split("/", 1)[0] not in public}


def _exact_files(state, settings) -> set[str]:
    """Single files: the plain static copy of an attachment, root-level items."""
    found = {a.relative for a in state.attachments.values()}
    extension = settings.get("OUTPUT_SOURCES_EXTENSION", ".text")
    for entry in state.protected:
        for save_as in {entry.item.save_as, entry.first_save_as} - {""}:
            found.add(os.path.splitext(save_as)[0] + extension)
            found.add(save_as)  # kept when this build wrote it (the encrypted page)
    return found


def _folder(save_as: str) -> str:
    return os.path.dirname(save_as or "").replace(os.sep, "/").strip("/")


def _pagination_folder(base: str, settings) -> str:
    """'nyheter' -> 'nyheter/sida': where later pages of a list are written."""
    for minimum, _url, save_as in settings.get("PAGINATION_PATTERNS", ()):
        if minimum > 1:
            text = save_as.format(base_name=base, number="\0", name=base, extension="")
            return text.split("\0", 1)[0].strip("/")
    return ""


def _sweep(output: str, folder: str, keep: set) -> list[str]:
    root = os.path.join(output, folder)
    removed: list[str] = []
    if not os.path.isdir(root):
        return removed
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.abspath(os.path.join(directory, name))
            if path not in keep:
                os.remove(path)
                removed.append(os.path.relpath(path, output))
    return removed
