"""The members' area fails closed: no password, a weak one or a wrong level stops
the build with `file:line:col` errors and nothing is written. Run through the
real command line, as CI and officers run it."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import BUILD_EPOCH, PUBLISHCONF, TEST_ENV, pelican_cli, run_cli

INVOKE = str(Path(sys.executable).with_name("invoke"))
DEV_PASSWORD = "lokal-forhandsvisning-ej-hemlig"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def site(root: Path, board: bool = False, access: str | None = None) -> Path:
    content = root / "content"
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nVi är en förening.\n")
    write(
        content / "minutes" / "2026-03-01-mote.md",
        "Title: Medlemsmöte 1 mars\nDate: 2026-03-01\n\nHEMLIGT-PROTOKOLL-5521\n",
    )
    if board:
        write(
            content / "minutes" / "2026-03-02-styrelse.md",
            "Title: Styrelsemöte 2 mars\nDate: 2026-03-02\nAccess: board\n\nStyrelsen.\n",
        )
    if access:
        write(
            content / "news" / "2026-03-03-intern.md",
            f"Title: Intern nyhet\nDate: 2026-03-03\nAccess: {access}\n\nIntern text.\n",
        )
    return content


def env(**passwords) -> dict:
    found = {"SOURCE_DATE_EPOCH": str(BUILD_EPOCH)}
    found.update({k: v for k, v in passwords.items() if v is not None})
    return found


def assert_nothing_written(output: Path) -> None:
    assert not output.exists() or not any(output.iterdir()), list(output.rglob("*"))[:5]


def error_rows(stderr: str, filename: str) -> list[str]:
    return [row for row in stderr.splitlines() if f"{filename}:" in row]


def test_unset_password_stops_the_build_and_names_variable_and_file(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(site(tmp_path), output, env=env())
    assert result.returncode != 0
    rows = error_rows(result.stderr, "2026-03-01-mote.md")
    assert rows and "MEMBERS_PASSWORD" in rows[0], result.stderr
    assert "2026-03-01-mote.md:1:1:" in rows[0]
    assert_nothing_written(output)


def test_each_level_needs_its_own_password(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(
        site(tmp_path, board=True),
        output,
        env=env(MEMBERS_PASSWORD=TEST_ENV["MEMBERS_PASSWORD"]),
    )
    assert result.returncode != 0
    rows = error_rows(result.stderr, "2026-03-02-styrelse.md")
    assert rows and "BOARD_PASSWORD" in rows[0], result.stderr
    assert "2026-03-02-styrelse.md:3:1:" in rows[0]  # the `Access: board` line
    assert not error_rows(result.stderr, "2026-03-01-mote.md")
    assert_nothing_written(output)


def test_a_short_password_is_refused(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(site(tmp_path), output, env=env(MEMBERS_PASSWORD="elva-tecken"))
    assert result.returncode != 0
    assert "minst 12" in result.stderr and "MEMBERS_PASSWORD" in result.stderr  # sv site
    assert_nothing_written(output)


def test_publishconf_refuses_the_development_password(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(
        site(tmp_path),
        output,
        settings_file=PUBLISHCONF,
        env=env(MEMBERS_PASSWORD=DEV_PASSWORD),
    )
    assert result.returncode != 0
    assert "utvecklingslösenordet" in result.stderr
    assert_nothing_written(output)


def test_a_local_preview_may_use_the_development_password_loudly(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(site(tmp_path), output, env=env(MEMBERS_PASSWORD=DEV_PASSWORD))
    assert result.returncode == 0, result.stderr
    assert "UTVECKLINGSLÖSENORDET" in result.stderr
    assert "BARA FÖRHANDSVISNING" in result.stderr
    assert (output / "protokoll" / "medlemsmote-1-mars" / "index.html").is_file()


def test_unknown_level_is_a_content_error_with_a_hint(tmp_path):
    output = tmp_path / "out"
    result = pelican_cli(
        site(tmp_path, access="styrelsen"),
        output,
        env=env(**{k: TEST_ENV[k] for k in ("MEMBERS_PASSWORD", "BOARD_PASSWORD")}),
    )
    assert result.returncode != 0
    rows = error_rows(result.stderr, "2026-03-03-intern.md")
    assert rows and "2026-03-03-intern.md:3:1: okänd åtkomstnivå 'styrelsen'" in rows[0]
    assert "Menade du 'board'?" in rows[0]
    assert_nothing_written(output)


def test_typo_in_level_gets_did_you_mean(tmp_path):
    result = pelican_cli(
        site(tmp_path, access="memebrs"),
        tmp_path / "out",
        env=env(MEMBERS_PASSWORD=TEST_ENV["MEMBERS_PASSWORD"]),
    )
    assert result.returncode != 0
    assert "Menade du 'members'?" in result.stderr


def test_password_errors_are_listed_with_other_content_errors(tmp_path):
    content = site(tmp_path)
    write(content / "news" / "fel.md", "Title: Fel\nDate: 2026-02-30\n\nText.\n")
    result = pelican_cli(content, tmp_path / "out", env=env())
    assert result.returncode != 0
    assert error_rows(result.stderr, "fel.md") and error_rows(
        result.stderr, "2026-03-01-mote.md"
    )


def test_invoke_check_does_not_need_the_secrets(tmp_path):
    """Pull requests from forks get no secrets: `check` validates without them."""
    result = run_cli(INVOKE, "check", "--content", str(site(tmp_path)), env=env())
    assert result.returncode == 0, result.stderr
    bad = run_cli(
        INVOKE,
        "check",
        "--content",
        str(site(tmp_path / "b", access="styrelse")),
        env=env(),
    )
    assert bad.returncode != 0 and "okänd åtkomstnivå" in bad.stderr


def test_a_site_without_protected_items_needs_no_password(tmp_path):
    content = tmp_path / "content"
    write(content / "pages" / "om-oss.md", "Title: Om oss\n\nText.\n")
    result = pelican_cli(content, tmp_path / "out", env=env())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "medlemmar" / "index.html").is_file()
