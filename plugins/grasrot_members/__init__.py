"""Gräsrot members plugin (being built)."""


def register():
    pass
