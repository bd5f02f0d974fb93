"""What the casework tools record, read-only: who opened which applicant's full record (for
the body's publishers, 个人信息保护法), and which reminder digests went out."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from disclosure.access import access_log_visible_to, mask_name
from disclosure.admin.access import has_role_somewhere
from disclosure.models import ApplicantAccess, ReminderSent
from disclosure.paginator import EstimatedCountPaginator
from disclosure.vocab import Role


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ApplicantAccess)
class ApplicantAccessAdmin(ReadOnlyAdmin):
    """The access log, for the publishers (审核发布) of the bodies it concerns. The applicant
    is named masked: the log says who saw whom without showing her again."""

    list_display = ("at", "user", "applicant_masked", "request", "body", "page")
    list_filter = ("page",)
    search_fields = ("user__username", "=request__reference")
    list_select_related = ("user", "applicant", "request", "body")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fields = ("at", "user", "applicant_masked", "request", "body", "page")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("申请人"))
    def applicant_masked(self, obj: ApplicantAccess) -> str:
        return f"{mask_name(obj.applicant.name)}（#{obj.applicant_id}）"

    def get_queryset(self, request: HttpRequest):
        return access_log_visible_to(request.user).select_related(
            "user", "applicant", "request", "body"
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """The reminder digests sent (``send_reminders``): superusers see them all."""

    list_display = ("date", "user", "email", "overdue", "due_soon", "correction_lapsed", "sent_at")
    list_filter = ("date",)
    search_fields = ("user__username", "email")
    list_select_related = ("user",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser
