"""What every reader gives: the source's lines in reading order, tables as rows of cells.

A reader (``reports.reading.readers``) turns a file into a ``Source``: text lines as they
run, and each row of a drawn table as one ``Line`` whose ``cells`` are the table's grid
(``None`` where a merged cell covers the place). The rest of the reading — sections,
tables, repairs — works on this alone, whatever the file was.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a line follows the one before it.
WRAP = "wrap"  # the same paragraph, wrapped by the layout: joined without a separator
BREAK = "break"  # a hard line break inside a paragraph (a <br>, a line of a text file)
PARAGRAPH = "paragraph"  # a new paragraph (a blank line, <p>, indentation in a PDF)


@dataclass(frozen=True)
class Line:
    """One line of the source.

    ``cells``: for a table row (``grid``), the grid cells left to right, ``None`` where a
    merged cell covers the place and ``""`` for a cell printed empty; for a text line, its
    parts (split at tabs, wide gaps, or around the figures of a flattened table row).
    ``xs``: the horizontal centre of each part, when the source gives positions (PDF).
    ``tabbed``: the parts are a text line's tab-separated cells, each in its place.
    """

    text: str
    cells: tuple[str | None, ...]
    gap: str = PARAGRAPH
    page: int = 1
    grid: bool = False
    xs: tuple[float, ...] | None = None
    tabbed: bool = False  # a text line's cells are its tab positions (empty ones kept)

    @property
    def single_text(self) -> str:
        """The line's text; for a table row with one non-empty cell, that cell."""
        if not self.grid:
            return self.text
        filled = [cell for cell in self.cells if cell and cell.strip()]
        return filled[0] if len(filled) == 1 else ""


@dataclass(frozen=True)
class Source:
    """A file as read: its kind (``pdf``, ``html``, ``docx``, ``text``), its lines and pages."""

    kind: str
    lines: tuple[Line, ...]
    pages: int = 1

    def display_text(self) -> str:
        """The lines as text for people: table rows with their cells separated by " | ",
        pages marked."""
        out: list[str] = []
        page = None
        for line in self.lines:
            if self.pages > 1 and line.page != page:
                page = line.page
                out.append(f"—— 第 {page} 页 ——")
            if line.grid:
                out.append(" | ".join(cell or "" for cell in line.cells if cell is not None))
            else:
                out.append(line.text)
        return "\n".join(out)
