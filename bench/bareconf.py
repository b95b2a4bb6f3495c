"""Bare Pelican for comparison: no plugins, the default theme, the same posts.

bench/run.py builds the synthetic site's news and newsletters with this file
(PATH, OUTPUT_PATH and CACHE_PATH are given on the command line), so the
kit/bare ratio measures what the kit adds on top of Pelican itself.
"""

SITENAME = "Ekdala lokalavdelning"
AUTHOR = "Ekdala lokalavdelning"
SITEURL = ""
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
PLUGINS = []  # an explicit empty list: no namespace plugins are auto-loaded
ARTICLE_PATHS = ["news", "newsletters"]
PAGE_PATHS = []
STATIC_PATHS = []
DEFAULT_PAGINATION = 10
DELETE_OUTPUT_DIRECTORY = True
# The kit's cache settings, so "bare rebuild/cold" is a fair reference for the
# kit's cached rebuild; they change no output.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
