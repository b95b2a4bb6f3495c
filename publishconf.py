"""Settings for publishing (`invoke publish`, CI). Everything else: pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403
from pelicanconf import CMS_BACKEND

# The public address, e.g. https://ekdala.example.org or
# https://<user>.github.io/<repository>; CI passes it in the environment.
SITEURL = os.environ.get("SITEURL", "https://ekdala.example.org").rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# The members' area refuses the development password when this is set.
GRASROT_PUBLISHING = True
# The published editor signs in to GitHub or GitLab; the local backend is for `make edit`.
CMS_LOCAL_BACKEND = ""
# CI names the repository it builds; the editor commits to that one.
_CI_REPOSITORY = {
    "github": os.environ.get("GITHUB_REPOSITORY"),
    "gitlab": os.environ.get("CI_PROJECT_PATH"),
}.get(CMS_BACKEND.get("name", ""))
if _CI_REPOSITORY:
    CMS_BACKEND = {**CMS_BACKEND, "repo": _CI_REPOSITORY}
