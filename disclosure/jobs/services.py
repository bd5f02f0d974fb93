"""Every write to a job. A state change (queued → running → done or failed, a result file
expiring) leaves an ``AuditEntry`` in the same transaction; progress and heartbeats do not.

Tasks are dispatched when the transaction that asked for them commits, by name
(``jobs.run``, …: ``tasks.py``), so a worker never sees a job before its row exists."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

# A module reference: the records' services enqueue jobs too (a calendar change).
from disclosure import services as records
from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.registry import FanOut, Outcome, get_kind
from disclosure.models import Body
from disclosure.vocab import AuditAction

logger = logging.getLogger(__name__)


class JobLost(Exception):
    """The job is no longer running (the interruption check failed it): whatever the step
    wrote must not be kept."""


def _validate(job: Job) -> None:
    # The row's constraints are the database's; relations were just read or set by the code.
    job.full_clean(exclude=["requested_by", "body"], validate_constraints=False)


def _now() -> datetime.datetime:
    return timezone.now()


def _dispatch(task: str, *args) -> None:
    current_app.tasks[task].delay(*args)


def _dispatch_or_fail(job_id: int, task: str, *args) -> None:
    """Send a task; a broker that cannot be reached fails the job, in Chinese, at once."""
    try:
        _dispatch(task, *args)
    except BrokerUnavailable as error:
        logger.error("job %s: the broker refused task %s: %s", job_id, task, error)
        job_fail(
            job_id=job_id,
            error=_("无法提交到任务队列（%(error)s）。请检查 CELERY_BROKER_URL 与 Redis 服务。")
            % {"error": error},
        )


@transaction.atomic
def job_enqueue(
    *,
    actor,
    kind: str,
    body: Body | None = None,
    year: int | None = None,
    params: dict | None = None,
    input_file: File | None = None,
    input_name: str = "",
) -> Job:
    """Record a job and queue it once the caller's transaction commits (without a broker it
    then runs at once, in this process). ``input_file`` (an upload) is kept with the job."""
    get_kind(kind)
    job = Job(
        kind=kind,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        body=body,
        year=year,
        params=params or {},
    )
    _validate(job)
    job.save()
    if input_file is not None:
        job.input_file.save(input_name or input_file.name, input_file, save=False)
        job.save(update_fields=["input_file"])
    records.audit_record(
        actor=actor,
        obj=job,
        action=AuditAction.JOB_ENQUEUE,
        changes={"kind": [None, kind], "status": [None, JobStatus.QUEUED]},
    )
    transaction.on_commit(lambda: _dispatch_or_fail(job.pk, "jobs.run", job.pk))
    return job


@transaction.atomic
def job_retry(*, actor, job: Job) -> Job:
    """A new job doing the same work again (with the same uploaded file)."""
    again = {"actor": actor, "kind": job.kind, "body": job.body, "year": job.year}
    if not job.input_file:
        return job_enqueue(**again, params=job.params)
    with job.input_file.open("rb") as handle:
        return job_enqueue(
            **again,
            params=job.params,
            input_file=File(handle),
            input_name=job.input_file.name.rsplit("/", 1)[-1],
        )


@transaction.atomic
def job_start(*, job_id: int, worker: str) -> Job | None:
    """Claim a queued job for this worker; None when it is not queued any more (a task
    delivered twice, or a job already failed)."""
    now = _now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:200]
    )
    if not claimed:
        return None
    job = Job.objects.select_related("requested_by", "body").get(pk=job_id)
    records.audit_record(
        actor=None,
        obj=job,
        action=AuditAction.JOB_START,
        changes={"status": [JobStatus.QUEUED, JobStatus.RUNNING]},
        note=worker,
    )
    return job


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.JOBS_RESULT_DAYS)


@transaction.atomic
def job_finish(*, job: Job, outcome: Outcome) -> Job:
    """The job is done; its result file is stored. Raises ``JobLost`` (rolling back the
    caller's transaction, and so everything the job wrote) when it is no longer running."""
    now = _now()
    stored = Job.objects.select_for_update().get(pk=job.pk)
    if stored.status != JobStatus.RUNNING:
        raise JobLost(job.pk)
    if outcome.file is not None:
        with outcome.file.open("rb") as handle:
            stored.result_file.save(outcome.filename, File(handle), save=False)
        outcome.file.unlink()
        stored.result_name = outcome.filename
    stored.status = JobStatus.DONE
    stored.result = outcome.result
    stored.done = max(stored.done, stored.total)
    stored.total = stored.done
    stored.message = ""
    stored.finished_at = now
    stored.heartbeat_at = now
    stored.expires_at = _expiry(now)
    _validate(stored)
    stored.save()
    transaction.on_commit(lambda: remove_work_files(stored.pk))
    records.audit_record(
        actor=None,
        obj=stored,
        action=AuditAction.JOB_FINISH,
        changes={"status": [JobStatus.RUNNING, JobStatus.DONE]},
        note=stored.result_name,
    )
    return stored


@transaction.atomic
def job_fail(*, job_id: int, error: str, result: dict | None = None) -> Job | None:
    """The job failed with ``error`` (Chinese); None when it had already finished."""
    now = _now()
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.finished:
        return None
    old = job.status
    job.status = JobStatus.FAILED
    job.error = error
    if result is not None:
        job.result = result
    job.finished_at = now
    job.expires_at = _expiry(now)
    _validate(job)
    job.save()
    transaction.on_commit(lambda: remove_work_files(job_id))
    records.audit_record(
        actor=None,
        obj=job,
        action=AuditAction.JOB_FAIL,
        changes={"status": [old, JobStatus.FAILED]},
        note=error[:1000],
    )
    return job


@transaction.atomic
def job_fan_out(*, job: Job, fan_out: FanOut) -> None:
    """The job goes on as parts, each queued when this transaction commits."""
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        parts_total=len(fan_out.parts), parts_running=0, parts_finished=[]
    )
    if not updated:
        raise JobLost(job.pk)
    for index, params in enumerate(fan_out.parts):
        transaction.on_commit(
            lambda index=index, params=params: _dispatch_or_fail(
                job.pk, "jobs.run_part", job.pk, index, params
            )
        )


@transaction.atomic
def job_part_start(*, job_id: int) -> Job | None:
    """A part begins; None when the job is not running any more (failed meanwhile)."""
    updated = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        parts_running=F("parts_running") + 1, heartbeat_at=_now()
    )
    return Job.objects.select_related("requested_by", "body").get(pk=job_id) if updated else None


@transaction.atomic
def job_part_end(*, job_id: int, index: int | None, advanced: int = 0) -> bool:
    """A part ended (``index`` None: without finishing, e.g. it failed). ``advanced`` is
    progress not yet written. Returns True when this was the last part: the caller then
    queues the finish step. A part delivered twice counts once."""
    job = Job.objects.select_for_update().get(pk=job_id)
    job.parts_running = max(job.parts_running - 1, 0)
    job.done = min(job.done + advanced, job.total)
    job.heartbeat_at = _now()
    last = False
    if index is not None and index not in job.parts_finished and job.status == JobStatus.RUNNING:
        job.parts_finished = [*job.parts_finished, index]
        last = len(job.parts_finished) == job.parts_total
    job.save(update_fields=["parts_running", "done", "heartbeat_at", "parts_finished"])
    if last:
        transaction.on_commit(lambda: _dispatch_or_fail(job_id, "jobs.finish", job_id))
    return last


def interruption_message(job: Job) -> str:
    beat = timezone.localtime(job.heartbeat_at) if job.heartbeat_at else None
    return _(
        "任务中断：处理该任务的进程（%(worker)s）在 %(time)s 后没有再报告进度，"
        "可能已被终止或所在服务器已停止。任务未完成，未保存任何内容；可以重新运行。"
    ) % {"worker": job.worker or "—", "time": f"{beat:%Y-%m-%d %H:%M:%S}" if beat else "—"}


@transaction.atomic
def jobs_fail_interrupted(*, now: datetime.datetime | None = None, ids: Iterable[int] = ()) -> int:
    """Fail the running jobs whose worker stopped (``Job.objects.interrupted``), all of them
    or those of ``ids``. Called when jobs are read and by the beat schedule. A step that is
    in fact still running then finds its job lost and keeps nothing (``job_finish``)."""
    now = now or _now()
    candidates = Job.objects.interrupted(now=now)
    if ids:
        candidates = candidates.filter(pk__in=list(ids))
    # A cheap read first: the write (which waits for SQLite's lock) only when needed.
    if not candidates.exists():
        return 0
    failed = 0
    for job in candidates.select_for_update():
        job.status = JobStatus.FAILED
        job.error = interruption_message(job)
        job.finished_at = now
        job.expires_at = _expiry(now)
        job.save(update_fields=["status", "error", "finished_at", "expires_at"])
        transaction.on_commit(lambda job_id=job.pk: remove_work_files(job_id))
        records.audit_record(
            actor=None,
            obj=job,
            action=AuditAction.JOB_FAIL,
            changes={"status": [JobStatus.RUNNING, JobStatus.FAILED]},
            note=job.error,
        )
        failed += 1
    return failed


def jobs_expire_files(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs past ``expires_at``; returns how many jobs lost files."""
    now = now or _now()
    count = 0
    for job in Job.objects.expired(now=now).order_by("pk").iterator():
        names = [name for name in (job.result_file.name, job.input_file.name) if name]
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(result_file="", input_file="")
            records.audit_record(
                actor=None,
                obj=job,
                action=AuditAction.JOB_EXPIRE,
                changes={"files": [names, []]},
                note=_("文件保留期满，已删除。"),
            )
            # Deleted when the row no longer points at them.
            transaction.on_commit(lambda names=names: _delete_files(names))
        count += 1
    return count


def work_folder(job_id: int) -> str:
    """Where a job's steps leave files for each other (parts for the finish step), in the
    default storage: shared by every worker, like the result files."""
    return f"jobs/work/{job_id}/"


def remove_work_files(job_id: int) -> None:
    storage = Job._meta.get_field("result_file").storage
    folder = work_folder(job_id)
    if not storage.exists(folder):
        return
    _folders, files = storage.listdir(folder)
    for name in files:
        storage.delete(folder + name)
    storage.delete(folder)


def _delete_files(names: list[str]) -> None:
    storage = Job._meta.get_field("result_file").storage
    for name in names:
        storage.delete(name)
