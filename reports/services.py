"""Every write to a report: drafting, editing, publishing a version.

Refusals raise ``ValidationError`` with a Chinese message and leave nothing changed; a PDF
that cannot be made raises ``reports.system_checks.PdfUnavailable`` and publishes nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Body
from disclosure.services import audit_record
from disclosure.vocab import Role
from reports import exports
from reports.document import build_document, canonical_sha256
from reports.exports.pdf import render_pdf
from reports.findings import Finding, check_document, previous_document
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.narrative import NarrativeError, placeholder_problems

# What an official may change on a report through ``report_save``; the rest is fixed at
# drafting (body, year) or set by publishing (status).
EDITABLE_FIELDS = (
    "scope",
    "opening",
    "overview",
    "problems",
    "other_matters",
    "cover_number",
    "cover_addressee",
    "cover_text",
    "cover_date",
)

NARRATIVE_FIELDS = ("opening", "overview", "problems", "other_matters", "cover_text")

# Keys a published document carries beyond the draft's; left out when comparing versions.
PUBLICATION_KEYS = ("version", "published_at", "change_note", "sha256")


def can_edit_report(user, body: Body) -> bool:
    return Body.objects.with_role(user, Role.EDIT).filter(pk=body.pk).exists()


def can_publish_report(user, body: Body) -> bool:
    return Body.objects.with_role(user, Role.PUBLISH).filter(pk=body.pk).exists()


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


def _key_number(value) -> str:
    return "-" if value is None else str(value)


def _placeholder_errors(report: Report) -> dict[str, list[str]]:
    errors = {}
    for field in NARRATIVE_FIELDS:
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

    ``scope`` defaults to the existing report's scope, else ``own``. An existing report of
    another scope is refused: change its scope on the report itself (``report_save``), so
    that a scope change is always a deliberate, audited edit."""
    if not can_edit_report(actor, body):
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
    report = Report(body=body, year=year, scope=scope or Scope.OWN, status=ReportStatus.DRAFT)
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        obj=report,
        action="report_draft",
        changes={"body": body.code, "year": year, "scope": report.scope},
    )
    return report


@transaction.atomic
def report_save(*, actor, report: Report) -> Report:
    """Save an official's edits (narrative, cover letter, scope) to a report.

    Allowed on a draft and on a published report (the edits then make the next version);
    refused on an imported report. Body and year cannot change; status is kept as stored."""
    stored = Report.objects.select_for_update().get(pk=report.pk)
    _refuse_imported(stored)
    if not can_edit_report(actor, stored.body):
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
        audit_record(actor=actor, obj=report, action="report_save", changes=changes)
    return report


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _errors(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "error"]


def _warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "warning"]


def document_content(document: Mapping) -> dict:
    """A document without its publication keys: what two versions are compared by."""
    return {key: value for key, value in document.items() if key not in PUBLICATION_KEYS}


@transaction.atomic
def report_publish(
    *, actor, report: Report, acknowledgements: Mapping[str, str], change_note: str = ""
) -> ReportVersion:
    """Freeze the report's current document as its next published version.

    Refused (nothing written) when the actor lacks the 审核发布 role for the body, when an
    error finding stands, when a warning has no written acknowledgement (``acknowledgements``
    maps ``finding_key`` to the text), when a correction (version 2 on) has no change note,
    or when the document equals the latest version. The PDF is rendered once here and kept
    with the version; ``PdfUnavailable`` propagates and nothing is published."""
    caller_report = report
    report = Report.objects.select_for_update().select_related("body").get(pk=report.pk)
    if not can_publish_report(actor, report.body):
        raise PermissionDenied(_("只有具有该机构“审核发布”角色的用户才能发布年度报告。"))
    _refuse_imported(report)

    try:
        document = build_document(report)
    except NarrativeError as exc:
        raise ValidationError(exc.problems) from exc
    # The document checked is the document frozen: one computation, no drift between them.
    findings = check_document(document, previous_document(report))
    errors = _errors(findings)
    if errors:
        raise ValidationError(
            [_("存在错误，不能发布：%(message)s") % {"message": f.message} for f in errors]
        )
    acknowledged = []
    missing = []
    for warning in _warnings(findings):
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

    published_at = timezone.localtime(timezone.now())
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
        action="report_publish",
        changes={"version": number, "sha256": digest, "acknowledged": len(acknowledged)},
        note=change_note,
    )
    return version
