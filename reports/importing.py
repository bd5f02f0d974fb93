"""Importing a published report of an earlier year (a document of ``report.schema.json``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from disclosure.models import Body
from disclosure.services import audit_record, body_save
from disclosure.vocab import AuditAction, BodyKind
from reports.document import DocumentError, validate_document
from reports.models import Report, ReportStatus


class ImportRefused(ValueError):
    """The document is valid but cannot be imported (unknown body, the product's own report)."""


@transaction.atomic
def report_import(*, actor, document, parent: Body | None = None) -> Report:
    """Store ``document`` as ``body``'s imported report for ``year``.

    The document is validated first (``DocumentError`` lists every problem). A new body
    code needs ``body_name``: the body is created, of kind 其他, under ``parent`` or at the
    top. The body's report for the year becomes the imported one, replacing an earlier
    import; a draft or published report of the product's own is never replaced
    (``ImportRefused``). ``version``, ``published_at`` and ``sha256`` stay in the stored
    document as the original's provenance; the narrative and cover letter are copied to the
    report's fields for display, the stored document remaining the source.
    """
    data = validate_document(document)
    if not data["body"]:
        raise ImportRefused(_("文档没有机构代码（body 为空），不知道是哪个机构的报告，不能导入。"))
    body = Body.objects.filter(code=data["body"]).first()
    if body is None:
        if not data.get("body_name"):
            raise ImportRefused(
                _("机构代码“%(code)s”不存在；新机构须在文档中提供 body_name。")
                % {"code": data["body"]}
            )
        body = body_save(
            actor=actor,
            body=Body(
                code=data["body"], name=data["body_name"], kind=BodyKind.OTHER, parent=parent
            ),
        )
    report = Report.objects.select_for_update().filter(body=body, year=data["year"]).first()
    if report is not None and report.status != ReportStatus.IMPORTED:
        raise ImportRefused(
            _("%(body)s %(year)d 年已有本系统的年度报告（%(status)s），不能导入。")
            % {"body": body.name, "year": data["year"], "status": report.get_status_display()}
        )
    action = AuditAction.REPORT_IMPORT if report is None else AuditAction.REPORT_REIMPORT
    before = {"scope": None} if report is None else {"scope": report.scope}
    if report is None:
        report = Report(body=body, year=data["year"])
    narrative = data.get("narrative", {})
    cover = data.get("cover_letter", {})
    report.scope = data["scope"]
    report.status = ReportStatus.IMPORTED
    report.imported_document = data
    report.opening = narrative.get("opening", "")
    report.overview = narrative.get("overview", "")
    report.problems = narrative.get("problems", "")
    report.other_matters = narrative.get("other_matters", "")
    report.cover_number = cover.get("number", "")
    report.cover_addressee = cover.get("addressee", "")
    report.cover_text = cover.get("body_text", "")
    report.cover_date = cover.get("date") or None
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        obj=report,
        action=action,
        changes={"scope": [before["scope"], data["scope"]]},
        note=_import_note(data),
    )
    return report


def _import_note(data: dict) -> str:
    """The audit note of an import: the original's provenance, where the document has it."""
    note = _("导入已发布的年度报告")
    if "version" in data:
        note += _("（原第%(version)s版，发布时间 %(published_at)s，SHA-256 %(sha256)s）") % {
            "version": data["version"],
            "published_at": data["published_at"],
            "sha256": data["sha256"],
        }
    return note + "。"


__all__ = ["DocumentError", "ImportRefused", "report_import"]
