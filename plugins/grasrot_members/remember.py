"""How long a reader's browser may keep an opened level's key ("Kom ihåg mig").

members.js keeps keys as non-extractable WebCrypto keys in IndexedDB: for
MEMBERS_REMEMBER_DAYS when the reader ticks the box, else for this tab only.
Any page of the same origin can use what is stored there. On a shared origin,
a project path on `<owner>.github.io` or `<group>.gitlab.io`, every other Pages
site of that owner is such a page, so there the browser stores nothing at all
unless MEMBERS_REMEMBER_ON_SHARED_ORIGIN turns it on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from grasrot_core.errors import SettingsError
from grasrot_core.messages import msg, notice

SHARED_SUFFIXES = (".github.io", ".gitlab.io")
DEFAULT_DAYS = 30
SESSION_ONLY, OFF, REMEMBER = "session", "off", "remember"


def shared_origin(settings) -> str:
    """'owner.github.io' when SITEURL is a project path on a shared Pages host."""
    address = urlsplit(str(settings.get("SITEURL") or ""))
    host = (address.hostname or "").lower()
    if host.endswith(SHARED_SUFFIXES) and address.path.strip("/"):
        return host
    return ""


def days(settings) -> int:
    value = settings.get("MEMBERS_REMEMBER_DAYS", DEFAULT_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingsError(
            msg(
                "MEMBERS_REMEMBER_DAYS = {value} in the settings: use a whole number "
                "of days (0 turns remember-me off), e.g. {example}.",
                value=repr(value),
                example=DEFAULT_DAYS,
            ),
            settings,
        )
    return value


def storage(settings) -> str:
    """What members.js may store: 'remember', 'session' (this tab) or 'off'."""
    if shared_origin(settings) and not settings.get("MEMBERS_REMEMBER_ON_SHARED_ORIGIN"):
        return OFF
    return REMEMBER if days(settings) else SESSION_ONLY


def announce_shared_origin(settings) -> None:
    """Say it on stderr (every build runs with --fatal warnings, so not as a warning)."""
    host = shared_origin(settings)
    if not host:
        return
    state = (
        msg("ON (MEMBERS_REMEMBER_ON_SHARED_ORIGIN)")
        if storage(settings) != OFF
        else msg("off")
    )
    notice(
        msg(
            "note: SITEURL {siteurl} is a project path on {host}, an origin that every "
            "Pages site of that owner shares: other sites on this origin can use the "
            "members' keys a reader's browser remembers. Remember-me is {state}. A "
            "custom domain gives the site its own origin (docs/members.md).",
            siteurl=settings.get("SITEURL"),
            host=host,
            state=state,
        ),
        settings,
    )
