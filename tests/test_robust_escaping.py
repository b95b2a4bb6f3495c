"""Whatever an officer writes in a title, summary or location shows as that text
everywhere: pages, lists, meta tags, JSON-LD, feeds, .ics and both e-mail editions.
Nothing written in metadata can add an element or break an attribute."""

from __future__ import annotations

import json
import shutil

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, TEST_ENV, build_site, copy_content, write

from grasrot_feeds.email import write_email_edition

SCRIPT_TITLE = "X <script>alert(1)</script>"
QUOTED_TITLE = 'Vi säger "nej"'
EVENT_TITLE = 'Möte <script>alert(2)</script> & "fika"'
LOCATION = 'Folkets hus <b>rum 2</b> & "Ekan"'


def _add_hostile_content(content):
    write(
        content / "news" / "2026-11-19-script.md",
        f"Title: {SCRIPT_TITLE}\nDate: 2026-11-19 12:00\nGroups: centrum\n"
        f"Tags: {QUOTED_TITLE}\n\nText.\n",
    )
    write(
        content / "news" / "2026-11-19-nej.md",
        f"Title: {QUOTED_TITLE}\nDate: 2026-11-19 13:00\nTags: {QUOTED_TITLE}\n"
        f"Summary: {QUOTED_TITLE} och <script>alert(3)</script>\n\nText.\n",
    )
    write(content / "pages" / "nej.md", f"Title: {QUOTED_TITLE}\n\nSidan.\n")
    write(
        content / "newsletters" / "2026-11-19-brev.md",
        f"Title: {QUOTED_TITLE} {SCRIPT_TITLE}\nDate: 2026-11-19 14:00\n"
        "Include_events: 30\n\nBrevet.\n",
    )
    calendar = content / "calendar" / "ekdala.yaml"
    calendar.write_text(
        calendar.read_text(encoding="utf-8")
        + f"""
  - id: fientlig
    title: {json.dumps(EVENT_TITLE)}
    start: "2026-11-25 18:00"
    end: "19:00"
    location: {json.dumps(LOCATION)}
""",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("escaping")
    content = copy_content(tmp)
    _add_hostile_content(content)
    return build_site(content, tmp / "output")


def _pages(site):
    return {
        path: BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for path in sorted(site.rglob("*.html"))
    }


def _meta(soup, key):
    for element in soup.find_all("meta"):
        if key in (element.get("property"), element.get("name")):
            return element.get("content")
    return None


def test_no_metadata_becomes_an_element(site):
    pages = _pages(site)
    assert len(pages) > 30
    for path, soup in pages.items():
        for script in soup.find_all("script"):
            assert "alert(" not in script.get_text() or script.get("type") in (
                "application/ld+json",
                "application/json",
            ), path
        assert not soup.select("h1 b, .cal-item__where b, dd b"), path


def test_titles_read_as_written_on_every_page_type(site):
    pages = _pages(site)
    post = pages[site / "nyheter" / "x-alert1" / "index.html"]
    assert post.h1.get_text(strip=True) == SCRIPT_TITLE
    assert post.title.get_text().startswith(SCRIPT_TITLE)
    lists = [
        site / "nyheter" / "index.html",
        site / "arkiv" / "index.html",
        site / "grupper" / "centrum" / "index.html",
    ]
    for path in lists:
        texts = [a.get_text(strip=True) for a in pages[path].find_all("a")]
        assert SCRIPT_TITLE in texts, path
    tag_pages = [p for p in pages if "etikett" in p.parts]
    assert tag_pages
    tag_links = [a.get_text(strip=True) for a in post.find_all("a")]
    assert QUOTED_TITLE in tag_links


def test_meta_tags_keep_quotes(site):
    soup = BeautifulSoup(
        (site / "nyheter" / "vi-sager-nej" / "index.html").read_text(encoding="utf-8"),
        "lxml",
    )
    assert soup.h1.get_text(strip=True) == QUOTED_TITLE
    assert _meta(soup, "og:title") == QUOTED_TITLE
    assert _meta(soup, "twitter:title") == QUOTED_TITLE
    assert _meta(soup, "description").startswith(f"{QUOTED_TITLE} och")
    assert _meta(soup, "og:description") == _meta(soup, "description")
    assert _meta(soup, "article:tag") == QUOTED_TITLE
    page = BeautifulSoup(
        (site / "vi-sager-nej" / "index.html").read_text(encoding="utf-8"), "lxml"
    )
    assert _meta(page, "og:title") == QUOTED_TITLE
    assert page.h1.get_text(strip=True) == QUOTED_TITLE


def test_event_title_and_location_everywhere(site):
    event_pages = [site / "kalender" / "ekdala" / "fientlig" / "index.html"]
    assert event_pages
    soup = BeautifulSoup(event_pages[0].read_text(encoding="utf-8"), "lxml")
    assert soup.h1.get_text(strip=True) == EVENT_TITLE
    assert LOCATION in soup.get_text()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["name"] == EVENT_TITLE
    listing = BeautifulSoup(
        (site / "kalender" / "index.html").read_text(encoding="utf-8"), "lxml"
    )
    assert EVENT_TITLE in [a.get_text(strip=True) for a in listing.find_all("a")]
    assert LOCATION in listing.get_text()
    letter = BeautifulSoup(
        (site / "nyhetsbrev" / "vi-sager-nej-x-alert1" / "index.html").read_text(
            encoding="utf-8"
        ),
        "lxml",
    )
    assert EVENT_TITLE in [h.get_text(strip=True) for h in letter.find_all("h3")]
    assert LOCATION in letter.get_text()


def test_feeds_and_ics_carry_the_text(site):
    feed = feedparser.parse(str(site / "feeds" / "alla.atom.xml"))
    assert SCRIPT_TITLE in [entry.title for entry in feed.entries]
    assert QUOTED_TITLE in [entry.title for entry in feed.entries]
    calendar = icalendar.Calendar.from_ical(
        (site / "kalender" / "ics" / "alla.ics").read_bytes()
    )
    events = {str(e.get("summary")): e for e in calendar.walk("VEVENT")}
    assert str(events[EVENT_TITLE].get("location")) == LOCATION


def _kit_root(tmp, content):
    """A copy of the kit around `content`, for `invoke newsletter-email`."""
    root = tmp / "kit"
    root.mkdir()
    for name in ("plugins", "theme"):
        (root / name).symlink_to(ROOT / name)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(content, root / "content")
    return root


def test_both_email_editions_carry_the_text(tmp_path, monkeypatch):
    content = copy_content(tmp_path)
    _add_hostile_content(content)
    root = _kit_root(tmp_path, content)
    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SITEURL", raising=False)
    slug = "vi-sager-nej-x-alert1"
    assert write_email_edition(root, slug, tmp_path / "mail") == 0
    html = (tmp_path / "mail" / f"{slug}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert not soup.find("script") and "<script" not in html.lower()
    assert not soup.select("b")
    assert soup.h1.get_text(strip=True) == f"{QUOTED_TITLE} {SCRIPT_TITLE}"
    assert soup.title.get_text() == f"{QUOTED_TITLE} {SCRIPT_TITLE}"
    assert EVENT_TITLE in soup.get_text()
    assert LOCATION in soup.get_text()
    text = (tmp_path / "mail" / f"{slug}.txt").read_text(encoding="utf-8")
    assert EVENT_TITLE in text
    assert LOCATION in text
    assert SCRIPT_TITLE in text
