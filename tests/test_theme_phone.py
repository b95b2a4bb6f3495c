"""The theme on a phone and on a wide screen, in Chromium: a one-row header whose
menu opens and closes with and without JavaScript, "More" for what does not fit,
and the current item marked in every form.

Layout shift, the calendar agenda and image loading have their own modules.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROW_DESKTOP = {"width": 800, "height": 900}


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request, browser):
    context = browser.new_context(
        viewport=PHONE, locale="sv-SE", java_script_enabled=request.param
    )
    tab = context.new_page()
    yield tab
    context.close()


def new_tab(browser, viewport):
    return browser.new_context(viewport=viewport, locale="sv-SE").new_page()


def boxes(tab, *selectors):
    return [tab.locator(s).first.bounding_box() for s in selectors]


def test_phone_header_is_one_row_and_the_menu_opens_and_closes(phone, site_url):
    phone.goto(f"{site_url}/om-oss/")
    button = phone.get_by_text("Meny", exact=True)
    menu = phone.locator(".main-menu__list")
    expect(button).to_be_visible()
    expect(menu).to_be_hidden()
    brand, summary, header = boxes(phone, ".brand", ".main-menu__button", ".site-header")
    assert header["height"] <= 80, f"the header takes {header['height']} px"
    assert summary["x"] > brand["x"] + brand["width"], "button beside the name"
    assert (
        summary["y"] < brand["y"] + brand["height"]
        and brand["y"] < summary["y"] + summary["height"]
    ), "logo, name and button share one row"

    button.click()
    expect(menu).to_be_visible()
    current = menu.locator('a[aria-current="page"]')
    expect(current).to_have_text("Om oss")
    expect(menu.get_by_role("link", name="Nyhetsbrev")).to_be_in_viewport()
    button.click()
    expect(menu).to_be_hidden()


def test_escape_closes_the_phone_menu_and_returns_focus(browser, site_url):
    tab = new_tab(browser, PHONE)
    try:
        tab.goto(f"{site_url}/")
        button = tab.locator(".main-menu__button")
        button.click()
        expect(tab.locator(".main-menu__list")).to_be_visible()
        tab.keyboard.press("Tab")
        expect(tab.locator(".main-menu__list a").first).to_be_focused()
        tab.keyboard.press("Escape")
        expect(tab.locator(".main-menu__list")).to_be_hidden()
        expect(button).to_be_focused()
    finally:
        tab.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_wide_screen_menu_is_one_row_with_every_item(browser, site_url, javascript):
    context = browser.new_context(
        viewport=DESKTOP, locale="sv-SE", java_script_enabled=javascript
    )
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/kalender/")
        expect(tab.locator(".main-menu__button")).to_be_hidden()
        links = tab.locator(".main-menu__list > li > a")
        expect(links).to_have_count(9)
        tops = {
            round(box["y"])
            for box in (links.nth(i).bounding_box() for i in range(links.count()))
        }
        assert len(tops) == 1, f"menu items on {len(tops)} rows"
        brand = tab.locator(".brand").bounding_box()
        header = tab.locator(".site-header").bounding_box()
        assert header["height"] < brand["height"] + 40
        expect(tab.locator('.main-menu__list a[aria-current="page"]')).to_have_text(
            "Kalender"
        )
        expect(tab.locator(".main-menu__more")).to_have_count(0)
    finally:
        context.close()


def test_what_does_not_fit_goes_under_more_and_keeps_aria_current(browser, site_url):
    tab = new_tab(browser, NARROW_DESKTOP)
    try:
        tab.goto(f"{site_url}/nyhetsbrev/")
        more = tab.locator(".main-menu__more")
        expect(more).to_be_visible()
        row = tab.locator(".main-menu__list > li")
        tops = {round(row.nth(i).bounding_box()["y"]) for i in range(row.count())}
        assert len(tops) == 1, "the row with More is one row"
        moved = more.locator("ul a")
        expect(moved.last).to_be_hidden()
        expect(more).to_have_class("main-menu__more is-section")
        more.get_by_text("Mer", exact=True).click()
        expect(moved.last).to_be_visible()
        expect(more.locator('a[aria-current="page"]')).to_have_text("Nyhetsbrev")
        tab.keyboard.press("Escape")
        expect(moved.last).to_be_hidden()
        # Wider again: everything back in the row.
        tab.set_viewport_size(DESKTOP)
        expect(tab.locator(".main-menu__more")).to_have_count(0)
        expect(tab.locator(".main-menu__list > li > a")).to_have_count(9)
    finally:
        tab.context.close()
