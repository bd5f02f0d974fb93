"""The officials' pages for annual reports: draft, check, write, publish, correct.

Every write goes through ``reports.services``; rows come from ``Report.objects.visible_to``
and roles from ``disclosure.access`` (cached per request by ``disclosure.admin.access``)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.admin.access import BodyScopedAdmin, has_role_at, has_role_somewhere
from disclosure.admin.base import HistoryMixin, StaleEditMixin
from disclosure.models import Body
from disclosure.validators import REPORT_YEAR
from disclosure.vocab import Role
from reports import exports
from reports import format as report_format
from reports.document import document_content
from reports.exports import layout
from reports.figures import NARRATIVE_KEYS
from reports.findings import NO_COMPARISON
from reports.models import (
    COVER_FIELDS,
    PLACEHOLDER_FIELDS,
    Report,
    ReportStatus,
    ReportVersion,
    Scope,
    default_scope,
    first_publication_day,
)
from reports.narrative import NarrativeError, placeholder_problems
from reports.selectors import report_check, report_document, report_sources
from reports.services import (
    Publication,
    acknowledgement_notes,
    finding_key,
    publication_preview,
    report_draft_for,
    report_publish,
    report_save,
)
from reports.staleness import records_changed_since
from reports.system_checks import PdfUnavailable

# What the official typed into the publish form, kept for the next attempt after a refusal.
SESSION_PUBLISH_FORM = "report-publish-form-{pk}"


def placeholder_help() -> str:
    """The placeholder syntax of ``reports.narrative`` in Chinese, with every row, column
    and group key of the format beside its printed label."""
    keys = [
        (
            report_format.TABLE_LABELS["requests"],
            [(row.key, row.label) for row in report_format.REQUEST_ROWS]
            + [(column.key, column.label) for column in report_format.REQUEST_COLUMNS],
        ),
        (
            report_format.TABLE_LABELS["proactive"],
            list(report_format.PROACTIVE_ROW_LABELS.items())
            + list(report_format.PROACTIVE_COLUMN_LABELS.items()),
        ),
        (
            report_format.TABLE_LABELS["appeals"],
            list(report_format.APPEAL_GROUP_LABELS.items())
            + list(report_format.APPEAL_COLUMN_LABELS.items()),
        ),
    ]
    return render_to_string(
        "admin/reports/report/_placeholder_help.html", {"placeholder_keys": keys}
    )


def cell_place(table: str, row: str, column: str | None) -> str:
    """A table cell in the format's own labels (三、… · （七）总计 · 自然人)."""
    parts = [report_format.TABLE_LABELS[table], report_format.row_label(table, row)]
    if column:
        parts.append(report_format.column_label(table, column))
    return " · ".join(parts)


def finding_place(finding) -> str:
    """Where a finding sits: a table cell, or the narrative section it quotes."""
    if finding.table in report_format.TABLE_KEYS:
        return cell_place(finding.table, finding.row, finding.column)
    return (
        report_format.TABLE_LABELS.get(finding.row)
        or Report._meta.get_field(finding.row).verbose_name
    )


def deadline_text(report: Report, today) -> str:
    if report.status == ReportStatus.IMPORTED:
        return "—"
    deadline = report.deadline
    if deadline is None:
        return _("未设定（请在机构信息中设定年度报告截止日期）")
    if report.status == ReportStatus.PUBLISHED:
        return deadline.isoformat()
    days = report.days_to_deadline(today)
    if days < 0:
        return _("%(date)s（已逾期 %(days)s 天）") % {"date": deadline.isoformat(), "days": -days}
    return _("%(date)s（剩余 %(days)s 天）") % {"date": deadline.isoformat(), "days": days}


def _valid_year(year: int) -> bool:
    """Whether ``year`` is a report year; another year is refused by the model's validator."""
    try:
        REPORT_YEAR(year)
    except ValidationError:
        return False
    return True


class ReportAddForm(forms.ModelForm):
    # Left at its blank choice, the scope is the body's default (``default_scope``).
    scope = forms.ChoiceField(
        label=gettext_lazy("统计范围"),
        required=False,
        choices=[
            ("", gettext_lazy("按机构类型：人民政府为全域，其他机关为本机关")),
            *Scope.choices,
        ],
    )
    early_draft = forms.BooleanField(
        label=gettext_lazy("该年度尚未结束，仍现在起草"),
        required=False,
        help_text=gettext_lazy(
            "仅在为尚未结束的年度起草时勾选：表格随记录变化，报告须在次年1月1日起才能发布。"
        ),
    )

    class Meta:
        model = Report
        fields = ["body", "year", "scope"]

    def clean(self):
        cleaned = super().clean()
        body, year = cleaned.get("body"), cleaned.get("year")
        if body and not cleaned.get("scope"):
            cleaned["scope"] = default_scope(body)
        if year and _valid_year(year):
            first_day = first_publication_day(year)
            if timezone.localdate() < first_day and not cleaned.get("early_draft"):
                self.add_error(
                    "early_draft",
                    _(
                        "%(year)s年度尚未结束：报告须在%(date)s起才能发布。"
                        "如确需现在起草，请勾选此项。"
                    )
                    % {"year": year, "date": first_day.isoformat()},
                )
        if body and year:
            existing = Report.objects.filter(body=body, year=year).first()
            if existing is not None:
                raise ValidationError(
                    _("%(body)s %(year)s 年度报告已存在（%(status)s），请在列表中打开它。")
                    % {"body": body.name, "year": year, "status": existing.get_status_display()}
                )
        return cleaned

    def validate_unique(self):
        # clean() has already named the existing report in words an official understands.
        pass


class ReportChangeForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["scope", *NARRATIVE_KEYS, *COVER_FIELDS]

    def clean(self):
        cleaned = super().clean()
        for field in PLACEHOLDER_FIELDS:
            for problem in placeholder_problems(cleaned.get(field) or ""):
                self.add_error(field, problem)
        return cleaned


@admin.register(Report)
class ReportAdmin(StaleEditMixin, HistoryMixin, BodyScopedAdmin):
    list_display = ("title", "year", "scope", "status", "deadline_display", "latest_version")
    list_filter = ("year", "status", "scope")
    search_fields = ("body__name", "body__code")
    list_select_related = ("body",)
    change_form_template = "admin/reports/report/change_form.html"
    # Publishing is audited on the version: its rows belong on the report's history page.
    history_children = ((ReportVersion, "report"),)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.IMPORTED:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("body")
            .annotate(latest_number=Max("versions__number"))
        )

    @admin.display(description=gettext_lazy("报告"), ordering="body__path")
    def title(self, obj: Report) -> str:
        return obj.title

    @admin.display(description=gettext_lazy("截止日期"))
    def deadline_display(self, obj: Report) -> str:
        return deadline_text(obj, timezone.localdate())

    @admin.display(description=gettext_lazy("最新版本"), ordering="latest_number")
    def latest_version(self, obj: Report) -> str:
        if not obj.latest_number:
            return "—"
        return _("第%(number)s版") % {"number": obj.latest_number}

    def get_changeform_initial_data(self, request):
        # Reports are written in the new year about the one just ended.
        return {
            "year": timezone.localdate().year - 1,
            **super().get_changeform_initial_data(request),
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ReportChangeForm if obj is not None else ReportAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ("body", "year", "scope", "early_draft")})]
        return [
            (_("统计范围"), {"fields": ("scope",)}),
            (
                _("报告正文"),
                {
                    "fields": NARRATIVE_KEYS,
                    "description": placeholder_help(),
                },
            ),
            (_("报送函"), {"fields": COVER_FIELDS, "classes": ("collapse",)}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.IMPORTED:
            return ("scope", *NARRATIVE_KEYS, *COVER_FIELDS)
        return ()

    def save_model(self, request, obj, form, change):
        if change:
            report_save(actor=request.user, report=obj)
            return
        created = report_draft_for(
            actor=request.user, body=obj.body, year=obj.year, scope=obj.scope
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved report.
        obj.pk = created.pk
        obj.status = created.status
        obj._state.adding = False

    # --- the report page ----------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            path(
                "<path:object_id>/download/<str:fmt>/",
                self.admin_site.admin_view(self.download_view),
                name="{}_{}_download".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context.update(self.report_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def report_context(self, request: HttpRequest, report: Report) -> dict:
        today = timezone.localdate()
        narrative_problem = ""
        try:
            doc = report_document(report)
        except NarrativeError as exc:
            narrative_problem = str(exc)
            doc = report_document(report, include_narrative=False)
        check = report_check(report, doc)
        versions = list(report.versions.select_related("published_by").order_by("-number"))
        latest = versions[0] if versions else None
        typed = request.session.get(SESSION_PUBLISH_FORM.format(pk=report.pk), {})
        typed_acks = typed.get("acks", {})
        carried = acknowledgement_notes(latest)
        sources = report_sources(report.body, report.year, report.scope)
        named = Body.objects.in_bulk(
            [*sources.imported, *sources.empty, *(blank[0] for blank in sources.imported_blanks)]
        )
        first_day = first_publication_day(report.year)
        return {
            "report": report,
            "doc": doc,
            "narrative_problem": narrative_problem,
            "deadline_text": deadline_text(report, today),
            "overdue": not versions and (report.days_to_deadline(today) or 0) < 0,
            "findings": [
                self.finding_row(finding, typed_acks, carried, latest) for finding in check.findings
            ],
            "has_errors": check.has_errors,
            "comparison_text": (
                check.comparison.description if check.comparison else str(NO_COMPARISON)
            ),
            "year_not_over": today < first_day,
            "first_publication_day": first_day,
            "sources_count": len(sources.body_ids),
            "imported_bodies": [named[pk].name for pk in sources.imported],
            "empty_bodies": [named[pk].name for pk in sources.empty],
            "imported_blanks": [
                f"{named[pk].name} · {cell_place(table, row, column)}"
                for pk, table, row, column in sources.imported_blanks
            ],
            "versions": versions,
            "records_changed": records_changed_since(latest) if latest else False,
            "unpublished_changes": latest is not None and document_content(latest.document) != doc,
            "can_publish": report.status != ReportStatus.IMPORTED
            and has_role_at(request, report.body_id, Role.PUBLISH),
            "next_version": (latest.number if latest else 0) + 1,
            "change_note": typed.get("change_note", ""),
            "downloads": [
                (export.label, reverse("admin:reports_report_download", args=[report.pk, key]))
                for key, export in exports.FORMATS.items()
            ],
        }

    @staticmethod
    def finding_row(finding, typed: dict, carried: dict, latest) -> dict:
        """A finding as the page lists it; a warning's note is what the official typed
        before a refusal, else the note of the same finding at the latest publication."""
        key = finding_key(finding)
        typed_text = typed.get(key) or ""
        return {
            "finding": finding,
            "place": finding_place(finding),
            "key": key,
            "acknowledgement": typed_text or carried.get(key, ""),
            "carried_from": latest.number if not typed_text and key in carried else None,
        }

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Publishing takes two POSTs: the first (from the report page) checks everything
        and shows what becomes public and permanent; only the second, with ``confirm``,
        publishes — and only what the official saw (same version number and content)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        if not has_role_at(request, report.body_id, Role.PUBLISH):
            raise PermissionDenied
        acknowledgements = {
            key.removeprefix("ack:"): value
            for key, value in request.POST.items()
            if key.startswith("ack:")
        }
        change_note = request.POST.get("change_note", "")
        session_key = SESSION_PUBLISH_FORM.format(pk=report.pk)
        change_url = reverse("admin:reports_report_change", args=[report.pk])
        # Kept for the report page: after a refusal, or when the official goes back.
        request.session[session_key] = {"acks": acknowledgements, "change_note": change_note}
        try:
            preview = publication_preview(
                actor=request.user,
                report=report,
                acknowledgements=acknowledgements,
                change_note=change_note,
            )
        except ValidationError as exc:
            return self.refused(request, exc.messages, change_url)
        confirmed = request.POST.get("confirm") == "yes"
        if confirmed and not self.confirms(request, preview):
            self.message_user(
                request,
                _("报告内容或版本号在您确认前已发生变化，请重新核对后再确认发布。"),
                messages.WARNING,
            )
            confirmed = False
        if not confirmed:
            return self.confirmation_page(request, report, preview, acknowledgements)
        try:
            version = report_publish(
                actor=request.user,
                report=report,
                acknowledgements=acknowledgements,
                change_note=change_note,
            )
        except (ValidationError, PdfUnavailable) as exc:
            texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            return self.refused(request, texts, change_url)
        request.session.pop(session_key, None)
        self.message_user(
            request,
            _("已发布第%(number)s版（SHA-256：%(sha)s）。")
            % {"number": version.number, "sha": version.sha256},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)

    def refused(self, request: HttpRequest, texts: list[str], change_url: str) -> HttpResponse:
        """Back to the report's publishing panel, with why publishing was refused."""
        for text in texts:
            self.message_user(request, text, messages.ERROR)
        return HttpResponseRedirect(change_url + "#publish")

    @staticmethod
    def confirms(request: HttpRequest, preview: Publication) -> bool:
        """Whether the confirmation POST is for what would be published now."""
        return request.POST.get("content_sha256") == preview.content_sha256 and request.POST.get(
            "number"
        ) == str(preview.number)

    def confirmation_page(
        self, request: HttpRequest, report: Report, preview: Publication, acknowledgements: dict
    ) -> TemplateResponse:
        notes = {item["key"]: item["acknowledgement"] for item in preview.acknowledged}
        rows = [
            {
                "finding": finding,
                "place": finding_place(finding),
                "acknowledgement": notes.get(finding_key(finding), ""),
            }
            for finding in preview.findings
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("确认发布：%(title)s 第%(number)s版")
            % {"title": report.title, "number": preview.number},
            "subtitle": None,
            "opts": self.opts,
            "original": report,
            "report": report,
            "preview": preview,
            "findings": rows,
            "acknowledgements": acknowledgements,
            "sections": [
                (report_format.TABLE_LABELS[key], preview.document["narrative"][key])
                for key in report_format.NARRATIVE_SECTION_KEYS
            ],
            "change_url": reverse("admin:reports_report_change", args=[report.pk]),
            "pdf_url": reverse("admin:reports_report_download", args=[report.pk, "pdf"]),
            "public_url": request.build_absolute_uri(
                reverse("reports:report", args=[report.body.code, report.year])
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/reports/report/publish_confirmation.html", context)

    def download_view(self, request: HttpRequest, object_id: str, fmt: str) -> HttpResponse:
        """The draft as it stands, in any export format (nothing is stored)."""
        report = self.get_object(request, object_id)
        if report is None or fmt not in exports.FORMATS:
            raise Http404
        try:
            document = report_document(report)
            content = exports.render(document, fmt)
        except (PdfUnavailable, NarrativeError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))
        return attachment(content, fmt, document)


def attachment(content: bytes, format_key: str, document: dict) -> HttpResponse:
    """``content``, the rendering of ``document`` in a format, saved under its title."""
    response = HttpResponse(content, content_type=exports.FORMATS[format_key].content_type)
    response["Content-Disposition"] = exports.disposition(document, format_key, as_attachment=True)
    return response


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    """Published versions: read-only, never changed or deleted."""

    list_display = ("report", "number", "published_at", "published_by", "sha256_short")
    list_filter = ("report__year",)
    search_fields = ("report__body__name", "report__body__code", "sha256")
    list_select_related = ("report__body", "published_by")
    fields = (
        "report",
        "number",
        "published_at",
        "published_by",
        "change_note",
        "sha256",
        "acknowledgements_display",
        "downloads",
        "document_display",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return has_role_at(request, obj.report.body_id, Role.VIEW)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return ReportVersion.objects.filter(
            report__in=Report.objects.visible_to(request.user)
        ).select_related("report__body", "published_by")

    @admin.display(description="SHA-256")
    def sha256_short(self, obj: ReportVersion) -> str:
        """The digits its exported pages print (``layout.SHA_SHOWN``): the full 64 would push
        the list's other columns out of a desk's view. The full value is the cell's tooltip
        and on the version's page; the list's search takes it."""
        return format_html(
            '<code title="{}">{}…</code>', obj.sha256, obj.sha256[: layout.SHA_SHOWN]
        )

    @admin.display(description=gettext_lazy("警告确认"))
    def acknowledgements_display(self, obj: ReportVersion) -> str:
        if not obj.acknowledgements:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}<br>{}</li>",
                ((item["message"], item["acknowledgement"]) for item in obj.acknowledgements),
            ),
        )

    @admin.display(description=gettext_lazy("报告文档"))
    def document_display(self, obj: ReportVersion) -> str:
        return format_html(
            "<pre style='max-height:30em;overflow:auto'>{}</pre>",
            json.dumps(obj.document, ensure_ascii=False, indent=1),
        )

    @admin.display(description=gettext_lazy("下载"))
    def downloads(self, obj: ReportVersion) -> str:
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">JSON</a>',
            reverse("admin:reports_reportversion_pdf", args=[obj.pk]),
            reverse("admin:reports_reportversion_json", args=[obj.pk]),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="{}_{}_pdf".format(*info),
            ),
            path(
                "<path:object_id>/json/",
                self.admin_site.admin_view(self.json_view),
                name="{}_{}_json".format(*info),
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The PDF rendered once at publication, served as stored."""
        version = get_object_or_404(self.get_queryset(request), pk=object_id)
        with version.pdf.open("rb") as handle:
            content = handle.read()
        return attachment(content, "pdf", version.document)

    def json_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = get_object_or_404(self.get_queryset(request), pk=object_id)
        return attachment(exports.render(version.document, "json"), "json", version.document)


# Reading published reports (PDF, web page, Word, text) into imported reports.
from reports import admin_reading  # noqa: E402, F401
