"""Event descriptions in JSON-LD and .ics are plain text with links written out."""

from __future__ import annotations

import json
import shutil

import icalendar
import vobject
from conftest import CONTENT, build_site, html, write

DESCRIPTION = """\
    description: |
      Ta med *matsäck*. [Anmäl dig här](https://ekdala.example.org/anmalan)
      eller läs [programmet](https://ekdala.example.org/program.pdf).

      - första punkten
      - andra punkten
"""


def test_json_ld_and_ics_descriptions_are_plain_text(tmp_path):
    content = tmp_path / "content"
    (content / "groups").mkdir(parents=True)
    shutil.copy(CONTENT / "groups" / "centrum.md", content / "groups" / "centrum.md")
    write(
        content / "calendar" / "centrum.yaml",
        'events:\n  - id: utflykt\n    title: Utflykt\n    start: "2026-12-05 10:00"\n'
        + DESCRIPTION,
    )
    output = build_site(content, tmp_path / "output")
    page = html(output / "kalender" / "centrum" / "utflykt" / "index.html")
    [script] = page.find_all("script", type="application/ld+json")
    described = json.loads(script.string)["description"]
    ics = (output / "kalender" / "centrum" / "utflykt" / "utflykt.ics").read_bytes()
    [vevent] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    in_ics = str(vevent["DESCRIPTION"])
    in_vobject = vobject.readOne(ics.decode("utf-8")).vevent.description.value
    for text in (described, in_ics, in_vobject):
        assert "Anmäl dig här (https://ekdala.example.org/anmalan)" in text
        assert "programmet (https://ekdala.example.org/program.pdf)" in text
        assert "Ta med matsäck." in text
        assert "- första punkten\n- andra punkten" in text
        for markup in ("*", "[", "](", "<a", "<p>"):
            assert markup not in text, (markup, text)
    assert "<em>matsäck</em>" in str(page.select_one(".cal-description"))
