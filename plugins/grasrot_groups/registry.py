"""Read `PATH/groups/*.md` once per build into a validated GroupRegistry.

Any plugin may call `registry(settings)` at any phase (the calendar checks its
files' `group:` against it); the first call parses and validates the group
files, reports problems to the build's error collector, and keeps the result
in the build's state (grasrot_core.state), so each build reads them afresh.
"""

from __future__ import annotations

import os
import re
from glob import glob

from pelican.utils import slugify

import grasrot_core
import grasrot_core.state
from grasrot_core import metadata_keys
from grasrot_core.images import image_problems
from grasrot_core.markdown_html import markdown_renderer, render_markdown
from grasrot_core.messages import message_of, msg
from grasrot_core.reader import as_list, header_record, split_header
from grasrot_core.textfile import UnreadableFile, read_text
from grasrot_core.yamlload import YamlList, YamlMap, scalar_text

from .model import KIND_LABELS, KINDS, Group, Person, fold
from .postcodes import BadPostcode, PostcodeRange, parse_postcodes

GROUPS_FOLDER = "groups"

KNOWN_KEYS = metadata_keys.ACCEPTED_KEYS[GROUPS_FOLDER]
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")
PERSON = re.compile(r"^(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]*)>)?$")
EXPLICIT_SLUG = re.compile(r"^[\w-]+$")
# Officers often write the kind in Swedish; suggest the English value.
SWEDISH_KINDS = {
    "distrikt": "district",
    "distriktsgrupp": "district",
    "nätverk": "network",
    "natverk": "network",
    "intresse": "interest",
    "intressegrupp": "interest",
    "studiecirkel": "interest",
}
# The front matter's YAML starts on the line after the opening '---'.
FRONT_MATTER_OFFSET = 1


class GroupRegistry:
    """All groups of the site, by slug; `.groups` is sorted by slug."""

    def __init__(self, groups: list[Group]):
        self._by_slug = {group.slug: group for group in groups}
        self.groups = sorted(self._by_slug.values(), key=lambda g: g.slug)
        self.slugs = [group.slug for group in self.groups]
        self._by_key = {reference_key(group.slug): group.slug for group in self.groups}

    def get(self, slug):
        found = self._by_slug.get(slug)  # the common case: one lookup
        return found if found is not None else self._by_slug.get(self.canonical(slug))

    def __contains__(self, slug) -> bool:
        return slug in self._by_slug or self.canonical(slug) is not None

    def canonical(self, written):
        """The slug a reference means, with or without å, ä, ö ('västra-ekdala' and
        'Vastra-Ekdala' both mean 'vastra-ekdala'); None for an unknown group."""
        if written in self._by_slug:
            return written
        return self._by_key.get(reference_key(str(written or "")), None)

    def __iter__(self):
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def by_kind(self) -> list[tuple[str, list[Group]]]:
        """[(kind, groups by title), ...] in the order district, network, interest."""
        ordered = sorted(self.groups, key=lambda g: g.sort_key)
        return [
            (kind, [g for g in ordered if g.kind == kind])
            for kind in KINDS
            if any(g.kind == kind for g in ordered)
        ]

    def unknown_message(self, slug) -> str:
        """The error for a reference to a group that does not exist."""
        if not self.slugs:
            return msg(
                "unknown group '{slug}': this site has no groups yet. Add "
                "content/groups/{slug}.md or remove the reference.",
                slug=slug,
            )
        return msg(
            "unknown group '{slug}'.{hint} Known groups: {known}.",
            slug=slug,
            hint=grasrot_core.did_you_mean(str(slug), self.slugs),
            known=", ".join(self.slugs),
        )


def reference_key(written: str) -> str:
    """How references compare: diacritics, case and spaces do not matter."""
    return "-".join(fold(written).replace("_", "-").replace("-", " ").split())


def registry(settings) -> GroupRegistry:
    """The build's group registry, parsed and validated on first use."""
    path = os.path.abspath(settings["PATH"])
    build = grasrot_core.state.current(settings)
    return build.slot("groups", lambda: GroupRegistry(_read_all(path, settings)))


def group_files(content_path: str) -> list[str]:
    return sorted(glob(os.path.join(content_path, GROUPS_FOLDER, "*.md")))


def _read_all(content_path: str, settings) -> list[Group]:
    errors = grasrot_core.collector(settings)
    parsed_files = []
    for source in group_files(content_path):
        parsed = GroupFile(source, settings)
        group = parsed.read()
        for line, col, message in parsed.problems:
            errors.add(source, line, col, message)
        if group is not None:
            parsed_files.append((parsed, group))
    groups = _without_duplicate_slugs(parsed_files, errors)
    _check_areas_claimed_once(groups, errors)
    _check_postcodes_claimed_once(groups, errors)
    return groups


def _without_duplicate_slugs(parsed_files, errors) -> list[Group]:
    """Report each file of a slug used twice (neither file is the 'right' one)."""
    files_of: dict[str, list] = {}
    for parsed, group in parsed_files:
        files_of.setdefault(group.slug, []).append(parsed)
    for slug, files in files_of.items():
        if len(files) < 2:
            continue
        for parsed in files:
            others = ", ".join(os.path.basename(f.source) for f in files if f is not parsed)
            line, col = parsed.slug_pos
            errors.add(
                parsed.source,
                line,
                col,
                msg(
                    "duplicate group slug '{slug}': {others} uses it too. Give one "
                    "of the groups another slug (a 'slug:' line or another file name).",
                    slug=slug,
                    others=others,
                ),
            )
    return [group for _parsed, group in parsed_files if len(files_of[group.slug]) == 1]


def _check_areas_claimed_once(groups: list[Group], errors) -> None:
    """An area belongs to one district group, or the area finder cannot answer."""
    owner: dict[str, Group] = {}
    for group in sorted(groups, key=lambda g: (g.source_path, g.slug)):
        if group.kind != "district":
            continue
        for index, area in enumerate(group.areas):
            key = fold(area)
            first = owner.setdefault(key, group)
            if first is group:
                continue
            line, col = group.area_positions[index]
            errors.add(
                group.source_path,
                line,
                col,
                msg(
                    "area '{area}' is already covered by the district group "
                    "'{group}' ({file}). "
                    "An area belongs to one district group: remove it here or there.",
                    area=area,
                    group=first.slug,
                    file=os.path.basename(first.source_path),
                ),
            )


def _check_postcodes_claimed_once(groups: list[Group], errors) -> None:
    """A postcode belongs to one district group, like an area."""
    seen: list[tuple[PostcodeRange, Group]] = []
    for group in sorted(groups, key=lambda g: (g.source_path, g.slug)):
        for postcodes in group.postcodes:
            other = next(
                (g for r, g in seen if r.overlaps(postcodes) and g is not group), None
            )
            if other is not None:
                errors.add(
                    group.source_path,
                    group.postcodes_line,
                    1,
                    msg(
                        "postcodes '{postcodes}' are already covered by the "
                        "district group '{group}' ({file}). A postcode belongs "
                        "to one district group: remove it here or there.",
                        postcodes=postcodes.label,
                        group=other.slug,
                        file=os.path.basename(other.source_path),
                    ),
                )
            seen.append((postcodes, group))


class GroupFile:
    """One group file: its header fields read into a Group, problems by position."""

    def __init__(self, source: str, settings):
        self.source = source
        self.settings = settings
        self.problems: list[tuple[int, int, str]] = []
        self.slug_pos = (1, 1)

    def problem(self, pos, message: str) -> None:
        self.problems.append((pos[0], pos[1], message))

    def read(self) -> Group | None:
        try:
            text = read_text(self.source)
        except UnreadableFile as exc:
            self.problem((exc.line, exc.col), exc.message)
            return None
        fields, body, body_start, header_errors = split_header(text)
        if header_errors:  # the header could not be read: nothing more to check
            self.problems.extend(header_errors)
            return None
        known = metadata_keys.accepted_keys(GROUPS_FOLDER, self.settings)
        record = header_record(fields, text, body_start)
        record["fields"] = []  # unknown fields get the group wording below
        self.problems.extend(
            metadata_keys.header_problems(record, GROUPS_FOLDER, self.settings)
        )
        values, positions = {}, {}
        for key, value, line, col in fields:
            name = key.strip().lower()
            if name not in known:
                self.problem(
                    (line, col),
                    msg(
                        "unknown group field '{key}'.{hint} Group fields: {known}.",
                        key=key,
                        hint=grasrot_core.did_you_mean(name, sorted(known)),
                        known=", ".join(KNOWN_KEYS),
                    ),
                )
                continue
            values[name], positions[name] = value, (line, col)
        self.positions = positions
        return self._group(values, body)

    def _group(self, values: dict, body: str) -> Group:
        markdown = markdown_renderer(self.settings)
        title = scalar_text(values.get("title"))
        if not title:
            self.problem(
                self.positions.get("title", (1, 1)),
                msg(
                    "missing title: add a first line 'Title: Norra Ekdala' "
                    "(or 'title: …' in the front matter)."
                ),
            )
        kind = self._kind(values)
        slug = self._slug(values)
        areas, area_positions = self._areas(values, kind)
        label = KIND_LABELS.get(kind)
        return Group(
            slug=slug,
            title=title or slug,
            kind=kind,
            source_path=self.source,
            description=render_markdown(markdown, body),
            summary=scalar_text(values.get("summary")),
            areas=areas,
            area_positions=area_positions,
            postcodes=self._postcodes(values, kind),
            postcodes_line=self.positions.get("postcodes", (1, 1))[0],
            streets=self._streets(values, kind),
            convenors=self._people(values, "convenors"),
            contact_person=self._contact_person(values),
            email=self._email(values),
            meets=scalar_text(values.get("meets")),
            join=render_markdown(markdown, scalar_text(values.get("join"))),
            image=self._image(values),
            image_alt=scalar_text(values.get("image_alt")),
            kind_label=grasrot_core.i18n.gettext_for(self.settings)(label) if label else "",
        )

    def _kind(self, values) -> str:
        kind = scalar_text(values.get("kind")).lower()
        if kind in KINDS:
            return kind
        pos = self.positions.get("kind", (1, 1))
        if not kind:
            self.problem(
                pos,
                msg(
                    "missing kind: add 'kind: district' (or {others}).",
                    others=", ".join(KINDS[1:]),
                ),
            )
        else:
            hint = (
                msg(" Did you mean '{word}'?", word=SWEDISH_KINDS[kind])
                if kind in SWEDISH_KINDS
                else grasrot_core.did_you_mean(kind, KINDS)
            )
            self.problem(
                pos,
                msg(
                    "unknown group kind '{kind}': use one of {choices}.{hint}",
                    kind=kind,
                    choices=", ".join(KINDS),
                    hint=hint,
                ),
            )
        return kind

    def _slug(self, values) -> str:
        stem = os.path.splitext(os.path.basename(self.source))[0]
        written = scalar_text(values.get("slug"))
        if "slug" in self.positions:
            self.slug_pos = self.positions["slug"]
        if not written:
            return self._slugify(stem)
        if not EXPLICIT_SLUG.match(written) or written != written.lower():
            self.problem(
                self.slug_pos,
                msg(
                    "slug '{written}' cannot be part of a web address: "
                    "write 'slug: {suggestion}'.",
                    written=written,
                    suggestion=self._slugify(written),
                ),
            )
            return self._slugify(written)
        return written

    def _slugify(self, text: str) -> str:
        return slugify(
            text,
            regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=False,
            use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False),
        )

    def _areas(self, values, kind) -> tuple[list[str], list[tuple[int, int]]]:
        areas, positions = self._items(values, "areas")
        pos = self.positions.get("areas", (1, 1))
        if kind == "district" and not areas:
            self.problem(
                pos,
                msg(
                    "a district group needs its areas: add "
                    "'areas: Norrby, Älvsby' (the district areas it covers)."
                ),
            )
        if kind in ("network", "interest") and areas:
            self.problem(
                pos,
                msg(
                    "only district groups have areas, and this is a {kind}: "
                    "remove 'areas:' or write 'kind: district'.",
                    kind=kind,
                ),
            )
        return [str(area) for area in areas], positions

    def _postcodes(self, values, kind) -> list[PostcodeRange]:
        items, positions = self._items(values, "postcodes")
        if items and kind != "district":
            self.problem(
                self.positions["postcodes"],
                msg(
                    "only district groups cover postcodes, and this is a {kind}: "
                    "remove 'postcodes:'.",
                    kind=kind,
                ),
            )
            return []
        found = []
        for item, pos in zip(items, positions, strict=True):
            try:
                found.append(parse_postcodes(item))
            except BadPostcode as exc:
                self.problem(pos, message_of(exc))
        return found

    def _streets(self, values, kind) -> list[str]:
        items, _positions = self._items(values, "streets")
        if items and kind != "district":
            self.problem(
                self.positions["streets"],
                msg(
                    "only district groups cover streets, and this is a {kind}: "
                    "remove 'streets:'.",
                    kind=kind,
                ),
            )
            return []
        return [str(item) for item in items]

    def _people(self, values, key) -> list[Person]:
        items, item_positions = self._items(values, key)
        people = []
        for item, pos in zip(items, item_positions, strict=True):
            person = self._person(item, pos, key)
            if person:
                people.append(person)
        return people

    def _contact_person(self, values) -> Person | None:
        """One person: 'Name <e-mail>' or {name, email}, never split at commas."""
        value = values.get("contact_person")
        if value is None or value == "":
            return None
        return self._person(value, self.positions["contact_person"], "contact_person")

    def _person(self, item, pos, key) -> Person | None:
        example = f"'{key}: Anna Berg <anna.berg@example.org>'"
        if isinstance(item, YamlMap):
            name, email = scalar_text(item.get("name")), scalar_text(item.get("email"))
            if email:
                line, col = item.pos("email")
                pos = (line + FRONT_MATTER_OFFSET, col)
        else:
            match = PERSON.match(scalar_text(item))
            if not match:
                self.problem(
                    pos,
                    msg(
                        "cannot read '{item}' in {key}: write {example}.",
                        item=item,
                        key=key,
                        example=example,
                    ),
                )
                return None
            name, email = match.group("name").strip(), (match.group("email") or "").strip()
        if not name:
            self.problem(
                pos,
                msg(
                    "a name is missing in {key}: write {example}.", key=key, example=example
                ),
            )
            return None
        if email and not EMAIL.match(email):
            self.problem(
                pos,
                msg(
                    "'{email}' is not an e-mail address: write {example}.",
                    email=email,
                    example=example,
                ),
            )
            email = ""
        return Person(name=name, email=email)

    def _email(self, values) -> str:
        email = scalar_text(values.get("email"))
        if email and not EMAIL.match(email):
            self.problem(
                self.positions["email"],
                msg(
                    "'{email}' is not an e-mail address: write "
                    "'email: norra@ekdala.example.org'.",
                    email=email,
                ),
            )
            return ""
        return email

    def _image(self, values) -> str:
        image = scalar_text(values.get("image")).lstrip("/")
        if not image:
            return ""
        # Only files under STATIC_PATHS are copied to the site.
        static = [p.strip("/") + "/" for p in self.settings.get("STATIC_PATHS", ["images"])]
        copied = any(image.startswith(folder) for folder in static)
        if not copied or not os.path.isfile(os.path.join(self.settings["PATH"], image)):
            self.problem(
                self.positions["image"],
                msg(
                    "image '{path}' is not in the content folder's images: "
                    "put the file in content/images/ and write "
                    "'image: images/<file name>'.",
                    path=image,
                ),
            )
            return ""
        for _key, message in image_problems(image, values.get("image_alt"), self.settings):
            self.problem(self.positions["image"], message)  # `image_alt:` is missing
        return image

    def _items(self, values, key):
        """A field that may be a YAML list or 'a, b' text: (items, positions)."""
        value = values.get(key)
        if value is None or value == "":
            return [], []
        key_pos = self.positions[key]
        if isinstance(value, YamlList):
            positions = [
                (line + FRONT_MATTER_OFFSET, col)
                for line, col in (value.pos(i) for i in range(len(value)))
            ]
            return list(value), positions
        if isinstance(value, YamlMap):
            return [value], [key_pos]
        items = as_list(value)
        return items, [key_pos] * len(items)
