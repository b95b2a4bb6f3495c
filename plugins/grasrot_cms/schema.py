"""The kit's own field lists, per editor collection.

The editor's forms are generated from the lists the build validates with
(grasrot_core.metadata_keys for pages, news and newsletters; the groups' and
the calendar's key lists), so a field added to the kit appears in the editor.
Keys the editor leaves out on purpose are named in NOT_IN_EDITOR with the
reason; tests/test_cms_config.py checks that every key is either a form field
or listed there.
"""

from __future__ import annotations

from grasrot_calendar import parse as calendar
from grasrot_calendar import repeat as calendar_repeat

SECTIONS = ("pages", "news", "newsletters")
# The form shows these first, in this order; the folder's other keys follow.
FORM_ORDER = (
    "title",
    "date",
    "groups",
    "tags",
    "summary",
    "image",
    "image_alt",
    "menu_order",
    "menu_title",
    "home",
    "include_events",
    "status",
)

# Why a key of the kit has no field in the editor.
NOT_IN_EDITOR = {
    "access": "protected content is encrypted and never edited in the browser",
    "slug": "the file name is the slug",
    "id": "the file name is the event's id",
    "rrule": "the expert rule: edit the file by hand (repeat: covers the same)",
    "modified": "the editor's commit records when a file changed",
    "lang": "one language per site (DEFAULT_LANG)",
    "translation": "one language per site (DEFAULT_LANG)",
    "template": "for developers: edit the file by hand",
    "save_as": "for developers: edit the file by hand",
    "url": "for developers: edit the file by hand",
    "author": "posts are signed by the branch",
    "authors": "posts are signed by the branch",
}


def section_keys(section: str, settings) -> tuple[str, ...]:
    """The header keys the build accepts in a content folder, in form order
    (grasrot_core.metadata_keys, plus the branch's GRASROT_EXTRA_METADATA)."""
    from grasrot_core.metadata_keys import ACCEPTED_KEYS, accepted_keys

    accepted = accepted_keys(section, settings)
    listed = ACCEPTED_KEYS[section]
    return (
        *[key for key in FORM_ORDER if key in accepted],
        *[key for key in listed if key not in FORM_ORDER],
        *sorted(accepted - set(listed) - set(FORM_ORDER)),
    )


def collection_keys(settings) -> dict[str, tuple[str, ...]]:
    """Every editor collection's top-level keys, as the build validates them."""
    from grasrot_groups.registry import KNOWN_KEYS as group_keys

    return {
        **{section: section_keys(section, settings) for section in SECTIONS},
        "groups": tuple(group_keys),
        "events": tuple(calendar.EVENT_KEYS),
    }


def nested_keys() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Keys inside a structured field: (collection, field path) -> keys."""
    return {
        ("events", "repeat"): tuple(calendar_repeat.REPEAT_KEYS),
        ("events", "repeat", "pause"): tuple(calendar_repeat.PAUSE_KEYS),
        ("events", "repeat", "changes"): tuple(calendar_repeat.CHANGE_KEYS),
    }
