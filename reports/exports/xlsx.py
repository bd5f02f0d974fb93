"""The report as a workbook (openpyxl): one sheet per table in the printed layout (merged
headers, number formats, frozen panes, A4 print set-up with repeated header rows), and a
sheet of the data in the spec's keys (the CSV long form) for checking numbers."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.exports import layout
from reports.exports.csv import HEADER, inert, long_rows

DATA_SHEET = "data"
TITLE_ROW = 1
TABLE_TOP = 3  # the table's first printed row; row 2 names the report
FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BLANK_FILL = PatternFill("solid", fgColor="FFF2CC")
# Width of a table in Excel's character units (column widths share it by percent).
SHEET_WIDTH_CHARS = 96
WIDE_TABLE_COLUMNS = 12


def number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def sheet_title(table: layout.TableLayout) -> str:
    # Excel refuses : \ / ? * [ ] and names longer than 31 characters.
    return table.heading[:31]


def _write_table(sheet: Worksheet, doc: dict, table: layout.TableLayout) -> None:
    last_column = get_column_letter(table.width)
    sheet["A1"] = table.heading
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet["A2"] = layout.document_title(doc)
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet.merge_cells(f"A2:{last_column}2")

    for index, percent in enumerate(table.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(
            SHEET_WIDTH_CHARS * percent / 100, 1
        )

    for cell in table.cells:
        row, column = TABLE_TOP + cell.row, 1 + cell.col
        target = sheet.cell(row=row, column=column)
        if cell.header:
            target.value = inert(cell.text)
            target.alignment = Alignment(
                horizontal="left" if cell.kind == "label" else "center",
                vertical="center",
                wrap_text=True,
            )
        else:
            target.value = cell.value
            target.number_format = number_format(cell.decimals)
            target.alignment = Alignment(horizontal="center", vertical="center")
            if cell.blank:
                target.fill = BLANK_FILL
                target.comment = Comment(_("原报告此处空白，按原件保留。"), layout.body_name(doc))
        target.font = Font(name=FONT, size=10.5)
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
    if table.footnote:
        note_row = TABLE_TOP + table.height + 1
        sheet.cell(row=note_row, column=1, value=table.footnote).font = Font(name=FONT, size=10)

    first_data_row = TABLE_TOP + table.head_height
    sheet.freeze_panes = f"{get_column_letter(1 + table.label_width)}{first_data_row}"

    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if table.width > WIDE_TABLE_COLUMNS else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:{last_column}{TABLE_TOP + table.height - 1}"
    if table.head_height:
        sheet.print_title_rows = f"{TABLE_TOP}:{first_data_row - 1}"
    sheet.oddFooter.center.text = "— &P —"


def _write_data(sheet: Worksheet, doc: dict) -> None:
    sheet.append(HEADER)
    for *texts, value in long_rows(doc):
        sheet.append([*(inert(text) for text in texts), value])
        if value is not None:
            sheet.cell(row=sheet.max_row, column=len(HEADER)).number_format = number_format(
                layout.decimals_of(value)
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (10, 24, 40, 22, 28, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def render_xlsx(document: dict) -> bytes:
    workbook = Workbook()
    workbook.properties.title = layout.document_title(document)
    workbook.properties.creator = layout.body_name(document)
    workbook.properties.language = "zh-CN"
    workbook.remove(workbook.active)
    for table in layout.table_layouts(document):
        _write_table(workbook.create_sheet(sheet_title(table)), document, table)
    _write_data(workbook.create_sheet(DATA_SHEET), document)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
