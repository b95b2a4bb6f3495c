"""The officer's tasks on sealed files (tasks.py: seal, unseal, edit-sealed,
rotate-password, new-password, install-hooks). See docs/members.md.

Plain text exists only where the officer put it (a draft git ignores), in
memory, in `unsealed/` (git ignores it) or, while `invoke edit-sealed` runs,
in a temporary file in /dev/shm (memory) that is overwritten and removed.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import grasrot_core
from grasrot_core.messages import Message, msg, one_of, render
from grasrot_core.reader import split_header

from . import levels, plain, sealing

UNSEALED = "unsealed"
WORDS = 5
HOOK_MARK = "grasrot-members-hook"


class OfficerError(Exception):
    """A message for the officer (a Message): the task prints it in the site's
    language and exits with 1."""


@dataclass
class Site:
    root: Path
    settings: dict

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"]).resolve()

    @property
    def keys(self) -> str:
        return sealing.keys_folder(self.settings)

    @property
    def levels(self) -> list[str]:
        return list(levels.configured_levels(self.settings))

    def variable(self, level: str) -> str:
        return levels.configured_levels(self.settings)[level]

    @property
    def language(self) -> str:
        return str(self.settings.get("DEFAULT_LANG") or "sv")

    def say(self, message: Message) -> None:
        """A line for the officer, in the site's language."""
        print(render(message, self.language))


def load_site(
    root: Path, content: str | None = None, settings_file: str = "pelicanconf.py"
) -> Site:
    from pelican.settings import read_settings

    override = {"PATH": str(Path(content).resolve())} if content else {}
    settings = read_settings(str(root / settings_file), override=override)
    return Site(root=root.resolve(), settings=settings)


# --- levels -------------------------------------------------------------------------


def level_of(site: Site, path: Path, data: bytes, forced: str | None = None) -> str:
    """--level, else the `access:` header, else the folder's default; or refuse."""
    if forced:
        if forced not in site.levels:
            raise OfficerError(unknown_level(site, forced))
        return forced
    written = header_access(path, data)
    if written:
        if written in site.levels:
            return written
        raise OfficerError(
            msg(
                "{path}: unknown access level '{written}': use {choices}.{hint}",
                path=path,
                written=written,
                choices=one_of(site.levels),
                hint=level_hint(site, written),
            )
        )
    if in_protected_folder(site, path):
        return levels.default_level(site.settings)
    raise OfficerError(
        msg(
            "{path}: cannot tell its level (no `access:` line, not in a protected "
            "folder such as content/minutes/). Add `access: {level}` to its header, "
            "or give --level ({levels}).",
            path=path,
            level=site.levels[0],
            levels=", ".join(site.levels),
        )
    )


def unknown_level(site: Site, level: str) -> Message:
    return msg(
        "unknown level '{level}': use {choices}.{hint}",
        level=level,
        choices=one_of(site.levels),
        hint=level_hint(site, level),
    )


def level_hint(site: Site, word: str):
    """' Did you mean 'board'?' for 'styrelse' (the Swedish name) or a typo."""
    swedish = levels.SWEDISH_LEVEL_NAMES.get(word.lower())
    if swedish in site.levels:
        return msg(" Did you mean '{word}'?", word=swedish)
    return grasrot_core.did_you_mean(word, site.levels)


def header_access(path: Path, data: bytes) -> str:
    if not str(sealing.plain_name(str(path))).lower().endswith(sealing.MARKDOWN_SUFFIXES):
        return ""
    fields, _body, _start, _errors = split_header(data.decode("utf-8-sig", "replace"))
    for key, value, _line, _col in fields:
        if key.strip().lower() == levels.ACCESS_KEY:
            return str(value or "").strip()
    return ""


def in_protected_folder(site: Site, path: Path) -> bool:
    path = original_path(site, path)
    try:
        parts = path.resolve().relative_to(site.content).parts
    except ValueError:
        parts = path.resolve().parent.parts
        return any(part in levels.PROTECTED_SECTIONS for part in parts)
    return len(parts) > 1 and parts[0] in levels.PROTECTED_SECTIONS


def original_path(site: Site, path: Path) -> Path:
    """unsealed/content/minutes/x.md -> content/minutes/x.md (where it came from)."""
    path = Path(path).resolve()
    try:
        return site.root / path.relative_to(site.root / UNSEALED)
    except ValueError:
        return path


# --- passwords ----------------------------------------------------------------------


def password_for(site: Site, level: str, confirm: bool = False) -> str:
    variable = site.variable(level)
    found = os.environ.get(variable, "")
    if found:
        return found
    if not sys.stdin.isatty():
        raise OfficerError(
            msg(
                "set {variable} (the password of level '{level}') in the environment, "
                "or run this in a terminal to type it.",
                variable=variable,
                level=level,
            )
        )
    typed = ask(
        site,
        msg("Password for level {level} ({variable}): ", level=level, variable=variable),
    )
    if confirm and ask(site, msg("Type it again: ")) != typed:
        raise OfficerError(msg("the two passwords differ; nothing was changed."))
    if not typed:
        raise OfficerError(msg("no password for level '{level}'.", level=level))
    return typed


def ask(site: Site, prompt: Message) -> str:
    """A password typed in the terminal (not shown), asked in the site's language."""
    return getpass.getpass(render(prompt, site.language))


def ensure_keys(site: Site, level: str) -> None:
    """A level's keys, made on its first sealed file (with its password)."""
    if sealing.read_recipient(site.keys, level) is not None:
        sealing.ensure_salt(site.keys)
        return
    site.say(
        msg(
            "Level '{level}' has no keys yet: making them in {keys}, sealed with the "
            "level's password ({variable}).",
            level=level,
            keys=display(site.keys),
            variable=site.variable(level),
        )
    )
    sealing.make_level_keys(site.keys, level, password_for(site, level, confirm=True))


def display(path) -> str:
    return plain.command_path(str(path))


# --- seal, unseal, edit ---------------------------------------------------------------


def seal_path(site: Site, path: Path, forced: str | None = None) -> Path:
    path = Path(path)
    if sealing.is_sealed(str(path)):
        raise OfficerError(msg("{path} is sealed already.", path=path))
    if not path.is_file():
        raise OfficerError(msg("{path}: no such file.", path=path))
    data = path.read_bytes()
    level = level_of(site, path, data, forced)
    ensure_keys(site, level)
    target = Path(str(original_path(site, path)) + sealing.SUFFIX)
    recipients = sealing.recipients_for(level, site.levels, site.keys)
    sealing.write_bytes(str(target), sealing.seal_bytes(data, recipients))
    was_tracked = str(path.resolve()) in plain.tracked_files(str(path.resolve().parent))
    path.unlink()
    opens = site.levels[site.levels.index(level) :]
    site.say(
        msg(
            "Sealed {path} -> {target} (level {level}; opens with the password of "
            "{levels}).",
            path=display(path),
            target=display(target),
            level=level,
            levels=", ".join(opens),
        )
    )
    if was_tracked:
        site.say(
            msg(
                "  {path} was in git: commit its removal too. Its plain text stays in "
                "git's history until you rewrite it (docs/members.md).",
                path=display(path),
            )
        )
    return target


def open_sealed(site: Site, path: Path) -> tuple[bytes, str]:
    """The plain bytes and the level whose key opened them (lowest first)."""
    path = Path(path)
    if not path.is_file():
        raise OfficerError(msg("{path}: no such file.", path=path))
    data = path.read_bytes()
    tried: list[Message] = []
    for level in site.levels:
        if sealing.read_recipient(site.keys, level) is None:
            continue
        if not os.environ.get(site.variable(level)) and not sys.stdin.isatty():
            tried.append(msg("{variable} not set", variable=site.variable(level)))
            continue
        try:
            identity = sealing.open_identity(site.keys, level, password_for(site, level))
        except sealing.WrongPassword:
            tried.append(msg("wrong password for {level}", level=level))
            continue
        found = sealing.open_bytes(data, [identity] if identity else [])
        if found is not None:
            return found, level
        tried.append(msg("not sealed for {level}", level=level))
    raise OfficerError(
        msg(
            "{path}: could not open it ({reasons}).",
            path=path,
            reasons=listed(tried) if tried else msg("no level keys"),
        )
    )


def listed(reasons: list[Message]) -> Message:
    """'a; b; c', each part rendered in the language the whole is shown in."""
    joined = reasons[0]
    for reason in reasons[1:]:
        joined = msg("{earlier}; {later}", earlier=joined, later=reason)
    return joined


def unseal_path(site: Site, path: Path, output: str | None = None) -> Path:
    data, level = open_sealed(site, path)
    target = Path(output) if output else default_unsealed(site, Path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.chmod(target, 0o600)
    site.say(
        msg(
            "Opened {path} (level {level}) -> {target}",
            path=display(path),
            level=level,
            target=display(target),
        )
    )
    if not output:
        site.say(
            msg(
                "  git ignores {folder}/. Delete the file when you are done; to change "
                "the sealed file use `invoke edit-sealed {path}`.",
                folder=UNSEALED,
                path=display(path),
            )
        )
    return target


def default_unsealed(site: Site, path: Path) -> Path:
    plain_path = Path(sealing.plain_name(str(path.resolve())))
    try:
        return site.root / UNSEALED / plain_path.relative_to(site.root)
    except ValueError:
        return site.root / UNSEALED / plain_path.name


def temporary_folder() -> str | None:
    """/dev/shm is memory: the plain copy never reaches a disk there."""
    return (
        "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    )


def edit_sealed(site: Site, path: Path, editor: str | None = None) -> bool:
    """$EDITOR on a temporary plain copy; sealed again if changed. True if changed."""
    path = Path(path)
    data, _level = open_sealed(site, path)
    suffix = Path(sealing.plain_name(path.name)).suffix
    handle, temporary = tempfile.mkstemp(
        prefix="grasrot-", suffix=suffix, dir=temporary_folder()
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        command = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "nano"
        result = subprocess.run([*shlex.split(command), temporary], check=False)
        if result.returncode != 0:
            raise OfficerError(
                msg(
                    "the editor exited with {code}; nothing sealed.",
                    code=result.returncode,
                )
            )
        edited = Path(temporary).read_bytes()
        if edited == data:
            site.say(msg("No change: {path} was left as it was.", path=display(path)))
            return False
        level = level_of(site, Path(sealing.plain_name(str(path))), edited)
        recipients = sealing.recipients_for(level, site.levels, site.keys)
        sealing.write_bytes(str(path), sealing.seal_bytes(edited, recipients))
        site.say(
            msg("Sealed again: {path} (level {level}).", path=display(path), level=level)
        )
        return True
    finally:
        wipe(temporary)


def wipe(path: str) -> None:
    """Overwrite, then remove (best effort: a file system may keep old blocks;
    /dev/shm is memory and never reaches a disk)."""
    try:
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        pass
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


# --- passwords and keys -------------------------------------------------------------


def rotate_password(
    site: Site,
    level: str,
    old: str,
    new: str,
    new_key: bool = False,
) -> list[Path]:
    """Seal the level's key with a new password. With a new key (or when the old
    password was the public development password), every file sealed for the
    level is sealed again; returns those files."""
    if level not in site.levels:
        raise OfficerError(unknown_level(site, level))
    try:
        identity = sealing.open_identity(site.keys, level, old)
    except sealing.WrongPassword:
        key = display(sealing.identity_path(site.keys, level))
        raise OfficerError(msg("the old password does not open {key}.", key=key)) from None
    if identity is None:
        raise OfficerError(
            msg("level '{level}' has no keys yet: `invoke seal` makes them.", level=level)
        )
    dev = site.settings.get("MEMBERS_DEV_PASSWORD")
    if dev and old == dev and not new_key:
        site.say(
            msg(
                "The old password is the public development password: anyone can open "
                "the old key, so the level gets a new key and its files are sealed again."
            )
        )
        new_key = True
    if not new_key:
        sealing.write_level_keys(site.keys, level, identity, new)
        return []
    from pyrage import x25519

    fresh = x25519.Identity.generate()
    opened = []
    for path in sealed_files(site):
        data = sealing.open_bytes(path.read_bytes(), [identity])
        if data is not None:
            opened.append((path, data))
    sealing.write_level_keys(site.keys, level, fresh, new)
    for path, data in opened:
        file_level = reseal_level(site, path, data, level)
        recipients = sealing.recipients_for(file_level, site.levels, site.keys)
        sealing.write_bytes(str(path), sealing.seal_bytes(data, recipients))
    return [path for path, _ in opened]


def reseal_level(site: Site, path: Path, data: bytes, fallback: str) -> str:
    try:
        return level_of(site, Path(sealing.plain_name(str(path))), data)
    except OfficerError:
        return fallback


def sealed_files(site: Site) -> list[Path]:
    keys = Path(site.keys).resolve()
    return sorted(
        p
        for p in site.content.rglob("*" + sealing.SUFFIX)
        if p.is_file() and keys not in p.resolve().parents
    )


def new_password(words: int = WORDS) -> str:
    """Random Swedish words (xkcdpass's list, plain a-z: easy on any keyboard)."""
    from xkcdpass import xkcd_password

    wordlist = xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile("swe-short"),
        min_length=4,
        max_length=9,
        valid_chars="[a-z]",
    )
    return "-".join(secrets.choice(wordlist) for _ in range(words))


def password_strength(password: str, settings) -> tuple[int, Message | str]:
    return levels.password_strength(password, settings)


# --- the pre-commit hook --------------------------------------------------------------

HOOK = f"""#!/bin/sh
# {HOOK_MARK}: refuses plain protected files (`invoke install-hooks`, docs/members.md).
root=$(git rev-parse --show-toplevel) || exit 1
python="$root/.venv/bin/python"
[ -x "$python" ] || python=python3
exec "$python" "$root/plugins/grasrot_members/hook.py"
"""


def hook_path(root: Path) -> Path:
    found = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--git-path", "hooks/pre-commit"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        raise OfficerError(msg("{root} is not a git repository.", root=root))
    path = Path(found.stdout.strip())
    return path if path.is_absolute() else root / path


def hook_installed(root: Path) -> bool:
    try:
        path = hook_path(root)
    except OfficerError:
        return False
    return path.is_file() and HOOK_MARK in path.read_text(
        encoding="utf-8", errors="replace"
    )


def install_hook(root: Path) -> Path:
    path = hook_path(root)
    if path.exists() and HOOK_MARK not in path.read_text(
        encoding="utf-8", errors="replace"
    ):
        raise OfficerError(
            msg(
                "{path} exists and is not Gräsrot's: add this line to it:\n"
                "  python3 plugins/grasrot_members/hook.py || exit 1",
                path=path,
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HOOK, encoding="utf-8")
    path.chmod(0o755)
    return path
