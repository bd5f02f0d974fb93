"""Every write to a report: drafting, editing, publishing a version.

Refusals raise ``ValidationError`` with a Chinese message and leave nothing changed; a PDF
that cannot be made raises ``reports.system_checks.PdfUnavailable`` and publishes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.access import has_role_at
from disclosure.models import Body
from disclosure.services import audit_record
from disclosure.vocab import AuditAction, Role
from reports import exports
from reports.document import canonical_sha256, document_content
from reports.exports.pdf import render_pdf
from reports.figures import NARRATIVE_KEYS
from reports.findings import Finding
from reports.models import (
    COVER_FIELDS,
    PLACEHOLDER_FIELDS,
    Report,
    ReportStatus,
    ReportVersion,
    Scope,
    first_publication_day,
)
from reports.narrative import NarrativeError, placeholder_problems
from reports.selectors import report_check, report_document

# What an official may change on a report through ``report_save``; the rest is fixed at
# drafting (body, year) or set by publishing (status).
EDITABLE_FIELDS = ("scope", *NARRATIVE_KEYS, *COVER_FIELDS)


def finding_key(finding: Finding) -> str:
    """A stable key for a finding, used to match an acknowledgement to its warning.

    Rule, table, row and column locate a table finding; expected and actual are part of the
    key so that a discrepancy that changes needs a new acknowledgement. Narrative findings
    share their row (the section) and have no column, so the key also carries a digest of
    the quoted sentence (after NFKC normalisation)."""
    parts = [
        finding.rule,
        finding.table,
        finding.row or "-",
        finding.column or "-",
        _key_number(finding.expected),
        _key_number(finding.actual),
    ]
    if finding.quote:
        quote = unicodedata.normalize("NFKC", finding.quote).strip()
        parts.append(hashlib.sha256(quote.encode("utf-8")).hexdigest()[:12])
    return ":".join(parts)


def acknowledgement_notes(version: ReportVersion | None) -> dict[str, str]:
    """The notes written for warnings when ``version`` was published, by ``finding_key``: a
    warning that is still the same finding (same rule, cell and figures) offers its note
    again for the next version. Empty without a version."""
    if version is None:
        return {}
    return {item["key"]: item["acknowledgement"] for item in version.acknowledgements}


def _key_number(value) -> str:
    return "-" if value is None else str(value)


def _placeholder_errors(report: Report) -> dict[str, list[str]]:
    errors = {}
    for field in PLACEHOLDER_FIELDS:
        problems = placeholder_problems(getattr(report, field))
        if problems:
            errors[field] = problems
    return errors


def _refuse_imported(report: Report) -> None:
    if report.status == ReportStatus.IMPORTED:
        raise ValidationError(
            _("%(year)s 年度报告为导入的历史报告，不能在本系统中编辑或发布。")
            % {"year": report.year}
        )


@transaction.atomic
def report_draft_for(*, actor, body: Body, year: int, scope: str | None = None) -> Report:
    """The body's report for ``year``, drafted if there is none yet.

    ``scope`` defaults to the existing report's scope, else the body's ``default_scope``
    (全域 for a people's government, else 本机关). An existing report of
    another scope is refused: change its scope on the report itself (``report_save``), so
    that a scope change is always a deliberate, audited edit."""
    if not has_role_at(actor, body, Role.EDIT):
        raise PermissionDenied(_("您没有该机构的录入权限，不能起草年度报告。"))
    if scope is not None and scope not in Scope.values:
        raise ValidationError({"scope": _("统计范围“%(scope)s”无效。") % {"scope": scope}})
    existing = Report.objects.select_for_update().filter(body=body, year=year).first()
    if existing is not None:
        _refuse_imported(existing)
        if scope is not None and scope != existing.scope:
            raise ValidationError(
                {
                    "scope": _(
                        "%(body)s %(year)s 年度报告已存在，统计范围为“%(existing)s”。"
                        "如需改为“%(wanted)s”，请在报告页面修改统计范围。"
                    )
                    % {
                        "body": body.name,
                        "year": year,
                        "existing": existing.get_scope_display(),
                        "wanted": Scope(scope).label,
                    }
                }
            )
        return existing
    report = Report.new_draft(body=body, year=year, scope=scope)
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        obj=report,
        action=AuditAction.REPORT_DRAFT,
        changes={"body": [None, body.pk], "year": [None, year], "scope": [None, report.scope]},
    )
    return report


@transaction.atomic
def report_save(*, actor, report: Report) -> Report:
    """Save an official's edits (narrative, cover letter, scope) to a report.

    Allowed on a draft and on a published report (the edits then make the next version);
    refused on an imported report. Body and year cannot change; status is kept as stored."""
    stored = Report.objects.select_for_update().get(pk=report.pk)
    _refuse_imported(stored)
    if not has_role_at(actor, stored.body, Role.EDIT):
        raise PermissionDenied(_("您没有该机构的录入权限，不能修改年度报告。"))
    if (report.body_id, report.year) != (stored.body_id, stored.year):
        raise ValidationError(_("年度报告的机构和年度不能修改。"))
    # Status belongs to publishing: an instance read before a publication must not undo it.
    report.status = stored.status
    changes = {
        field: [_json_value(getattr(stored, field)), _json_value(getattr(report, field))]
        for field in EDITABLE_FIELDS
        if getattr(stored, field) != getattr(report, field)
    }
    report.full_clean()
    if errors := _placeholder_errors(report):
        raise ValidationError(errors)
    report.save()
    if changes:
        audit_record(actor=actor, obj=report, action=AuditAction.REPORT_SAVE, changes=changes)
    return report


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass(frozen=True)
class Publication:
    """What publishing a report now would freeze, every check passed, nothing written: the
    document's content (without the version number and time that publishing adds), its
    version number, its findings and the notes written for its warnings."""

    document: dict
    number: int
    findings: tuple[Finding, ...]
    acknowledged: tuple[dict, ...]
    change_note: str

    @property
    def content_sha256(self) -> str:
        """The SHA-256 of the content as frozen (``canonical_sha256`` of the document
        before publishing adds ``version``, ``published_at`` and ``change_note``)."""
        return canonical_sha256(self.document)


def publication_preview(
    *,
    actor,
    report: Report,
    acknowledgements: Mapping[str, str],
    change_note: str = "",
    today: datetime.date | None = None,
) -> Publication:
    """What ``report_publish`` would publish now (or on ``today``), or its refusal
    (``ValidationError``, ``PermissionDenied``); nothing is written. The admin's confirmation
    page shows it."""
    if not has_role_at(actor, report.body, Role.PUBLISH):
        raise PermissionDenied(_("只有具有该机构“审核发布”角色的用户才能发布年度报告。"))
    _refuse_imported(report)
    first_day = first_publication_day(report.year)
    if (today or timezone.localdate()) < first_day:
        raise ValidationError(
            _("%(year)s年度尚未结束，%(date)s起才能发布该年度报告。")
            % {"year": report.year, "date": first_day.isoformat()}
        )

    try:
        document = report_document(report)
    except NarrativeError as exc:
        raise ValidationError(exc.problems) from exc
    # The document checked is the document frozen: one computation, no drift between them.
    findings = report_check(report, document).findings
    errors = [finding for finding in findings if finding.is_error]
    if errors:
        raise ValidationError(
            [_("存在错误，不能发布：%(message)s") % {"message": f.message} for f in errors]
        )
    acknowledged = []
    missing = []
    for warning in (finding for finding in findings if not finding.is_error):
        key = finding_key(warning)
        text = (acknowledgements.get(key) or "").strip()
        if not text:
            missing.append(warning)
            continue
        acknowledged.append({"key": key, **warning.to_dict(), "acknowledgement": text})
    if missing:
        raise ValidationError(
            [_("警告须书面说明后才能发布：%(message)s") % {"message": f.message} for f in missing]
        )

    latest = report.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    change_note = change_note.strip()
    if number > 1 and not change_note:
        raise ValidationError(
            {
                "change_note": _("发布更正版本（第%(number)s版）须填写更正说明。")
                % {"number": number}
            }
        )

    if latest is not None and document_content(latest.document) == document:
        raise ValidationError(
            _("报告内容与第%(number)s版相同，无需重新发布。") % {"number": latest.number}
        )
    return Publication(document, number, findings, tuple(acknowledged), change_note)


@transaction.atomic
def report_publish(
    *,
    actor,
    report: Report,
    acknowledgements: Mapping[str, str],
    change_note: str = "",
    published_at: datetime.datetime | None = None,
) -> ReportVersion:
    """Freeze the report's current document as its next published version.

    Refused (nothing written) when the actor lacks the 审核发布 role for the body, when the
    report's year is not over, when an error finding stands, when a warning has no written
    acknowledgement (``acknowledgements`` maps ``finding_key`` to the text), when a
    correction (version 2 on) has no change note, or when the document equals the latest
    version (``publication_preview``). The PDF is rendered once here and kept with the
    version; ``PdfUnavailable`` propagates and nothing is published.

    ``published_at`` (aware) dates the version instead of now: only the demo, rebuilding
    reports published in earlier years, passes it. The document and its SHA-256 carry it."""
    caller_report = report
    report = Report.objects.select_for_update().select_related("body").get(pk=report.pk)
    published_at = timezone.localtime(published_at or timezone.now())
    publication = publication_preview(
        actor=actor,
        report=report,
        acknowledgements=acknowledgements,
        change_note=change_note,
        today=published_at.date(),
    )
    document, number, change_note = (
        dict(publication.document),
        publication.number,
        publication.change_note,
    )
    acknowledged = list(publication.acknowledged)

    document.update(version=number, published_at=published_at.isoformat(), change_note=change_note)
    digest = canonical_sha256(document)
    document["sha256"] = digest
    pdf = render_pdf(document)

    version = ReportVersion(
        report=report,
        number=number,
        document=document,
        sha256=digest,
        published_at=published_at,
        published_by=actor,
        change_note=change_note,
        acknowledgements=acknowledged,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    version.pdf.save(exports.filename(document, "pdf"), ContentFile(pdf), save=False)
    version.full_clean()
    version.save()
    report.status = ReportStatus.PUBLISHED
    report.save(update_fields=["status", "updated_at"])
    caller_report.status = report.status
    audit_record(
        actor=actor,
        obj=version,
        action=AuditAction.REPORT_PUBLISH,
        changes={
            "report": [None, report.pk],
            "number": [None, number],
            "sha256": [None, digest],
            "acknowledgements": [None, len(acknowledged)],
        },
        note=change_note,
    )
    return version
