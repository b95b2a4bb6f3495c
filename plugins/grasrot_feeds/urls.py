"""Absolute URLs for places read away from the site: feeds, e-mail, sitemap, OpenGraph.

A feed reader or a mail client has no page to resolve `/nyheter/` against, so
everything that leaves the site carries the full address. The address is
FEED_DOMAIN (publishconf sets it to SITEURL), else SITEURL.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urljoin, urlsplit

import lxml.html

from grasrot_core import site_address

logger = logging.getLogger(__name__)

FALLBACK_BASE = "http://localhost:8000"
LINK_ATTRIBUTES = ("href", "src")


def is_absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def site_base_url(settings) -> str:
    """'https://ekdala.example.org' (no trailing slash), for links leaving the site."""
    address = site_address(settings)
    if address:
        return address
    logger.warning(
        "Neither FEED_DOMAIN nor SITEURL is an absolute address; "
        "feeds and e-mail link to %s",
        FALLBACK_BASE,
    )
    return FALLBACK_BASE


def absolute(url: str, settings) -> str:
    """A site path such as 'nyheter/x/' (or '/nyheter/x/') as a full address.

    Paths may hold å, ä, ö ('vår-politik/'); they are percent-encoded, as
    sitemaps and feed readers require.
    """
    if is_absolute(url):
        return url
    path = quote(url.lstrip("/"), safe="/#?=&%:~+")
    return f"{site_base_url(settings)}/{path}"


def absolutize_html(html: str, base_url: str) -> str:
    """Rewrite every relative link (href, src, …) of an HTML fragment against `base_url`.

    `base_url` is the address of the page the fragment belongs to, so both
    '/kalender/' and '../bild.jpg' resolve as a browser on that page would.
    """
    if not html or not html.strip():
        return html or ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    # Only href and src: lxml's make_links_absolute also parses every style
    # attribute as CSS, which made feeds of big sites several times slower.
    for element in wrapper.iter():
        for attribute in LINK_ATTRIBUTES:
            value = element.get(attribute) if isinstance(element.tag, str) else None
            if value is not None:
                element.set(attribute, urljoin(base_url, value.strip()))
    inner = lxml.html.tostring(wrapper, encoding="unicode")
    return inner[len("<div>") : -len("</div>")]
