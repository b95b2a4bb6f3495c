"""The error collector on its own: file:line:col lines, sorted, without duplicates,
did-you-mean hints, and the Swedish or English summary."""

from __future__ import annotations

import io
import os

import pytest

from grasrot_core.errors import (
    ContentError,
    ContentErrorsFound,
    ErrorCollector,
    collector,
    did_you_mean,
    summary,
)

pytestmark = pytest.mark.unit


def test_errors_are_sorted_and_duplicates_kept_once(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    errors = ErrorCollector()
    errors.add("content/b.md", 2, 1, "second")
    errors.add("content/a.md", 9, 3, "first")
    errors.add("content/b.md", 2, 1, "second")
    errors.add("content/a.md", None, 0, "no position")
    assert len(errors) == 3
    assert [str(e) for e in errors.sorted()] == [
        "content/a.md:1:1: no position",
        "content/a.md:9:3: first",
        "content/b.md:2:1: second",
    ]
    stream = io.StringIO()
    errors.print_all(stream)
    assert stream.getvalue().splitlines()[0] == "content/a.md:1:1: no position"


def test_paths_inside_the_working_directory_are_relative():
    inside = os.path.join(os.getcwd(), "content", "x.md")
    assert ContentError(inside, 1, 2, "m").display_path() == os.path.join("content", "x.md")
    assert ContentError("/elsewhere/x.md", 1, 2, "m").display_path() == "/elsewhere/x.md"


def test_github_annotations_escape_newlines_and_percent():
    error = ContentError("/elsewhere/x.md", 3, 4, "100%\nsure")
    assert (
        error.github_annotation()
        == "::error file=/elsewhere/x.md,line=3,col=4::100%25%0Asure"
    )


def test_raise_if_any_stops_only_when_there_are_errors(capsys):
    errors = ErrorCollector()
    errors.raise_if_any()
    errors.add("/elsewhere/x.md", 1, 1, "bad")
    with pytest.raises(ContentErrorsFound) as caught:
        errors.raise_if_any("sv")
    assert str(caught.value).startswith("1 fel i innehållet")
    assert "/elsewhere/x.md:1:1: bad" in capsys.readouterr().err


def test_summaries_in_both_languages():
    assert summary(1, "en").startswith("1 content error (listed above)")
    assert summary(2, "en").startswith("2 content errors")
    assert "inget skrevs" in summary(2, "sv_SE")


def test_one_collector_per_settings_dict():
    first, second = {}, {}
    assert collector(first) is collector(first)
    assert collector(first) is not collector(second)


def test_did_you_mean_spelling_and_swedish_field_names():
    assert did_you_mean("titel", ["title", "start"]) == " Did you mean 'title'?"
    assert did_you_mean("slut", ["start", "end"]) == " Did you mean 'end'?"
    assert did_you_mean("locaton", ["location", "end"]) == " Did you mean 'location'?"
    assert did_you_mean("xyz", ["location", "end"]) == ""
