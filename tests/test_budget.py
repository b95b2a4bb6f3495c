"""Budgets: the home page's first load at 390 px, with everything it fetches
(HTML, CSS, JS, logo, favicon, the hero and card pictures), measured from
Chromium's own response sizes. At most 120 KB with the hero picture, at most 50
KB without it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WITH_HERO = 120 * 1024
WITHOUT_HERO = 50 * 1024


def test_home_first_load_stays_within_budget(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    try:
        tab = context.new_page()
        finished = []
        tab.on("requestfinished", lambda request: finished.append(request))
        tab.goto(f"{site_url}/", wait_until="networkidle")
        hero = tab.locator(".hero__image img")
        expect(hero).to_be_visible()
        hero_url = tab.evaluate("document.querySelector('.hero__image img').currentSrc")
        sizes = {}
        for request in finished:
            measured = request.sizes()
            sizes[request.url] = (
                measured["responseBodySize"] + measured["responseHeadersSize"]
            )
        total = sum(sizes.values())
        without_hero = total - sizes.get(hero_url, 0)
        listing = ", ".join(
            f"{url.rsplit('/', 1)[-1] or '/'}: {size}"
            for url, size in sorted(sizes.items(), key=lambda x: -x[1])
        )
        print(
            f"\nhome at 390 px: {total} bytes in {len(sizes)} responses, "
            f"{without_hero} without the hero ({listing})"
        )
        assert hero_url in sizes and hero_url.endswith(".avif")
        assert total <= WITH_HERO
        assert without_hero <= WITHOUT_HERO
    finally:
        context.close()
