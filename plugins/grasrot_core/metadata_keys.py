"""Which header keys each content folder accepts, and the errors for the rest.

A key Pelican and the kit do not read is never harmless: `Acess: members`
or `Åtkomst: medlemmar` would publish members-only text in plain. So every
key not in ACCEPTED_KEYS is a content error, and a key that looks like
`access:` (a typo, a Swedish word, a level as its value) says so by name.

Adding a key is one line: put it in the folder's tuple below (or in
POST_KEYS for pages, news, newsletters and minutes alike). A branch with its
own templates declares its keys in the setting GRASROT_EXTRA_METADATA.
"""

from __future__ import annotations

import difflib
import unicodedata

from .errors import SWEDISH_FIELD_NAMES, did_you_mean
from .messages import msg, one_of

EXTRA_SETTING = "GRASROT_EXTRA_METADATA"
ACCESS = "access"

# Read by Pelican or the kit in every page, news post, newsletter and minutes.
POST_KEYS = (
    "title",
    "date",
    "modified",
    "slug",
    "summary",
    "status",
    "tags",
    "lang",
    "translation",
    "template",
    "save_as",
    "url",
    "author",
    "authors",
    "access",  # grasrot_members: the level that may read it
    "groups",  # grasrot_groups: the groups a post or page belongs to
    "image",
    "image_alt",  # grasrot_feeds: the picture for link previews
)

ACCEPTED_KEYS = {
    "pages": (*POST_KEYS, "menu_order", "menu_title", "home"),
    "news": POST_KEYS,
    # include_events_groups: whose events (grasrot_feeds/newsletters.py)
    "newsletters": (*POST_KEYS, "include_events", "include_events_groups"),
    "minutes": POST_KEYS,
    # postcodes, streets: what the group finder matches (grasrot_groups/postcodes.py)
    "groups": (
        "title",
        "slug",
        "summary",
        "kind",
        "areas",
        "postcodes",
        "streets",
        "convenors",
        "contact_person",
        "email",
        "meets",
        "join",
        "image",
        "image_alt",
    ),
}

# Keys officers write that the kit decides another way: say how.
NOT_A_KEY = {
    "category": msg(
        "the folder decides what a file is (news/, newsletters/, minutes/): "
        "move the file instead"
    ),
    "description": msg("write the text for search engines and link previews as 'summary:'"),
}

# Words that mean "who may read this" (English and Swedish): never silently ignored.
ACCESS_WORDS = (
    "access",
    "åtkomst",
    "atkomst",
    "nivå",
    "niva",
    "level",
    "behörighet",
    "behorighet",
    "synlighet",
    "visibility",
    "läsare",
    "lasare",
    "audience",
    "skyddad",
    "protected",
    "private",
    "privat",
    "lösenord",
    "losenord",
    "password",
    "permission",
    "permissions",
    "restricted",
    "role",
    "roll",
    "medlemsnivå",
    "tillgång",
    "tillgang",
    "members",
    "medlemmar",
    "board",
    "styrelsen",
    "intern",
    "internal",
)
STRICT_ACCESS_WORDS = ("access", "atkomst", "level", "niva")
# Level names in Swedish, to suggest the value to write.
SWEDISH_LEVEL_NAMES = {
    "medlemmar": "members",
    "medlem": "members",
    "medlemsnivå": "members",
    "styrelse": "board",
    "styrelsen": "board",
}


def accepted_keys(section, settings) -> frozenset:
    """The keys a file in `section` ('pages', 'news' … or None) may have."""
    if section in ACCEPTED_KEYS:
        keys = set(ACCEPTED_KEYS[section])
    else:  # a folder the branch added to ARTICLE_PATHS or PAGE_PATHS
        keys = {
            key for name, own in ACCEPTED_KEYS.items() if name != "groups" for key in own
        }
    keys |= {str(key).strip().lower() for key in settings.get(EXTRA_SETTING) or ()}
    return frozenset(keys)


def looks_like_access(key: str, value="", strict: bool = False) -> bool:
    """A key a reader would take for `access:`: close to access, åtkomst, level or
    nivå; unless `strict`, also any word for "who may read this", or a level
    name as the value (`Synlighet: medlemmar`)."""
    name = _plain(key)
    if not name:
        return False
    if name in STRICT_ACCESS_WORDS or difflib.get_close_matches(
        name, ("access", "atkomst", "level"), n=1, cutoff=0.7
    ):
        return True
    if strict:
        return False
    words = {_plain(word) for word in ACCESS_WORDS}
    if name in words or any(part in words for part in name.replace("-", "_").split("_")):
        return True
    written = _plain(str(value or ""))
    levels = {
        _plain(name) for name in (*SWEDISH_LEVEL_NAMES, *SWEDISH_LEVEL_NAMES.values())
    }
    return written in levels


def header_problems(record: dict, section, settings) -> list[tuple[int, int, str]]:
    """(line, col, message) for every slip in a file's header, as the reader
    recorded it (reader.header_record): unknown keys, an empty `access:`, and
    a header that ended before a line that belongs in it."""
    accepted = accepted_keys(section, settings)
    levels = tuple(settings.get("MEMBERS_ACCESS_LEVELS") or ("members",))
    problems = []
    for key, value, line, col in record.get("fields", ()):
        name = key.strip().lower()
        if name not in accepted:
            problems.append((line, col, unknown_key_message(key, value, accepted, levels)))
        elif name == ACCESS and not str(value or "").strip():
            problems.append((line, col, empty_access_message(levels)))
    for key, value, line in record.get("body_keys", ()):
        name = key.strip().lower()
        if name in accepted or looks_like_access(key, value, strict=True):
            fix = (
                ""
                if name in accepted
                else msg(
                    ", and write it as 'access: {level}'", level=_level_for(value, levels)
                )
            )
            problems.append(
                (line, 1, early_end_message(key, value, record["ended_at"], fix))
            )
    return problems


def early_end_message(key, value, ended_at, fix="") -> str:
    return msg(
        "'{key}: {value}' is body text, not part of the header: the header ended at "
        "line {ended_at}; remove the blank line or join the wrapped line{fix}.",
        key=key,
        value=value,
        ended_at=ended_at,
        fix=fix,
    )


def unknown_key_message(key: str, value, accepted, levels=()) -> str:
    """The error for a key the folder does not accept, with what to write."""
    name = key.strip().lower()
    if looks_like_access(key, value) and not _close_to_another_key(name, accepted):
        return msg(
            "unknown header key '{key}': it looks like 'access:', and nothing reads "
            "'{key}:', so this text would be public. Write 'access: {level}'.",
            key=key,
            level=_level_for(value, levels),
        )
    hint = NOT_A_KEY.get(name)
    if hint:
        return msg("unknown header key '{key}': {hint}.", key=key, hint=hint)
    ascii_note = ""
    if not name.isascii():
        ascii_note = msg(" Header keys are English words without å, ä or ö.")
    return msg(
        "unknown header key '{key}'.{ascii_note}{suggestion} This folder accepts: "
        "{accepted} (a branch with its own templates adds keys in {setting}).",
        key=key,
        ascii_note=ascii_note,
        suggestion=did_you_mean(name, sorted(accepted)),
        accepted=", ".join(sorted(accepted)),
        setting=EXTRA_SETTING,
    )


def _close_to_another_key(name, accepted) -> bool:
    """`Tittle: Intern` is a typo for title, whatever its value says."""
    close = difflib.get_close_matches(name, sorted(accepted), n=1, cutoff=0.8)
    return bool(close) and close[0] != ACCESS


def empty_access_message(levels=()) -> str:
    choices = one_of(f"'access: {level}'" for level in (levels or ("members",)))
    return msg(
        "'access:' is empty, so it is not clear who may read this: write {choices}, "
        "or remove the line.",
        choices=choices,
    )


def _level_for(value, levels) -> str:
    written = str(value or "").strip()
    if written in levels:
        return written
    mapped = SWEDISH_LEVEL_NAMES.get(written.lower())
    if mapped and (mapped in levels or not levels):
        return mapped
    return next(iter(levels), "members") if levels else "members"


def _plain(text: str) -> str:
    """Lower case without diacritics: 'Åtkomst' -> 'atkomst'."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


__all__ = [
    "ACCEPTED_KEYS",
    "EXTRA_SETTING",
    "POST_KEYS",
    "SWEDISH_FIELD_NAMES",
    "accepted_keys",
    "empty_access_message",
    "looks_like_access",
    "unknown_key_message",
]
