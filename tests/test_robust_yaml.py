"""Hostile YAML fails at once with file:line; numbers with leading zeros stay text."""

from __future__ import annotations

import icalendar
from conftest import write
from helpers import invoke, tiny_site


def alias_bomb(indent: str) -> str:
    lines = [f"{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        items = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"{indent}a{level}: &a{level} [{items}]")
    return "\n".join(lines) + "\n"


def assert_one_line_error(result, path, line, words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    wanted = f"{path}:{line}:" if line else f"{path}:"
    hits = [text for text in result.stderr.splitlines() if text.startswith(wanted)]
    assert hits, result.stderr
    for word in words:
        assert word in hits[0], hits[0]


def test_alias_bomb_in_calendar_and_front_matter_is_refused_at_once(tmp_path):
    content = tiny_site(tmp_path)
    calendar = write(
        content / "calendar" / "ekdala.yaml",
        "anchors:\n" + alias_bomb("  ") + "events:\n  - id: bomb\n"
        '    title: Bomb\n    start: "2026-12-01 18:00"\n'
        "    categories: *a9\n",
    )
    post = write(
        content / "news" / "bomb.md",
        "---\ntitle: Bomb\ndate: 2026-11-02\n" + alias_bomb("") + "tags: *a9\n---\nText.\n",
    )
    for command in (
        ["check", "--content", str(content)],
        ["build", "--content", str(content), "--output", str(tmp_path / "output")],
    ):
        result = invoke(*command)
        assert_one_line_error(result, calendar, None, ["alias (*namn) upprepar", "10000"])
        assert_one_line_error(result, post, None, ["alias (*namn) upprepar", "10000"])
    assert not (tmp_path / "output").exists()


def test_deep_nesting_is_refused_with_its_line(tmp_path):
    content = tiny_site(tmp_path)
    calendar = write(
        content / "calendar" / "ekdala.yaml",
        "events:\n  - id: deep\n    title: Djup\n"
        '    start: "2026-12-01 18:00"\n'
        "    categories: " + "[" * 10_000 + "]" * 10_000 + "\n",
    )
    post = write(
        content / "news" / "deep.md",
        "---\ntitle: Djup\ndate: 2026-11-02\ntags: "
        + "[" * 10_000
        + "]" * 10_000
        + "\n---\nText.\n",
    )
    result = invoke("check", "--content", str(content))
    assert_one_line_error(result, calendar, 5, ["i mer än 50 nivåer"])
    assert_one_line_error(result, post, 4, ["i mer än 50 nivåer"])


def test_leading_zeros_stay_text(tmp_path):
    content = tiny_site(tmp_path)
    write(
        content / "calendar" / "ekdala.yaml",
        'events:\n  - id: 012\n    title: 0100\n    start: "2026-12-01 18:00"\n'
        "    location: 0735\n",
    )
    output = tmp_path / "output"
    result = invoke("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(
        (output / "kalender" / "ics" / "alla.ics").read_bytes()
    )
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["uid"]).startswith("012@")
    assert str(event["summary"]) == "0100"
    assert str(event["location"]) == "0735"
    assert (output / "kalender" / "ekdala" / "012" / "index.html").is_file()


def test_unclosed_quote_points_at_the_quote(tmp_path):
    content = tiny_site(tmp_path)
    calendar = write(
        content / "calendar" / "ekdala.yaml",
        'events:\n  - id: mote\n    title: "Möte\n'
        '    start: "2026-12-01 18:00"\n    end: "20:00"\n',
    )
    result = invoke("check", "--content", str(content))
    assert_one_line_error(result, calendar, 3, ["citattecknet stängs aldrig"])
    assert "indraget" not in result.stderr  # no indentation hint (sv site)
