"""Files that are not UTF-8 text are content errors with their names, collected
with every other error; a BOM and CRLF line ends are fine in every file type."""

from __future__ import annotations

import codecs

from conftest import build_site, copy_content, html, write
from helpers import invoke

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def cp1252(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("cp1252"))
    return path


def test_every_unreadable_file_is_reported_with_the_other_errors(tmp_path):
    content = tmp_path / "content"
    write(content / "news" / "ok.md", "Title: Bra\nDate: 2026-11-01\n\nText.\n")
    files = {
        # path: (line, words) of the error expected for it
        cp1252(
            content / "news" / "latin.md", "Title: Hej\nDate: 2026-11-01\n\nMöte i höst.\n"
        ): (4, "Windows-1252"),
        cp1252(
            content / "calendar" / "ekdala.yaml", "events:\n  - id: a\n    title: Möte\n"
        ): (3, "Windows-1252"),
        cp1252(
            content / "groups" / "sodra.md", "Title: Södra\nKind: district\n\nText.\n"
        ): (1, "Windows-1252"),
        write(
            content / "calendar" / "nul.yaml", 'events:\n  - id: b\n    title: "M\x00"\n'
        ): (3, "NUL-tecken"),
        content / "pages" / "bild.md": (1, "binärfil"),
        content / "news" / "kort.md": (3, "klippts av"),
        # ordinary mistakes in the same run must still be reported
        write(content / "news" / "datum.md", "Title: Fel\nDate: nope\n\nText.\n"): (
            2,
            "date",
        ),
        write(
            content / "calendar" / "fel.yaml",
            'events:\n  - id: c\n    title: Möte\n    start: "2026-02-30 18:00"\n',
        ): (4, "inget riktigt datum"),
    }
    (content / "pages").mkdir()
    (content / "pages" / "bild.md").write_bytes(PNG)
    (content / "news" / "kort.md").write_bytes("Title: Kort\n\nMöt".encode()[:-2])
    for command in (
        ["check", "--content", str(content)],
        ["build", "--content", str(content), "--output", str(tmp_path / "out")],
    ):
        result = invoke(*command)
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        lines = result.stderr.splitlines()
        for path, (line, words) in files.items():
            hits = [text for text in lines if text.startswith(f"{path}:{line}:")]
            assert hits and words in hits[0], (path, result.stderr)
        assert "spara den som UTF-8" in result.stderr
    assert not (tmp_path / "out").exists()


def test_bom_and_crlf_are_accepted_in_every_file_type(tmp_path):
    content = copy_content(tmp_path)
    for path in [
        *content.glob("news/*.md"),
        *content.glob("groups/*.md"),
        *content.glob("calendar/*.yaml"),
        *content.glob("pages/*.md"),
    ]:
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    output = build_site(content, tmp_path / "output")
    page = html(output / "grupper" / "centrum" / "index.html")
    assert page.h1.get_text(strip=True) == "Ekdala centrum"
    assert "\r" not in (output / "kalender" / "index.html").read_text(encoding="utf-8")
    news = html(output / "nyheter" / "hostmote-valkommen" / "index.html")
    assert news.h1.get_text(strip=True) == "Höstmöte: välkommen!"
