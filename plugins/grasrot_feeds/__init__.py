"""Gräsrot feeds plugin (being built)."""


def register():
    pass
