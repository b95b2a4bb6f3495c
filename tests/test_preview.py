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
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import PELICANCONF, ROOT, TEST_ENV, copy_content, example_content

OVERLAY = 'id="grasrot-preview-errors"'
FIRST_BUILD_DEADLINE = 240  # seconds; a busy 2-core machine builds the example slowly
EDIT_DEADLINE = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def poll(url: str, condition, deadline: float, what: str) -> str:
    """GET `url` until condition(text) holds; fail with the last text at the deadline."""
    until = time.monotonic() + deadline
    last = ""
    while time.monotonic() < until:
        try:
            status, last = fetch(url)
            if status == 200 and condition(last):
                return last
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"{what}: not seen within {deadline} s at {url}; last page ends {last[-600:]!r}"
    )


class Serve:
    def __init__(self, tmp_path: Path):
        self.content = copy_content(tmp_path)
        post = _post(self.content)  # a known address for the post the tests edit
        text = post.read_text(encoding="utf-8")
        post.write_text(
            text.replace("Title: ", "Slug: forhandsvisning\nTitle: ", 1), encoding="utf-8"
        )
        self.output = tmp_path / "output"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
        environment.update(TEST_ENV)
        self.log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("invoke")),
                "serve",
                "--port",
                str(self.port),
                "--content",
                str(self.content),
                "--output",
                str(self.output),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> str:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.seek(0)
        return self.log.read()


@pytest.fixture
def served(tmp_path):
    serve = Serve(tmp_path)
    try:
        yield serve
    finally:
        serve.stop()


def _post(content: Path) -> Path:
    return sorted((content / "news").glob("*.md"))[-1]


def _post_url(served: Serve, post: Path) -> str:
    return f"{served.url}/nyheter/forhandsvisning/"


def test_an_edit_an_error_and_its_fix_in_one_serve_process(served):
    home = poll(
        served.url + "/", lambda t: "</html>" in t, FIRST_BUILD_DEADLINE, "the first build"
    )
    assert OVERLAY not in home
    pid = served.process.pid

    # An edit appears, served by the same process.
    post = _post(served.content)
    post.write_text(
        post.read_text(encoding="utf-8") + "\nRedigerat i förhandsvisningen.\n",
        encoding="utf-8",
    )
    page_url = _post_url(served, post)
    poll(
        page_url,
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
    post.write_text(broken, encoding="utf-8")
    page = poll(page_url, lambda t: OVERLAY in t, EDIT_DEADLINE, "the error overlay")
    assert "Redigerat i förhandsvisningen." in page  # the last good build's page
    expected = f"{post}:3:1: 'date: 2026-02-30'"  # outside the project: absolute
    assert expected in page.replace("&#x27;", "'"), page[-1500:]
    # In the site's language (sv), as the terminal printed it.
    assert f"{expected} är inget giltigt datum" in page.replace("&#x27;", "'"), page[-1500:]
    status, other = fetch(served.url + "/kalender/")
    assert status == 200 and OVERLAY in other and "</html>" in other
    assert "nothing was written" not in page

    # The fix: the overlay goes, the new text is served.
    post.write_text(
        broken.replace("Date: 2026-02-30\nX: ", "Date: ", 1).replace(
            "Redigerat i förhandsvisningen.", "Rättat och sparat."
        ),
        encoding="utf-8",
    )
    fixed = poll(
        page_url,
        lambda t: "Rättat och sparat." in t and OVERLAY not in t,
        EDIT_DEADLINE,
        "the fixed post without the overlay",
    )
    assert "Redigerat i förhandsvisningen." not in fixed
    log = served.stop()
    assert f"{expected} är inget giltigt datum" in log, log  # the terminal: same text
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
    post = _post(content)
    broken = post.read_text(encoding="utf-8").replace("Date: ", "Date: 2026-02-30\nX: ", 1)
    post.write_text(broken, encoding="utf-8")
    done = pelican_cli(content, tmp_path / "out")
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "'date: 2026-02-30' är inget giltigt datum" in said
    for noise in ("CRITICAL", "__init__.py:", "Traceback"):
        assert noise not in said, said
    assert "fel i innehållet (se ovan)" in said, said
