"""Staff see their jobs (superusers every job): a list with progress bars that move while
the page is open (``static/jobs/progress.js`` polls ``…/status/``), and a page per job
with its result lines, its failure reason, the download and "run again"."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy

from disclosure.jobs import views
from disclosure.jobs.models import Job
from disclosure.jobs.registry import kind_choices
from disclosure.jobs.selectors import job_for, job_state, may_read_result, result_expired
from disclosure.jobs.services import jobs_fail_interrupted
from disclosure.models import AuditEntry


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("任务类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "body", "year", "progress", "requested_by", "created_at")
    list_filter = ("status", KindFilter)
    list_select_related = ("body", "requested_by")
    change_list_template = "admin/jobs/job/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return Job.objects.visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are started by the pages and commands that need them

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("进度"))
    def progress(self, obj: Job) -> str:
        return render_to_string("admin/jobs/job/_progress.html", {"job": obj})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/status/", wrap(views.job_status), name="jobs_job_status"),
            path("<path:object_id>/result/", wrap(views.job_result), name="jobs_job_result"),
            path("<path:object_id>/rerun/", wrap(views.job_rerun), name="jobs_job_rerun"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        jobs_fail_interrupted()
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        job = job_for(request.user, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": str(job),
            "subtitle": None,
            "opts": self.opts,
            "job": job,
            "state": job_state(job),
            "may_download": bool(job.result_name) and may_read_result(request.user, job),
            "expired": result_expired(job),
            "problems": job.result.get("problems", []),
            "entries": [
                (entry, entry.get_action_display())
                for entry in AuditEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Job), object_id=str(job.pk)
                ).select_related("actor")
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/jobs/job/detail.html", context)
