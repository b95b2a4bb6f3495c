"""output/ is always a whole site: staging and swap, one build at a time, clean
publish folders with web-server modes, and the plain `pelican` command failing
exactly as `invoke build` does."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import time

from conftest import ROOT, TEST_ENV, pelican_cli, write
from helpers import invoke, tiny_site


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _snapshot(folder):
    return {name: (folder / name).read_bytes() for name in _files(folder)}


def test_a_failed_build_leaves_the_previous_site(tmp_path):
    content = tiny_site(tmp_path)
    output = tmp_path / "output"
    first = invoke("build", "--content", str(content), "--output", str(output))
    assert first.returncode == 0, first.stderr
    before = _snapshot(output)
    assert "index.html" in before
    write(content / "news" / "fel.md", "Title: Fel\nDate: nope\n\nText.\n")
    failed = invoke("build", "--content", str(content), "--output", str(output))
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert _snapshot(output) == before
    assert not list(tmp_path.glob(".output-new-*"))


def test_an_unexpected_error_while_writing_is_one_line_naming_the_file(tmp_path):
    content = tiny_site(tmp_path)
    templates = write(
        tmp_path / "templates" / "article.html",
        '{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}',
    ).parent
    settings = write(
        tmp_path / "conf.py",
        (
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"THEME_TEMPLATES_OVERRIDES = [{str(templates)!r}]\n"
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(settings),
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env={**os.environ, **TEST_ENV},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nyheter/hej/index.html" in result.stderr
    assert "ZeroDivisionError" in result.stderr


def test_the_plain_pelican_command_fails_on_a_bad_post(tmp_path):
    content = tiny_site(tmp_path)
    write(content / "images" / "bild.png", "png")
    (content / "news" / "latin.md").write_bytes("Title: Höst\n\nText.\n".encode("cp1252"))
    write(
        content / "news" / "lank.md",
        "Title: Länk\nDate: 2026-11-03\n\n[bild]({filename}/images/bild.png)\n",
    )
    for bad in ("latin.md", "lank.md"):
        others = [
            p for p in (content / "news").glob("*.md") if p.name not in ("hej.md", bad)
        ]
        for other in others:
            other.rename(other.with_suffix(".txt"))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pelican",
                str(content),
                "-s",
                str(ROOT / "pelicanconf.py"),
                "-o",
                str(tmp_path / bad),
            ],
            cwd=ROOT,
            env={**os.environ, **TEST_ENV},
            capture_output=True,
            text=True,
            timeout=300,
        )
        for other in others:
            other.with_suffix(".txt").rename(other)
        assert result.returncode == 1, (bad, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert bad in result.stdout + result.stderr


def _locked(lock) -> bool:
    if not lock.exists():
        return False
    with open(lock) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_two_builds_into_one_output_take_turns(tmp_path):
    content = tiny_site(tmp_path)
    output = tmp_path / "output"
    reference = invoke(
        "build", "--content", str(content), "--output", str(tmp_path / "reference")
    )
    assert reference.returncode == 0
    command = [
        sys.executable,
        "-m",
        "invoke",
        "build",
        "--content",
        str(content),
        "--output",
        str(output),
    ]
    environment = {**os.environ, **TEST_ENV}
    first = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = tmp_path / ".output.lock"
    deadline = time.monotonic() + 120
    while not _locked(lock) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first build ended before the second could start"
    second = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    _first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert "Ett annat bygge pågår" in second.stderr
    assert _files(output) == _files(tmp_path / "reference")


def test_publish_removes_leftovers_and_sets_modes(tmp_path):
    content = tiny_site(tmp_path)
    output = tmp_path / "output"
    leftover = write(tmp_path / ".output-new-abc123" / "index.html", "half")
    write(tmp_path / ".output-previous" / "old.html", "old")
    write(output / ".git" / "HEAD", "ref: refs/heads/gh-pages\n")
    os.umask(0o077)
    try:
        result = invoke("publish", "--content", str(content), "--output", str(output))
    finally:
        os.umask(0o022)
    assert result.returncode == 0, result.stderr
    assert not leftover.exists() and not (tmp_path / ".output-previous").exists()
    assert not list(tmp_path.glob(".output-new-*"))
    assert (output / ".git" / "HEAD").is_file()
    for path in [output, *output.rglob("*")]:
        if ".git" in path.relative_to(tmp_path).parts:
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))
    for name in (".output-new-x1/", ".output.lock", ".output-previous/"):
        assert subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT).returncode == 0


def test_an_output_path_that_is_a_file_is_left_alone(tmp_path):
    content = tiny_site(tmp_path)
    output = write(tmp_path / "output", "my notes")
    result = invoke("build", "--content", str(content), "--output", str(output))
    assert result.returncode != 0
    assert "är en fil" in result.stderr
    assert output.read_text() == "my notes"


def test_a_truncated_cache_heals_itself(tmp_path):
    content = tiny_site(tmp_path)
    output = tmp_path / "output"
    first = pelican_cli(content, output)
    assert first.returncode == 0, first.stderr
    cache = tmp_path / ".output-cache"
    cached = [p for p in cache.rglob("*") if p.is_file() and "jinja" not in str(p)]
    assert cached
    for path in cached:
        path.write_bytes(b"")  # what "Could not save cache" on a full disk left
    second = pelican_cli(content, output)
    assert second.returncode == 0, second.stderr
    assert "cachefilen" in second.stderr
    assert (output / "nyheter" / "hej" / "index.html").is_file()
    third = pelican_cli(content, output)
    assert third.returncode == 0 and "cachefilen" not in third.stderr
    assert not list(cache.rglob(".tmp-*"))
