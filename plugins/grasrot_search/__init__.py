"""Gräsrot search: a Pagefind index of the public pages and the search page /sok/.

- index.py: after every page is written (`finalized`), feed Pagefind exactly the
  public HTML files the sitemap lists, and only the parts templates mark with
  `data-pagefind-body`; protected pages, their stubs, the members' index, 404,
  drafts, hidden items and feeds are never in that list.
- markup.py: the `search` Jinja global that templates use to mark their main
  content, their kind and group filters and the date shown with a result.
- The generator writes `sok/` from `theme/templates/search.html`; Pagefind's own
  UI and index load only there. The header's search field is a plain GET form.

See docs/search.md.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from grasrot_core import csp
from grasrot_core.sections import ADDRESSES

from .index import BUNDLE_DIR, FIXED_BUNDLE_FILES, write_index
from .markup import SearchMarkup

SEARCH_SAVE_AS = "sok/index.html"
SEARCH_URL = ADDRESSES["search"]


class SearchPageGenerator(Generator):
    """Writes the search page in generate_output, after the content gate."""

    def generate_context(self):
        pass

    def planned_files(self) -> set[str]:
        """For the link checker: the search page and the index's fixed files.

        The index's other files are named after their content, known only once
        Pagefind has read the written pages (`finalized`); nothing links to
        them but Pagefind's own script."""
        bundle = self.settings.get("SEARCH_BUNDLE_DIR", BUNDLE_DIR)
        language = self.settings.get("DEFAULT_LANG", "sv")
        fixed = (*FIXED_BUNDLE_FILES, f"wasm.{language}.pagefind")
        return {
            self.settings.get("SEARCH_SAVE_AS", SEARCH_SAVE_AS),
            *(f"{bundle}/{name}" for name in fixed),
        }

    def generate_output(self, writer):
        writer.write_file(
            self.settings.get("SEARCH_SAVE_AS", SEARCH_SAVE_AS),
            self.get_template("search"),
            self.context,
            self.settings.get("RELATIVE_URLS", False),
            url=self.settings.get("SEARCH_URL", SEARCH_URL),
            noindex=True,
            content_security_policy=search_page_policy(csp.policy(self.settings)),
        )


def search_page_policy(policy: str) -> str:
    """The site's policy, letting the search page alone compile WebAssembly.

    Pagefind searches with WebAssembly, which CSP blocks unless script-src has
    'wasm-unsafe-eval'; that allows no eval of JavaScript and no inline script.
    """
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    scripts = [i for i, d in enumerate(directives) if d.split()[0] == "script-src"]
    if scripts:
        directives[scripts[0]] += " 'wasm-unsafe-eval'"
    else:
        directives.append("script-src 'self' 'wasm-unsafe-eval'")
    return "; ".join(directives)


def get_generators(pelican):
    return SearchPageGenerator


def install_globals(generator) -> None:
    """generator_init: `search` (markup helpers) and `SEARCH_URL` in every template."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["search"] = SearchMarkup(generator.settings)
        env.globals.setdefault(
            "SEARCH_URL", generator.settings.get("SEARCH_URL", SEARCH_URL)
        )


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_feeds")


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_globals)
    signals.finalized.connect(write_index)
