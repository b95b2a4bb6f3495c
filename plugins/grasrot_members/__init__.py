"""Gräsrot members: protected minutes and members-only posts on a static site.

Everything under content/minutes/, and any page or post with `access: <level>`,
is encrypted at build time (AES-256-GCM, PBKDF2 600,000) and opened in the
reader's browser with the level's password (theme/static/js/members.js).

- levels.py: levels, passwords from the environment, fail-closed errors;
- protect.py: removes protected items from every Pelican list, before any
  other plugin or template sees them;
- attachments.py: files beside protected items, encrypted, never copied plain;
- crypto.py: the deterministic envelope format;
- generator.py: writes locked pages, the members' index (medlemmar/) and
  encrypted files in generate_output, and removes stale plain copies;
- htaccess.py: optional Apache second layer (MEMBERS_HTACCESS).

Templates get `protected_items` (public stubs, as MEMBERS_PUBLIC_LISTING
allows) for partials/protected_list.html. See docs/members.md.
"""

from __future__ import annotations

import os

from pelican import signals

import grasrot_core
from grasrot_core.errors import SettingsError
from grasrot_core.messages import msg
from grasrot_core.sections import ADDRESSES, ARTICLE_LISTS, PAGE_LISTS

from . import attachments, htaccess, levels, plain, protect, remember, sealed, sealing
from .crypto import derive_level_key, opaque_name
from .state import (  # noqa: F401 (ProtectedStub: what `protected_items` holds)
    LISTING_CHOICES,
    MembersState,
    ProtectedStub,
    running_state,
    state_of,
)

PLUGIN_NAME = "grasrot_members"


def active(settings) -> bool:
    """Pelican's signals are process-wide: a build without this plugin in
    PLUGINS (a test, a benchmark) must not be touched by an earlier one's."""
    return any(
        str(p).rsplit(".", 1)[-1] == PLUGIN_NAME for p in settings.get("PLUGINS") or ()
    )


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if not active(settings):
        return
    listing = settings.get("MEMBERS_PUBLIC_LISTING", "title")
    if listing not in LISTING_CHOICES:
        raise SettingsError(
            msg(
                "MEMBERS_PUBLIC_LISTING = {value} in the settings; use one of {choices}.",
                value=repr(listing),
                choices=", ".join(LISTING_CHOICES),
            ),
            settings,
        )
    levels.check_settings(settings)
    htaccess.check_settings(settings)
    remember.days(settings)  # a bad value stops the build here
    remember.announce_shared_origin(settings)


def on_readers_init(readers) -> None:
    if active(readers.settings):
        sealed.on_readers_init(readers)


def on_generator_init(generator) -> None:
    if active(generator.settings):
        sealed.on_generator_init(generator)
    env = getattr(generator, "env", None)
    if env is not None and active(generator.settings):
        env.globals["protected_items"] = state_of(generator.settings).stubs
        env.globals["members_area_url"] = ADDRESSES["members"]
        env.globals["members_key_storage"] = remember.storage(generator.settings)
        env.globals["members_remember_days"] = remember.days(generator.settings)


def on_articles_pretaxonomy(generator) -> None:
    """Before Pelican builds categories, tags, authors and archives."""
    if active(generator.settings):
        state_of(generator.settings).pagination_bases |= protect.taxonomy_pages(
            generator.articles
        )
    _protect(generator, ARTICLE_LISTS)


def on_articles_finalized(generator) -> None:
    """List pages only protected articles made: stale.py and generator.py use them."""
    if active(generator.settings):
        state = state_of(generator.settings)
        state.vanished_pages |= state.pagination_bases - _list_pages(generator)


def on_pages_finalized(generator) -> None:
    _protect(generator, PAGE_LISTS)


def _protect(generator, lists) -> None:
    settings = generator.settings
    if not active(settings):
        return
    state = state_of(settings)
    found = protect.classify(generator, lists)
    protect.remove(generator, lists, found)
    _derive_keys(found, state, settings)
    for entry in found:
        key = state.keys.get(entry.level)
        if key is None or not entry.written:
            continue
        if settings.get("MEMBERS_PUBLIC_LISTING") == "none":
            _hide_slug(entry.item, key)
        for attachment in attachments.rewrite(entry.item, key, settings):
            state.attachments[(attachment.level, attachment.relative)] = attachment
    for entry in found:  # {attach}/{static} in other tags (video, audio): never copied
        state.blocked |= attachments.other_static_links(entry.item, settings)
    # A sealed attachment has no plain file for Pelican's static generator to read.
    links = generator.context.get("static_links")
    if isinstance(links, set):
        links -= {a.relative for a in state.attachments.values() if a.sealed}
    state.protected.extend(found)
    state.refresh_stubs(settings)


def _derive_keys(found, state, settings) -> None:
    """One key derivation per level per build, for levels written items need,
    and for the higher levels (when their password is set) that open them too."""
    needed: dict[str, list] = {}
    for entry in found:
        if entry.written and entry.level and entry.level not in state.keys:
            needed.setdefault(entry.level, []).append(entry.item)
    variables = levels.configured_levels(settings)
    for level, items in list(needed.items()):
        for higher in levels.higher_levels(level, settings):
            if higher not in state.keys and os.environ.get(variables[higher]):
                needed.setdefault(higher, []).extend(items)
    passwords = levels.read_passwords(needed, settings)
    if not passwords:
        return
    salt = _site_salt(settings, needed)
    for level, password in passwords.items():
        state.keys[level] = derive_level_key(level, password, salt)
        if password == settings.get("MEMBERS_DEV_PASSWORD"):
            state.preview_levels.add(level)


def _site_salt(settings, needed) -> str:
    """The site's random salt (keys/salt.txt). A preview of plain drafts in a
    site that has sealed nothing yet falls back to the site's name."""
    folder = sealing.keys_folder(settings)
    salt = sealing.read_salt(folder)
    if salt:
        return salt
    if settings.get("GRASROT_PUBLISHING"):
        errors = grasrot_core.collector(settings)
        errors.add(
            os.path.join(folder, sealing.SALT_FILE),
            1,
            1,
            msg(
                "the site's salt is missing: `invoke seal` makes it with the first "
                "sealed file (and the level's keys); commit the keys folder."
            ),
        )
    return settings.get("SITENAME", "")


def _hide_slug(item, key) -> None:
    """MEMBERS_PUBLIC_LISTING = "none": the title may not show, and slugs come
    from titles (or repeat them in `slug:`), so the URL gets an opaque slug.
    Translations share their original's slug, so they stay together."""
    item.slug = "p-" + opaque_name(key, "slug\n" + item.slug, 12)


def _list_pages(generator) -> set:
    """save_as of the list pages (categories, tags, authors) Pelican made."""
    found = set()
    for name in ("categories", "authors"):
        found |= {t.save_as for t, _ in getattr(generator, name, []) or []}
    found |= {t.save_as for t in getattr(generator, "tags", {}) or {}}
    return {path for path in found if path}


def on_static_finalized(generator) -> None:
    """Never copy an attachment, or anything in content/minutes/, in plain."""
    if not active(generator.settings):
        return
    state = state_of(generator.settings)
    blocked = {relative for _, relative in state.attachments} | state.blocked

    def public(static) -> bool:
        relative = static.get_relative_source_path()
        top = relative.split("/", 1)[0]
        return relative not in blocked and top not in attachments.PROTECTED_FOLDERS

    generator.staticfiles = [s for s in generator.staticfiles if public(s)]
    generator.context["staticfiles"] = generator.staticfiles


def on_all_generators_finalized(generators) -> None:
    """Sealed files no password opened, plain protected files: before the gate."""
    if not generators or not active(generators[0].settings):
        return
    settings = generators[0].settings
    sealed.report_unopened(settings)
    plain.report(state_of(settings), settings)


def on_content_written(path, context=None) -> None:
    """Remember what this build wrote: stale.py removes only what it did not."""
    if not active(context or {}):
        return
    state = running_state()
    if state is not None:
        state.written.add(os.path.abspath(path))


def get_generators(pelican):
    if not active(pelican.settings):
        return None
    from .generator import MembersGenerator

    return MembersGenerator


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core",)
# Plugins it calls while building, listed anywhere in PLUGINS.
USES = ("grasrot_feeds",)


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.article_generator_pretaxonomy.connect(on_articles_pretaxonomy)
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.page_generator_finalized.connect(on_pages_finalized)
    signals.static_generator_finalized.connect(on_static_finalized)
    signals.content_written.connect(on_content_written)
    signals.get_generators.connect(get_generators)
