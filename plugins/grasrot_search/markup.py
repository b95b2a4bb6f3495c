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
    """Plain strings only, translated once: the preview's caches key pages by
    what templates read, so nothing here may change from build to build."""

    def __init__(self, settings):
        _ = gettext_for(settings)
        self.base_url = base_path(settings)
        self.kind_filter = _("kind").lower()
        self.group_filter = _("group").lower()
        self.date_meta = _("date").lower()
        self.kind_labels = {kind: _(msgid) for kind, msgid in KIND_LABELS.items()}

    def body(self, kind: str) -> Markup:
        """Attributes for the element holding a page's indexable main content."""
        return Markup('data-pagefind-body data-pagefind-filter="{}:{}"').format(
            self.kind_filter, escape(self.kind_labels[kind])
        )

    def group(self) -> Markup:
        """On an element whose text is a group's name: the group filter."""
        return Markup('data-pagefind-filter="{}"').format(self.group_filter)

    def date(self) -> Markup:
        """On an element whose text is the date shown under a result."""
        return Markup('data-pagefind-meta="{}"').format(self.date_meta)

    @staticmethod
    def ignore() -> Markup:
        """On a box inside the main content that must not be indexed."""
        return Markup("data-pagefind-ignore")
