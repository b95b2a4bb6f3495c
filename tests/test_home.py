"""The home page that asks people in: a hero with picture and message, the join
button (JOIN_URL, default the party's PARTY_JOIN_URL), the next three events, the
latest news as cards with pictures and a row of the groups; all from settings."""

from __future__ import annotations

import pytest
from conftest import CONTENT, PELICANCONF, build_site, copy_content, html

PARTY_JOIN = "https://exempelpartiet.example.org/bli-medlem/"


def test_home_has_hero_join_button_events_news_cards_and_groups(example_site):
    page = html(example_site / "index.html")
    hero = page.select_one("main .hero")
    assert hero.h1.get_text(strip=True) == "Ekdala lokalavdelning"
    assert "gör skillnad där du bor" in hero.select_one(".hero__message").get_text()
    img = hero.select_one("picture img")
    assert img["alt"] == "Medlemmar med skyltar vid föreningens tält på torget"
    assert img["fetchpriority"] == "high" and "loading" not in img.attrs
    join = hero.select_one("a.button--join")
    assert join.get_text(strip=True) == "Bli medlem" and join["href"] == PARTY_JOIN
    assert hero.select_one("a.button--more")["href"] == "/engagera-dig/"
    assert len(page.select(".cal-next .cal-item")) == 3
    cards = page.select(".home-news .post-card")
    assert len(cards) == 4 and page.select(".home-news .post-card--image picture")
    groups = [a.get_text(strip=True) for a in page.select(".home-groups .chip-list a")]
    assert "Ekdala centrum" in groups and len(groups) == 6


def test_join_url_setting_and_no_hero_picture(tmp_path):
    output = build_site(
        CONTENT,
        tmp_path / "output",
        JOIN_URL="bli-medlem/",
        HOME_HERO={"message": "Var med!"},
    )
    hero = html(output / "index.html").select_one("main .hero")
    assert hero.select_one("a.button--join")["href"] == "/bli-medlem/"
    assert hero.select_one(".hero__message").get_text() == "Var med!"
    assert hero.select_one("picture") is None


def test_a_hero_picture_without_alt_text_stops_the_build_with_a_message(tmp_path):
    from pelican import Pelican
    from pelican.settings import read_settings

    from grasrot_theme import HeroSettingsError

    settings = read_settings(
        str(PELICANCONF),
        override={
            "PATH": str(copy_content(tmp_path)),
            "OUTPUT_PATH": str(tmp_path / "out"),
            "HOME_HERO": {"image": "images/torget.png"},
        },
    )
    with pytest.raises(HeroSettingsError, match="image_alt"):
        Pelican(settings).run()
