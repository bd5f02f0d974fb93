"""A Word file (.docx), through python-docx: body paragraphs in order (a line break inside
one is a hard break), each table row a grid of cells with horizontal (``gridSpan``) and
vertical (``vMerge``) merges laid out. Headers and footers are not part of the body."""

from __future__ import annotations

import io
import zipfile

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError

from disclosure.importing import limits as import_limits
from disclosure.importing.archive import Unreadable, check_directory
from reports.reading.errors import ReadingError
from reports.reading.limits import LineBudget
from reports.reading.normalise import is_page_number
from reports.reading.source import BREAK, PARAGRAPH, Line, Source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(paragraph) -> str:
    """A ``w:p`` element's text: runs, tabs as tabs, line breaks as newlines."""
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            if node.get(f"{W}type") in (None, "textWrapping"):
                parts.append("\n")
    return "".join(parts)


def _cell_text(cell) -> str:
    return "".join(
        _paragraph_text(paragraph).replace("\n", "").strip() for paragraph in cell.iter(f"{W}p")
    )


def _table_rows(table) -> list[tuple[str | None, ...]]:
    rows: list[list[str | None]] = []
    for row in table.iterchildren(f"{W}tr"):
        cells: list[str | None] = []
        properties = row.find(f"{W}trPr")
        before = properties.find(f"{W}gridBefore") if properties is not None else None
        if before is not None:
            cells.extend([None] * int(before.get(f"{W}val", "0")))
        for cell in row.iterchildren(f"{W}tc"):
            cell_properties = cell.find(f"{W}tcPr")
            span = 1
            merged = False
            if cell_properties is not None:
                grid_span = cell_properties.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(f"{W}val", "1")))
                v_merge = cell_properties.find(f"{W}vMerge")
                merged = v_merge is not None and v_merge.get(f"{W}val") in (None, "continue")
            cells.append(None if merged else _cell_text(cell))
            cells.extend([None] * (span - 1))
        rows.append(cells)
    width = max((len(row) for row in rows), default=0)
    return [tuple(row + [None] * (width - len(row))) for row in rows]


def check_parts(data: bytes) -> None:
    """Refuse a .docx bomb before python-docx reads it: the zip directory under the import's
    rule (``check_directory``: parts, sizes, compression ratio), and every XML part — which
    python-docx parses whole — within the cap of parts read whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_directory(archive)
    except zipfile.BadZipFile as error:
        raise ReadingError(
            _("Word 文件已损坏或不是 .docx 文件：%(error)s") % {"error": error}
        ) from error
    except Unreadable as error:
        raise ReadingError(str(error)) from None
    for part in archive.infolist():
        if (
            part.filename.endswith((".xml", ".rels"))
            and part.file_size > import_limits.MAX_WHOLE_PART_BYTES
        ):
            raise ReadingError(
                _(
                    "Word 文件的部件“%(part)s”解压后为 %(size)s MB，超过 %(limit)s MB 的上限，不予读取。"
                )
                % {
                    "part": part.filename,
                    "size": f"{part.file_size / import_limits.MB:,.0f}",
                    "limit": f"{import_limits.MAX_WHOLE_PART_BYTES // import_limits.MB}",
                }
            )


def read_docx(data: bytes) -> Source:
    check_parts(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadingError(
            _("Word 文件已损坏或不是 .docx 文件：%(error)s") % {"error": error}
        ) from error
    lines: list[Line] = []
    budget = LineBudget()
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            gap = PARAGRAPH
            for part in _paragraph_text(element).split("\n"):
                text = part.strip(" \u3000\xa0")
                if text and not is_page_number(text):
                    lines.append(budget.take(Line(text=text, cells=(text,), gap=gap)))
                    gap = BREAK
        elif element.tag == f"{W}tbl":
            for cells in _table_rows(element):
                if any(cells):
                    line = Line(text="\t".join(c or "" for c in cells), cells=cells, grid=True)
                    lines.append(budget.take(line))
    return Source(kind="docx", lines=tuple(lines))
