"""<picture> markup for an ImageSet: modern formats first, a fallback <img> with
srcset, sizes, width and height (no layout shift), lazy loading below the fold
and a high fetch priority for the picture that is the page's largest paint."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import Markup, escape

from .store import MIME

# Most pictures stand in the text column (42rem) or a card.
DEFAULT_SIZES = "(min-width: 44rem) 42rem, 100vw"


def picture_html(
    image_set, alt, siteurl="", sizes=DEFAULT_SIZES, priority=False, css=""
) -> Markup:
    alt = escape(alt or "")
    loading = ' fetchpriority="high"' if priority else ' loading="lazy"'
    size = (
        f' width="{image_set.width}" height="{image_set.height}"'
        if image_set.width and image_set.height
        else ""
    )
    css_attr = f' class="{escape(css)}"' if css else ""
    if not image_set.variants:  # an SVG or GIF, used as it is
        return Markup(
            f'<img{css_attr} src="{siteurl}/{escape(image_set.path)}" alt="{alt}"'
            f'{size}{loading} decoding="async">'
        )
    sources = "".join(
        f'<source type="{MIME[fmt]}" srcset="{image_set.srcset(fmt, siteurl)}" '
        f'sizes="{escape(sizes)}">'
        for fmt in image_set.formats
        if fmt != image_set.fallback
    )
    img = (
        f'<img src="{siteurl}/{image_set.src}" '
        f'srcset="{image_set.srcset(image_set.fallback, siteurl)}" sizes="{escape(sizes)}" '
        f'alt="{alt}"{size}{loading} decoding="async">'
    )
    return Markup(f"<picture{css_attr}>{sources}{img}</picture>")


class _ImgAttributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes = {}

    def handle_starttag(self, tag, attrs):
        self.attributes = dict(attrs)

    handle_startendtag = handle_starttag


IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)


def rewrite_body_images(html, image_for, render) -> str:
    """Each <img> whose src is one of the site's pictures becomes a <picture>.

    `image_for(src)` gives the ImageSet (or None to leave the tag as it is);
    `render(image_set, alt)` the markup."""

    def replace(match):
        parser = _ImgAttributes()
        parser.feed(match.group(0))
        src = parser.attributes.get("src") or ""
        image_set = image_for(src)
        if image_set is None:
            return match.group(0)
        return str(render(image_set, parser.attributes.get("alt") or ""))

    return IMG_TAG.sub(replace, str(html))
