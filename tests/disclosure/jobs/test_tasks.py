"""The Celery tasks of jobs and the beat schedule that runs two of them."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.celery import app as celery_app
from disclosure.jobs import tasks


def test_every_scheduled_task_is_a_registered_task():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "jobs.fail_interrupted",
        "jobs.expire_results",
        "disclosure.send_reminders",
    }
    # What a worker and beat do as they start: import the installed apps' tasks modules.
    celery_app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


@pytest.mark.django_db
def test_the_scheduled_tasks_run(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.services, "jobs_fail_interrupted", lambda: calls.append("f") or 2)
    monkeypatch.setattr(tasks.services, "jobs_expire_files", lambda: calls.append("e") or 1)
    assert tasks.fail_interrupted.delay().get() == 2
    assert tasks.expire_results.delay().get() == 1
    assert calls == ["f", "e"]


def test_the_job_tasks_are_found_by_name():
    assert {"jobs.run", "jobs.run_part", "jobs.finish"} <= set(celery_app.tasks)
