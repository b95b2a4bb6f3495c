"""Markdown header parsing on its own: Pelican `Key: value` headers and YAML front
matter, with the line of every field."""

from __future__ import annotations

import pytest

from grasrot_core.reader import as_list, first_paragraph_keys, split_header, swedish_clock

pytestmark = pytest.mark.unit


def test_pelican_header_fields_with_lines_and_the_body_start():
    text = "Title: Möte\nDate: 2026-11-02 18:30\nTags: a, b\n\nBrödtext.\n"
    fields, body, body_start, errors = split_header(text)
    assert fields == [
        ("Title", "Möte", 1, 1),
        ("Date", "2026-11-02 18:30", 2, 1),
        ("Tags", "a, b", 3, 1),
    ]
    assert body == "Brödtext.\n"
    assert body_start == 5
    assert errors == []


def test_an_indented_line_continues_the_field_above():
    fields, _, _, _ = split_header("Summary: first\n    second\n\nBody\n")
    assert fields == [("Summary", "first\nsecond", 1, 1)]


def test_front_matter_keeps_yaml_12_text_and_file_lines():
    text = "---\ntitle: Möte\nstart: 18:30\nzip: 01234\n---\nBody\n"
    fields, body, body_start, errors = split_header(text)
    assert fields == [
        ("title", "Möte", 2, 1),
        ("start", "18:30", 3, 1),
        ("zip", "01234", 4, 1),
    ]
    assert body == "Body\n" and body_start == 6 and errors == []


def test_front_matter_that_never_ends_says_what_to_add():
    _, _, _, errors = split_header("---\ntitle: Möte\n\nBody\n")
    assert errors == [
        (
            1,
            1,
            (
                "front matter starts with '---' but never ends: "
                "add a line '---' after the last field"
            ),
        )
    ]


def test_a_yaml_error_in_front_matter_points_at_the_file_line():
    _, _, _, errors = split_header("---\ntitle: a\ntitle: b\n---\nBody\n")
    assert len(errors) == 1
    line, _, message = errors[0]
    assert line == 3 and "title" in message


def test_front_matter_that_is_not_key_value_lines():
    _, _, _, errors = split_header("---\n- a\n- b\n---\nBody\n")
    assert errors == [(2, 1, "front matter must be 'key: value' lines")]


def test_body_lines_that_look_like_header_lines_are_found():
    lines = ["Access: members", "Text on.", "", "Later: not checked"]
    assert first_paragraph_keys(lines, 5) == [("Access", "members", 5)]


def test_swedish_clock_in_dates():
    assert swedish_clock("2026-11-02 kl. 18") == "2026-11-02 18:00"
    assert swedish_clock("2026-11-02 18.30") == "2026-11-02 18:30"
    assert swedish_clock("i morgon") == "i morgon"


def test_lists_from_commas_or_yaml():
    assert as_list("a, b,, c ") == ["a", "b", "c"]
    assert as_list(["a", " b"]) == ["a", "b"]
