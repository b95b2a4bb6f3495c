"""Every page carries a Content-Security-Policy, and runs under it in Chromium.

The policy (grasrot_core/csp.py) allows scripts only from the site: raw HTML in
a Markdown file cannot run script that would read the members' remembered keys.
Each page type is loaded and used (the area finder, the calendar, unlocking a
protected page) while a listener records every `securitypolicyviolation` and
console error: there must be none. A page with injected inline script proves
the policy is enforced.
"""

from __future__ import annotations

import pytest
from conftest import MEMBERS_PASSWORD, build_site, html, serve_directory, write

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
PAGES = [
    "",
    "nyheter/",
    "kalender/",
    "grupper/",
    "grupper/centrum/",
    "medlemmar/",
    "nyhetsbrev/",
    "arkiv/",
    "bli-medlem/",
    "protokoll/medlemsmote-23-april-2026/",
    "404.html",
]


def watched(page):
    """Record CSP violations and console errors of this tab."""
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def violations(page) -> list:
    return page.evaluate("window.__violations")


def test_every_page_has_the_policy_first_in_head(example_site):
    # admin/ is the web editor (Decap CMS, grasrot_cms), a separate app with its own
    # needs (GitHub's API, eval in Decap); it renders no site content.
    pages = [
        p
        for p in example_site.rglob("*.html")
        if p.relative_to(example_site).parts[0] != "admin"
    ]
    assert len(pages) > 20
    for path in pages:
        head = html(path).head
        if head is None:
            continue
        meta = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        policy = meta["content"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        # 'wasm-unsafe-eval' (the search page's WebAssembly) runs no JavaScript eval.
        assert "base-uri 'none'" in policy and "'unsafe-eval'" not in policy.split()
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
        first_tags = [
            tag.name for tag in head.find_all(["meta", "style", "script", "link"])
        ]
        assert first_tags.index("meta") == 0 and head.find_all("meta")[1] is meta, path


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_without_csp_violations(page, site_url, path):
    problems = watched(page)
    page.goto(f"{site_url}/{path}")
    page.wait_for_load_state("load")
    assert page.locator("meta[http-equiv=Content-Security-Policy]").count() == 1
    assert violations(page) == []
    assert problems == []


def test_scripts_work_under_the_policy(page, site_url):
    problems = watched(page)
    page.goto(f"{site_url}/grupper/")
    page.locator(".area-finder input").first.fill("Norrby")
    page.get_by_role("button", name="Hitta min grupp").click()
    page.get_by_role("status").get_by_role("link", name="Norra Ekdala").wait_for()
    page.goto(f"{site_url}/protokoll/arsmote-21-februari-2026/")
    page.get_by_label("Lösenord").fill(MEMBERS_PASSWORD)
    page.get_by_role("button", name="Öppna").click()
    page.locator(".members-opened").wait_for(timeout=20_000)
    with page.expect_download(timeout=20_000):
        page.get_by_role("link", name="bilagan med årsmöteshandlingarna").click()
    assert violations(page) == [] and problems == []


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("csp-injected")
    write(
        root / "content" / "pages" / "sida.md",
        (
            "Title: Sida\n\nText.\n\n<script>window.injected = 'inline';</script>\n\n"
            '<img src="data:image/png;base64,AAAA" alt="x" '
            "onerror=\"window.injected = 'handler'\">\n\n"
            '<base href="https://evil.example.org/">\n'
        ),
    )
    output = build_site(root / "content", root / "output")
    url, server = serve_directory(output)
    yield url
    server.shutdown()


def test_script_in_markdown_does_not_run(page, injected_site):
    watched(page)
    page.goto(f"{injected_site}/sida/")
    page.wait_for_function("window.__violations.length >= 3")
    assert page.evaluate("window.injected") is None
    found = " ".join(violations(page))
    assert "script-src" in found and "base-uri" in found
