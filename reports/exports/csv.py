"""The long form of a report as CSV (spec: one row per cell, UTF-8 with BOM).

Header ``table,row,row_label,column,column_label,value``; tables in section order, rows
and columns in the format's order; an empty value only for a blank kept from an imported
original. Text cells go through ``disclosure.spreadsheets.safe_text``: none is read as a
formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from disclosure.spreadsheets import safe_text
from reports import format as fmt
from reports.exports.layout import display

HEADER = ("table", "row", "row_label", "column", "column_label", "value")
BOM = "\ufeff"


def long_rows(document: dict) -> Iterator[tuple]:
    """(table, row, row_label, column, column_label, value) for every cell, in print order;
    ``value`` as the document holds it (``None`` for a blank kept from an original)."""
    for table in fmt.TABLE_KEYS:
        for row, column in fmt.cells(table):
            yield (
                table,
                row,
                fmt.row_label(table, row),
                column,
                fmt.column_label(table, column),
                fmt.cell(document, table, row, column),
            )


def render_csv(document: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for *texts, value in long_rows(document):
        writer.writerow([*(safe_text(text) for text in texts), display(value)])
    return BOM + buffer.getvalue()
