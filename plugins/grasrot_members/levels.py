"""Access levels and their passwords: which level an item has, and fail closed.

A level is a name (`members`, `board`) mapped in MEMBERS_ACCESS_LEVELS to the
environment variable that holds its password. Passwords are read from the
environment only, so they never sit in a file that is committed or cached.
Every problem is reported to grasrot_core's collector against the files it
concerns, so it is listed with all other content errors and the gate stops
the build before anything is written.
"""

from __future__ import annotations

import os
import sys

import grasrot_core
from grasrot_core import metadata_keys, sections
from grasrot_core.errors import SettingsError
from grasrot_core.messages import Message, msg, notice, sentences

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn, when publishing
ACCESS_KEY = sections.ACCESS_KEY
PROTECTED_SECTIONS = sections.PROTECTED_SECTIONS
# Officers write Swedish; these only feed the did-you-mean hint, never access.
SWEDISH_LEVEL_NAMES = metadata_keys.SWEDISH_LEVEL_NAMES


def configured_levels(settings) -> dict[str, str]:
    """level name -> environment variable name."""
    return dict(settings.get("MEMBERS_ACCESS_LEVELS") or {"members": "MEMBERS_PASSWORD"})


def higher_levels(level, settings) -> list[str]:
    """The levels after `level` in MEMBERS_ACCESS_LEVELS: their passwords open
    `level`'s pages too (the board's password opens the members' pages)."""
    order = list(configured_levels(settings))
    return order[order.index(level) + 1 :] if level in order else []


def default_level(settings) -> str:
    return settings.get("MEMBERS_DEFAULT_LEVEL") or "members"


def check_settings(settings) -> None:
    """Configuration errors, raised at start-up (they are not content errors)."""
    levels = configured_levels(settings)
    if default_level(settings) not in levels:
        raise SettingsError(
            msg(
                "MEMBERS_DEFAULT_LEVEL = {value} is not in "
                "MEMBERS_ACCESS_LEVELS ({levels}).",
                value=repr(default_level(settings)),
                levels=", ".join(sorted(levels)),
            ),
            settings,
        )
    for level, variable in levels.items():
        if not str(variable).isidentifier():
            raise SettingsError(
                msg(
                    "MEMBERS_ACCESS_LEVELS['{level}'] must name an environment "
                    "variable (e.g. 'MEMBERS_PASSWORD'), not hold a password.",
                    level=level,
                ),
                settings,
            )


declared_access = sections.declared_access
# Protected by its own file: `access:`, a protected section, or a sealed source.
wants_protection = sections.is_protected


def level_of(item, settings) -> str | None:
    """The item's level; reports an unknown one (with a hint) and returns None."""
    written = declared_access(item)
    if not written:
        return default_level(settings)
    levels = configured_levels(settings)
    if written in levels:
        return written
    hint = SWEDISH_LEVEL_NAMES.get(written.lower())
    suggestion = (
        msg(" Did you mean '{word}'?", word=hint)
        if hint in levels
        else grasrot_core.did_you_mean(written, levels)
    )
    grasrot_core.collector(settings).add(
        item.source_path,
        grasrot_core.meta_line(item, ACCESS_KEY),
        1,
        msg(
            "unknown access level '{written}': use one of {levels} "
            "(set in MEMBERS_ACCESS_LEVELS).{suggestion}",
            written=written,
            levels=", ".join(sorted(levels)),
            suggestion=suggestion,
        ),
    )
    return None


def read_passwords(needed: dict[str, list], settings) -> dict[str, str]:
    """level -> password for every level that protected items need.

    `needed` maps a level to the items that use it. Problems are reported on
    each of those files (the message names the variable), never raised.
    In `invoke check` a missing password is only noted: nothing is written,
    and pull requests from forks never see the repository's secrets.
    """
    found = {}
    variables = configured_levels(settings)
    check_only = settings.get(grasrot_core.CHECK_ONLY_KEY)
    for level, items in sorted(needed.items()):
        variable = variables[level]
        password = os.environ.get(variable, "")
        problem = password_problem(level, variable, password, settings, len(items))
        if problem and check_only and not password:
            notice(
                msg(
                    "note: {variable} is not set: a build (not a check) with these "
                    "{files} would stop.",
                    variable=variable,
                    files=protected_files(len(items)),
                ),
                settings,
            )
            continue
        if problem:
            _report(items, problem, settings)
            continue
        if password:
            found[level] = password
    announce_dev_password(found, settings)
    return found


def password_problem(level, variable, password, settings, count) -> str | None:
    if not password:
        return msg(
            "this file is protected (access level '{level}', {files} in all) and "
            "the environment variable {variable} is not set: set {variable} "
            "(a repository secret in CI), or the build stops here.",
            level=level,
            files=protected_files(count),
            variable=variable,
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        return msg(
            "the password in {variable} (level '{level}') has {length} "
            "characters: use at least {least}, e.g. four random words.",
            variable=variable,
            level=level,
            length=len(password),
            least=MIN_PASSWORD_LENGTH,
        )
    if settings.get("GRASROT_PUBLISHING") and password == settings.get(
        "MEMBERS_DEV_PASSWORD"
    ):
        return msg(
            "{variable} holds the development password from pelicanconf.py "
            "(MEMBERS_DEV_PASSWORD), which is public: a published site must "
            "use its own password. Set {variable} to a secret one.",
            variable=variable,
        )
    if settings.get("GRASROT_PUBLISHING"):
        return _shared_password(level, variable, password, settings) or _weak_password(
            level, variable, password, settings
        )
    return None


def protected_files(count: int):
    """'1 protected file' or '3 protected files', in the rendering language."""
    if count == 1:
        return msg("{count} protected file", count=count)
    return msg("{count} protected files", count=count)


def how_to_change(level, variable):
    return msg(
        "Make a strong one with `invoke new-password` (five random words), seal "
        "the level's key with it (`invoke rotate-password {level}`) and set "
        "{variable} to it.",
        level=level,
        variable=variable,
    )


def _shared_password(level, variable, password, settings) -> str | None:
    """Every level its own password: else a member could open the board's pages."""
    others = sorted(
        other
        for name, other in configured_levels(settings).items()
        if name != level and os.environ.get(other, "") == password
    )
    if not others:
        return None
    return msg(
        "{variable} and {others} hold the same password: every level "
        "needs its own, or one level's readers open the other's pages. {how}",
        variable=variable,
        others=", ".join(others),
        how=how_to_change(level, variable),
    )


def _weak_password(level, variable, password, settings) -> str | None:
    score, advice = password_strength(password, settings)
    if score >= MIN_PASSWORD_SCORE:
        return None
    return msg(
        "the password in {variable} (level '{level}') is too easy to guess: zxcvbn "
        "scores it {score} of 4 and publishing needs {least}. {advice}{how}",
        variable=variable,
        level=level,
        score=score,
        least=MIN_PASSWORD_SCORE,
        advice=sentences([advice], end=" "),
        how=how_to_change(level, variable),
    )


def password_strength(password: str, settings) -> tuple[int, Message | str]:
    """zxcvbn's score (0-4) and its advice; the site's names count as guessable.

    zxcvbn writes its advice in English, each text marked for gettext
    (zxcvbn/feedback.py): their Swedish is in errors.po with the kit's own
    messages, so the advice is rendered in the site's language like them."""
    from zxcvbn import zxcvbn

    hints = [str(settings.get(name) or "") for name in ("SITENAME", "PARTY_NAME", "AUTHOR")]
    result = zxcvbn(password[:100], user_inputs=[hint for hint in hints if hint])
    feedback = result.get("feedback") or {}
    texts = [feedback.get("warning"), *(feedback.get("suggestions") or [])]
    return int(result["score"]), sentences(Message(text) for text in texts if text)


def _report(items, message, settings) -> None:
    errors = grasrot_core.collector(settings)
    for item in items:
        line = grasrot_core.meta_line(item, ACCESS_KEY) if declared_access(item) else 1
        errors.add(item.source_path, line, 1, message)


def announce_dev_password(passwords: dict, settings) -> None:
    """A local preview may use the public development password: say so loudly.

    On stderr, not through the logger: every build runs with --fatal warnings.
    """
    dev = settings.get("MEMBERS_DEV_PASSWORD")
    using = [level for level, password in passwords.items() if dev and password == dev]
    if not using:
        return
    rule = "!" * 78
    print(rule, file=sys.stderr)
    notice(
        msg(
            "!! Gräsrot members: PREVIEW ONLY. The members' area of this build is\n"
            "!! locked with the public DEVELOPMENT password for: {levels}.\n"
            "!! Anyone can open it. Never publish this output (publishconf.py refuses it).",
            levels=", ".join(sorted(using)),
        ),
        settings,
    )
    print(rule, file=sys.stderr, flush=True)
