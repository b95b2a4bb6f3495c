"""Protected sources sealed in the repository (age): nothing plain in git or in caches.

Real builds, real git repositories, Debian's `age` binary driven through a pty.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import (
    BOARD_PASSWORD,
    CONTENT,
    DEV_PASSWORD,
    MEMBERS_PASSWORD,
    PELICANCONF,
    PUBLISHCONF,
    ROOT,
    TEST_ENV,
    build_site,
    example_content,
    keys_for_tests,
    pelican_cli,
    run_cli,
    seal_fixture,
    write,
)
from helpers import forms, payloads

from grasrot_members import sealing

INVOKE = str(Path(sys.executable).with_name("invoke"))
MINUTES = (
    "Title: Styrelsemöte 1 oktober\nDate: 2026-10-01 18:30\nAccess: board\n\n"
    "§ 1 HEMLIGT-BESLUT-åäö-5150 fattades.\n"
)


def example_canaries() -> dict[str, str]:
    """Sentences from the body of every protected example file (and its PDF)."""
    keys = str(CONTENT / "keys")
    identities = [
        sealing.open_identity(keys, level, DEV_PASSWORD) for level in ("members", "board")
    ]
    found = {}
    for path in sorted(CONTENT.rglob("*.age")):
        if "keys" in path.relative_to(CONTENT).parts:
            continue
        plain = sealing.open_bytes(path.read_bytes(), identities)
        assert plain is not None, path
        if path.name.endswith(".pdf.age"):
            found[path.name] = plain.split(b"(", 1)[1].split(b")", 1)[0].decode("cp1252")
            continue
        body = plain.decode("utf-8").split("\n\n", 1)[1]
        lines = [
            line.strip()
            for line in body.splitlines()
            if len(line.strip()) > 40 and not line.lstrip().startswith(("#", "[", "!"))
        ]
        for index, line in enumerate(lines[:3]):
            found[f"{path.name} line {index}"] = line[:60]
    assert len(found) >= 8
    return found


def scan_bytes(data: bytes, secrets: dict[str, str]) -> list[str]:
    lowered = data.lower()
    hits = []
    for name, text in secrets.items():
        for form, needle in forms(text).items():
            if needle in data or (form == "lower case" and needle.lower() in lowered):
                hits.append(f"{name} ({form})")
    return hits


def scan_folder(folder: Path, secrets: dict[str, str]) -> list[str]:
    hits = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hits += [
                f"{path.relative_to(folder)}: {hit}"
                for hit in scan_bytes(path.read_bytes(), secrets)
            ]
    return hits


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            *args,
        ],
        capture_output=True,
        check=True,
    )


def fresh_repository(root: Path, content: Path) -> Path:
    """The example branch committed into a new repository (with its .gitignore)."""
    shutil.copytree(content, root / "content")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Example branch")
    return root


def all_objects(repo: Path) -> bytes:
    return git(repo, "cat-file", "--batch-all-objects", "--batch").stdout


# --- the repository and the caches ----------------------------------------------------


def test_a_repository_of_the_example_holds_no_protected_text(tmp_path):
    repo = fresh_repository(tmp_path / "repo", CONTENT)
    objects = all_objects(repo)
    assert b"age-encryption.org/v1" in objects  # the sealed files are in it
    hits = scan_bytes(objects, example_canaries())
    assert not hits, hits[:20]


def test_the_repository_scan_finds_plain_minutes(tmp_path):
    """The scan can fail: plain minutes committed are found in git's objects."""
    canaries = example_canaries()
    content = tmp_path / "content"
    write(
        content / "minutes" / "2026-10-01-mote.md",
        "Title: Möte\nDate: 2026-10-01\n\n" + "\n\n".join(canaries.values()) + "\n",
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(content, repo / "content")
    git(repo, "init", "-q")
    git(repo, "add", "-A", "--force")
    git(repo, "commit", "-q", "-m", "plain")
    assert scan_bytes(all_objects(repo), canaries)


def test_pelicans_cache_and_the_preview_caches_hold_no_protected_text(
    tmp_path, monkeypatch
):
    from grasrot_preview.session import PreviewSession

    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)
    cache = tmp_path / "cache"
    session = PreviewSession(
        example_content(),
        tmp_path / "output",
        PELICANCONF,
        overrides={"CACHE_PATH": str(cache)},
        plugin_paths=[ROOT / "plugins"],
    )
    for _ in range(2):  # the second build reads and writes the caches again
        result = session.build()
        assert result.ok, result.errors
    session.close()
    assert list(cache.rglob("*Readers*")) and list(cache.rglob("pages.pickle"))
    canaries = example_canaries()
    hits = scan_folder(cache, canaries) + scan_folder(tmp_path / "output", canaries)
    assert not hits, hits[:20]
    assert (
        tmp_path / "output" / "protokoll" / "medlemsmote-23-april-2026" / "index.html"
    ).is_file()


# --- age on the command line --------------------------------------------------------


def site_with_keys(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(keys_for_tests(), content / "keys")
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nÖppen text.\n")
    return content


def test_debian_age_opens_a_file_sealed_by_invoke_seal(tmp_path):
    content = site_with_keys(tmp_path)
    plain = write(content / "minutes" / "2026-10-01-styrelsemote.md", MINUTES)
    done = run_cli(INVOKE, "seal", str(plain), "--content", str(content))
    assert done.returncode == 0, done.stdout + done.stderr
    sealed = Path(str(plain) + ".age")
    assert sealed.is_file() and not plain.exists()
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1\n-> X25519 ")
    child = pexpect.spawn(
        "age",
        [
            "-d",
            "-i",
            str(content / "keys" / "board.key.age"),
            "-o",
            str(tmp_path / "opened.md"),
            str(sealed),
        ],
        encoding="utf-8",
        timeout=120,
    )
    child.expect("passphrase")
    child.sendline(BOARD_PASSWORD)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert (tmp_path / "opened.md").read_text(encoding="utf-8") == MINUTES


def test_invoke_unseal_opens_a_file_sealed_by_the_age_binary(tmp_path):
    content = site_with_keys(tmp_path)
    plain = write(tmp_path / "protokoll.md", MINUTES.replace("Access: board\n", ""))
    sealed = content / "minutes" / "2026-10-01-styrelsemote.md.age"
    sealed.parent.mkdir(parents=True)
    subprocess.run(
        ["age", "-R", str(content / "keys" / "members.pub"), "-o", str(sealed), str(plain)],
        check=True,
    )
    out = tmp_path / "unsealed.md"
    done = run_cli(
        INVOKE, "unseal", str(sealed), "--output", str(out), "--content", str(content)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes() == plain.read_bytes()
    # And the build reads it, in memory.
    output = build_site(content, tmp_path / "out")
    assert (output / "protokoll" / "styrelsemote-1-oktober" / "index.html").is_file()


def test_edit_sealed_reseals_the_edited_text(tmp_path):
    content = site_with_keys(tmp_path)
    sealed = seal_fixture(content, "minutes/2026-10-01-mote.md", MINUTES, "board")
    editor = write(
        tmp_path / "editor.sh",
        '#!/bin/sh\necho \'§ 2 TILLAGT-I-EDITORN\' >> "$1"\necho "$1" > '
        f"{tmp_path / 'where.txt'}\n",
    )
    editor.chmod(0o755)
    env = dict(TEST_ENV, EDITOR=str(editor))
    done = run_cli(INVOKE, "edit-sealed", str(sealed), "--content", str(content), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    temporary = Path((tmp_path / "where.txt").read_text().strip())
    assert not temporary.exists()  # wiped
    if Path("/dev/shm").is_dir():
        assert str(temporary).startswith("/dev/shm/")
    identity = sealing.open_identity(str(content / "keys"), "board", BOARD_PASSWORD)
    text = sealing.open_bytes(sealed.read_bytes(), [identity]).decode("utf-8")
    assert text == MINUTES + "§ 2 TILLAGT-I-EDITORN\n"
    members = sealing.open_identity(str(content / "keys"), "members", MEMBERS_PASSWORD)
    assert sealing.open_bytes(sealed.read_bytes(), [members]) is None  # board only


def test_seal_refuses_a_file_whose_level_it_cannot_read(tmp_path):
    content = site_with_keys(tmp_path)
    page = write(content / "pages" / "intern.md", "Title: Intern\n\nText.\n")
    done = run_cli(INVOKE, "seal", str(page), "--content", str(content))
    assert done.returncode == 1 and "--level" in done.stderr and page.exists()
    typo = write(
        content / "pages" / "styrelse.md", "Title: S\nAccess: styrelsen\n\nText.\n"
    )
    done = run_cli(INVOKE, "seal", str(typo), "--content", str(content))
    assert done.returncode == 1 and "Menade du 'board'?" in done.stderr
    pdf = write(tmp_path / "elsewhere" / "bilaga.pdf", "%PDF-1.4\n")
    done = run_cli(INVOKE, "seal", str(pdf), "--level", "board", "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert Path(str(pdf) + ".age").is_file() and not pdf.exists()


# --- plain protected files ------------------------------------------------------------


def test_tracked_plain_minutes_are_an_error_with_the_seal_command(tmp_path):
    repo = tmp_path / "repo"
    content = site_with_keys(repo)
    write(content / "minutes" / "2026-10-01-mote.md", MINUTES)
    write(
        content / "news" / "2026-10-02-intern.md",
        "Title: Intern\nDate: 2026-10-02\nAccess: members\n\nInternt.\n",
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A", "--force")
    git(repo, "commit", "-q", "-m", "plain minutes")
    done = run_cli(INVOKE, "check", "--content", str(content))
    assert done.returncode == 1
    minutes = content / "minutes" / "2026-10-01-mote.md"
    assert f"{minutes}:3:1:" in done.stderr and f"invoke seal {minutes}" in done.stderr
    news = content / "news" / "2026-10-02-intern.md"
    assert f"{news}:3:1:" in done.stderr and f"invoke seal {news}" in done.stderr
    result = pelican_cli(content, tmp_path / "out")
    assert result.returncode != 0 and not (tmp_path / "out" / "index.html").exists()


def test_an_untracked_draft_is_previewed_with_a_notice_never_published(tmp_path):
    content = site_with_keys(tmp_path)
    draft = write(content / "minutes" / "2026-10-01-mote.md", MINUTES)
    result = pelican_cli(content, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "är inte förseglad än" in result.stderr and "invoke seal" in result.stderr
    assert (
        tmp_path / "out" / "protokoll" / "styrelsemote-1-oktober" / "index.html"
    ).is_file()
    published = pelican_cli(content, tmp_path / "published", settings_file=PUBLISHCONF)
    assert published.returncode != 0
    assert f"{draft}:3:1:" in published.stderr and "publishconf.py" in published.stderr
    assert not (tmp_path / "published" / "index.html").exists()


# --- without passwords ------------------------------------------------------------------


def test_without_a_password_sealed_files_are_left_out_with_one_notice(tmp_path):
    content = site_with_keys(tmp_path)
    seal_fixture(content, "minutes/2026-10-01-mote.md", MINUTES, "board")
    seal_fixture(
        content,
        "minutes/2026-10-02-mote.md",
        MINUTES.replace("Access: board\n", "").replace("1 oktober", "2 oktober"),
    )
    write(content / "news" / "2026-10-03-fel.md", "Title: Fel\nDate: 2026-13-45\n\nText.\n")
    env = {k: v for k, v in TEST_ENV.items() if not k.endswith("PASSWORD")}
    done = run_cli(INVOKE, "check", "--content", str(content), env=env)
    assert done.returncode == 1  # the other file's error is still found
    assert "2026-10-03-fel.md:2:1:" in done.stderr
    notices = [
        line for line in done.stderr.splitlines() if "förseglade filer utelämnades" in line
    ]
    assert len(notices) == 1 and "BOARD_PASSWORD och MEMBERS_PASSWORD" in notices[0]
    (content / "news" / "2026-10-03-fel.md").unlink()
    members_only = dict(env, MEMBERS_PASSWORD=MEMBERS_PASSWORD)
    preview = pelican_cli(content, tmp_path / "out", env=members_only)
    assert preview.returncode == 0, preview.stderr
    assert "1 förseglad fil utelämnades" in preview.stderr
    assert "BOARD_PASSWORD" in preview.stderr
    assert (tmp_path / "out" / "protokoll" / "styrelsemote-2-oktober").is_dir()
    assert not (tmp_path / "out" / "protokoll" / "styrelsemote-1-oktober").exists()
    published = pelican_cli(
        content, tmp_path / "pub", settings_file=PUBLISHCONF, env=members_only
    )
    assert published.returncode != 0
    assert (
        "2026-10-01-mote.md.age:1:1: den förseglade filen går inte att öppna"
        in published.stderr
    )
    assert not (tmp_path / "pub" / "index.html").exists()


def test_a_wrong_password_is_an_error_naming_rotate_password(tmp_path):
    content = site_with_keys(tmp_path)
    seal_fixture(content, "minutes/2026-10-01-mote.md", MINUTES, "board")
    env = dict(TEST_ENV, BOARD_PASSWORD="fel-lösenord-för-styrelsen-123")
    result = pelican_cli(content, tmp_path / "out", env=env)
    assert result.returncode != 0
    assert "board.key.age:1:1: BOARD_PASSWORD öppnar inte" in result.stderr
    assert "invoke rotate-password board" in result.stderr


# --- salt, passwords, rotation ----------------------------------------------------------


def kid(output: Path, page: str) -> str:
    return payloads(output / page / "index.html")[0]["kid"]


def test_each_site_has_its_own_salt_and_rotating_changes_the_key_id(tmp_path):
    sites = []
    for name in ("a", "b"):
        content = tmp_path / name / "content"
        for level, password in (("members", MEMBERS_PASSWORD), ("board", BOARD_PASSWORD)):
            sealing.make_level_keys(str(content / "keys"), level, password, work_factor=10)
        write(content / "pages" / "om-oss.md", "Title: Om oss\n\nText.\n")
        seal_fixture(content, "minutes/2026-10-01-mote.md", MINUTES, "board")  # own keys
        sites.append(content)
    salts = [sealing.read_salt(str(c / "keys")) for c in sites]
    assert salts[0] != salts[1] and all(len(s) == 32 for s in salts)
    first = build_site(sites[0], tmp_path / "out-a")
    second = build_site(sites[1], tmp_path / "out-b")
    page = "protokoll/styrelsemote-1-oktober"
    assert kid(first, page) != kid(second, page)  # same SITENAME, same password
    from grasrot_members import officer

    site = officer.load_site(ROOT, str(sites[0]))
    officer.rotate_password(site, "board", BOARD_PASSWORD, BOARD_PASSWORD + "-ny")
    env = dict(TEST_ENV, BOARD_PASSWORD=BOARD_PASSWORD + "-ny")
    rotated = build_site(sites[0], tmp_path / "out-rotated", env=env)
    assert kid(rotated, page) != kid(first, page)


def test_rotate_password_changes_only_the_key_file_unless_a_new_key_is_asked(tmp_path):
    from grasrot_members import officer

    content = site_with_keys(tmp_path)
    minutes = MINUTES.replace("Access: board\n", "")  # the default level, members
    sealed = seal_fixture(content, "minutes/2026-10-01-mote.md", minutes)
    before = sealed.read_bytes()
    site = officer.load_site(ROOT, str(content))
    assert officer.rotate_password(site, "members", MEMBERS_PASSWORD, "nytt-lösen-1") == []
    assert sealed.read_bytes() == before
    with pytest.raises(sealing.WrongPassword):
        sealing.open_identity(str(content / "keys"), "members", MEMBERS_PASSWORD)
    resealed = officer.rotate_password(
        site, "members", "nytt-lösen-1", "nytt-lösen-2", new_key=True
    )
    assert resealed == [sealed] and sealed.read_bytes() != before
    identity = sealing.open_identity(str(content / "keys"), "members", "nytt-lösen-2")
    assert sealing.open_bytes(sealed.read_bytes(), [identity]) == minutes.encode()
    board = sealing.open_identity(str(content / "keys"), "board", BOARD_PASSWORD)
    assert sealing.open_bytes(sealed.read_bytes(), [board]) == minutes.encode()


@pytest.mark.parametrize(
    "members, board, expected",
    [
        ("aaaaaaaaaaaa", BOARD_PASSWORD, "MEMBERS_PASSWORD (nivå 'members') är för lätt"),
        ("            ", BOARD_PASSWORD, "för lätt att gissa"),
        (BOARD_PASSWORD, BOARD_PASSWORD, "har samma lösenord"),
    ],
)
def test_publishconf_refuses_weak_and_shared_passwords(tmp_path, members, board, expected):
    content = site_with_keys(tmp_path)
    seal_fixture(
        content, "minutes/2026-10-01-mote.md", MINUTES.replace("Access: board\n", "")
    )
    for level, password in (("members", members), ("board", board)):
        identity = sealing.open_identity(
            str(content / "keys"), level, TEST_ENV[f"{level.upper()}_PASSWORD"]
        )
        sealing.write_level_keys(str(content / "keys"), level, identity, password, 10)
    env = dict(TEST_ENV, MEMBERS_PASSWORD=members, BOARD_PASSWORD=board)
    result = pelican_cli(content, tmp_path / "out", settings_file=PUBLISHCONF, env=env)
    assert result.returncode != 0
    assert expected in result.stderr and "invoke new-password" in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()
    preview = pelican_cli(content, tmp_path / "preview", env=env)
    assert preview.returncode == 0, preview.stderr  # only publishing asks for strength


def test_new_password_is_strong_and_random():
    from grasrot_members import levels

    made = {run_cli(INVOKE, "new-password").stdout.strip() for _ in range(2)}
    assert len(made) == 2
    for password in made:
        assert len(password.split("-")) == 5
        assert levels.password_strength(password, {})[0] >= 3


# --- officers' tasks and the hook -------------------------------------------------------


def test_new_minutes_starts_a_draft_git_ignores(tmp_path):
    import tasks

    repo = tmp_path / "repo"
    (repo / "content" / "minutes").mkdir(parents=True)
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    git(repo, "init", "-q")
    original = tasks.CONTENT
    tasks.CONTENT = repo / "content"
    try:
        path = tasks._new_markdown("minutes", "Styrelsemöte 3 december", draft=False)
    finally:
        tasks.CONTENT = original
    assert "Status: draft" not in path.read_text(encoding="utf-8")
    ignored = subprocess.run(["git", "-C", str(repo), "check-ignore", "-q", str(path)])
    assert ignored.returncode == 0
    sealed = Path(str(path) + ".age")
    sealed.write_bytes(b"age-encryption.org/v1\n")
    assert (
        subprocess.run(
            ["git", "-C", str(repo), "check-ignore", "-q", str(sealed)]
        ).returncode
        == 1
    )


def test_the_pre_commit_hook_refuses_plain_protected_files(tmp_path):
    from grasrot_members import officer

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    hook = officer.install_hook(repo)
    assert officer.hook_installed(repo)
    text = hook.read_text(encoding="utf-8")
    hook.write_text(
        text.replace(
            '"$root/plugins/grasrot_members/hook.py"',
            f'"{ROOT}/plugins/grasrot_members/hook.py"',
        ),
        encoding="utf-8",
    )
    write(repo / "content" / "news" / "oppen.md", "Title: Öppen\n\nText.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "public")
    for name, text in (
        ("content/minutes/mote.md", MINUTES),
        ("content/pages/intern.md", "Title: I\nÅtkomst: medlemmar\n\nT.\n"),
        ("content/pages/yaml.md", "---\ntitle: Y\naccess: board\n---\nT.\n"),
    ):
        write(repo / name, text)
        subprocess.run(["git", "-C", str(repo), "add", "--force", name], check=True)
        done = subprocess.run(
            [
                "git",
                "-C",
                str(repo),
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.org",
                "commit",
                "-m",
                "x",
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode != 0, name
        assert name in done.stderr and "invoke seal" in done.stderr
        subprocess.run(["git", "-C", str(repo), "rm", "-q", "--cached", name], check=True)
    sealed = repo / "content" / "minutes" / "mote.md.age"
    sealed.write_bytes(b"age-encryption.org/v1\n")
    git(repo, "add", "--force", str(sealed))
    git(repo, "commit", "-q", "-m", "sealed minutes are fine")
