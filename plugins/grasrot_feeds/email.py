"""`invoke newsletter-email <slug>`: the e-mail edition of a newsletter.

The newsletter goes through the real Pelican build (in check-only mode, so
nothing is written to the site) with publishconf.py: the Markdown is rendered
exactly as on the site, the calendar's events are the site's, and content
errors are reported as in any build. The result is two files ready to paste
into the branch's mail tool:

- <slug>.html: table layout, CSS inlined into style="" (css-inline), no
  <style>, no stylesheet link, no script, every link absolute;
- <slug>.txt: the same letter as plain text, every link kept as "text (url)".
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import css_inline
import lxml.html
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

from grasrot_core import CHECK_ONLY_KEY, CheckComplete
from grasrot_core.errors import ContentErrorsFound
from grasrot_core.plaintext import html_to_text

from . import newsletters
from .urls import absolute, absolutize_html, site_base_url

SETTINGS_FILE = "publishconf.py"
TEMPLATE = "newsletters/email.html"


class _Capture:
    """Keeps the generators and every newsletter a build made (also protected ones)."""

    def __init__(self):
        self.generators = None
        self.newsletters = []

    def on_content(self, content):
        if newsletters.is_newsletter(content):
            self.newsletters.append(content)

    def on_finalized(self, generators):
        self.generators = generators


def read_site(root: Path, scratch: str):
    """Run the build up to the content gate; returns (capture, error message or None)."""
    settings = read_settings(
        str(root / SETTINGS_FILE),
        override={
            "PATH": str(root / "content"),
            "OUTPUT_PATH": os.path.join(scratch, "output"),
            "CACHE_PATH": os.path.join(scratch, "cache"),
            "LOAD_CONTENT_CACHE": False,
            "DELETE_OUTPUT_DIRECTORY": False,
            CHECK_ONLY_KEY: True,
        },
    )
    capture = _Capture()
    signals.content_object_init.connect(capture.on_content, weak=False)
    signals.all_generators_finalized.connect(capture.on_finalized, weak=False)
    try:
        Pelican(settings).run()
    except CheckComplete:
        return capture, None
    except ContentErrorsFound as found:
        return capture, str(found)
    finally:
        signals.content_object_init.disconnect(capture.on_content)
        signals.all_generators_finalized.disconnect(capture.on_finalized)
    return capture, "the build did not reach the content gate: is grasrot_core in PLUGINS?"


def find_newsletter(candidates, slug: str):
    """By slug, or by file name without .md (what officers see in content/;
    a sealed `x.md.age` answers to `x` too)."""
    for article in candidates:
        name = Path(article.source_path).name
        stem = Path(name[: -len(".age")] if name.endswith(".age") else name).stem
        if slug in (article.slug, stem):
            return article
    return None


def render_html(article, generator) -> str:
    """The e-mail HTML: rendered with the site's Jinja environment, then inlined."""
    settings = generator.settings
    base = site_base_url(settings)
    if not hasattr(article, "sections"):  # a protected newsletter the lists no longer hold
        newsletters.prepare_newsletter(article, generator.context.get("calendar"), settings)
    page_url = absolute(article.url, settings)
    context = dict(generator.context)
    context.update(
        SITEURL=base,
        article=article,
        output_file=article.save_as,
        email_content=absolutize_html(article.get_content(base), page_url),
    )
    html = generator.env.get_template(TEMPLATE).render(context)
    document = lxml.html.document_fromstring(html)
    document.make_links_absolute(page_url, resolve_base_href=False)
    html = "<!doctype html>\n" + lxml.html.tostring(document, encoding="unicode")
    inliner = css_inline.CSSInliner(
        keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False
    )
    return inliner.inline(html)


def write_email_edition(root: Path, slug: str, output_dir: Path) -> int:
    """Write <slug>.html and <slug>.txt into output_dir; 0 on success (exit code)."""
    root, output_dir = Path(root), Path(output_dir)
    with tempfile.TemporaryDirectory(prefix="grasrot-email-") as scratch:
        capture, problem = read_site(root, scratch)
        if problem:
            print(problem, file=sys.stderr)
            return 1
        article = find_newsletter(capture.newsletters, slug)
        if article is None:
            known = sorted(a.slug for a in capture.newsletters)
            print(
                f"No newsletter '{slug}' in content/newsletters/. "
                f"Newsletters: {', '.join(known) or 'none'}.",
                file=sys.stderr,
            )
            return 1
        generator = next(g for g in capture.generators if isinstance(g, ArticlesGenerator))
        html = render_html(article, generator)
    output_dir.mkdir(parents=True, exist_ok=True)
    html_path, text_path = (
        output_dir / f"{article.slug}.html",
        output_dir / f"{article.slug}.txt",
    )
    html_path.write_text(html, encoding="utf-8")
    text_path.write_text(html_to_text(html), encoding="utf-8")
    print(f"Wrote {html_path} and {text_path}")
    return 0
