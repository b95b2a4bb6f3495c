"""'Upcoming events' is rendered by one macro (partials/upcoming_events.html) on
the home page, the group pages and wherever else, so every list hides ended
events the same way (data-ends + calendar.js)."""

from __future__ import annotations

from conftest import ROOT, html

TEMPLATES = ROOT / "theme" / "templates"
MACRO = TEMPLATES / "partials" / "upcoming_events.html"


def test_one_template_renders_the_upcoming_events_list():
    rendering = sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "cal.item(" in path.read_text(encoding="utf-8")
        and "upcoming" in path.read_text(encoding="utf-8")
    )
    assert rendering == ["partials/upcoming_events.html"]
    users = sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "import upcoming_events" in path.read_text(encoding="utf-8")
    )
    assert {"calendar/next_events.html", "groups/group.html"} <= set(users)


def test_home_and_group_pages_mark_when_each_event_ends(example_site):
    for page in ("index.html", "grupper/centrum/index.html"):
        soup = html(example_site / page)
        items = soup.select(".cal-next [data-hide-ended] li")
        assert items, page
        assert all(li.get("data-ends") for li in items), page
        assert soup.select_one('script[src$="/theme/js/calendar.js"]'), page
