"""No step of the build grows faster than linearly with the site.

Two synthetic sites from bench/generate.py, the second SCALE times the first
in every dimension (posts, newsletters, minutes, groups, events, series), are
built in this process while counting work:

- calls of stable entry points: Pelican's Writer.write_file, the Markdown
  reader's read, Jinja's Template.render, and dateutil's rrule iteration
  (every occurrence any series expands to);
- lines executed in each function of the kit's plugins and templates, which
  finds a loop nested in a loop however the plugins are organised, and names
  the function it runs in.

Linear work grows about SCALE times (less, with fixed costs); a loop over
every group inside a loop over every post grows about SCALE² times. Nothing
is timed, so a busy machine cannot make this test fail. The nested loops
bench/README.md reported are indexed now; FIXED_HOT_SPOTS counts calls of
what each used to call per item, so they cannot come back unnoticed.

The last tests guard the preview (grasrot_preview): after any sequence of
edits (a post, a reorder, a deletion, a calendar file, a group file, an error
and its fix), what the preview serves is byte for byte what a cold published
build of the same content writes.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PELICANCONF, ROOT, TEST_ENV, build_site
from helpers import runtime_objects

sys.path.insert(0, str(ROOT / "bench"))

from generate import Size, generate

SMALL = Size(posts=20, newsletters=4, minutes=4, groups=4, events=24, pages=2, series=4)
SCALE = 4
SCALED = ("posts", "newsletters", "minutes", "groups", "events", "series")
LARGE = replace(SMALL, **{name: getattr(SMALL, name) * SCALE for name in SCALED})
# Linear work with fixed costs grows at most about SCALE times; measured
# linear functions stay under 4.5x, nested loops over groups x items reach 6-15x.
LINEAR_LIMIT = SCALE * 1.25
# Functions running fewer lines than this on the large site are too small to judge.
MIN_LINES = 300
LINE_PREFIX = "lines in "

# Superlinear by design: the OUTPUT itself is pages x groups, so no index can
# make it linear (bench/README.md, "Superlinear steps"). Keys:
# "<plugin or templates>/<file>:<function>". Anything else that grows faster
# than the site fails test_no_new_function_grows_faster_than_the_site.
BY_DESIGN = {
    # Every calendar filter page links every group (owners x owners links).
    "grasrot_calendar/views.py:<lambda>",
    "grasrot_calendar/views.py:owner_url",
    # GROUPS_IN = "footer": every page's footer lists every group (pages x groups).
    "templates/partials/footer.html:root",
    "templates/groups/links.html:root",
    "grasrot_groups/model.py:url",
    # One lookup per group a post names; the generated large site's posts name
    # more groups each (0.9 against 0.6 per post: it has 4x the groups to pick from).
    "grasrot_groups/registry.py:canonical",
}
# Nested loops once found here, now indexed once per build; each is counted
# by calls of the function its inner loop used to call per item.
FIXED_HOT_SPOTS = {
    # Calendar.upcoming / past / categories scanned every occurrence or event
    # once per group page, category page and newsletter.
    "Occurrence.ends_after calls": ("grasrot_calendar.model", "Occurrence", "ends_after"),
    # collect_news filtered every post once per group.
    "named_groups calls": ("grasrot_groups.references", None, "named_groups"),
    # feed_specs filtered every post once per group feed.
    "named_groups calls (feeds)": ("grasrot_feeds.feeds", None, "named_groups"),
    # The calendar's group .ics feeds filtered every event once per group.
    "ics.feed events": ("grasrot_calendar.ics", None, "feed"),
}


class LineCounter:
    """sys.settrace hook counting executed lines per function of the kit's own code."""

    def __init__(self):
        self.lines = Counter()
        self._names: dict = {}

    def name(self, code) -> str | None:
        """'grasrot_calendar/model.py:upcoming', 'templates/group.html:root', or None."""
        if code not in self._names:
            path = Path(code.co_filename).as_posix()
            found = None
            if "/plugins/grasrot_" in path:
                found = path.split("/plugins/", 1)[1]
            elif "/theme/templates/" in path:
                found = "templates/" + path.split("/theme/templates/", 1)[1]
            self._names[code] = f"{found}:{code.co_name}" if found else None
        return self._names[code]

    def trace(self, frame, event, arg):
        name = self.name(frame.f_code)
        if name is None:
            return None  # no line events for Pelican's, Jinja's, Babel's own frames

        def count_line(frame, event, arg):
            if event == "line":
                self.lines[name] += 1
            return count_line

        return count_line


def _count_calls(monkeypatch, counts: Counter, owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        counts[label] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def _count_rrule_occurrences(monkeypatch, counts: Counter) -> None:
    """Every date any rrule yields, however the calendar asks (between, after, iter)."""
    from dateutil import rrule

    original = rrule.rrule._iter

    def counted(self):
        for occurrence in original(self):
            counts["rrule occurrences"] += 1
            yield occurrence

    monkeypatch.setattr(rrule.rrule, "_iter", counted)


def _count_hot_spots(monkeypatch, counts: Counter) -> None:
    """Calls of each FIXED_HOT_SPOTS function (for ics.feed: events it was given)."""
    import importlib

    for label, (module_name, class_name, name) in FIXED_HOT_SPOTS.items():
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        original = getattr(owner, name)

        def counted(*args, _original=original, _label=label, **kwargs):
            counts[_label] += len(args[0]) if _label == "ics.feed events" else 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


def clear_plugin_caches() -> None:
    """Empty the plugins' module-level lru_caches (Babel dates, time zones, ...).

    Earlier tests in this process warm them; a warm cache would hide the small
    site's work and make the large one look superlinear.
    """
    for name, module in list(sys.modules.items()):
        if not name.startswith("grasrot_"):
            continue
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def measured_build(size: Size, tmp_path: Path) -> Counter:
    """Build a generated site of `size` from cold caches; returns the counted work."""
    from jinja2.environment import Template
    from pelican.writers import Writer

    from grasrot_core.reader import GrasrotMarkdownReader

    content = generate(size, tmp_path / "content")
    clear_plugin_caches()
    counts = Counter()
    tracer = LineCounter()
    with pytest.MonkeyPatch.context() as patch:
        _count_calls(patch, counts, Writer, "write_file", "pages written")
        _count_calls(patch, counts, GrasrotMarkdownReader, "read", "Markdown files read")
        _count_calls(patch, counts, Template, "render", "template renders")
        _count_rrule_occurrences(patch, counts)
        _count_hot_spots(patch, counts)
        previous = sys.gettrace()
        sys.settrace(tracer.trace)
        try:
            build_site(content, tmp_path / "output")
        finally:
            sys.settrace(previous)
    counts.update({LINE_PREFIX + name: n for name, n in tracer.lines.items()})
    return counts


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Counter, Counter]:
    small = measured_build(SMALL, tmp_path_factory.mktemp("scaling-small"))
    large = measured_build(LARGE, tmp_path_factory.mktemp("scaling-large"))
    return small, large


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_generator_is_deterministic_and_sized_as_asked(tmp_path):
    first = _snapshot(generate(SMALL, tmp_path / "one"))
    second = _snapshot(generate(SMALL, tmp_path / "two"))
    assert first == second
    in_folder = Counter(name.split("/", 1)[0] for name in first)
    assert in_folder["news"] == SMALL.posts
    assert in_folder["newsletters"] == SMALL.newsletters
    assert in_folder["minutes"] == SMALL.minutes
    assert in_folder["groups"] == SMALL.groups
    events = sum(
        text.count(b"\n  - id: ")
        for name, text in first.items()
        if name.startswith("calendar/")
    )
    series = sum(
        text.count(b"\n    repeat:")
        for name, text in first.items()
        if name.startswith("calendar/")
    )
    assert (events, series) == (SMALL.events, SMALL.series)


def test_the_large_site_really_is_scale_times_the_small_one(work):
    small, large = work
    assert large["Markdown files read"] >= SCALE * 0.8 * small["Markdown files read"]
    assert small["rrule occurrences"] > 0, "the series were not expanded at all"


@pytest.mark.parametrize(
    "measure",
    [
        "pages written",
        "Markdown files read",
        "template renders",
        "rrule occurrences",
    ],
)
def test_entry_point_calls_grow_linearly(work, measure):
    small, large = work
    assert small[measure] > 0, f"nothing counted for {measure}"
    assert large[measure] <= LINEAR_LIMIT * small[measure], (
        f"{measure}: {small[measure]} -> {large[measure]} for a site {SCALE}x larger"
    )


def superlinear_functions(small: Counter, large: Counter) -> dict[str, tuple[int, int]]:
    """Kit functions whose executed lines grew more than LINEAR_LIMIT times."""
    found = {}
    for measure, lines in large.items():
        if not measure.startswith(LINE_PREFIX) or lines < MIN_LINES:
            continue
        before = small.get(measure, 0)
        if before == 0 or lines > LINEAR_LIMIT * before:
            found[measure.removeprefix(LINE_PREFIX)] = (before, lines)
    return found


def _describe(found: dict) -> str:
    return "; ".join(
        f"{name} {a} -> {b} lines ({b / max(a, 1):.1f}x)"
        for name, (a, b) in sorted(found.items())
    )


def test_no_new_function_grows_faster_than_the_site(work):
    small, large = work
    new = {
        name: counts
        for name, counts in superlinear_functions(small, large).items()
        if name not in BY_DESIGN
    }
    assert not new, f"grows faster than the site ({SCALE}x larger): {_describe(new)}"


@pytest.mark.parametrize("measure", sorted(FIXED_HOT_SPOTS))
def test_former_nested_loops_grow_linearly(work, measure):
    """Calls (never time) of what each former groups x items loop called per item."""
    small, large = work
    assert small[measure] > 0, f"nothing counted for {measure}: did the code move?"
    assert large[measure] <= LINEAR_LIMIT * small[measure], (
        f"{measure}: {small[measure]} -> {large[measure]} for a site {SCALE}x larger "
        f"({large[measure] / small[measure]:.1f}x; a loop per group would be ~{SCALE**2}x)"
    )


# --- The preview (grasrot_preview: session.py, render_cache.py) -------------------------


@contextmanager
def _test_environment():
    """The test passwords and build date in os.environ, as build_site sets them."""
    saved = {key: os.environ.get(key) for key in TEST_ENV}
    os.environ.update(TEST_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _preview(content: Path, output: Path, **overrides):
    """A preview session as `invoke serve` runs it, in this process."""
    from grasrot_preview.session import PreviewSession

    overrides.setdefault("CACHE_PATH", str(output.parent / f".{output.name}-cache"))
    return PreviewSession(
        content, output, PELICANCONF, overrides, plugin_paths=[ROOT / "plugins"]
    )


def output_cache_status(settings) -> dict[str, str]:
    """Each output cache's status in this build ("hit" or why it missed); {} when
    the build did not load the preview."""
    from grasrot_preview import this_build

    return dict(this_build(settings).cache_status)


def _build_reporting_cache(session) -> dict:
    """One preview build (it must succeed), returning each output cache's status
    ("hit" or why it missed)."""
    from pelican import signals

    statuses = {}

    def grab(pelican):
        statuses.update(output_cache_status(pelican.settings))

    signals.finalized.connect(grab)
    try:
        with _test_environment():
            result = session.build()
    finally:
        signals.finalized.disconnect(grab)
    assert result.ok, result.errors
    return statuses


def _cold(content: Path, output: Path, **overrides) -> dict[str, bytes]:
    """A published build of the same content and build date, as a snapshot."""
    build_site(content, output, **overrides)
    return _snapshot(output)


def test_preview_builds_keep_their_caches_out_of_the_settings(tmp_path):
    """The preview's per-build objects (page cache, cache statuses, the kept model)
    live in its BuildState slot, like every plugin's: the settings hold settings."""
    from pelican import signals

    content = generate(SMALL, tmp_path / "content")
    session = _preview(content, tmp_path / "kept")
    seen = []

    def grab(pelican):
        seen.append(
            (runtime_objects(pelican.settings), output_cache_status(pelican.settings))
        )

    signals.finalized.connect(grab)
    try:
        with _test_environment():
            assert session.build().ok and session.build().ok
    finally:
        signals.finalized.disconnect(grab)
    # Jinja's bytecode cache is a setting Pelican documents (JINJA_ENVIRONMENT).
    allowed = {"JINJA_ENVIRONMENT": "dict"}
    assert [runtime for runtime, _ in seen] == [allowed, allowed]
    assert seen[1][1]["calendar"] == "hit", seen[1][1]
    assert session.model, "the session keeps the last good build's generators"


def test_published_builds_render_every_page_afresh(tmp_path):
    """The output caches are the preview's: a published build takes nothing from
    them and stores nothing for them."""
    from pelican import signals

    content = generate(SMALL, tmp_path / "content")
    statuses = {}

    def grab(pelican):
        statuses.update(output_cache_status(pelican.settings))

    signals.finalized.connect(grab)
    try:
        for _ in range(2):
            statuses.clear()
            build_site(content, tmp_path / "out")
    finally:
        signals.finalized.disconnect(grab)
    assert statuses == {}
    stored = [
        path
        for folder in (tmp_path / ".out-cache").rglob("grasrot-output")
        for path in folder.iterdir()
    ]
    assert not stored, stored


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_cached_rebuild_writes_exactly_what_a_cold_build_writes(tmp_path):
    """Edit one post: the calendar and the other posts' pages come from the output
    caches, only changed files are written, and every byte of the output equals
    a cold build's of the same content. Then a calendar edit, a group edit, an
    edit bringing a content error (output/ untouched) and its fix: each time
    equal to a cold build's."""
    content = generate(SMALL, tmp_path / "content")
    session = _preview(content, tmp_path / "kept")
    first = _build_reporting_cache(session)
    assert first["calendar"] == "miss: empty"
    assert first["pages"].startswith("0 from cache, ")

    post = sorted((content / "news").glob("*.md"))[-1]
    _edit(post, "Title: ", "Title: Ändrad rubrik, ")
    post.write_text(
        post.read_text(encoding="utf-8") + "\nTillägg: en ny mening.\n", encoding="utf-8"
    )
    rebuilt = _build_reporting_cache(session)
    assert rebuilt["calendar"] == "hit"
    from_cache, rendered = (int(part.split()[0]) for part in rebuilt["pages"].split(", "))
    # The post itself, the lists showing it (home, archive, its category and
    # tags, the 404 page's lists): re-rendered; every other post: from the cache.
    assert 1 <= rendered <= 12 and from_cache >= SMALL.posts - 1, rebuilt
    cold = _cold(content, tmp_path / "cold-1")
    assert _snapshot(tmp_path / "kept") == cold
    # Only files whose bytes changed were copied into the served folder.
    assert 1 <= session.result.written < len(cold) // 4, session.result

    calendar_file = sorted((content / "calendar").glob("*.yaml"))[0]
    _edit(calendar_file, 'title: "', 'title: "Flyttat: ')
    status = _build_reporting_cache(session)["calendar"]
    assert status.startswith("miss"), status
    cold = _cold(content, tmp_path / "cold-2")
    assert _snapshot(tmp_path / "kept") == cold
    assert any(
        b"Flyttat: " in data for name, data in cold.items() if name.startswith("kalender/")
    ), "the edit did not reach the calendar"

    group_file = sorted((content / "groups").glob("*.md"))[0]
    _edit(group_file, "title: ", "title: Omdöpt ")
    _build_reporting_cache(session)
    cold = _cold(content, tmp_path / "cold-3")
    assert _snapshot(tmp_path / "kept") == cold
    assert any("Omdöpt ".encode() in data for data in cold.values())

    before = _snapshot(tmp_path / "kept")
    _edit(post, "Date: ", "Date: 2026-02-30\nX-Was: ")
    with _test_environment():
        failed = session.build()
    assert not failed.ok and any(":2:1: 'date: 2026-02-30'" in e for e in failed.errors)
    assert _snapshot(tmp_path / "kept") == before  # the last good site stays
    _edit(post, "Date: 2026-02-30\nX-Was: ", "Date: ")
    _edit(post, "Tillägg: en ny mening.", "Tillägg: rättad.")
    _build_reporting_cache(session)
    assert _snapshot(tmp_path / "kept") == _cold(content, tmp_path / "cold-4")
    session.close()


def _show_first(session, path: Path) -> list[str]:
    with _test_environment():
        return session.show_first([str(path)])


def test_a_save_shows_its_page_first_and_the_rebuild_converges(tmp_path):
    """The first phase of a save (quick.py): the edited post's, group's or event's
    page is in output/ with the new text before any rebuild, and the live reload is told;
    after the rebuild every byte equals a cold build's. A save that would make
    an item protected, or that brings a content error, shows nothing first; a
    rebuild that fails puts the page shown first back as the last good build had it."""
    content = generate(SMALL, tmp_path / "content")
    kept = tmp_path / "kept"
    session = _preview(content, kept)
    _build_reporting_cache(session)

    post = sorted((content / "news").glob("*.md"))[-1]
    post.write_text(
        post.read_text(encoding="utf-8") + "\nFörst visad mening.\n", encoding="utf-8"
    )
    number = session.result.number
    written = _show_first(session, post)
    assert len(written) == 1 and written[0].endswith("index.html"), written
    assert "Först visad mening." in (kept / written[0]).read_text(encoding="utf-8")
    assert session.result.number == number + 1 and session.result.ok  # live reload
    _build_reporting_cache(session)
    assert _snapshot(kept) == _cold(content, tmp_path / "cold-1")

    group = sorted((content / "groups").glob("*.md"))[0]
    group.write_text(
        group.read_text(encoding="utf-8") + "\nGruppen visad först.\n", encoding="utf-8"
    )
    written = _show_first(session, group)
    assert len(written) == 1 and written[0].startswith("grupper/"), written
    assert "Gruppen visad först." in (kept / written[0]).read_text(encoding="utf-8")
    _build_reporting_cache(session)
    assert _snapshot(kept) == _cold(content, tmp_path / "cold-2")

    calendar_file = sorted((content / "calendar").glob("*.yaml"))[0]
    _edit(calendar_file, ':30"', ':47"')  # one event's time
    written = _show_first(session, calendar_file)
    assert len(written) == 1 and written[0].startswith("kalender/"), written
    assert ":47" in (kept / written[0]).read_text(encoding="utf-8")
    _build_reporting_cache(session)
    assert _snapshot(kept) == _cold(content, tmp_path / "cold-cal")

    # A new post, or two files at once: lists change, left to the rebuild.
    new_post = post.with_name("2026-11-29-ny-post.md")
    new_post.write_text(post.read_text(encoding="utf-8"), encoding="utf-8")
    assert _show_first(session, new_post) == []
    new_post.unlink()
    with _test_environment():
        assert session.show_first([str(post), str(group)]) == []

    # Made members-only: nothing is shown first, its text never reaches output/.
    before = _snapshot(kept)
    _edit(post, "Date: ", "Access: members\nDate: ")
    _edit(post, "Först visad mening.", "Hemlig mening.")
    assert _show_first(session, post) == []
    assert _snapshot(kept) == before
    _edit(post, "Access: members\nDate: ", "Date: ")

    # A content error: nothing shown first.
    _edit(post, "Date: ", "Date: 2026-02-30\nX-Was: ")
    assert _show_first(session, post) == []
    assert _snapshot(kept) == before
    _edit(post, "Date: 2026-02-30\nX-Was: ", "Date: ")

    # Shown first, then a second save breaks the file before the rebuild: the
    # rebuild fails and the page is the last good build's again.
    written = _show_first(session, post)
    assert "Hemlig mening." in (kept / written[0]).read_text(encoding="utf-8")
    _edit(post, "Date: ", "Date: 2026-02-30\nX-Was: ")
    with _test_environment():
        assert not session.build().ok
    assert _snapshot(kept) == before
    _edit(post, "Date: 2026-02-30\nX-Was: ", "Date: ")
    _build_reporting_cache(session)
    assert _snapshot(kept) == _cold(content, tmp_path / "cold-3")
    session.close()


def _list_pages(snapshot: dict, folder: str) -> list[str]:
    """A paginated list's pages in order: folder/index.html, folder/sida/2/, ..."""
    pages = [
        name
        for name in snapshot
        if name == f"{folder}/index.html"
        or (name.startswith(f"{folder}/sida/") and name.endswith("/index.html"))
    ]
    return sorted(
        pages, key=lambda name: int(name.split("/")[-2]) if "/sida/" in name else 1
    )


def test_a_cached_rebuild_re_renders_only_the_list_pages_an_edit_touches(tmp_path):
    """The page cache keeps each page of a paginated list apart: editing a post in
    the middle of a long category re-renders the category page showing it (and
    at most its neighbours, which link to it), not the whole category nor the
    other "all posts" pages. Moving a post to the top and deleting one shift
    every page between; each time the output must equal a cold build's."""
    from grasrot_preview import render_cache

    settings = {"DEFAULT_PAGINATION": 3}  # news: 20 posts, 7 pages
    content = generate(SMALL, tmp_path / "content")
    session = _preview(content, tmp_path / "kept", **settings)
    rendered: list[str] = []
    plain_render = render_cache.PageCache._render

    def render(self, template, localcontext):
        rendered.append(localcontext["output_file"])
        return plain_render(self, template, localcontext)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_cache.PageCache, "_render", render)
        _build_reporting_cache(session)
        news_pages = _list_pages(_snapshot(tmp_path / "kept"), "nyheter")
        assert len(news_pages) >= 6, news_pages

        posts = sorted((content / "news").glob("*.md"))
        middle = posts[len(posts) // 2]
        _edit(middle, "Title: ", "Title: Mitt i listan, ")
        rendered.clear()
        status = _build_reporting_cache(session)
        assert status["calendar"] == "hit"
        rebuilt = list(rendered)  # this rebuild's, not the cold build's below
        cold = _cold(content, tmp_path / "cold-1", **settings)
        assert _snapshot(tmp_path / "kept") == cold
        showing = [n for n in news_pages if b"Mitt i listan" in cold[n]]
        assert len(showing) == 1 and showing[0] != news_pages[0], showing
        at = news_pages.index(showing[0])
        news_rendered = [n for n in rebuilt if n in news_pages]
        assert showing[0] in news_rendered, rebuilt
        assert set(news_rendered) <= set(news_pages[max(at - 1, 0) : at + 2]), news_rendered
        all_posts = [n for n in cold if n.startswith("sida/")]  # "all posts": /sida/2/ ...
        assert len(all_posts) >= 6, all_posts
        assert len([n for n in rebuilt if n in all_posts]) <= 3, rebuilt
        assert len(rebuilt) <= 14, rebuilt

        # To the top of every list: the pages from the top to its old place shift.
        _edit(middle, "Date: ", "Date: 2026-11-19 12:00\nModified: ")
        rendered.clear()
        _build_reporting_cache(session)
        assert news_pages[0] in rendered and news_pages[-1] not in rendered, (
            f"{news_pages} {rendered}"
        )
        cold = _cold(content, tmp_path / "cold-2", **settings)
        assert _snapshot(tmp_path / "kept") == cold

        # One post fewer: the last pages shift, and the list may lose a page.
        posts[1].unlink()
        _build_reporting_cache(session)
        cold = _cold(content, tmp_path / "cold-3", **settings)
        assert _snapshot(tmp_path / "kept") == cold
    session.close()


def test_the_cache_key_follows_what_templates_read():
    """Values the templates read change the digest; values they never read do not."""
    from dataclasses import dataclass

    from jinja2 import Environment

    from grasrot_preview.render_cache import (
        MISSING,
        FileHashes,
        install_recorder,
        values_digest,
    )

    @dataclass
    class Item:
        title: str
        secret: str

    env = Environment()
    recorder = install_recorder(env)
    context = {"items": [Item("Möte", "a")], "SITENAME": "Ekdala"}
    recorder.active = True
    env.from_string(
        "{{ SITENAME }}: {% for i in items %}{{ i.title }}{% endfor %}"
        "{{ unknown is defined }}"
    ).render(context)
    recorder.active = False
    assert recorder.names == {"SITENAME", "items", "unknown"}

    def digest():
        return values_digest(
            recorder.names,
            recorder.attributes,
            lambda name: context.get(name, MISSING),
            (),
            FileHashes(),
        )

    first = digest()
    context["items"][0].secret = "b"  # never read: same key
    assert digest() == first
    context["items"][0].title = "Flyttat möte"  # read: new key
    assert digest() != first
    context["items"][0].title = "Möte"
    context["unknown"] = "now defined"  # `is defined` read it: new key
    assert digest() != first
