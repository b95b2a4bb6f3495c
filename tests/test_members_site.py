"""The members' area on the example branch, the crypto format, determinism,
stale output and the Apache layer."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import bcrypt
import pytest
from conftest import (
    BOARD_PASSWORD,
    CONTENT,
    DEV_PASSWORD,
    MEMBERS_PASSWORD,
    TEST_ENV,
    build_site,
)
from cryptography.exceptions import InvalidTag
from helpers import payloads

from grasrot_members import crypto

PLAIN_SENTENCES = (
    "Ett tjugotal medlemmar deltog",  # members' minutes
    "Valberedningen har påbörjat intervjuer",  # board minutes
    "41 röstberättigade medlemmar",  # annual meeting
    "Nomineringsläget",  # the members-only newsletter's summary
    "Det här brevet går bara till medlemmar",
    "Verksamhetsberättelse 2025",  # inside the PDF attachment
)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- The crypto format -----------------------------------------------------------


@pytest.fixture(scope="module")
def members_key():
    return crypto.derive_level_key("members", MEMBERS_PASSWORD, "Testförening")


def test_payload_names_its_format_and_opens_with_the_password(members_key):
    payload = crypto.page_payload(members_key, "protokoll/x/", "<h1>Hej åäö</h1>")
    assert payload["v"] == 1 and payload["cipher"] == "AES-256-GCM"
    assert payload["kdf"] == "PBKDF2-HMAC-SHA256" and payload["iterations"] == 600_000
    assert len(base64.b64decode(payload["salt"])) == 16
    assert len(base64.b64decode(payload["iv"])) == 12
    assert (
        crypto.open_payload(payload, MEMBERS_PASSWORD, "protokoll/x/") == "<h1>Hej åäö</h1>"
    )


def test_wrong_password_wrong_page_and_flipped_byte_fail(members_key):
    payload = crypto.page_payload(members_key, "protokoll/x/", "<p>hemligt</p>")
    with pytest.raises(InvalidTag):
        crypto.open_payload(payload, BOARD_PASSWORD, "protokoll/x/")
    with pytest.raises(InvalidTag):
        crypto.open_payload(payload, MEMBERS_PASSWORD, "protokoll/y/")
    data = bytearray(base64.b64decode(payload["data"]))
    data[0] ^= 1
    with pytest.raises(InvalidTag):
        crypto.open_payload(
            {**payload, "data": base64.b64encode(bytes(data)).decode()},
            MEMBERS_PASSWORD,
            "protokoll/x/",
        )


def test_ivs_are_synthetic_never_reused_for_other_text_or_url(members_key):
    ivs = {
        crypto.page_payload(members_key, url, text)["iv"]
        for url in ("a/", "b/")
        for text in ("ett", "två", "tre")
    }
    assert len(ivs) == 6
    again = crypto.page_payload(members_key, "a/", "ett")
    assert again == crypto.page_payload(members_key, "a/", "ett")  # deterministic


def test_keys_depend_on_password_level_and_site_only():
    one = crypto.derive_level_key("members", MEMBERS_PASSWORD, "Förening A")
    assert one == crypto.derive_level_key("members", MEMBERS_PASSWORD, "Förening A")
    others = [
        crypto.derive_level_key("members", MEMBERS_PASSWORD + "x", "Förening A"),
        crypto.derive_level_key("board", MEMBERS_PASSWORD, "Förening A"),
        crypto.derive_level_key("members", MEMBERS_PASSWORD, "Förening B"),
    ]
    for other in others:
        assert other.salt != one.salt and other.content_key != one.content_key
    # The salt is not a cheap function of the password: it needs a PBKDF2 run.
    assert one.salt != crypto._hmac(MEMBERS_PASSWORD.encode(), b"salt")[:16]


# --- The example branch ---------------------------------------------------------------


def test_members_area_and_every_minutes_page_are_written(example_site):
    assert len(payloads(example_site / "medlemmar" / "index.html")) == 2  # members, board
    minutes = sorted(
        p.parent.name for p in (example_site / "protokoll").glob("*/index.html")
    )
    assert minutes == [
        "arsmote-21-februari-2026",
        "medlemsmote-23-april-2026",
        "styrelsemote-12-mars-2026",
    ]
    letter = (
        example_site / "nyhetsbrev" / "medlemsbrev-november-2026-internt" / "index.html"
    )
    assert payloads(letter)[0]["level"] == "members"
    assert (
        payloads(example_site / "protokoll" / "styrelsemote-12-mars-2026" / "index.html")[
            0
        ]["level"]
        == "board"
    )


def test_no_protected_sentence_in_any_output_file(example_site):
    for path in example_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for sentence in PLAIN_SENTENCES:
                assert sentence.encode("utf-8") not in data, (path, sentence)
                assert sentence.encode("cp1252", "ignore") not in data, (path, sentence)
    assert not list(example_site.rglob("*.pdf"))


def test_the_decrypted_pages_hold_the_real_text(example_site):
    page = example_site / "protokoll" / "arsmote-21-februari-2026" / "index.html"
    html = crypto.open_payload(
        payloads(page)[0], MEMBERS_PASSWORD, "protokoll/arsmote-21-februari-2026/"
    )
    assert "41 röstberättigade medlemmar" in html and "<h1>" in html
    assert 'data-grasrot-file="medlemmar/filer/' in html  # the PDF, re-linked


def test_public_lists_show_title_and_date_but_no_summary(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "Medlemsbrev november 2026 (internt)" in home
    assert "/nyhetsbrev/medlemsbrev-november-2026-internt/" in home
    assert "Nomineringsläget" not in home


def test_protected_pages_are_noindex_without_descriptions(example_site):
    page = (
        example_site / "protokoll" / "medlemsmote-23-april-2026" / "index.html"
    ).read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex' in page
    assert "og:description" not in page and 'name="description"' not in page


# --- Builds of a small site -----------------------------------------------------------


def small_site(root: Path, pages: int = 3) -> Path:
    content = root / "content"
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nÖppen text.\n")
    for number in range(pages):
        write(
            content / "minutes" / f"2026-01-{number + 1:02d}-mote.md",
            f"Title: Möte {number + 1}\nDate: 2026-01-{number + 1:02d}\n\nText {number}.\n",
        )
    write(
        content / "minutes" / "2026-02-01-styrelse.md",
        "Title: Styrelsemöte\nDate: 2026-02-01\nAccess: board\n\nStyrelsen.\n",
    )
    return content


def minutes_payloads(output: Path) -> dict[str, dict]:
    return {
        p.parent.name: payloads(p)[0] for p in (output / "protokoll").glob("*/index.html")
    }


def test_one_key_derivation_per_password_not_per_page(tmp_path):
    content = small_site(tmp_path, pages=12)
    crypto.pbkdf2.cache_clear()
    build_site(content, tmp_path / "out")
    # two levels, two PBKDF2 runs each (salt, then key), whatever the page count
    assert crypto.pbkdf2.cache_info().misses == 4


def test_only_changed_content_or_password_changes_ciphertext(tmp_path):
    content = small_site(tmp_path)
    first = minutes_payloads(build_site(content, tmp_path / "one"))
    again = minutes_payloads(build_site(content, tmp_path / "two"))
    assert first == again
    write(
        content / "minutes" / "2026-01-01-mote.md",
        "Title: Möte 1\nDate: 2026-01-01\n\nÄndrad text.\n",
    )
    edited = minutes_payloads(build_site(content, tmp_path / "three"))
    changed = {name for name in first if first[name] != edited[name]}
    assert changed == {"mote-1"}
    assert first["mote-1"]["iv"] != edited["mote-1"]["iv"]
    env = {**TEST_ENV, "MEMBERS_PASSWORD": MEMBERS_PASSWORD + "-ny"}
    rekeyed = minutes_payloads(build_site(content, tmp_path / "four", env=env))
    assert rekeyed["mote-2"]["data"] != first["mote-2"]["data"]
    assert rekeyed["mote-2"]["salt"] != first["mote-2"]["salt"]
    assert rekeyed["styrelsemote"] == edited["styrelsemote"]  # board password unchanged


def test_a_rebuild_removes_stale_encrypted_files_but_keeps_others(tmp_path):
    content = small_site(tmp_path)
    write(content / "minutes" / "bilaga.txt", "Bilaga.\n")
    write(
        content / "minutes" / "2026-01-01-mote.md",
        "Title: Möte 1\nDate: 2026-01-01\n\n[Bilaga]({attach}bilaga.txt)\n",
    )
    output = tmp_path / "out"
    build_site(content, output)
    old = {p.name for p in (output / "medlemmar" / "filer").glob("*.bin")}
    write(output / "CNAME", "ekdala.example.org\n")
    env = {**TEST_ENV, "MEMBERS_PASSWORD": MEMBERS_PASSWORD + "-ny"}
    build_site(content, output, env=env, DELETE_OUTPUT_DIRECTORY=False)
    new = {p.name for p in (output / "medlemmar" / "filer").glob("*.bin")}
    assert len(old) == len(new) == 1 and old != new
    assert (output / "CNAME").is_file() and (output / "om-oss" / "index.html").is_file()


def test_listing_none_hides_titles_and_slugs(tmp_path):
    output = build_site(
        small_site(tmp_path), tmp_path / "out", MEMBERS_PUBLIC_LISTING="none"
    )
    names = sorted(p.parent.name for p in (output / "protokoll").glob("*/index.html"))
    assert len(names) == 4 and all(re.fullmatch(r"p-[0-9a-f]{12}", n) for n in names)
    for path in output.rglob("*.html"):
        assert "Möte 1" not in path.read_text(encoding="utf-8"), path


def test_every_pelican_list_is_public_by_construction(tmp_path):
    """What feeds, the sitemap and every template read holds no protected item."""
    from pelican import signals
    from pelican.generators import ArticlesGenerator, PagesGenerator

    content = small_site(tmp_path)
    write(
        content / "news" / "2026-03-01-intern.md",
        "Title: Intern\nDate: 2026-03-01\nAccess: members\nTags: bara-intern\n\nText.\n",
    )
    write(
        content / "news" / "2026-03-02-dold.md",
        "Title: Dold\nDate: 2026-03-02\nAccess: members\nStatus: hidden\n\nText.\n",
    )
    write(
        content / "news" / "2026-03-03-utkast.md",
        "Title: Utkast\nDate: 2026-03-03\nAccess: members\nStatus: draft\n\nText.\n",
    )
    write(
        content / "news" / "2026-03-04-oppen.md",
        "Title: Öppen\nDate: 2026-03-04\nTags: öppen\n\nText.\n",
    )
    write(content / "pages" / "intern.md", "Title: Intern sida\nAccess: board\n\nText.\n")
    captured = []

    def capture(generators):
        captured.extend(generators)

    signals.all_generators_finalized.connect(capture)
    try:
        build_site(content, tmp_path / "out")
    finally:
        signals.all_generators_finalized.disconnect(capture)
    articles = next(g for g in captured if isinstance(g, ArticlesGenerator))
    pages = next(g for g in captured if isinstance(g, PagesGenerator))
    listed = [
        *articles.articles,
        *articles.translations,
        *articles.hidden_articles,
        *articles.hidden_translations,
        *articles.drafts,
        *articles.drafts_translations,
        *articles.dates,
        *pages.pages,
        *pages.hidden_pages,
        *pages.draft_pages,
        *pages.translations,
        *pages.hidden_translations,
        *pages.draft_translations,
    ]
    listed += [a for _, found in articles.categories for a in found]
    listed += [a for found in articles.tags.values() for a in found]
    listed += [a for _, found in articles.authors for a in found]
    listed += [
        *articles.context["articles"],
        *articles.context["pages"],
        *articles.context["hidden_articles"],
        *articles.context["drafts"],
        *articles.context["dates"],
    ]
    titles = {item.title for item in listed}
    assert titles == {"Öppen", "Om oss"}
    assert [t.slug for t in articles.tags] == ["oppen"]
    assert [c.slug for c, _ in articles.categories] == ["nyheter"]


def test_apache_layer_is_deterministic_bcrypt(tmp_path):
    content = small_site(tmp_path)
    settings = {
        "MEMBERS_HTACCESS": True,
        "MEMBERS_HTPASSWD_PATH": "/var/www/ekdala/medlemmar/.htpasswd",
    }
    one = build_site(content, tmp_path / "one", **settings)
    two = build_site(content, tmp_path / "two", **settings)
    htpasswd = (one / "medlemmar" / ".htpasswd").read_bytes()
    assert htpasswd == (two / "medlemmar" / ".htpasswd").read_bytes()
    users = dict(line.split(":", 1) for line in htpasswd.decode().splitlines())
    assert bcrypt.checkpw(MEMBERS_PASSWORD.encode(), users["members"].encode())
    assert bcrypt.checkpw(BOARD_PASSWORD.encode(), users["board"].encode())
    assert not bcrypt.checkpw(BOARD_PASSWORD.encode(), users["members"].encode())
    index = (one / "medlemmar" / ".htaccess").read_text(encoding="utf-8")
    assert "AuthUserFile /var/www/ekdala/medlemmar/.htpasswd" in index
    assert "Require user board members" in index and "Require all denied" in index
    board = (one / "protokoll" / "styrelsemote" / ".htaccess").read_text(encoding="utf-8")
    assert "Require user board\n" in board


def test_apache_layer_needs_the_server_path(tmp_path):
    with pytest.raises(ValueError, match="MEMBERS_HTPASSWD_PATH"):
        build_site(small_site(tmp_path), tmp_path / "out", MEMBERS_HTACCESS=True)


def test_unknown_listing_setting_is_refused(tmp_path):
    with pytest.raises(ValueError, match="MEMBERS_PUBLIC_LISTING"):
        build_site(small_site(tmp_path), tmp_path / "out", MEMBERS_PUBLIC_LISTING="titel")


def test_protected_items_global_holds_stubs_only(tmp_path):
    content = small_site(tmp_path, pages=1)
    write(
        content / "news" / "2026-03-01-intern.md",
        "Title: Intern\nDate: 2026-03-01\nAccess: members\n"
        "Summary: HEMLIG-SAMMANFATTNING\n\nText.\n",
    )
    output = build_site(content, tmp_path / "out")
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "/nyheter/intern/" in home and "HEMLIG-SAMMANFATTNING" not in home
    from grasrot_members.state import ProtectedStub

    assert set(ProtectedStub.__dataclass_fields__) == {
        "title",
        "date",
        "url",
        "section",
        "level",
    }


def test_example_content_is_sealed_with_a_board_minutes_and_an_attachment():
    """Sealed with the development password; nothing protected is plain."""
    from grasrot_members import sealing

    keys = str(CONTENT / "keys")
    identities = [
        sealing.open_identity(keys, level, DEV_PASSWORD) for level in ("members", "board")
    ]

    def opened(path):
        return sealing.open_bytes(path.read_bytes(), identities)

    assert not [p for p in (CONTENT / "minutes").iterdir() if not p.name.endswith(".age")]
    minutes = sorted((CONTENT / "minutes").glob("*.md.age"))
    assert len(minutes) >= 3
    assert any(b"Access: board" in opened(p) for p in minutes)
    assert opened(CONTENT / "minutes" / "arsmote-2026-handlingar.pdf.age").startswith(
        b"%PDF-"
    )
    letters = [
        p
        for p in (CONTENT / "newsletters").glob("*medlemsbrev*.md.age")
        if b"Access: members" in opened(p)
    ]
    assert letters
    assert not [p for p in CONTENT.rglob("*.md") if b"\nAccess:" in p.read_bytes()]


def test_every_ui_string_of_the_members_templates_is_translated():
    from babel.messages.pofile import read_po

    templates = [
        *(CONTENT.parent / "theme" / "templates" / "members").glob("*.html"),
        CONTENT.parent / "theme" / "templates" / "partials" / "protected_list.html",
    ]
    used = set()
    for path in templates:
        text = path.read_text(encoding="utf-8")
        used |= set(
            re.findall(r'_\(\s*"([^"]+)"', text) + re.findall(r"_\(\s*'([^']+)'", text)
        )
    assert "Wrong password" in used and "Remember me on this device" in used
    for lang in ("sv", "en"):
        po = CONTENT.parent / "theme" / "translations" / lang / "LC_MESSAGES" / "members.po"
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        missing = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
        assert not missing, (lang, missing)
    with (
        CONTENT.parent / "theme" / "translations" / "sv" / "LC_MESSAGES" / "members.po"
    ).open("rb") as handle:
        assert read_po(handle, locale="sv").get("Wrong password").string == "Fel lösenord"


def test_a_password_written_into_the_settings_is_refused(tmp_path):
    with pytest.raises(ValueError, match="environment"):
        build_site(
            small_site(tmp_path),
            tmp_path / "out",
            MEMBERS_ACCESS_LEVELS={"members": "mitt hemliga lösenord"},
        )


def test_links_to_pages_that_only_protected_items_had_lead_to_the_members_area(
    example_site,
):
    assert not (example_site / "etikett" / "styrelsen").exists()
    page = example_site / "protokoll" / "styrelsemote-12-mars-2026" / "index.html"
    html = crypto.open_payload(
        payloads(page)[0], BOARD_PASSWORD, "protokoll/styrelsemote-12-mars-2026/"
    )
    assert 'href="/etikett/styrelsen/"' not in html and 'href="/medlemmar/"' in html
    minutes = (example_site / "protokoll" / "index.html").read_text(encoding="utf-8")
    assert "Styrelsemöte 12 mars 2026" in minutes and 'href="/medlemmar/"' in minutes


def test_files_beside_protected_items_are_never_copied_plain(tmp_path):
    content = small_site(tmp_path, pages=1)
    write(content / "newsletters" / "film.txt", "HEMLIG-FILM-9090\n")
    write(content / "newsletters" / "ljud.txt", "HEMLIGT-LJUD-9091\n")
    write(
        content / "newsletters" / "2026-03-01-medlemsbrev.md",
        "Title: Medlemsbrev\nDate: 2026-03-01\nAccess: members\n\n"
        '<video src="{attach}film.txt"></video> <audio src="{static}ljud.txt"></audio>\n',
    )
    # Pelican's static generator still finds both files (no "Unable to find"
    # warning, which would stop the build), and the members' plugin never copies them.
    output = build_site(content, tmp_path / "out")
    assert (output / "index.html").is_file()
    assert not [p for p in output.rglob("*") if p.name in ("film.txt", "ljud.txt")]
    for path in output.rglob("*"):
        if path.is_file():
            assert b"HEMLIG" not in path.read_bytes(), path
