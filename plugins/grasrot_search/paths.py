"""Where search results point: the site's base path under any SITEURL."""

from __future__ import annotations

from urllib.parse import urlsplit


def base_path(settings) -> str:
    """The path part of SITEURL with a trailing slash ("/" at a domain's root).

    Results are stored site-root-relative ("/nyheter/x/"); Pagefind's UI puts
    this in front, so a site under https://owner.github.io/repo finds /repo/….
    """
    path = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
    return path + "/"
