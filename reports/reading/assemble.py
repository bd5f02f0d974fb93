"""The report document from what was read: the cells as printed, lost cells repaired where
the identities determine them, the rest null and listed as unresolved (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reports import format as fmt
from reports.document import json_number
from reports.reading import repairs as repairing
from reports.reading.parse import Parsed
from reports.reading.repairs import Cell, Repair
from reports.reading.tables import BLANK, PRINTED

# What the review page marks on each cell.
REPAIRED = "repaired"
UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Assembled:
    document: dict
    repairs: list[Repair]
    unresolved: list[dict]
    marks: dict[
        Cell, str
    ]  # printed, blank (printed empty, then repaired or not), repaired, unresolved


def _value(cell, fee: bool):
    if cell.value is None:
        return None
    return json_number(Decimal(cell.value)) if fee else int(cell.value)


def _tables(parsed: Parsed) -> tuple[dict, dict[Cell, object]]:
    """The three tables of the document with their printed values, and every cell's read."""
    tables = parsed.tables
    reads: dict[Cell, object] = {}
    proactive: dict = {}
    for row in fmt.PROACTIVE_ROW_KEYS:
        proactive[row] = {}
        for column in fmt.PROACTIVE_COLUMNS_BY_ROW[row]:
            cell = tables["proactive"].cells[(row, column)]
            reads[("proactive", row, column)] = cell
            proactive[row][column] = _value(cell, fee=row == fmt.FEE_ROW_KEY)
    rows: dict = {}
    for row in fmt.REQUEST_ROW_KEYS:
        rows[row] = {}
        for column in fmt.REQUEST_COLUMN_KEYS:
            cell = tables["requests"].cells[(row, column)]
            reads[("requests", row, column)] = cell
            rows[row][column] = _value(cell, fee=False)
    appeals: dict = {}
    for group in fmt.APPEAL_GROUP_KEYS:
        appeals[group] = {}
        for column in fmt.APPEAL_COLUMN_KEYS:
            cell = tables["appeals"].cells[(group, column)]
            reads[("appeals", group, column)] = cell
            appeals[group][column] = _value(cell, fee=False)
    document = {
        "proactive": proactive,
        "requests": {"columns": list(fmt.REQUEST_COLUMN_KEYS), "rows": rows},
        "appeals": appeals,
    }
    return document, reads


def assemble(parsed: Parsed, *, body: str, body_name: str, year: int, scope: str) -> Assembled:
    tables, reads = _tables(parsed)
    group_sums = parsed.tables["requests"].group_sums
    values = {
        cell: fmt.cell(tables, cell[0], cell[1], cell[2])
        for cell in reads
        if cell[0] in ("requests", "appeals")
    }
    outcome = repairing.repair(values, repairing.identities(group_sums))
    for repair in outcome.repairs:
        table, row, column = repair.cell
        fmt.table_rows(tables, table)[row][column] = repair.value
    repaired = {repair.cell for repair in outcome.repairs}
    sums = {
        (row, column): group_sum
        for group_sum in group_sums
        for row in group_sum.rows
        for column in fmt.REQUEST_COLUMN_KEYS
    }
    unresolved: list[dict] = []
    marks: dict[Cell, str] = {}
    for cell, read in reads.items():
        table, row, column = cell
        if cell in repaired:
            marks[cell] = REPAIRED
            continue
        if read.state == PRINTED:
            marks[cell] = PRINTED
            continue
        marks[cell] = UNRESOLVED
        why = (
            outcome.unresolved.get(cell, "")
            if table != "proactive"
            else _("表二没有勾稽关系，不作修复。")
        )
        entry = {
            "table": table,
            "row": row,
            "column": column,
            "printed": "blank" if read.state == BLANK else "lost",
            "reason": read.reason + why,
        }
        group_sum = sums.get((row, column)) if table == "requests" else None
        if group_sum is not None:
            entry["printed_sum"] = {
                "label": group_sum.label,
                "rows": list(group_sum.rows),
                "value": group_sum.values.get(column),
            }
        unresolved.append(entry)
    document = {"body": body, "year": year, "scope": scope}
    if body_name:
        document["body_name"] = body_name
    document.update(tables)
    document["narrative"] = dict(parsed.narrative)
    if parsed.cover_letter:
        document["cover_letter"] = dict(parsed.cover_letter)
    return Assembled(document=document, repairs=outcome.repairs, unresolved=unresolved, marks=marks)
