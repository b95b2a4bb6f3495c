"""Levels nest, locked pages and lists name their level, previews are marked,
and a shared Pages origin turns remember-me off.

The built pages are read with BeautifulSoup; payloads are opened with
crypto.open_payload, the same steps as members.js (the browser side is in
test_members_browser.py and test_members_remember_browser.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import (
    BOARD_PASSWORD,
    MEMBERS_PASSWORD,
    ROOT,
    TEST_ENV,
    build_site,
    html,
    write,
)
from cryptography.exceptions import InvalidTag
from helpers import payloads

from grasrot_members import crypto

DEV_PASSWORD = "lokal-forhandsvisning-ej-hemlig"
MEMBERS_PAGE = "protokoll/medlemsmote-23-april-2026/index.html"
BOARD_PAGE = "protokoll/styrelsemote-12-mars-2026/index.html"


def intro(path) -> str:
    return html(path).select_one(".members-intro").get_text(" ", strip=True)


def test_the_board_password_opens_members_pages_and_not_the_reverse(example_site):
    members = payloads(example_site / MEMBERS_PAGE)[0]
    assert [v["level"] for v in members["via"]] == ["board"]
    path = "protokoll/medlemsmote-23-april-2026/"
    for password in (MEMBERS_PASSWORD, BOARD_PASSWORD):
        assert "tjugotal" in crypto.open_payload(members, password, path)
    board = payloads(example_site / BOARD_PAGE)[0]
    assert "via" not in board
    with pytest.raises(InvalidTag):
        crypto.open_payload(board, MEMBERS_PASSWORD, "protokoll/styrelsemote-12-mars-2026/")


def test_the_board_password_opens_every_list_of_the_members_index(example_site):
    found = payloads(example_site / "medlemmar" / "index.html")
    assert [p["level"] for p in found] == ["board", "members"]
    opened = [crypto.open_payload(p, BOARD_PASSWORD, "medlemmar/") for p in found]
    assert "Styrelsemöte 12 mars 2026" in opened[0]
    assert "Medlemsmöte 23 april 2026" in opened[1]


def test_locked_pages_name_their_level(example_site):
    assert intro(example_site / BOARD_PAGE) == (
        "Protokollet är bara för styrelsen. Skriv lösenordet för att läsa det."
    )
    assert intro(example_site / MEMBERS_PAGE) == (
        "Protokollet är bara för medlemmar. Skriv lösenordet för att läsa det."
    )
    letter = (
        example_site / "nyhetsbrev" / "medlemsbrev-november-2026-internt" / "index.html"
    )
    assert (
        intro(letter) == "Brevet är bara för medlemmar. Skriv lösenordet för att läsa det."
    )
    error = (
        html(example_site / BOARD_PAGE).select_one(".members-error").get_text(strip=True)
    )
    assert error == "Fel lösenord. Här behövs lösenordet för styrelsen."
    assert (
        html(example_site / MEMBERS_PAGE).select_one(".members-error").get_text(strip=True)
        == "Fel lösenord"
    )


def test_lists_say_which_level_an_item_needs(example_site):
    for page in ("index.html", "arkiv/index.html", "protokoll/index.html"):
        badges = {}
        for item in html(example_site / page).select("li:has(.protected-badge)"):
            badges[item.a.get_text(strip=True)] = item.select_one(
                ".protected-badge"
            ).get_text(strip=True)
        assert badges.get("Styrelsemöte 12 mars 2026") == "endast styrelsen", (page, badges)
        assert badges.get("Medlemsmöte 23 april 2026") == "endast medlemmar", (page, badges)


def small_branch(root):
    content = root / "content"
    write(
        content / "minutes" / "2026-05-01-mote.md",
        "Title: Möte\nDate: 2026-05-01\n\nText.\n",
    )
    write(
        content / "minutes" / "2026-05-02-styrelse.md",
        "Title: Styrelsemöte\nDate: 2026-05-02\nAccess: board\n\nText.\n",
    )
    return content


def test_a_page_locked_with_the_development_password_says_so(tmp_path):
    content = small_branch(tmp_path)
    env = {**TEST_ENV, "MEMBERS_PASSWORD": DEV_PASSWORD, "BOARD_PASSWORD": DEV_PASSWORD}
    output = build_site(content, tmp_path / "preview", env=env)
    banner = "Förhandsvisning – låst med utvecklingslösenordet, publicera inte"
    for page in (
        "protokoll/mote/index.html",
        "protokoll/styrelsemote/index.html",
        "medlemmar/index.html",
    ):
        found = html(output / page).select_one(".members-preview")
        assert found is not None and found.get_text(strip=True) == banner, page
    real = build_site(content, tmp_path / "real")
    assert not list(real.rglob("*.html")) or all(
        "members-preview" not in p.read_text(encoding="utf-8") for p in real.rglob("*.html")
    )


def test_the_preview_banner_in_english(tmp_path):
    content = small_branch(tmp_path)
    env = {**TEST_ENV, "MEMBERS_PASSWORD": DEV_PASSWORD}
    output = build_site(content, tmp_path / "out", env=env, DEFAULT_LANG="en")
    page = html(output / "protokoll" / "mote" / "index.html")
    assert page.select_one(".members-preview").get_text(strip=True) == (
        "Preview – locked with the development password, do not publish"
    )
    assert page.select_one(".members-intro").get_text(strip=True) == (
        "These minutes are only for members. Enter the password to read them."
    )
    board = html(output / "protokoll" / "styrelsemote" / "index.html")
    assert board.select_one(".members-preview") is None  # BOARD_PASSWORD is a real one
    assert (
        board.select_one(".members-intro")
        .get_text(strip=True)
        .startswith("These minutes are only for the board.")
    )


def test_without_a_board_password_members_pages_open_with_their_own(tmp_path):
    content = tmp_path / "content"
    write(content / "minutes" / "m.md", "Title: Möte\nDate: 2026-05-01\n\nText.\n")
    env = {key: value for key, value in TEST_ENV.items() if key != "BOARD_PASSWORD"}
    output = build_site(content, tmp_path / "out", env=env)
    assert "via" not in payloads(output / "protokoll" / "mote" / "index.html")[0]


def build_cli(root, settings: str):
    """A build in its own process (the notice goes to stderr); returns the result."""
    content = small_branch(root)
    conf = root / "conf.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        f"from pelicanconf import *  # noqa\n{settings}\n",
        encoding="utf-8",
    )
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
    environment.update(TEST_ENV)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(conf),
            "-o",
            str(root / "output"),
            "--fatal",
            "warnings",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def key_storage(root) -> str:
    lock = html(root / "output" / "protokoll" / "mote" / "index.html").select_one(
        ".members-lock"
    )
    checkbox = lock.select_one("input[type=checkbox]")
    return lock["data-key-storage"] + ("+checkbox" if checkbox else "")


@pytest.mark.parametrize(
    "settings, storage, notice",
    [
        ('SITEURL = "https://ekdala-parti.github.io/ekdala"', "off", True),
        ('SITEURL = "https://ekdala.gitlab.io/webb"', "off", True),
        (
            (
                'SITEURL = "https://ekdala-parti.github.io/ekdala"\n'
                "MEMBERS_REMEMBER_ON_SHARED_ORIGIN = True"
            ),
            "remember+checkbox",
            True,
        ),
        ('SITEURL = "https://ekdala.example.org"', "remember+checkbox", False),
        (
            'SITEURL = "https://ekdala.example.org"\nMEMBERS_REMEMBER_DAYS = 0',
            "session",
            False,
        ),
    ],
)
def test_a_shared_pages_origin_turns_remember_me_off(tmp_path, settings, storage, notice):
    result = build_cli(tmp_path, settings)
    assert result.returncode == 0, result.stderr
    assert key_storage(tmp_path) == storage
    # The example's DEFAULT_LANG is "sv": the note is in Swedish.
    said = "andra webbplatser på samma ursprung kan använda medlemsnycklarna" in (
        result.stderr
    )
    assert said == notice, result.stderr


def test_a_bad_remember_setting_stops_the_build(tmp_path):
    result = build_cli(tmp_path, 'MEMBERS_REMEMBER_DAYS = "30"')
    assert result.returncode != 0
    assert (
        "MEMBERS_REMEMBER_DAYS" in result.stdout + result.stderr
    )  # Pelican logs to stdout
    assert not (tmp_path / "output" / "protokoll").exists()


def test_without_titles_the_heading_still_names_the_level(tmp_path):
    output = build_site(
        small_branch(tmp_path), tmp_path / "out", MEMBERS_PUBLIC_LISTING="none"
    )
    headings = sorted(
        html(page).h1.get_text(strip=True)
        for page in (output / "protokoll").glob("p-*/index.html")
    )
    assert headings == ["Endast för medlemmar", "Endast för styrelsen"]
