"""Colour arithmetic for the brand: WCAG 2.x relative luminance and contrast,
and the readable variants the theme derives from a branch's two colours."""

from __future__ import annotations

import re

WHITE = "#ffffff"
NEAR_BLACK = "#1a1a1a"
# The page backgrounds in main.css; derived colours are checked against them.
LIGHT_BACKGROUND = WHITE
DARK_BACKGROUND = "#16181b"
# Boxes and the footer (--surface): links must read there too.
LIGHT_SURFACE = "#f4f5f3"
DARK_SURFACE = "#212429"
AA_NORMAL = 4.5  # WCAG 2.x AA, normal-size text

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse(value) -> tuple[int, int, int] | None:
    """'#1d5e3a' or '#fff' → (29, 94, 58); None when it is not a hex colour."""
    match = _HEX.match(str(value).strip()) if value is not None else None
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def to_hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def normalise(value) -> str:
    return to_hex(_rgb(value))


def _rgb(value) -> tuple[int, int, int]:
    rgb = parse(value)
    if rgb is None:
        raise ValueError(value)
    return rgb


def luminance(value) -> float:
    """WCAG relative luminance of a hex colour (0 black … 1 white)."""

    def channel(c: int) -> float:
        share = c / 255
        return share / 12.92 if share <= 0.04045 else ((share + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    """WCAG contrast ratio, 1.0 … 21.0."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(value, target, amount: float) -> str:
    """`amount` (0…1) of the way from `value` to `target`."""
    a, b = _rgb(value), _rgb(target)
    return to_hex(x + (y - x) * amount for x, y in zip(a, b, strict=True))


def readable_on(background, preferred=None) -> str:
    """`preferred` if it reaches AA on `background`, else white or near-black,
    whichever contrasts more."""
    if preferred and parse(preferred) and contrast(preferred, background) >= AA_NORMAL:
        return normalise(preferred)
    light, dark = contrast(WHITE, background), contrast(NEAR_BLACK, background)
    return WHITE if light >= dark else NEAR_BLACK


def text_variant(value, background, ratio: float = AA_NORMAL) -> str:
    """The colour itself if it reads as text on `background`, else the nearest
    shade (towards black on light backgrounds, towards white on dark ones) that does."""
    value = normalise(value)
    if contrast(value, background) >= ratio:
        return value
    towards = "#000000" if luminance(background) > 0.5 else WHITE
    for step in range(1, 21):
        candidate = mix(value, towards, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return towards
