from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from disclosure.jobs.registry import kind_label
from disclosure.models import Body
from disclosure.validators import NulFreeModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队")
    RUNNING = "running", _("进行中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失败")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Staff see the jobs they asked for; superusers see every job."""
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(requested_by=user)

    def interrupted(self, *, now: datetime.datetime) -> JobQuerySet:
        """Running jobs whose worker stopped: no heartbeat for ``JOBS_HEARTBEAT_TIMEOUT``
        seconds while a step runs. A job whose parts wait in the queue (none running) is not
        interrupted: no process holds it."""
        silent_since = now - datetime.timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT)
        return self.filter(status=JobStatus.RUNNING, heartbeat_at__lt=silent_since).filter(
            Q(parts_total=0) | Q(parts_running__gt=0)
        )

    def expired(self, *, now: datetime.datetime) -> JobQuerySet:
        """Finished jobs past their expiry that still hold a file."""
        return self.filter(expires_at__lte=now).exclude(result_file="", input_file="")


def job_input_path(instance: Job, filename: str) -> str:
    return f"jobs/input/{instance.created_at:%Y/%m}/{filename}"


def job_result_path(instance: Job, filename: str) -> str:
    return f"jobs/results/{instance.pk}/{filename}"


class Job(NulFreeModel):
    """One piece of background work: who asked for what, how far it is, and what came of it.

    ``done`` of ``total`` is its progress; a job that fans out into parts (an export's chunks
    of bodies) counts them in ``parts_total``, ``parts_running`` and ``parts_finished`` (the
    indexes of the parts done). Files are kept until ``expires_at``."""

    kind = models.CharField(_("任务类型"), max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提交人"),
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
        help_text=_("结果涵盖该机构及其全部下级机构。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    parts_total = models.PositiveIntegerField(default=0, editable=False)
    parts_running = models.PositiveIntegerField(default=0, editable=False)
    parts_finished = models.JSONField(default=list, blank=True, editable=False)
    input_file = models.FileField(_("上传的文件"), upload_to=job_input_path, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to=job_result_path, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    worker = models.CharField(_("处理进程"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("文件保留至"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_within_total"),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED, finished_at__isnull=False)
                | (~Q(status__in=FINISHED) & Q(finished_at__isnull=True)),
                name="job_finished_when_done_or_failed",
            ),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.FAILED) | ~Q(error=""),
                name="job_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
