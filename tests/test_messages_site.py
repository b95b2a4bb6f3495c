"""A branch full of typical mistakes, built with the real `pelican` command: every
error is listed at file:line:col in the site's language — Swedish under
DEFAULT_LANG "sv" (the terminal and GitHub's annotations alike), English under "en"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, TEST_ENV, pelican_cli, write

# (file, line, col, Swedish words, English words)
MISTAKES = [
    ("news/yaml.md", 2, 12, "YAML-syntaxfel", "YAML syntax error"),
    ("news/datum.md", 2, 1, "är inget giltigt datum", "is not a valid date"),
    ("news/grupp.md", 3, 1, "okänd grupp 'sodra'", "unknown group 'sodra'"),
    ("news/arsmote.md", 1, 1, "används också av", "is also used by"),
    ("news/arsmote-igen.md", 1, 1, "används också av", "is also used by"),
    ("news/falt.md", 3, 1, "okänt fält 'Tittle' i huvudet", "unknown header key 'Tittle'"),
    ("calendar/ekdala.yaml", 4, 12, "inget riktigt datum", "is not a real date"),
    ("minutes/2026-03-01-styrelse.md", 1, 1, "är inte satt", "is not set"),
]
# Words of the English messages that must not show in a Swedish line.
ENGLISH = re.compile(r"\b(the|is|not|write|Did you mean|Hint|missing|unknown|use)\b")


def mistaken_branch(root: Path) -> Path:
    content = root / "content"
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nVi är en avdelning.\n")
    write(
        content / "groups" / "norra.md",
        "Title: Norra\nKind: district\nAreas: Norrby\n\nVi träffas på torsdagar.\n",
    )
    write(content / "news" / "yaml.md", "---\ntitle: Möte: budget\ndate: 2026-03-01\n---\n")
    write(content / "news" / "datum.md", "Title: Datum\nDate: 2026-02-30\n\nText.\n")
    write(
        content / "news" / "grupp.md",
        "Title: Grupp\nDate: 2026-03-01\nGroups: sodra\n\nText.\n",
    )
    write(content / "news" / "arsmote.md", "Title: Årsmöte\nDate: 2026-03-02\n\nText.\n")
    write(
        content / "news" / "arsmote-igen.md", "Title: Årsmöte\nDate: 2026-03-03\n\nText.\n"
    )
    write(
        content / "news" / "falt.md",
        "Title: Fält\nDate: 2026-03-04\nTittle: Fel\n\nText.\n",
    )
    write(
        content / "calendar" / "ekdala.yaml",
        'events:\n  - id: mote\n    title: Möte\n    start: "2026-02-30 18:00"\n',
    )
    write(
        content / "minutes" / "2026-03-01-styrelse.md",
        "Title: Styrelsemöte\nDate: 2026-03-01\n\nProtokoll.\n",
    )
    return content


def build(root: Path, language: str, settings: str = ""):
    """The real `pelican` command, without passwords, as GitHub Actions runs it."""
    conf = root / f"conf-{language}.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        f"from pelicanconf import *  # noqa\nDEFAULT_LANG = {language!r}\n{settings}\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in TEST_ENV.items() if not k.endswith("PASSWORD")}
    env["GITHUB_ACTIONS"] = "true"
    return pelican_cli(root / "content", root / f"out-{language}", conf, env=env)


def error_lines(stderr: str, content: Path) -> dict[str, list[str]]:
    """file -> its `file:line:col: message` lines (the terminal form)."""
    found: dict[str, list[str]] = {}
    for line in stderr.splitlines():
        if line.startswith(str(content)):
            relative = line[len(str(content)) + 1 :].split(":", 1)[0]
            found.setdefault(relative, []).append(line)
    return found


def annotations(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("::error file=")]


SUMMARY = {
    "sv": "fel i innehållet (se ovan); inget skrevs",
    "en": "content errors (listed above); nothing was written",
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_mistake_is_reported_in_the_sites_language(tmp_path, language):
    content = mistaken_branch(tmp_path)
    done = build(tmp_path, language)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = error_lines(done.stderr, content)
    for file, line, col, swedish, english in MISTAKES:
        wanted, other = (swedish, english) if language == "sv" else (english, swedish)
        here = [
            text
            for text in lines.get(file, [])
            if text.startswith(f"{content}/{file}:{line}:{col}: ")
        ]
        assert here and wanted in here[0], (file, done.stderr)
        assert other not in here[0], here[0]
    assert SUMMARY[language] in done.stderr
    if language == "sv":  # no English word at all: the kit's notices are Swedish too
        for text in done.stderr.splitlines():
            if not text.startswith("::error"):
                message = text.split(": ", 1)[1] if text.startswith(str(content)) else text
                assert not ENGLISH.search(message.replace("'", " ")), text
    for noise in ("CRITICAL", "Traceback", "__init__.py:"):
        assert noise not in done.stderr, done.stderr

    # GitHub's annotations carry the same text, one per error.
    found = annotations(done.stderr)
    assert len(found) == sum(len(v) for v in lines.values())
    for file, line, col, swedish, english in MISTAKES:
        wanted = swedish if language == "sv" else english
        assert any(
            a.startswith(f"::error file={content}/{file},line={line},col={col}::")
            and wanted in a
            for a in found
        ), (file, found)


# (a setting the kit cannot use, what the Swedish line says, the English line)
BAD_SETTINGS = [
    (
        "BRAND_COLORS = {'primary': 'grön'}",
        "BRAND_COLORS['primary'] = 'grön' i inställningarna: skriv en hexfärg",
        "BRAND_COLORS['primary'] = 'grön' in the settings: write a hex colour",
    ),
    (
        "HOME_HERO = {'bild': 'torget.jpg'}",
        "HOME_HERO har okända nycklar 'bild'",
        "HOME_HERO has unknown key(s) 'bild'",
    ),
    (
        "FEED_CONTENT = 'kort'",
        "FEED_CONTENT = 'kort' i inställningarna; skriv 'full' eller 'summary'.",
        "FEED_CONTENT = 'kort' in the settings; use 'full' or 'summary'.",
    ),
    (
        "MEMBERS_REMEMBER_DAYS = 'trettio'",
        "MEMBERS_REMEMBER_DAYS = 'trettio' i inställningarna: skriv ett helt antal dagar",
        "MEMBERS_REMEMBER_DAYS = 'trettio' in the settings: use a whole number of days",
    ),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("setting", "swedish", "english"),
    BAD_SETTINGS,
    ids=[b[0].split()[0] for b in BAD_SETTINGS],
)
def test_a_bad_setting_stops_the_build_with_one_line_in_the_sites_language(
    tmp_path, language, setting, swedish, english
):
    """Before anything is written, and without Pelican's CRITICAL line or traceback."""
    write(tmp_path / "content" / "pages" / "om-oss.md", "Title: Om oss\n\nVi finns.\n")
    done = build(tmp_path, language, setting)
    assert done.returncode == 1, done.stdout + done.stderr
    wanted, other = (swedish, english) if language == "sv" else (english, swedish)
    assert wanted in done.stderr, done.stderr
    assert other not in done.stderr, done.stderr
    for noise in ("CRITICAL", "Traceback", "Error:", "__init__.py"):
        assert noise not in done.stderr, done.stderr
    assert not (tmp_path / f"out-{language}" / "index.html").exists()
