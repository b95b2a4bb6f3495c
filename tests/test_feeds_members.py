"""Members-only items are in no feed, no sitemap and no meta tag.

The members plugin removes protected posts from Pelican's lists; grasrot_feeds
also checks every item itself. This build holds a canary string in every
protected item and looks for it in everything grasrot_feeds writes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import lxml.html
import pytest
from conftest import build_site
from feeds_helpers import CANARY, parse_feed

FILES = {
    "news/2026-11-10-oppen-nyhet.md": (
        "Title: Öppen nyhet\nDate: 2026-11-10 09:00\n\nAlla får läsa det här.\n"
    ),
    "news/2026-11-11-bara-medlemmar.md": (
        f"Title: Internt {CANARY}\nDate: 2026-11-11 09:00\nAccess: members\n"
        f"Summary: {CANARY}\n\nHemligt: {CANARY}\n"
    ),
    "newsletters/2026-11-12-medlemsbrev.md": (
        f"---\ntitle: Medlemsbrev {CANARY}\ndate: 2026-11-12 09:00\naccess: members\n"
        f"---\n## Internt\n\n{CANARY}\n"
    ),
    "minutes/2026-11-01-styrelsemote.md": (
        f"Title: Styrelsemöte {CANARY}\nDate: 2026-11-01 19:00\n\nProtokoll: {CANARY}\n"
    ),
    "newsletters/2026-11-13-oppet-brev.md": (
        "Title: Öppet nyhetsbrev\nDate: 2026-11-13 09:00\n\n## Hej\n\nTill alla.\n"
    ),
}


@pytest.fixture(scope="module")
def members_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds-members")
    content = root / "content"
    for name, text in FILES.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return build_site(content, root / "output")


def test_no_feed_holds_members_only_text(members_site):
    feeds = sorted((members_site / "feeds").glob("*.xml"))
    assert len(feeds) == 6  # alla, nyheter, nyhetsbrev; no groups in this site
    for path in feeds:
        assert CANARY not in path.read_text(encoding="utf-8"), path.name
        parse_feed(path)
    titles = [e.title for e in parse_feed(members_site / "feeds" / "alla.rss.xml").entries]
    assert titles == ["Öppet nyhetsbrev", "Öppen nyhet"]


def test_sitemap_lists_no_members_only_page(members_site):
    text = (members_site / "sitemap.xml").read_text(encoding="utf-8")
    assert CANARY not in text
    locs = [
        loc.text
        for loc in ET.fromstring(text).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert "http://localhost:8000/nyheter/oppen-nyhet/" in locs
    assert not [
        loc
        for loc in locs
        if "/protokoll/" in loc
        or "medlemmar/" in loc
        or "internt" in loc
        or "medlemsbrev" in loc
    ]


def test_no_meta_tag_describes_a_members_only_item(members_site):
    for page in members_site.rglob("*.html"):
        head = lxml.html.parse(str(page)).getroot().find("head")
        if head is None:
            continue
        for meta in head.iter("meta"):
            assert CANARY not in (meta.get("content") or ""), page
