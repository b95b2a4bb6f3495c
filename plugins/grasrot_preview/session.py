"""One preview session: every build in this process, `output/` always a good site.

Each build reads the settings file afresh and runs Pelican here, with the
grasrot_preview plugin added, into a staging folder (in memory under /dev/shm
when there is room). Only when the build succeeds are the files whose bytes
changed copied into `output/` (each by an atomic rename, so the server never
serves half a file), and files the build no longer makes removed. A build with
content errors leaves `output/` as it was: the last good site stays served,
and `errors` lists what to fix, as the terminal printed it.

Pelican, the plugins, the theme's compiled templates and the preview's caches
stay loaded between builds; an edited plugin is imported afresh (`reload_plugins`).
The last good build's generators are kept too, so that a save can show its own
page before the rebuild (`show_first`, quick.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from . import NAME, quick, this_build

# Bytes free in /dev/shm before the staging folder goes there.
STAGING_MIN_FREE = 2 * 1024**3


@dataclass
class BuildResult:
    number: int
    ok: bool
    errors: list[str] = field(default_factory=list)  # "file:line:col: message" lines
    written: int = 0  # files copied into output/ because their bytes changed
    removed: int = 0


class _WarningLines(logging.Handler):
    """Pelican's warnings and errors of one build, for the overlay."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(record.getMessage())
        except Exception:  # a message that cannot be formatted is not worth a crash
            self.lines.append(str(record.msg))


class PreviewSession:
    """Builds `content` with `settings_file` into `output`, keeping the last good site."""

    def __init__(
        self,
        content: Path,
        output: Path,
        settings_file: Path,
        overrides=None,
        plugin_paths=(),
    ):
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.settings_file = Path(settings_file).resolve()
        self.overrides = dict(overrides or {})
        self.staging = _staging_folder(self.output)
        self.published: dict[str, str] | None = None  # relative path -> digest in output/
        self.plugin_paths = [Path(p).resolve() for p in plugin_paths]
        self.result = BuildResult(number=0, ok=False)
        self.changed = threading.Condition()
        self.language = "sv"
        self.model = None  # the last good build's generators (quick.py)
        self.shown_first: dict[str, bytes | None] = {}  # path -> bytes it replaced
        self.rebuilding = False  # a save is being built (for the status, the bench)

    # -- building --

    def build(self) -> BuildResult:
        """One build; the result is also `self.result`, and waiters are woken."""
        from grasrot_core import ContentErrorsFound, SettingsError

        number = self.result.number + 1
        self.rebuilding = True
        self.model = None  # one model in memory at a time
        _forget_logged_messages()
        collected = _WarningLines()
        logging.getLogger().addHandler(collected)
        try:
            settings = self._settings()
            self.language = str(settings.get("DEFAULT_LANG") or "sv")
            from pelican import Pelican

            try:
                Pelican(settings).run()
            finally:
                build = this_build(settings)
                model, build.model = build.model, None
        except ContentErrorsFound as found:
            result = BuildResult(number, False, found.lines())
        except SettingsError as problem:
            result = BuildResult(number, False, [problem.line()])
        except Exception as error:  # a plugin or template error: say it, keep serving
            lines = [line for line in collected.lines if line] or [
                f"{type(error).__name__}: {error}"
            ]
            result = BuildResult(number, False, lines)
        else:
            written, removed = self._publish()
            result = BuildResult(number, True, [], written, removed)
            self.model = model
        finally:
            logging.getLogger().removeHandler(collected)
            _forget_memoized_content()
        self._settle_shown_first(result.ok)
        with self.changed:
            self.result = result
            self.rebuilding = False
            self.changed.notify_all()
        return result

    def _settings(self) -> dict:
        from pelican.settings import read_settings

        settings = read_settings(
            str(self.settings_file),
            override={
                "PATH": str(self.content),
                "OUTPUT_PATH": str(self.staging),
                **self.overrides,
            },
        )
        plugins = list(settings.get("PLUGINS") or [])
        if NAME not in plugins:
            plugins.append(NAME)
        settings["PLUGINS"] = plugins
        settings["DELETE_OUTPUT_DIRECTORY"] = True  # the staging folder is the session's
        return settings

    # -- publishing --

    def _publish(self) -> tuple[int, int]:
        """Copy what changed from the staging folder into output/; remove what is gone."""
        if self.published is None:
            self.published = _digests_of(self.output)
        made = _digests_of(self.staging)
        written = 0
        for relative, digest in made.items():
            if self.published.get(relative) == digest:
                continue
            target = self.output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.preview-tmp")
            shutil.copyfile(self.staging / relative, temporary)
            os.replace(temporary, target)
            written += 1
        removed = 0
        for relative in set(self.published) - set(made):
            try:
                (self.output / relative).unlink()
                removed += 1
            except OSError:
                pass
        if removed:
            _remove_empty_folders(self.output)
        self.published = made
        return written, removed

    def show_first(self, changed: list[str]) -> list[str]:
        """Before the rebuild: the saved file's own page from the last good build's
        model, written into output/ (quick.py); the live reload shows it. The
        rebuild that follows rewrites it with a cold build's bytes."""
        if not self.result.ok or self.model is None or self.published is None:
            return []
        # Said before the page can be served: whoever sees it knows more is coming.
        self.rebuilding = True
        written = quick.render_changed(self.model, changed, self.output, self.shown_first)
        if written:
            for relative in written:
                self.published[relative] = ""  # so the rebuild copies its own bytes
            with self.changed:
                number = self.result.number + 1
                self.result = BuildResult(number, True, [], len(written), 0)
                self.changed.notify_all()
        return written

    def _settle_shown_first(self, ok: bool) -> None:
        """A failed rebuild: the pages shown first go back to the last good build's."""
        if not ok:
            for relative, data in self.shown_first.items():
                target = self.output / relative
                if data is None:
                    target.unlink(missing_ok=True)
                    continue
                temporary = target.with_name(f".{target.name}.preview-tmp")
                temporary.write_bytes(data)
                os.replace(temporary, target)
                if self.published is not None:
                    self.published[relative] = _digest(data)
        self.shown_first.clear()

    def wait_for_build_after(self, number: int, timeout: float) -> BuildResult:
        """The result of the first build numbered above `number` (or the current one)."""
        with self.changed:
            self.changed.wait_for(lambda: self.result.number > number, timeout=timeout)
            return self.result

    # -- code changes --

    def reload_plugins(self) -> None:
        """An edited plugin: forget every plugin module, so the next build imports
        them afresh (and their signal receivers with them)."""
        roots = [str(p) + os.sep for p in self.plugin_paths]
        running = {__name__, __name__.rsplit(".", 1)[0] + ".server"}
        stale = [
            name
            for name, module in list(sys.modules.items())
            if name not in running
            and any(
                str(getattr(module, "__file__", "") or "").startswith(root)
                for root in roots
            )
        ]
        names = set(stale)
        self.model = None  # made by the code being replaced
        _disconnect_receivers(names)
        for logger in [logging.getLogger(n) for n in ("pelican", "pelican.utils")]:
            for found in list(logger.filters):
                if type(found).__module__ in names:
                    logger.removeFilter(found)
        for name in stale:
            del sys.modules[name]

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _disconnect_receivers(module_names: set) -> None:
    from pelican.plugins import signals

    for signal in vars(signals).values():
        receivers = getattr(signal, "receivers", None)
        if not isinstance(receivers, dict):
            continue
        for reference in list(receivers.values()):
            receiver = reference() if isinstance(reference, weakref.ref) else reference
            module = getattr(receiver, "__module__", None)
            if receiver is not None and module in module_names:
                signal.disconnect(receiver)


def _forget_memoized_content() -> None:
    """Pelican memoizes a post's HTML in a dict on its class, keyed by the post:
    in a process that builds again and again it would keep every build alive."""
    from pelican.contents import Content
    from pelican.utils import memoized

    for kind in (Content, *Content.__subclasses__()):
        for value in vars(kind).values():
            if isinstance(value, memoized):
                value.cache.clear()


def _forget_logged_messages() -> None:
    """Pelican logs a message once per process: each build must report its own."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _staging_folder(output: Path) -> Path:
    shm = Path("/dev/shm")
    try:
        if (
            shm.is_dir()
            and os.access(shm, os.W_OK)
            and shutil.disk_usage(shm).free > STAGING_MIN_FREE
        ):
            return Path(tempfile.mkdtemp(prefix="grasrot-preview-", dir=shm))
    except OSError:
        pass
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{output.name}-preview-", dir=output.parent))


def _digests_of(folder: Path) -> dict[str, str]:
    found = {}
    if not folder.is_dir():
        return found
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                digest = _digest(handle.read())
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = digest
    return found


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _remove_empty_folders(root: Path) -> None:
    for folder, dirs, files in os.walk(root, topdown=False):
        if folder != str(root) and not dirs and not files:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
