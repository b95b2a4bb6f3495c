"""Files that belong to protected items: found, re-linked, encrypted, never copied.

An attachment is a file (not a content file) linked from a protected item's
text, with `{attach}`, `{static}`, `{filename}` or a plain relative link, that
lives beside the item's Markdown file (or anywhere under content/minutes/).
Files in the public folders (images/, files/) stay public links. A link to
`bilaga.pdf` finds a sealed `bilaga.pdf.age`, opened in memory when written.

The link in the item's HTML is rewritten before anything renders it: the
encrypted copy gets an opaque name under medlemmar/filer/, and members.js
decrypts it into a download (links) or a picture (images) in the browser.
Pelican never sees a link to the plain file, and static_generator_finalized
drops the plain file from what Pelican copies.
"""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urlsplit

from grasrot_core.sections import ADDRESSES

from .crypto import opaque_name

FILES_FOLDER = ADDRESSES["members"] + "filer"
SEALED_SUFFIX = ".age"  # `{attach}bilaga.pdf` finds a sealed bilaga.pdf.age
PROTECTED_FOLDERS = ("minutes",)
CONTENT_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm")
_LINK = re.compile(
    r"(?P<open><(?P<tag>a|img)\b[^>]*?\s)(?P<attr>href|src)\s*=\s*"
    r"(?P<quote>[\"'])(?P<value>.*?)(?P=quote)",
    re.IGNORECASE | re.DOTALL,
)
_INTRASITE = re.compile(r"^[{|](?P<what>attach|static|filename)[|}](?P<path>.*)$")


@dataclass(frozen=True)
class Attachment:
    source: str  # absolute path of the plain file
    relative: str  # posix path under content/
    url: str  # where the encrypted copy is written, relative to the site
    level: str
    sealed: bool = False  # source is `<relative>.age`, opened in memory when written

    @property
    def name(self) -> str:
        return os.path.basename(self.relative)

    @property
    def mime(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def resolve(item, value: str, settings) -> str | None:
    """The content-relative path a link points to, if it is a local non-content file."""
    intrasite = _INTRASITE.match(value)
    target = intrasite.group("path") if intrasite else value
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or target.startswith("#"):
        return None
    path = unquote(parts.path)
    base = settings["PATH"]
    if path.startswith("/"):
        candidate = os.path.join(base, path.lstrip("/"))
    else:  # relative to the item's own file, as Pelican resolves {attach}
        candidate = os.path.join(os.path.dirname(item.source_path), path)
    full = os.path.abspath(candidate)
    exists = os.path.isfile(full) or os.path.isfile(full + SEALED_SUFFIX)
    if not full.startswith(os.path.abspath(base) + os.sep) or not exists:
        return None
    if full.lower().endswith(CONTENT_EXTENSIONS):
        return None
    return os.path.relpath(full, os.path.abspath(base)).replace(os.sep, "/")


def belongs_to(item, relative: str, settings) -> bool:
    """Beside the item's own file, or in an always-protected folder."""
    own = os.path.relpath(
        os.path.dirname(os.path.abspath(item.source_path)),
        os.path.abspath(settings["PATH"]),
    ).replace(os.sep, "/")
    top = relative.split("/", 1)[0]
    return top in PROTECTED_FOLDERS or (
        own not in (".", "") and relative.startswith(own + "/")
    )


def rewrite(item, key, settings) -> list[Attachment]:
    """Re-link the item's attachments to their encrypted copies; returns them."""
    found: dict[str, Attachment] = {}
    siteurl = settings.get("SITEURL", "")

    def replace(match):
        relative = resolve(item, match.group("value"), settings)
        if relative is None or not belongs_to(item, relative, settings):
            return match.group(0)
        name = opaque_name(key, "file\n" + relative, 20)
        plain = os.path.join(os.path.abspath(settings["PATH"]), relative)
        sealed = os.path.isfile(plain + SEALED_SUFFIX)  # the sealed copy wins
        attachment = found.get(relative) or Attachment(
            source=plain + SEALED_SUFFIX if sealed else plain,
            sealed=sealed,
            relative=relative,
            level=key.level,
            url=f"{FILES_FOLDER}/{name}.bin",
        )
        found[relative] = attachment
        return match.group("open") + _attributes(
            match.group("tag").lower(), attachment, siteurl
        )

    # `_content`: the HTML Pelican keeps (its `content` property is read-only).
    item._content = _LINK.sub(replace, item._content or "")
    _forget_rendered_content(item)
    return list(found.values())


def _attributes(tag: str, attachment: Attachment, siteurl: str) -> str:
    common = (
        f'data-grasrot-type="{escape(attachment.mime)}" '
        f'data-grasrot-name="{escape(attachment.name)}"'
    )
    if tag == "img":  # no src: the picture appears once members.js decrypts it
        return f'data-grasrot-src="{escape(attachment.url)}" {common}'
    return (
        f'href="{escape(siteurl)}/{escape(attachment.url)}" '
        f'data-grasrot-file="{escape(attachment.url)}" {common}'
    )


def _forget_rendered_content(item) -> None:
    """Pelican memoizes get_content in one dict shared by all objects, keyed by
    (object, siteurl); drop a copy made before the rewrite. (A key lookup, not
    a scan: scanning that dict for every item made big sites quadratic.)"""
    for klass in type(item).__mro__:
        memo = klass.__dict__.get("get_content")
        cache = getattr(memo, "cache", None)
        if isinstance(cache, dict):
            cache.pop((item, item.get_siteurl()), None)


def other_static_links(item, settings) -> set[str]:
    """Files beside the item that Pelican would still copy: {attach}/{static}
    links this module does not re-link (e.g. <video src>). They stay unlinked
    rather than public."""
    try:
        links = item.get_static_links()
    except Exception:  # an item without text or a path: nothing to copy
        return set()
    return {link for link in links if belongs_to(item, link, settings)}
