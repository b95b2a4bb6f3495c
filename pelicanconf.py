"""Settings for building the site locally (`make serve`, `invoke build`).

A branch copying Gräsrot edits the "Your branch" section and leaves the rest.
Every setting here is documented in README.md. publishconf.py adds what is
different when publishing.
"""

import os
import sys

# Pelican loads each plugin named in PLUGINS from PLUGIN_PATHS, but does not put
# that folder on sys.path; the kit's plugins import one another (`import
# grasrot_core`) and this file reads core's table of sections, so the folder goes
# on sys.path here, however Pelican was started.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "plugins"))

# The sections' and the kit's addresses ("nyheter/", "kalender/") come from one
# table in core; a lower-case name, so Pelican does not take it for a setting.
import grasrot_core.sections as kit  # noqa: E402 (needs the plugin folder on sys.path)

# --- Your branch --------------------------------------------------------------
SITENAME = "Ekdala lokalavdelning"
PARTY_NAME = "Exempelpartiet"
SITE_TAGLINE = "Lokal politik för hela Ekdala – gör skillnad där du bor."
AUTHOR = "Ekdala lokalavdelning"
SITEURL = ""
# Colours as CSS custom properties; the build warns when a pair fails WCAG AA.
BRAND_COLORS = {
    "primary": "#1d5e3a",  # header, links, buttons
    "on_primary": "#ffffff",  # text on the primary colour
    "secondary": "#f2c14e",  # highlights
    "on_secondary": "#1a1a1a",
}
SITE_LOGO = "images/logo.svg"  # under content/, or "" for the name only
CONTACT = {
    "email": "kontakt@ekdala.example.org",
    "phone": "010-123 45 67",
    "address": "Folkets hus, Storgatan 12, 123 45 Ekdala",
}
SOCIAL = (
    ("Facebook", "https://www.facebook.com/ekdala.example"),
    ("Instagram", "https://www.instagram.com/ekdala.example"),
)
# Extra menu entries after the pages that have `menu_order:`; paths relative
# to SITEURL.
MENUITEMS = (
    ("Kalender", kit.ADDRESSES["calendar"]),
    ("Grupper", kit.ADDRESSES["groups"]),
    ("Nyheter", kit.NEWS.url),
    ("Nyhetsbrev", kit.NEWSLETTERS.url),
)
# Where the group list shows: "menu", "footer" or "none".
GROUPS_IN = "footer"
# The party's national join page. The home page's "Bli medlem" button goes to
# JOIN_URL, which is this unless the branch sets its own (e.g. "bli-medlem/").
PARTY_JOIN_URL = "https://exempelpartiet.example.org/bli-medlem/"
# The top of the home page: a picture (under content/, with image_alt), the
# message (default SITE_TAGLINE) and a second button (more_url, more_text).
HOME_HERO = {
    "image": "images/torget.png",
    "image_alt": "Medlemmar med skyltar vid föreningens tält på torget",
    "message": "Lokal politik för hela Ekdala – gör skillnad där du bor.",
    "more_url": "engagera-dig/",
}

# --- Language and time ---------------------------------------------------------
# "sv" or "en": UI strings, Babel dates and <html lang> all follow this.
DEFAULT_LANG = "sv"
TIMEZONE = "Europe/Stockholm"
# Babel formats dates from DEFAULT_LANG, so the machine's locale never matters:
# an unknown LANG or LC_* falls back to C.UTF-8 (or C) instead of failing.
LOCALE = ["", "C.UTF-8", "C"]

# --- Content layout ------------------------------------------------------------
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = list(kit.ARTICLE_SECTIONS)
STATIC_PATHS = ["images", "files", "extra"]
EXTRA_PATH_METADATA = {
    "extra/robots.txt": {"path": "robots.txt"},
    "extra/favicon.svg": {"path": "favicon.svg"},
}
USE_FOLDER_AS_CATEGORY = True
# The category is the top folder, so news/2026/post.md is still news.
PATH_METADATA = kit.path_metadata()
# Category names come from the folders; their URLs are Swedish (news -> nyheter).
CATEGORY_REGEX_SUBSTITUTIONS = kit.category_substitutions()
# `groups: slug, slug` in a post's header may also be a YAML list.
GRASROT_LIST_METADATA = ["groups"]
# Header keys your own templates read, beyond the kit's (grasrot_core/metadata_keys.py);
# any other unknown key is an error.
GRASROT_EXTRA_METADATA: list[str] = []

ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
ARTICLE_LANG_URL = "{category}/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = "{category}/{slug}-{lang}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{slug}-{lang}/"
PAGE_LANG_SAVE_AS = "{slug}-{lang}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = kit.ADDRESSES["tags"] + "{slug}/"
TAG_SAVE_AS = kit.ADDRESSES["tags"] + "{slug}/index.html"
TAGS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = kit.ADDRESSES["archive"] + "index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/sida/{number}/", "{base_name}/sida/{number}/index.html"),
)

# Drafts are never written; `status: hidden` is public but unlisted.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_LANG_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_URL = ""

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# --- Build ---------------------------------------------------------------------
THEME = os.path.join(_HERE, "theme")
PLUGIN_PATHS = ["plugins"]  # relative to this file, as Pelican resolves it
PLUGINS = [
    "grasrot_core",
    "grasrot_theme",
    "grasrot_images",
    "grasrot_groups",
    "grasrot_calendar",
    "grasrot_members",
    "grasrot_feeds",
    "grasrot_links",
    "grasrot_cms",
    "grasrot_search",
]
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Reader-level caching: plugins add to content objects after reading, so only
# the reader's output is cached. sha256 works on a fresh checkout whose file
# times are new but whose restored cache/ still matches.
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
CACHE_PATH = "cache"
TYPOGRIFY = False

# Pelican's own feeds are off: grasrot_feeds writes every feed with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Feeds (grasrot_feeds) -----------------------------------------------------
# Absolute links in feeds and e-mail need a domain; publishconf sets the real one.
FEED_DOMAIN = "http://localhost:8000"
# "full" puts whole posts in feeds; "summary" only their summaries.
FEED_CONTENT = "full"

# --- Calendar (grasrot_calendar) -----------------------------------------------
# Events in content/calendar/<group>.yaml; a file with `group: ekdala` (this
# slug) or an empty `group:` holds branch-wide events. See docs/calendar.md.
CALENDAR_BRANCH_SLUG = "ekdala"

# --- Members' area (grasrot_members) -------------------------------------------
# Each access level reads its password from the named environment variable
# (never from a file). Everything under content/minutes/ and any item with
# `access: members` is encrypted.
MEMBERS_ACCESS_LEVELS = {
    "members": "MEMBERS_PASSWORD",
    "board": "BOARD_PASSWORD",
}
MEMBERS_DEFAULT_LEVEL = "members"
# What public lists show of protected items: "title" (title and date) or "none".
MEMBERS_PUBLIC_LISTING = "title"
# Write .htaccess/.htpasswd (bcrypt) for Apache hosts as a second layer;
# Apache needs the absolute path medlemmar/.htpasswd will have on the server.
MEMBERS_HTACCESS = False
MEMBERS_HTPASSWD_PATH = ""  # e.g. "/var/www/ekdala/medlemmar/.htpasswd"
# `invoke serve` uses this password for a local preview when MEMBERS_PASSWORD
# is unset, and says so loudly; a build with publishconf.py refuses it.
MEMBERS_DEV_PASSWORD = "lokal-forhandsvisning-ej-hemlig"
# Days a reader's browser keeps an opened level's key when "Kom ihåg mig" is ticked
# (0 hides the box). On a shared *.github.io / *.gitlab.io project path nothing is
# kept unless MEMBERS_REMEMBER_ON_SHARED_ORIGIN = True (see docs/members.md).
MEMBERS_REMEMBER_DAYS = 30
MEMBERS_REMEMBER_ON_SHARED_ORIGIN = False

# --- Web editor at /admin/ (grasrot_cms) ----------------------------------------
# Decap CMS; see docs/editing.md for signing in on GitHub or GitLab.
CMS_ENABLED = True
CMS_BACKEND = {
    "name": "github",  # or "gitlab"
    "repo": "ekdala/webbplats",  # owner/repository
    "branch": "main",
}
# `make edit`: the editor writes to this working copy through decap-server.
CMS_LOCAL_BACKEND = "http://localhost:8081/api/v1"
