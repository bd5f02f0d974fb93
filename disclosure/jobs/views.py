"""The job pages' small endpoints (mounted by ``JobAdmin.get_urls``, behind the admin's
login): the state the progress bar polls, the result file, running a job again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disclosure.jobs.models import JobStatus
from disclosure.jobs.selectors import job_for, job_state, may_read_result, result_expired
from disclosure.jobs.services import job_retry


@require_GET
def job_status(request: HttpRequest, object_id: str) -> JsonResponse:
    response = JsonResponse(job_state(job_for(request.user, object_id)))
    response["Cache-Control"] = "no-store"
    return response


def _unavailable(request: HttpRequest, job, message: str, status: int) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("结果文件不可用"),
        "job": job,
        "message": message,
    }
    return TemplateResponse(
        request, "admin/jobs/job/result_unavailable.html", context, status=status
    )


@require_GET
def job_result(request: HttpRequest, object_id: str) -> HttpResponse:
    """The result file, as an attachment, to a user who may see every record in it."""
    job = job_for(request.user, object_id)
    if not may_read_result(request.user, job):
        raise PermissionDenied(_("结果文件涵盖您无权查看的机构，不能下载。"))
    if job.status != JobStatus.DONE or not job.result_name:
        return _unavailable(request, job, _("该任务没有结果文件。"), 404)
    if result_expired(job) or not job.result_file:
        expired_on = timezone.localtime(job.expires_at) if job.expires_at else None
        return _unavailable(
            request,
            job,
            _("结果文件已于 %(time)s 过期删除。如仍需要，请重新运行该任务。")
            % {"time": f"{expired_on:%Y-%m-%d %H:%M}" if expired_on else "—"},
            410,
        )
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        return _unavailable(request, job, _("结果文件已不存在。请重新运行该任务。"), 404)
    return FileResponse(handle, as_attachment=True, filename=job.result_name)


@require_POST
def job_rerun(request: HttpRequest, object_id: str) -> HttpResponse:
    job = job_for(request.user, object_id)
    if job.status != JobStatus.FAILED:
        raise PermissionDenied(_("只有失败的任务可以重新运行。"))
    again = job_retry(actor=request.user, job=job)
    messages.info(request, _("已重新提交：后台任务 #%(id)s。") % {"id": again.pk})
    return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[again.pk]))
