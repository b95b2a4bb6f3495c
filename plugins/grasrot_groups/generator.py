"""Write the group pages, the directory and the area index (generate_output only)."""

from __future__ import annotations

import os

from pelican.generators import Generator

from grasrot_core.i18n import gettext_for

from .directory import AREA_INDEX_NAME, area_examples, area_index, area_index_json
from .model import DIRECTORY_URL, KIND_HEADINGS, CalendarLink
from .registry import registry


class GroupsGenerator(Generator):
    """Reads nothing itself: the registry has parsed content/groups/ already."""

    def generate_context(self):
        groups = registry(self.settings)
        calendar_link = CalendarLink(self.context, self.settings)
        for group in groups.groups:
            group.calendar_link = calendar_link
        self.context["groups"] = groups.groups
        self.context["group_registry"] = groups

    def generate_output(self, writer):
        groups = registry(self.settings)
        relative_urls = self.settings.get("RELATIVE_URLS", False)
        writer.write_file(
            DIRECTORY_URL + "index.html",
            self.get_template("groups/directory"),
            self.context,
            relative_urls,
            url=DIRECTORY_URL,
            kind_sections=self._kind_sections(groups),
            area_index_url=AREA_INDEX_NAME,
            area_entries=area_index(groups.groups),
            area_examples=area_examples(groups.by_kind()),
        )
        for group in groups.groups:
            writer.write_file(
                group.save_as,
                self.get_template("groups/group"),
                self.context,
                relative_urls,
                url=group.url,
                group=group,
            )
        self._write_area_index(groups.groups)

    def planned_files(self) -> list[str]:
        """What generate_output writes (for the link checker, before writing)."""
        groups = registry(self.settings).groups
        return [
            DIRECTORY_URL + "index.html",
            DIRECTORY_URL + AREA_INDEX_NAME,
            *(group.save_as for group in groups),
        ]

    def _kind_sections(self, groups) -> list[dict]:
        """[{kind, heading (translated), groups}] in directory order."""
        _ = gettext_for(self.settings)
        return [
            {"kind": kind, "heading": _(KIND_HEADINGS[kind]), "groups": members}
            for kind, members in groups.by_kind()
        ]

    def _write_area_index(self, groups) -> None:
        path = os.path.join(self.output_path, DIRECTORY_URL, AREA_INDEX_NAME)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(area_index_json(groups))
