"""Gräsrot groups plugin (being built)."""


def register():
    pass
