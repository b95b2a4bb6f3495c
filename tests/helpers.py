"""Helpers shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import base64
import gzip
import html.entities
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus

from conftest import ROOT, TEST_ENV, write
from pelican.utils import slugify

# Every page type of the site, as (name, output file). The browser tests use the
# same list (at 390 and 1280 px).
PAGE_TYPES = [
    ("home", "index.html"),
    ("home-page-2", "sida/2/index.html"),
    ("page", "om-oss/index.html"),
    ("news-article", "nyheter/introduktionskvall-for-nya-medlemmar/index.html"),
    ("news", "nyheter/index.html"),
    ("newsletter", "nyhetsbrev/nyhetsbrev-november-2026/index.html"),
    ("newsletters", "nyhetsbrev/index.html"),
    ("tag", "etikett/medlemsmote/index.html"),
    ("archives", "arkiv/index.html"),
    ("group", "grupper/centrum/index.html"),
    ("group-directory", "grupper/index.html"),
    ("calendar", "kalender/index.html"),
    ("calendar-month", "kalender/manad/2026-12/index.html"),
    ("calendar-past", "kalender/arkiv/index.html"),
    ("event", "kalender/ekdala/mototeknik-utbildning/index.html"),
    ("event-series", "kalender/ekdala/medlemsmote/index.html"),
    ("members-unlock", "medlemmar/index.html"),
    ("404", "404.html"),
    ("subscribe", "prenumerera/index.html"),
]
# Written by another plugin that may not be installed yet in a given checkout.
OPTIONAL = {
    "members-unlock": "the members' area (grasrot_members) has not written medlemmar/",
}


def tiny_site(tmp_path):
    """A content folder with one news post."""
    content = tmp_path / "content"
    write(content / "news" / "hej.md", "Title: Hej\nDate: 2026-11-01\n\nText.\n")
    return content


def invoke(*args, timeout=60):
    """`invoke <args>` as a user runs it; a hang fails the test (timeout)."""
    environment = {**os.environ, **TEST_ENV}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tiny_png(comment: str) -> bytes:
    """A 1x1 PNG with a text chunk, so the picture's bytes hold a canary too."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\0" + comment.encode("utf-8"))
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def forms(text: str) -> dict[str, bytes]:
    """The six forms a canary might take in an output file, as bytes."""
    raw = text.encode("utf-8")
    named = "".join(
        f"&{html.entities.codepoint2name[ord(ch)]};" if ord(ch) > 127 else ch for ch in text
    )
    found = {
        "raw": raw,
        "html decimal entities": "".join(
            f"&#{ord(ch)};" if ord(ch) > 127 else ch for ch in text
        ).encode(),
        "html hex entities": "".join(
            f"&#x{ord(ch):x};" if ord(ch) > 127 else ch for ch in text
        ).encode(),
        "html named entities": named.encode(),
        "json \\u escapes": json.dumps(text, ensure_ascii=True)[1:-1].encode(),
        "url-encoded": quote(text).encode(),
        "url-encoded (plus)": quote_plus(text).encode(),
        "latin-1": text.encode("latin-1"),
        "lower case": text.lower().encode("utf-8"),
        "slug": slugify(text).encode(),
    }
    for offset in range(3):  # base64 at each alignment of a 3-byte group
        encoded = base64.b64encode(b"\0" * offset + raw)
        found[f"base64 +{offset}"] = encoded[4 if offset else 0 : -4]
    return found


def readable_bytes(path: Path) -> bytes:
    """A file's bytes, and for gzip files (Pagefind's index) the unpacked bytes too."""
    data = path.read_bytes()
    if data.startswith(b"\x1f\x8b"):
        data += gzip.decompress(data)
    return data


def scan(output: Path, secrets: dict[str, str]) -> list[str]:
    """Every (file, secret, form) where a secret shows up, in contents or names."""
    patterns = [
        (name, form, needle)
        for name, text in secrets.items()
        for form, needle in forms(text).items()
    ]
    found = []
    for path in sorted(output.rglob("*")):
        relative = str(path.relative_to(output)).encode("utf-8")
        data = readable_bytes(path) if path.is_file() else b""
        lowered = data.lower()
        for name, form, needle in patterns:
            if needle in data or (form == "lower case" and needle.lower() in lowered):
                found.append(f"{path.relative_to(output)}: {name} ({form})")
            if needle.lower() in relative.lower():
                found.append(f"file name {relative.decode()}: {name} ({form})")
    return found
