"""Pictures, done properly: `image:` with a required `image_alt:` on posts, pages,
groups and events, responsive sizes in modern formats, cached by content.

- checks every post's and page's `image:`/`image_alt:` (grasrot_core.images);
  groups and events check theirs where they read them;
- Jinja global `picture(path, alt, sizes=…, priority=False, css="")`: the
  <picture> element for a file under content/ (templates use it for the post's
  own picture, list cards, group pages, events and the home page's hero);
  `image_url(path, width)`: one resized file (og:image);
- filter `responsive_images`: pictures in a post's or page's body get the same
  treatment (never in members-only items: their files stay where the members'
  area keeps them);
- at the end of the build, the variants are made (Pillow; only those not cached
  yet) and copied to output/images/r/.
See docs/theme.md, "Pictures".
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

import grasrot_core.state
from grasrot_core import collector, meta_line
from grasrot_core.images import image_problems, normalise_image_path
from grasrot_core.sections import is_protected

from .generator import ImagesGenerator
from .render import DEFAULT_SIZES, picture_html, rewrite_body_images
from .store import ImageSet, ImageStore, store  # noqa: F401


def last_build() -> dict[str, int]:
    """Pictures of the last build: how many were resized anew, how many in all
    (for tests and the benchmark)."""
    build = grasrot_core.state.running()
    images = build.slots.get("images") if build is not None else None
    if images is None:
        return {"processed": 0, "pictures": 0}
    return {
        "processed": images.processed,
        "pictures": sum(1 for s in images.sets.values() if s),
    }


def check_content(content) -> None:
    """A post's or page's `image:` without `image_alt:` (or missing) is a content error."""
    metadata = getattr(content, "metadata", None)
    source = getattr(content, "source_path", None)
    if not metadata or not source or "image" not in metadata:
        return
    settings = content.settings
    for key, message in image_problems(
        metadata.get("image"), metadata.get("image_alt"), settings
    ):
        collector(settings).add(source, meta_line(content, key), 1, message)


def make_globals(settings):
    siteurl = settings.get("SITEURL", "")

    def image_set(path) -> ImageSet | None:
        path = normalise_image_path(path)
        return store(settings).get(path) if path else None

    def picture(path, alt="", sizes=DEFAULT_SIZES, priority=False, css=""):
        found = image_set(path)
        return picture_html(found, alt, siteurl, sizes, priority, css) if found else ""

    def image_url(path, width=1200):
        found = image_set(path)
        return found.url_for_width(width) if found else ""

    def local_src(src):
        for prefix in (f"{siteurl}/", "/") if siteurl else ("/",):
            if src.startswith(prefix):
                return image_set(src[len(prefix) :])
        return None

    @pass_context
    def responsive_images(context, html):
        item = context.get("article") or context.get("page")
        if item is not None and is_protected(item):
            return html
        # Content HTML is the site's own, rendered from Markdown: safe to mark.
        return Markup(
            rewrite_body_images(
                html, local_src, lambda found, alt: picture_html(found, alt, siteurl)
            )
        )

    def item_image(item):
        """(path, alt) of a post's or page's `image:`; None without one, and for
        members-only items (their picture must not become a public file)."""
        metadata = getattr(item, "metadata", None) or {}
        if not metadata.get("image") or is_protected(item):
            return None
        return normalise_image_path(metadata["image"]), str(metadata.get("image_alt") or "")

    return (
        {"picture": picture, "image_url": image_url, "item_image": item_image},
        responsive_images,
    )


def on_generator_init(generator) -> None:
    globals_, body_filter = make_globals(generator.settings)
    generator.env.globals.update(globals_)
    generator.env.filters["responsive_images"] = body_filter


def on_finalized(pelican) -> None:
    images = store(pelican.settings)
    images.write(pelican.settings["OUTPUT_PATH"])


def get_generators(pelican):
    return ImagesGenerator


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core",)
# Plugins it calls while building, listed anywhere in PLUGINS.
USES = ("grasrot_groups",)


def register():
    signals.get_generators.connect(get_generators)
    signals.content_object_init.connect(check_content)
    signals.generator_init.connect(on_generator_init)
    signals.finalized.connect(on_finalized)
