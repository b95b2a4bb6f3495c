"""Two posts or pages with one slug: a content error with file and line, not a crash.

Pelican notices duplicates while it sorts out translations and logs a warning
('There are 2 items "with slug "x"" with lang sv: ...'). Under
`--fatal warnings` that warning aborts the build with a traceback, before any
plugin has seen the content, and the officer never learns what to do. This
filter on Pelican's logger turns the warning into one content error per file,
collected with every other error of the run; the gate then stops the build.

Pelican has no signal or setting that reports a duplicate slug: the warning
is its only report, so this filter matches the warning's message template
(record.msg, not the rendered text), the narrowest hook there is. (Pelican's
own LOG_FILTER setting matches the same templates.)
"""

from __future__ import annotations

import logging
import re

from .errors import ContentError, ErrorCollector
from .messages import msg
from .state import running

# Pelican's two duplicate warnings (pelican/utils.py get_original_items), and
# how many arguments come before the source paths in each.
DUPLICATE_WARNINGS = {
    'There are %s items "%s" with lang %s': 3,
    "There are %s original (not translated) items %s": 2,
}
HEADER_KEY = re.compile(r"\s*(slug|title)\s*:", re.IGNORECASE)


class DuplicateSlugFilter(logging.Filter):
    """Installed once on `pelican.utils`; reports to the build in progress."""

    def filter(self, record: logging.LogRecord) -> bool:
        leading = next(
            (
                count
                for start, count in DUPLICATE_WARNINGS.items()
                if str(record.msg).startswith(start)
            ),
            None,
        )
        build = running()
        if build is None or leading is None or not isinstance(record.args, tuple):
            return True
        what = str(record.args[1])
        paths = [str(path) for path in record.args[leading:]]
        if frozenset(paths) not in build.reported_slugs:  # both warnings name them
            build.reported_slugs.add(frozenset(paths))
            report_duplicates(build.errors, what, paths)
        return False


def report_duplicates(errors: ErrorCollector, what: str, paths: list[str]) -> None:
    quoted = re.search(r'"(.*)"', what)
    slug = quoted.group(1) if quoted else what
    for path in sorted(paths):
        others = ", ".join(
            ContentError(other, 1, 1, "").display_path()
            for other in sorted(paths)
            if other != path
        )
        errors.add(
            path,
            header_line(path),
            1,
            msg(
                "the slug '{slug}' is also used by {others}, so both would get one "
                "address. Give one of them another title or its own slug line, "
                "e.g. 'Slug: {slug}-2'.",
                slug=slug,
                others=others,
            ),
        )


def header_line(path: str) -> int:
    """The line of the file's `Slug:` (or else `Title:`) header, 1 if neither is found."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()[:60]
    except OSError:
        return 1
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        match = HEADER_KEY.match(line)
        if match:
            found.setdefault(match.group(1).lower(), number)
    return found.get("slug") or found.get("title") or 1
