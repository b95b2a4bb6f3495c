"""Newsletter pages: sections, calendar events (include_events), archive by year."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, pelican_cli

from grasrot_core.errors import ContentErrorsFound

LETTER = "nyhetsbrev/nyhetsbrev-november-2026/index.html"


def parse(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


def test_newsletter_page_lists_its_sections(example_site):
    page = parse(example_site, LETTER)
    toc = page.select("nav.newsletter-toc a")
    targets = [a.get("href") for a in toc]
    assert len(targets) >= 4
    for target in targets:
        assert page.select_one(f"h2[id='{target[1:]}']"), target
    assert "Nominera till valberedningen" in [a.get_text() for a in toc]


def test_newsletter_shows_the_calendars_events(example_site):
    blocks = parse(example_site, LETTER).select(".newsletter-events .event-block")
    assert blocks, "include_events: 30 rendered no events from content/calendar/"
    text = blocks[0].get_text()
    for label in ("DATUM", "TID", "PLATS"):
        assert label in text
    assert blocks[0].select("h3 a")[0].get("href").startswith("/kalender/")


def test_newsletter_archive_by_year(example_site):
    page = parse(example_site, "nyhetsbrev/index.html")
    years = [h.get_text() for h in page.select(".newsletter-archive h3")]
    assert years == ["2026", "2025"]
    first_year = page.select(".newsletter-archive ul")[0]
    assert next(a.get_text() for a in first_year.select("a")) == "Nyhetsbrev november 2026"


NEWSLETTER = """Title: Brev med kalender
Date: 2026-11-16 18:00
Include_events: {days}

## Hej

Välkomna.
"""

# The build date of the tests is 2026-11-20 13:00 in Stockholm (conftest).
CALENDAR = """events:
  - id: gammalt
    title: Gammalt möte
    start: "2026-11-18 18:00"
    end: "20:00"
    location: Förr
  - id: torgmote
    title: Torgmöte i Hamnen
    start: "2026-11-21 11:00"
    end: "14:00"
    location: Hamntorget
  - id: cirkel
    title: Inställd cirkel
    start: "2026-11-23 18:00"
    end: "20:00"
    location: Biblioteket
    status: cancelled
  - id: sent
    title: För sent för brevet
    start: "2026-12-20 18:00"
    end: "20:00"
    location: Sen
"""

SETTINGS = """import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa
# The web editor reads the calendar's field lists, so it goes too.
PLUGINS = [p for p in PLUGINS if p not in ("grasrot_calendar", "grasrot_cms")]
"""


def _content(tmp_path, days):
    content = tmp_path / "content"
    (content / "newsletters").mkdir(parents=True)
    (content / "newsletters" / "brev.md").write_text(
        NEWSLETTER.format(days=days), encoding="utf-8"
    )
    return content


def test_include_events_takes_the_window_from_the_newsletters_date(tmp_path):
    content = _content(tmp_path, "10")
    (content / "calendar").mkdir()
    (content / "calendar" / "ekdala.yaml").write_text(CALENDAR, encoding="utf-8")
    site = build_site(content, tmp_path / "out")
    page = parse(site, "nyhetsbrev/brev-med-kalender/index.html")
    blocks = page.select(".newsletter-events .event-block")
    titles = [b.select("h3")[0].get_text() for b in blocks]
    # Past events and those after 16 Nov + 10 days are left out.
    assert titles == ["Torgmöte i Hamnen", "Inställd cirkel (inställt)"]
    first = blocks[0]
    href = first.select("h3 a")[0].get("href")
    assert href.startswith("/kalender/") and href.endswith("/torgmote/")
    values = [dd.get_text().strip() for dd in first.select("dd")]
    assert values == ["lördag 21 november 2026", "11:00–14:00", "Hamntorget"]
    assert "cancelled" in blocks[1]["class"]
    assert page.select("nav.newsletter-toc a[href='#kommande-evenemang']")


def _site_without_calendar(tmp_path):
    """Built in a fresh process: the calendar plugin's signal receivers, loaded
    by earlier builds in this process, would otherwise still run."""
    settings = tmp_path / "settings.py"
    settings.write_text(SETTINGS.format(root=str(ROOT)), encoding="utf-8")
    result = pelican_cli(_content(tmp_path, "10"), tmp_path / "out", settings)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out"


def test_newsletter_without_a_calendar_says_so(tmp_path):
    site = _site_without_calendar(tmp_path)
    section = parse(site, "nyhetsbrev/brev-med-kalender/index.html").select(
        ".newsletter-events"
    )[0]
    assert not section.select(".event-block")
    assert "ingen kalender" in section.get_text()


def test_include_events_must_be_a_number_of_days(tmp_path):
    with pytest.raises(ContentErrorsFound) as raised:
        build_site(_content(tmp_path, "en månad"), tmp_path / "out")
    message = str(raised.value.errors[0])
    assert "brev.md:3:1:" in message
    assert "include_events: 30" in message
    assert not (tmp_path / "out" / "nyhetsbrev").exists()
