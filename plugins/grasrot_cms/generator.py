"""Writes /admin/: the editor page, its configuration and the editor's files."""

from __future__ import annotations

import json
import os
import shutil
from glob import glob

import yaml
from pelican.generators import Generator

import grasrot_groups
from grasrot_core.messages import msg, notice

from .config import editor_config, typed_keys
from .policy import editor_policy

ADMIN_DIR = "admin"
KIT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DECAP_DIST = ("decap-cms", "dist")
JS_YAML = ("js-yaml", "dist", "js-yaml.min.js")
OUR_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grasrot-cms.js")


def editor_files(node_modules: str) -> list[str]:
    """Decap's bundle, its lazily loaded chunks and licence, and js-yaml; [] if absent."""
    dist = os.path.join(node_modules, *DECAP_DIST)
    main = os.path.join(dist, "decap-cms.js")
    yaml_js = os.path.join(node_modules, *JS_YAML)
    if not (os.path.isfile(main) and os.path.isfile(yaml_js)):
        return []
    chunks = glob(os.path.join(dist, "*.decap-cms.js")) + glob(os.path.join(dist, "*.wasm"))
    licence = os.path.join(dist, "decap-cms.js.LICENSE.txt")
    return sorted(
        [main, yaml_js, OUR_JS, *chunks, *([licence] if os.path.isfile(licence) else [])]
    )


class EditorGenerator(Generator):
    """Builds the editor's configuration in generate_context, writes in generate_output."""

    def generate_context(self):
        self.enabled = self.settings.get("CMS_ENABLED", True)
        if not self.enabled:
            return
        node_modules = self.settings.get("CMS_NODE_MODULES") or os.path.join(
            KIT_ROOT, "node_modules"
        )
        self.files = editor_files(node_modules)
        if not self.files:
            notice(
                msg(
                    "*** The web editor (/admin/) is left out: its files are missing "
                    "from {folder}. Run `npm ci` (see docs/editing.md). ***",
                    folder=node_modules,
                ),
                self.settings,
            )
            return
        groups = grasrot_groups.registry(self.settings).groups
        self.config = editor_config(self.settings, groups)

    def planned_files(self) -> list[str]:
        """What generate_output writes (for the link checker, before writing)."""
        if not getattr(self, "enabled", False) or not getattr(self, "files", None):
            return []
        names = [os.path.basename(source) for source in self.files]
        return [f"{ADMIN_DIR}/{name}" for name in (*names, "config.yml", "index.html")]

    def generate_output(self, writer):
        if not self.enabled or not self.files:
            return
        folder = os.path.join(self.output_path, ADMIN_DIR)
        os.makedirs(folder, exist_ok=True)
        for source in self.files:
            shutil.copyfile(source, os.path.join(folder, os.path.basename(source)))
        with open(os.path.join(folder, "config.yml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(
                self.config, handle, allow_unicode=True, sort_keys=False, width=1000
            )
        writer.write_file(
            f"{ADMIN_DIR}/index.html",
            self.get_template("cms/admin"),
            self.context,
            relative_urls=False,
            noindex=True,
            editor_types=json.dumps(typed_keys(self.config)),
            editor_policy=editor_policy(self.config),
        )
