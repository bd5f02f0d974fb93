"""The Celery application: ``celery -A config worker`` and ``celery -A config beat``.

Settings come from Django's (``CELERY_*``, see ``config/settings.py``); tasks are found in the
installed apps' ``tasks.py``. Jobs are records (``disclosure.jobs``): the tasks only carry a
job's id."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def refuse_a_worker_without_broker(**kwargs) -> None:
    """Without CELERY_BROKER_URL the web process runs every job itself: a worker (or beat)
    would wait on (or send to) a broker that no process reads. (``SystemExit``, because
    Celery logs and ignores an exception raised by a signal handler.)"""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit(
            "CELERY_BROKER_URL is not set: without a broker jobs run in the web process and a "
            "worker has nothing to do (e.g. CELERY_BROKER_URL=redis://127.0.0.1:6379/0)."
        )
