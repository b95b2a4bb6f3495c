"""Build-time encryption: AES-256-GCM, PBKDF2-HMAC-SHA256, deterministic envelopes.

The format (docs/members.md, "Crypto format") is what theme/static/js/members.js
opens with WebCrypto. Two requirements pull against each other:

- every ciphertext needs a key and IV that an attacker cannot predict, and an
  IV must never repeat under one key for different plaintexts;
- the same commit, passwords and SOURCE_DATE_EPOCH must give byte-identical
  output, so nothing may come from os.urandom.

So every "random" value is derived from secret material with HMAC/HKDF:

- salt: HMAC of a first PBKDF2 run over the password with a public pre-salt
  made from the site's random salt (committed in keys/salt.txt, so two sites
  with one name and one password still share nothing) and the level. A salt
  computed cheaply from the password (say HMAC(password)) would let anyone test
  password guesses at HMAC speed; this one costs a full PBKDF2 run per guess,
  like the key itself.
- key-encryption key (KEK): PBKDF2(password, salt, 600,000), what the browser
  derives from the typed password.
- content key: HKDF(KEK, level). Pseudorandom, one per level, wrapped once
  with the KEK; the browser unwraps it and keeps it to open the level's
  other pages. Never derived straight from the password, for the same reason
  as the salt.
- IV of a page or file: HMAC(iv key, associated data || SHA-256(plaintext)),
  a synthetic IV (as in AES-SIV): it repeats only when URL and plaintext both
  repeat, i.e. when the ciphertext is the same one anyway.

Associated data binds each ciphertext to its level and URL, so a page's
ciphertext pasted into another page does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

VERSION = 1
CIPHER = "AES-256-GCM"
KDF = "PBKDF2-HMAC-SHA256"
ITERATIONS = 600_000
SALT_BYTES = 16
IV_BYTES = 12
LABEL = f"grasrot-members/{VERSION}"
FILE_MAGIC = b"GRM1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _hkdf(key: bytes, info: str) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=info.encode("utf-8")).derive(key)


@lru_cache(maxsize=64)
def pbkdf2(password: str, salt: bytes, iterations: int) -> bytes:
    """600,000 rounds take about 0.1 s here; cached so a process (a test run,
    `invoke serve` rebuilding) pays once per password, never per page."""
    kdf = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations)
    # NFC: "å" typed in a browser and "å" in a CI secret must be the same bytes.
    return kdf.derive(unicodedata.normalize("NFC", password).encode("utf-8"))


def pre_salt(site: str, level: str) -> bytes:
    """Public and stable: `site` is the site's random salt (keys/salt.txt), so
    the result is unique per site and level and no table fits two sites."""
    text = f"{LABEL}/pre-salt\0{site}\0{level}".encode()
    return hashlib.sha256(text).digest()[:SALT_BYTES]


def associated_data(level: str, path: str) -> bytes:
    """What a ciphertext is bound to: the format, the level and the site path."""
    return f"{LABEL}\n{level}\n{path}".encode()


@dataclass(frozen=True)
class LevelKey:
    """One level's keys for one build. Secret fields are never written."""

    level: str
    salt: bytes
    wrap_iv: bytes
    wrapped_key: bytes
    key_id: str
    content_key: bytes = field(repr=False)
    iv_key: bytes = field(repr=False)
    name_key: bytes = field(repr=False)

    def header(self) -> dict:
        """The public part every payload of this level carries."""
        return {
            "v": VERSION,
            "cipher": CIPHER,
            "kdf": KDF,
            "iterations": ITERATIONS,
            "level": self.level,
            "kid": self.key_id,
            "salt": b64(self.salt),
            "wrapIv": b64(self.wrap_iv),
            "wrappedKey": b64(self.wrapped_key),
        }


def derive_level_key(level: str, password: str, site: str) -> LevelKey:
    """Everything a level needs, from its password and the site's salt (`site`):
    two PBKDF2 runs per build."""
    first = pbkdf2(password, pre_salt(site, level), ITERATIONS)
    salt = _hmac(first, b"salt")[:SALT_BYTES]
    kek = pbkdf2(password, salt, ITERATIONS)
    content_key = _hkdf(kek, f"{LABEL}/content-key\0{level}")
    wrap_iv = _hmac(kek, b"wrap-iv")[:IV_BYTES]  # the KEK encrypts one message only
    wrapped = AESGCM(kek).encrypt(wrap_iv, content_key, associated_data(level, "#key"))
    return LevelKey(
        level=level,
        salt=salt,
        wrap_iv=wrap_iv,
        wrapped_key=wrapped,
        key_id=_hmac(content_key, b"key-id")[:8].hex(),
        content_key=content_key,
        iv_key=_hkdf(content_key, f"{LABEL}/iv"),
        name_key=_hkdf(content_key, f"{LABEL}/names"),
    )


def synthetic_iv(key: LevelKey, aad: bytes, plaintext: bytes) -> bytes:
    message = len(aad).to_bytes(4, "big") + aad + hashlib.sha256(plaintext).digest()
    return _hmac(key.iv_key, message)[:IV_BYTES]


def seal(key: LevelKey, path: str, plaintext: bytes) -> tuple[bytes, bytes]:
    """(iv, ciphertext with tag) of `plaintext` bound to `path`."""
    aad = associated_data(key.level, path)
    iv = synthetic_iv(key, aad, plaintext)
    return iv, AESGCM(key.content_key).encrypt(iv, plaintext, aad)


def page_payload(key: LevelKey, path: str, html: str, via=()) -> dict:
    """The JSON object a locked page embeds for its level. `via`: the keys of
    the higher levels, whose passwords open this page too (levels nest)."""
    iv, data = seal(key, path, html.encode("utf-8"))
    payload = {**key.header(), "iv": b64(iv), "data": b64(data)}
    if via:
        payload["via"] = [nested_key(higher, key) for higher in via]
    return payload


def nested_key(higher: LevelKey, lower: LevelKey) -> dict:
    """`lower`'s content key sealed under `higher`'s content key, with the
    header that opens `higher` from its password: the board's password (or
    its remembered key) then opens the members' pages too."""
    iv, sealed = seal(higher, nested_key_path(lower.level), lower.content_key)
    return {**higher.header(), "keyIv": b64(iv), "levelKey": b64(sealed)}


def nested_key_path(level: str) -> str:
    return f"#key/{level}"


def payload_json(payloads: list[dict]) -> str:
    """JSON safe inside <script type="application/json"> (no '<', stable order)."""
    text = json.dumps(payloads, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c")


def seal_file(key: LevelKey, path: str, data: bytes) -> bytes:
    """An attachment: magic, IV, ciphertext. The key header travels in the page."""
    iv, sealed = seal(key, path, data)
    return FILE_MAGIC + iv + sealed


def opaque_name(key: LevelKey, text: str, length: int = 12) -> str:
    """A name that reveals nothing without the level's key (slugs, file names)."""
    return _hmac(key.name_key, text.encode("utf-8"))[: length // 2].hex()


# --- Opening (tests, tools): the same steps as members.js -------------------


def open_payload(payload: dict, password: str, path: str) -> str:
    """Decrypt a page payload with a password (its level's, or a higher level's
    through `via`); raises on any mismatch."""
    try:
        content_key = _unwrap(payload, password)
    except Exception:
        for nested in payload.get("via", ()):
            try:
                higher = _unwrap(nested, password)
            except Exception:
                continue
            content_key = AESGCM(higher).decrypt(
                base64.b64decode(nested["keyIv"]),
                base64.b64decode(nested["levelKey"]),
                associated_data(nested["level"], nested_key_path(payload["level"])),
            )
            break
        else:
            raise
    plain = AESGCM(content_key).decrypt(
        base64.b64decode(payload["iv"]),
        base64.b64decode(payload["data"]),
        associated_data(payload["level"], path),
    )
    return plain.decode("utf-8")


def _unwrap(header: dict, password: str) -> bytes:
    kek = pbkdf2(password, base64.b64decode(header["salt"]), header["iterations"])
    return AESGCM(kek).decrypt(
        base64.b64decode(header["wrapIv"]),
        base64.b64decode(header["wrappedKey"]),
        associated_data(header["level"], "#key"),
    )
