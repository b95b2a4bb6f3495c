"""Lighthouse 12.2.3 (pinned in package.json), mobile, on the page types a reader
meets first: performance at least 95; accessibility, best practices and SEO 100.
The scores are printed.

Lighthouse 12.2.3 cannot read the trace of the Chromium that Debian ships now
(156): a few audits fail inside Lighthouse with "Cannot read properties of
undefined (reading 'frame_sequence')" or because their "RootCauses"/"TraceElements"
gatherer did. Exactly those audits, by id (TRACE_AUDITS), may end in an error;
any other audit that errors fails the test. (Lighthouse 13 reads the new trace
but needs Node 22.)

The performance score varies with the machine's load (Lighthouse's own advice is
to run it more than once): a page below 95 is measured again, up to RUNS times,
and its best run counts. Accessibility, best practices and SEO must be 100 in
every run.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import CHROMIUM, CONTENT, ROOT, TEST_ENV, build_site, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "calendar": "kalender/",
    "event": "kalender/ekdala/medlemsmote/",
    "group-directory": "grupper/",
    "group": "grupper/stadsodling/",
    "news-article": "nyheter/introduktionskvall-for-nya-medlemmar/",
    "newsletter": "nyhetsbrev/nyhetsbrev-november-2026/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
# Audits that Lighthouse 12.2.3 cannot compute from Chromium 156's trace.
TRACE_AUDITS = {
    "largest-contentful-paint-element",
    "lcp-lazy-loaded",
    "layout-shifts",
    "non-composited-animations",
    "prioritize-lcp-image",
    "render-blocking-resources",
}
RUNS = 3
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


@pytest.fixture(scope="module")
def published_url(tmp_path_factory):
    """The example site built now, as the nightly publish does: calendar.js then has
    no event that ended since the build to hide while Lighthouse watches (that
    would be a layout shift the published site does not have)."""
    import time

    output = tmp_path_factory.mktemp("lighthouse") / "output"
    build_site(
        CONTENT, output, env={**TEST_ENV, "SOURCE_DATE_EPOCH": str(int(time.time()))}
    )
    url, server = serve_directory(output)
    yield url
    server.shutdown()


def run_lighthouse(url: str, report) -> dict:
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is missing: `make test` installs it (npm ci)")
    environment = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


def scores_of(report) -> dict:
    return {key: report["categories"][key]["score"] for key in CATEGORIES}


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_mobile_scores(published_url, tmp_path, name):
    runs = []
    while len(runs) < RUNS and (
        not runs or max(scores_of(r)["performance"] for r in runs) < MINIMUM["performance"]
    ):
        runs.append(
            run_lighthouse(
                f"{published_url}/{PAGES[name]}", tmp_path / f"{name}-{len(runs)}.json"
            )
        )
    for report in runs:
        check_report(name, report, len(runs))
    best = max(scores_of(report)["performance"] for report in runs)
    assert best >= MINIMUM["performance"], f"{name}: performance {best} in {len(runs)} runs"


def check_report(name, report, run_count):
    scores = scores_of(report)
    errored = {
        key
        for key, audit in report["audits"].items()
        if audit.get("scoreDisplayMode") == "error"
    }
    print(
        f"\nLighthouse {report['lighthouseVersion']} mobile, {name} ({run_count} runs): "
        + ", ".join(f"{key} {round(score * 100)}" for key, score in scores.items())
        + f"; trace audits not computed: {sorted(errored)}"
    )
    assert report["lighthouseVersion"] == "12.2.3"
    assert errored <= TRACE_AUDITS, f"audits that errored: {sorted(errored - TRACE_AUDITS)}"
    failing = {}
    for key in ("accessibility", "best-practices", "seo"):
        failing |= {
            ref["id"]: report["audits"][ref["id"]].get("title")
            for ref in report["categories"][key]["auditRefs"]
            if ref.get("weight") and report["audits"][ref["id"]]["score"] not in (1, None)
        }
    assert failing == {}, failing
    for key in ("accessibility", "best-practices", "seo"):
        assert scores[key] >= MINIMUM[key], f"{name}: {key} {scores[key]}"
