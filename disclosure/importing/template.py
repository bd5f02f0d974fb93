"""The empty import workbook offered for download: header rows, drop-down lists for the
allowed values, date-formatted date columns and an instructions sheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from disclosure.importing import values
from disclosure.importing.columns import INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS
from disclosure.spreadsheets import ensure_no_formulas, safe_text, safe_value

# Rows of each sheet that carry the drop-down lists and formats.
TEMPLATE_ROWS = 5000
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def template_workbook() -> bytes:
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    list_ranges = _write_lists(lists)
    for spec in SHEETS.values():
        worksheet = workbook.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            cell = worksheet.cell(row=1, column=index, value=safe_text(column.name))
            cell.font = Font(bold=True)
            cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
            worksheet.column_dimensions[letter].width = max(12, 2 * len(column.name) + 4)
            cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            if column.choices:
                validation = DataValidation(
                    type="list",
                    formula1=list_ranges[(spec.name, column.name)],
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle=_("不允许的值"),
                    error=_("请从下拉列表中选择“%(column)s”。") % {"column": column.name},
                )
                validation.add(cells)
                worksheet.add_data_validation(validation)
            elif column.parse is values.parse_date:
                # A column style, not 5000 styled cells: typed dates show as YYYY-MM-DD.
                worksheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        worksheet.freeze_panes = "A2"
    _write_instructions(instructions)
    # The lists sheet last and hidden: it only feeds the drop-downs.
    workbook.move_sheet(lists, offset=len(workbook.sheetnames) - 1)
    lists.sheet_state = "hidden"
    ensure_no_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lists(lists) -> dict[tuple[str, str], str]:
    ranges: dict[tuple[str, str], str] = {}
    index = 0
    for spec in SHEETS.values():
        for column in spec.columns:
            if not column.choices:
                continue
            index += 1
            letter = get_column_letter(index)
            lists.cell(row=1, column=index, value=safe_text(f"{spec.name}·{column.name}"))
            for offset, label in enumerate(column.choices, start=2):
                lists.cell(row=offset, column=index, value=safe_text(str(label)))
            last = len(column.choices) + 1
            ranges[(spec.name, column.name)] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _write_instructions(sheet) -> None:
    general = [
        _("政府信息公开台账导入模板"),
        "",
        _(
            "1. 各表均可选用；不需要的表可以删除，但不要改动表名和列名（未知的表名或列名会被拒绝）。"
        ),
        _("2. 第一行是列名；标为橙色的是必填列，其余列可以留空，也可以整列删除。"),
        _(
            "3. 日期填写日期单元格或“YYYY-MM-DD”格式的文本；数字可以是数字或数字文本，全角数字也可以。"
        ),
        _(
            "4. 整个文件一并导入：只要有一行有错，就一行也不保存，并列出每一行错误所在的表、行号、列和原因。"
        ),
        _(
            "5. 按关键列匹配已有记录：匹配到的记录改为该行所填内容（空白单元格即清空该项），"
            "内容相同的行不作任何改动；同一文件重复导入不会产生变化。"
        ),
        _("6. 单张表也可以保存为 CSV（UTF-8 或 GBK 编码）导入，导入时须指明是哪张表。"),
        "",
    ]
    for line in general:
        sheet.append([safe_text(line)])
    sheet["A1"].font = Font(bold=True, size=14)
    for spec in SHEETS.values():
        sheet.append(
            [
                safe_text(
                    _("“%(sheet)s”表（按 %(key)s 匹配）")
                    % {"sheet": spec.name, "key": " + ".join(spec.key)}
                )
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([safe_text(_("列名")), safe_text(_("必填")), safe_text(_("填写要求"))])
        for column in spec.columns:
            requirement = str(column.note)
            if column.parse is values.parse_date:
                kind = _("日期")
                requirement = f"{kind}；{requirement}" if requirement else kind
            if column.choices:
                allowed = _("可选值：%(values)s") % {"values": "、".join(column.choices)}
                requirement = f"{requirement}；{allowed}" if requirement else allowed
            sheet.append(
                [
                    safe_value(text)
                    for text in (column.name, _("是") if column.required else "", requirement)
                ]
            )
        sheet.append([])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 100
    for row in sheet.iter_rows(min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
