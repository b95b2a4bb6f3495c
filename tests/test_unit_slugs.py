"""Duplicate slugs on their own: Pelican's warning becomes one content error per file,
at the file's Slug: (or Title:) line."""

from __future__ import annotations

import logging

import pytest

from grasrot_core import state
from grasrot_core.errors import collector
from grasrot_core.slugs import DuplicateSlugFilter, header_line, report_duplicates

pytestmark = pytest.mark.unit


class FakePelican:
    def __init__(self, settings):
        self.settings = settings


def test_the_error_points_at_the_slug_line_else_the_title(tmp_path):
    with_slug = tmp_path / "a.md"
    with_slug.write_text("Title: Möte\nDate: 2026-01-01\nSlug: mote\n\nText\n", "utf-8")
    title_only = tmp_path / "b.md"
    title_only.write_text("Date: 2026-01-01\nTitle: Möte\n\nText\n", "utf-8")
    assert header_line(str(with_slug)) == 3
    assert header_line(str(title_only)) == 2
    assert header_line(str(tmp_path / "missing.md")) == 1


def test_each_file_gets_an_error_naming_the_other(tmp_path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    for path in (first, second):
        path.write_text("Title: Möte\n\nText\n", "utf-8")
    settings = {}
    report_duplicates(collector(settings), 'with slug "mote"', [str(second), str(first)])
    errors = collector(settings).sorted()
    assert [(e.path, e.line) for e in errors] == [(str(first), 1), (str(second), 1)]
    assert f"also used by {second}" in errors[0].message
    assert "'Slug: mote-2'" in errors[0].message


def test_the_filter_turns_pelicans_warning_into_errors_once(tmp_path):
    paths = [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    settings = {}
    duplicate = DuplicateSlugFilter()
    state.start(FakePelican(settings))  # as at Pelican's `initialized`
    record = logging.LogRecord(
        "pelican.utils",
        logging.WARNING,
        __file__,
        1,
        'There are %s items "%s" with lang %s: %s, %s',
        (2, 'with slug "mote"', "sv", *paths),
        None,
    )
    assert duplicate.filter(record) is False  # swallowed: it is a content error now
    assert duplicate.filter(record) is False
    assert len(collector(settings)) == 2
    other = logging.LogRecord(
        "pelican.utils", logging.WARNING, __file__, 1, "Something else", (), None
    )
    assert duplicate.filter(other) is True
