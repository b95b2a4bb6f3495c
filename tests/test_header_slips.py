"""No header slip can publish protected text.

Each slip below, in a post meant to be members-only, used to put its text in
the page, the index and every feed, and the build exited 0. Now each one is a
content error at its file and line, and nothing is written: no canary reaches
any output file (searched in the six encodings of test_members_leaks.py).
"""

from __future__ import annotations

import pytest
from conftest import build_site, write
from helpers import scan

from grasrot_core.errors import ContentErrorsFound

CANARY = "HEMLIG-kanarie-åäö-9301"
PUBLIC = "Title: Öppen nyhet\nDate: 2026-11-01\n\nAlla får läsa det här.\n"

SLIPS = {
    "wrapped summary": (
        "news/intern.md",
        (
            "Title: Styrelsens beslut\nDate: 2026-11-02\n"
            "Summary: Styrelsen beslutade om budgeten och om\nvalet av ny kassör.\n"
            f"Access: board\n\n{CANARY}\n"
        ),
        5,
        ["header ended at line 3", "join the wrapped line"],
    ),
    "blank line before access": (
        "news/intern.md",
        f"Title: Intern nyhet\nDate: 2026-11-02\n\nAccess: members\n\n{CANARY}\n",
        4,
        ["header ended at line 2", "remove the blank line"],
    ),
    "Acess: members": (
        "news/intern.md",
        f"Title: Intern nyhet\nDate: 2026-11-02\nAcess: members\n\n{CANARY}\n",
        3,
        ["'Acess'", "looks like 'access:'", "'access: members'"],
    ),
    "YAML acces:": (
        "newsletters/intern.md",
        f"---\ntitle: Medlemsbrev\ndate: 2026-11-02\nacces: members\n---\n{CANARY}\n",
        4,
        ["'acces'", "looks like 'access:'", "'access: members'"],
    ),
    "Level: board": (
        "pages/styrelsen.md",
        f"Title: Styrelsen\nLevel: board\n\n{CANARY}\n",
        2,
        ["'Level'", "looks like 'access:'", "'access: board'"],
    ),
    "empty Access:": (
        "news/intern.md",
        f"Title: Intern nyhet\nDate: 2026-11-02\nAccess:\n\n{CANARY}\n",
        3,
        ["'access:' is empty", "'access: members'"],
    ),
    "empty YAML access:": (
        "newsletters/intern.md",
        f"---\ntitle: Medlemsbrev\ndate: 2026-11-02\naccess:\n---\n{CANARY}\n",
        4,
        ["'access:' is empty"],
    ),
    "Åtkomst: medlemmar": (
        "news/intern.md",
        f"Title: Intern nyhet\nDate: 2026-11-02\nÅtkomst: medlemmar\n\n{CANARY}\n",
        3,
        ["'Åtkomst'", "looks like 'access:'", "'access: members'"],
    ),
    "Åtkomst after a blank line": (
        "news/intern.md",
        f"Title: Intern nyhet\nDate: 2026-11-02\n\nÅtkomst: medlemmar\n{CANARY}\n",
        4,
        ["header ended at line 2", "'access: members'"],
    ),
    "YAML åtkomst:": (
        "newsletters/intern.md",
        f"---\ntitle: Medlemsbrev\ndate: 2026-11-02\nåtkomst: styrelsen\n---\n{CANARY}\n",
        4,
        ["'åtkomst'", "'access: board'"],
    ),
}


def build_with(tmp_path, files: dict[str, str], **settings):
    content = tmp_path / "content"
    write(content / "news" / "oppen.md", PUBLIC)
    for name, text in files.items():
        write(content / name, text)
    output = tmp_path / "output"
    try:
        build_site(content, output, **settings)
    except ContentErrorsFound as found:
        return output, [(e.path, e.line, e.message) for e in found.errors]
    return output, []


@pytest.mark.parametrize("slip", SLIPS, ids=list(SLIPS))
def test_each_slip_is_an_error_at_its_line_and_nothing_leaks(tmp_path, slip):
    name, text, line, phrases = SLIPS[slip]
    output, errors = build_with(tmp_path, {name: text})
    here = [(at, message) for path, at, message in errors if path.endswith(name)]
    assert here, f"no error for {slip}: {errors}"
    assert any(at == line and all(p in message for p in phrases) for at, message in here), (
        here
    )
    assert not scan(output, {"canary": CANARY}) if output.exists() else True
    assert not output.exists() or not any(p.is_file() for p in output.rglob("*"))


def test_the_fix_the_error_asks_for_protects_the_text(tmp_path):
    """The same post with the header written as the messages say builds, encrypted."""
    text = (
        f"Title: Styrelsens beslut\nDate: 2026-11-02\nSummary: Styrelsen beslutade "
        f"om budgeten och om valet av ny kassör.\nAccess: board\n\n{CANARY}\n"
    )
    output, errors = build_with(tmp_path, {"news/intern.md": text})
    assert errors == []
    assert any(p.is_file() for p in output.rglob("*"))
    assert not scan(output, {"canary": CANARY})


@pytest.mark.parametrize(
    "key, hint",
    [
        ("Tittle: Intern", "Did you mean 'title'?"),
        ("Menu_ordr: 3", "Did you mean 'menu_order'?"),
        ("Category: nyheter", "the folder decides"),
        ("Description: Text", "'summary:'"),
        ("Områden: Norrby", "without å, ä or ö"),
    ],
)
def test_unknown_keys_say_what_to_write(tmp_path, key, hint):
    _output, errors = build_with(
        tmp_path, {"pages/sida.md": f"Title: Sida\n{key}\n\nText.\n"}
    )
    assert any(
        line == 2 and "unknown header key" in message and hint in message
        for _path, line, message in errors
    ), errors


def test_keys_are_accepted_per_folder(tmp_path):
    """menu_order belongs to pages; include_events to newsletters."""
    _output, errors = build_with(
        tmp_path,
        {
            "pages/sida.md": "Title: Sida\nMenu_order: 2\n\nText.\n",
            "news/nyhet.md": "Title: Nyhet\nDate: 2026-11-02\nMenu_order: 2\n\nText.\n",
            "newsletters/brev.md": (
                "Title: Brev\nDate: 2026-11-02\nInclude_events: 30\n\nText.\n"
            ),
        },
    )
    assert [(p.rsplit("/", 2)[-2:], line) for p, line, _m in errors] == [
        (["news", "nyhet.md"], 3)
    ], errors


def test_a_branch_declares_its_own_keys(tmp_path):
    files = {"pages/sida.md": "Title: Sida\nHero: bild.jpg\n\nText.\n"}
    _output, errors = build_with(tmp_path, files)
    assert any("unknown header key 'Hero'" in m for _p, _l, m in errors), errors
    _output, errors = build_with(tmp_path / "again", files, GRASROT_EXTRA_METADATA=["hero"])
    assert errors == []


def test_body_text_that_only_looks_like_a_header_is_fine(tmp_path):
    """Only known keys (and access look-alikes) in the first paragraph are slips."""
    _output, errors = build_with(
        tmp_path,
        {
            "pages/kontakt.md": (
                "Title: Kontakt\n\nTelefon: 010-123 45 67\nBesöksadress: Storgatan 12\n\n"
                "Date: this paragraph is not the first one.\n"
            )
        },
    )
    assert errors == []


def test_a_group_file_header_must_not_end_early(tmp_path):
    _output, errors = build_with(
        tmp_path,
        {
            "groups/norr.md": (
                "Title: Norr\nKind: network\n\nEmail: norr@example.org\n\nText.\n"
            )
        },
    )
    assert any(
        p.endswith("norr.md") and line == 4 and "header ended at line 2" in m
        for p, line, m in errors
    ), errors
