"""Check every link an officer wrote against the files the build will write.

Runs before the gate, so a broken link is a content error like any other,
reported at the line of the source file where the link was written:

    content/news/x.md:12:5: the link '/kalendr/' leads nowhere. Did you mean '/kalender/'?

Checked: root-relative links ('/kalender/'), links relative to the page
('../bli-medlem/'), full links inside the site's own address, Pelican's
`{filename}`, `{static}` and `{attach}` links, and #anchors on the page itself
or on another page or post. Links to protected pages are allowed (their
addresses exist; the page asks for the password).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import grasrot_core
from grasrot_core.messages import msg

LINK = re.compile(
    r"<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\s(?P<attr>href|src)\s*=\s*"
    r"(?P<quote>[\"'])(?P<value>.*?)(?P=quote)",
    re.DOTALL,
)
ID = re.compile(r"""\s(?:id|name)\s*=\s*["']([^"'{}]+)["']""")
INTRASITE = re.compile(r"^[{|](?P<what>[a-z]+)[|}](?P<path>.*)$")
SEALED = ".age"  # grasrot_members: protected sources sealed in git
SKIPPED_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "javascript:", "webcal:")


@dataclass
class LinkSource:
    """One text with links: a page, a post, a group's page, an event's description."""

    source_path: str
    url: str  # the page's own address, 'om-oss/'
    html: str
    relative_source: str = ""  # under content/, for {filename} links
    first_line: int = 1  # where to start looking for the written link
    ids: set = field(default_factory=set)
    protected: bool = False  # files linked beside it are encrypted, not copied


class SiteLinks:
    """What exists: output files, page addresses, anchors, content files."""

    def __init__(self, files, sources, content_path, template_ids, drafts=()):
        self.files = set(files)
        self.pages = {_page_of(path) for path in self.files}
        self.anchors = {
            source.url: source.ids | template_ids
            for source in sources
            if source.relative_source
        }
        self.template_ids = template_ids
        self.by_source = {s.relative_source: s for s in sources if s.relative_source}
        self.drafts = set(drafts)
        self.content_path = content_path

    def target(self, path: str) -> str | None:
        """The page address a path leads to, or None ('kalender' finds 'kalender/')."""
        path = unquote(path).lstrip("/")
        for candidate in (path, path + "/" if path and not path.endswith("/") else None):
            if candidate is not None and (
                candidate in self.pages or candidate in self.files
            ):
                return candidate
        return None


def check_links(link_sources, site: SiteLinks, settings) -> None:
    errors = grasrot_core.collector(settings)
    address = grasrot_core.site_address(settings)
    for source in link_sources:
        seen: dict[str, int] = {}
        for written in _written_links(source.html):
            message = _problem(written, source, site, address)
            if message:
                index = seen[written] = seen.get(written, -1) + 1
                line, col = _position(source, written, index)
                errors.add(source.source_path, line, col, message)


def _written_links(text: str) -> list[str]:
    return [html.unescape(m.group("value")).strip() for m in LINK.finditer(text or "")]


def _problem(written: str, source: LinkSource, site: SiteLinks, address: str) -> str | None:
    if not written or written.startswith(SKIPPED_SCHEMES):
        return None
    intrasite = INTRASITE.match(written)
    if intrasite:
        return _intrasite_problem(written, intrasite, source, site)
    parts = urlsplit(written)
    if parts.scheme or written.startswith("//"):
        inside = (address and written.startswith(address + "/")) or written == address
        if not inside:
            return None  # another site: not ours to check
        path = written[len(address) :]
        return _path_problem(
            written, urlsplit(path), source, site, style="absolute", address=address
        )
    if written.startswith("#"):
        return _anchor_problem(written, source.url, parts.fragment, site)
    if written.startswith("/"):
        return _path_problem(written, parts, source, site, style="root")
    beside = _file_beside(written, parts, source, site)
    if beside and source.protected:
        return None  # an attachment: the members' plugin encrypts it
    resolved = urlsplit(urljoin("/" + source.url, written))
    problem = _path_problem(written, resolved, source, site, style="relative")
    if problem and beside:
        return msg(
            "the link '{written}' leads nowhere on the site: the file lies beside "
            "this one in content/, so write '{{static}}{written}'.",
            written=written,
        )
    return problem


def _file_beside(written, parts, source: LinkSource, site: SiteLinks) -> bool:
    """A plain relative link to a file next to the Markdown file."""
    if not source.relative_source or not parts.path:
        return False
    relative = _content_relative(parts.path, source)
    return _is_file(os.path.join(site.content_path, relative), source)


def _path_problem(written, parts, source, site, style, address="") -> str | None:
    target = site.target(parts.path)
    if target is None:
        return _nowhere(written, parts.path, site, style, source, address)
    if parts.fragment:
        return _anchor_problem(written, target, parts.fragment, site)
    return None


def _anchor_problem(written: str, page: str, fragment: str, site: SiteLinks) -> str | None:
    known = site.anchors.get(page)
    anchor = unquote(fragment)
    if known is None or not anchor or anchor in known:
        return None  # a page the kit builds: its anchors come from templates
    shown = ", ".join(f"#{a}" for a in sorted(known - site.template_ids)[:8])
    listed = msg(" Anchors on that page: {shown}.", shown=shown) if shown else ""
    return msg(
        "the link '{written}' leads to a place that does not exist: the page has no "
        "'#{anchor}'.{hint}{listed}",
        written=written,
        anchor=anchor,
        hint=grasrot_core.did_you_mean("#" + anchor, ["#" + a for a in known]),
        listed=listed,
    )


def _nowhere(written, path, site, style, source, address) -> str:
    wanted = unquote(path).lstrip("/")
    choices = sorted(site.pages)
    suggestion = grasrot_core.did_you_mean(wanted, choices, cutoff=0.6)
    if suggestion:
        close = suggestion.split("'")[1]
        shown = {"root": "/" + close, "absolute": f"{address}/{close}"}.get(
            style, _relative_to(source.url, close)
        )
        suggestion = (
            msg(" Did you mean '{word}'?", word=shown)
            if shown not in ("", "./", ".")
            else ""
        )
    return msg(
        "the link '{written}' leads nowhere.{suggestion}",
        written=written,
        suggestion=suggestion,
    )


def _relative_to(page: str, target: str) -> str:
    base = os.path.dirname(page.rstrip("/")) if not page.endswith("/") else page.rstrip("/")
    relative = os.path.relpath("/" + target, "/" + base) if base else target
    return relative + ("/" if target.endswith("/") and not relative.endswith("/") else "")


def _intrasite_problem(written, match, source: LinkSource, site: SiteLinks) -> str | None:
    what, value = match.group("what"), match.group("path")
    parts = urlsplit(value)
    if what not in ("filename", "static", "attach"):
        return None  # {index}, {category}, {tag}, {author}: Pelican builds those
    relative = _content_relative(parts.path, source)
    full = os.path.join(site.content_path, relative)
    if what == "filename":
        if relative in site.drafts:
            return msg(
                "the link '{written}' leads to a draft, which is never published: "
                "publish it (remove 'Status: draft') or remove the link.",
                written=written,
            )
        linked = site.by_source.get(relative)
        if linked is None:
            if os.path.isfile(full):
                return msg(
                    "the link '{written}' points to a file, not a page or post: "
                    "write '{{static}}{value}'.",
                    written=written,
                    value=value,
                )
            return _missing_file(written, relative, site, list(site.by_source))
        if parts.fragment:
            return _anchor_problem(written, linked.url, parts.fragment, site)
        return None
    if not _is_file(full, source):
        return _missing_file(written, relative, site, _content_files(site.content_path))
    return None


def _is_file(full: str, source: LinkSource) -> bool:
    """A file in content/; beside a protected item it may be sealed (`bilaga.pdf.age`)."""
    return os.path.isfile(full) or (source.protected and os.path.isfile(full + SEALED))


def _missing_file(written, relative, site, choices) -> str:
    suggestion = grasrot_core.did_you_mean(relative, choices, cutoff=0.6)
    return msg(
        "the link '{written}' leads nowhere: there is no content/{relative}.{suggestion}",
        written=written,
        relative=relative,
        suggestion=suggestion,
    )


def _content_relative(path: str, source: LinkSource) -> str:
    path = unquote(path)
    if path.startswith("/"):
        return os.path.normpath(path.lstrip("/")).replace(os.sep, "/")
    folder = os.path.dirname(source.relative_source)
    return os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")


def _content_files(content_path: str) -> list[str]:
    found = []
    for directory, _dirs, names in os.walk(content_path):
        for name in names:
            found.append(
                os.path.relpath(os.path.join(directory, name), content_path).replace(
                    os.sep, "/"
                )
            )
    return found


def _page_of(path: str) -> str:
    """'kalender/index.html' -> 'kalender/'; other files keep their path."""
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def _position(source: LinkSource, written: str, index: int) -> tuple[int, int]:
    """Line and column of the `index`-th place the link was written in the source."""
    try:
        with open(source.source_path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return source.first_line, 1
    found = 0
    for number, line in enumerate(lines, start=1):
        if number < source.first_line:
            continue
        start = line.find(written)
        while start >= 0:
            if found == index:
                return number, _link_start(line, start) + 1
            found += 1
            start = line.find(written, start + 1)
    return source.first_line, 1


def _link_start(line: str, href_at: int) -> int:
    """Where a Markdown link `[text](href)` begins, so the column points at it."""
    if line[:href_at].endswith("]("):
        bracket = line.rfind("[", 0, href_at)
        if bracket >= 0:
            return bracket
    return href_at


def ids_in(text: str) -> set[str]:
    return {match.group(1) for match in ID.finditer(text or "")}


def template_ids(theme_path: str) -> set[str]:
    """Fixed ids the theme puts on every page (#main, #content …)."""
    found: set[str] = set()
    for directory, _dirs, names in os.walk(os.path.join(theme_path, "templates")):
        for name in names:
            if name.endswith(".html"):
                with open(os.path.join(directory, name), encoding="utf-8") as handle:
                    found |= ids_in(handle.read())
    return found
