"""Site search in a real Chromium: what a member types and finds on /sok/.

Pagefind's own UI runs against the index the build wrote; every check waits
with Playwright's `expect`, which retries until the results are drawn.
"""

from __future__ import annotations

import re

import pytest
from conftest import axe_violations, build_site, copy_content, serve_directory, write
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# No public word shares its start: Pagefind also matches the start of a word.
CANARY = "Zqxjwkanarie"
RESULT_LINKS = ".pagefind-ui__result-link"
# Loading the index and its WebAssembly can take seconds on a loaded CI machine.
SEARCHING = 20_000


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    """The example branch plus a members-only page whose body is a canary."""
    root = tmp_path_factory.mktemp("search")
    content = copy_content(root)
    write(
        content / "pages" / "internt.md",
        f"Title: Internt\nAccess: members\n\nBara för medlemmar: {CANARY}.\n",
    )
    output = build_site(content, root / "output")
    url, server = serve_directory(output)
    yield url
    server.shutdown()


def search(page, base: str, query: str):
    page.goto(f"{base}/sok/?q={query}")
    return page.locator(RESULT_LINKS)


def test_the_header_field_opens_the_search_with_results(browser, search_site):
    # The field shows from 90rem; narrower headers have only the button.
    context = browser.new_context(viewport={"width": 1500, "height": 900}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{search_site}/om-oss/")
        page.get_by_role("searchbox", name="Sök på webbplatsen").fill("budgetförslag")
        page.get_by_role("button", name="Sök", exact=True).click()
        expect(page).to_have_url(re.compile(r"/sok/\?q=budgetf"))
        expect(page.locator(RESULT_LINKS, has_text="budgetförslag").first).to_be_visible(
            timeout=SEARCHING
        )
    finally:
        context.close()


def test_on_a_phone_the_header_button_opens_the_search_box(page, search_site):
    page.goto(f"{search_site}/om-oss/")
    expect(page.get_by_role("searchbox", name="Sök på webbplatsen")).to_be_hidden()
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sok/\?q=$"))
    expect(page.get_by_role("textbox", name="Sök")).to_be_focused(timeout=SEARCHING)


def test_a_public_word_finds_its_page(page, search_site):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    links = search(page, search_site, "Hyresgästföreningen")
    expect(links.first).to_have_attribute(
        "href", "/kalender/norra-ekdala/hyresgastforeningen/", timeout=SEARCHING
    )
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
    expect(policy).to_have_attribute("content", re.compile("'wasm-unsafe-eval'"))
    assert violations == []  # the search ran under the site's policy


def test_an_inflected_swedish_form_finds_its_base_form(page, search_site):
    # "Gå på ett medlemsmöte" is written on /engagera-dig/ only in the base form.
    links = search(page, search_site, "medlemsmötet")
    expect(page.locator(f'{RESULT_LINKS}[href="/engagera-dig/"]')).to_have_count(
        1, timeout=SEARCHING
    )
    expect(links.first).to_be_visible(timeout=SEARCHING)


def test_an_event_is_found_by_its_title_and_a_group_filter_narrows(page, search_site):
    links = search(page, search_site, "gruppmöte")
    norra = page.locator(f'{RESULT_LINKS}[href="/kalender/norra-ekdala/gruppmote/"]')
    soderasen = page.locator(f'{RESULT_LINKS}[href="/kalender/soderasen/gruppmote/"]')
    expect(norra).to_have_count(1, timeout=SEARCHING)
    expect(soderasen).to_have_count(1)
    group_filters = page.locator(
        ".pagefind-ui__filter-block", has=page.locator("summary", has_text="Grupp")
    )
    norra_filter = group_filters.get_by_label(re.compile("^Norra Ekdala"))
    open_filter_block(group_filters, norra_filter)
    norra_filter.check()
    expect(soderasen).to_have_count(0)
    expect(norra).to_have_count(1)
    expect(links).not_to_have_count(0)


def open_filter_block(block, control) -> None:
    """Open a filter block until `control` shows. Pagefind's UI may draw the block
    again as the filter counts arrive, closed, right after a click opened it."""
    for _attempt in range(5):
        block.locator("summary").click()
        try:
            expect(control).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            continue
    expect(control).to_be_visible()


def test_results_show_dates(page, search_site):
    search(page, search_site, "julfest")
    result = page.locator(
        ".pagefind-ui__result",
        has=page.locator(f'{RESULT_LINKS}[href="/kalender/ekdala/julfest/"]'),
    )
    expect(result.locator(".pagefind-ui__result-tag")).to_contain_text(
        "12 dec. 2026", timeout=SEARCHING
    )


def test_a_protected_canary_finds_nothing(page, search_site):
    search(page, search_site, CANARY)
    expect(page.locator(".pagefind-ui__message")).to_contain_text(
        "gav inga träffar", timeout=SEARCHING
    )
    expect(page.locator(RESULT_LINKS)).to_have_count(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_page_has_no_axe_violations(browser, search_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    try:
        search(tab, search_site, "medlemsmöte")
        expect(tab.locator(RESULT_LINKS).first).to_be_visible(timeout=SEARCHING)
        assert axe_violations(tab) == []
    finally:
        context.close()
