"""Build the Pagefind index from the kit's list of public pages.

The list is the sitemap's: every HTML page the build wrote that is public,
listed and not protected (grasrot_feeds.sitemap decides, once, for both).
Pagefind is never pointed at the output folder, so a stale or protected file
there can never be indexed. Of those pages, only the ones whose template marks
main content with `data-pagefind-body` are indexed (pages, posts, groups,
events); list pages only repeat what their items say.
"""

from __future__ import annotations

import base64
import os
import resource
import shutil
import time

import grasrot_core.state
from grasrot_core.messages import msg, notice
from grasrot_feeds import sitemap

from .service import PagefindService
from .stable import make_stable

BODY_MARK = "data-pagefind-body"
BUNDLE_DIR = "pagefind"
# What every bundle holds under these names; the rest is named after its content.
FIXED_BUNDLE_FILES = (
    "pagefind.js",
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-entry.json",
)
UNUSED_UI_PREFIXES = (
    "pagefind-component-ui.",
    "pagefind-modular-ui.",
    "pagefind-highlight.",
)


def indexable_pages(pelican) -> list[tuple[str, str]]:
    """(output file, HTML) of each public page whose template marks its main content."""
    pages = []
    for output_file in sitemap.public_pages(pelican.output_path):
        with open(
            os.path.join(pelican.output_path, output_file), encoding="utf-8"
        ) as handle:
            text = handle.read()
        if BODY_MARK in text:
            pages.append((output_file, text))
    return pages


def index_pages(pages: list[tuple[str, str]], language: str) -> dict[str, bytes]:
    """Index exactly `pages`, in this order; return the bundle's files by name.

    The files come back in Pagefind's answer and are written here: Pagefind's own
    writer may still be writing when it answers (it does not flush), so a file
    could be cut short when the service stops.
    """
    with PagefindService() as pagefind:
        index = pagefind.request(
            {"type": "NewIndex", "config": {"force_language": language}}
        )["index_id"]
        for output_file, text in pages:
            pagefind.request(
                {
                    "type": "AddFile",
                    "index_id": index,
                    "file_path": output_file,
                    "url": None,
                    "file_contents": text,
                }
            )
        files = pagefind.request({"type": "GetFiles", "index_id": index})["files"]
    return {file["path"]: base64.b64decode(file["content"]) for file in files}


def _is_used(name: str, language: str) -> bool:
    """What the search page loads: Pagefind's default UI, not its other UIs."""
    if name.startswith(UNUSED_UI_PREFIXES) or name.startswith("playground/"):
        return False
    return not name.startswith("wasm.") or name == f"wasm.{language}.pagefind"


def write_bundle(files: dict[str, bytes], bundle: str, language: str) -> None:
    for name, data in sorted(files.items()):
        if not _is_used(name, language):
            continue
        target = os.path.join(bundle, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)


def _children_cpu() -> float:
    """CPU seconds of finished child processes (Pagefind's binary runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_index(pelican) -> None:
    """finalized: every page is written; index the public ones into pagefind/."""
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    bundle = os.path.join(
        pelican.output_path, settings.get("SEARCH_BUNDLE_DIR", BUNDLE_DIR)
    )
    # A bundle left from an earlier build must not keep pages that are gone.
    shutil.rmtree(bundle, ignore_errors=True)
    language = settings.get("DEFAULT_LANG", "sv")
    started, children = time.perf_counter(), _children_cpu()
    pages = indexable_pages(pelican)
    write_bundle(index_pages(pages, language), bundle, language)
    if not make_stable(bundle):
        notice(
            msg(
                "grasrot_search: this Pagefind release writes its filters in a format "
                "the kit does not know, so the search index may differ between builds. "
                "Pin the pagefind version in constraints.txt."
            ),
            settings,
        )
    # bench/search_bench.py reports these beside the whole build's time.
    grasrot_core.state.current(settings).timings.update(
        search_seconds=time.perf_counter() - started,
        search_pages=len(pages),
        search_pagefind_cpu=_children_cpu() - children,
    )
