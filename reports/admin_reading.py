"""The admin pages of reading a published report: upload a file for a body and year, review
the source beside the tables read from it (repaired, unresolved and corrected cells
marked), correct cells by hand, then confirm it as the body's imported report (a second
confirmation to replace an earlier import) or discard it.

Registered from ``reports.admin``. Rows come from ``ReportReading.objects`` through the
memberships (``BodyScopedAdmin``); every write goes through ``reports.reading.services``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.access import bodies_with_role
from disclosure.admin.access import BodyScopedAdmin, has_role_at, has_role_somewhere
from disclosure.forms import BoundedFileField
from disclosure.importing import limits as import_limits
from disclosure.validators import REPORT_YEAR
from disclosure.vocab import Role
from reports import format as fmt
from reports.exports.layout import display
from reports.models import ReadingStatus, Report, ReportReading, ReportStatus, Scope
from reports.reading.errors import ReadingError
from reports.reading.normalise import NotAFigure, parse_figure
from reports.reading.readers import KIND_LABELS
from reports.reading.repairs import cell_label
from reports.reading.selectors import reading_findings
from reports.reading.services import (
    ReplaceNeeded,
    reading_confirm,
    reading_correct,
    reading_create,
    reading_discard,
)

# The cap of every uploaded file (the workbook import's).
MAX_UPLOAD_BYTES = import_limits.MAX_FILE_BYTES
FEE_PLACES = 4
CELL_PREFIX = "cell:"
NARRATIVE_LABELS = {
    "opening": gettext_lazy("开头段"),
    "overview": fmt.TABLE_LABELS["overview"],
    "problems": fmt.TABLE_LABELS["problems"],
    "other_matters": fmt.TABLE_LABELS["other_matters"],
}


class ReadingUploadForm(forms.Form):
    body = forms.ModelChoiceField(label=gettext_lazy("机构"), queryset=None)
    year = forms.IntegerField(label=gettext_lazy("年度"), validators=[REPORT_YEAR])
    file = BoundedFileField(
        max_bytes=MAX_UPLOAD_BYTES,
        label=gettext_lazy("报告文件"),
        help_text=gettext_lazy(
            "已发布的年度报告：带文字层的 PDF、网页（.html）、Word（.docx）或文本文件，不超过 20 MB。"
        ),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        last = timezone.localdate().year
        if year > last:
            raise ValidationError(_("年度不能晚于 %(year)d 年。") % {"year": last})
        return year


def parse_cell(cell: tuple[str, str, str], text: str) -> int | Decimal | None:
    """A value typed into a cell: blank, a count, or (the fee) an amount with up to four
    decimals; ``ValidationError`` names the cell."""
    try:
        value = parse_figure(text)
    except NotAFigure:
        raise ValidationError(
            _("%(cell)s：“%(text)s”不是有效的数字。") % {"cell": cell_label(cell), "text": text}
        ) from None
    fee = cell[1:] == (fmt.FEE_ROW_KEY, fmt.FEE_COLUMN_KEY)
    if isinstance(value, Decimal):
        if not fee:
            raise ValidationError(
                _("%(cell)s：件数应为整数（收到 %(text)s）。")
                % {"cell": cell_label(cell), "text": text}
            )
        if -value.as_tuple().exponent > FEE_PLACES:
            raise ValidationError(
                _("%(cell)s：金额最多四位小数（收到 %(text)s）。")
                % {"cell": cell_label(cell), "text": text}
            )
    return value


def _cell_marks(reading: ReportReading) -> dict[tuple[str, str, str], tuple[str, str]]:
    marks: dict[tuple[str, str, str], tuple[str, str]] = {}
    for item in reading.repairs:
        marks[(item["table"], item["row"], item["column"])] = ("repaired", item["equation"])
    for item in reading.unresolved:
        marks[(item["table"], item["row"], item["column"])] = ("unresolved", item["reason"])
    for item in reading.corrections:
        old = _("空白") if item["old"] is None else display(item["old"])
        marks[(item["table"], item["row"], item["column"])] = (
            "corrected",
            _("人工更正：原为 %(old)s（%(by)s）") % {"old": old, "by": item["by"]},
        )
    return marks


def review_tables(reading: ReportReading, typed: dict[str, str] | None = None) -> dict:
    """The three tables as the review page draws them: every cell with its input name, its
    value (or what was typed, after a refused correction) and its mark."""
    document = reading.document
    marks = _cell_marks(reading)
    typed = typed or {}

    def cell(table: str, row: str, column: str) -> dict:
        key = (table, row, column)
        name = f"{CELL_PREFIX}{table}:{row}:{column}"
        mark, note = marks.get(key, ("printed", ""))
        return {
            "name": name,
            "value": typed.get(name, display(fmt.cell(document, table, row, column))),
            "mark": mark,
            "note": note,
            "label": cell_label(key),
        }

    proactive = [
        {
            "heading": group.heading,
            "columns": [column.label for column in group.columns],
            "rows": [
                {
                    "label": row.label,
                    "cells": [cell("proactive", row.key, column.key) for column in group.columns],
                }
                for row in group.rows
            ],
        }
        for group in fmt.PROACTIVE_GROUPS
    ]
    requests = [
        {
            "label": row.label,
            "depth": len(row.path),
            "cells": [cell("requests", row.key, column) for column in fmt.REQUEST_COLUMN_KEYS],
        }
        for row in fmt.REQUEST_ROWS
    ]
    appeals = [
        {
            "label": fmt.APPEAL_GROUP_LABELS[group],
            "cells": [cell("appeals", group, column) for column in fmt.APPEAL_COLUMN_KEYS],
        }
        for group in fmt.APPEAL_GROUP_KEYS
    ]
    return {
        "proactive": proactive,
        "requests": requests,
        "request_columns": [column.label for column in fmt.REQUEST_COLUMNS],
        "appeals": appeals,
        "appeal_columns": [column.label for column in fmt.APPEAL_COLUMNS],
    }


def _finding_place(finding) -> str:
    if finding.table in fmt.TABLE_KEYS:
        parts = [fmt.TABLE_LABELS[finding.table], fmt.row_label(finding.table, finding.row)]
        if finding.column:
            parts.append(fmt.column_label(finding.table, finding.column))
        return " · ".join(parts)
    return fmt.TABLE_LABELS.get(finding.row) or {"opening": _("开头段")}.get(
        finding.row, finding.row
    )


@admin.register(ReportReading)
class ReportReadingAdmin(BodyScopedAdmin):
    list_display = ("body", "year", "file_name", "status", "created_by", "created_at")
    list_filter = ("status", "year")
    search_fields = ("body__name", "body__code", "file_name")
    list_select_related = ("body", "created_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body", "report", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.PUBLISH)
        return obj.status == ReadingStatus.PENDING and has_role_at(
            request, obj.body_id, Role.PUBLISH
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/source/",
                self.admin_site.admin_view(self.source_view),
                name="{}_{}_source".format(*info),
            ),
            *super().get_urls(),
        ]

    # --- upload ---------------------------------------------------------------------------

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        bodies = bodies_with_role(request.user, Role.PUBLISH).order_by("path")
        if request.method == "POST":
            form = ReadingUploadForm(request.POST, request.FILES, bodies=bodies)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    reading = reading_create(
                        actor=request.user,
                        body=form.cleaned_data["body"],
                        year=form.cleaned_data["year"],
                        file_name=upload.name,
                        content=upload.read(),
                    )
                except ReadingError as error:
                    form.add_error("file", str(error))
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return HttpResponseRedirect(
                        reverse("admin:reports_reportreading_change", args=[reading.pk])
                    )
        else:
            form = ReadingUploadForm(bodies=bodies, initial={"year": timezone.localdate().year - 1})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("读取已发布的年度报告"),
            "form": form,
        }
        return TemplateResponse(request, "admin/reports/reading/upload.html", context)

    # --- review ---------------------------------------------------------------------------

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        reading = self.get_object(request, unquote(object_id))
        if reading is None:
            raise Http404
        if not self.has_view_permission(request, reading):
            raise PermissionDenied
        if request.method == "POST":
            return self.review_post(request, reading)
        return self.review_page(request, reading)

    def review_page(
        self,
        request: HttpRequest,
        reading: ReportReading,
        *,
        typed: dict[str, str] | None = None,
        errors: list[str] | None = None,
        replace: Report | None = None,
    ) -> TemplateResponse:
        findings = reading_findings(reading)
        existing = Report.objects.filter(body=reading.body, year=reading.year).first()
        editable = self.has_change_permission(request, reading)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(reading),
            "reading": reading,
            "kind_label": KIND_LABELS.get(reading.source_kind, reading.source_kind),
            "scope_label": Scope(reading.document["scope"]).label,
            "tables": review_tables(reading, typed),
            "findings": [
                {"finding": finding, "place": _finding_place(finding)} for finding in findings
            ],
            "errors_count": sum(1 for finding in findings if finding.is_error),
            "warnings_count": sum(1 for finding in findings if not finding.is_error),
            "correction_errors": errors or [],
            "editable": editable,
            "existing": existing,
            "blocked": existing is not None and existing.status != ReportStatus.IMPORTED,
            "replace": replace,
            "name_differs": bool(reading.printed_name)
            and reading.printed_name not in reading.body.name,
            "source_url": reverse("admin:reports_reportreading_source", args=[reading.pk]),
            "unresolved": [
                {**item, "place": cell_label((item["table"], item["row"], item["column"]))}
                for item in reading.unresolved
            ],
            "corrections": [
                {**item, "place": cell_label((item["table"], item["row"], item["column"]))}
                for item in reading.corrections
            ],
            "narrative": [
                (NARRATIVE_LABELS[key], reading.document.get("narrative", {}).get(key, ""))
                for key in NARRATIVE_LABELS
            ],
        }
        return TemplateResponse(request, "admin/reports/reading/review.html", context)

    def review_post(self, request: HttpRequest, reading: ReportReading) -> HttpResponse:
        if not self.has_change_permission(request, reading):
            raise PermissionDenied
        action = request.POST.get("action")
        here = reverse("admin:reports_reportreading_change", args=[reading.pk])
        if action == "correct":
            typed = {
                key: value.strip()
                for key, value in request.POST.items()
                if key.startswith(CELL_PREFIX)
            }
            values, problems = {}, []
            for name, text in typed.items():
                table, _sep, rest = name.removeprefix(CELL_PREFIX).partition(":")
                row, _sep, column = rest.partition(":")
                if table not in fmt.TABLE_KEYS or (row, column) not in fmt.cells(table):
                    problems.append(_("未知的单元格：%(name)s") % {"name": name})
                    continue
                try:
                    values[(table, row, column)] = parse_cell((table, row, column), text)
                except ValidationError as error:
                    problems.extend(error.messages)
            if not problems:
                try:
                    changed = reading_correct(actor=request.user, reading=reading, values=values)
                except ValidationError as error:
                    problems.extend(error.messages)
                else:
                    self.message_user(
                        request,
                        _("已更正 %(count)d 个单元格。") % {"count": len(changed)}
                        if changed
                        else _("没有改动。"),
                        messages.SUCCESS if changed else messages.INFO,
                    )
                    return HttpResponseRedirect(here)
            return self.review_page(request, reading, typed=typed, errors=problems)
        if action in ("confirm", "replace"):
            try:
                report = reading_confirm(
                    actor=request.user, reading=reading, replace=action == "replace"
                )
            except ReplaceNeeded as needed:
                return self.review_page(request, reading, replace=needed.report)
            except ValidationError as error:
                for text in error.messages:
                    self.message_user(request, text, messages.ERROR)
                return HttpResponseRedirect(here)
            self.message_user(
                request,
                _("已导入为%(body)s %(year)d 年年度报告。")
                % {"body": report.body.name, "year": report.year},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))
        if action == "discard":
            reading_discard(actor=request.user, reading=reading)
            self.message_user(request, _("已放弃这份读取的报告。"), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:reports_reportreading_changelist"))
        raise Http404

    def source_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        """The original file, for whoever may see the reading."""
        reading = self.get_object(request, unquote(object_id))
        if reading is None or not self.has_view_permission(request, reading):
            raise Http404
        return FileResponse(
            reading.source.open("rb"), as_attachment=True, filename=reading.file_name
        )
