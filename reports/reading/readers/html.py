"""A web page (as saved from a government site), through lxml: block elements are lines
(a ``<p>`` or ``<div>`` a paragraph, a ``<br>`` a line break), each ``<table>`` row a grid
of cells with its ``rowspan``/``colspan`` merges laid out. Only the article is read: the
smallest element holding the report's title and its last section (menus, headers and
footers of the site around it are left out)."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
from django.utils.translation import gettext as _

from reports.reading import limits
from reports.reading.errors import ReadingError
from reports.reading.normalise import is_page_number, squash
from reports.reading.sections import find_layout
from reports.reading.source import BREAK, PARAGRAPH, Line, Source

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "iframe",
        "object",
        "svg",
        "select",
        "button",
    }
)
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul",
        "caption", "body", "html",
    }
)  # fmt: skip
MAX_SPAN = 100
# A site's furniture around an article: publication details, font-size and print links.
_CHROME = re.compile(
    r"^([【\[](字体|字号|打印|关闭|分享|收藏|返回)"
    r"|(发布时间|发布日期|发文日期|来源|信息来源|浏览次数|访问次数|点击数|阅读次数|字体|字号|"
    r"分享到|上一篇|下一篇|相关链接|相关文章|责任编辑|编辑|作者)[:：])"
)


def decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    encodings = [declared.group(1).decode("ascii").lower()] if declared else []
    encodings += ["utf-8", "gb18030"]
    for encoding in encodings:
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReadingError(_("网页的字符编码无法识别（既不是 UTF-8 也不是 GBK）。"))


def _text(value: str | None) -> str:
    return _SPACES.sub(" ", value or "")


class _Walker:
    """Emits lines in document order, each with the element it came from."""

    def __init__(self) -> None:
        self.lines: list[tuple[Line, object]] = []
        self.budget = limits.LineBudget()
        self.buffer: list[str] = []
        self.owner = None
        self.gap = PARAGRAPH

    def flush(self, gap: str = PARAGRAPH) -> None:
        text = "".join(self.buffer).strip(" \u3000")
        if text and not is_page_number(text) and not _CHROME.match(squash(text)):
            line = Line(text=text, cells=(text,), gap=self.gap)
            self.lines.append((self.budget.take(line), self.owner))
            self.gap = gap
        elif gap == PARAGRAPH:
            self.gap = PARAGRAPH
        self.buffer = []
        self.owner = None

    def add(self, text: str, element) -> None:
        if text:
            if self.owner is None and text.strip():
                self.owner = element
            self.buffer.append(text)

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in SKIPPED or not tag:
            self.add(_text(element.tail), element.getparent())
            return
        if tag == "br":
            self.flush(BREAK)
            self.add(_text(element.tail), element.getparent())
            return
        if tag == "table" and not element.xpath(".//table"):
            self.flush()
            self.table(element)
            self.add(_text(element.tail), element.getparent())
            return
        block = tag in BLOCKS or tag in ("table", "tr", "td", "th", "tbody", "thead")
        if block:
            self.flush()
        self.add(_text(element.text), element)
        for child in element:
            self.walk(child)
        if block:
            self.flush()
        self.add(_text(element.tail), element.getparent())

    def table(self, table) -> None:
        grid: dict[tuple[int, int], str | None] = {}
        rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        width = 0
        for r, row in enumerate(rows):
            c = 0
            for cell in row.xpath("./td|./th"):
                while (r, c) in grid:
                    c += 1
                rowspan = _span(cell.get("rowspan"))
                colspan = _span(cell.get("colspan"))
                text = "".join(_text(part).strip() for part in cell.itertext())
                for dr in range(rowspan):
                    for dc in range(colspan):
                        grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else None
                if len(grid) > limits.MAX_CELLS:  # merges spanning a hundred rows and columns
                    raise limits.refuse(
                        _("网页中的表格超过 %(limit)s 个单元格，")
                        % {"limit": f"{limits.MAX_CELLS:,}"}
                    )
                c += colspan
                width = max(width, c)
        for r in range(len(rows)):
            # A place no cell reaches (a short row) is no cell at all, as a merged one.
            cells = tuple(grid.get((r, c)) for c in range(width))
            if any(cells):
                line = Line(text="\t".join(cell or "" for cell in cells), cells=cells, grid=True)
                self.lines.append((self.budget.take(line), table))
        self.gap = PARAGRAPH


def _span(value: str | None) -> int:
    try:
        return min(MAX_SPAN, max(1, int(value or 1)))
    except ValueError:
        return 1


def read_html(data: bytes) -> Source:
    # Counted on the bytes, before lxml builds a tree of them.
    tags = data.count(b"<")
    if tags > limits.MAX_HTML_TAGS:
        raise limits.refuse(
            _("网页超过 %(limit)s 个标签（约 %(tags)s 个），")
            % {"limit": f"{limits.MAX_HTML_TAGS:,}", "tags": f"{tags:,}"}
        )
    text = decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReadingError(_("网页无法解析：%(error)s") % {"error": error}) from error
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    walker.flush()
    lines = [line for line, _owner in walker.lines]
    owners = [owner for _line, owner in walker.lines]
    return Source(kind="html", lines=tuple(_article(lines, owners)))


def _article(lines: list[Line], owners: list) -> list[Line]:
    """The lines inside the smallest element that holds the title and the last section
    heading found (else every line)."""
    layout = find_layout(lines)
    marks = list(layout.headings.values())
    if layout.title is not None:
        marks.append(layout.title.start)
    if len(marks) < 2:
        return lines
    first, last = owners[min(marks)], owners[max(marks)]
    container = _common_ancestor(first, last)
    if container is None:
        return lines
    inside = set(container.iter())
    return [line for line, owner in zip(lines, owners, strict=True) if owner in inside]


def _common_ancestor(a, b):
    if a is None or b is None:
        return None
    ancestors = set()
    node = a
    while node is not None:
        ancestors.add(node)
        node = node.getparent()
    node = b
    while node is not None:
        if node in ancestors:
            return node
        node = node.getparent()
    return None
