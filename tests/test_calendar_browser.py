"""The calendar in real Chromium: next event, month navigation, group filter, axe.

The browser's clock is set to just after the example site's build date, so the
script that hides ended events sees the same "now" as the build.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import axe_violations, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

JUST_AFTER_BUILD = datetime(2026, 11, 20, 12, 5, tzinfo=UTC)


@pytest.fixture
def tab(page):
    page.clock.set_fixed_time(JUST_AFTER_BUILD)
    return page


# Events calendar.js has not hidden (those that ended since the build are hidden).
VISIBLE_TITLES = ".cal-item:visible .cal-item__title"
VISIBLE_GROUPS = ".cal-item:visible .cal-item__group"


def test_calendar_lists_the_next_event(tab, site_url):
    tab.goto(f"{site_url}/kalender/")
    expect(tab.locator(VISIBLE_TITLES).first).to_have_text("Dörrknackning i Älvsby")
    expect(tab.locator(".cal-month:visible h2").first).to_have_text("November 2026")


def test_script_hides_events_that_ended_after_the_build(page, site_url):
    """A reader on 22 Nov: the door-knocking on 21 Nov is over and disappears."""
    page.clock.set_fixed_time(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    page.goto(f"{site_url}/kalender/")
    titles = page.locator(VISIBLE_TITLES)
    expect(titles.first).to_have_text("Studiecirkeln stadsodling")  # Tuesday 24 November
    expect(titles.filter(has_text="Dörrknackning i Älvsby")).to_have_count(0)


def test_month_grid_moves_to_the_next_month(tab, site_url):
    tab.goto(f"{site_url}/kalender/")
    views = tab.get_by_role("navigation", name="Kalendervyer")
    views.get_by_role("link", name="Månad").click()
    expect(tab.locator("table.cal-grid caption")).to_have_text("November 2026")
    assert (
        tab.locator("td[aria-current=date] time").get_attribute("datetime") == "2026-11-20"
    )
    next_link = tab.locator("a[rel=next]")
    next_link.focus()
    tab.keyboard.press("Enter")  # keyboard, not only the mouse
    tab.wait_for_url("**/kalender/manad/2026-12/")
    expect(tab.locator("table.cal-grid caption")).to_have_text("December 2026")
    cell = tab.get_by_role("cell").filter(has=tab.locator("time[datetime='2026-12-17']"))
    assert "Medlemsmöte" in cell.inner_text()
    # On the phone the month is an agenda (tests/test_calendar_phone.py): the weekday
    # is in the cell; wide screens have a column per weekday.
    assert cell.locator(".cal-day__weekday").inner_text().strip().lower() == "tors"
    tab.set_viewport_size({"width": 1280, "height": 900})
    expect(tab.get_by_role("columnheader", name="måndag")).to_have_count(1)
    screenshot(tab, "calendar-month")


def test_group_filter_shows_only_that_group(tab, site_url):
    tab.goto(f"{site_url}/kalender/")
    filter_nav = tab.get_by_role("navigation", name="Filtrera på grupp")
    expect(filter_nav).to_be_hidden()  # folded away on phones, out of the list's way
    tab.get_by_text("Visa bara en grupp eller kategori").click()
    expect(filter_nav).to_be_visible()
    filter_nav.get_by_role("link", name="Studiecirkeln stadsodling").click()
    tab.wait_for_url("**/kalender/stadsodling/")
    groups = tab.locator(VISIBLE_GROUPS)
    expect(groups.first).to_have_text("Studiecirkeln stadsodling")
    expect(groups.filter(has_not_text="Studiecirkeln stadsodling")).to_have_count(0)
    frosadd = tab.locator(VISIBLE_TITLES).filter(has_text="Frösådd och planering")
    expect(frosadd.first).to_be_visible()
    tab.get_by_text("Visa bara en grupp eller kategori").click()
    filter_nav = tab.get_by_role("navigation", name="Filtrera på grupp")
    filter_nav.get_by_role("link", name="Alla grupper").click()
    tab.wait_for_url("**/kalender/")
    others = tab.locator(VISIBLE_GROUPS).filter(has_not_text="Studiecirkeln stadsodling")
    expect(others.first).to_be_visible()
    assert len(set(tab.locator(VISIBLE_GROUPS).all_inner_texts())) > 3


@pytest.mark.parametrize(
    "path",
    [
        "kalender/",
        "kalender/manad/2026-12/",
        "kalender/manad/2027-08/",
        "kalender/arkiv/",
        "kalender/kategori/utbildning/",
        "kalender/ekdala/medlemsmote/",
        "kalender/ekdala/mototeknik-utbildning/",
    ],
)
def test_axe_reports_no_violations(tab, site_url, path):
    tab.goto(f"{site_url}/{path}")
    expect(tab.locator("h1")).to_be_visible()
    assert axe_violations(tab) == []
