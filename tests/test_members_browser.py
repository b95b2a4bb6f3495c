"""Protected pages round-trip in real Chromium: encrypted in Python, opened with WebCrypto.

Uses the example branch (built once per session with the test passwords):
minutes of both levels, the members' index and a PDF attachment.
"""

from __future__ import annotations

import base64
import json
import re
import shutil

import pytest
from conftest import (
    BOARD_PASSWORD,
    CONTENT,
    MEMBERS_PASSWORD,
    axe_violations,
    build_site,
    opened_example_file,
    screenshot,
    serve_directory,
)
from helpers import tiny_png
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEMBERS_PAGE = "protokoll/medlemsmote-23-april-2026/"
ANNUAL_PAGE = "protokoll/arsmote-21-februari-2026/"
BOARD_PAGE = "protokoll/styrelsemote-12-mars-2026/"
OPEN_TIMEOUT = 20_000  # PBKDF2 with 600,000 rounds, twice on the index page


def unlock(tab, password, remember=False):
    tab.get_by_label("Lösenord").fill(password)
    if remember:
        tab.get_by_label("Kom ihåg mig på den här enheten").check()
    tab.get_by_role("button", name="Öppna").click()


def wait_opened(tab):
    tab.locator(".members-opened").first.wait_for(timeout=OPEN_TIMEOUT)


def wait_wrong(tab):
    tab.get_by_text("Fel lösenord").wait_for(state="visible", timeout=OPEN_TIMEOUT)


@pytest.fixture(scope="module")
def tampered_site(example_site, tmp_path_factory):
    """A copy of the example site where MEMBERS_PAGE has one ciphertext bit
    flipped, and protokoll/moved/ holds MEMBERS_PAGE's intact ciphertext."""
    root = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(example_site, root)
    page = root / MEMBERS_PAGE / "index.html"
    html = page.read_text(encoding="utf-8")
    moved = root / "protokoll" / "moved" / "index.html"
    moved.parent.mkdir()
    moved.write_text(html, encoding="utf-8")
    payload = json.loads(_payload_text(html))
    data = bytearray(base64.b64decode(payload[0]["data"]))
    data[len(data) // 2] ^= 0x01
    payload[0]["data"] = base64.b64encode(bytes(data)).decode()
    page.write_text(
        html.replace(_payload_text(html), json.dumps(payload)), encoding="utf-8"
    )
    url, server = serve_directory(root)
    yield url
    server.shutdown()


def _payload_text(html: str) -> str:
    return re.search(r'id="members-payload">(.*?)</script>', html, re.S).group(1)


def test_right_password_opens_the_page_and_focuses_its_heading(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    expect(page.locator("h1")).to_have_text("Medlemsmöte 23 april 2026")
    assert "tjugotal" not in page.content()
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    main = page.locator("main")
    assert "Ett tjugotal medlemmar deltog" in main.inner_text()
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.evaluate("document.activeElement.closest('.members-opened') !== null")
    assert page.locator(".members-lock").is_hidden()
    screenshot(page, "members-opened")


def test_a_spinner_and_status_show_while_the_key_is_derived(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    page.evaluate("""() => {
      window.seen = [];
      const status = document.querySelector('.members-status');
      new MutationObserver(() => window.seen.push([
        status.querySelector('.members-status-text').textContent,
        status.querySelector('.members-spinner').hidden])).observe(
        status, {subtree: true, childList: true, attributes: true, characterData: true});
    }""")
    assert page.locator(".members-status").get_attribute("aria-live") == "polite"
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    seen = page.evaluate("window.seen")
    assert ["Öppnar …", False] in seen, seen


def test_wrong_password_says_so_inline(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    unlock(page, "inte-rätt-lösenord-alls")
    wait_wrong(page)
    assert page.get_by_label("Lösenord").get_attribute("aria-invalid") == "true"
    assert page.locator(".members-opened").count() == 0
    screenshot(page, "members-wrong-password")


def test_the_board_password_opens_a_members_page(page, site_url):
    """Levels nest (MEMBERS_ACCESS_LEVELS order): board opens members' pages."""
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    expect(page.locator(".members-intro")).to_have_text(
        "Protokollet är bara för medlemmar. Skriv lösenordet för att läsa det."
    )
    unlock(page, BOARD_PASSWORD)
    wait_opened(page)
    assert "Ett tjugotal medlemmar deltog" in page.locator("main").inner_text()
    page.goto(f"{site_url}/{BOARD_PAGE}")  # the board key came with it (this tab)
    wait_opened(page)
    assert "Valberedningen har påbörjat" in page.locator("main").inner_text()


def test_the_members_password_does_not_open_a_board_page_and_says_why(page, site_url):
    page.goto(f"{site_url}/{BOARD_PAGE}")
    expect(page.locator(".members-intro")).to_have_text(
        "Protokollet är bara för styrelsen. Skriv lösenordet för att läsa det."
    )
    unlock(page, MEMBERS_PASSWORD)
    wait_wrong(page)
    expect(page.locator(".members-error")).to_have_text(
        "Fel lösenord. Här behövs lösenordet för styrelsen."
    )
    unlock(page, BOARD_PASSWORD)
    wait_opened(page)
    assert "Valberedningen har påbörjat" in page.locator("main").inner_text()


def test_a_flipped_ciphertext_byte_does_not_open(page, tampered_site):
    page.goto(f"{tampered_site}/{MEMBERS_PAGE}")
    unlock(page, MEMBERS_PASSWORD)
    wait_wrong(page)
    assert page.locator(".members-opened").count() == 0


def test_a_ciphertext_moved_to_another_page_does_not_open(page, tampered_site):
    page.goto(f"{tampered_site}/protokoll/moved/")
    unlock(page, MEMBERS_PASSWORD)
    wait_wrong(page)
    assert page.locator(".members-opened").count() == 0


STORED_KEYS = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("grasrot-members:/");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const records = await new Promise((resolve) => {
    const request = db.transaction("keys").objectStore("keys").getAll();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  return records.map((r) => ({name: r.name, level: r.level, session: r.session,
    expires: r.expires, type: r.key.constructor.name, extractable: r.key.extractable,
    usages: r.key.usages}));
}"""


def test_remember_me_opens_other_pages_until_log_out(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    unlock(page, MEMBERS_PASSWORD, remember=True)
    wait_opened(page)
    records = page.evaluate(STORED_KEYS)
    assert [(r["level"], r["type"], r["extractable"], r["session"]) for r in records] == [
        ("members", "CryptoKey", False, None)
    ]
    stored = page.evaluate(
        "JSON.stringify([Object.assign({}, localStorage),"
        " Object.assign({}, sessionStorage)])"
    )
    assert MEMBERS_PASSWORD not in stored and "grasrot-members:/:members" not in stored
    # A new tab of the same browser profile opens the other page without asking.
    other = page.context.new_page()
    other.goto(f"{site_url}/{ANNUAL_PAGE}")
    wait_opened(other)
    assert "41 röstberättigade" in other.locator("main").inner_text()
    other.get_by_role("button", name="Logga ut").click()
    other.wait_for_load_state()
    other.get_by_label("Lösenord").wait_for(state="visible")
    assert other.evaluate("localStorage.length + sessionStorage.length") == 0
    assert other.evaluate(STORED_KEYS) == []
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    page.get_by_label("Lösenord").wait_for(state="visible")
    expect(page.locator("html")).to_have_attribute("data-members-remembered", "checked")
    expect(page.locator(".members-opened")).to_have_count(0)


def test_without_remember_me_only_this_tab_session_remembers(browser, page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    assert page.evaluate("localStorage.length") == 0
    page.goto(f"{site_url}/{ANNUAL_PAGE}")
    wait_opened(page)  # same tab: sessionStorage
    fresh = page.context.new_page()  # a new tab has its own sessionStorage
    fresh.goto(f"{site_url}/{ANNUAL_PAGE}")
    fresh.get_by_label("Lösenord").wait_for(state="visible")
    expect(fresh.locator("html")).to_have_attribute("data-members-remembered", "checked")
    expect(fresh.locator(".members-opened")).to_have_count(0)


def test_attachment_downloads_as_the_original_bytes(page, site_url):
    page.goto(f"{site_url}/{ANNUAL_PAGE}")
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    with page.expect_download(timeout=OPEN_TIMEOUT) as info:
        page.get_by_role("link", name="bilagan med årsmöteshandlingarna").click()
    download = info.value
    assert download.suggested_filename == "arsmote-2026-handlingar.pdf"
    original = opened_example_file(CONTENT / "minutes" / "arsmote-2026-handlingar.pdf.age")
    with open(download.path(), "rb") as handle:
        assert handle.read() == original


def test_members_index_lists_each_level_with_its_password(page, site_url):
    page.goto(f"{site_url}/medlemmar/")
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    text = page.locator("main").inner_text()
    assert "Medlemsmöte 23 april 2026" in text and "Styrelsemöte 12 mars" not in text
    unlock(page, BOARD_PASSWORD)  # the form stays for the other level
    page.locator(".members-opened[data-level=board]").wait_for(timeout=OPEN_TIMEOUT)
    text = page.locator("main").inner_text()
    assert "Styrelsemöte 12 mars 2026" in text and "Protokoll 2026" in text
    assert "Medlemsbrev november 2026 (internt)" in text
    page.get_by_role("link", name="Årsmöte 21 februari 2026").click()
    wait_opened(page)  # remembered for this tab: no second prompt


def test_the_board_password_shows_everything_in_the_members_index(page, site_url):
    page.goto(f"{site_url}/medlemmar/")
    unlock(page, BOARD_PASSWORD)
    page.locator(".members-opened[data-level=members]").wait_for(timeout=OPEN_TIMEOUT)
    page.locator(".members-opened[data-level=board]").wait_for(timeout=OPEN_TIMEOUT)
    expect(page.locator(".members-lock")).to_be_hidden()
    text = page.locator("main").inner_text()
    for title in (
        "Styrelsemöte 12 mars 2026",
        "Medlemsmöte 23 april 2026",
        "Årsmöte 21 februari 2026",
        "Medlemsbrev november 2026 (internt)",
    ):
        assert title in text, title
    assert text.index("För styrelsen") < text.index("För medlemmar")


def test_unlock_form_has_no_axe_violations(page, site_url):
    page.goto(f"{site_url}/{MEMBERS_PAGE}")
    page.get_by_label("Lösenord").wait_for(state="visible")
    assert axe_violations(page) == []
    unlock(page, "fel-lösenord-igen-1234")
    wait_wrong(page)
    assert axe_violations(page) == []


def test_without_javascript_the_page_says_whom_to_ask(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/{MEMBERS_PAGE}")
        text = tab.locator("main").inner_text()
        assert "kontakt@ekdala.example.org" in text
        assert tab.locator("form.members-form").is_hidden()
    finally:
        context.close()


@pytest.fixture(scope="module")
def picture_site(tmp_path_factory):
    """Minutes with a Swedish slug and a picture beside them (an encrypted image)."""
    root = tmp_path_factory.mktemp("picture")
    folder = root / "content" / "minutes"
    folder.mkdir(parents=True)
    (folder / "bild.png").write_bytes(tiny_png("bild"))
    (folder / "2026-05-01-bilder.md").write_text(
        "Title: Bilder från vårmötet\nDate: 2026-05-01\nSlug: vårmöte-bilder\n\n"
        "![Mötesdeltagare i Folkets hus](bild.png)\n",
        encoding="utf-8",
    )
    output = build_site(root / "content", root / "output")
    url, server = serve_directory(output)
    yield url
    server.shutdown()


def test_pictures_decrypt_in_place_on_a_page_with_a_swedish_url(page, picture_site):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{picture_site}/protokoll/vårmöte-bilder/")
    unlock(page, MEMBERS_PASSWORD)
    wait_opened(page)
    image = page.get_by_role("img", name="Mötesdeltagare i Folkets hus")
    page.wait_for_function(
        "() => { const i = document.querySelector('.members-opened img');"
        " return i && i.complete && i.naturalWidth === 1; }",
        timeout=OPEN_TIMEOUT,
    )
    assert image.get_attribute("src").startswith("blob:")
    foreign = [
        u
        for u in requests
        if not u.startswith(picture_site) and not u.startswith(("blob:", "data:"))
    ]
    assert not foreign, foreign  # no third-party requests, ever


def test_english_unlock_form(tmp_path):
    content = tmp_path / "content" / "minutes"
    content.mkdir(parents=True)
    (content / "m.md").write_text(
        "Title: Meeting\nDate: 2026-05-01\n\nText.\n", encoding="utf-8"
    )
    output = build_site(tmp_path / "content", tmp_path / "out", DEFAULT_LANG="en")
    html = (output / "protokoll" / "meeting" / "index.html").read_text(encoding="utf-8")
    for text in (
        "Wrong password",
        ">Password<",
        "Remember me on this device",
        ">Open<",
        "These minutes are only for members. Enter the password to read them.",
    ):
        assert text in html, text
