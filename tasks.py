"""Everyday tasks: `invoke --list`. Every build runs Pelican with --fatal warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
PELICAN = [sys.executable, "-m", "pelican"]
PORT = int(os.environ.get("PORT", "8000"))


def _pelican(settings_file: str, output: Path, *extra: str, content: Path = CONTENT) -> int:
    command = [*PELICAN, str(content), "-s", str(ROOT / settings_file),
               "-o", str(output), "--fatal", "warnings", *extra]
    return subprocess.run(command, cwd=ROOT).returncode


def _use_preview_passwords() -> None:
    """Local preview only: fill unset members' passwords with the dev default."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    dev_password = settings.get("MEMBERS_DEV_PASSWORD")
    for variable in settings.get("MEMBERS_ACCESS_LEVELS", {}).values():
        if dev_password and not os.environ.get(variable):
            os.environ[variable] = dev_password
            print(f"*** {variable} is not set: the preview uses the DEVELOPMENT "
                  f"password '{dev_password}'. Never publish with it. ***")


@task(help={"content": "content folder (default content/)", "output": "default output/"})
def build(c, content=str(CONTENT), output=str(OUTPUT)):
    """Build the site into output/ with pelicanconf.py."""
    _use_preview_passwords()
    sys.exit(_pelican("pelicanconf.py", Path(output), content=Path(content)))


@task(help={"content": "content folder to check (default content/)"})
def check(c, content=str(CONTENT)):
    """Validate all content without writing output; print every error at once."""
    from grasrot_core.check import run_check

    sys.exit(run_check(content, str(ROOT / "pelicanconf.py")))


@task(help={"port": f"port to serve on (default {PORT}; also PORT=…)",
            "content": "content folder (default content/)", "output": "default output/"})
def serve(c, port=PORT, content=str(CONTENT), output=str(OUTPUT)):
    """Build once, serve on http://localhost:8000, rebuild in this process on each save."""
    from grasrot_preview.server import serve as serve_preview

    content, output = Path(content).resolve(), Path(output).resolve()

    # One "now" for the whole preview session: what is upcoming stays put while
    # you edit, and the preview's caches (keyed by the build date) can skip
    # every page an edit does not touch.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    _quiet_pelican_logging()
    # Another site's pages must not share the example site's caches.
    overrides = {} if output == OUTPUT else {
        "CACHE_PATH": str(output.parent / f".{output.name}-cache")}
    sys.exit(serve_preview(
        int(port), content, output, ROOT / "pelicanconf.py",
        watched=[content, ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py"],
        plugin_paths=[ROOT / "plugins"], language=_site_language(),
        prepare=_use_preview_passwords, overrides=overrides))


def _site_language() -> str:
    from pelican.settings import read_settings

    return str(read_settings(str(ROOT / "pelicanconf.py")).get("DEFAULT_LANG") or "sv")


def _quiet_pelican_logging() -> None:
    """As `pelican --fatal warnings`: a warning fails the build."""
    import logging

    from pelican.log import init

    init(level=logging.WARNING, fatal="warnings", name="pelican")


@task(help={"content": "content folder (default content/)", "output": "default output/"})
def publish(c, content=str(CONTENT), output=str(OUTPUT)):
    """Build with publishconf.py; replace output/ only when the whole build succeeded."""
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target (same file system) so the swap is a rename.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    code = _pelican("publishconf.py", staging, content=Path(content))
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Publishing failed; {target} was left as it was.", file=sys.stderr)
        sys.exit(code)
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Published into {target}")


def _slug(title: str) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""),
                                      (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")])


def _new_markdown(folder: str, title: str, extra: str = "") -> Path:
    now = datetime.now()
    path = CONTENT / folder / f"{now:%Y-%m-%d}-{_slug(title)}.md"
    if path.exists():
        sys.exit(f"{path} already exists; choose another title.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\nDate: {now:%Y-%m-%d %H:%M}\n{extra}Status: draft\n\n"
        "Skriv texten här. Ta bort raden Status: draft när den ska publiceras.\n",
        encoding="utf-8",
    )
    print(f"Created {path.relative_to(ROOT)}")
    return path


@task(help={"title": "the post's title", "groups": "group slugs, comma separated"})
def new_post(c, title, groups=""):
    """Start a news post in content/news/ (as a draft)."""
    _new_markdown("news", title, f"Groups: {groups}\n" if groups else "")


@task(help={"title": "the newsletter's title"})
def new_newsletter(c, title):
    """Start a newsletter in content/newsletters/ (as a draft)."""
    _new_markdown("newsletters", title, "Include_events: 30\n")


@task(help={"title": "e.g. 'Styrelsemöte 12 mars'", "level": "access level"})
def new_minutes(c, title, level="members"):
    """Start meeting minutes in content/minutes/ (protected, as a draft)."""
    _new_markdown("minutes", title, f"Access: {level}\n" if level != "members" else "")


EVENT_TEMPLATE = """
  # --- Ny aktivitet: fyll i och ta sedan bort '# ' först på varje rad ----
  # - id: {event_id}              # unikt och ändras aldrig: kalendrar känner igen det
  #   title: "{title}"
  #   start: "{day} 18:30"        # datum och tid; eller `date:` för heldag
  #   end: "20:00"                # en tid (samma dag) eller datum och tid
  #   location: "Folkets hus, Storgatan 12"
  #   description: |
  #     Vad som händer och vilka som är välkomna.
  #   categories: [möte]
  #   registration: "https://example.org/anmalan"
  #   # repeat: {{every: month, on: 15, pause: [{{from: "{year}-06-15", to: "{year}-08-15"}}]}}
"""


@task(help={"group": "group slug (the calendar file's name)", "title": "event title"})
def new_event(c, group, title="Ny aktivitet"):
    """Append a commented event template to content/calendar/<group>.yaml."""
    path = CONTENT / "calendar" / f"{group}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    today = datetime.now()
    event_id = f"{_slug(title)}-{today:%Y%m%d}"
    text = path.read_text(encoding="utf-8") if path.exists() else "events:\n"
    if "events:" not in text:
        text += "events:\n"
    text = text.rstrip("\n") + "\n" + EVENT_TEMPLATE.format(
        event_id=event_id, title=title, day=f"{today:%Y-%m-%d}", year=today.year)
    path.write_text(text, encoding="utf-8")
    print(f"Added an event template at the end of {path.relative_to(ROOT)}")


@task(help={"slug": "the newsletter's slug", "output": "folder for the files"})
def newsletter_email(c, slug, output="newsletter-email"):
    """Write the e-mail edition (HTML and plain text) of a newsletter."""
    from grasrot_feeds.email import write_email_edition

    sys.exit(write_email_edition(ROOT, slug, Path(output)))


@task(help={"sizes": "comma separated: tiny, branch, district, national",
            "repeat": "rounds; each figure is the best of them",
            "profile": "also profile one kit cold build per size (pyinstrument)"})
def bench(c, sizes="branch,district", repeat=1, profile=False):
    """Benchmark build speed and memory; prints one table (bench/README.md)."""
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", sizes,
               "--repeat", str(repeat)]
    if profile:
        command.append("--profile")
    sys.exit(subprocess.run(command, cwd=ROOT).returncode)


@task
def test(c):
    """Run the whole test suite (same as `make test`)."""
    sys.exit(subprocess.run(["make", "test"], cwd=ROOT).returncode)
