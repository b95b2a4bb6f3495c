"""Pelican's content caches (cache/…): a broken file is discarded, never fatal.

Pelican writes its cache files in place, so a full disk leaves a 0-byte file,
and then fails every later build with `EOFError: Ran out of input` (or a warning,
fatal under --fatal warnings). Here a file that cannot be read is deleted with
one notice and the cache is rebuilt; a cache is written to a temporary file and
renamed into place, so it is either whole or absent.

Pelican has no signal or setting around its cache files, so this patches
FileDataCacher's load and save and uses its `_cache_path`, `_cache_open` and
`_cache` attributes (pyproject.toml bounds Pelican to 4.x; a Pelican that
changes them fails tests/test_robust_output.py, which breaks a cache file).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile

from pelican.cache import FileDataCacher

from .messages import msg, notice


def _notices(path: str, error: str) -> dict:
    return {
        "unreadable": msg(
            "Note: the cache file {path} could not be read ({error}); it is removed "
            "and built again.",
            path=path,
            error=error,
        ),
        "unsaved": msg(
            "Note: the cache file {path} could not be saved ({error}); the next build "
            "takes a little longer.",
            path=path,
            error=error,
        ),
    }


def heal_pelican_caches() -> None:
    """Patch FileDataCacher's load and save (once; idempotent)."""
    if getattr(FileDataCacher, "_grasrot_heals", False):
        return
    plain_init = FileDataCacher.__init__

    def init(self, settings, cache_name, caching_policy, load_policy):
        plain_init(self, settings, cache_name, caching_policy, False)
        if load_policy:
            self._cache = _load(self)

    FileDataCacher.__init__ = init
    FileDataCacher.save_cache = _save
    FileDataCacher._grasrot_heals = True


def _load(cacher) -> dict:
    path = cacher._cache_path
    try:
        with cacher._cache_open(path, "rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception as exc:  # EOFError, UnpicklingError, BadGzipFile, zlib errors …
        _notice("unreadable", path, exc, cacher.settings)
        _remove(path)
        return {}
    if not isinstance(data, dict):
        _notice("unreadable", path, TypeError("not a cache"), cacher.settings)
        _remove(path)
        return {}
    return data


def _save(self) -> None:
    if not self._cache_data_policy:
        return
    folder = self.settings["CACHE_PATH"]
    temporary = None
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        os.close(handle)
        with self._cache_open(temporary, "wb") as stream:
            pickle.dump(self._cache, stream)
        os.replace(temporary, self._cache_path)
        temporary = None
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        _notice("unsaved", self._cache_path, exc, self.settings)
    finally:
        if temporary:
            _remove(temporary)


def _notice(kind: str, path: str, error: BaseException, settings) -> None:
    reason = str(error).strip() or type(error).__name__
    notice(_notices(path, reason)[kind], settings)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
