"""The one rule for text in spreadsheets: nothing an office program would evaluate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from disclosure.spreadsheets import FormulaCell, ensure_no_formulas, safe_text, safe_value


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+86", "'+86"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("规章", "规章"),
        ("武威市=人民政府", "武威市=人民政府"),
        ("", ""),
    ],
)
def test_safe_text_puts_an_apostrophe_before_a_formula_start(text, safe):
    assert safe_text(text) == safe


def test_safe_value_leaves_numbers_dates_and_blanks_as_they_are():
    values = [-1, Decimal("-2.5"), 0.5, datetime.date(2023, 1, 1), None, "-1"]

    assert [safe_value(value) for value in values] == [
        -1,
        Decimal("-2.5"),
        0.5,
        datetime.date(2023, 1, 1),
        None,
        "'-1",
    ]


def test_a_safe_text_in_openpyxl_is_a_string_cell():
    sheet = Workbook().active
    sheet["A1"] = safe_text("=1+1")

    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "'=1+1")


def test_ensure_no_formulas_names_the_cell_a_writer_left_unguarded():
    workbook = Workbook()
    workbook.active.title = "表"
    workbook.active["B2"] = "=1+1"

    with pytest.raises(FormulaCell, match=r"表!B2: '=1\+1'"):
        ensure_no_formulas(workbook)


def test_ensure_no_formulas_accepts_values_only():
    workbook = Workbook()
    workbook.active.append([safe_text("=1+1"), 3, None, "规章"])

    ensure_no_formulas(workbook)
