"""Swedish ways of writing a time all mean the same, and errors quote the file.

`17.00`, `17:00`, `kl. 17` and `17`, quoted or not (YAML reads an unquoted
`21.00` as the number 21.0), are accepted wherever the calendar takes a time.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import CONTENT, build_site, write

from grasrot_core import ContentErrorsFound

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FORMS = {
    "kolon": ('"2026-12-12 17:00"', '"21:00"'),
    "punkt": ("2026-12-12 17.00", "21.00"),
    "punkt-citerad": ('"2026-12-12 17.00"', '"21.00"'),
    "klockan": ('"2026-12-12 kl. 17"', '"kl. 21"'),
    "timme": ("2026-12-12 17", "21"),
    "klockan-utan-punkt": ("2026-12-12 kl 17.00", "kl 21.00"),
}


def _content(tmp_path, events: str):
    content = tmp_path / "content"
    (content / "groups").mkdir(parents=True)
    shutil.copy(CONTENT / "groups" / "centrum.md", content / "groups" / "centrum.md")
    write(content / "calendar" / "centrum.yaml", "events:\n" + events)
    return content


def test_every_time_form_means_the_same(tmp_path):
    events = "".join(
        f"  - id: {name}\n    title: Möte {name}\n    start: {start}\n    end: {end}\n"
        f"    repeat:\n      every: week\n      count: 3\n      changes:\n"
        f"        - date: 2026-12-19\n          start: {end}\n"
        for name, (start, end) in FORMS.items()
    )
    output = build_site(_content(tmp_path, events), tmp_path / "output")
    feed = icalendar.Calendar.from_ical((output / "kalender/ics/centrum.ics").read_bytes())
    masters = {
        str(e["UID"]).split("@")[0]: e
        for e in feed.walk("VEVENT")
        if "RECURRENCE-ID" not in e
    }
    moved = {
        str(e["UID"]).split("@")[0]: e for e in feed.walk("VEVENT") if "RECURRENCE-ID" in e
    }
    assert set(masters) == set(FORMS)
    for name, event in masters.items():
        assert event["DTSTART"].dt == datetime(2026, 12, 12, 17, 0, tzinfo=STOCKHOLM), name
        assert event["DTEND"].dt == datetime(2026, 12, 12, 21, 0, tzinfo=STOCKHOLM), name
        assert moved[name]["DTSTART"].dt == datetime(
            2026, 12, 19, 21, 0, tzinfo=STOCKHOLM
        ), name


def test_errors_quote_what_was_written(tmp_path):
    events = (
        "  - id: sent\n    title: Sent\n    start: 2026-12-12 17.00\n"
        "    end: 16.30\n"
        "  - id: omojlig\n    title: Omöjlig\n    start: 2026-12-12 17.00\n"
        "    end: 25.00\n"
        "  - id: text\n    title: Text\n    start: 2026-12-12 17.00\n"
        "    end: halv nio\n"
    )
    with pytest.raises(ContentErrorsFound) as found:
        build_site(_content(tmp_path, events), tmp_path / "output")
    messages = {error.line: error.message for error in found.value.errors}
    assert "'end: 16.30'" in messages[5] and "'start: 2026-12-12 17.00'" in messages[5]
    assert "'end: 25.00' is not a real time" in messages[9]
    assert "'end: halv nio' is not a time" in messages[13]
    assert not any("25.0'" in m or "16.3'" in m for m in messages.values())


def test_post_dates_take_the_same_time_forms(tmp_path):
    content = tmp_path / "content"
    for name, written in (
        ("punkt", "2026-11-02 18.30"),
        ("klockan", "2026-11-02 kl. 18.30"),
        ("kolon", "2026-11-02 18:30"),
    ):
        write(content / "news" / f"{name}.md", f"Title: {name}\nDate: {written}\n\nText.\n")
    output = build_site(content, tmp_path / "output")
    for name in ("punkt", "klockan", "kolon"):
        page = (output / "nyheter" / name / "index.html").read_text(encoding="utf-8")
        assert 'datetime="2026-11-02T18:30:00' in page, name
