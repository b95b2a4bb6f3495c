"""The kit's own field lists, per editor collection.

The editor's forms are generated from these lists, the same ones the build
validates with (the calendar's and the groups' key lists), so a field added to
the kit appears in the editor. Keys the editor leaves out on purpose are named
in NOT_IN_EDITOR with the reason; tests/test_cms_config.py checks that every
key is either a form field or listed there.
"""

from __future__ import annotations

from grasrot_calendar import parse as calendar

# Metadata keys of pages, news posts and newsletters, by content folder.
SECTION_KEYS = {
    "pages": ("title", "summary", "menu_order", "menu_title", "home", "status",
              "image", "image_alt", "access"),
    "news": ("title", "date", "groups", "tags", "summary", "image", "image_alt",
             "status", "access"),
    "newsletters": ("title", "date", "include_events", "summary", "image", "image_alt",
                    "status", "access"),
}

# Why a key of the kit has no field in the editor.
NOT_IN_EDITOR = {
    "access": "protected content is encrypted and never edited in the browser",
    "slug": "the file name is the slug",
    "id": "the file name is the event's id",
    "rrule": "the expert rule: edit the file by hand (repeat: covers the same)",
}


def collection_keys() -> dict[str, tuple[str, ...]]:
    """Every editor collection's top-level keys, as the kit validates them."""
    from grasrot_groups.registry import KNOWN_KEYS as group_keys

    return {**SECTION_KEYS, "groups": tuple(group_keys),
            "events": tuple(calendar.EVENT_KEYS)}


def nested_keys() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Keys inside a structured field: (collection, field path) -> keys."""
    return {
        ("events", "repeat"): tuple(calendar.REPEAT_KEYS),
        ("events", "repeat", "pause"): tuple(calendar.PAUSE_KEYS),
        ("events", "repeat", "changes"): tuple(calendar.CHANGE_KEYS),
    }
