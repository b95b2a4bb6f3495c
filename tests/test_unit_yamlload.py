"""The YAML loader on its own, without building a site: no YAML 1.1 traps, positions,
and limits that stop hostile files at once."""

from __future__ import annotations

import pytest

from grasrot_core import yamlload
from grasrot_core.yamlload import YamlFloat, YamlList, YamlMap, YamlSyntaxError, source_text

pytestmark = pytest.mark.unit


def test_clock_times_dates_and_yes_no_stay_text():
    data = yamlload.load("start: 18:30\ndate: 2026-03-15\nopen: no\nzip: 01234\n")
    assert data == {"start": "18:30", "date": "2026-03-15", "open": "no", "zip": "01234"}


def test_yaml_12_core_types_are_still_typed():
    data = yamlload.load("a: true\nb: false\nc: null\nd: 42\ne: 2.5\n")
    assert data == {"a": True, "b": False, "c": None, "d": 42, "e": 2.5}
    assert type(data["d"]) is int


def test_a_decimal_number_remembers_how_it_was_written():
    value = yamlload.load("end: 21.00\n")["end"]
    assert isinstance(value, YamlFloat) and value == 21.0
    assert source_text(value) == "21.00"
    assert source_text("text") == "text"


def test_maps_and_lists_know_where_each_key_and_item_stood():
    data = yamlload.load("title: Möte\nitems:\n  - a\n  - b\n")
    assert isinstance(data, YamlMap) and isinstance(data["items"], YamlList)
    assert data.key_pos["title"] == (1, 1)
    assert data.pos("title") == (1, 8)
    assert data["items"].pos(1) == (4, 5)
    assert data["items"].pos(9) == (data["items"].line, data["items"].col)


def test_a_key_written_twice_is_an_error_with_its_line():
    with pytest.raises(YamlSyntaxError) as caught:
        yamlload.load("title: a\ntitle: b\n")
    assert caught.value.line == 2
    assert "title" in caught.value.message


def test_an_unquoted_colon_gets_a_hint_to_quote():
    with pytest.raises(YamlSyntaxError) as caught:
        yamlload.load("title: Möte: budget\n")
    assert caught.value.line == 1
    assert "must be quoted" in caught.value.message


def test_tabs_get_a_hint_to_indent_with_spaces():
    with pytest.raises(YamlSyntaxError) as caught:
        yamlload.load("a:\n\tb: 1\n")
    assert "spaces, not tabs" in caught.value.message


def test_nesting_deeper_than_the_limit_is_refused():
    deep = "a: " + "[" * (yamlload.MAX_DEPTH + 5) + "]" * (yamlload.MAX_DEPTH + 5) + "\n"
    with pytest.raises(YamlSyntaxError):
        yamlload.load(deep)
    shallow = "a: " + "[" * 5 + "]" * 5 + "\n"
    assert yamlload.load(shallow) == {"a": [[[[[]]]]]}


def test_an_alias_bomb_is_refused_before_it_expands():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    with pytest.raises(YamlSyntaxError) as caught:
        yamlload.load("\n".join(lines) + "\n")
    assert "aliases" in caught.value.message


def test_a_small_alias_still_works():
    data = yamlload.load("base: &b {room: Salen}\nevent: *b\n")
    assert data["event"] == {"room": "Salen"}


def test_an_empty_document_is_none():
    assert yamlload.load("") is None
