"""One `BuildState` per build: everything a build learns while it runs.

The settings dict holds settings only. What a build collects at run time (the
content errors, the translations, each plugin's notes about its items) lives in
one `BuildState`, made at Pelican's `initialized` signal by `start(pelican)`
(the one place a build's state is reset) and reached from anywhere with
`current(settings)`. `start` may be called by every plugin's `initialized`
receiver, in any order: the first call for a Pelican object makes the state,
later calls for the same object return it.

A plugin keeps its own per-build object in a slot:

    state = grasrot_core.state.current(settings).slot("links", LinksState)

`current` finds the state by the settings dict itself (Pelican hands the same
dict to every generator, reader and content object of a build). A settings
dict no build was started with (a unit test, a benchmark that calls a model
builder directly) gets a state of its own, so two such dicts never share
errors. Hooks that are given no settings (`content_written` gets a copy of the
context, log filters get a record) use `running()`, the build in progress.

The state pickles as empty: Pelican's cache pickles settings-holding objects
(tags, categories), and keys, plaintext or a build's errors must never reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from weakref import ref

from .errors import ErrorCollector

T = TypeVar("T")


@dataclass(eq=False)
class BuildState:
    """The run-time state of one build."""

    errors: ErrorCollector = field(default_factory=ErrorCollector)
    language: str = "en"  # DEFAULT_LANG's first two letters, for kit notices
    translations: Any = None  # i18n: gettext catalogs of the site's language
    reported_slugs: set[frozenset[str]] = field(default_factory=set)  # slugs.py
    timings: dict[str, float] = field(default_factory=dict)  # bench/ reads these
    slots: dict[str, Any] = field(default_factory=dict)  # plugin name -> its state

    def slot(self, name: str, make: Callable[[], T]) -> T:
        """The plugin's own per-build object, made on first use."""
        found = self.slots.get(name)
        if found is None:
            found = self.slots[name] = make()
        return found

    def __reduce__(self):
        return (BuildState, ())


class _Builds:
    """The state of each settings dict in use, for the build in progress."""

    def __init__(self) -> None:
        self.by_id: dict[int, tuple[Mapping, BuildState]] = {}
        self.running: BuildState | None = None
        self.pelican: Callable[[], object] = lambda: None

    def start(self, pelican) -> BuildState:
        if self.running is not None and self.pelican() is pelican:
            return self.running
        settings, previous = pelican.settings, self.running
        # An `initialized` receiver that ran before this call may have reported
        # to these settings already: keep that, unless it is an earlier build's.
        early = self._found(settings)
        self.by_id.clear()  # nothing of an earlier build stays reachable
        self.pelican = ref(pelican)
        self.running = early if early not in (None, previous) else _fresh(settings)
        self.by_id[id(settings)] = (settings, self.running)
        return self.running

    def of(self, settings: Mapping) -> BuildState:
        found = self._found(settings)
        if found is None:
            found = _fresh(settings)
            # The dict itself is kept, so its id is not reused while it is looked up.
            self.by_id[id(settings)] = (settings, found)
        return found

    def _found(self, settings: Mapping) -> BuildState | None:
        entry = self.by_id.get(id(settings))
        return entry[1] if entry is not None and entry[0] is settings else None


def _fresh(settings: Mapping) -> BuildState:
    return BuildState(language=str(settings.get("DEFAULT_LANG") or "en")[:2])


_BUILDS = _Builds()


def start(pelican) -> BuildState:
    """`initialized`: a fresh state for the build this Pelican object runs."""
    return _BUILDS.start(pelican)


def current(settings: Mapping) -> BuildState:
    """The state of the build these settings belong to."""
    return _BUILDS.of(settings)


def running() -> BuildState | None:
    """The build in progress, for log filters that are given no settings."""
    return _BUILDS.running
