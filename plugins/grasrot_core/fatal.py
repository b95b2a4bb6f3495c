"""The kit fails the same way however Pelican is started.

- `FatalWarnings`: a warning or error logged by Pelican or a Gräsrot plugin stops
  the build, as `--fatal warnings` does, so the plain
  `pelican content -s pelicanconf.py -o out` never exits 0 after dropping a post.
- `WriteFailed`: an unexpected exception while writing names the file being
  written, in one line (grasrot_core's failure filter prints it).
"""

from __future__ import annotations

import functools
import logging

from pelican.log import LimitFilter
from pelican.writers import Writer

FATAL_WARNING = "Warning or error encountered"  # pelican.log's, under --fatal warnings
WATCHED = ("pelican", "grasrot")


class WarningIsFatal(RuntimeError):
    """Raised from the log call, as Pelican's own fatal logger does."""

    def __init__(self, record: logging.LogRecord):
        super().__init__(FATAL_WARNING)
        self.warning = record.getMessage()


class FatalWarnings(logging.Handler):
    """On the root logger, after the handlers that print: a WARNING or ERROR from
    Pelican or the kit raises. Content errors are collected, never logged, so
    this only sees what would otherwise be skipped quietly."""

    def __init__(self):
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.CRITICAL or not record.name.startswith(WATCHED):
            return
        if getattr(record, "grasrot_not_fatal", False):
            return
        raise WarningIsFatal(record)


def forget_logged_messages() -> None:
    """Pelican's LimitFilter drops a message it has logged before in this process,
    and every message of a group after the group's fifth: a second build in one
    process (the preview, the tests) would then pass a warning that stops the
    first. Called as each build starts, so each build reports its own warnings.
    LimitFilter has no public reset: these two class attributes are its memory."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def install_fatal_warnings() -> None:
    root = logging.getLogger()
    for stale in [h for h in root.handlers if type(h).__name__ == FatalWarnings.__name__]:
        root.removeHandler(stale)  # a re-imported plugin's
    root.addHandler(FatalWarnings())


class WriteFailed(Exception):
    """An unexpected error while writing one output file."""

    def __init__(self, name: str, error: BaseException):
        super().__init__(f"{name}: {type(error).__name__}: {error}")
        self.name, self.error = name, error


def name_the_file_being_written() -> None:
    """Wrap Pelican's Writer so an exception says which file it was writing.

    Pelican's public route to another writer, the `get_writer` signal, takes one
    class: a second plugin offering one (the preview's CachingWriter) gets a
    warning, fatal here. Wrapping the two public write methods of the base class
    names the file for every writer, whichever plugin chose it."""
    for method in ("write_file", "write_feed"):
        original = getattr(Writer, method)
        if getattr(original, "_grasrot_names_file", False):
            continue
        setattr(Writer, method, _naming(original))


def _naming(write):
    @functools.wraps(write)
    def wrapper(self, *args, **kwargs):
        try:
            return write(self, *args, **kwargs)
        except (WriteFailed, WarningIsFatal, KeyboardInterrupt):
            raise
        except RuntimeError as exc:
            if str(exc) == FATAL_WARNING:  # pelican --fatal warnings: printed already
                raise
            raise WriteFailed(_name(write, args, kwargs), exc) from exc
        except Exception as exc:
            raise WriteFailed(_name(write, args, kwargs), exc) from exc

    wrapper._grasrot_names_file = True  # type: ignore[attr-defined]  # marks it wrapped
    return wrapper


def _name(write, args, kwargs) -> str:
    if write.__name__ == "write_feed":
        return str(kwargs.get("path") or (args[2] if len(args) > 2 else "a feed"))
    return str(kwargs.get("name") or (args[0] if args else "a page"))
