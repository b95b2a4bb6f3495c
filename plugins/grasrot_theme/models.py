"""What the theme's templates show, computed once per build: the main menu,
the home page's sections and the labels of Pelican's categories."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grasrot_core import content_section
from grasrot_core.i18n import gettext_for
from grasrot_core.sections import NEWS, NEWSLETTERS, SECTIONS, page_path

HOME_NEWS_COUNT = 4
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str  # relative to SITEURL ("om-oss/"), or an absolute address
    external: bool = False

    def is_current(self, output_file) -> bool:
        """True on the page the item points to (`output_file` of the page rendered)."""
        return not self.external and page_path(output_file) == self.url

    def is_section(self, output_file) -> bool:
        """True inside the item's section (a news post under nyheter/)."""
        here = page_path(output_file)
        return (
            not self.external
            and bool(self.url)
            and here != self.url
            and here.startswith(self.url)
        )


def _order(page):
    raw = page.metadata.get("menu_order")
    try:
        return (float(str(raw).strip()), str(page.title))
    except ValueError:
        return (float("inf"), str(page.title))


def is_home_intro(page) -> bool:
    value = page.metadata.get("home")
    return value is True or str(value).strip().lower() in {"true", "yes", "ja", "1"}


def menu_items(pages, settings) -> list[MenuItem]:
    """Pages with `menu_order:` (by that number), then MENUITEMS."""
    _ = gettext_for(settings)
    items = []
    for page in sorted(
        (
            p
            for p in pages
            if p.metadata.get("menu_order") not in (None, "") and not is_home_intro(p)
        ),
        key=_order,
    ):
        title = page.metadata.get("menu_title") or page.title
        items.append(MenuItem(str(title), page.url))
    for entry in settings.get("MENUITEMS") or ():
        title, link = entry[0], str(entry[1])
        external = bool(EXTERNAL.match(link))
        # Titles pass through gettext: ("Calendar", "kalender/") reads
        # "Kalender" on a Swedish site; any other title is shown as written.
        url = link if external else link.lstrip("/")
        items.append(MenuItem(_(str(title)), url, external))
    return items


@dataclass
class Home:
    """The home page's sections (index.html, page 1)."""

    intro: object = None  # a page with `home: true`, or None
    news: list = field(default_factory=list)
    newsletter: object = None
    news_url: str = NEWS.url
    newsletters_url: str = NEWSLETTERS.url


def home_model(articles, pages, settings) -> Home:
    count = int(settings.get("HOME_NEWS_COUNT", HOME_NEWS_COUNT))
    news = [a for a in articles if content_section(a) == NEWS.name]
    letters = [a for a in articles if content_section(a) == NEWSLETTERS.name]
    intro = next((p for p in pages if is_home_intro(p)), None)
    home = Home(intro=intro, news=news[:count], newsletter=letters[0] if letters else None)
    for items, attribute in ((news, "news_url"), (letters, "newsletters_url")):
        if items and getattr(items[0], "category", None) is not None:
            setattr(home, attribute, items[0].category.url)
    return home


def category_labels(settings) -> dict:
    """Display names of the sections' categories, by slug ("nyheter") and by
    folder name ("news")."""
    _ = gettext_for(settings)
    labels = {}
    for section in SECTIONS:
        if section.posts:
            labels[section.slug] = labels[section.name] = _(section.label)
    return labels


_TABLE = re.compile(r"<table\b(.*?)</table>", re.S | re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def wrap_tables(html, label: str) -> str:
    """Put each <table> of a post or page in a box that scrolls sideways on its own
    (keyboard-reachable, named by the table's caption or `label`), so a wide table
    never makes the whole page scroll on a phone."""
    from markupsafe import Markup, escape

    text = str(html or "")
    if "<table" not in text.lower():
        return html

    def box(match):
        caption = _CAPTION.search(match.group(0))
        name = _TAGS.sub("", caption.group(1)).strip() if caption else ""
        return (
            f'<div class="table-scroll" tabindex="0" role="region" '
            f'aria-label="{escape(name or label)}">{match.group(0)}</div>'
        )

    return Markup(_TABLE.sub(box, text))
