"""age passphrase files (age-encryption.org/v1, one scrypt stanza) for the level keys.

pyrage (rage) opens passphrase files only if it guesses, by timing scrypt on
the machine at that moment, that they take under about 16 seconds: on a busy
machine (CI, two cores shared by many jobs) it refused our own key files.
So this module writes and reads the one small file per level that is sealed
with a password, with a fixed work factor (2^18, age's default), using the
`cryptography` primitives the age specification names. Every other sealed
file is X25519 and goes through pyrage. Debian's `age` opens these files
(`age -d`, and `age -d -i members.key.age` as an identity file); the tests
check both directions against it.
"""

from __future__ import annotations

import base64
import hmac
import os
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

INTRO = b"age-encryption.org/v1\n"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
WORK_FACTOR = 18
MAX_WORK_FACTOR = 22  # what Debian's age accepts, too
CHUNK = 64 * 1024
_STANZA = re.compile(
    rb"-> scrypt ([A-Za-z0-9+/]{22}) ([1-9][0-9]?)\n([A-Za-z0-9+/]{43})\n"
    rb"--- ([A-Za-z0-9+/]{43})\n"
)


class AgeError(Exception):
    """Not an age passphrase file, a wrong passphrase, or damaged."""


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    return base64.b64decode(text + b"=" * (-len(text) % 4))


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=salt or None, info=info).derive(key)


def _wrap_key(passphrase: bytes, salt: bytes, work_factor: int) -> bytes:
    return Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**work_factor, r=8, p=1).derive(
        passphrase
    )


def _mac(file_key: bytes, header: bytes) -> bytes:
    mac = HMAC(_hkdf(file_key, b"", b"header"), hashes.SHA256())
    mac.update(header)
    return mac.finalize()


def _stream(key: bytes, data: bytes, encrypt: bool) -> bytes:
    """age's STREAM: 64 KiB chunks, nonce = 11-byte counter || last-chunk flag."""
    aead = ChaCha20Poly1305(key)
    size = CHUNK if encrypt else CHUNK + 16
    chunks = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
    out = []
    for index, chunk in enumerate(chunks):
        nonce = index.to_bytes(11, "big") + (
            b"\x01" if index == len(chunks) - 1 else b"\x00"
        )
        out.append(
            aead.encrypt(nonce, chunk, None)
            if encrypt
            else aead.decrypt(nonce, chunk, None)
        )
    return b"".join(out)


def encrypt(plaintext: bytes, passphrase: bytes, work_factor: int = WORK_FACTOR) -> bytes:
    file_key, salt, nonce = os.urandom(16), os.urandom(16), os.urandom(16)
    body = ChaCha20Poly1305(_wrap_key(passphrase, salt, work_factor)).encrypt(
        b"\0" * 12, file_key, None
    )
    header = (
        INTRO
        + b"-> scrypt "
        + _b64(salt)
        + b" "
        + str(work_factor).encode()
        + b"\n"
        + _b64(body)
        + b"\n---"
    )
    payload = _stream(_hkdf(file_key, nonce, b"payload"), plaintext, encrypt=True)
    return header + b" " + _b64(_mac(file_key, header)) + b"\n" + nonce + payload


def decrypt(data: bytes, passphrase: bytes) -> bytes:
    if not data.startswith(INTRO):
        raise AgeError("not an age file")
    match = _STANZA.match(data, len(INTRO))
    if match is None:
        raise AgeError("not an age file sealed with a passphrase alone")
    salt, work_factor = _unb64(match.group(1)), int(match.group(2))
    if work_factor > MAX_WORK_FACTOR:
        raise AgeError(f"work factor 2^{work_factor} is more than age accepts")
    try:
        file_key = ChaCha20Poly1305(_wrap_key(passphrase, salt, work_factor)).decrypt(
            b"\0" * 12, _unb64(match.group(3)), None
        )
    except Exception:
        raise AgeError("wrong passphrase") from None
    header = data[: match.start(4) - 1]  # up to and including "---"
    if not hmac.compare_digest(_mac(file_key, header), _unb64(match.group(4))):
        raise AgeError("the header was changed")
    rest = data[match.end() :]
    nonce, payload = rest[:16], rest[16:]
    try:
        return _stream(_hkdf(file_key, nonce, b"payload"), payload, encrypt=False)
    except Exception:
        raise AgeError("the file is damaged") from None
