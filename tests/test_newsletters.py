"""Newsletter pages: sections, calendar events (include_events), archive by year."""

from __future__ import annotations

import textwrap

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


FAKE_CALENDAR = '''
"""Stands in for grasrot_calendar: context["calendar"] by the shared contract."""
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from pelican import signals

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 20, 13, 0, tzinfo=ZONE)


def occurrence(title, start, hours, place, status="confirmed", url="kalender/x/"):
    return SimpleNamespace(title=title, start=start, end=start + timedelta(hours=hours),
                           all_day=False, location=place, online=None, status=status,
                           url=url, group=None, event=None)


class FakeCalendar:
    events = [
        occurrence("Gammalt möte", datetime(2026, 11, 18, 18, 0, tzinfo=ZONE), 2, "Förr"),
        occurrence("Torgmöte i Hamnen", datetime(2026, 11, 21, 11, 0, tzinfo=ZONE), 3,
                   "Hamntorget", url="kalender/torgmote/"),
        occurrence("Inställd cirkel", datetime(2026, 11, 23, 18, 0, tzinfo=ZONE), 2,
                   "Biblioteket", status="cancelled"),
        occurrence("För sent för brevet", datetime(2026, 12, 20, 18, 0, tzinfo=ZONE), 2,
                   "Sen"),
    ]

    def upcoming(self, group=None, days=None, limit=None):
        found = [o for o in self.events if o.start >= NOW
                 and (days is None or o.start < NOW + timedelta(days=days))]
        return found[:limit] if limit else found


def add_calendar(generator):
    generator.context["calendar"] = FakeCalendar()


def register():
    signals.article_generator_finalized.connect(add_calendar)
'''

NEWSLETTER = """Title: Brev med kalender
Date: 2026-11-16 18:00
Include_events: {days}

## Hej

Välkomna.
"""


SETTINGS = """import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa
PLUGINS = [p for p in PLUGINS if p != "grasrot_calendar"] + {plugins!r}
PLUGIN_PATHS = PLUGIN_PATHS + [{folder!r}]
"""


def _content(tmp_path, days):
    content = tmp_path / "content"
    (content / "newsletters").mkdir(parents=True)
    (content / "newsletters" / "brev.md").write_text(
        NEWSLETTER.format(days=days), encoding="utf-8"
    )
    return content


def _site(tmp_path, days="10", plugins=("fake_calendar",)):
    """Built in a fresh process: signal receivers of plugins loaded by earlier
    builds in this process (the real calendar) would otherwise still run."""
    (tmp_path / "fake_calendar.py").write_text(
        textwrap.dedent(FAKE_CALENDAR), encoding="utf-8"
    )
    settings = tmp_path / "settings.py"
    settings.write_text(
        SETTINGS.format(root=str(ROOT), plugins=list(plugins), folder=str(tmp_path)),
        encoding="utf-8",
    )
    result = pelican_cli(_content(tmp_path, days), tmp_path / "out", settings)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out"


def test_include_events_takes_the_window_from_the_newsletters_date(tmp_path):
    site = _site(tmp_path)
    page = parse(site, "nyhetsbrev/brev-med-kalender/index.html")
    blocks = page.select(".newsletter-events .event-block")
    titles = [b.select("h3")[0].get_text() for b in blocks]
    # Past events and those after 16 Nov + 10 days are left out.
    assert titles == ["Torgmöte i Hamnen", "Inställd cirkel (inställt)"]
    first = blocks[0]
    assert first.select("h3 a")[0].get("href") == "/kalender/torgmote/"
    values = [dd.get_text().strip() for dd in first.select("dd")]
    assert values == ["lördag 21 november 2026", "11:00–14:00", "Hamntorget"]
    assert "cancelled" in blocks[1]["class"]
    assert page.select("nav.newsletter-toc a[href='#kommande-evenemang']")


def test_newsletter_without_a_calendar_says_so(tmp_path):
    site = _site(tmp_path, plugins=())
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
