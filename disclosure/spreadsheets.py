"""Text written into spreadsheets (CSV and xlsx) that no office program evaluates.

One rule for every writer — the admin's CSV lists, the report exports, open data, the
import template: a text starting with a character that makes Excel, LibreOffice or WPS read
a formula (OWASP "CSV injection": ``= + - @``, tab, carriage return) gets a leading
apostrophe, so it shows as the text it is. Numbers stay numbers.

openpyxl turns a string starting with ``=`` into a formula cell; ``ensure_no_formulas`` is
the last check before a workbook is saved, so that a writer that forgot ``safe_text`` fails
loudly instead of shipping a live formula."""

from __future__ import annotations

from openpyxl.cell.cell import TYPE_FORMULA
from openpyxl.workbook.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet shows it, never as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def text_as_written(value: str) -> str:
    """The inverse of ``safe_text`` for a reader (the workbook import): ``'=x`` as the
    product writes ``=x`` reads back as ``=x``, so that an exported file imports unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_value(value):
    """A cell value for a writer: text made safe, anything else (numbers, dates, ``None``)
    as it is."""
    return safe_text(value) if isinstance(value, str) else value


class FormulaCell(ValueError):
    """A workbook about to be saved holds a formula cell: a writer skipped ``safe_text``."""


def ensure_no_formulas(workbook: Workbook) -> None:
    """Raise ``FormulaCell`` naming the first formula cell of ``workbook``; our workbooks
    hold values only."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == TYPE_FORMULA:
                    raise FormulaCell(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
