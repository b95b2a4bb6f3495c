"""Links in content survive any site address, and a broken one stops the build.

- Root-relative links ('/kalender/') are rewritten to SITEURL, also under a
  sub-path (https://owner.github.io/repo).
- Every link an officer wrote is checked before anything is written; a broken
  one is a content error at the line (and column) where it was written.
- The checker's list of files the build will write matches what it writes.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import (
    PELICANCONF,
    PUBLISHCONF,
    TEST_ENV,
    build_site,
    copy_content,
    html,
    write,
)

from grasrot_core import ContentErrorsFound

SUBPATH_SITE = "https://ekdala-parti.github.io/gräsrot-exempel"
GOOD_LINKS = """\
Title: Länkar som fungerar
Date: 2026-11-10

Se [kalendern](/kalender/), [centrum](/grupper/centrum/) och
[medlemsmötet](/kalender/centrum/gruppmote/).
[Om oss](../../om-oss/) och [styrelsen]({filename}../pages/om-oss.md#sa-styrs-foreningen),
[protokollet](/protokoll/styrelsemote-12-mars-2026/), [logga]({static}../extra/favicon.svg),
[flödet](/kalender/ics/alla.ics), [tillbaka upp](#langre-ner) och [start]({index}).
Kartan: ![Karta]({attach}karta.svg)

## Längre ner
"""


def _build_capturing(content: Path, output: Path, settings_file=PELICANCONF, **overrides):
    """Build like conftest.build_site, and return the settings (for the checker's plan)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    saved = {key: os.environ.get(key) for key in TEST_ENV}
    os.environ.update(TEST_ENV)
    try:
        settings = read_settings(
            str(settings_file),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "CACHE_PATH": str(output.parent / ".cache"),
                **overrides,
            },
        )
        Pelican(settings).run()
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.update({key: value})
    return settings


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory):
    """The example branch with good links added, published under a sub-path."""
    root = tmp_path_factory.mktemp("links-subpath")
    content = copy_content(root)
    write(content / "news" / "2026-11-10-lankar.md", GOOD_LINKS)
    write(content / "news" / "karta.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    output = root / "output"
    previous = os.environ.get("SITEURL")
    os.environ["SITEURL"] = SUBPATH_SITE
    try:
        settings = _build_capturing(content, output, PUBLISHCONF)
    finally:
        os.environ.pop("SITEURL") if previous is None else os.environ.update(
            {"SITEURL": previous}
        )
    return output, settings


def test_root_relative_links_get_the_sub_path(subpath_site):
    output, _settings = subpath_site
    page = html(output / "om-oss" / "index.html")
    hrefs = {a["href"] for a in page.select("main a[href]")}
    assert f"{SUBPATH_SITE}/kalender/" in hrefs
    assert f"{SUBPATH_SITE}/grupper/" in hrefs
    assert not any(href.startswith("/") for href in hrefs)


def test_every_link_inside_the_site_leads_to_a_written_file(subpath_site):
    """Crawl the published site: every href/src inside its address exists."""
    output, _settings = subpath_site
    base = urlsplit(SUBPATH_SITE + "/")
    broken = []
    for page in output.rglob("*.html"):
        relative = page.relative_to(output).as_posix()
        here = f"{SUBPATH_SITE}/{relative}"
        for tag in html(page).select("[href], [src]"):
            link = urljoin(here, tag.get("href") or tag.get("src"))
            parts = urlsplit(link)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                continue
            path = unquote(parts.path)
            assert path.startswith(unquote(base.path)), (relative, link)
            target = output / path[len(unquote(base.path)) :]
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append((relative, link))
    assert not broken, broken[:10]


def test_the_checkers_plan_is_what_the_build_writes(subpath_site):
    import grasrot_links

    output, settings = subpath_site
    planned = grasrot_links.state_of(settings).planned
    written = {
        path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()
    }
    # The search index's content-named files (pagefind/fragment/…, *.pf_meta)
    # exist only after Pagefind has read the written pages; its fixed files are planned.
    hashed = {
        p
        for p in written
        if p.startswith("pagefind/") and (p.count("/") > 1 or p.endswith(".pf_meta"))
    }
    assert hashed and planned == written - hashed
    assert "nyheter/lankar-som-fungerar/karta.svg" in written  # moved by {attach}


BROKEN = {
    # (line in the file, what is written there, words the error must contain)
    "root": (
        4,
        "Läs [kalendern](/kalendr/) först.\n",
        "the link '/kalendr/' leads nowhere. Did you mean '/kalender/'?",
    ),
    "relative": (
        5,
        "Eller [grupperna](../../gruper/).\n",
        "the link '../../gruper/' leads nowhere. Did you mean '../../grupper/'?",
    ),
    "filename": (
        6,
        "Se [sidan]({filename}../pages/om-os.md).\n",
        "there is no content/pages/om-os.md. Did you mean 'pages/om-oss.md'?",
    ),
    "anchor": (
        7,
        "Se [styrelsen]({filename}../pages/om-oss.md#styrelse).\n",
        "the page has no '#styrelse'",
    ),
    "static": (
        8,
        "Här är [bilden]({static}../images/saknas.png).\n",
        "there is no content/images/saknas.png",
    ),
    "own-site": (
        9,
        f"En [fullständig länk]({SUBPATH_SITE}/nyheter/finns-inte/).\n",
        f"the link '{SUBPATH_SITE}/nyheter/finns-inte/' leads nowhere",
    ),
    "same-page": (10, "Hoppa [hit](#ingenstans).\n", "the page has no '#ingenstans'"),
}


def test_broken_links_are_content_errors_at_their_line(tmp_path):
    content = copy_content(tmp_path)
    body = "".join(text for _line, text, _words in BROKEN.values())
    post = write(
        content / "news" / "2026-11-10-trasig.md",
        "Title: Trasiga länkar\nDate: 2026-11-10\n\n" + body,
    )
    write(content / "pages" / "utkast.md", "Title: Utkast\nStatus: draft\n\nInte klar.\n")
    write(
        content / "pages" / "lankar.md",
        "Title: Länkar\n\nTill [utkastet]({filename}utkast.md).\n",
    )
    output = tmp_path / "output"
    os.environ["SITEURL"] = SUBPATH_SITE
    try:
        with pytest.raises(ContentErrorsFound) as found:
            build_site(content, output, PUBLISHCONF)
    finally:
        os.environ.pop("SITEURL")
    errors = [e for e in found.value.errors if Path(e.path).name == post.name]
    for name, (line, written, words) in BROKEN.items():
        column = written.index("[") + 1
        mine = [e for e in errors if e.line == line]
        assert mine, (name, [str(e) for e in errors])
        assert words in mine[0].message, (name, mine[0].message)
        assert mine[0].col == column, (name, str(mine[0]))
    assert len(errors) == len(BROKEN), [str(e) for e in errors]
    draft = [e for e in found.value.errors if Path(e.path).name == "lankar.md"]
    assert draft and "leads to a draft" in draft[0].message and draft[0].line == 3
    assert not output.exists() or not any(output.iterdir())


def test_event_descriptions_and_group_pages_are_checked_too(tmp_path):
    content = tmp_path / "content"
    write(
        content / "groups" / "centrum.md",
        "Title: Centrum\nKind: district\nAreas: Hamnen\n\nSe [kalendern](/kalendr/).\n",
    )
    write(
        content / "calendar" / "centrum.yaml",
        'events:\n  - id: mote\n    title: Möte\n    start: "2026-12-01 18:00"\n'
        "    description: |\n      Läs [mer](/grupper/centrun/).\n",
    )
    with pytest.raises(ContentErrorsFound) as found:
        build_site(content, tmp_path / "output")
    shown = sorted(str(error) for error in found.value.errors)
    assert any(
        s.endswith(
            "groups/centrum.md:5:4: the link '/kalendr/' leads nowhere. "
            "Did you mean '/kalender/'?"
        )
        for s in shown
    ), shown
    assert any(
        "calendar/centrum.yaml:6:11: the link '/grupper/centrun/' leads nowhere. "
        "Did you mean '/grupper/centrum/'?" in s
        for s in shown
    ), shown


def test_root_relative_links_in_event_descriptions_are_full_addresses_in_ics(tmp_path):
    import icalendar

    content = tmp_path / "content"
    write(
        content / "calendar" / "ekdala.yaml",
        "group: ekdala\nevents:\n  - id: mote\n    title: Möte\n"
        '    start: "2026-12-01 18:00"\n    description: Se [kalendern](/kalender/).\n',
    )
    output = tmp_path / "output"
    os.environ["SITEURL"] = SUBPATH_SITE
    try:
        build_site(content, output, PUBLISHCONF)
    finally:
        os.environ.pop("SITEURL")
    [event] = icalendar.Calendar.from_ical(
        (output / "kalender" / "ekdala" / "mote" / "mote.ics").read_bytes()
    ).walk("VEVENT")
    assert f"kalendern ({SUBPATH_SITE}/kalender/)" in str(event["DESCRIPTION"])
    page = html(output / "kalender" / "ekdala" / "mote" / "index.html")
    assert page.select_one(f'.cal-description a[href="{SUBPATH_SITE}/kalender/"]')


def test_message_format_names_source_line_and_column(tmp_path):
    content = tmp_path / "content"
    write(
        content / "news" / "x.md",
        "Title: X\nDate: 2026-11-01\n\n" + "\n" * 8 + "Se [kalendern](/kalendr/).\n",
    )
    with pytest.raises(ContentErrorsFound) as found:
        build_site(content, tmp_path / "output")
    [error] = found.value.errors
    assert str(error).endswith(
        "news/x.md:12:4: the link '/kalendr/' leads nowhere. Did you mean '/kalender/'?"
    )
