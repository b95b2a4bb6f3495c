"""Everyday tasks: `invoke --list`. Every build runs Pelican with --fatal warnings."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
PELICAN = [sys.executable, "-m", "pelican"]
PORT = int(os.environ.get("PORT", "8000"))


def _pelican(settings_file: str, output: Path, *extra: str, content: Path = CONTENT) -> int:
    command = [
        *PELICAN,
        str(content),
        "-s",
        str(ROOT / settings_file),
        "-o",
        str(output),
        "--fatal",
        "warnings",
        *extra,
    ]
    return subprocess.run(command, cwd=ROOT).returncode


def _use_preview_passwords() -> None:
    """Local preview only: fill unset members' passwords with the dev default."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    dev_password = settings.get("MEMBERS_DEV_PASSWORD")
    for variable in settings.get("MEMBERS_ACCESS_LEVELS", {}).values():
        if dev_password and not os.environ.get(variable):
            os.environ[variable] = dev_password
            _say(
                msg(
                    "*** {variable} is not set: the preview uses the DEVELOPMENT "
                    "password '{password}'. Never publish with it. ***",
                    variable=variable,
                    password=dev_password,
                )
            )


def _build_into(settings_file: str, output: str, content: str) -> int:
    """Build in a staging folder and swap it into `output` on success, one build
    at a time (grasrot_core/outputdir.py): output/ is never half a site."""
    from pelican.settings import read_settings

    from grasrot_core.outputdir import build_into

    settings = read_settings(str(ROOT / settings_file))
    return build_into(
        Path(output),
        lambda staging: _pelican(settings_file, staging, content=Path(content)),
        language=str(settings.get("DEFAULT_LANG") or "sv"),
        keep=tuple(settings.get("OUTPUT_RETENTION") or ()),
    )


@task(help={"content": "content folder (default content/)", "output": "default output/"})
def build(c, content=str(CONTENT), output=str(OUTPUT)):
    """Build the site with pelicanconf.py; replace output/ only if the build succeeded."""
    _use_preview_passwords()
    sys.exit(_build_into("pelicanconf.py", output, content))


@task(help={"content": "content folder to check (default content/)"})
def check(c, content=str(CONTENT)):
    """Validate all content without writing output; print every error at once."""
    from grasrot_core.check import run_check

    sys.exit(run_check(content, str(ROOT / "pelicanconf.py")))


@task(
    help={
        "port": f"port to serve on (default {PORT}; also PORT=…)",
        "content": "content folder (default content/)",
        "output": "default output/",
    }
)
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
    overrides = (
        {}
        if output == OUTPUT
        else {"CACHE_PATH": str(output.parent / f".{output.name}-cache")}
    )
    sys.exit(
        serve_preview(
            int(port),
            content,
            output,
            ROOT / "pelicanconf.py",
            watched=[content, ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py"],
            plugin_paths=[ROOT / "plugins"],
            language=_site_language(),
            prepare=_prepare_preview,
            overrides=overrides,
        )
    )


@task(help={"port": f"port of the preview (default {PORT}; also PORT=…)"})
def edit(c, port=PORT):
    """The web editor on this working copy: http://localhost:8000/admin/ (decap-server
    writes what you save into content/; the preview rebuilds as with `invoke serve`)."""
    backend = _start_local_backend()
    # Stopped from outside (SIGTERM) as with Ctrl-C: the backend stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _say(
        msg(
            "Web editor: http://localhost:{port}/admin/ (saves go to content/; "
            "commit them with git)",
            port=port,
        )
    )
    try:
        serve(c, port=port)
    finally:
        backend.terminate()
        backend.wait(timeout=10)


def _start_local_backend() -> subprocess.Popen:
    """decap-server (pinned in package-lock.json) on CMS_LOCAL_BACKEND's port."""
    from urllib.parse import urlsplit

    from pelican.settings import read_settings

    script = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
    node = shutil.which("node")
    if not node or not script.exists():
        sys.exit(
            _text(
                msg(
                    "The web editor's local backend is missing: install Node.js and run "
                    "`npm ci` (or use `make edit`, which does)."
                )
            )
        )
    url = read_settings(str(ROOT / "pelicanconf.py")).get("CMS_LOCAL_BACKEND") or ""
    port = urlsplit(url).port or 8081
    return subprocess.Popen(
        [node, str(script)],
        cwd=ROOT,
        env={
            **os.environ,
            "PORT": str(port),
            "GIT_REPO_DIRECTORY": str(ROOT),
            "MODE": "fs",
            "LOG_LEVEL": "warn",
        },
    )


def _prepare_preview() -> None:
    """Once the preview has its port: passwords, and the pre-commit hook's hint."""
    _use_preview_passwords()
    _hook_hint()


def _site_language() -> str:
    return _language_of(ROOT / "pelicanconf.py")


@functools.cache
def _language_of(settings_file: Path) -> str:
    """DEFAULT_LANG, read once per command (every notice is shown in it)."""
    from pelican.settings import read_settings

    if not settings_file.is_file():
        return "sv"  # the kit's default language
    return str(read_settings(str(settings_file)).get("DEFAULT_LANG") or "sv")


def _quiet_pelican_logging() -> None:
    """As `pelican --fatal warnings`: a warning fails the build."""
    import logging

    from pelican.log import init

    init(level=logging.WARNING, fatal="warnings", name="pelican")


@task(help={"content": "content folder (default content/)", "output": "default output/"})
def publish(c, content=str(CONTENT), output=str(OUTPUT)):
    """Build with publishconf.py; replace output/ only when the whole build succeeded."""
    code = _build_into("publishconf.py", output, content)
    if code == 0:
        _say(msg("Published into {folder}", folder=Path(output).resolve()))
    sys.exit(code)


def _slug(title: str) -> str:
    from pelican.utils import slugify

    return slugify(
        title,
        regex_subs=[
            (r"[^\w\s-]", ""),
            (r"(?u)\A\s*", ""),
            (r"(?u)\s*\Z", ""),
            (r"[-\s]+", "-"),
        ],
    )


def _new_markdown(folder: str, title: str, extra: str = "", draft: bool = True) -> Path:
    now = datetime.now()
    path = CONTENT / folder / f"{now:%Y-%m-%d}-{_slug(title)}.md"
    if path.exists():
        sys.exit(_text(msg("{path} already exists; choose another title.", path=path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    status = "Status: draft\n" if draft else ""
    hint = " Ta bort raden Status: draft när den ska publiceras." if draft else ""
    path.write_text(
        f"Title: {title}\nDate: {now:%Y-%m-%d %H:%M}\n{extra}{status}\n"
        f"Skriv texten här.{hint}\n",
        encoding="utf-8",
    )
    _say(msg("Created {path}", path=_shown(path)))
    return path


def msg(template: str, **values):
    """grasrot_core.messages.msg, imported when a notice is made (invoke starts fast)."""
    from grasrot_core.messages import msg as message

    return message(template, **values)


def _say(message) -> None:
    """A notice for the officer, in the site's language (grasrot_core/messages.py)."""
    print(_text(message))


def _text(message) -> str:
    from grasrot_core.messages import render

    return render(message, _site_language())


def _shown(path: Path) -> str:
    """A path as typed in the project folder (absolute when outside it)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


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
    """Start meeting minutes in content/minutes/: a plain draft git ignores; seal it."""
    access = f"Access: {level}\n" if level != "members" else ""
    path = _new_markdown("minutes", title, access, draft=False)
    relative = _shown(path)
    _say(
        msg(
            "  git ignores it (plain minutes never go into git). `make serve` shows "
            "it.\n  When the minutes are final, seal them and commit the sealed "
            "file:\n    invoke seal {path}\n    git add {path}.age",
            path=relative,
        )
    )


# --- Sealed files (members' area, docs/members.md) --------------------------------------


def _officer(action, *args, **kwargs):
    """Run an officer task; its messages end the task with exit code 1."""
    from grasrot_core.messages import message_of
    from grasrot_members import officer

    try:
        return action(*args, **kwargs)
    except officer.OfficerError as problem:
        _fail(message_of(problem))


def _fail(problem) -> NoReturn:
    """End the task with exit code 1 and 'Error: …' in the site's language."""
    sys.exit(_text(msg("Error: {problem}", problem=problem)))


def _site(content=None):
    from grasrot_members import officer

    return officer.load_site(ROOT, content)


def _allow_many_paths(task_name: str, options_with_values: tuple) -> None:
    """Invoke has no `PATH...` arguments: `invoke seal a.md b.md` is read as
    `invoke seal --paths a.md --paths b.md` (every word after the task that is
    not an option or an option's value is a path)."""
    from invoke.program import Program

    original = Program.parse_tasks
    if getattr(original, "_grasrot", False):
        return

    def parse_tasks(self):
        words, expanded, index = list(self.core.unparsed), [], 0
        while index < len(words):
            word = words[index]
            expanded.append(word)
            index += 1
            if word != task_name:
                continue
            while index < len(words):
                word = words[index]
                if word.startswith("-"):
                    expanded.append(word)
                    if word in options_with_values and index + 1 < len(words):
                        expanded.append(words[index + 1])
                        index += 1
                else:
                    expanded += ["--paths", word]
                index += 1
        self.core.unparsed = expanded
        return original(self)

    # Invoke offers no hook for this, so the method is replaced (once: marked).
    parse_tasks._grasrot = True  # type: ignore[attr-defined]
    Program.parse_tasks = parse_tasks  # type: ignore[method-assign]


_allow_many_paths("seal", ("--level", "-l", "--content", "-c"))
SEAL_EXAMPLE = "content/minutes/2026-03-12-styrelsemote.md"


@task(
    iterable=["paths"],
    help={
        "paths": "files to seal: invoke seal FILE [FILE ...]",
        "level": "access level (default: access: or the folder's)",
        "content": "content folder (default content/)",
    },
)
def seal(c, paths, level=None, content=None):
    """Seal files into PATH.age (age) and remove the plain files."""
    from grasrot_members import officer

    if not paths:
        sys.exit(
            _text(
                msg("Name the files to seal: invoke seal {example}", example=SEAL_EXAMPLE)
            )
        )
    site = _site(content)
    for path in paths:
        _officer(officer.seal_path, site, Path(path), level)
    _say(msg("Commit the .age files (git add …). Never commit the plain text."))


@task(
    help={
        "path": "a sealed file (.age)",
        "output": "where to write (default unsealed/…)",
        "content": "content folder (default content/)",
    }
)
def unseal(c, path, output=None, content=None):
    """Write a sealed file's plain text where git ignores it (unsealed/)."""
    from grasrot_members import officer

    _officer(officer.unseal_path, _site(content), Path(path), output)


@task(help={"path": "a sealed file (.age)", "content": "content folder (default content/)"})
def edit_sealed(c, path, content=None):
    """Edit a sealed file in $EDITOR (plain copy in memory), then seal it again."""
    from grasrot_members import officer

    _officer(officer.edit_sealed, _site(content), Path(path))


@task(
    help={
        "level": "the level (members, board)",
        "new_key": "also make a new key and seal the level's files again",
        "content": "content folder (default content/)",
    }
)
def rotate_password(c, level, new_key=False, content=None):
    """Seal a level's key with a new password (no file changes unless --new-key)."""
    from grasrot_members import officer

    site = _site(content)
    if level not in site.levels:
        _fail(officer.unknown_level(site, level))
    old = os.environ.get(site.variable(level)) or officer.ask(
        site, msg("Current password for {level}: ", level=level)
    )
    new = officer.ask(
        site, msg("New password for {level} (invoke new-password makes one): ", level=level)
    )
    if officer.ask(site, msg("Type the new one again: ")) != new:
        _fail(msg("the two new passwords differ; nothing was changed."))
    score, advice = officer.password_strength(new, site.settings)
    if score < 3:
        _fail(
            msg(
                "the new password is too easy to guess (zxcvbn {score} of 4, 3 needed). "
                "{advice} `invoke new-password` makes a good one.",
                score=score,
                advice=advice,
            )
        )
    resealed = _officer(officer.rotate_password, site, level, old, new, new_key)
    _say_rotated(site, level, resealed, new_key)


def _say_rotated(site, level: str, resealed: list, new_key: bool) -> None:
    if len(resealed) == 1:
        _say(
            msg(
                "Level {level} now opens with the new password; 1 file sealed again "
                "with a new key.",
                level=level,
            )
        )
    elif resealed:
        _say(
            msg(
                "Level {level} now opens with the new password; {count} files sealed "
                "again with a new key.",
                level=level,
                count=len(resealed),
            )
        )
    else:
        _say(msg("Level {level} now opens with the new password.", level=level))
    _say(
        msg(
            "Next: commit the keys folder, set {variable} to the new password (a "
            "repository secret in CI) and tell the {level} level's readers.",
            variable=site.variable(level),
            level=level,
        )
    )
    if not new_key and not resealed:
        _say(
            msg(
                "Someone who knew the old password and has a copy of the repository can "
                "still open the old key: after someone leaves, use --new-key."
            )
        )


@task(help={"words": "how many words (default 5)"})
def new_password(c, words=5):
    """Print a strong random passphrase (Swedish words)."""
    from grasrot_members import officer

    print(officer.new_password(int(words)))


@task
def install_hooks(c):
    """Install the git pre-commit hook that refuses plain protected files."""
    from grasrot_members import officer

    path = _officer(officer.install_hook, ROOT)
    _say(
        msg(
            "Installed {path}: a commit with plain minutes or `access:` files is refused.",
            path=path,
        )
    )


def _hook_hint() -> None:
    from grasrot_members import officer

    if (ROOT / ".git").exists() and not officer.hook_installed(ROOT):
        _say(
            msg(
                "Tip: `invoke install-hooks` installs a git hook that refuses to "
                "commit plain (unsealed) minutes. It is the first line of defence."
            )
        )


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
  #   # repeat: {{every: month, on: 15, pause: [{summer}]}}
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
    text = (
        text.rstrip("\n")
        + "\n"
        + EVENT_TEMPLATE.format(
            event_id=event_id,
            title=title,
            day=f"{today:%Y-%m-%d}",
            summer=f'{{from: "{today.year}-06-15", to: "{today.year}-08-15"}}',
        )
    )
    path.write_text(text, encoding="utf-8")
    _say(
        msg(
            "Added an event template at the end of {path}",
            path=path.relative_to(ROOT),
        )
    )


@task(help={"slug": "the newsletter's slug", "output": "folder for the files"})
def newsletter_email(c, slug, output="newsletter-email"):
    """Write the e-mail edition (HTML and plain text) of a newsletter."""
    from grasrot_feeds.email import write_email_edition

    sys.exit(write_email_edition(ROOT, slug, Path(output)))


@task(
    help={
        "sizes": "comma separated: tiny, branch, district, national",
        "repeat": "rounds; each figure is the best of them",
        "profile": "also profile one kit cold build per size (pyinstrument)",
    }
)
def bench(c, sizes="branch,district", repeat=1, profile=False):
    """Benchmark build speed and memory; prints one table (bench/README.md)."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--sizes",
        sizes,
        "--repeat",
        str(repeat),
    ]
    if profile:
        command.append("--profile")
    code = subprocess.run(command, cwd=ROOT).returncode
    # The preview: save -> the changed page served, against a cold build.
    serve_sizes = ",".join(s for s in sizes.split(",") if s in ("branch", "district"))
    if code == 0 and serve_sizes:
        code = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "serve_bench.py"),
                "--sizes",
                serve_sizes,
            ],
            cwd=ROOT,
        ).returncode
    sys.exit(code)


@task
def test(c):
    """Run the whole test suite (same as `make test`)."""
    sys.exit(subprocess.run(["make", "test"], cwd=ROOT).returncode)
