"""What one build knows about its protected items, kept in the settings dict.

Pelican pickles settings into its content cache (tags and categories hold
them). This state holds keys, identities and plaintext items, so it pickles
to an empty state: nothing secret ever reaches cache/.
"""

from __future__ import annotations

from dataclasses import dataclass

STATE_KEY = "_GRASROT_MEMBERS_STATE"
LISTING_CHOICES = ("title", "none")


@dataclass(frozen=True)
class ProtectedStub:
    """What public list pages may show of a protected item (never a summary)."""

    title: str
    date: object
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

    def __reduce__(self):
        return (MembersState, ())

    def refresh_stubs(self, settings) -> None:
        """Fill `protected_items` in place (templates hold this very list)."""
        listing = settings.get("MEMBERS_PUBLIC_LISTING", "title")
        import grasrot_core

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
    found = settings.get(STATE_KEY)
    if not isinstance(found, MembersState):
        found = settings[STATE_KEY] = MembersState()
    return found
