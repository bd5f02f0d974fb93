"""The caps of a report file being read (README: "Oversight" › Hostile files).

A published report runs to a few hundred lines and cells (the 武威 report: 174 lines, 538
cells, 9 pages, 4,149 characters as the product prints it). The upload cap (20 MB) still
allows ten million short lines or one line of ten million cells, which took gigabytes and
minutes to read: a file past any cap here is refused by name as soon as it passes it, before
it costs more. ``readers.pdf_limits`` holds pdfminer to the caps of a PDF; a Word file's parts
are held to the workbook import's (``disclosure.importing.limits``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.reading.errors import ReadingError

# Every reader: the lines of a source, the characters of one line, the cells of all lines.
MAX_LINES = 20_000
MAX_LINE_CHARACTERS = 20_000
MAX_CELLS = 100_000
# A web page: its tags, counted before it is parsed (a government site's article page with
# its menus holds a few thousand).
MAX_HTML_TAGS = 200_000
# A PDF: its pages; the characters, lines and images one page draws (a dense page of a
# report: a few thousand); the characters of the file (pdfplumber reads some 20,000 a
# second). A stream inflated (a page's content runs to kilobytes, an embedded CJK font to
# ~20 MB), and all the streams the reading inflates together (pdfminer keeps them while
# the file is open): ``readers.pdf_limits``.
MAX_PDF_PAGES = 300
MAX_PAGE_OBJECTS = 100_000
MAX_PDF_CHARACTERS = 500_000
MB = 1024 * 1024
MAX_STREAM_BYTES = 50 * MB
MAX_PDF_STREAM_BYTES = 150 * MB


def refuse(what: str) -> ReadingError:
    """The refusal of a file past a cap: ``what`` says which."""
    return ReadingError(what + _("不像一份年度报告，不予读取。"))


def check_lines(count: int) -> None:
    """Refuse a source of more than ``MAX_LINES`` lines (``count`` so far)."""
    if count > MAX_LINES:
        raise refuse(_("文件超过 %(limit)s 行文字，") % {"limit": f"{MAX_LINES:,}"})


class LineBudget:
    """Counts the lines a reader collects against the caps; ``text`` before a line's text is
    split into cells, ``take`` as it is kept."""

    def __init__(self) -> None:
        self.lines = 0
        self.cells = 0

    def text(self, text: str) -> str:
        if len(text) > MAX_LINE_CHARACTERS:
            raise refuse(
                _("文件中有一行超过 %(limit)s 个字符，") % {"limit": f"{MAX_LINE_CHARACTERS:,}"}
            )
        return text

    def take(self, line):
        self.text(line.text)
        self.lines += 1
        check_lines(self.lines)
        self.cells += len(line.cells)
        if self.cells > MAX_CELLS:
            raise refuse(_("文件中的单元格超过 %(limit)s 个，") % {"limit": f"{MAX_CELLS:,}"})
        return line
