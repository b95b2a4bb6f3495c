"""The one table of sections and addresses (grasrot_core/sections.py): settings,
templates and plugins follow it, and one rule says what is members-only."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import PELICANCONF, html
from pelican.settings import read_settings

from grasrot_core import addresses, sections


def test_settings_come_from_the_table():
    settings = read_settings(str(PELICANCONF))
    assert settings["ARTICLE_PATHS"] == ["news", "newsletters", "minutes"]
    assert settings["CATEGORY_REGEX_SUBSTITUTIONS"] == [
        (r"^news$", "nyheter"),
        (r"^newsletters$", "nyhetsbrev"),
        (r"^minutes$", "protokoll"),
    ]
    assert settings["PATH_METADATA"] == r"(?P<category>news|newsletters|minutes)/.*"
    assert ("Nyheter", "nyheter/") in settings["MENUITEMS"]
    # The table itself is not a setting.
    assert "ADDRESSES" not in settings and "NEWS" not in settings


def test_every_kit_folder_is_reserved_against_pages():
    for key in ("calendar", "groups", "members", "feeds", "subscribe", "search"):
        assert sections.ADDRESSES[key].rstrip("/") in addresses.KIT_FOLDERS, key


def item(source_path, **metadata):
    return SimpleNamespace(
        source_path=source_path, metadata=metadata, settings={"PATH": "/site/content"}
    )


def test_one_rule_for_members_only_items():
    assert sections.is_protected(item("/site/content/minutes/2026/mote.md"))
    assert sections.is_protected(item("/site/content/news/x.md", access="board"))
    assert sections.is_protected(item("/site/content/news/x.md.age"))
    assert not sections.is_protected(item("/site/content/news/x.md"))
    # An empty `access:` is a content error at the reader; it protects nothing here.
    assert not sections.is_protected(item("/site/content/news/x.md", access="  "))


def test_templates_link_sections_through_the_table(example_site):
    page = html(example_site / "index.html")
    assert page.select_one('.home-news a[href="/nyheter/"]')
    assert page.select_one('.cal-next a[href="/kalender/"]')
    category = html(example_site / "nyhetsbrev" / "index.html")
    assert category.select_one("h1").get_text(strip=True) == "Nyhetsbrev"
