"""Attribute a pyinstrument profile of a build to the kit's plugins.

Two views of one profile, both over `plugins/grasrot_<name>/` frames:

- innermost: a sample belongs to the deepest plugin frame on its stack, so
  Babel formatting called through grasrot_core's Jinja filters is core's
  time, wherever the template was rendered from ("whose code is hot");
- outermost: a sample belongs to the first plugin frame from the root, so a
  calendar page's whole render, filters included, is the calendar's
  ("which feature costs what").

Samples with no plugin frame on the stack are Pelican's own ("pelican").
"""

from __future__ import annotations

import re

PLUGIN_FILE = re.compile(r"[\\/]plugins[\\/](grasrot_[a-z]+)[\\/]")
OUTSIDE_PLUGINS = "pelican"
# Frames that only pass a call through (grasrot_preview's caching writer and its
# template stand-ins wrap every page Pelican writes): they own nothing, so in
# the outermost view a post's page stays Pelican's, a group page the groups'.
PASS_THROUGH = {
    ("grasrot_preview", "write_file"),
    ("grasrot_preview", "CachingWriter.write_file"),
    ("grasrot_preview", "PageCache.write_file"),
    ("grasrot_preview", "render"),
    ("grasrot_preview", "_PageTemplate.render"),
    ("grasrot_preview", "page"),
    ("grasrot_preview", "PageCache.page"),
    ("grasrot_preview", "_render"),
    ("grasrot_preview", "PageCache._render"),
}


def plugin_of(file_path: str | None, function: str | None = None) -> str | None:
    match = PLUGIN_FILE.search(file_path or "")
    if not match:
        return None
    if (match.group(1), function or "") in PASS_THROUGH:
        return None
    return match.group(1)


def seconds_by_plugin(root_frame, innermost: bool = True) -> dict[str, float]:
    """{plugin: seconds} over the whole profile, largest first."""
    totals: dict[str, float] = {}
    pending = [(root_frame, OUTSIDE_PLUGINS)] if root_frame is not None else []
    while pending:
        frame, owner = pending.pop()
        if innermost or owner == OUTSIDE_PLUGINS:
            owner = plugin_of(frame.file_path, getattr(frame, "function", None)) or owner
        self_time = frame.time - sum(child.time for child in frame.children)
        totals[owner] = totals.get(owner, 0.0) + max(self_time, 0.0)
        pending.extend((child, owner) for child in frame.children)
    return dict(sorted(totals.items(), key=lambda item: -item[1]))
