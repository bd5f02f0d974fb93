"""Plain text (UTF-8 or GB18030): a line per line, a blank line or a form feed between
paragraphs, tabs between the cells of a flattened table row."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from reports.reading import limits
from reports.reading.errors import ReadingError
from reports.reading.normalise import is_page_number, split_text_cells
from reports.reading.source import BREAK, PARAGRAPH, Line, Source

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadingError(_("文本文件既不是 UTF-8 也不是 GB18030（GBK）编码，无法读取。"))


def read_text(data: bytes) -> Source:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    budget = limits.LineBudget()
    page = 1
    gap = PARAGRAPH
    # One line at a time: a list of ten million lines would hold half a gigabyte.
    for raw in io.StringIO(text, newline="\n"):
        raw = budget.text(raw.rstrip("\n"))
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
            gap = PARAGRAPH
        stripped = raw.strip(" \u3000\xa0\t")
        if not stripped or is_page_number(stripped):
            gap = PARAGRAPH
            continue
        cells, tabbed, xs = split_text_cells(raw)
        line = Line(text=stripped, cells=cells, gap=gap, page=page, tabbed=tabbed, xs=xs)
        lines.append(budget.take(line))
        gap = BREAK
    return Source(kind="text", lines=tuple(lines), pages=page)
