"""The calendar list in pages: coming weeks at kalender/, then one page per month.

Static HTML only, so it works without JavaScript: the assertions read the
built files (and a browser with JavaScript off would see exactly these).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import BUILD_EPOCH, html

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime.fromtimestamp(BUILD_EPOCH, STOCKHOLM)


def _starts(page) -> list[datetime]:
    return [
        datetime.fromisoformat(t["datetime"])
        for t in page.select(".cal-list li time[datetime]")
        if "T" in t["datetime"]
    ]


def test_the_list_shows_the_coming_eight_weeks(example_site):
    page = html(example_site / "kalender" / "index.html")
    starts = _starts(page)
    assert starts, "no events listed"
    assert max(starts) < NOW + timedelta(weeks=8)
    more = page.select_one(".cal-more a")
    assert more is not None and more.get_text(strip=True) == "Visa fler"
    assert more["href"] == "/kalender/2027/01/"


@pytest.fixture(scope="module")
def month_pages(example_site):
    return sorted((example_site / "kalender").glob("20[0-9][0-9]/[01][0-9]/index.html"))


def test_every_month_has_a_page_listing_its_events(example_site, month_pages):
    assert len(month_pages) >= 13
    january = html(example_site / "kalender" / "2027" / "01" / "index.html")
    assert january.h1.get_text(strip=True) == "Kalender: Januari 2027"
    days = {
        datetime.fromisoformat(t["datetime"]).date().replace(day=1)
        for t in january.select(".cal-list li time[datetime]")
    }
    assert days == {date(2027, 1, 1)}
    titles = [a.get_text(strip=True) for a in january.select(".cal-list li a")]
    assert "Medlemsmöte" in " ".join(titles)


def test_month_pages_link_to_the_months_around_them(example_site, month_pages):
    for path in month_pages:
        page = html(path)
        month = path.parent.relative_to(example_site).as_posix()
        for rel in ("prev", "next"):
            link = page.select_one(f'.cal-month-nav a[rel="{rel}"]')
            if link is None:
                assert path in (month_pages[0], month_pages[-1]), (month, rel)
                continue
            target = example_site / link["href"].lstrip("/") / "index.html"
            assert target.is_file(), (month, rel, link["href"])
    january = html(example_site / "kalender" / "2027" / "01" / "index.html")
    assert january.select_one('a[rel="prev"]')["href"] == "/kalender/2026/12/"
    assert january.select_one('a[rel="next"]')["href"] == "/kalender/2027/02/"


def test_the_weeks_are_a_setting(tmp_path):
    from conftest import CONTENT, build_site

    output = build_site(CONTENT, tmp_path / "output", CALENDAR_UPCOMING_WEEKS=2)
    starts = _starts(html(output / "kalender" / "index.html"))
    assert starts and max(starts) < NOW + timedelta(weeks=2)
