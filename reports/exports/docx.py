"""The report as an editable Word document (python-docx): the same title, narrative and
tables (with the format's merged header cells) as the PDF, in the fonts Chinese offices
use — 宋体 title, 仿宋 text, 黑体 headings — so officials can finish the wording in Word.

Tables have a fixed layout with column widths from ``paper.column_plan`` (figures
on one line, header words broken only between two-character words; the largest font from
五号 down that allows it) and header rows repeated on every page. Every page says whether the
document is a draft (草稿 at the head, 未发布 at the foot) or which version it is
(``layout.marking``)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from disclosure import word as paperword
from disclosure.word import (
    RED,
    SONG,
)
from disclosure.word import fonts as _fonts
from disclosure.word import paragraph as _paragraph
from disclosure.word import set_styles as _set_styles
from reports import format as fmt
from reports.exports import layout, paper

TABLE_SIZE = Pt(10.5)
# Table fonts tried in turn, 五号 down, until the table's figures and header words fit.
TABLE_SIZES_PT = (10.5, 10, 9.5, 9, 8.5, 8, 7.5)
TEXT_WIDTH_MM = 156  # GB/T 9704 版心: 156 × 225 mm
CELL_MARGIN_MM = 0.5  # left and right, inside each cell
# Planned per column beyond the text: both cell margins and the borders between cells.
CELL_PADDING_MM = 2 * CELL_MARGIN_MM + 0.4
PT_MM = 25.4 / 72


def _title(document, lines) -> None:
    paragraph = document.add_paragraph(style="Title")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()


def _cover_letter(document, doc: dict, cover: dict) -> None:
    issuer = _paragraph(
        document,
        layout.body_name(doc),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        east_asian=SONG,
        size=Pt(30),
        bold=True,
    )
    issuer.runs[0].font.color.rgb = RED
    issuer.paragraph_format.line_spacing = Pt(44)
    if cover.get("number"):
        _paragraph(document, cover["number"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _title(document, layout.cover_letter_title_lines(doc))
    if cover.get("addressee"):
        _paragraph(document, f"{cover['addressee']}：", indent=False)
    for paragraph in layout.paragraphs(cover.get("body_text")):
        _paragraph(document, paragraph.text)
    document.add_paragraph()
    signature = [layout.body_name(doc)]
    if cover.get("date"):
        signature.append(layout.chinese_date(cover["date"]))
    for line in signature:
        _paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _row_property(row, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _cell_margins(grid) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(Mm(CELL_MARGIN_MM).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    grid._tbl.tblPr.append(margins)


def table_plan(table: layout.TableLayout) -> tuple[float, list[float]]:
    """The table's font size (pt) and column widths (mm): the largest size from 五号 down
    at which the figures and header words fit the text width (the smallest otherwise)."""
    for size in TABLE_SIZES_PT:
        em_mm = size * PT_MM
        available = (TEXT_WIDTH_MM - table.width * CELL_PADDING_MM) / em_mm
        plan = paper.column_plan(table, available, one_line_labels=False)
        if plan.fits:
            break
    return size, [em * em_mm + CELL_PADDING_MM for em in plan.widths]


def add_table(document, table: layout.TableLayout):
    """The table with its merged cells in a fixed layout; header rows repeat on each page,
    and no row splits across pages. Row labels and their figures stand at the top of their
    cells, so that a figure is on the first line of a label that wraps."""
    size, widths_mm = table_plan(table)
    grid = document.add_table(rows=table.height, cols=table.width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: the widths below hold in any office program
    _cell_margins(grid)
    for index, row in enumerate(grid.rows):
        _row_property(row, "w:cantSplit")
        if index < table.head_height:
            _row_property(row, "w:tblHeader")
    # Table.cell() re-walks the whole grid on every call; take each row's cells once, before
    # merging (merged areas never overlap, so every corner taken here survives the merges).
    places = [[_Cell(tc, grid) for tc in row._tr.tc_lst] for row in grid.rows]
    widths = [Mm(width) for width in widths_mm]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in places:
        for place, width in zip(row, widths, strict=True):
            place.width = width
    for cell in table.cells:
        target = places[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(places[cell.end_row][cell.end_col])
        in_body = cell.row >= table.head_height and "group" not in cell.kind
        target.vertical_alignment = (
            WD_CELL_VERTICAL_ALIGNMENT.TOP if in_body else WD_CELL_VERTICAL_ALIGNMENT.CENTER
        )
        paragraph = target.paragraphs[0]
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.alignment = (
            WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        )
        run = paragraph.add_run(cell.mark if cell.blank else cell.text)
        _fonts(run, SONG, Pt(size))
    if table.footnote:
        _paragraph(document, table.footnote, indent=False, east_asian=SONG, size=TABLE_SIZE)
    return grid


def render_docx(document: dict) -> bytes:
    word = Document()
    _set_styles(word)
    marking = layout.marking(document)
    paperword.page_setup(word, header=marking.header, footer=marking.footer)
    properties = word.core_properties
    properties.title = layout.document_title(document)
    properties.author = layout.body_name(document)
    properties.language = "zh-CN"

    if cover := document.get("cover_letter"):
        _cover_letter(word, document, cover)
    _title(word, layout.title_lines(document))
    for paragraph in layout.narrative(document, "opening"):
        _paragraph(word, paragraph.text)
    has_narrative = "narrative" in document
    for section in fmt.SECTIONS:
        if section.kind == "table":
            word.add_heading(section.heading, level=1)
            add_table(word, layout.table_layout(document, section.key))
        elif has_narrative:
            word.add_heading(section.heading, level=1)
            for paragraph in layout.narrative(document, section.key):
                if paragraph.subheading:
                    word.add_heading(paragraph.text, level=2)
                else:
                    _paragraph(word, paragraph.text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
