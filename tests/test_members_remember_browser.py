"""Remembered keys in Chromium: kept as non-extractable keys, survive a reload,
expire (Playwright's clock moves time, nothing waits), and on a shared Pages
origin nothing at all is stored.

The shared-origin site is built with SITEURL https://ekdala-parti.github.io/ekdala
and served at that address through Playwright's request routing (a secure
context, as on GitHub Pages); a second page of the same origin, /annan-sajt/,
then looks for anything the first one left.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import BOARD_PASSWORD, MEMBERS_PASSWORD, TEST_ENV, build_site, write
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OPEN_TIMEOUT = 20_000
MEMBERS_PAGE = "protokoll/medlemsmote-23-april-2026/"
ANNUAL_PAGE = "protokoll/arsmote-21-februari-2026/"
DAY_MS = 24 * 60 * 60 * 1000
SHARED_HOST = "https://ekdala-parti.github.io"
DEV_PASSWORD = "lokal-forhandsvisning-ej-hemlig"

STORED = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  const keys = [];
  for (const name of names) {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
    });
    for (const store of db.objectStoreNames) {
      const all = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      keys.push(...all.map((r) => [name, r.level, r.expires]));
    }
    db.close();
  }
  return {databases: names, keys: keys, local: localStorage.length,
          session: sessionStorage.length, cookies: document.cookie};
}"""


def unlock(tab, password, remember=False):
    tab.get_by_label("Lösenord").fill(password)
    if remember:
        tab.get_by_label("Kom ihåg mig på den här enheten").check()
    tab.get_by_role("button", name="Öppna").click()


def expect_opened(tab):
    expect(tab.locator(".members-opened").first).to_be_visible(timeout=OPEN_TIMEOUT)


def expect_locked(tab):
    expect(tab.get_by_label("Lösenord")).to_be_visible()
    # The silent attempt with a remembered key has finished and opened nothing.
    expect(tab.locator("html")).to_have_attribute("data-members-remembered", "checked")
    expect(tab.locator(".members-opened")).to_have_count(0)


def test_a_remembered_key_survives_a_reload_and_expires(page, site_url):
    start = datetime.now(UTC).replace(microsecond=0)
    now = int(start.timestamp() * 1000)
    page.clock.install(time=start)
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    unlock(page, MEMBERS_PASSWORD, remember=True)
    expect_opened(page)
    expires = page.evaluate(STORED)["keys"]
    assert [(level, round((at - now) / DAY_MS)) for _db, level, at in expires] == [
        ("members", 30)
    ]
    page.reload()
    expect_opened(page)  # no password asked
    page.clock.set_system_time(start + timedelta(days=29))
    page.goto(f"{site_url}/{ANNUAL_PAGE}")
    expect_opened(page)
    page.clock.set_system_time(start + timedelta(days=31))
    page.reload()
    expect_locked(page)
    expect(page.locator(".members-form")).to_be_visible()
    # The expired key is deleted, not only ignored.
    page.wait_for_function(f"async () => (await ({STORED})()).keys.length === 0")


def test_a_key_opened_by_the_board_password_is_remembered_for_both_levels(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    unlock(page, BOARD_PASSWORD, remember=True)
    expect_opened(page)
    levels = sorted(level for _db, level, _at in page.evaluate(STORED)["keys"])
    assert levels == ["board", "members"]
    page.goto(f"{site_url}/protokoll/styrelsemote-12-mars-2026/")
    expect_opened(page)


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory):
    """The example branch's minutes at a project path on a shared github.io origin,
    locked with the development password (a preview: the banner shows)."""
    root = tmp_path_factory.mktemp("shared-origin")
    content = root / "content"
    write(
        content / "minutes" / "2026-04-23-mote.md",
        "Title: Medlemsmöte\nDate: 2026-04-23\n\nEtt tjugotal medlemmar deltog.\n",
    )
    write(
        content / "minutes" / "2026-04-24-mote.md",
        "Title: Extramöte\nDate: 2026-04-24\n\nTre frågor.\n",
    )
    env = {**TEST_ENV, "MEMBERS_PASSWORD": DEV_PASSWORD}
    return build_site(
        content,
        root / "output",
        env=env,
        SITEURL=f"{SHARED_HOST}/ekdala",
        RELATIVE_URLS=False,
    )


def route_shared_origin(context, output: Path):
    """Serve the site at https://ekdala-parti.github.io/ekdala/, and another site of
    the same origin at /annan-sajt/ (a page that only looks)."""

    def handle(route):
        path = route.request.url.split(SHARED_HOST, 1)[1].split("?", 1)[0]
        if path.startswith("/annan-sajt/"):
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!doctype html><title>Annan sajt</title><p>Hej</p>",
            )
            return
        relative = path[len("/ekdala/") :] if path.startswith("/ekdala/") else ""
        file = output / unquote(relative)
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(str(file))[0] or "application/octet-stream"
        route.fulfill(status=200, content_type=kind, body=file.read_bytes())

    context.route(f"{SHARED_HOST}/**", handle)


def test_on_a_shared_origin_another_site_finds_nothing_stored(browser, shared_site):
    context = browser.new_context(locale="sv-SE")
    try:
        route_shared_origin(context, shared_site)
        tab = context.new_page()
        tab.goto(f"{SHARED_HOST}/ekdala/protokoll/medlemsmote/")
        expect(tab.get_by_role("note")).to_have_text(
            "Förhandsvisning – låst med utvecklingslösenordet, publicera inte"
        )
        expect(tab.get_by_label("Lösenord")).to_be_visible()
        expect(tab.get_by_label("Kom ihåg mig på den här enheten")).to_have_count(0)
        unlock(tab, DEV_PASSWORD)
        expect_opened(tab)
        assert "Ett tjugotal medlemmar deltog" in tab.locator("main").inner_text()
        # The next page of the same site asks again: nothing was kept.
        tab.goto(f"{SHARED_HOST}/ekdala/protokoll/extramote/")
        expect_locked(tab)
        for other in (tab, context.new_page()):  # same tab (sessionStorage) and a new one
            other.goto(f"{SHARED_HOST}/annan-sajt/")
            expect(other.get_by_text("Hej")).to_be_visible()
            found = other.evaluate(STORED)
            assert found == {
                "databases": [],
                "keys": [],
                "local": 0,
                "session": 0,
                "cookies": "",
            }, found
    finally:
        context.close()
