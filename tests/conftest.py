"""Shared fixtures: build real sites with Pelican, serve them, drive Chromium.

Every test builds with `Pelican(settings).run()` (or the real CLI) into a temp
dir and asserts on the output, like the pelican-plugins organisation's tests.
The example site is built once per session with a fixed build date.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))  # tasks.py, for the authoring-task tests

CONTENT = ROOT / "content"
PELICANCONF = ROOT / "pelicanconf.py"
PUBLISHCONF = ROOT / "publishconf.py"
# A fixed "now" for the example site: its events and posts are written around it.
BUILD_EPOCH = int(datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp())
MEMBERS_PASSWORD = "gröna-hästar-dansar-i-regn"
BOARD_PASSWORD = "styrelsen-har-ett-eget-lösen"
TEST_ENV = {
    "SOURCE_DATE_EPOCH": str(BUILD_EPOCH),
    "MEMBERS_PASSWORD": MEMBERS_PASSWORD,
    "BOARD_PASSWORD": BOARD_PASSWORD,
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


DEV_PASSWORD = "lokal-forhandsvisning-ej-hemlig"  # pelicanconf.MEMBERS_DEV_PASSWORD
TEST_PASSWORDS = {"members": MEMBERS_PASSWORD, "board": BOARD_PASSWORD}
# scrypt 2^18 (age's default, the kit's) takes seconds on a busy machine; the
# tests' own keys only need the format.
TEST_WORK_FACTOR = 12


@functools.cache
def keys_for_tests() -> Path:
    """A keys folder for the test passwords, made once per session (each
    level's key is sealed with scrypt, about a second)."""
    from grasrot_members import sealing

    folder = Path(tempfile.mkdtemp(prefix="grasrot-test-keys-")) / "keys"
    for level, password in TEST_PASSWORDS.items():
        sealing.make_level_keys(str(folder), level, password, work_factor=TEST_WORK_FACTOR)
    return folder


def seal_fixture(content: Path, relative: str, data, level: str = "members") -> Path:
    """Write a sealed content file (`relative` + ".age"), as `invoke seal` would,
    for the test passwords; the test keys are copied into content/keys/ first."""
    from grasrot_members import sealing

    keys = content / "keys"
    if not keys.exists():
        shutil.copytree(keys_for_tests(), keys)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = content / (relative + sealing.SUFFIX)
    target.parent.mkdir(parents=True, exist_ok=True)
    recipients = sealing.recipients_for(level, list(TEST_PASSWORDS), str(keys))
    target.write_bytes(sealing.seal_bytes(raw, recipients))
    return target


@functools.cache
def example_content() -> Path:
    """The example branch as the tests build it: its keys are sealed with the
    development password, so this copy seals the same keys with the test
    passwords (what `invoke rotate-password` does; no sealed file changes)."""
    from grasrot_members import sealing

    target = Path(tempfile.mkdtemp(prefix="grasrot-example-")) / "content"
    shutil.copytree(CONTENT, target)
    for level, password in TEST_PASSWORDS.items():
        identity = sealing.open_identity(str(target / "keys"), level, DEV_PASSWORD)
        sealing.write_level_keys(
            str(target / "keys"), level, identity, password, work_factor=TEST_WORK_FACTOR
        )
    return target


def opened_example_file(path: Path) -> bytes:
    """A sealed file of the example branch, opened with the development password."""
    from grasrot_members import sealing

    identities = [
        sealing.open_identity(str(CONTENT / "keys"), level, DEV_PASSWORD)
        for level in TEST_PASSWORDS
    ]
    return sealing.open_bytes(Path(path).read_bytes(), identities)


def _content(path: Path) -> Path:
    return example_content() if Path(path).resolve() == CONTENT.resolve() else Path(path)


def build_site(
    content: Path,
    output: Path,
    settings_file: Path = PELICANCONF,
    env: dict | None = None,
    **overrides,
) -> Path:
    """Build `content` into `output` in this process; raises on any error.

    `env` is applied to os.environ for the duration of the build (passwords,
    SOURCE_DATE_EPOCH); by default the test passwords and build date are used.
    The example branch (CONTENT) is built from example_content().
    """
    build_settings(content, output, settings_file, env, **overrides)
    return output


def build_settings(
    content: Path,
    output: Path,
    settings_file: Path = PELICANCONF,
    env: dict | None = None,
    **overrides,
) -> dict:
    """build_site, returning the settings dict the build ran with."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = _content(content)

    environment = dict(TEST_ENV if env is None else env)
    saved = {key: os.environ.get(key) for key in (*TEST_ENV, *environment)}
    for key in TEST_ENV:
        os.environ.pop(key, None)
    os.environ.update(environment)
    try:
        settings = read_settings(
            str(settings_file),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "CACHE_PATH": str(output.parent / f".{output.name}-cache"),
                **overrides,
            },
        )
        Pelican(settings).run()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return settings


def run_cli(
    *args: str, env: dict | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    """Run a command (pelican, invoke) the way a user would, capturing output."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
    environment.update(TEST_ENV if env is None else env)
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def pelican_cli(
    content: Path, output: Path, settings_file: Path = PELICANCONF, env: dict | None = None
) -> subprocess.CompletedProcess:
    cache = output.parent / f".{output.name}-cache"
    content = _content(content)
    return run_cli(
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(settings_file),
        "-o",
        str(output),
        "--cache-path",
        str(cache),
        "--fatal",
        "warnings",
        env=env,
    )


def write(path: Path, text: str) -> Path:
    """Write a content file, creating its folders (fixtures build small branches)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def html(path: Path):
    """A built page, parsed."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def copy_content(tmp_path: Path, source: Path = CONTENT) -> Path:
    """A private copy of a content folder that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(_content(source), target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example branch, built once with the fixed build date and test passwords."""
    output = tmp_path_factory.mktemp("example") / "output"
    return build_site(CONTENT, output)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_directory(directory: Path):
    """Start an HTTP server on a free port; returns (base_url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def site_url(example_site):
    """Base URL of the example site served on localhost."""
    url, server = serve_directory(example_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: run `make test`, which installs it "
            "(apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no storage shared between tests) at phone width."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def served(tmp_path):
    """A real `invoke serve` of the example content (tests/helpers.py's Serve)."""
    from helpers import Serve

    serve = Serve(tmp_path)
    try:
        yield serve
    finally:
        serve.stop()


def axe_violations(tab) -> list[dict]:
    """Run axe-core (bundled by axe-playwright-python) on the page; return violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": [n.get("target") for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
    ]


def screenshot(tab, name: str) -> Path:
    """Save a screenshot for human review (test-artifacts/ is not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def pytest_collection_modifyitems(config, items):
    """Property-based suites take minutes: `make test` (no -m) runs them, and so does
    `-m property`; any other -m selection (the quick loop `-m "not browser"`) leaves
    them out."""
    selection = config.getoption("markexpr") or ""
    if not selection or "property" in selection:
        return
    kept = [item for item in items if item.get_closest_marker("property") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
