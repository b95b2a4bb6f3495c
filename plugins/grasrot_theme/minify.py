"""The theme's CSS and JavaScript are shipped minified (rcssmin, rjsmin); the
sources in theme/static/ stay readable. Runs when the build has written
everything, on the copies in OUTPUT_PATH/<THEME_STATIC_DIR>/. Set
THEME_MINIFY = False to ship the sources as they are (e.g. to debug a script)."""

from __future__ import annotations

import os

import rcssmin
import rjsmin

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_theme_files(settings) -> int:
    """Minify every .css and .js under the output's theme folder; returns how many."""
    if not settings.get("THEME_MINIFY", True):
        return 0
    folder = os.path.join(
        settings["OUTPUT_PATH"], settings.get("THEME_STATIC_DIR", "theme")
    )
    count = 0
    for root, _dirs, files in os.walk(folder):
        for name in sorted(files):
            minify = MINIFIERS.get(os.path.splitext(name)[1])
            if minify is None:
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            smaller = minify(source).strip() + "\n"
            if smaller != source:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(smaller)
            count += 1
    return count
