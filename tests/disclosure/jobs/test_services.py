"""The job services: enqueueing on commit, claiming, finishing, failing, the interruption
check and the expiry of files — each state change audited."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError

from disclosure.background import RECOMPUTE
from disclosure.jobs import services
from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.registry import Outcome
from disclosure.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))


def trail(job: Job) -> list[tuple[str, dict]]:
    entries = AuditEntry.objects.filter(
        content_type__app_label="jobs", object_id=str(job.pk)
    ).order_by("pk")
    return [(entry.action, entry.changes) for entry in entries]


def running_job(**fields) -> Job:
    values = {
        "kind": RECOMPUTE,
        "status": JobStatus.RUNNING,
        "started_at": NOW,
        "heartbeat_at": NOW,
        "worker": "host pid 42",
        **fields,
    }
    return Job.objects.create(**values)


def test_a_job_is_queued_when_the_transaction_commits_and_not_before():
    user = UserFactory()
    with TestCase.captureOnCommitCallbacks() as callbacks:
        job = services.job_enqueue(
            actor=user, kind=RECOMPUTE, params={"dates": ["2025-10-31"], "note": "x"}
        )
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.requested_by, job.started_at) == (JobStatus.QUEUED, user, None)
    assert trail(job) == [("job_enqueue", {"kind": [None, RECOMPUTE], "status": [None, "queued"]})]


def test_an_unknown_kind_is_refused_and_nothing_is_written():
    with pytest.raises(Exception, match="no job kind 'nonsense' is registered"):
        services.job_enqueue(actor=None, kind="nonsense")
    assert Job.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_without_a_broker_the_job_runs_at_once_on_commit():
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.job_enqueue(
            actor=None, kind=RECOMPUTE, params={"dates": ["2025-10-31"], "note": "x"}
        )
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 0, 0)
    assert job.result["lines"] == ["已重新计算 0 件申请的答复期限，其中 0 件有变化。"]
    assert [action for action, _changes in trail(job)] == ["job_enqueue", "job_start", "job_finish"]
    assert job.expires_at == job.finished_at + datetime.timedelta(days=7)


def test_a_broker_that_cannot_be_reached_fails_the_job_in_chinese(monkeypatch):
    def refuse(task, *args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(services, "_dispatch", refuse)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.job_enqueue(actor=None, kind=RECOMPUTE, params={"dates": [], "note": ""})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "无法提交到任务队列（Error 111 connecting to 127.0.0.1:6379. Connection refused.）。"
        "请检查 CELERY_BROKER_URL 与 Redis 服务。"
    )


def test_a_job_delivered_twice_runs_once():
    job = running_job()
    assert services.job_start(job_id=job.pk, worker="other pid 7") is None
    job.refresh_from_db()
    assert job.worker == "host pid 42"
    assert trail(job) == []


def test_finishing_a_job_that_is_no_longer_running_is_refused():
    job = running_job(status=JobStatus.FAILED, finished_at=NOW, error="任务中断")
    with pytest.raises(services.JobLost):
        services.job_finish(job=job, outcome=Outcome(result={"lines": ["x"]}))
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.FAILED, {})


def test_a_silent_running_job_is_failed_as_interrupted(settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 120
    silent = running_job(heartbeat_at=NOW - datetime.timedelta(seconds=121))
    alive = running_job(heartbeat_at=NOW - datetime.timedelta(seconds=119))
    waiting = running_job(heartbeat_at=NOW - datetime.timedelta(hours=1), parts_total=3)

    assert services.jobs_fail_interrupted(now=NOW) == 1

    silent.refresh_from_db()
    assert silent.status == JobStatus.FAILED
    assert silent.error == (
        "任务中断：处理该任务的进程（host pid 42）在 2026-03-02 09:57:59 后没有再报告进度，"
        "可能已被终止或所在服务器已停止。任务未完成，未保存任何内容；可以重新运行。"
    )
    assert trail(silent) == [("job_fail", {"status": ["running", "failed"]})]
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING
    # Its parts wait in the queue: no process holds it.
    assert Job.objects.get(pk=waiting.pk).status == JobStatus.RUNNING


def test_a_part_that_stopped_fails_its_job(settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 120
    job = running_job(
        heartbeat_at=NOW - datetime.timedelta(seconds=200), parts_total=3, parts_running=1
    )
    assert services.jobs_fail_interrupted(now=NOW) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_the_last_part_queues_the_finish_step_once():
    job = running_job(parts_total=2, parts_running=2, total=4, done=1)
    with TestCase.captureOnCommitCallbacks() as callbacks:
        assert services.job_part_end(job_id=job.pk, index=0, advanced=1) is False
        assert services.job_part_end(job_id=job.pk, index=0, advanced=0) is False  # again
        assert services.job_part_end(job_id=job.pk, index=1, advanced=2) is True
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.parts_finished, job.parts_running, job.done) == ([0, 1], 0, 4)


def test_expired_files_are_deleted_and_the_deletion_audited(settings):
    settings.JOBS_RESULT_DAYS = 7
    old = running_job(
        status=JobStatus.DONE, finished_at=NOW, expires_at=NOW - datetime.timedelta(seconds=1)
    )
    old.result_file.save("old.zip", ContentFile(b"zip"), save=True)
    fresh = running_job(
        status=JobStatus.DONE, finished_at=NOW, expires_at=NOW + datetime.timedelta(days=1)
    )
    fresh.result_file.save("fresh.zip", ContentFile(b"zip"), save=True)
    stored = old.result_file.path

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.jobs_expire_files(now=NOW) == 1

    old.refresh_from_db()
    assert old.result_file.name == ""
    assert not os.path.exists(stored)
    assert trail(old) == [("job_expire", {"files": [[f"jobs/results/{old.pk}/old.zip"], []]})]
    assert Job.objects.get(pk=fresh.pk).result_file.name == f"jobs/results/{fresh.pk}/fresh.zip"
