"""No layout shift: Chromium's PerformanceObserver reports no `layout-shift` on
any page type, at phone, tablet and desktop width. Boxes that scripts work (the
area finder, the members' unlock form) are in place from the first paint; images
have their width and height; nothing is painted before the menu script has fitted
the header row (base.html).

The CPU is slowed fourfold (Chromium's own throttling, as its DevTools offer): on a
slow phone, or a busy test machine, the browser paints while it is still parsing,
and a header painted half-read moves when the rest arrives. The slowdown makes
that happen in most loads if nothing prevents it, instead of now and then.

The browser's clock is set to the site's build date: calendar.js hides events
that ended after the build (the nightly publish keeps that gap under a day).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import BUILD_EPOCH
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "calendar": "kalender/",
    "calendar-month": "kalender/manad/2026-12/",
    "event": "kalender/ekdala/medlemsmote/",
    "group-directory": "grupper/",
    "group": "grupper/centrum/",
    "news-article": "nyheter/introduktionskvall-for-nya-medlemmar/",
    "newsletter": "nyhetsbrev/nyhetsbrev-november-2026/",
    "protected": "protokoll/medlemsmote-23-april-2026/",
    "members-index": "medlemmar/",
}
WIDTHS = {
    "phone": {"width": 390, "height": 844},
    # Too narrow for the whole menu row: menu.js moves items under "Mer".
    "tablet": {"width": 900, "height": 1000},
    "desktop": {"width": 1280, "height": 900},
}
CPU_SLOWDOWN = 4
# Every shift not caused by input, summed, from before the first paint.
OBSERVE_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__layoutShifts.push({value: entry.value, nodes: entry.sources.map(
        (s) => s.node && (s.node.className || s.node.nodeName))});
    }
  }
}).observe({type: "layout-shift", buffered: true});
"""
AFTER_TWO_FRAMES = (
    "new Promise((done) => requestAnimationFrame(() => "
    "requestAnimationFrame(() => done(window.__layoutShifts))))"
)


@pytest.fixture(scope="module", params=list(WIDTHS))
def context(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param], locale="sv-SE")
    context.add_init_script(OBSERVE_SHIFTS)
    yield context
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_layout_shift(context, site_url, name):
    tab = context.new_page()
    try:
        context.new_cdp_session(tab).send(
            "Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN}
        )
        tab.clock.set_fixed_time(datetime.fromtimestamp(BUILD_EPOCH, UTC))
        tab.goto(f"{site_url}/{PAGES[name]}", wait_until="networkidle")
        expect(tab.locator("main h1")).to_be_visible()
        if name == "group-directory":
            expect(tab.locator("#area-finder-input")).to_be_editable()
        if name in ("protected", "members-index"):
            expect(tab.get_by_label("Lösenord")).to_be_visible()
        tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        shifts = tab.evaluate(AFTER_TWO_FRAMES)
        assert shifts == [], f"layout shifts on {name}: {shifts}"
    finally:
        tab.close()


@pytest.mark.parametrize(
    ("script", "path", "what"),
    [
        ("members.js", PAGES["protected"], lambda tab: tab.get_by_label("Lösenord")),
        ("area-finder.js", "grupper/", lambda tab: tab.locator(".area-finder")),
    ],
    ids=["unlock-form", "area-finder"],
)
def test_a_form_is_in_place_before_its_script_runs(browser, site_url, script, path, what):
    """Visible with its script blocked: CSS shows it, not the script."""
    context = browser.new_context(locale="sv-SE")
    try:
        context.route(f"**/{script}", lambda route: route.abort())
        tab = context.new_page()
        tab.goto(f"{site_url}/{path}")
        expect(what(tab)).to_be_visible()
    finally:
        context.close()
