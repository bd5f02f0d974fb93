"""From the uploaded bytes to the sheets' rows as raw cells, checking the header rows.

A workbook (.xlsx) holds any of the five sheets; a .csv holds the one sheet its caller names.
Unknown sheets, unknown or repeated columns and missing required columns refuse the file:
they are almost always typos that would otherwise lose data. Every header is read before any
row is imported; the rows then stream (``SheetRows``), under the caps of ``limits``.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from disclosure.importing import limits
from disclosure.importing.archive import (
    UNREADABLE_ERRORS,
    BadCell,
    Unreadable,
    UnreadableSheet,
    open_workbook,
    sheet_values,
    unreadable_cell,
    xml_position,
)
from disclosure.importing.columns import SHEETS, TEMPLATE_SHEETS
from disclosure.importing.results import Problem, WorkbookRejected
from disclosure.importing.values import is_blank, normalise
from disclosure.validators import file_too_large


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, object]


class _CellBudget:
    """The cells of one file, counted across its sheets."""

    def __init__(self) -> None:
        self.left = limits.MAX_CELLS

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise WorkbookRejected(
                [
                    Problem(
                        "",
                        None,
                        "",
                        _("文件超过 %(limit)s 个单元格，不能导入：请分成几个文件导入。")
                        % {"limit": f"{limits.MAX_CELLS:,}"},
                    )
                ]
            )


class SheetRows:
    """One sheet: its columns, then its rows as they are read (``iter``: once). Reading
    problems refuse the file (``WorkbookRejected``); data in a column without a name is
    collected in ``problems``."""

    def __init__(
        self,
        name: str,
        positions: dict[str, int],
        body: Iterator,
        *,
        declared_rows: int | None,
        budget: _CellBudget,
        locate: Callable[[], BadCell] | None = None,
    ):
        self.name = name
        self.positions = positions
        self.columns = tuple(positions)
        # What the file says it holds (xlsx: the sheet's dimension; CSV: its line breaks),
        # for progress reports only.
        self.declared_rows = declared_rows
        self.problems: list[Problem] = []
        self._body = body
        self._budget = budget
        # Finds the cell that stopped the rows (xlsx).
        self._locate = locate

    def __iter__(self) -> Iterator[RawRow]:
        named = set(self.positions.values())
        width = max(named, default=-1) + 1
        # Columns that must stay empty: those without a name up to the last named one, and
        # every column after it.
        unnamed = [index for index in range(width) if index not in named]
        reported: set[int] = set()
        positions = list(self.positions.items())
        line = 1
        while True:
            try:
                values = next(self._body, None)
            except Unreadable as error:
                raise WorkbookRejected([Problem(self.name, None, "", str(error))]) from None
            except (*UNREADABLE_ERRORS, csv.Error) as error:
                raise WorkbookRejected([self._unreadable_row(line + 1, error)]) from None
            if values is None:
                return
            line += 1
            if line - 1 > limits.MAX_ROWS:
                raise WorkbookRejected(
                    [
                        Problem(
                            self.name,
                            None,
                            "",
                            _(
                                "该表超过 %(limit)s 行（不含表头），不能导入：每张表最多 %(limit)s 行，"
                                "请删去多余的行或分成几个文件导入。"
                            )
                            % {"limit": f"{limits.MAX_ROWS:,}"},
                        )
                    ]
                )
            self._budget.spend(len(values))
            for index in (*unnamed, *range(width, len(values))):
                if index < len(values) and index not in reported and not is_blank(values[index]):
                    reported.add(index)
                    self.problems.append(
                        Problem(
                            self.name, 1, get_column_letter(index + 1), _("该列有数据但没有列名。")
                        )
                    )
            if len(values) < width:
                values = (*values, *(None,) * (width - len(values)))
            cells = {column: values[index] for column, index in positions}
            if all(is_blank(value) for value in cells.values()):
                continue
            # Line numbers as Excel shows them: the header is line 1.
            yield RawRow(line=line, cells=cells)

    def _unreadable_row(self, line: int, error: Exception) -> Problem:
        if isinstance(error, csv.Error):
            return Problem(
                self.name, line, "", _("该行无法按 CSV 格式读取（如单元格过长或引号不配对）。")
            )
        cell = self._locate() if self._locate else BadCell(None, None, {})
        names = {get_column_letter(index + 1): name for name, index in self.positions.items()}
        return bad_cell_problem(self.name, cell, error, names, line=line)


def bad_cell_problem(
    sheet: str, cell: BadCell, error: Exception, names: dict[str, str], *, line: int | None
) -> Problem:
    """The refusal of a sheet that stopped reading at ``cell`` (``names``: column letter ->
    column name; ``line``: where the rows stopped, when the cell's row is not known)."""
    if cell.letter is None:
        return Problem(
            sheet,
            cell.line or line,
            "",
            _("该行（或其后紧邻的行）已损坏，无法读取%(detail)s。")
            % {"detail": xml_position(error)},
        )
    if isinstance(error, SyntaxError):
        message = _("该单元格的 XML 格式错误，无法读取%(detail)s。") % {
            "detail": xml_position(error)
        }
    else:
        message = _("无法读取该单元格：其内容不是有效的数字、日期或文本。")
    return Problem(sheet, cell.line or line, names.get(cell.letter, cell.letter), message)


def read_upload(filename: str, content: bytes, *, sheet: str | None = None) -> list[SheetRows]:
    """The file's sheets in import order; raises ``WorkbookRejected`` for a file over the
    caps, an unreadable file, or any header problem (all of them, for every sheet)."""
    if len(content) > limits.MAX_FILE_BYTES:
        message = file_too_large(filename, len(content), limits.MAX_FILE_BYTES)
        raise WorkbookRejected([Problem("", None, "", message)])
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    budget = _CellBudget()
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
        tables = {name: (_csv_records(content), max(content.count(b"\n") - 1, 0), None)}
    else:
        raise WorkbookRejected([Problem("", None, "", _("只能导入 .xlsx 工作簿或 .csv 文件。"))])

    sheets: list[SheetRows] = []
    problems: list[Problem] = []
    for name in SHEETS:
        if name in tables:
            records, declared, locate = tables[name]
            sheet_or_problems = _sheet(name, records, declared, budget, locate)
            if isinstance(sheet_or_problems, SheetRows):
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


def _xlsx_tables(content: bytes, *, only: str | None) -> dict[str, tuple]:
    """Each wanted sheet's rows (streaming), the number of rows its dimension declares, and
    how to find the cell that stopped the rows."""
    try:
        workbook = open_workbook(content)
    except Unreadable as error:
        raise WorkbookRejected([Problem("", None, "", str(error))]) from None
    except UnreadableSheet as failed:
        names = {letter: normalise(text) for letter, text in failed.cell.header.items()}
        raise WorkbookRejected(
            [bad_cell_problem(normalise(failed.title), failed.cell, failed.error, names, line=None)]
        ) from None
    tables: dict[str, tuple] = {}
    unknown: list[Problem] = []
    for worksheet in workbook.worksheets:
        name = normalise(worksheet.title)
        if name in TEMPLATE_SHEETS:
            continue
        if name not in SHEETS:
            unknown.append(_unknown_sheet(worksheet.title))
            continue
        if only is None or name == only:
            declared = worksheet.max_row - 1 if worksheet.max_row else None
            # The dimension a file declares may be wrong (rows past it would be lost, and a
            # declared width pads every row): read the rows as stored.
            worksheet.reset_dimensions()
            tables[name] = (
                sheet_values(workbook, worksheet),
                declared,
                functools.partial(
                    unreadable_cell, workbook, worksheet._shared_strings, worksheet._worksheet_path
                ),
            )
    if unknown:
        raise WorkbookRejected(unknown)
    if only is not None and only not in tables:
        raise WorkbookRejected([Problem(only, None, "", _("工作簿中没有这张表。"))])
    return tables


def _csv_encoding(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # Chinese Excel saves "CSV" in the ANSI code page: GBK (GB18030 is its superset).
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), limits.MB):
                decoder.decode(content[start : start + limits.MB])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise WorkbookRejected(
        [Problem("", None, "", _("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV。"))]
    )


def _csv_records(content: bytes) -> Iterator[list[str]]:
    """The CSV's records, decoded as they are read."""
    encoding = _csv_encoding(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    return csv.reader(text)


def _sheet(
    name: str,
    records: Iterator,
    declared: int | None,
    budget: _CellBudget,
    locate: Callable | None,
) -> SheetRows | list[Problem]:
    spec = SHEETS[name]
    try:
        header = next(records, None)
    except Unreadable as error:
        return [Problem(name, None, "", str(error))]
    except (*UNREADABLE_ERRORS, csv.Error) as error:
        return [
            Problem(name, 1, "", _("表头行无法读取%(detail)s。") % {"detail": xml_position(error)})
        ]
    if header is None:
        return SheetRows(name, {}, iter(()), declared_rows=0, budget=budget)
    budget.spend(len(header))
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        if is_blank(raw):
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
    return SheetRows(name, positions, records, declared_rows=declared, budget=budget, locate=locate)
