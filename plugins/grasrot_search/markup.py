"""The `search` Jinja global: Pagefind's data attributes, named in the site's language.

Templates say what a page is (`search.body("news")`); the filter names and
values readers see in the search page's filters ("Typ: nyhet", "Grupp: Centrum")
come from the gettext catalogs, so the templates hold no wording.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from grasrot_core.i18n import gettext_for

from .paths import base_path

# Kind of page -> the English msgid of the label shown as its filter value.
KIND_LABELS = {
    "news": "news item",
    "newsletters": "newsletter",
    "pages": "page",
    "group": "group",
    "event": "event",
}


class SearchMarkup:
    def __init__(self, settings):
        self._ = gettext_for(settings)
        self.base_url = base_path(settings)

    def _filter(self, name_msgid: str) -> str:
        return self._(name_msgid).lower()

    def body(self, kind: str) -> Markup:
        """Attributes for the element holding a page's indexable main content."""
        label = self._(KIND_LABELS[kind])
        return Markup('data-pagefind-body data-pagefind-filter="{}:{}"').format(
            self._filter("kind"), escape(label))

    def group(self) -> Markup:
        """On an element whose text is a group's name: the group filter."""
        return Markup('data-pagefind-filter="{}"').format(self._filter("group"))

    def date(self) -> Markup:
        """On an element whose text is the date shown under a result."""
        return Markup('data-pagefind-meta="{}"').format(self._filter("date"))

    @staticmethod
    def ignore() -> Markup:
        """On a box inside the main content that must not be indexed."""
        return Markup("data-pagefind-ignore")
