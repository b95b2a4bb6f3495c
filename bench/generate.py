"""Deterministic synthetic Gräsrot sites at branch, district and national scale.

    python bench/generate.py district bench/sites/district/content

writes pages, news, newsletters, minutes, groups and calendar files in exactly
the formats of docs/architecture.md, docs/groups.md and docs/calendar.md. The
random generator is seeded with the size's name and every date is counted
from BUILD_DATE (the bench builds with SOURCE_DATE_EPOCH at that moment), so
one size always gives byte-identical content, on any machine, on any day.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from babel.dates import format_date

BUILD_DATE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BUILD_EPOCH = int(BUILD_DATE.timestamp())
BRANCH_SLUG = "ekdala"  # CALENDAR_BRANCH_SLUG in pelicanconf.py
RECURRING_SERIES = 50


@dataclass(frozen=True)
class Size:
    posts: int
    newsletters: int
    minutes: int
    groups: int
    events: int  # event entries in the YAML files, series included
    pages: int
    series: int = RECURRING_SERIES  # how many of the events are recurring series


# Issue 8's table; pages are not in it and stay few, as on real sites.
SIZES = {
    "tiny": Size(posts=20, newsletters=4, minutes=6, groups=4, events=60, pages=3),
    "branch": Size(posts=300, newsletters=60, minutes=100, groups=15, events=500, pages=8),
    "district": Size(
        posts=2000, newsletters=200, minutes=300, groups=60, events=3000, pages=15
    ),
    "national": Size(
        posts=5000, newsletters=400, minutes=800, groups=150, events=8000, pages=25
    ),
}

WORDS = [
    "kommunen",
    "budget",
    "förslag",
    "medlemmar",
    "möte",
    "skolan",
    "bussen",
    "biblioteket",
    "parken",
    "bostäder",
    "hyror",
    "vården",
    "omsorgen",
    "klimatet",
    "cykelvägar",
    "fritidsgården",
    "föreningen",
    "nämnden",
    "fullmäktige",
    "motion",
    "remiss",
    "grannar",
    "kvarteret",
    "trygghet",
    "arbete",
    "löner",
    "pension",
    "framtid",
    "ungdomar",
    "äldre",
    "hemtjänsten",
    "planen",
    "torget",
    "valet",
    "kampanjen",
    "dörrknackning",
    "samtal",
    "fika",
    "studiecirkel",
    "energi",
    "solceller",
    "fjärrvärmen",
    "kollektivtrafiken",
    "kvällsbussar",
    "simhallen",
    "idrottsplatsen",
    "översiktsplanen",
    "detaljplanen",
]
TOPICS = (
    "Budgeten",
    "Trygg skolväg",
    "Nya bostäder",
    "Kvällsbussarna",
    "Simhallen",
    "Klimatplanen",
    "Fritidsgården",
    "Hemtjänsten",
    "Biblioteket",
    "Parken",
    "Cykelvägarna",
    "Äldreomsorgen",
    "Hyrorna",
    "Torgmötet",
    "Valberedningen",
)
TAGS = (
    "budget",
    "skola",
    "bostad",
    "trafik",
    "klimat",
    "vård",
    "omsorg",
    "kultur",
    "idrott",
    "ungdom",
    "äldre",
    "miljö",
    "arbete",
    "val",
    "medlemsmöte",
    "kampanj",
    "energi",
    "hyror",
    "trygghet",
    "demokrati",
)
CATEGORIES = (
    "Gruppmöte",
    "Medlemsmöte",
    "Kampanj",
    "Utbildning",
    "Nätverk",
    "Digitalt",
    "Fest",
    "Studiecirkel",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday")
ORDINALS = ("first", "second", "third", "last")
# Area names: prefix x suffix. No two prefixes fold to the same ASCII, so the
# area finder's diacritic-blind uniqueness check never fires.
AREA_PREFIXES = (
    "Björk",
    "Ek",
    "Gran",
    "Lind",
    "Asp",
    "Al",
    "Hassel",
    "Rönn",
    "Tall",
    "Lönn",
    "Ask",
    "Sälg",
    "Alm",
    "Bok",
    "Ceder",
    "Hägg",
    "Idegran",
    "Kastanj",
    "Lärk",
    "Olv",
)
AREA_SUFFIXES = (
    "by",
    "hagen",
    "vik",
    "dal",
    "berga",
    "holmen",
    "näs",
    "sund",
    "torp",
    "åsen",
    "backen",
    "lund",
    "mossen",
    "udden",
    "ängen",
)


def local_date(days_from_build: int) -> date:
    return (BUILD_DATE + timedelta(days=days_from_build)).date()


class SiteWriter:
    """Writes one size's content; every choice comes from one seeded Random."""

    def __init__(self, size: Size, seed: str, root: Path):
        self.size = size
        self.random = random.Random(f"grasrot-bench-{seed}")
        self.root = root
        self.groups = self._plan_groups()

    # --- helpers ----------------------------------------------------------------

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")

    def sentence(self, words: int = 12) -> str:
        chosen = [self.random.choice(WORDS) for _ in range(words)]
        return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence(self.random.randint(8, 16)) for _ in range(sentences))

    def body(self, paragraphs: int) -> str:
        """Markdown like a real post: paragraphs, a heading, a list, a link."""
        parts = [self.paragraph() for _ in range(paragraphs)]
        parts.insert(1, "## " + self.random.choice(TOPICS))
        items = "\n".join(f"- {self.sentence(6)}" for _ in range(3))
        parts.insert(3, items)
        parts.append(
            "Läs mer på [kommunens webbplats](https://www.example.org/"
            f"{self.random.choice(WORDS)}) eller skriv till "
            "[kontakt@ekdala.example.org](mailto:kontakt@ekdala.example.org)."
        )
        return "\n\n".join(parts) + "\n"

    # --- groups -------------------------------------------------------------------

    def _plan_groups(self) -> list[tuple[str, str]]:
        """(slug, kind) per group: half district, a third networks, the rest interest."""
        count = self.size.groups
        districts = max(1, count // 2)
        networks = max(1, count // 3)
        kinds = (
            ["district"] * districts
            + ["network"] * networks
            + ["interest"] * (count - districts - networks)
        )
        return [(f"{kind}-{index:03d}", kind) for index, kind in enumerate(kinds, 1)]

    def write_groups(self) -> None:
        areas = iter(f"{p}{s}" for s in AREA_SUFFIXES for p in AREA_PREFIXES)
        for slug, kind in self.groups:
            lines = ["---", f"title: {self._group_title(slug, kind)}", f"kind: {kind}"]
            if kind == "district":
                lines.append("areas:")
                lines += [f"  - {next(areas)}" for _ in range(3)]
            lines += [
                f"summary: {self.sentence(10)}",
                "convenors:",
                f"  - name: Sammankallande {slug}",
                f"    email: {slug}@ekdala.example.org",
                "  - Andra Sammankallande",
                f"email: {slug}@ekdala.example.org",
                "meets: Första tisdagen i månaden kl. 18.30.",
                "join: |",
                (
                    f"  Kom till ett möte eller skriv till [{slug}@ekdala.example.org]"
                    f"(mailto:{slug}@ekdala.example.org)."
                ),
            ]
            if kind == "network":
                lines.append("contact_person: Ulla Politiker <ulla@ekdala.example.org>")
            lines.append("---")
            self.write(f"groups/{slug}.md", "\n".join(lines) + "\n" + self.body(2))

    @staticmethod
    def _group_title(slug: str, kind: str) -> str:
        number = int(slug.rsplit("-", 1)[1])
        label = {
            "district": "Distriktsgrupp",
            "network": "Nätverk",
            "interest": "Studiecirkel",
        }[kind]
        return f"{label} {number}"

    # --- posts --------------------------------------------------------------------

    def write_pages(self) -> None:
        for index in range(1, self.size.pages + 1):
            header = f"Title: Sida {index}: {self.random.choice(TOPICS)}\n"
            if index <= 4:
                header += f"Menu_order: {index}\n"
            header += f"Summary: {self.sentence(10)}\n"
            self.write(f"pages/sida-{index:03d}.md", header + "\n" + self.body(4))

    def write_news(self) -> None:
        """Pelican `Key: value` headers, readable by the kit and by bare Pelican."""
        span_days = 3 * 365
        for index in range(1, self.size.posts + 1):
            day = local_date(-span_days + index * span_days // self.size.posts)
            topic = self.random.choice(TOPICS)
            groups = self.random.sample(self.groups, self.random.choice((0, 1, 1, 2)))
            tags = self.random.sample(TAGS, 2)
            header = [
                f"Title: {topic} – nyhet {index}",
                f"Date: {day:%Y-%m-%d} {8 + index % 10:02d}:{index % 60:02d}",
            ]
            if groups:
                header.append("Groups: " + ", ".join(slug for slug, _ in groups))
            header += [f"Tags: {', '.join(tags)}", f"Summary: {self.sentence(14)}"]
            self.write(
                f"news/{day:%Y-%m-%d}-nyhet-{index:05d}.md",
                "\n".join(header) + "\n\n" + self.body(self.random.randint(3, 6)),
            )

    def write_newsletters(self) -> None:
        span_days = 3 * 365
        for index in range(1, self.size.newsletters + 1):
            day = local_date(-span_days + index * span_days // self.size.newsletters)
            header = [
                f"Title: Nyhetsbrev {index}, {format_date(day, 'MMMM y', locale='sv')}",
                f"Date: {day:%Y-%m-%d} 18:00",
                "Include_events: 30",
                f"Summary: {self.sentence(14)}",
            ]
            sections = "\n\n".join(
                f"## {self.random.choice(TOPICS)}\n\n{self.paragraph()}" for _ in range(4)
            )
            self.write(
                f"newsletters/{day:%Y-%m-%d}-nyhetsbrev-{index:04d}.md",
                "\n".join(header) + "\n\nHej alla medlemmar!\n\n" + sections + "\n",
            )

    def write_minutes(self) -> None:
        span_days = 3 * 365
        for index in range(1, self.size.minutes + 1):
            day = local_date(-span_days + index * span_days // self.size.minutes)
            board = index % 5 == 0
            kind = "Styrelsemöte" if board else "Medlemsmöte"
            header = [
                f"Title: Protokoll {kind.lower()} {day:%Y-%m-%d} ({index})",
                f"Date: {day:%Y-%m-%d} 21:00",
            ]
            if board:
                header.append("Access: board")
            points = "\n".join(f"{n}. {self.sentence(10)}" for n in range(1, 8))
            self.write(
                f"minutes/{day:%Y-%m-%d}-protokoll-{index:04d}.md",
                "\n".join(header) + f"\n\n## Närvarande\n\n{self.sentence(8)}\n\n"
                f"## Beslut\n\n{points}\n\n{self.paragraph()}\n",
            )

    # --- calendar -----------------------------------------------------------------

    def write_calendar(self) -> None:
        """`events` entries over the branch file and every group's file; the first
        `series` of them (round-robin over the files) are series."""
        owners = [BRANCH_SLUG] + [slug for slug, _ in self.groups]
        entries: dict[str, list[str]] = {owner: [] for owner in owners}
        for index in range(self.size.events):
            owner = owners[index % len(owners)]
            if index < self.size.series:
                entries[owner].append(self._series(index))
            else:
                entries[owner].append(self._single_event(index))
        for owner in owners:
            header = f"group: {owner}\n" if owner == BRANCH_SLUG else ""
            self.write(
                f"calendar/{owner}.yaml", header + "events:\n" + "\n".join(entries[owner])
            )

    def _single_event(self, index: int) -> str:
        day = local_date(self.random.randint(-400, 400))
        lines = [
            f"  - id: evt-{index:05d}",
            f'    title: "{self.random.choice(TOPICS)}: träff {index}"',
        ]
        if index % 17 == 0:
            lines.append(f"    date: {day:%Y-%m-%d}")
        else:
            hour = self.random.choice((10, 13, 17, 18, 19))
            lines += [
                f'    start: "{day:%Y-%m-%d} {hour:02d}:30"',
                f'    end: "{hour + 2:02d}:00"',
            ]
        if index % 7 == 0:
            lines.append(f"    online: https://meet.example.org/m-{index}")
        else:
            lines.append(f"    location: Folkets hus, rum {index % 9 + 1}")
        lines.append(f"    categories: [{', '.join(self.random.sample(CATEGORIES, 2))}]")
        if index % 23 == 0:
            lines.append("    status: cancelled")
        if index % 11 == 0:
            lines.append(f"    registration: https://ekdala.example.org/anmalan/{index}")
        lines += [
            "    description: |",
            f"      {self.sentence(14)}",
            f"      {self.sentence(10)}",
        ]
        return "\n".join(lines) + "\n"

    def _series(self, index: int) -> str:
        """Weekly, fortnightly, nth-weekday and day-of-month series, all with a
        summer pause; the day-of-month ones move one occurrence."""
        first = local_date(-300 + index * 3)
        year = first.year + 1
        pause = f"      pause:\n        - from: {year}-06-16\n          to: {year}-08-14\n"
        kind = index % 4
        lines = [
            f"  - id: serie-{index:03d}",
            f'    title: "Återkommande möte {index}"',
            f'    start: "{first:%Y-%m-%d} 18:30"',
            '    end: "20:00"',
            f"    location: Folkets hus, rum {index % 9 + 1}",
            "    categories: [Gruppmöte]",
            f"    description: {self.sentence(12)}",
            "    repeat:",
        ]
        if kind in (0, 1):
            lines += ["      every: week", f"      on: {WEEKDAYS[index % 4]}"]
            if kind == 1:
                lines.append("      interval: 2")
        elif kind == 2:
            lines += [
                "      every: month",
                f"      on: {ORDINALS[index % 4]} {WEEKDAYS[index % 4]}",
            ]
        else:
            lines += ["      every: month", "      on: 15"]
        lines.append(f"      until: {year}-12-31")
        text = "\n".join(lines) + "\n" + pause
        if kind == 3:
            text += (
                f"      changes:\n        - date: {year}-03-15\n"
                f'          start: "{year}-03-17 18:30"\n'
                f'          end: "{year}-03-17 20:00"\n'
            )
        return text


def generate(size: str | Size, root: Path) -> Path:
    """Write a site's content into `root` (emptied first); returns `root`.

    `size` is a name from SIZES, or a Size of one's own (tests scale sites up
    and down with it); a Size is seeded by its own fields.
    """
    if root.exists():
        shutil.rmtree(root)
    seed = size if isinstance(size, str) else repr(size)
    writer = SiteWriter(SIZES[size] if isinstance(size, str) else size, seed, root)
    writer.write_groups()
    writer.write_pages()
    writer.write_news()
    writer.write_newsletters()
    writer.write_minutes()
    writer.write_calendar()
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("target", type=Path, help="content folder to (re)create")
    args = parser.parse_args()
    generate(args.size, args.target)
    print(f"wrote the {args.size} site into {args.target}")


if __name__ == "__main__":
    main()
