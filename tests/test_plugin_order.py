"""The plugins are one kit: each declares the plugins it needs (REQUIRES: listed
before it; USES: listed anywhere), PLUGINS meets every need, and a PLUGINS list
that does not is refused with one clear message before anything is read."""

from __future__ import annotations

import importlib
import re

import pytest
from conftest import PELICANCONF, ROOT, build_site
from pelican.settings import read_settings

from grasrot_core.plugins import PluginOrderError, plugin_order_problems

PLUGIN_DIR = ROOT / "plugins"
KIT = sorted(p.name for p in PLUGIN_DIR.glob("grasrot_*") if (p / "__init__.py").exists())
IMPORT = re.compile(r"^\s*(?:from|import)\s+(grasrot_[a-z]+)", re.M)


def configured_plugins() -> list[str]:
    return list(read_settings(str(PELICANCONF))["PLUGINS"])


def imported_plugins(name: str) -> set[str]:
    found = set()
    for path in (PLUGIN_DIR / name).glob("*.py"):
        found |= set(IMPORT.findall(path.read_text(encoding="utf-8")))
    return found - {name}


def test_pelicanconf_lists_every_kit_plugin_after_what_it_requires():
    plugins = configured_plugins()
    assert plugins[0] == "grasrot_core"
    # grasrot_preview is added by `invoke serve` only.
    assert sorted([*plugins, "grasrot_preview"]) == KIT
    for name in KIT:
        importlib.import_module(name)
    assert plugin_order_problems(plugins) == []
    assert plugin_order_problems([*plugins, "grasrot_preview"]) == []


@pytest.mark.parametrize("name", KIT)
def test_each_plugin_declares_every_plugin_it_imports(name):
    plugin = importlib.import_module(name)
    declared = set(plugin.REQUIRES) | set(getattr(plugin, "USES", ()))
    if name != "grasrot_core":
        assert plugin.REQUIRES[0] == "grasrot_core"
    assert imported_plugins(name) <= declared, name


def test_plugin_order_problems_name_what_to_change():
    importlib.import_module("grasrot_feeds")
    importlib.import_module("grasrot_members")
    order = ["grasrot_core", "grasrot_feeds", "grasrot_groups", "grasrot_members"]
    assert plugin_order_problems(order) == [
        "grasrot_feeds needs grasrot_groups before it: move grasrot_groups up"
    ]
    assert plugin_order_problems(["grasrot_core", "grasrot_members"]) == [
        "grasrot_members uses grasrot_feeds: add it to PLUGINS"
    ]


def test_a_build_with_plugins_out_of_order_stops_before_reading(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    plugins = configured_plugins()
    plugins.remove("grasrot_groups")
    plugins.append("grasrot_groups")
    with pytest.raises(PluginOrderError) as raised:
        build_site(content, tmp_path / "output", PLUGINS=plugins)
    message = str(raised.value)
    assert "grasrot_calendar needs grasrot_groups before it" in message
    assert not (tmp_path / "output").exists()
