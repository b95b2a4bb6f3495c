"""The e-mail edition: `invoke newsletter-email <slug>` (grasrot_feeds.email)."""

from __future__ import annotations

import re
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, TEST_ENV, run_cli
from feeds_helpers import is_absolute_link

from grasrot_feeds.email import write_email_edition

SLUG = "nyhetsbrev-november-2026"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The November newsletter's e-mail edition, built with publishconf.py."""
    output = tmp_path_factory.mktemp("email")
    patch = pytest.MonkeyPatch()
    for key, value in TEST_ENV.items():
        patch.setenv(key, value)
    patch.delenv("SITEURL", raising=False)
    try:
        assert write_email_edition(ROOT, SLUG, output) == 0
    finally:
        patch.undo()
    html = (output / f"{SLUG}.html").read_text(encoding="utf-8")
    text = (output / f"{SLUG}.txt").read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "lxml"), text


def test_html_survives_mail_clients(edition):
    html, soup, _ = edition
    assert not soup.find("script") and "<script" not in html.lower()
    assert not soup.find("link", rel="stylesheet")
    assert not soup.find("style"), "CSS must be inlined, not left in <style>"
    assert soup.find("table", attrs={"role": "presentation"})
    assert 'style="' in html
    body_text = soup.get_text()
    assert "Nominera till valberedningen" in body_text


def test_every_link_is_absolute(edition):
    _, soup, _ = edition
    hrefs = [a["href"] for a in soup.find_all(href=True)]
    assert len(hrefs) > 5
    assert not [h for h in hrefs if not is_absolute_link(h)]
    assert "https://ekdala.example.org/engagera-dig/" in hrefs  # a {filename} link
    assert "https://ekdala.example.org/nyhetsbrev/nyhetsbrev-november-2026/" in hrefs


def test_text_version_keeps_every_link(edition):
    _, soup, text = edition
    for a in soup.find_all("a", href=True):
        href = a["href"]
        wanted = href[len("mailto:") :] if href.startswith("mailto:") else href
        assert wanted in text, href
    assert "<" not in re.sub(r"<[^>]*@[^>]*>", "", text)  # no markup left


def test_events_come_from_the_calendar(edition):
    _, soup, text = edition
    event_tables = soup.select("table.event")
    assert event_tables
    assert re.search(r"^DATUM: \w+dag \d+ \w+ 2026$", text, re.MULTILINE)
    assert re.search(r"^TID: \d\d:\d\d–\d\d:\d\d$", text, re.MULTILINE)
    assert "PLATS: " in text


def test_cli_accepts_the_file_name_and_reports_unknown_slugs(tmp_path):
    invoke = [sys.executable, "-m", "invoke"]
    found = run_cli(
        *invoke,
        "newsletter-email",
        "2025-12-01-nyhetsbrev-december",
        "--output",
        str(tmp_path),
    )
    assert found.returncode == 0, found.stderr
    assert (tmp_path / "nyhetsbrev-december-2025.html").is_file()
    letter = (tmp_path / "nyhetsbrev-december-2025.txt").read_text(encoding="utf-8")
    assert "JULFEST 13 DECEMBER\n-------------------" in letter  # an h2 as a text heading
    missing = run_cli(*invoke, "newsletter-email", "finns-inte", "--output", str(tmp_path))
    assert missing.returncode == 1
    assert "nyhetsbrev-november-2026" in missing.stderr  # lists the slugs there are
