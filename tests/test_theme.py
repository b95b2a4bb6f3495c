"""The theme at build level: branding settings, menu, page types, valid HTML,
the home page budget, no third-party requests, gettext catalogs.

Browser checks (axe, widths, screenshots) are in test_theme_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import PELICANCONF, ROOT, build_site
from helpers import (
    OPTIONAL,
    PAGE_TYPES,
    build_second_brand,
    small_branch,
    table_branch,
)

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HOME_BUDGET = 50 * 1024
# <link rel> values that make the browser fetch something.
FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "mask-icon",
}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(site: Path, name: str, relative: str) -> Path:
    path = site / relative
    if not path.is_file():
        if name in OPTIONAL:
            pytest.skip(f"{name}: {OPTIONAL[name]}")
        pytest.fail(f"{name}: {relative} was not written")
    return path


def existing_pages(site: Path) -> list[tuple[str, Path]]:
    return [(name, site / rel) for name, rel in PAGE_TYPES if (site / rel).is_file()]


# --- Every page type: skip link, landmarks, one h1, brand, language ----------------


@pytest.mark.parametrize("name,relative", PAGE_TYPES, ids=[n for n, _ in PAGE_TYPES])
def test_every_page_type_has_skip_link_landmarks_and_brand(example_site, name, relative):
    page = soup(page_file(example_site, name, relative))
    assert page.html["lang"] == "sv"
    first_link = page.body.find("a")
    assert "skip-link" in first_link.get("class", []) and first_link["href"] == "#main"
    assert page.find("main", id="main"), "the skip link's target"
    assert len(page.find_all("main")) == 1
    assert page.find("header", class_="site-header")
    assert page.find("footer", class_="site-footer")
    for nav in page.find_all("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby"), nav.get("class")
    labels = [n.get("aria-label") for n in page.find_all("nav") if n.get("aria-label")]
    assert len(labels) == len(set(labels)), f"navigation landmarks share a label: {labels}"
    assert len(page.find_all("h1")) == 1
    assert "--brand-primary:#1d5e3a" in page.find("style").string
    assert page.select_one('link[rel=stylesheet][href="/theme/css/main.css"]')


def test_menu_lists_pages_by_menu_order_then_menuitems_and_marks_the_current_page(
    example_site,
):
    page = soup(example_site / "om-oss" / "index.html")
    menu = page.find("nav", attrs={"aria-label": "Huvudmeny"})
    links = [(a.get_text(strip=True), a["href"]) for a in menu.find_all("a")]
    assert links[:5] == [
        ("Om oss", "/om-oss/"),
        ("Engagera dig", "/engagera-dig/"),
        ("Bli medlem", "/bli-medlem/"),
        ("Kontakt", "/kontakt/"),
        ("Vår politik i Ekdala", "/vår-politik/"),
    ]
    assert links[5:] == [
        ("Kalender", "/kalender/"),
        ("Grupper", "/grupper/"),
        ("Nyheter", "/nyheter/"),
        ("Nyhetsbrev", "/nyhetsbrev/"),
    ]
    current = menu.select('a[aria-current="page"]')
    assert [a["href"] for a in current] == ["/om-oss/"]
    # Inside a section: the section's item is highlighted, but is not "the page".
    article = soup(
        example_site / "nyheter" / "introduktionskvall-for-nya-medlemmar" / "index.html"
    ).find("nav", attrs={"aria-label": "Huvudmeny"})
    assert not article.select("a[aria-current]")
    assert article.select_one("a.is-section")["href"] == "/nyheter/"
    calendar = soup(example_site / "kalender" / "index.html")
    assert (
        calendar.find("nav", attrs={"aria-label": "Huvudmeny"}).select_one(
            'a[aria-current="page"]'
        )["href"]
        == "/kalender/"
    )


def test_home_page_has_intro_events_news_newsletter_and_groups(example_site):
    page = soup(example_site / "index.html")
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == "Ekdala lokalavdelning"
    assert "grannar som vill göra skillnad" in main.select_one(".home-intro").get_text()
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings[:4] == [
        "Kommande aktiviteter",
        "Senaste nytt",
        "Senaste nyhetsbrevet",
        "Grupper",
    ]
    assert len(main.select(".cal-next .cal-item")) == 3
    news = main.select(".home-news .post-card")
    assert 3 <= len(news) <= 5
    assert all(a["href"].startswith("/nyheter/") for a in main.select(".home-news h3 a"))
    assert (
        main.select_one(".home-newsletter h3 a")["href"]
        == "/nyhetsbrev/nyhetsbrev-november-2026/"
    )
    assert len(main.select(".home-groups li a")) >= 6
    # The intro page is unlisted: not in the menu, not in the sitemap.
    assert "/start/" not in str(page.find("nav"))
    assert "/start/" not in (example_site / "sitemap.xml").read_text(encoding="utf-8")


def test_second_index_page_shows_the_list_only(example_site):
    page = soup(example_site / "sida" / "2" / "index.html")
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == "Alla inlägg"
    assert not main.select(".home-intro, .cal-next")
    assert main.select(".post-card")
    pagination = main.find("nav", class_="pagination")
    assert pagination.select_one("a[rel=prev]")["href"] == "/"
    assert "Sida 2 av" in pagination.get_text()


def test_category_pages_have_translated_headings(example_site):
    assert soup(example_site / "nyheter" / "index.html").find("h1").get_text() == "Nyheter"
    assert (
        soup(example_site / "nyhetsbrev" / "index.html").find("h1").get_text()
        == "Nyhetsbrev"
    )


def test_article_links_its_groups_and_tags(example_site):
    page = soup(example_site / "nyheter" / "hostmote-valkommen" / "index.html")
    footer = page.select_one(".post__footer")
    assert footer.select('a[href^="/grupper/"]')
    assert footer.select('a[href^="/etikett/"]')
    assert page.select_one(".kicker a")["href"] == "/nyheter/"


def test_404_page_is_written_noindex_and_not_in_the_sitemap(example_site):
    page = soup(example_site / "404.html")
    assert page.find("h1").get_text() == "Sidan finns inte"
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert not page.find("link", rel="canonical")
    assert "404" not in (example_site / "sitemap.xml").read_text(encoding="utf-8")
    # Links are root-relative, so the page works at any missing address.
    assert page.select_one("main a")["href"] == "/"


def test_logo_and_favicon(example_site):
    page = soup(example_site / "index.html")
    logo = page.select_one(".site-header img.brand__logo")
    assert logo["src"] == "/theme/images/logo.svg" and logo["alt"] == ""
    assert (example_site / "theme" / "images" / "logo.svg").is_file()
    assert page.select_one("link[rel=icon]")["href"] == "/favicon.svg"
    assert (example_site / "favicon.svg").is_file()
    # The brand link's accessible name is the branch's name.
    assert (
        page.select_one("a.brand")
        .get_text(" ", strip=True)
        .startswith("Ekdala lokalavdelning")
    )


def test_css_has_focus_dark_mode_reduced_motion_and_print():
    css = (ROOT / "theme" / "static" / "css" / "main.css").read_text(encoding="utf-8")
    assert re.search(r":focus-visible\s*{[^}]*outline:\s*3px solid", css)
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert "@media print" in css
    assert "@import" not in css and "url(" not in css  # no fonts or images fetched
    assert "overflow-wrap: anywhere" in css


# --- Valid HTML (Nu HTML Checker) -----------------------------------------------


def test_every_page_type_is_valid_html(example_site):
    java = shutil.which("java")
    if java is None:  # the same failure for every user, root or not, as Chromium's
        pytest.fail(
            "java is missing: run scripts/ensure-test-tools.sh (as root it installs "
            "default-jre-headless; otherwise: sudo apt-get install default-jre-headless)"
        )
    if not VNU_JAR.is_file():
        pytest.fail(
            f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci` "
            "(scripts/ensure-test-tools.sh does it)"
        )
    files = [str(path) for _name, path in existing_pages(example_site)]
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = [
        f"{Path(m.get('url', '')).as_posix().split(str(example_site.name) + '/')[-1]}"
        f":{m.get('lastLine')}: {m.get('message')}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)


# --- Budgets ------------------------------------------------------------------------


def home_weight(site: Path) -> dict[str, int]:
    """Bytes of the home page's HTML and every same-origin CSS and JS it loads."""
    html_path = site / "index.html"
    page = soup(html_path)
    sizes = {"index.html": html_path.stat().st_size}
    refs = [
        link["href"]
        for link in page.find_all("link", href=True)
        if "stylesheet" in link.get("rel", [])
    ]
    refs += [script["src"] for script in page.find_all("script", src=True)]
    for ref in refs:
        parts = urlsplit(ref)
        assert not parts.netloc, f"third-party resource on the home page: {ref}"
        sizes[parts.path] = (site / parts.path.lstrip("/")).stat().st_size
    return sizes


def test_home_page_html_css_and_js_stay_under_50_kb(example_site):
    sizes = home_weight(example_site)
    total = sum(sizes.values())
    print(f"home page budget: {total} bytes of {HOME_BUDGET}: {sizes}")
    assert total < HOME_BUDGET, sizes


def test_no_page_loads_anything_from_another_host(example_site):
    offenders = []
    for path in example_site.rglob("*.html"):
        page = soup(path)
        for tag in page.find_all(
            [
                "script",
                "img",
                "iframe",
                "source",
                "video",
                "audio",
                "embed",
                "object",
                "track",
                "input",
            ]
        ):
            for attribute in ("src", "data", "poster", "srcset"):
                value = tag.get(attribute)
                if value and re.match(r"^(https?:)?//", value.strip()):
                    offenders.append((path.relative_to(example_site), tag.name, value))
        for link in page.find_all("link", href=True):
            if FETCHING_RELS & set(link.get("rel", [])) and re.match(
                r"^(https?:)?//", link["href"]
            ):
                offenders.append((path.relative_to(example_site), "link", link["href"]))
        for style in page.find_all("style"):
            if "url(" in (style.string or "") or "@import" in (style.string or ""):
                offenders.append((path.relative_to(example_site), "style", "url()"))
    assert offenders == []


# --- A second brand -------------------------------------------------------------------


@pytest.fixture(scope="module")
def second_brand(tmp_path_factory):
    return build_second_brand(tmp_path_factory.mktemp("second-brand"))


def test_second_brand_shows_its_name_logo_colours_and_english(second_brand):
    page = soup(second_brand / "index.html")
    assert page.html["lang"] == "en"
    assert page.title.get_text() == "Riverside Branch – Example Party"
    header = page.find("header")
    assert "Riverside Branch" in header.get_text() and "Example Party" in header.get_text()
    logo = header.select_one("img.brand__logo")
    assert logo["src"] == "/images/riverside-logo.svg"
    assert logo["width"] == "144" and logo["height"] == "48"  # from the viewBox, 3:1
    assert (second_brand / "images" / "riverside-logo.svg").is_file()
    style = page.find("style").string
    assert "--brand-primary:#5b2a86" in style and "--brand-secondary:#ffb000" in style
    assert "--brand-on-primary:#ffffff" in style  # derived: white reads on purple
    assert "--brand-on-secondary:#1a1a1a" in style
    for text in (
        "Skip to content",
        "Upcoming events",
        "Latest news",
        "Latest newsletter",
        "All news",
        "Groups",
    ):
        assert text in page.get_text(), text
    assert "November 19, 2026" in page.get_text()  # Babel, English
    menu = [a.get_text(strip=True) for a in page.find("nav").find_all("a")]
    assert menu[-3:] == ["Calendar", "Groups", "News"]
    footer = page.find("footer")
    assert "hello@riverside.example.org" in footer.get_text()
    assert footer.select_one('a[href="https://social.example.org/@riverside"]')
    everywhere = " ".join(str(t) for t in (page.title, header, footer))
    assert "Ekdala lokalavdelning" not in everywhere and "Exempelpartiet" not in everywhere


def test_second_brand_other_page_types_are_english(second_brand):
    assert soup(second_brand / "404.html").find("h1").get_text() == "Page not found"
    assert soup(second_brand / "nyheter" / "index.html").find("h1").get_text() == "News"
    assert soup(second_brand / "arkiv" / "index.html").find("h1").get_text() == "Archive"
    article = soup(
        second_brand / "nyheter" / "introduktionskvall-for-nya-medlemmar" / "index.html"
    )
    assert "November 19, 2026" in article.select_one(".post__meta").get_text()
    assert article.find("a", class_="skip-link").get_text() == "Skip to content"


# --- Contrast check ---------------------------------------------------------------------


def test_a_colour_pair_failing_wcag_aa_warns_but_the_build_succeeds(tmp_path, capsys):
    output = build_site(
        small_branch(tmp_path),
        tmp_path / "out",
        BRAND_COLORS={
            "primary": "#f2c14e",
            "on_primary": "#ffffff",
            "secondary": "#1d5e3a",
            "on_secondary": "#1a1a1a",
        },
    )
    stderr = capsys.readouterr().err
    assert "'on_primary' #ffffff på 'primary' #f2c14e" in stderr  # the sv example
    assert "'on_secondary' #1a1a1a på 'secondary' #1d5e3a" in stderr
    assert "WCAG AA kräver 4.5:1" in stderr
    assert (output / "index.html").is_file()  # a warning, not an error
    # Links on the white page get a darker shade of the too-light primary.
    style = soup(output / "index.html").find("style").string
    light = re.search(r"--primary-light:(#[0-9a-f]{6})", style).group(1)
    from grasrot_theme.colors import contrast

    assert contrast(light, "#ffffff") >= 4.5


def test_good_colours_print_nothing(tmp_path, capsys):
    build_site(small_branch(tmp_path), tmp_path / "out")
    assert "Gräsrot theme" not in capsys.readouterr().err


def test_a_colour_that_is_not_a_colour_stops_the_build(tmp_path):
    from grasrot_theme import BrandSettingsError

    with pytest.raises(BrandSettingsError, match=r"BRAND_COLORS\['primary'\] = 'grön'"):
        build_site(
            small_branch(tmp_path), tmp_path / "out", BRAND_COLORS={"primary": "grön"}
        )


def test_a_missing_logo_is_reported_and_the_header_shows_the_name(tmp_path, capsys):
    output = build_site(
        small_branch(tmp_path), tmp_path / "out", SITE_LOGO="images/nej.svg"
    )
    assert "SITE_LOGO = 'images/nej.svg': filen finns inte" in capsys.readouterr().err
    page = soup(output / "index.html")
    assert not page.select(".brand img")
    assert "Ekdala lokalavdelning" in page.select_one(".brand").get_text()


def test_colour_arithmetic():
    from grasrot_theme import colors

    assert round(colors.contrast("#000", "#fff"), 1) == 21.0
    assert round(colors.contrast("#767676", "#ffffff"), 2) == 4.54  # the known AA grey
    assert colors.readable_on("#f2c14e") == colors.NEAR_BLACK
    assert colors.readable_on("#1d5e3a") == colors.WHITE
    for value in ("#ffff00", "#1d5e3a", "#000000", "#777"):
        assert colors.contrast(colors.text_variant(value, "#ffffff"), "#ffffff") >= 4.5
        dark = colors.text_variant(value, colors.DARK_BACKGROUND)
        assert colors.contrast(dark, colors.DARK_BACKGROUND) >= 4.5


# --- Translations ------------------------------------------------------------------------


def template_msgids() -> set[str]:
    ids = set()
    theme_templates = ROOT / "theme" / "templates"
    mine = [*theme_templates.glob("*.html"), *(theme_templates / "partials").glob("*.html")]
    for path in mine:
        text = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"', text))
        ids |= set(re.findall(r"_\(\s*'((?:[^'\\]|\\.)*)'", text))
    return ids


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_theme_string_is_translated(lang):
    from babel.messages.pofile import read_po

    catalog_ids = set()
    for path in (ROOT / "theme" / "translations" / lang / "LC_MESSAGES").glob("*.po"):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        catalog_ids |= {m.id for m in catalog if m.id and m.string}
    missing = template_msgids() - catalog_ids
    assert not missing, f"{lang}: no translation for {sorted(missing)}"


def test_both_theme_catalogs_have_the_same_strings():
    from babel.messages.pofile import read_po

    ids = {}
    for lang in ("sv", "en"):
        with open(
            ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb"
        ) as handle:
            ids[lang] = {m.id for m in read_po(handle) if m.id}
    assert ids["sv"] == ids["en"]


def test_tables_in_content_scroll_in_their_own_labelled_box(tmp_path):
    output = build_site(table_branch(tmp_path), tmp_path / "out")
    box = soup(output / "budget" / "index.html").select_one("main .table-scroll")
    assert box is not None and box.find("table")
    assert (box["tabindex"], box["role"], box["aria-label"]) == ("0", "region", "Tabell")


def test_base_says_noindex_when_a_page_asks_even_without_the_feeds_plugin():
    """Protected pages pass noindex=True; head_meta says so through page_meta()
    (grasrot_feeds); an environment with only the theme's globals (the kit's
    templates need those) still gets the robots tag."""
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemLoader
    from pelican.settings import read_settings

    import grasrot_theme

    env = Environment(
        loader=FileSystemLoader(str(ROOT / "theme" / "templates")),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    settings = read_settings(str(PELICANCONF))
    grasrot_theme.on_generator_init(SimpleNamespace(settings=settings, env=env))
    assert "page_meta" not in env.globals
    rendered = env.get_template("base.html").render(
        SITENAME="X", SITEURL="", noindex=True, DEFAULT_LANG="sv"
    )
    page = BeautifulSoup(rendered, "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("main", id="main")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_one_string_has_one_translation_across_catalogs(lang):
    """Core merges every topic's catalog; a msgid translated two ways would make
    the wording depend on the merge order."""
    from babel.messages.pofile import read_po

    seen, conflicts = {}, []
    for path in sorted(
        (ROOT / "theme" / "translations" / lang / "LC_MESSAGES").glob("*.po")
    ):
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                first = seen.setdefault(message.id, (path.name, message.string))
                if first[1] != message.string:
                    conflicts.append((message.id, first, (path.name, message.string)))
    assert not conflicts
