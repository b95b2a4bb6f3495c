"""The machine's locale never matters: Babel formats dates from DEFAULT_LANG."""

from __future__ import annotations

import sys

from conftest import TEST_ENV, pelican_cli, run_cli, write
from helpers import tiny_site

UNKNOWN = {
    "LANG": "sv_SE.UTF-8",
    "LC_ALL": "sv_SE.UTF-8",
    "LC_TIME": "xx_YY.UTF-8",
    "LANGUAGE": "sv",
}


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_unknown_locale_builds_the_same_site(tmp_path):
    content = tiny_site(tmp_path)
    write(
        content / "calendar" / "ekdala.yaml",
        'events:\n  - id: mote\n    title: Möte\n    start: "2026-12-01 18:30"\n',
    )
    plain = pelican_cli(content, tmp_path / "plain", env={**TEST_ENV, "LC_ALL": "C.UTF-8"})
    assert plain.returncode == 0, plain.stderr
    odd = pelican_cli(content, tmp_path / "odd", env={**TEST_ENV, **UNKNOWN})
    assert odd.returncode == 0, odd.stdout + odd.stderr
    assert "Traceback" not in odd.stderr
    assert _snapshot(tmp_path / "plain") == _snapshot(tmp_path / "odd")
    page = (tmp_path / "odd" / "kalender" / "index.html").read_text(encoding="utf-8")
    assert "Möte" in page and "dec" in page.lower(), page[-3000:]
    checked = run_cli(
        sys.executable,
        "-m",
        "invoke",
        "check",
        "--content",
        str(content),
        env={**TEST_ENV, **UNKNOWN},
    )
    assert checked.returncode == 0, checked.stderr
