"""The editor's configuration (admin/config.yml), generated from the kit's schemas.

Collections: pages, news, newsletters and groups as Markdown with YAML front
matter; one calendar collection per group (and one for the branch) writing
one event per file, `content/calendar/<group>/<id>.yaml`; and a notice in
place of the minutes, which are never edited in the browser.
"""

from __future__ import annotations

from grasrot_core import site_address
from grasrot_core.i18n import gettext_for

from .fields import FieldMaker
from .schema import NOT_IN_EDITOR, collection_keys

# Our own Markdown format (admin JS): reads both `Key: value` headers and YAML
# front matter, writes YAML front matter.
MARKDOWN_FORMAT = "grasrot-markdown"
SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
NEVER = {"field": "grasrot_never_listed", "value": "-"}
FORGE_FILE_URLS = {
    "github": "https://github.com/{repo}/blob/{branch}/{path}",
    "gitlab": "https://gitlab.com/{repo}/-/blob/{branch}/{path}",
}


def editor_config(settings, groups) -> dict:
    """The whole configuration; `groups` are the registry's groups."""
    _ = gettext_for(settings)
    options = [{"label": group.title, "value": group.slug} for group in groups]
    maker = FieldMaker(_, options)
    keys = collection_keys(settings)
    content = settings.get("CMS_CONTENT_DIR", "content").strip("/")
    config: dict[str, object] = {
        "backend": dict(settings.get("CMS_BACKEND") or {"name": "github"}),
        "publish_mode": "editorial_workflow",
        "locale": "sv" if settings.get("DEFAULT_LANG", "sv") == "sv" else "en",
        "media_folder": f"{content}/images",
        "public_folder": "images",
        "slug": dict(SLUG),
    }
    local = settings.get("CMS_LOCAL_BACKEND")
    if local:
        config["local_backend"] = {"url": local}
    address = site_address(settings)
    if address:
        config["site_url"] = config["display_url"] = address
    config["collections"] = [
        *markdown_collections(maker, _, content, keys),
        *event_collections(maker, _, content, settings, groups, keys),
        minutes_notice(_, content, settings),
    ]
    return config


def form_fields(maker: FieldMaker, collection: str, keys: dict) -> list[dict]:
    return [
        maker.field(collection, key) for key in keys[collection] if key not in NOT_IN_EDITOR
    ]


def markdown_collections(maker, _, content, keys) -> list[dict]:
    body = {
        "name": "body",
        "label": _("Body text"),
        "widget": "markdown",
        "required": False,
    }
    dated = "{{year}}-{{month}}-{{day}}-{{slug}}"
    specs = [
        ("pages", _("Pages"), _("Page"), "{{slug}}"),
        ("news", _("News"), _("News post"), dated),
        ("newsletters", _("Newsletters"), _("Newsletter"), dated),
        ("groups", _("Groups"), _("Group"), "{{slug}}"),
    ]
    collections = []
    for name, label, singular, slug in specs:
        collection = {
            "name": name,
            "label": label,
            "label_singular": singular,
            "folder": f"{content}/{name}",
            "extension": "md",
            "format": MARKDOWN_FORMAT,
            "create": True,
            "slug": slug,
            "identifier_field": "title",
            "summary": "{{title}}",
            "fields": [*form_fields(maker, name, keys), body],
        }
        if "date" in keys[name]:
            collection["sortable_fields"] = ["date", "title"]
        collections.append(collection)
    return collections


def event_collections(maker, _, content, settings, groups, keys) -> list[dict]:
    """One calendar collection per owner: the folder is the group."""
    branch = settings.get("CALENDAR_BRANCH_SLUG") or "branch"
    owners = [(branch, settings.get("SITENAME", branch))]
    owners += [(group.slug, group.title) for group in groups if group.slug != branch]
    fields = form_fields(maker, "events", keys)
    return [
        {
            "name": f"events-{slug}",
            "label": _("Calendar: %(group)s") % {"group": title},
            "label_singular": _("Event"),
            "folder": f"{content}/calendar/{slug}",
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            "slug": "{{slug}}",
            "identifier_field": "title",
            "summary": "{{title}} ({{start}}{{date}})",
            "sortable_fields": ["start", "title"],
            "fields": fields,
        }
        for slug, title in owners
    ]


def minutes_notice(_, content, settings) -> dict:
    """A collection that lists nothing and says where minutes are handled."""
    docs = members_docs_url(settings)
    return {
        "name": "minutes",
        "label": _("Minutes"),
        "folder": f"{content}/minutes",
        "extension": "md",
        "format": MARKDOWN_FORMAT,
        "create": False,
        "delete": False,
        "filter": dict(NEVER),
        "description": _(
            "Minutes and other protected files are encrypted and are not "
            "edited here. Write them in content/minutes/ in the repository, "
            "as described in %(docs)s."
        )
        % {"docs": docs},
        "fields": [{"name": "title", "label": _("Title"), "widget": "string"}],
    }


def members_docs_url(settings) -> str:
    backend = settings.get("CMS_BACKEND") or {}
    pattern = FORGE_FILE_URLS.get(backend.get("name", ""))
    if not pattern or not backend.get("repo"):
        return "docs/members.md"
    return pattern.format(
        repo=backend["repo"], branch=backend.get("branch", "main"), path="docs/members.md"
    )


def typed_keys(config: dict) -> dict[str, str]:
    """Keys whose `Key: value` header text must become a list, number or boolean
    when the editor opens a hand-written file."""
    types = {}
    for collection in config["collections"]:
        for field in collection.get("fields", []):
            widget = field.get("widget")
            if widget == "list" or (widget == "select" and field.get("multiple")):
                types[field["name"]] = "list"
            elif widget == "number":
                types[field["name"]] = "int"
            elif widget == "boolean":
                types[field["name"]] = "bool"
    return dict(sorted(types.items()))
