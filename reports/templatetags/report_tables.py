"""``{% report_table doc "requests" as table %}``: the printed layout of a report table,
for the table partials shared by the public pages and the PDF."""

from __future__ import annotations

from django import template

from reports.exports.layout import Cell, TableLayout, table_layout

register = template.Library()


@register.simple_tag
def report_table(doc: dict, table: str) -> TableLayout:
    return table_layout(doc, table)


@register.filter
def header_class(cell: Cell, table: TableLayout) -> str:
    return table.header_class(cell)
