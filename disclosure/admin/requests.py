"""Applicants and information requests: the pages staff use every working day."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Value
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import admin_views, hooks, services, worklist
from disclosure.access import (
    applicant_identity,
    applicants_identified_to,
    applicants_visible_to,
    can_see_identity,
    identity_search,
    mask_contact,
    mask_id_number,
    mask_name,
)
from disclosure.admin.access import (
    BodyScopedAdmin,
    ScopedInline,
    has_role_somewhere,
    identity_scope,
    is_autocomplete,
    visible_body_ids,
)
from disclosure.admin.base import (
    HistoryMixin,
    PublishedWarningMixin,
    StaleEditMixin,
    VoidMixin,
    badge,
    bullet_list,
    years_between,
)
from disclosure.admin.filters import (
    BodySubtreeFilter,
    OverdueFilter,
    StatusFilter,
    WorklistFilter,
    YearFilter,
    local_today,
    work_day,
)
from disclosure.clock import request_explanation, status_on
from disclosure.downloads import content_disposition
from disclosure.forms import bounded_file_attrs
from disclosure.importing.exporting import requests_workbook
from disclosure.models import Applicant, Attachment, Consultation, InformationRequest
from disclosure.paginator import EstimatedCountPaginator
from disclosure.selectors import repeated_requests, requests_for_list
from disclosure.validators import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_MB
from disclosure.vocab import AccessPage, RequestStatus, Result, Role


class ApplicantRequestInline(admin.TabularInline):
    """The applicant's requests the user may see (read-only: edit them on their own page)."""

    model = InformationRequest
    fk_name = "applicant"
    fields = ("reference", "body", "received_on", "concluded_on", "result")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    verbose_name_plural = gettext_lazy("该申请人的申请")

    def get_queryset(self, request: HttpRequest):
        return (
            InformationRequest.objects.visible_to(request.user)
            .active()
            .select_related("body")
            .order_by("-received_on", "-pk")
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def with_identified(queryset, user):
    """Applicants annotated ``identified``: whether ``user`` sees each in clear (the SQL of
    ``access.applicants_identified_to``), for the rows of a list or a picker."""
    if user.is_active and user.is_superuser:
        return queryset.annotate(identified=Value(True))
    identified = applicants_identified_to(user).filter(pk=OuterRef("pk"))
    return queryset.annotate(identified=Exists(identified))


def applicant_label(applicant: Applicant) -> str:
    """How a picker names an applicant: in clear where the user sees her (``identified``),
    with the ID number masked as in every list."""
    shown = applicant_identity(
        applicant, clear=bool(getattr(applicant, "identified", False)), listing=True
    )
    return f"{shown.name}（{shown.id_number}）" if shown.id_number else shown.name


class ApplicantAutocompleteView(AutocompleteJsonView):
    """The applicant picker's search: the clerk finds and reads the applicant she has just
    entered by name (Django's own view names every row by ``str``, which masks)."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": applicant_label(obj)}


class ApplicantAutocomplete(AutocompleteSelect):
    url_name = "%s:disclosure_applicant_autocomplete"


@admin.register(Applicant)
class ApplicantAdmin(StaleEditMixin, HistoryMixin, admin.ModelAdmin):
    """Personal data: name, ID number and contact in clear only for those who handle the
    applicant's requests (``access.can_see_identity``), masked for the others — in the
    list, the record and search. Lists mask ID numbers for everyone; each opening of the
    full record is written to the access log (``ApplicantAccess``)."""

    list_filter = ("kind", "id_type")
    # Only the reference of a request, and — among the applicants the user sees in clear —
    # name, ID number and telephone find an applicant (see get_search_results); the
    # autocomplete needs the attribute set.
    search_fields = ("=requests__reference",)
    search_help_text = gettext_lazy("按申请编号，或按申请人姓名（名称）、证件号码、联系电话查找。")
    ordering = ("-pk",)
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_inlines(self, request: HttpRequest, obj):
        return () if obj is None else (ApplicantRequestInline,)

    def get_queryset(self, request: HttpRequest):
        # Ordered here too: the autocomplete pages through this queryset, not the changelist.
        queryset = applicants_visible_to(request.user).order_by(*self.ordering)
        return with_identified(queryset, request.user)

    def get_urls(self):
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(
                    ApplicantAutocompleteView.as_view(admin_site=self.admin_site)
                ),
                name="disclosure_applicant_autocomplete",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        by_identity = identity_search(request.user, search_term)
        if by_identity is not None:
            found = found | queryset.filter(by_identity)
        return found, duplicates

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return applicants_visible_to(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.EDIT)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.EDIT)
        # Only those who see the applicant in clear may edit her: the form shows the values.
        return self._identified(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def _identified(self, request: HttpRequest, obj: Applicant) -> bool:
        known = getattr(obj, "identified", None)
        if known is None:
            known = can_see_identity(request.user, applicant=obj)
            obj.identified = known
        return bool(known)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is not None and not self._identified(request, obj):
            return (
                "kind",
                "masked_name",
                "masked_id_number",
                "masked_contact",
                "request_summary",
                "repeated",
            )
        fields = ["kind", "name", "id_type", "id_number", "contact"]
        if obj is not None:
            fields += ["request_summary", "repeated"]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return (
            "masked_name",
            "masked_id_number",
            "masked_contact",
            "request_summary",
            "repeated",
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The read-only fields below only show what this user may see.
            obj._visible_request_ids = set(
                InformationRequest.objects.visible_to(request.user)
                .filter(applicant=obj)
                .values_list("pk", flat=True)
            )
        return obj

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and obj is not None and self._identified(request, obj):
            services.applicant_access_record(
                user=request.user,
                applicant=obj,
                page=AccessPage.ADMIN_APPLICANT,
                body=_handling_body(request, obj),
            )
        return response

    @admin.display(description=gettext_lazy("重复申请"))
    def repeated(self, obj: Applicant) -> str:
        visible = getattr(obj, "_visible_request_ids", set())
        groups = []
        for group in repeated_requests(obj):
            references = [request.reference for request in group.requests if request.pk in visible]
            if len(references) > 1:
                groups.append(
                    _("内容相同的申请 %(count)s 件：%(references)s")
                    % {"count": len(references), "references": "、".join(references)}
                )
        return bullet_list(groups) if groups else _("无")

    @admin.display(description=gettext_lazy("申请人"))
    def masked_name(self, obj: Applicant) -> str:
        return mask_name(obj.name)

    @admin.display(description=gettext_lazy("证件号码"))
    def masked_id_number(self, obj: Applicant) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=gettext_lazy("联系方式"))
    def masked_contact(self, obj: Applicant) -> str:
        return mask_contact(obj.contact)

    @admin.display(description=gettext_lazy("申请人"))
    def applicant_name(self, obj: Applicant) -> str:
        return applicant_identity(obj, clear=bool(obj.identified), listing=True).name

    @admin.display(description=gettext_lazy("证件号码"))
    def applicant_id_number(self, obj: Applicant) -> str:
        return applicant_identity(obj, clear=bool(obj.identified), listing=True).id_number

    list_display = ("applicant_name", "kind", "id_type", "applicant_id_number", "created_at")

    @admin.display(description=gettext_lazy("本月申请与按件收费"))
    def request_summary(self, obj: Applicant) -> str:
        today = local_today()
        monthly = services.applicant_fee_per_request(obj, today.year, today.month)
        return _(
            "%(year)s年%(month)s月收到该申请人申请 %(count)s 件；按件收费合计 %(fee)s 元。"
        ) % {
            "year": today.year,
            "month": today.month,
            "count": monthly.count,
            "fee": monthly.total,
        }

    def save_model(self, request: HttpRequest, obj: Applicant, form, change: bool) -> None:
        services.record_save(actor=request.user, instance=obj)


def _handling_body(request: HttpRequest, applicant: Applicant) -> int | None:
    """The body through which the user sees ``applicant`` in clear, for the access log: that
    of her latest request at a body where the user holds 录入 or 审核发布 (None: the user
    entered her, or is a superuser looking at an applicant without requests)."""
    scope = identity_scope(request)
    body_ids = (
        InformationRequest.objects.filter(applicant=applicant)
        .order_by("-received_on", "-pk")
        .values_list("body_id", flat=True)
    )
    return next((body_id for body_id in body_ids if scope.clear_at(body_id)), None)


class ConsultationInline(ScopedInline, admin.TabularInline):
    model = Consultation
    fields = ("party", "sent_on", "answered_on")
    extra = 0


class AttachmentInline(ScopedInline, admin.TabularInline):
    model = Attachment
    fields = ("kind", "file", "uploaded_at")
    readonly_fields = ("uploaded_at",)
    extra = 0

    class Media:
        js = ("disclosure/file-limit.js",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            # The file picker offers the types the model accepts (validate_attachment), and
            # the page refuses a file over the cap as soon as it is chosen (file-limit.js).
            field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in ATTACHMENT_EXTENSIONS)
            field.widget.attrs.update(bounded_file_attrs(ATTACHMENT_MAX_MB * 1024 * 1024))
            field.help_text = _(
                "PDF、OFD、图片、Word、Excel、文本或 zip 等文件，每个不超过 %(limit)s MB。"
            ) % {"limit": ATTACHMENT_MAX_MB}
        return field


REQUEST_EVENT_FIELDSETS = (
    (
        gettext_lazy("补正"),
        {"fields": ("correction_notice_on", "correction_deadline", "correction_received_on")},
    ),
    (
        gettext_lazy("延期"),
        {
            "fields": (
                "extension_days",
                "extension_decided_on",
                "extension_approver",
                "extension_reason",
            )
        },
    ),
    (
        gettext_lazy("收费"),
        {"fields": ("fee_method", "fee_amount", "fee_notice_on", "fee_due_on", "fee_paid_on")},
    ),
    (
        gettext_lazy("办结"),
        {"fields": ("withdrawn_on", "concluded_on", "result", "reply_summary")},
    ),
)

CLOCK_FIELDS = (
    "status_display",
    "days_left",
    "due_date",
    "base_due_date",
    "clock_flags",
    "clock_explanation",
)


# The result labels with their word boundaries ("|"): a narrow list column breaks a label
# only there (``<wbr>`` under ``word-break: keep-all``), never inside a word.
RESULT_WORDS = {
    Result.GRANTED: "予以公开",
    Result.PARTIALLY_GRANTED: "部分公开",
    Result.DENIED_STATE_SECRET: "不予公开：|属于|国家秘密",
    Result.DENIED_LAW_PROHIBITED: "不予公开：|其他|法律|行政法规|禁止公开",
    Result.DENIED_THREE_SAFETIES: "不予公开：|危及|“三安全一稳定”",
    Result.DENIED_THIRD_PARTY: "不予公开：|保护|第三方|合法权益",
    Result.DENIED_INTERNAL_AFFAIRS: "不予公开：|属于|三类|内部事务|信息",
    Result.DENIED_PROCESS_INFO: "不予公开：|属于|四类|过程性|信息",
    Result.DENIED_ENFORCEMENT_FILE: "不予公开：|属于|行政执法|案卷",
    Result.DENIED_QUERY_MATTER: "不予公开：|属于|行政查询|事项",
    Result.UNABLE_NOT_HELD: "无法提供：|本机关|不掌握|相关|政府信息",
    Result.UNABLE_NEEDS_CREATION: "无法提供：|没有|现成信息|需要|另行制作",
    Result.UNABLE_UNCLEAR: "无法提供：|补正后|申请内容|仍不明确",
    Result.REJECTED_PETITION: "不予处理：|信访|举报|投诉类|申请",
    Result.REJECTED_DUPLICATE: "不予处理：|重复申请",
    Result.REJECTED_PUBLICATION: "不予处理：|要求提供|公开出版物",
    Result.REJECTED_EXCESSIVE: "不予处理：|无正当理由|大量|反复申请",
    Result.REJECTED_CONFIRMATION: "不予处理：|要求|行政机关|确认|或重新出具|已获取信息",
    Result.OTHER_NO_CORRECTION: "其他处理：|申请人|无正当理由|逾期|不补正",
    Result.OTHER_FEE_UNPAID: "其他处理：|申请人|逾期未按|收费通知|要求|缴纳费用",
    Result.OTHER_OTHER: "其他处理：|其他",
}


def result_in_words(result: str, label: str) -> str:
    """``label`` (the result as shown in the current language) with a break opportunity
    between its words; a label of another language keeps the browser's own breaking."""
    words = RESULT_WORDS.get(result, "").split("|")
    if "".join(words) != label:
        return label
    return format_html_join(mark_safe("<wbr>"), "{}", ((word,) for word in words))


@admin.register(InformationRequest)
class InformationRequestAdmin(
    VoidMixin, PublishedWarningMixin, StaleEditMixin, HistoryMixin, BodyScopedAdmin
):
    # Read at 1280 px beside the side menu and the filters without sideways scrolling and
    # without a word broken inside a cell (tests/browser/test_casework.py): the body under
    # the reference, the days left in the due date's badge, the result broken only
    # between its words.
    list_display = (
        "reference_and_body",
        "applicant_kind",
        "received_date",
        "due_badge",
        "status_display",
        "result_words",
    )
    list_display_links = ("reference_and_body",)
    search_fields = ("^reference", "content", "body__name")  # widened in get_search_fields
    list_filter = (
        WorklistFilter,
        BodySubtreeFilter,
        StatusFilter,
        OverdueFilter,
        YearFilter,
        "applicant_kind",
        "result",
        "channel",
    )
    date_hierarchy = "received_on"
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    list_per_page = 50
    autocomplete_fields = ("body", "applicant")
    inlines = (ConsultationInline, AttachmentInline)
    actions = ("export_workbook", "conclude_no_correction", "void_selected")
    change_list_template = "admin/disclosure/informationrequest/change_list.html"
    change_form_template = "admin/disclosure/informationrequest/change_form.html"
    void_service = staticmethod(services.request_void)
    void_service_arg = "request"
    history_children = ((Consultation, "request"), (Attachment, "request"))

    class Media:
        css = {"all": ("disclosure/admin.css",)}

    def get_queryset(self, request: HttpRequest):
        # requests_for_list applies the one visibility rule and fetches what a row shows; only
        # the id list of visible_rows is added here. (The rule applied twice made PostgreSQL
        # misjudge a city clerk's rows and join all 63,000 of them before sorting: 0.6 s →
        # 20 ms over a million requests, see benchmarks/.)
        queryset = requests_for_list(request.user)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(body__in=visible_body_ids(request))

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        # The applicant's name, ID number or telephone, where the user sees them in clear.
        by_identity = identity_search(request.user, search_term, prefix="applicant__")
        if by_identity is not None:
            found = found | queryset.filter(by_identity)
        if is_autocomplete(request):
            # A form may point only at a request that counts (as limited_choices says).
            found = found.active()
        return found, duplicates

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "applicant":
            kwargs["widget"] = ApplicantAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "applicant":
            field.queryset = with_identified(field.queryset, request.user)
            field.label_from_instance = applicant_label
        return field

    def get_fieldsets(self, request: HttpRequest, obj=None):
        basic = ["body", "reference", "applicant", "applicant_identity", "applicant_kind"]
        basic += ["channel", "received_on", "content"]
        if obj is None:
            basic.remove("reference")
            basic.remove("applicant_identity")
        fieldsets = [(None, {"fields": basic}), *REQUEST_EVENT_FIELDSETS]
        if obj is not None:
            fieldsets.append(
                (gettext_lazy("答复期限（系统计算）"), {"fields": CLOCK_FIELDS + ("fee_standard",)})
            )
            if obj.voided_at:
                fieldsets.append((gettext_lazy("作废"), {"fields": ("voided_at", "void_reason")}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return (
            "reference",
            "applicant_identity",
            *CLOCK_FIELDS,
            "fee_standard",
            "voided_at",
            "void_reason",
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Read-only fields see only the object: tell them what this user may read.
            obj._identity_clear = identity_scope(request).clear_at(obj.body_id)
        return obj

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if (
            request.method == "GET"
            and obj is not None
            and obj.applicant_id is not None
            and getattr(obj, "_identity_clear", False)
        ):
            services.applicant_access_record(
                user=request.user,
                applicant=obj.applicant,
                page=AccessPage.ADMIN_REQUEST,
                request=obj,
            )
        return response

    @admin.display(description=gettext_lazy("申请人身份"))
    def applicant_identity(self, obj: InformationRequest) -> str:
        if obj.applicant_id is None:
            return "-"
        shown = applicant_identity(obj.applicant, clear=getattr(obj, "_identity_clear", False))
        lines = [shown.name]
        if obj.applicant.id_type or shown.id_number:
            kind = obj.applicant.get_id_type_display()
            lines.append(f"{kind}：{shown.id_number}" if kind else shown.id_number)
        if shown.contact:
            lines.append(_("联系方式：%(contact)s") % {"contact": shown.contact})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    # --- list columns ---------------------------------------------------------------------

    @admin.display(description=gettext_lazy("申请编号"), ordering="reference")
    def reference_and_body(self, obj: InformationRequest) -> str:
        return format_html(
            '{}<span class="disclosure-list-body">{}</span>', obj.reference, obj.body.name
        )

    @admin.display(description=gettext_lazy("收到申请日期"), ordering="received_on")
    def received_date(self, obj: InformationRequest) -> str:
        return obj.received_on.isoformat()

    @admin.display(description=gettext_lazy("办理结果"), ordering="result")
    def result_words(self, obj: InformationRequest) -> str:
        if not obj.result:
            return "-"
        return result_in_words(obj.result, str(obj.get_result_display()))

    @admin.display(description=gettext_lazy("答复期限"), ordering="due_date")
    def due_badge(self, obj: InformationRequest, day: worklist.WorkDay | None = None) -> str:
        """The due date with a badge: days late, or days left when due within the worklist's
        working days (``get_list_display`` gives the day worked out once per page)."""
        if obj.due_date is None:
            return "-"
        day = day or worklist.work_day(local_today())
        status = status_on(obj, day.today)
        if status == RequestStatus.OVERDUE:
            late = (day.today - obj.due_date).days
            return format_html(
                '<span class="disclosure-due">{}</span> {}',
                obj.due_date,
                badge(_("逾期%(days)s天") % {"days": late}, "overdue"),
            )
        if status != RequestStatus.CONCLUDED and obj.due_date <= day.due_soon_until:
            left = (obj.due_date - day.today).days
            return format_html(
                '<span class="disclosure-due">{}</span> {}',
                obj.due_date,
                badge(_("剩%(days)s天") % {"days": left}, "soon"),
            )
        return format_html('<span class="disclosure-due">{}</span>', obj.due_date)

    def get_list_display(self, request: HttpRequest):
        day = work_day(request)

        @admin.display(description=gettext_lazy("答复期限"), ordering="due_date")
        def due_badge(obj: InformationRequest) -> str:
            return self.due_badge(obj, day)

        return tuple(due_badge if name == "due_badge" else name for name in self.list_display)

    @admin.display(description=gettext_lazy("状态"))
    def status_display(self, obj: InformationRequest) -> str:
        return status_on(obj, local_today()).label

    @admin.display(description=gettext_lazy("剩余天数"))
    def days_left(self, obj: InformationRequest):  # the record's page
        days = obj.days_left_on(local_today())
        return "-" if days is None else days

    # --- record fields --------------------------------------------------------------------

    @admin.display(description=gettext_lazy("期限提示"))
    def clock_flags(self, obj: InformationRequest) -> str:
        flags = []
        if obj.correction_notice_late:
            flags.append(badge(_("补正告知超过7个工作日"), "overdue"))
        if obj.extension_late:
            flags.append(badge(_("延期决定晚于原答复期限"), "overdue"))
        if obj.calendar_warning:
            flags.append(badge(obj.calendar_warning, "soon"))
        return format_html(" ".join(["{}"] * len(flags)), *flags) if flags else "-"

    @admin.display(description=gettext_lazy("期限计算说明"))
    def clock_explanation(self, obj: InformationRequest) -> str:
        explanation = request_explanation(obj)
        if explanation is None:
            return _("待补正：收到补正申请后重新起算，此前没有答复期限。")
        return render_to_string("admin/disclosure/_clock.html", {"clock": explanation})

    @admin.display(description=gettext_lazy("按件收费标准"))
    def fee_standard(self, obj: InformationRequest) -> str:
        if obj.applicant_id is None:
            return "-"
        day = obj.received_on
        monthly = services.applicant_fee_per_request(obj.applicant, day.year, day.month)
        if obj.voided_at:
            return _("该申请人%(year)s年%(month)s月共申请 %(count)s 件（本申请已作废，不计）。") % {
                "year": day.year,
                "month": day.month,
                "count": monthly.count,
            }
        return _(
            "该申请人%(year)s年%(month)s月共申请 %(count)s 件；本申请为第 %(ordinal)s 件，"
            "如按件收费，标准为 %(fee)s 元。"
        ) % {
            "year": day.year,
            "month": day.month,
            "count": monthly.count,
            "ordinal": next(line.ordinal for line in monthly.lines if line.request_id == obj.pk),
            "fee": monthly.amount_for(obj),
        }

    # --- saving through the services ------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: InformationRequest, form, change: bool):
        # The request is saved in save_related, together with its consultations, so that the
        # clock is computed once from all events.
        return None

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        actor = request.user
        by_model = {formset.model: formset for formset in formsets}
        consultation_set = by_model.get(Consultation)
        consultations = None
        if consultation_set is not None:
            # save(commit=False) saves nothing: it sorts the rows into new, changed and
            # deleted for the change message. request_save takes the complete list and
            # removes the stored rows left out of it.
            consultation_set.save(commit=False)
            consultations = [
                consultation_form.instance
                for consultation_form in consultation_set.forms
                if not consultation_set._should_delete_form(consultation_form)
                and (consultation_form.instance.pk or consultation_form.has_changed())
            ]
        saved = services.request_save(
            actor=actor, request=form.instance, consultations=consultations
        )
        attachment_set = by_model.get(Attachment)
        if attachment_set is not None:
            for attachment in attachment_set.save(commit=False):
                attachment.request = saved
                services.record_save(actor=actor, instance=attachment)
            for attachment in attachment_set.deleted_objects:
                services.record_delete(actor=actor, instance=attachment)
        if change:
            self.warn_if_published(request, saved, saved=True)

    def counted_years(self, obj: InformationRequest):
        return years_between(obj.received_on, obj.concluded_on)

    # --- export ---------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "export.xlsx",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            path(
                "<path:object_id>/conclude-no-correction/",
                self.admin_site.admin_view(self.conclude_no_correction_view),
                name="disclosure_informationrequest_conclude_no_correction",
            ),
            path(
                "deadline-calculator/",
                self.admin_site.admin_view(self.deadline_calculator_view),
                name="disclosure_deadline_calculator",
            ),
            *super().get_urls(),
        ]

    def deadline_calculator_view(self, request: HttpRequest):
        return admin_views.deadline_calculator_view(self, request)

    def export_view(self, request: HttpRequest):
        """The filtered list (the changelist's own filters and search) as the import
        workbook's 申请 sheet."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self.workbook_of(request, changelist.get_queryset(request))

    @admin.action(
        description=gettext_lazy("按“其他处理：申请人无正当理由逾期不补正”办结所选申请"),
        permissions=["change"],
    )
    def conclude_no_correction(self, request: HttpRequest, queryset):
        """第三十条: the 补正期限 passed without a corrected request. Each selected request is
        concluded today through the service (audited); those the user may not change or
        whose 补正 has not lapsed are named and left alone."""
        today = local_today()
        done, refused = [], []
        for obj in queryset.order_by("received_on", "pk"):
            if not self.has_change_permission(request, obj):
                refused.append(_("%(reference)s：没有录入权限") % {"reference": obj.reference})
                continue
            try:
                services.request_conclude_no_correction(
                    actor=request.user, request=obj, concluded_on=today
                )
            except ValidationError as error:
                refused.append(" ".join(error.messages))
                continue
            done.append(obj.reference)
        if done:
            self.message_user(
                request,
                _("已按“申请人无正当理由逾期不补正”办结 %(count)s 件申请：%(references)s。")
                % {"count": len(done), "references": "、".join(done)},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    def conclude_no_correction_view(self, request: HttpRequest, object_id: str):
        """One click from the 工作台: POST concludes one lapsed request, then goes back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            services.request_conclude_no_correction(
                actor=request.user, request=obj, concluded_on=local_today()
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("申请 %(reference)s 已按“申请人无正当理由逾期不补正”办结。")
                % {"reference": obj.reference},
                messages.SUCCESS,
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)

    @admin.action(
        description=gettext_lazy("导出所选记录（导入模板格式 .xlsx）"), permissions=["view"]
    )
    def export_workbook(self, request: HttpRequest, queryset):
        return self.workbook_of(request, queryset)

    def workbook_of(self, request: HttpRequest, queryset):
        """The requests as the import workbook's 申请 sheet (``importing.exporting``): full
        identities where the user handles the request — an export of personal data,
        audited and logged per applicant — and, if any applicant is masked, a first row
        saying the file is not for re-import."""
        today = local_today()
        exported = requests_workbook(queryset, request.user)
        what = _("政府信息公开申请（导入模板格式）")
        if request.GET:
            what = _("政府信息公开申请（导入模板格式，筛选条件：%(filters)s）") % {
                "filters": request.GET.urlencode()
            }
        services.record_personal_data_export(
            actor=request.user,
            model=InformationRequest,
            rows=exported.rows,
            what=what,
            file_format="xlsx",
            applicants=len(exported.shown),
            accessed=exported.shown,
        )
        response = HttpResponse(
            exported.content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition(
            _("政府信息公开申请-%(date)s.xlsx") % {"date": today.isoformat()},
            fallback=f"information-requests-{today.isoformat()}.xlsx",
        )
        return response

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "export_url": reverse("admin:disclosure_informationrequest_export")
            + ("?" + request.GET.urlencode() if request.GET else ""),
            "calculator_url": reverse("admin:disclosure_deadline_calculator"),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.voided_at is None and self.has_change_permission(request, obj):
            opts = self.model._meta
            context["void_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_void", args=[obj.pk]
            )
        if obj is not None:
            # Other apps' links and read-only panels (the letters), through the hooks.
            context["hook_links"] = hooks.request_admin_links.ask(request, obj)
            context["hook_panels"] = hooks.request_admin_panels.ask(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
