"""Building import files in tests."""

from __future__ import annotations

import io

from openpyxl import Workbook


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
