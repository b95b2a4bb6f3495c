"""RSS and Atom feeds (grasrot_feeds): parsed with feedparser from real builds."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BUILD_EPOCH, CONTENT, TEST_ENV, build_site
from feeds_helpers import groups_of, html_links, is_absolute_link, parse_feed, public_files

GROUP_SLUGS = [
    "centrum",
    "klimatnatverket",
    "norra-ekdala",
    "omsorgsnatverket",
    "soderasen",
    "stadsodling",
]


def feed_files(site: Path) -> list[Path]:
    return sorted((site / "feeds").glob("*.xml"))


def test_every_feed_exists_and_parses_without_bozo(example_site):
    names = {path.name for path in feed_files(example_site)}
    stems = ["alla", "nyheter", "nyhetsbrev"] + [f"grupp-{slug}" for slug in GROUP_SLUGS]
    expected = {f"{stem}.{kind}.xml" for stem in stems for kind in ("rss", "atom")}
    assert expected <= names
    for path in feed_files(example_site):
        parsed = parse_feed(path)
        assert parsed.version == ("rss20" if ".rss." in path.name else "atom10")
        assert parsed.feed.language == "sv"
        assert parsed.feed.title.startswith("Ekdala lokalavdelning")


def test_item_counts_match_the_public_content(example_site):
    news = public_files(CONTENT, "news")
    letters = public_files(CONTENT, "newsletters")
    assert len(news) >= 8 and len(letters) >= 4
    expected = {
        "alla": len(news) + len(letters),
        "nyheter": len(news),
        "nyhetsbrev": len(letters),
    }
    for slug in GROUP_SLUGS:
        expected[f"grupp-{slug}"] = sum(slug in groups_of(p) for p in news + letters)
    assert expected["grupp-norra-ekdala"] >= 2
    for stem, count in expected.items():
        count = min(count, 100)  # FEED_MAX_ITEMS
        for kind in ("rss", "atom"):
            parsed = parse_feed(example_site / "feeds" / f"{stem}.{kind}.xml")
            assert len(parsed.entries) == count, f"{stem}.{kind}"


def test_items_are_newest_first_with_categories(example_site):
    parsed = parse_feed(example_site / "feeds" / "alla.atom.xml")
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)
    school = next(e for e in parsed.entries if "skolväg" in e.title)
    terms = {tag.term for tag in school.tags}
    assert {"nyheter", "norra-ekdala", "trafik"} <= terms


def test_every_link_is_absolute(example_site):
    for path in feed_files(example_site):
        parsed = parse_feed(path)
        links = [parsed.feed.link] + [link.href for link in parsed.feed.links]
        for entry in parsed.entries:
            links += [entry.link] + [link.href for link in entry.links]
            for block in [*entry.get("content", []), entry.get("summary_detail", {})]:
                links += html_links(block.get("value", ""))
        assert links
        bad = [link for link in links if not is_absolute_link(link)]
        assert not bad, f"{path.name}: {bad[:5]}"


def test_full_text_by_default(example_site):
    parsed = parse_feed(example_site / "feeds" / "nyheter.rss.xml")
    budget = next(e for e in parsed.entries if "budgetförslag" in e.title)
    assert "Kvällsbussar till Söderåsen" in budget.content[0].value
    # {filename} and root-relative links became absolute addresses
    assert 'href="http://localhost:8000/engagera-dig/"' in budget.content[0].value


def _guids(site: Path) -> dict[str, dict[str, str]]:
    found = {}
    for path in feed_files(site):
        found[path.name] = {e.link: e.id for e in parse_feed(path).entries}
    return found


def test_guids_and_bytes_are_stable_across_builds(example_site, tmp_path):
    later = dict(TEST_ENV, SOURCE_DATE_EPOCH=str(BUILD_EPOCH + 9 * 86400))
    rebuilt = build_site(CONTENT, tmp_path / "later", env=later)
    first, second = _guids(example_site), _guids(rebuilt)
    assert first == second
    ids = [guid for feed in first.values() for guid in feed.values()]
    assert all(re.fullmatch(r"tag:localhost,\d{4}-\d{2}-\d{2}:/\S+", guid) for guid in ids)
    # The feed's date is its newest item's, not the build's: a later build
    # of the same content writes the same bytes.
    for path in feed_files(example_site):
        assert path.read_bytes() == (rebuilt / "feeds" / path.name).read_bytes(), path.name


SMALL_NEWS = """Title: Nytt från Ekdala
Date: 2026-11-10 09:00
Summary: En kort sammanfattning av nyheten.

Den långa texten som bara ska finnas i fullständiga flöden.
"""


def test_summary_mode_leaves_the_full_text_out(tmp_path):
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "nytt.md").write_text(SMALL_NEWS, encoding="utf-8")
    site = build_site(
        content,
        tmp_path / "out",
        FEED_CONTENT="summary",
        SITEURL="https://ekdala.example.org",
        FEED_DOMAIN="https://ekdala.example.org",
    )
    rss = (site / "feeds" / "alla.rss.xml").read_text(encoding="utf-8")
    atom = (site / "feeds" / "alla.atom.xml").read_text(encoding="utf-8")
    for text in (rss, atom):
        assert "En kort sammanfattning" in text
        assert "Den långa texten" not in text
    entry = parse_feed(site / "feeds" / "alla.atom.xml").entries[0]
    assert entry.link == "https://ekdala.example.org/nyheter/nytt-fran-ekdala/"
    assert "content" not in entry


def test_english_site_gets_english_feeds_and_tags(tmp_path):
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "nytt.md").write_text(SMALL_NEWS, encoding="utf-8")
    site = build_site(content, tmp_path / "out", DEFAULT_LANG="en")
    parsed = parse_feed(site / "feeds" / "nyheter.rss.xml")
    assert parsed.feed.language == "en"
    assert parsed.feed.title == "Ekdala lokalavdelning: News"
    assert [tag.term for tag in parsed.entries[0].tags] == ["News"]  # RSS: the label
    atom = parse_feed(site / "feeds" / "nyheter.atom.xml")
    assert [(t.term, t.label) for t in atom.entries[0].tags] == [("nyheter", "News")]
    page = (site / "nyheter" / "nytt-fran-ekdala" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<meta property="og:locale" content="en_GB">' in page
    assert 'title="Ekdala lokalavdelning: All posts (RSS)"' in page


def test_feed_max_items_keeps_the_newest(tmp_path):
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    for day in range(1, 6):
        (content / "news" / f"n{day}.md").write_text(
            f"Title: Nyhet {day}\nDate: 2026-11-0{day} 09:00\n\nText {day}.\n",
            encoding="utf-8",
        )
    site = build_site(content, tmp_path / "out", FEED_MAX_ITEMS=3)
    for kind in ("rss", "atom"):
        entries = parse_feed(site / "feeds" / f"alla.{kind}.xml").entries
        assert [e.title for e in entries] == ["Nyhet 5", "Nyhet 4", "Nyhet 3"]
