"""The month view on a phone is an agenda: one row per day with events, time and
title; no sideways scroll and no word broken across lines. From 48rem it stays a
grid of weeks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MONTH = "kalender/manad/2026-12/"
# Every word in the month's cells whose letters land on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector(".cal-grid"),
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    for (const match of text.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
                             .map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_month_is_an_agenda_on_a_phone(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="sv-SE")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/{MONTH}")
        grid = tab.locator(".cal-grid")
        expect(grid).to_be_visible()
        expect(grid.locator("thead")).to_be_hidden()
        days = grid.locator("td:visible")
        expect(days.first).to_be_visible()
        # One row per day: every visible day is as wide as the list and has events
        # (or is today); the weekday is written beside the number.
        list_width = grid.bounding_box()["width"]
        for i in range(days.count()):
            day = days.nth(i)
            assert day.bounding_box()["width"] == pytest.approx(list_width, abs=1)
            expect(day.locator(".cal-day__weekday")).to_be_visible()
        expect(days.first.locator("li a").first).to_be_visible()
        widths = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"sideways scroll: {widths}"
        assert tab.evaluate(BROKEN_WORDS) == []
    finally:
        context.close()


def test_agenda_rows_show_time_and_title(phone, site_url):
    phone.goto(f"{site_url}/{MONTH}")
    timed = phone.locator(".cal-grid td:visible li a:has(.cal-time)").first
    expect(timed).to_be_visible()
    time_box = timed.locator(".cal-time").bounding_box()
    day_box = phone.locator(".cal-grid td:visible .cal-day").first.bounding_box()
    assert time_box["x"] > day_box["x"] + day_box["width"], "events beside the date"
    expect(timed.locator(".cal-time")).to_have_text(re.compile(r"^\d{1,2}[:.]\d{2}$"))


def test_the_grid_stays_on_wide_screens(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/{MONTH}")
        expect(tab.locator(".cal-grid thead")).to_be_visible()
        assert (
            tab.evaluate("getComputedStyle(document.querySelector('.cal-grid')).display")
            == "table"
        )
        row = tab.locator(".cal-grid tbody tr").first.locator("td")
        expect(row).to_have_count(7)
        tops = {round(row.nth(i).bounding_box()["y"]) for i in range(7)}
        assert len(tops) == 1, "a week is one row"
        expect(tab.locator(".cal-day__weekday").first).to_be_hidden()
        assert tab.evaluate(BROKEN_WORDS) == []
    finally:
        context.close()
