"""Live reload in a real browser: the open page follows saves, errors and fixes.

A real `invoke serve` (the `served` fixture: tests/helpers.py's Serve) and
Chromium: the page the officer has open shows an edit without a click, shows the
error overlay (with the page underneath still the last good one) and loses it
after the fix.
"""

from __future__ import annotations

import pytest
from helpers import EDIT_DEADLINE, FIRST_BUILD_DEADLINE, poll, preview_post, save
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_open_page_follows_an_edit_an_error_and_its_fix(served, page):
    poll(
        served.url + "/", lambda t: "</html>" in t, FIRST_BUILD_DEADLINE, "the first build"
    )
    post = preview_post(served.content)
    page.goto(served.post_url)
    expect(page.locator("h1")).to_be_visible()
    overlay = page.locator("#grasrot-preview-errors")
    expect(overlay).to_have_count(0)

    original = post.read_text(encoding="utf-8")
    save(post, original + "\nSyns direkt i webbläsaren.\n")
    expect(page.locator("main")).to_contain_text(
        "Syns direkt i webbläsaren.", timeout=EDIT_DEADLINE * 1000
    )
    # Shown before the rebuild; the page reloads again when the rebuild is done.
    expect(page.locator('script[data-rebuilding="false"]')).to_have_count(
        1, timeout=EDIT_DEADLINE * 1000
    )

    broken = post.read_text(encoding="utf-8").replace("Date: ", "Date: 2026-02-30\nX: ", 1)
    save(post, broken)
    expect(overlay).to_be_visible(timeout=EDIT_DEADLINE * 1000)
    expect(overlay).to_contain_text("'date: 2026-02-30' är inget giltigt datum")  # sv site
    expect(page.locator("main")).to_contain_text("Syns direkt i webbläsaren.")

    save(post, original + "\nRättat i webbläsaren.\n")
    expect(page.locator("main")).to_contain_text(
        "Rättat i webbläsaren.", timeout=EDIT_DEADLINE * 1000
    )
    expect(overlay).to_have_count(0)
