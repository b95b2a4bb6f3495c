"""One BuildState per build (grasrot_core/state.py): fresh for every build, never
in the settings dict, and pickled as empty."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_settings, write
from helpers import runtime_objects

import grasrot_core
import grasrot_core.state
import grasrot_groups
import grasrot_members


def branch(root: Path, group: str, duplicate: bool = False) -> Path:
    content = root / "content"
    write(content / "news" / "hej.md", "Title: Hej\nDate: 2026-11-01\n\nText.\n")
    write(
        content / "groups" / f"{group}.md",
        f"Title: {group.title()}\nKind: interest\n\nVi träffas.\n",
    )
    write(
        content / "minutes" / "styrelsemote.md",
        "Title: Styrelsemöte\nDate: 2026-10-01\n\nHemligt.\n",
    )
    if duplicate:
        write(content / "news" / "hej-igen.md", "Title: Hej\nDate: 2026-11-02\n\nIgen.\n")
    return content


def test_two_builds_in_one_process_do_not_mix_errors_slugs_or_groups(tmp_path, capsys):
    broken = branch(tmp_path / "a", "kor", duplicate=True)
    with pytest.raises(grasrot_core.ContentErrorsFound):
        build_settings(broken, tmp_path / "a" / "output")
    first = grasrot_core.state.running()
    assert {e.path for e in first.errors.sorted()} == {
        str(broken / "news" / "hej.md"),
        str(broken / "news" / "hej-igen.md"),
    }
    assert first.reported_slugs
    capsys.readouterr()

    clean = branch(tmp_path / "b", "schack")
    settings = build_settings(clean, tmp_path / "b" / "output")
    second = grasrot_core.state.current(settings)
    assert second is grasrot_core.state.running() and second is not first
    assert not second.errors and not second.reported_slugs
    assert grasrot_groups.registry(settings).slugs == ["schack"]
    assert (tmp_path / "b" / "output" / "grupper" / "schack" / "index.html").is_file()
    assert not (tmp_path / "b" / "output" / "grupper" / "kor").exists()
    # The first build's state is unreachable from the second's settings.
    assert grasrot_core.collector(settings) is second.errors


def test_settings_hold_settings_only_after_a_build(tmp_path):
    settings = build_settings(branch(tmp_path, "kor"), tmp_path / "output")
    members = grasrot_members.state_of(settings)
    assert members.protected, "the minutes were protected by this build's state"
    assert runtime_objects(settings) == {}
    assert not [key for key in settings if "ERRORS" in key or "STATE" in key]


def test_a_pickled_build_state_is_empty(tmp_path):
    settings = build_settings(branch(tmp_path, "kor"), tmp_path / "output")
    state = grasrot_core.state.current(settings)
    state.errors.add("x.md", 1, 1, "an error")
    assert state.slots["members"].keys, "the build derived the members' key"
    copy = pickle.loads(pickle.dumps(state))
    assert isinstance(copy, grasrot_core.state.BuildState)
    assert not copy.errors and copy.slots == {} and copy.translations is None
    assert b"Hemligt" not in pickle.dumps(state)


def test_unstarted_settings_dicts_get_their_own_state():
    first, second = {}, {}
    assert grasrot_core.state.current(first) is grasrot_core.state.current(first)
    assert grasrot_core.state.current(first) is not grasrot_core.state.current(second)
    made = grasrot_core.state.current(first).slot("x", list)
    assert grasrot_core.state.current(first).slot("x", dict) is made


def test_category_tag_and_archive_pages_list_public_posts_only(tmp_path):
    """Pelican builds its lists from the public articles (the members' plugin takes
    protected ones out at article_generator_pretaxonomy)."""
    content = tmp_path / "content"
    write(
        content / "news" / "oppen.md",
        "Title: Öppen nyhet\nDate: 2026-11-01\nTags: möte\n\nFör alla.\n",
    )
    write(
        content / "news" / "intern.md",
        "Title: Intern HEMLIG-rubrik\nDate: 2026-11-02\nTags: möte, internt\n"
        "Access: members\n\nBara för medlemmar.\n",
    )
    output = tmp_path / "output"
    build_settings(content, output, MEMBERS_PUBLIC_LISTING="none")
    lists = {
        "category": output / "nyheter" / "index.html",
        "shared tag": output / "etikett" / "mote" / "index.html",
        "archive": output / "arkiv" / "index.html",
        "home": output / "index.html",
    }
    for name, path in lists.items():
        text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text()
        assert "Öppen nyhet" in text, name
        assert "HEMLIG" not in text, name
    assert not (output / "etikett" / "internt").exists()  # only the protected post had it
