"""The web editor in Chromium: an officer writes a news post, a monthly event and a
picture and edits a page, through Decap CMS and its local backend (decap-server) in
a temporary clone of the example branch; what it writes passes `invoke check` and
builds. And /admin/ asks nothing of any other address.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import (
    DEV_PASSWORD,
    PUBLISHCONF,
    ROOT,
    TEST_ENV,
    build_site,
    html,
    run_cli,
    screenshot,
    serve_directory,
)

pytestmark = pytest.mark.browser

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
SLOW = 60_000  # Decap's UI is heavy: generous waits, never sleeps
# A clone of the branch has its keys sealed with the development password.
CLONE_ENV = {**TEST_ENV, "MEMBERS_PASSWORD": DEV_PASSWORD, "BOARD_PASSWORD": DEV_PASSWORD}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def small_png(path: Path) -> Path:
    """An 8×8 green PNG, written with zlib (no image library needed)."""
    rows = b"".join(b"\x00" + b"\x1d\x5e\x3a" * 8 for _ in range(8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def wait_for_backend(url: str, process: subprocess.Popen) -> None:
    """decap-server answers its `info` action (a readiness probe, not a UI wait)."""
    deadline = time.monotonic() + 60
    request = urllib.request.Request(
        url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"decap-server stopped: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("decap-server did not start")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A clone of the example branch, decap-server on it, and the site built with the
    local backend; yields (clone, address of /admin/)."""
    node = shutil.which("node")
    if not node or not DECAP_SERVER.exists():
        pytest.fail("node and node_modules/decap-server are needed: run `make test`")
    root = tmp_path_factory.mktemp("cms")
    clone = root / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    port = free_port()
    backend = f"http://127.0.0.1:{port}/api/v1"
    process = subprocess.Popen(
        [node, str(DECAP_SERVER)],
        cwd=clone,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "PORT": str(port),
            "GIT_REPO_DIRECTORY": str(clone),
            "MODE": "fs",
            "LOG_LEVEL": "warn",
        },
    )
    try:
        wait_for_backend(backend, process)
        output = build_site(
            clone / "content", root / "output", env=CLONE_ENV, CMS_LOCAL_BACKEND=backend
        )
        url, server = serve_directory(output)
        yield clone, f"{url}/admin/"
        server.shutdown()
    finally:
        process.terminate()
        process.wait(timeout=30)


# Every frame reports what the page's Content-Security-Policy blocked.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) =>
  window.reportViolation(`${event.effectiveDirective} ${event.blockedURI}`));
"""


def editor_context(browser, violations: list):
    """A browser context that records every CSP violation of its pages in `violations`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.expose_function("reportViolation", lambda report: violations.append(report))
    context.add_init_script(REPORT_VIOLATIONS)
    return context


@pytest.fixture
def violations():
    return []


@pytest.fixture
def officer(browser, violations):
    context = editor_context(browser, violations)
    tab = context.new_page()
    tab.set_default_timeout(SLOW)
    yield tab
    context.close()


def sign_in(page, admin_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(admin_url)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("link", name="Nyheter")).to_be_visible(timeout=SLOW)


def open_form(page, admin_url: str, path: str) -> None:
    from playwright.sync_api import expect

    # A fresh load: Decap keeps the last entry's form when only the hash changes.
    page.goto("about:blank")
    page.goto(f"{admin_url}#/collections/{path}")
    sign_in_button = page.get_by_role("button", name="Logga in")
    expect(page.get_by_label("Rubrik").or_(sign_in_button)).to_be_visible(timeout=SLOW)
    if sign_in_button.is_visible():
        sign_in_button.click()
    expect(page.get_by_label("Rubrik")).to_be_visible(timeout=SLOW)


def publish(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Publicera").first.click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Ändringar sparade")).to_be_visible(timeout=SLOW)


def write_news_post(page, admin_url, picture: Path) -> None:
    from playwright.sync_api import expect

    open_form(page, admin_url, "news/new")
    page.get_by_label("Rubrik").fill("Skördefest i Centrum")
    page.get_by_label("Datum").fill("2026-11-18T10:00")
    page.get_by_label("Grupper").click()
    page.keyboard.type("Ekdala centrum")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ekdala centrum", exact=True)).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Välj en bild").click()
    page.locator("input[type=file]").set_input_files(str(picture))
    expect(page.get_by_text(picture.name)).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Välj markerad").click()
    expect(page.get_by_role("button", name="Välj en annan bild")).to_be_visible(
        timeout=SLOW
    )
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("Välkommen till skördefesten på torget!")
    expect(page.locator("[data-slate-editor]")).to_contain_text(
        "skördefesten", timeout=SLOW
    )
    # A picture without its description is refused, with what to do.
    page.get_by_role("button", name="Publicera").first.click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Skriv en beskrivning av bilden")).to_be_visible(timeout=SLOW)
    page.get_by_label("Bildbeskrivning").fill("Morötter och pumpor på ett långbord")
    # The preview pane is styled by the site's own CSS.
    preview = page.frame_locator("iframe").first
    expect(preview.locator("link[href$='/theme/css/main.css']")).to_have_count(
        1, timeout=SLOW
    )
    expect(preview.get_by_text("Skördefest i Centrum")).to_be_visible(timeout=SLOW)
    screenshot(page, "editing-news-form")
    publish(page)


def write_monthly_event(page, admin_url) -> None:
    from playwright.sync_api import expect

    open_form(page, admin_url, "events-centrum/new")
    page.get_by_label("Rubrik").fill("Månadsmöte i Centrum")
    page.get_by_label("Börjar").fill("2027-01-15T18:30")
    page.get_by_label("Slutar").fill("2027-01-15T20:00")
    page.get_by_label(re.compile("^Plats")).fill("Stadsbiblioteket, rum Ekan")
    page.get_by_role("button", name="Expand").click()
    expect(page.get_by_label("Varje")).to_be_visible(timeout=SLOW)
    page.get_by_label("Varje").click()
    page.get_by_role("option", name="Månad").click()
    page.get_by_label(re.compile("^På")).fill("15")
    page.get_by_label("Till och med").fill("2027-12-31")
    page.get_by_role("button", name=re.compile("uppehåll", re.I)).click()
    expect(page.get_by_label("Från")).to_be_visible(timeout=SLOW)
    page.get_by_label("Från").fill("2027-06-16")
    page.get_by_label(re.compile(r"^Till \(")).fill("2027-08-14")
    expect(page.get_by_label(re.compile(r"^Till \("))).to_have_value(
        "2027-08-14", timeout=SLOW
    )
    screenshot(page, "editing-event-form")
    publish(page)


def edit_page(page, admin_url) -> None:
    from playwright.sync_api import expect

    open_form(page, admin_url, "pages/entries/bli-medlem")
    expect(page.get_by_label("Rubrik")).to_have_value("Bli medlem", timeout=SLOW)
    summary = page.get_by_label("Sammanfattning")
    expect(summary).to_have_value(re.compile("Som medlem kan du påverka"), timeout=SLOW)
    summary.fill("Bli medlem för 120 kronor om året och var med och bestäm.")
    publish(page)


def test_an_officer_writes_news_an_event_a_picture_and_edits_a_page(
    editor, officer, violations, tmp_path
):
    from playwright.sync_api import expect

    clone, admin_url = editor
    content = clone / "content"
    sign_in(officer, admin_url)
    screenshot(officer, "editing-collections")
    officer.get_by_role("link", name="Protokoll").click()
    notice = officer.get_by_text("Protokoll och andra skyddade filer krypteras")
    expect(notice).to_be_visible(timeout=SLOW)
    expect(officer.get_by_role("link", name="Protokoll")).to_be_visible(timeout=SLOW)
    write_news_post(officer, admin_url, small_png(tmp_path / "skordefest.png"))
    write_monthly_event(officer, admin_url)
    edit_page(officer, admin_url)
    # The editor did all of that under its page's policy (no inline script).
    assert not violations, violations

    news = content / "news" / "2026-11-18-skordefest-i-centrum.md"
    assert news.read_text("utf-8").startswith("---\ntitle: Skördefest i Centrum\n")
    assert (content / "images" / "skordefest.png").read_bytes()[:4] == b"\x89PNG"
    event_file = content / "calendar" / "centrum" / "manadsmote-i-centrum.yaml"
    assert "start: 2027-01-15 18:30" in event_file.read_text("utf-8")  # local, no UTC
    page_text = (content / "pages" / "bli-medlem.md").read_text("utf-8")
    assert "menu_order: 3" in page_text and "Ett medlemskap kostar 120 kronor" in page_text

    checked = run_cli(
        sys.executable, "-m", "invoke", "check", "--content", str(content), env=CLONE_ENV
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    output = build_site(content, tmp_path / "site", env=CLONE_ENV)
    assert_news_post(output)
    assert_monthly_event(output)
    description = html(output / "bli-medlem" / "index.html").find(
        "meta", attrs={"name": "description"}
    )["content"]
    assert description.startswith("Bli medlem för 120 kronor om året")


def assert_news_post(output: Path) -> None:
    post = html(output / "nyheter" / "skordefest-i-centrum" / "index.html")
    assert post.find("h1").get_text(strip=True) == "Skördefest i Centrum"
    assert "skördefesten på torget" in post.get_text()
    image = post.find("meta", attrs={"property": "og:image"})["content"]
    assert image.endswith("/images/skordefest.png")
    assert (
        post.find("meta", attrs={"property": "og:image:alt"})["content"]
        == "Morötter och pumpor på ett långbord"
    )
    assert (output / "images" / "skordefest.png").exists()
    group = html(output / "grupper" / "centrum" / "index.html")
    assert "Skördefest i Centrum" in group.get_text()


def assert_monthly_event(output: Path) -> None:
    folder = output / "kalender" / "centrum" / "manadsmote-i-centrum"
    ics = folder / "manadsmote-i-centrum.ics"
    text = ics.read_text("utf-8")
    assert "DTSTART;TZID=Europe/Stockholm:20270115T183000" in text
    event = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2027, 1, 15, 18, 30, tzinfo=STOCKHOLM)
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYMONTHDAY"] == [15]
    value = event.get("EXDATE", [])
    excluded = {
        d.dt.date()
        for item in (value if isinstance(value, list) else [value])
        for d in item.dts
    }
    assert date(2027, 7, 15) in excluded  # the summer pause
    assert not excluded & {date(2027, 6, 15), date(2027, 8, 15)}
    page = html(folder / "index.html")
    assert "Månadsmöte i Centrum" in page.get_text()


def test_admin_makes_no_request_outside_the_site(browser, tmp_path):
    """The published editor (no local backend) loads only its own files."""
    from playwright.sync_api import expect

    output = build_site(ROOT / "content", tmp_path / "published", settings_file=PUBLISHCONF)
    url, server = serve_directory(output)
    violations = []
    context = editor_context(browser, violations)
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{url}/admin/")
        expect(page.get_by_role("button", name="Logga in med GitHub")).to_be_visible(
            timeout=SLOW
        )
        screenshot(page, "editing-sign-in")
        # What the page itself says it loaded, besides what the request log saw.
        requested += page.evaluate(
            "performance.getEntriesByType('resource').map(entry => entry.name)"
        )
        outside = [
            u
            for u in requested
            if not u.startswith(f"{url}/") and not u.startswith(("data:", "blob:"))
        ]
        assert not outside, outside
        assert f"{url}/admin/decap-cms.js" in requested
        assert page.locator("html").get_attribute("lang") == "sv"
        assert not violations, violations
    finally:
        context.close()
        server.shutdown()
