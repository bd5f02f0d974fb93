"""The Celery application: without a broker jobs run in process, and a worker refuses to
start (it would wait on Celery's default broker for work that never comes)."""

from __future__ import annotations

import pytest

from config.celery import app, refuse_a_worker_without_broker


def test_without_a_broker_a_worker_refuses_to_start(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with pytest.raises(SystemExit, match="CELERY_BROKER_URL is not set"):
        refuse_a_worker_without_broker()


def test_with_a_broker_a_worker_starts(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert refuse_a_worker_without_broker() is None


def test_the_app_reads_djangos_settings():
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_ignore_result is True
