"""The web editor at /admin/: its configuration matches the kit's schemas field by
field, its files come from the site itself, and it stays out of the sitemap and feeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CONTENT, PELICANCONF, PUBLISHCONF, build_site, html

import grasrot_calendar.parse as calendar_parse
import grasrot_calendar.repeat as calendar_repeat
from grasrot_cms.generator import editor_files
from grasrot_cms.schema import NOT_IN_EDITOR, collection_keys, nested_keys
from grasrot_groups.registry import registry

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN_COLLECTIONS = ("pages", "news", "newsletters", "groups")


def test_the_editor_files_are_installed():
    assert editor_files(str(ROOT / "node_modules")), (
        "node_modules/decap-cms is missing: run `make test` (npm ci)"
    )


@pytest.fixture(scope="module")
def config(example_site) -> dict:
    return yaml.safe_load((example_site / "admin" / "config.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def settings() -> dict:
    from pelican.settings import read_settings

    return read_settings(str(PELICANCONF), override={"PATH": str(CONTENT)})


@pytest.fixture(scope="module")
def kit_keys(settings) -> dict:
    return collection_keys(settings)


@pytest.fixture(scope="module")
def group_slugs(settings) -> list[str]:
    return [group.slug for group in registry(settings).groups]


def by_name(config) -> dict:
    return {collection["name"]: collection for collection in config["collections"]}


def names(fields) -> list[str]:
    return [field["name"] for field in fields]


def expected(keys) -> list[str]:
    return [key for key in keys if key not in NOT_IN_EDITOR]


@pytest.mark.parametrize("collection", MARKDOWN_COLLECTIONS)
def test_markdown_collections_have_the_kits_fields_in_order(config, kit_keys, collection):
    spec = by_name(config)[collection]
    assert names(spec["fields"]) == [*expected(kit_keys[collection]), "body"]
    assert spec["folder"] == f"content/{collection}"
    assert spec["format"] == "grasrot-markdown" and spec["extension"] == "md"


def test_every_group_and_the_branch_has_a_calendar_with_the_event_fields(
    config, kit_keys, group_slugs
):
    groups = group_slugs
    calendars = {
        name: c for name, c in by_name(config).items() if name.startswith("events-")
    }
    assert set(calendars) == {f"events-{slug}" for slug in ["ekdala", *groups]}
    for name, spec in calendars.items():
        assert spec["folder"] == f"content/calendar/{name.removeprefix('events-')}"
        assert (spec["format"], spec["extension"]) == ("yaml", "yaml")
        assert names(spec["fields"]) == expected(kit_keys["events"])
        fields = {f["name"]: f for f in spec["fields"]}
        repeat = {f["name"]: f for f in fields["repeat"]["fields"]}
        assert list(repeat) == list(nested_keys()[("events", "repeat")])
        assert names(repeat["pause"]["fields"]) == list(
            nested_keys()[("events", "repeat", "pause")]
        )
        assert names(repeat["changes"]["fields"]) == list(
            nested_keys()[("events", "repeat", "changes")]
        )


def test_every_kit_key_is_a_field_or_left_out_with_a_reason(config, kit_keys):
    """Field by field: what the build validates and what the forms offer agree."""
    collections = by_name(config)
    for collection, keys in kit_keys.items():
        name = collection if collection != "events" else "events-ekdala"
        offered = set(names(collections[name]["fields"])) - {"body"}
        assert offered | (set(keys) & set(NOT_IN_EDITOR)) == set(keys), collection
        assert offered <= set(keys), f"{collection} offers fields the kit would reject"


def test_the_kits_own_key_lists_are_what_the_build_validates(kit_keys, settings):
    from grasrot_core.metadata_keys import accepted_keys
    from grasrot_groups.registry import KNOWN_KEYS

    assert kit_keys["events"] == calendar_parse.EVENT_KEYS
    assert nested_keys()[("events", "repeat")] == calendar_repeat.REPEAT_KEYS
    assert kit_keys["groups"] == KNOWN_KEYS
    for section in ("pages", "news", "newsletters"):
        assert set(kit_keys[section]) == accepted_keys(section, settings)


def test_a_key_added_to_the_kit_appears_in_the_editor(tmp_path, monkeypatch):
    monkeypatch.setattr(calendar_parse, "EVENT_KEYS", (*calendar_parse.EVENT_KEYS, "room"))
    monkeypatch.setattr(calendar_repeat, "PAUSE_KEYS", (*calendar_repeat.PAUSE_KEYS, "why"))
    from grasrot_cms.config import editor_config

    built = editor_config(
        {
            "THEME": str(ROOT / "theme"),
            "DEFAULT_LANG": "sv",
            "GRASROT_EXTRA_METADATA": ["subtitle"],
        },
        [],
    )
    assert "subtitle" in names(by_name(built)["news"]["fields"])
    events = by_name(built)["events-branch"]
    assert names(events["fields"])[-1] == "room"
    repeat = next(f for f in events["fields"] if f["name"] == "repeat")
    pause = next(f for f in repeat["fields"] if f["name"] == "pause")
    assert names(pause["fields"]) == list(calendar_repeat.PAUSE_KEYS)
    assert names(pause["fields"])[-1] == "why"


def test_groups_are_chosen_from_the_groups_that_exist(config, group_slugs):
    options = next(f for f in by_name(config)["news"]["fields"] if f["name"] == "groups")[
        "options"
    ]
    assert [o["value"] for o in options] == group_slugs
    assert all(o["label"] for o in options)


def test_images_go_to_content_images_and_alt_text_follows_the_image(config):
    assert (config["media_folder"], config["public_folder"]) == ("content/images", "images")
    for collection in MARKDOWN_COLLECTIONS:
        fields = names(by_name(config)[collection]["fields"])
        assert fields.index("image_alt") == fields.index("image") + 1


def test_editorial_workflow_swedish_and_the_local_backend_only_locally(config, tmp_path):
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "sv"
    assert config["local_backend"]["url"].startswith("http://localhost:")
    published = build_site(CONTENT, tmp_path / "published", settings_file=PUBLISHCONF)
    published_config = yaml.safe_load((published / "admin" / "config.yml").read_text())
    assert "local_backend" not in published_config
    assert published_config["site_url"] == "https://ekdala.example.org"


def test_minutes_are_not_editable_and_the_editor_says_where_they_are(config):
    minutes = by_name(config)["minutes"]
    assert minutes["create"] is False and minutes["delete"] is False
    assert minutes["filter"]["field"] not in {"title", "date", "access"}
    assert "docs/members.md" in minutes["description"]
    assert "content/minutes/" in minutes["description"]


def test_english_sites_get_an_english_editor(tmp_path):
    output = build_site(CONTENT, tmp_path / "output", DEFAULT_LANG="en")
    config = yaml.safe_load((output / "admin" / "config.yml").read_text("utf-8"))
    assert config["locale"] == "en"
    assert by_name(config)["news"]["label"] == "News"
    assert html(output / "admin" / "index.html").html["lang"] == "en"


def test_the_admin_page_is_noindex_and_loads_only_its_own_files(example_site):
    page = html(example_site / "admin" / "index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert page.html["lang"] == "sv"
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert "decap-cms.js" in scripts
    for src in scripts:
        assert "//" not in src and (example_site / "admin" / src).is_file(), src


def test_admin_is_absent_from_sitemap_and_feeds(example_site):
    sitemap = (example_site / "sitemap.xml").read_text("utf-8")
    assert "/admin" not in sitemap
    for feed in (example_site / "feeds").glob("*.xml"):
        assert "/admin" not in feed.read_text("utf-8"), feed
    indexes = [*example_site.glob("**/*search*.json"), *example_site.glob("pagefind/**/*")]
    for index in indexes:
        if index.is_file():
            assert b"/admin" not in index.read_bytes(), index


def editor_policy_of(output: Path) -> dict[str, list[str]]:
    """The directives of /admin/'s Content-Security-Policy meta tag."""
    meta = html(output / "admin" / "index.html").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    directives = [part.split() for part in meta["content"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def test_the_editor_page_runs_only_its_own_scripts_and_talks_only_to_its_forge(
    example_site, tmp_path
):
    local = editor_policy_of(example_site)
    # No inline script; eval for Decap's config validation (see grasrot_cms/policy.py).
    assert local["script-src"] == ["'self'", "'unsafe-eval'"]
    assert not html(example_site / "admin" / "index.html").find_all("script", src=False)
    assert local["object-src"] == ["'none'"] and local["base-uri"] == ["'none'"]
    assert local["connect-src"] == [
        "'self'",
        "blob:",
        "http://localhost:8081",
        "https://api.github.com",
        "https://avatars.githubusercontent.com",
    ]
    gitlab = build_site(
        CONTENT,
        tmp_path / "gitlab",
        settings_file=PUBLISHCONF,
        CMS_BACKEND={"name": "gitlab", "repo": "ekdala/webbplats", "branch": "main"},
    )
    assert editor_policy_of(gitlab)["connect-src"] == [
        "'self'",
        "blob:",
        "https://gitlab.com",
    ]
    own = build_site(
        CONTENT,
        tmp_path / "own",
        settings_file=PUBLISHCONF,
        CMS_BACKEND={
            "name": "gitlab",
            "repo": "ekdala/webbplats",
            "base_url": "https://git.ekdala.example.org",
            "api_root": "https://git.ekdala.example.org/api/v4",
        },
    )
    assert editor_policy_of(own)["connect-src"] == [
        "'self'",
        "blob:",
        "https://git.ekdala.example.org",
        "https://gitlab.com",
    ]
