"""Bulk export on real workers (``benchmarks/run.py``, rows 7): reports per second with one
and with two worker processes, rendering every PDF (``export_reports --render``), and the
peak memory of a worker process in each run.

The reports: ``EXPORT_BODIES`` bodies of the synthetic province under one city, each given a
published version of the 武威市 2023 document (written once, like the synthetic records, and
reused). Each run starts its workers (``celery worker --pool solo``: one process each), warms
them up with a small export (fonts, imports), then times one export from enqueue to done."""

from __future__ import annotations

import copy
import datetime
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.measure import Figure

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENT = ROOT / "reports" / "data" / "demo-wuwei-2023.json"
EXPORT_CITY = "c01"
EXPORT_BODIES = 32
SPEED_UP_TARGET = 1.7
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


def export_bodies(year: int) -> tuple[object, int]:
    """The city whose subtree is exported, with a published version for ``EXPORT_BODIES``
    bodies of it (created once); returns (city, number of versions)."""
    from django.utils import timezone

    from disclosure.models import Body
    from reports.document import canonical_sha256
    from reports.models import Report, ReportStatus, ReportVersion

    city = Body.objects.get(code=EXPORT_CITY)
    bodies = list(Body.objects.subtree_of(city).order_by("path")[:EXPORT_BODIES])
    seed = json.loads(SEED_DOCUMENT.read_text("utf-8"))
    published_at = timezone.make_aware(datetime.datetime(year + 1, 2, 20, 9, 0))
    for body in bodies:
        report, _created = Report.objects.get_or_create(
            body=body, year=year, defaults={"scope": "own", "status": ReportStatus.PUBLISHED}
        )
        if report.versions.exists():
            continue
        document = copy.deepcopy(seed)
        document.update(
            body=body.code,
            body_name=body.name,
            year=year,
            scope=report.scope,
            version=1,
            published_at=published_at.isoformat(),
            change_note="",
        )
        document["sha256"] = canonical_sha256(document)
        ReportVersion.objects.create(
            report=report,
            number=1,
            document=document,
            sha256=document["sha256"],
            published_at=published_at,
        )
    from reports.bulk_export import subtree_versions

    return city, subtree_versions(city, year).count()


def _broker_reachable(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except OSError:
        return False
    return True


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(job, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.finished:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"export job {job.pk} did not finish in {timeout:.0f} s")
        time.sleep(0.1)
    if job.error:
        raise RuntimeError(f"export job {job.pk} failed: {job.error}")
    job.result_file.delete(save=False)


def _run(workers: int, city, year: int, broker: str, folder: Path) -> tuple[float, float, float]:
    """Seconds of one rendered export of the city's subtree on ``workers`` processes, the
    CPU seconds the workers spent on it, and the peak memory (MiB) of the largest worker."""
    from django.conf import settings

    from config.celery import app
    from reports.bulk_export import export_enqueue
    from tests.disclosure.jobs.workers import database_url_for_workers, start_worker

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.update(task_always_eager=False, broker_url=broker, task_default_queue=queue)
    database = database_url_for_workers()
    started = [
        start_worker(
            database_url=database,
            queue=queue,
            media_root=Path(settings.MEDIA_ROOT),
            log=folder / f"worker-{workers}-{index}.log",
            broker_url=broker,
        )
        for index in range(workers)
    ]
    try:
        department = city.children.order_by("path").first()
        _wait(export_enqueue(actor=None, body=department, year=year, render=True))  # warm-up
        cpu = sum(_cpu_seconds(worker.pid) for worker in started)
        start = time.perf_counter()
        _wait(export_enqueue(actor=None, body=city, year=year, render=True))
        seconds = time.perf_counter() - start
        cpu = sum(_cpu_seconds(worker.pid) for worker in started) - cpu
        peak = max(_peak_rss_mib(worker.pid) for worker in started)
    finally:
        for worker in started:
            worker.stop()
        app.conf.update(task_always_eager=True)
    return seconds, cpu, peak


def export_figures(year: int) -> list[Figure]:
    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    label = "7 bulk export, PDFs rendered, {} worker{} (reports/s)"
    if not _broker_reachable(broker):
        note = f"no broker at {broker}: start redis-server or set CELERY_BROKER_URL"
        return [
            Figure(label.format(n, "s" if n > 1 else ""), None, None, "", "SLOW", note)
            for n in (1, 2)
        ]
    city, count = export_bodies(year)
    folder = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    figures = []
    rates = {}
    for workers in (1, 2):
        seconds, cpu, peak = _run(workers, city, year, broker, folder)
        rates[workers] = count / seconds
        figures.append(
            Figure(
                label.format(workers, "s" if workers > 1 else ""),
                seconds,
                None,
                note=(
                    f"{rates[workers]:.2f} reports/s: {count} reports of {city.code}'s subtree "
                    f"in {seconds:.1f} s, the workers' CPU {cpu / count:.2f} s per report; "
                    f"peak memory of a worker process {peak:.0f} MiB; load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
                ),
            )
        )
    speed_up = rates[2] / rates[1]
    figures[1].target = f"≥ {SPEED_UP_TARGET} × 1 worker"
    figures[1].verdict = "ok" if speed_up >= SPEED_UP_TARGET else "SLOW"
    figures[1].note += f"; {speed_up:.2f} × the throughput of 1 worker"
    return figures
