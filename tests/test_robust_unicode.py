"""Names typed in NFC (Windows, Linux) and NFD (macOS) are the same name."""

from __future__ import annotations

import unicodedata

from conftest import write
from helpers import invoke, tiny_site

NFC = unicodedata.normalize("NFC", "höst")
NFD = unicodedata.normalize("NFD", "höst")


def test_nfc_and_nfd_twins_are_one_slug(tmp_path):
    assert NFC != NFD
    content = tiny_site(tmp_path)
    first = write(content / "pages" / "a.md", f"Title: Höst A\nSlug: {NFC}\n\nA.\n")
    second = write(content / "pages" / "b.md", f"Title: Höst B\nSlug: {NFD}\n\nB.\n")
    result = invoke("check", "--content", str(content))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "slug" in line]
    assert any(line.startswith(f"{first}:2:") and "b.md" in line for line in lines), lines
    assert any(line.startswith(f"{second}:2:") and "a.md" in line for line in lines), lines


def test_links_match_in_either_form(tmp_path):
    content = tiny_site(tmp_path)
    write(content / "pages" / f"{NFC}.md", f"Title: Hösten\nSlug: {NFD}\n\nText.\n")
    write(
        content / "news" / "lank.md",
        f"Title: Länk\nDate: 2026-11-02\n\n[hösten]({{filename}}/pages/{NFD}.md)\n",
    )
    output = tmp_path / "output"
    result = invoke("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    folders = [p.name for p in output.iterdir() if p.is_dir()]
    assert NFC in folders and NFD not in folders
    post = (output / "nyheter" / "lank" / "index.html").read_text(encoding="utf-8")
    assert f'href="/{NFC}/"' in post
