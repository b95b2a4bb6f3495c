"""Pictures (grasrot_images): `image:` with a required `image_alt:` on posts, pages,
groups and events; responsive sizes in AVIF, WebP and a fallback, made with Pillow,
cached by content; pictures in Markdown bodies get the same treatment; nothing of
a members-only item becomes a public picture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, build_site, html, pelican_cli, write
from PIL import Image

ARTICLE = "nyheter/introduktionskvall-for-nya-medlemmar/index.html"


def pictures(page):
    return page.select("main picture")


def assert_responsive(picture, site: Path, lazy: bool):
    types = [s["type"] for s in picture.find_all("source")]
    assert types == ["image/avif", "image/webp"]
    img = picture.find("img")
    assert img["alt"].strip()
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert img["sizes"]
    candidates = [c.split() for c in img["srcset"].split(",")]
    assert len(candidates) >= 2 and all(w.endswith("w") for _, w in candidates)
    for source in (*picture.find_all("source"), img):
        for url, width in (c.split() for c in source["srcset"].split(",")):
            file = site / url.lstrip("/")
            assert file.is_file(), url
            with Image.open(file) as opened:
                assert opened.width == int(width[:-1])
    assert (site / img["src"].lstrip("/")).is_file()
    if lazy:
        assert img.get("loading") == "lazy" and not img.get("fetchpriority")
    else:
        assert img.get("fetchpriority") == "high" and not img.get("loading")


def test_a_posts_own_picture_is_responsive_and_prioritised(example_site):
    page = html(example_site / ARTICLE)
    found = pictures(page)
    assert found, "the post's image: is shown"
    assert_responsive(found[0], example_site, lazy=False)
    assert (
        found[0].find("img")["alt"]
        == "Nya medlemmar samtalar runt ett bord med papper och kaffe"
    )
    og = page.find("meta", property="og:image")["content"]
    assert og.endswith("/images/studiecirkel.png")
    assert page.find("meta", property="og:image:alt")["content"].startswith("Nya medlemmar")


def test_list_cards_show_the_posts_picture_lazily(example_site):
    page = html(example_site / "nyheter" / "index.html")
    cards = page.select(".post-card--image")
    assert len(cards) >= 2
    for card in cards:
        assert_responsive(card.find("picture"), example_site, lazy=True)


def test_pictures_in_a_markdown_body_get_the_same_treatment(example_site):
    page = html(example_site / "engagera-dig" / "index.html")
    body = page.select_one("main .prose picture")
    assert body is not None
    assert_responsive(body, example_site, lazy=True)
    assert body.find("img")["alt"] == "Medlemmar med skyltar vid föreningens tält på torget"


def test_group_and_event_pictures(example_site):
    group = html(example_site / "grupper" / "stadsodling" / "index.html")
    assert_responsive(pictures(group)[0], example_site, lazy=False)
    event = html(example_site / "kalender" / "stadsodling" / "studiecirkel" / "index.html")
    assert_responsive(pictures(event)[0], example_site, lazy=False)


def small_branch(root: Path) -> Path:
    content = root / "content"
    (content / "images").mkdir(parents=True)
    shutil.copy(CONTENT / "images" / "torget.png", content / "images" / "torget.png")
    write(
        content / "news" / "bild.md",
        "Title: Med bild\nDate: 2026-11-01\nImage: images/torget.png\n"
        "Image_alt: Folk på torget\n\n![Torget](/images/torget.png)\n",
    )
    return content


def test_an_unchanged_picture_is_never_processed_twice(tmp_path):
    import grasrot_images

    content = small_branch(tmp_path)
    output = tmp_path / "output"
    build_site(content, output)
    assert grasrot_images.last_build() == {"processed": 1, "pictures": 1}
    made = sorted(p.name for p in (output / "images" / "r").iterdir())
    assert len(made) == 9  # three widths (480, 800, 1200) in AVIF, WebP and JPEG
    build_site(content, output)  # same cache folder
    assert grasrot_images.last_build() == {"processed": 0, "pictures": 1}
    assert sorted(p.name for p in (output / "images" / "r").iterdir()) == made
    # A changed picture gets new names and is processed again.
    with Image.open(content / "images" / "torget.png") as image:
        image.rotate(180).save(content / "images" / "torget.png")
    build_site(content, output)
    assert grasrot_images.last_build()["processed"] == 1
    assert sorted(p.name for p in (output / "images" / "r").iterdir()) != made


def test_members_only_pictures_never_become_public_files(tmp_path):
    content = small_branch(tmp_path)
    shutil.copy(content / "images" / "torget.png", content / "images" / "hemlig.png")
    write(
        content / "news" / "bild.md",
        "Title: Hemlig\nDate: 2026-11-01\nAccess: members\n"
        "Image: images/hemlig.png\nImage_alt: Folk på torget\n\n"
        "![Torget](/images/hemlig.png)\n",
    )
    output = build_site(content, tmp_path / "output")
    made = [p.name for p in (output / "images" / "r").iterdir()]
    assert made and not [name for name in made if "hemlig" in name]  # only the hero


@pytest.mark.parametrize(
    "where,text,line",
    [
        (
            "news/bild.md",
            "Title: Utan text\nDate: 2026-11-01\nImage: images/torget.png\n\nText.\n",
            3,
        ),
        ("pages/sida.md", "Title: Sida\nImage: images/torget.png\n\nText.\n", 2),
        (
            "groups/alfa.md",
            "---\ntitle: Alfa\nkind: interest\nimage: images/torget.png\n---\nText.\n",
            4,
        ),
        (
            "calendar/alfa.yaml",
            (
                "events:\n  - id: mote\n    title: Möte\n"
                '    start: "2026-12-01 18:00"\n    image: images/torget.png\n'
            ),
            5,
        ),
    ],
)
def test_a_picture_without_image_alt_is_a_content_error(tmp_path, where, text, line):
    content = small_branch(tmp_path)
    (content / "news" / "bild.md").unlink()
    write(content / where, text)
    result = pelican_cli(content, tmp_path / "output")
    assert result.returncode != 0
    expected = f"{content / where}:{line}:"
    errors = [ln for ln in result.stderr.splitlines() if "image_alt" in ln]
    assert any(expected in ln or f"content/{where}:{line}:" in ln for ln in errors), (
        result.stderr[-2000:]
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "index.html").exists()


def test_a_missing_picture_is_a_content_error(tmp_path):
    content = small_branch(tmp_path)
    write(
        content / "news" / "bild.md",
        "Title: Fel\nDate: 2026-11-01\n"
        "Image: images/finns-inte.jpg\nImage_alt: Något\n\nText.\n",
    )
    result = pelican_cli(content, tmp_path / "output")
    assert result.returncode != 0
    assert "bild.md:3:" in result.stderr and "finns-inte.jpg" in result.stderr
