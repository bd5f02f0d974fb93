"""The holiday schedule overrides and the audit trail."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import services
from disclosure.access import audit_visible_to
from disclosure.admin.access import has_role_somewhere
from disclosure.admin.base import HistoryMixin, StaleEditMixin
from disclosure.admin.filters import local_today
from disclosure.calendar import PACKAGE_YEARS
from disclosure.history import change_lines
from disclosure.models import (
    AuditEntry,
    CalendarDay,
    ReferenceCounter,
)
from disclosure.paginator import EstimatedCountPaginator
from disclosure.selectors import calendar_years
from disclosure.vocab import Role


@admin.register(CalendarDay)
class CalendarDayAdmin(StaleEditMixin, HistoryMixin, admin.ModelAdmin):
    """Everyone who works with requests reads the schedule; changing it (it moves every open
    request's due date) takes the Django permission. The list of overrides is shown below
    the national schedule they override, year by year."""

    list_display = ("date", "kind", "name", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    change_list_template = "admin/disclosure/calendarday/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "calendar_years": calendar_years(local_today()),
            "package_years": PACKAGE_YEARS,
        }
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) or has_role_somewhere(request, Role.VIEW)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form, change: bool) -> None:
        services.calendar_day_save(actor=request.user, day=obj)
        self._recompute_message(request, obj.job)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        self._recompute_message(request, services.calendar_day_delete(actor=request.user, day=obj))

    def _recompute_message(self, request: HttpRequest, job) -> None:
        messages.info(
            request,
            format_html(
                _('在办申请的答复期限将按新的节假日安排重新计算：<a href="{}">后台任务 #{}</a>。'),
                reverse("admin:jobs_job_change", args=[job.pk]),
                job.pk,
            ),
        )

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for day in queryset:
            self.delete_model(request, day)


class RecordTypeFilter(admin.RelatedFieldListFilter):
    """The product's record types, not every content type of the installation (sessions,
    permissions) nor the internal reference counter, which has no Chinese name, nor a model
    that is never audited (``audited = False`` on the model: derived data, and the logs of who
    opened an applicant and which reminders went out)."""

    def field_choices(self, field, request: HttpRequest, model_admin):
        models = [
            model
            for label in ("disclosure", "reports")
            for model in django_apps.get_app_config(label).get_models()
            if model not in (AuditEntry, ReferenceCounter) and getattr(model, "audited", True)
        ]
        types = ContentType.objects.get_for_models(*models).values()
        return sorted(((kind.pk, str(kind)) for kind in types), key=lambda choice: choice[1])


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the services, never by hand."""

    list_display = ("at", "actor_display", "content_type", "object_repr", "action", "note")
    list_filter = ("action", ("content_type", RecordTypeFilter))
    search_fields = ("object_repr", "=object_id", "actor_username", "actor_name")
    list_select_related = ("actor", "content_type")
    date_hierarchy = None
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    fields = (
        "at",
        "actor_display",
        "actor_username",
        "actor_name",
        "content_type",
        "object_id",
        "object_repr",
        "action",
        "changes_display",
        "note",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ("disclosure/admin.css",)}

    @admin.display(description=gettext_lazy("操作人"), ordering="actor_username")
    def actor_display(self, obj: AuditEntry) -> str:
        return obj.actor_display

    @admin.display(description=gettext_lazy("变更内容"))
    def changes_display(self, obj: AuditEntry) -> str:
        return render_to_string(
            "admin/disclosure/_change_lines.html", {"lines": change_lines([obj])[obj.pk]}
        )

    def get_queryset(self, request: HttpRequest):
        return audit_visible_to(request.user).select_related("actor", "content_type")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Superusers included: nobody changes or deletes the trail through the product.
        return False

    def get_actions(self, request: HttpRequest):
        return {}
