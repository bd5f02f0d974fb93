"""The Celery tasks of jobs: they carry a job's id; ``runner`` does the rest."""

from __future__ import annotations

from celery import shared_task

from disclosure.jobs import runner, services


@shared_task(name="jobs.run")
def run_job(job_id: int) -> None:
    runner.run_job(job_id)


@shared_task(name="jobs.run_part")
def run_part(job_id: int, index: int, params: dict) -> None:
    runner.run_part(job_id, index, params)


@shared_task(name="jobs.finish")
def finish_job(job_id: int) -> None:
    runner.run_finish(job_id)


@shared_task(name="jobs.fail_interrupted")
def fail_interrupted() -> int:
    return services.jobs_fail_interrupted()


@shared_task(name="jobs.expire_results")
def expire_results() -> int:
    return services.jobs_expire_files()
