"""The records' kinds of background job (registered in ``DisclosureConfig.ready``): the
workbook import from the admin and the recomputation of due dates after a calendar change.
Each runs the same service as its command (``import_records``, ``recompute_due_dates``)."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.importing import (
    ImportSummary,
    Problem,
    SheetSummary,
    WorkbookRejected,
    records_import,
)
from disclosure.jobs.registry import JobKind, JobRefused, Outcome
from disclosure.selectors import open_requests_covering
from disclosure.services import RECOMPUTE_JOB, requests_recompute_clocks

IMPORT = "records_import"
RECOMPUTE = RECOMPUTE_JOB

KINDS = (
    JobKind(IMPORT, gettext_lazy("导入台账"), run="disclosure.background:run_import"),
    JobKind(
        RECOMPUTE,
        gettext_lazy("重新计算答复期限"),
        run="disclosure.background:run_recompute",
    ),
)


def run_import(job, progress) -> Outcome:
    """``records_import`` on the uploaded file, as the user who uploaded it: all or nothing."""
    progress.set(0, message=_("正在读取文件"))
    with job.input_file.open("rb") as handle:
        content = handle.read()
    params = job.params

    try:
        summary = records_import(
            actor=job.requested_by,
            filename=params["filename"],
            content=content,
            sheet=params.get("sheet") or None,
            dry_run=params.get("dry_run", False),
            progress=progress.set,
        )
    except WorkbookRejected as rejected:
        raise JobRefused(
            _("文件未导入（共 %(count)s 处错误），没有保存任何内容。")
            % {"count": len(rejected.problems)},
            result={"problems": [asdict(problem) for problem in rejected.problems]},
        ) from None
    return Outcome(
        result={
            "dry_run": summary.dry_run,
            "sheets": [sheet.as_json() for sheet in summary.sheets],
            "lines": summary.lines(),
        }
    )


def import_outcome(job) -> tuple[ImportSummary | None, list[Problem] | None]:
    """What an import job did, as the import page shows it: the summary once done, the
    problems once refused (None while it runs, or when it failed for another reason)."""
    if "sheets" in job.result:
        sheets = [SheetSummary(**sheet) for sheet in job.result["sheets"]]
        return ImportSummary(sheets=sheets, dry_run=job.result["dry_run"]), None
    if "problems" in job.result:
        return None, [Problem(**problem) for problem in job.result["problems"]]
    return None, None


def run_recompute(job, progress) -> Outcome:
    """The open requests whose clock may pass over the changed dates, recomputed in bulk."""
    dates = [datetime.date.fromisoformat(day) for day in job.params["dates"]]
    seen, changed = requests_recompute_clocks(
        queryset=open_requests_covering(*dates),
        actor=job.requested_by,
        note=job.params.get("note", ""),
    )
    progress.set(seen, seen)
    return Outcome(
        result={
            "seen": seen,
            "changed": changed,
            "lines": [
                _("已重新计算 %(seen)s 件申请的答复期限，其中 %(changed)s 件有变化。")
                % {"seen": seen, "changed": changed}
            ],
        }
    )
