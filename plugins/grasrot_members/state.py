"""What one build knows about its protected items: keys, identities, plaintext.

It lives in the build's grasrot_core BuildState (a slot), never in the
settings dict, and the BuildState pickles as empty: nothing secret ever
reaches Pelican's cache/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import grasrot_core.state

LISTING_CHOICES = ("title", "none")


@dataclass(frozen=True)
class ProtectedStub:
    """What public list pages may show of a protected item (never a summary)."""

    title: str
    date: datetime | None
    url: str
    section: str | None
    level: str


class MembersState:
    def __init__(self):
        self.protected = []  # protect.Protected, articles then pages
        self.keys = {}  # level -> crypto.LevelKey
        self.preview_levels = set()  # levels locked with MEMBERS_DEV_PASSWORD
        self.attachments = {}  # (level, relative path) -> attachments.Attachment
        self.blocked = set()  # other files beside protected items: never copied
        self.stubs = []  # the Jinja global `protected_items`, filled in place
        self.pagination_bases = set()  # save_as of list pages before removal
        self.vanished_pages = set()  # list pages that only protected items made
        self.written = set()  # absolute paths written by this build
        self.announced = False
        self.keyring = None  # sealed.Keyring: the level identities this build opened

    def refresh_stubs(self, settings) -> None:
        """Fill `protected_items` in place (templates hold this very list)."""
        listing = settings.get("MEMBERS_PUBLIC_LISTING", "title")
        stubs = []
        if listing == "title":
            for entry in self.protected:
                if entry.listed and entry.level in self.keys:
                    item = entry.item
                    stubs.append(
                        ProtectedStub(
                            title=str(item.title),
                            date=getattr(item, "date", None),
                            url=item.url,
                            section=grasrot_core.content_section(item),
                            level=entry.level,
                        )
                    )
        stubs.sort(
            key=lambda s: (s.date is not None, s.date.isoformat() if s.date else "", s.url),
            reverse=True,
        )
        self.stubs[:] = stubs


def state_of(settings) -> MembersState:
    """This build's members' state (grasrot_core.state: fresh for every build)."""
    return grasrot_core.state.current(settings).slot("members", MembersState)


def running_state() -> MembersState | None:
    """The build in progress's, for hooks that get no settings (`content_written`)."""
    build = grasrot_core.state.running()
    return build.slot("members", MembersState) if build is not None else None
