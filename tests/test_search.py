"""Site search (grasrot_search): what Pagefind indexes, and the search page.

The index is read back the way the browser reads it: every file under
pagefind/ is gzip, and each page's fragment is JSON after Pagefind's signature.
What a reader sees and clicks is tested in test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import CONTENT, build_site, copy_content, html, write

SIGNATURE = b"pagefind_dcd"


def fragments(output: Path) -> dict[str, dict]:
    """URL -> the fragment Pagefind stored for that page."""
    found = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE)
        fragment = json.loads(data[len(SIGNATURE) :])
        found[fragment["url"]] = fragment
    return found


@pytest.fixture(scope="module")
def indexed(example_site):
    return fragments(example_site)


def test_every_kind_of_public_page_is_indexed(indexed):
    kinds = {url: f["filters"]["typ"][0] for url, f in indexed.items()}
    assert kinds["/om-oss/"] == "sida"
    assert kinds["/nyheter/hostmote-valkommen/"] == "nyhet"
    assert kinds["/nyhetsbrev/nyhetsbrev-november-2026/"] == "nyhetsbrev"
    assert kinds["/grupper/norra-ekdala/"] == "grupp"
    assert kinds["/kalender/ekdala/medlemsmote/"] == "evenemang"  # a series page
    assert kinds["/kalender/ekdala/julfest/"] == "evenemang"  # a single event
    assert set(kinds.values()) == {"sida", "nyhet", "nyhetsbrev", "grupp", "evenemang"}


def test_lists_protected_pages_and_kit_pages_are_never_indexed(indexed, example_site):
    urls = set(indexed)
    never = (
        "/protokoll/",
        "/medlemmar/",
        "/sok/",
        "/admin/",
        "/feeds/",
        "/etikett/",
        "/arkiv/",
        "/404",
    )
    assert not [u for u in urls if u.startswith(never)], sorted(urls)
    for listing in ("/", "/nyheter/", "/nyhetsbrev/", "/grupper/", "/kalender/"):
        assert listing not in urls
    # The home page's intro and the hidden pages exist, but are not public items.
    hidden = [
        p
        for p in (CONTENT / "pages").glob("*.md")
        if "status: hidden" in p.read_text(encoding="utf-8").lower()
    ]
    assert hidden
    assert len(urls) == len(set(urls)) and "/start/" not in urls


def test_results_carry_the_date_and_groups_they_are_filtered_by(indexed):
    post = indexed["/nyheter/studiecirkeln-skordade-vid-lovangen/"]
    assert post["meta"]["datum"] == "15 september 2026"
    assert post["filters"]["grupp"] == [
        "Studiecirkeln stadsodling",
        "Söderåsen och Skärholmen",
    ]
    event = indexed["/kalender/norra-ekdala/gruppmote/"]
    assert event["meta"]["datum"].startswith("tis 1 dec. 2026")
    assert event["filters"]["grupp"] == ["Norra Ekdala"]


def test_navigation_footer_and_upcoming_boxes_are_not_indexed(indexed):
    group = indexed["/grupper/norra-ekdala/"]["content"]
    assert "Norra Ekdala" in group
    assert "Kommande aktiviteter" not in group  # the upcoming-events box
    assert "Sök på webbplatsen" not in group and "kontakt@ekdala.example.org" not in group
    page = indexed["/om-oss/"]["content"]
    assert "Huvudmeny" not in page and "Om oss" in page


def test_the_index_is_swedish_for_a_swedish_site(example_site):
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["sv"]
    assert (example_site / "pagefind" / "wasm.sv.pagefind").is_file()


def test_every_page_has_a_search_field_that_needs_no_script(example_site):
    for page in ("index.html", "om-oss/index.html", "kalender/index.html", "404.html"):
        form = html(example_site / page).find("form", role="search")
        assert form is not None, page
        assert form["action"] == "/sok/" and form.get("method") == "get"
        field = form.find("input", attrs={"name": "q"})
        assert field["type"] == "search"
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "pagefind" not in home  # the index and its script load only on /sok/


def test_the_search_page_works_without_script(example_site):
    page = html(example_site / "sok" / "index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    notice = page.find("noscript")
    assert "JavaScript" in notice.get_text()
    site_map = page.find("nav", class_="search-sitemap")
    links = {a["href"] for a in site_map.find_all("a")}
    assert {"/", "/kalender/", "/grupper/", "/grupper/norra-ekdala/"} <= links
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert "/pagefind/pagefind-ui.js" in scripts


def test_not_in_the_sitemap(example_site):
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/sok/" not in sitemap and "pagefind" not in sitemap


def test_an_english_site_under_a_sub_path(tmp_path):
    content = copy_content(tmp_path)
    output = build_site(
        content,
        tmp_path / "out",
        DEFAULT_LANG="en",
        SITEURL="https://owner.github.io/ekdala",
    )
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]
    page = html(output / "sok" / "index.html")
    assert page.find(id="search")["data-base-url"] == "/ekdala/"
    assert (
        page.find("form", role="search")["action"] == "https://owner.github.io/ekdala/sok/"
    )
    kinds = {f["filters"]["kind"][0] for f in fragments(output).values()}
    assert kinds == {"page", "news item", "newsletter", "group", "event"}


def test_a_page_removed_from_content_leaves_the_index(tmp_path):
    content = copy_content(tmp_path)
    output = tmp_path / "out"
    write(content / "pages" / "tillfallig.md", "Title: Tillfällig\n\nSnart borta.\n")
    build_site(content, output)
    assert "/tillfallig/" in fragments(output)
    (content / "pages" / "tillfallig.md").unlink()
    build_site(content, output, DELETE_OUTPUT_DIRECTORY=False)
    assert "/tillfallig/" not in fragments(output)
