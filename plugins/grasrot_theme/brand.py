"""The branch's look, computed once from the settings: colours as CSS custom
properties, the logo and favicon, and the contrast check.

Templates only print `brand.css`, `brand.logo_url` …; every decision is here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from grasrot_core.errors import SettingsError
from grasrot_core.messages import msg

from . import colors

DEFAULT_COLORS = {
    "primary": "#1d5e3a",
    "secondary": "#f2c14e",
}
# (text, background) pairs of BRAND_COLORS that the theme puts on top of each other.
CHECKED_PAIRS = (("on_primary", "primary"), ("on_secondary", "secondary"))
FAVICON_IN_CONTENT = "extra/favicon.svg"
FAVICON_URL = "favicon.svg"
LOGO_HEIGHT = 48
# Links on the dark page get a little more than AA: thin text on dark reads worse.
DARK_TEXT_RATIO = 5.5


NUMBER = r"[-\d.]+"
VIEWBOX = (
    r"viewBox\s*=\s*[\"']\s*"
    + NUMBER
    + r"[\s,]+"
    + NUMBER
    + r"[\s,]+([\d.]+)[\s,]+([\d.]+)"
)
SVG_SIZE = (
    r"<svg[^>]*?\swidth\s*=\s*[\"']([\d.]+)[^>]*?"
    r"\sheight\s*=\s*[\"']([\d.]+)"
)


class BrandSettingsError(SettingsError):
    """A setting the theme cannot use (e.g. a colour that is not a hex colour)."""


@dataclass
class ContrastProblem:
    text_key: str
    background_key: str
    text: str
    background: str
    ratio: float

    def message(self) -> str:
        return msg(
            "BRAND_COLORS: '{text_key}' {text} on '{background_key}' {background} has "
            "a contrast of {ratio}:1; WCAG AA needs {needed}:1 for text. Pick a darker "
            "or lighter '{text_key}' (or remove it and the theme chooses white or black).",
            text_key=self.text_key,
            text=self.text,
            background_key=self.background_key,
            background=self.background,
            ratio=f"{self.ratio:.2f}",
            needed=colors.AA_NORMAL,
        )


@dataclass
class Brand:
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    # Readable variants for text and borders on the light and dark page.
    primary_light: str
    on_primary_light: str
    primary_dark: str
    on_primary_dark: str
    logo_url: str = ""
    logo_width: int | None = None
    logo_height: int = LOGO_HEIGHT
    favicon_url: str = ""
    problems: list = field(default_factory=list)  # ContrastProblem
    notes: list = field(default_factory=list)  # other non-fatal findings (str)

    @property
    def css(self) -> str:
        """The custom properties for an inline <style> (one main.css serves every brand)."""
        props = {
            "brand-primary": self.primary,
            "brand-on-primary": self.on_primary,
            "brand-secondary": self.secondary,
            "brand-on-secondary": self.on_secondary,
            "primary-light": self.primary_light,
            "on-primary-light": self.on_primary_light,
            "primary-dark": self.primary_dark,
            "on-primary-dark": self.on_primary_dark,
        }
        return ":root{" + ";".join(f"--{k}:{v}" for k, v in props.items()) + "}"


def _color(settings, configured: dict, key: str, default=None):
    value = configured.get(key)
    if value in (None, ""):
        return default
    rgb = colors.parse(value)
    if rgb is None:
        raise BrandSettingsError(
            msg(
                "BRAND_COLORS['{key}'] = {value} in the settings: write a hex colour "
                "such as '#1d5e3a' (or '#fff').",
                key=key,
                value=repr(value),
            ),
            settings,
        )
    return colors.to_hex(rgb)


def brand_colors(settings) -> dict:
    configured = settings.get("BRAND_COLORS") or {}
    if not isinstance(configured, dict):
        raise BrandSettingsError(
            msg(
                "BRAND_COLORS in the settings must be a dict, e.g. {example}.",
                example="{'primary': '#1d5e3a', 'secondary': '#f2c14e'}",
            ),
            settings,
        )
    unknown = set(configured) - {"primary", "on_primary", "secondary", "on_secondary"}
    if unknown:
        raise BrandSettingsError(
            msg(
                "BRAND_COLORS has unknown key(s) {keys}: use 'primary', "
                "'on_primary', 'secondary' and 'on_secondary'.",
                keys=", ".join(sorted(map(repr, unknown))),
            ),
            settings,
        )
    return {
        "primary": _color(settings, configured, "primary", DEFAULT_COLORS["primary"]),
        "secondary": _color(settings, configured, "secondary", DEFAULT_COLORS["secondary"]),
        "on_primary": _color(settings, configured, "on_primary"),
        "on_secondary": _color(settings, configured, "on_secondary"),
    }


def contrast_problems(settings) -> list[ContrastProblem]:
    """The configured (text, background) pairs that fail WCAG AA (4.5:1)."""
    chosen = brand_colors(settings)
    problems = []
    for text_key, background_key in CHECKED_PAIRS:
        text, background = chosen[text_key], chosen[background_key]
        if text is None:
            continue  # not configured: the theme picks a readable one
        ratio = colors.contrast(text, background)
        if ratio < colors.AA_NORMAL:
            problems.append(
                ContrastProblem(text_key, background_key, text, background, ratio)
            )
    return problems


def _svg_width(path: str, height: int) -> int | None:
    """Width for `height` from an SVG's viewBox (or width/height attributes)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    box = re.search(VIEWBOX, head)
    if box:
        w, h = float(box.group(1)), float(box.group(2))
    else:
        sizes = re.search(SVG_SIZE, head)
        if not sizes:
            return None
        w, h = float(sizes.group(1)), float(sizes.group(2))
    return round(height * w / h) if h else None


def resolve_logo(settings) -> tuple[str, int | None, list[str]]:
    """SITE_LOGO: a path under content/ (e.g. images/logo.svg, copied as it is),
    else the same path under theme/static/ (the kit's own logo); '' for none."""
    logo = (settings.get("SITE_LOGO") or "").strip().lstrip("/")
    if not logo:
        return "", None, []
    if re.match(r"^[a-z]+:", logo):
        return (
            "",
            None,
            [
                msg(
                    "SITE_LOGO = {logo}: use a file in content/ (e.g. "
                    "'images/logo.svg'); the site makes no requests to other hosts.",
                    logo=repr(logo),
                )
            ],
        )
    in_content = os.path.join(settings.get("PATH", "content"), logo)
    in_theme = os.path.join(settings.get("THEME", "theme"), "static", logo)
    if os.path.isfile(in_content):
        found, url = in_content, logo
    elif os.path.isfile(in_theme):
        found, url = in_theme, f"{settings.get('THEME_STATIC_DIR', 'theme')}/{logo}"
    else:
        return (
            "",
            None,
            [
                msg(
                    "SITE_LOGO = {logo}: no such file under content/ or "
                    "theme/static/; the header shows the name only.",
                    logo=repr(logo),
                )
            ],
        )
    width = _svg_width(found, LOGO_HEIGHT) if logo.lower().endswith(".svg") else None
    return url, width, []


def resolve_favicon(settings) -> str:
    """favicon.svg when content/extra/favicon.svg exists, else the theme's."""
    if os.path.isfile(os.path.join(settings.get("PATH", "content"), FAVICON_IN_CONTENT)):
        return FAVICON_URL
    return f"{settings.get('THEME_STATIC_DIR', 'theme')}/images/favicon.svg"


def surface(settings_colors: dict, key: str, notes: list) -> tuple[str, str]:
    """(background, text) for a brand colour used as a background.

    A configured `on_<key>` is kept as it is (the contrast check reports it when it
    fails). Otherwise white or near-black, whichever reads better; when neither
    reaches AA on a mid-tone colour, the background is shaded just enough."""
    background, text = settings_colors[key], settings_colors[f"on_{key}"]
    if text is not None:
        return background, text
    text = colors.readable_on(background)
    if colors.contrast(text, background) >= colors.AA_NORMAL:
        return background, text
    shaded = colors.text_variant(background, text)
    notes.append(
        msg(
            "BRAND_COLORS: neither white nor black text reaches "
            "{needed}:1 on '{key}' {background}, so the theme uses "
            "{shaded} behind text instead. Set 'on_{key}' to keep {background}.",
            needed=colors.AA_NORMAL,
            key=key,
            background=background,
            shaded=shaded,
        )
    )
    return shaded, text


def build_brand(settings) -> Brand:
    chosen = brand_colors(settings)
    primary = chosen["primary"]
    # Checked against the page's boxes (--surface), which contrast a little less
    # than the page itself.
    primary_light = colors.text_variant(primary, colors.LIGHT_SURFACE)
    primary_dark = colors.text_variant(primary, colors.DARK_SURFACE, DARK_TEXT_RATIO)
    logo_url, logo_width, notes = resolve_logo(settings)
    header, on_header = surface(chosen, "primary", notes)
    secondary, on_secondary = surface(chosen, "secondary", notes)
    return Brand(
        primary=header,
        on_primary=on_header,
        secondary=secondary,
        on_secondary=on_secondary,
        primary_light=primary_light,
        on_primary_light=colors.readable_on(primary_light, chosen["on_primary"]),
        primary_dark=primary_dark,
        on_primary_dark=colors.readable_on(primary_dark),
        logo_url=logo_url,
        logo_width=logo_width,
        favicon_url=resolve_favicon(settings),
        problems=contrast_problems(settings),
        notes=notes,
    )
