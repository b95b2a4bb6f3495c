"""The site kit's foundation: content folders, settings, errors, determinism."""

from __future__ import annotations

import filecmp
import os
import sys
from pathlib import Path

import pytest
from conftest import (
    BUILD_EPOCH,
    CONTENT,
    PELICANCONF,
    ROOT,
    TEST_ENV,
    build_site,
    html,
    pelican_cli,
    run_cli,
    write,
)

INVOKE = str(Path(sys.executable).with_name("invoke"))


def small_content(root: Path) -> Path:
    """A tiny branch: one page in each header style, one post, one draft."""
    content = root / "content"
    write(
        content / "pages" / "om-oss.md",
        "Title: Om oss\nMenu_order: 1\n\nVi är en liten förening.\n",
    )
    write(
        content / "pages" / "vår-förening.md",
        '---\ntitle: "Vår förening: historia"\nslug: vår-förening\nmenu_order: 2\n---\n'
        "Grundad 1921.\n",
    )
    write(
        content / "news" / "2026-03-15-varmote.md",
        "Title: Vårmöte\nDate: 2026-03-15 18:30\n\nVälkommen till vårmötet.\n",
    )
    write(
        content / "news" / "utkast.md",
        "Title: Hemligt utkast\nDate: 2026-03-16\nStatus: draft\n\nUTKAST-TEXT-4711\n",
    )
    return content


# --- The example branch --------------------------------------------------------


def test_every_content_folder_produces_pages(example_site):
    """pages, news, newsletters, groups, calendar and minutes all reach the site."""
    expected = {
        "pages": example_site / "om-oss" / "index.html",
        "pages with å in the slug": example_site / "vår-politik" / "index.html",
        "news": example_site / "nyheter" / "index.html",
        "newsletters": example_site / "nyhetsbrev" / "index.html",
        "groups": example_site / "grupper" / "index.html",
        "calendar": example_site / "kalender" / "index.html",
        "minutes (members' area)": example_site / "medlemmar" / "index.html",
    }
    missing = [name for name, path in expected.items() if not path.is_file()]
    assert not missing, f"no output for: {missing}"
    for folder, url_prefix in (
        ("news", "nyheter"),
        ("newsletters", "nyhetsbrev"),
        ("minutes", "protokoll"),
    ):
        sources = [
            p
            for p in (CONTENT / folder).glob("*.md*")  # minutes: *.md.age
            if b"Status: draft" not in p.read_bytes()
        ]
        written = list((example_site / url_prefix).glob("*/index.html"))
        assert len(written) >= len(sources) > 0, (folder, len(sources), len(written))
    assert len(list((example_site / "grupper").glob("*/index.html"))) >= 6


def test_example_branch_has_the_promised_amount_of_content():
    def count(folder, pattern="*.md*"):  # sealed files are *.md.age
        return len(list((CONTENT / folder).glob(pattern)))

    assert count("pages") >= 6
    assert count("news") >= 8
    assert count("newsletters") >= 4
    assert count("groups") >= 6
    assert count("minutes") >= 3
    assert count("calendar", "*.yaml") >= 2


def test_drafts_are_never_written(example_site):
    draft_title = "Verksamhetsplan 2027 (utkast)"
    assert draft_title in (CONTENT / "pages" / "styrelsen-utkast.md").read_text()
    for path in example_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".ics", ".txt"}:
            assert draft_title not in path.read_text(encoding="utf-8", errors="replace"), (
                path
            )


def test_hidden_page_is_public_but_not_in_the_menu(example_site):
    hidden = example_site / "integritet" / "index.html"
    assert hidden.is_file()
    menu = html(example_site / "index.html").find("nav")
    assert menu is not None
    assert "integritet/" not in str(menu)


# --- Settings and reading ---------------------------------------------------------


def test_both_header_styles_and_swedish_letters(tmp_path):
    output = build_site(small_content(tmp_path), tmp_path / "out")
    yaml_page = output / "vår-förening" / "index.html"
    assert yaml_page.is_file()
    assert html(yaml_page).find("h1").get_text() == "Vår förening: historia"
    menu = [a.get_text() for a in html(output / "index.html").select("nav a")]
    assert menu.index("Om oss") < menu.index("Vår förening: historia")


def test_swedish_dates_without_the_system_locale(tmp_path):
    content = small_content(tmp_path)
    env = {**TEST_ENV, "LC_ALL": "C", "LANG": "C", "LANGUAGE": ""}
    result = pelican_cli(content, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "nyheter" / "varmote" / "index.html").read_text()
    assert "15 mars 2026" in page


def test_english_through_one_setting(tmp_path):
    output = build_site(small_content(tmp_path), tmp_path / "out", DEFAULT_LANG="en")
    page = (output / "nyheter" / "varmote" / "index.html").read_text()
    assert "15 March 2026" in page or "March 15, 2026" in page
    assert '<html lang="en"' in page


def test_subfolders_keep_their_section(tmp_path):
    """Posts filed by year (news/2026/…, minutes/2025/…) stay news and minutes."""
    content = small_content(tmp_path)
    write(
        content / "news" / "2026" / "torgmote.md",
        "Title: Torgmöte\nDate: 2026-04-01\n\nVi ses på torget.\n",
    )
    write(
        content / "newsletters" / "2026" / "brev.md",
        "Title: Nyhetsbrev april\nDate: 2026-04-02\n\nHej!\n",
    )
    write(
        content / "minutes" / "2025" / "styrelse.md",
        "Title: Styrelsemöte\nDate: 2025-12-03\n\nBeslut.\n",
    )
    out = build_site(content, tmp_path / "out")
    assert (out / "nyheter" / "torgmote" / "index.html").exists()
    assert (out / "nyhetsbrev" / "nyhetsbrev-april" / "index.html").exists()
    assert (out / "protokoll" / "styrelsemote" / "index.html").exists()
    assert not any((out / folder).exists() for folder in ("2025", "2026"))


def test_draft_absent_from_small_site(tmp_path):
    output = build_site(small_content(tmp_path), tmp_path / "out")
    for path in output.rglob("*"):
        if path.is_file():
            assert b"UTKAST-TEXT-4711" not in path.read_bytes(), path


def test_build_date_comes_from_source_date_epoch(tmp_path):
    from pelican.settings import read_settings

    import grasrot_core.dates as dates

    os.environ["SOURCE_DATE_EPOCH"] = str(BUILD_EPOCH)
    try:
        settings = read_settings(str(PELICANCONF))
        assert dates.build_date(settings).isoformat() == "2026-11-20T13:00:00+01:00"
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH")


def test_same_commit_and_build_date_give_identical_output(tmp_path):
    first = build_site(CONTENT, tmp_path / "one")
    second = build_site(CONTENT, tmp_path / "two", CACHE_PATH=str(tmp_path / "cache2"))
    differences = _tree_differences(first, second)
    assert not differences, differences[:10]


def _tree_differences(left: Path, right: Path) -> list[str]:
    left_files = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    right_files = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    problems = [f"only in one build: {p}" for p in sorted(left_files ^ right_files)]
    for relative in sorted(left_files & right_files):
        if not filecmp.cmp(left / relative, right / relative, shallow=False):
            problems.append(f"differs: {relative}")
    return problems


def test_any_content_folder_builds_from_the_command_line(tmp_path):
    result = pelican_cli(small_content(tmp_path), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "om-oss" / "index.html").is_file()


# --- Errors ---------------------------------------------------------------------------


def broken_content(root: Path) -> Path:
    content = small_content(root)
    write(
        content / "news" / "fel-datum.md", "Title: Fel datum\nDate: 2026-02-30\n\nText.\n"
    )
    write(
        content / "news" / "fel-yaml.md",
        "---\ntitle: Möte: budget\ndate: 2026-03-01\n---\nText.\n",
    )
    write(
        content / "pages" / "fel-status.md", "Title: Status\nStatus: publicerad\n\nText.\n"
    )
    # Same title as 2026-03-15-varmote.md, so the same slug and address.
    write(content / "news" / "dubblett.md", "Date: 2026-04-01\nTitle: Vårmöte\n\nText.\n")
    return content


EXPECTED_ERRORS = (  # in Swedish: the site's DEFAULT_LANG is "sv"
    ("fel-datum.md", 2, "är inget giltigt datum"),
    ("fel-yaml.md", 2, "YAML-syntaxfel"),
    ("fel-status.md", 2, "okänd status"),
    ("dubblett.md", 2, "sluggen 'varmote' används också av"),
    ("2026-03-15-varmote.md", 1, "sluggen 'varmote' används också av"),
)


def assert_all_errors_reported(stderr: str) -> None:
    for filename, line, words in EXPECTED_ERRORS:
        matching = [
            row
            for row in stderr.splitlines()
            if f"{filename}:{line}:" in row and words in row
        ]
        assert matching, f"no '{filename}:{line}: … {words}' in:\n{stderr}"


def test_build_fails_with_every_error_and_writes_nothing(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(broken_content(tmp_path), output)
    assert result.returncode != 0
    assert_all_errors_reported(result.stderr)
    assert not output.exists() or not any(output.iterdir())


def test_a_page_cannot_take_an_address_the_kit_builds(tmp_path):
    """pages/kalender.md would land on the calendar's kalender/: an error with
    the file and line, collected before anything is written."""
    content = small_content(tmp_path)
    write(content / "pages" / "kalender.md", "Title: Kalender\n\nVåra aktiviteter.\n")
    write(content / "pages" / "nyheter.md", "Menu_order: 5\nTitle: Nyheter\n\nText.\n")
    output = tmp_path / "out"
    result = pelican_cli(content, output)
    assert result.returncode != 0
    assert "kalender.md:1:1: sidans adress 'kalender/'" in result.stderr, result.stderr
    assert "nyheter.md:2:1: sidans adress 'nyheter/'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists() or not any(output.iterdir())


def test_invoke_check_reports_the_same_errors_without_writing(tmp_path):
    content = broken_content(tmp_path)
    result = run_cli(INVOKE, "check", "--content", str(content))
    assert result.returncode != 0
    assert_all_errors_reported(result.stderr)
    assert not (ROOT / "output" / "fel-status").exists()


def test_invoke_check_passes_clean_content(tmp_path):
    result = run_cli(INVOKE, "check", "--content", str(small_content(tmp_path)))
    assert result.returncode == 0, result.stderr


def test_errors_become_github_annotations(tmp_path):
    content = broken_content(tmp_path)
    result = run_cli(
        INVOKE,
        "check",
        "--content",
        str(content),
        env={**TEST_ENV, "GITHUB_ACTIONS": "true"},
    )
    annotations = [row for row in result.stderr.splitlines() if row.startswith("::error ")]
    assert len(annotations) == len(EXPECTED_ERRORS), result.stderr
    assert any("fel-datum.md,line=2,col=1::" in row for row in annotations)


def test_cached_rebuild_still_reports_errors(tmp_path):
    """A file served from Pelican's cache must not slip past validation."""
    content = broken_content(tmp_path)
    cache = str(tmp_path / "cache")
    first = pelican_cli(content, tmp_path / "out1")
    from grasrot_core.errors import ContentErrorsFound

    with pytest.raises(ContentErrorsFound) as raised:
        build_site(content, tmp_path / "out2", CACHE_PATH=cache)
    with pytest.raises(ContentErrorsFound) as again:
        build_site(content, tmp_path / "out3", CACHE_PATH=cache)
    assert first.returncode != 0
    assert len(raised.value.errors) == len(again.value.errors) == len(EXPECTED_ERRORS)


def test_publish_keeps_the_old_site_when_the_build_fails(tmp_path):
    target = tmp_path / "site"
    good = run_cli(
        INVOKE,
        "publish",
        "--content",
        str(small_content(tmp_path / "a")),
        "--output",
        str(target),
    )
    assert good.returncode == 0, good.stderr
    before = (target / "om-oss" / "index.html").read_bytes()
    bad = run_cli(
        INVOKE,
        "publish",
        "--content",
        str(broken_content(tmp_path / "b")),
        "--output",
        str(target),
    )
    assert bad.returncode != 0
    assert (target / "om-oss" / "index.html").read_bytes() == before
    # Only the build lock stays beside the site (grasrot_core/outputdir.py).
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] in (
        [],
        [".site.lock"],
    )


def test_new_event_appends_a_commented_template(tmp_path, monkeypatch):
    import tasks
    from grasrot_core import yamlload

    monkeypatch.setattr(tasks, "CONTENT", tmp_path)
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    calendar = write(
        tmp_path / "calendar" / "centrum.yaml",
        'events:\n  - id: fika\n    title: Fika\n    start: "2026-12-01 18:00"\n',
    )
    tasks.new_event.body(None, group="centrum", title="Dörrknackning")
    text = calendar.read_text(encoding="utf-8")
    assert "Dörrknackning" in text and text.startswith("events:\n  - id: fika")
    assert len(yamlload.load(text)["events"]) == 1  # the template is commented out
