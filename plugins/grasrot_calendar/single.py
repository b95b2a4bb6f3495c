"""One event per file: `content/calendar/<group>/<id>.yaml`.

Beside the hand-written `<group>.yaml` lists, a group's folder may hold one
file per event. The web editor writes these (it drops YAML comments, so it
never rewrites a hand-written list). The folder names the group (or the
branch, CALENDAR_BRANCH_SLUG) and the file name is the event's id; the file
holds the same keys as one `- id: …` block of a list.
"""

from __future__ import annotations

import os
from glob import glob

from pelican.utils import slugify

from grasrot_core.messages import msg
from grasrot_core.textfile import UnreadableFile, read_text
from grasrot_core.yamlload import YamlMap, YamlSyntaxError, load

from .model import Event
from .values import ID_PATTERN, text


def single_event_files(content_path: str, folder: str) -> list[str]:
    """Every `<group>/<id>.yaml` (or .yml) under the calendar folder."""
    root = os.path.join(content_path, folder)
    return sorted(
        glob(os.path.join(root, "*", "*.yaml")) + glob(os.path.join(root, "*", "*.yml"))
    )


def read_single_event(path: str, config, file_class, reader_class) -> list[Event]:
    """The event in one single-event file (a list of one, or none with problems)."""
    file = file_class(path, config)
    try:
        data = load(read_text(path))
    except (UnreadableFile, YamlSyntaxError) as exc:
        file.problem((exc.line, exc.col), exc.message)
        return []
    if data is None:
        return []
    if not isinstance(data, YamlMap):
        file.problem(
            (1, 1),
            msg(
                "an event file holds one event as 'key: value' lines, "
                "starting with 'title: …' and 'start: …'."
            ),
        )
        return []
    owner = _owner(file, path)
    if not _use_file_name_as_id(file, data, path, config):
        return []
    event = reader_class(file, data, owner).read()
    return [event] if event is not None else []


def _owner(file, path: str) -> str:
    """The group (or branch) named by the folder; reported if unknown."""
    folder = os.path.basename(os.path.dirname(path))
    return file.owner_named(
        folder, (1, 1), msg("the folder name ({folder}/)", folder=folder)
    )


def _use_file_name_as_id(file, data: YamlMap, path: str, config) -> bool:
    """The file name is the id; an `id:` inside must agree with it."""
    stem = os.path.splitext(os.path.basename(path))[0]
    if not ID_PATTERN.match(stem):
        suggestion = slugify(stem, regex_subs=config.slug_substitutions)
        file.problem(
            (1, 1),
            msg(
                "the file name '{stem}' is the event's id and may only use "
                "a-z, 0-9 and '-': rename the file to '{suggestion}.yaml'.",
                stem=stem,
                suggestion=suggestion,
            ),
        )
        return False
    if "id" in data and text(data["id"]) != stem:
        file.problem(
            data.pos("id"),
            msg(
                "'id: {id}' differs from the file name: remove 'id:' "
                "(the file name '{stem}' is the id) or rename the file.",
                id=text(data["id"]),
                stem=stem,
            ),
        )
        return False
    if "id" not in data:
        data["id"] = stem
        data.value_pos["id"] = (data.line, data.col)
    return True
