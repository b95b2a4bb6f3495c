"""Reading sealed sources in a build: in memory, never cached, fail closed.

- `SealedMarkdownReader` reads `*.md.age`: the plain text is opened in memory
  and handed to grasrot_core's Markdown reader; other sealed files (a
  `bilaga.pdf.age` beside the minutes) are attachments, skipped as content.
- `Keyring` opens each level's identity when a file first needs it (one
  scrypt per level per build) with the password from the level's variable.
- Pelican's content cache never holds a sealed or protected item: those are
  neither stored nor kept when an older cache is saved again.
- A file no password opens is left out: with one notice in a preview or
  `invoke check` (a pull request from a fork has no secrets), as an error
  under publishconf.py, where a site must not silently lose its minutes.
"""

from __future__ import annotations

import os

import grasrot_core
from grasrot_core.messages import msg, notice
from grasrot_core.reader import GrasrotMarkdownReader

from . import levels, sealing


class Keyring:
    """The identities this build could open, level by level, as files need them."""

    def __init__(self, settings):
        self.settings = settings
        self.folder = sealing.keys_folder(settings)
        self.opened = {}  # level -> identity
        self.tried = set()
        self.missing = set()  # no password set
        self.wrong = set()  # a password that does not open the level's identity
        self.without_keys = set()  # no <level>.key.age
        self.unopened = []  # sealed files none of the identities opened

    def open(self, data: bytes) -> bytes | None:
        plain = sealing.open_bytes(data, list(self.opened.values()))
        for level in levels.configured_levels(self.settings):
            if plain is not None:
                break
            if level in self.tried:
                continue
            identity = self._open_level(level)
            if identity is not None:
                plain = sealing.open_bytes(data, [identity])
        return plain

    def _open_level(self, level: str):
        self.tried.add(level)
        variable = levels.configured_levels(self.settings)[level]
        password = os.environ.get(variable, "")
        if not password:
            self.missing.add(level)
            return None
        try:
            identity = sealing.open_identity(self.folder, level, password)
        except sealing.WrongPassword:
            self.wrong.add(level)
            return None
        if identity is None:
            self.without_keys.add(level)
            return None
        self.opened[level] = identity
        return identity

    def open_file(self, path: str) -> bytes | None:
        with open(path, "rb") as handle:
            plain = self.open(handle.read())
        if plain is None:
            self.unopened.append(path)
        return plain


def keyring(settings) -> Keyring:
    from .state import state_of

    state = state_of(settings)
    if state.keyring is None:
        state.keyring = Keyring(settings)
    return state.keyring


class SealedMarkdownReader(GrasrotMarkdownReader):
    """`*.md.age`: decrypted in memory, then read as Markdown."""

    enabled = True
    file_extensions = ("age",)

    def read(self, source_path):
        if not sealing.plain_name(source_path).lower().endswith(sealing.MARKDOWN_SUFFIXES):
            return "", {"status": "skip"}  # an attachment: written by generator.py
        plain = keyring(self.settings).open_file(source_path)
        if plain is None:
            return "", {"status": "skip"}  # reported once, in report_unopened
        return self.read_bytes(source_path, plain)


# --- Pelican's content cache ---------------------------------------------------------


def holds_protected(path: str, metadata) -> bool:
    if sealing.is_sealed(path):
        return True
    metadata = metadata if isinstance(metadata, dict) else {}
    if str(metadata.get(levels.ACCESS_KEY) or "").strip():
        return True
    return any(
        f"{os.sep}{section}{os.sep}" in path for section in levels.PROTECTED_SECTIONS
    )


def _reader_entry_protected(path, data) -> bool:
    """A reader cache entry: (content, metadata), or (stamp, that) once stored."""
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], tuple):
        data = data[1]
    metadata = data[1] if isinstance(data, tuple) and len(data) == 2 else None
    return holds_protected(str(path), metadata)


def _generator_entry_protected(path, data) -> bool:
    """A generator cache entry: a Content object, or (stamp, it) once stored."""
    if isinstance(data, tuple) and len(data) == 2:
        data = data[1]
    return holds_protected(str(path), getattr(data, "metadata", None))


def keep_out_of_cache(cacher, is_protected) -> None:
    """Never store a protected entry; drop any an older cache still holds."""
    store, save = cacher.cache_data, cacher.save_cache

    def cache_data(filename, data):
        if not is_protected(filename, data):
            store(filename, data)

    def save_cache():
        cache = getattr(cacher, "_cache", None)
        if isinstance(cache, dict):
            for filename in [f for f, data in cache.items() if is_protected(f, data)]:
                del cache[filename]
        save()

    cacher.cache_data = cache_data
    cacher.save_cache = save_cache


def on_readers_init(readers) -> None:
    readers.reader_classes["age"] = SealedMarkdownReader
    keep_out_of_cache(readers, _reader_entry_protected)


def on_generator_init(generator) -> None:
    if hasattr(generator, "cache_data") and hasattr(generator, "save_cache"):
        keep_out_of_cache(generator, _generator_entry_protected)


# --- what could not be opened ------------------------------------------------------


def report_unopened(settings) -> None:
    """One notice for the files left out, or (publishing, wrong password) errors."""
    ring = keyring(settings)
    if not ring.unopened and not ring.wrong:
        return
    # Fail closed when publishing; a check-only run (`invoke check`, the e-mail
    # edition) writes nothing protected, so it goes on with what it can open.
    publishing = bool(settings.get("GRASROT_PUBLISHING")) and not settings.get(
        grasrot_core.CHECK_ONLY_KEY
    )
    dev = settings.get("MEMBERS_DEV_PASSWORD")
    variables = levels.configured_levels(settings)
    errors = grasrot_core.collector(settings)
    for level in sorted(ring.wrong):
        password = os.environ.get(variables[level], "")
        if publishing or not (
            (dev and password == dev) or settings.get(grasrot_core.CHECK_ONLY_KEY)
        ):
            errors.add(
                sealing.identity_path(ring.folder, level),
                1,
                1,
                _wrong_password_message(level, variables[level], ring.folder),
            )
    reason = _why_unopened(ring, variables, dev)
    if publishing:
        for path in ring.unopened:
            errors.add(
                path,
                1,
                1,
                msg(
                    "this sealed file cannot be opened: {reason} "
                    "publishconf.py never leaves protected files out.",
                    reason=reason,
                ),
            )
    elif ring.unopened:
        if len(ring.unopened) != 1:
            note = msg(
                "note: {count} sealed files left out of this build: "
                "{reason} Everything else was built and checked.",
                count=len(ring.unopened),
                reason=reason,
            )
        else:
            note = msg(
                "note: {count} sealed file left out of this build: "
                "{reason} Everything else was built and checked.",
                count=1,
                reason=reason,
            )
        notice(note, settings)


def _why_unopened(ring, variables, dev) -> str:
    parts = []
    if ring.missing:
        names = sorted(variables[level] for level in ring.missing)
        if len(names) == 1:
            parts.append(
                msg(
                    "{names} is not set (a pull request from a fork gets no secrets)",
                    names=names[0],
                )
            )
        else:
            parts.append(
                msg(
                    "{names} are not set (a pull request from a fork gets no secrets)",
                    names=both(names),
                )
            )
    for level in sorted(ring.wrong):
        variable = variables[level]
        if dev and os.environ.get(variable, "") == dev:
            parts.append(
                msg(
                    "{variable} holds the development password, which does not "
                    "open this site's {level} key",
                    variable=variable,
                    level=level,
                )
            )
        else:
            parts.append(
                msg(
                    "{variable} does not open the {level} key",
                    variable=variable,
                    level=level,
                )
            )
    if ring.without_keys:
        parts.append(
            msg("no keys for level {levels}", levels=", ".join(sorted(ring.without_keys)))
        )
    if not parts:
        parts.append(
            msg(
                "none of this site's level keys opens it (sealed for another site, "
                "or with keys made since)"
            )
        )
    return msg("{reasons}.", reasons=_joined(parts))


def _joined(parts):
    """The reasons joined with '; ', each rendered in the message's language."""
    joined = parts[0]
    for part in parts[1:]:
        joined = msg("{first}; {then}", first=joined, then=part)
    return joined


def both(names):
    """'A and B' (and 'A, B and C') in the rendering language."""
    if len(names) == 2:
        return msg("{first} and {second}", first=names[0], second=names[1])
    return msg("{first} and {second}", first=", ".join(names[:-1]), second=names[-1])


def _wrong_password_message(level, variable, folder) -> str:
    return msg(
        "{variable} does not open the {level} level's key (this file is sealed with "
        "the level's password). Set {variable} to the password the key was sealed "
        "with; to change the password, run `invoke rotate-password {level}` and then "
        "set {variable} to the new one.",
        variable=variable,
        level=level,
    )
