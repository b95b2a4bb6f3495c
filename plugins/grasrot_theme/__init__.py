"""Gräsrot theme plugin (being built)."""


def register():
    pass
