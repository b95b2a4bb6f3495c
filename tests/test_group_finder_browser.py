"""The group finder in Chromium: postcodes, addresses and streets; and with JS off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
LABEL = "Området, gatan eller postnumret där du bor"


@pytest.mark.parametrize(
    "typed, group, said",
    [
        ("163 45", "Norra Ekdala", "163 45 hör till distriktsgruppen"),
        ("16345", "Norra Ekdala", "163 45 hör till distriktsgruppen"),
        ("Norrbyvägen 12, 163 45 Ekdala", "Norra Ekdala", "163 45 hör till"),
        ("Storgatan 5", "Ekdala centrum", "Storgatan hör till distriktsgruppen"),
        ("storgatan 5 B", "Ekdala centrum", "Storgatan hör till"),
        ("164 70", "Norra Ekdala", "164 70 hör till"),
    ],
)
def test_finder_matches_postcodes_and_streets_in_chromium(
    page, site_url, typed, group, said
):
    page.goto(f"{site_url}/grupper/")
    finder = page.locator(".area-finder")
    expect(finder).to_be_visible()
    expect(finder.get_by_text("postnummer som 163 45")).to_be_visible()
    page.get_by_label(LABEL).fill(typed)
    page.get_by_role("button", name="Hitta min grupp").click()
    result = page.get_by_role("status")
    expect(result.get_by_role("link", name=group)).to_be_visible()
    expect(result).to_contain_text(said)


def test_finder_says_when_no_group_has_the_postcode(page, site_url):
    page.goto(f"{site_url}/grupper/")
    expect(page.locator(".area-finder")).to_be_visible()
    page.get_by_label(LABEL).fill("999 99")
    page.keyboard.press("Enter")
    result = page.get_by_role("status")
    expect(result).to_contain_text("Ingen distriktsgrupp täcker")
    expect(result.get_by_role("link")).to_have_count(0)


def test_without_javascript_chromium_shows_the_postcodes(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/grupper/")
        expect(tab.locator(".area-finder")).to_be_hidden()
        expect(tab.locator("#grupp-norra-ekdala")).to_contain_text("163 40–163 59")
        expect(tab.locator("#grupp-centrum")).to_contain_text("Storgatan")
    finally:
        context.close()
