"""Git pre-commit hook: refuse a commit that adds a plain protected file.

The first line of defence (`invoke install-hooks`): a protected file in git
is readable by everyone who ever gets the repository, whatever happens later.
Refused: any file in content/minutes/ that is not sealed (`*.age`), and any
Markdown file whose header has an `access:` line (or a key that looks like
one: `acess`, `åtkomst`, ...). It runs with .venv's Python (which `invoke
install-hooks` needs, so it is there) and speaks the site's DEFAULT_LANG like
the kit's other notices; with a bare `python3` it needs only the standard
library and speaks English. The build refuses the same files again.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

PLUGINS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONTENT = "content"
PROTECTED_FOLDERS = ("minutes",)
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
ACCESS_LIKE = ("access", "åtkomst", "atkomst", "level", "nivå")
_KEY = re.compile(r"^\s*([^\s:#][^:]*?)\s*:")


def _messages():
    """The kit's msg() and render() (grasrot_core, needing Babel from .venv), or
    English stand-ins when this Python has not got them."""
    sys.path.insert(0, PLUGINS)
    try:
        from grasrot_core.messages import msg, render
    except ImportError:
        return (lambda template, **values: template.format(**values)), (
            lambda text, _language: str(text)
        )
    return msg, render


msg, render = _messages()


def site_language() -> str:
    """The language of the project committed to, as the officer's tasks read it
    (`officer.load_site`); the kit's 'sv' without the kit's packages or a
    pelicanconf.py that loads."""
    root = git("rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
    # Whatever fails here, the refusal is printed all the same.
    try:
        from grasrot_members.officer import load_site

        return load_site(Path(root)).language
    except Exception:
        return "sv"


def git(*args: str) -> bytes:
    return subprocess.run(["git", *args], capture_output=True, check=True).stdout


def staged_files() -> list[str]:
    names = git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
    return [n for n in names.decode("utf-8", "surrogateescape").split("\0") if n]


def header_keys(text: str) -> list[str]:
    """Keys of a `Key: value` header or of YAML front matter."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        block = []
        for line in lines[1:]:
            if line.strip() in ("---", "..."):
                break
            block.append(line)
    else:
        block = []
        for line in lines:
            if not line.strip():
                break
            block.append(line)
    return [m.group(1).strip().lower() for m in map(_KEY.match, block) if m]


def looks_like_access(key: str) -> bool:
    return (
        bool(difflib.get_close_matches(key, ACCESS_LIKE, n=1, cutoff=0.75))
        or key in ACCESS_LIKE
    )


def why_refused(name: str, read):
    """Why this staged file may not be committed (a message), or None."""
    parts = name.split("/")
    if name.endswith(".age"):
        return None
    if len(parts) > 2 and parts[0] == CONTENT and parts[1] in PROTECTED_FOLDERS:
        return msg("everything in {folder}/ is protected", folder=f"{CONTENT}/{parts[1]}")
    if name.lower().endswith(MARKDOWN):
        text = read(name).decode("utf-8", "replace")
        keys = [k for k in header_keys(text) if looks_like_access(k)]
        if keys:
            return msg("its header has `{key}:`", key=keys[0])
    return None


def main() -> int:
    refused = []
    for name in staged_files():
        reason = why_refused(name, lambda n: git("show", f":{n}"))
        if reason:
            refused.append((name, reason))
    if not refused:
        return 0
    language = site_language()
    names = " ".join(name for name, _ in refused)
    lines = [
        msg(
            "Gräsrot: this commit would put protected text in git as plain text, "
            "where everyone with the repository (and its history) can read it:"
        ),
        *(f"  {name}: {render(reason, language)}" for name, reason in refused),
        msg(
            "Seal them first, then commit the .age files:\n"
            "  git restore --staged {names}\n  invoke seal {names}",
            names=names,
        ),
    ]
    for line in lines:
        print(render(line, language), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
