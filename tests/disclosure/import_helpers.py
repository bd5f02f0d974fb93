"""Building import files in tests."""

from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import Workbook
from openpyxl.utils import get_column_letter


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry; each entry is its rows, the header first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list]) -> str:
    return "".join(
        ",".join("" if cell is None else str(cell) for cell in row) + "\r\n" for row in rows
    )


BODY_HEADER = ["机构代码", "机构名称", "上级机构代码", "机构类型", "地址", "邮编", "电话", "网站"]
REQUEST_HEADER = [
    "机构代码",
    "申请编号",
    "收到申请日期",
    "申请人类型",
    "申请人",
    "证件号码",
    "申请方式",
    "申请内容",
    "办结日期",
    "办理结果",
]
APPEAL_HEADER = ["机构代码", "案号", "类型", "立案日期", "审结日期", "结果", "关联申请编号"]
DOCUMENT_HEADER = [
    "机构代码",
    "类型",
    "标题",
    "文号",
    "发布日期",
    "施行日期",
    "废止日期",
    "有效期至",
]
FIGURE_HEADER = ["机构代码", "年度", "项目", "数值", "来源"]


class Raw(str):
    """A cell of ``crafted_xlsx`` written as the XML given (``<c …>…</c>``)."""


DATE_STYLE = 1  # the style of ``crafted_xlsx``'s workbook that formats a number as a date


def crafted_xlsx(
    rows: list[list], *, sheet: str = "申请", parts: dict | None = None, dimension: bool = False
) -> bytes:
    """A workbook whose one sheet's XML is written here by hand, for values openpyxl would
    not write (NaN, 1e309, a date serial past year 9999, malformed XML). Each cell is a
    ``Raw`` (its XML as given), a str (inline text), a number, or None (no cell). ``parts``
    replaces or adds parts of the zip, by name. With ``dimension`` the sheet states its size
    as Excel does (openpyxl then reads its rows only when asked; without, it reads the whole
    sheet once while opening the workbook)."""
    from xml.sax.saxutils import escape

    base = Workbook()
    worksheet = base.active
    worksheet.title = sheet
    worksheet["A1"] = datetime.date(2024, 1, 1)  # gives the workbook a date style
    buffer = io.BytesIO()
    base.save(buffer)
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(row):
            ref = f"{get_column_letter(index + 1)}{number}"
            if value is None:
                continue
            if isinstance(value, Raw):
                cells.append(value)
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    size = f'<dimension ref="A1:{get_column_letter(max(map(len, rows)))}{len(rows)}"/>'
    sheet_xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{size if dimension else ''}<sheetData>{''.join(lines)}</sheetData></worksheet>"
    ).encode()
    replaced = {"xl/worksheets/sheet1.xml": sheet_xml, **(parts or {})}
    source = zipfile.ZipFile(buffer)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, replaced.pop(name) if name in replaced else source.read(name))
        for name, data in replaced.items():
            archive.writestr(name, data)
    return output.getvalue()


def bomb() -> bytes:
    """A zip bomb: a workbook of a 机构 sheet and a second sheet part that expands to 201 MB
    (packed into about 200 KB)."""
    buffer = io.BytesIO(xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]}))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w") as part:
            chunk = b"<row><c><v>1</v></c></row>" * 40_000
            for _ in range(201 * 1024 * 1024 // len(chunk) + 1):
                part.write(chunk)
    return buffer.getvalue()
