"""The group directory in real Chromium: the area finder, no-JS fallback, axe."""

from __future__ import annotations

import pytest
from conftest import axe_violations, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_directory(page, site_url):
    page.goto(f"{site_url}/grupper/")
    finder = page.locator(".area-finder")
    finder.wait_for(state="visible")  # shown once the index has loaded
    return finder


@pytest.mark.parametrize("typed", ["skarholmen", "SKÄRHOLMEN", "  skärholmen "])
def test_area_finder_finds_the_district_group_with_or_without_diacritics(
    page, site_url, typed
):
    open_directory(page, site_url)
    page.get_by_label("Området, gatan eller postnumret där du bor").fill(typed)
    page.get_by_role("button", name="Hitta min grupp").click()
    result = page.get_by_role("status")
    link = result.get_by_role("link", name="Söderåsen och Skärholmen")
    link.wait_for()
    assert "Skärholmen hör till distriktsgruppen" in result.inner_text()
    link.click()
    page.wait_for_url(f"{site_url}/grupper/soderasen/")


def test_area_finder_says_when_no_group_covers_an_area(page, site_url):
    open_directory(page, site_url)
    page.get_by_label("Området, gatan eller postnumret där du bor").fill("Atlantis")
    page.keyboard.press("Enter")
    result = page.get_by_role("status")
    result.get_by_text("Ingen distriktsgrupp täcker").wait_for()
    assert result.get_by_role("link").count() == 0


def test_area_finder_lists_every_match_for_a_partial_name(page, site_url):
    open_directory(page, site_url)
    page.get_by_label("Området, gatan eller postnumret där du bor").fill(
        "by"
    )  # Norrby, Älvsby
    page.keyboard.press("Enter")
    result = page.get_by_role("status")
    expect(result.get_by_role("listitem")).to_have_count(2)
    screenshot(page, "groups-area-finder")


def test_without_javascript_the_plain_list_answers(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/grupper/")
        expect(tab.locator(".area-finder")).to_be_hidden()
        expect(tab.locator("#grupp-soderasen")).to_contain_text("Skärholmen")
    finally:
        context.close()


def test_directory_passes_axe(page, site_url):
    open_directory(page, site_url)
    page.get_by_label("Området, gatan eller postnumret där du bor").fill("hamnen")
    page.keyboard.press("Enter")
    page.get_by_role("status").get_by_role("link").first.wait_for()
    assert axe_violations(page) == []


def test_group_page_passes_axe(page, site_url):
    page.goto(f"{site_url}/grupper/klimatnatverket/")
    expect(page.locator("h1")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "groups-network-page")
