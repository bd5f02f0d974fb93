"""Reading jobs: which a user sees, whose result file a user may read, and a job's state
as the progress bar polls it."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.services import jobs_fail_interrupted
from disclosure.models import Body


def job_for(user, job_id: int | str, *, kind: str | None = None) -> Job:
    """A job the user sees (their own; every job for a superuser), checked for an
    interrupted worker first; else 404."""
    jobs = Job.objects.visible_to(user).select_related("body", "requested_by")
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    try:
        job_id = int(job_id)
    except (TypeError, ValueError):
        raise Http404(_("没有这个后台任务。")) from None
    if not jobs.filter(pk=job_id).exists():
        raise Http404(_("没有这个后台任务。"))
    jobs_fail_interrupted(ids=[job_id])
    return jobs.get(pk=job_id)


def may_read_result(user, job: Job) -> bool:
    """A result file covers the records of the job's body and everything below it (every
    body when the job has none): it is served only to a user who sees all of them, by the
    one visibility rule ``Body.objects.visible_to``."""
    if not Job.objects.visible_to(user).filter(pk=job.pk).exists():
        return False
    covered = Body.objects.subtree_of(job.body) if job.body_id else Body.objects.all()
    return not covered.exclude(pk__in=Body.objects.visible_to(user).values("pk")).exists()


def result_expired(job: Job) -> bool:
    return job.expires_at is not None and job.expires_at <= timezone.now()


def job_state(job: Job) -> dict:
    """What the progress bar shows (``/admin/jobs/job/<id>/status/``)."""
    download = ""
    if job.status == JobStatus.DONE and job.result_file and not result_expired(job):
        download = reverse("admin:jobs_job_result", args=[job.pk])
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.kind_label,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "lines": job.result.get("lines", []),
        "download_url": download,
    }
