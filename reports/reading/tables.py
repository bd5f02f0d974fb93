"""Tables 二, 三 and 四 read from a section's lines, every cell matched to the format.

A row of the source is matched to a row of the format by its label (after NFKC, letters,
digits and CJK characters only), the rows kept in the format's order; a row whose label is
misprinted takes the place left between its matched neighbours (by position, checked
against its item number). A row's figures are the cells at its end: the last ones belong to
the format's columns, left to right (or in the order their header labels give, where a
drawn table's header names them in another order). Where a row prints fewer figures than
the format has columns and the source does not say which cell is empty (a flattened table
without tabs or positions), the row's cells are not guessed: they are lost.

The result is each cell's printed value (``int``; the fee a ``Decimal``), a printed blank,
or a lost cell with the reason — nothing is computed here (``reports.reading.repairs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from reports import format as fmt
from reports.reading.normalise import (
    NotAFigure,
    label_key,
    parse_figure,
    row_number,
    similarity,
)
from reports.reading.source import Line

MATCH = 0.6  # the least label similarity that matches a row by its label
CONTAINED = 0.9  # the score of a row whose label contains the format's label whole

PRINTED = "printed"
BLANK = "blank"
LOST = "lost"


@dataclass(frozen=True)
class CellRead:
    """A cell as read: its printed value, a printed blank, or lost (with the reason)."""

    value: int | Decimal | None
    state: str
    reason: str = ""


@dataclass(frozen=True)
class GroupSum:
    """A result group printed as one row (（六）其他处理 instead of its three sub-rows)."""

    label: str
    rows: tuple[str, ...]
    values: dict[str, int | None]
    text: str


@dataclass
class TableRead:
    table: str
    cells: dict[tuple[str, str], CellRead] = field(default_factory=dict)
    group_sums: list[GroupSum] = field(default_factory=list)
    # How each format row was found: "label", "position" or "number".
    matched_by: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    text: str
    value: int | Decimal | None
    x: float | None = None
    index: int | None = None  # the grid column of a drawn table's cell


@dataclass(frozen=True)
class DataRow:
    label_cells: tuple[str, ...]
    figures: tuple[Figure, ...]
    text: str
    # Empty tab cells after the last figure: the padding of a flattened table, or blanks
    # where a row prints fewer figures than its columns.
    spare_blanks: int = 0
    width: int | None = None  # a drawn table's grid width

    @property
    def has_number(self) -> bool:
        return any(figure.value is not None for figure in self.figures)

    @property
    def label(self) -> str:
        return "".join(self.label_cells)


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    group: bool = False  # a result group's heading ((三)…(六)), matched only by itself
    number: int | None = None
    leaves: tuple[str, ...] = ()


class Unplaced(ValueError):
    """A row's figures cannot be put in its columns; the message says why."""


# --- rows of the source ------------------------------------------------------------------


def data_row(line: Line) -> DataRow | None:
    """The row's label cells and the figures at its end; None for a line without either."""
    if line.grid:
        indexed = [(i, cell) for i, cell in enumerate(line.cells) if cell is not None]
        xs = None
    else:
        indexed = list(enumerate(line.cells))
        xs = line.xs
    spare = 0
    if not line.grid:
        while indexed and not indexed[-1][1].strip():
            indexed.pop()
            spare += 1
        if not line.tabbed:
            spare = 0
    figures: list[Figure] = []
    position = len(indexed)
    while position > 0:
        index, text = indexed[position - 1]
        try:
            value = parse_figure(text)
        except NotAFigure:
            break
        x = xs[index] if xs is not None and index < len(xs) else None
        figures.insert(0, Figure(text=text, value=value, x=x, index=index))
        position -= 1
    labels = tuple(text.strip() for _i, text in indexed[:position] if text and text.strip())
    if not figures and not spare:
        return None
    return DataRow(
        label_cells=labels,
        figures=tuple(figures),
        text=line.text
        if not line.grid
        else " | ".join(c or "" for c in line.cells if c is not None),
        spare_blanks=spare,
        width=len(line.cells) if line.grid else None,
    )


def label_score(row: DataRow, target: Target) -> float:
    if not row.label_cells:
        return 0.0
    wanted = label_key(target.label)
    last = label_key(row.label_cells[-1])
    if target.group:
        return similarity(last, wanted)
    whole = label_key(row.label)
    candidates = [last, whole]
    if len(row.label_cells) > 1:
        candidates.append(label_key("".join(row.label_cells[-2:])))
    score = max(similarity(candidate, wanted) for candidate in candidates)
    if len(wanted) >= 3 and wanted in whole:
        score = max(score, CONTAINED)
    return score


def align(rows: list[DataRow], targets: list[Target]) -> dict[int, tuple[int, str]]:
    """Rows of the source matched to targets in order: target index → (row index, how)."""
    n, m = len(rows), len(targets)
    scores = [[label_score(row, target) for target in targets] for row in rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if scores[i][j] >= MATCH:
                options.append(scores[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    matched: dict[int, tuple[int, str]] = {}
    i = j = 0
    while i < n and j < m:
        if scores[i][j] >= MATCH and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            matched[j] = (i, "label")
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    _fill_gaps(rows, targets, matched)
    return matched


def _fill_gaps(rows: list[DataRow], targets: list[Target], matched: dict) -> None:
    """Rows with figures left between two matched rows take the format rows left there:
    in order when the counts agree and no item number contradicts, else by item number."""
    grouped = {leaf for j, (_i, _how) in matched.items() for leaf in targets[j].leaves}
    anchors = sorted((i, j) for j, (i, _how) in matched.items())
    bounds = [(-1, -1), *anchors, (len(rows), len(targets))]
    for (row_from, target_from), (row_to, target_to) in zip(bounds, bounds[1:], strict=False):
        loose = [i for i in range(row_from + 1, row_to) if rows[i].has_number]
        free = [
            j
            for j in range(target_from + 1, target_to)
            if not targets[j].group and targets[j].key not in grouped
        ]
        if not loose or not free:
            continue
        if len(loose) == len(free) and all(
            _numbers_agree(rows[i], targets[j]) for i, j in zip(loose, free, strict=True)
        ):
            for i, j in zip(loose, free, strict=True):
                matched[j] = (i, "position")
            continue
        for i in loose:
            number = row_number(rows[i].label)
            fits = [j for j in free if number is not None and targets[j].number == number]
            if len(fits) == 1 and fits[0] not in matched:
                matched[fits[0]] = (i, "number")


def _numbers_agree(row: DataRow, target: Target) -> bool:
    number = row_number(row.label)
    return number is None or target.number is None or number == target.number


def placed_figures(
    row: DataRow, count: int, centres: list[float] | None = None
) -> list[Figure | None]:
    """The row's figures for ``count`` columns, left to right; ``None`` for a cell the
    source prints empty by position. Raises ``Unplaced`` when it cannot say which is which."""
    figures = list(row.figures)
    if len(figures) < count and row.spare_blanks:
        extra = min(row.spare_blanks, count - len(figures))
        figures += [Figure(text="", value=None)] * extra
    if len(figures) >= count:
        surplus = figures[: len(figures) - count]
        if any(figure.value is not None for figure in surplus):
            raise Unplaced(
                _("该行印有 %(printed)d 个数字，多于 %(count)d 列，无法确定各列的数。")
                % {"printed": sum(1 for f in figures if f.value is not None), "count": count}
            )
        return figures[len(figures) - count :]
    if figures and all(figure.x is not None for figure in figures):
        places = _places(figures, count, centres)
        if places is not None:
            result: list[Figure | None] = [None] * count
            for place, figure in zip(places, figures, strict=True):
                result[place] = figure
            return result
    raise Unplaced(
        _("该行只印有 %(printed)d 个数字，少于 %(count)d 列，无法确定缺的是哪一列。")
        % {"printed": len(row.figures), "count": count}
    )


def _places(figures: list[Figure], count: int, centres: list[float] | None) -> list[int] | None:
    """The column of each figure by its position: the nearest of the ``centres`` learned
    from rows printing every column; else, on a row of evenly spaced columns, by the
    spacing, when a missing column lies between the first and the last printed."""
    if centres:
        places = [min(range(count), key=lambda c, f=f: abs(centres[c] - f.x)) for f in figures]
    elif len(figures) >= 3:
        steps = sorted(b.x - a.x for a, b in zip(figures, figures[1:], strict=False))
        pitch = steps[len(steps) // 2]
        if pitch <= 0:
            return None
        places = [round((figure.x - figures[0].x) / pitch) for figure in figures]
        if places[-1] != count - 1:
            return None  # the missing column may be the first or the last
    else:
        return None
    if places != sorted(set(places)) or places[-1] >= count:
        return None
    return places


def _centres(rows: list[DataRow], count: int) -> list[float] | None:
    """The horizontal centre of each of ``count`` columns, from the rows printing them all."""
    full = [row.figures[-count:] for row in rows if len(row.figures) >= count]
    full = [figures for figures in full if all(figure.x is not None for figure in figures)]
    if not full:
        return None
    return [sum(figures[c].x for figures in full) / len(full) for c in range(count)]


def _cell(figure: Figure | None, *, fee: bool = False, source: str = "") -> CellRead:
    if figure is None or figure.value is None:
        return CellRead(None, BLANK, _("原文此格空白。"))
    value = figure.value
    if isinstance(value, Decimal) and not fee:
        return CellRead(
            None, LOST, _("原文此格印为 %(text)s，不是整数件数。") % {"text": figure.text}
        )
    return CellRead(value, PRINTED)


def _lost(reason: str) -> CellRead:
    return CellRead(None, LOST, reason)


# --- header labels -----------------------------------------------------------------------


def _column_order(
    lines: list[Line], rows: list[DataRow], columns: list[tuple[str, str]]
) -> list[str] | None:
    """The columns in the order a drawn table's header names them above the figures, when
    that differs from the format's order and names every column; else None."""
    sample = next((row for row in rows if len(row.figures) >= len(columns) and row.width), None)
    if sample is None:
        return None
    indices = [figure.index for figure in sample.figures[-len(columns) :]]
    headers = [""] * len(indices)
    for line in lines:
        if not line.grid or len(line.cells) != sample.width:
            continue
        row = data_row(line)
        if row is not None and row.has_number:
            continue
        for position, index in enumerate(indices):
            cell = line.cells[index] if index is not None else None
            if cell:
                headers[position] += label_key(cell)
    order: list[str] = []
    for text in headers:
        found = [(len(label_key(label)), key) for key, label in columns if label_key(label) in text]
        if not found:
            return None
        found.sort(reverse=True)
        if len(found) > 1 and found[0][0] == found[1][0]:
            return None
        order.append(found[0][1])
    keys = [key for key, _label in columns]
    if sorted(order) != sorted(keys) or order == keys:
        return None
    return order


# --- the three tables --------------------------------------------------------------------


def _candidates(lines: list[Line]) -> list[DataRow]:
    return [row for line in lines if (row := data_row(line)) is not None]


def _request_targets() -> list[Target]:
    targets: list[Target] = []
    seen: set[str] = set()
    for row in fmt.REQUEST_ROWS:
        if len(row.path) == 2 and row.path[1] not in seen:
            seen.add(row.path[1])
            leaves = tuple(r.key for r in fmt.REQUEST_ROWS if r.path[1:] == row.path[1:])
            targets.append(Target(key=row.path[1], label=row.path[1], group=True, leaves=leaves))
        targets.append(Target(key=row.key, label=row.label, number=row_number(row.label)))
    return targets


def read_requests(lines: list[Line]) -> TableRead:
    result = TableRead("requests")
    rows = _candidates(lines)
    targets = _request_targets()
    matched = align(rows, targets)
    columns = list(fmt.REQUEST_COLUMN_KEYS)
    order = _column_order(lines, rows, [(c.key, c.label) for c in fmt.REQUEST_COLUMNS]) or columns
    centres = _centres(rows, len(columns))
    matched_groups = {
        targets[j].key: rows[i] for j, (i, _how) in matched.items() if targets[j].group
    }
    for j, target in enumerate(targets):
        if target.group:
            continue
        if j not in matched:
            for column in columns:
                result.cells[(target.key, column)] = _lost(_("原文中找不到这一行。"))
            continue
        i, how = matched[j]
        result.matched_by[target.key] = how
        try:
            figures = placed_figures(rows[i], len(columns), centres)
        except Unplaced as problem:
            for column in columns:
                result.cells[(target.key, column)] = _lost(str(problem))
            continue
        for column, figure in zip(order, figures, strict=True):
            result.cells[(target.key, column)] = _cell(figure)
    for group, row in matched_groups.items():
        target = next(t for t in targets if t.key == group)
        if any(leaf in result.matched_by for leaf in target.leaves):
            continue  # the sub-rows are printed too: the group's own figures add nothing
        try:
            figures = placed_figures(row, len(columns), centres)
        except Unplaced as problem:
            for leaf in target.leaves:
                for column in columns:
                    result.cells[(leaf, column)] = _lost(str(problem))
            continue
        values = {}
        for column, figure in zip(order, figures, strict=True):
            cell = _cell(figure)
            values[column] = cell.value if cell.state == PRINTED else None
        for leaf in target.leaves:
            for column in columns:
                result.cells[(leaf, column)] = _lost(
                    _("原文只印有“%(group)s”一行（合计），没有分项。") % {"group": group}
                )
        result.group_sums.append(
            GroupSum(label=group, rows=target.leaves, values=values, text=row.text)
        )
    return result


def read_proactive(lines: list[Line]) -> TableRead:
    result = TableRead("proactive")
    rows = _candidates(lines)
    targets = [
        Target(key=row.key, label=row.label) for group in fmt.PROACTIVE_GROUPS for row in group.rows
    ]
    matched = align(rows, targets)
    for j, target in enumerate(targets):
        columns = fmt.PROACTIVE_COLUMNS_BY_ROW[target.key]
        fee = target.key == fmt.FEE_ROW_KEY
        if j not in matched:
            for column in columns:
                result.cells[(target.key, column)] = _lost(_("原文中找不到这一行。"))
            continue
        i, how = matched[j]
        result.matched_by[target.key] = how
        try:
            figures = placed_figures(rows[i], len(columns), _centres(rows, len(columns)))
        except Unplaced as problem:
            for column in columns:
                result.cells[(target.key, column)] = _lost(str(problem))
            continue
        for column, figure in zip(columns, figures, strict=True):
            result.cells[(target.key, column)] = _cell(figure, fee=fee)
    return result


APPEAL_WIDTH = len(fmt.APPEAL_GROUP_KEYS) * len(fmt.APPEAL_COLUMN_KEYS)


def read_appeals(lines: list[Line]) -> TableRead:
    """Table 四 as the format prints it (one row of fifteen figures under the three groups'
    headers), or as three rows named by their group."""
    result = TableRead("appeals")
    rows = _candidates(lines)
    cells = [
        (group, column) for group in fmt.APPEAL_GROUP_KEYS for column in fmt.APPEAL_COLUMN_KEYS
    ]
    # The format's row of fifteen (or a row of more than one group's figures, some blank).
    wide = [
        row
        for row in rows
        if row.has_number
        and (len(row.figures) >= APPEAL_WIDTH or len(row.figures) > len(fmt.APPEAL_COLUMN_KEYS))
    ]
    if wide:
        row = max(wide, key=lambda r: sum(1 for f in r.figures if f.value is not None))
        try:
            figures = placed_figures(row, APPEAL_WIDTH)
        except Unplaced as problem:
            for key in cells:
                result.cells[key] = _lost(str(problem))
            return result
        order = _appeal_order(lines, row)
        for key, figure in zip(order, figures, strict=True):
            result.cells[key] = _cell(figure)
        for group in fmt.APPEAL_GROUP_KEYS:
            result.matched_by[group] = "position"
        return result
    targets = [Target(key=group.key, label=group.label) for group in fmt.APPEAL_GROUPS]
    matched = align([row for row in rows if row.has_number], targets)
    numbered = [row for row in rows if row.has_number]
    if matched:
        for j, target in enumerate(targets):
            if j not in matched:
                for column in fmt.APPEAL_COLUMN_KEYS:
                    result.cells[(target.key, column)] = _lost(_("原文中找不到这一组。"))
                continue
            i, how = matched[j]
            result.matched_by[target.key] = how
            try:
                figures = placed_figures(numbered[i], len(fmt.APPEAL_COLUMN_KEYS))
            except Unplaced as problem:
                for column in fmt.APPEAL_COLUMN_KEYS:
                    result.cells[(target.key, column)] = _lost(str(problem))
                continue
            for column, figure in zip(fmt.APPEAL_COLUMN_KEYS, figures, strict=True):
                result.cells[(target.key, column)] = _cell(figure)
        return result
    figures = [figure for row in numbered for figure in row.figures]
    if len(figures) == APPEAL_WIDTH:
        for key, figure in zip(cells, figures, strict=True):
            result.cells[key] = _cell(figure)
        return result
    reason = (
        _("原文中找不到表四的数字。")
        if not figures
        else _("表四印有 %(count)d 个数字，应为 15 个，无法确定各格。") % {"count": len(figures)}
    )
    for key in cells:
        result.cells[key] = _lost(reason)
    return result


def _appeal_order(lines: list[Line], row: DataRow) -> list[tuple[str, str]]:
    """The fifteen cells of the wide row; within each group, in the order its header names
    the five columns where a drawn header names them otherwise."""
    order: list[tuple[str, str]] = []
    columns = [(c.key, c.label) for c in fmt.APPEAL_COLUMNS]
    for number, group in enumerate(fmt.APPEAL_GROUP_KEYS):
        start = number * len(columns)
        part = DataRow(
            label_cells=(),
            figures=row.figures[len(row.figures) - APPEAL_WIDTH :][start : start + len(columns)],
            text=row.text,
            width=row.width,
        )
        keys = _column_order(lines, [part], columns) or [key for key, _label in columns]
        order.extend((group, key) for key in keys)
    return order
