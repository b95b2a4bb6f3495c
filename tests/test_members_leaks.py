"""Nothing protected leaks: canaries in every field, searched in every output file.

The site holds protected items whose every field carries its own canary
(body, title, summary, description, tags, footnote, image alt text, an
attachment, a draft, a hidden item, translations, a board page, a members-only
newsletter), all with å, ä and ö. It is built with OUTPUT_SOURCES on, into a
folder that still holds a complete build made WITHOUT the members plugin
(DELETE_OUTPUT_DIRECTORY off). Every output file (and every file name) is
searched for every canary in six forms: raw, HTML entities, JSON \\u escapes,
URL-encoded, base64 and lower case; and for the passwords.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BOARD_PASSWORD, MEMBERS_PASSWORD, ROOT, build_site, pelican_cli
from helpers import readable_bytes, scan, tiny_png
from pelican.utils import slugify

CANARIES = {
    "body": "BRÖDTEXT-kanarie-åäö-7101",
    "title": "RUBRIK-kanarie-åäö-7102",
    "summary": "SAMMANFATTNING-kanarie-åäö-7103",
    "description": "BESKRIVNING-kanarie-åäö-7104",
    "tag": "ETIKETT-kanarie-åäö-7105",
    "footnote": "FOTNOT-kanarie-åäö-7106",
    "alt": "BILDTEXT-kanarie-åäö-7107",
    "attachment": "BILAGA-kanarie-åäö-7108",
    "draft": "UTKAST-kanarie-åäö-7109",
    "hidden": "DOLD-kanarie-åäö-7110",
    "translation": "ÖVERSÄTTNING-kanarie-åäö-7111",
    "page translation": "SIDÖVERSÄTTNING-kanarie-åäö-7112",
    "board page": "STYRELSESIDA-kanarie-åäö-7113",
    "newsletter": "MEDLEMSBREV-kanarie-åäö-7114",
    "news": "NYHET-kanarie-åäö-7115",
}
PUBLIC_TEXT = "Öppen text som alla får läsa 4242"


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF holding `text` (WinAnsi), byte-identical each time."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            b"/Encoding /WinAnsiEncoding >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def leak_content(root: Path) -> Path:
    c = CANARIES
    files = {
        "pages/om-oss.md": f"Title: Om oss\nSlug: om-oss\n\n{PUBLIC_TEXT}\n",
        "pages/about.md": (
            f"Title: About us\nSlug: om-oss\nLang: en\nAccess: members\n\n"
            f"{c['page translation']}\n"
        ),
        "pages/styrelsen.md": (
            f"Title: Styrelsens sida {c['title']}\nAccess: board\n"
            f"Menu_order: 5\n\n{c['board page']}\n"
        ),
        "news/2026-11-01-oppen.md": (
            f"Title: Öppen nyhet\nDate: 2026-11-01\nTags: öppen\n\n{PUBLIC_TEXT}\n"
        ),
        "news/2026-11-02-intern.md": (
            f"Title: Intern nyhet {c['title']}\nDate: 2026-11-02\n"
            f"Access: members\nTags: öppen\n\n{c['news']}\n"
        ),
        "news/2026-11-03-intern-en.md": (
            f"Title: Internal news\nDate: 2026-11-02\n"
            f"Slug: intern-nyhet-{slugify(c['title'])}\n"
            f"Lang: en\n\n{c['translation']}\n"
        ),
        "news/2026-11-04-dold.md": (
            f"Title: Dold {c['title']}\nDate: 2026-11-04\n"
            f"Status: hidden\nAccess: members\n\n{c['hidden']}\n"
        ),
        "newsletters/2026-11-05-medlemsbrev.md": (
            f"---\ntitle: Medlemsbrev {c['title']}\ndate: 2026-11-05\naccess: members\n"
            f"summary: {c['summary']}\n---\n## Hej\n\n{c['newsletter']}\n"
        ),
        "minutes/2026-10-01-styrelsemote.md": (
            f"Title: Styrelsemöte {c['title']}\nDate: 2026-10-01 18:30\nAccess: board\n"
            f"Summary: {c['summary']}\nDescription: {c['description']}\n"
            f"Tags: {c['tag']}\n\n"
            f"§ 1 {c['body']} med en fotnot.[^1]\n\n"
            f"![{c['alt']}](bild.png)\n\n"
            f"[Bilaga]({{attach}}bilaga.pdf) och [samma bilaga](bilaga.pdf), "
            f"[text]({{attach}}bilaga-utf8.txt).\n\n"
            f"[^1]: {c['footnote']}\n"
        ),
        "minutes/2026-10-02-utkast.md": (
            f"Title: Utkast {c['title']}\nDate: 2026-10-02\nStatus: draft\n\n{c['draft']}\n"
        ),
    }
    content = root / "content"
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (content / "minutes" / "bilaga.pdf").write_bytes(
        tiny_pdf(c["attachment"].replace("å", "a").replace("ä", "a").replace("ö", "o"))
    )
    (content / "minutes" / "bilaga-utf8.txt").write_text(c["attachment"], encoding="utf-8")
    (content / "minutes" / "bild.png").write_bytes(tiny_png(c["alt"]))
    return content


PLAIN_SETTINGS = """import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa
PLUGINS = [p for p in PLUGINS if p != "grasrot_members"]
OUTPUT_SOURCES = True
GRASROT_EXTRA_METADATA = ["description"]  # a branch's own key, canary and all
"""


def build_stale_then_protected(root: Path, listing: str) -> Path:
    """A build without the members plugin (in its own process: Pelican's signals
    are global), then a protected build over it."""
    content = leak_content(root)
    output = root / "output"
    settings = root / "plainconf.py"
    settings.write_text(PLAIN_SETTINGS.format(root=str(ROOT)), encoding="utf-8")
    result = pelican_cli(content, output, settings)
    assert result.returncode == 0, result.stderr
    plain = {p.relative_to(output) for p in output.rglob("*") if p.is_file()}
    build_site(
        content,
        output,
        OUTPUT_SOURCES=True,
        DELETE_OUTPUT_DIRECTORY=False,
        MEMBERS_PUBLIC_LISTING=listing,
        CACHE_PATH=str(root / "cache-protected"),
        GRASROT_EXTRA_METADATA=["description"],
    )
    (root / "plain-files.txt").write_text(
        "\n".join(map(str, sorted(plain))), encoding="utf-8"
    )
    return output


@pytest.fixture(scope="module", params=["none", "title"])
def leak_site(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"leaks-{request.param}")
    return request.param, build_stale_then_protected(root, request.param)


def test_the_stale_build_really_leaked(leak_site):
    """The test can fail: without the plugin the canaries are in plain sight."""
    _listing, output = leak_site
    plain = (output.parent / "plain-files.txt").read_text(encoding="utf-8").splitlines()
    assert any("etikett" in name for name in plain)
    assert any(name.endswith((".text", ".md")) for name in plain)
    assert any(name.endswith("bilaga.pdf") for name in plain)


def test_no_canary_and_no_password_in_any_output_file(leak_site):
    listing, output = leak_site
    secrets = dict(CANARIES)
    if listing == "title":  # titles are public by choice: only bodies are secret
        secrets.pop("title")
    secrets.update(members_password=MEMBERS_PASSWORD, board_password=BOARD_PASSWORD)
    findings = scan(output, secrets)
    assert not findings, "\n".join(findings[:40])


def test_public_text_is_still_there(leak_site):
    """The scan reads real files: the public canary must be found."""
    _listing, output = leak_site
    assert scan(output, {"public": PUBLIC_TEXT})


def test_the_search_index_is_scanned_unpacked(leak_site):
    """Pagefind gzips its index: the scan must read it unpacked to see anything."""
    _listing, output = leak_site
    fragments = list((output / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments
    assert any(PUBLIC_TEXT.encode() in readable_bytes(f) for f in fragments)
    assert not any(PUBLIC_TEXT.encode() in f.read_bytes() for f in fragments)


def test_protected_urls_hold_ciphertext_only(leak_site):
    _listing, output = leak_site
    pages = [
        p for p in output.rglob("index.html") if b'id="members-payload"' in p.read_bytes()
    ]
    # board page, its members' translation, news + translation, hidden, newsletter,
    # minutes, and the members' index
    assert len(pages) == 8, sorted(str(p.relative_to(output)) for p in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex' in text
        assert 'property="og:' not in text and 'name="description"' not in text
        assert "application/ld+json" not in text


def test_drafts_are_never_written(leak_site):
    _listing, output = leak_site
    utkast = [p for p in output.rglob("*") if "utkast" in str(p).lower()]
    assert not utkast


def test_attachments_are_only_encrypted(leak_site):
    _listing, output = leak_site
    assert not list(output.rglob("*.pdf")) and not list(output.rglob("*.png"))
    assert not list(output.rglob("bilaga*"))
    encrypted = list((output / "medlemmar" / "filer").glob("*.bin"))
    assert len(encrypted) == 3  # the PDF (linked twice), the text file and the picture
    assert all(p.read_bytes().startswith(b"GRM1") for p in encrypted)


def test_public_lists_show_only_what_the_setting_allows(leak_site):
    listing, output = leak_site
    home = (output / "index.html").read_text(encoding="utf-8")
    archive = (output / "arkiv" / "index.html").read_text(encoding="utf-8")
    if listing == "title":
        assert "Styrelsemöte RUBRIK-kanarie-åäö-7102" in home + archive
    else:
        assert "kanarie" not in (home + archive).lower()
    assert not (output / "etikett" / slugify(CANARIES["tag"])).exists()
    assert (output / "etikett" / "oppen" / "index.html").exists()  # public tag kept
