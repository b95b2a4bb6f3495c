"""Property: whatever an officer writes, `invoke check` and the build either pass
or list content errors at file:line:col. Never a traceback, a hang, or a build
that fails after check said the content was fine, and nothing written on errors.

Hypothesis generates calendar files and Markdown headers, from plausible to
garbage. Examples are derandomised (the same every run) and bounded, so the
test is repeatable; it is marked `property` and runs in `make test` (the quick
loop `-m "not browser"` leaves it out, see conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import PELICANCONF, build_site, write
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grasrot_core import ContentErrorsFound
from grasrot_core.check import run_check

pytestmark = pytest.mark.property

ERROR_LINE = re.compile(r"^(?P<path>/.+?):(?P<line>\d+):(?P<col>\d+): \S")
SECONDS_PER_RUN = 120

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=24
)
plain_words = st.from_regex(r"[A-Za-zåäöÅÄÖ0-9 .,:'\"#&<>-]{0,24}", fullmatch=True)
day = st.dates().map(lambda d: d.isoformat())
clock = st.sampled_from(["18:30", "17.00", "kl. 17", "21.00", "25:00", "7", ""])
moment = st.one_of(
    day, st.tuples(day, clock).map(" ".join), plain_words, st.integers(-10, 10**12)
)
anything = st.one_of(
    words,
    plain_words,
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    day,
)

repeat = st.fixed_dictionaries(
    {},
    optional={
        "every": st.sampled_from(
            ["day", "week", "month", "year", "vecka", "", "fortnight"]
        ),
        "interval": st.integers(-3, 10**20),
        "count": st.integers(-3, 10**8),
        "until": moment,
        "on": st.one_of(st.sampled_from(["monday", "15", "last friday", "32"]), anything),
        "except": st.lists(moment, max_size=3),
        "pause": st.lists(
            st.fixed_dictionaries({"from": moment, "to": moment}), max_size=2
        ),
    },
)
event = st.fixed_dictionaries(
    {
        "id": st.one_of(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), anything),
        "title": st.one_of(plain_words, anything),
    },
    optional={
        "start": moment,
        "end": st.one_of(clock, moment),
        "date": moment,
        "location": anything,
        "description": st.one_of(words, plain_words),
        "categories": st.one_of(st.lists(plain_words, max_size=3), anything),
        "status": st.sampled_from(["cancelled", "tentative", "confirmed", "inställd"]),
        "registration": st.sampled_from(["https://example.org/a", "javascript:x", ""]),
        "repeat": st.one_of(repeat, anything),
        "rrule": st.sampled_from(
            [
                "FREQ=WEEKLY;COUNT=3",
                "FREQ=DAILY;COUNT=99999",
                "FREQ=NOPE",
                "FREQ=MONTHLY;INTERVAL=1000",
            ]
        ),
        "slut": anything,
    },
)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _damaged(text: str):
    """The same file with one slip at one place: cut short, a stray quote, a tab,
    a self-referencing alias."""
    return st.integers(0, max(len(text) - 1, 0)).flatmap(
        lambda cut: st.sampled_from(
            [
                text[:cut],
                text[:cut] + '"' + text[cut:],
                text[:cut] + "\t" + text[cut:],
                text[:cut] + "&a [*a]\n" + text[cut:],
            ]
        )
    )


calendar_text = st.lists(event, max_size=4).map(lambda events: _dump({"events": events}))
calendar_file = st.one_of(calendar_text, calendar_text.flatmap(_damaged), words)


HEADER_KEYS = [
    "Title",
    "Date",
    "Modified",
    "Slug",
    "Save_as",
    "Url",
    "Tags",
    "Groups",
    "Status",
    "Summary",
    "Access",
    "Include_events",
    "Lang",
    "Template",
    "Tittle",
    "Author",
    "Category",
]
header_value = st.one_of(
    plain_words,
    day,
    st.tuples(day, clock).map(" ".join),
    st.sampled_from(
        [
            "draft",
            "hidden",
            "published",
            "index.html",
            "../x",
            "/abs",
            "höst",
            "centrum",
            "{filename}/news/nope.md",
            "30",
            "-1",
        ]
    ),
)
pelican_header = st.lists(
    st.tuples(st.sampled_from(HEADER_KEYS), header_value), max_size=6
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))
front_matter = st.dictionaries(
    st.sampled_from([k.lower() for k in HEADER_KEYS]),
    st.one_of(header_value, anything),
    max_size=6,
).map(lambda data: "---\n" + _dump(data) + "---\n")
markdown_file = st.tuples(
    st.one_of(pelican_header, front_matter),
    st.one_of(
        plain_words,
        st.just("[l]({filename}/news/nope.md)"),
        st.just("![b]({static}/images/nope.png)"),
    ),
).map(lambda parts: parts[0] + "\n" + parts[1] + "\n")


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    def stop(_signum, _frame):
        raise _TooSlow(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check(content: Path) -> tuple[int, str]:
    stderr, stdout = io.StringIO(), io.StringIO()
    with (
        _time_limit(SECONDS_PER_RUN),
        contextlib.redirect_stderr(stderr),
        contextlib.redirect_stdout(stdout),
    ):
        code = run_check(str(content), str(PELICANCONF))
    return code, stderr.getvalue()


def _build(content: Path, output: Path):
    """None when the build succeeded, else its ContentErrorsFound."""
    with (
        _time_limit(SECONDS_PER_RUN),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        try:
            build_site(content, output)
        except ContentErrorsFound as found:
            return found
    return None


def _assert_errors_at_file_line(text: str, content: Path):
    lines = [line for line in text.splitlines() if line.startswith(str(content))]
    assert lines, text
    for line in lines:
        match = ERROR_LINE.match(line)
        assert match, line
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1, line


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(calendar=calendar_file, post=markdown_file, page=markdown_file)
def test_generated_content_builds_or_reports_errors_at_file_line(calendar, post, page):
    with tempfile.TemporaryDirectory(prefix="grasrot-property-") as scratch:
        root = Path(scratch)
        content = root / "content"
        write(content / "news" / "fast.md", "Title: Fast\nDate: 2026-11-01\n\nText.\n")
        write(content / "calendar" / "ekdala.yaml", calendar)
        write(content / "news" / "genererad.md", post)
        write(content / "pages" / "genererad.md", page)
        code, errors = _check(content)
        output = root / "output"
        failure = _build(content, output)
        if code == 0:
            assert failure is None, f"check passed but the build failed: {failure}"
            assert (output / "index.html").is_file()
        else:
            _assert_errors_at_file_line(errors, content)
            assert failure is not None, "check found errors but the build passed"
            assert not output.exists() or not any(output.iterdir())
