"""Every page type in real Chromium at phone (390 px) and desktop (1280 px) width:
no axe-core violations, no horizontal scroll on the phone, no request to another
host, a working skip link and visible focus. Screenshots go to build/screenshots/
(not committed) for review.

`GRASROT_SCREENSHOT_DOCS=1 pytest tests/test_theme_browser.py -k docs` rewrites
docs/screenshot-home.png, the picture in the branding guide.
"""

from __future__ import annotations

import os
import re
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, axe_violations
from helpers import OPTIONAL, PAGE_TYPES
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
PATHS = [
    (name, "" if rel == "index.html" else rel.removesuffix("index.html"))
    for name, rel in PAGE_TYPES
]


@pytest.fixture(scope="module", params=list(WIDTHS), ids=list(WIDTHS))
def tab(request, browser):
    """One tab per width, reused across page types (fresh navigation each time)."""
    width = WIDTHS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE", reduced_motion="reduce"
    )
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()


def open_page(tab, site_url, example_site, name, path):
    """Go to a page type; returns the hosts of every request made while loading."""
    rel = PAGE_TYPES[[n for n, _ in PAGE_TYPES].index(name)][1]
    if not (example_site / rel).is_file():
        if name in OPTIONAL:
            pytest.skip(f"{name}: {OPTIONAL[name]}")
        pytest.fail(f"{name}: {rel} was not written")
    requests = []
    listener = lambda request: requests.append(request.url)  # noqa: E731
    tab.on("request", listener)
    try:
        tab.goto(f"{site_url}/{path}", wait_until="networkidle")
    finally:
        tab.remove_listener("request", listener)
    return requests


def shoot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{tab.viewport_size['width']}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("name,path", PATHS, ids=[n for n, _ in PATHS])
def test_page_type_passes_axe_fits_the_phone_and_stays_on_this_host(
    tab, site_url, example_site, name, path
):
    requests = open_page(tab, site_url, example_site, name, path)
    shoot(tab, name)
    host = urlsplit(site_url).netloc
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host
    ]
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"
    if tab.viewport_size["width"] == WIDTHS["phone"]:
        widths = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll at 390 px: {widths}"
    assert axe_violations(tab) == []


@pytest.mark.parametrize(
    "name,path",
    [
        p
        for p in PATHS
        if p[0]
        in {
            "home",
            "news-article",
            "calendar-month",
            "event",
            "group",
            "newsletter",
            "404",
            "archives",
            "group-directory",
            "members-unlock",
            "subscribe",
        }
    ],
    ids=lambda value: value if isinstance(value, str) and "/" not in value else None,
)
def test_dark_mode_passes_axe(browser, site_url, example_site, name, path):
    context = browser.new_context(
        viewport={"width": 390, "height": 900}, locale="sv-SE", color_scheme="dark"
    )
    try:
        tab = context.new_page()
        open_page(tab, site_url, example_site, name, path)
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(22, 24, 27)"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-390-dark.png"), full_page=True)
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(page, site_url):
    page.goto(f"{site_url}/om-oss/")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0  # out of sight until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 20
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("#main")).to_be_focused()


def test_focus_is_visible_on_menu_and_content_links(page, site_url):
    page.goto(f"{site_url}/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")  # the menu button (phone width)
    focused = """(() => {
        const s = getComputedStyle(document.activeElement);
        return [document.activeElement.textContent.trim(), s.outlineStyle, s.outlineWidth];
    })()"""
    expect(page.locator(".main-menu__button")).to_be_focused()
    assert page.evaluate(focused) == ["Meny", "solid", "3px"]
    page.keyboard.press("Enter")
    expect(page.locator(".main-menu__list")).to_be_visible()
    page.keyboard.press("Tab")  # first menu item
    expect(page.get_by_role("link", name="Om oss", exact=True)).to_be_focused()
    assert page.evaluate(focused) == ["Om oss", "solid", "3px"]


def test_home_page_is_readable_without_javascript(browser, site_url):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 900}
    )
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/")
        expect(tab.locator(".cal-next .cal-item").first).to_be_visible()
        expect(tab.locator(".home-news .post-card").first).to_be_visible()
        expect(tab.get_by_role("navigation", name="Huvudmeny")).to_be_visible()
    finally:
        context.close()


def test_print_shows_the_content_and_the_whole_month(browser, site_url):
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/kalender/manad/2026-12/")
        tab.emulate_media(media="print")
        assert not tab.get_by_role("navigation", name="Huvudmeny").is_visible()
        assert not tab.locator(".site-footer").is_visible()
        assert not tab.locator(".cal-views").is_visible()
        wrap, table = tab.evaluate("""[document.querySelector('.cal-grid-wrap').clientWidth,
            document.querySelector('.cal-grid').scrollWidth]""")
        assert table <= wrap, "the month table is cut off in print"
        assert (
            tab.evaluate(
                "getComputedStyle(document.querySelector('.cal-grid-wrap')).overflowX"
            )
            == "visible"
        )
        tab.goto(f"{site_url}/kalender/ekdala/mototeknik-utbildning/")
        tab.emulate_media(media="print")
        after = tab.evaluate("""(() => { const a = [...document.querySelectorAll('main a')]
            .find(a => a.href.startsWith('https://'));
            return a ? getComputedStyle(a, '::after').content : null; })()""")
        assert after is not None and after.startswith('" (https://'), after
    finally:
        context.close()


def test_reduced_motion_turns_off_transitions(browser, site_url):
    context = browser.new_context(reduced_motion="reduce")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/")
        duration = tab.evaluate(
            "getComputedStyle(document.querySelector('a')).transitionDuration"
        )
        assert float(duration.rstrip("s")) <= 0.0001
    finally:
        context.close()


@pytest.mark.skipif(
    not os.environ.get("GRASROT_SCREENSHOT_DOCS"),
    reason="set GRASROT_SCREENSHOT_DOCS=1 to rewrite docs/screenshot-*.png",
)
def test_docs_screenshot(browser, site_url):
    """docs/screenshot-*.png: the home page, the menu and the calendar on a phone and a
    desktop, at the example site's build date."""
    from datetime import datetime

    from conftest import BUILD_EPOCH

    shots = [
        ("screenshot-home.png", 1280, 900, "", False),
        ("screenshot-home-phone.png", 390, 844, "", False),
        ("screenshot-menu-phone.png", 390, 844, "", True),
        ("screenshot-calendar-phone.png", 390, 844, "kalender/manad/2026-12/", False),
        ("screenshot-calendar.png", 1280, 900, "kalender/manad/2026-12/", False),
    ]
    for name, width, height, path, open_menu in shots:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="sv-SE",
            device_scale_factor=1,
        )
        try:
            tab = context.new_page()
            tab.clock.set_fixed_time(datetime.fromtimestamp(BUILD_EPOCH, UTC))
            tab.goto(f"{site_url}/{path}", wait_until="networkidle")
            if open_menu:
                tab.locator(".main-menu__button").click()
                expect(tab.locator(".main-menu__list")).to_be_visible()
            tab.screenshot(path=str(ROOT / "docs" / name), full_page=False)
        finally:
            context.close()


def test_a_wide_table_in_content_does_not_widen_the_page(browser, tmp_path):
    from conftest import build_site, serve_directory
    from helpers import table_branch

    output = build_site(table_branch(tmp_path), tmp_path / "out")
    url, server = serve_directory(output)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(f"{url}/budget/")
        widths = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]
        assert tab.evaluate("document.querySelector('.table-scroll').scrollWidth") > 390
        assert axe_violations(tab) == []
    finally:
        context.close()
        server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_second_brand_passes_axe_in_both_colour_schemes(browser, tmp_path, scheme):
    """Another brand's colours (a light secondary, purple primary) still pass."""
    from conftest import serve_directory
    from helpers import build_second_brand

    output = build_second_brand(
        tmp_path, BRAND_COLORS={"primary": "#9b59d0", "secondary": "#ffb000"}
    )
    url, server = serve_directory(output)
    try:
        for width in WIDTHS.values():
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            tab = context.new_page()
            for path in ("", "nyheter/introduktionskvall-for-nya-medlemmar/"):
                tab.goto(f"{url}/{path}", wait_until="networkidle")
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                name = "second-brand-" + (path.split("/")[0] or "home")
                tab.screenshot(
                    path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True
                )
                assert axe_violations(tab) == [], (path, width)
            context.close()
    finally:
        server.shutdown()
