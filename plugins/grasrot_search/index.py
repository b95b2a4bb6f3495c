"""Build the Pagefind index from the kit's list of public pages.

The list is the sitemap's: every HTML page the build wrote that is public,
listed and not protected (grasrot_feeds.sitemap decides, once, for both).
Pagefind is never pointed at the output folder, so a stale or protected file
there can never be indexed. Of those pages, only the ones whose template marks
main content with `data-pagefind-body` are indexed (pages, posts, groups,
events); list pages only repeat what their items say.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time

from grasrot_feeds import sitemap

from .service import PagefindService
from .stable import make_stable

BODY_MARK = "data-pagefind-body"
BUNDLE_DIR = "pagefind"
TIMINGS_KEY = "GRASROT_TIMINGS"
UNUSED_UI_PREFIXES = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def indexable_pages(pelican) -> list[tuple[str, str]]:
    """(output file, HTML) of each public page whose template marks its main content."""
    pages = []
    for output_file in sitemap.public_pages(pelican.output_path):
        with open(os.path.join(pelican.output_path, output_file), encoding="utf-8") as handle:
            text = handle.read()
        if BODY_MARK in text:
            pages.append((output_file, text))
    return pages


def index_pages(pages: list[tuple[str, str]], bundle: str, language: str) -> None:
    """Index exactly `pages`, in this order (their page numbers in the index)."""
    with PagefindService() as pagefind:
        index = pagefind.request({"type": "NewIndex",
                                  "config": {"force_language": language}})["index_id"]
        for output_file, text in pages:
            pagefind.request({"type": "AddFile", "index_id": index, "file_path": output_file,
                              "url": None, "file_contents": text})
        pagefind.request({"type": "WriteFiles", "index_id": index, "output_path": bundle})


def _drop_unused_files(bundle: str, language: str) -> None:
    """Keep what the search page loads: Pagefind's default UI, not its other UIs."""
    for name in os.listdir(bundle):
        unused_ui = name.startswith(UNUSED_UI_PREFIXES)
        other_wasm = name.startswith("wasm.") and name != f"wasm.{language}.pagefind"
        if unused_ui or other_wasm:
            os.remove(os.path.join(bundle, name))


def _children_cpu() -> float:
    """CPU seconds of finished child processes (Pagefind's binary runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_index(pelican) -> None:
    """finalized: every page is written; index the public ones into pagefind/."""
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    bundle = os.path.join(pelican.output_path, settings.get("SEARCH_BUNDLE_DIR", BUNDLE_DIR))
    # A bundle left from an earlier build must not keep pages that are gone.
    shutil.rmtree(bundle, ignore_errors=True)
    language = settings.get("DEFAULT_LANG", "sv")
    started, children = time.perf_counter(), _children_cpu()
    pages = indexable_pages(pelican)
    index_pages(pages, bundle, language)
    _drop_unused_files(bundle, language)
    if not make_stable(bundle):
        print("grasrot_search: this Pagefind release writes its filters in a format the kit "
              "does not know, so the search index may differ between builds. Pin the "
              "pagefind version in constraints.txt.", file=sys.stderr)
    # bench/search_bench.py reports these beside the whole build's time.
    settings.setdefault(TIMINGS_KEY, {}).update(
        search_seconds=time.perf_counter() - started, search_pages=len(pages),
        search_pagefind_cpu=_children_cpu() - children)
