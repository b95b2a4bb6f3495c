"""Newsletters as officers write them: the groups' events, sign-up lines, line breaks.

- A letter with `groups:` shows those groups' events and the branch's own;
  `include_events_groups: all` shows every group's.
- Event boxes carry the sign-up link and deadline ("Anmäl dig senast 5 december").
- DATUM:/TID:/PLATS: written one under another stay so, on the site and in
  both parts of the e-mail edition.
"""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, TEST_ENV, build_site, html, write

from grasrot_feeds.email import write_email_edition

CALENDAR = {
    "ekdala": """\
group: ekdala
events:
  - id: arsmote
    title: Årsmötet
    start: "2026-11-28 13:00"
    location: Folkets hus
""",
    "centrum": """\
events:
  - id: julfest
    title: Julfest i centrum
    start: "2026-12-12 18:00"
    location: Stadsbiblioteket
    registration: https://forms.example.org/julfest
    registration_deadline: 2026-12-05
  - id: stadsvandring
    title: Stadsvandring
    start: "2026-11-29 11:00"
    registration_deadline: 2026-11-27
""",
    "norra-ekdala": """\
events:
  - id: dorrknackning
    title: Dörrknackning i Norrby
    start: "2026-11-30 17:00"
""",
}
BLOCK = """\
## Julfest

DATUM: lördag 12 december
TID: 18.00
PLATS: Stadsbiblioteket
"""
LETTERS = {
    "centrum": "Groups: centrum\n",
    "alla-grupper": "Groups: centrum\nInclude_events_groups: all\n",
    "hela": "",
}


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    root = tmp_path_factory.mktemp("newsletter-officers")
    content = root / "content"
    for name in ("centrum", "norra-ekdala"):
        write(
            content / "groups" / f"{name}.md",
            (CONTENT / "groups" / f"{name}.md").read_text(encoding="utf-8"),
        )
    for name, text in CALENDAR.items():
        write(content / "calendar" / f"{name}.yaml", text)
    for slug, header in LETTERS.items():
        write(
            content / "newsletters" / f"{slug}.md",
            f"Title: Brev {slug}\nSlug: {slug}\nDate: 2026-11-21\nInclude_events: 30\n"
            f"{header}\nHej!\n\n{BLOCK}",
        )
    return content


@pytest.fixture(scope="module")
def site(content):
    return build_site(content, content.parent / "output")


def _event_titles(page) -> list[str]:
    return [h3.get_text(" ", strip=True) for h3 in page.select(".event-block h3")]


def test_a_letter_with_groups_shows_their_events_and_the_branchs(site):
    titles = _event_titles(html(site / "nyhetsbrev" / "centrum" / "index.html"))
    assert titles == ["Årsmötet", "Stadsvandring", "Julfest i centrum"]


@pytest.mark.parametrize("slug", ["alla-grupper", "hela"])
def test_every_groups_events_when_asked_or_without_groups(site, slug):
    titles = _event_titles(html(site / "nyhetsbrev" / slug / "index.html"))
    assert titles == [
        "Årsmötet",
        "Stadsvandring",
        "Dörrknackning i Norrby",
        "Julfest i centrum",
    ]


def test_event_boxes_show_sign_up_link_and_deadline(site):
    page = html(site / "nyhetsbrev" / "centrum" / "index.html")
    [link] = page.select('.event-block a[href="https://forms.example.org/julfest"]')
    assert link.get_text(strip=True) == "Anmäl dig senast 5 december"
    assert "Anmäl dig senast 27 november" in page.get_text()  # a deadline, no link


def test_lines_written_one_under_another_stay_so_on_the_site(site):
    page = html(site / "nyhetsbrev" / "centrum" / "index.html")
    block = next(p for p in page.select("main p") if "DATUM:" in p.get_text())
    assert len(block.find_all("br")) == 2
    assert [line.strip() for line in block.get_text().splitlines()] == [
        "DATUM: lördag 12 december",
        "TID: 18.00",
        "PLATS: Stadsbiblioteket",
    ]


@pytest.fixture(scope="module")
def edition(content, tmp_path_factory):
    """The e-mail edition, built from a project folder holding this content."""
    root = tmp_path_factory.mktemp("email-root")
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("theme", "plugins"):
        (root / name).symlink_to(ROOT / name)
    shutil.copytree(content, root / "content")
    output = root / "email"
    patch = pytest.MonkeyPatch()
    for key, value in TEST_ENV.items():
        patch.setenv(key, value)
    patch.delenv("SITEURL", raising=False)
    try:
        assert write_email_edition(root, "centrum", output) == 0
    finally:
        patch.undo()
    return (
        (output / "centrum.html").read_text(encoding="utf-8"),
        (output / "centrum.txt").read_text(encoding="utf-8"),
    )


def test_email_edition_keeps_the_lines_and_the_sign_up(edition):
    email_html, text = edition
    soup = BeautifulSoup(email_html, "lxml")
    block = next(p for p in soup.find_all("p") if "DATUM:" in p.get_text())
    assert len(block.find_all("br")) == 2
    assert "DATUM: lördag 12 december\nTID: 18.00\nPLATS: Stadsbiblioteket" in text
    assert (
        soup.find("a", href="https://forms.example.org/julfest").get_text(strip=True)
        == "Anmäl dig senast 5 december"
    )
    assert "Anmäl dig senast 5 december (https://forms.example.org/julfest)" in text
    assert "Dörrknackning" not in text


def test_include_events_groups_names_known_groups(content, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    write(
        broken / "newsletters" / "fel.md",
        "Title: Fel\nDate: 2026-11-21\nInclude_events: 30\n"
        "Include_events_groups: norra-ekdala, sodra\n\nHej!\n",
    )
    from grasrot_core import ContentErrorsFound

    with pytest.raises(ContentErrorsFound) as found:
        build_site(broken, tmp_path / "output")
    [error] = found.value.errors
    assert error.line == 4 and "unknown group 'sodra'" in error.message
    assert "include_events_groups: all" in error.message


def test_include_events_groups_lists_groups(content, tmp_path):
    listed = tmp_path / "content"
    shutil.copytree(content, listed)
    write(
        listed / "newsletters" / "norra.md",
        "Title: Norra\nSlug: norra\nDate: 2026-11-21\nInclude_events: 30\n"
        "Include_events_groups: Norra-Ekdala\n\nHej!\n",
    )
    output = build_site(listed, tmp_path / "output")
    titles = _event_titles(html(output / "nyhetsbrev" / "norra" / "index.html"))
    assert titles == ["Årsmötet", "Dörrknackning i Norrby"]
