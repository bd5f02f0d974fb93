"""The printed layout of the report: the three tables as grids of merged cells, the title,
and the narrative paragraphs — shared by the HTML partials (public pages and PDF), Word and
the spreadsheet, so every renderer draws the same cells in the same places.

Rows, columns and labels all come from ``reports.format``; this module only decides where
the format puts them on paper. It never computes a figure: values are read from the
document and shown as they stand (``None`` — a blank kept from an imported original — is
shown blank and marked).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reports import format as fmt
from reports.exports import paper

BLANK_MARK = "※"
# Percent of the table width for the row-label columns of a table (the rest is figures).
LABEL_COLUMN_WIDTHS: dict[str, tuple[float, ...]] = {
    "proactive": (26,),
    "requests": (5, 11, 41),
}
SHA_SHOWN = 12  # characters of a version's SHA-256 printed on its pages


@dataclass(frozen=True)
class Cell:
    """One printed cell at grid position (``row``, ``col``) of its table.

    ``row`` counts from the table's first printed row (header rows included); a merged cell
    sits at its top-left position and covers ``rowspan`` × ``colspan`` grid places."""

    text: str
    row: int
    col: int
    header: bool = False
    rowspan: int = 1
    colspan: int = 1
    scope: str = ""
    id: str = ""
    headers: tuple[str, ...] = ()
    value: int | float | Decimal | None = None
    decimals: int = 0
    blank: bool = False
    kind: str = ""
    note_id: str = ""  # the footnote explaining a blank cell

    @property
    def headers_attr(self) -> str:
        return " ".join(self.headers)

    @property
    def css_class(self) -> str:
        classes = [self.kind] if self.kind else []
        if not self.header:
            classes.append("num")
        if self.blank:
            classes.append("cell-blank")
        return " ".join(classes)

    @property
    def mark(self) -> str:
        return BLANK_MARK if self.blank else ""

    @property
    def words(self) -> tuple[str, ...]:
        """A column header or sub-group name as the two-character words a narrow column may
        break it into (社会/公益/组织, （三）/不予/公开); empty for any other cell and for a
        text that is not plain words (本年收费金额（单位：万元）). A two-character header is
        one word (总计)."""
        if not (self.scope == "col" or "level-1" in self.kind):
            return ()
        return paper.header_words(self.text)

    @property
    def end_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def end_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class TableLayout:
    """A table as printed: ``head`` rows repeat on every page a table spans; ``bodies`` are
    the table's row groups (table 二 prints each of its four groups with its own headings)."""

    key: str
    heading: str
    width: int
    column_kinds: tuple[str, ...]
    head: tuple[tuple[Cell, ...], ...]
    bodies: tuple[tuple[tuple[Cell, ...], ...], ...]
    blank_cells: tuple[tuple[str, str], ...] = ()

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.head + tuple(row for body in self.bodies for row in body)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for row in self.rows for cell in row)

    @property
    def head_height(self) -> int:
        return len(self.head)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def label_width(self) -> int:
        """Number of leading grid columns holding row labels."""
        return sum(1 for kind in self.column_kinds if kind.startswith("label"))

    @property
    def columns(self) -> tuple[tuple[str, float], ...]:
        return tuple(zip(self.column_kinds, self.column_widths, strict=True))

    @property
    def column_widths(self) -> tuple[float, ...]:
        """Column widths in percent of the table width: the label columns as wide as their
        labels need on A4, the figures sharing the rest equally."""
        labels = LABEL_COLUMN_WIDTHS.get(self.key, ())
        data = (100 - sum(labels)) / (self.width - len(labels))
        return (*labels, *[round(data, 2)] * (self.width - len(labels)))

    @property
    def figure_chars(self) -> int:
        """Characters of the widest figure (the public page sizes its figure columns so)."""
        return max((len(cell.text) for cell in self.cells if not cell.header), default=1)

    def header_class(self, cell: Cell) -> str:
        """The classes of a header cell on a page: its kind, ``words`` when it breaks only
        between its words, and ``lead-N`` for a row-label column N (table 三 keeps them in
        view on a phone while the figures scroll)."""
        classes = [cell.kind] if cell.kind else []
        if cell.words:
            classes.append("words")
        if cell.col < self.label_width:
            classes.append(f"lead-{cell.col}")
        return " ".join(classes)

    @property
    def footnote(self) -> str:
        if not self.blank_cells:
            return ""
        return _("%(mark)s 原报告此处空白，按原件保留，未填写数字。") % {"mark": BLANK_MARK}


@dataclass(frozen=True)
class Marking:
    """What an export says it is, on every page: a draft carries 草稿 as a running header
    (and a watermark where the format has one) and 未发布 in the footer; a published
    version its number and the first characters of its SHA-256."""

    draft: bool
    header: str
    footer: str


def marking(doc: dict) -> Marking:
    """A document with a ``version`` was published (here, or in the original an imported
    document copies); any other is a draft."""
    if not doc.get("version"):
        return Marking(draft=True, header=_("草稿"), footer=_("未发布"))
    footer = _("第%(number)s版") % {"number": doc["version"]}
    if doc.get("sha256"):
        footer += " · " + _("SHA-256：%(digest)s") % {"digest": doc["sha256"][:SHA_SHOWN]}
    return Marking(draft=False, header="", footer=footer)


# --- values -------------------------------------------------------------------------------


def decimals_of(value) -> int:
    """Digits after the decimal point of a number as the document states it."""
    if value is None or isinstance(value, bool) or isinstance(value, int):
        return 0
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def display(value) -> str:
    """A cell's printed text: integers as they are, amounts without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(str(value)).normalize(), "f")


# --- titles and narrative -----------------------------------------------------------------


def body_name(doc: dict) -> str:
    return doc.get("body_name") or doc["body"]


def title_lines(doc: dict) -> tuple[str, str]:
    """The title as printed in two lines (a 22 pt title holds about twenty characters)."""
    return (
        _("%(body)s%(year)s年") % {"body": body_name(doc), "year": doc["year"]},
        _("政府信息公开工作年度报告"),
    )


def document_title(doc: dict) -> str:
    return "".join(title_lines(doc))


def cover_letter_title_lines(doc: dict) -> tuple[str, ...]:
    first, second = title_lines(doc)
    return (
        body_name(doc),
        _("关于报送%(title)s") % {"title": first},
        _("%(title)s的函") % {"title": second},
    )


def chinese_date(value: str) -> str:
    day = datetime.date.fromisoformat(value)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*\S.{0,28}$")
_BULLET = re.compile(r"^[-•·]\s+")


@dataclass(frozen=True)
class Paragraph:
    text: str
    subheading: bool = False


def paragraphs(text: str | None) -> list[Paragraph]:
    """Narrative text as printed paragraphs: one per non-empty line; a Markdown-style bullet
    marker is dropped (official documents indent instead); a short line such as
    （一）主动公开方面 is a sub-heading."""
    result = []
    for line in (text or "").splitlines():
        line = _BULLET.sub("", line.strip())
        if line:
            result.append(Paragraph(line, subheading=bool(_SUBHEADING.match(line))))
    return result


def narrative(doc: dict, key: str) -> list[Paragraph]:
    return paragraphs((doc.get("narrative") or {}).get(key))


# --- tables -------------------------------------------------------------------------------


class _Grid:
    """Collects cells row by row, with ids unique within a page holding all three tables."""

    def __init__(self, table: str):
        self.table = table
        self.blank_cells: list[tuple[str, str]] = []

    def id(self, *parts: object) -> str:
        return "-".join(["t", self.table, *(str(part) for part in parts)])

    def value_cell(
        self,
        value: int | float | None,
        row: int,
        col: int,
        headers: tuple[str, ...],
        key: tuple[str, str],
        colspan: int = 1,
    ) -> Cell:
        blank = value is None
        if blank:
            self.blank_cells.append(key)
        return Cell(
            text=display(value),
            row=row,
            col=col,
            colspan=colspan,
            headers=headers,
            value=value,
            decimals=decimals_of(value),
            blank=blank,
            note_id=f"footnote-{self.table}" if blank else "",
        )


def proactive_layout(doc: dict) -> TableLayout:
    """Table 二: each group is a heading line across the table, a header line (信息内容 and
    the group's columns) and its rows; a group with one column spans it over the width of
    the widest group, as the format prints it."""
    grid = _Grid("proactive")
    values = doc["proactive"]
    data_width = max(len(group.columns) for group in fmt.PROACTIVE_GROUPS)
    bodies = []
    row = 0
    for number, group in enumerate(fmt.PROACTIVE_GROUPS, start=1):
        span = data_width // len(group.columns)
        group_id = grid.id("g", number)
        label_id = grid.id("g", number, "label")
        heading = (
            Cell(
                group.heading,
                row,
                0,
                header=True,
                colspan=1 + data_width,
                scope="colgroup",
                id=group_id,
                kind="group",
            ),
        )
        column_header = [
            Cell(
                fmt.PROACTIVE_ROW_LABEL_HEADING,
                row + 1,
                0,
                header=True,
                scope="col",
                id=label_id,
                headers=(group_id,),
            )
        ]
        for index, column in enumerate(group.columns):
            column_header.append(
                Cell(
                    column.label,
                    row + 1,
                    1 + index * span,
                    header=True,
                    colspan=span,
                    scope="col",
                    id=grid.id("g", number, column.key),
                    headers=(group_id,),
                )
            )
        lines = [heading, tuple(column_header)]
        for offset, item in enumerate(group.rows, start=2):
            row_id = grid.id("r", item.key)
            line = [
                Cell(
                    item.label,
                    row + offset,
                    0,
                    header=True,
                    scope="row",
                    id=row_id,
                    headers=(label_id,),
                    kind="label",
                )
            ]
            for index, column in enumerate(group.columns):
                line.append(
                    grid.value_cell(
                        values[item.key][column.key],
                        row + offset,
                        1 + index * span,
                        (group_id, grid.id("g", number, column.key), row_id),
                        (item.key, column.key),
                        colspan=span,
                    )
                )
            lines.append(tuple(line))
        bodies.append(tuple(lines))
        row += len(lines)
    return TableLayout(
        key="proactive",
        heading=fmt.TABLE_LABELS["proactive"],
        width=1 + data_width,
        column_kinds=("label", *["data"] * data_width),
        head=(),
        bodies=tuple(bodies),
        blank_cells=tuple(grid.blank_cells),
    )


def requests_layout(doc: dict) -> TableLayout:
    """Table 三: a three-line header (the 勾稽 note over the row labels; 申请人情况 over the
    columns; 法人或其他组织 over its five), then 25 rows whose groups span their rows."""
    grid = _Grid("requests")
    depth = fmt.REQUEST_ROW_HEADER_DEPTH
    columns = fmt.REQUEST_COLUMNS
    heading_id = grid.id("heading")
    group_ids = {span.label: grid.id("cg", span.start) for span in fmt.REQUEST_COLUMN_GROUPS}
    column_ids = {column.key: grid.id("c", column.key) for column in columns}

    first = (
        Cell(fmt.REQUEST_HEADER_NOTE, 0, 0, header=True, rowspan=3, colspan=depth, kind="note"),
        Cell(
            fmt.REQUEST_COLUMN_HEADING,
            0,
            depth,
            header=True,
            colspan=len(columns),
            scope="colgroup",
            id=heading_id,
        ),
    )
    second, third = [], []
    column_chains: dict[str, tuple[str, ...]] = {}
    spans = {span.start: span for span in fmt.REQUEST_COLUMN_GROUPS}
    for index, column in enumerate(columns):
        if column.group is None:
            column_chains[column.key] = (heading_id, column_ids[column.key])
            second.append(
                Cell(
                    column.label,
                    1,
                    depth + index,
                    header=True,
                    rowspan=2,
                    scope="col",
                    id=column_ids[column.key],
                    headers=(heading_id,),
                )
            )
            continue
        if index in spans:
            span = spans[index]
            second.append(
                Cell(
                    span.label,
                    1,
                    depth + index,
                    header=True,
                    colspan=span.span,
                    scope="colgroup",
                    id=group_ids[span.label],
                    headers=(heading_id,),
                )
            )
        column_chains[column.key] = (heading_id, group_ids[column.group], column_ids[column.key])
        third.append(
            Cell(
                column.label,
                2,
                depth + index,
                header=True,
                scope="col",
                id=column_ids[column.key],
                headers=(heading_id, group_ids[column.group]),
            )
        )
    head = (first, tuple(second), tuple(third))

    rows = doc["requests"]["rows"]
    body = []
    open_groups: dict[int, str] = {}
    for index, item in enumerate(fmt.REQUEST_ROWS):
        at = len(head) + index
        line = []
        for span in item.starts:
            open_groups[span.level] = grid.id("rg", span.level, span.start)
            line.append(
                Cell(
                    span.label,
                    at,
                    span.level,
                    header=True,
                    rowspan=span.span,
                    scope="rowgroup",
                    id=open_groups[span.level],
                    kind=f"group level-{span.level}",
                )
            )
        path_ids = tuple(open_groups[level] for level in range(len(item.path)))
        row_id = grid.id("r", item.key)
        line.append(
            Cell(
                item.label,
                at,
                len(item.path),
                header=True,
                colspan=item.label_colspan,
                scope="row",
                id=row_id,
                headers=path_ids,
                kind="label",
            )
        )
        for col, column in enumerate(columns):
            headers = (*path_ids, row_id, *column_chains[column.key])
            line.append(
                grid.value_cell(
                    rows[item.key][column.key],
                    at,
                    depth + col,
                    headers,
                    (item.key, column.key),
                )
            )
        body.append(tuple(line))
    return TableLayout(
        key="requests",
        heading=fmt.TABLE_LABELS["requests"],
        width=depth + len(columns),
        column_kinds=("label-group", "label-group", "label", *["data"] * len(columns)),
        head=head,
        bodies=(tuple(body),),
        blank_cells=tuple(grid.blank_cells),
    )


def appeals_layout(doc: dict) -> TableLayout:
    """Table 四: 行政复议 over its five columns; 行政诉讼 over its two groups, each over five;
    one line of figures."""
    grid = _Grid("appeals")
    columns = fmt.APPEAL_COLUMNS
    width = len(fmt.APPEAL_GROUPS) * len(columns)
    spans = {span.start: span for span in fmt.APPEAL_GROUP_SPANS}
    parent_ids = {
        index: grid.id("pg", span.start)
        for span in fmt.APPEAL_GROUP_SPANS
        for index in range(span.start, span.start + span.span)
    }
    first, second, third = [], [], []
    group_headers: dict[str, tuple[str, ...]] = {}
    for index, group in enumerate(fmt.APPEAL_GROUPS):
        col = index * len(columns)
        group_id = grid.id("g", group.key)
        if group.group is None:
            first.append(
                Cell(
                    group.label,
                    0,
                    col,
                    header=True,
                    colspan=len(columns),
                    scope="colgroup",
                    id=group_id,
                )
            )
            group_headers[group.key] = (group_id,)
            leaf_row, leaf_rowspan, target = 1, 2, second
        else:
            parent_id = parent_ids[index]
            if index in spans:
                first.append(
                    Cell(
                        spans[index].label,
                        0,
                        col,
                        header=True,
                        colspan=spans[index].span * len(columns),
                        scope="colgroup",
                        id=parent_id,
                    )
                )
            second.append(
                Cell(
                    group.label,
                    1,
                    col,
                    header=True,
                    colspan=len(columns),
                    scope="colgroup",
                    id=group_id,
                    headers=(parent_id,),
                )
            )
            group_headers[group.key] = (parent_id, group_id)
            leaf_row, leaf_rowspan, target = 2, 1, third
        for offset, column in enumerate(columns):
            target.append(
                Cell(
                    column.label,
                    leaf_row,
                    col + offset,
                    header=True,
                    rowspan=leaf_rowspan,
                    scope="col",
                    id=grid.id("c", group.key, column.key),
                    headers=group_headers[group.key],
                )
            )
    head = (tuple(first), tuple(second), tuple(third))
    line = []
    for index, group in enumerate(fmt.APPEAL_GROUPS):
        for offset, column in enumerate(columns):
            line.append(
                grid.value_cell(
                    doc["appeals"][group.key][column.key],
                    len(head),
                    index * len(columns) + offset,
                    (*group_headers[group.key], grid.id("c", group.key, column.key)),
                    (group.key, column.key),
                )
            )
    return TableLayout(
        key="appeals",
        heading=fmt.TABLE_LABELS["appeals"],
        width=width,
        column_kinds=("data",) * width,
        head=head,
        bodies=((tuple(line),),),
        blank_cells=tuple(grid.blank_cells),
    )


LAYOUTS = {
    "proactive": proactive_layout,
    "requests": requests_layout,
    "appeals": appeals_layout,
}


def table_layout(doc: dict, table: str) -> TableLayout:
    return LAYOUTS[table](doc)


def table_layouts(doc: dict) -> list[TableLayout]:
    """The tables in section order."""
    return [table_layout(doc, key) for key in fmt.TABLE_KEYS]
