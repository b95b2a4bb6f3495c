"""Synthetic calendar files for benchmarks: many events, some recurring series.

    from grasrot_calendar.sample import write_sample_calendar
    write_sample_calendar("/tmp/bench/content", events=3000, series=50)

The content folder also needs `groups/` with the named groups (copy the
example's). Output is deterministic: the same arguments give the same files.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

EXAMPLE_GROUPS = ("centrum", "norra-ekdala", "soderasen", "klimatnatverket",
                  "omsorgsnatverket", "stadsodling")
SERIES_RULES = (
    ("week", "tuesday"), ("month", "first tuesday"), ("month", "15"),
    ("week", "[monday, thursday]"), ("month", "last thursday"),
)


def write_sample_calendar(content_path, events: int = 3000, series: int = 50,
                          groups=EXAMPLE_GROUPS,
                          first_day: date = date(2026, 1, 1)) -> list[str]:
    """Write `events` events (the first `series` of them recurring) spread over
    `groups` and two years from `first_day`; return the files written."""
    folder = os.path.join(str(content_path), "calendar")
    os.makedirs(folder, exist_ok=True)
    blocks: dict[str, list[str]] = {group: [] for group in groups}
    for number in range(events):
        group = groups[number % len(groups)]
        blocks[group].append(_event(number, first_day + timedelta(days=(number * 7) % 730),
                                    number < series))
    written = []
    for group, items in blocks.items():
        path = os.path.join(folder, f"{group}.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("events:\n" + "".join(items))
        written.append(path)
    return written


def _event(number: int, day: date, recurring: bool) -> str:
    lines = [
        f"  - id: handelse-{number}",
        f"    title: Möte nummer {number}",
        f'    start: "{day} 18:30"',
        '    end: "20:00"',
        "    location: Folkets hus, Storgatan 12",
        "    categories: [Möte]",
        "    description: Vi går igenom *dagordningen* och fikar efteråt.",
    ]
    if recurring:
        every, on = SERIES_RULES[number % len(SERIES_RULES)]
        lines += ["    repeat:", f"      every: {every}", f"      on: {on}",
                  f"      until: {day.year + 1}-12-31"]
    return "\n".join(lines) + "\n"
