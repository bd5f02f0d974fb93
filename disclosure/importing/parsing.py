"""From raw cells to typed values, row by row, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from disclosure.importing.columns import SHEETS, SheetSpec
from disclosure.importing.reading import RawRow
from disclosure.importing.results import Problem
from disclosure.importing.values import CellError


@dataclass(frozen=True)
class Row:
    """A row of a sheet: ``values`` holds the columns present in the sheet that parsed
    (``None`` for a blank cell; a column left out of the sheet is not in it); ``problems``
    what refuses the row (a cell that does not parse, a repeated key)."""

    sheet: str
    line: int
    values: dict[str, object]
    problems: list[Problem] = field(default_factory=list)

    def __getitem__(self, column: str) -> object:
        return self.values[column]

    def get(self, column: str) -> object:
        return self.values.get(column)

    def has(self, column: str) -> bool:
        return column in self.values

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.sheet, self.line, column, message)


def parse_rows(sheet: str, raw_rows: Iterable[RawRow]) -> Iterator[Row]:
    """The rows typed, as they are read. A key (the sheet's key columns) repeated in the
    file refuses the later row, naming the first."""
    spec = SHEETS[sheet]
    first_line_of_key: dict[tuple, int] = {}
    for raw in raw_rows:
        row = _parse_row(spec, raw)
        if not row.problems:
            key = tuple(row[column] for column in spec.key)
            if key in first_line_of_key:
                row.problems.append(
                    row.problem(
                        spec.key[-1],
                        _("与第%(line)s行重复（%(key)s相同）。")
                        % {"line": first_line_of_key[key], "key": "+".join(spec.key)},
                    )
                )
            else:
                first_line_of_key[key] = raw.line
        yield row


def _parse_row(spec: SheetSpec, raw: RawRow) -> Row:
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for name, cell in raw.cells.items():
        column = spec.by_name[name]
        if cell is None:  # what every parser makes of an empty cell, without the call
            if column.required:
                problems.append(Problem(spec.name, raw.line, name, _("必填，不能为空。")))
            values[name] = None
            continue
        try:
            value = column.parse(cell)
        except CellError as error:
            problems.append(Problem(spec.name, raw.line, name, str(error)))
            continue
        if value is None and column.required:
            problems.append(Problem(spec.name, raw.line, name, _("必填，不能为空。")))
        values[name] = value
    return Row(spec.name, raw.line, values, problems)
