"""From raw cells to typed values, row by row, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from disclosure.importing.columns import SHEETS, SheetSpec
from disclosure.importing.reading import RawRow, RawSheet
from disclosure.importing.results import Problem
from disclosure.importing.values import CellError


@dataclass(frozen=True)
class Row:
    """A row whose cells all parsed: ``values`` holds the columns present in the sheet
    (``None`` for a blank cell); a column left out of the sheet is not in it."""

    sheet: str
    line: int
    values: dict[str, object]

    def __getitem__(self, column: str) -> object:
        return self.values[column]

    def get(self, column: str) -> object:
        return self.values.get(column)

    def has(self, column: str) -> bool:
        return column in self.values

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.sheet, self.line, column, message)


@dataclass(frozen=True)
class ParsedSheet:
    name: str
    rows: list[Row]
    # Rows with a problem, kept so that later sheets can tell "that body's row was wrong"
    # from "no such body".
    failed: list[Row]
    problems: list[Problem]


def parse_sheet(sheet: RawSheet) -> ParsedSheet:
    spec = SHEETS[sheet.name]
    rows: list[Row] = []
    failed: list[Row] = []
    problems: list[Problem] = []
    first_line_of_key: dict[tuple, int] = {}
    for raw in sheet.rows:
        row, row_problems = _parse_row(spec, raw)
        if row_problems:
            problems.extend(row_problems)
            failed.append(row)
            continue
        key = tuple(row[column] for column in spec.key)
        if key in first_line_of_key:
            problems.append(
                row.problem(
                    spec.key[-1],
                    _("与第%(line)s行重复（%(key)s相同）。")
                    % {"line": first_line_of_key[key], "key": "+".join(spec.key)},
                )
            )
            failed.append(row)
            continue
        first_line_of_key[key] = raw.line
        rows.append(row)
    return ParsedSheet(sheet.name, rows, failed, problems)


def _parse_row(spec: SheetSpec, raw: RawRow) -> tuple[Row, list[Problem]]:
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for name, cell in raw.cells.items():
        column = spec.by_name[name]
        try:
            value = column.parse(cell)
        except CellError as error:
            problems.append(Problem(spec.name, raw.line, name, str(error)))
            continue
        if value is None and column.required:
            problems.append(Problem(spec.name, raw.line, name, _("必填，不能为空。")))
        values[name] = value
    return Row(spec.name, raw.line, values), problems
