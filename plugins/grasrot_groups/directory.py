"""The area finder's index: which district group covers which area.

A small static JSON file next to the directory page. The script in
theme/static/js/area-finder.js folds what the reader typed the same way
`fold` does here ("Skärholmen" -> "skarholmen"), so names match with or
without diacritics and in any case.
"""

from __future__ import annotations

import json

from .model import fold

AREA_INDEX_NAME = "omraden.json"


def area_index(groups) -> list[dict]:
    """One entry per area of each district group, sorted by folded name.

    `href` is relative to the directory page (grupper/), so the index works
    under any SITEURL.
    """
    entries = [
        {
            "area": area,
            "key": fold(area),
            "group": group.slug,
            "title": group.title,
            "href": f"{group.slug}/",
        }
        for group in groups
        if group.kind == "district"
        for area in group.areas
    ]
    return sorted(entries, key=lambda entry: (entry["key"], entry["group"]))


def postcode_index(groups) -> list[dict]:
    """One entry per postcode or range of each district group, lowest first."""
    entries = [
        {
            "from": postcodes.first,
            "to": postcodes.last,
            "label": postcodes.label,
            "group": group.slug,
            "title": group.title,
            "href": f"{group.slug}/",
        }
        for group in groups
        if group.kind == "district"
        for postcodes in group.postcodes
    ]
    return sorted(entries, key=lambda entry: (entry["from"], entry["group"]))


def street_index(groups) -> list[dict]:
    """One entry per street of each district group, sorted by folded name."""
    entries = [
        {
            "street": street,
            "key": fold(street),
            "group": group.slug,
            "title": group.title,
            "href": f"{group.slug}/",
        }
        for group in groups
        if group.kind == "district"
        for street in group.streets
    ]
    return sorted(entries, key=lambda entry: (entry["key"], entry["group"]))


def area_index_json(groups) -> str:
    """Deterministic, compact JSON: sorted entries and keys, UTF-8."""
    index = {
        "areas": area_index(groups),
        "postcodes": postcode_index(groups),
        "streets": street_index(groups),
    }
    return (
        json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    )


def area_examples(groups_by_kind) -> list[str]:
    """Two areas from different district groups, for the finder's hint ([] if fewer)."""
    districts = dict(groups_by_kind).get("district", [])
    examples = [group.areas[0] for group in districts if group.areas][:2]
    return examples if len(examples) == 2 else []
