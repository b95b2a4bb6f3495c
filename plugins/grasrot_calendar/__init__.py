"""Gräsrot calendar plugin (being built)."""


def register():
    pass
