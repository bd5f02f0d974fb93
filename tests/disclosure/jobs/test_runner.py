"""Running a job's steps: all or nothing, a Chinese reason on every failure, progress
written through the heartbeat, and a job run again doing the same work once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from disclosure.background import IMPORT, import_outcome
from disclosure.jobs import registry, runner
from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.registry import JobKind, JobRefused, Outcome
from disclosure.jobs.services import job_enqueue, job_retry
from disclosure.models import Body, InformationRequest
from disclosure.vocab import BodyKind
from tests.disclosure.import_helpers import REQUEST_HEADER, csv_text
from tests.factories import BodyFactory, UserFactory

pytestmark = pytest.mark.django_db


def write_a_body_then(failure):
    """A kind whose step writes a record, then fails as ``failure`` says."""

    def run(job, progress):
        Body.objects.create(code="written", name="写入的机构", kind=BodyKind.OTHER, path="/x/")
        progress.set(1, 2, "写了一半")
        if failure == "refuse":
            raise JobRefused("文件有误。", result={"problems": ["第2行"]})
        if failure == "crash":
            return 1 / 0
        if failure == "lost":
            # What the interruption check does from another process meanwhile.
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, error="任务中断", finished_at=timezone.now()
            )
        return Outcome(result={"lines": ["完成了"]})

    return run


@pytest.fixture
def kind(monkeypatch):
    def make(failure):
        key = f"test_{failure}"
        monkeypatch.setitem(
            registry._KINDS,
            key,
            JobKind(key, "测试", run=f"tests.disclosure.jobs.test_runner:step_{failure}"),
        )
        monkeypatch.setitem(globals(), f"step_{failure}", write_a_body_then(failure))
        return key

    return make


def run(kind_key: str) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_enqueue(actor=None, kind=kind_key)
    job.refresh_from_db()
    return job


def test_a_refused_job_keeps_nothing_and_says_why(kind):
    job = run(kind("refuse"))
    assert (job.status, job.error, job.result) == (
        JobStatus.FAILED,
        "文件有误。",
        {"problems": ["第2行"]},
    )
    assert not Body.objects.filter(code="written").exists()


def test_a_crashing_job_keeps_nothing_and_fails_in_chinese(kind, caplog):
    job = run(kind("crash"))
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "任务出错（ZeroDivisionError），未保存任何内容。请联系系统管理员查看处理进程的日志。"
    )
    assert not Body.objects.filter(code="written").exists()
    assert "ZeroDivisionError" in caplog.text  # the traceback is in the worker's log


def test_a_job_declared_interrupted_while_it_ran_keeps_nothing(kind, caplog):
    job = run(kind("lost"))
    # (Here the check ran in the step's own transaction, so it was rolled back with it.)
    assert job.status != JobStatus.DONE
    assert not Body.objects.filter(code="written").exists()
    assert f"job {job.pk} was declared interrupted while it ran; nothing kept" in caplog.text


def test_a_done_job_keeps_its_writes_and_its_last_progress(kind):
    job = run(kind("none"))
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, 2, 2, "")
    assert job.result == {"lines": ["完成了"]}
    assert Body.objects.filter(code="written").exists()


def test_progress_is_written_once_and_kept_when_a_write_fails():
    progress = runner.Progress()
    progress.set(3, 10, "读取")
    progress.advance(2)
    first = progress.take()
    assert (first.done, first.total, first.message, first.advanced) == (3, 10, "读取", 2)
    empty = progress.take()
    assert (empty.done, empty.total, empty.message, empty.advanced) == (None, None, None, 0)
    progress.set(4)
    progress.give_back(first)
    kept = progress.take()
    assert (kept.done, kept.total, kept.message, kept.advanced) == (4, 10, "读取", 2)


def csv_upload(rows: list[list]) -> SimpleUploadedFile:
    return SimpleUploadedFile("申请.csv", csv_text([REQUEST_HEADER, *rows]).encode("utf-8"))


def row(code: str, reference: str, received: str = "2023-03-01") -> list:
    return [code, reference, received, "自然人", None, None, "当面", "内容", None, None]


def import_job(user, upload) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_enqueue(
            actor=user,
            kind=IMPORT,
            params={"filename": upload.name, "sheet": "申请", "dry_run": False},
            input_file=upload,
        )
    job.refresh_from_db()
    return job


def test_a_refused_workbook_fails_the_job_with_every_problem_and_saves_nothing():
    BodyFactory(code="county")
    job = import_job(None, csv_upload([row("county", "A-1"), row("county", "A-2", "不是日期")]))
    assert job.status == JobStatus.FAILED
    assert job.error == "文件未导入（共 1 处错误），没有保存任何内容。"
    summary, problems = import_outcome(job)
    assert summary is None
    assert [(p.sheet, p.line, p.column) for p in problems] == [("申请", 3, "收到申请日期")]
    assert InformationRequest.objects.count() == 0


def test_an_import_run_again_changes_nothing_more():
    BodyFactory(code="county")
    user = UserFactory(is_superuser=True)
    first = import_job(user, csv_upload([row("county", "A-1"), row("county", "A-2")]))
    assert (first.status, first.done, first.total) == (JobStatus.DONE, 2, 2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = job_retry(actor=user, job=first)
    again.refresh_from_db()
    summary, _problems = import_outcome(again)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert again.result["lines"] == ["“申请”：新增 0 条，更新 0 条，未变 2 条"]
    assert InformationRequest.objects.count() == 2
