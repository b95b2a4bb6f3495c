"""The calendar's Pelican generator: model in generate_context, files in generate_output.

Pages (all under kalender/):
  index.html                   upcoming events, grouped by month
  <group>/index.html           one group's upcoming events (the group filter)
  kategori/<slug>/index.html   one category's upcoming events
  manad/<YYYY-MM>/index.html   month grid
  arkiv/index.html             past events
  <group>/<id>/index.html      one event or series, plus <id>.ics to download
  ics/alla.ics, ics/<group>.ics  subscribable feeds
"""

from __future__ import annotations

import os
from datetime import timedelta
from time import perf_counter

from jinja2 import pass_context
from pelican.generators import Generator

import grasrot_core.state
from grasrot_core.i18n import gettext_for

from . import ics, model, paging, views
from .model import CALENDAR_DIR, as_datetime, by_month


class CalendarGenerator(Generator):
    """Builds the calendar model, then writes its pages and iCalendar files."""

    def generate_context(self):
        started = perf_counter()
        self.calendar = model(self.settings)
        self.context["calendar"] = self.calendar
        self.env.globals["calendar"] = self.calendar
        self.env.globals["item_once"] = _RenderedOnce()
        # This environment lives for one build, in which no template changes: skip
        # Jinja's check of every template file's time on each page and include.
        self.env.auto_reload = False
        self._record_time(perf_counter() - started)

    def generate_output(self, writer):
        started = perf_counter()
        self._write_everything(writer)
        self._record_time(perf_counter() - started)

    def _write_everything(self, writer):
        calendar = self.calendar
        self._folders_made = set()
        owners = self._owners()
        coming, more_url = paging.coming_weeks(calendar, self.settings)
        self._write_list(writer, "index.html", coming, owners, more_url=more_url)
        for owner in owners:
            self._write_list(
                writer,
                f"{owner}/index.html",
                calendar.upcoming(group=owner),
                owners,
                group=owner,
            )
        for slug, name in calendar.categories:
            self._write_list(
                writer,
                f"kategori/{slug}/index.html",
                calendar.upcoming_in_category(slug),
                owners,
                category=(slug, name),
            )
        self._write_archive(writer, owners)
        self._write_months(writer)
        self._write_month_lists(writer, owners)
        for event in calendar.events:
            self._write_event(writer, event)
        self._write_feeds(owners)

    def planned_files(self) -> list[str]:
        """Every file generate_output will write, known before anything is written
        (the link checker, grasrot_links, checks content links against it)."""
        calendar = self.calendar
        pages = ["index.html", "arkiv/index.html"]
        pages += [f"{owner}/index.html" for owner in self._owners()]
        pages += [f"kategori/{slug}/index.html" for slug, _name in calendar.categories]
        pages += [f"manad/{month.key}/index.html" for month in views.months(calendar)]
        files = [f"{CALENDAR_DIR}/{page}" for page in pages]
        files += [page.save_as for page in paging.month_pages(calendar)]
        for event in calendar.events:
            files += [f"{event.url}index.html", event.ics_url]
        files.append(calendar.feed_url(None))
        files += [calendar.feed_url(owner) for owner in self._owners()]
        return files

    # --- Pages ----------------------------------------------------------------------

    def _owners(self) -> list[str]:
        """Every group with a page in the registry, plus the branch: each gets a
        filter page and a feed, even before it has events."""
        return sorted(set(self.calendar.owners) | set(self.calendar.group_titles))

    def _render(self, writer, save_as: str, template: str, **values) -> None:
        """Write kalender/<save_as> from theme/templates/calendar/<template>.html."""
        url = f"{CALENDAR_DIR}/{save_as.removesuffix('index.html')}"
        path = f"{CALENDAR_DIR}/{save_as}"
        writer.write_file(
            path,
            self.get_template(f"calendar/{template}"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS"),
            url=url,
            page_url=url,
            calendar=self.calendar,
            **values,
        )
        # The writer made the page's folder: the event's .ics goes into it too.
        self._folders_made.add(os.path.dirname(os.path.join(self.output_path, path)))

    def _common(self, owners, group=None) -> dict:
        calendar = self.calendar
        return {
            "group_links": views.group_filter_links(calendar, owners, group),
            "category_links": views.category_filter_links(calendar, None),
            "feed_group": group,
            "this_month_url": views.month_url(calendar.now.date().replace(day=1)),
            "archive_url": views.ARCHIVE_URL,
        }

    def _write_list(
        self, writer, save_as, occurrences, owners, group=None, category=None, more_url=None
    ):
        values = self._common(owners, group)
        values["more_url"] = more_url
        if category:
            values["category_links"] = views.category_filter_links(
                self.calendar, category[0]
            )
        self._render(
            writer,
            save_as,
            "index",
            months=by_month(occurrences),
            occurrences=occurrences,
            calendar_group=group,
            group_title=self.calendar.owner_title(group) if group else "",
            calendar_category=category,
            **values,
        )

    def _write_archive(self, writer, owners):
        past = self.calendar.past()
        self._render(
            writer,
            "arkiv/index.html",
            "archive",
            months=by_month(past),
            occurrences=past,
            **self._common(owners),
        )

    def _write_months(self, writer):
        all_months = views.months(self.calendar)
        today = self.calendar.now.date()
        for month in all_months:
            self._render(
                writer,
                f"manad/{month.key}/index.html",
                "month",
                month=month,
                weekdays=views.weekday_dates(month),
                today=today,
                this_month_url=views.month_url(today.replace(day=1)),
                archive_url=views.ARCHIVE_URL,
                feed_group=None,
            )

    def _write_month_lists(self, writer, owners):
        """kalender/2027/03/: each month's events, with the months around it."""
        for page in paging.month_pages(self.calendar):
            self._render(
                writer,
                page.save_as.removeprefix(f"{CALENDAR_DIR}/"),
                "month_list",
                month_page=page,
                months=by_month(page.occurrences),
                grid_url=views.month_url(page.first),
                **self._common(owners),
            )

    def _write_event(self, writer, event):
        now = self.calendar.now
        shown = views.shown_occurrence(event, now)
        dates = views.series_dates(event, now)
        self._render(
            writer,
            event.url.removeprefix(f"{CALENDAR_DIR}/") + "index.html",
            "event",
            event=event,
            occurrence=shown,
            series_dates=dates,
            group_title=self.calendar.owner_title(event.owner),
            google_url=views.google_calendar_url(shown, self.settings) if shown else "",
            jsonld=views.event_jsonld(
                event, dates or ([shown] if shown else []), self.settings
            ),
            is_over=shown is not None and not shown.ends_after(now),
            registration_open=views.registration_open(event, now),
            repeat_text=views.describe_repeat(event, self.settings),
            feed_group=event.owner,
        )
        self._write_bytes(event.ics_url, ics.single(event, self.settings, now))

    # --- iCalendar ------------------------------------------------------------------

    def _write_feeds(self, owners):
        calendar = self.calendar
        keep_days = self.settings.get("CALENDAR_FEED_PAST_DAYS", 90)
        cutoff = calendar.now - timedelta(days=keep_days)
        kept = [e for e in calendar.events if _still_relevant(e, cutoff)]
        _ = gettext_for(self.settings)
        site = self.settings.get("SITENAME", "")
        title = f"{site} – {_('Calendar')}"
        everything = ics.feed(kept, self.settings, title, calendar.now)
        self._write_bytes(calendar.feed_url(None), everything)
        kept_by_owner = {}  # one pass, not one per owner
        for event in kept:
            kept_by_owner.setdefault(event.owner, []).append(event)
        for owner in owners:
            name = calendar.owner_title(owner)
            title = f"{name} – {_('Calendar')}" if name == site else f"{name} – {site}"
            self._write_bytes(
                calendar.feed_url(owner),
                ics.feed(kept_by_owner.get(owner, []), self.settings, title, calendar.now),
            )

    def _write_bytes(self, relative_path: str, data: bytes) -> None:
        path = os.path.join(self.output_path, relative_path)
        folder = os.path.dirname(path)
        if folder not in self._folders_made:  # most are the event page's own folder
            os.makedirs(folder, exist_ok=True)
            self._folders_made.add(folder)
        with open(path, "wb") as handle:
            handle.write(data)

    def _record_time(self, seconds: float) -> None:
        timings = grasrot_core.state.current(self.settings).timings
        timings["calendar"] = timings.get("calendar", 0.0) + seconds


class _RenderedOnce:
    """`item_once(item, o, hide_when_ended)` in calendar/_macros.html: an
    occurrence's list item depends only on the occurrence, SITEURL and that flag,
    so each is rendered once per build, not once per list page it is on."""

    def __init__(self):
        self.rendered = {}

    @pass_context
    def __call__(self, context, macro, occurrence, hide_when_ended):
        # The occurrences live as long as the build's calendar, so id() is stable.
        key = (context.get("SITEURL"), id(occurrence), bool(hide_when_ended))
        found = self.rendered.get(key)
        if found is None:
            found = self.rendered[key] = macro(occurrence, hide_when_ended)
        return found


def _still_relevant(event, cutoff) -> bool:
    """Feeds keep recent past events, so subscribers keep their history."""
    if not event.occurrences:  # a series whose dates all lie outside the window
        return as_datetime(event.start, cutoff.tzinfo) > cutoff
    return any(o.ends_after(cutoff) for o in event.occurrences)
