"""The calendar's value parsers on their own: what officers write, and the messages
that say what to write instead."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest

from grasrot_calendar import values
from grasrot_calendar.values import BadValue
from grasrot_core import yamlload

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("written", ["18:30", "18.30", "kl. 18.30", "kl 18:30"])
def test_times_as_swedish_officers_write_them(written):
    assert values.parse_time(written, "start") == time(18, 30)


def test_a_bare_hour_is_on_the_hour():
    assert values.parse_time("kl. 18", "start") == time(18, 0)


def test_a_time_from_yaml_keeps_its_written_form():
    end = yamlload.load("end: 21.00\n")["end"]
    assert values.text(end) == "21.00"
    assert values.parse_time(end, "end") == time(21, 0)


def test_an_impossible_time_says_the_range():
    with pytest.raises(BadValue, match=r"not a real time: use 00:00 … 23:59"):
        values.parse_time("25:00", "start")


def test_a_date_and_an_impossible_date():
    assert values.parse_date("2026-03-15", "date") == date(2026, 3, 15)
    with pytest.raises(BadValue, match="no day 30 in month 2 of 2026"):
        values.parse_date("2026-02-30", "date")
    with pytest.raises(BadValue, match="write YYYY-MM-DD"):
        values.parse_date("15 mars", "date")


def test_a_date_where_a_time_belongs_suggests_an_all_day_event():
    with pytest.raises(BadValue, match="For an all-day event write 'date: 2026-03-15'"):
        values.parse_datetime("2026-03-15", "start")


def test_date_and_time():
    assert values.parse_datetime("2026-03-15 kl. 18", "start") == datetime(2026, 3, 15, 18)
    assert values.parse_date_or_datetime("2026-03-15", "start") == date(2026, 3, 15)


def test_an_end_time_alone_is_on_the_start_day():
    day = date(2026, 3, 15)
    assert values.parse_time_or_datetime("20:00", "end", day) == datetime(2026, 3, 15, 20)
    assert values.parse_time_or_datetime("2026-03-16 01:00", "end", day) == datetime(
        2026, 3, 16, 1
    )


def test_links_need_a_scheme_and_the_message_offers_one():
    assert values.parse_link("https://example.org/a", "url") == "https://example.org/a"
    with pytest.raises(BadValue, match=re.escape("e.g. 'url: https://example.org'")):
        values.parse_link("example.org", "url")


def test_whole_numbers_of_one_or_more():
    assert values.parse_positive_int(2, "count") == 2
    for bad in (0, -1, True, "2", 2.5):
        with pytest.raises(BadValue, match="whole number of 1 or more"):
            values.parse_positive_int(bad, "count")


def test_lists_from_yaml_or_commas():
    assert values.parse_list(["a", " b ", ""]) == ["a", "b"]
    assert values.parse_list("a, b,,") == ["a", "b"]
    assert values.text(True) == "true" and values.text(None) == ""
