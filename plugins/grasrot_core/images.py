"""`image:` and `image_alt:` of posts, pages, groups and events: one check for all.

The picture must be a file under one of STATIC_PATHS (content/images/ …) so it is
copied and can be resized; `image_alt:` is required, because a picture without a
text is invisible to a reader who cannot see it. Every plugin that reads these
keys reports what `image_problems` returns at the key's own line.
"""

from __future__ import annotations

import os

from .messages import msg

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")


def normalise_image_path(value) -> str:
    """'/images/a.jpg', '{static}/images/a.jpg' → 'images/a.jpg'."""
    text = str(value or "").strip()
    for prefix in ("{static}", "{attach}", "|static|"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.lstrip("/")


def image_problems(image, image_alt, settings) -> list[tuple[str, str]]:
    """(key, message) for each problem with a pair of `image:`/`image_alt:` values."""
    path = normalise_image_path(image)
    if not path:
        return []
    problems: list[tuple[str, str]] = []
    static = [p.strip("/") + "/" for p in settings.get("STATIC_PATHS") or ["images"]]
    if not path.lower().endswith(IMAGE_SUFFIXES):
        problems.append(
            (
                "image",
                msg(
                    "'image: {path}' is not a picture: use a .jpg, .png, "
                    ".webp or .svg file from content/images/.",
                    path=path,
                ),
            )
        )
    elif not any(path.startswith(folder) for folder in static) or not os.path.isfile(
        os.path.join(settings.get("PATH", "content"), path)
    ):
        problems.append(
            (
                "image",
                msg(
                    "image '{path}' is not in the content folder's images: "
                    "put the file in content/images/ and write "
                    "'image: images/<file name>'.",
                    path=path,
                ),
            )
        )
    if not str(image_alt or "").strip():
        problems.append(
            (
                "image",
                msg(
                    "'image: {path}' needs 'image_alt:', a short text that "
                    "says what the picture shows, e.g. 'image_alt: Tre "
                    "medlemmar delar ut flygblad på torget'.",
                    path=path,
                ),
            )
        )
    return problems
