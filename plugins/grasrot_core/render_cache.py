"""Output cache: reuse the files a generator wrote last build when none of its inputs changed.

A rebuild after one edited post re-renders every page, although most of them
(the calendar's ~6,000 pages and .ics files at district size) cannot have
changed. `OutputCache` lets a generator skip its whole `generate_output`
and write back last build's bytes instead, when it can show that every input
of those bytes is unchanged (issue 8):

1. **Files and code** (`base digest`): every file under the content folder
   except the article folders (ARTICLE_PATHS: news, newsletters, minutes),
   so pages, groups, calendar files, images; the theme; the kit's plugins;
   the library versions; the settings; the build date.
2. **What the templates looked at** (`values digest`): while a generator's
   pages render, the cache records every name the templates resolve from the
   Jinja context or globals and every attribute or item they read from an
   object (per type). On the next build the digest walks the same names
   again, following only the recorded attributes: a value the templates
   never read cannot change the output. Pelican's content objects (posts,
   pages) count by their source file, so a template that shows any part of
   a post (the footer's "latest news", a group's `.news`) makes an edit of
   that post a miss. Models whose every input is in the base digest (the
   calendar's) are cut off by type (`covered`).

Values the templates reached through Python code (a method, a global
function) are hashed by the function's name (its code is in the base digest)
and, for a method, every attribute of its object. A value that cannot be
hashed this way makes the generator render as usual and store nothing.

Written bytes are identical to a cold build's by construction, and
tests/test_scaling.py checks it: a cached rebuild after editing a post must
give the same output, byte for byte, as a cold build of the same content.

The cache lives in CACHE_PATH (one pickle per generator) and is used only when
Pelican's own content cache is (CACHE_CONTENT and LOAD_CONTENT_CACHE), with
absolute URLs, and unless GRASROT_OUTPUT_CACHE is False.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import logging
import os
import pickle
import sys
import types
from contextlib import contextmanager
from importlib import metadata
from pathlib import PurePath

from jinja2.runtime import Context, Undefined
from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)

FORMAT = 1  # bump when what is stored or hashed changes
SETTING = "GRASROT_OUTPUT_CACHE"
FOLDER = "grasrot-output"
LIBRARIES = ("pelican", "jinja2", "markupsafe", "babel", "markdown", "icalendar",
             "python-dateutil", "pyyaml", "feedgen")
# Names Pelican's writer sets on every page (the page's own, not an input).
WRITER_NAMES = frozenset({"output_file", "localsiteurl"})
# Settings that change from build to build without changing any page.
STATUS_KEY = "GRASROT_OUTPUT_CACHE_STATUS"  # {generator: "hit" or why it missed}
VOLATILE_SETTINGS = frozenset({"GRASROT_TIMINGS", STATUS_KEY})
MAX_NODES = 200_000
MISSING = type("Missing", (), {"__repr__": lambda self: "<missing>"})()  # lookup sentinel
MISSING_BYTES = b"<missing>"
_SKIP_DIRS = {"__pycache__", ".git", ".pytest_cache", "node_modules"}


class Unhashable(Exception):
    """A value the templates read cannot be fingerprinted: do not cache."""


# --- Recording what templates read ------------------------------------------------


class Recorder:
    """Names resolved and (type, attribute) pairs read while recording is on.

    Reads are recorded as they happen (a million per district build), so this
    only adds to sets; `attributes` sorts them out by type name afterwards."""

    def __init__(self):
        self.names: set[str] = set()
        self.pairs: set = set()  # (type, attribute or item key)
        self.active = False

    def clear(self) -> None:
        self.names.clear()
        self.pairs.clear()

    @property
    def attributes(self) -> dict[str, set]:
        found: dict[str, set] = {}
        for kind, name in self.pairs:
            if issubclass(kind, (Undefined, Context)):
                continue
            found.setdefault(_type_name(kind), set()).add(name)
        return found


class TrackingContext(Context):
    """A Jinja context that tells its environment's Recorder every name it resolves."""

    def resolve_or_missing(self, key):
        recorder = getattr(self.environment, "_grasrot_recorder", None)
        if recorder is not None and recorder.active:
            recorder.names.add(key)
        return super().resolve_or_missing(key)


def install_recorder(env) -> Recorder:
    """Make `env` record reads (idempotent); returns its Recorder."""
    recorder = getattr(env, "_grasrot_recorder", None)
    if recorder is not None:
        return recorder
    recorder = Recorder()
    env._grasrot_recorder = recorder
    env.context_class = TrackingContext
    plain_getattr, plain_getitem = env.getattr, env.getitem
    pairs = recorder.pairs

    def getattr_recorded(obj, attribute):
        if recorder.active:
            pairs.add((type(obj), attribute))  # attribute: always a str
        return plain_getattr(obj, attribute)

    def getitem_recorded(obj, argument):
        if recorder.active:
            try:
                pairs.add((type(obj), argument))
            except TypeError:  # an unhashable key (a slice before 3.12)
                pairs.add((type(obj), repr(argument)))
        return plain_getitem(obj, argument)

    env.getattr = getattr_recorded
    env.getitem = getitem_recorded
    return recorder


# --- Digests ----------------------------------------------------------------------


class FileHashes:
    """sha256 of files, each read once per build.

    Always hashed, never trusted from a file's size and time: a whole district
    site's inputs (calendar, groups, pages, theme, plugins) hash in ~20 ms."""

    def __init__(self):
        self.known: dict[str, str] = {}

    def of(self, path: str) -> str:
        found = self.known.get(path)
        if found is None:
            try:
                with open(path, "rb") as handle:
                    found = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                found = "<absent>"
            self.known[path] = found
        return found


def _walk_files(root: str, skip_dirs=()) -> list[str]:
    found = []
    skip = {os.path.normpath(path) for path in skip_dirs}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS
                         and os.path.normpath(os.path.join(folder, d)) not in skip)
        found.extend(os.path.join(folder, name) for name in sorted(files)
                     if not name.endswith((".pyc", ".pyo")))
    return found


def _stable_setting(value, depth=0) -> str:
    """repr of a settings value without memory addresses (functions by name)."""
    if depth > 20:
        return "<deep>"
    if isinstance(value, dict):
        items = sorted((_stable_setting(k, depth + 1), _stable_setting(v, depth + 1))
                       for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable_setting(v, depth + 1) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_setting(v, depth + 1) for v in value)) + "}"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                          types.ModuleType)):
        return f"<{_type_name(value) if isinstance(value, type) else _callable_name(value)}>"
    text = repr(value)
    if " at 0x" in text or " object at " in text:
        return f"<{_type_name(type(value))}>"
    return text


class _Lines:
    """sha256 that also keeps what it hashed (GRASROT_OUTPUT_CACHE_DEBUG=1)."""

    def __init__(self, first: bytes, keep: bool):
        self.digest = hashlib.sha256(first)
        self.lines = [first] if keep else None

    def update(self, data: bytes) -> None:
        self.digest.update(data)
        if self.lines is not None:
            self.lines.append(data)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def base_digest(settings, generator_name: str, hashes: FileHashes, extra=(),
                debug_path: str | None = None) -> str:
    """Files, code, libraries, settings and build date: see the module docstring."""
    digest = _Lines(f"grasrot-output-cache {FORMAT} {generator_name}\n".encode(),
                    keep=debug_path is not None)
    digest.update(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    content = os.path.abspath(settings["PATH"])
    article_dirs = [os.path.join(content, folder) for folder in
                    settings.get("ARTICLE_PATHS") or []]
    roots = [("content", content, article_dirs),
             ("theme", os.path.abspath(settings.get("THEME") or ""), ())]
    roots += [(f"plugins{i}", os.path.abspath(path), ())
              for i, path in enumerate(settings.get("PLUGIN_PATHS") or [])]
    for label, root, skip in roots:
        if not root or not os.path.isdir(root):
            continue
        for path in _walk_files(root, skip):
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            digest.update(f"{label}/{relative} {hashes.of(path)}\n".encode())
    for key in sorted(k for k in settings if isinstance(k, str)):
        if key.startswith("_") or key in VOLATILE_SETTINGS:
            continue
        digest.update(f"{key}={_stable_setting(settings[key])}\n".encode())
    for item in extra:
        digest.update(f"{item}\n".encode())
    if debug_path:  # to see why a build missed: diff two builds' files
        os.makedirs(os.path.dirname(debug_path), exist_ok=True)
        with open(debug_path, "wb") as handle:
            handle.write(b"".join(digest.lines))
    return digest.hexdigest()


def cached_model(settings, name: str, folders, extra, build, keep=lambda value: True):
    """`build()`, or last build's result if its inputs are unchanged.

    For a model read from content files (the calendar's events): the key is
    the files under `folders` (relative to PATH), the kit's code, the library
    versions, the settings and `extra` (e.g. the build date). `keep(value)`
    says whether this result may be stored (not when it reported content
    errors: those must be reported again on every build). Same switches as
    OutputCache (CACHE_CONTENT, LOAD_CONTENT_CACHE, GRASROT_OUTPUT_CACHE).
    """
    enabled = bool(settings.get(SETTING, True) and settings.get("CACHE_CONTENT")
                   and settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH"))
    if not enabled:
        return build()
    folder = os.path.join(settings["CACHE_PATH"], FOLDER)
    path = os.path.join(folder, f"{name}-model.pickle")
    hashes = FileHashes()
    content = os.path.abspath(settings["PATH"])
    digest = hashlib.sha256(f"grasrot-model-cache {FORMAT} {name}\n".encode())
    digest.update(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    roots = [(f"content/{f}", os.path.join(content, f)) for f in folders]
    roots += [(f"plugins{i}", os.path.abspath(p))
              for i, p in enumerate(settings.get("PLUGIN_PATHS") or [])]
    for label, root in roots:
        if os.path.isdir(root):
            for file in _walk_files(root):
                relative = os.path.relpath(file, root).replace(os.sep, "/")
                digest.update(f"{label}/{relative} {hashes.of(file)}\n".encode())
    for key in sorted(k for k in settings if isinstance(k, str)):
        if not key.startswith("_") and key not in VOLATILE_SETTINGS:
            digest.update(f"{key}={_stable_setting(settings[key])}\n".encode())
    for item in extra:
        digest.update(f"{item}\n".encode())
    key = digest.hexdigest()
    try:
        with open(path, "rb") as handle:
            stored_key, value = pickle.load(handle)
        if stored_key == key:
            return value
    except Exception:  # absent or damaged: build it
        pass
    value = build()
    if keep(value):
        _atomic_pickle(path, (key, value))
    return value


def values_digest(names, attributes: dict, lookup, covered: tuple, hashes: FileHashes) -> str:
    """Walk each recorded name's value along the recorded attributes (see module docs)."""
    walker = _Walker(attributes, covered, hashes)
    digest = hashlib.sha256()
    for name in sorted(names):
        value = lookup(name)
        digest.update(name.encode() + b"=")
        digest.update(MISSING_BYTES if value is MISSING else walker.digest(value))
        digest.update(b"\n")
    return digest.hexdigest()


class _Walker:
    def __init__(self, attributes: dict, covered: tuple, hashes: FileHashes):
        self.attributes = attributes
        self.covered = covered
        self.hashes = hashes
        self.nodes = 0
        self.seen: dict[int, bytes] = {}
        self._keep = []  # keeps walked objects alive, so id() stays unique

    def digest(self, value) -> bytes:
        return hashlib.sha256(self.encode(value, 0)).digest()

    def encode(self, value, depth: int) -> bytes:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > 60:
            raise Unhashable("too large or too deep")
        if value is None or isinstance(value, (bool, int, float, str, bytes, decimal.Decimal,
                                               dt.date, dt.time, dt.timedelta, dt.tzinfo,
                                               PurePath, enum.Enum)):
            kind = "markup" if isinstance(value, Markup) else type(value).__name__
            return f"{kind}:{value!r}".encode()
        if isinstance(value, Undefined):
            return MISSING_BYTES
        if isinstance(value, self.covered):
            return f"covered:{_type_name(type(value))}".encode()
        key = id(value)
        if key in self.seen:
            return self.seen[key]
        self.seen[key] = b"<cycle>"
        self._keep.append(value)
        encoded = self._encode_compound(value, depth)
        self.seen[key] = encoded
        return encoded

    def _encode_compound(self, value, depth: int) -> bytes:
        from pelican.contents import Content

        if isinstance(value, Content):
            # Its source file, and whatever the templates read of it (plugins
            # add attributes made from other inputs, e.g. a newsletter's events).
            source = getattr(value, "source_path", None) or ""
            return (f"content:{source}:{self.hashes.of(source) if source else '-'}:"
                    f"{getattr(value, 'url', '')}:{getattr(value, 'save_as', '')}:"
                    f"{getattr(value, 'status', '')}:").encode() + self._object(value, depth)
        if isinstance(value, dict):
            parts = sorted(self.encode(k, depth + 1) + b":" + self.encode(v, depth + 1)
                           for k, v in value.items())
            return b"dict{" + b",".join(parts) + b"}"
        if isinstance(value, (list, tuple)):
            return (type(value).__name__.encode() + b"["
                    + b",".join(self.encode(v, depth + 1) for v in value) + b"]")
        if isinstance(value, (set, frozenset)):
            return b"set{" + b",".join(sorted(self.encode(v, depth + 1) for v in value)) + b"}"
        if isinstance(value, (types.MethodType, types.BuiltinMethodType)):
            # A method may read any attribute of its object: hash them all
            # (a container's method, e.g. `groups_by_slug.get`: the container).
            owner = getattr(value, "__self__", None)
            if owner is None or isinstance(owner, (type, types.ModuleType)):
                return f"function:{_callable_name(value)}".encode()
            inside = (self.encode(owner, depth + 1)
                      if isinstance(owner, (dict, list, tuple, set, frozenset, str, bytes))
                      else self._all_attributes(owner, depth + 1))
            return f"method:{_callable_name(value)}:".encode() + inside
        if callable(value) and isinstance(value, (types.FunctionType,
                                                  types.BuiltinFunctionType, type)):
            return f"function:{_callable_name(value)}".encode()
        if isinstance(value, types.ModuleType):
            return f"module:{value.__name__}".encode()
        return self._object(value, depth)

    def _object(self, value, depth: int) -> bytes:
        kind = _type_name(type(value))
        parts = [f"object:{kind}".encode()]
        custom_str = type(value).__str__ is not object.__str__ \
            or hasattr(type(value), "__html__")
        if custom_str:
            parts.append(b"str:" + self.encode(str(value), depth + 1))
        for name in sorted(self.attributes.get(kind, ()), key=repr):
            try:
                if isinstance(name, str) and hasattr(value, name):
                    found = getattr(value, name)
                else:
                    found = value[name]
            except Exception:
                found = MISSING
            parts.append(repr(name).encode() + b"="
                         + (MISSING_BYTES if found is MISSING else self.encode(found, depth + 1)))
        if callable(value) and not isinstance(value, type):
            # Called from a template: its result may depend on anything it holds.
            parts.append(b"call:" + self._all_attributes(value, depth + 1))
        if len(parts) == 1 and not custom_str and not self.attributes.get(kind) \
                and not _has_state(value):
            # An object with no state (e.g. a sentinel): its type is all there is.
            return parts[0]
        return b"(" + b";".join(parts) + b")"

    def _all_attributes(self, owner, depth: int) -> bytes:
        if isinstance(owner, self.covered):
            return f"covered:{_type_name(type(owner))}".encode()
        fields = _state(owner)
        if fields is None:
            raise Unhashable(f"cannot see inside {_type_name(type(owner))}")
        return b"{" + b",".join(
            name.encode() + b"=" + self.encode(val, depth + 1)
            for name, val in sorted(fields.items())) + b"}"


def _state(value) -> dict | None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    found = getattr(value, "__dict__", None)
    if found is not None:
        return dict(found)
    slots = getattr(type(value), "__slots__", None)
    if slots is not None:
        names = [slots] if isinstance(slots, str) else list(slots)
        return {n: getattr(value, n, None) for n in names}
    closure = getattr(value, "__closure__", None)
    if closure is not None:
        return {}
    return None


def _has_state(value) -> bool:
    state = _state(value)
    return state is None or bool(state)


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _callable_name(value) -> str:
    module = getattr(value, "__module__", None) or ""
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", "?")
    return f"{module}.{name}"


def _atomic_pickle(path: str, data) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


# --- The cache a generator uses ---------------------------------------------------


class OutputCache:
    """One generator's output cache; see the module docstring.

    Usage in generate_output:

        cache = OutputCache(self, "calendar", covered=(Calendar, ...))
        if cache.restore(writer):
            return
        with cache.recording(writer):
            ...  # write as usual, via writer.write_file and cache.write_bytes
    """

    def __init__(self, generator, name: str, covered: tuple = (), extra=()):
        self.generator = generator
        self.name = name
        self.covered = tuple(covered)
        self.extra = tuple(extra)
        settings = generator.settings
        self.enabled = bool(
            settings.get(SETTING, True) and settings.get("CACHE_CONTENT")
            and settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH")
            and not settings.get("RELATIVE_URLS")
        )
        folder = os.path.join(settings.get("CACHE_PATH") or "", FOLDER)
        self.path = os.path.join(folder, f"{name}.pickle")
        self.hashes = FileHashes()
        self.recorder = install_recorder(generator.env)
        self._base = None
        self._writes: list = []  # (relative path, replayed context or None)
        self._bytes: dict[str, bytes] = {}
        self.hit = False

    # -- digests --

    def _base_digest(self) -> str:
        if self._base is None:
            debug = (self.path.removesuffix(".pickle") + f".base-{os.getpid()}.txt"
                     if os.environ.get("GRASROT_OUTPUT_CACHE_DEBUG") else None)
            self._base = base_digest(self.generator.settings, self.name, self.hashes,
                                     self.extra, debug)
        return self._base

    def _lookup(self, name):
        context, env_globals = self.generator.context, self.generator.env.globals
        if name in context:
            return context[name]
        if name in env_globals:
            return env_globals[name]
        return MISSING

    def _values_digest(self, names, attributes) -> str:
        return values_digest(names, attributes, self._lookup, self.covered, self.hashes)

    # -- reading --

    def restore(self, writer) -> bool:
        """Write last build's files if every input is unchanged; True if it did."""
        status = self._check()
        self.generator.settings.setdefault(STATUS_KEY, {})[self.name] = status
        logger.debug("output cache %s: %s", self.name, status)
        if status != "hit":
            return False
        self._write_back(writer, self._entry)
        self._entry = None
        self.hit = True
        return True

    def _check(self) -> str:
        if not self.enabled:
            return "off"
        if not os.path.exists(self.path):
            return "miss: empty"
        try:
            with open(self.path, "rb") as handle:
                entry = pickle.load(handle)
            if entry.get("format") != FORMAT:
                return "miss: format"
            if entry["base"] != self._base_digest():
                return "miss: files, code or settings changed"
            if entry["values"] != self._values_digest(entry["names"], entry["attributes"]):
                return "miss: values the templates read changed"
        except Unhashable as reason:
            return f"miss: {reason}"
        except Exception as error:  # a damaged cache is a miss, never a failure
            return f"miss: unreadable ({error})"
        self._entry = entry
        return "hit"

    def _write_back(self, writer, entry) -> None:
        output_path = self.generator.output_path
        context = self.generator.context
        made = set()
        for relative, replay in entry["writes"]:
            path = os.path.join(output_path, relative)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            data = entry["files"][relative]
            if replay is None:  # written by the generator itself (write_bytes)
                with open(path, "wb") as handle:
                    handle.write(data)
                continue
            # A page Pelican's writer wrote: the same overwrite rules (and file
            # handle), the same bytes, the same signal.
            with writer._open_w(path, "utf-8") as handle:
                handle.flush()
                handle.buffer.write(data)
            local = context.copy()
            local.update(replay)
            local["output_file"] = replay.get("output_file", relative)
            signals.content_written.send(path, context=local)

    # -- writing --

    @contextmanager
    def recording(self, writer):
        """Record reads and writes while the generator writes; store them afterwards."""
        if not self.enabled:
            yield self
            return
        recorder = self.recorder
        recorder.clear()
        output_path = os.path.abspath(self.generator.output_path)
        mine = self._remember_page

        def remember(path, context=None):
            if os.path.abspath(path).startswith(output_path + os.sep):
                mine(path, context)

        signals.content_written.connect(remember, weak=False)
        recorder.active = True
        completed = False
        try:
            yield self
            completed = True
        finally:
            recorder.active = False
            signals.content_written.disconnect(remember)
        if completed:
            self._store()

    def _remember_page(self, path, context) -> None:
        relative = os.path.relpath(path, self.generator.output_path).replace(os.sep, "/")
        replay = {}
        base = self.generator.context
        for key, value in (context or {}).items():
            if key in base and base[key] is value:
                continue
            if value is None or isinstance(value, (bool, int, float, str)):
                replay[key] = value
        self._writes.append((relative, replay))

    def write_bytes(self, relative_path: str, data: bytes) -> None:
        """Write a file the generator makes itself (not through Pelican's writer)."""
        path = os.path.join(self.generator.output_path, relative_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        if self.enabled:
            relative = relative_path.replace(os.sep, "/")
            self._writes.append((relative, None))
            self._bytes[relative] = data

    def _store(self) -> None:
        # Names given to write_file as keywords (the page's own values, made from
        # the generator's model) are looked up in the context like the rest: they
        # are absent there, the same on every build, and cost nothing.
        names = {n for n in self.recorder.names if n not in WRITER_NAMES}
        attributes = self.recorder.attributes
        try:
            values = self._values_digest(names, attributes)
        except Unhashable as reason:
            logger.debug("output cache %s not stored: %s", self.name, reason)
            self._forget()
            return
        files = {}
        for relative, replay in self._writes:
            if replay is None:
                files[relative] = self._bytes[relative]
            else:
                with open(os.path.join(self.generator.output_path, relative), "rb") as handle:
                    files[relative] = handle.read()
        entry = {"format": FORMAT, "base": self._base_digest(), "names": sorted(names),
                 "attributes": attributes, "values": values, "writes": self._writes,
                 "files": files}
        _atomic_pickle(self.path, entry)

    def _forget(self) -> None:
        try:
            os.remove(self.path)
        except OSError:
            pass


# --- Pelican's own pages, one write_file call at a time -------------------------------


class _RecordingTemplate:
    """Stands in for a template in Writer.write_file: renders, keeps each page's text."""

    def __init__(self, template):
        self.template = template
        self.texts: dict[str, str] = {}

    def render(self, localcontext):
        text = self.template.render(localcontext)
        self.texts[localcontext["output_file"]] = text
        return text


class _CachedTemplate:
    """Stands in for a template: last build's text of each page, rendered only if absent."""

    def __init__(self, template, texts: dict):
        self.template = template
        self.texts = texts
        self.rendered = 0

    def render(self, localcontext):
        text = self.texts.get(localcontext["output_file"])
        if text is None:  # cannot happen for equal inputs; render rather than guess
            self.rendered += 1
            text = self.template.render(localcontext)
        return text


class PageCache:
    """Skips rendering a page of Pelican's article and page generators whose inputs
    are unchanged (issue 8: a post edit re-rendered all 2,500 pages).

    One entry per `Writer.write_file` call (a post, a page, a tag's pages, ...),
    keyed by: the base digest without content files (code, theme, libraries,
    settings, build date); the values every template of that name read from
    the context and globals (recorded as for OutputCache); and the call's own
    arguments, walked along the recorded attributes (a post counts by its
    source file and whatever the templates read of it). On a hit Pelican's
    writer runs as usual, pagination, overwrite checks and `content_written`
    included, with a template that returns last build's text instead of
    rendering. Entries live in CACHE_PATH/grasrot-output/pages.pickle.
    """

    def __init__(self, settings):
        self.settings = settings
        self.enabled = bool(
            settings.get(SETTING, True) and settings.get("CACHE_CONTENT")
            and settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH")
            and not settings.get("RELATIVE_URLS"))
        self.path = os.path.join(settings.get("CACHE_PATH") or "", FOLDER, "pages.pickle")
        self.environments: set[int] = set()  # id() of the environments it serves
        self.hashes = FileHashes()
        self._base = None
        self.previous = self._load() if self.enabled else {}
        self.names: dict[str, set] = {t: set(n) for t, n in
                                      self.previous.get("names", {}).items()}
        # Per template name: {type name: attributes}; a template's pages are keyed
        # by what that template read, not by what any other template did.
        self.attributes: dict[str, dict] = {
            t: {k: set(v) for k, v in by_type.items()}
            for t, by_type in self.previous.get("attributes", {}).items()}
        self.entries: dict[str, dict] = {}  # this build's: key -> {output_file: text}
        self.calls: list = []  # (key, inputs) to key again if what templates read grew
        self._shared: dict = {}
        self.hits = self.misses = 0

    def _load(self) -> dict:
        try:
            with open(self.path, "rb") as handle:
                found = pickle.load(handle)
        except Exception:
            return {}
        if found.get("format") != FORMAT or found.get("base") != self.base():
            return {}
        return found

    def base(self) -> str:
        if self._base is None:
            settings = dict(self.settings)
            # The content folder is not in this key: posts count by what was read.
            self._base = base_digest({**settings, "PATH": os.devnull}, "pages",
                                     self.hashes, [f"path={settings.get('PATH')}"])
        return self._base

    def serve(self, generator) -> None:
        env = getattr(generator, "env", None)
        if self.enabled and env is not None:
            install_recorder(env)
            self.environments.add(id(env))

    def _key(self, env, context, template_name, arguments, names, attributes) -> str:
        names = names.get(template_name, set()) - set(arguments) - WRITER_NAMES
        attributes = attributes.get(template_name, {})
        shared_key = (id(env), id(context), template_name, frozenset(names))
        shared = self._shared.get(shared_key)
        if shared is None:
            def lookup(name):
                if name in context:
                    return context[name]
                return env.globals.get(name, MISSING)

            shared = self._shared[shared_key] = values_digest(
                names, attributes, lookup, (), self.hashes)
        own = values_digest(arguments, attributes, arguments.__getitem__, (), self.hashes)
        return hashlib.sha256(f"{self.base()} {template_name} {shared} {own}".encode()
                              ).hexdigest()

    def write_file(self, original, name, template, context, relative_urls=False,
                   paginated=None, template_name=None, override_output=False, url=None,
                   **kwargs):
        env = getattr(template, "environment", None)
        if not self.enabled or relative_urls or env is None \
                or id(env) not in self.environments or not name:
            return original(name, template, context, relative_urls, paginated,
                            template_name, override_output, url, **kwargs)
        arguments = {"name": name, "paginated": paginated, "template_name": template_name,
                     "override_output": override_output, "url": url, **kwargs}
        try:
            key = self._key(env, context, template.name, arguments, self.names,
                            self.attributes)
        except Unhashable:
            return original(name, template, context, relative_urls, paginated,
                            template_name, override_output, url, **kwargs)
        texts = self.previous.get("entries", {}).get(key)
        if texts is not None:
            stand_in = _CachedTemplate(template, texts)
            original(name, stand_in, context, relative_urls, paginated, template_name,
                     override_output, url, **kwargs)
            if stand_in.rendered:  # keep nothing that was not checked
                return
            self.hits += 1
            self.entries[key] = texts
            self.calls.append((key, env, context, template.name, arguments))
            return
        self.misses += 1
        recorder = env._grasrot_recorder
        recorder.clear()
        recorder.active = True
        stand_in = _RecordingTemplate(template)
        try:
            original(name, stand_in, context, relative_urls, paginated, template_name,
                     override_output, url, **kwargs)
        finally:
            recorder.active = False
        self.names.setdefault(template.name, set()).update(recorder.names)
        read = self.attributes.setdefault(template.name, {})
        for kind, found in recorder.attributes.items():
            read.setdefault(kind, set()).update(found)
        if os.environ.get("GRASROT_OUTPUT_CACHE_DEBUG"):
            print(f"page cache: rendered {name} ({template.name})", file=sys.stderr)
        self.entries[key] = stand_in.texts
        self.calls.append((key, env, context, template.name, arguments))

    def store(self) -> None:
        """finalized: keep this build's entries, keyed again if templates read more."""
        if not self.enabled:
            return
        previous_names = {t: set(n) for t, n in self.previous.get("names", {}).items()}
        previous_attributes = {t: {k: set(v) for k, v in by_type.items()}
                               for t, by_type in self.previous.get("attributes", {}).items()}
        entries = self.entries
        if self.names != previous_names or self.attributes != previous_attributes:
            self._shared.clear()
            entries = {}
            try:
                for key, env, context, template_name, arguments in self.calls:
                    new_key = self._key(env, context, template_name, arguments,
                                        self.names, self.attributes)
                    entries[new_key] = self.entries[key]
            except Unhashable:
                entries = {}
        _atomic_pickle(self.path, {"format": FORMAT, "base": self.base(),
                                   "names": self.names, "attributes": self.attributes,
                                   "entries": entries})
        self.settings.setdefault(STATUS_KEY, {})["pages"] = \
            f"{self.hits} hit, {self.misses} rendered"
