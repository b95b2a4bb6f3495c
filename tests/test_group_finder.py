"""The group finder understands postcodes and streets, with and without JavaScript.

Groups list `postcodes:` (single codes or ranges like 163 40–163 59) and
`streets:`; the finder (theme/static/js/area-finder.js) matches an address,
a street with a house number or a postcode. Without JavaScript the list of
district groups shows the same postcodes and streets.
"""

from __future__ import annotations

import json

import pytest
from conftest import build_site, html, write

from grasrot_core import ContentErrorsFound


def test_index_holds_postcode_ranges_and_streets(example_site):
    index = json.loads((example_site / "grupper" / "omraden.json").read_text("utf-8"))
    norra = [e for e in index["postcodes"] if e["group"] == "norra-ekdala"]
    assert {(e["from"], e["to"], e["label"]) for e in norra} == {
        (16340, 16359, "163 40–163 59"),
        (16470, 16470, "164 70"),
    }
    assert {
        "key": "storgatan",
        "street": "Storgatan",
        "group": "centrum",
        "title": "Ekdala centrum",
        "href": "centrum/",
    } in index["streets"]


def test_without_javascript_the_list_shows_postcodes_and_streets(example_site):
    card = html(example_site / "grupper" / "index.html").select_one("#grupp-norra-ekdala")
    assert "Postnummer: 163 40–163 59, 164 70" in " ".join(card.get_text().split())
    assert "Gator: Norrbyvägen, Älvsbygatan, Björkhagsvägen" in " ".join(
        card.get_text().split()
    )


def test_postcode_mistakes_are_content_errors(tmp_path):
    content = tmp_path / "content"
    write(
        content / "groups" / "a.md",
        "Title: A\nKind: district\nAreas: Aby\nPostcodes: 163 40–163 59, 1634\n\nA.\n",
    )
    write(
        content / "groups" / "b.md",
        "Title: B\nKind: district\nAreas: Bby\nPostcodes: 163 50\n\nB.\n",
    )
    with pytest.raises(ContentErrorsFound) as found:
        build_site(content, tmp_path / "output")
    messages = sorted(str(error) for error in found.value.errors)
    assert any("a.md:4:1: '1634' is not a postcode" in m for m in messages), messages
    assert any(
        "b.md:4:1: postcodes '163 50' are already covered by the district group 'a'" in m
        for m in messages
    ), messages
