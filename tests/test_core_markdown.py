"""One Markdown set-up: posts, group files and calendar descriptions all follow
MARKDOWN, including extensions listed without a configuration."""

from __future__ import annotations

from conftest import build_site, html, write
from helpers import tiny_site

# nl2br is listed under "extensions" only: Pelican loads it for posts, so the
# groups and the calendar must too.
MARKDOWN = {
    "extensions": ["markdown.extensions.nl2br"],
    "extension_configs": {"markdown.extensions.extra": {}},
    "output_format": "html5",
}


def test_markdown_extensions_apply_to_groups_and_calendar(tmp_path):
    content = tiny_site(tmp_path)
    write(
        content / "groups" / "norr.md",
        "Title: Norr\nKind: district\nAreas: Norr\n\nRad ett\nrad två\n",
    )
    write(
        content / "calendar" / "norr.yaml",
        "group: norr\nevents:\n  - id: mote\n    title: Möte\n"
        '    start: "2026-12-02 18:30"\n    description: "Första\\nandra"\n',
    )
    output = build_site(content, tmp_path / "out", MARKDOWN=MARKDOWN)

    group = html(output / "grupper" / "norr" / "index.html")
    assert group.select_one(".group-description br") is not None
    event_pages = sorted((output / "kalender").rglob("*mote*/index.html"))
    assert event_pages, sorted(p.name for p in (output / "kalender").iterdir())
    description = html(event_pages[0]).select_one(".cal-description")
    assert description is not None and description.find("br") is not None
