"""The subscribing guide (prenumerera/): every "Subscribe" and "Follow the news"
link leads to it, and it explains step by step, with the site's own webcal: and
feed addresses, how to follow the calendar and the news."""

from __future__ import annotations

import re

from conftest import html

GUIDE = "prenumerera/index.html"


def anchor_of(href: str) -> str:
    assert href.startswith("/prenumerera/#"), href
    return href.split("#", 1)[1]


def test_guide_explains_each_app_with_the_sites_own_addresses(example_site):
    page = html(example_site / GUIDE)
    assert page.h1.get_text(strip=True) == "Prenumerera"
    headings = [h.get_text(strip=True) for h in page.select("main h3")]
    assert headings == ["iPhone och iPad", "Android och Google Kalender", "Outlook"]
    for heading in page.select("main h3"):
        steps = heading.find_next_sibling("ol").find_all("li")
        assert len(steps) >= 3, heading.get_text()
    webcals = {a["href"] for a in page.select('a[href^="webcal:"]')}
    assert "webcal://localhost:8000/kalender/ics/alla.ics" in webcals
    assert "webcal://localhost:8000/kalender/ics/centrum.ics" in webcals
    text = page.get_text(" ")
    assert "http://localhost:8000/kalender/ics/centrum.ics" in text  # to copy
    assert (example_site / "kalender" / "ics" / "centrum.ics").is_file()


def test_guide_says_what_a_news_feed_is_and_links_every_feed(example_site):
    page = html(example_site / GUIDE)
    news = page.find(id="nyheter")
    assert news.get_text(strip=True) == "Följ nyheterna"
    section = news.find_parent("section")
    assert "Ett nyhetsflöde är" in section.get_text()
    feeds = {a["href"] for a in section.select("a")}
    for path in (
        "feeds/alla.rss.xml",
        "feeds/nyheter.rss.xml",
        "feeds/nyhetsbrev.rss.xml",
        "feeds/grupp-centrum.rss.xml",
    ):
        assert f"/{path}" in feeds and (example_site / path).is_file()
    assert "RSS" not in section.get_text()


def test_subscribe_and_follow_links_lead_to_the_guide(example_site):
    guide = html(example_site / GUIDE)
    targets = {
        "kalender/index.html": ".cal-subscribe a",
        "grupper/centrum/index.html": ".group-follow a",
        "index.html": ".site-footer a",
        "nyhetsbrev/index.html": ".newsletter-archive a",
    }
    for page_path, selector in targets.items():
        page = html(example_site / page_path)
        links = [a for a in page.select(selector) if a["href"].startswith("/prenumerera/")]
        assert links, f"{page_path}: no link to the guide"
        for link in links:
            assert guide.find(id=anchor_of(link["href"])), link["href"]
    footer = html(example_site / "index.html").select_one(".site-footer")
    assert footer.find("a", string="Följ nyheterna")
    assert not re.search(r"\bRSS\b", footer.get_text())
    group = html(example_site / "grupper" / "centrum" / "index.html")
    assert not re.search(r"\b(RSS|Atom)\b", group.select_one(".group-follow").get_text())


def test_the_guide_has_an_address_of_its_own():
    from grasrot_core.addresses import KIT_FOLDERS

    assert "prenumerera" in KIT_FOLDERS
