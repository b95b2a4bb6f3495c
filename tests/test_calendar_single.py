"""One event per file (`content/calendar/<group>/<id>.yaml`), beside the lists.

The web editor writes these; the build reads them like a `- id: …` block of the
group's list, with the folder as the group and the file name as the id.
"""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import CONTENT, build_site, write

from grasrot_core import ContentErrorsFound

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHLY = """\
title: Månadsmöte
start: 2026-01-15 18:30
end: 2026-01-15 20:00
location: Folkets hus
repeat:
  every: month
  on: 15
  until: 2027-12-31
  pause:
    - from: 2026-06-16
      to: 2026-08-14
"""


def exdates(event) -> set[date]:
    value = event.get("EXDATE", [])
    return {
        d.dt.date()
        for item in (value if isinstance(value, list) else [value])
        for d in item.dts
    }


def small_branch(tmp_path):
    content = tmp_path / "content"
    (content / "groups").mkdir(parents=True)
    for name in ("centrum.md",):
        (content / "groups" / name).write_text(
            (CONTENT / "groups" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    write(
        content / "calendar" / "centrum.yaml",
        textwrap.dedent("""\
        # A hand-written list stays as it is.
        events:
          - id: torgmote
            title: Torgmöte
            start: "2026-11-28 11:00"
        """),
    )
    return content


def test_a_single_event_file_is_read_with_its_folder_as_group(tmp_path):
    content = small_branch(tmp_path)
    write(content / "calendar" / "centrum" / "manadsmote.yaml", MONTHLY)
    output = build_site(content, tmp_path / "output")
    ics = output / "kalender" / "centrum" / "manadsmote" / "manadsmote.ics"
    event = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2026, 1, 15, 18, 30, tzinfo=STOCKHOLM)
    assert "DTSTART;TZID=Europe/Stockholm:20260115T183000" in ics.read_text()
    assert event["RRULE"]["BYMONTHDAY"] == [15]
    excluded = exdates(event)
    assert date(2026, 7, 15) in excluded  # the summer pause
    assert not excluded & {date(2026, 6, 15), date(2026, 8, 15)}
    # The list beside it still counts, and the group feed has both.
    feed = (output / "kalender" / "ics" / "centrum.ics").read_text()
    assert "Torgmöte" in feed and "Månadsmöte" in feed


@pytest.mark.parametrize(
    "path, text, words",
    [
        (
            "centrum/Möte_1.yaml",
            "title: Möte\nstart: 2026-12-01 18:30\n",
            ["file name 'Möte_1'", "rename the file"],
        ),
        (
            "centrum/mote.yaml",
            "id: annat\ntitle: Möte\nstart: 2026-12-01 18:30\n",
            ["'id: annat' differs from the file name"],
        ),
        (
            "okand/mote.yaml",
            "title: Möte\nstart: 2026-12-01 18:30\n",
            ["folder name (okand/)", "unknown group"],
        ),
        (
            "centrum/mote.yaml",
            "title: Möte\nstart: 2026-12-01 18:30\ngroup: centrum\n",
            ["unknown event key 'group'"],
        ),
        (
            "centrum/torgmote.yaml",
            "title: Möte\nstart: 2026-12-01 18:30\n",
            ["duplicate id 'torgmote'"],
        ),
    ],
)
def test_single_event_file_errors_name_file_and_fix(tmp_path, path, text, words):
    content = small_branch(tmp_path)
    write(content / "calendar" / path, text)
    with pytest.raises(ContentErrorsFound) as found:
        build_site(content, tmp_path / "output")
    messages = [str(e) for e in found.value.errors]
    assert any(
        path.split("/")[-1] in m and all(w.lower() in m.lower() for w in words)
        for m in messages
    ), messages
    assert not (tmp_path / "output" / "index.html").exists()
