"""Jobs through a real broker and real worker processes (``celery -A config worker``), on
the test database: an import and an export end to end, and a worker killed mid-import."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.background import IMPORT
from disclosure.jobs.models import Job, JobStatus
from disclosure.jobs.services import job_enqueue, jobs_fail_interrupted
from disclosure.models import InformationRequest
from disclosure.vocab import BodyKind
from reports.bulk_export import export_enqueue
from tests.disclosure.import_helpers import REQUEST_HEADER, csv_text
from tests.disclosure.jobs.workers import BROKER_URL, ROOT, start_worker, wait_until
from tests.factories import BodyFactory
from tests.reports.public_data import build_site

pytestmark = pytest.mark.broker


def finished(job: Job) -> Job | None:
    job.refresh_from_db()
    return job if job.finished else None


def request_rows(code: str, count: int) -> bytes:
    rows = [REQUEST_HEADER] + [
        [code, f"K-{n:05d}", "2023-03-01", "自然人", None, None, "当面", "内容", None, None]
        for n in range(count)
    ]
    return csv_text(rows).encode("utf-8")


def enqueue_import(content: bytes) -> Job:
    return job_enqueue(
        actor=None,
        kind=IMPORT,
        params={"filename": "申请.csv", "sheet": "申请", "dry_run": False},
        input_file=SimpleUploadedFile("申请.csv", content),
    )


def test_an_import_and_an_export_run_on_a_worker(start_test_worker):
    worker = start_test_worker()
    body = BodyFactory(code="county", kind=BodyKind.GOVERNMENT)
    site = build_site(pdf=b"%PDF-stored")

    imported = enqueue_import(request_rows("county", 5))
    exported = export_enqueue(actor=None, body=site.city, year=2023, fmt="json")
    wait_until(lambda: finished(imported) and finished(exported))

    assert (imported.status, imported.done, imported.total) == (JobStatus.DONE, 5, 5)
    assert InformationRequest.objects.filter(body=body).count() == 5
    assert exported.status == JobStatus.DONE
    assert exported.parts_total == 2  # two bodies, one part each
    with exported.result_file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names == [
        "wuwei-2023-v1.json",
        "wuwei-2023-v2.json",
        "liangzhou-2023-v1.json",
        "index.csv",
    ]
    log = worker.output()
    assert f"job {imported.pk} (records_import) started" in log
    assert f"job {exported.pk} (reports_export) done" in log
    assert log.count("Task jobs.run_part[") >= 2  # received and succeeded


def test_a_worker_killed_mid_import_keeps_nothing_and_the_job_fails(start_test_worker, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 3
    BodyFactory(code="county", kind=BodyKind.GOVERNMENT)
    worker = start_test_worker()
    job = enqueue_import(request_rows("county", 20_000))

    # Killed once it is importing rows (its heartbeat has written progress).
    wait_until(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, done__gt=0).exists())
    worker.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    time.sleep(settings.JOBS_HEARTBEAT_TIMEOUT + 1)

    assert jobs_fail_interrupted() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("任务中断：处理该任务的进程（")
    assert f"pid {worker.pid}" in job.error
    assert InformationRequest.objects.count() == 0


SEED_SQLITE = """
from tests.factories import BodyFactory
from tests.reports.public_data import build_site
from disclosure.vocab import BodyKind
build_site(pdf=b"%PDF-stored")
BodyFactory(code="county", kind=BodyKind.GOVERNMENT)
"""

IMPORT_AND_WAIT = """
import sys, time
from django.core.files.base import ContentFile
from disclosure.jobs.models import Job
from disclosure.jobs.services import job_enqueue
content = open(sys.argv[-1], "rb").read()
job = job_enqueue(actor=None, kind="records_import",
                  params={"filename": "申请.csv", "sheet": "申请", "dry_run": False},
                  input_file=ContentFile(content, name="申请.csv"))
while not job.finished:
    time.sleep(0.3)
    job.refresh_from_db()
print(job.status, job.done, job.error)
"""


def test_two_workers_share_the_quick_starts_sqlite_database(broker_queue, tmp_path):
    """The quick start's SQLite file, two worker processes, an export fanned out over both
    and an import at the same time: no locking error anywhere."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "1",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_QUEUE": broker_queue,
    }
    for args in (["migrate", "--no-input", "-v0"], ["shell", "-c", SEED_SQLITE]):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    workers = [
        start_worker(
            database_url=env["DATABASE_URL"],
            queue=broker_queue,
            media_root=tmp_path / "media",
            log=tmp_path / f"worker-{index}.log",
        )
        for index in range(2)
    ]
    workbook = tmp_path / "申请.csv"
    workbook.write_bytes(request_rows("county", 300))
    try:
        export = subprocess.Popen(
            [sys.executable, "manage.py", "export_reports", "--body", "wuwei", "--year", "2023",
             "--format", "docx", "--output", str(tmp_path / "wuwei.zip")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        imported = subprocess.run(
            [sys.executable, "-c", RUN_DJANGO, IMPORT_AND_WAIT, str(workbook)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        out, err = export.communicate(timeout=600)
    finally:
        for worker in workers:
            worker.stop()
    logs = "".join(worker.output() for worker in workers)
    assert "database is locked" not in logs
    assert imported.stdout.split() == ["done", "300"], imported.stderr
    assert export.returncode == 0, err
    assert zipfile.ZipFile(tmp_path / "wuwei.zip").namelist() == [
        "wuwei-2023-v1.docx",
        "wuwei-2023-v2.docx",
        "liangzhou-2023-v1.docx",
        "index.csv",
    ]
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        assert database.execute(
            "SELECT count(*) FROM disclosure_informationrequest"
        ).fetchone() == (300,)
    assert logs.count("succeeded in") >= 5  # the import, the export's plan, 2 parts, finish


RUN_DJANGO = (
    "import sys, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'config.settings'); django.setup(); exec(sys.argv[1])"
)
