"""What a locked page says about its level, in the site's language.

The names of the two usual levels are translated; a level a branch adds
(MEMBERS_ACCESS_LEVELS) is shown by its own name.
"""

from __future__ import annotations


def level_name(level: str, _) -> str:
    """'medlemmar', 'styrelsen' (sv); 'members', 'the board' (en)."""
    names = {"members": _("members"), "board": _("the board")}
    return names.get(level, level)


def only_for(level: str, section, _) -> str:
    """'Protokollet är bara för styrelsen. Skriv lösenordet …', by folder."""
    name = level_name(level, _)
    if section == "minutes":
        text = _("These minutes are only for %(level)s. Enter the password to read them.")
    elif section == "newsletters":
        text = _("This newsletter is only for %(level)s. Enter the password to read it.")
    else:
        text = _("This page is only for %(level)s. Enter the password to read it.")
    return text % {"level": name}


def only_password_of(level: str, _) -> str:
    """After 'Wrong password' on a page above the lowest level."""
    return _("This needs the password for %(level)s.") % {"level": level_name(level, _)}


def heading(level: str, _) -> str:
    """A locked page's heading when its title may not show."""
    if level == "board":
        return _("Board only")
    if level == "members":
        return _("Members only")
    return _("Only for %(level)s") % {"level": level_name(level, _)}
