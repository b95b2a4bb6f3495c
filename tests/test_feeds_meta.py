"""Meta tags, feed links and sitemap.xml of the example site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import lxml.html

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://localhost:8000"


def head(site, path):
    return lxml.html.parse(str(site / path)).getroot().find("head")


def meta(head_element, key):
    for element in head_element.iter("meta"):
        if key in (element.get("property"), element.get("name")):
            return element.get("content")
    return None


def test_every_page_links_its_feeds(example_site):
    # The web editor (admin/) is Decap's page, not the site's: it links no feed.
    pages = sorted(
        p
        for p in example_site.rglob("*.html")
        if p.relative_to(example_site).parts[0] != "admin"
    )
    assert len(pages) > 20
    for page in pages:
        element = head(example_site, page.relative_to(example_site))
        alternates = {
            link.get("type"): link.get("href")
            for link in element.iter("link")
            if link.get("rel") == "alternate"
        }
        assert alternates.get("application/rss+xml"), page
        assert alternates.get("application/atom+xml"), page
        for href in alternates.values():
            assert (example_site / href.lstrip("/")).is_file(), href


def test_section_and_group_pages_link_their_own_feeds(example_site):
    def feed_hrefs(path):
        return {
            link.get("href")
            for link in head(example_site, path).iter("link")
            if link.get("rel") == "alternate"
        }

    assert "/feeds/nyhetsbrev.atom.xml" in feed_hrefs("nyhetsbrev/index.html")
    assert "/feeds/nyheter.rss.xml" in feed_hrefs(
        "nyheter/namninsamling-for-en-trygg-skolvag-i-bjorkhagen/index.html"
    )


def test_article_has_opengraph_and_twitter_tags(example_site):
    element = head(example_site, "nyheter/vart-budgetforslag-for-ekdala-2027/index.html")
    url = f"{BASE}/nyheter/vart-budgetforslag-for-ekdala-2027/"
    assert meta(element, "og:type") == "article"
    assert meta(element, "og:title") == "Vårt budgetförslag för Ekdala 2027"
    assert meta(element, "og:url") == url
    assert meta(element, "description").startswith("Fritidsgårdar, bussar")
    assert meta(element, "og:description") == meta(element, "description")
    assert meta(element, "article:published_time") == "2026-11-18T08:30:00+01:00"
    assert meta(element, "twitter:card") == "summary"
    canonical = [
        link.get("href") for link in element.iter("link") if link.get("rel") == "canonical"
    ]
    assert canonical == [url]


def test_listing_pages_have_website_tags(example_site):
    element = head(example_site, "index.html")
    assert meta(element, "og:type") == "website"
    assert meta(element, "og:url") == f"{BASE}/"
    assert meta(element, "description")


def sitemap_entries(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    return {
        url.find(f"{SITEMAP_NS}loc").text: getattr(
            url.find(f"{SITEMAP_NS}lastmod"), "text", None
        )
        for url in root.iter(f"{SITEMAP_NS}url")
    }


def test_sitemap_lists_public_pages_that_exist(example_site):
    entries = sitemap_entries(example_site)
    assert f"{BASE}/" in entries
    assert f"{BASE}/nyhetsbrev/nyhetsbrev-november-2026/" in entries
    assert f"{BASE}/kontakt/" in entries
    assert f"{BASE}/v%C3%A5r-politik/" in entries  # percent-encoded, as sitemaps require
    for loc in entries:
        assert loc.startswith(BASE + "/")
        path = unquote(urlsplit(loc).path).lstrip("/")
        target = (
            example_site / path / "index.html"
            if path.endswith("/") or not path
            else example_site / path
        )
        assert target.is_file(), loc
    # Unlisted and members-only pages are not in it.
    assert f"{BASE}/integritet/" not in entries  # status: hidden
    assert not [
        loc
        for loc in entries
        if urlsplit(loc).path.startswith(("/medlemmar/", "/protokoll/"))
    ]


def test_sitemap_lastmod_comes_from_the_content(example_site):
    entries = sitemap_entries(example_site)
    assert (
        entries[f"{BASE}/nyheter/introduktionskvall-for-nya-medlemmar/"]
        == "2026-11-20T09:00:00+01:00"
    )  # its Modified:
    assert (
        entries[f"{BASE}/nyheter/hamnen-ska-vara-oppen-for-alla/"]
        == "2026-10-28T12:00:00+01:00"
    )
