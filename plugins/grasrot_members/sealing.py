"""Sealed sources: protected files are in git only as age files (age-encryption.org/v1).

The keys folder (MEMBERS_KEYS_PATH, default `content/keys/`) is committed:

- `salt.txt`: the site's random, public salt for the browser keys (crypto.py);
- `<level>.pub`: the level's age recipient. Sealing needs only this;
- `<level>.key.age`: the level's age identity, itself sealed with the level's
  password (age's passphrase mode, scrypt; agepass.py).

A build opens a level's identity once (one scrypt, about a second) and then
every sealed file with X25519, which costs next to nothing: age's passphrase
mode on each file would cost one scrypt per file. A file of one level is
sealed to that level's recipient and to those of the levels after it in
MEMBERS_ACCESS_LEVELS, so the board's password also opens members' files.
Debian's `age` opens a sealed file with `age -d -i content/keys/members.key.age
file.md.age` (it asks for the password). Plain text only ever exists in memory.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import unicodedata
from functools import lru_cache

import pyrage
from pyrage import x25519

from . import agepass

SUFFIX = ".age"
SALT_FILE = "salt.txt"
DEFAULT_KEYS_PATH = "keys"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


class WrongPassword(Exception):
    """The password does not open the level's identity file."""


def keys_folder(settings) -> str:
    folder = settings.get("MEMBERS_KEYS_PATH") or DEFAULT_KEYS_PATH
    return folder if os.path.isabs(folder) else os.path.join(settings["PATH"], folder)


def recipient_path(folder: str, level: str) -> str:
    return os.path.join(folder, f"{level}.pub")


def identity_path(folder: str, level: str) -> str:
    return os.path.join(folder, f"{level}.key.age")


def is_sealed(path: str) -> bool:
    return str(path).endswith(SUFFIX)


def plain_name(path: str) -> str:
    """'bilaga.pdf.age' -> 'bilaga.pdf'."""
    return path[: -len(SUFFIX)] if is_sealed(path) else path


def normalized(password: str) -> bytes:
    """NFC, as for the browser keys: "å" typed and "å" in a CI secret are one password."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


# --- the site's salt -------------------------------------------------------------


def read_salt(folder: str) -> str | None:
    """The salt's hex digits, or None when the site has none yet."""
    try:
        with open(os.path.join(folder, SALT_FILE), encoding="utf-8") as handle:
            lines = [line.strip() for line in handle if line.strip()]
    except FileNotFoundError:
        return None
    values = [line for line in lines if not line.startswith("#")]
    return values[0] if values else None


def ensure_salt(folder: str) -> str:
    found = read_salt(folder)
    if found:
        return found
    value = secrets.token_hex(16)
    write_text(
        os.path.join(folder, SALT_FILE),
        "# Gräsrot: this site's salt for the members' area keys. Public and random;\n"
        "# changing it changes every key (members type their passwords again).\n"
        f"{value}\n",
    )
    return value


# --- level keys ------------------------------------------------------------------


def read_recipient(folder: str, level: str):
    """The level's public age recipient, or None when the level has no keys."""
    try:
        with open(recipient_path(folder, level), encoding="utf-8") as handle:
            lines = [line.strip() for line in handle]
    except FileNotFoundError:
        return None
    for line in lines:
        if line and not line.startswith("#"):
            return x25519.Recipient.from_str(line)
    return None


def recipients_for(level: str, levels: list[str], folder: str) -> list:
    """The level's recipient and those of every level after it that has keys."""
    if level not in levels:
        raise KeyError(level)
    found = [read_recipient(folder, name) for name in levels[levels.index(level) :]]
    if found[0] is None:
        raise FileNotFoundError(recipient_path(folder, level))
    return [recipient for recipient in found if recipient is not None]


def identity_file_text(identity, level: str) -> str:
    """age-keygen's format: `age -d -i` reads it once the outer layer is open."""
    return (
        f"# Gräsrot members' area, level {level}\n"
        f"# public key: {identity.to_public()}\n{identity}\n"
    )


def make_level_keys(
    folder: str, level: str, password: str, work_factor: int = agepass.WORK_FACTOR
):
    """A new key pair for a level; the identity sealed with the password."""
    identity = x25519.Identity.generate()
    write_level_keys(folder, level, identity, password, work_factor)
    ensure_salt(folder)
    return identity


def write_level_keys(
    folder: str, level: str, identity, password: str, work_factor: int = agepass.WORK_FACTOR
) -> None:
    sealed = agepass.encrypt(
        identity_file_text(identity, level).encode("utf-8"),
        normalized(password),
        work_factor,
    )
    write_bytes(identity_path(folder, level), sealed)
    write_text(
        recipient_path(folder, level),
        f"# Gräsrot members' area, level {level}: seal with `invoke seal` "
        f"or `age -R`\n{identity.to_public()}\n",
    )


def open_identity(folder: str, level: str, password: str):
    """The level's identity, or None when it has no keys; WrongPassword if it
    does not open. One scrypt per identity file and password per process."""
    try:
        with open(identity_path(folder, level), "rb") as handle:
            sealed = handle.read()
    except FileNotFoundError:
        return None
    return _open_identity(sealed, normalized(password))


@lru_cache(maxsize=32)
def _open_identity(sealed: bytes, password: bytes):
    try:
        text = agepass.decrypt(sealed, password).decode("utf-8")
    except agepass.AgeError as problem:
        raise WrongPassword(str(problem)) from None
    for line in text.splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            return x25519.Identity.from_str(line.strip())
    raise WrongPassword("the file holds no age identity")


# --- files -----------------------------------------------------------------------


def seal_bytes(data: bytes, recipients: list) -> bytes:
    return pyrage.encrypt(data, recipients)


def open_bytes(data: bytes, identities: list) -> bytes | None:
    """The plain bytes, or None when none of the identities opens them."""
    if not identities:
        return None
    try:
        return pyrage.decrypt(data, identities)
    except Exception:  # pyrage.DecryptError: not sealed to any of them, or damaged
        return None


def write_bytes(path: str, data: bytes) -> None:
    """Atomically: a half-written key or sealed file would lose the text."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".grasrot-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def write_text(path: str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
