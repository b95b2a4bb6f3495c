"""Å, ä and ö in names: references match with or without diacritics; URLs stay ASCII."""

from __future__ import annotations

import icalendar
import pytest
from conftest import build_site, html, write


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("diacritics")
    content = root / "content"
    write(
        content / "groups" / "västra-ekdala.md",
        "Title: Västra Ekdala\nKind: district\nAreas: Åby, Önnestad\n\nVäster om ån.\n",
    )
    for name, written in (
        ("med", "västra-ekdala"),
        ("utan", "vastra-ekdala"),
        ("versaler", "Västra-Ekdala"),
    ):
        write(
            content / "news" / f"2026-11-0{len(name)}-{name}.md",
            f"Title: Nyhet {name}\nDate: 2026-11-0{len(name)}\nGroups: {written}\n\n"
            f"Om {name} diakritiska tecken.\n",
        )
    write(
        content / "calendar" / "västra-ekdala.yaml",
        'events:\n  - id: fil\n    title: Från filnamnet\n    start: "2026-12-01 18:00"\n',
    )
    write(
        content / "calendar" / "annan.yaml",
        "group: vastra-ekdala\nevents:\n  - id: falt\n    title: Från fältet\n"
        '    start: "2026-12-02 18:00"\n',
    )
    return build_site(content, root / "output")


def test_posts_name_the_group_with_or_without_diacritics(site):
    page = html(site / "grupper" / "vastra-ekdala" / "index.html")
    text = page.get_text()
    for name in ("med", "utan", "versaler"):
        assert f"Nyhet {name}" in text


def test_calendar_files_name_the_group_with_or_without_diacritics(site):
    feed = icalendar.Calendar.from_ical(
        (site / "kalender/ics/vastra-ekdala.ics").read_bytes()
    )
    titles = sorted(str(event["SUMMARY"]) for event in feed.walk("VEVENT"))
    assert titles == ["Från filnamnet", "Från fältet"]
    assert (site / "kalender" / "vastra-ekdala" / "fil" / "index.html").exists()


def test_every_output_path_is_ascii(site):
    paths = [str(path.relative_to(site)) for path in site.rglob("*")]
    assert paths and all(path.isascii() for path in paths), [
        p for p in paths if not p.isascii()
    ]


def test_file_links_match_with_or_without_diacritics(tmp_path):
    content = tmp_path / "content"
    write(content / "pages" / "vår-politik.md", "Title: Vår politik\n\nPolitik.\n")
    write(
        content / "pages" / "läs.md",
        "Title: Läs\n\nSe [politiken]({filename}var-politik.md) och "
        "[samma]({filename}/pages/VÅR-POLITIK.md).\n",
    )
    output = build_site(content, tmp_path / "output")
    links = {a["href"] for a in html(output / "las" / "index.html").select("main a")}
    assert "/var-politik/" in links
