"""Gräsrot groups: group pages, the group directory and its area finder.

`content/groups/<slug>.md` describes one group (a district group, a network or
an interest group). The plugin

- parses and validates the group files once per build (`registry(settings)`,
  which other plugins use to check the group slugs their content names);
- checks every post's and page's `groups:` against it, and gives each group
  its recent news;
- exposes the groups to every template (`groups`, `group_nav_links`);
- writes grupper/ (directory with the "which group is mine?" finder),
  grupper/<slug>/ and the finder's index grupper/omraden.json.

See docs/groups.md for the fields and settings.
"""

from __future__ import annotations

import functools
import logging

from markupsafe import Markup, escape
from pelican import signals

from .generator import GroupsGenerator
from .model import KIND_HEADINGS, KIND_LABELS, KINDS, Group, Person  # noqa: F401
from .references import check_group_references, collect_news
from .registry import GroupRegistry, registry  # noqa: F401 (the shared API)

logger = logging.getLogger(__name__)

GROUPS_IN_CHOICES = ("menu", "footer", "none")


def group_nav_links(settings) -> list[Group]:
    """The groups the theme lists in its menu or footer, as GROUPS_IN says.

    District groups first, then networks, then interest groups, each by title;
    empty when GROUPS_IN is "none".
    """
    where = settings.get("GROUPS_IN", "footer")
    if where not in GROUPS_IN_CHOICES:
        logger.warning(
            "GROUPS_IN is %r: use one of %s; showing groups in the footer.",
            where,
            ", ".join(GROUPS_IN_CHOICES),
        )
    if where == "none":
        return []
    return sorted(registry(settings).groups, key=lambda group: group.sort_key)


class GroupNavItems:
    """The `<li>` lines of groups/links.html, made once per build, not per page.

    Every page lists every group in its footer (GROUPS_IN = "footer"): a Jinja
    loop over all groups on each of ~10,000 pages would repeat the same work on
    every page. `group_nav_items(SITEURL)` returns exactly what the loop writes
    (every value escaped, as autoescape does).
    """

    def __init__(self, groups):
        self.items = tuple(
            (str(escape(group.url)), str(escape(group.title))) for group in groups
        )

    def __call__(self, siteurl) -> Markup:
        return _nav_items(self.items, str(escape(siteurl)))


@functools.lru_cache(maxsize=64)
def _nav_items(items: tuple, siteurl: str) -> Markup:
    return Markup(
        "".join(
            f'    <li><a href="{siteurl}/{url}">{title}</a></li>\n' for url, title in items
        )
    )


def add_template_globals(generator) -> None:
    """generator_init: every template may list or look up the groups."""
    groups = registry(generator.settings)
    links = group_nav_links(generator.settings)
    generator.env.globals.update(
        groups=groups.groups,
        groups_by_slug={group.slug: group for group in groups.groups},
        group_nav_links=links,
    )
    generator.env.globals["group_nav_items"] = GroupNavItems(links)


def get_generators(_pelican):
    return GroupsGenerator


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core",)


def register():
    signals.generator_init.connect(add_template_globals)
    signals.content_object_init.connect(check_group_references)
    signals.all_generators_finalized.connect(collect_news)
    signals.get_generators.connect(get_generators)
