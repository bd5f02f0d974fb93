"""Every write of a reading: upload (read the file), correct cells by hand, confirm as the
body's imported report, discard. Each leaves an audit row in the same transaction; only a
publisher (审核发布) of the body may do any of them."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.access import has_role_at
from disclosure.models import Body
from disclosure.services import audit_record
from disclosure.vocab import AuditAction, Role
from reports import format as fmt
from reports.document import DocumentError, validate_document
from reports.importing import ImportRefused, report_import
from reports.models import ReadingStatus, Report, ReportReading, ReportStatus
from reports.reading.reader import read_report
from reports.reading.readers import KIND_LABELS
from reports.reading.repairs import cell_label

Cell = tuple[str, str, str]


class ReplaceNeeded(Exception):
    """The body already has an imported report for the year: confirming again replaces it."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(
            _("%(body)s %(year)d 年已有导入的年度报告；再次确认将以本次读取的报告替换它。")
            % {"body": report.body.name, "year": report.year}
        )


def _require_publisher(actor, body: Body) -> None:
    if not has_role_at(actor, body, Role.PUBLISH):
        raise PermissionDenied(
            _("只有%(body)s的审核发布人员可以读取和导入它的年度报告。") % {"body": body.name}
        )


def _require_pending(reading: ReportReading) -> None:
    if reading.status != ReadingStatus.PENDING:
        raise ValidationError(
            _("这份读取的报告已%(status)s，不能再修改。") % {"status": reading.get_status_display()}
        )


@transaction.atomic
def reading_create(
    *, actor, body: Body, year: int, file_name: str, content: bytes
) -> ReportReading:
    """Read ``content`` as ``body``'s report for ``year`` and keep it, with the original
    file, for review. ``ReadingError`` says why a file cannot be read; a file whose title
    names another year is refused (``ValidationError``)."""
    _require_publisher(actor, body)
    reading = read_report(content, file_name, body=body.code, year=year)
    if reading.printed_year is not None and reading.printed_year != year:
        raise ValidationError(
            _("文件标题是 %(printed)d 年度的报告，与所选的 %(year)d 年度不符。")
            % {"printed": reading.printed_year, "year": year}
        )
    record = ReportReading(
        body=body,
        year=year,
        file_name=file_name[:200],
        sha256=reading.sha256,
        source_kind=reading.source.kind,
        source_text=reading.source.display_text(),
        printed_name=reading.printed_name[:200],
        document=reading.document,
        repairs=[repair.to_dict() for repair in reading.repairs],
        unresolved=reading.unresolved,
        created_by=actor,
    )
    record.source.save(file_name, ContentFile(content), save=False)
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        obj=record,
        action=AuditAction.READING_READ,
        changes={
            "file": file_name,
            "sha256": reading.sha256,
            "kind": reading.source.kind,
            "repairs": len(reading.repairs),
            "unresolved": len(reading.unresolved),
        },
        note=_("读取已发布的年度报告文件"),
    )
    return record


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is new
    return Decimal(str(old)) == Decimal(str(new))


@transaction.atomic
def reading_correct(
    *, actor, reading: ReportReading, values: dict[Cell, int | Decimal | None]
) -> list[dict]:
    """Set cells by hand (``None`` leaves a cell blank). Each changed cell is recorded in
    the reading's corrections (old and new value, who, when) and in the audit row; the
    document must stay valid (``ValidationError`` names every problem)."""
    _require_publisher(actor, reading.body)
    reading = ReportReading.objects.select_for_update().get(pk=reading.pk)
    _require_pending(reading)
    document = copy.deepcopy(reading.document)
    now = timezone.now().isoformat()
    changed: list[dict] = []
    for (table, row, column), value in values.items():
        old = fmt.cell(document, table, row, column)
        if _same(old, value):
            continue
        new = float(value) if isinstance(value, Decimal) else value
        fmt.table_rows(document, table)[row][column] = new
        changed.append(
            {
                "table": table,
                "row": row,
                "column": column,
                "old": old,
                "new": new,
                "by": actor.get_username(),
                "at": now,
            }
        )
    if not changed:
        return []
    try:
        document = validate_document(document)
    except DocumentError as error:
        raise ValidationError(error.problems) from error
    reading.document = document
    reading.corrections = [*reading.corrections, *changed]
    reading.full_clean()
    reading.save(update_fields=["document", "corrections"])
    audit_record(
        actor=actor,
        obj=reading,
        action=AuditAction.READING_CORRECT,
        changes={
            f"{item['table']}.{item['row']}.{item['column']}": [item["old"], item["new"]]
            for item in changed
        },
        note=_("人工更正读取的单元格"),
    )
    return changed


def provenance_note(reading: ReportReading) -> str:
    """What the imported document says of where it came from (its ``change_note``)."""
    parts = [
        _("读自文件《%(name)s》（%(kind)s，SHA-256 %(sha)s）")
        % {
            "name": reading.file_name,
            "kind": KIND_LABELS.get(reading.source_kind, reading.source_kind),
            "sha": reading.sha256,
        }
    ]
    if reading.repairs:
        parts.append(
            _("按勾稽关系修复 %(count)d 格：%(cells)s")
            % {
                "count": len(reading.repairs),
                "cells": "、".join(
                    f"{cell_label((r['table'], r['row'], r['column']))}＝{r['value']}"
                    for r in reading.repairs
                ),
            }
        )
    if reading.corrections:
        parts.append(
            _("人工更正 %(count)d 处：%(cells)s")
            % {
                "count": len(reading.corrections),
                "cells": "、".join(
                    _("%(cell)s 由 %(old)s 改为 %(new)s（%(by)s）")
                    % {
                        "cell": cell_label((c["table"], c["row"], c["column"])),
                        "old": _("空白") if c["old"] is None else c["old"],
                        "new": _("空白") if c["new"] is None else c["new"],
                        "by": c["by"],
                    }
                    for c in reading.corrections
                ),
            }
        )
    return "；".join(parts) + "。"


@transaction.atomic
def reading_confirm(*, actor, reading: ReportReading, replace: bool = False) -> Report:
    """The reading becomes the body's imported report for the year, through the same path
    as ``import_report``. An earlier imported report is replaced only with ``replace``
    (else ``ReplaceNeeded``); a report of the product's own is never replaced
    (``ValidationError``)."""
    _require_publisher(actor, reading.body)
    reading = ReportReading.objects.select_for_update().get(pk=reading.pk)
    _require_pending(reading)
    existing = (
        Report.objects.select_for_update()
        .filter(body=reading.body, year=reading.year)
        .select_related("body")
        .first()
    )
    if existing is not None and existing.status == ReportStatus.IMPORTED and not replace:
        raise ReplaceNeeded(existing)
    document = {
        **reading.document,
        "body": reading.body.code,
        "body_name": reading.body.name,
        "change_note": provenance_note(reading),
    }
    try:
        report = report_import(actor=actor, document=document)
    except ImportRefused as error:
        raise ValidationError(str(error)) from error
    reading.status = ReadingStatus.CONFIRMED
    reading.report = report
    reading.decided_by = actor
    reading.decided_at = timezone.now()
    reading.full_clean()
    reading.save(update_fields=["status", "report", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        obj=reading,
        action=AuditAction.READING_CONFIRM,
        changes={
            "report": report.pk,
            "replaced": existing is not None,
            "repairs": len(reading.repairs),
            "corrections": len(reading.corrections),
        },
        note=_("确认读取的报告，导入为年度报告"),
    )
    return report


@transaction.atomic
def reading_discard(*, actor, reading: ReportReading) -> None:
    _require_publisher(actor, reading.body)
    reading = ReportReading.objects.select_for_update().get(pk=reading.pk)
    _require_pending(reading)
    reading.status = ReadingStatus.DISCARDED
    reading.decided_by = actor
    reading.decided_at = timezone.now()
    reading.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor, obj=reading, action=AuditAction.READING_DISCARD, note=_("放弃读取的报告")
    )
