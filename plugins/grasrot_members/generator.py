"""Write the protected items, encrypted, after the content gate (generate_output).

Each protected item is rendered with its own theme template exactly as a
public one would be; the inside of <main> is encrypted and the page written
is members/locked.html: the unlock form and the ciphertext, with `noindex`
and no description, OpenGraph or JSON-LD (the template context holds no
article, only the `lock` view). The members' index at medlemmar/ holds one
encrypted list per level.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from itertools import groupby

import lxml.html
from markupsafe import Markup
from pelican.contents import Article
from pelican.generators import Generator

import grasrot_core
from grasrot_core.sections import ADDRESSES, MINUTES

from . import crypto, htaccess, labels, levels, stale
from .state import state_of

LOCKED_TEMPLATE = "members/locked"
INDEX_TEMPLATE = "members/index_content.html"
INDEX_URL = ADDRESSES["members"]
INDEX_SAVE_AS = INDEX_URL + "index.html"
MINUTES_TEMPLATE = "members/minutes"
MINUTES_URL = MINUTES.url
MINUTES_SAVE_AS = MINUTES_URL + "index.html"


@dataclass
class LockView:
    """What members/locked.html shows before the page is opened."""

    heading: str
    payload: Markup
    levels: list
    date: object = None
    is_index: bool = False
    intro: str = ""  # which level the page is for ("Protokollet är bara för styrelsen.")
    wrong: str = ""  # said after "Wrong password" on a page above the lowest level
    preview: bool = False  # locked with MEMBERS_DEV_PASSWORD: a banner says so


class MembersGenerator(Generator):
    def generate_context(self):
        pass  # state is filled by the *_generator_finalized signals (see __init__)

    def generate_output(self, writer):
        state = state_of(self.settings)
        for entry in state.protected:
            key = state.keys.get(entry.level)
            if entry.written and key is not None:
                self.write_locked_item(writer, entry, key)
        for attachment in sorted(state.attachments.values(), key=lambda a: a.url):
            self.write_attachment(attachment, state)
        self.write_index(writer, state)
        self.write_minutes_page(writer, state)
        if self.settings.get("MEMBERS_HTACCESS"):
            state.written |= htaccess.write(self.output_path, state, self.settings)
        stale.remove_stale(
            self.output_path, state, self.settings, self.context.get("staticfiles", ())
        )

    def planned_files(self) -> list[str]:
        """What generate_output writes (for the link checker, before writing)."""
        state = state_of(self.settings)
        files = [
            entry.item.save_as
            for entry in state.protected
            if entry.written and state.keys.get(entry.level) is not None
        ]
        files += [attachment.url for attachment in state.attachments.values()]
        files.append(INDEX_SAVE_AS)
        if MINUTES_SAVE_AS in state.vanished_pages:
            files.append(MINUTES_SAVE_AS)
        return files

    # --- pages ----------------------------------------------------------------

    def write_locked_item(self, writer, entry, key) -> None:
        item = entry.item
        inner = self.render_inner(item)
        state = state_of(self.settings)
        payload = crypto.page_payload(
            key, item.url, inner, via=self.higher_keys(entry.level)
        )
        listing = self.settings.get("MEMBERS_PUBLIC_LISTING", "title")
        _ = grasrot_core.i18n.gettext_for(self.settings)
        show_title = listing == "title" and entry.listed
        lowest = next(iter(levels.configured_levels(self.settings)))
        lock = LockView(
            heading=str(item.title) if show_title else labels.heading(entry.level, _),
            payload=Markup(crypto.payload_json([payload])),
            levels=[entry.level],
            date=getattr(item, "date", None) if show_title else None,
            intro=labels.only_for(entry.level, grasrot_core.content_section(item), _),
            wrong="" if entry.level == lowest else labels.only_password_of(entry.level, _),
            preview=entry.level in state.preview_levels,
        )
        self.write_lock_page(writer, item.save_as, item.url, lock)

    def higher_keys(self, level) -> list:
        """The keys of the levels above `level` that this build has."""
        keys = state_of(self.settings).keys
        return [keys[h] for h in levels.higher_levels(level, self.settings) if h in keys]

    def render_inner(self, item) -> str:
        """The inside of <main> as the theme renders the item for everyone else."""
        _prepare_newsletter(item, self.context)
        kind = "article" if isinstance(item, Article) else "page"
        context = dict(self.context)
        context.update(
            {
                kind: item,
                "category": getattr(item, "category", None),
                "output_file": item.save_as,
                "url": item.url,
                "noindex": True,
            }
        )
        html = main_inner_html(self.get_template(item.template).render(context))
        return self.relink_vanished(html, state_of(self.settings))

    def relink_vanished(self, html: str, state) -> str:
        """A tag or category only protected items had has no page: link to the
        members' area instead (the minutes' category gets its own page below)."""
        siteurl = self.settings.get("SITEURL", "")
        vanished = {
            page_url(save_as) for save_as in state.vanished_pages - {MINUTES_SAVE_AS}
        }
        if not vanished:
            return html

        def relink(match):
            return (
                f'href="{siteurl}/{INDEX_URL}"'
                if match.group(1) in vanished
                else match.group(0)
            )

        return re.sub(f'href="{re.escape(siteurl)}/([^"]*)"', relink, html)

    def write_lock_page(self, writer, save_as, url, lock) -> None:
        writer.write_file(
            save_as,
            self.get_template(LOCKED_TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            lock=lock,
            noindex=True,
            template_name="members_locked",
        )

    # --- attachments ------------------------------------------------------------

    def write_attachment(self, attachment, state) -> None:
        key = state.keys[attachment.level]
        data = attachment_bytes(attachment, self.settings)
        if data is None:  # checked before the gate (plain.report): cannot happen
            raise RuntimeError(f"{attachment.source} could not be opened")
        sealed = crypto.seal_file(key, attachment.url, data)
        target = os.path.join(self.output_path, attachment.url)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(sealed)
        state.written.add(os.path.abspath(target))

    # --- the members' index -----------------------------------------------------

    def write_index(self, writer, state) -> None:
        template = self.env.get_template(INDEX_TEMPLATE)
        payloads, opened = [], []
        order = [
            level
            for level in levels.configured_levels(self.settings)
            if level in state.keys
        ]
        for level in reversed(order):  # the highest level's list first
            listed = [e.item for e in state.protected if e.listed and e.level == level]
            html = template.render(
                dict(self.context, level=level, sections=index_sections(listed))
            )
            payloads.append(
                crypto.page_payload(
                    state.keys[level], INDEX_URL, html, via=self.higher_keys(level)
                )
            )
            opened.append(level)
        _ = grasrot_core.i18n.gettext_for(self.settings)
        lock = LockView(
            heading=_("Members' area"),
            is_index=True,
            levels=opened,
            payload=Markup(crypto.payload_json(payloads)),
            preview=bool(state.preview_levels & set(opened)),
        )
        self.write_lock_page(writer, INDEX_SAVE_AS, INDEX_URL, lock)

    def write_minutes_page(self, writer, state) -> None:
        """protokoll/: a public page with what MEMBERS_PUBLIC_LISTING allows of the
        minutes and a link to the members' area, so the minutes' own category link
        (and anyone trimming a URL) does not end in a 404."""
        if MINUTES_SAVE_AS not in state.vanished_pages:
            return
        writer.write_file(
            MINUTES_SAVE_AS,
            self.get_template(MINUTES_TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=MINUTES_URL,
            noindex=True,
            protected_section="minutes",
            template_name="members_minutes",
        )


def attachment_bytes(attachment, settings) -> bytes | None:
    """An attachment's plain bytes; a sealed one is opened in memory only."""
    if attachment.sealed:
        from .sealed import keyring

        with open(attachment.source, "rb") as handle:
            return keyring(settings).open(handle.read())
    with open(attachment.source, "rb") as handle:
        return handle.read()


@dataclass(frozen=True)
class IndexSection:
    """One part of a level's list: minutes of a year, newsletters, other items."""

    kind: str  # "minutes", "newsletters" or "other"
    year: int | None
    items: list


def index_sections(items) -> list[IndexSection]:
    """Minutes by year (newest first), then members-only newsletters, then the rest."""

    def newest_first(found):
        return sorted(
            found,
            key=lambda i: (
                getattr(i, "date", None) is not None,
                str(getattr(i, "date", "")),
                i.url,
            ),
            reverse=True,
        )

    by_section: dict[str, list] = {}
    for item in items:
        section = grasrot_core.content_section(item)
        kind = section if section in ("minutes", "newsletters") else "other"
        by_section.setdefault(kind, []).append(item)
    sections = []
    minutes = newest_first(by_section.get("minutes", []))
    for year, found in groupby(minutes, key=lambda i: i.date.year):
        sections.append(IndexSection("minutes", year, list(found)))
    for kind in ("newsletters", "other"):
        if by_section.get(kind):
            sections.append(IndexSection(kind, None, newest_first(by_section[kind])))
    return sections


def page_url(save_as: str) -> str:
    """'etikett/x/index.html' -> 'etikett/x/'."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def main_inner_html(html: str) -> str:
    """The children of <main> (or <body>) of a rendered page, as HTML."""
    document = lxml.html.document_fromstring(html)
    found = document.find(".//main")
    if found is None:
        found = document.find(".//body")
    parts = [found.text or ""]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in found]
    return "".join(parts).strip()


def _prepare_newsletter(item, context) -> None:
    """Protected newsletters are out of the lists grasrot_feeds prepares."""
    from grasrot_feeds import newsletters  # listed after members (see USES)

    if newsletters.is_newsletter(item) and not hasattr(item, "sections"):
        newsletters.prepare_newsletter(item, context.get("calendar"), item.settings)
