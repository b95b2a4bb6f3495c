"""`repeat:` rules on their own: readable words -> RRULE parts -> dates (dateutil)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from grasrot_calendar.recurrence import (
    Recurrence,
    RuleError,
    on_parts,
    parse_rrule_text,
    weekday_code,
)

pytestmark = pytest.mark.unit


def test_weekdays_in_english_or_swedish():
    assert weekday_code("Thursday") == "TH"
    assert weekday_code("torsdag") == "TH"
    with pytest.raises(RuleError, match="use monday … sunday"):
        weekday_code("thorsday")


def test_on_for_weeks_and_months():
    assert on_parts(["monday", "onsdag"], "week") == {"BYDAY": "MO,WE"}
    assert on_parts("third thursday", "month") == {"BYDAY": "3TH"}
    assert on_parts("sista fredag", "month") == {"BYDAY": "-1FR"}
    assert on_parts([1, "15"], "month") == {"BYMONTHDAY": "1,15"}


def test_on_mistakes_say_what_to_write():
    with pytest.raises(RuleError, match="mixes days of the month and weekdays"):
        on_parts([15, "first tuesday"], "month")
    with pytest.raises(RuleError, match="no day 32"):
        on_parts(32, "month")
    with pytest.raises(RuleError, match="does not apply to 'every: year'"):
        on_parts("monday", "year")
    with pytest.raises(RuleError, match="needs which one and a weekday"):
        on_parts("thursday", "month")


def test_expert_rrule_text_is_checked():
    assert parse_rrule_text("RRULE:freq=monthly;byday=3th") == {
        "FREQ": "MONTHLY",
        "BYDAY": "3TH",
    }
    with pytest.raises(RuleError, match="needs FREQ"):
        parse_rrule_text("BYDAY=TU")
    with pytest.raises(RuleError, match="FREQ=HOURLY is not supported"):
        parse_rrule_text("FREQ=HOURLY")
    with pytest.raises(RuleError, match="use 'start:'"):
        parse_rrule_text("FREQ=WEEKLY;DTSTART=20260101")


def test_third_thursday_of_each_month_until_a_date():
    series = Recurrence(parts={"FREQ": "MONTHLY", "BYDAY": "3TH"}, until=date(2026, 3, 19))
    start = datetime(2026, 1, 15, 18, 30)
    assert list(series.rule(start)) == [
        datetime(2026, 1, 15, 18, 30),
        datetime(2026, 2, 19, 18, 30),
        datetime(2026, 3, 19, 18, 30),
    ]


def test_local_wall_clock_time_stays_across_daylight_saving():
    series = Recurrence(parts={"FREQ": "WEEKLY", "COUNT": "3"})
    starts = list(series.rule(datetime(2026, 3, 22, 18, 30)))  # DST starts 29 March
    assert [s.hour for s in starts] == [18, 18, 18]


def test_first_start_and_starts_between():
    series = Recurrence(parts={"FREQ": "WEEKLY", "BYDAY": "TU"})
    start = datetime(2026, 11, 1, 19, 0)  # a Sunday: the first meeting is Tuesday
    assert series.first_start(start) == datetime(2026, 11, 3, 19, 0)
    assert series.starts_on(start, date(2026, 11, 10)) == [datetime(2026, 11, 10, 19, 0)]
    assert len(series.starts_between(start, date(2026, 11, 1), date(2026, 11, 30))) == 4
