"""The site's Markdown, set up once for every plugin that turns Markdown into HTML.

Posts and pages (the core reader), group files and calendar descriptions all
follow the same MARKDOWN setting, so an extension a branch adds works
everywhere. The `meta` extension is always left out: the header was already
split off, and `meta` would swallow a first body line such as
"Obs: mötet är flyttat" as metadata.
"""

from __future__ import annotations

from markdown import Markdown

_META = ("markdown.extensions.meta", "meta")
LINE_BREAKS = "markdown.extensions.nl2br"


def markdown_settings(settings, line_breaks: bool = False) -> dict:
    """Keyword arguments for `Markdown(...)` from the site's MARKDOWN setting.

    Every extension with a configuration is loaded, as Pelican loads it;
    `line_breaks` keeps a new line a new line (nl2br)."""
    configured = dict(settings.get("MARKDOWN") or {})
    configs = {
        name: config
        for name, config in (configured.get("extension_configs") or {}).items()
        if name not in _META
    }
    extensions = [
        name for name in (configured.get("extensions") or []) if name not in _META
    ]
    extensions += [name for name in configs if name not in extensions]
    if line_breaks:
        extensions.append(LINE_BREAKS)
    configured["extensions"] = extensions
    configured["extension_configs"] = configs
    return configured


def markdown_renderer(settings, line_breaks: bool = False) -> Markdown:
    """One Markdown converter with the site's settings; reuse it through
    `render_markdown`, since building one loads every extension."""
    return Markdown(**markdown_settings(settings, line_breaks))


def render_markdown(renderer: Markdown, source: str) -> str:
    """`source` as HTML (stripped), with the converter's state reset first."""
    return renderer.reset().convert(source).strip() if source else ""
