"""Applicants and information requests: the pages staff use every working day."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import admin_views, services
from disclosure.access import (
    IDENTITY_FIELDS,
    applicant_identity,
    applicants_visible_to,
    can_see_identity,
    identity_search_fields,
    mask_contact,
    mask_id_number,
    mask_name,
)
from disclosure.admin.access import (
    BodyScopedAdmin,
    ScopedInline,
    has_role_somewhere,
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
from disclosure.admin.export import csv_response
from disclosure.admin.filters import (
    DUE_SOON_DAYS,
    BodySubtreeFilter,
    OverdueFilter,
    StatusFilter,
    YearFilter,
    local_today,
)
from disclosure.clock import request_explanation, status_on
from disclosure.models import Applicant, Attachment, Consultation, InformationRequest
from disclosure.paginator import EstimatedCountPaginator
from disclosure.selectors import repeated_requests, requests_for_list
from disclosure.vocab import RequestStatus, Role


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


@admin.register(Applicant)
class ApplicantAdmin(StaleEditMixin, HistoryMixin, admin.ModelAdmin):
    """Personal data: name, ID number and contact are masked for everyone without the
    ``disclosure.view_applicant_identity`` permission — in the list, the record and search."""

    list_filter = ("kind",)
    # Without the identity permission only the reference of a request finds its applicant
    # (see get_search_fields); autocomplete needs the attribute set.
    search_fields = ("=requests__reference",)
    ordering = ("-pk",)
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_inlines(self, request: HttpRequest, obj):
        return () if obj is None else (ApplicantRequestInline,)

    def get_queryset(self, request: HttpRequest):
        # Ordered here too: the autocomplete pages through this queryset, not the changelist.
        return applicants_visible_to(request.user).order_by(*self.ordering)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return applicants_visible_to(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.EDIT)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None or can_see_identity(request.user):
            return has_role_somewhere(request, Role.EDIT) and (
                obj is None or self.has_view_permission(request, obj)
            )
        # Without the identity permission a stored applicant cannot be read back, so it
        # cannot be edited either (the form would show the clear values).
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_search_fields(self, request: HttpRequest):
        return ("=requests__reference", *identity_search_fields(request.user))

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is not None and not can_see_identity(request.user):
            return (
                "kind",
                "masked_name",
                "masked_id_number",
                "masked_contact",
                "request_summary",
                "repeated",
            )
        fields = ["kind", *IDENTITY_FIELDS]
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

    def get_list_display(self, request: HttpRequest):
        user = request.user

        @admin.display(description=gettext_lazy("申请人"))
        def applicant_name(obj: Applicant) -> str:
            return applicant_identity(user, obj).name

        @admin.display(description=gettext_lazy("证件号码"))
        def applicant_id_number(obj: Applicant) -> str:
            return applicant_identity(user, obj).id_number

        return (applicant_name, "kind", applicant_id_number, "created_at")

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


class ConsultationInline(ScopedInline, admin.TabularInline):
    model = Consultation
    fields = ("party", "sent_on", "answered_on")
    extra = 0


class AttachmentInline(ScopedInline, admin.TabularInline):
    model = Attachment
    fields = ("kind", "file", "uploaded_at")
    readonly_fields = ("uploaded_at",)
    extra = 0


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

CSV_HEADER = (
    gettext_lazy("申请编号"),
    gettext_lazy("受理机构"),
    gettext_lazy("机构代码"),
    gettext_lazy("收到申请日期"),
    gettext_lazy("申请方式"),
    gettext_lazy("申请人类型"),
    gettext_lazy("申请人"),
    gettext_lazy("证件号码"),
    gettext_lazy("申请内容"),
    gettext_lazy("答复期限"),
    gettext_lazy("状态"),
    gettext_lazy("剩余天数"),
    gettext_lazy("办结日期"),
    gettext_lazy("办理结果"),
    gettext_lazy("作废原因"),
)


@admin.register(InformationRequest)
class InformationRequestAdmin(
    VoidMixin, PublishedWarningMixin, StaleEditMixin, HistoryMixin, BodyScopedAdmin
):
    list_display = (
        "reference",
        "body",
        "received_on",
        "due_badge",
        "status_display",
        "days_left",
        "applicant_kind",
        "result",
    )
    list_display_links = ("reference",)
    search_fields = ("^reference", "content", "body__name")  # widened in get_search_fields
    list_filter = (
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
    actions = ("export_csv", "void_selected")
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
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete(request):
            # A form may point only at a request that counts (as limited_choices says).
            queryset = queryset.active()
        return queryset, duplicates

    def get_search_fields(self, request: HttpRequest):
        return (*self.search_fields, *identity_search_fields(request.user, "applicant__"))

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
            obj._identity_viewer = request.user
        return obj

    @admin.display(description=gettext_lazy("申请人身份"))
    def applicant_identity(self, obj: InformationRequest) -> str:
        if obj.applicant_id is None:
            return "-"
        shown = applicant_identity(getattr(obj, "_identity_viewer", None), obj.applicant)
        return f"{shown.name}（{shown.id_number}）" if shown.id_number else shown.name

    # --- list columns ---------------------------------------------------------------------

    @admin.display(description=gettext_lazy("答复期限"), ordering="due_date")
    def due_badge(self, obj: InformationRequest) -> str:
        if obj.due_date is None:
            return "-"
        today = local_today()
        status = status_on(obj, today)
        if status == RequestStatus.OVERDUE:
            return format_html("{} {}", obj.due_date, badge(_("逾期"), "overdue"))
        days_left = obj.days_left_on(today)
        if days_left is not None and days_left <= DUE_SOON_DAYS:
            return format_html("{} {}", obj.due_date, badge(_("即将到期"), "soon"))
        return str(obj.due_date)

    @admin.display(description=gettext_lazy("状态"))
    def status_display(self, obj: InformationRequest) -> str:
        return status_on(obj, local_today()).label

    @admin.display(description=gettext_lazy("剩余天数"))
    def days_left(self, obj: InformationRequest):
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
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
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
        """The filtered list (the changelist's own filters and search) as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self.csv_of(request, changelist.get_queryset(request))

    @admin.action(description=gettext_lazy("导出所选记录为CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset):
        return self.csv_of(request, queryset)

    def csv_of(self, request: HttpRequest, queryset):
        user = request.user
        today = local_today()

        def row(obj: InformationRequest) -> list:
            shown = applicant_identity(user, obj.applicant)
            return [
                obj.reference,
                obj.body.name,
                obj.body.code,
                obj.received_on,
                obj.get_channel_display(),
                obj.get_applicant_kind_display(),
                shown.name,
                shown.id_number,
                obj.content,
                obj.due_date,
                status_on(obj, today).label,
                obj.days_left_on(today),
                obj.concluded_on,
                obj.get_result_display(),
                obj.void_reason,
            ]

        what = _("政府信息公开申请")
        if request.GET:
            what = _("政府信息公开申请（筛选条件：%(filters)s）") % {
                "filters": request.GET.urlencode()
            }
        services.record_personal_data_export(
            actor=user,
            model=InformationRequest,
            rows=queryset.count(),
            what=what,
            file_format="CSV",
            identities_in_clear=can_see_identity(user),
        )
        rows = (
            row(obj) for obj in queryset.order_by("-received_on", "-pk").iterator(chunk_size=2000)
        )
        return csv_response(
            _("政府信息公开申请-%(date)s.csv") % {"date": today.isoformat()},
            [str(cell) for cell in CSV_HEADER],
            rows,
            fallback=f"information-requests-{today.isoformat()}.csv",
        )

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
        return super().render_change_form(request, context, add, change, form_url, obj)
