"""The officer's commands on sealed files speak the site's language: with
DEFAULT_LANG "sv" every line `invoke seal`, `unseal`, `edit-sealed` and
`rotate-password` print (their password prompts too) is Swedish, with English
under "en". Run as an officer runs them: `invoke` in a project folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import ROOT, TEST_ENV, keys_for_tests, write

INVOKE = str(Path(sys.executable).with_name("invoke"))
MINUTES = "Title: Styrelsemöte 1 oktober\nDate: 2026-10-01 18:30\nAccess: board\n\n§ 1.\n"
NEW_PASSWORD = "blå-kaffekopp-vandrar-genom-snöstorm"
SEALED = "content/minutes/2026-10-01-mote.md.age"

# What each step prints, in Swedish and in English.
LINES = {
    "sv": {
        "seal": [
            (
                "Förseglade content/minutes/2026-10-01-mote.md -> "
                f"{SEALED} (nivå board; öppnas med lösenordet för board)."
            ),
            "Checka in .age-filerna (git add …). Checka aldrig in klartexten.",
        ],
        "unseal": [
            f"Öppnade {SEALED} (nivå board) -> unsealed/content/minutes/2026-10-01-mote.md",
            (
                "  git bryr sig inte om unsealed/. Radera filen när du är klar; för att "
                f"ändra den förseglade filen använder du `invoke edit-sealed {SEALED}`."
            ),
        ],
        "edit": [f"Ingen ändring: {SEALED} lämnades som den var."],
        "locked": [
            (
                f"Fel: {SEALED}: kunde inte öppna den "
                "(MEMBERS_PASSWORD är inte satt; fel lösenord för board)."
            )
        ],
        "prompts": [
            "Nytt lösenord för board (invoke new-password ger ett): ",
            "Skriv det nya igen: ",
        ],
        "rotate": ["Fel: det gamla lösenordet öppnar inte content/keys/board.key.age."],
        "level": [
            "Fel: okänd nivå 'styrelse': använd members eller board. Menade du 'board'?"
        ],
    },
    "en": {
        "seal": [
            (
                "Sealed content/minutes/2026-10-01-mote.md -> "
                f"{SEALED} (level board; opens with the password of board)."
            ),
            "Commit the .age files (git add …). Never commit the plain text.",
        ],
        "unseal": [
            f"Opened {SEALED} (level board) -> unsealed/content/minutes/2026-10-01-mote.md",
            (
                "  git ignores unsealed/. Delete the file when you are done; to change the "
                f"sealed file use `invoke edit-sealed {SEALED}`."
            ),
        ],
        "edit": [f"No change: {SEALED} was left as it was."],
        "locked": [
            (
                f"Error: {SEALED}: could not open it "
                "(MEMBERS_PASSWORD not set; wrong password for board)."
            )
        ],
        "prompts": [
            "New password for board (invoke new-password makes one): ",
            "Type the new one again: ",
        ],
        "rotate": ["Error: the old password does not open content/keys/board.key.age."],
        "level": [
            "Error: unknown level 'styrelse': use members or board. Did you mean 'board'?"
        ],
    },
}
# What the pre-commit hook prints when the plain minutes are staged.
PLAIN = "content/minutes/2026-10-01-mote.md"
HOOK_LINES = {
    "sv": [
        (
            "Gräsrot: den här incheckningen skulle lägga skyddad text i git i klartext, "
            "där alla som har repot (och dess historik) kan läsa den:"
        ),
        f"  {PLAIN}: allt i content/minutes/ är skyddat",
        "Försegla dem först och checka sedan in .age-filerna:",
        f"  git restore --staged {PLAIN}",
        f"  invoke seal {PLAIN}",
    ],
    "en": [
        (
            "Gräsrot: this commit would put protected text in git as plain text, "
            "where everyone with the repository (and its history) can read it:"
        ),
        f"  {PLAIN}: everything in content/minutes/ is protected",
        "Seal them first, then commit the .age files:",
        f"  git restore --staged {PLAIN}",
        f"  invoke seal {PLAIN}",
    ],
}
# Words of the English lines that no Swedish line holds.
ENGLISH = re.compile(
    r"\b(the|is|not|was|with|for|of|it|Error|Sealed|Opened|level|password|open|opens|"
    r"could|wrong|commit|Commit|change|use|Type|New)\b"
)


def project(root: Path, language: str) -> Path:
    """A branch's project folder: the kit's tasks, plugins and theme, its own
    pelicanconf.py (DEFAULT_LANG), and content/ with the level keys."""
    root.mkdir()
    shutil.copy(ROOT / "tasks.py", root / "tasks.py")
    for folder in ("plugins", "theme"):
        (root / folder).symlink_to(ROOT / folder)
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    write(root / "pelicanconf.py", f"{settings}\nDEFAULT_LANG = {language!r}\n")
    shutil.copytree(keys_for_tests(), root / "content" / "keys")
    return root


def officer(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`invoke ...` in the project folder, without a terminal."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
    environment.update(TEST_ENV, **env)
    environment = {k: v for k, v in environment.items() if v}
    return subprocess.run(
        [INVOKE, *args],
        cwd=root,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def rotate_with_a_wrong_old_password(root: Path) -> tuple[int, list[str]]:
    """`invoke rotate-password board` in a terminal, the old password in
    BOARD_PASSWORD (wrong), the new one typed twice: its prompts and lines."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
    environment.update(TEST_ENV, BOARD_PASSWORD="inte-det-gamla-lösenordet")
    child = pexpect.spawn(
        INVOKE,
        ["rotate-password", "board"],
        cwd=str(root),
        env=environment,
        encoding="utf-8",
        timeout=120,
    )
    shown = []
    for _ in range(2):
        child.expect(r"[^\r\n]*: $")
        shown.append(child.after)
        child.sendline(NEW_PASSWORD)
    child.expect(pexpect.EOF)
    child.close()
    shown += [line for line in child.before.splitlines() if line.strip()]
    return child.exitstatus, shown


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_officer_commands_speak_the_sites_language(tmp_path, language):
    root = project(tmp_path / "branch", language)
    wanted = LINES[language]
    plain = write(root / "content" / "minutes" / "2026-10-01-mote.md", MINUTES)
    printed = []

    done = officer(root, "seal", "content/minutes/2026-10-01-mote.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == wanted["seal"]
    assert not plain.exists() and (root / SEALED).is_file()
    printed += done.stdout.splitlines()

    done = officer(root, "unseal", SEALED)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == wanted["unseal"]
    opened = root / "unsealed" / "content" / "minutes" / "2026-10-01-mote.md"
    assert opened.read_text(encoding="utf-8") == MINUTES
    printed += done.stdout.splitlines()

    done = officer(root, "edit-sealed", SEALED, EDITOR="true")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == wanted["edit"]
    printed += done.stdout.splitlines()

    before = (root / SEALED).read_bytes()
    done = officer(root, "unseal", SEALED, MEMBERS_PASSWORD="", BOARD_PASSWORD="fel")
    assert done.returncode == 1
    assert done.stderr.splitlines() == wanted["locked"]
    printed += done.stderr.splitlines()

    key = (root / "content" / "keys" / "board.key.age").read_bytes()
    status, shown = rotate_with_a_wrong_old_password(root)
    assert status == 1, shown
    assert shown == wanted["prompts"] + wanted["rotate"]
    assert (root / "content" / "keys" / "board.key.age").read_bytes() == key
    assert (root / SEALED).read_bytes() == before
    printed += shown

    done = officer(root, "rotate-password", "styrelse")
    assert done.returncode == 1
    assert done.stderr.splitlines() == wanted["level"]
    printed += done.stderr.splitlines()

    if language == "sv":
        for line in printed:
            words = line.replace("'", " ").replace("`", " ")
            words = re.sub(r"\S*/\S*|invoke [\w-]+", " ", words)  # paths, commands
            assert not ENGLISH.search(words), line


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_commit_hook_refuses_in_the_sites_language(tmp_path, language):
    """`invoke install-hooks`, then a commit of plain minutes, as an officer makes
    it: the hook runs with the project's .venv and refuses in DEFAULT_LANG."""
    root = project(tmp_path / "branch", language)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    done = officer(root, "install-hooks")
    assert done.returncode == 0, done.stdout + done.stderr
    write(root / PLAIN, MINUTES)
    subprocess.run(["git", "add", "--force", PLAIN], cwd=root, check=True)
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-m", "x"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == HOOK_LINES[language]
