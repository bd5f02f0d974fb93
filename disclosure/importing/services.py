"""Importing a 台账 workbook: ``records_import`` is the one entry point (command and admin)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from disclosure.importing.columns import BODIES, BODY_CODE, SHEETS
from disclosure.importing.parsing import ParsedSheet, Row, parse_sheet
from disclosure.importing.reading import read_upload
from disclosure.importing.records import IMPORTERS, Context, RowRefused
from disclosure.importing.results import ImportSummary, Problem, SheetSummary, WorkbookRejected


def records_import(
    *,
    actor,
    filename: str,
    content: bytes,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import a workbook (.xlsx) or one sheet (.csv, ``sheet`` naming it), all or nothing.

    Every row is checked; if any has a problem nothing is saved and ``WorkbookRejected``
    lists every problem. ``actor`` None (the command line) may write to every body; a user
    needs the 录入 role on every body the file touches. ``dry_run`` checks and counts, then
    rolls back. ``progress(rows done, rows)`` is told after each row (a background job's
    progress bar)."""
    parsed = [parse_sheet(raw) for raw in read_upload(filename, content, sheet=sheet)]
    problems = [problem for sheet_rows in parsed for problem in sheet_rows.problems]
    summary = ImportSummary(dry_run=dry_run)
    rows = sum(len(sheet_rows.rows) for sheet_rows in parsed)
    checked = 0

    def row_checked() -> None:
        nonlocal checked
        checked += 1
        if progress is not None:
            progress(checked, rows)

    with transaction.atomic():
        context = Context.for_actor(actor)
        for sheet_rows in parsed:
            if sheet_rows.name == BODIES.name:
                context.failed_codes.update(
                    row.get(BODY_CODE) for row in sheet_rows.failed if row.get(BODY_CODE)
                )
                context.sheet_codes.update(row[BODY_CODE] for row in sheet_rows.rows)
            summary.sheets.append(_import_sheet(sheet_rows, context, problems, row_checked))
        if problems:
            # Raising inside the atomic block rolls back every row already saved.
            raise WorkbookRejected(sorted(problems, key=_problem_order))
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _import_sheet(
    sheet_rows: ParsedSheet,
    context: Context,
    problems: list[Problem],
    row_checked: Callable[[], None],
):
    summary = SheetSummary(sheet_rows.name)
    importer = IMPORTERS[sheet_rows.name]
    for row in sheet_rows.rows:
        try:
            # A savepoint per row: a refused row leaves nothing behind for the next rows.
            with transaction.atomic():
                outcome, pk = importer(row, context)
        except RowRefused as refused:
            problems.extend(refused.problems)
            _remember_failed_body(row, context)
        except ValidationError as error:
            problems.extend(_validation_problems(row, error))
            _remember_failed_body(row, context)
        else:
            summary.count(outcome, pk)
        row_checked()
    return summary


def _remember_failed_body(row: Row, context: Context) -> None:
    if row.sheet == BODIES.name:
        context.failed_codes.add(row[BODY_CODE])


def _validation_problems(row: Row, error: ValidationError) -> list[Problem]:
    """The model's own validation (``full_clean`` in the services), by column."""
    spec = SHEETS[row.sheet]
    if not hasattr(error, "error_dict"):
        return [row.problem("", message) for message in error.messages]
    found = []
    for model_field, messages in error.message_dict.items():
        column = "" if model_field == NON_FIELD_ERRORS else spec.column_of(model_field) or ""
        found.extend(row.problem(column, message) for message in messages)
    return found


def _problem_order(problem: Problem) -> tuple:
    sheets = list(SHEETS)
    spec = SHEETS.get(problem.sheet)
    columns = list(spec.by_name) if spec else []
    return (
        sheets.index(problem.sheet) if problem.sheet in sheets else -1,
        problem.line or 0,
        columns.index(problem.column) if problem.column in columns else len(columns),
    )
