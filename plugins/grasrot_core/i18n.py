"""UI strings from gettext catalogs, installed into every Jinja environment.

Templates are written with English msgids (`{{ _("Upcoming events") }}`); each
language has .po catalogs under `theme/translations/<lang>/LC_MESSAGES/`. Each
plugin may keep its own catalog file there (messages.po, calendar.po, ...);
they are merged. Catalogs are read straight from the .po files with Babel, so
no compiled .mo file can fall out of date.
"""

from __future__ import annotations

import gettext
import io
import os
from glob import glob

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .state import current


def translations_dir(settings) -> str:
    return settings.get("GRASROT_TRANSLATIONS_PATH") or os.path.join(
        settings["THEME"], "translations"
    )


def translations(settings) -> gettext.NullTranslations:
    """The merged catalogs for the site's language (cached per build)."""
    build = current(settings)
    if build.translations is not None:
        return build.translations
    lang = (settings.get("DEFAULT_LANG") or "sv").split("_")[0].split("-")[0]
    pattern = os.path.join(translations_dir(settings), lang, "LC_MESSAGES", "*.po")
    merged = gettext.NullTranslations()
    for path in sorted(glob(pattern)):
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = gettext.GNUTranslations(buffer)
        if isinstance(merged, gettext.GNUTranslations):
            merged.add_fallback(loaded)
        else:
            merged = loaded
    build.translations = merged
    return merged


def install(env, settings) -> None:
    """Give a Jinja environment `_`, `gettext` and `ngettext` for the site's language."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(settings), newstyle=True)


def gettext_for(settings):
    """`_` for Python code (plugins' error-free UI strings such as feed titles)."""
    return translations(settings).gettext
