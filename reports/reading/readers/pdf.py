"""PDF with a text layer, through pdfplumber (pdfminer.six): every character with its
position. Drawn tables (ruled cells) come out as grids of cells; the rest is rebuilt into
lines from the characters' positions: a wide gap separates the parts of a line (the
columns of a table drawn without rules), a first-line indent, a short previous line or a
wider space between lines starts a paragraph. Page numbers and running heads in the
margins are dropped."""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.reading import limits
from reports.reading.errors import ReadingError
from reports.reading.normalise import is_cjk, is_page_number, squash
from reports.reading.source import PARAGRAPH, WRAP, Line, Source

COLUMN_GAP = 1.5  # a gap wider than this many character widths separates two parts
SPACE_GAP = 0.25  # between Latin letters or digits, a gap this wide is a space
FIGURE_GAP = 0.5  # between a figure and a word, a gap this wide separates two cells
MARGIN_TOP = 0.10  # page furniture lives above this share of the page height …
MARGIN_BOTTOM = 0.90  # … or below this one
_DIGITS = re.compile(r"\d+")


@dataclass
class _Item:
    page: int
    top: float
    bottom: float
    line: Line
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    in_margin: bool = False


def _open(data: bytes):
    # pdfplumber (with pdfminer.six and pypdfium2) is loaded on the first PDF read, not
    # when Django starts.
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    from reports.reading.readers import pdf_limits

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as error:
        raise ReadingError(_("PDF 文件有密码保护，无法读取。")) from error
    except (PdfminerException, MalformedPDFException, PSException) as error:
        if error.args and isinstance(error.args[0], pdf_limits.StreamsTooLarge):
            raise error.args[0] from None  # a cross-reference or object stream, read on opening
        raise ReadingError(
            _("PDF 文件已损坏或不是有效的 PDF：%(error)s") % {"error": error}
        ) from error


def read_pdf(data: bytes) -> Source:
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.utils.exceptions import PdfminerException

    from reports.reading.readers import pdf_limits

    try:
        with pdf_limits.bounded(), _open(data) as pdf:
            # Counted in the page tree, before pdfplumber makes a page of each.
            beyond = itertools.islice(PDFPage.create_pages(pdf.doc), limits.MAX_PDF_PAGES, None)
            if next(beyond, None) is not None:
                raise limits.refuse(
                    _("PDF 文件超过 %(limit)s 页，") % {"limit": f"{limits.MAX_PDF_PAGES:,}"}
                )
            items: list[_Item] = []
            characters = 0
            for number, page in enumerate(pdf.pages, start=1):
                chars = [char for char in page.chars if char["text"].strip()]
                characters += len(chars)
                if characters > limits.MAX_PDF_CHARACTERS:
                    raise limits.refuse(
                        _("PDF 文件超过 %(limit)s 个字符，")
                        % {"limit": f"{limits.MAX_PDF_CHARACTERS:,}"}
                    )
                items.extend(_page_items(page, number, chars))
                limits.check_lines(len(items))
                page.close()  # the page's objects, no longer needed
            pages = len(pdf.pages)
    except (pdf_limits.StreamsTooLarge, pdf_limits.PageTooBusy, PdfminerException) as error:
        # pdfplumber hands on what pdfminer raised as the argument of its own exception.
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, pdf_limits.StreamsTooLarge):
            raise ReadingError(_streams_too_large(cause)) from None
        if isinstance(cause, pdf_limits.PageTooBusy):
            raise limits.refuse(
                _("PDF 文件有一页绘制的字符、线条和图像超过 %(limit)s 个，")
                % {"limit": f"{limits.MAX_PAGE_OBJECTS:,}"}
            ) from None
        raise
    if not characters:
        raise ReadingError(
            _(
                "这个 PDF 没有文字层（可能是扫描或拍照得到的图片），无法读取其中的文字和数字；"
                "请提供带文字层的 PDF、网页、Word 或文本文件。"
            )
        )
    items = _drop_furniture(items, pages)
    return Source(kind="pdf", lines=tuple(_with_gaps(items)), pages=pages)


def _streams_too_large(error) -> str:
    """The refusal of a PDF whose streams inflate beyond ``pdf_limits``' limits."""
    limit = error.limit // limits.MB
    if error.whole_file:
        return _(
            "PDF 文件中的数据流解压后合计超过 %(limit)s MB，不予读取（可能是“压缩炸弹”）。"
        ) % {"limit": limit}
    return _("PDF 文件中有数据流解压后超过 %(limit)s MB，不予读取（可能是“压缩炸弹”）。") % {
        "limit": limit
    }


def _inside(char: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cell_text(text: str | None) -> str | None:
    if text is None:
        return None
    return "".join(part.strip() for part in text.split("\n"))


def _page_items(page, number: int, chars: list[dict]) -> list[_Item]:
    height = float(page.height)
    items: list[_Item] = []
    tables = page.find_tables() if page.lines or page.rects else []
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=True):
            texts = tuple(_cell_text(cell) for cell in cells)
            _x0, top, _x1, bottom = row.bbox
            items.append(
                _Item(
                    page=number,
                    top=top,
                    bottom=bottom,
                    line=Line(
                        text="\t".join(text or "" for text in texts),
                        cells=texts,
                        grid=True,
                        page=number,
                    ),
                )
            )
    boxes = [table.bbox for table in tables]
    free = [char for char in chars if not _inside(char, boxes)]
    for line in _lines(free):
        top, bottom = line["top"], line["bottom"]
        items.append(
            _Item(
                page=number,
                top=top,
                bottom=bottom,
                x0=line["x0"],
                x1=line["x1"],
                size=line["size"],
                in_margin=top < height * MARGIN_TOP or bottom > height * MARGIN_BOTTOM,
                line=Line(
                    text=line["text"],
                    cells=tuple(text for text, _x in line["segments"]),
                    xs=tuple(x for _text, x in line["segments"]),
                    page=number,
                ),
            )
        )
    items.sort(key=lambda item: (item.top, item.x0))
    return items


def _lines(chars: list[dict]) -> list[dict]:
    """Characters grouped into lines (by vertical overlap), each line into parts."""
    groups: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        if groups:
            current = groups[-1]
            top = min(c["top"] for c in current[:3])
            bottom = max(c["bottom"] for c in current[:3])
            if top <= middle <= bottom:
                current.append(char)
                continue
        groups.append([char])
    return [_line(group) for group in groups]


def _line(chars: list[dict]) -> dict:
    """One line's text and parts: a wide gap ends a part (the columns of a table drawn
    without rules), and so do a space between Latin letters or digits (two figures side
    by side are two cells) and a gap between a figure and a word (a label and the figure
    beside it); CJK text runs on without spaces."""
    chars = sorted(chars, key=lambda c: c["x0"])
    size = statistics.median(c["size"] for c in chars) or 1.0
    segments: list[list] = []  # [text, x0, x1]
    previous = None
    for char in chars:
        if (
            previous is not None
            and abs(char["x0"] - previous["x0"]) < 0.5
            and char["text"] == previous["text"]
        ):
            continue  # the same character drawn twice (fake bold)
        text = char["text"]
        gap = char["x0"] - previous["x1"] if previous is not None else 0.0
        spaced = (
            previous is not None
            and gap > SPACE_GAP * size
            and not is_cjk(previous["text"][-1])
            and not is_cjk(text[0])
        )
        figure_edge = (
            previous is not None
            and gap > FIGURE_GAP * size
            and previous["text"][-1].isdigit() != text[0].isdigit()
        )
        if previous is None or gap > COLUMN_GAP * size or spaced or figure_edge:
            segments.append([text, char["x0"], char["x1"]])
        else:
            segments[-1][0] += text
            segments[-1][2] = char["x1"]
        previous = char
    text = ""
    for part, _x0, _x1 in segments:
        if text and not is_cjk(text[-1]) and not is_cjk(part[0]):
            text += " "
        text += part
    return {
        "text": text,
        "segments": [(part, (x0 + x1) / 2) for part, x0, x1 in segments],
        "x0": chars[0]["x0"],
        "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars),
        "bottom": max(c["bottom"] for c in chars),
        "size": size,
    }


def _drop_furniture(items: list[_Item], pages: int) -> list[_Item]:
    """Without page numbers, and without running heads: margin lines repeated (digits
    aside) on at least half the pages."""
    repeated: Counter[str] = Counter()
    if pages >= 2:
        for key in {(item.page, _furniture_key(item)) for item in items if item.in_margin}:
            repeated[key[1]] += 1
    kept = []
    for item in items:
        if item.in_margin and (
            is_page_number(item.line.text, bare=True)
            or (pages >= 2 and repeated[_furniture_key(item)] >= max(2, pages / 2))
        ):
            continue
        if not item.line.grid and is_page_number(item.line.text):
            continue
        kept.append(item)
    return kept


def _furniture_key(item: _Item) -> str:
    return _DIGITS.sub("#", squash(item.line.text))


def _with_gaps(items: list[_Item]) -> list[Line]:
    """Each text line's relation to the one before: a paragraph starts after a table row,
    at a first-line indent, after a line that stopped short, or after a wider space."""
    text_items = [item for item in items if not item.line.grid]
    if not text_items:
        return [item.line for item in items]
    left = Counter(round(item.x0) for item in text_items).most_common(1)[0][0]
    rights = sorted(item.x1 for item in text_items)
    right = rights[int(len(rights) * 0.8)]
    spacings = [
        b.top - a.bottom
        for a, b in zip(text_items, text_items[1:], strict=False)
        if a.page == b.page and b.top > a.bottom
    ]
    spacing = statistics.median(spacings) if spacings else 0.0
    lines: list[Line] = []
    previous: _Item | None = None
    for item in items:
        if item.line.grid:
            lines.append(item.line)
            previous = None
            continue
        size = item.size or 1.0
        paragraph = (
            previous is None
            or item.x0 - left > COLUMN_GAP * size
            or previous.x1 < right - COLUMN_GAP * size
            or (item.page == previous.page and item.top - previous.bottom > spacing + size / 2)
        )
        line = item.line
        lines.append(
            Line(
                text=line.text,
                cells=line.cells,
                xs=line.xs,
                page=line.page,
                gap=PARAGRAPH if paragraph else WRAP,
            )
        )
        previous = item
    return lines
