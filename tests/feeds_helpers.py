"""Helpers shared by test_feeds*.py and test_newsletter*.py (not a test module)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from grasrot_core.reader import as_list, split_header

CANARY = "KANARIEFÅGEL-endast-för-medlemmar-7f3a"


def header(path: Path) -> dict:
    """A Markdown file's metadata, lower-case keys, read independently of Pelican."""
    fields, *_ = split_header(path.read_text(encoding="utf-8"))
    return {key.lower(): value for key, value, _line, _col in fields}


def public_files(content: Path, section: str) -> list[Path]:
    """The Markdown files of a section a feed must list (no drafts, hidden, access)."""
    found = []
    for path in sorted((content / section).glob("*.md")):
        meta = header(path)
        if meta.get("access") or str(meta.get("status", "published")) != "published":
            continue
        found.append(path)
    return found


def groups_of(path: Path) -> list[str]:
    return as_list(header(path).get("groups") or [])


def parse_feed(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
    return parsed


def is_absolute_link(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return True
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def html_links(html: str) -> list[str]:
    if not html.strip():
        return []
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        value
        for element in tree.iter()
        if isinstance(element.tag, str)
        for attribute in ("href", "src")
        if (value := element.get(attribute)) is not None
    ]
