"""Repairs, never corrections: a cell lost in the source is filled in only where the
format's identities determine it uniquely.

The identities (spec, table 三 and 四): per column of 三 ``balance`` (新收 + 上年结转 =
（七）总计 + 结转下年度) and ``results_total`` ((七)总计 = the 21 result rows); per row of 三
``row_total`` (总计 = the six applicant columns); per group of 四 ``appeals_total``; and, where
a result group is printed as a single row (（六）其他处理 instead of its three sub-rows), the
printed sum of its sub-rows (``group_sum``). Table 二 has none: its cells are never repaired.

A lost cell is determined when an identity has it as its only unknown, or when an identity
leaves several unknowns on one side with nothing for them to add up to (counts are never
negative, so each is 0). Each repair names the identity and the equation with the printed
figures. A cell two identities give different values for, or one that would come out
negative, is not repaired; neither is one whose repair leaves an identity failing (a
printed figure is wrong there — which is a finding of the checks, not a repair). Printed
figures are never changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports import format as fmt

Cell = tuple[str, str, str]  # (table, row, column)


@dataclass(frozen=True)
class Identity:
    """``sum(left) + constant == sum(right)``; ``collapse`` shows the right side's known
    terms as one sum (the 21 result rows)."""

    rule: str
    title: str
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]
    constant: int = 0
    constant_label: str = ""
    collapse: bool = False
    by: str = "row"  # terms are named by their row (a column's identity) or their column

    def term_label(self, cell: Cell) -> str:
        table, row, column = cell
        if self.by == "row":
            return fmt.row_label(table, row)
        return fmt.column_label(table, column)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Repair:
    cell: Cell
    value: int
    identity: str
    equation: str
    confirmed_by: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        table, row, column = self.cell
        return {
            "table": table,
            "row": row,
            "column": column,
            "value": self.value,
            "identity": self.identity,
            "equation": self.equation,
            "confirmed_by": list(self.confirmed_by),
        }


def cell_label(cell: Cell) -> str:
    table, row, column = cell
    return f"{fmt.row_label(table, row)}·{fmt.column_label(table, column)}"


def _r(row: str, column: str) -> Cell:
    return ("requests", row, column)


def identities(group_sums=()) -> list[Identity]:
    """Every identity of tables 三 and 四, and one per column of each group printed as a
    single row (``group_sums``: ``reports.reading.tables.GroupSum``)."""
    result: list[Identity] = []
    # First: where a group is printed as one row, its printed sum is the identity a repair
    # of its sub-rows names (the others agree with it, or the repair is refused).
    for group_sum in group_sums:
        for column, value in group_sum.values.items():
            if value is None:
                continue
            result.append(
                Identity(
                    "group_sum",
                    _("原文“%(group)s”只印一行合计，%(column)s列：合计＝各分项之和")
                    % {"group": group_sum.label, "column": fmt.REQUEST_COLUMN_LABELS[column]},
                    (),
                    tuple(_r(row, column) for row in group_sum.rows),
                    constant=value,
                    constant_label=group_sum.label,
                )
            )
    for column in fmt.REQUEST_COLUMN_KEYS:
        label = fmt.REQUEST_COLUMN_LABELS[column]
        result.append(
            Identity(
                "balance",
                _("%(column)s列：本年新收＋上年结转＝（七）总计＋结转下年度继续办理")
                % {"column": label},
                (_r("new_received", column), _r("carried_over", column)),
                (_r(fmt.RESULTS_TOTAL_KEY, column), _r("carried_forward", column)),
            )
        )
        result.append(
            Identity(
                "results_total",
                _("%(column)s列：（七）总计＝各项办理结果之和") % {"column": label},
                (_r(fmt.RESULTS_TOTAL_KEY, column),),
                tuple(_r(row, column) for row in fmt.RESULT_ROW_KEYS),
                collapse=True,
            )
        )
    for row in fmt.REQUEST_ROW_KEYS:
        result.append(
            Identity(
                "row_total",
                _("“%(row)s”行：总计＝各类申请人之和") % {"row": fmt.REQUEST_ROW_LABELS[row]},
                (_r(row, fmt.TOTAL_COLUMN_KEY),),
                tuple(_r(row, column) for column in fmt.APPLICANT_COLUMN_KEYS),
                by="column",
            )
        )
    for group in fmt.APPEAL_GROUP_KEYS:
        result.append(
            Identity(
                "appeals_total",
                _("%(group)s：总计＝结果维持＋结果纠正＋其他结果＋尚未审结")
                % {"group": fmt.APPEAL_GROUP_LABELS[group]},
                (("appeals", group, fmt.TOTAL_COLUMN_KEY),),
                tuple(("appeals", group, column) for column in fmt.APPEAL_PART_KEYS),
                by="column",
            )
        )
    return result


def _term(identity: Identity, cell: Cell, known: dict) -> str:
    value = known[cell]
    return f"{identity.term_label(cell)} {'□' if value is None else value}"


def _side(identity: Identity, cells: tuple[Cell, ...], known: dict, collapse: bool) -> str:
    if not collapse:
        return " ＋ ".join(_term(identity, cell, known) for cell in cells)
    others = [cell for cell in cells if known[cell] is not None]
    parts = [_("其余各项之和 %(sum)d") % {"sum": sum(known[cell] for cell in others)}]
    parts += [_term(identity, cell, known) for cell in cells if known[cell] is None]
    return " ＋ ".join(parts)


def equation(identity: Identity, known: dict, solved: Cell, value: int) -> str:
    """The identity with the figures it was solved with, the unknowns as □."""
    left = _side(identity, identity.left, known, False)
    if identity.constant_label:
        left = f"{identity.constant_label} {identity.constant}"
    right = _side(identity, identity.right, known, identity.collapse)
    several = sum(1 for cell in identity.cells if known[cell] is None) > 1
    return _("%(title)s。%(left)s ＝ %(right)s%(tail)s，得 %(cell)s ＝ %(value)d") % {
        "title": identity.title,
        "left": left,
        "right": right,
        "tail": _("（件数不能为负，各项均为 0）") if several else "",
        "cell": identity.term_label(solved),
        "value": value,
    }


def _holds(identity: Identity, known: dict) -> bool:
    return sum(known[c] for c in identity.left) + identity.constant == sum(
        known[c] for c in identity.right
    )


def _remainder(identity: Identity, known: dict) -> tuple[int, list[Cell], list[Cell]]:
    """Known right minus known left (the constant counted left), and the unknown cells of
    each side."""
    left_unknown = [c for c in identity.left if known[c] is None]
    right_unknown = [c for c in identity.right if known[c] is None]
    left = sum(known[c] for c in identity.left if known[c] is not None) + identity.constant
    right = sum(known[c] for c in identity.right if known[c] is not None)
    return right - left, left_unknown, right_unknown


@dataclass
class Outcome:
    repairs: list[Repair]
    unresolved: dict[Cell, str]  # a lost cell left null, with why


def repair(values: dict[Cell, int | None], rules: list[Identity]) -> Outcome:
    """Repairs of the cells of ``values`` that are ``None`` (every cell of tables 三 and 四,
    in print order) by ``rules``."""
    frozen: dict[Cell, str] = {}
    while True:
        known = dict(values)
        repaired: dict[Cell, tuple[int, Identity, dict]] = {}
        progress = True
        while progress:
            progress = False
            options: dict[Cell, list[tuple[int, Identity]]] = defaultdict(list)
            for identity in rules:
                remainder, left_unknown, right_unknown = _remainder(identity, known)
                unknown = left_unknown + right_unknown
                if not unknown or any(cell in frozen for cell in unknown):
                    continue
                if len(unknown) == 1:
                    options[unknown[0]].append(
                        (remainder if left_unknown else -remainder, identity)
                    )
                elif remainder == 0 and not (left_unknown and right_unknown):
                    for cell in unknown:
                        options[cell].append((0, identity))
            before = dict(known)
            for cell, found in options.items():
                distinct = sorted({value for value, _identity in found})
                if len(distinct) > 1:
                    frozen[cell] = _("勾稽关系给出的值不一致（%(values)s），不作修复。") % {
                        "values": "；".join(
                            f"{identity.title} → {value}" for value, identity in found
                        )
                    }
                    continue
                value = distinct[0]
                if value < 0:
                    frozen[cell] = _(
                        "按“%(title)s”计算为负数（%(value)d），原文印出的数字有误，不作修复。"
                    ) % {"title": found[0][1].title, "value": value}
                    continue
                known[cell] = value
                repaired[cell] = (value, found[0][1], before)
                progress = True
        failing = [
            identity
            for identity in rules
            if all(known[c] is not None for c in identity.cells)
            and not _holds(identity, known)
            and any(c in repaired for c in identity.cells)
        ]
        if not failing:
            break
        for identity in failing:
            for cell in identity.cells:
                if cell in repaired:
                    frozen[cell] = _(
                        "按勾稽关系补出的值与“%(title)s”不符（原文另有数字有误），不作修复。"
                    ) % {"title": identity.title}
    repairs = []
    for cell, (value, identity, before) in repaired.items():
        confirmed = sorted(
            {
                other.rule
                for other in rules
                if other is not identity
                and cell in other.cells
                and all(known[c] is not None for c in other.cells)
                and _holds(other, known)
            }
        )
        repairs.append(
            Repair(
                cell=cell,
                value=value,
                identity=identity.rule,
                equation=equation(identity, before, cell, value),
                confirmed_by=tuple(confirmed),
            )
        )
    order = {cell: index for index, cell in enumerate(values)}
    repairs.sort(key=lambda item: order[item.cell])
    unresolved = {
        cell: frozen.get(cell, _("勾稽关系不能唯一确定此格。"))
        for cell in values
        if known[cell] is None
    }
    return Outcome(repairs=repairs, unresolved=unresolved)
