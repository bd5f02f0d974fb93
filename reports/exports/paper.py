"""How wide the printed tables' columns are, for the formats that set widths themselves (Word
and the workbook; the PDF and the public page leave it to their layout engines).

Widths are in em of the table font. A CJK character is one em in every CJK font; any other
character is budgeted as wide as a digit of the widest serif an office program substitutes
for Times New Roman (DejaVu Serif, 0.64 em), so that a figure planned on one line stays on
one line wherever the document is opened. Header words are kept whole by choosing widths
(Word) or by writing the line breaks (the workbook) between two-character words."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.exports.layout import Cell, TableLayout

LATIN_EM = 0.64
# The row-label columns of table 三 that hold its group names: 三、本年度办理结果 (one
# character a line down its 22 rows) and （三）不予公开 (four a line).
GROUP_COLUMN_EM = {0: 1.8, 1: 4.5}
MIN_ROW_LABEL_EM = 10.0

_ENUMERATION = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class ColumnPlan:
    """Widths of a table's grid columns in em of its font (padding excluded); the data
    columns hold ``chars_per_line`` CJK characters a line; ``fits``: within the width
    asked for."""

    widths: tuple[float, ...]
    chars_per_line: int
    fits: bool


def text_em(text: str) -> float:
    """The width of ``text`` on one line, in em (see ``LATIN_EM``)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else LATIN_EM for ch in text)


def header_lines(text: str, chars: int) -> list[str]:
    """A header broken into lines of at most ``chars`` (even) characters: a leading
    enumeration on its own line (（三）/不予公开), then two-character words kept whole
    (社会公益/组织)."""
    if len(text) <= chars:
        return [text]
    lines = []
    if enumeration := _ENUMERATION.match(text):
        lines.append(enumeration.group())
        text = text[enumeration.end() :]
    lines += [text[start : start + chars] for start in range(0, len(text), chars)]
    return lines


def header_words(text: str) -> tuple[str, ...]:
    """``text`` as the two-character words a narrow column may break it into (社会/公益/组织,
    （三）/不予/公开; 总计 is one word); empty for a text that is not plain words
    (本年收费金额（单位：万元）)."""
    parts = header_lines(text, 2)
    words = parts[1:] if _ENUMERATION.match(text) else parts
    if not all(_IDEOGRAPHS.fullmatch(word) for word in words):
        return ()
    return tuple(parts)


def column_plan(table: TableLayout, available_em: float, *, one_line_labels: bool) -> ColumnPlan:
    """Content widths of ``table``'s grid columns for a page ``available_em`` wide.

    Figures never break: each data column holds the widest figure on one line. Header words
    never break in the middle: a data column is at least ``N + 0.5`` and less than ``N + 1``
    em wide for an even ``N``, so it holds exactly N CJK characters a line and 社会公益组织
    wraps as 社会/公益/组织 or 社会公益/组织, never 社会公/益组织; N is the largest that fits, up
    to the longest header on one line, and at least what the widest figure needs. The row
    labels take the rest of the width (``one_line_labels``: their one-line width, however
    wide). When not even the narrowest plan fits, the plan says so and is the narrowest."""
    data_columns = table.width - table.label_width
    figure = max((_figure_em(cell) for cell in table.cells if not cell.header), default=0)
    narrowest = _even_chars(figure)
    longest_header = max(
        (
            len(cell.text)
            for cell in table.cells
            if cell.header and cell.col >= table.label_width and cell.colspan == 1
        ),
        default=2,
    )
    labels = _label_em(table, one_line=one_line_labels)
    for chars in range(max(_even_chars(longest_header), narrowest), narrowest - 1, -2):
        data = max(chars + 0.5, figure)
        if sum(labels) + data_columns * data <= available_em:
            break
    else:
        chars, data = narrowest, max(narrowest + 0.5, figure)
    spare = available_em - sum(labels) - data_columns * data
    fits = spare >= 0
    if labels and fits and not one_line_labels:
        labels[-1] += spare
    return ColumnPlan(widths=(*labels, *[data] * data_columns), chars_per_line=chars, fits=fits)


def _label_em(table: TableLayout, *, one_line: bool) -> list[float]:
    """Each label column's width: group columns fixed, the row-label column at least
    ``MIN_ROW_LABEL_EM`` (or its one-line width), wide enough for labels spanning it."""
    widths = []
    for col in range(table.label_width):
        if table.column_kinds[col] == "label-group":
            widths.append(GROUP_COLUMN_EM[col])
            continue
        own = [
            text_em(cell.text)
            for cell in table.cells
            if cell.col == col and cell.colspan == 1 and cell.kind == "label"
        ]
        widths.append(max(own) + 0.5 if one_line else MIN_ROW_LABEL_EM)
    if one_line and widths:
        for cell in table.cells:
            if cell.kind == "label" and cell.colspan > 1:
                covered = sum(widths[cell.col : cell.col + cell.colspan])
                widths[cell.end_col] += max(0.0, text_em(cell.text) + 0.5 - covered)
    return widths


def _figure_em(cell: Cell) -> float:
    return text_em(cell.text or cell.mark) / cell.colspan


def _even_chars(em: float) -> int:
    """The smallest even N >= 2 whose column (narrower than N + 1 em) holds ``em``."""
    return max(2, 2 * math.ceil((em - 0.95) / 2))
