"""The national annual report format (2021 edition), loaded once from the vendored
``reports/data/annual_report_format.json``.

This module is THE one source of rows, columns and labels for every renderer (PDF, Word,
spreadsheet, CSV, public pages, API). Labels are exactly as the format prints them, with
full-width punctuation. Nothing here touches the database. The keys the records share
(applicant kinds, results, appeal kinds and results, document kinds, yearly figure items)
are the records' vocabulary, ``disclosure.vocab``: importing this module refuses a format
file that disagrees with it (``vocabulary_mismatches``).

What a renderer iterates:

``SECTIONS``
    The six sections in order (``Section``: number, title, kind "table"/"narrative", key).

Table 二 (``proactive``)
    ``PROACTIVE_GROUPS``: four ``ProactiveGroup`` (heading such as 第二十条第（一）项, its
    ``columns`` and its ``rows``); each group is printed as a heading line, a header line
    (信息内容 + column labels) and one line per row. ``PROACTIVE_CELLS`` lists every
    (row key, column key) pair in print order.

Table 三 (``requests``)
    ``REQUEST_COLUMNS``: seven ``Column`` (key, label, ``group`` — 法人或其他组织 for the five
    organisation columns, else None). ``REQUEST_COLUMN_GROUPS``: the merged header cells
    above the columns as ``Span`` (label, start index, span). The whole applicant block sits
    under ``REQUEST_COLUMN_HEADING`` (申请人情况); ``REQUEST_HEADER_NOTE`` is the text of the
    top-left header cell.

    ``REQUEST_ROWS``: 25 ``RequestRow`` (key, label, ``path`` — the group labels the row sits
    under, outermost first). The left header of the printed table has three columns; a
    row's own label spans ``label_colspan`` of them (3 - len(path)), and ``starts`` holds the
    merged group cells (``Span``, with ``span`` = the number of rows they cover) that begin
    on that row, outermost first. Drawing an HTML table::

        for row in REQUEST_ROWS:
            <tr>
            for group in row.starts: <th rowspan=group.span>group.label</th>
            <th colspan=row.label_colspan>row.label</th>
            for column in REQUEST_COLUMNS: <td>doc["requests"]["rows"][row.key][column.key]</td>

    ``REQUEST_ROW_GROUPS`` lists every merged row group (三、本年度办理结果 over 22 rows, and
    （三）…（六） over their numbered rows) with ``level`` 0 or 1 and ``start`` = row index.

Table 四 (``appeals``)
    ``APPEAL_GROUPS``: three ``Column`` (key, label, ``group`` — 行政诉讼 for the two
    litigation groups); ``APPEAL_GROUP_SPANS``: the merged cells above them;
    ``APPEAL_COLUMNS``: the five columns repeated under each group.

For checks and narrative
    ``RESULT_ROW_KEYS`` (the 21 result rows summed by (七)总计), ``APPLICANT_COLUMN_KEYS``
    (the six summed by 总计) and ``RESULT_GROUPS`` (the result groups a narrative quotes:
    予以公开, 部分公开, 予以公开及部分公开, 不予公开, 无法提供, 不予处理, 其他处理).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from disclosure.vocab import (
    DECISION_ITEMS,
    RESULT_FORMAT_LABELS,
    AppealKind,
    AppealResult,
    ApplicantKind,
    DocumentKind,
    FigureItem,
    Result,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT_PATH = DATA_DIR / "annual_report_format.json"
SCHEMA_PATH = DATA_DIR / "report.schema.json"


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    kind: str
    key: str

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str | None = None


@dataclass(frozen=True)
class Span:
    """A merged header cell: ``span`` consecutive rows (or columns) from index ``start``."""

    label: str
    start: int
    span: int
    level: int = 0


@dataclass(frozen=True)
class ProactiveGroup:
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[Column, ...]


@dataclass(frozen=True)
class RequestRow:
    key: str
    label: str
    path: tuple[str, ...]
    starts: tuple[Span, ...]

    @property
    def label_colspan(self) -> int:
        return REQUEST_ROW_HEADER_DEPTH - len(self.path)

    @property
    def is_result(self) -> bool:
        return self.key in RESULT_ROW_KEYS


@dataclass(frozen=True)
class ResultGroup:
    """A result group as a narrative names it, and the table rows it adds up."""

    key: str
    label: str
    rows: tuple[str, ...]


REQUEST_ROW_HEADER_DEPTH = 3


def _load() -> dict:
    with FORMAT_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def _spans(items: list[tuple[str, ...]], level: int) -> list[Span]:
    """Runs of equal, non-empty group prefixes at ``level`` as spans."""
    spans: list[Span] = []
    for index, path in enumerate(items):
        label = path[level] if len(path) > level else None
        if label is None:
            continue
        previous = items[index - 1] if index else ()
        same_run = (
            spans
            and spans[-1].start + spans[-1].span == index
            and len(previous) > level
            and previous[: level + 1] == path[: level + 1]
        )
        if same_run:
            last = spans[-1]
            spans[-1] = Span(last.label, last.start, last.span + 1, level)
        else:
            spans.append(Span(label, index, 1, level))
    return spans


def vocabulary_mismatches(raw: dict) -> list[str]:
    """Where a format file's keys differ from the records' vocabulary (``disclosure.vocab``,
    the one home of the keys both apps use); empty when they agree."""
    requests, appeals = raw["requests"], raw["appeals"]
    checks = {
        "table 二 rows": (
            [key for group in raw["proactive"]["groups"] for key, _label in group["rows"]],
            [*DocumentKind.values, *DECISION_ITEMS, FigureItem.FEES],
        ),
        "table 三 columns": (
            [key for key, _label, _group in requests["columns"]],
            [*ApplicantKind.values, "total"],
        ),
        "table 三 rows": (
            [key for key, _label, _group in requests["rows"]],
            ["new_received", "carried_over", *Result.values, "results_total", "carried_forward"],
        ),
        "table 三 result labels": (
            {key: label for key, label, _group in requests["rows"] if key in Result.values},
            RESULT_FORMAT_LABELS,
        ),
        "table 四 groups": (
            [key for key, _label, _group in appeals["groups"]],
            AppealKind.values,
        ),
        "table 四 columns": (
            [key for key, _label in appeals["columns"]],
            [*AppealResult.values, "pending", "total"],
        ),
    }
    return [
        f"{what}: the format file has {found!r}, disclosure.vocab {expected!r}"
        for what, (found, expected) in checks.items()
        if found != expected
    ]


_RAW = _load()
if _mismatches := vocabulary_mismatches(_RAW):
    raise ImproperlyConfigured(f"{FORMAT_PATH.name} disagrees: " + "; ".join(_mismatches))

EDITION: str = _RAW["edition"]
NOTE: str = _RAW["note"]

SECTIONS: tuple[Section, ...] = tuple(
    Section(s["number"], s["title"], s["kind"], s["key"]) for s in _RAW["sections"]
)
NARRATIVE_SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.kind == "narrative")
TABLE_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.kind == "table")

# --- table 二 -------------------------------------------------------------------------

PROACTIVE_GROUPS: tuple[ProactiveGroup, ...] = tuple(
    ProactiveGroup(
        heading=group["heading"],
        columns=tuple(Column(key, label) for key, label in group["columns"]),
        rows=tuple(Column(key, label) for key, label in group["rows"]),
    )
    for group in _RAW["proactive"]["groups"]
)
PROACTIVE_ROW_LABEL_HEADING = "信息内容"
PROACTIVE_CELLS: tuple[tuple[str, str], ...] = tuple(
    (row.key, column.key)
    for group in PROACTIVE_GROUPS
    for row in group.rows
    for column in group.columns
)
PROACTIVE_ROW_KEYS: tuple[str, ...] = tuple(row for row, _column in dict.fromkeys(PROACTIVE_CELLS))
PROACTIVE_COLUMNS_BY_ROW: dict[str, tuple[str, ...]] = {
    row.key: tuple(column.key for column in group.columns)
    for group in PROACTIVE_GROUPS
    for row in group.rows
}
PROACTIVE_ROW_LABELS: dict[str, str] = {
    row.key: row.label for group in PROACTIVE_GROUPS for row in group.rows
}
PROACTIVE_COLUMN_LABELS: dict[str, str] = {
    column.key: column.label for group in PROACTIVE_GROUPS for column in group.columns
}
DOCUMENT_ROW_KEYS: tuple[str, ...] = tuple(DocumentKind.values)
DECISION_ROW_KEYS: tuple[str, ...] = tuple(item.value for item in DECISION_ITEMS)
FEE_ROW_KEY: str = FigureItem.FEES.value
FEE_COLUMN_KEY = "amount_10k_yuan"

# --- table 三 -------------------------------------------------------------------------

_requests = _RAW["requests"]
REQUEST_COLUMN_HEADING: str = _requests["column_heading"]
REQUEST_HEADER_NOTE: str = _requests["header_note"]
REQUEST_COLUMNS: tuple[Column, ...] = tuple(
    Column(key, label, group) for key, label, group in _requests["columns"]
)
REQUEST_COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in REQUEST_COLUMNS)
REQUEST_COLUMN_LABELS: dict[str, str] = {column.key: column.label for column in REQUEST_COLUMNS}
TOTAL_COLUMN_KEY = "total"
APPLICANT_COLUMN_KEYS: tuple[str, ...] = tuple(
    key for key in REQUEST_COLUMN_KEYS if key != TOTAL_COLUMN_KEY
)
REQUEST_COLUMN_GROUPS: tuple[Span, ...] = tuple(
    _spans([(column.group,) if column.group else () for column in REQUEST_COLUMNS], 0)
)

_row_paths = [tuple(group.split("/")) if group else () for _key, _label, group in _requests["rows"]]
REQUEST_ROW_GROUPS: tuple[Span, ...] = tuple(_spans(_row_paths, 0) + _spans(_row_paths, 1))
REQUEST_ROWS: tuple[RequestRow, ...] = tuple(
    RequestRow(
        key=key,
        label=label,
        path=path,
        starts=tuple(
            sorted(
                (span for span in REQUEST_ROW_GROUPS if span.start == index),
                key=lambda span: span.level,
            )
        ),
    )
    for index, ((key, label, _group), path) in enumerate(
        zip(_requests["rows"], _row_paths, strict=True)
    )
)
REQUEST_ROW_KEYS: tuple[str, ...] = tuple(row.key for row in REQUEST_ROWS)
REQUEST_ROW_LABELS: dict[str, str] = {row.key: row.label for row in REQUEST_ROWS}
RESULTS_TOTAL_KEY = "results_total"
RESULT_ROW_KEYS: tuple[str, ...] = REQUEST_ROW_KEYS[
    REQUEST_ROW_KEYS.index("granted") : REQUEST_ROW_KEYS.index(RESULTS_TOTAL_KEY)
]

RESULT_GROUPS: dict[str, ResultGroup] = {
    group.key: group
    for group in (
        ResultGroup("granted", "予以公开", ("granted",)),
        ResultGroup("partially_granted", "部分公开", ("partially_granted",)),
        ResultGroup("granted_or_partial", "予以公开及部分公开", ("granted", "partially_granted")),
        ResultGroup(
            "denied", "不予公开", tuple(k for k in RESULT_ROW_KEYS if k.startswith("denied_"))
        ),
        ResultGroup(
            "unable", "无法提供", tuple(k for k in RESULT_ROW_KEYS if k.startswith("unable_"))
        ),
        ResultGroup(
            "rejected", "不予处理", tuple(k for k in RESULT_ROW_KEYS if k.startswith("rejected_"))
        ),
        ResultGroup(
            "other_handling",
            "其他处理",
            tuple(k for k in RESULT_ROW_KEYS if k.startswith("other_")),
        ),
    )
}

# --- table 四 -------------------------------------------------------------------------

APPEAL_GROUPS: tuple[Column, ...] = tuple(
    Column(key, label, group) for key, label, group in _RAW["appeals"]["groups"]
)
APPEAL_GROUP_KEYS: tuple[str, ...] = tuple(group.key for group in APPEAL_GROUPS)
APPEAL_GROUP_LABELS: dict[str, str] = {
    group.key: (f"{group.group}·{group.label}" if group.group else group.label)
    for group in APPEAL_GROUPS
}
APPEAL_GROUP_SPANS: tuple[Span, ...] = tuple(
    _spans([(group.group,) if group.group else () for group in APPEAL_GROUPS], 0)
)
APPEAL_COLUMNS: tuple[Column, ...] = tuple(
    Column(key, label) for key, label in _RAW["appeals"]["columns"]
)
APPEAL_COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in APPEAL_COLUMNS)
APPEAL_COLUMN_LABELS: dict[str, str] = {column.key: column.label for column in APPEAL_COLUMNS}
APPEAL_PART_KEYS: tuple[str, ...] = tuple(
    key for key in APPEAL_COLUMN_KEYS if key != TOTAL_COLUMN_KEY
)

TABLE_LABELS: dict[str, str] = {s.key: s.heading for s in SECTIONS}


def cells(table: str) -> tuple[tuple[str, str], ...]:
    """Every (row, column) of a table in print order; for ``appeals`` the row is the group."""
    if table == "proactive":
        return PROACTIVE_CELLS
    if table == "requests":
        return tuple((row, column) for row in REQUEST_ROW_KEYS for column in REQUEST_COLUMN_KEYS)
    if table == "appeals":
        return tuple(
            (group, column) for group in APPEAL_GROUP_KEYS for column in APPEAL_COLUMN_KEYS
        )
    raise KeyError(table)


def row_label(table: str, row: str) -> str:
    if table == "proactive":
        return PROACTIVE_ROW_LABELS[row]
    if table == "requests":
        return REQUEST_ROW_LABELS[row]
    if table == "appeals":
        return APPEAL_GROUP_LABELS[row]
    raise KeyError(table)


def column_label(table: str, column: str) -> str:
    if table == "proactive":
        return PROACTIVE_COLUMN_LABELS[column]
    if table == "requests":
        return REQUEST_COLUMN_LABELS[column]
    if table == "appeals":
        return APPEAL_COLUMN_LABELS[column]
    raise KeyError(table)


def table_rows(doc: dict, table: str) -> dict:
    """The row mapping of a document's table: ``requests`` keeps its rows under ``rows``."""
    return doc[table]["rows"] if table == "requests" else doc[table]


def cell(doc: dict, table: str, row: str, column: str):
    return table_rows(doc, table)[row][column]


def empty_tables() -> dict:
    """Tables with every cell zero (fees ``Decimal`` 0): the starting point of sums."""
    proactive: dict = {
        row: {column: 0 for column in PROACTIVE_COLUMNS_BY_ROW[row]} for row in PROACTIVE_ROW_KEYS
    }
    proactive[FEE_ROW_KEY][FEE_COLUMN_KEY] = Decimal("0.0000")
    return {
        "proactive": proactive,
        "requests": {
            "columns": list(REQUEST_COLUMN_KEYS),
            "rows": {row: dict.fromkeys(REQUEST_COLUMN_KEYS, 0) for row in REQUEST_ROW_KEYS},
        },
        "appeals": {group: dict.fromkeys(APPEAL_COLUMN_KEYS, 0) for group in APPEAL_GROUP_KEYS},
    }
