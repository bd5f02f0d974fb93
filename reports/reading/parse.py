"""A source's parts: cover letter, title, narrative sections and the three tables as read,
before any repair (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass

from reports.reading import sections, tables
from reports.reading.sections import Layout, Title
from reports.reading.source import Line, Source
from reports.reading.tables import TableRead


@dataclass(frozen=True)
class Parsed:
    source: Source
    layout: Layout
    cover_letter: dict
    narrative: dict[str, str]
    tables: dict[str, TableRead]

    @property
    def title(self) -> Title | None:
        return self.layout.title

    @property
    def found_figures(self) -> bool:
        """Whether any table cell was printed (a figure or a blank) in the source."""
        return any(
            cell.state != tables.LOST
            for table in self.tables.values()
            for cell in table.cells.values()
        )


def parse(source: Source) -> Parsed:
    lines: list[Line] = list(source.lines)
    layout = sections.find_layout(lines)
    title = layout.title
    first_section = min(layout.headings.values(), default=len(lines))
    if title is not None:
        letter = sections.cover_letter(lines[: title.start])
        opening_lines = lines[title.index + 1 : first_section]
    else:
        letter = {}
        opening_lines = []
    narrative = {"opening": sections.narrative(opening_lines)}
    for key in ("overview", "problems", "other_matters"):
        narrative[key] = sections.narrative(layout.section_lines(lines, key))
    read = {
        "proactive": tables.read_proactive(layout.region(lines, "proactive")),
        "requests": tables.read_requests(layout.region(lines, "requests")),
        "appeals": tables.read_appeals(layout.region(lines, "appeals")),
    }
    return Parsed(
        source=source, layout=layout, cover_letter=letter, narrative=narrative, tables=read
    )
