"""Postcodes and streets a district group covers, for the "which group is mine?" finder.

    postcodes: 163 45, 163 40–163 59, 16460-16469
    streets: Storgatan, Norrbyvägen

A Swedish postcode is five digits, written "163 45" or "16345"; a range is two
of them joined by a dash (– or -). Streets are matched without house numbers,
case or diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grasrot_core.messages import msg

POSTCODE = re.compile(r"^(\d{3})\s?(\d{2})$")
RANGE = re.compile(r"^(?P<first>\d{3}\s?\d{2})\s*[–—-]\s*(?P<last>\d{3}\s?\d{2})$")
EXAMPLE = "'postcodes: 163 45, 163 40–163 59'"


class BadPostcode(ValueError):
    pass


@dataclass(frozen=True)
class PostcodeRange:
    first: int
    last: int

    @property
    def label(self) -> str:
        """'163 45' or '163 40–163 59', as the post office writes them."""
        first = _shown(self.first)
        return first if self.first == self.last else f"{first}–{_shown(self.last)}"

    def overlaps(self, other: PostcodeRange) -> bool:
        return self.first <= other.last and other.first <= self.last


def parse_postcodes(item) -> PostcodeRange:
    """'163 45' or '163 40–163 59' -> PostcodeRange; raises BadPostcode."""
    written = " ".join(str(item).split())
    single = POSTCODE.match(written)
    if single:
        number = int("".join(single.groups()))
        return PostcodeRange(number, number)
    span = RANGE.match(written)
    if not span:
        raise BadPostcode(
            msg(
                "'{written}' is not a postcode: write five digits ('163 45') "
                "or a range ('163 40–163 59'), e.g. {example}.",
                written=written,
                example=EXAMPLE,
            )
        )
    first, last = (int(span.group(key).replace(" ", "")) for key in ("first", "last"))
    if last < first:
        raise BadPostcode(
            msg(
                "the range '{written}' ends before it begins: write the lower "
                "postcode first.",
                written=written,
            )
        )
    return PostcodeRange(first, last)


def _shown(number: int) -> str:
    digits = f"{number:05d}"
    return f"{digits[:3]} {digits[3:]}"
