"""Importing offices' 台账 workbooks (``../shared/spec/import-workbook.md``)."""

from __future__ import annotations

from disclosure.importing import limits
from disclosure.importing.results import ImportSummary, Problem, SheetSummary, WorkbookRejected
from disclosure.importing.services import records_import
from disclosure.importing.template import template_workbook

__all__ = [
    "ImportSummary",
    "Problem",
    "SheetSummary",
    "WorkbookRejected",
    "limits",
    "records_import",
    "template_workbook",
]
