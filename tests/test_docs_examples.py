"""Every content example in README.md and docs/*.md builds exactly as written.

A fenced example that is a content file says where it goes in its info string:

    ```markdown title="content/news/2026-11-02-hostmote.md"

Each such example is written into a copy of the example branch (replacing a
file of that name, or its sealed `.age` twin) and the whole site is read and
checked as `invoke check` does it. Every ```markdown and ```yaml fence must say
where it goes, so no example escapes the test (docs/architecture.md, "Docs examples").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_content

from grasrot_core import CheckComplete, ContentErrorsFound

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="(?P<path>[^"]+)"')
CONTENT_LANGUAGES = ("markdown", "yaml")


def _fences():
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            info = match.group("info").strip()
            language = info.split(" ", 1)[0]
            if language in CONTENT_LANGUAGES:
                line = text.count("\n", 0, match.start()) + 1
                yield f"{document.relative_to(ROOT)}:{line}", info, match.group("body")


EXAMPLES = list(_fences())


def test_every_content_fence_says_where_it_goes():
    unmarked = [where for where, info, _body in EXAMPLES if not TITLE.search(info)]
    assert not unmarked, (
        (
            "mark each fenced content example with its path, e.g. "
            '```markdown title="content/pages/x.md"'
        ),
        unmarked,
    )


@pytest.mark.parametrize("where, info, body", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_builds_as_written(tmp_path, where, info, body):
    found = TITLE.search(info)
    assert found, f'{where}: no title="content/…"'
    relative = Path(found.group("path"))
    assert relative.parts[0] == "content", where
    content = copy_content(tmp_path)
    target = content.joinpath(*relative.parts[1:])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    target.with_name(target.name + ".age").unlink(missing_ok=True)  # its sealed twin
    try:
        build_site(content, tmp_path / "output", GRASROT_CHECK_ONLY=True)
    except CheckComplete:
        return
    except ContentErrorsFound as errors:
        pytest.fail(
            f"{where} does not build as written:\n"
            + "\n".join(str(error) for error in errors.errors)
        )
    pytest.fail("the check did not stop at the gate")
