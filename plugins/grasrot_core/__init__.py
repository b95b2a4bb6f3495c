"""Gräsrot core: the pieces every other Gräsrot plugin builds on.

- one error collector per build, and the gate that stops the build before
  anything is written when content has errors (errors.py);
- a Markdown reader for both `Key: value` headers and YAML front matter, with
  line numbers (reader.py), and a YAML loader without YAML 1.1 traps
  (yamlload.py);
- the build date from SOURCE_DATE_EPOCH, Babel date filters and gettext UI
  strings in every Jinja environment (dates.py, i18n.py).

Other plugins use `collector(settings).add(path, line, col, message)` to report
content errors, and `build_date(settings)` for "now".
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys

from pelican import signals
from pelican.generators import PagesGenerator

from . import csp, dates, i18n, metadata_keys, plugins, sections, state
from .addresses import (
    alias_source_paths,
    check_content_address,
    check_page_addresses,
    normalise_address,
    require_date,
)
from .cachefiles import heal_pelican_caches
from .errors import (  # noqa: F401 (the API other plugins import)
    ContentErrorsFound,
    ErrorCollector,
    SettingsError,
    collector,
    did_you_mean,
)
from .fatal import (
    FATAL_WARNING,
    WriteFailed,
    forget_logged_messages,
    install_fatal_warnings,
    name_the_file_being_written,
)
from .reader import ERRORS_KEY, HEADER_KEY, LINES_KEY, GrasrotMarkdownReader
from .slugs import DuplicateSlugFilter

CHECK_ONLY_KEY = "GRASROT_CHECK_ONLY"


def _reader_version() -> str:
    digest = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("reader.py", "yamlload.py"):
        with open(os.path.join(here, name), "rb") as handle:
            digest.update(handle.read())
    return "reader-" + digest.hexdigest()[:12]


READER_VERSION = _reader_version()


class CheckComplete(Exception):
    """`invoke check` stops the build here: content read, validated, nothing written."""


def on_initialized(pelican) -> None:
    settings = pelican.settings
    state.start(pelican)  # a fresh run-time state for this build
    forget_logged_messages()  # Pelican's log de-duplication is per process
    dates.build_date(settings)
    # Pelican's cache holds what the reader returned; a new reader must not
    # be served an old reader's results, so its code version names the cache.
    settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], READER_VERSION)
    _escape_everything(settings)


def _escape_everything(settings) -> None:
    """Every template autoescapes, whatever the site's settings say: a title like
    `Vi säger "nej"` or `<script>` shows as written, in text and in attributes.
    Content HTML (Markdown's output) is marked safe where a template renders it."""
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment["autoescape"] = True
    settings["JINJA_ENVIRONMENT"] = environment


def on_readers_init(readers) -> None:
    for extension in GrasrotMarkdownReader.file_extensions:
        readers.reader_classes[extension] = GrasrotMarkdownReader


def _with_settings(function, settings):
    """A filter for `value|format_date("long")`: partial(settings=...) would
    clash with a positional format, since settings is the second parameter."""

    def bound(value, *args, **kwargs):
        return function(value, settings, *args, **kwargs)

    return bound


def on_generator_init(generator) -> None:
    """Babel filters, gettext and the build date in every template."""
    settings = generator.settings
    env = generator.env
    env.filters.update(
        format_date=_with_settings(dates.format_date, settings),
        format_time=_with_settings(dates.format_time, settings),
        format_datetime=_with_settings(dates.format_datetime, settings),
        isoformat=dates.isoformat,
    )
    env.globals["build_date"] = dates.build_date(settings)
    env.globals["content_security_policy"] = csp.policy(settings)
    i18n.install(env, settings)


def on_content_object_init(content) -> None:
    """Report the metadata problems the reader found (also for cached files),
    and every header slip: keys the folder does not accept, an empty
    `access:`, a header that ended too early (metadata_keys.py). These are
    checked here, not in the reader, because the accepted keys depend on the
    settings and plugins, and the reader's results are cached."""
    problems = list(_pop_metadata(content, ERRORS_KEY) or ())
    record = _pop_metadata(content, HEADER_KEY)
    if not content.source_path:
        return
    if record:
        problems += metadata_keys.header_problems(
            record, content_section(content), content.settings
        )
    errors = collector(content.settings)
    for line, col, message in problems:
        errors.add(content.source_path, line, col, message)


def _pop_metadata(content, key):
    """A reader-internal metadata entry, taken off the content object."""
    value = content.metadata.pop(key, None)
    if hasattr(content, key):
        delattr(content, key)
    return value


def site_address(settings) -> str:
    """The site's absolute address, 'https://ekdala.example.org' (no trailing
    slash): FEED_DOMAIN, else SITEURL, whichever is absolute first; '' when
    neither is (a local preview with relative links)."""
    for key in ("FEED_DOMAIN", "SITEURL"):
        value = str(settings.get(key) or "").rstrip("/")
        if value.startswith(("http://", "https://")):
            return value
    return ""


def meta_line(content, key: str) -> int:
    """The line where `key` stood in a content file's header (1 if unknown)."""
    return (getattr(content, LINES_KEY, None) or {}).get(key, 1)


SECTIONS = sections.SECTION_NAMES


def content_section(content):
    """'news', 'newsletters', 'minutes' or 'pages': the content folder it came from."""
    source = getattr(content, "source_path", None)
    if not source:
        return None
    return _section(source, content.settings["PATH"], os.getcwd())


@functools.lru_cache(maxsize=16384)
def _section(source: str, path: str, cwd: str):
    """content_section's answer, once per file: feeds, page meta, sitemap and members
    ask it ~20 times per post, and os.path.relpath is not cheap.
    (`cwd` is in the key because relpath resolves relative paths against it.)"""
    relative = os.path.relpath(source, path)
    top = relative.split(os.sep, 1)[0]
    return top if top in SECTIONS else None


def on_get_writer(pelican):
    """The gate: all content is read and validated; write only if it is clean."""
    collector(pelican.settings).raise_if_any(pelican.settings.get("DEFAULT_LANG") or "en")
    if pelican.settings.get(CHECK_ONLY_KEY):
        raise CheckComplete


def on_all_generators_finalized(generators) -> None:
    """Pages must not take the kit's addresses."""
    if not generators:
        return
    settings = generators[0].settings
    for generator in generators:
        if isinstance(generator, PagesGenerator):
            check_page_addresses([*generator.pages, *generator.hidden_pages], settings)


class _PlainFailureLine(logging.Filter):
    """Pelican ends a failed build with a CRITICAL log line, its source position
    (`__init__.py:683`) and a traceback. Content errors were already listed one
    per line, and a fatal warning was printed where it happened: say in one
    plain line, in the site's language, that the build stopped."""

    def filter(self, record: logging.LogRecord) -> bool:
        failure = record.exc_info[1] if record.exc_info else None
        build = state.running()
        language = build.language if build is not None else "en"
        if isinstance(failure, ContentErrorsFound):
            line = str(failure)
        elif isinstance(failure, SettingsError):
            line = failure.line()
        elif isinstance(failure, RuntimeError) and str(failure) == FATAL_WARNING:
            line = STOPPED_BY_WARNING.get(language, STOPPED_BY_WARNING["en"])
        elif isinstance(failure, WriteFailed):
            line = WRITE_FAILED.get(language, WRITE_FAILED["en"]).format(failure)
        else:
            return True
        print(line, file=sys.stderr, flush=True)
        return False


WRITE_FAILED = {
    "sv": "Bygget stoppades av ett oväntat fel när {0.name} skrevs: {0.error!r}.",
    "en": "The build stopped at an unexpected error while writing {0.name}: {0.error!r}.",
}
STOPPED_BY_WARNING = {
    "sv": "Bygget stoppades av varningen ovan. Rätta det den gäller och bygg igen.",
    "en": "The build stopped at the warning above. Fix what it is about and build again.",
}


# The plugins listed before this one in PLUGINS (grasrot_core/plugins.py).
REQUIRES = ()


def register() -> None:
    pelican_logger = logging.getLogger("pelican")
    for stale in [
        f for f in pelican_logger.filters if type(f).__name__ == _PlainFailureLine.__name__
    ]:
        pelican_logger.removeFilter(stale)  # a re-imported plugin's
    pelican_logger.addFilter(_PlainFailureLine())
    install_fatal_warnings()
    name_the_file_being_written()
    heal_pelican_caches()
    utils_logger = logging.getLogger("pelican.utils")
    for stale in [f for f in utils_logger.filters if isinstance(f, DuplicateSlugFilter)]:
        utils_logger.removeFilter(stale)  # a re-imported plugin must not report twice
    # First in line: Pelican's LimitFilter drops a message seen before in this
    # process, and a second build in one process must report the duplicate again.
    utils_logger.filters.insert(0, DuplicateSlugFilter())
    signals.initialized.connect(plugins.check_plugin_order)
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.content_object_init.connect(on_content_object_init)
    signals.content_object_init.connect(require_date)
    signals.content_object_init.connect(normalise_address)
    signals.content_object_init.connect(check_content_address)
    signals.all_generators_finalized.connect(alias_source_paths)
    signals.get_writer.connect(on_get_writer)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
