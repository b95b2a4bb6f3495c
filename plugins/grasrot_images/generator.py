"""The pictures a build will write, known before anything is written (the link
checker compares its plan with the output): every public post's and page's
`image:` and body pictures, the groups', the events' and the home page's hero."""

from __future__ import annotations

import re

from pelican.generators import Generator

import grasrot_groups
from grasrot_core.images import normalise_image_path
from grasrot_core.sections import is_protected

from .store import store

BODY_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']""", re.I)
BODY_MARKDOWN = re.compile(r"""!\[[^\]]*\]\(\s*<?([^)\s>]+)""")


def body_pictures(item, siteurl) -> list[str]:
    """Pictures under the site that a post's or page's text shows."""
    text = getattr(item, "_content", "") or ""
    found = []
    for src in BODY_SRC.findall(text) + BODY_MARKDOWN.findall(text):
        if siteurl and src.startswith(siteurl + "/"):
            src = src[len(siteurl) :]
        if src.startswith(("/", "{static}", "{attach}", "|static|")):
            found.append(normalise_image_path(src))
    return found


class ImagesGenerator(Generator):
    """Plans the pictures; the files are made and copied when the build ends."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        pass

    def _pictures(self) -> list[str]:
        items = [
            *self.context.get("articles", []),
            *self.context.get("pages", []),
            *self.context.get("hidden_pages", []),
        ]
        siteurl = self.settings.get("SITEURL", "")
        paths = []
        for item in items:
            if is_protected(item):
                continue
            paths.append(normalise_image_path((item.metadata or {}).get("image")))
            paths.extend(body_pictures(item, siteurl))
        paths.extend(self._groups_and_events())
        hero = self.settings.get("HOME_HERO")
        if isinstance(hero, dict):
            paths.append(normalise_image_path(hero.get("image")))
        return [p for p in paths if p]

    def _groups_and_events(self) -> list[str]:
        paths = []
        paths += [g.image for g in grasrot_groups.registry(self.settings).groups]
        calendar = self.context.get("calendar")
        paths += [getattr(e, "image", "") for e in getattr(calendar, "events", None) or []]
        return paths

    def planned_files(self) -> list[str]:
        """Every variant of every picture this build shows (see module docstring)."""
        images = store(self.settings)
        files = []
        for path in self._pictures():
            image_set = images.get(path)
            if image_set is not None:
                files += [v.url for v in image_set.variants]
        return files
