"""The calendar: .ics files read back with icalendar, vobject and recurring-ical-events,
and the pages built from the example branch's events."""

from __future__ import annotations

import filecmp
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from conftest import build_site, html

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BUILD_DAY = date(2026, 11, 20)


def read_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def vevents(calendar, uid_prefix):
    """The VEVENTs (master and overrides) whose UID starts with uid_prefix."""
    return [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid_prefix)]


def events_of(calendar, uid_prefix, first, last):
    """Expanded occurrences of one UID between two dates (recurring-ical-events)."""
    return [
        e
        for e in recurring_ical_events.of(calendar).between(first, last)
        if str(e["UID"]).startswith(uid_prefix)
    ]


@pytest.fixture(scope="module")
def feed(example_site) -> icalendar.Calendar:
    return read_ics(example_site / "kalender" / "ics" / "alla.ics")


@pytest.fixture(scope="module")
def ics_files(example_site) -> list[Path]:
    found = sorted((example_site / "kalender").rglob("*.ics"))
    assert len(found) > 25
    return found


# --- Every .ics file is valid RFC 5545 ---------------------------------------------


def test_every_ics_file_parses_cleanly_with_icalendar(ics_files):
    for path in ics_files:
        calendar = read_ics(path)
        defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        for component in calendar.walk():
            assert not component.errors, (path, component.name, component.errors)
            for name, value in component.property_items():
                tzid = getattr(value, "params", {}).get("TZID")
                assert tzid is None or tzid in defined, (path, name, tzid)
        for event in calendar.walk("VEVENT"):
            assert str(event["DTSTAMP"].to_ical().decode()).endswith("Z"), path


def test_every_ics_file_validates_with_vobject(ics_files):
    for path in ics_files:
        parsed = vobject.readOne(path.read_text(encoding="utf-8"), validate=True)
        assert parsed.name == "VCALENDAR", path


def test_ics_files_use_crlf_line_endings(ics_files):
    for path in ics_files:
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), path


def test_feeds_are_named_and_refresh_but_single_event_files_are_not(ics_files):
    feeds = [p for p in ics_files if p.parent.name == "ics"]
    assert {p.stem for p in feeds} >= {
        "alla",
        "ekdala",
        "centrum",
        "norra-ekdala",
        "soderasen",
        "klimatnatverket",
        "omsorgsnatverket",
        "stadsodling",
    }
    for path in feeds:
        calendar = read_ics(path)
        assert calendar["X-WR-CALNAME"] and calendar["NAME"], path
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in path.read_text(encoding="utf-8")
    for path in (p for p in ics_files if p.parent.name != "ics"):
        text = path.read_text(encoding="utf-8")
        assert "X-WR-CALNAME" not in text and "REFRESH-INTERVAL" not in text, path


def test_group_feed_holds_only_that_groups_events(example_site):
    uids = {
        str(e["UID"])
        for e in read_ics(example_site / "kalender" / "ics" / "centrum.ics").walk("VEVENT")
    }
    assert uids and all("@centrum." in uid for uid in uids)


# --- Identity: UID, DTSTAMP, SEQUENCE ------------------------------------------------


def test_uids_come_from_id_and_group_and_are_unique(feed):
    masters = [e for e in feed.walk("VEVENT") if "RECURRENCE-ID" not in e]
    uids = [str(e["UID"]) for e in masters]
    assert len(uids) == len(set(uids))
    assert "medlemsmote@ekdala.ekdala-lokalavdelning" in uids
    assert "gruppmote@centrum.ekdala-lokalavdelning" in uids
    assert "gruppmote@norra-ekdala.ekdala-lokalavdelning" in uids
    assert not any("http" in uid or "/" in uid for uid in uids)


def test_dtstamp_comes_from_updated_in_utc(feed):
    meeting = next(
        e
        for e in feed.walk("VEVENT")
        if str(e["UID"]).startswith("medlemsmote@") and "RECURRENCE-ID" not in e
    )
    assert meeting["DTSTAMP"].to_ical() == b"20261110T000000Z"


def test_sequence_rises_when_an_occurrence_is_cancelled(feed):
    norra = vevents(feed, "gruppmote@norra-ekdala")
    master = next(e for e in norra if "RECURRENCE-ID" not in e)
    cancelled = next(e for e in norra if "RECURRENCE-ID" in e)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(master["SEQUENCE"])


def test_sequence_rises_with_updated():
    from grasrot_calendar.ics import sequence

    assert sequence(date(2026, 11, 10), False) < sequence(date(2026, 11, 11), False)
    assert sequence(date(2026, 11, 10), False) < sequence(date(2026, 11, 10), True)
    assert sequence(date(2026, 11, 10), True) < sequence(date(2026, 11, 11), False)


# --- Times and recurrence ---------------------------------------------------------------


def test_summer_pause_leaves_no_july_dates(feed):
    meetings = events_of(feed, "medlemsmote@", date(2027, 1, 1), date(2028, 1, 1))
    months = sorted({e["DTSTART"].dt.month for e in meetings})
    assert months == [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]
    assert all(e["DTSTART"].dt.day == 15 for e in meetings)


def test_moved_occurrence_appears_on_its_new_day_only(feed):
    december = events_of(feed, "medlemsmote@", date(2026, 12, 1), date(2027, 1, 1))
    assert [e["DTSTART"].dt for e in december] == [
        datetime(2026, 12, 17, 18, 30, tzinfo=STOCKHOLM)
    ]


@pytest.mark.parametrize(
    "day", [date(2026, 10, 14), date(2026, 10, 28), date(2027, 3, 17), date(2027, 3, 31)]
)
def test_1830_meeting_stays_1830_local_around_dst_changes(feed, day):
    """Centrum meets every other Wednesday; DST ends 25 Oct 2026, starts 28 Mar 2027."""
    [meeting] = events_of(feed, "gruppmote@centrum.", day, day + timedelta(days=1))
    start = meeting["DTSTART"].dt.astimezone(STOCKHOLM)
    assert (start.date(), start.time()) == (day, time(18, 30))
    summer = (day.month == 10 and day.day < 25) or (day.month == 3 and day.day > 28)
    assert start.utcoffset() == timedelta(hours=2 if summer else 1)


def test_rrule_until_is_utc_and_exceptions_are_exdates(feed):
    [centrum] = vevents(feed, "gruppmote@centrum")
    assert b"UNTIL=20270616T215959Z" in centrum["RRULE"].to_ical()
    excluded = [d.dt for d in centrum["EXDATE"].dts]
    assert excluded == [datetime(2026, 12, 23, 18, 30, tzinfo=STOCKHOLM)]
    assert not events_of(feed, "gruppmote@centrum.", date(2026, 12, 23), date(2026, 12, 24))


def test_series_count_and_exception(feed):
    circle = events_of(feed, "studiecirkel@", date(2026, 1, 1), date(2028, 1, 1))
    days = [e["DTSTART"].dt.date() for e in circle]
    assert len(days) == 9 and date(2026, 11, 3) not in days  # count 10, one excepted


def test_all_day_event_has_dates_and_exclusive_end(feed):
    campaign = next(
        e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("kampanjvecka-vatten@")
    )
    assert campaign["DTSTART"].dt == date(2027, 3, 6)
    assert campaign["DTEND"].dt == date(2027, 3, 15)
    assert b"VALUE=DATE" in campaign.to_ical()


def test_cancelled_occurrence_stays_in_the_feed(feed):
    january = events_of(feed, "gruppmote@norra-ekdala", date(2027, 1, 1), date(2027, 2, 1))
    assert [str(e["STATUS"]) for e in january] == ["CANCELLED"]


def test_recent_past_events_are_kept_in_the_feed(feed):
    uids = {str(e["UID"]).split("@")[0] for e in feed.walk("VEVENT")}
    assert {"hostmote-2026", "valanalys-2026", "stadsvandring-gamla-stan"} <= uids


def test_online_event_carries_its_link(feed):
    digital = next(
        e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("digitalt-budgetmote@")
    )
    assert str(digital["CONFERENCE"]) == "https://meet.example.org/ekdala-budget"


# --- Pages -------------------------------------------------------------------------------


def test_calendar_lists_upcoming_events_by_month(example_site):
    page = html(example_site / "kalender" / "index.html")
    months = [h.get_text(strip=True) for h in page.select(".cal-month h2")]
    assert months[:3] == ["November 2026", "December 2026", "Januari 2027"]
    first = page.select_one(".cal-item .cal-item__title").get_text(strip=True)
    assert first == "Dörrknackning i Älvsby"  # the first event after 20 Nov 2026 13:00
    text = page.get_text(" ")
    assert "Höstmöte" not in text  # past: in the archive instead
    assert (
        page.select_one('link[rel=alternate][type="text/calendar"]')["href"]
        == "/kalender/ics/alla.ics"
    )
    webcal = page.select_one('a[href^="webcal://"]')["href"]
    assert webcal.endswith("/kalender/ics/alla.ics")


def test_group_filter_page_shows_only_that_group(example_site):
    page = html(example_site / "kalender" / "centrum" / "index.html")
    groups = {g.get_text(strip=True) for g in page.select(".cal-item__group")}
    assert groups == {"Ekdala centrum"}
    assert (
        page.select_one('.cal-filter a[aria-current="page"]').get_text(strip=True)
        == "Ekdala centrum"
    )
    hrefs = [link["href"] for link in page.select('link[type="text/calendar"]')]
    assert "/kalender/ics/centrum.ics" in hrefs


def test_category_page(example_site):
    page = html(example_site / "kalender" / "kategori" / "utbildning" / "index.html")
    titles = [t.get_text(strip=True) for t in page.select(".cal-item__title")]
    assert "Utbildning: att leda ett möte" in titles
    assert "Julfest för medlemmar" not in titles


def test_archive_lists_past_events_newest_first(example_site):
    page = html(example_site / "kalender" / "arkiv" / "index.html")
    titles = [t.get_text(strip=True) for t in page.select(".cal-item__title")]
    assert "Höstmöte" in titles and "Dörrknackning i Älvsby" not in titles
    assert titles.index("Öppet hus i Skärholmen") < titles.index("Höstmöte")


def test_month_grid_is_a_real_table(example_site):
    page = html(example_site / "kalender" / "manad" / "2026-12" / "index.html")
    table = page.select_one("table.cal-grid")
    assert table.caption.get_text(strip=True) == "December 2026"
    headers = table.select("thead th[scope=col]")
    assert len(headers) == 7 and headers[0]["abbr"] == "måndag"
    seventeenth = table.find("time", attrs={"datetime": "2026-12-17"}).find_parent("td")
    assert "Medlemsmöte" in seventeenth.get_text()
    fifteenth = table.find("time", attrs={"datetime": "2026-12-15"}).find_parent("td")
    assert "Medlemsmöte" not in fifteenth.get_text()
    assert page.select_one("a[rel=next]")["href"] == "/kalender/manad/2027-01/"
    assert page.select_one("a[rel=prev]")["href"] == "/kalender/manad/2026-11/"


def test_event_page_has_details_downloads_and_json_ld(example_site):
    folder = example_site / "kalender" / "ekdala" / "mototeknik-utbildning"
    page = html(folder / "index.html")
    text = page.get_text(" ")
    assert "Folkets hus, studierum 2" in text and "Anmäl dig" in text
    download = page.select_one('a[download][href$=".ics"]')["href"]
    assert download == "/kalender/ekdala/mototeknik-utbildning/mototeknik-utbildning.ics"
    assert (folder / "mototeknik-utbildning.ics").is_file()
    google = page.select_one('a[href^="https://calendar.google.com/"]')["href"]
    assert "dates=20261205T090000Z%2F20261205T140000Z" in google
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Event" and data["startDate"] == "2026-12-05T10:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_series_page_lists_next_dates(example_site):
    page = html(example_site / "kalender" / "ekdala" / "medlemsmote" / "index.html")
    dates = [t["datetime"][:10] for t in page.select(".cal-dates li > time:first-child")]
    assert dates[:3] == ["2026-12-17", "2027-01-15", "2027-02-15"]
    assert "2027-07-15" not in dates
    assert "kommunfullmäktige" in page.get_text()
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "EventSeries" and len(data["subEvent"]) == len(dates)


def test_past_event_page_says_it_is_over(example_site):
    past = html(example_site / "kalender" / "ekdala" / "hostmote-2026" / "index.html")
    assert "Det här evenemanget har redan ägt rum." in past.get_text()
    coming = html(example_site / "kalender" / "ekdala" / "julfest" / "index.html")
    assert "redan ägt rum" not in coming.get_text()


def test_online_event_page_links_the_meeting(example_site):
    page = html(example_site / "kalender" / "ekdala" / "digitalt-budgetmote" / "index.html")
    assert page.select_one('a[href="https://meet.example.org/ekdala-budget"]')
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")


def test_no_third_party_requests_in_calendar_pages(example_site):
    for path in (example_site / "kalender").rglob("*.html"):
        page = html(path)
        fetched = [s.get("src", "") for s in page.find_all(["script", "img", "iframe"])]
        loaded = {"stylesheet", "icon", "preload", "modulepreload"}
        fetched += [
            link["href"]
            for link in page.find_all("link", href=True)
            if loaded & set(link["rel"])
        ]
        remote = [url for url in fetched if url.startswith(("http:", "https:", "//"))]
        assert not remote, path


# --- The model other plugins use --------------------------------------------------------


def test_model_api_upcoming_by_group_days_and_limit(example_site):
    from conftest import CONTENT, PELICANCONF
    from pelican.settings import read_settings

    import grasrot_calendar

    settings = read_settings(str(PELICANCONF), override={"PATH": str(CONTENT)})
    settings["GRASROT_BUILD_DATE"] = datetime(2026, 11, 20, 13, 0, tzinfo=STOCKHOLM)
    calendar = grasrot_calendar.build_model(settings)
    assert len(calendar.events) >= 25 and len(calendar.past()) > 5
    [first] = calendar.upcoming(limit=1)
    assert (first.title, first.group, first.all_day) == (
        "Dörrknackning i Älvsby",
        "norra-ekdala",
        False,
    )
    assert first.url == "kalender/norra-ekdala/dorrknackning-alvsby/"
    week = calendar.upcoming(days=7)
    week_end = settings["GRASROT_BUILD_DATE"] + timedelta(days=7)
    assert week and all(o.start < week_end for o in week)
    centrum = calendar.upcoming(group="centrum")
    assert centrum and {o.group for o in centrum} == {"centrum"}
    branch = calendar.upcoming(group="ekdala", limit=3)
    assert len(branch) == 3 and {o.group for o in branch} == {None}
    assert calendar.feed_url() == "kalender/ics/alla.ics"
    assert calendar.feed_url("centrum") == "kalender/ics/centrum.ics"


def test_build_is_deterministic(tmp_path, example_site):
    """Same content and SOURCE_DATE_EPOCH: byte-identical calendar output."""
    from conftest import CONTENT

    again = build_site(CONTENT, tmp_path / "again")
    comparison = filecmp.dircmp(example_site / "kalender", again / "kalender")

    def differences(cmp):
        found = list(cmp.diff_files) + list(cmp.left_only) + list(cmp.right_only)
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    assert not differences(comparison)


def test_model_between_reaches_before_the_build_date():
    from conftest import CONTENT, PELICANCONF
    from pelican.settings import read_settings

    import grasrot_calendar

    settings = read_settings(str(PELICANCONF), override={"PATH": str(CONTENT)})
    settings["GRASROT_BUILD_DATE"] = datetime(2026, 11, 20, 13, 0, tzinfo=STOCKHOLM)
    calendar = grasrot_calendar.build_model(settings)
    november = calendar.between(date(2026, 11, 1), date(2026, 11, 8))
    assert "Höstmöte" in [o.title for o in november]
    assert all(date(2026, 11, 1) <= o.first_day < date(2026, 11, 8) for o in november)
    assert [
        o.title
        for o in calendar.between(date(2026, 11, 1), date(2026, 12, 1), group="ekdala")
    ] == ["Höstmöte", "Medlemsmöte", "Digitalt medlemsmöte om kommunbudgeten"]


def test_next_events_partial_for_the_home_page(tmp_path):
    """`calendar/next_events.html` lists the next events wherever it is included."""
    import shutil

    from conftest import CONTENT

    content = tmp_path / "content"
    for folder, name in (("groups", "centrum.md"), ("calendar", "centrum.yaml")):
        (content / folder).mkdir(parents=True)
        shutil.copy(CONTENT / folder / name, content / folder / name)
    (content / "snippets").mkdir()
    (content / "snippets" / "next.html").write_text(
        '{% set calendar_limit = 2 %}{% include "calendar/next_events.html" %}',
        encoding="utf-8",
    )
    output = build_site(
        content,
        tmp_path / "output",
        TEMPLATE_PAGES={"snippets/next.html": "next/index.html"},
    )
    page = html(output / "next" / "index.html")
    titles = [t.get_text(strip=True) for t in page.select(".cal-item__title")]
    assert titles == ["Centrumgruppens möte", "Torgmöte på Stortorget"]  # 25 and 28 Nov
    assert page.select_one('a[href="/kalender/"]')


def test_series_page_says_how_it_repeats(example_site):
    def repeats(path):
        page = html(example_site / "kalender" / path / "index.html")
        label = page.find("dt", string="Återkommer")
        return label.find_next_sibling("dd").get_text(strip=True)

    assert repeats("ekdala/medlemsmote") == (
        "Den 15:e varje månad, till och med 31 december 2027, uppehåll 16 juni–31 augusti"
    )
    assert repeats("centrum/gruppmote") == "Varannan onsdag, till och med 16 juni 2027"
    assert repeats("norra-ekdala/gruppmote") == "Första tisdagen i månaden"


def test_repeat_words_in_english():
    from conftest import CONTENT, PELICANCONF
    from pelican.settings import read_settings

    import grasrot_calendar
    from grasrot_calendar.views import describe_repeat

    settings = read_settings(
        str(PELICANCONF), override={"PATH": str(CONTENT), "DEFAULT_LANG": "en"}
    )
    settings["GRASROT_BUILD_DATE"] = datetime(2026, 11, 20, 13, 0, tzinfo=STOCKHOLM)
    calendar = grasrot_calendar.build_model(settings)
    words = {(e.owner, e.id): describe_repeat(e, settings) for e in calendar.events}
    assert (
        words[("soderasen", "gruppmote")]
        == "Last Thursday of the month, until June 30, 2027"
    )
    assert words[("stadsodling", "studiecirkel")] == "Every week on Tuesday, 10 times"
    assert words[("ekdala", "julfest")] == ""
