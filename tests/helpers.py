"""Helpers shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import base64
import gzip
import html.entities
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from conftest import ROOT, TEST_ENV, build_site, copy_content, write
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


# --- The preview: a real `invoke serve` process, driven over HTTP ----------------------

OVERLAY = 'id="grasrot-preview-errors"'
FIRST_BUILD_DEADLINE = 240  # seconds; a busy 2-core machine builds the example slowly
EDIT_DEADLINE = 120
PREVIEW_SLUG = "forhandsvisning"  # the edited post's address: nyheter/forhandsvisning/


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def poll(url: str, condition, deadline: float, what: str) -> str:
    """GET `url` until condition(text) holds; fail with the last text at the deadline."""
    until = time.monotonic() + deadline
    last = ""
    while time.monotonic() < until:
        try:
            status, last = fetch(url)
            if status == 200 and condition(last):
                return last
        except OSError:
            pass
        time.sleep(0.2)  # the interval between polls, not a wait for a result
    pytest.fail(
        f"{what}: not seen within {deadline} s at {url}; last page ends {last[-600:]!r}"
    )


def save(path: Path, text: str) -> None:
    """Save a file as an editor does: the whole new text appears at once (written
    beside it, then renamed over it), so a watcher never reads half a file."""
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def preview_post(content: Path) -> Path:
    """The post the preview tests edit (Serve gives it the slug PREVIEW_SLUG)."""
    return sorted((content / "news").glob("*.md"))[-1]


class Serve:
    """`invoke serve` on a copy of the example content, on a free port."""

    def __init__(self, tmp_path: Path):
        self.content = copy_content(tmp_path)
        post = preview_post(self.content)
        text = post.read_text(encoding="utf-8")
        post.write_text(
            text.replace("Title: ", f"Slug: {PREVIEW_SLUG}\nTitle: ", 1), encoding="utf-8"
        )
        self.output = tmp_path / "output"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.post_url = f"{self.url}/nyheter/{PREVIEW_SLUG}/"
        environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
        environment.update(TEST_ENV)
        self.log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("invoke")),
                "serve",
                "--port",
                str(self.port),
                "--content",
                str(self.content),
                "--output",
                str(self.output),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> str:
        """End the process as Ctrl-C does; return what it printed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.seek(0)
        return self.log.read()


# --- Members' pages --------------------------------------------------------------------


def payloads(page: Path) -> list[dict]:
    """The encrypted payloads of a protected page (its members-payload script)."""
    html = page.read_text(encoding="utf-8")
    return json.loads(
        re.search(r'id="members-payload">(.*?)</script>', html, re.S).group(1)
    )


# --- Theme: another branch, a small branch, a wide table -------------------------------


SECOND_BRAND = {
    "SITENAME": "Riverside Branch",
    "PARTY_NAME": "Example Party",
    "SITE_TAGLINE": "Local politics for the whole of Riverside.",
    "SITE_LOGO": "images/riverside-logo.svg",
    "BRAND_COLORS": {"primary": "#5b2a86", "secondary": "#ffb000"},
    "DEFAULT_LANG": "en",
    "CONTACT": {"email": "hello@riverside.example.org"},
    "SOCIAL": (("Mastodon", "https://social.example.org/@riverside"),),
    "MENUITEMS": (("Calendar", "kalender/"), ("Groups", "grupper/"), ("News", "nyheter/")),
}
RIVERSIDE_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#5b2a86"/></svg>\n'
)


def build_second_brand(root: Path, **extra) -> Path:
    """The example content as another branch: name, logo, colours, English."""
    content = copy_content(root)
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "riverside-logo.svg").write_text(RIVERSIDE_LOGO, encoding="utf-8")
    return build_site(content, root / "output", **{**SECOND_BRAND, **extra})


def small_branch(root: Path) -> Path:
    """A content folder with one menu page."""
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "om.md").write_text(
        "Title: Om oss\nMenu_order: 1\n\nHej.\n", encoding="utf-8"
    )
    return content


WIDE_TABLE = (
    "| "
    + " | ".join(f"Kolumn {i}" for i in range(12))
    + " |\n"
    + "|"
    + "---|" * 12
    + "\n"
    + "| "
    + " | ".join("Ett långt värde" for _ in range(12))
    + " |\n"
)


def table_branch(root: Path) -> Path:
    """small_branch plus a page with a table wider than a phone."""
    content = small_branch(root)
    (content / "pages" / "budget.md").write_text(
        "Title: Budget\n\nSiffrorna:\n\n" + WIDE_TABLE, encoding="utf-8"
    )
    return content


PLAIN_SETTING_TYPES = (str, int, float, bool, type(None), date, datetime, Path)


def runtime_objects(settings: dict) -> dict[str, str]:
    """Settings whose value is not a plain setting (a build's run-time object):
    {key: type name}. Functions count as settings (SLUGIFY_SOURCE and the like)."""

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(plain(k) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple, set, frozenset)):
            return all(plain(item) for item in value)
        return isinstance(value, PLAIN_SETTING_TYPES) or callable(value)

    return {
        key: type(value).__name__ for key, value in settings.items() if not plain(value)
    }
