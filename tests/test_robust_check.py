"""`invoke check` finds what would otherwise fail while writing: runaway series,
links to files that do not exist, and addresses outside the site or on the kit's."""

from __future__ import annotations

from conftest import ROOT, write
from helpers import invoke, tiny_site


def _errors(result) -> list[str]:
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr.splitlines()


def _find(lines, path, line, words):
    hits = [
        text
        for text in lines
        if text.startswith(f"{path}:{line}:") and all(word in text for word in words)
    ]
    assert hits, (path, line, words, "\n".join(lines))


def _check_and_build(tmp_path, content):
    """Both runs fail with the same errors and the build writes nothing."""
    output = tmp_path / "output"
    checked = invoke("check", "--content", str(content))
    built = invoke("build", "--content", str(content), "--output", str(output))
    assert checked.returncode == 1 and built.returncode == 1
    assert not output.exists() or not any(output.iterdir())
    check_lines = [line for line in _errors(checked) if line.startswith(str(content))]
    build_lines = [line for line in _errors(built) if line.startswith(str(content))]
    assert check_lines == build_lines
    return check_lines


def test_series_limits_are_found_by_check(tmp_path):
    content = tiny_site(tmp_path)
    calendar = write(
        content / "calendar" / "ekdala.yaml",
        """events:
  - id: manga
    title: Många
    start: "2026-12-01 18:00"
    repeat: {every: day, count: 10000000}
  - id: glest
    title: Glest
    start: "2026-12-01 18:00"
    repeat: {every: day, interval: 100000000000000000000}
  - id: expert
    title: Expert
    start: "2026-12-01 18:00"
    rrule: FREQ=DAILY;COUNT=5000
  - id: lagom
    title: Lagom
    start: "2026-12-01 18:00"
    repeat: {every: week, count: 1000, interval: 2}
""",
    )
    lines = _check_and_build(tmp_path, content)
    # in Swedish: the example's DEFAULT_LANG is "sv"
    _find(lines, calendar, 5, ["count: 10000000", "högst 1000"])
    _find(lines, calendar, 9, ["interval: 100000000000000000000", "högst 100"])
    _find(lines, calendar, 13, ["count: 5000", "högst 1000"])
    assert not [line for line in lines if f"{calendar}:17:" in line]


def test_links_to_missing_files_are_found_at_the_linking_line(tmp_path):
    content = tiny_site(tmp_path)
    write(content / "images" / "finns.png", "png")
    post = write(
        content / "news" / "lankar.md",
        (
            "Title: Länkar\nDate: 2026-11-02\n\n"
            "Se [hej]({filename}hej.md) och ![bild]({static}/images/finns.png).\n\n"
            "Men [borta]({filename}/news/nope.md),\n"
            "![bild]({static}/images/nope.png) och [pdf]({attach}../files/x.pdf).\n"
        ),
    )
    lines = _check_and_build(tmp_path, content)
    _find(lines, post, 6, ["{filename}/news/nope.md", "leder ingenstans"])
    _find(lines, post, 7, ["{static}/images/nope.png", "content/images/nope.png"])
    _find(lines, post, 7, ["{attach}../files/x.pdf", "content/files/x.pdf"])
    assert len([line for line in lines if line.startswith(str(post))]) == 3


def test_addresses_outside_the_site_or_on_kit_files(tmp_path):
    content = tiny_site(tmp_path)
    pages = {
        "hem": ("Save_as: index.html", "startsidan"),
        "saknas": ("Save_as: 404.html", 'sidan "hittades inte"'),
        "karta": ("Save_as: sitemap.xml", "webbplatskartan"),
        "robot": ("Save_as: robots.txt", "robots.txt"),
        "upp": ("Slug: ../x", "utanför webbplatsen"),
        "rot": ("Save_as: /abs/x.html", "utanför webbplatsen"),
        "flode": ("Save_as: feeds", "nyhetsflödena"),
    }
    paths = {
        name: write(content / "pages" / f"{name}.md", f"Title: {name}\n{line}\n\nText.\n")
        for name, (line, _words) in pages.items()
    }
    post = write(
        content / "news" / "ut.md",
        "Title: Ut\nDate: 2026-11-02\nSave_as: ../../etc/x.html\n\nText.\n",
    )
    lines = _check_and_build(tmp_path, content)
    for name, (_line, words) in pages.items():
        _find(lines, paths[name], 2, [words])
    _find(lines, post, 3, ["utanför webbplatsen"])


def test_a_runaway_calendar_stops_before_writing(tmp_path):
    content = tiny_site(tmp_path)
    events = "".join(
        f'  - id: e{i}\n    title: E{i}\n    start: "2026-12-01 18:00"\n' for i in range(30)
    )
    calendar = write(
        content / "calendar" / "ekdala.yaml",
        "events:\n"
        + events
        + '  - id: daglig\n    title: Daglig\n    start: "2026-12-01 18:00"\n'
        "    repeat: {every: day}\n",
    )
    output = tmp_path / "output"
    import sys

    from conftest import run_cli

    result = run_cli(
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        "--cache-path",
        str(tmp_path / "cache"),
        "-e",
        "CALENDAR_MAX_OCCURRENCES=100",
    )
    assert result.returncode == 1
    lines = _errors(result)
    _find(lines, calendar, 1, ["CALENDAR_MAX_OCCURRENCES = 100", "until:"])
    assert not output.exists() or not any(output.iterdir())
