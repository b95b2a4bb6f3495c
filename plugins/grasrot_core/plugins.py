"""The kit's plugins are one kit, loaded in the order of PLUGINS.

Each plugin names what it needs in its package:
- `REQUIRES`: plugins that must be listed *before* it, because it imports
  them or needs their signal receivers to have run first (grasrot_core first);
- `USES`: plugins it calls while building, listed anywhere in PLUGINS (the
  members' plugin comes before grasrot_feeds, so feeds only ever see public
  items, and still renders protected newsletters with feeds' model).

A plugin nobody requires or uses may be left out. The check runs when Pelican
starts (`initialized`), before anything is read, and says what to change.
"""

from __future__ import annotations

import sys

from .errors import SettingsError


class PluginOrderError(SettingsError):
    """PLUGINS lacks a plugin another one needs, or lists it too late. In English:
    whoever edits PLUGINS edits Python, and the plugin names are English too."""


def plugin_order_problems(names: list[str]) -> list[str]:
    """What is wrong with this PLUGINS list ([] when every need is met)."""
    problems = []
    for position, name in enumerate(names):
        plugin = sys.modules.get(name)
        for needed in getattr(plugin, "REQUIRES", ()):
            if needed not in names:
                problems.append(f"{name} needs {needed}: add it to PLUGINS before {name}")
            elif names.index(needed) > position:
                problems.append(f"{name} needs {needed} before it: move {needed} up")
        for needed in getattr(plugin, "USES", ()):
            if needed not in names:
                problems.append(f"{name} uses {needed}: add it to PLUGINS")
    return problems


def check_plugin_order(pelican) -> None:
    """initialized: stop with one clear message before any work."""
    problems = plugin_order_problems(list(pelican.settings.get("PLUGINS") or ()))
    if problems:
        raise PluginOrderError(
            "PLUGINS in the settings: " + "; ".join(problems) + " (docs/architecture.md)",
            pelican.settings,
        )
