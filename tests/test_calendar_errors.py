"""Every calendar validation error, reported as file:line:col with a hint.

One build reads one small calendar file per mistake (plus a valid one); the
build must stop before writing anything, and each file's error must name the
right line. One build for all of them also shows the errors are collected in
one run rather than stopping at the first.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from conftest import CONTENT, build_site

from grasrot_core import ContentErrorsFound

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# name: (calendar file text, line of the error, words the message must contain)
CASES = {
    "yaml-syntax": (
        """
        events:
          - id: budget
            title: Möte: budget
            start: "2026-12-01 18:30"
        """,
        3,
        ["YAML syntax error", "must be quoted"],
    ),
    "unknown-key": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            slut: "20:00"
        """,
        5,
        ["unknown event key 'slut'", "Did you mean 'end'?"],
    ),
    "missing-id": (
        """
        events:
          - title: Möte
            start: "2026-12-01 18:30"
        """,
        2,
        ["missing id", "id: "],
    ),
    "missing-title": (
        """
        events:
          - id: mote
            start: "2026-12-01 18:30"
        """,
        2,
        ["missing title", "title: "],
    ),
    "missing-start": (
        """
        events:
          - id: mote
            title: Möte
            location: Folkets hus
        """,
        2,
        ["missing start", "date: "],
    ),
    "impossible-date": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-02-30 18:30"
        """,
        4,
        ["not a real date", "2026-02-30"],
    ),
    "impossible-time": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-03-02 25:30"
        """,
        4,
        ["not a real time"],
    ),
    "end-before-start": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            end: "17:00"
        """,
        5,
        ["ends", "before it starts"],
    ),
    "last-date-before-date": (
        """
        events:
          - id: kampanj
            title: Kampanj
            date: 2026-12-10
            last_date: 2026-12-01
        """,
        5,
        ["'last_date: 2026-12-01' is before 'date: 2026-12-10'"],
    ),
    "duplicate-id": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
          - id: mote
            title: Ett annat möte
            start: "2026-12-08 18:30"
        """,
        5,
        ["duplicate id 'mote'", "line 2 already uses it"],
    ),
    "unknown-group": (
        """
        group: centrun
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
        """,
        1,
        ["unknown group 'centrun'", "Did you mean 'centrum'?"],
    ),
    "unknown-every": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            repeat:
              every: weekly
        """,
        6,
        ["unknown 'every: weekly'", "Did you mean 'week'?"],
    ),
    "unknown-on": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            repeat:
              every: month
              on: third thursdy
        """,
        7,
        ["unknown weekday 'thursdy'"],
    ),
    "until-before-start": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            repeat:
              every: week
              until: 2025-06-01
        """,
        7,
        ["until 2025-06-01 is before the start 2026-12-01"],
    ),
    "count-and-until": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            repeat:
              every: week
              until: 2027-06-01
              count: 10
        """,
        8,
        ["'until:' or 'count:', not both"],
    ),
    "except-not-an-occurrence": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-15 18:30"
            repeat:
              every: month
              on: 15
              except: [2027-01-14]
        """,
        8,
        ["except 2027-01-14 is not a date of this series", "2027-01-15"],
    ),
    "change-not-an-occurrence": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            repeat:
              every: month
              on: first tuesday
              changes:
                - date: 2027-01-07
                  status: cancelled
        """,
        9,
        ["changes: 2027-01-07 is not a date of this series", "2027-01-05"],
    ),
    "local-time-missing-at-dst": (
        """
        events:
          - id: natt
            title: Nattvandring
            start: "2027-03-28 02:30"
            end: "04:00"
        """,
        4,
        ["2027-03-28 02:30 does not exist in Europe/Stockholm", "03:00"],
    ),
    "online-not-http": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            online: zoom.us/j/123
        """,
        5,
        ["not a web link", "https://zoom.us/j/123"],
    ),
    "registration-not-http": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            registration: "javascript:alert(1)"
        """,
        5,
        ["'registration: javascript:alert(1)' is not a web link"],
    ),
    "bad-rrule": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            rrule: FREQ=SOMETIMES
        """,
        5,
        ["this rrule cannot be read"],
    ),
    "unknown-status": (
        """
        events:
          - id: mote
            title: Möte
            start: "2026-12-01 18:30"
            status: inställd
        """,
        5,
        ["unknown status 'inställd'", "Did you mean 'cancelled'?"],
    ),
}

VALID = """
events:
  - id: mote
    title: "2026-12-01"
    start: "2026-12-01 18:30"
    end: "20:00"
    location: no
  - id: expert
    title: Expertmöte
    start: "2026-12-01 19:00"
    rrule: FREQ=MONTHLY;BYDAY=1TH;COUNT=3
    repeat:
      except: [2027-01-07]
"""


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """Build once with every broken file; return (errors, output folder)."""
    root = tmp_path_factory.mktemp("calendar-errors")
    content = root / "content"
    (content / "groups").mkdir(parents=True)
    shutil.copy(CONTENT / "groups" / "centrum.md", content / "groups" / "centrum.md")
    calendar = content / "calendar"
    calendar.mkdir()
    (calendar / "centrum.yaml").write_text(VALID.lstrip(), encoding="utf-8")
    for name, (text, _line, _words) in CASES.items():
        source = textwrap.dedent(text).lstrip()
        if not source.startswith("group:"):
            source = "group: centrum\n" + source
        (calendar / f"{name}.yaml").write_text(source, encoding="utf-8")
    output = root / "output"
    with pytest.raises(ContentErrorsFound) as found:
        build_site(content, output)
    return found.value.errors, output


def _expected_line(name: str) -> int:
    text, line, _words = CASES[name]
    # Files without their own `group:` got one extra first line.
    return line if textwrap.dedent(text).lstrip().startswith("group:") else line + 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_reported_at_its_line(reported, name):
    errors, _output = reported
    mine = [e for e in errors if Path(e.path).name == f"{name}.yaml"]
    assert mine, f"no error reported for {name}.yaml"
    _text, _line, words = CASES[name]
    line = _expected_line(name)
    matching = [e for e in mine if e.line == line and all(w in e.message for w in words)]
    assert matching, [str(e) for e in mine]
    assert str(matching[0]).split(":")[0].endswith(f"{name}.yaml")
    assert f"{name}.yaml:{line}:" in str(matching[0])


def test_all_files_reported_in_one_run_and_nothing_written(reported):
    errors, output = reported
    files = {Path(e.path).name for e in errors}
    assert files == {f"{name}.yaml" for name in CASES}  # the valid file has none
    assert not (output / "kalender").exists()


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("calendar-valid")
    content = root / "content"
    (content / "groups").mkdir(parents=True)
    shutil.copy(CONTENT / "groups" / "centrum.md", content / "groups" / "centrum.md")
    (content / "calendar").mkdir()
    (content / "calendar" / "centrum.yaml").write_text(VALID.lstrip(), encoding="utf-8")
    return build_site(content, root / "output")


def test_yaml_traps_do_not_bite(valid_site):
    """`no` stays text, a date-looking title stays text, 18:30 is a time."""
    page = (valid_site / "kalender" / "centrum" / "mote" / "index.html").read_text("utf-8")
    assert "<h1>2026-12-01</h1>" in page
    assert "<dd>no</dd>" in page
    assert "18:30" in page and "20:00" in page


def test_expert_rrule_with_exception(valid_site):
    """The series starts on the rule's first date (Thursday 3 Dec), not on `start`."""
    feed = icalendar.Calendar.from_ical(
        (valid_site / "kalender" / "ics" / "centrum.ics").read_bytes()
    )
    [master] = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("expert@")]
    assert master["DTSTART"].dt == datetime(2026, 12, 3, 19, 0, tzinfo=STOCKHOLM)
    starts = [
        e["DTSTART"].dt.date()
        for e in recurring_ical_events.of(feed).between(date(2026, 11, 1), date(2027, 6, 1))
        if str(e["UID"]).startswith("expert@")
    ]
    assert starts == [date(2026, 12, 3), date(2027, 2, 4)]  # COUNT=3, 7 Jan excepted
