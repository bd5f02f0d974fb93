"""The report as a workbook (openpyxl): one sheet per table in the printed layout (merged
headers, number formats, frozen panes, A4 print set-up with repeated header rows), and the
sheet 数据 of every cell in the spec's keys (the CSV long form, headed in Chinese) for
checking numbers.

Column widths come from ``paper.column_plan``: figures and row labels on one line,
header words wrapped only between two-character words, rows as high as their wrapped
headers. Every page says whether the workbook is a draft or which version it is
(``layout.marking``) in its header and footer, and the title line says it on screen. Every
text goes through ``disclosure.spreadsheets.safe_text``: no cell is a formula."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from disclosure.spreadsheets import ensure_no_formulas, safe_text, safe_value
from reports.exports import layout, paper
from reports.exports.csv import long_rows

TITLE_ROW = 1
TABLE_TOP = 3  # the table's first printed row; row 2 names the report
FONT = "宋体"
FONT_SIZE = 10.5
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BLANK_FILL = PatternFill("solid", fgColor="FFF2CC")

# Paper: A4 with 10 mm side margins; a 10.5 pt em is 3.70 mm; a cell's padding 1.6 mm.
MARGINS = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3, footer=0.3)
PRINTABLE_MM = {"portrait": 210 - 20.3, "landscape": 297 - 20.3}
# A table may be planned up to this much wider than the paper: fitting it to the page width
# then prints it at 90 % or more.
FIT_TOLERANCE = 1.1
EM_MM = FONT_SIZE * 25.4 / 72
CELL_PADDING_MM = 1.6
# Excel's column width is in characters of its default font (Calibri 11: 7 px a digit,
# 5 px of padding); a 10.5 pt em is 14 px at 96 dpi.
EM_PX = FONT_SIZE * 96 / 72
PADDING_PX = CELL_PADDING_MM * 96 / 25.4
LINE_PT = FONT_SIZE * 1.35
ROW_PADDING_PT = 4

# The 数据 sheet: row and column labels (columns C and E) wrap beyond this many characters.
DATA_LABEL_COLUMNS = (2, 4)
DATA_LABEL_CHARS = 42
DATA_LINE_PT = 15

SHEET_NAME_LIMIT = 31  # Excel's
SHEET_NAME_REFUSED = frozenset(":\\/?*[]")


def data_sheet_name() -> str:
    return _("数据")


def data_sheet_header() -> tuple[str, ...]:
    """The Chinese header of the 数据 sheet, over the CSV's columns (whose header keeps the
    spec's keys)."""
    return (_("表格代码"), _("行代码"), _("行名称"), _("列代码"), _("列名称"), _("数值"))


def number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def sheet_title(table: layout.TableLayout) -> str:
    """The table's heading (三、收到和处理政府信息公开申请情况): every heading of the format
    is a valid sheet name, so the tab says what the printed heading says."""
    title = table.heading
    if len(title) > SHEET_NAME_LIMIT or SHEET_NAME_REFUSED & set(title):
        raise ValueError(f"not a valid sheet name: {title!r}")
    return title


def column_width(em: float) -> float:
    """Excel's width (characters of Calibri 11) of a column holding ``em`` of our font."""
    return round((em * EM_PX + PADDING_PX - 5) / 7, 2)


def _page_plan(table: layout.TableLayout) -> tuple[str, paper.ColumnPlan]:
    """Portrait unless landscape is needed for the row labels to stay on one line or lets
    the header words wrap less (table 三 and 四 print across)."""
    plans = {}
    for orientation, width_mm in PRINTABLE_MM.items():
        available = (width_mm * FIT_TOLERANCE - table.width * CELL_PADDING_MM) / EM_MM
        plans[orientation] = paper.column_plan(table, available, one_line_labels=True)
    portrait, landscape = plans["portrait"], plans["landscape"]
    if portrait.fits and portrait.chars_per_line >= landscape.chars_per_line:
        return "portrait", portrait
    return "landscape", landscape


def _even_floor(em: float) -> int:
    return max(1, int(em) // 2 * 2)


def _stacked(cell: layout.Cell) -> bool:
    """Table 三's outer group (三、本年度办理结果) reads down its 22 rows, a character a line."""
    return "level-0" in cell.kind


def _header_text(cell: layout.Cell, widths: Sequence[float]) -> str:
    """A header's text with its line breaks: written into the cell, so that they do not move
    with the column widths another program computes (LibreOffice's are up to a third wider
    than Excel's when Calibri is missing)."""
    if cell.kind == "label" or _stacked(cell):
        return cell.text
    width = sum(widths[cell.col : cell.col + cell.colspan])
    return "\n".join(paper.header_lines(cell.text, _even_floor(width)))


def _row_heights(table: layout.TableLayout, texts: dict[layout.Cell, str]) -> dict[int, float]:
    """Height in points of each grid row holding more than one line (the others keep the
    default): a row as high as its tallest cell, a merged cell's lines shared by its rows."""
    lines = [1] * table.height
    spanning = []
    for cell, text in texts.items():
        needed = len(text) if _stacked(cell) else text.count("\n") + 1
        if cell.rowspan == 1:
            lines[cell.row] = max(lines[cell.row], needed)
        else:
            spanning.append((cell, needed))
    for cell, needed in spanning:
        short = needed - sum(lines[row] for row in range(cell.row, cell.end_row + 1))
        if short > 0:
            lines[cell.end_row] += short
    return {row: count * LINE_PT + ROW_PADDING_PT for row, count in enumerate(lines) if count > 1}


def _mark_pages(sheet: Worksheet, marking: layout.Marking) -> None:
    """草稿 at the head and 未发布 at the foot of every printed page of a draft; a version's
    number and SHA-256 at the foot of a published one; the page number in the middle."""
    if marking.header:
        sheet.oddHeader.center.text = marking.header
        sheet.oddHeader.center.size = 14
        sheet.oddHeader.center.font = f"{FONT},Bold"
    sheet.oddFooter.left.text = marking.footer
    sheet.oddFooter.left.size = 9
    sheet.oddFooter.center.text = "— &P —"


def _print_setup(sheet: Worksheet, orientation: str) -> None:
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = orientation
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = MARGINS
    sheet.print_options.horizontalCentered = True


def _title_line(doc: dict, marking: layout.Marking) -> str:
    status = " · ".join(text for text in (marking.header, marking.footer) if text)
    return _("%(title)s（%(status)s）") % {"title": layout.document_title(doc), "status": status}


def _write_table(sheet: Worksheet, doc: dict, table: layout.TableLayout) -> None:
    marking = layout.marking(doc)
    orientation, plan = _page_plan(table)
    last_column = get_column_letter(table.width)
    sheet["A1"] = safe_text(table.heading)
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet["A2"] = safe_text(_title_line(doc, marking))
    sheet["A2"].font = Font(name=FONT, size=10, bold=marking.draft)
    sheet.merge_cells(f"A2:{last_column}2")

    for index, em in enumerate(plan.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(em)

    texts = {cell: _header_text(cell, plan.widths) for cell in table.cells if cell.header}
    for cell in table.cells:
        row, column = TABLE_TOP + cell.row, 1 + cell.col
        target = sheet.cell(row=row, column=column)
        if cell.header:
            target.value = safe_text(texts[cell])
            label = cell.kind == "label"
            target.alignment = Alignment(
                horizontal="left" if label else "center",
                vertical="center",
                wrap_text=not label,
                textRotation=255 if _stacked(cell) else 0,
            )
        else:
            target.value = cell.value
            target.number_format = number_format(cell.decimals)
            target.alignment = Alignment(horizontal="center", vertical="center")
            if cell.blank:
                target.fill = BLANK_FILL
                target.comment = Comment(_("原报告此处空白，按原件保留。"), layout.body_name(doc))
        target.font = Font(name=FONT, size=FONT_SIZE)
        for covered_row in range(row, row + cell.rowspan):
            for covered_column in range(column, column + cell.colspan):
                sheet.cell(row=covered_row, column=covered_column).border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + cell.rowspan - 1,
                end_column=column + cell.colspan - 1,
            )
    for row, height in _row_heights(table, texts).items():
        sheet.row_dimensions[TABLE_TOP + row].height = height
    if table.footnote:
        note_row = TABLE_TOP + table.height + 1
        sheet.cell(row=note_row, column=1, value=safe_text(table.footnote)).font = Font(
            name=FONT, size=10
        )

    first_data_row = TABLE_TOP + table.head_height
    sheet.freeze_panes = f"{get_column_letter(1 + table.label_width)}{first_data_row}"
    _print_setup(sheet, orientation)
    sheet.print_area = f"A1:{last_column}{TABLE_TOP + table.height - 1}"
    if table.head_height:
        sheet.print_title_rows = f"{TABLE_TOP}:{first_data_row - 1}"
    _mark_pages(sheet, marking)


def _data_chars(text: str) -> float:
    """Excel's width (characters of Calibri 11) of ``text`` in the sheet's default font: a
    CJK character is about two digits wide, any other character one."""
    return sum(2.1 if paper.text_em(ch) == 1 else 1.05 for ch in text) + 1


def _write_data(sheet: Worksheet, doc: dict) -> None:
    """The long form, printed across A4: the label columns wrap at ``DATA_LABEL_CHARS``."""
    header = data_sheet_header()
    sheet.append([safe_text(text) for text in header])
    widest = [_data_chars(text) for text in header]
    for *texts, value in long_rows(doc):
        sheet.append([*(safe_value(text) for text in texts), value])
        line = sheet.max_row
        lines = 1
        for index, text in enumerate(texts):
            widest[index] = max(widest[index], _data_chars(text))
            if index in DATA_LABEL_COLUMNS:
                lines = max(lines, math.ceil(_data_chars(text) / DATA_LABEL_CHARS))
        if lines > 1:
            sheet.row_dimensions[line].height = lines * DATA_LINE_PT
            for cell in sheet[line]:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        if value is not None:
            sheet.cell(row=line, column=len(header)).number_format = number_format(
                layout.decimals_of(value)
            )
            widest[-1] = max(widest[-1], _data_chars(layout.display(value)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, chars in enumerate(widest):
        if index in DATA_LABEL_COLUMNS:
            chars = min(chars, DATA_LABEL_CHARS)
        sheet.column_dimensions[get_column_letter(index + 1)].width = round(chars, 1)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet, "landscape")
    sheet.print_title_rows = "1:1"
    _mark_pages(sheet, layout.marking(doc))


def render_xlsx(document: dict) -> bytes:
    workbook = Workbook()
    workbook.properties.title = layout.document_title(document)
    workbook.properties.creator = layout.body_name(document)
    workbook.properties.language = "zh-CN"
    workbook.remove(workbook.active)
    for table in layout.table_layouts(document):
        _write_table(workbook.create_sheet(sheet_title(table)), document, table)
    _write_data(workbook.create_sheet(data_sheet_name()), document)
    ensure_no_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
