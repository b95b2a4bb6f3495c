"""Content errors: collected over a whole build, reported together, fail closed.

Communications officers fix content from the error list, so every error names
the file, line and column, and says what to write instead. Plugins never raise
on the first problem; they add it to the build's collector, and the build stops
at the gate (before anything is written) if the collector is not empty.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass

from .messages import language_code, msg, render


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    col: int
    message: str  # often a Message: English text that renders in other languages

    def display_path(self) -> str:
        """Relative to the working directory when inside it (as GitHub wants)."""
        absolute = os.path.abspath(self.path)
        cwd = os.getcwd()
        if absolute.startswith(cwd + os.sep):
            return os.path.relpath(absolute, cwd)
        return absolute

    def text(self, language: str = "en") -> str:
        """The message alone, in `language`."""
        return render(self.message, language)

    def render(self, language: str = "en") -> str:
        """`file:line:col: message` in `language` (the terminal, the preview)."""
        return f"{self.display_path()}:{self.line}:{self.col}: {self.text(language)}"

    def __str__(self) -> str:
        return self.render("en")

    def github_annotation(self, language: str = "en") -> str:
        message = self.text(language).replace("%", "%25").replace("\r", "%0D")
        message = message.replace("\n", "%0A")
        return (
            f"::error file={self.display_path()},line={self.line},col={self.col}::{message}"
        )


class ContentErrorsFound(Exception):
    """The build found content errors; they were printed before this was raised."""

    exitcode = 1

    def __init__(self, errors: list[ContentError], language: str = "en"):
        self.errors = errors
        self.language = language_code(language)
        super().__init__(summary(len(errors), language))

    def lines(self) -> list[str]:
        """Each error as `file:line:col: message` in the build's language."""
        return [error.render(self.language) for error in self.errors]


class SettingsError(ValueError):
    """A setting the kit cannot use (pelicanconf.py, publishconf.py), found when
    Pelican starts or a generator first reads it, before anything is written. The
    message names the setting and what to write instead; core prints it as one
    line in the site's language, without Pelican's traceback."""

    exitcode = 1

    def __init__(self, message, settings=None):
        self.message = message
        self.language = language_code((settings or {}).get("DEFAULT_LANG"))
        super().__init__(str(message))

    def line(self) -> str:
        return render(self.message, self.language)


def summary(count: int, language: str) -> str:
    """The line after the list of errors, in the site's language."""
    if str(language).startswith("sv"):
        return (
            f"{count} fel i innehållet (se ovan); inget skrevs. Rätta felen och bygg igen."
        )
    noun = "error" if count == 1 else "errors"
    return (
        f"{count} content {noun} (listed above); nothing was written. "
        "Fix them and build again."
    )


class ErrorCollector:
    """All content errors of one build, in a stable order, without duplicates."""

    def __init__(self):
        self._errors: set[ContentError] = set()

    def add(self, path, line, col, message) -> None:
        self._errors.add(ContentError(str(path), int(line or 1), int(col or 1), message))

    def __bool__(self) -> bool:
        return bool(self._errors)

    def __len__(self) -> int:
        return len(self._errors)

    def sorted(self) -> list[ContentError]:
        return sorted(self._errors)

    def print_all(self, stream=None, language: str = "en") -> None:
        stream = stream or sys.stderr
        language = language_code(language)
        for error in self.sorted():
            print(error.render(language), file=stream)
        if os.environ.get("GITHUB_ACTIONS"):
            for error in self.sorted():
                print(error.github_annotation(language), file=stream)
        stream.flush()

    def raise_if_any(self, language: str = "en") -> None:
        if self._errors:
            self.print_all(language=language)
            raise ContentErrorsFound(self.sorted(), language)


def collector(settings) -> ErrorCollector:
    """The error collector of the build these settings belong to (state.py):
    fresh for every build, so two builds in one process never mix errors."""
    from .state import current  # state.py builds on this module

    return current(settings).errors


def did_you_mean(word: str, choices, cutoff: float = 0.5) -> str:
    """' Did you mean 'end'?' or '' — for unknown keys and values."""
    choices = [str(c) for c in choices]
    # Officers often write the Swedish word for a field; map the common ones.
    swedish = SWEDISH_FIELD_NAMES.get(str(word).lower())
    if swedish in choices:
        return msg(" Did you mean '{word}'?", word=swedish)
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=cutoff)
    return msg(" Did you mean '{word}'?", word=close[0]) if close else ""


SWEDISH_FIELD_NAMES = {
    "titel": "title",
    "rubrik": "title",
    "start": "start",
    "slut": "end",
    "sluttid": "end",
    "datum": "date",
    "plats": "location",
    "lokal": "location",
    "beskrivning": "description",
    "kategorier": "categories",
    "kategori": "categories",
    "anmälan": "registration",
    "upprepa": "repeat",
    "grupp": "group",
    "grupper": "groups",
    "varje": "every",
    "till": "until",
    "antal": "count",
    "undantag": "except",
    "paus": "pause",
    "ändringar": "changes",
    "sammankallande": "convenors",
    "kontaktperson": "contact_person",
    "e-post": "email",
    "epost": "email",
    "träffas": "meets",
    "områden": "areas",
    "typ": "kind",
    "bild": "image",
    "gå_med": "join",
    "åtkomst": "access",
}
