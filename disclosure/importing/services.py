"""Importing a 台账 workbook: ``records_import`` is the one entry point (command, admin, jobs)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from disclosure.importing.columns import BODIES, BODY_CODE, SHEETS
from disclosure.importing.parsing import Row, parse_rows
from disclosure.importing.reading import SheetRows, read_upload
from disclosure.importing.records import IMPORTERS, Context
from disclosure.importing.results import ImportSummary, Problem, SheetSummary, WorkbookRejected
from disclosure.validators import one_day

# Rows looked up, checked and written together: a few queries per batch, and the memory of
# one batch at a time whatever the file's length.
BATCH_ROWS = 2000

Progress = Callable[[int, int | None, str], None]


def records_import(
    *,
    actor,
    filename: str,
    content: bytes,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a workbook (.xlsx) or one sheet (.csv, ``sheet`` naming it), all or nothing.

    Every row is checked; if any has a problem nothing is saved and ``WorkbookRejected``
    lists every problem. ``actor`` None (the command line) may write to every body; a user
    needs the 录入 role on every body the file touches. ``dry_run`` checks and counts, then
    rolls back. ``progress(done, total, message)``, when given, is called after every batch
    of rows: ``done`` rows read so far, ``total`` the rows the file declares (None when it
    does not say; never less than ``done``)."""
    sheets = read_upload(filename, content, sheet=sheet)
    tracker = _Tracker(progress, sum(s.declared_rows or 0 for s in sheets) or None)
    problems: list[Problem] = []
    summary = ImportSummary(dry_run=dry_run)
    with _rare_collections(), transaction.atomic():
        context = Context.for_actor(actor)
        for sheet_rows in sheets:
            summary.sheets.append(_import_sheet(sheet_rows, context, problems, tracker))
        if problems:
            # Raising inside the atomic block rolls back every row already saved.
            raise WorkbookRejected(sorted(problems, key=_problem_order))
        if dry_run:
            transaction.set_rollback(True)
    return summary


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """An import makes and drops hundreds of thousands of objects (cells, rows, records, audit
    rows), a batch at a time; Python's cycle collector would examine the young ones after
    every 700 and take about a tenth of the import's time, and leave the cycles among them
    (a request and its prefetched consultations) to its rare full collections. While the
    import runs, the objects made before it are frozen, the collector runs rarely by itself,
    and ``_import_sheet`` collects after each batch: the objects of the batches since."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _import_sheet(
    sheet: SheetRows, context: Context, problems: list[Problem], tracker: _Tracker
) -> SheetSummary:
    summary = SheetSummary(sheet.name)
    rows: Iterable[Row] = parse_rows(sheet.name, sheet)
    if sheet.name == BODIES.name:
        # A parent named above its own row, or on a refused row, is told so: read them all.
        rows = list(rows)
        context.sheet_codes.update(row[BODY_CODE] for row in rows if not row.problems)
        for row in rows:
            if row.problems:
                context.refused(row)
    for batch in _batches(rows, BATCH_ROWS):
        _import_batch(sheet.name, batch, context, problems, summary)
        tracker.advance(len(batch), sheet.name)
        # The batch's records are unreachable now: collect their cycles while they are
        # young (``_rare_collections``).
        gc.collect(1)
    problems.extend(sheet.problems)
    return summary


def _import_batch(
    sheet: str,
    batch: list[Row],
    context: Context,
    problems: list[Problem],
    summary: SheetSummary,
) -> None:
    good = []
    for row in batch:
        if row.problems:
            problems.extend(row.problems)
            context.refused(row)
        else:
            good.append(row)
    if not good:
        return
    try:
        with one_day():
            outcomes = IMPORTERS[sheet](good, context)
    except DatabaseError:
        raise WorkbookRejected([_not_saved(sheet, good)]) from None
    for row, outcome in zip(good, outcomes, strict=True):
        if isinstance(outcome, list):
            problems.extend(outcome)
            context.refused(row)
        else:
            counted, record = outcome
            summary.count(counted, record.pk)


def _not_saved(sheet: str, rows: list[Row]) -> Problem:
    """The database refused a batch every row of which passed the checks: someone else wrote
    the same records meanwhile (the checks mirror every constraint)."""
    return Problem(
        sheet,
        None,
        "",
        _(
            "第%(first)s至%(last)s行保存时被数据库拒绝（可能有人同时修改了这些记录），"
            "没有保存任何内容：请重新导入。"
        )
        % {"first": rows[0].line, "last": rows[-1].line},
    )


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Tracker:
    def __init__(self, progress: Progress | None, total: int | None):
        self.progress = progress
        self.total = total
        self.done = 0

    def advance(self, rows: int, sheet: str) -> None:
        self.done += rows
        if self.total is not None:
            self.total = max(self.total, self.done)
        if self.progress is not None:
            self.progress(
                self.done,
                self.total,
                _("“%(sheet)s”表：已读取并检查 %(done)s 行") % {"sheet": sheet, "done": self.done},
            )


def _problem_order(problem: Problem) -> tuple:
    sheets = list(SHEETS)
    spec = SHEETS.get(problem.sheet)
    columns = list(spec.by_name) if spec else []
    return (
        sheets.index(problem.sheet) if problem.sheet in sheets else -1,
        problem.line or 0,
        columns.index(problem.column) if problem.column in columns else len(columns),
    )
