"""The newsletter page and archive in Chromium: no axe violations, usable at phone width."""

from __future__ import annotations

import re

import pytest
from conftest import axe_violations, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["nyhetsbrev/nyhetsbrev-november-2026/", "nyhetsbrev/"])
def test_newsletter_pages_pass_axe(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    expect(page.locator("h1")).to_have_count(1)
    violations = axe_violations(page)
    screenshot(page, "newsletter-" + path.strip("/").replace("/", "-"))
    assert violations == []


def test_table_of_contents_jumps_to_its_section(page, site_url):
    page.goto(f"{site_url}/nyhetsbrev/nyhetsbrev-november-2026/")
    page.get_by_role("link", name="Nominera till valberedningen").click()
    expect(page).to_have_url(re.compile(r"#nominera-till-valberedningen$"))
    expect(page.locator("#nominera-till-valberedningen")).to_be_in_viewport()
    # The page is readable at phone width: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
