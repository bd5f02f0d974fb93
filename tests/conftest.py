from __future__ import annotations

import pytest
from django.utils import translation

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the site's language: a request that chose English in an earlier
    test must not leak into the next one through the thread's active language."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _jobs_run_eagerly():
    """Unit tests run jobs in process, at once, whatever CELERY_BROKER_URL says (the tests
    marked ``broker`` start real workers)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager
