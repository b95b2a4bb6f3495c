"""The theme's CSS and JS are minified at build time (rcssmin, rjsmin); the
sources in theme/static/ stay readable."""

from __future__ import annotations

from conftest import ROOT, build_site, copy_content

STATIC = ROOT / "theme" / "static"


def test_built_css_and_js_are_minified_and_sources_stay_readable(example_site):
    for kind in ("css", "js"):
        for source in (STATIC / kind).glob(f"*.{kind}"):
            built = example_site / "theme" / kind / source.name
            text = built.read_text(encoding="utf-8")
            assert len(text) < 0.9 * source.stat().st_size, built.name
            assert "/*" not in text and "\n  " not in text, built.name
            assert "/*" in source.read_text(encoding="utf-8")  # commented source kept
    css = (example_site / "theme" / "css" / "main.css").read_text(encoding="utf-8")
    assert ".main-menu__button{" in css


def test_theme_minify_false_ships_the_sources(tmp_path):
    output = build_site(copy_content(tmp_path), tmp_path / "output", THEME_MINIFY=False)
    for name in ("css/main.css", "js/menu.js"):
        assert (output / "theme" / name).read_bytes() == (STATIC / name).read_bytes()
