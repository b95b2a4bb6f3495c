"""Optional second layer for Apache hosts: HTTP Basic auth in front of the ciphertext.

MEMBERS_HTACCESS = True writes medlemmar/.htaccess and medlemmar/.htpasswd
(bcrypt, one user per level, named after it) and an .htaccess in every
protected item's own folder. Apache needs the .htpasswd file's absolute path
on the server: MEMBERS_HTPASSWD_PATH.

bcrypt salts are normally random; here the salt is an HMAC under the level's
secret key material (itself derived with PBKDF2), so builds stay
byte-identical and the salt offers no shortcut for testing password guesses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

import bcrypt

from grasrot_core.sections import ADDRESSES

BCRYPT_COST = 12
HTPASSWD = ADDRESSES["members"] + ".htpasswd"
_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def check_settings(settings) -> None:
    """A configuration error, raised at start-up (before any content is read)."""
    if settings.get("MEMBERS_HTACCESS") and not os.path.isabs(
        str(settings.get("MEMBERS_HTPASSWD_PATH") or "")
    ):
        raise ValueError(
            "MEMBERS_HTACCESS = True needs MEMBERS_HTPASSWD_PATH: the absolute path "
            "on the web server where medlemmar/.htpasswd will be, e.g. "
            "'/var/www/ekdala/medlemmar/.htpasswd'."
        )


def bcrypt_salt(key) -> bytes:
    raw = hmac.new(key.name_key, b"bcrypt-salt", hashlib.sha256).digest()[:16]
    text = base64.b64encode(raw).decode("ascii").rstrip("=")
    return (
        f"$2b${BCRYPT_COST:02d}$".encode()
        + text.translate(str.maketrans(_STANDARD, _BCRYPT)).encode()
    )


def htpasswd_lines(state, passwords_by_level) -> list[str]:
    return [
        f"{level}:{_bcrypt_hash(password, state.keys[level])}"
        for level, password in sorted(passwords_by_level.items())
    ]


def _bcrypt_hash(password: str, key) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt_salt(key)).decode()


def auth_block(users, settings, realm: str) -> str:
    return (
        "# Written by Gräsrot (MEMBERS_HTACCESS): a server-side password in front of\n"
        "# pages that are encrypted anyway. Users are the access levels' names.\n"
        "AuthType Basic\n"
        f'AuthName "{realm}"\n'
        f"AuthUserFile {settings['MEMBERS_HTPASSWD_PATH']}\n"
        f"Require user {' '.join(sorted(users))}\n"
    )


def write(output_path: str, state, settings) -> set[str]:
    """Write the files; returns their absolute paths (they belong to this build)."""
    from .levels import configured_levels

    passwords = {
        level: os.environ[configured_levels(settings)[level]] for level in state.keys
    }
    written = {
        _write(output_path, HTPASSWD, "\n".join(htpasswd_lines(state, passwords)) + "\n")
    }
    index = (
        auth_block(state.keys, settings, "Medlemmar")
        + '<Files ".htpasswd">\n  Require all denied\n</Files>\n'
    )
    written.add(_write(output_path, ADDRESSES["members"] + ".htaccess", index))
    for entry in state.protected:
        folder = os.path.dirname(entry.item.save_as)
        if entry.written and entry.level in state.keys and folder:
            text = auth_block([entry.level], settings, "Medlemmar")
            written.add(_write(output_path, f"{folder}/.htaccess", text))
    return written


def _write(output_path: str, relative: str, text: str) -> str:
    target = os.path.abspath(os.path.join(output_path, relative))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
