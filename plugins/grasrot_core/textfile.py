"""Content files as text, or a precise content error saying why they are not.

Officers save files with Notepad, old Word exports and phones: a Windows-1252
file, a stray NUL byte or a picture renamed to .md must become one error at
file:line:col (collected with the rest), never a traceback. A UTF-8 BOM and
CRLF line endings are accepted everywhere.
"""

from __future__ import annotations

import codecs

from .messages import msg

_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


class UnreadableFile(Exception):
    """The file is not UTF-8 text; line and col are 1-based (of the first bad byte)."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def read_text(path: str) -> str:
    """The file's text with `\\n` line ends; raises UnreadableFile."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UnreadableFile(
            1, 1, msg("the file cannot be read ({reason})", reason=exc.strerror)
        ) from None
    return decode(data)


def decode(data: bytes) -> str:
    """UTF-8 bytes (with or without a BOM) as text with `\\n` line ends."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            raise UnreadableFile(
                line,
                col,
                msg(
                    "the file ends in the middle of a character "
                    "(it was cut short); save it again as UTF-8"
                ),
            ) from None
        raise UnreadableFile(
            line,
            col,
            msg(
                "the file is not UTF-8 (it looks like {kind}); save it as UTF-8",
                kind=_guess(data),
            ),
        ) from None
    if "\x00" in text:
        line, col = _position(data, data.index(b"\x00"))
        raise UnreadableFile(
            line,
            col,
            msg(
                "the file holds a NUL byte, so it is not a text file; save it as UTF-8 text"
            ),
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def _guess(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return msg("a binary file, not text")
    if any(ch < " " and ch not in _TEXT_CONTROLS for ch in text):
        return msg("a binary file, not text")
    return "Windows-1252"
