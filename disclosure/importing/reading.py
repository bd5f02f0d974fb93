"""From the uploaded bytes to the sheets' rows as raw cells, checking the header rows.

A workbook (.xlsx) holds any of the five sheets; a .csv holds the one sheet its caller names.
Unknown sheets, unknown or repeated columns and missing required columns refuse the file:
they are almost always typos that would otherwise lose data.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from disclosure.importing.columns import SHEETS, TEMPLATE_SHEETS
from disclosure.importing.results import Problem, WorkbookRejected
from disclosure.importing.values import is_blank, normalise


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, object]


@dataclass(frozen=True)
class RawSheet:
    name: str
    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]


def read_upload(filename: str, content: bytes, *, sheet: str | None = None) -> list[RawSheet]:
    """The file's sheets in import order; raises ``WorkbookRejected`` on any header problem."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx":
        if sheet is not None and normalise(sheet) not in SHEETS:
            raise WorkbookRejected([_unknown_sheet(normalise(sheet))])
        tables = _xlsx_tables(content, only=normalise(sheet) if sheet else None)
    elif suffix == "csv":
        if not sheet:
            raise WorkbookRejected(
                [
                    Problem(
                        "",
                        None,
                        "",
                        _("CSV 文件只含一张表：请指明是哪张表（%(sheets)s）。")
                        % {"sheets": "、".join(SHEETS)},
                    )
                ]
            )
        name = normalise(sheet)
        if name not in SHEETS:
            raise WorkbookRejected([_unknown_sheet(name)])
        tables = {name: _csv_rows(content)}
    else:
        raise WorkbookRejected([Problem("", None, "", _("只能导入 .xlsx 工作簿或 .csv 文件。"))])

    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    for name in SHEETS:
        if name in tables:
            sheet_or_problems = _sheet(name, tables[name])
            if isinstance(sheet_or_problems, RawSheet):
                sheets.append(sheet_or_problems)
            else:
                problems.extend(sheet_or_problems)
    if problems:
        raise WorkbookRejected(problems)
    return sheets


def _unknown_sheet(name: str) -> Problem:
    return Problem(
        name,
        None,
        "",
        _("没有这张表；可导入的表为：%(sheets)s。") % {"sheets": "、".join(SHEETS)},
    )


def _xlsx_tables(content: bytes, *, only: str | None) -> dict[str, list[tuple]]:
    try:
        # data_only: a formula cell gives the value Excel last computed for it.
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError):
        raise WorkbookRejected(
            [Problem("", None, "", _("无法读取该文件：它不是有效的 .xlsx 工作簿。"))]
        ) from None
    tables: dict[str, list[tuple]] = {}
    unknown: list[Problem] = []
    for worksheet in workbook.worksheets:
        name = normalise(worksheet.title)
        if name in TEMPLATE_SHEETS:
            continue
        if name not in SHEETS:
            unknown.append(_unknown_sheet(worksheet.title))
            continue
        if only is None or name == only:
            tables[name] = list(worksheet.iter_rows(values_only=True))
    if unknown:
        raise WorkbookRejected(unknown)
    if only is not None and only not in tables:
        raise WorkbookRejected([Problem(only, None, "", _("工作簿中没有这张表。"))])
    return tables


def _csv_rows(content: bytes) -> list[tuple]:
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            # Chinese Excel saves "CSV" in the ANSI code page: GBK (GB18030 is its superset).
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise WorkbookRejected(
                    [
                        Problem(
                            "", None, "", _("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV。")
                        )
                    ]
                ) from None
    return [tuple(record) for record in csv.reader(io.StringIO(text, newline=""))]


def _sheet(name: str, table: list[tuple]) -> RawSheet | list[Problem]:
    spec = SHEETS[name]
    if not table:
        return RawSheet(name, (), ())
    header, *body = table
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        letter = get_column_letter(index + 1)
        if is_blank(raw):
            if any(index < len(row) and not is_blank(row[index]) for row in body):
                problems.append(Problem(name, 1, letter, _("该列有数据但没有列名。")))
            continue
        column = normalise(str(raw))
        if column not in spec.by_name:
            problems.append(
                Problem(
                    name,
                    1,
                    column,
                    _("没有这一列；“%(sheet)s”表的列为：%(columns)s。")
                    % {"sheet": name, "columns": "、".join(spec.by_name)},
                )
            )
        elif column in positions:
            problems.append(Problem(name, 1, column, _("列名重复。")))
        else:
            positions[column] = index
    for column in spec.required:
        if column not in positions:
            problems.append(Problem(name, 1, column, _("缺少必填列。")))
    if problems:
        return problems

    rows = []
    for offset, values in enumerate(body):
        cells = {
            column: values[index] if index < len(values) else None
            for column, index in positions.items()
        }
        if all(is_blank(value) for value in cells.values()):
            continue
        # Line numbers as Excel shows them: the header is line 1.
        rows.append(RawRow(line=offset + 2, cells=cells))
    return RawSheet(name, tuple(positions), tuple(rows))
