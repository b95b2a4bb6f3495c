"""Gräsrot web editor: Decap CMS at /admin/, configured from the kit's schemas.

- config.py builds admin/config.yml from the kit's field lists (schema.py) and
  the form widgets (fields.py);
- generator.py writes admin/index.html (noindex, not in the sitemap, feeds or
  search), the config, and copies the editor's JavaScript from node_modules/
  (pinned in package-lock.json) so /admin/ makes no third-party request.

Settings: CMS_ENABLED, CMS_BACKEND, CMS_LOCAL_BACKEND, CMS_CONTENT_DIR,
CMS_NODE_MODULES (docs/editing.md).
"""

from __future__ import annotations

from pelican import signals

from .generator import ADMIN_DIR, EditorGenerator  # noqa: F401


def get_generators(_pelican):
    return EditorGenerator


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ("grasrot_core", "grasrot_groups", "grasrot_calendar")


def register() -> None:
    signals.get_generators.connect(get_generators)
