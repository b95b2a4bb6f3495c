"""Markdown reader that accepts both header styles and reports bad metadata by line.

Officers write Pelican's `Key: value` header by hand; web editors such as Decap
CMS write YAML front matter between `---` lines. Both give the same metadata.
Metadata problems (an impossible date, an unknown status, a missing title) are
not raised: they travel with the metadata under ERRORS_KEY, so they are
reported again on every build, even when Pelican serves the file from cache,
and the core plugin adds them to the build's error collector.
"""

from __future__ import annotations

import os
import re

from markdown import Markdown
from pelican.readers import MarkdownReader

from . import yamlload
from .errors import did_you_mean
from .markdown_html import markdown_renderer
from .messages import msg
from .textfile import UnreadableFile, decode, read_text
from .yamlload import scalar_text

ERRORS_KEY = "grasrot_errors"
LINES_KEY = "meta_lines"
HEADER_KEY = "grasrot_header"

# Any letters, not only ASCII: `Åtkomst: medlemmar` must be read as a (wrong)
# key and reported, not end the header and be published as body text.
_PELICAN_KEY = re.compile(r"^(\w[\w -]*):[ \t]?(.*)$")
_BODY_KEY_LIMIT = 40
_CONTINUATION = re.compile(r"^(?: {4,}|\t)(.*)$")
_FENCE_OPEN = "---"
_FENCE_CLOSE = ("---", "...")

STATUSES = ("published", "draft", "hidden")
DATE_KEYS = ("date", "modified")
LINE_BREAK_FOLDERS = ("newsletters",)
DATE_HINT = msg("write it as 2026-03-15 or 2026-03-15 18:30")


class GrasrotMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with YAML front matter and precise errors."""

    def read(self, source_path):
        return self.read_bytes(source_path, None)

    def read_bytes(self, source_path, data: bytes | None):
        """read() of a file, or of its bytes already in memory (a sealed file,
        whose plain text never reaches a disk)."""
        self._source_path = source_path
        try:
            text = read_text(source_path) if data is None else decode(data)
            unreadable = []
        except UnreadableFile as exc:  # reported with the other errors, not raised
            text, unreadable = "", [(exc.line, exc.col, exc.message)]
        header, body, body_start, errors = split_header(text)
        errors[:0] = unreadable
        self._md = self._fresh_markdown()
        content = self._md.convert(body)
        metadata = self._process(header, errors)
        if errors:
            metadata[ERRORS_KEY] = errors
        metadata[HEADER_KEY] = header_record(header, text, body_start)
        return content, metadata

    def _fresh_markdown(self) -> Markdown:
        """This reader's one Markdown instance, reset for the next file.

        Building a Markdown object loads and registers every extension: a
        fifth of the time spent reading a post (bench/README.md). reset()
        clears all per-document state, as Python-Markdown documents.
        """
        line_breaks = self._keeps_line_breaks()
        attribute = "_reused_md_nl2br" if line_breaks else "_reused_md"
        markdown = getattr(self, attribute, None)
        if markdown is None:
            markdown = markdown_renderer(self.settings, line_breaks)
            setattr(self, attribute, markdown)
        else:
            markdown.reset()
        return markdown

    def _keeps_line_breaks(self) -> bool:
        """Newsletters write DATUM:/TID:/PLATS: one under another and mean it:
        in the folders of MARKDOWN_LINE_BREAKS a new line stays a new line."""
        folders = self.settings.get("MARKDOWN_LINE_BREAKS", LINE_BREAK_FOLDERS)
        relative = os.path.relpath(
            os.path.abspath(self._source_path), os.path.abspath(self.settings["PATH"])
        )
        return relative.split(os.sep, 1)[0] in folders

    def _process(self, header: list, errors: list) -> dict:
        formatted = {f.lower() for f in self.settings["FORMATTED_FIELDS"]}
        list_fields = {f.lower() for f in self.settings.get("GRASROT_LIST_METADATA", ())}
        metadata, lines = {}, {}
        for key, value, line, col in header:
            name = key.lower().strip()
            lines[name] = line
            try:
                metadata[name] = self._value(name, value, formatted, list_fields)
            except Exception as exc:  # Pelican's processors raise many types
                errors.append((line, col, _metadata_message(name, value, exc)))
                continue
            problem = _check_value(name, metadata[name])
            if problem:
                errors.append((line, col, problem))
        self._stand_in_for_broken(metadata, errors)
        metadata[LINES_KEY] = lines
        return metadata

    def _stand_in_for_broken(self, metadata: dict, errors: list) -> None:
        """Fill broken fields with harmless values so Pelican does not abort.

        The build still fails at the gate with our precise errors; without the
        stand-ins Pelican would stop at the first file with its own vaguer
        message and the officer would see one error per run.
        """
        if "title" not in metadata and not self.settings.get("GRASROT_TITLE_OPTIONAL"):
            if not errors:
                errors.append(
                    (
                        1,
                        1,
                        msg(
                            "missing title: add a first line 'Title: …' "
                            "(or 'title: …' in the front matter)"
                        ),
                    )
                )
            metadata["title"] = os.path.basename(self._source_path)
        if errors:
            metadata["status"] = "draft"  # never published, whatever happens
            for name in DATE_KEYS:
                if name in metadata or name == "modified":
                    continue
                metadata[name] = self.process_metadata(name, "1970-01-01")

    def _value(self, name, value, formatted, list_fields):
        if name in list_fields:
            return as_list(value)
        text = (
            ", ".join(map(str, value))
            if isinstance(value, list)
            else scalar_text(value, strip=False)
        )
        if name in DATE_KEYS:
            text = swedish_clock(text)
        if name in formatted:
            self._md.reset()
            return self.process_metadata(name, self._md.convert(text))
        return self.process_metadata(name, text)


# '2026-11-02 18.00', '2026-11-02 kl. 18', '2026-11-02 kl 18.30': times as Swedish
# officers write them, which Pelican's date parser refuses.
SWEDISH_CLOCK = re.compile(
    r"^(?P<day>\d{4}-\d{1,2}-\d{1,2})(?:T|\s+)(?:kl\.?\s*)?(?P<hour>\d{1,2})"
    r"(?:[:.](?P<minute>\d{2}))?$",
    re.IGNORECASE,
)


def swedish_clock(text: str) -> str:
    """'2026-11-02 kl. 18' -> '2026-11-02 18:00'; anything else as it is."""
    match = SWEDISH_CLOCK.match(text.strip())
    if not match:
        return text
    return (
        f"{match.group('day')} {int(match.group('hour')):02d}:"
        f"{match.group('minute') or '00'}"
    )


GROUPS_KEY = "groups"


def named_groups(content) -> list[str]:
    """The group slugs in a post's or page's `groups:` header, as a list."""
    return as_list((getattr(content, "metadata", None) or {}).get(GROUPS_KEY) or [])


def as_list(value) -> list[str]:
    """'a, b' or a YAML list -> ['a', 'b']."""
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _check_value(name, value):
    if name == "status" and str(value) not in STATUSES:
        return msg(
            "unknown status '{value}': use one of {choices}.{hint}",
            value=value,
            choices=", ".join(STATUSES),
            hint=did_you_mean(str(value), STATUSES),
        )
    return None


def _metadata_message(name, value, exc) -> str:
    if name in DATE_KEYS:
        return msg(
            "'{name}: {value}' is not a valid date: {hint}",
            name=name,
            value=value,
            hint=DATE_HINT,
        )
    return msg(
        "could not read '{name}: {value}': {error}", name=name, value=value, error=exc
    )


def header_record(fields, text: str, body_start: int) -> dict:
    """What metadata_keys.header_problems checks, kept with the metadata (and so
    in Pelican's cache): the keys as written, the header's last line, and the
    lines of the body's first paragraph that look like `Key: value`."""
    lines = text.splitlines()
    ended_at = body_start - 1
    while ended_at > 1 and not lines[ended_at - 1].strip():
        ended_at -= 1
    return {
        "fields": [
            (
                key,
                ", ".join(map(str, value))
                if isinstance(value, list)
                else scalar_text(value, strip=False),
                line,
                col,
            )
            for key, value, line, col in fields
        ],
        "ended_at": max(ended_at, 1),
        "body_keys": first_paragraph_keys(lines[body_start - 1 :], body_start),
    }


def first_paragraph_keys(lines: list[str], body_start: int) -> list[tuple[str, str, int]]:
    """(key, value, line) of first-paragraph lines shaped like a header line."""
    found: list[tuple[str, str, int]] = []
    started = False
    for offset, line in enumerate(lines):
        if not line.strip():
            if started:
                break
            continue
        started = True
        match = _PELICAN_KEY.match(line)
        if match and len(found) < _BODY_KEY_LIMIT:
            found.append((match.group(1), match.group(2).strip(), body_start + offset))
    return found


def split_header(text: str):
    """Split a Markdown file into header fields and body.

    Returns (fields, body, body_start_line, errors); fields are
    (key, value, line, col) with 1-based positions.
    """
    lines = text.splitlines(keepends=True)
    if lines and lines[0].rstrip() == _FENCE_OPEN:
        return _split_front_matter(lines)
    return _split_pelican_header(lines)


def _split_front_matter(lines):
    errors: list[tuple[int, int, str]] = []
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _FENCE_CLOSE:
            break
    else:
        return (
            [],
            "".join(lines),
            1,
            [
                (
                    1,
                    1,
                    msg(
                        "front matter starts with '---' but never ends: "
                        "add a line '---' after the last field"
                    ),
                )
            ],
        )
    body = "".join(lines[index + 1 :])
    try:
        data = yamlload.load("".join(lines[1:index]))
    except yamlload.YamlSyntaxError as exc:
        return [], body, index + 2, [(exc.line + 1, exc.col, exc.message)]
    if data is None:
        return [], body, index + 2, errors
    if not isinstance(data, yamlload.YamlMap):
        return [], body, index + 2, [(2, 1, msg("front matter must be 'key: value' lines"))]
    fields: list[tuple[str, object, int, int]] = []
    for key, value in data.items():
        line, col = data.key_pos[key]
        fields.append((str(key), value, line + 1, col))
    return fields, body, index + 2, errors


def _split_pelican_header(lines):
    fields: list[tuple[str, object, int, int]] = []
    index = 0
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            index += 1
            break
        continuation = _CONTINUATION.match(stripped)
        if continuation and fields:
            key, value, at, col = fields[-1]
            fields[-1] = (key, f"{value}\n{continuation.group(1)}", at, col)
            continue
        match = _PELICAN_KEY.match(stripped)
        if not match:
            break
        fields.append((match.group(1), match.group(2).strip(), index + 1, 1))
    else:
        index = len(lines)
    return fields, "".join(lines[index:]), index + 1, []
