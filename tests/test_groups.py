"""Group pages, the directory, and checks of group references.

Most tests build a small two-group branch in a temp dir, so they do not depend
on the example content: group `alfa` (a district group) and `beta` (a
network), a calendar file and news posts for each, one post for both and one
for neither.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, PELICANCONF, build_site, html, pelican_cli, write

import grasrot_core.check


def two_group_branch(root: Path) -> Path:
    content = root / "content"
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nEn liten förening.\n")
    write(
        content / "groups" / "alfa.md",
        "---\ntitle: Alfagruppen\nkind: district\nareas: [Åby, Östra hamnen]\n"
        "convenors:\n  - Anna Berg <anna.berg@example.org>\nmeets: Varje tisdag\n"
        "join: Skriv till Anna.\nimage: images/alfa.svg\nimage_alt: Bokbord i Åby\n"
        "---\nVi träffas i Åby.\n",
    )
    write(
        content / "images" / "alfa.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n',
    )
    # å in a file name is fine: the slug is "beta".
    write(
        content / "groups" / "betå.md",
        "Title: Betanätverket\nKind: network\nContact_person: Bo Ek <bo@example.org>\n"
        "Email: beta@example.org\nJoin: Kom på ett möte.\n\nNätverket för beta.\n",
    )
    write(
        content / "calendar" / "alfa.yaml",
        "events:\n"
        '  - id: alfa-mote\n    title: ALFA-EVENT-1\n    start: "2026-12-01 18:30"\n'
        '  - id: alfa-gammalt\n    title: ALFA-PAST-EVENT\n    start: "2026-10-01 18:30"\n',
    )
    write(
        content / "calendar" / "beta.yaml",
        "events:\n"
        '  - id: beta-mote\n    title: BETA-EVENT-1\n    start: "2026-12-02 18:30"\n',
    )
    write(
        content / "calendar" / "ekdala.yaml",  # branch-wide (CALENDAR_BRANCH_SLUG)
        "events:\n"
        '  - id: arsmote\n    title: BRANCH-EVENT\n    start: "2026-12-03 18:30"\n',
    )
    for slug, groups in (
        ("alfa-nyhet", "alfa"),
        ("beta-nyhet", "beta"),
        ("gemensam-nyhet", "alfa, beta"),
        ("allman-nyhet", ""),
    ):
        header = f"Groups: {groups}\n" if groups else ""
        write(
            content / "news" / f"{slug}.md",
            f"Title: {slug.upper()}\nDate: 2026-11-10 10:00\n{header}\nText.\n",
        )
    return content


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("groups-small")
    return build_site(two_group_branch(root), root / "output")


def section_text(page: BeautifulSoup, css: str) -> str:
    found = page.select_one(css)
    assert found is not None, f"no {css} on the page"
    return found.get_text(" ", strip=True)


# --- Group pages ---------------------------------------------------------------


def test_each_group_page_lists_exactly_its_own_news(small_site):
    alfa = section_text(html(small_site / "grupper" / "alfa" / "index.html"), ".group-news")
    beta = section_text(html(small_site / "grupper" / "beta" / "index.html"), ".group-news")
    assert "ALFA-NYHET" in alfa and "GEMENSAM-NYHET" in alfa
    assert "BETA-NYHET" not in alfa and "ALLMAN-NYHET" not in alfa
    assert "BETA-NYHET" in beta and "GEMENSAM-NYHET" in beta
    assert "ALFA-NYHET" not in beta and "ALLMAN-NYHET" not in beta


def test_each_group_page_lists_exactly_its_own_upcoming_events(small_site):
    alfa = section_text(
        html(small_site / "grupper" / "alfa" / "index.html"), ".group-events"
    )
    beta = section_text(
        html(small_site / "grupper" / "beta" / "index.html"), ".group-events"
    )
    assert "ALFA-EVENT-1" in alfa
    assert "BETA-EVENT-1" not in alfa and "ALFA-PAST-EVENT" not in alfa
    assert "BETA-EVENT-1" in beta and "ALFA-EVENT-1" not in beta
    assert "BRANCH-EVENT" not in alfa and "BRANCH-EVENT" not in beta


def test_group_pages_show_their_calendar_events_and_hide_ended_ones(tmp_path):
    content = two_group_branch(tmp_path)
    write(
        content / "calendar" / "alfa.yaml",
        "events:\n"
        '  - id: alfa-mote\n    title: ALFA-MOTE\n    start: "2026-12-01 18:30"\n'
        '    end: "20:00"\n    location: Åby skola\n',
    )
    write(
        content / "calendar" / "beta.yaml",
        "events:\n"
        '  - id: beta-mote\n    title: BETA-MOTE\n    start: "2026-12-02 19:00"\n'
        "    status: cancelled\n",
    )
    output = build_site(content, tmp_path / "output")
    alfa = html(output / "grupper" / "alfa" / "index.html")
    beta = html(output / "grupper" / "beta" / "index.html")
    alfa_events = section_text(alfa, ".group-events")
    assert "ALFA-MOTE" in alfa_events and "1 dec." in alfa_events
    assert "18:30" in alfa_events and "Åby skola" in alfa_events
    assert "BETA-MOTE" not in alfa_events and "BRANCH-EVENT" not in alfa_events
    cancelled = beta.select_one(".group-events .cal-item--cancelled")
    assert "BETA-MOTE" in cancelled.get_text() and "Inställt" in cancelled.get_text()
    assert "ALFA-MOTE" not in section_text(beta, ".group-events")
    # calendar.js hides an item once the time in data-ends has passed, as on the
    # home page: the group page's events carry it and load the script.
    items = alfa.select(".group-events [data-hide-ended] li")
    assert items and all(li.get("data-ends") for li in items)
    assert items[0]["data-ends"] == "2026-12-01T20:00:00+01:00"
    scripts = {s.get("src") for s in alfa.select("script")}
    assert "/theme/js/calendar.js" in scripts
    follow = {a["href"] for a in beta.select(".group-follow a")}
    assert "webcal://localhost:8000/kalender/ics/beta.ics" in follow
    assert "/kalender/ics/beta.ics" in follow
    assert beta.select_one('link[type="text/calendar"]')["href"] == "/kalender/ics/beta.ics"


def test_group_page_links_its_calendar_and_news_feeds(small_site):
    page = html(small_site / "grupper" / "beta" / "index.html")
    hrefs = {a["href"] for a in page.select(".group-follow a")}
    # The feeds themselves are explained, with their addresses, on prenumerera/.
    assert "/prenumerera/#nyheter-beta" in hrefs
    alternates = {
        link["href"]: link["type"] for link in page.select('link[rel="alternate"]')
    }
    assert any(
        href.endswith("/feeds/grupp-beta.rss.xml") and kind == "application/rss+xml"
        for href, kind in alternates.items()
    )
    assert "webcal://localhost:8000/kalender/ics/beta.ics" in hrefs
    assert "/prenumerera/#kalender-beta" in hrefs
    assert any(
        href.endswith("kalender/ics/beta.ics") and kind == "text/calendar"
        for href, kind in alternates.items()
    )


def test_group_page_says_whom_to_contact_and_how_to_join(small_site):
    page = html(small_site / "grupper" / "beta" / "index.html")
    contact = section_text(page, ".group-contact")
    assert "Bo Ek" in contact and "beta@example.org" in contact
    assert "Kom på ett möte." in section_text(page, ".group-join")
    assert page.select_one(".group-kind-label").get_text(strip=True) == "Nätverk"


def test_group_image_is_copied_and_described(small_site):
    image = html(small_site / "grupper" / "alfa" / "index.html").select_one(".group-image")
    assert image["src"] == "/images/alfa.svg" and image["alt"] == "Bokbord i Åby"
    assert (small_site / "images" / "alfa.svg").is_file()


def test_directory_lists_groups_by_kind_with_areas(small_site):
    page = html(small_site / "grupper" / "index.html")
    headings = [h.get_text(strip=True) for h in page.select(".group-kind-section h2")]
    assert headings == ["Distriktsgrupper", "Nätverk"]
    district = page.select_one("#grupp-alfa")
    assert "Åby, Östra hamnen" in district.get_text(" ", strip=True)
    assert district.find("a")["href"] == "/grupper/alfa/"


def test_area_index_is_folded_and_sorted(small_site):
    index = json.loads((small_site / "grupper" / "omraden.json").read_text("utf-8"))
    assert index["areas"] == [
        {
            "area": "Åby",
            "key": "aby",
            "group": "alfa",
            "title": "Alfagruppen",
            "href": "alfa/",
        },
        {
            "area": "Östra hamnen",
            "key": "ostra hamnen",
            "group": "alfa",
            "title": "Alfagruppen",
            "href": "alfa/",
        },
    ]


def test_english_site_translates_the_group_pages(tmp_path):
    content = two_group_branch(tmp_path)
    output = build_site(content, tmp_path / "output", DEFAULT_LANG="en")
    page = html(output / "grupper" / "index.html")
    assert page.select_one("h1").get_text(strip=True) == "Groups"
    assert "Which group is mine?" in page.get_text()


# --- The example branch ------------------------------------------------------

EXAMPLE_GROUPS = {
    "norra-ekdala": ("district", ["Norrby", "Älvsby", "Björkhagen"]),
    "centrum": ("district", ["Centrum", "Gamla stan", "Hamnen"]),
    "soderasen": ("district", ["Söderåsen", "Skärholmen", "Lövängen"]),
    "klimatnatverket": ("network", []),
    "omsorgsnatverket": ("network", []),
    "stadsodling": ("interest", []),
}


def test_example_branch_has_its_six_groups(example_site):
    from pelican.settings import read_settings

    import grasrot_groups

    settings = read_settings(str(PELICANCONF), override={"PATH": str(CONTENT)})
    groups = grasrot_groups.registry(settings)
    assert not grasrot_core.collector(settings)
    assert {g.slug: (g.kind, g.areas) for g in groups.groups} == EXAMPLE_GROUPS
    for group in groups.groups:
        assert group.convenors and group.meets and group.join, group.slug
        if group.kind == "network":
            assert group.contact_person, group.slug
        assert (example_site / "grupper" / group.slug / "index.html").is_file()


# --- Errors --------------------------------------------------------------------


def check(content: Path, capsys) -> tuple[int, str]:
    """`invoke check` of the example's settings: messages in Swedish (DEFAULT_LANG)."""
    code = grasrot_core.check.run_check(str(content), str(PELICANCONF))
    return code, capsys.readouterr().err


def test_unknown_group_in_a_post_fails_check_with_file_and_line(tmp_path, capsys):
    content = two_group_branch(tmp_path)
    write(
        content / "news" / "fel.md",
        "Title: Fel grupp\nDate: 2026-11-11\nTags: test\nGroups: alfa, betta\n\nText.\n",
    )
    code, err = check(content, capsys)
    assert code == 1
    assert (
        "news/fel.md:4:1: okänd grupp 'betta'. Menade du 'beta'? "
        "Grupper som finns: alfa, beta."
    ) in err


def test_unknown_group_in_a_page_front_matter_fails_the_build(tmp_path):
    content = two_group_branch(tmp_path)
    write(content / "pages" / "fel.md", "---\ntitle: Fel\ngroups:\n  - okand\n---\nText.\n")
    result = pelican_cli(content, tmp_path / "output")
    assert result.returncode != 0
    assert "pages/fel.md:3:1: okänd grupp 'okand'." in result.stderr
    assert "Grupper som finns: alfa, beta." in result.stderr
    assert not (tmp_path / "output" / "grupper").exists()  # nothing was written


def test_calendar_file_for_an_unknown_group_fails_check(tmp_path, capsys):
    """The calendar checks its files against this plugin's registry."""
    content = two_group_branch(tmp_path)
    write(
        content / "calendar" / "alfaa.yaml",
        'events:\n  - id: x\n    title: X\n    start: "2026-12-01 18:30"\n',
    )
    code, err = check(content, capsys)
    assert code == 1
    error = next(line for line in err.splitlines() if "calendar/alfaa.yaml:" in line)
    assert "okänd grupp 'alfaa'. Menade du 'alfa'? Grupper som finns: alfa, beta." in error


def test_group_file_errors_are_all_reported(tmp_path, capsys):
    content = two_group_branch(tmp_path)
    # The same slug as alfa.md, an area claimed twice (spelt without the ring
    # the second time), a misspelt kind and a broken e-mail address.
    write(
        content / "groups" / "beta-omraden.md",
        "---\ntitle: Områdesgruppen\nkind: district\nareas: [Åby]\n---\n",
    )
    write(
        content / "groups" / "alfa-kopia.md",
        "---\ntitle: Kopia\nslug: alfa\nkind: district\nareas: [Norrby]\n---\n",
    )
    write(
        content / "groups" / "gamma.md",
        "---\ntitle: Gamma\nkind: district\nareas:\n  - Aby\n  - Gammelby\n"
        "email: gamma(at)example.org\n---\n",
    )
    write(content / "groups" / "delta.md", "Kind: natverk\n\nUtan rubrik.\n")
    write(
        content / "groups" / "epsilon.md",
        "Title: Epsilon\nKind: nätverk\nSammankallande: Eva\nAreas: Ekby\n\nText.\n",
    )
    code, err = check(content, capsys)
    assert code == 1
    assert "groups/alfa-kopia.md:3:1: gruppen har samma slug 'alfa' som alfa.md." in err
    assert "groups/alfa.md:1:1: gruppen har samma slug 'alfa' som alfa-kopia.md." in err
    assert (
        "groups/gamma.md:5:5: området 'Aby' hör redan till distriktsgruppen "
        "'beta-omraden' (beta-omraden.md)."
    ) in err
    assert "groups/gamma.md:7:1: 'gamma(at)example.org' är ingen e-postadress" in err
    assert (
        "groups/delta.md:1:1: okänd grupptyp 'natverk': använd en av district, "
        "network, interest. Menade du 'network'?"
    ) in err
    assert "groups/delta.md:1:1: rubrik saknas" in err
    assert "groups/epsilon.md:2:1: okänd grupptyp 'nätverk'" in err
    assert "Menade du 'network'?" in err
    assert (
        "groups/epsilon.md:3:1: okänt fält 'Sammankallande' i gruppen. "
        "Menade du 'convenors'?"
    ) in err


def test_draft_may_name_a_group_that_does_not_exist_yet(tmp_path, capsys):
    content = two_group_branch(tmp_path)
    write(
        content / "news" / "utkast.md",
        "Title: Utkast\nDate: 2026-11-11\nStatus: draft\nGroups: ny-grupp\n\nText.\n",
    )
    code, err = check(content, capsys)
    assert code == 0, err


# --- Groups in the menu or footer ----------------------------------------------

# Unconditional on purpose: `group_nav_links` itself must be empty for "none".
FOOTER_WITH_GROUPS = '{% include "groups/links.html" %}\n'


@pytest.mark.parametrize("where", ["footer", "none"])
def test_group_links_follow_groups_in(tmp_path, where):
    """The theme includes groups/links.html; `group_nav_links` is empty for "none"."""
    overrides = write(
        tmp_path / "overrides" / "partials" / "footer.html", FOOTER_WITH_GROUPS
    ).parent.parent
    content = two_group_branch(tmp_path)
    output = build_site(
        content,
        tmp_path / "output",
        GROUPS_IN=where,
        THEME_TEMPLATES_OVERRIDES=[str(overrides)],
    )
    links = html(output / "om-oss" / "index.html").select(".group-links a")
    expected = [("Alfagruppen", "/grupper/alfa/"), ("Betanätverket", "/grupper/beta/")]
    assert [(a.get_text(), a["href"]) for a in links] == (
        expected if where == "footer" else []
    )


def test_group_output_is_byte_identical_between_builds(tmp_path):
    content = two_group_branch(tmp_path)
    first = build_site(content, tmp_path / "first")
    second = build_site(content, tmp_path / "second")
    for name in ("index.html", "omraden.json", "alfa/index.html", "beta/index.html"):
        assert (first / "grupper" / name).read_bytes() == (
            second / "grupper" / name
        ).read_bytes(), name
