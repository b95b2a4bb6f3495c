"""Output caches of the preview: skip re-rendering what cannot have changed.

A rebuild after one edited post used to render all ~10,000 pages and .ics
files of a district site again, although almost none of them can change.
Three caches, all in CACHE_PATH/grasrot-output/, all keyed by digests of
their inputs (never by time stamps), and all giving output byte-identical to
a cold build's (tests/test_scaling.py compares a cached rebuild after a post
edit with a cold build of the same content, byte for byte):

- `OutputCache`: a whole generator's output (the calendar's pages and .ics
  files), written back from last build when its inputs are unchanged;
- `PageCache`: one page of Pelican's article and page generators (a post, a
  page, one page of a tag's or category's list, ...), keyed by what that
  page's own last render read; Pelican's writer runs as usual (pagination,
  overwrite checks, `content_written`) with a template stand-in that returns
  last build's text of each unchanged page instead of rendering it;

What a key covers:

1. **Files and code** (`base_digest`): the kit's plugins, the theme, the
   library versions, the settings (build date included) and, for
   OutputCache, every file under the content folder except the article
   folders (ARTICLE_PATHS); PageCache hashes no content file up front.
2. **What the templates read** (`values_digest`): while pages render, every
   name the templates resolve from the Jinja context or globals
   (`TrackingContext`) and every attribute or item they read, per type and
   per template (`Environment.getattr/getitem`), is recorded. The next build
   walks the same names again, following only the recorded attributes: a
   value no render read cannot change the output (equal reads, equal control
   flow). A post or page (`pelican.contents.Content`) counts by its source
   file plus whatever the templates read of it; the posts a page's templates
   read nothing of (the other 1,990 posts of `articles` on a list page) count
   by how many there are (`_Walker._list_with_untouched`). Objects reached through a
   method call from a template count by all their attributes; functions by
   their name (their code is in 1.); the build's settings dict by 1.; a type
   registered with `register_cover` (the preview registers the calendar's)
   by its own input digest.
   A value that cannot be walked makes the page render and be stored
   nowhere.

Known limit: Python code called from a template (a global function, a
filter, a method) may read state the walk does not see; the kit's (page_meta,
the Babel filters, calendar.upcoming, MenuItem.is_current) read only the
Jinja context (recorded), the settings and covered models.

Switches: used only in builds that load the grasrot_preview plugin (`invoke
serve`; a published build never imports this module), with Pelican's own
content cache (CACHE_CONTENT and LOAD_CONTENT_CACHE) and, for pages, absolute
URLs. GRASROT_OUTPUT_CACHE_DEBUG=1 keeps the base digest's lines (to diff
two builds) and prints each page PageCache renders. The status of each cache
(hit, or why not) is in the build's `PreviewBuild.cache_status`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import functools
import hashlib
import logging
import os
import pickle
import sys
import types
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import PurePath

from jinja2.runtime import Context, Undefined
from markupsafe import Markup
from pelican import signals
from pelican.paginator import Page

from . import this_build

logger = logging.getLogger(__name__)

FORMAT = 5  # bump when what is stored or hashed changes
FOLDER = "grasrot-output"
LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "babel",
    "markdown",
    "icalendar",
    "python-dateutil",
    "pyyaml",
    "feedgen",
)
# Names Pelican's writer sets on every page (the page's own, not an input).
WRITER_NAMES = frozenset({"output_file", "localsiteurl"})
MAX_NODES = 200_000
MISSING = type("Missing", (), {"__repr__": lambda self: "<missing>"})()  # lookup sentinel
MISSING_BYTES = b"<missing>"
_SKIP_DIRS = {"__pycache__", ".git", ".pytest_cache", "node_modules"}


class Unhashable(Exception):
    """A value the templates read cannot be fingerprinted: do not cache."""


# type -> function giving a digest of everything an object of that type is made
# from (e.g. the calendar: its files, the settings, the build date). The walk
# uses it instead of looking inside; a function returning None means "cannot say".
COVERS: dict[type, object] = {}


def register_cover(kind: type, digest_of) -> None:
    COVERS[kind] = digest_of


# --- Recording what templates read ------------------------------------------------


class Recorder:
    """Names resolved and (type, attribute) pairs read while recording is on.

    Reads are recorded as they happen (a million per district build), so this
    only adds to sets; `attributes` sorts them out by type name afterwards."""

    def __init__(self):
        self.names: set[str] = set()
        self.pairs: set = set()  # (type, attribute or item key)
        self.touched: set[str] = set()  # source paths of the posts and pages read
        self.active = False

    def clear(self) -> None:
        self.names.clear()
        self.pairs.clear()
        self.touched.clear()

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

    def call(__self, __obj, *args, **kwargs):
        """A post handed to Python code (`page_meta()`, which takes the page's
        `article` from the context) may be read there, unseen: count it whole."""
        recorder = getattr(__self.environment, "_grasrot_recorder", None)
        if recorder is not None and recorder.active:
            values = [*args, *kwargs.values()]
            if getattr(__obj, "jinja_pass_arg", None) is not None:
                values += [
                    __self.vars.get(n, __self.parent.get(n)) for n in ("article", "page")
                ]
            _touch(recorder, values)
        return super().call(__obj, *args, **kwargs)


def _touch(recorder, values) -> None:
    from pelican.contents import Content

    for value in values:
        items = value if isinstance(value, (list, tuple)) else (value,)
        for item in items:
            if isinstance(item, Content) and item.source_path:
                recorder.touched.add(item.source_path)


def install_recorder(env) -> Recorder:
    """Make `env` record reads (idempotent); returns its Recorder."""
    recorder = getattr(env, "_grasrot_recorder", None)
    if recorder is not None:
        return recorder
    recorder = Recorder()
    env._grasrot_recorder = recorder
    env.context_class = TrackingContext
    plain_getattr, plain_getitem = env.getattr, env.getitem
    pairs, touched = recorder.pairs, recorder.touched
    is_content = _ContentTypes()

    def getattr_recorded(obj, attribute):
        if recorder.active:
            kind = type(obj)
            pairs.add((kind, attribute))  # attribute: always a str
            if is_content(kind):
                touched.add(obj.source_path)
        return plain_getattr(obj, attribute)

    def getitem_recorded(obj, argument):
        if recorder.active:
            kind = type(obj)
            try:
                pairs.add((kind, argument))
            except TypeError:  # an unhashable key (a slice before 3.12)
                pairs.add((kind, repr(argument)))
            if is_content(kind):
                touched.add(obj.source_path)
        return plain_getitem(obj, argument)

    env.getattr = getattr_recorded
    env.getitem = getitem_recorded
    return recorder


class _ContentTypes(dict):
    """type -> is it a post or page (pelican.contents.Content)? Asked per read."""

    def __call__(self, kind) -> bool:
        found = self.get(kind)
        if found is None:
            from pelican.contents import Content

            found = self[kind] = issubclass(kind, Content)
        return found


_CONTENT_TYPES = _ContentTypes()


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
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in _SKIP_DIRS and os.path.normpath(os.path.join(folder, d)) not in skip
        )
        found.extend(
            os.path.join(folder, name)
            for name in sorted(files)
            if not name.endswith((".pyc", ".pyo"))
        )
    return found


def _stable_setting(value, depth=0) -> str:
    """repr of a settings value without memory addresses (functions by name)."""
    if depth > 20:
        return "<deep>"
    if isinstance(value, dict):
        items = sorted(
            (_stable_setting(k, depth + 1), _stable_setting(v, depth + 1))
            for k, v in value.items()
        )
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable_setting(v, depth + 1) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_setting(v, depth + 1) for v in value)) + "}"
    if isinstance(
        value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)
    ):
        return (
            f"<{_type_name(value) if isinstance(value, type) else _callable_name(value)}>"
        )
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


def enabled(settings) -> bool:
    """On in builds that load grasrot_preview, with Pelican's own content cache."""
    from grasrot_preview import loaded

    return bool(
        loaded(settings)
        and settings.get("CACHE_CONTENT")
        and settings.get("LOAD_CONTENT_CACHE")
        and settings.get("CACHE_PATH")
    )


@functools.lru_cache(maxsize=1)
def _runtime_versions() -> bytes:
    """Python's and the libraries' versions: a key part of every cache."""
    lines = [sys.version]
    for library in LIBRARIES:
        try:
            lines.append(f"{library} {metadata.version(library)}\n")
        except metadata.PackageNotFoundError:
            lines.append(f"{library} -\n")
    return "".join(lines).encode()


def base_digest(
    settings,
    generator_name: str,
    hashes: FileHashes,
    extra=(),
    debug_path: str | None = None,
) -> str:
    """Files, code, libraries, settings and build date: see the module docstring."""
    digest = _Lines(
        f"grasrot-output-cache {FORMAT} {generator_name}\n".encode(),
        keep=debug_path is not None,
    )
    digest.update(_runtime_versions())
    content = os.path.abspath(settings["PATH"])
    article_dirs = [
        os.path.join(content, folder) for folder in settings.get("ARTICLE_PATHS") or []
    ]
    roots = [
        ("content", content, article_dirs),
        ("theme", os.path.abspath(settings.get("THEME") or ""), ()),
    ]
    roots += [
        (f"plugins{i}", os.path.abspath(path), ())
        for i, path in enumerate(settings.get("PLUGIN_PATHS") or [])
    ]
    for label, root, skip in roots:
        if not root or not os.path.isdir(root):
            continue
        for path in _walk_files(root, skip):
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            digest.update(f"{label}/{relative} {hashes.of(path)}\n".encode())
    for key in sorted(k for k in settings if isinstance(k, str)):
        if key.startswith("_"):
            continue
        digest.update(f"{key}={_stable_setting(settings[key])}\n".encode())
    for item in extra:
        digest.update(f"{item}\n".encode())
    if debug_path:  # to see why a build missed: diff two builds' files
        os.makedirs(os.path.dirname(debug_path), exist_ok=True)
        with open(debug_path, "wb") as handle:
            handle.write(b"".join(digest.lines))
    return digest.hexdigest()


def values_digest(
    names,
    attributes: dict,
    lookup,
    covered: tuple,
    hashes: FileHashes,
    settings=None,
    content_memo: dict | None = None,
    touched: frozenset | None = None,
    shapes: dict | None = None,
) -> str:
    """Walk each recorded name's value along the recorded attributes (see module
    docs). `touched`: the source paths of the posts the render read anything
    of; the others count by their path alone (None: every post counts whole)."""
    walker = _Walker(attributes, covered, hashes, settings, content_memo, touched, shapes)
    digest = hashlib.sha256()
    for name in sorted(names):
        value = lookup(name)
        digest.update(name.encode() + b"=")
        digest.update(MISSING_BYTES if value is MISSING else walker.digest(value))
        digest.update(b"\n")
    return digest.hexdigest()


class _ListShape:
    """Where the posts of a list stand: made once per list and build, since posts
    and their lists do not change after all_generators_finalized."""

    __slots__ = ("all_digest", "other_indexes", "paths", "positions", "value")

    def __init__(self, value, is_content):
        self.value = value  # keeps the list alive, so id() stays its own
        self.positions: dict[str, int] = {}
        self.other_indexes: list[int] = []
        for index, item in enumerate(value):
            source = getattr(item, "source_path", None) if is_content(type(item)) else None
            if source and source not in self.positions:
                self.positions[source] = index
            else:
                self.other_indexes.append(index)
        self.paths = sorted(self.positions)
        self.all_digest = hashlib.sha256("\n".join(self.paths).encode()).digest()


class _Walker:
    def __init__(
        self,
        attributes: dict,
        covered: tuple,
        hashes: FileHashes,
        settings=None,
        content_memo: dict | None = None,
        touched: frozenset | None = None,
        shapes: dict | None = None,
    ):
        self.attributes = attributes
        self.covered = covered
        self.hashes = hashes
        self.settings = settings  # in the base digest: not walked again
        self.nodes = 0
        self.seen: dict[int, bytes] = {}
        self._keep = []  # keeps walked objects alive, so id() stays unique
        # Posts and pages do not change once every generator has read them
        # (all_generators_finalized): PageCache shares their digests between
        # the calls of one template, instead of walking each post per list.
        self.content_memo = content_memo
        self.touched = touched
        self.shapes = shapes  # id(list) -> _ListShape, shared by the pages of a build
        self.saw_content = False  # did the walk meet a post or page?
        self.is_content = _CONTENT_TYPES

    def _untouched(self, value) -> str | None:
        """The source path of a post or page the render read nothing of, else None."""
        if not self.is_content(type(value)):
            return None
        self.saw_content = True
        if self.touched is None:
            return None
        source = getattr(value, "source_path", None)
        return source if source and source not in self.touched else None

    def _list_with_untouched(self, value, depth: int) -> bytes | None:
        """A list of posts of which the render read some: its length, each post it
        read with its place, and the others as a set. A template sees a post
        only by reading it, so the others can count only by how many there are
        (`articles` of a category, resolved on each of its pages, shows ten)."""
        shape = self._shape(value)
        if shape is None:
            return None
        self.saw_content = True
        read_here = [shape.positions[p] for p in self.touched if p in shape.positions]
        indexes = sorted(read_here + shape.other_indexes)
        read = [
            f"{index}=".encode() + self.encode(value[index], depth + 1) for index in indexes
        ]
        if not read_here:
            unordered = shape.all_digest
        elif len(read_here) == len(shape.positions):
            unordered = b""
        else:
            unordered = hashlib.sha256(
                "\n".join(p for p in shape.paths if p not in self.touched).encode()
            ).digest()
        return (
            f"{type(value).__name__}[{len(value)}:".encode()
            + b",".join(read)
            + b"|"
            + unordered
            + b"]"
        )

    def _shape(self, value):
        shapes = self.shapes
        found = shapes.get(id(value)) if shapes is not None else None
        if found is None:
            found = _ListShape(value, self.is_content)
            if shapes is not None:
                shapes[id(value)] = found
        return found if found.positions else None

    def digest(self, value) -> bytes:
        return hashlib.sha256(self.encode(value, 0)).digest()

    def encode(self, value, depth: int) -> bytes:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > 60:
            raise Unhashable("too large or too deep")
        if value is None or isinstance(
            value,
            (
                bool,
                int,
                float,
                str,
                bytes,
                decimal.Decimal,
                dt.date,
                dt.time,
                dt.timedelta,
                dt.tzinfo,
                PurePath,
                enum.Enum,
            ),
        ):
            kind = "markup" if isinstance(value, Markup) else type(value).__name__
            if isinstance(value, (str, bytes)) and len(value) > 64:  # a post's HTML
                data = (
                    value
                    if isinstance(value, bytes)
                    else value.encode("utf-8", "surrogatepass")
                )
                return f"{kind}#".encode() + hashlib.sha256(data).digest()
            return f"{kind}:{value!r}".encode()
        if isinstance(value, Undefined):
            return MISSING_BYTES
        if isinstance(value, self.covered):
            return f"covered:{_type_name(type(value))}".encode()
        if self.settings is not None and value is self.settings:
            return b"settings"
        cover = COVERS.get(type(value))
        if cover is not None:
            found = cover(value)
            if found is None:
                raise Unhashable(f"no digest for {_type_name(type(value))}")
            return f"cover:{_type_name(type(value))}:{found}".encode()
        source = self._untouched(value)
        if source is not None:
            return f"post:{source}".encode()
        key = id(value)
        if key in self.seen:
            return self.seen[key]
        memo = self.content_memo
        if memo is not None and key in memo:
            return memo[key][1]
        self.seen[key] = b"<cycle>"
        self._keep.append(value)
        encoded = b"@" + hashlib.sha256(self._encode_compound(value, depth)).digest()
        self.seen[key] = encoded
        if memo is not None and _is_content(value):
            memo[key] = (value, encoded)  # the object too: its id() stays its own
        return encoded

    def _encode_compound(self, value, depth: int) -> bytes:
        from pelican.contents import Content
        from pelican.paginator import Paginator

        if isinstance(value, Paginator):
            # Its pages' methods (has_next, end_index, ...) and properties use its
            # size, whatever a template read of it: always part of its digest.
            size = (value.name, value.url, value.per_page, value.orphans, value.count)
            return b"paginator:" + self.encode(size, depth + 1) + self._object(value, depth)

        if isinstance(value, Content):
            # Its source file, and whatever the templates read of it (plugins
            # add attributes made from other inputs, e.g. a newsletter's events).
            # (Its URL counts if a template read it: Pelican computes it anew on
            # every access, 44,000 times per district build here otherwise.)
            source = getattr(value, "source_path", None) or ""
            return (
                f"content:{source}:{self.hashes.of(source) if source else '-'}:"
            ).encode() + self._object(value, depth)
        if isinstance(value, dict):
            parts = sorted(
                self.encode(k, depth + 1) + b":" + self.encode(v, depth + 1)
                for k, v in value.items()
            )
            return b"dict{" + b",".join(parts) + b"}"
        if isinstance(value, (list, tuple)):
            if self.touched is not None:
                found = self._list_with_untouched(value, depth)
                if found is not None:
                    return found
            return (
                type(value).__name__.encode()
                + b"["
                + b",".join(self.encode(v, depth + 1) for v in value)
                + b"]"
            )
        if isinstance(value, (set, frozenset)):
            return (
                b"set{" + b",".join(sorted(self.encode(v, depth + 1) for v in value)) + b"}"
            )
        if isinstance(value, (types.MethodType, types.BuiltinMethodType)):
            # A method may read any attribute of its object: hash them all
            # (a container's method, e.g. `groups_by_slug.get`: the container).
            owner = getattr(value, "__self__", None)
            if owner is None or isinstance(owner, (type, types.ModuleType)):
                return f"function:{_callable_name(value)}".encode()
            if isinstance(owner, Page) and value.__name__ in PAGE_NUMBER_METHODS:
                # Pelican's code: these read the page's number and its paginator's
                # size only (not its posts, nor its neighbours').
                paginator = owner.paginator
                size = (
                    owner.number,
                    paginator.count,
                    paginator.per_page,
                    paginator.orphans,
                    paginator.num_pages,
                )
                return f"page-method:{value.__name__}:{size!r}".encode()
            inside = (
                self.encode(owner, depth + 1)
                if isinstance(owner, (dict, list, tuple, set, frozenset, str, bytes))
                else self._all_attributes(owner, depth + 1)
            )
            return f"method:{_callable_name(value)}:".encode() + inside
        if callable(value) and isinstance(
            value, (types.FunctionType, types.BuiltinFunctionType, type)
        ):
            return f"function:{_callable_name(value)}".encode()
        if isinstance(value, types.ModuleType):
            return f"module:{value.__name__}".encode()
        return self._object(value, depth)

    def _object(self, value, depth: int) -> bytes:
        kind = _type_name(type(value))
        parts = [f"object:{kind}".encode()]
        custom_str = type(value).__str__ is not object.__str__ or hasattr(
            type(value), "__html__"
        )
        if custom_str:
            parts.append(b"str:" + self.encode(str(value), depth + 1))
        for name in sorted(self.attributes.get(kind, ()), key=repr):
            found = MISSING
            try:  # as Environment.getattr: the attribute, else the item
                found = getattr(value, name) if isinstance(name, str) else value[name]
            except Exception:
                try:
                    found = value[name]
                except Exception:
                    found = MISSING
            parts.append(
                repr(name).encode()
                + b"="
                + (MISSING_BYTES if found is MISSING else self.encode(found, depth + 1))
            )
        if callable(value) and not isinstance(value, type):
            # Called from a template: its result may depend on anything it holds.
            parts.append(b"call:" + self._all_attributes(value, depth + 1))
        if (
            len(parts) == 1
            and not custom_str
            and not self.attributes.get(kind)
            and not _has_state(value)
        ):
            # An object with no state (e.g. a sentinel): its type is all there is.
            return parts[0]
        return b"(" + b";".join(parts) + b")"

    def _all_attributes(self, owner, depth: int) -> bytes:
        if isinstance(owner, self.covered) or type(owner) in COVERS:
            return self.encode(owner, depth)
        fields = _state(owner)
        if fields is None:
            raise Unhashable(f"cannot see inside {_type_name(type(owner))}")
        return (
            b"{"
            + b",".join(
                name.encode() + b"=" + self.encode(val, depth + 1)
                for name, val in sorted(fields.items())
            )
            + b"}"
        )


# pelican.paginator.Page methods that depend on the page's number and its
# paginator's size alone (pelican/paginator.py).
PAGE_NUMBER_METHODS = frozenset(
    {
        "has_next",
        "has_previous",
        "has_other_pages",
        "next_page_number",
        "previous_page_number",
        "start_index",
        "end_index",
    }
)


def _is_content(value) -> bool:
    """Posts, pages and their tags, categories and authors: final once every
    generator has read its content, so their digests may be shared."""
    from pelican.contents import Content
    from pelican.urlwrappers import URLWrapper

    return isinstance(value, (Content, URLWrapper))


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


class _BlobWriter:
    """The bytes of many files, appended to one file as they are made (so a cache of
    the whole site's HTML never sits in memory); each gets its (offset, length).

    The file is named by a fresh token, recorded in the index pickle written
    after it; an index thus never points into another build's blob."""

    def __init__(self, folder: str, stem: str):
        os.makedirs(folder, exist_ok=True)
        self.name = f"{stem}-{os.getpid()}-{os.urandom(6).hex()}.blob"
        self.path = os.path.join(folder, self.name)
        # open for the whole build: add() appends to it, commit() or discard() closes it
        self.handle = open(self.path + ".tmp", "wb")  # noqa: SIM115
        self.size = 0

    def add(self, data: bytes) -> tuple[int, int]:
        span = (self.size, len(data))
        self.handle.write(data)
        self.size += len(data)
        return span

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.path + ".tmp", self.path)

    def discard(self) -> None:
        self.handle.close()
        _remove(self.path + ".tmp")


class _BlobReader:
    def __init__(self, path: str):
        # open while the cache serves reads; close() closes it
        self.handle = open(path, "rb")  # noqa: SIM115

    def read(self, span) -> bytes:
        offset, length = span
        self.handle.seek(offset)
        data = self.handle.read(length)
        if len(data) != length:
            raise OSError("output cache blob is shorter than its index")
        return data

    def close(self) -> None:
        self.handle.close()


def _remove(path: str) -> None:
    with suppress(OSError):
        os.remove(path)


def _remove_old_blobs(folder: str, stem: str, keep: str) -> None:
    """Blobs of this stem that no index points to any more (not other builds' .tmp)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(stem + "-") and name.endswith(".blob") and name != keep:
            _remove(os.path.join(folder, name))


# --- The cache a generator uses ---------------------------------------------------


class OutputCache:
    """One generator's output cache; see the module docstring.

    Around a generator's generate_output (grasrot_preview does this for the
    calendar, whose files all lie under kalender/):

        cache = OutputCache(generator, "calendar", "kalender", covered=(Calendar, ...))
        if not cache.restore(writer):
            with cache.recording(writer):
                generator.generate_output(writer)

    Pages written through Pelican's writer are replayed with their
    `content_written` signal; any other file the generator wrote under its
    folder (the .ics files) is written back as it was.
    """

    def __init__(self, generator, name: str, folder: str, covered: tuple = (), extra=()):
        self.generator = generator
        self.name = name
        self.output_folder = folder
        self.covered = tuple(covered)
        self.extra = tuple(extra)
        settings = generator.settings
        self.enabled = enabled(settings) and not settings.get("RELATIVE_URLS")
        self.folder = os.path.join(settings.get("CACHE_PATH") or "", FOLDER)
        self.path = os.path.join(self.folder, f"{name}.pickle")
        self.hashes = FileHashes()
        self.recorder = install_recorder(generator.env)
        self._base = None
        self._writes: list = []  # (relative path, replayed context or None, span)
        self._blob: _BlobWriter | None = None
        self.hit = False

    # -- digests --

    def _base_digest(self) -> str:
        if self._base is None:
            debug = (
                self.path.removesuffix(".pickle") + f".base-{os.getpid()}.txt"
                if os.environ.get("GRASROT_OUTPUT_CACHE_DEBUG")
                else None
            )
            self._base = base_digest(
                self.generator.settings, self.name, self.hashes, self.extra, debug
            )
        return self._base

    def _lookup(self, name):
        context, env_globals = self.generator.context, self.generator.env.globals
        if name in context:
            return context[name]
        if name in env_globals:
            return env_globals[name]
        return MISSING

    def _values_digest(self, names, attributes) -> str:
        return values_digest(
            names,
            attributes,
            self._lookup,
            self.covered,
            self.hashes,
            self.generator.settings,
        )

    # -- reading --

    def restore(self, writer) -> bool:
        """Write last build's files if every input is unchanged; True if it did."""
        status = self._check()
        this_build(self.generator.settings).cache_status[self.name] = status
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
            if not os.path.exists(os.path.join(self.folder, entry["blob"])):
                return "miss: blob missing"
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
        blob = _BlobReader(os.path.join(self.folder, entry["blob"]))
        try:
            self._write_files(writer, entry, blob, output_path, context, made)
        finally:
            blob.close()

    def _write_files(self, writer, entry, blob, output_path, context, made) -> None:
        for relative, replay, span in entry["writes"]:
            path = os.path.join(output_path, relative)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            data = blob.read(span)
            if replay is None:  # written by the generator itself
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

        self._blob = _BlobWriter(self.folder, self.name)
        signals.content_written.connect(remember, weak=False)
        recorder.active = True
        completed = False
        try:
            yield self
            completed = True
        finally:
            recorder.active = False
            signals.content_written.disconnect(remember)
            if not completed:
                self._blob.discard()
        if completed:
            self._record_other_files()
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
        with open(path, "rb") as handle:  # the bytes as written, into the blob
            span = self._blob.add(handle.read())
        self._writes.append((relative, replay, span))

    def _record_other_files(self) -> None:
        """The files the generator wrote itself, not through Pelican's writer."""
        output_path = self.generator.output_path
        pages = {relative for relative, _, _ in self._writes}
        for path in _walk_files(os.path.join(output_path, self.output_folder)):
            relative = os.path.relpath(path, output_path).replace(os.sep, "/")
            if relative not in pages:
                with open(path, "rb") as handle:
                    self._writes.append((relative, None, self._blob.add(handle.read())))

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
            self._blob.discard()
            _remove(self.path)
            return
        self._blob.commit()
        entry = {
            "format": FORMAT,
            "base": self._base_digest(),
            "names": sorted(names),
            "attributes": attributes,
            "values": values,
            "writes": self._writes,
            "blob": self._blob.name,
        }
        _atomic_pickle(self.path, entry)
        _remove_old_blobs(self.folder, self.name, keep=self._blob.name)


# --- Pelican's own pages, one page at a time ----------------------------------------


class _PageTemplate:
    """Stands in for a template in Writer.write_file: each page the writer asks
    for (one per pagination page) comes from the PageCache or is rendered."""

    def __init__(self, cache, template, context):
        self.cache = cache
        self.template = template
        self.context = context
        self.name = template.name
        self.environment = template.environment

    def render(self, localcontext):
        return self.cache.page(self.template, self.context, localcontext)


class PageCache:
    """Skips rendering a page of Pelican's article and page generators whose inputs
    are unchanged, so a post edit does not render every page of the site again.

    One entry per page written: a post, a page, and each page of a paginated
    list (a category's page 7 of 200 is its own entry, so a post edit
    re-renders only the list pages showing it or next to it). Each entry keeps
    what that page's own render read (its *profile*: the names its templates
    resolved and, per type, the attributes they read; pages reading the same
    share one) and its key: the base digest without content files (code,
    theme, libraries, settings, build date), the output file, and those names'
    values, walked along those attributes: from the shared context and globals,
    or from the page's own values (the call's keywords and, for a list, the
    writer's `articles_page`, `articles_paginator`, ... of this page). A post
    counts by its source file and whatever the templates read of it; a
    pagination page by what was read of it and its paginator's size. The next
    build walks the same names again: equal values, equal reads, equal
    control flow, equal text. A page whose names are not all equal renders
    (and records its reads afresh).

    Pelican's writer runs as usual, pagination, overwrite checks and
    `content_written` included, with a template stand-in that returns last
    build's text of each unchanged page instead of rendering it. The index
    lives in CACHE_PATH/grasrot-output/pages.pickle, the pages' text in a blob
    beside it (read and written a page at a time).
    """

    def __init__(self, settings):
        self.settings = settings
        self.enabled = enabled(settings) and not settings.get("RELATIVE_URLS")
        self.folder = os.path.join(settings.get("CACHE_PATH") or "", FOLDER)
        self.path = os.path.join(self.folder, "pages.pickle")
        self.environments: set[int] = set()  # id() of the environments it serves
        self.hashes = FileHashes()
        self._base = None
        previous = self._load() if self.enabled else {}
        # Profiles: (names, {type name: frozenset of attributes}), interned; last
        # build's first, so that its entries' indexes stay valid.
        self.profiles: list = list(previous.get("profiles", ()))
        self._profile_ids = {
            self._profile_ident(*profile): index
            for index, profile in enumerate(self.profiles)
        }
        self._attribute_sets: dict = {}
        self._attribute_ids = [
            self._attributes_id(attributes) for _, attributes in self.profiles
        ]
        # output file -> (profile index, key, (offset, length) in last build's blob)
        self.stored: dict = previous.get("entries", {})
        self._old_blob: _BlobReader | None = None
        if self.stored:
            try:
                self._old_blob = _BlobReader(os.path.join(self.folder, previous["blob"]))
            except (OSError, KeyError):
                self.stored = {}
        self._blob: _BlobWriter | None = None  # made on the first page written
        self.entries: dict = {}  # this build's, as `stored`
        self._shared: dict = {}
        self._content_memo: dict = {}
        self._shapes: dict = {}
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
            self._base = base_digest(
                {**settings, "PATH": os.devnull},
                "pages",
                self.hashes,
                [f"path={settings.get('PATH')}"],
            )
        return self._base

    def serve(self, generator) -> None:
        env = getattr(generator, "env", None)
        if self.enabled and env is not None:
            install_recorder(env)
            self.environments.add(id(env))

    @staticmethod
    def _profile_ident(names, attributes):
        return names, frozenset(attributes.items())

    def _profile(self, recorder: Recorder) -> int:
        names = frozenset(n for n in recorder.names if n not in WRITER_NAMES)
        attributes = {kind: frozenset(found) for kind, found in recorder.attributes.items()}
        ident = self._profile_ident(names, attributes)
        index = self._profile_ids.get(ident)
        if index is None:
            index = self._profile_ids[ident] = len(self.profiles)
            self.profiles.append((names, attributes))
            self._attribute_ids.append(self._attributes_id(attributes))
        return index

    def _attributes_id(self, attributes) -> int:
        return self._attribute_sets.setdefault(
            frozenset(attributes.items()), len(self._attribute_sets)
        )

    def _key(self, env, context, own, profile: int, touched: frozenset) -> str:
        """A page's key. `own`: what its local context holds that the shared
        context does not (the call's keywords, the writer's pagination values,
        output_file); `profile`: what its last render read; `touched`: the
        posts it read anything of."""
        names, attributes = self.profiles[profile]
        attribute_id = self._attribute_ids[profile]
        digest = hashlib.sha256()
        for name in sorted(n for n in names if n not in own):
            digest.update(
                name.encode()
                + b"="
                + self._shared_digest(env, context, name, attributes, attribute_id, touched)
                + b"\n"
            )
        shared = digest.hexdigest()
        # The page's own values, as far as its render resolved them: a keyword it
        # never resolved (Pelican's tag pages get `all_articles`) cannot change
        # its output. Which pages a list has is the writer's business: it asks
        # for each page, and each page is keyed by what it shows.
        # Shared by the pages that read the same attributes of the same posts (a
        # post's digest depends on those alone).
        memo = self._content_memo.setdefault((self._attribute_ids[profile], touched), {})
        own_digest = values_digest(
            [n for n in names if n in own],
            attributes,
            own.__getitem__,
            (),
            self.hashes,
            self.settings,
            memo,
            touched,
            self._shapes,
        )
        return hashlib.sha256(
            f"{self.base()} {own.get('output_file')!r} {shared} {own_digest}".encode()
        ).hexdigest()

    def _shared_digest(
        self, env, context, name, attributes, attribute_id, touched
    ) -> bytes:
        """One name of the shared context or globals, walked along `attributes`.
        Most (the settings' names, the menu, the brand) hold no post: their digest
        is the same for every page reading the same attributes, so it is made once;
        one holding posts also depends on which posts the page read."""
        common = (id(env), id(context), name, attribute_id)
        found = self._shared.get(common) or self._shared.get((*common, touched))
        if found is not None:
            return found
        value = context[name] if name in context else env.globals.get(name, MISSING)
        if value is MISSING:
            found, saw_posts = MISSING_BYTES, False
        else:
            walker = _Walker(
                attributes, (), self.hashes, self.settings, None, touched, self._shapes
            )
            found, saw_posts = walker.digest(value), walker.saw_content
        self._shared[(*common, touched) if saw_posts else common] = found
        return found

    def write_file(self, original, name, template, context, *args, **kwargs):
        """Pelican's Writer.write_file (`original`), with the template wrapped so
        that an unchanged page is not rendered again. Arguments as Pelican's."""
        relative_urls = args[0] if args else kwargs.get("relative_urls", False)
        env = getattr(template, "environment", None)
        if (
            not self.enabled
            or relative_urls
            or env is None
            or id(env) not in self.environments
            or not name
        ):
            return original(name, template, context, *args, **kwargs)
        wrapped = _PageTemplate(self, template, context)
        return original(name, wrapped, context, *args, **kwargs)

    def page(self, template, context, localcontext) -> str:
        """The text of one page: last build's if its key is unchanged, else rendered."""
        env = template.environment
        own = {
            k: v for k, v in localcontext.items() if k not in context or context[k] is not v
        }
        output = localcontext.get("output_file")
        found = self.stored.get(output)
        if found is not None:
            profile, stored_key, span, touched = found
            try:
                key = self._key(env, context, own, profile, touched)
            except Unhashable:
                key = None
            data = self._read(span) if key == stored_key else None
            if data is not None:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    self.hits += 1
                    self._report()
                    self.entries[output] = (profile, key, self._keep(data), touched)
                    return text
        self.misses += 1
        self._report()
        text, profile, touched = self._render(template, localcontext)
        try:
            key = self._key(env, context, own, profile, touched)
        except Unhashable:  # this page is simply not cached
            self.entries.pop(output, None)
            return text
        self.entries[output] = (profile, key, self._keep(text.encode("utf-8")), touched)
        return text

    def _render(self, template, localcontext) -> tuple[str, int, frozenset]:
        """Render one page, recording what its templates read."""
        recorder = template.environment._grasrot_recorder
        recorder.clear()
        recorder.active = True
        try:
            text = template.render(localcontext)
        finally:
            recorder.active = False
        if os.environ.get("GRASROT_OUTPUT_CACHE_DEBUG"):
            print(
                f"page cache: rendered {localcontext.get('output_file')} ({template.name})",
                file=sys.stderr,
            )
        return text, self._profile(recorder), frozenset(recorder.touched)

    def _read(self, span) -> bytes | None:
        try:
            return self._old_blob.read(span)
        except (OSError, AttributeError, TypeError, ValueError):
            return None

    def _keep(self, data: bytes):
        """Into this build's blob; only the span stays in memory."""
        if self._blob is None:
            self._blob = _BlobWriter(self.folder, "pages")
        return self._blob.add(data)

    def store(self) -> None:
        """finalized: keep this build's pages and the profiles they use."""
        if not self.enabled or self._blob is None:
            return
        used = sorted({entry[0] for entry in self.entries.values()})
        renumber = {old: new for new, old in enumerate(used)}
        entries = {
            output: (renumber[profile], key, span, touched)
            for output, (profile, key, span, touched) in self.entries.items()
        }
        if self._old_blob is not None:
            self._old_blob.close()
        self._blob.commit()
        _atomic_pickle(
            self.path,
            {
                "format": FORMAT,
                "base": self.base(),
                "profiles": [self.profiles[i] for i in used],
                "entries": entries,
                "blob": self._blob.name,
            },
        )
        _remove_old_blobs(self.folder, "pages", keep=self._blob.name)

    def _report(self) -> None:
        this_build(self.settings).cache_status["pages"] = (
            f"{self.hits} from cache, {self.misses} rendered"
        )
