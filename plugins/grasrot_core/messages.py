"""Content errors and notices in the site's language.

A message is written once, in English, as a template with named placeholders:
`msg("Unknown key '{key}'.{hint}", key=key, hint=did_you_mean(...))`. The
template is the gettext msgid; its Swedish text lives in the kit's catalogue
`theme/translations/sv/LC_MESSAGES/errors.po`. A Message is kept as it was made
(the collector, Pelican's content cache) and rendered in the build's language
only where it is shown: the terminal, GitHub annotations, the preview overlay.

A Message is also a str holding its English text, so code and tests that treat
messages as text keep working; only `render(message, language)` translates.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = "errors"
KIT_TRANSLATIONS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "theme",
    "translations",
)


class Message(str):
    """An English message that can be rendered in another language."""

    template: str
    params: tuple

    def __new__(cls, template: str, params=()):
        params = tuple(sorted(dict(params).items()))
        self = super().__new__(cls, _fill(template, params, "en"))
        self.template = template
        self.params = params
        return self

    def render(self, language: str) -> str:
        return _fill(_translate(self.template, language), self.params, language)

    def __reduce__(self):
        return (Message, (self.template, self.params))


def msg(template: str, **params) -> Message:
    """A message for officers: an English template (marked for extraction) and
    its values; values may be Messages themselves (a hint, a list of choices)."""
    return Message(template, params)


def render(text, language: str) -> str:
    """`text` in `language` when it is a Message; other text as it is."""
    if isinstance(text, Message):
        return text.render(language)
    return str(text)


def language_code(language) -> str:
    """'sv' for 'sv', 'sv_SE' or 'sv-SE'; 'en' when unknown."""
    code = str(language or "en").replace("-", "_").split("_")[0].lower()
    return code or "en"


def _fill(template: str, params: tuple, language: str) -> str:
    values = {name: render(value, language) for name, value in params}
    return template.format(**values)


def _translate(template: str, language: str) -> str:
    return _catalogue(language_code(language)).gettext(template)


@functools.lru_cache(maxsize=8)
def _catalogue(language: str) -> gettext.NullTranslations:
    """The kit's message catalogue for `language` (English: the templates themselves)."""
    path = os.path.join(KIT_TRANSLATIONS, language, "LC_MESSAGES", CATALOGUE + ".po")
    if language == "en" or not os.path.exists(path):
        return gettext.NullTranslations()
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def one_of(choices):
    """The choices as "'a', 'b' or 'c'", with "or" in the rendering language."""
    choices = [str(choice) for choice in choices]
    if len(choices) <= 1:
        return "".join(choices)
    return msg("{choices} or {last}", choices=", ".join(choices[:-1]), last=choices[-1])


def sentences(parts, end: str = "") -> Message | str:
    """Messages (or plain text) one after another with a space between, each
    rendered in the language the whole is rendered in; '' when there are none."""
    parts = [part for part in parts if part]
    if not parts:
        return ""
    names = [f"part{index}" for index in range(len(parts))]
    template = " ".join("{" + name + "}" for name in names) + end
    return Message(template, zip(names, parts, strict=True))


def message_of(exc: BaseException):
    """An exception's message as it was raised: a Message stays translatable
    (str(exc) would keep only its English text)."""
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def notice(message, settings, stream=None) -> None:
    """A kit notice on stderr, in the site's language (not through the logger:
    every build runs with --fatal warnings)."""
    language = (settings or {}).get("DEFAULT_LANG") or "en"
    print(render(message, language), file=stream or sys.stderr, flush=True)
