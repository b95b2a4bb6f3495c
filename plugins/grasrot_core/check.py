"""`invoke check`: read and validate all content, print every error, write nothing.

It runs the real build up to the gate (see `on_get_writer`), so it reports
exactly what the build would report, and stops before the writer exists.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from . import CHECK_ONLY_KEY, CheckComplete
from .errors import ContentErrorsFound, SettingsError
from .messages import msg, render


def run_check(content_path: str, settings_file: str) -> int:
    """0 when the content is clean, 1 when it has errors (printed on stderr)."""
    init_logging(level=logging.WARNING, fatal="warnings")
    with tempfile.TemporaryDirectory(prefix="grasrot-check-") as scratch:
        settings = read_settings(
            settings_file,
            override={
                "PATH": os.path.abspath(content_path),
                "OUTPUT_PATH": scratch,
                "DELETE_OUTPUT_DIRECTORY": False,
                "CACHE_PATH": os.path.join(scratch, "cache"),
                "LOAD_CONTENT_CACHE": False,
                CHECK_ONLY_KEY: True,
            },
        )
        try:
            Pelican(settings).run()
        except CheckComplete:
            print(
                render(
                    msg("{path}: no errors found.", path=content_path),
                    settings.get("DEFAULT_LANG") or "en",
                )
            )
            return 0
        except ContentErrorsFound as found:
            print(found, file=sys.stderr)
            return 1
        except SettingsError as problem:
            print(problem.line(), file=sys.stderr)
            return 1
    # run() only returns when the gate never ran, which means a plugin is off.
    print(
        "The check did not reach the content gate: is grasrot_core in PLUGINS?",
        file=sys.stderr,
    )
    return 1
