"""Running a job's steps in a worker (or, without a broker, in the process that asked).

Each step runs in one transaction together with the job's own state change, so a step that
fails, or whose job was declared interrupted meanwhile, keeps nothing it wrote. While a step
runs, a heartbeat thread writes its progress and the time through its own database
connection (the step's writes are not visible before they commit; the progress must be)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.jobs import services
from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.registry import FanOut, JobRefused, Outcome, get_kind

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2.0


def worker_name() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


@dataclass
class _Snapshot:
    done: int | None
    total: int | None
    message: str | None
    advanced: int


class Progress:
    """How far a step is, written by the heartbeat. ``set`` gives the job's absolute
    progress (a step that does all the work); ``advance`` adds to it (a part among others)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: int | None = None
        self._total: int | None = None
        self._message: str | None = None
        self._advanced = 0

    def set(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with self._lock:
            self._done = done
            if total is not None:
                self._total = total
            if message is not None:
                self._message = message

    def advance(self, count: int = 1, message: str | None = None) -> None:
        with self._lock:
            self._advanced += count
            if message is not None:
                self._message = message

    def take(self) -> _Snapshot:
        """What changed since the last ``take`` (written once, so that a later step's
        progress is never overwritten by an earlier one's)."""
        with self._lock:
            snapshot = _Snapshot(self._done, self._total, self._message, self._advanced)
            self._done = self._total = self._message = None
            self._advanced = 0
            return snapshot

    def give_back(self, snapshot: _Snapshot) -> None:
        """Keep what could not be written for the next ``take`` (unless set again since)."""
        with self._lock:
            self._advanced += snapshot.advanced
            if self._done is None:
                self._done = snapshot.done
            if self._total is None:
                self._total = snapshot.total
            if self._message is None:
                self._message = snapshot.message


class Heartbeat:
    """Writes the job's heartbeat and progress every ``HEARTBEAT_SECONDS`` from a thread.

    Started only outside a transaction: inside one (a test's, or a caller's) the job row
    itself is not committed, so no other connection could see a heartbeat."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.progress = Progress()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._beat, name=f"job-{self.job_id}-heartbeat", daemon=True
            )
            self._thread.start()
        return self.progress

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                self.write()
        finally:
            connection.close()  # this thread's own connection

    def write(self) -> None:
        """A beat (in the heartbeat thread): a failed write is tried again at the next."""
        snapshot = self.progress.take()
        try:
            self._update(snapshot)
        except DatabaseError as error:
            # SQLite: another process holds the write lock longer than its timeout.
            logger.warning("job %s: heartbeat not written: %s", self.job_id, error)
            self.progress.give_back(snapshot)

    def write_in_step(self) -> None:
        """The step's last progress, written in the step's own transaction (committed with
        its result, before the job's next step can start)."""
        self._update(self.progress.take())

    def _update(self, snapshot: _Snapshot) -> None:
        values: dict = {"heartbeat_at": timezone.now()}
        if snapshot.total is not None:
            values["total"] = snapshot.total
        if snapshot.done is not None:
            values["done"] = snapshot.done
        if snapshot.advanced:
            values["done"] = F("done") + snapshot.advanced
        if snapshot.message is not None:
            values["message"] = snapshot.message[:300]
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(**values)


def _fail_unexpectedly(job_id: int, error: Exception) -> None:
    # A job must end as failed whatever went wrong in its code: the traceback goes to the
    # worker's log, the user reads a Chinese reason.
    logger.exception("job %s failed", job_id, exc_info=error)
    services.job_fail(
        job_id=job_id,
        error=_("任务出错（%(error)s），未保存任何内容。请联系系统管理员查看处理进程的日志。")
        % {"error": type(error).__name__},
    )


def _conclude(job: Job, heartbeat: Heartbeat, outcome: Outcome | FanOut) -> None:
    heartbeat.write_in_step()
    if isinstance(outcome, FanOut):
        services.job_fan_out(job=job, fan_out=outcome)
    else:
        services.job_finish(job=job, outcome=outcome)


def run_job(job_id: int) -> None:
    """The first (often only) step of a job: ``kind.run``."""
    job = services.job_start(job_id=job_id, worker=worker_name())
    if job is None:
        logger.warning("job %s is not queued any more; nothing to do", job_id)
        return
    kind = get_kind(job.kind)
    logger.info("job %s (%s) started", job_id, job.kind)
    heartbeat = Heartbeat(job_id)
    try:
        with heartbeat as progress, transaction.atomic():
            _conclude(job, heartbeat, kind.function("run")(job, progress))
    except JobRefused as refused:
        services.job_fail(job_id=job_id, error=refused.message, result=refused.result)
        logger.info("job %s refused: %s", job_id, refused.message)
    except services.JobLost:
        logger.warning("job %s was declared interrupted while it ran; nothing kept", job_id)
    except Exception as error:  # noqa: BLE001 (see _fail_unexpectedly)
        _fail_unexpectedly(job_id, error)
    else:
        logger.info("job %s (%s) step done", job_id, job.kind)


def run_part(job_id: int, index: int, params: dict) -> None:
    """One part of a job that fanned out; the last part queues the finish step."""
    job = services.job_part_start(job_id=job_id)
    if job is None:
        logger.warning("job %s is not running; part %s skipped", job_id, index)
        return
    kind = get_kind(job.kind)
    heartbeat = Heartbeat(job_id)
    try:
        with heartbeat as progress, transaction.atomic():
            kind.function("part")(job, params, progress)
    except JobRefused as refused:
        services.job_part_end(job_id=job_id, index=None)
        services.job_fail(job_id=job_id, error=refused.message, result=refused.result)
    except Exception as error:  # noqa: BLE001 (see _fail_unexpectedly)
        services.job_part_end(job_id=job_id, index=None)
        _fail_unexpectedly(job_id, error)
    else:
        services.job_part_end(
            job_id=job_id, index=index, advanced=heartbeat.progress.take().advanced
        )
        logger.info("job %s part %s done", job_id, index)


def run_finish(job_id: int) -> None:
    """The finish step of a job whose parts are all done: ``kind.finish``."""
    job = services.job_part_start(job_id=job_id)
    if job is None:
        logger.warning("job %s is not running; finish skipped", job_id)
        return
    kind = get_kind(job.kind)
    heartbeat = Heartbeat(job_id)
    try:
        with heartbeat as progress, transaction.atomic():
            _conclude(job, heartbeat, kind.function("finish")(job, progress))
    except JobRefused as refused:
        services.job_fail(job_id=job_id, error=refused.message, result=refused.result)
    except services.JobLost:
        logger.warning("job %s was declared interrupted while it finished", job_id)
    except Exception as error:  # noqa: BLE001 (see _fail_unexpectedly)
        _fail_unexpectedly(job_id, error)
    else:
        logger.info("job %s (%s) done", job_id, job.kind)
