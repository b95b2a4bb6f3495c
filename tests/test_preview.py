"""The preview: a real `invoke serve` process on a free port, driven over HTTP.

One process for the whole session (an edit appears without a restart), the last
good site stays served when a save brings errors (with an overlay listing them,
as the terminal printed them), the overlay goes with the next good build, and a
taken port is one line and exit code 1. Also: a published build never imports
the preview. Every wait is an HTTP poll with a deadline, never a sleep-and-assert.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from conftest import PELICANCONF, ROOT, TEST_ENV, copy_content, example_content
from helpers import (
    EDIT_DEADLINE,
    FIRST_BUILD_DEADLINE,
    OVERLAY,
    fetch,
    free_port,
    poll,
    preview_post,
    save,
)


def test_an_edit_an_error_and_its_fix_in_one_serve_process(served):
    home = poll(
        served.url + "/", lambda t: "</html>" in t, FIRST_BUILD_DEADLINE, "the first build"
    )
    assert OVERLAY not in home
    pid = served.process.pid

    # An edit appears, served by the same process.
    post = preview_post(served.content)
    save(post, post.read_text(encoding="utf-8") + "\nRedigerat i förhandsvisningen.\n")
    poll(
        served.post_url,
        lambda t: "Redigerat i förhandsvisningen." in t,
        EDIT_DEADLINE,
        "the edited post",
    )
    assert served.process.poll() is None and served.process.pid == pid
    # The page is shown before the rebuild; the next save waits for it, so the
    # last good build is the one with the edit.
    poll(
        served.url + "/__grasrot__/status?since=-1",
        lambda t: json.loads(t)["rebuilding"] is False,
        EDIT_DEADLINE,
        "the rebuild after the edit",
    )

    # An error: the old pages stay served, every page shows the overlay.
    broken = post.read_text(encoding="utf-8").replace("Date: ", "Date: 2026-02-30\nX: ", 1)
    save(post, broken)
    expected = f"{post}:3:1: 'date: 2026-02-30'"  # outside the project: absolute
    # In the site's language (sv), as the terminal printed it.
    message = f"{expected} är inget giltigt datum"
    page = poll(
        served.post_url,
        lambda t: OVERLAY in t and message in t.replace("&#x27;", "'"),
        EDIT_DEADLINE,
        "the error overlay",
    )
    assert "Redigerat i förhandsvisningen." in page  # the last good build's page
    status, other = fetch(served.url + "/kalender/")
    assert status == 200 and OVERLAY in other and "</html>" in other
    assert "nothing was written" not in page

    # The fix: the overlay goes, the new text is served.
    save(
        post,
        broken.replace("Date: 2026-02-30\nX: ", "Date: ", 1).replace(
            "Redigerat i förhandsvisningen.", "Rättat och sparat."
        ),
    )
    fixed = poll(
        served.post_url,
        lambda t: "Rättat och sparat." in t and OVERLAY not in t,
        EDIT_DEADLINE,
        "the fixed post without the overlay",
    )
    assert "Redigerat i förhandsvisningen." not in fixed
    log = served.stop()
    assert message in log, log  # the terminal: same text
    assert "Traceback" not in log, log


def test_a_taken_port_is_one_line_and_exit_code_1(tmp_path):
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("", port))
        taken.listen()
        environment = {**os.environ, **TEST_ENV}
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("invoke")),
                "serve",
                "--port",
                str(port),
                "--content",
                str(tmp_path / "never-built"),
                "--output",
                str(tmp_path / "out"),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 1, done
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Port {port} används redan: prova make serve PORT="), lines
    assert not (tmp_path / "out").exists()  # nothing was built


def test_make_serve_passes_the_port():
    done = subprocess.run(
        ["make", "-n", "serve", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "invoke serve --port 8101" in done.stdout, done.stdout


PUBLISHED_BUILD = """
import sys
sys.path.insert(0, {plugins!r})
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings({settings!r}, override={{"PATH": {content!r},
    "OUTPUT_PATH": {output!r}, "CACHE_PATH": {cache!r}}})
Pelican(settings).run()
loaded = sorted(name for name in sys.modules if name.startswith("grasrot_preview"))
print("preview modules:", loaded)
sys.exit(1 if loaded else 0)
"""


def test_a_published_build_never_imports_the_preview(tmp_path):
    code = PUBLISHED_BUILD.format(
        plugins=str(ROOT / "plugins"),
        settings=str(PELICANCONF),
        content=str(example_content()),
        output=str(tmp_path / "out"),
        cache=str(tmp_path / "cache"),
    )
    environment = {**os.environ, **TEST_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "preview modules: []" in done.stdout
    assert (tmp_path / "out" / "index.html").exists()


def test_a_failed_build_ends_with_one_plain_line_in_the_site_language(tmp_path):
    """No CRITICAL line with Pelican's source position, no traceback: the errors,
    then one summary line in Swedish (DEFAULT_LANG = "sv")."""
    from conftest import pelican_cli

    content = copy_content(tmp_path)
    post = preview_post(content)
    broken = post.read_text(encoding="utf-8").replace("Date: ", "Date: 2026-02-30\nX: ", 1)
    post.write_text(broken, encoding="utf-8")
    done = pelican_cli(content, tmp_path / "out")
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "'date: 2026-02-30' är inget giltigt datum" in said
    for noise in ("CRITICAL", "__init__.py:", "Traceback"):
        assert noise not in said, said
    assert "fel i innehållet (se ovan)" in said, said
