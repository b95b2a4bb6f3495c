"""The home page's hero and join button, from the settings (no template edits).

    JOIN_URL = "https://exempelpartiet.example.org/bli-medlem/"   # or "bli-medlem/"
    HOME_HERO = {
        "image": "images/torget.png",
        "image_alt": "Medlemmar vid föreningens tält på torget",
        "message": "Lokal politik för hela Ekdala – gör skillnad där du bor.",
    }

JOIN_URL defaults to PARTY_JOIN_URL, the party's national join page. The
message defaults to SITE_TAGLINE; without an image the hero is text only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from grasrot_core.errors import SettingsError
from grasrot_core.images import image_problems, normalise_image_path
from grasrot_core.messages import msg

HERO_KEYS = ("image", "image_alt", "message", "join_text", "more_url", "more_text")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class HeroSettingsError(SettingsError):
    """HOME_HERO or JOIN_URL that the theme cannot use."""


@dataclass(frozen=True)
class Hero:
    message: str
    image: str = ""
    image_alt: str = ""
    join_url: str = ""  # absolute, or relative to SITEURL
    join_external: bool = False
    join_text: str = ""
    more_url: str = ""
    more_text: str = ""


def _link(value) -> tuple[str, bool]:
    text = str(value or "").strip()
    if EXTERNAL.match(text):
        return text, True
    return text.lstrip("/"), False


def build_hero(settings, gettext) -> Hero:
    configured = settings.get("HOME_HERO") or {}
    if not isinstance(configured, dict):
        raise HeroSettingsError(
            msg(
                "HOME_HERO in the settings must be a dict, e.g. {example}.",
                example="{'image': 'images/torget.jpg', 'image_alt': '…'}",
            ),
            settings,
        )
    unknown = sorted(set(configured) - set(HERO_KEYS))
    if unknown:
        raise HeroSettingsError(
            msg(
                "HOME_HERO has unknown key(s) {keys}: use {known}.",
                keys=", ".join(map(repr, unknown)),
                known=", ".join(map(repr, HERO_KEYS)),
            ),
            settings,
        )
    image = normalise_image_path(configured.get("image"))
    if image and not os.path.isfile(os.path.join(settings.get("PATH", "content"), image)):
        image = ""  # a content folder without the picture: a text-only hero
    for _key, message in image_problems(image, configured.get("image_alt"), settings):
        raise HeroSettingsError(
            msg("HOME_HERO in the settings: {problem}", problem=message), settings
        )
    join_url, external = _link(settings.get("JOIN_URL") or settings.get("PARTY_JOIN_URL"))
    more_url, _ = _link(configured.get("more_url"))
    return Hero(
        message=str(configured.get("message") or settings.get("SITE_TAGLINE") or ""),
        image=image,
        image_alt=str(configured.get("image_alt") or ""),
        join_url=join_url,
        join_external=external,
        join_text=str(configured.get("join_text") or gettext("Become a member")),
        more_url=more_url,
        more_text=str(configured.get("more_text") or gettext("Get involved")),
    )
