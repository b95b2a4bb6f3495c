"""Plain protected files: refused when git tracks them, and always when publishing.

A protected file (anything in content/minutes/, an item with `access:`, an
attachment of one) belongs in git only sealed (`*.age`, see sealing.py): a
public repository, every fork and every clone would show it otherwise.

- tracked by git, in any build or `invoke check`: an error at file:line with
  the `invoke seal` command to run;
- not tracked (a draft from `invoke new-minutes`, the working copy of a
  pull request's author): a local preview builds it, encrypted like the rest,
  with one notice; publishconf.py refuses it like a tracked one.
"""

from __future__ import annotations

import os
import subprocess

import grasrot_core
from grasrot_core.messages import msg, notice

from . import levels, sealing


def tracked_files(folder: str) -> set[str]:
    """Absolute paths git tracks under `folder` (empty outside a repository)."""
    try:
        result = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--cached"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode != 0:
        return set()
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {os.path.abspath(os.path.join(folder, name)) for name in names if name}


def command_path(path: str) -> str:
    """The path as the officer types it in the project folder."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return os.path.relpath(absolute, here)
    return absolute


def plain_files(state, settings) -> dict[str, tuple[int, str]]:
    """Plain protected files: absolute path -> (line, why it is protected)."""
    found: dict[str, tuple[int, str]] = {}
    for entry in state.protected:
        path = os.path.abspath(entry.item.source_path)
        if sealing.is_sealed(path):
            continue
        access = levels.declared_access(entry.item)
        if access:
            line = grasrot_core.meta_line(entry.item, levels.ACCESS_KEY)
            found[path] = (line, msg("its header says `access: {access}`", access=access))
        else:
            found[path] = (1, msg("everything in a protected folder is"))
    for attachment in state.attachments.values():
        if not attachment.sealed:
            found.setdefault(
                os.path.abspath(attachment.source), (1, msg("a protected item links to it"))
            )
    for path in _files_in_protected_folders(settings):
        found.setdefault(path, (1, msg("everything in a protected folder is")))
    return found


def _files_in_protected_folders(settings) -> list[str]:
    content = os.path.abspath(settings["PATH"])
    found = []
    for section in levels.PROTECTED_SECTIONS:
        for folder, dirs, files in os.walk(os.path.join(content, section)):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [
                os.path.join(folder, name)
                for name in files
                if not name.startswith(".") and not sealing.is_sealed(name)
            ]
    return found


def report(state, settings) -> None:
    found = plain_files(state, settings)
    _check_sealed_attachments(state, settings)
    if not found:
        return
    publishing = bool(settings.get("GRASROT_PUBLISHING"))
    tracked = tracked_files(os.path.abspath(settings["PATH"]))
    errors = grasrot_core.collector(settings)
    drafts = []
    for path, (line, why) in sorted(found.items()):
        command = f"invoke seal {command_path(path)}"
        if path in tracked:
            errors.add(
                path,
                line,
                1,
                msg(
                    "this file is protected ({why}) but git holds it as plain text, "
                    "which anyone with the repository can read. Seal it: `{command}`, "
                    "then commit the .age file (the plain text stays in git's history: "
                    "see docs/members.md).",
                    why=why,
                    command=command,
                ),
            )
        elif publishing:
            errors.add(
                path,
                line,
                1,
                msg(
                    "this file is protected ({why}) but not sealed, and publishconf.py "
                    "builds only sealed files. Seal it: `{command}`.",
                    why=why,
                    command=command,
                ),
            )
        else:
            drafts.append(command_path(path))
    if drafts:
        command = "invoke seal " + " ".join(drafts)
        if len(drafts) == 1:
            note = msg(
                "note: 1 protected file is not sealed yet (git does not track it): "
                "this preview shows it, encrypted like the rest. Seal before you "
                "commit: {command}",
                command=command,
            )
        else:
            note = msg(
                "note: {count} protected files are not sealed yet (git does not track "
                "them): this preview shows them, encrypted like the rest. Seal before "
                "you commit: {command}",
                count=len(drafts),
                command=command,
            )
        notice(note, settings)


def _check_sealed_attachments(state, settings) -> None:
    """A sealed attachment must open before anything is written."""
    from .generator import attachment_bytes

    errors = grasrot_core.collector(settings)
    for attachment in state.attachments.values():
        if attachment.sealed and attachment_bytes(attachment, settings) is None:
            errors.add(
                attachment.source,
                1,
                1,
                msg(
                    "a protected item links to this sealed file, and none of the keys "
                    "this build opened opens it: seal it with the item's level "
                    "(`invoke seal --level {level} ...`).",
                    level=attachment.level,
                ),
            )
