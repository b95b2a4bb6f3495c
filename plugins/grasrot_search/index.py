"""Build the Pagefind index from the kit's list of public pages.

The list is the sitemap's: every HTML page the build wrote that is public,
listed and not protected (grasrot_feeds.sitemap decides, once, for both).
Pagefind is never pointed at the output folder, so a stale or protected file
there can never be indexed. Of those pages, only the ones whose template marks
main content with `data-pagefind-body` are indexed (pages, posts, groups,
events); list pages only repeat what their items say.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import resource
import shutil
import sys
import tempfile
import time

from grasrot_feeds import sitemap

from .stable import make_stable

BODY_MARK = "data-pagefind-body"
BUNDLE_DIR = "pagefind"
TIMINGS_KEY = "GRASROT_TIMINGS"
UNUSED_UI_PREFIXES = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def indexable_pages(pelican) -> list[str]:
    """The public pages (output files) whose template marks their main content."""
    pages = []
    for output_file in sitemap.public_pages(pelican.output_path):
        with open(os.path.join(pelican.output_path, output_file), encoding="utf-8") as handle:
            if BODY_MARK in handle.read():
                pages.append(output_file)
    return pages


def _link_or_copy(source: str, target: str) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


async def _write(source: str, bundle: str, language: str) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language=language, output_path=bundle)
    async with PagefindIndex(config=config) as index:
        # Leaving the context writes the bundle once.
        await index.add_directory(path=source, glob="**/*.html")


def _run(coroutine) -> None:
    """Run the indexer; in its own thread when an event loop already runs (preview)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def index_pages(output_path: str, pages: list[str], bundle: str, language: str) -> None:
    """Index exactly `pages`: Pagefind reads a folder that holds only them.

    Pagefind reads a folder far faster than it takes pages one by one from
    Python, so the chosen pages are linked (not copied) into a scratch folder
    beside the output; the output folder itself is never crawled.
    """
    scratch = tempfile.mkdtemp(prefix=".search-pages-", dir=os.path.dirname(output_path))
    try:
        for output_file in pages:
            _link_or_copy(os.path.join(output_path, output_file),
                          os.path.join(scratch, output_file))
        _run(_write(scratch, bundle, language))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
    index_pages(pelican.output_path, pages, bundle, language)
    _drop_unused_files(bundle, language)
    if not make_stable(bundle):
        print("grasrot_search: this Pagefind release writes its filters in a format the kit "
              "does not know, so the search index may differ between builds. Pin the "
              "pagefind version in constraints.txt.", file=sys.stderr)
    # bench/search_bench.py reports these beside the whole build's time.
    settings.setdefault(TIMINGS_KEY, {}).update(
        search_seconds=time.perf_counter() - started, search_pages=len(pages),
        search_pagefind_cpu=_children_cpu() - children)
