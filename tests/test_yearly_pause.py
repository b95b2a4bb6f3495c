"""A summer break every year: `pause:` with months or with days without a year.

Checked over two years with three iCalendar readers (icalendar,
recurring-ical-events, vobject), and in words on the event page.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime

import icalendar
import pytest
import recurring_ical_events
import vobject
from conftest import CONTENT, build_site, html, write

CALENDAR = """\
events:
  - id: manadsmote
    title: Månadsmöte
    start: 2026-09-15 18.30
    end: 20.30
    repeat:
      every: month
      on: 15
      pause:
        - {months: [juni, juli, augusti]}
  - id: veckomote
    title: Veckomöte
    start: "2026-09-01 18:00"
    repeat:
      every: week
      on: tuesday
      pause:
        - {from: 06-16, to: 08-14}
  - id: engelska
    title: English months
    start: "2026-09-03 18:00"
    repeat:
      every: month
      on: first thursday
      pause:
        - {months: [6, July, august]}
  - id: vinter
    title: Vinteruppehåll
    date: 2026-11-28
    repeat:
      every: week
      pause:
        - {from: 12-20, to: 01-06}
"""
TWO_YEARS = (date(2026, 11, 20), date(2028, 11, 20))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("yearly-pause")
    content = root / "content"
    (content / "groups").mkdir(parents=True)
    shutil.copy(CONTENT / "groups" / "centrum.md", content / "groups" / "centrum.md")
    write(content / "calendar" / "centrum.yaml", CALENDAR)
    return build_site(content, root / "output")


@pytest.fixture(scope="module")
def feed_bytes(site) -> bytes:
    return (site / "kalender" / "ics" / "centrum.ics").read_bytes()


def _days_by_icalendar(feed_bytes, uid_prefix):
    calendar = icalendar.Calendar.from_ical(feed_bytes)
    return sorted(
        _day(e["DTSTART"].dt)
        for e in recurring_ical_events.of(calendar).between(*TWO_YEARS)
        if str(e["UID"]).startswith(uid_prefix + "@")
    )


def _days_by_vobject(feed_bytes, uid_prefix):
    calendar = vobject.readOne(feed_bytes.decode("utf-8"))
    [event] = [e for e in calendar.vevent_list if e.uid.value.startswith(uid_prefix + "@")]
    first, last = TWO_YEARS
    days = []
    for start in event.getrruleset(addRDate=True):
        day = _day(start)
        if day >= last:
            break
        if day >= first:
            days.append(day)
    return days


def _day(value):
    return value.date() if isinstance(value, datetime) else value


@pytest.mark.parametrize("uid", ["manadsmote", "veckomote", "engelska"])
def test_no_summer_dates_for_two_years_in_three_readers(feed_bytes, uid):
    by_icalendar = _days_by_icalendar(feed_bytes, uid)
    by_vobject = _days_by_vobject(feed_bytes, uid)
    assert by_icalendar == by_vobject
    summer = [
        d
        for d in by_icalendar
        if (d.month, d.day) >= (6, 16) and (d.month, d.day) <= (8, 14)
    ]
    assert not summer, summer
    years = {d.year for d in by_icalendar}
    assert {2027, 2028} <= years
    assert any(d.month == 5 for d in by_icalendar) and any(
        d.month == 9 for d in by_icalendar
    )
    if uid != "veckomote":  # whole months: nothing in June, July or August
        assert not [d for d in by_icalendar if d.month in (6, 7, 8)]
    else:  # 16 June to 14 August: the weeks around it stay
        assert date(2027, 6, 15) in by_icalendar and date(2027, 8, 17) in by_icalendar
        assert date(2028, 6, 13) in by_icalendar and date(2028, 8, 15) in by_icalendar


def test_months_become_bymonth_in_the_rule(feed_bytes):
    calendar = icalendar.Calendar.from_ical(feed_bytes)
    [event] = [
        e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("manadsmote@")
    ]
    assert event["RRULE"]["BYMONTH"] == [1, 2, 3, 4, 5, 9, 10, 11, 12]
    assert "EXDATE" not in event


def test_winter_break_crosses_new_year(feed_bytes):
    days = _days_by_icalendar(feed_bytes, "vinter")
    assert date(2026, 12, 19) in days and date(2027, 1, 9) in days
    assert not [
        d for d in days if (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 6)
    ]


@pytest.mark.parametrize(
    "uid, words",
    [
        ("manadsmote", "Den 15:e varje månad, uppehåll juni–augusti"),
        ("veckomote", "Varje tisdag, uppehåll 16 juni–14 augusti"),
        ("vinter", "uppehåll 20 december–6 januari"),
    ],
)
def test_the_event_page_states_the_break(site, uid, words):
    page = html(site / "kalender" / "centrum" / uid / "index.html")
    assert words in " ".join(page.get_text().split())
